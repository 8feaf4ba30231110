"""Golden tests on the real seed articles: the right findings, and no false alarms."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import polars as pl
import pytest

from consistency import check, write_reports
from consistency.graph import ClaimGraph
from consistency.models import Article, Extraction, PersonMention, Quote
from consistency.pipeline import check_articles
from consistency.report import COVERAGE_COLUMNS
from consistency.results import CheckResult


@pytest.fixture(scope="module")
def result(west_mercia: Path) -> CheckResult:
    return check([west_mercia])


def rows(result: CheckResult, kind: str) -> list:
    return [d for d in result.discrepancies if d.kind == kind]


def pair(d) -> frozenset[str]:
    return frozenset({d.source_a, d.source_b})


def test_rocu_grade_status_between_hits_radio_and_bbc(result: CheckResult) -> None:
    found = [
        d
        for d in rows(result, "grade_status")
        if "ROCU" in d.subject and pair(d) == {"hits-radio", "bbc"}
    ]
    assert len(found) == 1
    d = found[0]
    values = {d.source_a: d.value_a, d.source_b: d.value_b}
    assert "no grade named" in values["hits-radio"]
    assert "adequate" in values["bbc"] and "not graded" in values["bbc"]
    # BBC's "not graded" is about the overall grade regions do not get, beside the
    # adequate it names; hits-radio withholds that grade. Not a contradiction.
    assert d.severity == "medium"


def test_requiring_improvement_is_a_wording_issue_not_a_conflict(result: CheckResult) -> None:
    wording = rows(result, "rating_wording")
    assert wording, "requiring improvement must be reported"
    assert all(
        d.value_a == "requiring improvement" and d.value_b == "requires improvement"
        for d in wording
    )
    assert all(d.severity == "low" for d in wording)
    assert {d.source_a for d in wording} == {"bbc", "peel-2025"}


def test_peel_without_dates_joins_the_organised_crime_story(result: CheckResult) -> None:
    # Two inspections of one force by one inspectorate, a year apart, with no
    # publication dates: their words cannot tell them apart (README: Stories, the
    # limit), and Andy Cooke's two titles are then one person's two titles.
    story = result.matching.story_of
    assert len(set(story.values())) == 1
    titles = {
        (pair(d), d.severity) for d in rows(result, "speaker_title") if d.subject == "Andy Cooke"
    }
    assert titles == {
        (frozenset({"bbc", "peel-2025"}), "medium"),
        (frozenset({"hits-radio", "peel-2025"}), "medium"),
    }


def test_andy_cookes_titles_in_two_dated_stories_are_not_compared(
    west_mercia_dated: Path,
) -> None:
    # Dated, the 2024 organised-crime story (bbc, hits-radio, ...) and the 2025 PEEL
    # story (peel-2025) are two stories, and a title is compared within its story,
    # as a person's post may change between two. The same two titles within one
    # story are a row (tests/test_people.py).
    dated = check([west_mercia_dated])
    story = dated.matching.story_of
    titled = {
        (story[p.source], p.title_key)
        for p in dated.extraction.people
        if p.name == "Andy Cooke" and p.title
    }
    assert story["peel-2025"] != story["bbc"] == story["hits-radio"]
    assert (
        len({story[s] for s in ("bbc", "hits-radio", "shropshire-live", "whitchurch-herald")}) == 1
    )
    assert titled == {
        (story["bbc"], "chief inspector of constabulary"),
        (story["peel-2025"], "inspector of constabulary"),
    }
    assert not [d for d in rows(dated, "speaker_title") if d.subject == "Andy Cooke"]
    # And the PEEL piece is not a version that left out the other story's claims.
    assert not [d for d in rows(dated, "omission") if "peel-2025" in pair(d)]


def test_encoding_damage_for_hits_radio_only(result: CheckResult) -> None:
    damage = rows(result, "encoding_damage")
    assert [d.source_a for d in damage] == ["hits-radio"]
    assert "ā€™" in damage[0].value_a and "’" in damage[0].value_b


def test_no_mojibake_left_after_cleaning(result: CheckResult) -> None:
    for claim in result.claims:
        assert not re.search("ā€|â€|Ā£|Â£", claim.text), claim


def test_no_rating_conflict_between_2023_soc_and_2025_peel_grades(result: CheckResult) -> None:
    # One story here (no dates), but the PEEL grades are of other aspects than the
    # organised-crime grade: nothing contradicts.
    assert rows(result, "rating_conflict") == []


def test_no_conflict_between_different_chief_constables(result: CheckResult) -> None:
    for d in result.discrepancies:
        assert "Richard Cooper" not in d.subject
        assert not ("Murray" in d.subject and d.kind in ("speaker_title", "name_variant"))


def test_twelve_and_eleven_months_are_not_a_conflict(result: CheckResult) -> None:
    for d in result.discrepancies:
        assert not ({"11", "12"} <= set(re.findall(r"\d+", d.value_a + " " + d.value_b)))


def test_shropshire_and_hits_radio_quotes_agree_after_repair(result: CheckResult) -> None:
    between = [
        d for d in rows(result, "quote_altered") if pair(d) == {"shropshire-live", "hits-radio"}
    ]
    assert all(d.severity == "low" for d in between)


def test_only_the_expected_serious_rows(result: CheckResult) -> None:
    serious = {
        (d.kind, d.severity, d.subject, pair(d))
        for d in result.discrepancies
        if d.severity in ("high", "medium")
    }
    assert serious == {
        ("grade_status", "medium", "West Midlands ROCU", frozenset({"bbc", "hits-radio"})),
        # Undated, the PEEL piece is read into the organised-crime story (README:
        # Stories, the limit), and Andy Cooke is HM Chief Inspector in both years.
        ("speaker_title", "medium", "Andy Cooke", frozenset({"bbc", "peel-2025"})),
        ("speaker_title", "medium", "Andy Cooke", frozenset({"hits-radio", "peel-2025"})),
    }


def test_performance_became_capabilities_is_a_paraphrase(result: CheckResult) -> None:
    # "raised the force's performance in relation to serious and organised crimes" /
    # "raised the force's capabilities in handling ...": who raised what, for which
    # crimes, stays; no number, name, negation, quantifier or modal changes. An editor
    # reads one claim in two wordings: low, not a change of meaning.
    [d] = rows(result, "claim_altered")
    assert d.severity == "low"


def test_performance_became_capabilities(result: CheckResult) -> None:
    [d] = rows(result, "claim_altered")
    assert (d.source_a, d.source_b) == ("shropshire-live", "whitchurch-herald")
    assert "performance" in d.value_a and "capabilities" in d.value_b
    assert "raised the force's performance" in d.text_a
    assert "raised the force's capabilities" in d.text_b


def test_the_one_version_without_murrays_crime_figures_is_an_omission(
    result: CheckResult,
) -> None:
    # Undated, the PEEL piece is a fifth version of the story that lacks them too.
    omitted = rows(result, "omission")
    assert [(d.source_a, d.value_a, d.source_b, d.value_b) for d in omitted] == [
        ("bbc", "carried by 3 of 5 sources", "peel-2025", "absent"),
        ("bbc", "carried by 3 of 5 sources", "whitchurch-herald", "absent"),
    ]
    assert "10% decrease in robbery" in omitted[0].text_a
    assert all(d.severity == "low" for d in omitted)


def test_no_number_date_polarity_or_name_rows(result: CheckResult) -> None:
    # The versions agree on every number, date and negation; "PCC" and "Police and
    # Crime Commissioner", "HMICFRS" and its full name are aliases, not variants.
    kinds = {d.kind for d in result.discrepancies}
    assert not kinds & {"number_conflict", "date_conflict", "polarity_conflict", "name_variant"}


BOILERPLATE = [
    "Advertisement",
    "12.5 C",
    "Whitchurch Herald:",
    "Published1",
    "First for all the latest",
    "Follow BBC",
    "Featured Articles",
    "Latest Articles",
    "Tuesday, March 18, 2025",
    "Author: Ben",
    "Last updated",
]


def test_no_boilerplate_in_claims_csv(result: CheckResult, tmp_path: Path) -> None:
    write_reports(result, tmp_path)
    claims = pl.read_csv(tmp_path / "claims.csv")
    assert claims.columns[:7] == [
        "claim_id",
        "source",
        "kind",
        "text",
        "line",
        "speaker",
        "cluster",
    ]
    for text in claims["text"]:
        assert not any(b in text for b in BOILERPLATE), text
        assert text.strip() != "Shropshire"


def test_claim_line_numbers_point_at_the_original_file(
    result: CheckResult, west_mercia: Path
) -> None:
    by_source = {a.source: a.body.split("\n") for a in result.articles}
    for claim in result.claims:
        if claim.kind in ("sentence", "heading", "rating_line", "headline"):
            original = by_source[claim.source][claim.line - 1]
            first_words = " ".join(claim.text.split()[:2]).strip("“”\"'")
            assert first_words[:4].lower() in original.lower() or "ā" in original, (claim, original)


def test_discrepancies_csv_contract(result: CheckResult, tmp_path: Path) -> None:
    write_reports(result, tmp_path)
    frame = pl.read_csv(tmp_path / "discrepancies.csv")
    assert frame.columns == [
        "id",
        "kind",
        "severity",
        "subject",
        "source_a",
        "source_b",
        "value_a",
        "value_b",
        "text_a",
        "text_b",
        "line_a",
        "line_b",
        "similarity",
        "cluster",
        "explanation",
        "status",
        "problem",
    ]
    assert frame["id"].n_unique() == frame.height
    # Every row belongs to one problem, written in problems.csv.
    problems = pl.read_csv(tmp_path / "problems.csv")
    assert set(frame["problem"]) == set(problems["problem"])


def test_reports_are_byte_identical_whatever_the_input_order(
    west_mercia: Path, tmp_path: Path
) -> None:
    files = sorted(west_mercia.iterdir())
    write_reports(check(files), tmp_path / "a", graph=True)
    write_reports(check(list(reversed(files))), tmp_path / "b", graph=True)
    names = ("discrepancies.csv", "problems.csv", "claims.csv", "coverage.csv", "graph.graphml")
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- a planted story: one change of each claim-level kind ----------------------------

PLANTED = """Kent Police praised for burglary work

