"""Quotations: what a speaker is quoted as saying, and who is quoted.

- `quote_altered`: a speaker's quotation in two sources, one allowed to be a
  fragment of the other, differing inside the shared part: low for punctuation
  or case only, medium for changed words, high when a changed word is a number,
  a negation or a grade.
- `quote_attribution`: the same quotation given to two different people: high,
  or low when one version only implies its speaker (a pronoun, a continued
  quotation).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Opcode

from .. import claimdiff, domain
from ..caching import table_cache, text_cache
from ..claimdiff import Token, initialism, squeezed, tokenize
from ..claims import quote_spans
from ..keys import canonical_text, name_key
from ..models import (
    Claim,
    Discrepancy,
    Paragraph,
    Quote,
    Severity,
)
from ..numbers import dates, quantities, reading
from .base import Context, Side, cluster_topic, make, side
from .claims import aligned_pairs
from .registry import Detector, Kind

MIN_QUOTE_WORDS = 4
MIN_QUOTE_COVERAGE = 0.5
"""Share of the passage two quotations share that is the same words in the same order
(`QuoteDiff.coverage`): under it, two quotations are not one. A quotation reworded word
by word by a synonym-spinning site keeps about two words in three."""
REWORDED_COVERAGE = 0.75
"""Under this share, a quotation is reworded rather than touched in a place or two."""
MIN_REWORDED = 6
"""A quotation reworded (under REWORDED_COVERAGE) shares at least this many words."""
MIN_ATTRIBUTION_COVERAGE = 0.9
MIN_RUN_WORDS = 3
"""Shortest run of shared words that anchors a quotation match."""
MAX_PASSAGE_GAP = 25
"""Words between two anchoring runs that are still one passage (a sentence dropped)."""
_NEAR = {1: 3, 2: 6}
"""A run of one (two) shared words counts when at most this many words from the passage."""
MAX_EDGE_WORDS = 3
"""Words that may differ on both sides before or after the shared passage (a changed
first or last word); more, and the two are different quotations sharing a passage."""
MIN_EDGE_PASSAGE = 6
"""A changed first or last word counts only beside a shared passage this long."""
MIN_SPLICE_WORDS = 6
"""A shared passage this long, with different whole sentences around it, is one
quotation spliced two ways; a shorter one may be a stock phrase."""
MAX_QUOTE_CHARS = 5000
"""Quotations longer than this are not compared (as claims that long are not matched):
none is, and the word diff takes time that grows with the product of the lengths (an
unclosed quotation mark makes the rest of an article one quotation)."""


_MARKS = frozenset("\"'“”‘’«»„‚‹›")
_DASHES = dict.fromkeys("‐‑‒–—―", "-")


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]  # lower-cased words
    surface: tuple[str, ...]  # words as written
    punct_after: tuple[str, ...]  # punctuation directly after each word
    years: tuple[str, ...]  # the year a date word is written with, else ""


@text_cache()
def _words(text: str) -> _Words:
    """The words of a quotation as compared (claimdiff's word keys): lower case, number
    words as digits, title abbreviations spelled out, equivalent spellings as one
    ("10%" and "10 per cent", "HM" and "His Majesty's" are the same words)."""
    tokens, years = _keyed(text)
    # Each word's punctuation is the text up to the next word (the text's end).
    ends = [*(t.start for t in tokens[1:]), len(text)] if tokens else []
    return _Words(
        _word_keys(text),
        tuple(text[t.start : t.end] for t in tokens),
        tuple(_punctuation(text[t.end : end]) for t, end in zip(tokens, ends, strict=True)),
        tuple(years.get(t.start, "") for t in tokens),
    )


@text_cache()
def _keyed(text: str) -> tuple[tuple[Token, ...], dict[int, str]]:
    """The tokens of a text with each figure, date and time as one word, and the years
    of its dates (`_quantities_as_words`). The tokens are claimdiff's as the claim
    detectors ask for them (`in_quote` given), so that a claim's are read once."""
    return _quantities_as_words(text, tokenize(text, False))


@text_cache()
def _word_keys(text: str) -> tuple[str, ...]:
    """`_words(text).words` alone: what finding a quotation's candidates needs, without
    the words as written and their punctuation."""
    return tuple(_spelled(t.key) for t in _keyed(text)[0])


@text_cache()
def _punctuation(between: str) -> str:
    """The punctuation in the text between two words, as compared. Quotation marks
    inside a quotation (a paragraph reopening it, 'outstanding' or “outstanding”
    within it) are the outlet's style, not the speaker's words; dashes of any length,
    spaced or not, are one mark. Cached by the text between, of which there are few
    (" ", ", ", ". ")."""
    return "".join(_DASHES.get(ch, ch) for ch in between if not ch.isspace() and ch not in _MARKS)


@table_cache
def _spellings() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (domain.compile_pattern(rule["pattern"], "wording.toml", 0), rule["replacement"])
        for rule in domain.table("wording.toml").get("spelling", ())
    )


@text_cache()
def _spelled(key: str) -> str:
    """A word in one spelling of British and American English ("crueller" and "crueler",
    "epicentre" and "epicenter" are one word; data/wording.toml)."""
    for pattern, replacement in _spellings():
        if pattern.fullmatch(key):
            return pattern.sub(replacement, key)
    return key


def _quantities_as_words(
    text: str, tokens: tuple[Token, ...]
) -> tuple[tuple[Token, ...], dict[int, str]]:
    """Each time of day, date and figure read as one word keyed by its value, so that a
    house style is no alteration: "11.45am", "11:45 a.m." and "11 45 a.m" are one word,
    as are "£50m" and "£50 million", and "March 2" and "2 March 2023" (the year is
    returned apart, by the date's start, as a date written with its year and without it
    is the same date); a hedge stays part of the word ("nearly 300" is not "300")."""
    found = dates(text)
    spans = [(_figure_start(d.text, d.start), d.end, d.value) for d in found if d.kind == "time"]
    years: dict[int, str] = {}
    for d in found:
        if d.kind == "absolute" and _DAY_OF_MONTH.fullmatch(d.value):
            spans.append((d.start, d.end, f"@{d.value[5:]}"))
            if not d.value.startswith("?"):
                years[d.start] = d.value[:4]
    spans += [
        (_figure_start(q.text, q.start), q.end, f"={q.value:g}{q.unit}")
        for q in quantities(text, [(d.start, d.end) for d in found])
    ]
    if not spans:
        return tokens, years
    out: list[Token] = []
    spans.sort()
    k = 0
    for token in tokens:
        while k < len(spans) and spans[k][1] <= token.start:
            k += 1
        if k < len(spans) and spans[k][0] <= token.start and token.end <= spans[k][1]:
            start, end, key = spans[k]
            if out and out[-1].key == key and out[-1].start == start:
                continue  # the rest of the figure's words
            out.append(token._replace(key=key, start=start, end=end))
        else:
            out.append(token)
    return tuple(out), years


_DAY_OF_MONTH = re.compile(r"[\d?]{4}-\d\d-\d\d")


def _figure_start(written: str, start: int) -> int:
    """Where a figure or a time starts after its hedge ("nearly", "about"): the hedge
    stays a word of its own, so that a hedge dropped from a quotation is still seen."""
    return start + _hedge_length(written)


@text_cache()
def _hedge_length(written: str) -> int:
    """Characters of a figure as written (`_figure_start`) before the figure itself."""
    lowered = re.sub(r"\s+", " ", written.lower())
    for hedge in _hedges_longest_first():
        if lowered.startswith(hedge + " "):
            skip = re.match(r"(?:\S+\s+){%s}" % len(hedge.split()), written)  # noqa: UP031
            return skip.end() if skip else 0
    return 0


@table_cache
def _hedges_longest_first() -> tuple[str, ...]:
    # Two hedges of one length cannot both open a text: their order among themselves
    # does not matter.
    hedges = {*domain.lexicon().hedges, *reading().time_hedges}
    return tuple(sorted(hedges, key=len, reverse=True))


