"""Meaning changes between two claims aligned loosely: compared on their frames.

Two versions of one claim that a rewrite has moved about (a local paper's retelling
of a release, a wire story rewritten for another market) share few phrases whole,
so a word-by-word diff aligns little and a change held between shared phrases
(`claimdiff.sandwiched`) is rarely there to judge. They still share what the claim
is about: its content words, or synonyms of them ("shut" / "closure", "supporting"
/ "assisting"). Those are the anchors. Each is unique in its claim and paired with
one word of the other; the few words before an anchor, in its clause, are its frame:
the auxiliaries, modals and quantifiers that say how the claim holds what the
anchor names. A frame that differs in meaning is a change of the claim,
whatever the rest of the sentence does:

- a modality or status two ranks apart, both written ("will shut" / "planning to
  close"): the ranks of data/meaning.toml;
- a quantifier of another rank before one anchor ("all victims" / "some victims");
- a superlative made one of several ("the best team" / "one of the best teams"),
  low when either version hedges it ("is thought to be the longest");
- a superlative limited to a kind in one version only ("the highest in England and
  Wales for this type of prison" / "the worst rates ... in England and Wales"): low,
  the limits of data/meaning.toml (`scopes`), for matched claims too;
- beside an anchor (within `NEAR` words, on the same side of it in both), a word
  and its opposite ("leading the investigation" / "assisting with the
  investigation": `opposite_pair`, synonyms counted) or its prefixed negation
  ("insufficient information" / "sufficient information": `polarity_conflict`);
- one place for another in the same frame ("Ellesmere Port on Merseyside" /
  "Ellesmere Port, in Cheshire"): a name after a place preposition, with an anchor
  just before, that the other version does not write; the compare stage decides
  whether the two names can be one and whether the sources name both elsewhere.

Every change found here is medium (the superlative hedged or limited, low): the
claims are aligned on their words, not read word by word, so none is high.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from . import domain
from .caching import table_cache, text_cache
from .claimdiff import (
    Token,
    _lemmas,
    antonym_words,
    is_hedged,
    meaning_table,
    modality,
    opposite_candidate,
    opposite_words,
    partitive,
    partitive_written,
    quantifier_ranks,
    senses,
    superlative,
    tokenize,
    word_keys_of,
)
from .numbers import DateMention, Quantity, dates, quantities

FRAME_WORDS = 4
"""Words before an anchor, within its clause, that make its frame: "is planning to
[close]" holds the status of "close"."""
NEAR = 3
"""An opposite or prefixed word counts within this many words of an anchor."""
MODAL_GAP = 2
"""Ranks (data/meaning.toml) two modals must be apart to count on loosely aligned
claims: "will" (3) / "could" (1), not "likely" (2) / "could" (1)."""
"""An opposite or prefixed word counts within this many words of an anchor."""

FrameKind = Literal["claim_altered", "polarity_conflict", "place", "time", "record"]


@dataclass(frozen=True, slots=True)
class FrameChange:
    """One change of meaning between two loosely aligned claims. For `place`, the values
    are the two names, and for `time` `times` holds the two times of day: the compare
    stage decides what they are."""

    kind: FrameKind
    severity: Literal["high", "medium", "low"]
    value_a: str
    value_b: str
    why: str
    times: tuple[DateMention, DateMention] | None = None


_BREAK = re.compile(r"[.!?;:()\[\]“”\"—–]|\s-\s")
_COMMA = re.compile(",")


@dataclass(frozen=True, slots=True)
class _Side:
    """A claim's running text as tokens, with the clause each token is in."""

    text: str
    tokens: tuple[Token, ...]
    clause: tuple[int, ...]
    """Clause number of each token: a comma, semicolon, colon, dash or bracket ends one."""
    sentence: tuple[int, ...]
    """The same without commas: "Ellesmere Port plant, in Cheshire" is one stretch."""

    def before(self, at: int, words: int = FRAME_WORDS, loose: bool = False) -> tuple[Token, ...]:
        """Up to `words` tokens before token `at`, in its clause (its stretch, `loose`)."""
        part = self.sentence if loose else self.clause
        start = at
        while start > 0 and at - start < words and part[start - 1] == part[at]:
            start -= 1
        return self.tokens[start:at]

    def written(self, first: int, last: int) -> str:
        return self.text[self.tokens[first].start : self.tokens[last].end]


