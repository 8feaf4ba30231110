"""Loads the domain tables in `consistency/data/` and compiles them once.

Domain knowledge (grading scales, titles, organisations, boilerplate) lives in
TOML files so that it can be read, reviewed and extended without touching code.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from . import caching
from .caching import table_cache
from .errors import DataError
from .literals import CaseBlindKeys

CONFIGURABLE = ("scales.toml", "titles.toml", "organisations.toml", "boilerplate.toml")
"""The data files a project's configuration may add to (see config.py)."""

_additions: Mapping[str, Mapping[str, Any]] = {}
"""What the configuration in use adds to each data file (see `configured`)."""


def _load(name: str) -> dict[str, Any]:
    try:
        text = resources.files("consistency").joinpath("data", name).read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"bundled data file {name}: {exc}") from exc
    return _merged(data, _additions.get(name, {}))


def _merged(bundled: dict[str, Any], added: Mapping[str, Any]) -> dict[str, Any]:
    """The bundled table with a configuration's additions: a list gains the new
    items, a table gains (or has replaced) the keys given, a value is replaced. One
    level deep only, so that a scale given whole replaces the bundled scale rather
    than gaining grades at the wrong ranks."""
    merged = dict(bundled)
    for key, value in added.items():
        old = merged.get(key)
        if isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        elif isinstance(old, dict) and isinstance(value, Mapping):
            merged[key] = {**old, **value}
        else:
            merged[key] = value
    return merged


def table(name: str) -> dict[str, Any]:
    """One data file as the checker uses it, the configuration's additions merged."""
    return _load(name)


@contextlib.contextmanager
def configured(additions: Mapping[str, Mapping[str, Any]]) -> Iterator[None]:
    """Use the bundled tables with `additions` (file name -> table) inside the block.

    The compiled tables, and every cache of results computed from them, belong to the
    process: they are cleared on the way in and on the way out, so nothing read under
    one configuration is reused under another. Worker processes forked inside the
    block inherit it. Not for two threads checking with different configurations.
    """
    global _additions
    previous = _additions
    if additions == previous:
        yield
        return
    _additions = additions
    clear_caches()
    try:
        yield
    finally:
        _additions = previous
        clear_caches()


def additions() -> dict[str, dict[str, Any]]:
    """The additions in use (`configured`), as plain dicts: what a process that is not
    forked from this one (a Spark executor's Python worker) is given to use the same."""
    return {name: dict(table) for name, table in _additions.items()}


def clear_caches() -> None:
    """Forget every compiled table and cached result: every cache in the registry of
    consistency.caching, methods' included."""
    caching.clear_caches()


