"""The omission detector: what most versions of a story carry and one lacks.

Two things can be omitted, both reported low (a dropped paragraph is ordinary
editing; the row tells the editor where to look):

- a graded judgment (subject, aspect): when most of the story's other sources
  grade it and a source does not grade that subject at all. In a two-source
  story the other source is "most". A source that says the subject was not
  graded, or graded without naming the grade, is grade_status's business.
- a claim cluster: when more than half of the story's sources, and at least
  two, carry it and a story of three or more sources has one that does not (a
  paraphrase the match stage found related counts as carrying it). A cluster
  grading a subject the source never grades is left to the judgment rule, and
  quotations to the sentences that hold them.

A text stored cut short (`partial: yes` in its metadata: most archived copies are
a page's opening) is not said to omit what, in the source that carries it, comes
after everything the two share: that was cut off, not left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..caching import text_cache
from ..claimdiff import Token, content_words, shared_run_content, shared_run_words, tokenize
from ..models import Claim, ClaimMatch, Discrepancy, Judgment, cut_short
from .base import Context, Side, cluster_topic, make, side, subject_name
from .registry import Detector, Kind

MIN_PARAPHRASE_SHARE = 0.5
"""A related claim carries a cluster's claim when half of that claim's words are in
phrases the two share ..."""
MIN_PARAPHRASE_CONTENT = 0.3
"""... and so are nearly a third of its content words: two sentences opening "It was
also said to be" share six words and say different things."""


def _carries(claim: tuple[Token, ...], other: tuple[Token, ...]) -> bool:
    """Measured against each side in turn: a short sentence that shares its opening
    words with a long one does not carry the long one."""
    return shared_run_words(claim, other) >= MIN_PARAPHRASE_SHARE * len(
        claim
    ) and shared_run_content(claim, other) >= MIN_PARAPHRASE_CONTENT * len(content_words(claim))


@text_cache()
def _carried_each_way(text_a: str, quote_a: bool, text_b: str, quote_b: bool) -> tuple[bool, bool]:
    """Whether a carries b and b carries a (cached: versions repeat wordings)."""
    ta, tb = tokenize(text_a, quote_a), tokenize(text_b, quote_b)
    return _carries(ta, tb), _carries(tb, ta)


def omissions(ctx: Context) -> Iterator[Discrepancy]:
    judged: dict[str, set[str]] = defaultdict(set)  # source -> subject keys it judges
    for j in ctx.extraction.judgments:
        judged[j.source].add(j.subject_key)
    reach = _reach_of_cut_texts(ctx)
    for row in (*_judgment_omissions(ctx, judged), *_cluster_omissions(ctx, judged)):
        if not _beyond_the_cut(ctx, row, reach):
            yield row


def _reach_of_cut_texts(ctx: Context) -> dict[str, dict[str, tuple[int, int]]]:
    """For each article whose stored text was cut short (`partial: yes`), how far into
    each other source of its story it reaches: the place (line, offset in its
    paragraph) of that source's last claim it shares a cluster with. A claim further
    on, even later in the same paragraph, may have been in the cut-off rest."""
    cut = {a.source for a in ctx.articles if cut_short(a.metadata)}
    reach: dict[str, dict[str, tuple[int, int]]] = {source: {} for source in cut}
    if not cut:
        return reach
    for members in ctx.cluster_members.values():
        claims = [ctx.claims[m] for m in members]
        for short in {c.source for c in claims} & cut:
            seen = reach[short]
            for c in claims:
                if c.source != short:
                    seen[c.source] = max(seen.get(c.source, (0, 0)), (c.line, c.start))
    return reach


def _beyond_the_cut(
    ctx: Context, row: Discrepancy, reach: dict[str, dict[str, tuple[int, int]]]
) -> bool:
    """An omission by a cut text of a claim placed, in the source that carries it, after
    everything the cut text shares with that source: not left out, cut off."""
    lacking, carrier = row.source_a, row.source_b
    if row.value_a not in ("absent", "not graded in this version"):
        lacking, carrier = carrier, lacking
    if lacking not in reach:
        return False
    claim = ctx.claims.get(row.claim_b if carrier == row.source_b else row.claim_a)
    return claim is None or (claim.line, claim.start) > reach[lacking].get(carrier, (0, 0))


