"""Unit tests for the syndication simulator itself (consistency.testing).

The simulator is how the property tests and bench/accuracy.py judge the checker,
so its own promises are tested here: benign edits change no fact, `prepare`
points claims at their text, `syndicate` is reproducible and records what it
did, and `explains`/`caught`/`false_alarms` judge rows as documented.
"""

from __future__ import annotations

import difflib
import gc
import os
import random
import re
import subprocess
import sys
import weakref
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis.strategies import SearchStrategy

from consistency import check_articles, clean, ingest
from consistency.models import Article, Discrepancy
from consistency.testing import (
    BENIGN_EDITS,
    KINDS,
    LOW_KINDS,
    Base,
    Change,
    Syndication,
    available_kinds,
    benign_copies,
    caught,
    explains,
    false_alarms,
    injected,
    majesty,
    mojibake,
    number_words,
    percent_style,
    prepare,
    quote_style,
    rewrite_headline,
    syndicate,
    syndications,
    wrap,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BBC = FIXTURES / "west-mercia" / "bbc.txt"
DEV = sorted((FIXTURES / "articles" / "dev").glob("*.txt"))
SEED = 0


@cache
def _article(path: Path) -> Article:
    (article,) = ingest.read_articles([path])
    return article


@cache
def _base(path: Path) -> Base:
    return prepare(_article(path))


def _bodies(story: Syndication) -> tuple[str, ...]:
    return tuple(a.body for a in story.articles)


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


# --- quote_style ---------------------------------------------------------------------


def test_quote_style_straightens_curly_quotes() -> None:
    text = "He said “it’s fine” and ‘only just’."
    assert quote_style(text) == "He said \"it's fine\" and 'only just'."


def test_quote_style_curls_straight_quotes() -> None:
    text = 'He said "it\'s fine" and \'only just\' ("yes").'
    assert quote_style(text) == "He said “it’s fine” and ‘only just’ (“yes”)."


def test_quote_style_apostrophes_inside_words_become_right_single_quotes() -> None:
    assert quote_style("The force's officers didn't say") == "The force’s officers didn’t say"


def test_quote_style_round_trips_directional_quotes() -> None:
    text = "“We weren’t told,” she said. ‘Never.’"
    assert quote_style(quote_style(text)) == text


def test_quote_style_leaves_text_without_quotes_alone() -> None:
    text = "No quotation marks here at all."
    assert quote_style(text) == text


# --- percent_style -------------------------------------------------------------------


def test_percent_style_spells_out_percent_signs() -> None:
    assert percent_style("up 10% to 12.5%") == "up 10 per cent to 12.5 per cent"


def test_percent_style_writes_per_cent_as_a_sign() -> None:
    assert percent_style("up 10 per cent to 12.5 per cent") == "up 10% to 12.5%"


def test_percent_style_needs_a_number_before_per_cent() -> None:
    text = "a large per cent of them; 100 per centum"
    assert percent_style(text) == text


# --- number_words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "words"),
    [
        ("There were 2 officers", "There were two officers"),
        ("3 forces and 12 teams", "three forces and twelve teams"),
        ("aged 7.", "aged seven."),
        ("found 11, not 4", "found eleven, not four"),
    ],
)
def test_number_words_counts_two_to_twelve_change(digits: str, words: str) -> None:
    assert number_words(digits, to_words=True) == words
    assert number_words(words, to_words=False) == digits


@pytest.mark.parametrize(
    "text",
    [
        "1 officer and 13 vans and 20 cars",  # outside two to twelve
        "on 1 January",
        "on 3 May",
        "on 12 March 2020",
        "on May 14",
        "by March 7",
        "in 2024",
        "£3m",
        "£5 and €7 and $9",
        "10%",
        "7 per cent",
        "at 10.30",
        "at 10:30",
        "at 5pm and 6am",
        "4P",
        "2.5 miles",
        "3,000 homes",
        "1/2",
        "9-5",
        "the A5 and M6",
    ],
)
def test_number_words_to_words_leaves_dates_money_and_times(text: str) -> None:
    assert number_words(text, to_words=True) == text


