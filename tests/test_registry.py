"""Everything that lists the kinds of row, checked against the detector registry.

`consistency.detectors` declares every kind and the severities it is reported at.
The simulator's injectors, configuration's per-kind severities, README's kind
table and the rows the detectors really emit must all agree with it, so that a new
kind (or a kind's new severity) cannot be added in one place and forgotten in
another.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from consistency import config, ingest
from consistency.detectors import DETECTORS, KIND_NAMES, KINDS, Context, Detector
from consistency.detectors.grades import agreed_subjects
from consistency.models import SEVERITY_RANK, Article, Discrepancy
from consistency.pipeline import check_articles
from consistency.results import CheckResult
from consistency.testing import (
    INJECTORS,
    LOW_KINDS,
    NOT_SIMULATED,
    Base,
    Syndication,
    available_kinds,
    prepare,
    syndicate,
)
from consistency.testing import KINDS as SIMULATED_KINDS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# --- (a) the simulator -----------------------------------------------------------------


def test_every_kind_has_an_injector_or_says_why_not() -> None:
    assert set(INJECTORS) | set(NOT_SIMULATED) == set(KIND_NAMES)
    assert not set(INJECTORS) & set(NOT_SIMULATED)
    assert all(reason.strip() for reason in NOT_SIMULATED.values())


def test_simulator_kinds_are_its_injector_table() -> None:
    assert tuple(INJECTORS) == SIMULATED_KINDS


# The order the simulator draws kinds in (not the registry's): reordering these would
# change every simulated syndication, and with them bench/accuracy.py's figures. A new
# kind may go anywhere; these keep their relative order.
SIMULATOR_ORDER = (
    "number_conflict",
    "date_conflict",
    "polarity_conflict",
    "name_variant",
    "claim_altered",
    "quote_altered",
    "quote_attribution",
    "speaker_title",
    "rating_conflict",
    "grade_status",
    "rating_wording",
    "omission",
    "encoding_damage",
)


def test_simulator_keeps_its_order_of_kinds() -> None:
    assert [k for k in SIMULATED_KINDS if k in SIMULATOR_ORDER] == [
        k for k in SIMULATOR_ORDER if k in SIMULATED_KINDS
    ]


def test_low_kinds_are_the_kinds_whose_worst_severity_is_low() -> None:
    assert frozenset(k for k, kind in KINDS.items() if kind.worst == "low") == LOW_KINDS


def test_kinds_declare_their_severities_worst_first() -> None:
    # "Worst" is the most serious: high before medium before low, each once.
    for kind in KINDS.values():
        ranks = [SEVERITY_RANK[s] for s in kind.severities]
        assert ranks, kind.name
        assert ranks == sorted(set(ranks)), kind.name
        assert kind.meaning.strip(), kind.name


def test_each_kind_is_declared_once() -> None:
    # Two detectors may report one kind only by sharing its one declaration: one
    # meaning, one list of severities (number_conflict: a figure changed inside a
    # matched claim, and one count given two ways across a story; name_variant: claim
    # by claim and over a whole story's names).
    declared = {id(k): k for d in DETECTORS for k in d.kinds}
    assert sorted(k.name for k in declared.values()) == sorted(KIND_NAMES)


# --- (b) configuration --------------------------------------------------------------------


def test_config_accepts_a_severity_for_every_kind() -> None:
    parsed = config.parse({"severity": dict.fromkeys(KIND_NAMES, "low")})
    assert set(parsed.severity) == set(KIND_NAMES)


@pytest.mark.parametrize("name", ["not_a_kind", "Rating_conflict", "rating conflict"])
def test_config_rejects_any_other_kind_naming_the_registry_s(name: str) -> None:
    with pytest.raises(config.ConfigError) as error:
        config.parse({"severity": {name: "low"}})
    (problem,) = error.value.problems
    listed = re.search(r"expected one of (.*)\)$", problem)
    assert listed, problem
    assert tuple(listed.group(1).split(", ")) == KIND_NAMES


# --- (c) README ---------------------------------------------------------------------------


def _readme_kinds() -> list[tuple[str, tuple[str, ...]]]:
    """(kind, severities) of each row of README's "### Kinds" table, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n### Kinds\n", 1)[1]
    rows = []
    for line in section.splitlines():
        m = re.match(r"\| `(\w+)` \| ([a-z /]+) \|", line)
        if m:
            rows.append((m.group(1), tuple(s.strip() for s in m.group(2).split("/"))))
        elif rows and not line.startswith("|"):
            break
    return rows


def test_readme_kind_table_lists_the_registry_in_order_with_its_severities() -> None:
    rows = _readme_kinds()
    assert [k for k, _ in rows] == list(KIND_NAMES)
    for kind, severities in rows:
        assert severities == KINDS[kind].severities, kind


# --- (d) what the detectors emit -------------------------------------------------------------