@text_cache()
def _side(text: str, in_quote: bool) -> _Side:
    """Cached: a claim's text meets several others (one per version aligned with it)."""
    # Attributions count: "the site will shut after the company said ..." holds the claim.
    tokens = tuple(t._replace(zone="text") for t in tokenize(text, in_quote) if t.zone != "quote")
    clause, sentence = [], []
    c = s = 0
    for k, token in enumerate(tokens):
        if k:
            gap = text[tokens[k - 1].end : token.start]
            if _BREAK.search(gap):
                c, s = c + 1, s + 1
            elif _COMMA.search(gap):
                c += 1
        clause.append(c)
        sentence.append(s)
    return _Side(text, tokens, tuple(clause), tuple(sentence))


def _content(token: Token) -> bool:
    lexicon = domain.lexicon()
    return (
        len(token.key) > 1
        and not token.key.isdigit()
        and token.key not in domain.wording().function_words
        and token.key not in lexicon.negations
        and token.key not in lexicon.auxiliaries
    )


def anchors(a: tuple[Token, ...], b: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Pairs (i, j) of content words, a[i] and b[j], that are one word or synonyms
    (`claimdiff.senses`) and the only such word in each claim."""
    by_sense: dict[str, set[int]] = {}
    for j, t in enumerate(b):
        if _content(t):
            for sense in senses(t.key):
                by_sense.setdefault(sense, set()).add(j)
    matches: dict[int, set[int]] = {}
    back: dict[int, set[int]] = {}
    for i, t in enumerate(a):
        if not _content(t):
            continue
        found = {j for sense in senses(t.key) for j in by_sense.get(sense, ())}
        if found:
            matches[i] = found
            for j in found:
                back.setdefault(j, set()).add(i)
    return sorted(
        (i, next(iter(js))) for i, js in matches.items() if len(js) == 1 and len(back[min(js)]) == 1
    )


@text_cache()
def frame_changes(
    text_a: str, quote_a: bool, text_b: str, quote_b: bool, matched: bool = False
) -> tuple[FrameChange, ...]:
    """The changes of meaning between two loosely aligned claims' running texts (see
    the module's docstring), at most one of each test. For two `matched` claims, read
    word by word elsewhere, only the superlative (a change the word-by-word reading
    sees as a detail added: "[one of] the best")."""
    scoped = _scope_written(text_a) or _scope_written(text_b)
    if matched and not (scoped or partitive_written(text_a) or partitive_written(text_b)):
        return ()  # most matched pairs: no "one of" to look at
    a, b = _side(text_a, quote_a), _side(text_b, quote_b)
    pairs = anchors(a.tokens, b.tokens)
    if not pairs:
        return ()
    found: dict[str, FrameChange] = {}
    tests = (_superlative,) if matched else (_modality, _quantifier, _superlative)
    for test in tests:
        if test.__name__ in found:
            continue
        for i, j in pairs:
            change = test(a, b, i, j)
            if change:
                found[test.__name__] = change
                break
    limited = _scope(a, b) if scoped and "_superlative" not in found else None
    if limited:
        found["_scope"] = limited
    if matched:
        return tuple(found.values())
    for name, change in (
        ("opposite", _beside(a, b, pairs, opposite_words, "claim_altered")),
        ("antonym", _beside(a, b, pairs, antonym_words, "polarity_conflict")),
        ("place", _place(a, b, pairs)),
        ("figure", _figure(a, b)),
        ("time", _time(a, b, pairs)),
        ("record", _record(a.text, b.text)),
    ):
        if change:
            found[name] = change
    return tuple(found.values())


FIGURE_WHY = "the same figure counts another thing"


def _figure(a: _Side, b: _Side) -> FrameChange | None:
    """One figure, found once in each claim, in one frame (the same word before it and
    after the thing it counts) counting two things that are not one word or synonyms
    ("an additional 25,400 incidents a year" / "an additional 25,400 crimes a year"):
    low, as the claims are aligned loosely."""
    found_a, found_b = _counts(a.text), _counts(b.text)
    for value, qa in found_a.items():
        qb = found_b.get(value)
        if qb is None or qa.unit or qb.unit or not qa.thing or not qb.thing:
            continue
        if senses(qa.thing) & senses(qb.thing):
            continue
        frame_a, frame_b = _counted(a, qa), _counted(b, qb)
        if frame_a is None or frame_a != frame_b:
            continue
        return FrameChange(
            "claim_altered",
            "low",
            f"{qa.text} {qa.thing}",
            f"{qb.text} {qb.thing}",
            FIGURE_WHY,
        )
    return None


def _counted(side: _Side, quantity: Quantity) -> tuple[str, str] | None:
    """The words just before a figure and just after the thing it counts, or None when
    the word after the figure is not that thing."""
    before = [t for t in side.tokens if t.end <= quantity.start]
    after = [t for t in side.tokens if t.start >= quantity.end]
    if not before or len(after) < 2 or quantity.thing not in _lemmas(after[0].key):
        return None
    return before[-1].key, after[1].key


def _counts(text: str) -> dict[float, Quantity]:
    """The claim's figures found once (value -> quantity), dates left out."""
    return dict(_figures_once(text))


@text_cache()
def _figures_once(text: str) -> tuple[tuple[float, Quantity], ...]:
    spans = [(d.start, d.end) for d in dates(text)]
    found = quantities(text, spans)
    seen = Counter(q.value for q in found)
    return tuple((q.value, q) for q in found if seen[q.value] == 1)


TIME_WORDS = FRAME_WORDS + 2
"""Words before a time of day within which an anchor holds it to its event: "A raging
storm woke up her cabin [just after midnight]" / "roused by the raging storm [around
1:30 a.m.]"."""


def _time(a: _Side, b: _Side, pairs: list[tuple[int, int]]) -> FrameChange | None:
    """The one time of day each claim gives, when one anchor stands within TIME_WORDS
    before it on both sides: the compare stage judges the two times."""
    times_a, times_b = _times(a.text), _times(b.text)
    if len(times_a) != 1 or len(times_b) != 1:
        return None
    at_a, at_b = _token_at(a, times_a[0].start), _token_at(b, times_b[0].start)
    if at_a is None or at_b is None:
        return None
    if not any(0 < at_a - i <= TIME_WORDS and 0 < at_b - j <= TIME_WORDS for i, j in pairs):
        return None
    return FrameChange(
        "time", "medium", times_a[0].text, times_b[0].text, "", (times_a[0], times_b[0])
    )


@dataclass(frozen=True, slots=True)
class RecordSpan:
    """How far back a record reaches: "the fastest rate in a decade", "its highest level
    for 10 months", "a 10-month high"."""

    days: float
    hedged: bool
    word: str
    """The superlative ("fastest"), or "high" / "low" of "a 10-month high"."""
    text: str


@table_cache
def _record_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a superlative, then within six words "in/for/over (the last) (nearly) N units";
    "an N-unit high")."""
    calendar, lexicon = domain.calendar(), domain.lexicon()
    units = "|".join(sorted(map(re.escape, calendar.units), key=len, reverse=True))
    words = "|".join(sorted(map(re.escape, lexicon.values), key=len, reverse=True))
    hedges = "|".join(sorted(map(re.escape, lexicon.hedges), key=len, reverse=True))
    number = rf"(?P<n>\d+(?:\.\d+)?|{words}|an?)"
    span = (
        rf"(?P<span>(?:in|for|over)\s+(?:the\s+(?:last|past)\s+)?"
        rf"(?:(?P<hedge>{hedges})\s+)?{number}[\s-]+(?P<unit>{units})s?)\b"
    )
    after = re.compile(
        rf"\b(?P<word>[a-z]{{4,}}est|best|worst|most|least)\b(?:\W+\w+){{0,5}}?\W+{span}", re.I
    )
    compound = re.compile(
        rf"\b(?P<span>{number}[\s-](?P<unit>{units})[\s-](?P<word>high|low|record|peak))\b",
        re.I,
    )
    return after, compound


@text_cache()
def record_spans(text: str) -> tuple[RecordSpan, ...]:
    """The records a claim reports with how far back they reach (see `RecordSpan`)."""
    calendar, lexicon = domain.calendar(), domain.lexicon()
    out = []
    for pattern, after_superlative in zip(_record_patterns(), (True, False), strict=True):
        for match in pattern.finditer(text):
            word = match.group("word").lower()
            if after_superlative and not superlative(word):
                continue  # "interest in ...": a word in -est that is none
            n = match.group("n").lower()
            value = float(n) if n[0].isdigit() else 1.0 if n in ("a", "an") else lexicon.values[n]
            unit = calendar.units[match.group("unit").lower()]
            hedged = bool(match.groupdict().get("hedge"))
            out.append(RecordSpan(value * unit, hedged, word, match.group("span")))
    return tuple(out)


RECORD_APART = 1.5
"""Two records' spans this many times apart or more disagree ("in a decade" / "for
10 months"); closer, they are one span in round words ("10 months" / "nearly a year")."""
RECORD_HIGH = 3.0
"""...and this many times apart, both unhedged after the same superlative, contradict."""