@pytest.mark.parametrize(
    "text",
    ["three May", "two-thirds", "one officer", "thirteen vans", "twenty people"],
)
def test_number_words_to_digits_leaves_dates_fractions_and_other_numbers(text: str) -> None:
    assert number_words(text, to_words=False) == text


def test_number_words_to_digits_keeps_case_insensitive_match() -> None:
    assert number_words("Three were hurt; TWO fled.", to_words=False) == "3 were hurt; 2 fled."


@pytest.mark.parametrize(
    "text", ["Crews rescued twenty-two people", "Crews rescued twenty two people"]
)
def test_number_words_leaves_compound_numbers_whole(text: str) -> None:
    assert number_words(text, to_words=False) == text


@pytest.mark.parametrize("text", ["at 3 pm and 7 a.m.", "at 3 PM and 7 A.M.", "by 4pm"])
def test_number_words_leaves_spaced_times(text: str) -> None:
    assert number_words(text, to_words=True) == text


def test_number_words_leaves_date_ranges() -> None:
    assert number_words("on 2 and 3 May", to_words=True) == "on 2 and 3 May"


# --- majesty -------------------------------------------------------------------------


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_majesty_abbreviates_his_majestys(apostrophe: str) -> None:
    text = f"His Majesty{apostrophe}s Inspectorate of Constabulary"
    assert majesty(text) == "HM Inspectorate of Constabulary"


def test_majesty_expands_hm() -> None:
    assert majesty("HM Inspectorate and HM Treasury") == (
        "His Majesty’s Inspectorate and His Majesty’s Treasury"
    )


def test_majesty_leaves_hm_inside_words() -> None:
    assert majesty("HMICFRS and HMRC") == "HMICFRS and HMRC"


# --- wrap ----------------------------------------------------------------------------


def test_wrap_keeps_paragraphs_and_words() -> None:
    paragraphs = [
        "West Mercia Police has been rated inadequate for its approach to serious and "
        "organised crime following an inspection of forces in the West Midlands.",
        "Short one.",
        "Inspectors said the unit and the forces needed better collaborative working, "
        "better planning, and tighter record-keeping across the whole region.",
    ]
    text = "\n\n".join(paragraphs)
    wrapped = wrap(text, 40)
    assert wrapped != text
    out = wrapped.split("\n\n")
    assert len(out) == len(paragraphs)
    for before, after in zip(paragraphs, out, strict=True):
        assert after.split() == before.split()
        assert all(len(line) <= 40 for line in after.split("\n"))


def test_wrap_does_not_break_long_words_or_hyphens() -> None:
    text = "a " + "x" * 30 + " well-led service"
    wrapped = wrap(text, 10)
    assert "x" * 30 in wrapped.split("\n")
    assert "well-led" in wrapped.split()


# --- mojibake and its repair ---------------------------------------------------------

SAMPLE = "It’s “fine” – café £3"


@pytest.mark.parametrize(
    ("code_page", "expected"),
    [
        ("cp1252", "Itâ€™s â€œfineâ€ â€“ cafÃ© Â£3"),  # 0x9D is undefined: dropped
        ("cp1257", "Itā€™s ā€fineā€¯ ā€“ cafĆ© Ā£3"),  # 0x9C is undefined: dropped
        ("latin-1", "Itâ\x80\x99s â\x80\x9cfineâ\x80\x9d â\x80\x93 cafÃ© Â£3"),
    ],
)
def test_mojibake_reads_utf8_through_a_code_page(code_page: str, expected: str) -> None:
    assert mojibake(SAMPLE, code_page) == expected


@pytest.mark.parametrize("code_page", ["cp1252", "cp1257", "latin-1"])
def test_mojibake_leaves_ascii_alone(code_page: str) -> None:
    assert mojibake("Plain 'ASCII' text, 10% of it.", code_page) == (
        "Plain 'ASCII' text, 10% of it."
    )


