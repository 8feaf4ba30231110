"""A cheap test that a line cannot match a pattern: the strings one of which every match
contains ("needles"), read off the pattern itself.

Most lines of copy match none of the furniture and boilerplate patterns, and a
pattern that opens with `.*` or ignores case is tried from every position of a line
before it fails. Looking for a few words with `in` first answers most lines at a
fraction of that. The needles are worked out from the pattern (its parse tree), so a
pattern changed in the data files keeps a correct test; where a part of a pattern
guarantees no string (a character class, an optional part), the test is left out.

Sound by construction: needles are ASCII and compared in lower case, which every
match meets whether or not the pattern ignores case, except for the few characters
that match an ASCII letter when case is ignored without lowering to it (`_FOLDS`):
a line holding one is always tried.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

Needles = tuple[str, ...] | None
"""Lower-case strings one of which is in every line the pattern matches; None: unknown."""

_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
"""Characters that match an ASCII letter when case is ignored but do not lower to it
("İ", dotless "ı", long "ſ", the Kelvin sign)."""

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def needles(pattern: re.Pattern[str], anchored: bool = False) -> Needles:
    """Strings one of which every match of `pattern` holds, or None if none is known.
    `anchored`: the pattern is only tried at a line's start (fullmatch, match); then
    only a pattern opening with a repeat gets needles, since any other fails within
    its first characters, sooner than needles are looked for."""
    try:
        tree = list(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled already
        return None
    if anchored and not _opens_with_repeat(tree):
        return None
    found = _sequence(tree)
    return tuple(sorted(found)) if found else None


def folded(line: str) -> str | None:
    """The line as needles are looked for in it: lower case; None when it holds a
    character lowering would hide a match of (then every pattern is tried)."""
    if not line.isascii() and _FOLDS.search(line):
        return None
    return line.lower()


def excluded(needles: Needles, line: str | None) -> bool:
    """Whether a line (`folded`) certainly does not match the pattern of `needles`."""
    if needles is None or line is None:
        return False
    return not any(map(line.__contains__, needles))


def _opens_with_repeat(items: list[tuple[Any, Any]]) -> bool:
    """Whether a match may run on past its first character before it can fail."""
    if not items:
        return False
    op, av = items[0]
    if op is sre.AT:
        return _opens_with_repeat(items[1:])
    if op is sre.SUBPATTERN:
        return _opens_with_repeat(list(av[-1]))
    if op is sre.BRANCH:
        return any(_opens_with_repeat(list(alternative)) for alternative in av[1])
    return op in _REPEATS and av[1] > 1


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Needles of a run of items all of which must match: the best one of theirs, a
    run of literal characters counting as one string."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            options.append(frozenset(["".join(run)]))
            run = []
        found = _item(op, av)
        if found:
            options.append(found)
    if run:
        options.append(frozenset(["".join(run)]))
    # the most telling: the longest shortest needle, then the fewest needles
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op is sre.BRANCH:
        every: set[str] = set()
        for alternative in av[1]:
            found = _sequence(list(alternative))
            if not found:
                return None  # one alternative without needles: the branch has none
            every |= found
        return frozenset(every)
    if op in _REPEATS and av[0] >= 1:
        return _sequence(list(av[2]))
    return None  # a class, any character, an anchor, an assertion, a reference: no string