def _record(text_a: str, text_b: str) -> FrameChange | None:
    """The one record each claim reports, reaching back spans RECORD_APART apart:
    medium, or high (`RecordSpan`s read with confidence: no hedge, the same
    superlative, RECORD_HIGH apart) as the span is a slot of the claim."""
    spans_a, spans_b = record_spans(text_a), record_spans(text_b)
    if len(spans_a) != 1 or len(spans_b) != 1:
        return None
    (x,), (y,) = spans_a, spans_b
    apart = max(x.days, y.days) / min(x.days, y.days)
    if apart < RECORD_APART:
        return None
    sure = not x.hedged and not y.hedged and x.word == y.word and apart >= RECORD_HIGH
    return FrameChange(
        "record",
        "high" if sure else "medium",
        x.text,
        y.text,
        "the record reaches back over a different span",
    )


@text_cache()
def _times(text: str) -> tuple[DateMention, ...]:
    return tuple(d for d in dates(text) if d.kind == "time")


def _token_at(side: _Side, offset: int) -> int | None:
    """The index of the first token at or after a character offset."""
    return next((k for k, t in enumerate(side.tokens) if t.start >= offset), None)


def _frame(side: _Side, at: int, frame: tuple[Token, ...]) -> str:
    first = at - len(frame)
    return side.written(first, at)