def _fixture_line(path: Path, contains: str) -> str:
    return next(line for line in path.read_text("utf-8").splitlines() if contains in line)


REPAIRABLE = [
    (BBC, "weren’t being involved"),
    (FIXTURES / "articles" / "dev" / "fenmarsh-police-investigations.txt", "uncomfortable"),
    (FIXTURES / "articles" / "dev" / "stowbridge-treasurer-jailed.txt", "utterly betrayed"),
]


@pytest.mark.parametrize("code_page", ["cp1252", "cp1257", "latin-1"])
@pytest.mark.parametrize(("path", "contains"), REPAIRABLE, ids=lambda v: getattr(v, "stem", v))
def test_clean_repairs_mojibake_of_a_fixture_paragraph(
    path: Path, contains: str, code_page: str
) -> None:
    text = _fixture_line(path, contains)
    damaged = mojibake(text, code_page)
    assert damaged != text

    def cleaned(body: str) -> list[str]:
        return [p.text for p in clean.clean_article(Article("x", "x.txt", body)).paragraphs]

    assert cleaned(damaged) == cleaned(text)


# --- rewrite_headline ----------------------------------------------------------------


def _in_order(words: list[str], text: str) -> bool:
    rest = iter(text.lower().split(" "))
    return all(any(w == t for t in rest) for w in words)


def test_rewrite_headline_keeps_every_word_in_order() -> None:
    headline = "Flaws exposed in police approach to organised crime by HM inspectors"
    words = headline.lower().split(" ")
    kinds = set()
    for seed in range(20):
        out = rewrite_headline(headline, random.Random(seed))
        assert out != headline
        assert _in_order(words, out), out
        kinds.add("kicker" if out.endswith(headline) else "title case")
    assert kinds == {"kicker", "title case"}


def test_rewrite_headline_title_case_leaves_small_words_and_capitals() -> None:
    headline = "council in the red after a £3m overspend on HMRC bills"
    outs = {rewrite_headline(headline, random.Random(seed)) for seed in range(20)}
    assert "Council in the Red After a £3m Overspend on HMRC Bills" in outs


# --- prepare -------------------------------------------------------------------------


def test_prepare_puts_the_headline_first() -> None:
    article = _article(BBC)
    base = _base(BBC)
    headline = clean.clean_article(article).headline
    assert headline == "Flaws exposed in police approach to organised crime"
    assert base.paragraphs[0] == headline
    assert base.paragraphs.count(headline) == 1
    assert base.source == article.source == "bbc"


def test_prepare_claims_point_at_their_text() -> None:
    base = _base(BBC)
    sentences = [c for c in base.claims if c.kind == "sentence"]
    assert len(sentences) > 20
    for claim in sentences:
        assert base.paragraphs[claim.paragraph][claim.start : claim.end] == claim.text
    assert all(c.source == base.source for c in base.claims)


def test_prepare_is_stable_under_its_own_output() -> None:
    base = _base(BBC)
    again = prepare(Article(base.source, "again.txt", "\n\n".join(base.paragraphs)))
    assert again.paragraphs == base.paragraphs


# --- syndicate -----------------------------------------------------------------------


def test_syndicate_same_seed_same_syndication() -> None:
    first = syndicate(_base(BBC), 11, injections=2)
    # A fresh Base: nothing may depend on what the caches saw before.
    second = syndicate(prepare(_article(BBC)), 11, injections=2)
    assert first == second
    assert first.changes == second.changes
    assert _bodies(first) == _bodies(second)
    assert syndicate(_base(BBC), random.Random(11), injections=2) == first


def test_syndicate_takes_an_article_as_well_as_a_base() -> None:
    assert syndicate(_article(BBC), 3, injections=1) == syndicate(_base(BBC), 3, injections=1)


def test_syndicate_different_seeds_differ() -> None:
    stories = [syndicate(_base(BBC), seed, injections=2) for seed in range(3)]
    assert len({_bodies(s) for s in stories}) == 3
    assert len({s.changes for s in stories}) == 3


