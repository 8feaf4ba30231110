"""Number facts across a story (detectors/facts.py): what a figure counts, read from the
words around it, and two versions' figures for one count compared wherever each says it."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from realdev import REAL_DEV, needs_real_dev

from consistency import ingest
from consistency.detectors.facts import Fact, Figure, comparable, figures, named_alike
from consistency.models import Article, Discrepancy, frozen_map
from consistency.numbers import both_possible, quantities, rounds_to
from consistency.pipeline import check_articles


def figure(text: str, written: str) -> Figure:
    found = [f for f in figures(text) if f.quantity.text == written]
    assert found, [f.quantity.text for f in figures(text)]
    return found[0]


# --- what a figure counts ------------------------------------------------------------


def test_a_figure_counts_the_words_of_its_own_clause_most() -> None:
    text = (
        "Nine people suffered life-threatening injuries and a total of 10 were taken to hospital."
    )
    nine, ten = figure(text, "Nine"), figure(text, "10")
    assert nine.measures == {"critical", "injured"}  # the critically hurt are injured too
    assert ten.measures == {"hospital"}
    assert ten.words["hospital"] > ten.words.get("critical", 0)


def test_counted_words_are_read_as_their_group() -> None:
    one = figure("At least 37 people were killed in the floods.", "At least 37")
    other = figure("The death toll rose to 43 on Saturday.", "43")
    assert one.measures == other.measures == {"dead"}


def test_a_part_counts_what_its_whole_counts() -> None:
    part = figure("The flood killed at least 37, including 14 children.", "14")
    assert part.part and part.measures == {"child", "dead"}


def test_others_are_not_the_total() -> None:
    text = "He admitted the attempted murder of eight other children."
    assert figure(text, "eight").other


def test_the_base_of_a_change_is_marked() -> None:
    text = "Food prices rose by 3.3% up from 2% in December."
    assert figure(text, "2%").base and not figure(text, "3.3%").base


def test_moments_and_places_are_read_from_the_part_of_the_sentence() -> None:
    text = (
        "There were 725,000 customers affected in the Republic and 283,000 in Northern "
        "Ireland at its peak."
    )
    republic, north = figure(text, "725,000"), figure(text, "283,000")
    assert republic.moments == north.moments == {"peak"}
    assert republic.names == {"republic"} and north.names == {"northern", "ireland"}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("A 32-year-old man was arrested.", "32"),
        ("The gust of 183km/h (114mph) was a record.", "114mph"),
        ("Liverpool won 6-3 at Tottenham.", "6"),
        ("Between 23 and 25 of the missing are campers.", "25"),
        ("Almost one-third of homes lost power.", "one"),
    ],
)
def test_not_a_count_of_its_own(text: str, written: str) -> None:
    assert written not in [f.quantity.text for f in figures(text)]


# --- which two figures count one thing -----------------------------------------------


def test_a_peak_and_a_count_at_no_stated_moment_are_two_counts() -> None:
    peak = figure("There were 283,000 customers without power at its peak.", "283,000")
    later = figure("There were 250,000 customers without power on Friday evening.", "250,000")
    assert not comparable(peak, later)


def test_injured_and_critically_injured_are_two_counts() -> None:
    injured = figure("Ten people were injured in the attack.", "Ten")
    critical = figure("Nine people suffered life-threatening injuries.", "Nine")
    assert not comparable(injured, critical)


def test_injured_and_not_seriously_injured_are_two_counts() -> None:
    injured = figure("Eleven people were injured in the attack.", "Eleven")
    minor = figure(
        "Ten people were taken to hospital, with one person sustaining non-life-threatening "
        "injuries.",
        "one",
    )
    assert minor.measures == {"minor", "injured"}
    assert not comparable(injured, minor)


def test_a_count_in_one_place_against_one_named_nowhere_is_not_high() -> None:
    # The place's count may be the part of the whole the other version gives.
    whole = figure("At least 72 people were killed by the earthquake.", "At least 72")
    part = figure("At least 12 people were killed in Medellin.", "At least 12")
    assert comparable(whole, part) and not named_alike(whole, part)


def test_two_places_are_two_counts() -> None:
    one = figure("There were 725,000 customers affected in the Republic.", "725,000")
    other = figure("There were 283,000 customers affected in Northern Ireland.", "283,000")
    assert not comparable(one, other)


def test_two_measurements_with_their_own_durations_are_two_counts() -> None:
    one = figure("The river rose 26 feet in 45 minutes.", "26 feet")
    other = figure("A gauge showed a rise of 22 feet in two hours.", "22 feet")
    assert not comparable(one, other)


def test_one_count_in_two_sentences() -> None:
    one = figure("A total of 10 people were taken to hospital.", "10")
    other = figure("Eleven people needed hospital treatment.", "Eleven")
    assert comparable(one, other)


# --- numbers: rounding and figures that can both be true -------------------------------


@pytest.mark.parametrize(
    ("coarse", "fine", "expected"),
    [
        ("280,000", "283,000", True),
        ("83%", "83.6%", True),
        ("600", "555", False),  # 8% off: another figure
        ("5%", "5.8%", False),
        ("283,000", "280,000", False),  # the precise one is not the rounding
    ],
)
def test_rounds_to(coarse: str, fine: str, expected: bool) -> None:
    (a,), (b,) = quantities(coarse), quantities(fine)
    assert rounds_to(a, b) is expected


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("more than 20 children", "more than 27 girls", True),
        ("at least 69 people", "at least 72 people", False),  # two precise tolls
        ("24 people", "37 people", False),
    ],
)
def test_both_possible(one: str, other: str, expected: bool) -> None:
    (a,), (b,) = quantities(one), quantities(other)
    assert both_possible(a, b) is expected


# --- end to end: two versions of one story -------------------------------------------

OPENING = (
    "A knife attack on a train near Huntingdon on Saturday evening left several passengers "
    "hurt, British Transport Police said, and two men were arrested at the station."
)
TRAIN = (
    "The train had left Doncaster for London King's Cross and was stopped at Huntingdon, "
    "where armed officers boarded it within minutes of the first call."
)
MINISTER = (
    "The Prime Minister said the attack was deeply concerning and thanked the emergency "
    "services for their response on the train at Huntingdon station."
)


def story(*paragraphs: str) -> str:
    return "\n\n".join(["Train stabbing near Huntingdon", OPENING, TRAIN, *paragraphs, MINISTER])


def number_rows(a: str, b: str, published: tuple[str, str] = ("", "")) -> list[Discrepancy]:
    articles = tuple(
        Article(source, f"{source}.txt", body, metadata=_published(stamp))
        for source, body, stamp in (("early", a, published[0]), ("late", b, published[1]))
    )
    result = check_articles(articles)
    assert len(set(result.matching.story_of.values())) == 1
    return [d for d in result.discrepancies if d.kind == "number_conflict"]


def _published(stamp: str) -> MappingProxyType[str, str]:
    return frozen_map({"published": stamp} if stamp else None)


def test_one_casualty_count_given_two_ways_in_unmatched_sentences_is_high() -> None:
    """Both name one measure (taken to hospital / hospital treatment) and both figures
    are exact: one slot of one measure, whatever sentence each stands in."""
    early = story("A total of 10 people were taken to hospital; no deaths were reported.")
    late = story("Police confirmed on Sunday that eleven people needed hospital treatment.")
    (row,) = number_rows(early, late, ("2025-11-01T21:00:00Z", "2025-11-02T10:00:00Z"))
    assert row.severity == "high"
    assert "the measure named alike" in row.explanation
    assert (row.value_a, row.value_b) == (
        "10 people were taken to hospital",
        "eleven people needed hospital treatment",
    )
    assert "early (published 2025-11-01 21:00)" in row.explanation
    assert "early's copy is the older" in row.explanation


def test_a_version_that_also_gives_the_other_figure_is_no_row() -> None:
    early = story("A total of 10 people were taken to hospital; no deaths were reported.")
    late = story(
        "Originally it was reported that 10 people were taken to hospital.",
        "Police confirmed on Sunday that eleven people needed hospital treatment.",
    )
    assert number_rows(early, late) == []


def test_a_peak_against_a_later_count_is_no_row() -> None:
    early = story("About 283,000 homes in the county were left without power at its peak.")
    late = story("Some 250,000 homes in the county were without power by Friday evening.")
    assert number_rows(early, late) == []


def test_two_different_counts_are_no_row() -> None:
    early = story("Ten people were injured, officers said at a briefing on Sunday.")
    late = story("Nine people suffered life-threatening injuries in the attack, police said.")
    assert number_rows(early, late) == []


# --- golden: real versions -----------------------------------------------------------


@needs_real_dev
def test_real_hospital_counts_of_two_takes() -> None:
    """Huntingdon stabbing: a Saturday copy ("A total of 10 people were taken to
    hospital") against the BBC's Sunday update ("Eleven people needed hospital
    treatment"): two sentences the matcher does not pair, one count."""
    folder = REAL_DEV / "wire-uk-huntingdon-train-stabbing-2025-11"
    paths = [folder / "learn-common-law.txt", folder / "bbc-news.txt"]
    if not all(p.is_file() for p in paths):
        pytest.skip("versions absent")
    result = check_articles(tuple(ingest.read_articles(paths)))
    rows = [d for d in result.discrepancies if d.kind == "number_conflict"]
    assert any("10" in d.value_a + d.value_b and "Eleven" in d.value_a + d.value_b for d in rows), [
        (d.value_a, d.value_b) for d in rows
    ]
    # High outside a matched claim only where both name the measure alike.
    assert all(d.severity != "high" or d.cluster or "named alike" in d.explanation for d in rows)


@needs_real_dev
def test_real_peak_is_not_a_later_count() -> None:
    """Storm Éowyn: the Independent's 283,000 Northern Ireland customers "at its peak"
    against the Irish News' 250,000 on Friday evening (a trap)."""
    folder = REAL_DEV / "wire-pa-storm-eowyn-donegal-death-2025-01"
    paths = [folder / "the-independent.txt", folder / "irish-news.txt"]
    if not all(p.is_file() for p in paths):
        pytest.skip("versions absent")
    result = check_articles(tuple(ingest.read_articles(paths)))
    values = {
        (d.value_a, d.value_b)
        for d in result.discrepancies
        if d.kind == "number_conflict" and d.severity != "low"
    }
    assert not any("283,000" in a + b and "250,000" in a + b for a, b in values)


# --- which measure a figure gives: its measured phrase ---------------------------------


def test_the_measured_phrase_names_the_measure() -> None:
    services = figure("The inflation rate for services rose by 5.8% up from 5.4%.", "5.8%")
    core = figure("The closely watched core inflation measure rose to 3.7%.", "3.7%")
    interest = figure("The Bank brought the interest rates down to 4.5% last month.", "4.5%")
    assert services.qualifiers == {"inflation", "service"}
    assert core.qualifiers == {"core", "measure"}  # "closely watched" says not which
    assert interest.qualifiers == {"interest"}


def test_two_measures_named_by_their_qualifiers_are_two_counts() -> None:
    services = figure("The inflation rate for services rose by 5.8% up from 5.4%.", "5.4%")
    core = figure("The core inflation measure increased to 3.7%, up from 3.2%.", "3.2%")
    inflation = figure("The rate of inflation jumped to 3% last month.", "3%")
    interest = figure("The Bank brought the interest rates down to 4.5% last month.", "4.5%")
    assert not comparable(services, core)
    assert not comparable(inflation, interest)


def test_one_measure_named_two_ways_is_one_count() -> None:
    one = figure("The closely watched inflation rate for services rose by 5.8%.", "5.8%")
    other = figure("Services inflation, impacted by rising wages, rose to 5%.", "5%")
    food = figure("Inflation on food and drink products quickened to 3.1%.", "3.1%")
    prices = figure("Food and non-alcoholic beverage prices rose by 3.3%.", "3.3%")
    assert comparable(one, other) and named_alike(one, other)
    assert comparable(food, prices) and named_alike(food, prices)


def test_a_clause_that_names_nothing_speaks_of_the_sentence_subject() -> None:
    text = "Core inflation, which strips out food and energy, rose by 4.6% up from 4.2%."
    level = figure(text, "4.6%")
    assert {"core", "inflation"} <= level.core
    assert level.words["core"] >= 0.5


def test_a_figure_that_met_a_forecast_is_no_projection() -> None:
    met = figure("Core inflation increased as expected to 3.7%.", "3.7%")
    forecast = figure("Inflation is expected to rise to 2.8% this year.", "2.8%")
    assert "projection" not in met.moments
    assert "projection" in forecast.moments


def test_a_future_need_is_a_projection() -> None:
    text = "More than 110,000 people affected by the quake will need assistance."
    need = figure(text, "More than 110,000")
    affected = figure("More than 170,000 people were affected.", "More than 170,000")
    assert not comparable(need, affected)


def test_an_opening_time_phrase_dates_its_whole_sentence() -> None:
    text = "Just a few days ago, a fierce storm killed at least 37 people."
    earlier = figure(text, "at least 37")
    other = figure("A deadly storm killed at least 27 people last week.", "at least 27")
    assert "past" in earlier.moments
    assert comparable(earlier, other)


def test_a_rate_is_not_a_total() -> None:
    daily = figure("The RSPCA investigated 400 allegations of cruelty every day.", "400")
    total = figure("The RSPCA investigated 149,604 complaints last year.", "149,604")
    yearly = figure("Calls rose to 1.15 million a year ago.", "1.15 million")
    assert daily.rate == "day" and total.rate == "" and yearly.rate == ""
    assert not comparable(daily, total)


def test_a_change_in_per_cent_is_no_count_of_others() -> None:
    assert not figure("Groceries are 3.3% more expensive than last year.", "3.3%").other
    assert figure("Police found eight more children.", "eight").other


def test_cosine_with_sums_of_squares_given_is_the_cosine() -> None:
    from consistency.detectors.facts import _cosine, _squares

    a, b = {"dead": 1.0, "quake": 0.5}, {"dead": 0.8, "rescue": 0.3, "quake": 0.2}
    dot = 1.0 * 0.8 + 0.5 * 0.2
    expected = dot / (sum(w * w for w in a.values()) * sum(w * w for w in b.values())) ** 0.5
    assert _cosine(a, b, _squares(a), _squares(b)) == pytest.approx(expected)
    assert _cosine(a, b, _squares(a), _squares(b)) == _cosine(b, a, _squares(b), _squares(a))
    assert _cosine(a, {"rescue": 1.0}, _squares(a), 1.0) == 0.0


# --- shortcuts that give the slow reading's answer ----------------------------------

_PIECES = st.sampled_from(
    [
        "12", "ten", "Eleven", "a third", "£3m", "4%", "10 people", "were killed", "died",
        "injured", "in Kent", "in the Republic", "at its peak", "still", "initially",
        "on 14 May 2024", "in 2023", "including", "children", "hospital", "dead", "up from",
        "2%", "every day", "services inflation", "the rate for food", "and", "while", ",",
        ".", ";", "—", "Police", "said", "someone", "arrested", "fighting for their lives",
        "non-life-threatening", "victims’", "girl's", "32-year-old", "6-3", "ſ", "\u212a",
    ]
)  # fmt: skip
_SENTENCES = st.lists(_PIECES, max_size=14).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_SENTENCES)
def test_figures_read_with_shortcuts_are_the_full_reading(text: str) -> None:
    """A text with no quantity, or none that counts, is not read word by word: the full
    reading (`_figures_of` on all its parts) finds no figure in it either."""
    from consistency.detectors.facts import _counted, _figures_of, _Parts
    from consistency.numbers import dates

    found_dates = dates(text)
    slow = _figures_of(text, _Parts(text, found_dates, _counted(text, found_dates)))
    assert figures(text) == slow
    assert [list(f.words.items()) for f in figures(text)] == [list(f.words.items()) for f in slow]


