"""Properties of the whole checker, drawn with the public syndication simulator.

The checker must not care in which order the feed arrives or how the sources are
named; cleaning must be a fixed point; matching must not depend on which side of a
pair a claim is; copies that differ only by benign edits must raise nothing an
editor has to read; and every kind of injected change must be found, with the
right kind, between the changed copy and another version.

Example counts come from the hypothesis profile (tests/conftest.py): a few, fixed,
in CI; `HYPOTHESIS_PROFILE=thorough` for a long search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency import check_articles, clean, domain, ingest, match
from consistency.detectors import quotes as compare
from consistency.models import SEVERITY_RANK, Article, Discrepancy, Matching
from consistency.testing import (
    INJECTORS,
    KINDS,
    Base,
    Syndication,
    available_kinds,
    benign_copies,
    caught,
    explains,
    injected,
    majesty,
    number_words,
    percent_style,
    prepare,
    quote_style,
    syndicate,
    wrap,
)
from consistency.testing.strategies import base_names, seeds

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PATHS = (
    FIXTURES / "west-mercia" / "bbc.txt",
    FIXTURES / "west-mercia" / "peel-2025.txt",
    FIXTURES / "west-mercia" / "whitchurch-herald.txt",
    *sorted((FIXTURES / "articles" / "dev").glob("*.txt")),
)


@cache
def _bases() -> dict[str, Base]:
    return {a.source: prepare(a) for a in ingest.read_articles(list(PATHS))}


# Heavy properties (each example checks a whole syndication) run a sixth of the
# profile's examples: 5 in CI, 83 with HYPOTHESIS_PROFILE=thorough.
heavy = settings(max_examples=max(3, settings().max_examples // 6))

# A base article's name and a generator seed rather than hypothesis' own random
# source: a failing example then prints as two values one can replay with
# `syndicate(base, seed, ...)`, not as a page of article text.
SEEDS = seeds()


def _story(name: str, seed: int, **options: Any) -> Syndication:
    return syndicate(_bases()[name], seed, **options)


def _names() -> st.SearchStrategy[str]:
    return base_names(_bases())


def _rows(articles: tuple[Article, ...]) -> list[tuple[object, ...]]:
    """The rows as comparable tuples, sorted: the report's content, not its order."""
    return sorted(
        (r.id, r.kind, r.severity, r.subject, r.source_a, r.source_b, r.value_a, r.value_b)
        for r in check_articles(articles).discrepancies
    )


# --- invariance ----------------------------------------------------------------------


@heavy
@given(_names(), SEEDS, st.permutations(range(4)))
def test_rows_do_not_depend_on_input_order(name: str, seed: int, order: list[int]) -> None:
    story = _story(name, seed, copies=3, injections=2)
    shuffled = tuple(story.articles[i] for i in order)
    assert _rows(shuffled) == _rows(story.articles)


def _problems(articles: tuple[Article, ...]) -> list[tuple[object, ...]]:
    """The problems as comparable tuples, sorted: all a problem says."""
    return sorted(
        (
            p.id,
            p.kind,
            p.severity,
            p.story,
            p.subject,
            p.value,
            p.outlets,
            p.differing,
            p.basis,
            p.discrepancies,
            p.text,
        )
        for p in check_articles(articles).problems
    )


@heavy
@given(_names(), SEEDS, st.permutations(range(4)))
def test_problems_do_not_depend_on_input_order(name: str, seed: int, order: list[int]) -> None:
    # Several changes in several copies: problems that share versions, ties and majorities.
    story = _story(name, seed, copies=3, injections=4)
    shuffled = tuple(story.articles[i] for i in order)
    assert _problems(shuffled) == _problems(story.articles)


def _renamed(article: Article, name: str) -> Article:
    return Article(name, f"{name}.txt", article.body, article.first_line, article.metadata)


@cache
def _official_wordings() -> frozenset[str]:
    return frozenset(g.official for grades in domain.scales().wordings.values() for g in grades)