@pytest.mark.parametrize("copies", [1, 3, 6])
def test_syndicate_makes_n_copies_with_unique_prefixed_sources(copies: int) -> None:
    story = syndicate(_base(BBC), SEED, copies=copies, prefix="wire-")
    assert len(story.copies) == copies
    sources = [a.source for a in story.articles]
    assert len(set(sources)) == copies + 1
    assert all(s.startswith("wire-") for s in sources)
    assert story.original.source == "wire-orig"
    assert story.articles == (story.original, *story.copies)
    assert [s for s, _ in story.edits] == sources
    assert all(a.metadata["outlet"] == a.source for a in story.articles)
    assert all(c.source in sources for c in story.changes)


def test_syndicate_default_prefix_is_the_base_source() -> None:
    story = syndicate(_base(BBC), SEED, copies=2)
    assert [a.source for a in story.articles] == ["bbc-orig", "bbc-copy1", "bbc-copy2"]


def test_syndicate_records_one_injected_number_conflict() -> None:
    story = syndicate(_base(BBC), 1, injections=["number_conflict"], benign=())
    (change,) = story.injections
    assert change.kind == "number_conflict"
    assert change.injected
    assert change.catches == frozenset({"number_conflict"})
    assert change.severity == "medium"
    assert change.before != change.after
    assert not _has_word(story.original.body, change.after)
    carrying = [a.source for a in story.copies if _has_word(a.body, change.after)]
    assert carrying == [change.source]


def test_syndicate_injection_touches_only_its_copy() -> None:
    story = syndicate(_base(BBC), SEED, injections=["claim_altered"], benign=())
    (change,) = story.injections
    for copy in story.copies:
        if copy.source == change.source:
            # One stretch of words differs, and it is the change (a short word such as
            # "some" may stand elsewhere in the article too).
            before, after = story.original.body.split(), copy.body.split()
            ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
            (changed,) = [op for op in ops if op[0] != "equal"]
            _, i1, i2, j1, j2 = changed
            assert change.before in " ".join(before[i1:i2])
            assert change.after in " ".join(after[j1:j2])
        else:
            assert copy.body == story.original.body


def test_syndicate_without_injections_records_none() -> None:
    story = syndicate(_base(BBC), SEED, injections=0)
    assert story.injections == ()
    assert all(not c.injected for c in story.changes)


def test_syndicate_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="no_such_kind"):
        syndicate(_base(BBC), SEED, injections=["number_conflict", "no_such_kind"])


def test_syndicate_without_benign_edits_copies_the_original() -> None:
    story = syndicate(_base(BBC), SEED, copies=3, benign=())
    assert story.original.body == "\n\n".join(_base(BBC).paragraphs)
    assert all(copy.body == story.original.body for copy in story.copies)
    assert all(names == () for _, names in story.edits)


def test_syndicate_records_what_benign_edits_do_on_the_side() -> None:
    story = syndicate(
        _base(BBC), SEED, copies=2, benign=("dropped paragraph", "furniture"), benign_rate=1.0
    )
    assert story.injections == ()
    for copy in story.copies:
        mine = [c for c in story.changes if c.source == copy.source]
        dropped = [c for c in mine if c.kind == "omission" and c.before]
        furniture = [c for c in mine if c.kind == "omission" and c.after]
        assert len(dropped) == 1
        assert dropped[0].before not in copy.body.split("\n\n")
        assert dropped[0].before in story.original.body.split("\n\n")
        assert 1 <= len(furniture) <= 3
        assert all(c.after in copy.body.split("\n\n") for c in furniture)
        assert all(not c.injected and c.severity == "low" for c in mine)


