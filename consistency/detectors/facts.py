"""Number facts across a story: one count given two ways by two versions, wherever
each version says it.

The claim detectors compare a figure only inside two claims the matcher paired, and a
rewrite's sentence with a figure is often paired with nothing ("A total of 10 were
taken to hospital" / "Eleven people needed hospital treatment"). Here every figure of
a story is a fact: its value as `numbers` reads it (hedge, unit, rounding) and what it
counts, the words around it weighed by how near they stand (in its own clause most)
and by how rare they are among the story's facts, with the names and the moment of
its clause ("at its peak", "still", "initially": `data/facts.toml`). Two facts of two
sources of one story that count the same thing, each the other's best counterpart,
and that `numbers.judge` reads as disagreeing are a `number_conflict`:

- medium (or low, as `judge` rates it): the sentences were not matched, so the two
  figures are not one slot of one claim; high is kept for that (see `claims.py`),
  except where the two sentences are a related pair (one claim paraphrased), or the
  two figures name their measure alike (one casualty measure, or one qualifier of a
  measured noun: `named_alike`), and `judge` reads both with confidence;
- never where either source also gives a figure agreeing with the other's for the
  same thing (it reports both, as a developing story's copy does: "originally 10,
  in fact 11"), where the clauses name different places or bodies, hold different
  moments or years, name two measures ("services inflation" / "core inflation"), one
  figure is a rate ("every day") and the other not, or one figure is the base of a
  change ("up from 2%") and the other is not;
- a round figure and a precise one it rounds ("280,000" / "283,000") are low.

Matched pairs are left to the claim detectors, which read their whole difference.
Candidates come from an index of the facts' counted words within each story: no
pair of claims is scored unless their facts share a word, and a word shared by
more than `MAX_WORD_FACTS` facts (a templated feed's) makes no candidates.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple, cast

from .. import domain
from ..caching import table_cache, text_cache
from ..claimdiff import diff, sandwiched, tokenize
from ..models import Claim, Discrepancy, Severity
from ..numbers import (
    DateMention,
    Quantity,
    both_possible,
    dates,
    has_quantities,
    judge,
    quantities,
    rounds_to,
)
from .base import Context, cluster_topic, make, side
from .registry import Detector, Kind

MIN_SIMILARITY = 0.5
"""Cosine of two facts' weighted counted words at which they count one thing."""
MIN_SIMILARITY_MEASURED = 0.3
"""The same, for two facts of one measure ("dead", "injured"): the measure already
says much of what they count."""
SHARED_QUALIFIERS = 0.5
"""Share of two figures' qualifiers ("food", "drink") both name at which they are
counterparts whatever the rest of their sentences."""
AMBIGUOUS = 0.85
"""A source's other fact within this share of the best one's similarity, agreeing
with the figure, makes the pair ambiguous: no row."""
MAX_WORD_FACTS = 400
"""A counted word found in more of a story's facts than this makes no candidates."""
OTHER_CLAUSE = 0.3
"""Weight of a word outside the figure's own clause (the subject before a comma)."""
BEYOND_OTHER_FIGURE = 0.4
"""Weight factor of a word with another figure between it and this one."""
MIN_WEIGHT = 0.05
SUBSET_WEIGHT = 0.6
"""Weight of the words a part ("including 14 children") takes from its whole."""
SUBJECT_WEIGHT = 0.6
"""Weight of the words of a sentence's measured subject for a figure whose own clause
names nothing it counts ("Core inflation, which strips out food, rose by 4.6%")."""


@dataclass(frozen=True)
class _Vocabulary:
    counted: dict[str, str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    any_phrase: re.Pattern[str]
    """Matches where some phrase does: most claims hold none, and one search is
    cheaper than one substitution per phrase."""
    neutral: frozenset[str]
    moments: tuple[tuple[str, re.Pattern[str]], ...]
    base: re.Pattern[str]
    subset_before: re.Pattern[str]
    subset_after: re.Pattern[str]
    clause_word: re.Pattern[str]
    calendar: frozenset[str]
    measures: frozenset[str]
    implies: dict[str, str]
    people: str
    loose_measures: frozenset[str]
    measured: frozenset[str]
    sentence_moments: frozenset[str]
    rates: tuple[tuple[str, re.Pattern[str]], ...]
    no_projection: re.Pattern[str]


@table_cache
def _vocabulary() -> _Vocabulary:
    raw = domain.table("facts.toml")
    counted: dict[str, str] = {}
    phrases: list[tuple[re.Pattern[str], str]] = []
    written: list[str] = []
    for group in raw["counted"]:
        head = group[0]
        for word in group:
            if " " in word:
                # Not inside a longer word: "non-life-threatening" is the opposite.
                phrases.append((re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.I), head))
                written.append(re.escape(word))
            else:
                counted[_fold(word)] = head
    moments = tuple(
        (name, re.compile(rf"(?<!\w)(?:{domain.alternation(words)})(?!\w)", re.I))
        for name, words in raw["moments"].items()
    )
    hedges = domain.alternation(list(domain.lexicon().hedges))
    cal = domain.calendar()
    before = rf"(?:{{}})\s+(?:(?:{hedges})\s+)?(?:an?\s+)?$"
    return _Vocabulary(
        counted=counted,
        phrases=tuple(phrases),
        any_phrase=re.compile(
            rf"(?<![\w-])(?:{'|'.join(written)})(?![\w-])" if written else "(?!)", re.I
        ),
        neutral=frozenset(raw["neutral"]),
        moments=moments,
        base=re.compile(before.format(domain.alternation(raw["base"])), re.I),
        subset_before=re.compile(before.format(domain.alternation(raw["subset"])), re.I),
        subset_after=re.compile(r"^\s+(?:of\s+(?:them|whom|those))(?!\w)", re.I),
        clause_word=re.compile(rf"\s(?:{domain.alternation(raw['clause_words'])})\s", re.I),
        calendar=frozenset(cal.months) | frozenset(cal.weekdays),
        measures=frozenset(raw["measures"]),
        implies=dict(raw["implies"]),
        people=raw["people"],
        loose_measures=frozenset(raw["loose_measures"]),
        measured=frozenset(raw["measured"]),
        sentence_moments=frozenset(raw["sentence_moments"]),
        rates=tuple(
            # "a year ago" is a moment, not a rate.
            (
                period,
                re.compile(
                    rf"(?<!\w)(?:{domain.alternation(words)})(?!\w)(?!\s+(?:ago|earlier|before|later))",
                    re.I,
                ),
            )
            for period, words in raw["rates"].items()
        ),
        no_projection=re.compile(
            rf"(?<!\w)(?:{domain.alternation(raw['no_projection'])})(?!\w)", re.I
        ),
    )