@dataclass(frozen=True)
class QuoteDiff:
    coverage: float
    """Share of the passage two quotations share (from its first shared word to its last,
    in the version where it is longer) that is the same words in the same order; 0 when
    the two are not one quotation."""
    changes: tuple[tuple[str, str], ...]
    """(words in a, words in b) for each changed hunk."""
    typography: tuple[tuple[str, str], ...] = ()
    """(a, b) snippets around each punctuation or capitalisation difference."""
    dropped: tuple[tuple[str, str], ...] = ()
    """(a, b) for each whole sentence one version leaves out of the quotation (the other
    side empty)."""
    spliced: tuple[tuple[str, str], ...] = ()
    """(a, b) the whole sentences each version runs before (or after) the shared passage,
    where the two differ: one of them joined sentences the other keeps apart."""
    opened: tuple[str, str] = ("", "")
    """The words of the passage's sentence that one version has before it and the
    other's quotation opens without (that side ""): the other may have cut them."""


@text_cache()
def diff_quotes(a: str, b: str) -> QuoteDiff:
    """Compare two quotations word by word, allowing either to be a fragment of the other.

    Symmetric: where a word could align two ways ("is prepared to do" / "is to
    do"), the same alignment is chosen whichever quotation comes first.
    """
    if a <= b:
        return _diff_quotes(a, b)
    swapped = _diff_quotes(b, a)
    return QuoteDiff(
        swapped.coverage,
        tuple((y, x) for x, y in swapped.changes),
        tuple((y, x) for x, y in swapped.typography),
        tuple((y, x) for x, y in swapped.dropped),
        tuple((y, x) for x, y in swapped.spliced),
        (swapped.opened[1], swapped.opened[0]),
    )


def _size(op: Opcode) -> int:
    return op.src_end - op.src_start


def _gap(before: Opcode, after: Opcode) -> int:
    """Words between two aligned runs, on the side where there are more."""
    return max(after.src_start - before.src_end, after.dest_start - before.dest_end)


def _passage(blocks: list[Opcode], wa: _Words, wb: _Words) -> tuple[int, int] | None:
    """The first and last aligned runs of the passage two quotations share, or None.

    Runs of three words or more anchor it (common words shared one at a time across
    two different quotations are no match); anchors close together are one passage,
    and the longest passage is kept. Shorter runs count where they stand close to it
    in the same sentence, as in a quotation reworded word by word ("We're all acutely
    aware that some of our plans" / "We're all really mindful that a few of our
    strategies")."""
    min_run = min(MIN_RUN_WORDS, len(wa.words), len(wb.words))
    anchors = [k for k, op in enumerate(blocks) if _size(op) >= min_run]
    if not anchors:
        return None
    groups = [[anchors[0]]]
    for k in anchors[1:]:
        if _gap(blocks[groups[-1][-1]], blocks[k]) <= MAX_PASSAGE_GAP:
            groups[-1].append(k)
        else:
            groups.append([k])
    best = max(groups, key=lambda g: sum(_size(op) for op in blocks[g[0] : g[-1] + 1]))
    lo, hi = best[0], best[-1]
    while lo > 0 and _near(blocks[lo - 1], blocks[lo], blocks[lo - 1], wa, wb):
        lo -= 1
    while hi + 1 < len(blocks) and _near(blocks[hi], blocks[hi + 1], blocks[hi + 1], wa, wb):
        hi += 1
    return lo, hi


def _near(before: Opcode, after: Opcode, short: Opcode, wa: _Words, wb: _Words) -> bool:
    """A short run (`short`, one of the two) joins the passage next to it: few words
    between, and a sentence ending between them in both versions or in neither."""
    if _gap(before, after) > _NEAR.get(_size(short), MAX_PASSAGE_GAP):
        return False
    ends_a = any(
        _SENTENCE_END.search(p) for p in wa.punct_after[before.src_end - 1 : after.src_start]
    )
    ends_b = any(
        _SENTENCE_END.search(p) for p in wb.punct_after[before.dest_end - 1 : after.dest_start]
    )
    return ends_a == ends_b


def _diff_quotes(a: str, b: str) -> QuoteDiff:
    wa, wb = _words(a), _words(b)
    ops = list(Indel.opcodes(list(wa.words), list(wb.words)))
    blocks = [op for op in ops if op.tag == "equal"]
    found = _passage(blocks, wa, wb)
    if found is None:
        return QuoteDiff(0.0, ())
    first, last = blocks[found[0]], blocks[found[1]]
    shared = sum(_size(op) for op in blocks[found[0] : found[1] + 1])
    # Between the first and last shared words every difference is an alteration.
    changes: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    spliced: list[tuple[str, str]] = []
    pending_a: list[str] = []
    pending_b: list[str] = []
    start_a = start_b = 0
    inside = ops[ops.index(first) : ops.index(last) + 1]
    for op in inside:
        if op.tag == "equal":
            if pending_a or pending_b:
                change = (" ".join(pending_a), " ".join(pending_b))
                if (not pending_b and _whole_sentences(wa, start_a, len(pending_a))) or (
                    not pending_a and _whole_sentences(wb, start_b, len(pending_b))
                ):
                    dropped.append(change)
                else:
                    changes.append(change)
                pending_a, pending_b = [], []
            continue
        if not pending_a and not pending_b:
            start_a, start_b = op.src_start, op.dest_start
        pending_a += wa.surface[op.src_start : op.src_end]
        pending_b += wb.surface[op.dest_start : op.dest_end]
    # A whole sentence left out is no reworded word: the share of the passage in the
    # same words counts without it.
    left_out = max(sum(len(x.split()) for x, _ in dropped), sum(len(y.split()) for _, y in dropped))
    span = max(last.src_end - first.src_start, last.dest_end - first.dest_start)
    coverage = shared / max(span - left_out, shared)
    if coverage < MIN_QUOTE_COVERAGE or (coverage < REWORDED_COVERAGE and shared < MIN_REWORDED):
        # The shared runs are scattered, not one passage; or too few words are shared
        # to call a short quotation reworded ("effective structures to gather and
        # assess intelligence" / "effective processes in place to collect and assess
        # intelligence" may be two texts).
        return QuoteDiff(0.0, ())
    # Outside the shared part, words on one side only are a fragment's context. On
    # both sides, a few words are a changed first or last word; whole sentences, a
    # quotation spliced from different sentences; anything else, two quotations
    # that merely share a passage.
    lead_a, lead_b = _strip_common(
        wa.surface[: first.src_start], wb.surface[: first.dest_start], -1
    )
    if lead_a and lead_b:
        # Only the words of the passage's own sentence can be its changed opening;
        # whole sentences before it are a longer quotation's, or a splice.
        near_a, near_b = _opening(wa, len(lead_a)), _opening(wb, len(lead_b))
        if not near_a and not near_b:
            if shared < MIN_SPLICE_WORDS:
                return QuoteDiff(0.0, ())
            spliced.append((_last_sentence(lead_a), _last_sentence(lead_b)))
        elif _edge_changed(shared, near_a, near_b, coverage, (near_a, near_b) == (lead_a, lead_b)):
            shown = min(len(near_a), len(near_b), 3) or 3
            changes.insert(0, (" ".join(near_a[-shown:]), " ".join(near_b[-shown:])))
        else:
            return QuoteDiff(0.0, ())
    opened = (" ".join(_opening(wa, len(lead_a))[-3:]), "") if lead_a and not lead_b else ("", "")
    if lead_b and not lead_a:
        opened = ("", " ".join(_opening(wb, len(lead_b))[-3:]))
    tail_a, tail_b = _strip_common(wa.surface[last.src_end :], wb.surface[last.dest_end :], 1)
    end_a = len(wa.words) - len(tail_a)
    end_b = len(wb.words) - len(tail_b)
    if _cut_mid_word(wa, wb, tail_a, tail_b):
        pass  # the stored text stops inside a word: a cut, not a changed word
    elif tail_a and tail_b:
        near_a, near_b = _close(wa, end_a), _close(wb, end_b)
        if not near_a and not near_b:
            if shared < MIN_SPLICE_WORDS:
                return QuoteDiff(0.0, ())
            spliced.append((_first_sentence(tail_a), _first_sentence(tail_b)))
        elif _edge_changed(shared, near_a, near_b, coverage, (near_a, near_b) == (tail_a, tail_b)):
            shown = min(len(near_a), len(near_b), 3) or 3
            changes.append((" ".join(near_a[:shown]), " ".join(near_b[:shown])))
        else:
            return QuoteDiff(0.0, ())
    elif _lost_last_words(wa, wb, tail_a, tail_b, last):
        changes.append((" ".join(tail_a), " ".join(tail_b)))
    typography: list[tuple[str, str]] = []
    for op in (op for op in inside if op.tag == "equal"):
        for k in range(op.src_end - op.src_start):
            i, j = op.src_start + k, op.dest_start + k
            # Punctuation after the last shared word is where a fragment was cut.
            inner = not (op is last and i == last.src_end - 1)
            # A change of case is typography; "twelve" for "12" or "HM" for "His
            # Majesty's" is the same word written another way, and no change; a date
            # with its year and without it is one date written two ways.
            # A quotation taken up mid-sentence may open with a capital ("Had he been
            # able to" / "and had he been able to"): the outlet's style.
            recased = (
                (i == 0) == (j == 0)
                and wa.surface[i] != wb.surface[j]
                and wa.surface[i].lower() == wb.surface[j].lower()
            )
            restyled = wa.years[i] != wb.years[j]
            if recased or restyled or (inner and wa.punct_after[i] != wb.punct_after[j]):
                typography.append((_snippet(wa, i, inner), _snippet(wb, j, inner)))
    return QuoteDiff(
        coverage, tuple(changes), tuple(typography), tuple(dropped), tuple(spliced), opened
    )