def test_syndicate_records_benign_mojibake_as_uninjected_encoding_damage() -> None:
    story = syndicate(_base(BBC), SEED, copies=2, benign=("mojibake",), benign_rate=1.0)
    for copy in story.copies:
        mine = [c for c in story.changes if c.source == copy.source]
        (change,) = [c for c in mine if c.kind == "encoding_damage"]
        assert change.catches == frozenset({"encoding_damage"})
        assert change.severity == "low"
        assert not change.injected
        assert copy.body != story.original.body


def test_syndicate_encoding_damage_survives_quote_style() -> None:
    story = syndicate(
        _base(BBC),
        SEED,
        copies=1,
        injections=["encoding_damage"],
        benign=("quote style",),
        benign_rate=1.0,
    )
    assert [c.kind for c in story.injections] == ["encoding_damage"]


def test_changed_claim_is_the_claim_as_the_copy_has_it() -> None:
    path = FIXTURES / "articles" / "dev" / "stowbridge-treasurer-jailed.txt"
    story = syndicate(_base(path), 2, injections=["number_conflict"], benign=())
    (change,) = story.injections
    copy = next(a for a in story.copies if a.source == change.source)
    assert change.changed_claim in copy.body


def test_changed_claim_of_an_inserted_not() -> None:
    story = syndicate(_base(BBC), SEED, injections=["polarity_conflict"], benign=())
    (change,) = story.injections
    assert change.before == ""
    copy = next(a for a in story.copies if a.source == change.source)
    assert change.changed_claim in copy.body


def test_available_kinds_of_a_fixture() -> None:
    kinds = available_kinds(_base(BBC))
    assert "encoding_damage" in kinds
    assert "quote_attribution" in kinds
    assert set(kinds) <= set(KINDS)
    assert list(kinds) == [k for k in KINDS if k in kinds]


# --- every available kind is caught ---------------------------------------------------

CATCH_BASES = [BBC, *DEV]

# (source, kind) -> why the checker does not catch its single injection at SEED: a
# known miss, marked strict xfail so that a fix shows. None at present.
MISSES: dict[tuple[str, str], str] = {}


def _catch_params() -> list[object]:
    params: list[object] = []
    for path in CATCH_BASES:
        base = _base(path)
        for kind in available_kinds(base):
            reason = MISSES.get((base.source, kind))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(path, kind, id=f"{base.source}-{kind}", marks=marks))
    return params


@pytest.mark.parametrize(("path", "kind"), _catch_params())
def test_each_available_kind_is_caught(path: Path, kind: str) -> None:
    story = syndicate(_base(path), SEED, injections=[kind])
    assert [c.kind for c in story.injections] == [kind]
    (change,) = story.injections
    rows = check_articles(story.articles).discrepancies
    assert caught(change, rows), (change.before, change.after, [r.kind for r in rows])


# --- explains, caught, false_alarms ----------------------------------------------------

CLAIM = "Inspectors also assessed the partnership between the four forces in the region."
CHANGE = Change(
    "number_conflict",
    "s-copy2",
    "four",
    "seven",
    CLAIM,
    catches=frozenset({"number_conflict"}),
    also=frozenset({"omission"}),
)


def _row(
    kind: str = "number_conflict",
    severity: str = "medium",
    sources: tuple[str, str] = ("s-copy2", "s-orig"),
    values: tuple[str, str] = ("", ""),
    texts: tuple[str, str] = ("", ""),
    subject: str = "",
) -> Discrepancy:
    return Discrepancy(
        "D0001",
        kind,
        severity,  # type: ignore[arg-type]
        subject,
        *sources,
        *values,
        *texts,
        None,
        None,
        None,
        "C1",
        "",
    )


MATCHING_TEXTS = (CLAIM.replace("four", "seven"), CLAIM)
UNRELATED = ("The weather was mild on Tuesday.", "Parking charges will rise in May.")


def test_explains_needs_the_right_kind() -> None:
    assert not explains(CHANGE, _row("date_conflict", texts=MATCHING_TEXTS))


