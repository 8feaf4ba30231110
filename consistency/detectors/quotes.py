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

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import Indel, Opcode

from .. import domain
from ..caching import text_cache
from ..claimdiff import Token, squeezed, tokenize
from ..keys import canonical_text
from ..models import (
    Discrepancy,
    Severity,
)
from ..numbers import dates, quantities, reading
from .base import Context, make, side
from .registry import Detector, Kind

MIN_QUOTE_WORDS = 4
MIN_QUOTE_COVERAGE = 0.7
"""Share of the shorter quotation's words found, in order, in the longer one."""
MIN_ATTRIBUTION_COVERAGE = 0.9
MIN_RUN_WORDS = 3
"""Shortest run of shared words that counts towards a quotation match."""
MAX_QUOTE_CHARS = 5000
"""Quotations longer than this are not compared (as claims that long are not matched):
none is, and the word diff takes time that grows with the product of the lengths (an
unclosed quotation mark makes the rest of an article one quotation)."""


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]  # lower-cased words
    surface: tuple[str, ...]  # words as written
    punct_after: tuple[str, ...]  # punctuation directly after each word


@text_cache()
def _words(text: str) -> _Words:
    """The words of a quotation as compared (claimdiff's word keys): lower case, number
    words as digits, title abbreviations spelled out, equivalent spellings as one
    ("10%" and "10 per cent", "HM" and "His Majesty's" are the same words)."""
    tokens = _quantities_as_words(text, tokenize(text))
    punct: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1].start if i + 1 < len(tokens) else len(text)
        punct.append("".join(ch for ch in text[token.end : following] if not ch.isspace()))
    return _Words(
        tuple(t.key for t in tokens), tuple(text[t.start : t.end] for t in tokens), tuple(punct)
    )


def _quantities_as_words(text: str, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """Each time of day and each figure read as one word keyed by its value, so that a
    house style is no alteration: "11.45am", "11:45 a.m." and "11 45 a.m" are one word,
    as are "£50m" and "£50 million"; a hedge stays part of the word ("nearly 300" is
    not "300")."""
    found = dates(text)
    spans = [(_figure_start(d.text, d.start), d.end, d.value) for d in found if d.kind == "time"]
    spans += [
        (_figure_start(q.text, q.start), q.end, f"={q.value:g}{q.unit}")
        for q in quantities(text, [(d.start, d.end) for d in found])
    ]
    if not spans:
        return tokens
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
    return tuple(out)


def _figure_start(written: str, start: int) -> int:
    """Where a figure or a time starts after its hedge ("nearly", "about"): the hedge
    stays a word of its own, so that a hedge dropped from a quotation is still seen."""
    lowered = re.sub(r"\s+", " ", written.lower())
    hedges = {*domain.lexicon().hedges, *reading().time_hedges}
    for hedge in sorted(hedges, key=len, reverse=True):
        if lowered.startswith(hedge + " "):
            skip = re.match(r"(?:\S+\s+){%s}" % len(hedge.split()), written)  # noqa: UP031
            return start + (skip.end() if skip else 0)
    return start


@dataclass(frozen=True)
class QuoteDiff:
    coverage: float
    changes: tuple[tuple[str, str], ...]
    """(words in a, words in b) for each changed hunk."""
    typography: tuple[tuple[str, str], ...] = ()
    """(a, b) snippets around each punctuation or capitalisation difference."""
    dropped: tuple[tuple[str, str], ...] = ()
    """(a, b) for each whole sentence one version leaves out of the quotation (the other
    side empty)."""


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
    )


