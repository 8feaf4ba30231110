"""The normalised keys that several stages compare by: a title, an organisation, a
person's name, a text as matching sees it.

Reading makes them, and matching and the detectors compare them; they live here so
that no later stage imports an earlier one's internals to get them.
"""

from __future__ import annotations

import re
import unicodedata

from . import domain
from .caching import TEXT_CACHE_SIZE, text_cache

_APOSTROPHE = re.compile("[’‘`´]")


@text_cache()
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


@text_cache()
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


@text_cache()
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


@text_cache(TEXT_CACHE_SIZE * 2)
def canonical_text(text: str) -> str:
    """Text as matching sees it: NFKC, lower case, words only."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"[^\W_]+(?:['.][^\W_]+)*", text))