def _judgment_omissions(ctx: Context, mentioned: dict[str, set[str]]) -> Iterator[Discrepancy]:
    carried: dict[tuple[str, str, str], dict[str, Judgment]] = defaultdict(dict)
    for j in ctx.extraction.judgments:
        if j.status == "graded" and not j.negated and not j.previous:
            carried[(ctx.story(j.source), j.subject_key, j.aspect)].setdefault(j.source, j)
    for (story, key, aspect), by_source in sorted(carried.items()):
        sources = ctx.sources_by_story.get(story, [])
        for lacking in sources:
            if lacking in by_source or key in mentioned[lacking]:
                continue
            others = len(sources) - 1
            if 2 * len(by_source) <= others and not (others == 1 and by_source):
                continue
            carrier = by_source[min(by_source)]
            subject = subject_name(ctx, key, carrier.subject)
            grades = sorted({j.grade for j in by_source.values()})
            yield make(
                "omission",
                "low",
                subject,
                Side(lacking, "not graded in this version"),
                side(ctx, carrier.claim_id, f"{' / '.join(grades)} ({aspect})"),
                f"{lacking} gives no grade for {subject} on {aspect}; "
                f"{len(by_source)} of {len(sources)} sources do ({', '.join(sorted(by_source))})",
                ctx,
            )


def _cluster_omissions(ctx: Context, judged: dict[str, set[str]]) -> Iterator[Discrepancy]:
    subjects_of: dict[str, set[str]] = defaultdict(set)  # claim id -> subjects it grades
    for j in ctx.extraction.judgments:
        if j.status == "graded" and not j.negated:
            subjects_of[j.claim_id].add(j.subject_key)
    members: dict[str, list[Claim]] = defaultdict(list)
    for claim_id, cluster in ctx.graph.cluster_of.items():
        claim = ctx.claims[claim_id]
        if claim.kind != "quote":
            members[cluster].append(claim)
    related = _Paraphrases(ctx)
    for _cluster, claims in sorted(members.items()):
        carriers = {c.source: c for c in claims}
        sources = ctx.sources_by_story.get(ctx.story(claims[0].source), [])
        if len(sources) < 3 or len(carriers) < 2 or 2 * len(carriers) <= len(sources):
            continue
        lacking_sources = [s for s in sources if s not in carriers]
        if not lacking_sources:
            continue  # most clusters: every source of the story carries them
        paraphrased = set().union(*(related.carried_by(c.claim_id) for c in claims))
        subjects = set().union(*(subjects_of.get(c.claim_id, ()) for c in claims))
        first = carriers[min(carriers)]
        subject = ""
        for lacking in lacking_sources:
            if lacking in paraphrased:
                continue
            if subjects - judged[lacking]:
                continue  # a subject the source never grades: a judgment omission says so
            subject = subject or cluster_topic(ctx, first)
            yield make(
                "omission",
                "low",
                subject,
                Side(lacking, "absent"),
                side(ctx, first.claim_id, f"carried by {len(carriers)} of {len(sources)} sources"),
                f"{lacking} lacks a claim that {', '.join(sorted(carriers))} carry",
                ctx,
            )


class _Paraphrases:
    """The sources with a related claim (a paraphrase the match stage found) that a claim
    carries, worked out only for the claims asked about: the clusters some source of
    the story lacks, not every related pair of the feed."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._pairs: dict[str, list[ClaimMatch]] = defaultdict(list)
        for m in ctx.matching.related:
            self._pairs[m.claim_a].append(m)
            self._pairs[m.claim_b].append(m)

    def carried_by(self, claim_id: str) -> set[str]:
        out: set[str] = set()
        for m in self._pairs.get(claim_id, ()):
            a, b = self._ctx.claims[m.claim_a], self._ctx.claims[m.claim_b]
            a_carries_b, b_carries_a = _carried_each_way(a.text, a.in_quote, b.text, b.in_quote)
            if a_carries_b and m.claim_a == claim_id:
                out.add(b.source)
            if b_carries_a and m.claim_b == claim_id:
                out.add(a.source)
        return out


DETECTORS = (
    Detector(
        "omission",
        omissions,
        (
            Kind(
                "omission", ("low",), "a claim or graded judgment most versions carry and one lacks"
            ),
        ),
    ),
)