def _diff_quotes(a: str, b: str) -> QuoteDiff:
    wa, wb = _words(a), _words(b)
    ops = list(Indel.opcodes(list(wa.words), list(wb.words)))
    shorter = min(len(wa.words), len(wb.words)) or 1
    # Only runs of shared words count: common words ("we", "the", "and") shared
    # one at a time across two different quotations are not a match.
    min_run = min(MIN_RUN_WORDS, shorter)
    equal_at = [
        k for k, op in enumerate(ops) if op.tag == "equal" and op.src_end - op.src_start >= min_run
    ]
    if not equal_at:
        return QuoteDiff(0.0, ())
    # Beside a real run, a shorter run that ends both quotations (or starts both),
    # a few words changed on each side between, is shared too: "no money behind
    # them" / "no weather behind them" changed one word.
    head, tail = ops[equal_at[0]], ops[equal_at[-1]]
    shared = set(equal_at)  # a set: asking the list at every op is quadratic
    for k, op in enumerate(ops):
        if op.tag != "equal" or k in shared:
            continue
        ends_both = op.src_end == len(wa.words) and op.dest_end == len(wb.words)
        starts_both = op.src_start == 0 and op.dest_start == 0
        if ends_both and k > equal_at[-1]:
            gap = (op.src_start - tail.src_end, op.dest_start - tail.dest_end)
        elif starts_both and k < equal_at[0]:
            gap = (head.src_start - op.src_end, head.dest_start - op.dest_end)
        else:
            continue
        if min(gap) >= 1 and max(gap) <= 3:
            equal_at = sorted([*equal_at, k])
            shared.add(k)
    first, last = ops[equal_at[0]], ops[equal_at[-1]]
    span = max(last.src_end - first.src_start, last.dest_end - first.dest_start)
    if span > 1.5 * shorter + 5:
        return QuoteDiff(0.0, ())  # the shared runs are scattered, not one passage
    coverage = sum(ops[k].src_end - ops[k].src_start for k in equal_at) / shorter
    # Between the first and last shared words every difference is an alteration.
    changes: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    pending_a: list[str] = []
    pending_b: list[str] = []
    start_a = start_b = 0
    for op in ops[equal_at[0] : equal_at[-1] + 1]:
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
    # Outside the shared part, a difference on both sides (a changed first or last
    # word) is an alteration; words on one side only are the fragment's context.
    # The words next to the shared part that both sides have in common (a
    # repeated "we" the alignment took from earlier) are not a change.
    lead_a, lead_b = _strip_common(
        wa.surface[: first.src_start], wb.surface[: first.dest_start], -1
    )
    if lead_a and lead_b:
        changes.insert(0, (" ".join(lead_a[-3:]), " ".join(lead_b[-len(lead_a[-3:]) :])))
    tail_a, tail_b = _strip_common(wa.surface[last.src_end :], wb.surface[last.dest_end :], 1)
    if _cut_mid_word(wa, wb, tail_a, tail_b):
        pass  # the stored text stops inside a word: a cut, not a changed word
    elif tail_a and tail_b:
        changes.append((" ".join(tail_a[:3]), " ".join(tail_b[: len(tail_a[:3])])))
    elif _lost_last_words(wa, wb, tail_a, tail_b, last):
        changes.append((" ".join(tail_a), " ".join(tail_b)))
    typography: list[tuple[str, str]] = []
    for op in (ops[k] for k in equal_at):
        for k in range(op.src_end - op.src_start):
            i, j = op.src_start + k, op.dest_start + k
            # Punctuation after the last shared word is where a fragment was cut.
            inner = not (op is last and i == last.src_end - 1)
            # A change of case is typography; "twelve" for "12" or "HM" for "His
            # Majesty's" is the same word written another way, and no change.
            recased = (
                wa.surface[i] != wb.surface[j] and wa.surface[i].lower() == wb.surface[j].lower()
            )
            if recased or (inner and wa.punct_after[i] != wb.punct_after[j]):
                typography.append((_snippet(wa, i, inner), _snippet(wb, j, inner)))
    return QuoteDiff(coverage, tuple(changes), tuple(typography), tuple(dropped))


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


def _quote_severity(changes: tuple[tuple[str, str], ...]) -> tuple[Severity, str]:
    grade_re = domain.scales().grade_re
    lexicon = domain.lexicon()
    for before, after in changes:
        text = f"{before} {after}"
        words = set(text.lower().split())
        if re.search(r"\d", text) or words & lexicon.number_words:
            return "high", "a number changed"
        if words & lexicon.negations:
            return "high", "a negation changed"
        if grade_re.search(text):
            return "high", "a grade changed"
    return "medium", "words changed"