def _context(result: CheckResult) -> Context:
    """The compare stage's context for a checked feed, built as compare.compare does."""
    extraction = agreed_subjects(result.extraction, result.graph)
    claims = {c.claim_id: c for c in result.claims}
    return Context(result.cleaned, claims, extraction, result.matching, result.graph)


def _undeclared(detector: Detector, rows: list[Discrepancy]) -> list[tuple[str, str, str]]:
    declared = {(k.name, s) for k in detector.kinds for s in k.severities}
    return [(r.kind, r.severity, r.id) for r in rows if (r.kind, r.severity) not in declared]


@cache
def _bases() -> tuple[Base, ...]:
    paths = [FIXTURES / "west-mercia", FIXTURES / "articles" / "dev"]
    return tuple(prepare(a) for a in ingest.read_articles(paths))


@cache
def _syndications() -> tuple[Syndication, ...]:
    """Per base, copies carrying one change of every kind it has room for, split over two
    syndications so that each copy has room, and one with benign edits only; then a
    syndication of its own for each kind that found no site left in those."""
    out = []
    for n, base in enumerate(_bases()):
        kinds = available_kinds(base)
        for half in (kinds[::2], kinds[1::2]):
            out.append(syndicate(base, 500 + n, copies=4, injections=list(half)))
        out.append(syndicate(base, 600 + n, copies=3, benign_rate=0.6))
    injected = {c.kind for s in out for c in s.injections}
    for kind in INJECTORS:
        if kind not in injected:
            base = next((b for b in _bases() if kind in available_kinds(b)), None)
            if base is not None:
                out.append(syndicate(base, 700, copies=3, injections=[kind]))
    return tuple(out)


@cache
def _feeds() -> dict[str, CheckResult]:
    feeds = {
        "west-mercia": check_articles(tuple(ingest.read_articles([FIXTURES / "west-mercia"]))),
        "formats": check_articles(tuple(ingest.read_articles([FIXTURES / "formats"]))),
    }
    for n, story in enumerate(_syndications()):
        feeds[f"{story.original.source} #{n}"] = check_articles(story.articles)
    return feeds


@cache
def _emitted() -> dict[str, dict[str, list[Discrepancy]]]:
    """feed -> detector -> the rows it emits there."""
    return {
        name: {d.name: list(d.run(_context(result))) for d in DETECTORS}
        for name, result in _feeds().items()
    }


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.name)
def test_detector_emits_only_kinds_and_severities_it_declares(detector: Detector) -> None:
    for feed, by_detector in _emitted().items():
        assert _undeclared(detector, by_detector[detector.name]) == [], feed


def test_the_detectors_are_exercised() -> None:
    # Every simulated kind was injected somewhere, and every kind was reported.
    injected = {c.kind for s in _syndications() for c in s.injections}
    assert injected == set(INJECTORS)
    reported = {r.kind for rows in _emitted().values() for rs in rows.values() for r in rs}
    assert reported == set(KIND_NAMES)


def test_checked_rows_are_of_declared_kinds_and_severities() -> None:
    # What the compare stage keeps (the first row of an id) under the default settings.
    declared = {(k.name, s) for k in KINDS.values() for s in k.severities}
    for feed, result in _feeds().items():
        assert {(r.kind, r.severity) for r in result.discrepancies} <= declared, feed


# --- (e) what the simulator expects ------------------------------------------------------------


def test_a_kind_s_severities_cover_what_the_simulator_expects_of_it() -> None:
    # A change is caught by a row of a kind it `catches` at its `severity` or above; the
    # registry must let some detector report that kind so.
    changes = [c for s in _syndications() for c in s.changes]
    assert {c.kind for c in changes if c.injected} == set(INJECTORS)
    for change in changes:
        assert change.catches | change.also <= set(KIND_NAMES), change
        for kind in change.catches:
            worst = SEVERITY_RANK[KINDS[kind].worst]
            assert worst <= SEVERITY_RANK[change.severity], (kind, change.severity)


@pytest.mark.parametrize("kind", SIMULATED_KINDS)
def test_an_injected_change_counts_at_the_severity_its_kind_is_scored_at(kind: str) -> None:
    # bench/accuracy.py scores the low kinds at low and every other kind at medium+.
    base = next(b for b in _bases() if kind in available_kinds(b))
    (change,) = syndicate(base, 0, injections=[kind]).injections
    assert change.severity == ("low" if kind in LOW_KINDS else "medium")
    assert change.catches == frozenset({kind})


def test_a_plain_article_has_no_undeclared_rows() -> None:
    # A feed of one article: the rows the original alone raises (every version inherits them).
    article = Article("one", "one.txt", "A headline here\n\nThe force was rated good in 2024.")
    result = check_articles((article,))
    for detector in DETECTORS:
        assert _undeclared(detector, list(detector.run(_context(result)))) == []
