"""The domain tables' compiled patterns."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from consistency import domain

# Few letters, so that phrases share prefixes and texts hit them often.
_PHRASES = st.lists(st.text("abAB ", min_size=1, max_size=6), min_size=1, max_size=12)
_TEXT = st.text("abAB .", max_size=40)


def _longest_first(phrases: list[str]) -> str:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _spans(pattern: str, text: str, flags: int) -> list[tuple[int, int]]:
    # The phrases inside a larger pattern, as they are used: the boundary after them
    # makes the engine backtrack into shorter phrases.
    return [m.span() for m in re.finditer(rf"(?:{pattern})(?![ab])", text, flags)]


@given(_PHRASES, _TEXT)
def test_trie_alternation_matches_as_a_longest_first_list_does(
    phrases: list[str], text: str
) -> None:
    expected = _spans(_longest_first(phrases), text, 0)
    assert _spans(domain.alternation(phrases), text, 0) == expected


@given(_PHRASES, _TEXT)
def test_trie_alternation_ignoring_case_matches_as_the_list_does(
    phrases: list[str], text: str
) -> None:
    expected = _spans(_longest_first(phrases), text, re.IGNORECASE)
    assert _spans(domain.alternation(phrases, ignore_case=True), text, re.IGNORECASE) == expected


def test_trie_alternation_factors_shared_prefixes() -> None:
    pattern = domain.alternation(["Chief Constable", "Chief Inspector", "Chief"])
    assert pattern == r"Chief(?:\s+(?:Constable|Inspector))?"