def _shown_as_example(kind: str, value: str) -> bool:
    """The side of an omission or a rating_wording row that shows one of the versions
    that carry the claim or the official wording: whichever sorts first, so it is
    left out of the comparison; the version the row is about is compared."""
    if kind == "omission":
        return value not in ("absent", "not graded in this version")
    return kind == "rating_wording" and value in _official_wordings()


def _sided(rows: tuple[Discrepancy, ...], rename: dict[str, str]) -> list[tuple[object, ...]]:
    """Rows with their two sides in a canonical order, sources renamed back."""
    out = []
    for r in rows:
        sides = sorted(
            (rename.get(source, source), value, text)
            for source, value, text in (
                (r.source_a, r.value_a, r.text_a),
                (r.source_b, r.value_b, r.text_b),
            )
            if not _shown_as_example(r.kind, value)
        )
        out.append((r.kind, r.severity, r.subject, *sides))
    return sorted(out)


@heavy
@given(_names(), SEEDS)
def test_rows_do_not_depend_on_source_names(name: str, seed: int) -> None:
    story = _story(name, seed, copies=2, injections=1)
    # Names that sort in the opposite order, so that every pair swaps sides.
    sources = sorted(a.source for a in story.articles)
    names = {s: f"{chr(ord('z') - i)}-{s}" for i, s in enumerate(sources)}
    back = {v: k for k, v in names.items()}
    renamed = tuple(_renamed(a, names[a.source]) for a in story.articles)
    assert _sided(check_articles(renamed).discrepancies, back) == _sided(
        check_articles(story.articles).discrepancies, {}
    )


# --- cleaning ------------------------------------------------------------------------


@given(_names(), SEEDS)
def test_cleaning_is_idempotent(name: str, seed: int) -> None:
    story = _story(name, seed, copies=2, injections=1, benign_rate=0.7)
    for article in story.articles:
        once = clean.clean_article(article)
        text = "\n\n".join(p.text for p in once.paragraphs)
        twice = clean.clean_article(Article(article.source, article.path, text, 1))
        assert [p.text for p in twice.paragraphs] == [p.text for p in once.paragraphs]


# --- matching ------------------------------------------------------------------------


def _pairs(matching: Matching, rename: dict[str, str]) -> set[tuple[frozenset[str], float]]:
    return {
        (frozenset((rename.get(m.claim_a, m.claim_a), rename.get(m.claim_b, m.claim_b))), m.score)
        for m in (*matching.matches, *matching.related)
    }


@heavy
@given(_names(), SEEDS)
def test_matching_is_symmetric(name: str, seed: int) -> None:
    claims = check_articles(_story(name, seed, copies=3, injections=2).articles).claims
    # Ids that sort in the opposite order, so that every pair is scored the other way round.
    flipped = {
        c.claim_id: f"c{len(claims) - i:06d}"
        for i, c in enumerate(sorted(claims, key=lambda c: c.claim_id))
    }
    back = {v: k for k, v in flipped.items()}
    first = match.match_claims(claims)
    again = match.match_claims([replace(c, claim_id=flipped[c.claim_id]) for c in claims])
    assert _pairs(again, back) == _pairs(first, {})
    assert set(again.story_of.items()) == set(first.story_of.items())


# --- self-consistency and injections -------------------------------------------------


@heavy
@given(_names(), SEEDS)
def test_benign_copies_raise_nothing_above_low(name: str, seed: int) -> None:
    story = _story(name, seed, copies=3, injections=0, benign_rate=0.5)
    rows = check_articles(story.articles).discrepancies
    # The only medium or high rows allowed are those every version inherits from
    # the original itself (the checker on the original alone reports them), at no
    # more than the severity found there.
    inherited = [c for c in story.changes if c.severity != "low"]
    serious = [
        (r.kind, r.severity, r.source_a, r.source_b, r.value_a, r.value_b)
        for r in rows
        if r.severity != "low"
        and not any(
            explains(c, r, side_effects=False)
            and SEVERITY_RANK[r.severity] >= SEVERITY_RANK[c.severity]
            for c in inherited
        )
    ]
    assert serious == [], story.edits