def _edge_changed(
    shared: int, edge_a: tuple[str, ...], edge_b: tuple[str, ...], coverage: float, whole: bool
) -> bool:
    """Words on both sides next to the shared passage, in its sentence, are its changed
    opening (close) when they are few and the passage is long ("We know we still have
    work to do" / "we recognise that we still have work to do"), or when both versions
    open (close) the quotation there in about as many words ("Until the 60th to 65th
    minute, I really" / "Until 60-65 minutes (in), I really"; a quotation spun word by
    word). Two sentences merely sharing a phrase ("at risk of", "the body of the
    deceased") are not one quotation."""
    short, long = sorted((len(edge_a), len(edge_b)))
    alike = long <= 2 * short + 2
    if whole and alike and shared >= max(MIN_EDGE_PASSAGE, short):
        return True
    if coverage < REWORDED_COVERAGE and not alike:
        return False
    return short <= MAX_EDGE_WORDS and shared >= max(MIN_EDGE_PASSAGE, 2 * short)


def _opening(words: _Words, count: int) -> tuple[str, ...]:
    """Of the first `count` words, those in the sentence of the word after them."""
    start = count
    while start > 0 and not _SENTENCE_END.search(words.punct_after[start - 1]):
        start -= 1
    return words.surface[start:count]


def _close(words: _Words, start: int) -> tuple[str, ...]:
    """The words from `start` to the end of the sentence of the word before them."""
    if start == 0 or _SENTENCE_END.search(words.punct_after[start - 1]):
        return ()
    end = start
    while end < len(words.surface) and not _SENTENCE_END.search(words.punct_after[end]):
        end += 1
    return words.surface[start : min(end + 1, len(words.surface))]


def _ends_sentence(words: _Words, count: int) -> bool:
    """The first `count` words of a quotation end with a sentence."""
    return count > 0 and bool(_SENTENCE_END.search(words.punct_after[count - 1]))


def _last_sentence(words: tuple[str, ...]) -> str:
    return " ".join(words[-6:])


def _first_sentence(words: tuple[str, ...]) -> str:
    return " ".join(words[:6])


_SENTENCE_END = re.compile(r"[.!?]")


def _whole_sentences(words: _Words, start: int, count: int) -> bool:
    """The `count` words from `start` are whole sentences: the word before them ends a
    sentence, and so does their last ("... report. Ten lives lost. Time after ...")."""
    if count == 0 or start == 0:
        return False
    return bool(
        _SENTENCE_END.search(words.punct_after[start - 1])
        and _SENTENCE_END.search(words.punct_after[start + count - 1])
    )


def _cut_mid_word(wa: _Words, wb: _Words, tail_a: tuple[str, ...], tail_b: tuple[str, ...]) -> bool:
    """One quotation ends on a word the other has whole, or on its first letters with
    nothing after ("... our UK poultry footp" / "... footprint review"): the text was
    cut where it was stored."""
    for short, long, words in ((tail_a, tail_b, wa), (tail_b, tail_a, wb)):
        if (
            len(short) == 1
            and long
            and words.surface[-1] == short[0]
            and not words.punct_after[-1]
            and long[0].lower().startswith(short[0].lower())
            and len(long[0]) > len(short[0])
        ):
            return True
    return False


MAX_LOST_WORDS = 2


def _lost_last_words(
    wa: _Words, wb: _Words, tail_a: tuple[str, ...], tail_b: tuple[str, ...], last: Opcode
) -> bool:
    """One quotation ends a sentence where the other goes on a word or two to its own
    end: "... twice-daily safety huddles," / "... twice-daily safety," lost a word.
    A fragment quoted inside a sentence has its punctuation outside the quotation
    marks, so it ends on a bare word."""
    if bool(tail_a) == bool(tail_b) or len(tail_a or tail_b) > MAX_LOST_WORDS:
        return False
    shorter, end = (wb, last.dest_end) if tail_a else (wa, last.src_end)
    return end == len(shorter.words) and any(c in shorter.punct_after[-1] for c in ".,!?;:")