def test_explains_needs_the_copy_among_the_sources() -> None:
    row = _row(sources=("s-copy1", "s-orig"), texts=MATCHING_TEXTS)
    assert not explains(CHANGE, row)
    assert explains(CHANGE, _row(sources=("s-orig", "s-copy2"), texts=MATCHING_TEXTS))


def test_explains_needs_the_changed_text() -> None:
    assert not explains(CHANGE, _row(texts=UNRELATED))
    assert not explains(CHANGE, _row(values=("4", "7"), texts=UNRELATED))


def test_explains_matching_text() -> None:
    assert explains(CHANGE, _row(texts=MATCHING_TEXTS))
    assert explains(CHANGE, _row(texts=(CLAIM, "")))


def test_explains_by_value_or_subject() -> None:
    assert explains(CHANGE, _row(values=("four", "seven"), texts=UNRELATED))
    named = Change(
        "name_variant",
        "s-copy2",
        "Ashcombe",
        "Northmoor",
        CLAIM,
        subject="Northmoor Fire and Rescue Service",
        catches=frozenset({"name_variant"}),
    )
    row = _row("name_variant", subject="Northmoor Fire and Rescue Service", texts=UNRELATED)
    assert explains(named, row)


def test_explains_any_row_of_the_kind_for_a_change_without_claim_or_subject() -> None:
    damage = Change("encoding_damage", "s-copy2", "", "", catches=frozenset({"encoding_damage"}))
    assert explains(damage, _row("encoding_damage", "low", sources=("s-copy2", "")))
    assert not explains(damage, _row("encoding_damage", "low", sources=("s-copy1", "")))


@pytest.mark.parametrize(
    ("severity", "expected"), [("high", True), ("medium", True), ("low", False)]
)
def test_caught_needs_the_changes_severity_or_above(severity: str, expected: bool) -> None:
    assert caught(CHANGE, [_row(severity=severity, texts=MATCHING_TEXTS)]) is expected


def test_caught_low_change_by_low_row() -> None:
    low = Change(
        "omission", "s-copy2", CLAIM, "", CLAIM, catches=frozenset({"omission"}), severity="low"
    )
    assert caught(low, [_row("omission", "low", texts=(CLAIM, ""))])


def test_also_kinds_explain_but_do_not_catch() -> None:
    row = _row("omission", "low", texts=MATCHING_TEXTS)
    assert explains(CHANGE, row)
    assert explains(CHANGE, row, side_effects=True)
    assert not explains(CHANGE, row, side_effects=False)
    assert not caught(CHANGE, [row])
    assert not caught(CHANGE, [_row("omission", "high", texts=MATCHING_TEXTS)])


def test_caught_needs_some_row() -> None:
    assert not caught(CHANGE, [])
    rows = [_row("date_conflict", texts=MATCHING_TEXTS), _row(texts=MATCHING_TEXTS)]
    assert caught(CHANGE, rows)


def test_false_alarms_are_rows_no_change_explains() -> None:
    original = Article("s-orig", "s-orig.txt", CLAIM)
    story = Syndication(original, (), (("s-orig", ()),), (CHANGE,))
    true_row = _row(texts=MATCHING_TEXTS)
    side_effect = _row("omission", "low", texts=MATCHING_TEXTS)
    unexplained = _row("date_conflict", texts=UNRELATED)
    low_of_low_kind = _row("encoding_damage", "low", sources=("s-copy1", ""))
    low_of_other_kind = _row("claim_altered", "low", texts=UNRELATED)
    rows = [true_row, side_effect, unexplained, low_of_low_kind, low_of_other_kind]
    assert "encoding_damage" in LOW_KINDS and "claim_altered" not in LOW_KINDS
    assert false_alarms(story, rows) == [unexplained, low_of_low_kind]


# --- hypothesis strategies -------------------------------------------------------------


def test_strategies_are_strategies() -> None:
    base = _base(BBC)
    for strategy in (syndications(base), benign_copies(base), injected(base, "date_conflict")):
        assert isinstance(strategy, SearchStrategy)
    assert isinstance(syndications(_article(BBC)), SearchStrategy)