_FOLDED_HYPHENS = re.compile("[‐‑‒–]")
_POSSESSIVE = re.compile(r"'s?$")


def _fold(word: str) -> str:
    """A word's key: lower case, one kind of hyphen and apostrophe, no possessive, and
    its plural folded ("injuries" -> "injury", "deaths" -> "death")."""
    word = _FOLDED_HYPHENS.sub("-", word.lower()).replace("’", "'")
    if "'" in word:  # else no possessive to take off
        word = _POSSESSIVE.sub("", word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """A folded word without its verb ending: "suffered", "suffering" -> "suffer"."""
    for ending in ("ing", "ed"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


@text_cache()
def _key(word: str) -> tuple[str, str]:
    """(folded, key): the word folded, and what it is compared as (its counted group's
    head, else its stem)."""
    counted = _vocabulary().counted
    folded = _fold(word)
    if folded in counted:
        return folded, counted[folded]
    stem = _stem(folded)
    return folded, counted.get(stem, stem)


def counted_as(word: str) -> str:
    """What a counted word is compared as: "fatalities" and "deaths" are one thing. The
    numbers module gives a figure's thing with a plural "s" cut off ("fatalitie"), so
    the plural is tried too."""
    counted = _vocabulary().counted
    for form in (word, word + "s"):
        folded = _fold(form)
        if folded in counted:
            return counted[folded]
    return _key(word)[1]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of a claim's text and what the words around it say of it."""

    quantity: Quantity
    words: Mapping[str, float]
    """Counted words (keys) and how near the figure each stands (1 beside it)."""
    core: frozenset[str]
    """The counted words of its own clause: the index it is found under."""
    names: frozenset[str]
    """Capitalised words of its clause (places, bodies): "Republic", "Kerr"."""
    measures: frozenset[str]
    """What a casualty or case count measures ("dead", "critical"; data/facts.toml)."""
    moments: frozenset[str]
    """The classes of moment its part of the sentence holds ("peak", "remainder")."""
    periods: frozenset[str]
    """The dates of its part of the sentence ("2016-??-??", "????-12-??")."""
    base: bool
    """It is the base of a change ("up from 2%")."""
    shown: str
    """The figure and the words after it in its clause, as written."""
    other: bool = False
    """It counts others than a figure before ("eight other children", "eight others")."""
    part: bool = False
    """It counts part of a figure before ("37 dead, including 14 children")."""
    noun: str = ""
    """The plural noun right after it ("149,604 complaints"), as a key; "" for none."""
    compound: str = ""
    """The word a hyphen joins to it ("40-year high", "four-point lead")."""
    companions: tuple[Quantity, ...] = ()
    """The figures with a unit in its clause ("26 feet in 45 minutes")."""
    rate: str = ""
    """The period it is given for ("400 every day": "day"); "" for a total."""
    qualifiers: frozenset[str] = frozenset()
    """The words that say which measure it is ("services" of "services inflation",
    "interest" of "interest rates"; see `measured` in data/facts.toml)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure of one claim of one source."""

    claim_id: str
    source: str
    figure: Figure

    @property
    def quantity(self) -> Quantity:
        return self.figure.quantity


_HYPHENS = re.compile("[‐‑‒–]")
_WORD = re.compile(r"[^\W\d_](?:[\w'’‐‑-]*[^\W_])?")
_CLAUSE_END = re.compile(r",(?!\d{3})|[;:()\[\]—–]|\s-\s|\.\s")
_RANGE_AFTER = re.compile(r"^\s*(?:-|–|to|and)\s*\d")
_RANGE_BEFORE = re.compile(r"(?:\d\s*(?:-|–)|\d\s+(?:and|to)|between)\s*$", re.I)
_CONVERSION = re.compile(r"\d[^\d()]{0,12}\(\s*(?:about\s+|around\s+)?$")
"""A figure in brackets after another ("183km/h (114mph)"): the first converted."""
_NOT_A_COUNT_AFTER = re.compile(
    r"^(?:[-\s]?years?[-\s]old|[-\s]?year-olds?|-(?:third|thirds|half|quarter|fifth)s?\b)", re.I
)
"""An age ("32-year-old"), or a fraction written with a hyphen ("one-third")."""
_OTHER_AFTER = re.compile(r"^\s+(?:other|others|more|additional|further)\b", re.I)
_OTHER_BEFORE = re.compile(r"\b(?:another|other|an additional|a further)\s+$", re.I)
_NOUN_AFTER = re.compile(r"^\s+([A-Za-z][a-z]+s)\b")
_COMPOUND_AFTER = re.compile(r"^-([A-Za-z]+)")
_SCOPE_BEFORE = re.compile(r"\b(?:in|at|across|throughout|within)\s+(?:\S+\s+){0,2}$", re.I)
"""A name after these words is where a figure was counted ("in the Republic")."""
AND_REACH = 30
"""Characters after an "and" within which a figure makes it join two clauses."""
RATE_REACH = 50
"""Characters after a figure within which a rate phrase makes it a rate ("400
allegations of animal cruelty every day")."""
_SHOWN_WORDS = 5
WINDOW = 12
"""Words read on each side of a figure."""
REACH = 240
"""Characters of its clause read on each side of a figure."""


class _Token(NamedTuple):
    # A tuple: made for every word of every claim with a figure, and quicker to make.
    start: int
    end: int
    key: str
    capitalised: bool
    scope: bool = False
    """A name of where something was counted ("in Northern Ireland")."""
    descriptive: bool = False
    """An adverb or a participle ("closely watched", "rising"): it describes a measure,
    it does not say which."""


def _counts(text: str, q: Quantity) -> bool:
    """Whether a figure is a count or amount of something the story reports: not one
    end of a range or a score ("between 23 and 25", "6-3"), not a conversion in
    brackets, not an age, not a bare "6.9 m"."""
    before, after = text[max(0, q.start - 16) : q.start], text[q.end : q.end + 12]
    if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before) or _CONVERSION.search(before):
        return False
    if _NOT_A_COUNT_AFTER.match(after):
        return False
    magnitude = re.search(r"\d\s?([A-Za-z]{1,2})$", q.text)
    return not (magnitude and not q.unit and not q.thing)


def _padded(head: str) -> Callable[[re.Match[str]], str]:
    """A phrase replaced by its group's head, padded to the phrase's length so that every
    offset in the text stays where it was ("fighting for their lives" -> "critical")."""

    def replace(match: re.Match[str]) -> str:
        return head[: len(match.group())].ljust(len(match.group()), "\x00")

    return replace


def _joins_words(conjunction: re.Match[str], figure_starts: list[int]) -> bool:
    """An "and" with no figure in the next few words joins two words of one phrase
    ("food and drink prices"), not two clauses."""
    if conjunction.group().strip().lower() != "and":
        return False
    at = bisect.bisect_left(figure_starts, conjunction.end())
    return at == len(figure_starts) or figure_starts[at] > conjunction.end() + AND_REACH


_DESCRIPTIVE_ENDINGS = ("ly", "ed", "ing")
_RUN_JOIN = re.compile(r"\s+|\s*-\s*|\s+and\s+", re.I)
"""What joins two words of one noun phrase ("services inflation", "food and drink")."""
_OBJECT_JOIN = re.compile(r"\s+(?:for|of|on|among)\s+(?:(?:the|a|an)\s+)?", re.I)
"""What joins a measured phrase to what it measures ("the rate for services")."""


@dataclass(frozen=True, slots=True)
class _Run:
    """A noun phrase naming a measured quantity ("the closely watched core inflation
    measure", "the rate of inflation")."""

    start: int
    end: int
    keys: frozenset[str]
    qualifiers: frozenset[str]
    """Its words but the measured noun it ends on, and what it is "for" or "of"."""


def _measured_runs(text: str, tokens: list[_Token]) -> list[_Run]:
    measured = _vocabulary().measured
    runs: list[list[_Token]] = []
    for token in tokens:
        if runs and _RUN_JOIN.fullmatch(text[runs[-1][-1].end : token.start]):
            runs[-1].append(token)
        else:
            runs.append([token])
    out: list[_Run] = []
    taken = -1  # the run read as the object of the one before ("the rate of inflation")
    for n, run in enumerate(runs):
        heads = [i for i, t in enumerate(run) if t.key in measured]
        if not heads or n == taken:
            continue
        phrase = [t for i, t in enumerate(run) if i != heads[-1]]
        end = run[-1].end
        if n + 1 < len(runs) and _OBJECT_JOIN.fullmatch(text[end : runs[n + 1][0].start]):
            phrase += runs[n + 1]
            end = runs[n + 1][-1].end
            taken = n + 1
        qualifiers = frozenset(t.key for t in phrase if not (t.capitalised or t.descriptive))
        keys = qualifiers | {run[heads[-1]].key}
        out.append(_Run(run[0].start, end, keys, qualifiers))
    return out


def _subject(runs: list[_Run], q: Quantity, start: int, end: int) -> _Run | None:
    """The measured phrase a figure speaks of: the nearest before it in its clause (from
    `start` to `end`), else the nearest after it there, else the sentence's first if
    that stands before it (the subject: "Core inflation, which strips out food and
    energy, rose by 4.6%")."""
    before = [r for r in runs if start <= r.start and r.end <= q.start]
    if before:
        return before[-1]
    after = [r for r in runs if q.end <= r.start and r.end <= end]
    if after:
        return after[0]
    return runs[0] if runs and runs[0].end <= q.start else None


class _Parts:
    """A claim's words, clauses and figures, for reading its facts."""

    def __init__(self, text: str, found_dates: list[DateMention], counted: list[Quantity]) -> None:
        self.quantities = counted
        # A year or a month is the period a figure is for ("in 2016", "in December"); a
        # day is when a developing story's figure was given, which is no other count.
        self.dates = [
            (d.start, d.value)
            for d in found_dates
            if d.kind == "absolute" and d.value.endswith("-??")
        ]
        vocabulary = _vocabulary()
        self.part_ends = [m.start() for m in _CLAUSE_END.finditer(text)]
        figure_starts = [q.start for q in self.quantities]
        self.clause_ends = sorted(
            {
                *self.part_ends,
                *(
                    m.start()
                    for m in vocabulary.clause_word.finditer(text)
                    if not _joins_words(m, figure_starts)
                ),
            }
        )
        text_keys = _HYPHENS.sub("-", text)
        if vocabulary.any_phrase.search(text_keys):
            for pattern, head in vocabulary.phrases:
                text_keys = pattern.sub(_padded(head), text_keys)
        tokens: list[_Token] = []
        q_starts = [q.start for q in self.quantities]
        found = list(_WORD.finditer(text_keys))
        # In a title-case headline every word is capitalised: none is a name for that.
        title_case = sum(m.group()[:1].isupper() for m in found) > 0.6 * len(found)
        for m in found:
            at = bisect.bisect_right(q_starts, m.start()) - 1
            if at >= 0 and m.start() < self.quantities[at].end:
                continue  # inside a figure ("£5.8bn", "five million")
            entry = _word_entry(m.group())
            if entry is None:
                continue
            key, upper, descriptive = entry
            capitalised = not title_case and upper and m.start() > 0
            scope = capitalised and bool(
                _SCOPE_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
            )
            tokens.append(_Token(m.start(), m.end(), key, capitalised, scope, descriptive))
        self.tokens = tokens
        self.runs = _measured_runs(text, tokens)

    def clause(self, position: int) -> int:
        return bisect.bisect_right(self.clause_ends, position)

    def span(self, position: int, length: int, ends: list[int]) -> tuple[int, int]:
        """The clause (`clause_ends`) or part of the sentence between punctuation
        (`part_ends`) around a position."""
        index = bisect.bisect_right(ends, position)
        start = ends[index - 1] + 1 if index else 0
        end = ends[index] if index < len(ends) else length
        return start, end


@text_cache()
def _word_entry(written: str) -> tuple[str, bool, bool] | None:
    """(key, capitalised as written, descriptive) of a word a figure's words are read
    from (a phrase's padding taken out); None for a function word, a neutral one, a
    month or a weekday. Worked out once per word, as most words recur."""
    vocabulary = _vocabulary()
    word = written.replace("\x00", "")
    folded, key = _key(word)
    lower = word.lower()
    if lower in domain.wording().function_words:
        return None
    if key in vocabulary.neutral or folded in vocabulary.neutral:
        return None
    if len(key) < 2 or lower in vocabulary.calendar:
        return None  # a month or a weekday is a period, read from the dates
    return key, word[:1].isupper(), lower.endswith(_DESCRIPTIVE_ENDINGS)


@text_cache()
def figures(text: str) -> tuple[Figure, ...]:
    """Each figure of a claim's text with what it counts (see `Figure`)."""
    # Most claims hold no figure: their words are not read (`_figures_of` would find
    # none).
    if not has_quantities(text):
        return ()
    found_dates = dates(text)
    counted = _counted(text, found_dates)
    if not counted:
        return ()
    return _figures_of(text, _Parts(text, found_dates, counted))


def _counted(text: str, found_dates: list[DateMention]) -> list[Quantity]:
    """The figures of a text that count something (`_counts`), dates left out."""
    spans = [(d.start, d.end) for d in found_dates]
    return [q for q in quantities(text, spans) if _counts(text, q)]


def _figures_of(text: str, parts: _Parts) -> tuple[Figure, ...]:
    vocabulary = _vocabulary()
    tokens = parts.tokens
    starts = [t.start for t in tokens]
    figure_starts = [q.start for q in parts.quantities]
    token_clause = [parts.clause(t.start) for t in tokens]
    # Each moment's phrases found once in the whole text, then looked up by position:
    # searching each figure's part would read a line of thousands of figures once per
    # figure.
    # "rose as expected to 3.7%" is a figure that met a forecast, not a projection.
    unforecast = vocabulary.no_projection.sub(lambda m: " " * len(m.group()), text)
    moment_spans = [
        (name, [m.start() for m in found], [m.end() for m in found])
        for name, pattern in vocabulary.moments
        for found in [list(pattern.finditer(unforecast))]
    ]
    # An opening phrase with no figure of its own ("Just a few days ago, ...") puts
    # the whole sentence at its moment.
    opening_end = parts.part_ends[0] if parts.part_ends else 0
    opening = frozenset(
        name
        for name, _, found_ends in moment_spans
        if name in vocabulary.sentence_moments
        and found_ends
        and found_ends[0] <= opening_end
        and not (figure_starts and figure_starts[0] < opening_end)
    )
    out: list[Figure] = []
    previous: Figure | None = None
    for q in parts.quantities:
        clause = parts.clause(q.start)
        at = bisect.bisect_left(starts, q.start)  # tokens before the figure: [0, at)
        words: dict[str, float] = {}
        for k in range(max(0, at - WINDOW), min(len(tokens), at + WINDOW)):
            token = tokens[k]
            if token.capitalised:
                continue
            gap = at - 1 - k if k < at else k - at
            # Another figure between the word and this one: the word is more its.
            low, high = (token.end, q.start) if k < at else (q.end, token.start)
            crossed = bisect.bisect_left(figure_starts, high) > bisect.bisect_left(
                figure_starts, low
            )
            weight = 1.0 / (1.0 + 0.5 * gap)
            if token_clause[k] != clause:
                weight *= OTHER_CLAUSE
            if crossed:
                weight *= BEYOND_OTHER_FIGURE
            if weight >= MIN_WEIGHT:
                words[token.key] = max(words.get(token.key, 0.0), weight)
        start, end = parts.span(q.start, len(text), parts.clause_ends)
        # A clause is read near its figure only: an 800 KB line is not one clause to read
        # once per figure.
        start, end = max(start, q.start - REACH), min(end, q.end + REACH)
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        core = frozenset(t.key for t in tokens[first:last] if not t.capitalised)
        names = frozenset(t.key for t in tokens[first:last] if t.scope)
        measures = core & vocabulary.measures
        before = text[max(0, q.start - 30) : q.start]
        base = bool(vocabulary.base.search(before))
        part_of = vocabulary.subset_before.search(before) or vocabulary.subset_after.match(
            text[q.end : q.end + 16]
        )
        if previous is not None and not (part_of or base) and len(core) <= 1:
            # A clause that says little of what its figure counts ("down from a peak of
            # 768,000 earlier in the day") speaks of what the figure before counts.
            for key, weight in previous.words.items():
                words[key] = max(words.get(key, 0.0), weight * SUBSET_WEIGHT)
        if previous is not None and (part_of or base):
            # A part, or the base of a change, counts what the figure before it counts,
            # or what the words between them name ("24 dead and many missing, including
            # 20 girls": missing girls).
            between = frozenset(
                t.key
                for t in tokens[bisect.bisect_left(starts, previous.quantity.end) : at]
                if t.start < q.start
            )
            words_before = between & vocabulary.measures
            for key, weight in previous.words.items():
                words[key] = max(words.get(key, 0.0), weight * SUBSET_WEIGHT)
            if part_of:
                measures |= words_before or previous.measures
            if base:
                core |= previous.core
        measures |= {vocabulary.implies[m] for m in measures if m in vocabulary.implies}
        # A moment or a date stands for the whole part of the sentence between commas:
        # "725,000 in the Republic and 283,000 in Northern Ireland at its peak".
        subject = _subject(parts.runs, q, start, end)
        if subject is not None and not core and not (start <= subject.start < end):
            for key in subject.keys:
                words[key] = max(words.get(key, 0.0), SUBJECT_WEIGHT)
            core = subject.keys
        part_start, part_end = parts.span(q.start, len(text), parts.part_ends)
        part_start, part_end = max(part_start, q.start - REACH), min(part_end, q.end + REACH)
        moments = opening | frozenset(
            name
            for name, found_starts, found_ends in moment_spans
            if (k := bisect.bisect_left(found_starts, part_start)) < len(found_starts)
            and found_ends[k] <= part_end
        )
        date_starts = [d for d, _ in parts.dates]
        periods = frozenset(
            v
            for _, v in parts.dates[
                bisect.bisect_left(date_starts, part_start) : bisect.bisect_left(
                    date_starts, part_end
                )
            ]
        )
        after = text[q.end : q.end + 40]
        noun = _NOUN_AFTER.match(after)
        compound = _COMPOUND_AFTER.match(after)
        figure = Figure(
            q,
            words,
            core,
            names,
            frozenset(measures),
            moments,
            periods,
            base,
            _shown(text, q, end),
            # "3.3% more expensive" is a change, not others counted.
            other=not q.unit and bool(_OTHER_AFTER.match(after) or _OTHER_BEFORE.search(before)),
            part=bool(part_of) and previous is not None,
            noun=_key(noun.group(1))[1] if noun else "",
            compound=_key(compound.group(1))[1] if compound else "",
            companions=tuple(
                o
                for o in parts.quantities[
                    bisect.bisect_left(figure_starts, start) : bisect.bisect_left(
                        figure_starts, end
                    )
                ]
                if o is not q and o.unit
            ),
            rate=_rate(text[q.end : min(end, q.end + RATE_REACH)]),
            qualifiers=subject.qualifiers if subject is not None else frozenset(),
        )
        out.append(figure)
        previous = figure
    return tuple(out)


def _rate(after: str) -> str:
    """The period of the first rate phrase in the words after a figure ("every day")."""
    found = [
        (m.start(), period)
        for period, pattern in _vocabulary().rates
        if (m := pattern.search(after))
    ]
    return min(found)[1] if found else ""


def _shown(text: str, q: Quantity, clause_end: int) -> str:
    end = q.end
    for count, m in enumerate(_WORD.finditer(text, q.end, clause_end)):
        if count >= _SHOWN_WORDS:
            break
        end = m.end()
    return text[q.start : end]


def story_facts(claims: list[Claim]) -> list[Fact]:
    """The facts of a story's claims (quotations' own claims left out: the sentence
    that holds a quotation holds its figures too)."""
    return [
        Fact(claim.claim_id, claim.source, figure)
        for claim in claims
        if claim.kind != "quote"
        for figure in figures(claim.text)
        if figure.words
    ]


def _weights(facts: list[Fact]) -> dict[str, float]:
    """Inverse frequency of each counted word among the story's facts."""
    df: dict[str, int] = defaultdict(int)
    for f in facts:
        for key in f.figure.core:
            df[key] += 1
    n = len(facts)
    return {key: math.log(1 + n / count) for key, count in df.items()}


def _vector(figure: Figure, idf: Mapping[str, float], rare: float) -> dict[str, float]:
    return {key: w * idf.get(key, rare) for key, w in figure.words.items()}


def _squares(vector: Mapping[str, float]) -> float:
    return sum(w * w for w in vector.values())


def _cosine(
    a: Mapping[str, float], b: Mapping[str, float], squares_a: float, squares_b: float
) -> float:
    """Cosine of two vectors, given each one's sum of squares (`_squares`, worked out
    once per fact rather than once per pair it is scored in)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(squares_a * squares_b)


def comparable(a: Figure, b: Figure) -> bool:
    """Whether two figures can count one thing at one moment: the same unit and
    measure, no two different places or bodies named, the same moments, no two
    different dates, both or neither the base of a change."""
    if a.quantity.unit != b.quantity.unit or a.base != b.base or a.measures != b.measures:
        return False
    if a.other != b.other or a.part != b.part or a.rate != b.rate:
        return False
    if a.compound and b.compound and a.compound != b.compound:
        return False
    people = _vocabulary().people
    if a.noun and b.noun and a.noun != b.noun and people not in (a.noun, b.noun):
        return False  # "149,604 complaints" / "1.15 million calls"
    for x in a.companions:
        # "26 feet in 45 minutes" / "22 feet in two hours": two measurements.
        if any(y.unit == x.unit and judge(x, y).verdict != "agree" for y in b.companions):
            return False
    if a.names and b.names and not a.names & b.names:
        return False
    if _other_measures(a.qualifiers, b.qualifiers):
        return False
    if a.moments != b.moments:
        return False
    return not (
        a.periods and b.periods and not any(_same_date(x, y) for x in a.periods for y in b.periods)
    )


def _other_measures(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two figures' qualifiers name two measures: each has one the other lacks,
    and they share none but a measured noun ("inflation rate for services" / "core
    inflation measure"; not "food and drink products" / "food and beverage prices")."""
    shared = a & b
    if shared - _vocabulary().measured:
        return False
    return bool(a - shared) and bool(b - shared)


def named_alike(a: Figure, b: Figure) -> bool:
    """Whether two figures name one measure alike: the same casualty measure ("dead",
    "injured"), or the same qualifier ("services inflation" / "the inflation rate for
    services"): one slot of one measure, whatever sentence each stands in."""
    vocabulary = _vocabulary()
    if a.names != b.names:
        return False  # "12 died in the town of X" may be part of the toll the other gives
    if a.measures == b.measures and a.measures - vocabulary.loose_measures:
        return True  # "killing at least 13 people" / "the death toll rose to 43"
    return bool((a.qualifiers & b.qualifiers) - vocabulary.measured)


def _qualifier_share(a: Figure, b: Figure) -> float:
    """The share of two figures' qualifiers both name, measured nouns left out of the
    shared part (`named_alike`)."""
    union = a.qualifiers | b.qualifiers
    if not union:
        return 0.0
    return len((a.qualifiers & b.qualifiers) - _vocabulary().measured) / len(union)


def _same_date(x: str, y: str) -> bool:
    parts = zip(x.split("-"), y.split("-"), strict=False)
    return all(p == q or "?" in p or "?" in q for p, q in parts)


def same_count(text_a: str, qa: Quantity, text_b: str, qb: Quantity) -> bool:
    """Whether two figures of two claims (as `numbers.quantities` read them) can count
    one thing at one moment (`comparable`); True where either is not read as a count."""
    a, b = _by_start(text_a).get(qa.start), _by_start(text_b).get(qb.start)
    return a is None or b is None or comparable(a, b)


@text_cache()
def _by_start(text: str) -> dict[int, Figure]:
    return {f.quantity.start: f for f in figures(text)}


def _agree(f: Fact, g: Fact) -> bool:
    qa, qb = f.quantity, g.quantity
    return judge(qa, qb).verdict == "agree" or rounds_to(qa, qb) or rounds_to(qb, qa)


def fact_conflicts(ctx: Context) -> Iterator[Discrepancy]:
    from .claims import aligned_pairs  # the claim detectors report number_conflict too

    aligned: dict[frozenset[str], str] = {
        frozenset((m.claim_a, m.claim_b)): how for m, how in aligned_pairs(ctx)
    }
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in ctx.claims.values():
        by_story[ctx.story(claim.source)].append(claim)
    # Once for the feed: built inside the loop it was quadratic in the feed's stories.
    partners = _partners(_versions(ctx, aligned))
    for story in sorted(by_story):
        claims = sorted(by_story[story], key=lambda c: c.claim_id)
        if len({c.source for c in claims}) < 2:
            continue
        yield from _story_conflicts(ctx, story_facts(claims), aligned, partners)


def _versions(ctx: Context, aligned: dict[frozenset[str], str]) -> set[frozenset[str]]:
    """The pairs of sources with a claim paired between them: versions of one story, not
    two reports of one event that only share a topic."""
    source = {claim_id: claim.source for claim_id, claim in ctx.claims.items()}
    return {frozenset([source[c] for c in pair]) for pair in aligned}


def _partners(versions: set[frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each source's versions (`_versions`): the other sources it may be compared with."""
    out: dict[str, set[str]] = defaultdict(set)
    for pair in versions:
        if len(pair) == 2:
            a, b = pair
            out[a].add(b)
            out[b].add(a)
    return {source: frozenset(others) for source, others in out.items()}


def _story_conflicts(
    ctx: Context,
    facts: list[Fact],
    aligned: dict[frozenset[str], str],
    partners: Mapping[str, frozenset[str]],
) -> Iterator[Discrepancy]:
    similar = _similar(facts, partners)
    # Each fact's counterparts in each other source, best first.
    best: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
    for (i, j), score in similar.items():
        if score < MIN_SIMILARITY:
            continue
        best[(i, facts[j].source)].append((score, j))
        best[(j, facts[i].source)].append((score, i))
    for candidates in best.values():
        candidates.sort(key=lambda c: (-c[0], c[1]))
    rows: dict[tuple[str, str, str, str], tuple[float, Discrepancy]] = {}
    # Versions repeat a figure's sentence word for word: two figures (each read once
    # per text, so one object wherever the text is) are judged once.
    judged: dict[tuple[str, int, int], bool] = {}

    def agree(f: Fact, g: Fact) -> bool:
        pair = ("agree", id(f.figure), id(g.figure))
        if pair not in judged:
            judged[pair] = _agree(f, g)
        return judged[pair]

    def counterparts(f: Fact, g: Fact) -> bool:
        pair = ("comparable", id(f.figure), id(g.figure))
        if pair not in judged:
            judged[pair] = comparable(f.figure, g.figure)
        return judged[pair]

    for (i, _source), candidates in sorted(best.items()):
        score, j = candidates[0]
        if i > j:
            continue  # each pair once, from its lower index
        mirror = best.get((j, facts[i].source), [])
        if not mirror or mirror[0][1] != i:
            continue  # not each other's best counterpart
        f, g = facts[i], facts[j]
        if not counterparts(f, g) or agree(f, g):
            continue
        # Either source also gives a figure agreeing with the other's for what may be
        # the same thing: it reports both (an update, a correction), or the pair is unsure.
        if any(agree(f, facts[k]) for s, k in candidates if s >= AMBIGUOUS * score) or any(
            agree(g, facts[k]) for s, k in mirror if s >= AMBIGUOUS * score
        ):
            continue
        pair = frozenset((f.claim_id, g.claim_id))
        if pair in aligned and _compared_in_pair(ctx, f, g, aligned[pair]):
            continue  # the claim detectors read this pair's difference
        row = _row(ctx, f, g, pair in aligned, score)
        if row is None:
            continue
        shown = (row.source_a, row.source_b, row.value_a, row.value_b)
        if shown not in rows or rows[shown][0] < score:
            rows[shown] = (score, row)
    for _, row in sorted(rows.values(), key=lambda r: r[1].id):
        yield row


def _similar(
    facts: list[Fact], partners: Mapping[str, frozenset[str]]
) -> dict[tuple[int, int], float]:
    """(i, j) -> score, i < j, for each two facts of a story that may count one thing:
    they share a counted word found in at most MAX_WORD_FACTS facts, are of two sources
    that are versions of each other (`partners`), and have one unit, one measure and
    both or neither the base of a change.

    A story's versions repeat most sentences word for word, so its facts hold few
    distinct figures (`figures` reads each text once): each figure's vector and each
    two figures' score are worked out once, however many facts share them."""
    distinct: dict[int, int] = {}
    kind = [distinct.setdefault(id(f.figure), len(distinct)) for f in facts]
    shown = {k: f.figure for k, f in zip(kind, facts, strict=True)}
    idf = _weights(facts)
    rare = math.log(1 + len(facts))
    vectors = {k: _vector(figure, idf, rare) for k, figure in shown.items()}
    squares = {k: _squares(v) for k, v in vectors.items()}
    scores: dict[tuple[int, int], float] = {}

    def score(x: int, y: int) -> float:
        if (x, y) not in scores:
            scores[(x, y)] = _score(
                shown[x], shown[y], vectors[x], vectors[y], squares[x], squares[y]
            )
        return scores[(x, y)]

    crowded = _crowded(facts)
    # A base of a change ("up from 4.2%") shares every word of its level ("rose by
    # 4.6%"): never a counterpart of a level, it would tie with it.
    alike: dict[tuple[object, str], list[int]] = defaultdict(list)
    signatures = [_signature(f.figure) for f in facts]
    for i, f in enumerate(facts):
        for key in f.figure.core:
            if key not in crowded:
                alike[(signatures[i], key)].append(i)
    similar: dict[tuple[int, int], float] = {}
    for i, f in enumerate(facts):
        others = partners.get(f.source, frozenset())
        near: set[int] = set()
        for key in f.figure.core:
            if key not in crowded:
                near.update(alike[(signatures[i], key)])
        for j in sorted(near):
            if j > i and facts[j].source in others:
                similar[(i, j)] = score(kind[i], kind[j])
    return similar


def _crowded(facts: list[Fact]) -> set[str]:
    """The counted words found in more than MAX_WORD_FACTS facts (a templated feed's)."""
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        for key in f.figure.core:
            counts[key] += 1
    return {key for key, n in counts.items() if n > MAX_WORD_FACTS}


def _signature(figure: Figure) -> tuple[str, frozenset[str], bool]:
    """What two figures must share to be scored as counterparts."""
    return figure.quantity.unit, figure.measures, figure.base


def _score(
    a: Figure,
    b: Figure,
    vector_a: Mapping[str, float],
    vector_b: Mapping[str, float],
    squares_a: float,
    squares_b: float,
) -> float:
    """How alike two figures' counted words are, on one scale for all figures."""
    score = _cosine(vector_a, vector_b, squares_a, squares_b)
    if a.measures - _vocabulary().loose_measures:
        # One scale for all pairs: the measured cut-off maps to the other.
        score = min(1.0, score * MIN_SIMILARITY / MIN_SIMILARITY_MEASURED)
    # "inflation on food and drink products" / "food and drink prices": the words that
    # name the measure say more than the rest of the sentence, enough to be
    # counterparts; the rest still ranks them.
    if _qualifier_share(a, b) >= SHARED_QUALIFIERS:
        score = max(score, MIN_SIMILARITY)
    return score


def _compared_in_pair(ctx: Context, f: Fact, g: Fact, how: str) -> bool:
    """Whether the claim detectors judged these two figures: a matched pair's whole
    difference is theirs; a related pair's only where a change between shared phrases
    (`claimdiff.sandwiched`) touches a figure; a loosely aligned pair's never (they
    judge its frames, not its numbers: see `claims.aligned_pairs`)."""
    if how == "matched":
        return True
    if how == "loose":
        return False
    a, b = ctx.claims[f.claim_id], ctx.claims[g.claim_id]
    hunks = sandwiched(diff(tokenize(a.text, a.in_quote), tokenize(b.text, b.in_quote)))
    qa, qb = f.quantity, g.quantity
    for h in hunks:
        span_a = (h.a[0].start, h.a[-1].end) if h.a else (h.a_at, h.a_at)
        span_b = (h.b[0].start, h.b[-1].end) if h.b else (h.b_at, h.b_at)
        if span_a[0] <= qa.end and qa.start <= span_a[1]:
            return True
        if span_b[0] <= qb.end and qb.start <= span_b[1]:
            return True
    return False


def _row(ctx: Context, f: Fact, g: Fact, related: bool, score: float) -> Discrepancy | None:
    from .claims import _when_published

    qa, qb = f.quantity, g.quantity
    judged = judge(qa, qb)
    if judged.verdict == "agree":
        return None
    severity = cast(Severity, judged.severity)
    why = judged.why
    if not related:
        if judged.verdict != "contradict" and abs(qa.value - qb.value) <= max(qa.step, qb.step):
            return None  # one figure, hedged or rounded in one sentence and not the other
        if severity == "high" and not named_alike(f.figure, g.figure):
            severity = "medium"
        if both_possible(qa, qb):
            severity, why = "low", "hedged figures that can both be true"
    a, b = ctx.claims[f.claim_id], ctx.claims[g.claim_id]
    subject = cluster_topic(ctx, a)
    said_a, said_b, older = _when_published(ctx, a.source, b.source)
    where = "in one claim paraphrased" if related else "in different sentences"
    if not related and named_alike(f.figure, g.figure):
        where += ", the measure named alike"
    explanation = (
        f"{subject}: {said_a} says {f.figure.shown!r}, {said_b} says {g.figure.shown!r} "
        f"({why}; the same count {where}{older})"
    )
    return make(
        "number_conflict",
        severity,
        subject,
        side(ctx, a.claim_id, f.figure.shown),
        side(ctx, b.claim_id, g.figure.shown),
        explanation,
        ctx,
        similarity=round(100 * score, 1),
    )


NUMBER_CONFLICT = Kind(
    "number_conflict", ("high", "medium", "low"), "one quantity of one thing with two values"
)
"""Reported by the claim detectors too (a figure changed inside a matched claim): one
kind, declared here."""

DETECTORS = (Detector("fact_conflicts", fact_conflicts, (NUMBER_CONFLICT,)),)