def _strip_common(
    a: tuple[str, ...], b: tuple[str, ...], direction: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Drop the words a and b share next to the aligned part (direction -1: their ends)."""
    while a and b:
        i = -1 if direction < 0 else 0
        if a[i].lower() != b[i].lower():
            break
        a, b = (a[:-1], b[:-1]) if direction < 0 else (a[1:], b[1:])
    return a, b


def _snippet(words: _Words, i: int, with_next: bool) -> str:
    """A word as written, its punctuation, and the next word: "reduce, including"."""
    following = f" {words.surface[i + 1]}" if with_next and i + 1 < len(words.surface) else ""
    return f"{words.surface[i]}{words.punct_after[i]}{following}"


_ARTICLES = frozenset({"a", "an", "the"})


def _numbers_in(text: str, number_words: frozenset[str]) -> set[str]:
    found = set(re.findall(r"\d[\d,.]*", text))
    return found | (set(text.lower().split()) & number_words)


def _quote_severity(changes: tuple[tuple[str, str], ...], coverage: float) -> tuple[Severity, str]:
    """High where one slot flips in a quotation otherwise the same: a number for another,
    a negation added or dropped, a grade of the scale for another; medium for other words changed,
    added or dropped (and a quotation reworded throughout); low when only an article
    comes or goes ("a slap in the face" / "a slap in face")."""
    grade_re = domain.scales().grade_re
    lexicon = domain.lexicon()
    if coverage >= REWORDED_COVERAGE:
        for before, after in changes:
            numbers_a = _numbers_in(before, lexicon.number_words)
            numbers_b = _numbers_in(after, lexicon.number_words)
            if numbers_a and numbers_b and numbers_a != numbers_b:
                return "high", "a number changed"
            negated_a = set(before.lower().split()) & lexicon.negations
            negated_b = set(after.lower().split()) & lexicon.negations
            if bool(negated_a) != bool(negated_b):
                return "high", "a negation changed"
            grades_a = {m.lower() for m in grade_re.findall(before)}
            grades_b = {m.lower() for m in grade_re.findall(after)}
            # One grade for another; a grade against a word off the scale ("poor" /
            # "inadequate") is a speaker's word for a verdict, not a verdict changed.
            if grades_a and grades_b and grades_a != grades_b:
                return "high", "a grade changed"
    else:
        return "medium", "reworded inside the quotation marks"
    if all(set(f"{x} {y}".lower().split()) <= _ARTICLES for x, y in changes):
        return "low", "only an article added or dropped"
    if all(not x for x, _ in changes):
        return "medium", "words added inside the quotation marks"
    if all(not y for _, y in changes):
        return "medium", "words dropped inside the quotation marks"
    return "medium", "words changed"


@dataclass(frozen=True)
class _Quoted:
    claim_id: str
    source: str
    speaker: str
    """The speaker's key across sources; "" when the quotation names nobody."""
    kind: str
    """"person" (a named person), "organisation" (one the article names), "other" (a
    role, a description), or "" (nobody named)."""
    text: str
    claim: str
    """The claim a row points to: the quotation's own, or the first of a quotation
    printed over several paragraphs (then `claim_id` names the run)."""
    named: bool = True
    """The speaker is named beside the quotation, not carried from the paragraph before."""

    @property
    def person(self) -> bool:
        return self.kind == "person"


def quotes(ctx: Context) -> Iterator[Discrepancy]:
    """quote_altered between the versions of one quotation; quote_attribution across
    people.

    A quotation is compared with the quotations of the other sources of its story that
    share its rare words (never all against all), whoever they are given to, unless
    they are given to two different people: a statement attributed to an organisation
    in one version and to its spokesman in another, or to nobody, is still one
    statement. Misattributions need near-identical text, so their candidates come from
    the match stage's blocked claim pairs.
    """
    # Whom and what the whole feed names (`FeedFacts`); a surname alone ("Mr Scott
    # commented") is a person too, when telling whose words a quotation can be.
    people, persons, orgs = ctx.facts.people, ctx.facts.persons, ctx.facts.organisations
    by_story: dict[str, list[_Quoted]] = defaultdict(list)
    speaker_of: dict[str, str] = {}
    surnames = _surnames(ctx)
    for q in ctx.extraction.quotes:
        key = ctx.graph.person_key.get(q.speaker_key, q.speaker_key)
        # "Mr Scott commented:" in an article that named Matthew Scott is his.
        key = surnames.get((q.source, key), key)
        speaker_of[q.claim_id] = key
        if len(q.text.split()) >= MIN_QUOTE_WORDS and len(q.text) <= MAX_QUOTE_CHARS:
            kind = "person" if key in persons else "organisation" if key in orgs else "other"
            quoted = _Quoted(
                q.claim_id, q.source, key, kind if key else "", q.text, q.claim_id, q.named
            )
            by_story[ctx.story(q.source)].append(quoted)
    written = {q.claim_id: q.speaker for q in ctx.extraction.quotes}
    # Each source's paragraphs, looked up once per check rather than once per story.
    paragraphs = {a.source: a.paragraphs for a in ctx.articles}
    for members in by_story.values():
        members += _runs(ctx, members, paragraphs)
    for _story, members in sorted(by_story.items()):
        # Quotations over several paragraphs are compared apart, so that what they
        # show (only sentences left out between paragraphs) never counts as agreeing.
        single, joined = _Versions(ctx, paragraphs), _Versions(ctx, paragraphs)
        for qa, qb in _candidates(ctx, members):
            needed = _coverage_needed(qa, qb)
            if needed is not None:
                runs = qa.claim != qa.claim_id or qb.claim != qb.claim_id
                (joined if runs else single).compare(qa, qb, needed)
        for qa, qb, finding in _followers(single, members):
            yield _altered(ctx, qa, qb, _speaker_name(ctx, qa, qb, written), finding)
        for versions in (single, joined):
            for qa, qb, finding, also in versions.reported():
                name = _speaker_name(ctx, qa, qb, written)
                yield _altered(ctx, qa, qb, name, finding, also)
    yield from _quoted_phrases(ctx)
    yield from _unmarked(ctx)
    yield from _narrated(ctx, people)
    # A source that itself gives the quotation to both people (a copy of an
    # article that does) is no evidence that another source misattributed it.
    given_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    named_by = {q.claim_id: q.named for q in ctx.extraction.quotes}
    for q in ctx.extraction.quotes:
        given_by[(q.source, canonical_text(q.text))].add(speaker_of[q.claim_id])
    for m in ctx.matching.matches:
        speaker_a, speaker_b = speaker_of.get(m.claim_a, ""), speaker_of.get(m.claim_b, "")
        if not _misattributable(speaker_a, speaker_b, people):
            continue
        claim_a, claim_b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
        if speaker_a in given_by[(claim_b.source, canonical_text(claim_b.text))] or (
            speaker_b in given_by[(claim_a.source, canonical_text(claim_a.text))]
        ):
            continue
        diff = diff_quotes(claim_a.text, claim_b.text)
        if diff.coverage >= MIN_ATTRIBUTION_COVERAGE:
            named = named_by[m.claim_a] and named_by[m.claim_b]
            reworded = any(squeezed(x) != squeezed(y) for x, y in diff.changes)
            yield _attribution(ctx, m.claim_a, m.claim_b, speaker_a, speaker_b, named, reworded)


def _misattributable(a: str, b: str, people: frozenset[str]) -> bool:
    """Only two different named people, or a named person and a group ("inspectors",
    "officials"), make a misattribution: an organisation and its spokesman, or a role
    and the person holding it ("the city's Conservative group leader" / "Robert
    Alden"), may be one speaker."""
    if not a or not b or same_person(a, b):
        return False
    if a in people and b in people:
        return True
    return (a in people and _group(b)) or (b in people and _group(a))


@table_cache
def _role_heads() -> frozenset[str]:
    return frozenset(domain.table("titles.toml").get("heads", ()))


def _group(speaker: str) -> bool:
    """The speaker is several people of one role: "In the report, inspectors"."""
    head = speaker.split()[-1] if speaker.split() else ""
    return head.endswith("s") and head[:-1] in _role_heads()


MAX_WORD_QUOTES = 50
"""A word in more of a story's quotations than this (or than twice its sources, if more)
is no evidence that two of them are one: it finds no candidates."""
MAX_PARTNERS = 12
"""Candidates kept for one quotation, those sharing the most words first: a source with
hundreds of quotations of one person (a transcript) makes no quadratic work."""


def _candidates(ctx: Context, members: list[_Quoted]) -> list[tuple[_Quoted, _Quoted]]:
    """Pairs of quotations of two sources of one story sharing two rare words (one,
    when one of them has only one), by an inverted index of the words.

    Versions carry most quotations word for word, so the words are counted once per
    pair of distinct texts and the count handed to every pair of their copies: the
    pairs and counts are those of counting every pair of quotations word by word."""
    texts: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        texts[m.text].append(i)
    copies = list(texts.values())
    words_of = [_content_words(text) for text in texts]
    quotations_with: Counter[str] = Counter()
    for words, holding in zip(words_of, copies, strict=True):
        for w in words:
            quotations_with[w] += len(holding)
    cap = max(MAX_WORD_QUOTES, 2 * len({m.source for m in members}))
    index: dict[str, list[int]] = defaultdict(list)
    rare = [0] * len(words_of)
    for t, words in enumerate(words_of):
        for w in words:
            if quotations_with[w] <= cap:
                index[w].append(t)
                rare[t] += 1
    # A plain dict: this loop runs once per pair of texts sharing a word, the busiest.
    shared: dict[tuple[int, int], int] = {(t, t): n for t, n in enumerate(rare) if n}
    for holders in index.values():
        for x, t in enumerate(holders):
            for u in holders[x + 1 :]:
                pair = (t, u)
                shared[pair] = shared.get(pair, 0) + 1
    source_of = [m.source for m in members]
    partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (t, u), count in shared.items():
        if count < min(2, len(words_of[t]), len(words_of[u])):
            continue
        for i in copies[t]:
            for j in copies[u]:
                if (t != u or i < j) and source_of[i] != source_of[j]:
                    partners[i].append((-count, j))
                    partners[j].append((-count, i))
    kept: set[tuple[int, int]] = set()
    for i, found in partners.items():
        for _, j in sorted(found)[:MAX_PARTNERS]:
            kept.add((min(i, j), max(i, j)))
    pairs = [_in_order(members[i], members[j]) for i, j in kept]
    return sorted(pairs, key=lambda p: (p[0].claim_id, p[1].claim_id))


def _in_order(a: _Quoted, b: _Quoted) -> tuple[_Quoted, _Quoted]:
    """The two by claim id (no two quotations of a story share one)."""
    return (a, b) if a.claim_id <= b.claim_id else (b, a)


@text_cache()
def _content_words(text: str) -> frozenset[str]:
    """The words of a text as compared (`_words`), bar function words."""
    function_words = domain.wording().function_words
    return frozenset(w for w in _word_keys(text) if w not in function_words)


def _claim_id(q: _Quoted) -> str:
    return q.claim_id


MIN_FOLLOWER_WORDS = 3
"""Content words two reworded quotations that follow one quotation share, at least."""


def _followers(
    versions: _Versions, members: list[_Quoted]
) -> Iterator[tuple[_Quoted, _Quoted, _Finding]]:
    """Two quotations that follow one quotation in two versions, given to its speaker,
    neither matched in the other's source, and sharing most of their content words,
    are one quotation rewritten ("There are still many reports of people who were
    pinned or hit by debris." / "Reports indicate many people are still trapped under
    debris.")."""
    following: dict[str, _Quoted] = {}
    by_source: dict[str, list[_Quoted]] = defaultdict(list)
    for m in members:
        if m.claim == m.claim_id:
            by_source[m.source].append(m)
    for quoted in by_source.values():
        quoted.sort(key=_claim_id)
        for before, after in itertools.pairwise(quoted):
            if after.speaker and (
                after.speaker == before.speaker or same_person(after.speaker, before.speaker)
            ):
                following[before.claim_id] = after
    function_words = domain.wording().function_words
    pairs: dict[tuple[str, str], tuple[_Quoted, _Quoted]] = {}
    for a, b in sorted(versions.found):
        next_a, next_b = following.get(a), following.get(b)
        if next_a is None or next_b is None or next_a.source == next_b.source:
            continue
        if any(
            versions.quoted[n].source == other.source
            for mine, other in ((next_a, next_b), (next_b, next_a))
            for n in versions.neighbours.get(mine.claim_id, ())
        ):
            continue  # one of them has its version in the other's source already
        words_a = {w for w in _words(next_a.text).words if w not in function_words}
        words_b = {w for w in _words(next_b.text).words if w not in function_words}
        shared = words_a & words_b
        if len(shared) >= MIN_FOLLOWER_WORDS and 2 * len(shared) >= min(len(words_a), len(words_b)):
            pairs[(next_a.claim_id, next_b.claim_id)] = (next_a, next_b)
    # Once against the copies that agree: their best-supported one.
    for (a, b), (next_a, next_b) in sorted(pairs.items()):
        if any(
            (x, c) in pairs or (c, x) in pairs
            for x, y in ((a, b), (b, a))
            for c in versions._agree(y)
            if versions._rank(c) < versions._rank(y)
        ):
            continue
        shown = ((next_a.text, next_b.text),)
        why = "reworded inside the quotation marks (the quotation after one both carry)"
        yield next_a, next_b, _Finding("medium", why, shown, 0.0, True)


def _coverage_needed(a: _Quoted, b: _Quoted) -> float | None:
    """How alike two quotations must be to be one, by whom they are given to: None for
    two different people (that is a misattribution, if anything). A statement given to
    an organisation in one version and to a person in another is one statement only in
    nearly the same words: a force's statement and its officer's are often alike."""
    if a.speaker == b.speaker or not a.speaker or not b.speaker:
        return MIN_QUOTE_COVERAGE
    if same_person(a.speaker, b.speaker):
        return MIN_QUOTE_COVERAGE
    if a.person and b.person:
        # Two officers' statements on two days can share most of their words:
        # whether one quotation was given to the wrong person is quote_attribution's.
        return None
    if {a.kind, b.kind} == {"person", "organisation"}:
        return MIN_ATTRIBUTION_COVERAGE
    return MIN_QUOTE_COVERAGE


def _surnames(ctx: Context) -> dict[tuple[str, str], str]:
    """(source, surname) -> the one person of that source with that surname."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in ctx.extraction.people:
        key = ctx.graph.person_key.get(p.person_key, p.person_key)
        if " " in key:
            found[(p.source, key.rsplit(" ", 1)[1])].add(key)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _speaker_name(ctx: Context, a: _Quoted, b: _Quoted, written: dict[str, str]) -> str:
    """Whom a row is about: the named person of the two, else the speaker as written."""
    for q in sorted((a, b), key=lambda q: (not q.person, not q.speaker)):
        if q.speaker:
            return ctx.graph.person_name.get(q.speaker, written.get(q.claim_id) or q.speaker)
    return "unattributed quotation"


@table_cache
def _post_nominals() -> frozenset[str]:
    return frozenset(w.lower() for w in domain.table("titles.toml").get("post_nominals", ()))


@text_cache()
def _name_words(name: str) -> tuple[str, ...]:
    """A written name's words as compared: lower case, without courtesy titles before it
    ("Dr", "Sir"), letters after it ("MP", "IV"), or a possessive before it ("RSPCA's")."""
    words = [w.strip(".,") for w in name_key(name).split()]
    words = [w for w in words if w and not w.endswith(("'s", "’s"))]
    courtesy = domain.titles().courtesy
    while words and words[0] in courtesy:
        words = words[1:]
    post = _post_nominals()
    while words and words[-1] in post:
        words = words[:-1]
    return tuple(words)


def same_person(a: str, b: str) -> bool:
    """Two written speakers are one person: one name's words (two or more, titles and
    letters after the name left out) stand together in the other ("Bernardo Rafaelito
    Alejandro" / "Bernardo Rafaelito Alejandro IV", "Sarah Gerson" / "paper author and
    developmental researcher Sarah Gerson of Cardiff University")."""
    if a == b:
        return True
    wa, wb = _name_words(a), _name_words(b)
    short, long = sorted((wa, wb), key=len)
    if len(short) == 1 and len(long) > 1:
        return short[0] == long[-1]  # a surname alone
    if len(short) < 2:
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _attribution(
    ctx: Context,
    ida: str,
    idb: str,
    speaker_a: str,
    speaker_b: str,
    named: bool,
    reworded: bool,
) -> Discrepancy:
    name_a = ctx.graph.person_name.get(speaker_a, speaker_a)
    name_b = ctx.graph.person_name.get(speaker_b, speaker_b)
    a, b = side(ctx, ida, name_a), side(ctx, idb, name_b)
    subject = " / ".join(sorted((name_a, name_b)))
    explanation = (
        f"the same quotation is given to {name_a} in {a.source} and to {name_b} in {b.source}"
    )
    if not named:
        # "he said", or a paragraph continuing an earlier quotation: a version that
        # dropped the paragraph introducing the speaker points to the wrong person.
        explanation += "; one version names nobody beside it (a pronoun or a continued quotation)"
    elif reworded:
        # Two officers' statements on two days can share most of their words ("This is
        # a shocking incident and my thoughts are with..."): copy misattributed is
        # copied word for word.
        explanation += "; the words differ too, so these may be two statements"
    return make(
        "quote_attribution",
        "high" if named and not reworded else "low",
        subject,
        a,
        b,
        explanation,
        ctx,
        similarity=None,
    )


@dataclass(frozen=True)
class _Finding:
    severity: Severity
    why: str
    shown: tuple[tuple[str, str], ...]
    coverage: float
    changed: bool
    """Words differ (not only punctuation, a sentence left out, or a splice)."""


def _finding(diff: QuoteDiff) -> _Finding | None:
    """What a row would say about two versions of one quotation, or None when they agree."""
    changes = tuple(
        (x, y) for x, y in diff.changes if squeezed(x) != squeezed(y) and not _abbreviated(x, y)
    )
    if changes:
        severity, why = _quote_severity(changes, diff.coverage)
        return _Finding(severity, why, changes, diff.coverage, True)
    if diff.dropped:
        why = "a whole sentence is left out of the quotation"
        return _Finding("low", why, diff.dropped, diff.coverage, False)
    if diff.spliced:
        why = "a different sentence runs on from the shared passage (spliced)"
        return _Finding("low", why, diff.spliced, diff.coverage, False)
    if diff.typography or diff.changes:
        # "air fares" / "airfares": one word spaced two ways is typography too, and
        # so is "LCV" for "light commercial vehicle".
        why = "punctuation, spacing or capitals only"
        return _Finding("low", why, diff.typography + diff.changes, diff.coverage, False)
    return None


def _abbreviated(x: str, y: str) -> bool:
    """One side is the other's initials: "LCV" / "light commercial vehicle"."""
    short, long = sorted((x, y), key=len)
    return short.isupper() and len(short) > 1 and " " in long and initialism(long) == short


class _Versions:
    """The versions of a story's quotations compared pair by pair, and which differences
    to report: each once, between the version most sources agree with and each other.

    - Copies that agree (carry the same words) make one camp: a difference between two
      camps is reported for the camp's best-supported version only, not for every copy.
    - Two versions that both differ from a better-supported third (two rewrites of one
      statement) are each reported against it, not against each other.
    - A fragment that is word for word part of another quotation is that quotation's:
      it is not compared with a different quotation that happens to share its words
      ("leaving children at risk of harm" / "those at risk of extra-familial harm").
    """

    def __init__(self, ctx: Context, paragraphs: dict[str, tuple[Paragraph, ...]]) -> None:
        self.ctx = ctx
        self.found: dict[tuple[str, str], _Finding | None] = {}
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        self.quoted: dict[str, _Quoted] = {}
        self.paragraphs = paragraphs

    def compare(self, qa: _Quoted, qb: _Quoted, needed: float) -> None:
        a, b = qa.text, qb.text
        if a == b:
            finding = None
        else:
            diff = diff_quotes(a, b)
            if diff.coverage < needed:
                return
            if qa.claim != qa.claim_id or qb.claim != qb.claim_id:
                # A quotation over several paragraphs shows only what its paragraphs
                # compared one by one do not: sentences between them left out.
                diff = QuoteDiff(diff.coverage, (), (), diff.dropped, diff.spliced)
            finding = _finding(diff) or self._trimmed(qa, qb, diff)
        self.found[self._key(qa.claim_id, qb.claim_id)] = finding
        self.neighbours[qa.claim_id].add(qb.claim_id)
        self.neighbours[qb.claim_id].add(qa.claim_id)
        self.quoted[qa.claim_id], self.quoted[qb.claim_id] = qa, qb

    def _trimmed(self, qa: _Quoted, qb: _Quoted, diff: QuoteDiff) -> _Finding | None:
        """A quotation printed as a whole sentence whose opening words another version
        has ("“Police boarded the train...”" / "...armed police from Cambridgeshire
        Police boarded the train..."): cut without an ellipsis."""
        before_a, before_b = diff.opened
        for cut, words, shown in ((qb, before_a, (before_a, "")), (qa, before_b, ("", before_b))):
            if (
                words
                and cut.claim == cut.claim_id
                and _opens_sentence(self.ctx, self.paragraphs[cut.source], cut)
            ):
                why = "the quotation opens a sentence that another version quotes from earlier"
                return _Finding("low", why, (shown,), diff.coverage, False)
        return None

    @staticmethod
    def _key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if a < b else (b, a)

    def _edge(self, a: str, b: str) -> _Finding | None:
        return self.found[self._key(a, b)]

    def _agree(self, a: str) -> list[str]:
        return [n for n in self.neighbours[a] if self._edge(a, n) is None]

    def _support(self, a: str) -> int:
        return len({self.quoted[n].source for n in self._agree(a)})

    def _rank(self, a: str) -> tuple[int, str]:
        return (-self._support(a), a)

    def reported(self) -> Iterator[tuple[_Quoted, _Quoted, _Finding, dict[str, list[str]]]]:
        """Each difference to report, with the other sources whose words are each
        side's (the copies the row stands for)."""
        for (a, b), finding in sorted(self.found.items()):
            if finding is None or self._spurious(a, b):
                continue
            if self._copied(a, b, finding) or self._copied(b, a, finding):
                continue
            if finding.changed and self._both_deviate(a, b):
                continue
            qa, qb = self.quoted[a], self.quoted[b]
            also = {
                q.source: sorted(
                    {self.quoted[n].source for n in self._agree(q.claim_id)}
                    - {qa.source, qb.source}
                )
                for q in (qa, qb)
            }
            yield qa, qb, finding, also

    def _spurious(self, a: str, b: str) -> bool:
        """One of the two is word for word part of a third quotation that the other is
        not one with: the pair only shares words by chance."""
        for x, y in ((a, b), (b, a)):
            for c in self._agree(x):
                if (
                    c != y
                    and self._key(c, y) not in self.found
                    and self._contains(c, x)
                    and not self._one_quotation(c, y)
                ):
                    return True
        return False

    def _copied(self, a: str, b: str, finding: _Finding) -> bool:
        """A better-supported copy of a (agreeing with it) shows the same difference
        with b: the row is that copy's."""
        for c in self._agree(a):
            if c == b or self._key(c, b) not in self.found:
                continue
            other = self._edge(c, b)
            if (
                other is not None
                and self._same_change(c, b, other, a, finding)
                and self._rank(c) < self._rank(a)
            ):
                return True
        return False

    def _both_deviate(self, a: str, b: str) -> bool:
        """a and b both differ in words from a third version that more sources agree
        with: each is reported against it, not against the other."""
        most = max(self._support(a), self._support(b))
        for r in self.neighbours[a] & self.neighbours[b]:
            first, second = self._edge(r, a), self._edge(r, b)
            if (
                first is not None
                and second is not None
                and first.changed
                and second.changed
                and self._support(r) > most
                and not self._spurious(r, a)
                and not self._spurious(r, b)
            ):
                return True
        return False

    def _same_change(self, c: str, b: str, other: _Finding, a: str, finding: _Finding) -> bool:
        """The row for (c, b) shows what the row for (a, b) shows; where a is a fragment
        of c (a shorter copy agreeing with it), the changes a's part holds are among
        c's ("After falling this time last year, the cost of food…" cut short)."""
        if other.severity != finding.severity:
            return False
        mine = finding.shown if a < b else tuple((y, x) for x, y in finding.shown)
        theirs = other.shown if c < b else tuple((y, x) for x, y in other.shown)
        compared_mine = [_as_compared(x) + _as_compared(y) for x, y in mine]
        compared_theirs = [_as_compared(x) + _as_compared(y) for x, y in theirs]
        if compared_mine == compared_theirs:
            return True
        fragment = len(self.quoted[a].text) < len(self.quoted[c].text)
        return fragment and bool(compared_mine) and set(compared_mine) <= set(compared_theirs)

    def _contains(self, c: str, a: str) -> bool:
        """c carries all of a's words (a is a fragment of c, or a copy)."""
        return len(self.quoted[c].text) >= len(self.quoted[a].text)

    def _one_quotation(self, c: str, b: str) -> bool:
        text_c, text_b = self.quoted[c].text, self.quoted[b].text
        return diff_quotes(text_c, text_b).coverage >= MIN_QUOTE_COVERAGE


def _opens_sentence(ctx: Context, paragraphs: tuple[Paragraph, ...], q: _Quoted) -> bool:
    """The quotation is printed as a sentence of its own: it opens with a capital, at
    the start of its paragraph or after a full stop or a colon."""
    claim = ctx.claims[q.claim]
    if claim.paragraph >= len(paragraphs) or not q.text[:1].isupper():
        return False
    before = paragraphs[claim.paragraph].text[: claim.start].rstrip(" “\"'‘«")
    return not before or before[-1] in ".!?:"


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|we're|we've|my|our|us|me)\b", re.IGNORECASE)


