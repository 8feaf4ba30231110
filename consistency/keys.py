"""The normalised keys that several stages compare by: a title, an organisation, a
person's name, a text as matching sees it.

Reading makes them, and matching and the detectors compare them; they live here so
that no later stage imports an earlier one's internals to get them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from . import domain
from .caching import TEXT_CACHE_SIZE, table_cache, text_cache

_APOSTROPHE = re.compile("[’‘`´]")


class TitleGrammar(NamedTuple):
    """How a title phrase is read from its place (data/titles.toml): the head nouns
    that end one, the words that never stand inside one, and what opens a complement."""

    heads: frozenset[str]
    """Lower-case head nouns ("officer", "secretary", "chancellor")."""
    head_re: str
    """A regex matching a head noun as a whole word, any case."""
    not_in_titles: frozenset[str]
    complement: frozenset[str]
    """Prepositions opening a title's complement ("of", "for", "with")."""
    determiners: frozenset[str]
    synonyms: dict[str, str]
    modifiers: frozenset[str]
    """Lower-case words a title's key keeps before its head: the roles' own words and
    the heads. Any other word there ("Unite", "ONS", "Texas") names where the role
    is held, not the role, and is left out of the key."""
    org_words: frozenset[str]
    """Lower-case last words of organisation names ("council", "police", "trust"):
    before a head noun they say where the role is held ("council leader")."""
    known: re.Pattern[str]
    """The titles of data/titles.toml, as written or abbreviated."""


@table_cache
def title_grammar() -> TitleGrammar:
    raw = domain.table("titles.toml")
    orgs = domain.table("organisations.toml")
    heads = frozenset(h.lower() for h in raw.get("heads", []))
    # A head may be written short ("Gov." for Governor, "Supt" for Superintendent).
    written = heads | {
        short.lower()
        for short, long in raw["abbreviations"].items()
        if not short.isupper() and short[-1].isalpha() and long.split()[-1].lower() in heads
    }
    org_words = frozenset(s.split()[-1].lower() for s in orgs["suffixes"])
    role_words = {
        w.lower() for role in raw["roles"] for w in role.split() if w[:1].isupper()
    } - org_words
    not_in = frozenset(w.lower() for w in raw.get("not_in_titles", []))
    return TitleGrammar(
        heads=heads,
        # A trie, not a flat list: tried at every position of every claim.
        head_re=rf"(?<![\w'’-])(?i:{domain.alternation(sorted(written), True)})(?![\w'’-])\.?"
        if heads
        else r"(?!)",
        not_in_titles=not_in,
        complement=frozenset(w.lower() for w in raw.get("complement", [])),
        determiners=frozenset(w.lower() for w in raw.get("determiners", [])),
        synonyms={k.lower(): v.lower() for k, v in raw.get("synonyms", {}).items()},
        modifiers=frozenset(
            (role_words | heads | {t.lower() for t in [*raw["tenure"], *raw.get("modifiers", [])]})
            - not_in
        ),
        org_words=org_words,
        known=re.compile(domain.titles().title_re),
    )


@text_cache()
def title_key(title: str) -> str:
    """A title as compared: abbreviations spelled out, honorifics dropped, lower case.

    "HM Chief Inspector of Constabulary" -> "chief inspector of constabulary". A title
    the roles list does not hold is reduced to its role: the head noun with the role
    words before it, a complement kept only when it names a portfolio ("cabinet member
    for children"), not where the role is held: "Leader of Birmingham City Council",
    "council leader" -> "leader"; "ONS chief economist", "chief economist at the ONS"
    -> "chief economist".
    """
    text = _APOSTROPHE.sub("'", title).strip(" .,")
    for pattern, long in domain.titles().abbreviations:
        text = pattern.sub(long, text)
    text = re.sub(r"(?<=\w)\.(?=\s|$)", "", text)  # "Lieutenant. Governor." as abbreviated
    text = re.sub(r"\s+", " ", text).strip()
    # "Chief Inspector of Prisons" is the role "His Majesty's Chief Inspector of Prisons".
    known = is_title(text) or any(is_title(f"{h} {text}") for h in domain.titles().honorifics)
    for honorific in domain.titles().honorifics:
        if text.lower().startswith(honorific + " "):
            text = text[len(honorific) + 1 :]
    if not text or known or is_title(text):
        return text.lower()
    return _role_key(text)


def _role_key(text: str) -> str:
    """The key of a title the roles list does not hold (see title_key)."""
    grammar = title_grammar()
    words = text.split()
    courtesy = domain.titles().courtesy
    while words and (
        words[0].lower() in grammar.determiners
        or words[0].lower().endswith("'s")
        or words[0].lower().strip(".") in courtesy
    ):
        words = words[1:]
    if not words:
        return ""
    joined = " ".join(words)
    lowered = [w.lower() for w in words]
    # The head: a role of the list ending before a complement or the end, else the
    # first head noun so placed ("chief medical officer with ...": "officer").
    head_start = head_end = -1
    synonym = False
    for match in grammar.known.finditer(joined):
        end_word = joined[: match.end()].count(" ") + 1
        if end_word == len(words) or lowered[end_word] in grammar.complement:
            head_start, head_end = joined[: match.start()].count(" "), end_word
            break
    if head_start < 0:
        for i, word in enumerate(lowered):
            if word in grammar.heads and (
                i + 1 == len(words) or lowered[i + 1] in grammar.complement
            ):
                head_start, head_end, synonym = i, i + 1, True
                break
    if head_start < 0:
        return joined.lower()
    before = [
        w
        for w in lowered[:head_start]
        if w in grammar.modifiers and (w not in grammar.org_words or w in grammar.heads)
    ]
    head = lowered[head_start:head_end]
    if synonym:
        head = [grammar.synonyms.get(head[0], head[0])]
    return " ".join([*before, *head]).lower()


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
    """A person's full name as compared: its words, lower case, accents dropped
    ("Alex  Murray" -> "alex murray", "Zoë Billingham" and "ZOE BILLINGHAM" ->
    "zoe billingham"): one person however an outlet types the name."""
    folded = unicodedata.normalize("NFKD", _APOSTROPHE.sub("'", name))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(folded.split()).lower()


_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")


@text_cache(TEXT_CACHE_SIZE * 2)
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


@table_cache
def _slot_words() -> tuple[frozenset[str], frozenset[str]]:
    """Number words (numbers.toml) and calendar words (dates.toml: months, weekdays)."""
    calendar = domain.calendar()
    return domain.lexicon().number_words, frozenset(calendar.months) | calendar.weekdays


@text_cache(TEXT_CACHE_SIZE * 2)
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
