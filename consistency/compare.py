"""Stage 7, compare: turn matched claims and slots into discrepancies.

Each detector is a function in `DETECTORS`; each decides its own severity:

- `rating_conflict` (high): one subject, one aspect, one scale, within a story,
  graded differently by two sources.
- `rating_wording` (low): a grade written other than in the scale's official
  wording ("requiring improvement" for "requires improvement"), outside quotations.
- `grade_status`: one source says a subject was graded and another that it was
  not (high), or one names a grade where another says only that it was graded
  (medium).
- `speaker_title` (medium): one person with different titles in two sources,
  after abbreviations are spelled out.
- `quote_altered`: a speaker's quotation in two sources, one allowed to be a
  fragment of the other, differing inside the shared part: low for punctuation
  or case only, medium for changed words, high when a changed word is a number,
  a negation or a grade.
- `quote_attribution`: the same quotation given to two different people: high,
  or low when one version only implies its speaker (a pronoun, a continued
  quotation).
- `encoding_damage` (low): a source whose text needed encoding repair.

The claim-level kinds (`number_conflict`, `date_conflict`, `polarity_conflict`,
`name_variant`, `claim_altered`) are in `changes`, `omission` in `omission`.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import Indel, Opcode

from . import domain
from .changes import claim_changes
from .claimdiff import tokenize
from .clean import canonical_text
from .extract import untenured
from .findings import Context, Side, make, side, subject_name
from .graph import ClaimGraph
from .models import (
    SEVERITY_RANK,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Judgment,
    Matching,
    Severity,
)
from .omission import omissions

# --- grades -----------------------------------------------------------------


def agreed_subjects(extraction: Extraction, graph: ClaimGraph) -> Extraction:
    """Judgments in one claim cluster given the subject most versions give it.

    Which organisation "The service was rated ..." is about is read from the
    article around it, and a version that dropped or moved a paragraph can read it
    as another; the versions of one sentence still grade one subject. Claims
    grading several subjects ("each force was graded ...") keep their own.
    """
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for j in extraction.judgments:
        subjects_of[j.claim_id].add(j.subject_key)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[str, str] = {}
    for claim_id, keys in subjects_of.items():
        cluster = graph.cluster_of.get(claim_id)
        if cluster and len(keys) == 1:
            votes[cluster].update(keys)
    for j in extraction.judgments:
        shown.setdefault(j.subject_key, j.subject)
    agreed = {
        cluster: min(counts, key=lambda key: (-counts[key], key))
        for cluster, counts in votes.items()
        if len(counts) > 1
    }
    if not agreed:
        return extraction
    judgments = []
    for j in extraction.judgments:
        key = agreed.get(graph.cluster_of.get(j.claim_id, ""), j.subject_key)
        if key != j.subject_key and len(subjects_of[j.claim_id]) == 1:
            j = replace(j, subject_key=key, subject=shown[key])
        judgments.append(j)
    return replace(extraction, judgments=tuple(judgments))


def _graded(judgments: Iterable[Judgment]) -> list[Judgment]:
    return [j for j in judgments if j.status == "graded" and not j.negated]


def rating_conflicts(ctx: Context) -> Iterator[Discrepancy]:
    # An earlier inspection's grade is compared only with other sources' earlier grades.
    slots: dict[tuple[str, str, str, str, bool], dict[str, list[Judgment]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for j in _graded(ctx.extraction.judgments):
        slot = (ctx.story(j.source), j.subject_key, j.aspect, j.scale, j.previous)
        slots[slot][j.source].append(j)
    for (_story, _key, aspect, scale, previous), by_source in sorted(slots.items()):
        for sa, sb in combinations(sorted(by_source), 2):
            grades_a = sorted({j.grade for j in by_source[sa]})
            grades_b = sorted({j.grade for j in by_source[sb]})
            # A source whose grades for the slot are some of another's, mention for
            # mention, has left a sentence out (an omission), not given another grade;
            # one that changed one of two mentions has not.
            count_a = Counter(j.grade for j in by_source[sa])
            count_b = Counter(j.grade for j in by_source[sb])
            if count_a <= count_b or count_b <= count_a:
                continue
            # Show a claim carrying a grade the other source does not give.
            ja = next((j for j in by_source[sa] if j.grade not in grades_b), by_source[sa][0])
            jb = next((j for j in by_source[sb] if j.grade not in grades_a), by_source[sb][0])
            scale_name = domain.scales().names[scale]
            subject = subject_name(ctx, ja.subject_key, ja.subject)
            yield make(
                "rating_conflict",
                "high",
                subject,
                side(ctx, ja.claim_id, " / ".join(grades_a)),
                side(ctx, jb.claim_id, " / ".join(grades_b)),
                f"{subject} on {aspect}{' (an earlier inspection)' if previous else ''}: "
                f"{sa} gives {' / '.join(grades_a)}, "
                f"{sb} gives {' / '.join(grades_b)} ({scale_name} scale)",
                ctx,
            )


def rating_wording(ctx: Context) -> Iterator[Discrepancy]:
    graded = _graded(ctx.extraction.judgments)
    official: dict[tuple[str, str, str], list[Judgment]] = defaultdict(list)
    for j in graded:
        if j.wording == j.official:
            official[(ctx.story(j.source), j.subject_key, j.grade)].append(j)
    seen: dict[tuple[str, str, str], list[Judgment]] = defaultdict(list)
    for j in graded:
        if j.wording != j.official and not j.quoted:
            seen[(j.source, j.subject_key, j.wording)].append(j)
    for (source, _key, wording), group in sorted(seen.items()):
        first = group[0]
        # Sorted, so that the partner shown does not depend on the order of the feed.
        partners = sorted(
            official.get((ctx.story(source), first.subject_key, first.grade), []),
            key=lambda j: (j.source, j.claim_id),
        )
        partner = next(
            (p for p in partners if p.source != source), partners[0] if partners else None
        )
        aspects = ", ".join(sorted({j.aspect for j in group}))
        scale_name = domain.scales().names[first.scale]
        b = side(ctx, partner.claim_id, partner.official) if partner else Side("", first.official)
        subject = subject_name(ctx, first.subject_key, first.subject)
        yield make(
            "rating_wording",
            "low",
            subject,
            side(ctx, first.claim_id, wording),
            b,
            f"{source} writes {wording!r} for {subject} ({aspects}); the official "
            f"{scale_name} wording is {first.official!r}",
            ctx,
        )


def grade_status(ctx: Context) -> Iterator[Discrepancy]:
    by_subject: dict[tuple[str, str], dict[str, list[Judgment]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for j in ctx.extraction.judgments:
        if not j.negated and not j.previous:
            by_subject[(ctx.story(j.source), j.subject_key)][j.source].append(j)
    for (_story, _key), by_source in sorted(by_subject.items()):
        for sa, sb in combinations(sorted(by_source), 2):
            a, b = _GradeStatus.of(by_source[sa]), _GradeStatus.of(by_source[sb])
            contradiction = a.contradicts(b) or b.contradicts(a)
            withheld = a.withholds_from(b) or b.withholds_from(a)
            if not (contradiction or withheld):
                continue
            ja, jb = _status_claim(by_source[sa]), _status_claim(by_source[sb])
            subject = subject_name(ctx, ja.subject_key, ja.subject)
            severity: Severity = "high" if contradiction else "medium"
            yield make(
                "grade_status",
                severity,
                subject,
                side(ctx, ja.claim_id, a.describe()),
                side(ctx, jb.claim_id, b.describe()),
                f"{subject}: {sa} says {a.describe()}; {sb} says {b.describe()}",
                ctx,
            )


@dataclass(frozen=True)
class _GradeStatus:
    """What one source says about whether a subject was graded."""

    named: tuple[str, ...]
    unnamed: bool
    not_graded: bool

    @classmethod
    def of(cls, judgments: list[Judgment]) -> _GradeStatus:
        return cls(
            tuple(sorted({j.grade for j in judgments if j.status == "graded"})),
            any(j.status == "graded_unnamed" for j in judgments),
            any(j.status == "not_graded" for j in judgments),
        )

    def contradicts(self, other: _GradeStatus) -> bool:
        """This source says it was graded, and only the other says it was not.

        Not when the other itself names a grade for the subject: then its "not
        graded" is about something else (no overall grade beside the graded areas,
        "regions do not receive an overall grade" beside "rated adequate"). What
        the two may still disagree on is whether the grade is named at all, which
        is `withholds_from`'s.
        """
        if other.named:
            return False
        return (bool(self.named) or self.unnamed) and other.not_graded and not self.not_graded

    def withholds_from(self, other: _GradeStatus) -> bool:
        """This source says only that it was graded; the other names the grade."""
        return self.unnamed and not self.named and bool(other.named)

    def describe(self) -> str:
        parts = []
        if self.named:
            parts.append("graded " + " / ".join(self.named))
        elif self.unnamed:
            parts.append("graded, no grade named")
        if self.not_graded:
            parts.append("not graded")
        return "; ".join(parts)


def _status_claim(judgments: list[Judgment]) -> Judgment:
    # Show the statement about grading itself when there is one.
    return next((j for j in judgments if j.status != "graded"), judgments[0])


# --- people -------------------------------------------------------------------


def speaker_titles(ctx: Context) -> Iterator[Discrepancy]:
    """A person's titles in two sources: a row when one uses a title the other never does.

    A title counts as used by the other source also when it differs only in
    tenure ("Chief Constable" beside "Temporary Chief Constable"), so a source
    that shortens a title on second mention raises nothing; two sources with no
    title in common raise a row even when they differ only in tenure.
    """
    titles: dict[str, dict[str, dict[str, tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for p in ctx.extraction.people:
        if not p.title_key:
            continue
        key = ctx.graph.person_key.get(p.person_key, p.person_key)
        if " " not in key:
            continue  # a surname nobody resolved: too weak to compare
        titles[key][p.source].setdefault(p.title_key, (p.title, p.claim_id))
    for key, by_source in sorted(titles.items()):
        name = ctx.graph.person_name.get(key, key)
        for sa, sb in combinations(sorted(by_source), 2):
            ta, tb = by_source[sa], by_source[sb]
            if set(ta) & set(tb):
                only_a = [t for t in ta if untenured(t) not in {untenured(u) for u in tb}]
                only_b = [t for t in tb if untenured(t) not in {untenured(u) for u in ta}]
                if not only_a and not only_b:
                    continue
                title_a, claim_a = ta[min(only_a or ta)]
                title_b, claim_b = tb[min(only_b or tb)]
            else:
                title_a, claim_a = ta[min(ta)]
                title_b, claim_b = tb[min(tb)]
            yield make(
                "speaker_title",
                "medium",
                name,
                side(ctx, claim_a, title_a),
                side(ctx, claim_b, title_b),
                f"{name} is {title_a!r} in {sa} but {title_b!r} in {sb}",
                ctx,
            )


# --- quotations ---------------------------------------------------------------

MIN_QUOTE_WORDS = 4
MIN_QUOTE_COVERAGE = 0.7
"""Share of the shorter quotation's words found, in order, in the longer one."""
MIN_ATTRIBUTION_COVERAGE = 0.9
MIN_RUN_WORDS = 3
"""Shortest run of shared words that counts towards a quotation match."""
MAX_QUOTE_CHARS = 5000
"""Quotations longer than this are not compared (as claims that long are not matched):
none is, and the word diff takes time that grows with the product of the lengths (an
unclosed quotation mark before 400 KB of text took seconds)."""


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]  # lower-cased words
    surface: tuple[str, ...]  # words as written
    punct_after: tuple[str, ...]  # punctuation directly after each word