def _unmarked(ctx: Context) -> Iterator[Discrepancy]:
    """A quoted sentence against the same words another version prints without
    quotation marks, in the first person and with no speech verb (a press-conference
    transcript, or speech run into the text): words that differ are low, as the
    unmarked version may itself be the edited one."""
    verbs = domain.speech().verbs
    speakers = _speakers_by_paragraph(ctx)
    for m, _matched in aligned_pairs(ctx):
        a, b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
        if a.in_quote == b.in_quote or ctx.story(a.source) != ctx.story(b.source):
            continue
        quoted, plain = (a, b) if a.in_quote else (b, a)
        if (
            any(mark in plain.text for mark in "“”")
            or not _FIRST_PERSON.search(plain.text)
            or verbs.search(plain.text)
        ):
            continue
        diff = diff_quotes(quoted.text.strip("“” "), plain.text)
        if diff.coverage < REWORDED_COVERAGE:
            continue  # unmarked, a paraphrase is no misquotation
        finding = _finding(QuoteDiff(diff.coverage, diff.changes))
        if finding is None or not finding.changed:
            continue
        shown = finding.shown if quoted is a else tuple((y, x) for x, y in finding.shown)
        subject = speakers.get((quoted.source, quoted.paragraph)) or cluster_topic(ctx, quoted)
        sa = side(ctx, a.claim_id, " … ".join(x for x, _ in shown))
        sb = side(ctx, b.claim_id, " … ".join(y for _, y in shown))
        yield make(
            "quote_altered",
            "low",
            subject,
            sa,
            sb,
            f"{subject}'s quoted words in {quoted.source} differ from {plain.source}, which "
            f"prints them without quotation marks (a transcript, or speech run into the "
            f"text): {finding.why}",
            ctx,
            similarity=round(100 * diff.coverage, 1),
        )