_TEXT_EDITS: dict[str, Callable[[str], str]] = {
    "quote style": quote_style,
    "per cent": percent_style,
    "HM": majesty,
    "wrapped": lambda text: wrap(text, 46),
    "number words": lambda text: number_words(text, to_words=True),
    "digits": lambda text: number_words(text, to_words=False),
}


def _findings(articles: tuple[Article, ...]) -> set[tuple[str, str, str, str, str]]:
    """Medium and high rows as what they say about whom: values and texts left out,
    as a benign edit may respell them."""
    return {
        (r.kind, r.severity, r.subject, r.source_a, r.source_b)
        for r in check_articles(articles).discrepancies
        if r.severity != "low"
    }


@heavy
@given(_names(), SEEDS, st.sampled_from(sorted(_TEXT_EDITS)))
def test_a_benign_edit_to_one_version_changes_no_finding(name: str, seed: int, edit: str) -> None:
    story = _story(name, seed, copies=3, injections=2, benign_rate=0.0)
    changed = {c.source for c in story.injections}
    untouched = [a for a in story.copies if a.source not in changed]
    if not untouched:
        return
    target = untouched[0]
    edited = tuple(
        replace(a, body=_TEXT_EDITS[edit](a.body)) if a is target else a for a in story.articles
    )
    assert _findings(edited) == _findings(story.articles), (edit, target.source)


@pytest.mark.parametrize("kind", KINDS)
@heavy
@given(data=st.data())
def test_each_injected_kind_is_found_between_the_copy_and_another_version(
    kind: str, data: st.DataObject
) -> None:
    if not any(kind in available_kinds(base) for base in _bases().values()):
        pytest.skip(f"no fixture has room for {kind}")
    name = data.draw(base_names(_bases(), kind), label="base")
    seed = data.draw(SEEDS, label="seed")
    story = _story(name, seed, copies=3, injections=[kind])
    changes = [c for c in story.injections if c.kind == kind]
    assert changes, f"no site for {kind}"
    rows = check_articles(story.articles).discrepancies
    sources = {a.source for a in story.articles}
    for change in changes:
        assert caught(change, rows), (change.before, change.after, [r.kind for r in rows])
        # The row that catches it pairs the changed copy with another version;
        # encoding damage and an unofficial grade wording are about the copy alone.
        alone = INJECTORS[kind].alone
        pairs = {
            (r.source_a, r.source_b)
            for r in rows
            if explains(change, r, side_effects=False)
            and SEVERITY_RANK[r.severity] <= SEVERITY_RANK[change.severity]
        }
        other_versions = sources - {change.source}
        assert any(
            change.source in pair and (alone or bool(set(pair) & other_versions)) for pair in pairs
        ), (kind, change.source, pairs)


def test_public_strategies_draw_from_a_fixture() -> None:
    # The strategies the README offers for users' own pipelines, on a fixture.
    @settings(max_examples=2)
    @given(benign_copies(_bases()["bbc"], copies=2), injected(_bases()["bbc"], "number_conflict"))
    def draw(benign: Syndication, changed: Syndication) -> None:
        assert not benign.injections
        assert [c.kind for c in changed.injections] == ["number_conflict"]

    draw()


_WORDS = st.sampled_from(["we", "will", "not", "close", "the", "library", "to", "do", "is", "now"])


@given(st.lists(_WORDS, min_size=3, max_size=12), st.lists(_WORDS, min_size=3, max_size=12))
def test_quotation_diff_is_symmetric(a: list[str], b: list[str]) -> None:
    forward = compare.diff_quotes(" ".join(a), " ".join(b))
    backward = compare.diff_quotes(" ".join(b), " ".join(a))
    assert forward.coverage == backward.coverage
    assert forward.changes == tuple((y, x) for x, y in backward.changes)