Kent Police has been praised by inspectors for its work on burglary across the county this year.

The force made 312 arrests for burglary in the twelve months to March, inspectors found.

The inspection took place on 14 May 2024 and the report was published eleven months on.

Inspectors said the force has effective processes for supporting victims of burglary.

The work was led by Operation Sentinel, a countywide team set up to tackle burglary gangs.

Chief Constable Tim Smith said the force would keep its focus on burglary and its victims.
"""

PLANTED_EDITS = {
    "312 arrests": "321 arrests",
    "14 May 2024": "15 May 2024",
    "has effective processes": "does not have effective processes",
    "Operation Sentinel": "Operation Sentry",
    "would keep its focus": "could keep its focus",
    # Benign: number words, abbreviation, quote style.
    "twelve months": "12 months",
    "Chief Constable Tim Smith": "CC Tim Smith",
}


def test_planted_story_finds_each_change_and_nothing_else() -> None:
    copy = PLANTED
    for before, after in PLANTED_EDITS.items():
        copy = copy.replace(before, after)
    result = check_articles(
        (
            Article("kent-messenger", "kent-messenger.txt", PLANTED),
            Article("kent-online", "kent-online.txt", copy),
        )
    )
    found = {(d.kind, d.severity, d.subject, d.value_a, d.value_b) for d in result.discrepancies}
    assert found == {
        ("number_conflict", "high", "Kent Police", "312 arrests", "321 arrests"),
        ("date_conflict", "high", "Kent Police", "14 May 2024", "15 May 2024"),
        ("polarity_conflict", "high", "Kent Police", "has", "does not have"),
        (
            "name_variant",
            "medium",
            "Operation Sentinel / Operation Sentry",
            "Operation Sentinel",
            "Operation Sentry",
        ),
        ("claim_altered", "medium", "Kent Police", "would", "could"),
    }
    assert all(
        (d.source_a, d.source_b) == ("kent-messenger", "kent-online") for d in result.discrepancies
    )


def test_coverage_lists_carriers_for_sources_named_like_its_columns(tmp_path: Path) -> None:
    result = check_articles(
        (Article("text", "text.txt", PLANTED), Article("story", "story.txt", PLANTED))
    )
    write_reports(result, tmp_path)
    coverage = pl.read_csv(tmp_path / "coverage.csv")
    # The columns themselves are checked in test_changes; here, that no source name
    # ("text", "story") turns into a column any more.
    assert coverage.columns == list(COVERAGE_COLUMNS)
    assert (coverage["sources"] == 2).all()
    assert (coverage["missing_from"].fill_null("") == "").all()
    first = coverage["carried_by"][0].split("; ")
    assert [i.split(":")[0] for i in first] == ["story", "text"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_graphml_reads_back_as_the_networkx_graph(tmp_path: Path, west_mercia: Path) -> None:
    result = check([west_mercia])
    write_reports(result, tmp_path, graph=True)
    written = nx.read_graphml(tmp_path / "graph.graphml")
    graph = result.graph.graph
    assert dict(written.nodes(data=True)) == dict(graph.nodes(data=True))
    assert {frozenset((a, b)): d for a, b, d in written.edges(data=True)} == {
        frozenset((a, b)): d for a, b, d in graph.edges(data=True)
    }
    relations = {d["relation"] for _, _, d in written.edges(data=True)}
    assert relations == {"carries", "matches", "mentions", "quotes"}


def test_graphml_drops_characters_xml_cannot_carry(tmp_path: Path) -> None:
    text = PLANTED.replace("Kent Police", "Kent\x0bPolice", 1)
    result = check_articles((Article("a", "a.txt", text), Article("b", "b.txt", PLANTED)))
    write_reports(result, tmp_path, graph=True)
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() > 0


def test_graph_elements_merge_attributes_as_networkx_does() -> None:
    # A claim that names its speaker with a title and quotes them: one edge, whose
    # relation is the later one and which keeps the title, as add_edge would.
    mention = PersonMention("a:0001", "a", "Jo Bloggs", "jo bloggs", "Chief Constable", "cc")
    quote = Quote("a:0001", "a", "We will do better.", "Jo Bloggs", "jo bloggs")
    empty: MappingProxyType[str, str] = MappingProxyType({})
    people = Extraction(people=(mention,), quotes=(quote,))
    graph = ClaimGraph(empty, empty, empty, empty, extraction=people)
    expected = nx.Graph()
    ends = ("claim:a:0001", "person:jo bloggs")
    expected.add_edge(*ends, relation="mentions", title="Chief Constable")
    expected.add_edge(*ends, relation="quotes")
    assert graph.elements()[1] == {ends: {"relation": "quotes", "title": "Chief Constable"}}
    assert [(frozenset((a, b)), d) for a, b, d in graph.graph.edges(data=True)] == [
        (frozenset((a, b)), d) for a, b, d in expected.edges(data=True)
    ]