MIN_NARRATED_WORDS = 8
"""Words of a person's quotation another version prints as its own narrative, at least:
fewer may be a stock phrase both took from one release."""
NARRATED_COVERAGE = 0.9
"""Share of the shared passage in the same words: the narrative is the quotation's words
nearly word for word, not a paraphrase of what the person said."""
NARRATED_SHARE = 0.75
"""Share of the narrative sentence the passage covers: the sentence is those words, not
a longer sentence that happens to hold a phrase of them."""


def _narrated(ctx: Context, people: frozenset[str]) -> Iterator[Discrepancy]:
    """A person's quotation in one version whose words another version prints as its
    own narrative, with no quotation marks, no speech verb and no name of the person
    (a release's list of findings quoted as its chief inspector's words): low
    `quote_attribution`, as either version may be the one that moved the words: the
    quoting one put a release's narrative in a person's mouth, or the other dropped the
    marks. The unquoted version's own quotations of the words (a lead that paraphrases
    the quotation it prints below) make no row, nor does a version that prints the
    quotation's first-person sentences unmarked too: it is the speaker's own statement
    (an inspector's signed statement on the inspectorate's page)."""
    verbs = domain.speech().verbs
    function_words = domain.wording().function_words
    quoted_by: dict[str, list[Quote]] = defaultdict(list)
    for q in ctx.extraction.quotes:
        key = ctx.graph.person_key.get(q.speaker_key, q.speaker_key)
        if key in people and len(q.text.split()) >= MIN_NARRATED_WORDS:
            quoted_by[ctx.story(q.source)].append(q)
    if not quoted_by:
        return
    all_quotes: dict[str, list[str]] = defaultdict(list)
    for q in ctx.extraction.quotes:
        all_quotes[q.source].append(q.text)
    plain_by: dict[str, list[Claim]] = defaultdict(list)
    voiced: dict[str, list[str]] = defaultdict(list)
    for claim in ctx.claims.values():
        story = ctx.story(claim.source)
        if (
            story not in quoted_by
            or claim.kind == "quote"
            or claim.in_quote
            or _MARKED.search(claim.text)
        ):
            continue
        if _FIRST_PERSON.search(claim.text):
            voiced[claim.source].append(claim.text)
        elif not verbs.search(claim.text):
            plain_by[story].append(claim)
    for story, quoted in sorted(quoted_by.items()):
        index: dict[str, list[Claim]] = defaultdict(list)
        for claim in plain_by.get(story, ()):
            for word in _content_words(claim.text):
                index[word].append(claim)
        ranked: dict[str, list[Claim]] = {}
        seen: set[tuple[str, str]] = set()
        for q in sorted(quoted, key=lambda q: q.claim_id):
            if q.text not in ranked:
                ranked[q.text] = _sharing(q.text, index, function_words)
            partners = (claim for claim in ranked[q.text] if claim.source != q.source)
            for claim in itertools.islice(partners, MAX_PARTNERS):
                if (q.claim_id, claim.source) in seen or not _narrates(q.text, claim.text):
                    continue
                speaker = ctx.graph.person_name.get(
                    ctx.graph.person_key.get(q.speaker_key, q.speaker_key), q.speaker
                )
                if (
                    _names_speaker(claim.text, speaker)
                    or any(
                        diff_quotes(q.text, own).coverage >= MIN_QUOTE_COVERAGE
                        for own in all_quotes.get(claim.source, ())
                    )
                    or any(_narrates(q.text, own) for own in voiced.get(claim.source, ()))
                ):
                    continue
                seen.add((q.claim_id, claim.source))
                yield _narration(ctx, q.claim_id, claim, speaker)


