"""Cheap first tests for regular expressions, read from the patterns themselves.

Reading tries dozens of patterns (titles, speech verbs, grading cues, earlier-inspection
phrases) at every position of every claim, and Python's engine pays for each position
and branch even where nothing can match. Most claims hold none of the words a pattern
needs, and a test for those words costs a fraction of the search:

`Guarded` holds the literal strings one of which every match holds (`needles`, read
from the parsed pattern, case folded) and tests them as substrings of the folded text
(one per text, shared by every pattern). It says "cannot match" only when no match is
possible, and otherwise runs the pattern as before, so a caller finds exactly what it
found before. A pattern that gives no such set, and a text holding a character the
engine folds unlike `str.lower` ("ſ", "ı", "İ"), are always searched.

`whole_words` finds a word-bounded phrase case-blind with `str.find`, as the pattern
compiled for it would.
"""

from __future__ import annotations

import re

# The engine's own parser, operation codes and case tables (no stubs: read as Any).
import re._casefix as _casefix  # type: ignore[import-not-found]
import re._constants as _sre  # type: ignore[import-not-found]
import re._parser as _parser  # type: ignore[import-not-found]
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, TypeVar

from .caching import table_cache, text_cache

_CAP = 64
"""Most strings a node's exact set may hold before it is read as "any text"."""
_MANY = 2048
"""Most needles a pattern may have (a trie of every title has hundreds)."""
_SUBSTRING_TESTS = 64
"""Most needles worth testing one by one: more cost about what the search does."""


@table_cache
def _odd() -> frozenset[str]:
    """Characters the engine folds differently from `str.lower`: case-blind, "ſ" matches
    "s" and "ı" matches "i"; "İ" lowers to two characters, and "Σ" by its context. A
    text holding one is always searched, and a literal that is one gives no needle.
    Below U+10000: every character the engine gives an extra case lies there."""
    extra: set[str] = set()
    for lower, others in _casefix._EXTRA_CASES.items():
        extra.add(chr(lower))
        extra.update(map(chr, others))
    odd = {c for c in extra if not c.isascii()}
    for code in range(0x80, 0x10000):
        char = chr(code)
        lowered = char.lower()
        if len(lowered) != 1 or lowered in extra:
            odd.add(char)
    return frozenset(odd)


@table_cache
def _odd_re() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_odd())) + "]")


class _Info(NamedTuple):
    """What a node of a parsed pattern tells of the strings it matches (folded)."""

    exact: frozenset[str] | None
    """Every string the node can match, when there are few; else None."""
    required: frozenset[str] | None
    """Strings one of which every match holds; None: no such set known."""
    prefix: frozenset[str] | None = None
    """Strings one of which every match starts with; None: no such set known."""


_ANY = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None, None)
_NOTHING: frozenset[str] = frozenset({""})


def _useful(found: frozenset[str] | None) -> frozenset[str] | None:
    """A set of needles, or None if one of them is empty (it would pass every text)."""
    return None if not found or "" in found else found


def _score(found: frozenset[str]) -> tuple[int, int]:
    """Longer needles reject more texts; fewer cost less to test."""
    return (min(min(map(len, found)), 4), -len(found))


def _best(*sets: frozenset[str] | None) -> frozenset[str] | None:
    kept = [s for s in map(_useful, sets) if s is not None]
    return max(kept, key=_score) if kept else None


def _cross(left: frozenset[str], right: frozenset[str], cap: int = _CAP) -> frozenset[str] | None:
    """Every string of left followed by one of right, or None if there are too many."""
    if len(left) * len(right) > cap:
        return None
    return frozenset(a + b for a in left for b in right)


def _union(sets: Iterable[frozenset[str] | None], cap: int) -> frozenset[str] | None:
    out: set[str] = set()
    for found in sets:
        if found is None:
            return None
        out |= found
        if len(out) > cap:
            return None
    return frozenset(out)


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Info:
    """A run of nodes, one after another: the literals they spell together."""
    current = _NOTHING  # every string the nodes since the last break can match
    prefix: frozenset[str] | None = None
    exact_whole = True
    best: frozenset[str] | None = None
    for op, av in items:
        info = _node(op, av)
        joined = _cross(current, info.exact) if info.exact is not None else None
        if joined is not None:
            current = joined
            continue
        # The run ends here: what it spells, followed by how this node starts.
        spelled = _cross(current, info.prefix, _MANY) if info.prefix is not None else None
        spelled = _best(spelled, current)
        if exact_whole:
            started = _cross(current, info.prefix, _MANY) if info.prefix is not None else None
            prefix = started or current
        exact_whole = False
        best = _best(best, spelled, info.required)
        # A node with an exact set still starts a new run of literals after it.
        current = info.exact if info.exact is not None else _NOTHING
    best = _best(best, current)
    if exact_whole:
        return _Info(current, _useful(current), current)
    return _Info(None, best, _useful(prefix))