def _modality(a: _Side, b: _Side, i: int, j: int) -> FrameChange | None:
    frame_a, frame_b = a.before(i, FRAME_WORDS - 1), b.before(j, FRAME_WORDS - 1)
    rank_a, rank_b = modality(frame_a), modality(frame_b)
    # Both written, and two ranks apart ("will shut" / "planning to close"): a rewrite
    # often drops or adds a hedge ("could rise" / "rises", "likely" / "could"), and
    # two claims aligned on their words may have their modals about other things.
    if rank_a is None or rank_b is None or abs(rank_a - rank_b) < MODAL_GAP:
        return None
    return FrameChange(
        "claim_altered",
        "medium",
        _frame(a, i, frame_a),
        _frame(b, j, frame_b),
        "one version is less certain than the other (a modal or status word)",
    )


def _quantifier(a: _Side, b: _Side, i: int, j: int) -> FrameChange | None:
    ranks = quantifier_ranks()
    words_a = [t.key for t in a.before(i, 2) if t.key in ranks]
    words_b = [t.key for t in b.before(j, 2) if t.key in ranks]
    if not words_a or not words_b or {ranks[w] for w in words_a} == {ranks[w] for w in words_b}:
        return None
    return FrameChange(
        "claim_altered",
        "medium",
        _frame(a, i, a.before(i, 2)),
        _frame(b, j, b.before(j, 2)),
        "the versions speak of different shares of a whole (a quantifier)",
    )