def quotes(ctx: Context) -> Iterator[Discrepancy]:
    """quote_altered within each (story, speaker); quote_attribution across speakers.

    Alterations are looked for only among one speaker's quotations in one story,
    so the work grows with the quotations a person gave, not with the square of
    all quotations. Misattributions need near-identical text, so their
    candidates come from the match stage's blocked claim pairs.
    """
    speaker_of: dict[str, str] = {}
    named_by = {q.claim_id: q.named for q in ctx.extraction.quotes}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for q in ctx.extraction.quotes:
        key = ctx.graph.person_key.get(q.speaker_key, q.speaker_key)
        speaker_of[q.claim_id] = key
        # An unattributed quotation may be anyone's words, or a report's.
        if key and len(q.text.split()) >= MIN_QUOTE_WORDS and len(q.text) <= MAX_QUOTE_CHARS:
            groups[(ctx.story(q.source), key)].append(q.claim_id)
    partners: dict[str, set[str]] | None = None
    for (_story, speaker), ids in sorted(groups.items()):
        pairs: Iterable[tuple[str, str]] = combinations(sorted(ids), 2)
        if max(Counter(ctx.claims[i].source for i in ids).values()) > MAX_SPEAKER_QUOTES:
            partners = partners if partners is not None else _quote_partners(ctx)
            group = set(ids)
            pairs = sorted({(i, j) for i in ids for j in partners.get(i, ()) if j in group})
        for ida, idb in pairs:
            a, b = ctx.claims[ida], ctx.claims[idb]
            if a.source == b.source or a.text == b.text:
                continue  # one quotation, written alike, has nothing to show
            diff = diff_quotes(a.text, b.text)
            if diff.coverage >= MIN_QUOTE_COVERAGE:
                yield from _altered(ctx, ida, idb, speaker, diff)
    # A source that itself gives the quotation to both people (a copy of an
    # article that does) is no evidence that another source misattributed it.
    given_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in ctx.extraction.quotes:
        given_by[(q.source, canonical_text(q.text))].add(speaker_of[q.claim_id])
    for m in ctx.matching.matches:
        speaker_a, speaker_b = speaker_of.get(m.claim_a, ""), speaker_of.get(m.claim_b, "")
        if " " not in speaker_a or " " not in speaker_b or speaker_a == speaker_b:
            continue  # only two different named people make a misattribution
        claim_a, claim_b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
        if speaker_a in given_by[(claim_b.source, canonical_text(claim_b.text))] or (
            speaker_b in given_by[(claim_a.source, canonical_text(claim_a.text))]
        ):
            continue
        diff = diff_quotes(claim_a.text, claim_b.text)
        if diff.coverage >= MIN_ATTRIBUTION_COVERAGE:
            named = named_by[m.claim_a] and named_by[m.claim_b]
            yield _attribution(ctx, m.claim_a, m.claim_b, speaker_a, speaker_b, named)


MAX_SPEAKER_QUOTES = 50
"""A speaker's quotations in one story are compared pair by pair unless one source gives
that person more than this many: then (hundreds of quotations in each version) only the
pairs the match stage found are, as every pair would make the work and the rows
quadratic."""


def _quote_partners(ctx: Context) -> dict[str, set[str]]:
    """Claim id -> the later claim ids the match stage matched or related it with."""
    partners: dict[str, set[str]] = defaultdict(set)
    for m in (*ctx.matching.matches, *ctx.matching.related):
        first, second = sorted((m.claim_a, m.claim_b))
        partners[first].add(second)
    return partners


def _attribution(
    ctx: Context, ida: str, idb: str, speaker_a: str, speaker_b: str, named: bool
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
    return make(
        "quote_attribution",
        "high" if named else "low",
        subject,
        a,
        b,
        explanation,
        ctx,
        similarity=None,
    )


def _altered(
    ctx: Context, ida: str, idb: str, speaker: str, diff: QuoteDiff
) -> Iterator[Discrepancy]:
    changes = tuple((x, y) for x, y in diff.changes if squeezed(x) != squeezed(y))
    if changes:
        severity, why = _quote_severity(changes)
        shown = changes
    elif diff.dropped:
        severity, why = "low", "a whole sentence is left out of the quotation"
        shown = diff.dropped
    elif diff.typography or diff.changes:
        # "air fares" / "airfares": one word spaced two ways is typography too.
        severity, why = "low", "punctuation, spacing or capitals only"
        shown = diff.typography + diff.changes
    else:
        return
    name = ctx.graph.person_name.get(speaker, speaker)
    value_a = " … ".join(x for x, _ in shown)
    value_b = " … ".join(y for _, y in shown)
    a, b = side(ctx, ida, value_a), side(ctx, idb, value_b)
    yield make(
        "quote_altered",
        severity,
        name,
        a,
        b,
        f"{name}'s quotation differs between {a.source} and {b.source}: {why}",
        ctx,
        similarity=round(100 * diff.coverage, 1),
    )


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
