"""Grades: what an inspection's graded judgments say, compared within a story.

- `rating_conflict` (high): one subject, one aspect, one scale, within a story,
  graded differently by two sources; low where the aspect counts areas without
  naming them ("inadequate in four areas"), and between two earlier inspections'
  grades given in two different sentences (which earlier inspection each means is
  unsaid).
- `rating_wording` (low): a grade written other than in the scale's official
  wording ("requiring improvement" for "requires improvement"), outside quotations.
- `grade_status`: one source says a subject was graded and another that it was
  not (high), or one names a grade where another says only that it was graded
  (medium).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import combinations

from .. import domain
from ..graph import ClaimGraph
from ..models import (
    Discrepancy,
    Extraction,
    Judgment,
    Severity,
)
from .base import Context, Side, make, side, subject_name
from .registry import Detector, Kind


def shown_subjects(judgments: Iterable[Judgment]) -> dict[str, str]:
    """Subject key -> the subject as the feed's first judgment of it writes it."""
    shown: dict[str, str] = {}
    for j in judgments:
        shown.setdefault(j.subject_key, j.subject)
    return shown


def agreed_subjects(
    extraction: Extraction, graph: ClaimGraph, shown: Mapping[str, str] | None = None
) -> Extraction:
    """Judgments in one claim cluster given the subject most versions give it.

    Which organisation "The service was rated ..." is about is read from the
    article around it, and a version that dropped or moved a paragraph can read it
    as another; the versions of one sentence still grade one subject. Claims
    grading several subjects ("each force was graded ...") keep their own. The
    subject agreed is written as `shown` has it (`shown_subjects`), the whole feed's
    when `extraction` is a part of it.
    """
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for j in extraction.judgments:
        subjects_of[j.claim_id].add(j.subject_key)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for claim_id, keys in subjects_of.items():
        cluster = graph.cluster_of.get(claim_id)
        if cluster and len(keys) == 1:
            votes[cluster].update(keys)
    agreed = {
        cluster: min(counts, key=lambda key: (-counts[key], key))
        for cluster, counts in votes.items()
        if len(counts) > 1
    }
    if not agreed:
        return extraction
    shown = shown if shown is not None else shown_subjects(extraction.judgments)
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
        # Each source's grades once, not once per pair of sources.
        counts = {source: Counter(j.grade for j in found) for source, found in by_source.items()}
        for sa, sb in combinations(sorted(by_source), 2):
            # A source whose grades for the slot are some of another's, mention for
            # mention, has left a sentence out (an omission), not given another grade;
            # one that changed one of two mentions has not. Most pairs give the same.
            count_a, count_b = counts[sa], counts[sb]
            if count_a == count_b or count_a <= count_b or count_b <= count_a:
                continue
            grades_a, grades_b = sorted(count_a), sorted(count_b)
            # Show a claim carrying a grade the other source does not give.
            ja = next((j for j in by_source[sa] if j.grade not in grades_b), by_source[sa][0])
            jb = next((j for j in by_source[sb] if j.grade not in grades_a), by_source[sb][0])
            if previous:
                # Two versions of one sentence about an earlier inspection speak of the
                # same one: show such a pair where there is one.
                ja, jb = _one_sentence(ctx, by_source[sa], by_source[sb]) or (ja, jb)
            scale_name = domain.scales().names[scale]
            subject = subject_name(ctx, ja.subject_key, ja.subject)
            # "inadequate in four areas" and "requiring improvement in another" may be
            # about different areas, and two versions' history in two different sentences
            # about different earlier inspections ("from outstanding" / "earlier
            # inspections of its surgery"): which is unsaid, so the two need not
            # contradict.
            cluster = ctx.graph.cluster_of.get(ja.claim_id)
            same_sentence = cluster is not None and cluster == ctx.graph.cluster_of.get(jb.claim_id)
            unsure = (previous and not same_sentence) or aspect in domain.unnamed_aspects()
            severity: Severity = "low" if unsure else "high"
            yield make(
                "rating_conflict",
                severity,
                subject,
                side(ctx, ja.claim_id, " / ".join(grades_a)),
                side(ctx, jb.claim_id, " / ".join(grades_b)),
                f"{subject} on {aspect}{' (an earlier inspection)' if previous else ''}: "
                f"{sa} gives {' / '.join(grades_a)}, "
                f"{sb} gives {' / '.join(grades_b)} ({scale_name} scale)",
                ctx,
            )


def _one_sentence(
    ctx: Context, a: list[Judgment], b: list[Judgment]
) -> tuple[Judgment, Judgment] | None:
    """A pair of differing grades, one from each source, in two versions of one sentence."""
    for ja in a:
        cluster = ctx.graph.cluster_of.get(ja.claim_id)
        for jb in b:
            same = cluster is not None and ctx.graph.cluster_of.get(jb.claim_id) == cluster
            if same and ja.grade != jb.grade:
                return ja, jb
    return None


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
            standard=first.official,
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


DETECTORS = (
    Detector(
        "rating_conflict",
        rating_conflicts,
        (
            Kind(
                "rating_conflict",
                ("high", "low"),
                "one subject and aspect in one story, graded differently by two sources",
            ),
        ),
    ),
    Detector(
        "rating_wording",
        rating_wording,
        (Kind("rating_wording", ("low",), "a grade not in its scale's official wording"),),
    ),
    Detector(
        "grade_status",
        grade_status,
        (
            Kind(
                "grade_status",
                ("high", "medium"),
                "one source says a subject was graded and another that it was not, "
                "or one names a grade another withholds",
            ),
        ),
    ),
)
