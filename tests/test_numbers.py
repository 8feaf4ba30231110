"""Quantities and dates read from claim text (consistency.numbers).

Sentences are shaped like UK local news about police inspections.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency.numbers import (
    DateMention,
    Quantity,
    dates,
    judge,
    listed,
    number_value,
    quantities,
    vague_amount,
)


def only_quantity(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


def only_date(text: str) -> DateMention:
    found = dates(text)
    assert len(found) == 1, found
    return found[0]


def described(q: Quantity) -> tuple[float, str, str, str]:
    return (q.value, q.unit, q.thing, q.qualifier)


# --- quantities -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "thing", "qualifier"),
    [
        # digits
        ("Officers made 12 arrests during Operation Sentinel.", 12, "", "arrest", ""),
        ("The force has 1,200 officers and staff.", 1200, "", "officer", ""),
        ("Operation Sentinel led to 1,234 arrests across the region.", 1234, "", "arrest", ""),
        # number words
        ("Eleven people were charged with drug offences.", 11, "", "people", ""),
        ("Twenty-one officers were involved in the raids.", 21, "", "officer", ""),
        ("Twenty one officers were involved in the raids.", 21, "", "officer", ""),
        ("Three hundred officers were involved in the raids.", 300, "", "officer", ""),
        ("The force employs two thousand three hundred staff.", 2300, "", "staff", ""),
        ("A dozen officers attended the briefing.", 12, "", "officer", ""),
        # per cent
        ("There was a 10% decrease in burglaries.", 10, "%", "decrease", ""),
        ("There was a 10 per cent decrease in burglaries.", 10, "%", "decrease", ""),
        ("There was a 12 percent rise in knife crime.", 12, "%", "rise", ""),
        ("There was a ten per cent fall in knife crime.", 10, "%", "fall", ""),
        # currency with a magnitude
        ("The force spent £1million on the scheme.", 1_000_000, "GBP", "scheme", ""),
        ("The force spent £1m on the scheme.", 1_000_000, "GBP", "scheme", ""),
        ("The force spent £300,000 on the scheme.", 300_000, "GBP", "scheme", ""),
        ("The force spent £1.5 million on the scheme.", 1_500_000, "GBP", "scheme", ""),
        ("The force spent £1.5m on overtime.", 1_500_000, "GBP", "overtime", ""),
        ("The force spent £2.5bn on the scheme.", 2_500_000_000, "GBP", "scheme", ""),
        ("A £2m grant was awarded to the force.", 2_000_000, "GBP", "grant", ""),
        ("The scheme cost two million pounds.", 2_000_000, "GBP", "", ""),
        # hedges
        ("Almost 300 officers were absent.", 300, "", "officer", "almost"),
        ("Nearly 300 officers were absent.", 300, "", "officer", "almost"),
        ("The force has just under 2,000 officers.", 2000, "", "officer", "almost"),
        ("More than 300 officers were absent.", 300, "", "officer", "more than"),
        ("Over 200 officers attended the briefing.", 200, "", "officer", "more than"),
        (
            "The force spent in excess of £1m on overtime.",
            1_000_000,
            "GBP",
            "overtime",
            "more than",
        ),
        ("About 300 officers were absent.", 300, "", "officer", "about"),
        ("Around 40 officers took part.", 40, "", "officer", "about"),
        ("Some 40 officers took part.", 40, "", "officer", "about"),
        ("Fewer than 100 officers were trained.", 100, "", "officer", "less than"),
        ("At least 12 people were arrested.", 12, "", "people", "at least"),
        # fractions
        # A fraction is a share, compared with percentages.
        ("A third of forces were graded inadequate.", 33.33, "%", "force", ""),
        ("More than a third of analysts were absent.", 33.33, "%", "analyst", "more than"),
        ("Half of all crimes went unsolved.", 50, "%", "crime", ""),
        ("Two-thirds of victims were satisfied.", 66.67, "%", "victim", ""),
        ("One in five arrests led to a charge.", 20, "%", "arrest", ""),
    ],
)
def test_quantity(text: str, value: float, unit: str, thing: str, qualifier: str) -> None:
    q = only_quantity(text)
    assert q.value == pytest.approx(value)
    assert (q.unit, q.thing, q.qualifier) == (unit, thing, qualifier)
    assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Eleven people were charged.", "11 people were charged."),
        ("Twenty-one people were charged.", "21 people were charged."),
        ("Three hundred people were charged.", "300 people were charged."),
        ("Crime fell by 10 per cent last month.", "Crime fell by 10% last month."),
        ("Crime fell by ten per cent last month.", "Crime fell by 10% last month."),
        ("The force spent £1million on it.", "The force spent £1m on it."),
        ("The force spent £1.5 million on it.", "The force spent £1.5m on it."),
        ("The force spent £300,000 on it.", "The force spent £300k on it."),
        ("Nearly 300 officers were absent.", "Almost 300 officers were absent."),
        ("Over 300 officers were absent.", "More than 300 officers were absent."),
    ],
)
def test_same_quantity_written_two_ways(one: str, other: str) -> None:
    assert described(only_quantity(one)) == described(only_quantity(other))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("About 300 officers were absent.", "More than 300 officers were absent."),
        ("Almost 300 officers were absent.", "300 officers were absent."),
        ("Crime fell by 10% last month.", "Crime fell by 10 officers last month."),
        ("The force spent £1m on it.", "The force spent 1m on it."),
    ],
)
def test_different_hedge_or_unit_is_kept_apart(one: str, other: str) -> None:
    assert described(only_quantity(one)) != described(only_quantity(other))


def test_several_quantities_in_one_sentence() -> None:
    text = "The force has 2,000 officers and 1,200 staff, and spent £3m on overtime."
    assert [(q.value, q.unit, q.thing) for q in quantities(text)] == [
        (2000, "", "officer"),
        (1200, "", "staff"),
        (3_000_000, "GBP", "overtime"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "PC Smith was praised by inspectors.",
        "The COVID-19 pandemic put pressure on the force.",
        "The pandemic, Covid-19, put pressure on the force.",
        "Thousands of people attended the vigil.",
        "Tens of thousands of calls went unanswered.",
        "Hundreds of officers were deployed.",
        "Dozens of officers were deployed.",
        "The M5 was closed after the crash.",
        "The A49 was closed overnight.",
        "The West Midlands ROCU worked with the force.",
        "Under-18s were targeted by the gangs.",
        "Someone reported the crime to the force.",
        "Everyone at the force was interviewed.",
    ],
)
def test_not_a_quantity(text: str) -> None:
    assert quantities(text) == []


def test_hundred_and_fifty() -> None:
    q = only_quantity("One hundred and fifty officers took part.")
    assert (q.value, q.thing) == (150, "officer")


def test_no_one_is_not_a_count() -> None:
    assert quantities("No one was injured during the raids.") == []


@pytest.mark.parametrize(
    "text",
    ["The force's 2023-24 budget was £300m.", "The force's 2019/20 budget was £300m."],
)
def test_financial_year_is_not_a_quantity(text: str) -> None:
    assert [q.text for q in quantities(text)] == ["£300m"]


def test_emergency_number_is_not_a_count() -> None:
    text = "The force answered 90% of 999 calls within 10 seconds."
    assert [q.text for q in quantities(text)] == ["90%", "10"]


@pytest.mark.parametrize(
    "text", ["The man was fined £2000 for the offence.", "The man was fined 2000 pounds for it."]
)
def test_money_that_looks_like_a_year(text: str) -> None:
    assert dates(text) == []
    assert (only_quantity(text).value, only_quantity(text).unit) == (2000, "GBP")


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("Eleven", 11),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("three hundred", 300),
        ("two thousand three hundred", 2300),
        ("a hundred", 100),
        ("a million", 1_000_000),
        ("several", None),
    ],
)
def test_number_value(words: str, value: float | None) -> None:
    assert number_value(words) == value


def test_a_dozen_is_twelve() -> None:
    assert number_value("a dozen") == 12


@given(st.integers(min_value=1, max_value=999_999_999).filter(lambda n: not 1800 <= n <= 2099))
def test_digits_with_and_without_commas_agree(n: int) -> None:
    # Amounts that look like years are tested on their own, below.
    plain = only_quantity(f"The force spent £{n} on the scheme.")
    grouped = only_quantity(f"The force spent £{n:,} on the scheme.")
    assert plain.value == grouped.value == n
    assert plain.unit == grouped.unit == "GBP"


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["m", "million", " million"]))
def test_million_written_any_way(n: int, word: str) -> None:
    q = only_quantity(f"The force spent £{n}{word} on the scheme.")
    assert q.value == n * 1_000_000
    assert q.unit == "GBP"


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "written"),
    [
        ("The report was published on 14th May 2024.", "absolute", "2024-05-14", "14th May 2024"),
        ("The report was published on 14 May 2024.", "absolute", "2024-05-14", "14 May 2024"),
        ("It was published on the 14th of May 2024.", "absolute", "2024-05-14", "14th of May 2024"),
        ("The report was published on May 14, 2024.", "absolute", "2024-05-14", "May 14, 2024"),
        ("The report was published on 2024-05-14 online.", "absolute", "2024-05-14", "2024-05-14"),
        ("The report was published on 14/05/2024 online.", "absolute", "2024-05-14", "14/05/2024"),
        ("It came into force on 1 January this time.", "absolute", "????-01-01", "1 January"),
        ("The force was inspected in 2023 by HMICFRS.", "absolute", "2023-??-??", "2023"),
        ("Crime fell in the year to March 2024.", "absolute", "2024-03-??", "March 2024"),
        (
            "Eleven months on, the force has improved.",
            "relative",
            "after:334.8",
            "Eleven months on",
        ),
        ("A year on, the force has improved.", "relative", "after:365.2", "A year on"),
        ("Two years later it was removed.", "relative", "after:730.5", "Two years later"),
        ("The notice was issued six years ago.", "relative", "before:2191.5", "six years ago"),
        ("It was issued six years earlier.", "relative", "before:2191.5", "six years earlier"),
        (
            "In the last 12 months, it improved.",
            "relative",
            "within:365.3",
            "In the last 12 months",
        ),
        ("In the past year, it improved.", "relative", "within:365.2", "In the past year"),
        ("Last year the force was rated good.", "relative", "year:-1", "Last year"),
        ("The report was published yesterday.", "relative", "day:-1", "yesterday"),
    ],
)
def test_date(text: str, kind: str, value: str, written: str) -> None:
    d = only_date(text)
    assert (d.kind, d.value, d.text) == (kind, value, written)
    assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("published on 14th May 2024", "published on May 14, 2024"),
        ("published on 14 May 2024", "published on 2024-05-14"),
        ("issued six years ago", "issued six years earlier"),
        ("Eleven months on, it improved", "11 months on, it improved"),
    ],
)
def test_same_date_written_two_ways(one: str, other: str) -> None:
    assert only_date(one).value == only_date(other).value


def test_relative_dates_in_different_units_are_close() -> None:
    twelve_months = only_date("In the last 12 months, it improved.").value
    a_year = only_date("In the past year, it improved.").value
    assert twelve_months.split(":")[0] == a_year.split(":")[0] == "within"
    assert float(twelve_months.split(":")[1]) == pytest.approx(
        float(a_year.split(":")[1]), rel=0.01
    )


def test_months_on_and_ago_point_different_ways() -> None:
    assert only_date("Six months on, it improved.").value.startswith("after:")
    assert only_date("Six months ago, it improved.").value.startswith("before:")


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("On 14 May 2024, 12 people were arrested.", ["12"]),
        ("On 14 May, 12 people were arrested.", ["12"]),
        ("On May 14, 2024, 12 people were arrested.", ["12"]),
        ("In 2023, 12 people were arrested.", ["12"]),
        ("The report was published 2024-05-14.", []),
        ("Eleven months on, the force has improved.", []),
        ("In the last 12 months, 40 arrests were made.", ["40"]),
        ("The notice was issued six years ago.", []),
        ("Around 1,500 officers were deployed in 2024.", ["Around 1,500"]),
        ("Crime fell by 5.5% in the year to March 2024.", ["5.5%"]),
    ],
)
def test_numbers_inside_dates_are_not_quantities(text: str, left: list[str]) -> None:
    assert [q.text for q in quantities(text)] == left


def test_a_year_beside_a_money_amount_is_not_a_date() -> None:
    assert dates("The force spent £2024m on it.") == []
    assert dates("Crime fell by 2024 per cent.") == []


def test_not_a_date() -> None:
    assert dates("The force has 1,200 officers and made 40 arrests.") == []
    assert dates("Six months of work went into the plan.") == []


def test_day_range_is_not_a_quantity() -> None:
    assert quantities("The inspection ran from 1 to 14 May 2024.") == []


def test_date_text_leaves_the_full_stop() -> None:
    assert only_date("The report was published on 1 January.").text == "1 January"


# --- reading a number as an editor does ---------------------------------------------


def verdict(one: str, other: str) -> tuple[str, str]:
    judged = judge(only_quantity(one), only_quantity(other))
    return judged.verdict, judged.severity


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        # hedges that admit the figure agree
        ("More than 200 people were hurt.", "212 people were hurt.", ("agree", "")),
        ("Nearly 590 houses were wrecked.", "570 houses were wrecked.", ("agree", "")),
        ("About 240 people were rescued.", "237 people were rescued.", ("agree", "")),
        ("At least 72 people were killed.", "72 people were killed.", ("agree", "")),
        ("Nearly 300 officers were absent.", "Almost 300 officers were absent.", ("agree", "")),
        # a hedge added to one figure is a note; an inclusive bound is the count itself
        ("Nearly 600 houses were wrecked.", "600 houses were wrecked.", ("compatible", "low")),
        ("About 300 were absent.", "300 were absent.", ("compatible", "low")),
        ("More than 312 were arrested.", "312 were arrested.", ("compatible", "low")),
        # opposite bounds on one number: they touch (medium) or cannot meet (high)
        ("At least 30 people were hurt.", "Up to 30 people were hurt.", ("contradict", "medium")),
        ("Fewer than 300 were hurt.", "More than 300 were hurt.", ("contradict", "high")),
        ("Almost 300 were hurt.", "More than 300 were hurt.", ("contradict", "high")),
        # two roundings on one side do not contradict
        (
            "More than 1,000 jobs are at risk.",
            "More than 1,100 jobs are at risk.",
            ("compatible", "low"),
        ),
        ("More than 200 were injured.", "Nearly 300 were injured.", ("compatible", "low")),
        # one hedge on two figures: the hedge does not explain the change
        ("About 35 per cent.", "About 40 per cent.", ("contradict", "medium")),
        ("About £38,000 was lost.", "About £41,798 was lost.", ("contradict", "medium")),
        ("More than 300 were referred.", "More than 358 were referred.", ("contradict", "medium")),
        (
            "More than 30 shifts were short.",
            "More than 40 shifts were short.",
            ("contradict", "medium"),
        ),
        ("About 120,000 scans a year.", "About 131,070 scans a year.", ("contradict", "medium")),
        # hedged ranges that cannot overlap contradict
        ("Nearly 300 were injured.", "More than 360 were injured.", ("contradict", "high")),
        ("Calls rose by nearly 5%.", "Calls rose by nearly 4%.", ("contradict", "high")),
        ("It took nearly two years.", "It took nearly three years.", ("contradict", "high")),
        # a bound on a precise count is the count: a toll that moved
        (
            "At least 69 people were killed.",
            "At least 72 people were killed.",
            ("contradict", "high"),
        ),
        ("At least 13 people died.", "24 people died.", ("contradict", "high")),
        # rounding
        ("Council tax rises by 9.99%.", "Council tax rises by 10%.", ("compatible", "low")),
        ("There were 1.15million calls.", "There were 1,153,744 calls.", ("compatible", "low")),
        ("The force spent £1m on it.", "The force spent £1.5m on it.", ("contradict", "high")),
        ("The site employs 555 people.", "The site employs 600 people.", ("contradict", "high")),
        # shares in words against figures: never read with confidence
        ("Nearly a third tested positive.", "28% tested positive.", ("compatible", "low")),
        ("A third tested positive.", "33% tested positive.", ("agree", "")),
        ("Half tested positive.", "28% tested positive.", ("contradict", "medium")),
        # units: money with scale in every style, distances, lengths of time
        ("The £50 million investment.", "The 50M investment.", ("agree", "")),
        ("The £50 million investment.", "The GBP 50M investment.", ("agree", "")),
        ("It cost fifty million pounds.", "It cost £50m.", ("agree", "")),
        ("It was 5 kilometers deep.", "It was 3 miles deep.", ("agree", "")),
        ("It was 19 kilometres away.", "It was 12 miles away.", ("agree", "")),
        ("It was 19 kilometres away.", "It was 30 miles away.", ("contradict", "high")),
        ("They worked 1.5 hours each day.", "They worked 90 minutes each day.", ("agree", "")),
        ("It lasted 15 minutes.", "It lasted 12 minutes.", ("contradict", "high")),
        ("A rise of 0.5 per cent.", "A rise of 0.5 percentage points.", ("compatible", "low")),
        ("The 59,500m² centre.", "The 59,500 m² centre.", ("agree", "")),
        ("The 59,500m² centre.", "The 59,500m centre.", ("contradict", "medium")),
    ],
)
def test_judge(one: str, other: str, expected: tuple[str, str]) -> None:
    assert verdict(one, other) == expected
    assert verdict(other, one) == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("The call came at 7.39pm.", 1179),
        ("The call came at 19:39.", 1179),
        ("The call came at 7:39 p.m. that day.", 1179),
        ("The call came at 7:39 PM that day.", 1179),
        ("Police were called at 1939 GMT.", 1179),
        ("It happened at 11.45am.", 705),
        ("It happened at 11 45 a.m on the day.", 705),
        ("It happened at 11:45 a.m. on the day.", 705),
        ("It struck at 10 p.m. local time.", 1320),
        ("The storm woke them just after midnight.", 0),
    ],
)
def test_time_of_day_in_every_house_style(text: str, minutes: int) -> None:
    found = only_date(text)
    assert (found.kind, found.value) == ("time", f"time:{minutes}")
    assert quantities(text) == []  # the figures of a time are not counts


def test_hedged_time_keeps_its_hedge() -> None:
    found = only_date("Officers boarded at about 7.40pm.")
    assert (found.value, found.qualifier, found.text) == ("time:1180", "about", "about 7.40pm")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("A number of hospitals", (2, 1e12)),
        ("dozens of rescues", (24, 199)),
        ("Tens of thousands of homes", (20000, 199999)),
        ("several arrests", (3, 9)),
    ],
)
def test_vague_amount(text: str, span: tuple[float, float]) -> None:
    assert vague_amount(text) == span


def test_not_a_vague_amount() -> None:
    assert vague_amount("the remaining two") is None


def test_list_counts_its_items() -> None:
    assert listed("Kent, Essex and Surrey") == 3
    assert listed("Kent and Essex") == 2
    assert listed("the force said it would improve") == 0


def test_dates_are_a_fresh_list_each_call() -> None:
    # dates() is cached by text: a caller that edits its list must not edit the cache.
    text = "On 2 March 2023 at 11.45am, and again on Friday"
    first = dates(text)
    expected = list(first)
    first.clear()
    assert dates(text) == expected
    assert dates(text) is not dates(text)


# --- shortcuts that give the slow reading's answer ----------------------------------

_NUMBER_PIECES = st.sampled_from(
    [
        "12", "ten", "Eleven", "TWENTY-one", "a third", "half", "three-quarters", "a million",
        "£3m", "4%", "on 14 May 2024", "May 5", "in 2023", "about", "more than", "people",
        "often", "someone", "listen", "thousand", "ſ", "İ", "ı", "\u212a", "mileſ", "miles",
        "km", "٣", "’", "—", ",", ".", " ", "x", "Kent", "no one", "one of",
    ]
)  # fmt: skip


def _texts_of(pieces: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    """Texts of up to `most` pieces, spaced or run together, and any text at all."""
    return st.one_of(
        st.lists(pieces, max_size=most).map(" ".join),
        st.lists(pieces, max_size=most).map("".join),
        st.text(max_size=40),
    )


_TEXTS = _texts_of(_NUMBER_PIECES, 12)


@given(_TEXTS)
def test_a_text_without_a_digit_or_a_number_word_has_no_quantity(text: str) -> None:
    from consistency.numbers import _may_hold_quantity, _patterns, _read_quantities

    patterns = _patterns()
    assert _may_hold_quantity(text) == bool(patterns.may_quantity.search(text))
    if not patterns.may_quantity.search(text):
        assert not patterns.quantity.search(text)
        assert _read_quantities(text, None) == []


_DATE_PIECES = st.sampled_from(
    [
        "on Friday", "FRIDAY", "on", "last week", "this  week", "six months ago", "a year",
        "in the last", "years’", "fortnight", "decade", "Midnight", "noon", "midday",
        "11.45am", "14:30", "0930 GMT", "2 March", "March 2023", "2019-20", "1/2/2023",
        "yesterday", "today", "tomorrow", "May", "mayday", "Sept.", "in", "since", "2017",
        "ſ", "İ", "ı", "\u212a", "٣", "weekend", "daily", "Monday’s", "x", ",", " ",
    ]
)  # fmt: skip
_DATE_TEXTS = _texts_of(_DATE_PIECES, 10)


@given(_DATE_TEXTS)
def test_a_text_without_a_digit_or_a_date_word_has_no_date(text: str) -> None:
    from consistency.numbers import _dates, _may_hold_date, _patterns

    patterns = _patterns()
    assert _may_hold_date(text) == bool(patterns.may_date.search(text))
    if not patterns.may_date.search(text):
        assert not patterns.date.search(text)
        assert _dates.__wrapped__(text) == ()


def _digit_free_dates() -> list[str]:
    """A text for each digit-free way the data tables let a date be written."""
    from consistency import domain
    from consistency.numbers import reading

    cal = domain.calendar()
    texts = [f"it was {name} then" for name in [*reading().named_times, *cal.named]]
    texts += [f"seen on {day.capitalize()}." for day in cal.weekdays]
    for unit in cal.units:
        texts += [f"six {unit}s {word}" for word in cal.after_span]
        texts += [f"{word} {unit}" for word in cal.before_span]
        texts += [f"{word} three {unit.upper()}S" for word in cal.before_span]
    return texts


def test_each_digit_free_date_of_the_tables_passes_the_shortcut() -> None:
    from consistency import numbers

    texts = _digit_free_dates()
    read = numbers._dates.__wrapped__
    for text in texts:
        assert numbers._patterns().date.search(text), text
        assert numbers._may_hold_date(text), text
        assert read(text), text


def test_every_date_of_the_fixtures_is_found_past_the_shortcut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Real copy: each claim's dates are those read with every claim searched, and the
    # shortcut passes by most claims (those holding neither a digit nor a date word).
    from pathlib import Path

    from consistency import ingest, numbers, pipeline

    articles = ingest.read_feed([Path(__file__).parent.parent / "fixtures"]).articles
    texts = sorted({c.text for c in pipeline.read_articles(articles)[1]})
    read = numbers._dates.__wrapped__
    shortcut = [read(t) for t in texts]
    monkeypatch.setattr(numbers, "_may_hold_date", lambda text: True)
    assert shortcut == [read(t) for t in texts]
    assert sum(map(bool, shortcut)) > 100
    monkeypatch.undo()
    assert sum(map(numbers._may_hold_date, texts)) < 0.7 * len(texts)


def test_the_letters_beyond_ascii_that_match_ascii_letters_are_known() -> None:
    import sys

    from consistency.numbers import _FOLDS_TO_ASCII

    every = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    found = re.findall("[a-z]", every, re.IGNORECASE)
    assert sorted(found) == sorted(_FOLDS_TO_ASCII)


@given(_TEXTS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=6))
def test_quantities_read_once_are_those_read_with_the_spans_skipped(
    text: str, spans: list[tuple[int, int]]
) -> None:
    """`quantities` reads a text's quantities once and leaves out those in the spans
    afterwards: the same as reading the text with the spans skipped, errors included."""
    import bisect

    from consistency.numbers import _read_quantities

    skip = sorted((a, a + n) for a, n in spans)
    starts = [a for a, _ in skip]
    reach = list(itertools.accumulate((b for _, b in skip), max))

    def skipped(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)
        return bool(before) and reach[before - 1] > start

    def read(reader: Callable[[], list[Quantity]]) -> list[Quantity] | str:
        try:
            return reader()
        except Exception as error:
            return repr(error)

    assert read(lambda: quantities(text, skip)) == read(lambda: _read_quantities(text, skipped))
    dated = [(d.start, d.end) for d in dates(text)]
    assert read(lambda: quantities(text)) == read(lambda: quantities(text, dated))


def test_a_unit_with_a_letter_the_engine_folds_is_read_and_inside_a_date_skipped() -> None:
    # "ſ" is "s" to the case-blind pattern, and now to the measures table too (it was a
    # KeyError): see literals.CaseBlindKeys.
    assert quantities("May 5 mileſ") == []
    (found,) = quantities("about 5 mileſ on May 5")
    (plain,) = quantities("about 5 miles on May 5")
    assert (found.value, found.unit, found.qualifier) == (plain.value, plain.unit, "about")