def _superlative(a: _Side, b: _Side, i: int, j: int) -> FrameChange | None:
    if not superlative(a.tokens[i].key) or not superlative(b.tokens[j].key):
        return None
    one_a, one_b = partitive(a.before(i)), partitive(b.before(j))
    if one_a == one_b:
        return None
    hedged = is_hedged(a.before(i, len(a.tokens))) or is_hedged(b.before(j, len(b.tokens)))
    return FrameChange(
        "claim_altered",
        "low" if hedged else "medium",
        _frame(a, i, a.before(i, 3)) if one_a else a.written(i, i),
        _frame(b, j, b.before(j, 3)) if one_b else b.written(j, j),
        "one version makes it the "
        + a.tokens[i].key
        + ", the other one of several"
        + (" (one of them hedged)" if hedged else ""),
    )


SCOPE_WORDS = 8
"""A superlative's limit ("for this type of prison") counts within this many words after
it, in its sentence."""


@table_cache
def _scopes() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(word_keys_of(p)) for p in meaning_table()["superlatives"]["scopes"])


def _scope_written(text: str) -> bool:
    """Whether a text may hold a superlative's limit: a quick test as written."""
    lowered = text.lower()
    return any(" ".join(p) in lowered for p in _scopes())


def _scoped(side: _Side) -> tuple[int, str] | None:
    """The first superlative of a side and the limit written after it ("" for none), or
    None when the side has no superlative."""
    keys = [t.key for t in side.tokens]
    first = None
    for k, token in enumerate(side.tokens):
        if not superlative(token.key):
            continue
        first = k if first is None else first
        end = k + 1
        while end < len(keys) and end - k <= SCOPE_WORDS and side.sentence[end] == side.sentence[k]:
            end += 1
        for at in range(k + 1, end):
            for scope in _scopes():
                if tuple(keys[at : at + len(scope)]) == scope:
                    return k, side.written(at, min(at + len(scope), len(keys) - 1))
    return None if first is None else (first, "")


def _scope(a: _Side, b: _Side) -> FrameChange | None:
    """Both versions make something the highest (worst, biggest); one limits it to a kind
    ("the highest in England and Wales for this type of prison"), the other does not
    ("the worst rates of self-harm in England and Wales"): low, as a limit dropped
    changes the claim but a headline drops it often."""
    found_a, found_b = _scoped(a), _scoped(b)
    if found_a is None or found_b is None or bool(found_a[1]) == bool(found_b[1]):
        return None
    (at_a, limit_a), (at_b, limit_b) = found_a, found_b
    return FrameChange(
        "claim_altered",
        "low",
        a.written(at_a, at_a) + (f" … {limit_a}" if limit_a else ""),
        b.written(at_b, at_b) + (f" … {limit_b}" if limit_b else ""),
        "one version limits the superlative to a kind, the other does not",
    )


def _beside(
    a: _Side,
    b: _Side,
    pairs: list[tuple[int, int]],
    test: Callable[[str, str], bool],
    kind: FrameKind,
) -> FrameChange | None:
    """A word on each side, neither an anchor, that `test` says are opposites, each
    within NEAR words of one anchor and on the same side of it."""
    may = _may_oppose if kind == "claim_altered" else _may_negate
    anchored_a = {i for i, _ in pairs}
    anchored_b = {j for _, j in pairs}
    # Only words that could have an opposite, and are no anchor: most pairs have none.
    open_a = {x for x, t in enumerate(a.tokens) if x not in anchored_a and may(t.key)}
    open_b = {y for y, t in enumerate(b.tokens) if y not in anchored_b and may(t.key)}
    if not open_a or not open_b:
        return None
    for i, j in pairs:
        for step in (1, -1):
            for d in range(1, NEAR + 1):
                x = i + step * d
                if x not in open_a or a.clause[x] != a.clause[i]:
                    continue
                for e in range(1, NEAR + 1):
                    y = j + step * e
                    if y not in open_b or b.clause[y] != b.clause[j]:
                        continue
                    if test(a.tokens[x].key, b.tokens[y].key):
                        span_a = sorted((x, i))
                        span_b = sorted((y, j))
                        return FrameChange(
                            kind,
                            "medium",
                            a.written(*span_a),
                            b.written(*span_b),
                            "the versions use words of opposite meaning"
                            if kind == "claim_altered"
                            else "one version has a word the other negates by its prefix",
                        )
    return None


