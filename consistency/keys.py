"""The normalised keys that several stages compare by: a title, an organisation, a
person's name, a text as matching sees it.

Reading makes them, and matching and the detectors compare them; they live here so
that no later stage imports an earlier one's internals to get them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from . import domain

_APOSTROPHE = re.compile("[’‘`´]")


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """A title as compared: abbreviations spelled out, honorifics dropped, lower case.

    "HM Chief Inspector of Constabulary" -> "chief inspector of constabulary".
    """
    text = _APOSTROPHE.sub("'", title).strip(" .,")
    for pattern, long in domain.titles().abbreviations:
        text = pattern.sub(long, text)
    text = re.sub(r"\s+", " ", text).lower()
    for honorific in domain.titles().honorifics:
        if text.startswith(honorific + " "):
            text = text[len(honorific) + 1 :]
    return text


@lru_cache(maxsize=65536)
def is_title(text: str) -> bool:
    """Whether text is a title and nothing else: "HM Inspector of Constabulary", "the PCC"."""
    return bool(re.fullmatch(domain.titles().title_re, text, re.IGNORECASE))


def untenured(title_key: str) -> str:
    """A title key without the words saying how it is held: "temporary chief constable" ->
    "chief constable"."""
    words = title_key.split()
    while words and words[0] in domain.titles().tenure:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """The key of an organisation: lower case, aliases applied, force suffixes dropped."""
    orgs = domain.organisations()
    text = re.sub(r"\s+", " ", _APOSTROPHE.sub("'", name)).strip().lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"^hm\s+", "his majesty's ", text)  # "HM Inspectorate of ..." is the inspectorate
    for long, short in orgs.aliases:
        text = text.replace(long, short)
    text = re.sub(r"\s*\([a-z&]{2,8}\)", "", text)
    for suffix in orgs.drop_suffixes:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
            break
    return text.strip()


def name_key(name: str) -> str:
    """A person's full name as compared: its words, lower case ("Alex  Murray" ->
    "alex murray")."""
    return " ".join(name.split()).lower()


_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")


@lru_cache(maxsize=131072)
def canonical_text(text: str) -> str:
    """Text as matching sees it: NFKC, lower case, words only."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_WORD.findall(text))


NUMBER_SLOT = "#n"
"""A number in `masked_text`: digits ("1,100", "9.99%", "£300m") or number words."""
DATE_SLOT = "#d"
"""A date in `masked_text`: a run of numbers holding a month or weekday ("22 May 2019")."""
GRADE_SLOT = "#g"
"""A grade word of a scale in `masked_text` ("requires improvement")."""


@cache
def _slot_words() -> tuple[frozenset[str], frozenset[str]]:
    """Number words (numbers.toml) and calendar words (dates.toml: months, weekdays)."""
    calendar = domain.calendar()
    return domain.lexicon().number_words, frozenset(calendar.months) | calendar.weekdays


@lru_cache(maxsize=131072)
def masked_text(text: str) -> str:
    """Text as matching aligns it: `canonical_text` with its slots (numbers, dates, grade
    words) replaced by typed placeholders, so that two versions differing only in a
    slot ("rose to 72" / "rose to 69") read the same. A run of numbers and calendar
    words is one slot, a date if it holds a month or weekday ("22 May 2019"). A
    calendar word counts only capitalised: "may" and "march" are also verbs. Names
    are not masked: a sentence's subject is what tells "Cleveland was rated good"
    from "Durham was rated good", which must not align.
    """
    number_words, calendar = _slot_words()
    out: list[str] = []
    last = ""  # the slot the previous word was, if any
    for word in _WORD.findall(unicodedata.normalize("NFKC", text)):
        low = word.lower()
        if low in number_words or (not low.isalpha() and _DIGIT.search(low)):
            slot = NUMBER_SLOT
        elif low in calendar and word[0].isupper():
            slot = DATE_SLOT
        else:
            out.append(low)
            last = ""
            continue
        if last:
            if slot == DATE_SLOT and last != DATE_SLOT:
                out[-1] = last = DATE_SLOT
        else:
            out.append(slot)
            last = slot
    return domain.scales().grade_re.sub(GRADE_SLOT, " ".join(out))


_DIGIT = re.compile(r"\d")