@settings(max_examples=3, deadline=None)
@given(syndications(_base(BBC), copies=2, injections=1))
def test_syndications_draws_syndications(story: Syndication) -> None:
    assert isinstance(story, Syndication)
    assert len(story.copies) == 2
    assert len(story.injections) <= 1
    assert all(set(names) <= set(BENIGN_EDITS) for _, names in story.edits)


@settings(max_examples=3, deadline=None)
@given(benign_copies(_base(BBC), copies=2))
def test_benign_copies_inject_nothing(story: Syndication) -> None:
    assert len(story.copies) == 2
    assert story.injections == ()


@settings(max_examples=3, deadline=None)
@given(injected(_base(BBC), "date_conflict", copies=2))
def test_injected_injects_one_change_of_the_kind(story: Syndication) -> None:
    assert [c.kind for c in story.injections] == ["date_conflict"]
    assert story.injections[0].source in {a.source for a in story.copies}


def test_available_kinds_leave_out_encoding_damage_for_plain_ascii_text() -> None:
    article = Article(
        "plain",
        "plain.txt",
        "Plain headline for a test\n\nThe council met on Monday to agree a budget of 40 pounds.",
        1,
    )
    assert "encoding_damage" not in available_kinds(prepare(article))


def test_encoding_damage_injection_survives_any_benign_edits() -> None:
    for seed in range(5):
        story = syndicate(_base(BBC), seed, copies=2, injections=["encoding_damage"])
        assert [c.kind for c in story.injections] == ["encoding_damage"]


def test_encoding_damage_survives_when_one_apostrophe_is_all_there_is() -> None:
    # The article's only character beyond ASCII is the apostrophe of "His Majesty’s",
    # which the HM edit would remove, in a paragraph a dropped-paragraph edit could lose.
    article = Article(
        "inspection",
        "inspection.txt",
        "Inspectors report on the county force\n\n"
        "His Majesty’s Inspectorate of Constabulary visited the force in March this year.\n\n"
        "The report said the force had improved the way it answers emergency calls.\n\n"
        "The force will publish a plan for the coming year in the autumn.",
        1,
    )
    base = prepare(article)
    for seed in range(20):
        story = syndicate(
            base,
            seed,
            copies=2,
            injections=["encoding_damage"],
            benign=("HM", "dropped paragraph", "quote style"),
            benign_rate=1.0,
        )
        assert [c.kind for c in story.injections] == ["encoding_damage"], seed


# --- memory and optional dependencies ----------------------------------------------------


def test_a_base_and_its_check_result_are_freed_after_use() -> None:
    # What the simulator works out about a base (its sites, its grading scale) is kept
    # on the base, not in a module-level cache that would keep every base alive.
    base = prepare(_article(BBC))
    for kind in available_kinds(base):
        syndicate(base, SEED, copies=2, injections=[kind])
    syndicate(base, SEED, injections=3)
    assert base.memo
    refs = [weakref.ref(base), weakref.ref(base.result)]
    del base
    gc.collect()
    assert [ref() for ref in refs] == [None, None]


_NO_HYPOTHESIS = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Block())
from consistency.models import Article
from consistency.testing import prepare, syndicate

body = "A headline\\n\\nThe council agreed a budget of 40 pounds on Monday."
story = syndicate(prepare(Article("a", "a.txt", body)), 1, copies=2)
assert len(story.copies) == 2 and "hypothesis" not in sys.modules
for attempt in (
    "from consistency.testing import benign_copies",
    "import consistency.testing.strategies",
):
    try:
        exec(attempt)
    except ImportError as error:
        print(error)
    else:
        raise SystemExit(f"{attempt}: no ImportError")
"""


def test_the_simulator_works_without_hypothesis_but_its_strategies_say_what_to_install() -> None:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", _NO_HYPOTHESIS],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    messages = done.stdout.splitlines()
    assert len(messages) == 2
    assert all('pip install "consistency[simulate]"' in m for m in messages), messages