def _sharing(
    text: str, index: dict[str, list[Claim]], function_words: frozenset[str]
) -> list[Claim]:
    """The claims of the index sharing at least MIN_RUN_WORDS of the quotation's words,
    those sharing the most first (in the order `Counter.most_common` gives, ties in the
    order first met). A quotation's copies in several sources share one text: the
    claims of each copy's source are left out after, which leaves the others in the
    order counting them alone gives (a stable order of the same counts)."""
    shared: Counter[str] = Counter()
    claims_by_id: dict[str, Claim] = {}
    for word in set(_words(text).words) - function_words:
        holders = index.get(word, ())
        if len(holders) > MAX_WORD_QUOTES:
            continue
        for claim in holders:
            shared[claim.claim_id] += 1
            claims_by_id[claim.claim_id] = claim
    return [claims_by_id[c] for c, count in shared.most_common() if count >= MIN_RUN_WORDS]


_MARKED = re.compile(r"[“”\"]")


@text_cache()
def _narrates(quotation: str, plain: str) -> bool:
    """The plain sentence is the quotation's words (or a part of them) nearly word for
    word: a long shared passage, almost all of the sentence."""
    diff = diff_quotes(quotation, plain)
    if diff.coverage < NARRATED_COVERAGE:
        return False
    words_plain = _words(plain).words
    ops = Indel.opcodes(list(_words(quotation).words), list(words_plain))
    shared = sum(op.dest_end - op.dest_start for op in ops if op.tag == "equal")
    return shared >= MIN_NARRATED_WORDS and shared >= NARRATED_SHARE * len(words_plain)


def _names_speaker(text: str, speaker: str) -> bool:
    """The sentence names the person (by the last word of the name): it says whose the
    words are."""
    words = _name_words(speaker)
    return (
        bool(words) and re.search(rf"\b{re.escape(words[-1])}\b", text, re.IGNORECASE) is not None
    )


def _narration(ctx: Context, quote_id: str, claim: Claim, speaker: str) -> Discrepancy:
    quoted = ctx.claims[quote_id]
    a = side(ctx, quote_id, f"quoted as {speaker}'s words")
    b = side(ctx, claim.claim_id, "not quoted (the article's own words)")
    return make(
        "quote_attribution",
        "low",
        speaker,
        a,
        b,
        f"{quoted.source} quotes these words as {speaker}'s; {claim.source} prints them as "
        f"its own narrative, without quotation marks or a speaker (a release's text put in "
        f"a person's mouth, or a quotation's marks dropped)",
        ctx,
        similarity=None,
    )


