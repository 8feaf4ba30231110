"""The cheap first tests of consistency/literals.py give the patterns' own answers: a
guarded pattern finds what the pattern finds, and `whole_words` what a word-bounded,
case-blind search finds."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import domain, extract, literals

# Characters the engine and str.lower fold differently, and others near the edge of a
# word: each must send a text to the pattern, never skip it wrongly.
ODD = ["ſ", "ı", "İ", "K", "Σ", "ς", "µ", "ﬅ", "_", "'", "’", "-", "“", "é", "É", "ß", "1"]


def _patterns() -> list[re.Pattern[str]]:
    guards = extract._guards()
    found = [
        guards.previous.pattern,
        guards.grading_cue.pattern,
        guards.graded_unnamed.pattern,
        guards.not_graded.pattern,
        guards.any_generic.pattern,
        *(g.pattern for g in guards.cues),
        *(g.pattern for _, g in guards.themes),
        *(g.pattern for _, g in guards.aspects),
    ]
    return found


PATTERNS = _patterns()


def _words() -> list[str]:
    """Words that make the patterns match: their needles, and pieces of them."""
    words: set[str] = set()
    for pattern in PATTERNS:
        for needle in literals.needles(pattern) or ():
            words.add(needle)
            words.update(needle.split())
    return sorted(words)


WORDS = _words()


def _cased(word: str, how: int) -> str:
    return (word, word.upper(), word.title(), word.swapcase())[how % 4]


TEXTS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(WORDS), st.integers(0, 3)).map(lambda w: _cased(*w)),
        st.sampled_from(ODD),
        st.text(alphabet="abcdefghijklmnorstuvwy ,.'’-2019ſıİKΣ", max_size=6),
    ),
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.integers(0, len(PATTERNS) - 1))
def test_a_guarded_pattern_finds_what_the_pattern_finds(text: str, which: int) -> None:
    pattern = PATTERNS[which]
    guarded = literals.Guarded(pattern)
    expected = pattern.search(text)
    got = guarded.search(text)
    assert (got and got.span()) == (expected and expected.span())
    assert guarded.findall(text) == pattern.findall(text)
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_every_guarded_pattern_has_needles() -> None:
    # Not needed for the answers (a pattern without needles is always searched), but a
    # change to the data that lost them would lose the speed unnoticed.
    assert all(literals.needles(p) for p in PATTERNS)


def test_needles_are_read_from_the_pattern() -> None:
    assert literals.needles(re.compile(r"\bgrad(e|ed)\b")) == ("grade", "graded")
    assert literals.needles(re.compile(r"\b(up|down) from\b", re.I)) == ("down from", "up from")
    assert literals.needles(re.compile(r"judg(e)?ments?", re.I)) == (
        "judgement",
        "judgements",
        "judgment",
        "judgments",
    )
    # Nothing literal every match must hold: no needles, every text searched.
    assert literals.needles(re.compile(r"\w+")) is None
    assert literals.needles(re.compile(r"a?b?")) is None
    assert literals.needles(re.compile(r"cat|\d")) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Issues at West Mercia were found", "west mercia"),
        ("west mercia's force", "west mercia"),
        ("northwest mercia", "west mercia"),
        ("WEST MERCIA_ x", "west mercia"),
        ("a (rocu) b", "(rocu)"),
        ("Kent Kent", "kent"),
        ("ſurrey surrey", "surrey"),
    ],
)
def test_whole_words_examples(text: str, phrase: str) -> None:
    expected = [m.span() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)]
    assert literals.whole_words(text, phrase) == expected


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab _-'’.(1ſıİKΣσς", max_size=24),
    st.text(alphabet="ab _-'.(1ſıs", min_size=1, max_size=4),
)
def test_whole_words_finds_what_the_word_bounded_search_finds(text: str, phrase: str) -> None:
    expected = [m.span() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)]
    assert literals.whole_words(text, phrase) == expected


def test_the_real_data_is_guarded_by_its_own_words() -> None:
    # A sentence with a cue is searched; one with none of its words is not.
    previous = extract._guards().previous
    assert previous.may_match("It was last inspected in 2019.")
    assert previous.search("It was last inspected in 2019.") is not None
    assert not previous.may_match("The sun shone on the harbour.")
    assert domain.scales().previous.search("The sun shone on the harbour.") is None


# ------------------------------------------------------------------ tables looked up by a match


def test_engine_lower_folds_as_a_case_blind_pattern_does() -> None:
    assert literals.engine_lower("ınadequate") == "inadequate"
    assert literals.engine_lower("requireſ improvement") == "requires improvement"
    assert literals.engine_lower("İn the last") == "in the last"
    assert literals.engine_lower("İn the last".lower()) == "in the last"  # str.lower's two
    assert literals.engine_lower("Good") == "good"


@pytest.mark.parametrize("word", ["ınadequate", "INADEQUATE", "İnadequate", "ınadequatE"])
def test_a_word_a_case_blind_pattern_matched_finds_its_entry(word: str) -> None:
    assert re.fullmatch("inadequate", word, re.IGNORECASE)  # what the engine matches
    table = literals.CaseBlindKeys({"inadequate": 3})
    assert table[word.lower()] == 3


def test_a_key_no_folding_finds_is_still_missing() -> None:
    with pytest.raises(KeyError):
        literals.CaseBlindKeys({"good": 1})["outstanding"]


@pytest.mark.parametrize(
    ("plain", "odd"),
    [("s", "ſ"), ("i", "ı"), ("I", "İ"), ("k", "\u212a")],
)
def test_letters_the_engine_folds_otherwise_are_read_as_their_letters(plain: str, odd: str) -> None:
    """A feed holding "ſ", "ı" or "İ" where the dictionaries have "s" or "i" (old
    print, Turkish names, mojibake) is read, not a KeyError: each table a case-blind
    pattern's match looks up is a `CaseBlindKeys`, and the figures, dates and grades
    read are those of the plain letters."""
    from pathlib import Path

    from consistency import check_articles, ingest, numbers

    text = "About 5 miles were covered In the last 12 months; it was rated inadequate."

    def read(found: list[Any]) -> list[dict[str, Any]]:  # what was read, not the words
        return [
            {k: v for k, v in dataclasses.asdict(f).items() if k not in ("text", "measure")}
            for f in found
        ]

    odd_text = text.replace(plain, odd)
    assert read(numbers.quantities(odd_text)) == read(numbers.quantities(text))
    assert read(numbers.dates(odd_text)) == read(numbers.dates(text))
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    articles = ingest.read_articles([fixtures / "west-mercia"])
    odd_feed = tuple(
        dataclasses.replace(a, body=a.body.replace(plain, odd)) if n % 2 else a
        for n, a in enumerate(articles)
    )
    assert check_articles(odd_feed).claims  # read through, every stage