def _old_fold(word: str) -> str:
    word = re.sub("[‐‑‒–]", "-", word.lower()).replace("’", "'")
    word = re.sub(r"'s?$", "", word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_WORDS = st.one_of(
    st.text(alphabet="aeiklsyADT'’‐–-\x00", max_size=12),
    st.sampled_from(["victims’", "girl's", "injuries", "deaths", "Injured", "May", "the"]),
)


@given(_WORDS)
def test_a_word_is_read_as_before(written: str) -> None:
    """`_fold` takes a possessive off only where there is an apostrophe; `_word_entry`
    is what the reading of a figure's words did for each word, worked out once."""
    from consistency import domain
    from consistency.detectors.facts import _fold, _key, _vocabulary, _word_entry

    assert _fold(written) == _old_fold(written)
    vocabulary = _vocabulary()
    word = written.replace("\x00", "")
    folded, key = _key(word)
    lower = word.lower()
    dropped = (
        lower in domain.wording().function_words
        or key in vocabulary.neutral
        or folded in vocabulary.neutral
        or len(key) < 2
        or lower in vocabulary.calendar
    )
    expected = None if dropped else (key, word[:1].isupper(), lower.endswith(("ly", "ed", "ing")))
    assert _word_entry(written) == expected


def _old_similar(facts: list[Fact], versions: set[frozenset[str]]) -> dict[tuple[int, int], float]:
    """The pairs and scores as `_story_conflicts` worked them out before `_similar`."""
    import math
    from collections import defaultdict
    from itertools import combinations

    from consistency.detectors import facts as module

    vocabulary = module._vocabulary()
    idf = module._weights(facts)
    rare = math.log(1 + len(facts))
    vectors = [module._vector(f.figure, idf, rare) for f in facts]
    squares = [module._squares(v) for v in vectors]
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for key in f.figure.core:
            index[key].append(i)
    similar: dict[tuple[int, int], float] = {}
    for key in sorted(index):
        members = index[key]
        if len(members) > module.MAX_WORD_FACTS:
            continue
        for i, j in combinations(members, 2):
            if (i, j) in similar or facts[i].source == facts[j].source:
                continue
            if frozenset((facts[i].source, facts[j].source)) not in versions:
                continue
            a, b = facts[i].figure, facts[j].figure
            if a.quantity.unit != b.quantity.unit or a.measures != b.measures or a.base != b.base:
                continue
            score = module._cosine(vectors[i], vectors[j], squares[i], squares[j])
            if a.measures - vocabulary.loose_measures:
                score = min(1.0, score * module.MIN_SIMILARITY / module.MIN_SIMILARITY_MEASURED)
            if module._qualifier_share(a, b) >= module.SHARED_QUALIFIERS:
                score = max(score, module.MIN_SIMILARITY)
            similar[(i, j)] = score
    return similar


_STORY_TEXTS = st.sampled_from(
    [
        "Nine people suffered life-threatening injuries and a total of 10 were taken to hospital.",
        "Eleven people needed hospital treatment, police said.",
        "At least 37 people died, including 14 children, in Kent.",
        "The death toll rose to 43 at its peak, up from 37.",
        "Services inflation rose to 5% while core inflation rose by 4.6%.",
        "Inflation on food and drink products rose by 3.3%, up from 2%.",
        "Some 725,000 homes in the Republic and 283,000 in Northern Ireland lost power.",
        "Police said 400 allegations of animal cruelty were made every day.",
        "Two men, aged 32 and 45, were arrested.",
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), _STORY_TEXTS), min_size=2, max_size=16),
    st.sets(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=8),
    st.integers(1, 6),
)
def test_pairs_of_figures_are_scored_as_pair_by_pair(
    claims: list[tuple[int, str]], linked: set[tuple[int, int]], crowd: int
) -> None:
    """`_similar` scores each two distinct figures once and finds candidates per fact:
    the same pairs, and bit for bit the same scores, as every pair of facts sharing a
    word scored one by one."""
    from consistency.detectors import facts as module

    facts = [
        module.Fact(f"c{n}", f"s{source}", figure)
        for n, (source, text) in enumerate(claims)
        for figure in figures(text)
        if figure.words
    ]
    versions = {frozenset((f"s{a}", f"s{b}")) for a, b in linked}
    original = module.MAX_WORD_FACTS
    module.MAX_WORD_FACTS = crowd  # crowded words too, as a templated feed has
    try:
        assert module._similar(facts, module._partners(versions)) == _old_similar(facts, versions)
    finally:
        module.MAX_WORD_FACTS = original