def compile_pattern(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise DataError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


_END = ""
"""Marks, in a trie of phrases, that a phrase ends at this node."""


def alternation(phrases: list[str], ignore_case: bool = False) -> str:
    """A regex matching any phrase (a space matches any run of white space), the
    longest that matches winning, as the most specific should.

    Written as a trie ("Chief (?:Constable|Inspector(?: of Constabulary)?)") rather
    than a flat list: Python's engine tries a flat alternation's branches one by one
    at every position, so its cost grows with the number of phrases (a few hundred
    titles), where a trie tries only the branches the next characters allow. At one
    position the phrases that match form a chain of
    prefixes, and the trie tries the longer continuation before ending, so it finds
    what a longest-first list finds. `ignore_case` must be true where the pattern is
    used case-blind, so that "Chief" and "chief" share a branch.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower() if ignore_case else phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char != _END
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        # Greedy: the longer phrase first, ending here only if it fails.
        return (body if len(branches) == 1 and len(body) == 1 else f"(?:{body})") + "?"
    return body


@dataclass(frozen=True)
class Boilerplate:
    lines: tuple[tuple[str, re.Pattern[str]], ...]
    related_name: str
    related: re.Pattern[str]
    metadata: tuple[tuple[str, re.Pattern[str]], ...]


@table_cache
def boilerplate() -> Boilerplate:
    raw = _load("boilerplate.toml")
    lines = tuple(
        (entry["name"], compile_pattern(rf"(?:{entry['pattern']})", "boilerplate.toml"))
        for entry in raw["line"]
    )
    rel = raw["related"]
    masthead = alternation(rel["masthead_words"])
    word = r"[A-Z][\w'&.-]*"
    related = re.compile(
        rf"(?:{word}\s+){{0,{rel['max_name_words'] - 1}}}(?:{masthead})"
        rf"(?:\s+{word}){{0,2}}\s*:\s+\S.*"
    )
    metadata = tuple(
        (entry["name"], compile_pattern(entry["pattern"], "boilerplate.toml"))
        for entry in raw["metadata"]
    )
    return Boilerplate(lines, rel["name"], related, metadata)


@dataclass(frozen=True)
class Grade:
    scale: str
    official: str
    rank: int
    wording: str


@dataclass(frozen=True)
class Scales:
    """Grading scales: every surface wording maps to (scale, official grade)."""

    names: dict[str, str]
    cues: dict[str, re.Pattern[str]]
    wordings: dict[str, tuple[Grade, ...]]
    grade_re: re.Pattern[str]
    grading_cue: re.Pattern[str]
    negation: re.Pattern[str]
    previous: re.Pattern[str]
    previous_after: re.Pattern[str]
    """Matched at the start of the text after a grade: "rated good at its last
    inspection"; its `year` group, a year that is history only in a later article."""
    carried: re.Pattern[str]
    current: re.Pattern[str]
    transition_from: re.Pattern[str]
    transition_to: re.Pattern[str]
    graded_unnamed: re.Pattern[str]
    not_graded: re.Pattern[str]


@table_cache
def scales() -> Scales:
    raw = _load("scales.toml")
    wordings: dict[str, list[Grade]] = {}
    names: dict[str, str] = {}
    cues: dict[str, re.Pattern[str]] = {}
    for key, scale in raw["scales"].items():
        names[key] = scale["name"]
        cues[key] = re.compile(r"\b(?:" + alternation(scale["cues"], True) + r")\b", re.IGNORECASE)
        for rank, grade in enumerate(scale["grades"]):
            for wording in [grade["official"], *grade["variants"]]:
                wordings.setdefault(wording.lower(), []).append(
                    Grade(key, grade["official"], rank, wording.lower())
                )
    grade_re = re.compile(r"\b(?:" + alternation(list(wordings), True) + r")\b", re.IGNORECASE)
    c = raw["cues"]
    return Scales(
        names=names,
        cues=cues,
        wordings=CaseBlindKeys({k: tuple(v) for k, v in wordings.items()}),
        grade_re=grade_re,
        grading_cue=compile_pattern(c["grading"], "scales.toml"),
        negation=compile_pattern(c["negation"], "scales.toml"),
        previous=compile_pattern(c["previous"], "scales.toml"),
        previous_after=compile_pattern(c["previous_after"], "scales.toml"),
        carried=compile_pattern(c["carried"], "scales.toml"),
        current=compile_pattern(c["current"], "scales.toml"),
        transition_from=compile_pattern(c["transition_from"], "scales.toml"),
        transition_to=compile_pattern(c["transition_to"], "scales.toml"),
        graded_unnamed=compile_pattern(c["graded_unnamed"], "scales.toml"),
        not_graded=compile_pattern(c["not_graded"], "scales.toml"),
    )


@dataclass(frozen=True)
class Titles:
    courtesy: frozenset[str]
    honorifics: tuple[str, ...]
    title_re: str  # alternation of every role and courtesy title, as written or abbreviated
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    expansions: dict[str, str]
    """Abbreviation as written -> spelled out ("PCC" -> "Police and Crime Commissioner")."""
    tenure: tuple[str, ...]
    """Lower-case words that say how a role is held ("temporary", "acting")."""
    role_words: frozenset[str] = frozenset()
    """Capitalised words of the roles and their short forms ("Chief", "Officer", "Cllr"):
    never the first word of a person's name."""


@table_cache
def titles() -> Titles:
    raw = _load("titles.toml")
    abbreviations = tuple(
        (
            re.compile(
                r"(?<![\w'’])" + re.escape(short) + (r"(?![\w'’])" if short[-1].isalnum() else ""),
                re.IGNORECASE,
            ),
            long + (" " if not short[-1].isalnum() else ""),
        )
        for short, long in sorted(raw["abbreviations"].items(), key=lambda kv: -len(kv[0]))
    )
    # A title as written may use any mix of abbreviations: accept the spelled-out
    # roles, the bare abbreviations, and roles with "His Majesty's" written "HM".
    written = list(raw["roles"])
    written += [r.replace("His Majesty's", "HM") for r in raw["roles"]]
    written += [r.replace("His Majesty's", "Her Majesty's") for r in raw["roles"]]
    written += [r.replace("His Majesty's", "His Majesty’s") for r in raw["roles"]]
    written += [f"T/{r}" for r in raw["roles"]] + [f"T/ {r}" for r in raw["roles"]]
    written += ["Ch Supt", "Det Supt", "Det Insp", "Det Sgt", "Det Con", "Supt", "Insp", "Sgt"]
    # Short forms of a whole role ("Cllr" for "Councillor") are titles as written.
    written += [
        short
        for short, long in raw["abbreviations"].items()
        if long in raw["roles"] and not short.isupper() and short not in written
    ]
    # Upper-case abbreviations ("PC", "DS", "PCC") only count as written in capitals:
    # case-blind, "ds" would match inside "Midlands".
    initialisms = [a for a in raw["abbreviations"] if a.isupper() and len(a) > 1]
    courtesy = frozenset(c.lower() for c in raw["courtesy"])
    return Titles(
        courtesy=courtesy,
        honorifics=tuple(h.lower() for h in raw["honorifics"]),
        title_re=(
            rf"(?<![\w'])(?:(?i:{alternation(written + raw['courtesy'], True)})"
            rf"|{alternation(initialisms)})(?![\w'])"
        ),
        abbreviations=abbreviations,
        expansions=dict(raw["abbreviations"]),
        tenure=tuple(t.lower() for t in raw["tenure"]),
        role_words=frozenset(
            word
            for role in [*raw["roles"], *raw["abbreviations"], *raw["tenure"]]
            for word in role.split()
            if word[:1].isupper()
        ),
    )


@dataclass(frozen=True)
class Organisations:
    mention_re: re.Pattern[str]
    suffix_kinds: tuple[tuple[str, str], ...]
    """(lower-case suffix, kind), longest suffix first."""
    drop_suffixes: tuple[str, ...]
    inspectorate_keys: frozenset[str]
    generic: tuple[tuple[re.Pattern[str], str], ...]
    aliases: tuple[tuple[str, str], ...]
    """(long name, short name), longest first, so that the most specific applies."""
    former: tuple[tuple[str, str], ...] = ()
    """(former name, current name) of each renamed organisation, as written in the data."""
    distinct_words: frozenset[str] = frozenset()
    """Lower-case words that tell two otherwise alike names apart ("east" / "west")."""
    any_generic: re.Pattern[str] = re.compile(r"(?!)")
    """Matches where any generic phrase is: a cheap first test."""


@table_cache
def organisations() -> Organisations:
    raw = _load("organisations.toml")
    suffixes = alternation(raw["suffixes"])
    # A name: one to five capitalised words (with "and", "of", "&" inside), then a suffix,
    # then an optional "(ABBR)". Words are capitalised as in running text.
    cap = r"(?:[A-Z][\w'’.&-]*|of|and|for|the|&)"
    # Inspectorates first: at one position the first alternative that matches wins,
    # and "His Majesty's Inspectorate of Constabulary" also ends in a force suffix.
    mention_re = re.compile(
        rf"\b(?:{alternation(raw['inspectorates'])})\b"
        rf"|\b(?:[A-Z][\w'’.&-]*\s+)(?:{cap}\s+){{0,4}}?(?:{suffixes})\b(?:\s*\([A-Z]{{2,8}}\))?"
    )
    generic = tuple(
        (re.compile(r"\b(?:" + alternation(phrases, True) + r")\b", re.IGNORECASE), kind)
        for kind, phrases in raw["generic"].items()
    )
    return Organisations(
        mention_re=mention_re,
        suffix_kinds=tuple(
            sorted(((k.lower(), v) for k, v in raw["kinds"].items()), key=lambda kv: -len(kv[0]))
        ),
        drop_suffixes=tuple(s.lower() for s in raw["drop_suffixes"]),
        inspectorate_keys=frozenset(i.lower() for i in raw["inspectorates"]) | {"hmicfrs"},
        generic=generic,
        aliases=tuple(sorted(raw["aliases"].items(), key=lambda kv: -len(kv[0]))),
        former=tuple((str(f["name"]), str(f["current"])) for f in raw.get("former", [])),
        distinct_words=frozenset(w.lower() for w in raw.get("distinct_words", [])),
        any_generic=re.compile("|".join(p.pattern for p, _ in generic) or r"(?!)", re.IGNORECASE),
    )


@table_cache
def aspects() -> tuple[tuple[str, re.Pattern[str]], ...]:
    raw = _load("aspects.toml")
    return tuple(
        (name, compile_pattern("|".join(f"(?:{p})" for p in patterns), "aspects.toml"))
        for name, patterns in raw["aspects"].items()
    )


@table_cache
def theme_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The aspects that are themes, with their patterns."""
    themes = aspect_themes()
    return tuple((name, pattern) for name, pattern in aspects() if name in themes)


@table_cache
def aspect_themes() -> frozenset[str]:
    """Aspects a whole inspection can be about (see aspects.toml)."""
    raw = _load("aspects.toml")
    themes = frozenset(raw.get("themes", []))
    unknown = sorted(themes - set(raw["aspects"]))
    if unknown:
        raise DataError(f"aspects.toml: themes name no aspect: {', '.join(unknown)}")
    return themes


@table_cache
def unnamed_aspects() -> frozenset[str]:
    """Aspects that count areas without naming them ("inadequate in four areas")."""
    raw = _load("aspects.toml")
    unnamed = frozenset(raw.get("unnamed", []))
    unknown = sorted(unnamed - set(raw["aspects"]))
    if unknown:
        raise DataError(f"aspects.toml: unnamed names no aspect: {', '.join(unknown)}")
    return unnamed


@table_cache
def sentence_abbreviations() -> frozenset[str]:
    return frozenset(_load("sentences.toml")["abbreviations"])


@dataclass(frozen=True)
class Speech:
    verbs: re.Pattern[str]
    pronouns: frozenset[str]


@table_cache
def speech() -> Speech:
    raw = _load("speech.toml")
    return Speech(
        verbs=re.compile(r"\b(?:" + alternation(raw["verbs"], True) + r")\b", re.IGNORECASE),
        pronouns=frozenset(raw["pronouns"]),
    )


@dataclass(frozen=True)
class Lexicon:
    number_words: frozenset[str]
    negations: frozenset[str]
    values: dict[str, int]
    multipliers: dict[str, int]
    fractions: dict[str, float]
    currencies: dict[str, str]
    percent: tuple[str, ...]
    hedges: dict[str, str]
    """Hedge as written -> its meaning ("nearly" -> "almost")."""
    negation_forms: tuple[str, ...]
    """Every negation, one word or a phrase ("failed to")."""
    auxiliaries: frozenset[str]
    negating_prefixes: tuple[str, ...]
    prefix_exceptions: frozenset[str]
    hedge_bounds: dict[str, str]
    """Hedge meaning -> "above" or "below"."""
    service_numbers: frozenset[str]
    service_words: frozenset[str]


@table_cache
def lexicon() -> Lexicon:
    raw = _load("numbers.toml")
    polarity = raw["polarity"]
    return Lexicon(
        number_words=frozenset(
            word
            for table in ("values", "multipliers", "fractions")
            for phrase in raw[table]
            for word in phrase.replace("-", " ").split()
            if len(word) > 2  # "in" and "a" of "one in ten", "a third" are not numbers
        ),
        negations=frozenset(raw["negations"]),
        values=CaseBlindKeys(raw["values"]),
        multipliers=CaseBlindKeys(raw["multipliers"]),
        fractions=CaseBlindKeys(raw["fractions"]),
        currencies=CaseBlindKeys(raw["currencies"]),
        percent=tuple(raw["percent"]),
        hedges=CaseBlindKeys(raw["hedges"]),
        negation_forms=tuple(
            sorted({*raw["negations"], *polarity["forms"]}, key=len, reverse=True)
        ),
        auxiliaries=frozenset(polarity["auxiliaries"]),
        negating_prefixes=tuple(polarity["prefixes"]),
        prefix_exceptions=frozenset(polarity["prefix_exceptions"]),
        hedge_bounds=dict(raw["hedge_bounds"]),
        service_numbers=frozenset(raw["service_numbers"]["numbers"]),
        service_words=frozenset(raw["service_numbers"]["followed_by"]),
    )


@dataclass(frozen=True)
class Calendar:
    months: dict[str, int]
    weekdays: frozenset[str]
    year_cues: tuple[str, ...]
    units: dict[str, float]
    """Unit of time -> its length in days."""
    after_span: dict[str, str]
    """Word after a span ("ago", "on") -> direction."""
    before_span: dict[str, str]
    """Phrase before a span ("in the last") -> direction."""
    named: dict[str, str]
    """Named relative date ("last year") -> "unit:offset"."""


@table_cache
def calendar() -> Calendar:
    raw = _load("dates.toml")
    return Calendar(
        months=CaseBlindKeys(raw["months"]),
        weekdays=frozenset(raw["weekdays"]),
        year_cues=tuple(raw["year_cues"]),
        units=CaseBlindKeys(raw["units"]),
        after_span=CaseBlindKeys(raw["after_span"]),
        before_span=CaseBlindKeys(raw["before_span"]),
        named=CaseBlindKeys(raw["named"]),
    )


@dataclass(frozen=True)
class Wording:
    function_words: frozenset[str]
    references: frozenset[str]
    equivalents: dict[tuple[str, ...], tuple[str, ...]]
    """Words as written -> the words they are compared as ("per", "cent") -> ("%",)."""


@table_cache
def wording() -> Wording:
    raw = _load("wording.toml")
    speech_verbs = _load("speech.toml")["verbs"]
    return Wording(
        function_words=frozenset(raw["function_words"]) | frozenset(speech_verbs),
        references=frozenset(raw["references"]),
        equivalents={tuple(k.split()): tuple(v.split()) for k, v in raw["equivalents"].items()},
    )


@dataclass(frozen=True)
class Spelling:
    variants: tuple[tuple[str, str], ...]
    """British and American fragments that may stand for each other ("ise", "ize")."""
    derivations: frozenset[str]
    """Endings that make another word ("s", "n": "Texas" / "Texan")."""
    linking: frozenset[str]
    """Small words inside a name ("of", "da")."""
    swappable: frozenset[str]
    """Linking words given one for another by mistake ("of" / "for")."""
    sounds: tuple[tuple[re.Pattern[str], str], ...]
    """Letters that sound alike, each pattern written as its replacement ("ph" -> "f")."""
    regions: tuple[str, ...]
    """Regions of one level a place is said to be in ("Cheshire", "Texas")."""
    region_prefixes: tuple[str, ...]
    """Words before a name that make it a county ("Co Mayo", "County Galway")."""
    place_nouns: frozenset[str]
    """Words between a place and its region ("the Ellesmere Port plant, in Cheshire")."""


@table_cache
def spelling() -> Spelling:
    raw = _load("spelling.toml")
    variants = tuple((str(uk).lower(), str(us).lower()) for uk, us in raw["variants"])
    return Spelling(
        variants=variants + tuple((us, uk) for uk, us in variants),
        derivations=frozenset(str(e).lower() for e in raw["derivations"]),
        linking=frozenset(str(w).lower() for w in raw["linking"]),
        swappable=frozenset(str(w).lower() for w in raw["swappable"]),
        sounds=tuple((re.compile(str(p)), str(r)) for p, r in raw["sounds"]),
        regions=tuple(str(r) for r in raw["regions"]),
        region_prefixes=tuple(str(p) for p in raw["region_prefixes"]),
        place_nouns=frozenset(str(w).lower() for w in raw["place_nouns"]),
    )