@lru_cache(maxsize=65536)
def _words(text: str) -> _Words:
    """The words of a quotation as compared (claimdiff's word keys): lower case, number
    words as digits, title abbreviations spelled out, equivalent spellings as one
    ("10%" and "10 per cent", "HM" and "His Majesty's" are the same words)."""
    tokens = tokenize(text)
    punct: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1].start if i + 1 < len(tokens) else len(text)
        punct.append("".join(ch for ch in text[token.end : following] if not ch.isspace()))
    return _Words(
        tuple(t.key for t in tokens), tuple(text[t.start : t.end] for t in tokens), tuple(punct)
    )


@dataclass(frozen=True)
class QuoteDiff:
    coverage: float
    changes: tuple[tuple[str, str], ...]
    """(words in a, words in b) for each changed hunk."""
    typography: tuple[tuple[str, str], ...] = ()
    """(a, b) snippets around each punctuation or capitalisation difference."""


@lru_cache(maxsize=65536)
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
    shared = set(equal_at)  # asking the list at every op was quadratic in a long quotation
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
    pending_a: list[str] = []
    pending_b: list[str] = []
    for op in ops[equal_at[0] : equal_at[-1] + 1]:
        if op.tag == "equal":
            if pending_a or pending_b:
                changes.append((" ".join(pending_a), " ".join(pending_b)))
                pending_a, pending_b = [], []
            continue
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
    if tail_a and tail_b:
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
    return QuoteDiff(coverage, tuple(changes), tuple(typography))


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
pairs the match stage found are, as every pair made the work and the rows quadratic."""


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
    if diff.changes:
        severity, why = _quote_severity(diff.changes)
        shown = diff.changes
    elif diff.typography:
        severity, why = "low", "punctuation or capitals only"
        shown = diff.typography
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


# --- encoding -----------------------------------------------------------------


def encoding_damage(ctx: Context) -> Iterator[Discrepancy]:
    for article in ctx.articles:
        repairs = [r for r in article.repairs if r.kind == "encoding"]
        if not repairs:
            continue
        fixes = sorted({f for r in repairs for f in r.fixes})
        first = repairs[0]
        value_a = " ".join(bad for bad, _ in fixes) or first.before[:40]
        value_b = " ".join(good for _, good in fixes) or first.after[:40]
        kinds = sorted({r.explanation.split(":")[0] for r in repairs})
        side = Side(article.source, value_a, first.before, first.line)
        yield make(
            "encoding_damage",
            "low",
            "encoding",
            side,
            Side("", value_b, first.after, None),
            f"{len(repairs)} line(s) of {article.source} repaired ({'; '.join(kinds)}); "
            "check the published page",
            ctx,
        )


Detector = Callable[[Context], Iterable[Discrepancy]]

DETECTORS: dict[str, Detector] = {
    "rating_conflict": rating_conflicts,
    "rating_wording": rating_wording,
    "grade_status": grade_status,
    "speaker_title": speaker_titles,
    "quote_altered": quotes,  # also yields quote_attribution
    "claim_changes": claim_changes,  # number, date, polarity, name_variant, claim_altered
    "omission": omissions,
    "encoding_damage": encoding_damage,
}


def sort_key(d: Discrepancy) -> tuple[object, ...]:
    return (
        SEVERITY_RANK[d.severity],
        d.kind,
        d.subject,
        d.source_a,
        d.source_b,
        d.value_a,
        d.value_b,
        d.id,
    )


IN_SECOND_PROCESS = ("claim_changes",)
"""Detectors run in a second process when `compare` is asked to: together they take
about as long as all the others."""

_FORKED_CONTEXT: list[Context] = []
"""The context a forked process finds already in memory (nothing is pickled to it)."""


def _run_in_second_process(names: tuple[str, ...]) -> dict[str, list[Discrepancy]]:
    ctx = _FORKED_CONTEXT[0]
    return {name: list(DETECTORS[name](ctx)) for name in names}


def compare(
    articles: tuple[CleanArticle, ...],
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    graph: ClaimGraph,
    parallel: bool = False,
) -> tuple[Discrepancy, ...]:
    """Every detector's rows, sorted. With `parallel`, the IN_SECOND_PROCESS detectors run in a
    forked process (where the platform forks) while this one runs the rest; the rows
    are the same either way."""
    extraction = agreed_subjects(extraction, graph)
    ctx = Context(articles, {c.claim_id: c for c in claims}, extraction, matching, graph)
    found: dict[str, list[Discrepancy]] = {}
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        _FORKED_CONTEXT[:] = [ctx]
        try:
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
                second = pool.submit(_run_in_second_process, IN_SECOND_PROCESS)
                for name, detector in DETECTORS.items():
                    if name not in IN_SECOND_PROCESS:
                        found[name] = list(detector(ctx))
                found.update(second.result())
        finally:
            _FORKED_CONTEXT.clear()
    else:
        found = {name: list(detector(ctx)) for name, detector in DETECTORS.items()}
    # In the detectors' order, whichever process ran them: the first row of an id wins.
    rows: dict[str, Discrepancy] = {}
    for name in DETECTORS:
        for row in found[name]:
            rows.setdefault(row.id, row)
    return tuple(sorted(rows.values(), key=sort_key))