@text_cache()
def _may_oppose(word: str) -> bool:
    """Whether a word can be one of two opposites (`opposite_words`): it, or a synonym
    of it, is in a listed pair."""
    return opposite_candidate(word)


def _may_negate(word: str) -> bool:
    return len(word) >= 4


_NAME_JOINERS = frozenset({"of", "and", "&"})


@table_cache
def _place_prepositions() -> dict[str, int]:
    """Place preposition -> its group ("in", "at": where; "from", "to": a journey)."""
    groups = meaning_table()["places"]["groups"]
    return {str(word): n for n, group in enumerate(groups) for word in group}


def _names(side: _Side, keys: frozenset[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words (first, last token) after a place preposition, none of
    whose words the other claim has (`keys`). The preposition is the token before. Not
    a month or weekday ("in October", "on Friday"), not a name that qualifies the word
    after it ("at a Taylor Swift-themed class"), and none in a claim written in title
    case (a headline capitalises every word)."""
    prepositions = _place_prepositions()
    function_words = domain.wording().function_words
    calendar = domain.calendar()
    dated = frozenset(calendar.months) | calendar.weekdays
    if _title_case(side.tokens):
        return []
    out = []
    k = 1
    while k < len(side.tokens):
        token = side.tokens[k]
        if side.tokens[k - 1].key in prepositions and token.capitalised:
            end = k
            while end + 1 < len(side.tokens) and side.sentence[end + 1] == side.sentence[k]:
                following = side.tokens[end + 1]
                if following.capitalised and following.key not in function_words:
                    end += 1
                elif (
                    following.key in _NAME_JOINERS
                    and end + 2 < len(side.tokens)
                    and side.tokens[end + 2].capitalised
                ):
                    end += 2  # "Inspectorate of Constabulary", "Fire and Rescue"
                else:
                    break
            run = side.tokens[k : end + 1]
            if (
                not any(t.key in keys or t.key in dated for t in run)
                and side.text[run[-1].end : run[-1].end + 1] not in "-–"
            ):
                out.append((k, end))
            k = end + 1
        else:
            k += 1
    return out


def _title_case(tokens: tuple[Token, ...]) -> bool:
    """Most words capitalised, function words too: a headline in title case."""
    return sum(t.capitalised for t in tokens) > 0.6 * len(tokens)


def _place(a: _Side, b: _Side, pairs: list[tuple[int, int]]) -> FrameChange | None:
    """A place after a preposition of one group in each version, that the other version
    does not write, with one anchor within FRAME_WORDS of it on both sides, both before
    the preposition or both after the name ("service from [Peterborough] to King's
    Cross" / "train from [Doncaster] to London King's Cross")."""
    keys_a = frozenset(t.key for t in a.tokens)
    keys_b = frozenset(t.key for t in b.tokens)
    prepositions = _place_prepositions()
    for first_a, last_a in _names(a, keys_b):
        for first_b, last_b in _names(b, keys_a):
            group = prepositions[a.tokens[first_a - 1].key]
            if group != prepositions[b.tokens[first_b - 1].key]:
                continue
            if any(
                _beside_name(a, first_a, last_a, i, before)
                and _beside_name(b, first_b, last_b, j, before)
                for i, j in pairs
                for before in (True, False)
            ):
                return FrameChange(
                    "place",
                    "medium",
                    a.written(first_a, last_a),
                    b.written(first_b, last_b),
                    "one place is named for another",
                )
    return None


def _beside_name(side: _Side, first: int, last: int, at: int, before: bool) -> bool:
    """Whether token `at` is within FRAME_WORDS before the preposition of the name
    first..last (`before`), or after the name, in its stretch of the sentence."""
    if side.sentence[at] != side.sentence[first]:
        return False
    if before:
        return first - 1 - FRAME_WORDS <= at < first - 1
    return last < at <= last + FRAME_WORDS


__all__ = ["FIGURE_WHY", "FrameChange", "anchors", "frame_changes"]