def _characters(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The folded characters of a class ("[-–—]"), if it is a short list of them."""
    out: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            out.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < 8:
            out.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
        if len(out) > 8 or not _odd().isdisjoint(out):
            return None
    return frozenset(c.lower() for c in out)


def _node(op: Any, av: Any) -> _Info:
    if op is _sre.LITERAL:
        if chr(av) in _odd():
            return _ANY
        char = frozenset({chr(av).lower()})
        return _Info(char, char, char)
    if op is _sre.IN:
        chars = _characters(av)
        return _Info(chars, chars, chars)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _EMPTY  # zero width
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1])
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is _sre.BRANCH:
        branches = [_sequence(b) for b in av[1]]
        exact = _union((b.exact for b in branches), _CAP)
        required = _union((_useful(b.exact) or b.required for b in branches), _MANY)
        prefix = _union((_useful(b.exact) or b.prefix for b in branches), _MANY)
        return _Info(exact, _useful(required), _useful(prefix))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, item = av
        inner = _sequence(item)
        if low == 0:
            if high == 1 and inner.exact is not None:
                return _Info(inner.exact | _NOTHING, None, None)
            return _EMPTY if high == 0 else _ANY
        return _Info(
            None, _useful(inner.exact) or inner.required, _useful(inner.exact) or inner.prefix
        )
    return _ANY  # any character, a class, a back reference: no literal known


Needles = tuple[str, ...] | None
"""Folded strings one of which every match of a pattern holds; None: none known."""

_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT))


def needles(pattern: re.Pattern[str], anchored: bool = False) -> Needles:
    """Literal strings (folded) one of which every match of the pattern holds, or None
    when the pattern gives no such set or too large a one to test (see the module).
    `anchored`: the pattern is only tried at a text's start (match, fullmatch); then
    only a pattern opening with a repeat gets needles, since any other fails within
    its first characters, sooner than needles are looked for."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:
        return None
    if anchored and not _opens_with_repeat(list(parsed)):
        return None
    found = _useful(_sequence(parsed).required)
    if found is None or len(found) > _SUBSTRING_TESTS:
        return None
    return tuple(sorted(found))


def _opens_with_repeat(items: list[tuple[Any, Any]]) -> bool:
    """Whether a match may run on past its first character before it can fail."""
    if not items:
        return False
    op, av = items[0]
    if op is _sre.AT:
        return _opens_with_repeat(items[1:])
    if op is _sre.SUBPATTERN:
        return _opens_with_repeat(list(av[-1]))
    if op is _sre.BRANCH:
        return any(_opens_with_repeat(list(alternative)) for alternative in av[1])
    return op in _REPEATS and av[1] > 1


def excluded(found: Needles, text: str | None) -> bool:
    """Whether a text (as `folded` gives it) certainly does not match the pattern whose
    needles are `found`."""
    if found is None or text is None:
        return False
    return not any(map(text.__contains__, found))


@text_cache()
def folded(text: str) -> str | None:
    """Text lower-cased for `Needles.in_folded`, or None when it holds a character the
    engine folds otherwise (every pattern must then be searched)."""
    if not text.isascii() and _odd_re().search(text):
        return None
    return text.lower()


@table_cache
def _engine_folds() -> dict[int, str]:
    """Each character a case-blind pattern takes for another letter ("ı" for "i", "ſ"
    for "s"), to that letter."""
    table = {ord("İ"): "i"}
    for lower, others in _casefix._EXTRA_CASES.items():
        canonical = min(lower, *others)
        table.update({code: chr(canonical) for code in (lower, *others) if code != canonical})
    return table


def engine_lower(text: str) -> str:
    """`text` lower-cased as a case-blind pattern compares it: "ınadequate" and
    "requireſ improvement" are "inadequate" and "requires improvement", and "İn" (which
    `str.lower` makes "i" and a combining dot) is "in"."""
    return text.replace("i\u0307", "i").translate(_engine_folds()).lower()


_V = TypeVar("_V")


class CaseBlindKeys(dict[str, _V]):
    """A table of lower-case keys that a case-blind pattern's match looks up: a key
    missing as given is looked up again as the pattern compared it (`engine_lower`),
    so a match holding "ſ", "ı" or "İ" finds its entry instead of failing."""

    def __missing__(self, key: str) -> _V:
        folded = engine_lower(key)
        if folded == key:
            raise KeyError(key)
        return self[folded]


class Guarded:
    """A compiled pattern searched only in texts holding one of its needles: the same
    answers as the pattern's own `search`, `findall` and `finditer`, cheaper where most
    texts cannot match."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.needles = needles(pattern)

    def may_match(self, text: str) -> bool:
        """False only if the pattern cannot match anywhere in text."""
        return not excluded(self.needles, folded(text))

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text) if self.may_match(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text) else iter(())


def whole_words(text: str, phrase: str) -> list[tuple[int, int]]:
    """Spans of `phrase` in text as a whole word, case-blind: what
    re.finditer(rf"\\b{re.escape(phrase)}\\b", text, re.IGNORECASE) finds, without
    compiling a pattern for each phrase (an article's organisations are looked for in
    each of its claims). Found with `str.find` in the folded text, when text and
    phrase fold alike for both; else by the pattern."""
    lowered = folded(text)
    if lowered is None or not phrase or phrase != phrase.lower() or _odd_re().search(phrase):
        return [m.span() for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE)]
    spans = []
    size = len(phrase)
    at = lowered.find(phrase)
    while at != -1:
        end = at + size
        # \b before and after: a word character on exactly one side.
        if (at > 0 and _is_word(text[at - 1])) != _is_word(text[at]) and (
            end < len(text) and _is_word(text[end])
        ) != _is_word(text[end - 1]):
            spans.append((at, end))
            at = lowered.find(phrase, end)
        else:
            at = lowered.find(phrase, at + 1)
    return spans


def _is_word(char: str) -> bool:
    """Whether the engine's \\w matches char (str patterns: letters, digits, "_")."""
    return char.isalnum() or char == "_"