def _speakers_by_paragraph(ctx: Context) -> dict[tuple[str, int], str]:
    """(source, paragraph) -> the name of the speaker of the quotations there."""
    found: dict[tuple[str, int], str] = {}
    for q in ctx.extraction.quotes:
        claim = ctx.claims[q.claim_id]
        key = ctx.graph.person_key.get(q.speaker_key, q.speaker_key)
        if key:
            found.setdefault((q.source, claim.paragraph), ctx.graph.person_name.get(key, q.speaker))
    return found


def _quoted_phrases(ctx: Context) -> Iterator[Discrepancy]:
    """Short quotations (under MIN_QUOTE_WORDS words, not compared as quotations of
    their own) inside two versions of one sentence: words added, dropped or changed
    inside the marks ("the discovery of a “human foetus”" / "of a “deceased human
    foetus”"), where the sentence around them is otherwise printed alike (at most
    MAX_PHRASE_CONTEXT_WORDS words changed). Running text is the claim detectors';
    longer quotations are compared above."""
    for m, matched in aligned_pairs(ctx):
        a, b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
        if (
            not matched
            or a.text == b.text  # one text: the same words, no hunk
            or ("“" not in a.text and "“" not in b.text)
            or ctx.story(a.source) != ctx.story(b.source)
        ):
            continue  # a paraphrase (a related pair) may move a phrase anywhere
        finding = _phrase_finding(a.text, a.in_quote, b.text, b.in_quote)
        if finding is None:
            continue
        value_a = " … ".join(x for x, _ in finding.shown)
        value_b = " … ".join(y for _, y in finding.shown)
        subject = cluster_topic(ctx, a)
        sa, sb = side(ctx, a.claim_id, value_a), side(ctx, b.claim_id, value_b)
        yield make(
            "quote_altered",
            finding.severity,
            subject,
            sa,
            sb,
            f"a phrase in quotation marks differs between {sa.source} and {sb.source}: "
            f"{finding.why}",
            ctx,
            similarity=None,
        )


@text_cache()
def _phrase_finding(text_a: str, quote_a: bool, text_b: str, quote_b: bool) -> _Finding | None:
    """What `_quoted_phrases` says of two versions of one sentence (by their texts: many
    pairs of sources print the same two)."""
    tokens_a, tokens_b = tokenize(text_a, quote_a), tokenize(text_b, quote_b)
    hunks = claimdiff.diff(tokens_a, tokens_b)
    around = sum(max(len(h.a), len(h.b)) for h in hunks if "quote" not in h.zones)
    if around > MAX_PHRASE_CONTEXT_WORDS:
        return None  # two sentences quoting one phrase each, not one sentence printed twice
    elsewhere = {_spelled(t.key) for t in tokens_a} & {_spelled(t.key) for t in tokens_b}
    changes = tuple(
        (h.text_a(text_a), h.text_b(text_b))
        for h in hunks
        if h.zones == {"quote"}
        and _in_short_quotes(text_a, h.a, h.a_at)
        and _in_short_quotes(text_b, h.b, h.b_at)
        # "demobilise" / "demobilize", or a word both have in another place, is no
        # change inside the marks
        and [_spelled(t.key) for t in h.a] != [_spelled(t.key) for t in h.b]
        and not {_spelled(t.key) for t in (*h.a, *h.b)} <= elsewhere
    )
    return _finding(QuoteDiff(1.0, changes)) if changes else None


MAX_PHRASE_CONTEXT_WORDS = 5
"""Words changed outside the quotation marks in two versions of a sentence whose quoted
phrases are compared: more, and the two are different sentences each quoting a phrase
("the experiences of children ... “remain poor.”" / "Children's services at Devon
County Council remain “inadequate”")."""


def _in_short_quotes(text: str, tokens: tuple[Token, ...], at: int) -> bool:
    """Every token lies inside a quotation of fewer than MIN_QUOTE_WORDS words; with no
    token (words the other version has), the place `at` where they would stand does.
    A phrase one version quotes and the other writes as its own words ("of a “human
    foetus”" / "of a foetus") is a paraphrase around the quotation, not a change in it."""
    spans = quote_spans(text)
    if not tokens:
        return any(s <= at <= e and len(text[s:e].split()) < MIN_QUOTE_WORDS for s, e in spans)
    for token in tokens:
        held = [(s, e) for s, e in spans if s <= token.start and token.end <= e]
        if not held or len(text[held[0][0] : held[0][1]].split()) >= MIN_QUOTE_WORDS:
            return False
    return True


def _side(ctx: Context, q: _Quoted, value: str) -> Side:
    claim = ctx.claims[q.claim]
    return Side(claim.source, value, q.text, claim.line, q.claim)


def _runs(
    ctx: Context, members: list[_Quoted], paragraphs: dict[str, tuple[Paragraph, ...]]
) -> list[_Quoted]:
    """Each quotation printed over several paragraphs, as one: a paragraph that leaves
    the quotation open, and the next that opens it again naming nobody new ("...the
    service faced. / “However, the impact..."). Its paragraphs are compared one by one
    too; together they show a sentence another version has between them."""
    by_source: dict[str, list[_Quoted]] = defaultdict(list)
    for m in members:
        by_source[m.source].append(m)
    runs: list[_Quoted] = []
    for source, quoted in by_source.items():
        quoted.sort(key=_claim_id)
        run: list[_Quoted] = []
        for q in quoted:
            if run and _continues(ctx, paragraphs[source], run[-1], q):
                run.append(q)
                continue
            if len(run) > 1:
                runs.append(_joined(run))
            run = [q]
        if len(run) > 1:
            runs.append(_joined(run))
    return runs


def _continues(
    ctx: Context, paragraphs: tuple[Paragraph, ...], before: _Quoted, q: _Quoted
) -> bool:
    first, then = ctx.claims[before.claim_id], ctx.claims[q.claim_id]
    if then.paragraph != first.paragraph + 1 or not then.speaker_carried or then.start > 2:
        return False
    left = paragraphs[first.paragraph].text[first.end :]
    return not any(mark in left for mark in _CLOSING)


_CLOSING = ("”", "'", '"', "’", "»")


def _joined(run: list[_Quoted]) -> _Quoted:
    first = run[0]
    return _Quoted(
        f"{first.claim_id}+{len(run) - 1}",
        first.source,
        first.speaker,
        first.kind,
        " ".join(q.text for q in run),
        first.claim_id,
        first.named,
    )


def _as_compared(text: str) -> tuple[str, ...]:
    return (*_words(text).words, "|")


def _altered(
    ctx: Context,
    qa: _Quoted,
    qb: _Quoted,
    name: str,
    finding: _Finding,
    also: dict[str, list[str]] | None = None,
) -> Discrepancy:
    value_a = " … ".join(x for x, _ in finding.shown)
    value_b = " … ".join(y for _, y in finding.shown)
    a, b = _side(ctx, qa, value_a), _side(ctx, qb, value_b)
    first, second = sorted((a.source, b.source))
    explanation = f"{name}'s quotation differs between {first} and {second}: {finding.why}"
    for source in (first, second):
        copies = (also or {}).get(source, [])
        if copies:
            shown = ", ".join(copies[:MAX_NAMED_COPIES])
            more = (
                f" and {len(copies) - MAX_NAMED_COPIES} more"
                if len(copies) > MAX_NAMED_COPIES
                else ""
            )
            explanation += f"; {shown}{more} print it as {source} does"
    return make(
        "quote_altered",
        finding.severity,
        name,
        a,
        b,
        explanation,
        ctx,
        similarity=round(100 * finding.coverage, 1),
        copies=also,
    )


MAX_NAMED_COPIES = 3
"""Copies named in a row's explanation as carrying one side's words; more are counted."""


DETECTORS = (
    Detector(
        "quote_altered",
        quotes,
        (
            Kind(
                "quote_altered",
                ("high", "medium", "low"),
                "a speaker's quotation differs inside the part both sources carry",
            ),
            Kind(
                "quote_attribution",
                ("high", "low"),
                "the same quotation given to two different people",
            ),
        ),
    ),
)
