"""Problems (consistency/problems.py): the rows of one slot as one finding, with the
reading most versions carry and the odd ones out."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from consistency import check, report, write_reports
from consistency.cli import app
from consistency.detectors import DETECTORS
from consistency.models import Claim, Discrepancy, Severity
from consistency.problems import SLOTS, Problem, Reading, find_problems, listed, problem_of
from consistency.results import CheckResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STORY = "s-1"


def row(
    kind: str,
    a: str,
    value_a: str,
    b: str,
    value_b: str,
    *,
    claim_a: str = "",
    claim_b: str = "",
    subject: str = "Kent Police",
    severity: Severity = "high",
    text_a: str = "a claim",
    text_b: str = "a claim",
    standard: str = "",
) -> Discrepancy:
    fields = (kind, subject, a, b, value_a, value_b, claim_a, claim_b)
    rid = hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:12]
    return Discrepancy(
        rid,
        kind,
        severity,
        subject,
        a,
        b,
        value_a,
        value_b,
        text_a,
        text_b,
        None,
        None,
        None,
        "",
        "",
        claim_a,
        claim_b,
        standard,
    )


def claim(claim_id: str, text: str = "a claim") -> Claim:
    return Claim(claim_id, claim_id.split(":")[0], "sentence", text, 1, 0, 0, len(text))


def problems(
    rows: list[Discrepancy], clusters: dict[str, str] | None = None, claims: tuple[Claim, ...] = ()
) -> tuple[Problem, ...]:
    cluster_of = clusters or {}
    sources = {r.source_a for r in rows} | {r.source_b for r in rows if r.source_b}
    sources |= {c.source for c in claims}
    return find_problems(rows, claims, cluster_of, dict.fromkeys(sources, STORY))


OUTLETS = ("bbc", "hits-radio", "ludlow-advertiser", "shropshire-star")


def star(kind: str, odd: str, said: str, others: str) -> list[Discrepancy]:
    """A change in one version of four: a row between it and each of the others, their
    claims all in cluster c-1 (the claim of source s is s:1)."""
    rows = []
    for other in OUTLETS:
        if other != odd:
            a, b = sorted((odd, other))
            va, vb = (said, others) if a == odd else (others, said)
            rows.append(row(kind, a, va, b, vb, claim_a=f"{a}:1", claim_b=f"{b}:1"))
    return rows


CLUSTER = {f"{s}:1": "c-1" for s in OUTLETS}


# --- the majority and the odd one out -------------------------------------------------


def test_a_number_changed_in_one_of_four_versions_is_one_problem_naming_it() -> None:
    rows = star("number_conflict", "hits-radio", "321 pupils", "312 pupils")
    [p] = problems(rows, CLUSTER)
    assert p.value == "312 pupils" and p.basis == "majority"
    assert p.outlets == ("bbc", "ludlow-advertiser", "shropshire-star")
    assert p.differing == (Reading("321 pupils", ("hits-radio",)),)
    assert p.discrepancies == tuple(sorted(r.id for r in rows))
    assert p.describe() == (
        "hits-radio: 321 pupils, where bbc, ludlow-advertiser and shropshire-star say 312 pupils"
    )
    assert p.kind == "number_conflict" and p.severity == "high" and p.story == STORY
    assert problem_of([p]) == dict.fromkeys(p.discrepancies, p.id)


def test_two_numbers_changed_in_one_sentence_are_two_problems() -> None:
    rows = star("number_conflict", "hits-radio", "321 pupils", "312 pupils")
    rows += star("number_conflict", "bbc", "15 teachers", "14 teachers")
    found = problems(rows, CLUSTER)
    assert sorted((p.value, p.differing[0].sources) for p in found) == [
        ("14 teachers", ("bbc",)),
        ("312 pupils", ("hits-radio",)),
    ]


def test_the_worst_severity_and_the_subject_most_rows_give() -> None:
    rows = star("number_conflict", "bbc", "5", "4")
    rows[0] = row(
        "number_conflict",
        "bbc",
        "5",
        "hits-radio",
        "4",
        claim_a="bbc:1",
        claim_b="hits-radio:1",
        severity="low",
        subject="Kent",
    )
    [p] = problems(rows, CLUSTER)
    assert p.severity == "high" and p.subject == "Kent Police"


def test_versions_in_two_camps_tie_and_the_tie_is_broken_by_the_value() -> None:
    rows = [
        row("date_conflict", a, "14 May", b, "15 May", claim_a=f"{a}:1", claim_b=f"{b}:1")
        for a in ("bbc", "hits-radio")
        for b in ("ludlow-advertiser", "shropshire-star")
    ]
    [p] = problems(rows, CLUSTER)
    assert p.basis == "tied"
    assert (p.value, p.outlets) == ("14 May", ("bbc", "hits-radio"))
    assert p.differing == (Reading("15 May", ("ludlow-advertiser", "shropshire-star")),)
    assert p.describe().endswith("say 14 May (no majority)")
    # The same rows with the values swapped: the other camp wins, by its value alone.
    swapped = [
        row(
            "date_conflict",
            r.source_a,
            "16 May",
            r.source_b,
            "15 May",
            claim_a=r.claim_a,
            claim_b=r.claim_b,
        )
        for r in rows
    ]
    [q] = problems(swapped, CLUSTER)
    assert (q.value, q.outlets) == ("15 May", ("ludlow-advertiser", "shropshire-star"))


def test_two_versions_that_differ_are_tied_and_say_nothing_more() -> None:
    [p] = problems([row("number_conflict", "bbc", "312", "itv", "321")])
    assert p.basis == "tied" and p.value == "312"
    assert p.describe() == "itv: 321, where bbc says 312"


def test_a_reading_wins_a_tie_against_an_absence() -> None:
    rows = [
        row(
            "omission",
            "bbc",
            "absent",
            "itv",
            "carried by 2 of 2 sources",
            claim_b="itv:1",
            text_a="",
        )
    ]
    [p] = problems(rows)
    assert p.basis == "tied" and p.value == "carried by 2 of 2 sources"
    assert p.differing == (Reading("absent", ("bbc",), absent=True),)


def test_an_omission_is_carried_by_every_version_in_the_claims_cluster() -> None:
    lacking = "whitchurch-herald"
    rows = [
        row(
            "omission",
            "bbc",
            "carried by 3 of 4 sources",
            lacking,
            "absent",
            claim_a="bbc:1",
            text_b="",
            severity="low",
        )
    ]
    claims = (claim("bbc:1"), claim("hits-radio:1"), claim("shropshire-live:1"))
    clusters = dict.fromkeys((c.claim_id for c in claims), "c-9")
    [p] = problems(rows, clusters, claims)
    assert p.outlets == ("bbc", "hits-radio", "shropshire-live")
    assert p.differing == (Reading("absent", (lacking,), absent=True),)
    assert p.basis == "majority"
    assert p.describe() == (
        "whitchurch-herald: absent; bbc, hits-radio and shropshire-live: carried by 3 of 4 sources"
    )


def test_a_version_that_differs_twice_differs_in_what_it_says_most() -> None:
    # A speaker's title: the value shown depends on the pair, one version's most said wins.
    rows = [
        row("speaker_title", "bbc", "Chief Constable", "itv", "Deputy Chief Constable"),
        row("speaker_title", "bbc", "Chief Constable", "sky", "Deputy Chief Constable"),
        row("speaker_title", "bbc", "Constable", "star", "Deputy Chief Constable"),
    ]
    [p] = problems(rows)
    assert p.differing == (Reading("Chief Constable", ("bbc",)),)
    assert (p.value, p.outlets) == ("Deputy Chief Constable", ("itv", "sky", "star"))


# --- quotations: what the pair changed decides nothing, the rows do ----------------------


def test_a_quotation_altered_in_one_version_names_it_though_each_pair_shows_other_words() -> None:
    # bbc's quotation lost a comma and a word; the others differ from it in what each
    # also carries, so every row shows other words: the rows say who agrees.
    rows = [
        row(
            "quote_altered",
            "bbc",
            "reduce including",
            "hits-radio",
            "reduce, including",
            claim_a="bbc:7",
            claim_b="hits-radio:9",
            subject="Alex Murray",
            severity="low",
        ),
        row(
            "quote_altered",
            "bbc",
            "reduce including … crime",
            "shropshire-live",
            "reduce, including … crimes",
            claim_a="bbc:7",
            claim_b="shropshire-live:4",
            subject="Alex Murray",
            severity="low",
        ),
        row(
            "quote_altered",
            "bbc",
            "reduce including",
            "whitchurch-herald",
            "reduce, including",
            claim_a="bbc:7",
            claim_b="whitchurch-herald:2",
            subject="Alex Murray",
            severity="low",
        ),
    ]
    # The quotations are in no cluster: bbc's claim joins the rows.
    [p] = problems(rows)
    assert p.kind == "quote_altered" and p.basis == "majority"
    assert p.outlets == ("hits-radio", "shropshire-live", "whitchurch-herald")
    assert p.differing == (Reading("reduce including", ("bbc",)),)
    assert p.value == "reduce, including"


def test_two_quotations_of_one_speaker_changed_apart_are_two_problems() -> None:
    rows = [
        row("quote_altered", "bbc", "x", "itv", "y", claim_a="bbc:1", claim_b="itv:1"),
        row("quote_altered", "bbc", "p", "itv", "q", claim_a="bbc:2", claim_b="itv:2"),
    ]
    assert len(problems(rows)) == 2


def test_one_wrong_speaker_for_two_quotations_of_a_paragraph_is_one_problem() -> None:
    rows = [
        row(
            "quote_attribution",
            a,
            "Martin Achebe",
            "copy3",
            "Jane Bloggs",
            claim_a=f"{a}:{n}",
            claim_b=f"copy3:{n}",
            subject="Jane Bloggs / Martin Achebe",
        )
        for a in ("copy1", "copy2")
        for n in (1, 2)
    ]
    [p] = problems(rows, {c: f"c-{c[-1]}" for r in rows for c in (r.claim_a, r.claim_b)})
    assert (p.value, p.outlets) == ("Martin Achebe", ("copy1", "copy2"))
    assert p.differing == (Reading("Jane Bloggs", ("copy3",)),)


def test_the_same_grade_mentioned_a_different_number_of_times_is_told_by_the_rows() -> None:
    # Every version gives "good / inadequate"; one changed one of two mentions: the values
    # are alike, the rows set it apart.
    rows = [
        row("rating_conflict", a, "good / inadequate", "odd", "good / inadequate")
        for a in ("one", "two", "three")
    ]
    [p] = problems(rows)
    assert p.differing == (Reading("good / inadequate", ("odd",)),)
    assert p.outlets == ("one", "three", "two") and p.basis == "majority"


# --- a standard: the official wording, the repaired text -----------------------------------


def test_an_unofficial_grade_wording_differs_from_the_official_one_whatever_the_count() -> None:
    rows = [
        row(
            "rating_wording",
            "bbc",
            "requires improvement",
            source,
            "requiring improvement",
            severity="low",
            subject="Warwickshire",
            standard="requires improvement",
        )
        for source in ("hits-radio", "itv")
    ]
    [p] = problems(rows)
    assert p.basis == "standard" and (p.value, p.outlets) == ("requires improvement", ("bbc",))
    assert p.differing == (Reading("requiring improvement", ("hits-radio", "itv")),)
    assert p.describe() == (
        "hits-radio and itv: requiring improvement; expected: requires improvement, as bbc write"
    )


def test_a_finding_about_one_version_has_the_standard_alone() -> None:
    damaged = row(
        "encoding_damage",
        "hits-radio",
        "Ā£",
        "",
        "£",
        subject="encoding",
        standard="£",
        text_b="repaired",
    )
    own = row(
        "rating_wording",
        "bbc",
        "requiring improvement",
        "bbc",
        "requires improvement",
        subject="Warwickshire",
        standard="requires improvement",
    )
    by_kind = {p.kind: p for p in problems([damaged, own])}
    assert by_kind["encoding_damage"].outlets == ()
    assert by_kind["encoding_damage"].describe() == "hits-radio: Ā£; expected: £"
    assert by_kind["encoding_damage"].text == "repaired"
    # bbc writes both; the problem is its unofficial one.
    assert by_kind["rating_wording"].differing == (Reading("requiring improvement", ("bbc",)),)


# --- what a problem is made of ----------------------------------------------------------


def test_every_kind_of_the_registry_says_how_its_rows_name_a_slot() -> None:
    kinds = {k.name for d in DETECTORS for k in d.kinds}
    assert set(SLOTS) == kinds


def test_ids_come_from_the_rows_and_not_their_order() -> None:
    rows = star("number_conflict", "hits-radio", "321", "312")
    [p] = problems(rows, CLUSTER)
    [q] = problems(list(reversed(rows)), CLUSTER)
    assert p == q and p.id.startswith("p-") and len(p.id) == 14
    [r] = problems(rows[:2], CLUSTER)
    assert r.id != p.id


def test_problems_do_not_depend_on_the_order_of_the_rows(west_mercia: Path) -> None:
    result = check([west_mercia])
    rows = list(result.discrepancies)
    for seed in range(5):
        random.Random(seed).shuffle(rows)
        again = find_problems(
            rows, result.claims, result.graph.cluster_of, result.matching.story_of
        )
        assert again == result.problems


def test_lists_of_outlets() -> None:
    assert listed(["a"]) == "a"
    assert listed(["a", "b"]) == "a and b"
    assert listed(["a", "b", "c"]) == "a, b and c"
    assert listed(list("abcde")) == "a, b, c, d and e"
    assert listed(list("abcdefg")) == "a, b, c, d and 3 others"
    assert listed(["a", "b"], str.upper) == "A and B"


def test_a_value_with_nothing_in_it_is_shown_as_nothing() -> None:
    [p] = problems([row("quote_altered", "bbc", "", "itv", "on Tuesday")])
    assert p.describe() == "itv: on Tuesday, where bbc says (nothing)"


# --- the fixtures: the problems an editor should see ---------------------------------------


@pytest.fixture(scope="module")
def west_mercia_result() -> CheckResult:
    return check([FIXTURES / "west-mercia"])


def test_west_mercia_eleven_rows_are_nine_problems(west_mercia_result: CheckResult) -> None:
    found = west_mercia_result.problems
    assert len(west_mercia_result.discrepancies) == 11 and len(found) == 9
    assert sorted(i for p in found for i in p.discrepancies) == sorted(
        d.id for d in west_mercia_result.discrepancies
    )
    # bbc alone dropped the comma from Alex Murray's quotation that hits-radio and
    # shropshire-live carry: one row naming hits-radio's copy, one problem, bbc the odd one out.
    [quote] = [p for p in found if p.kind == "quote_altered"]
    assert len(quote.discrepancies) == 1 and quote.basis == "majority"
    assert quote.outlets == ("hits-radio", "shropshire-live")
    assert [r.sources for r in quote.differing] == [("bbc",)]
    # whitchurch-herald (and peel-2025, read into the story undated: README, Stories)
    # lack the crime figures the three others carry.
    [omitted] = [p for p in found if p.kind == "omission"]
    assert omitted.outlets == ("bbc", "hits-radio", "shropshire-live")
    assert omitted.differing == (
        Reading("absent", ("peel-2025", "whitchurch-herald"), absent=True),
    )
    # peel-2025 alone gives Andy Cooke a title the two others do not: one problem.
    [title] = [p for p in found if p.kind == "speaker_title"]
    assert title.outlets == ("bbc", "hits-radio") and len(title.discrepancies) == 2
    assert [r.sources for r in title.differing] == [("peel-2025",)]
    assert "10% decrease in robbery" in omitted.text
    # Against the official wording: bbc's two unofficial ones, and peel-2025's.
    wording = [p for p in found if p.kind == "rating_wording"]
    assert {(p.subject, p.differing[0].sources) for p in wording} == {
        ("Staffordshire Police", ("bbc",)),
        ("Warwickshire", ("bbc",)),
        ("West Mercia Police", ("peel-2025",)),
    }
    assert all(p.value == "requires improvement" and p.basis == "standard" for p in wording)


def test_formats_fixture_the_changed_figure_is_one_problem_against_four_versions() -> None:
    result = check([FIXTURES / "formats"])
    found = result.problems
    assert len(result.discrepancies) == 5 and len(found) == 5
    [quote] = [p for p in found if p.kind == "quote_altered"]
    assert quote.severity == "high" and quote.basis == "majority"
    assert quote.differing == (Reading("£1.2million", ("wyre-forest-courier",)),)
    assert quote.value == "£1million" and len(quote.outlets) == 4
    # One row, naming the three copies that print what hereford-bulletin prints.
    assert len(quote.discrepancies) == 1
    # Each omission names the one version lacking the claim, against five carrying it.
    for p in found:
        if p.kind == "omission":
            assert [len(r.sources) for r in p.differing] == [1] and p.differing[0].absent
            assert len(p.outlets) == 5


# --- problems.csv, the problem column, the summary -------------------------------------------


def test_problems_csv_and_the_problem_column(
    west_mercia_result: CheckResult, tmp_path: Path
) -> None:
    write_reports(west_mercia_result, tmp_path)
    table = pl.read_csv(tmp_path / "problems.csv")
    assert table.columns == list(report.PROBLEM_COLUMNS)
    assert table.height == len(west_mercia_result.problems)
    rows = pl.read_csv(tmp_path / "discrepancies.csv")
    assert rows.columns[-1] == "problem"
    # Each row points at the problem that lists it.
    listed_in = {
        i: p
        for p, ids in zip(table["problem"], table["discrepancies"], strict=True)
        for i in ids.split("; ")
    }
    assert dict(zip(rows["id"], rows["problem"], strict=True)) == listed_in
    quote = table.filter(pl.col("kind") == "quote_altered").row(0, named=True)
    assert quote["outlets"] == "hits-radio; shropshire-live"
    assert (quote["differing"], quote["differing_values"]) == ("bbc", "reduce including")
    assert quote["rows"] == 1 and quote["basis"] == "majority"
    assert quote["summary"] == (
        "bbc: reduce including, where hits-radio and shropshire-live say reduce, including"
    )
    omitted = table.filter(pl.col("kind") == "omission").row(0, named=True)
    assert (omitted["differing"], omitted["differing_values"]) == (
        "peel-2025; whitchurch-herald",
        "absent | absent",  # each outlet beside what it says
    )


def test_differing_values_line_up_with_the_differing_outlets(tmp_path: Path) -> None:
    rows = star("number_conflict", "hits-radio", "321", "312")
    rows += [row("number_conflict", "bbc", "312", "zed", "313", claim_a="bbc:1", claim_b="zed:1")]
    found = problems(rows, {**CLUSTER, "zed:1": "c-1"})
    frame = report.problems_frame(found)
    [p] = frame.to_dicts()
    # Most carried reading first, then by value: each outlet beside what it says.
    assert p["differing"] == "zed; hits-radio"
    assert p["differing_values"] == "313 | 321"


def test_the_summary_leads_with_the_problems(west_mercia_result: CheckResult) -> None:
    text = report.summary(
        west_mercia_result.discrepancies, 5, 197, 2, found=west_mercia_result.problems
    )
    lines = text.splitlines()
    assert lines[2] == "9 problems:"
    quote = next(line for line in lines if "quote_altered" in line)
    assert quote.split()[:4] == ["low", "quote_altered", "Alex", "Murray"]
    assert quote.endswith(
        "bbc: reduce including, where hits-radio and shropshire-live say reduce, including"
    )
    # The rows behind them follow.
    assert lines.index("worst:") > lines.index("9 problems:") + 8
    assert report.problem_lines(west_mercia_result.problems, shown=3)[-1] == (
        "  ... 6 more in problems.csv"
    )


def test_a_long_subject_is_cut_with_an_ellipsis_in_the_summary() -> None:
    rows = [row("number_conflict", "bbc", "1", "itv", "2", subject="A" * 50)]
    [line] = report.problem_lines(problems(rows))[2:]
    assert "A" * 29 + "…" in line and "A" * 31 not in line


def test_check_prints_problems_and_writes_them_in_every_format(
    west_mercia: Path, tmp_path: Path
) -> None:
    out = CliRunner().invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--format", "csv,json,parquet"]
    )
    assert out.exit_code == 0, out.output
    assert "9 problems:" in out.output
    assert out.output.index("9 problems:") < out.output.index("worst:")
    for fmt in ("csv", "json", "parquet"):
        assert (tmp_path / f"problems.{fmt}").stat().st_size > 0
    parquet = pl.read_parquet(tmp_path / "problems.parquet")
    assert parquet.schema["rows"] == pl.Int64 and parquet.height == 9


def test_copies_a_row_names_count_with_its_side() -> None:
    # A difference reported once (quotations), naming the copies that print one side's
    # words: those copies agree with that side, and are set apart from the other.
    once = dataclasses.replace(
        row("quote_altered", "bbc", "reduce including", "hits-radio", "reduce, including"),
        copies_b=("itv", "shropshire-live"),
    )
    [p] = problems([once])
    assert p.value == "reduce, including" and p.basis == "majority"
    assert p.outlets == ("hits-radio", "itv", "shropshire-live")
    assert [r.sources for r in p.differing] == [("bbc",)]
