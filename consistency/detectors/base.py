"""What every detector of the compare stage shares: the context it reads and how a row is made.

A detector is a function from a `Context` to discrepancies. `make()` fixes the
order of a row's two sides (alphabetical by source), so the same finding is
the same row, with the same id, whatever order the inputs came in.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..graph import ClaimGraph
from ..models import (
    Claim,
    ClaimMatch,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
    OrgMention,
    PersonMention,
    Severity,
)

if TYPE_CHECKING:
    from .claims import Alignment


@dataclass(frozen=True)
class Side:
    source: str
    value: str
    text: str = ""
    line: int | None = None
    claim_id: str = ""


@dataclass(frozen=True)
class FeedFacts:
    """What detectors read of the whole feed rather than of one story: whom and what
    the feed names anywhere. A speaker key is a person's or an organisation's by what
    the whole feed names (a story whose versions quote "Mr Scott" may be the only one
    quoting him, another names Matthew Scott). The rest of the detectors' work is
    story by story, so with these given (`Context.feed`), a Context holding some of the
    feed's stories gives those stories' rows exactly (`compare.story_batches`)."""

    people: frozenset[str]
    """Resolved person keys with a first name and a surname."""
    persons: frozenset[str]
    """Every resolved person key, a surname nobody resolved included."""
    organisations: frozenset[str]
    """Organisation keys, names and initials ("btp") a speaker key can be."""
    people_by_surname: Mapping[str, frozenset[str]]
    """Surname -> the full person keys with it."""


def feed_facts(extraction: Extraction, graph: ClaimGraph) -> FeedFacts:
    """The feed's `FeedFacts`, from the whole feed's extraction and people resolved."""
    from ..claimdiff import initialism  # claimdiff reads the domain tables, loaded late

    persons: set[str] = set()
    by_surname: dict[str, set[str]] = defaultdict(set)
    for p in extraction.people:
        key = graph.person_key.get(p.person_key, p.person_key)
        persons.add(key)
        if " " in key:
            by_surname[key.split()[-1]].add(key)
    organisations: set[str] = set()
    for o in extraction.orgs:
        name = re.sub(r"\s*\(([^)]*)\)", "", o.name)
        organisations |= {o.key, name.lower(), initialism(name).lower()}
        organisations |= {inner.lower() for inner in re.findall(r"\(([^)]*)\)", o.name)}
    return FeedFacts(
        frozenset(k for k in persons if " " in k),
        frozenset(persons),
        frozenset(organisations),
        {surname: frozenset(keys) for surname, keys in by_surname.items()},
    )


@dataclass(frozen=True)
class Context:
    articles: tuple[CleanArticle, ...]
    claims: dict[str, Claim]
    extraction: Extraction
    matching: Matching
    graph: ClaimGraph
    feed: FeedFacts | None = None
    """The whole feed's facts where this Context holds only some of its stories; None:
    this Context is the whole feed, and they are read from it (`facts`)."""

    @cached_property
    def facts(self) -> FeedFacts:
        return self.feed or feed_facts(self.extraction, self.graph)

    def story(self, source: str) -> str:
        return self.matching.story_of.get(source, "")

    def metadata(self, source: str) -> Mapping[str, str]:
        return self._metadata.get(source, {})

    @cached_property
    def _metadata(self) -> dict[str, Mapping[str, str]]:
        return {a.source: a.metadata for a in self.articles}

    @cached_property
    def cluster_members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for claim_id, cluster in self.graph.cluster_of.items():
            out[cluster].append(claim_id)
        return out

    @cached_property
    def _cluster_topics(self) -> dict[str, str]:
        return {}

    @cached_property
    def orgs_by_claim(self) -> dict[str, list[OrgMention]]:
        out: dict[str, list[OrgMention]] = defaultdict(list)
        for o in self.extraction.orgs:
            out[o.claim_id].append(o)
        return out

    @cached_property
    def people_by_claim(self) -> dict[str, list[PersonMention]]:
        out: dict[str, list[PersonMention]] = defaultdict(list)
        for p in self.extraction.people:
            out[p.claim_id].append(p)
        return out

    @cached_property
    def aligned(self) -> tuple[tuple[ClaimMatch, Alignment], ...]:
        """`claims.aligned_pairs`, worked out once per check: the claim, fact and
        quotation detectors all read it, and it sorts every matched and related pair."""
        from .claims import align  # the claim detectors' own ranking (they import this module)

        return tuple(align(self))

    @cached_property
    def sources_by_story(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for a in self.articles:
            out[self.story(a.source)].append(a.source)
        return {story: sorted(sources) for story, sources in out.items()}


def discrepancy_id(kind: str, subject: str, a: Side, b: Side) -> str:
    """Stable across runs and input order. The texts are part of it: two omitted claims
    about one subject have the same values ("absent") and are still two rows."""
    fields = (kind, subject, a.source, b.source, a.value, b.value, a.text, b.text)
    return hashlib.sha1("\x1f".join(fields).encode()).hexdigest()[:12]


def make(
    kind: str,
    severity: Severity,
    subject: str,
    a: Side,
    b: Side | None,
    explanation: str,
    ctx: Context,
    similarity: float | None = None,
    standard: str = "",
    copies: Mapping[str, Sequence[str]] | None = None,
) -> Discrepancy:
    """A discrepancy with its sides in a fixed order, so input order never changes a row.
    `standard`: the reading the kind holds right (see `Discrepancy.standard`); `copies`:
    for a side's source, the other sources printing what it prints (a difference
    reported once, see `Discrepancy.copies_a`)."""
    b = b or Side("", "")
    # Two sources: alphabetical. One source on both sides (a wording and the
    # official wording elsewhere in the same article): the caller's order.
    if (
        b.source
        and b.source != a.source
        and (b.source, b.value, b.claim_id) < (a.source, a.value, a.claim_id)
    ):
        a, b = b, a
    cluster_a = ctx.graph.cluster_of.get(a.claim_id, "")
    cluster_b = ctx.graph.cluster_of.get(b.claim_id, "")
    cluster = cluster_a if cluster_a == cluster_b or not cluster_b else ""
    return Discrepancy(
        discrepancy_id(kind, subject, a, b),
        kind,
        severity,
        subject,
        a.source,
        b.source,
        a.value,
        b.value,
        a.text,
        b.text,
        a.line,
        b.line,
        similarity,
        cluster,
        explanation,
        a.claim_id,
        b.claim_id,
        standard,
        tuple(sorted((copies or {}).get(a.source, ()))),
        tuple(sorted((copies or {}).get(b.source, ()))) if b.source else (),
    )


def subject_name(ctx: Context, key: str, fallback: str) -> str:
    return ctx.graph.org_name.get(key, fallback)


def side(ctx: Context, claim_id: str, value: str) -> Side:
    claim = ctx.claims[claim_id]
    return Side(claim.source, value, claim.text, claim.line, claim_id)


def cluster_topic(ctx: Context, claim: Claim) -> str:
    """What most versions of a claim are about: not whichever version sorts first, as
    one version's title-case headline can name something the others do not."""
    cluster = ctx.graph.cluster_of.get(claim.claim_id)
    if cluster is None:
        return topic(ctx, claim)
    known = ctx._cluster_topics
    if cluster not in known:
        counts = Counter(topic(ctx, ctx.claims[m]) for m in ctx.cluster_members[cluster])
        known[cluster] = min(counts, key=lambda t: (-counts[t], t))
    return known[cluster]


def topic(ctx: Context, claim: Claim) -> str:
    """What a claim is about: its first organisation, else its first person, else its opening."""
    orgs = ctx.orgs_by_claim.get(claim.claim_id)
    if orgs:
        return subject_name(ctx, orgs[0].key, orgs[0].name)
    people = ctx.people_by_claim.get(claim.claim_id)
    if people:
        key = ctx.graph.person_key.get(people[0].person_key, people[0].person_key)
        return ctx.graph.person_name.get(key, people[0].name)
    # A claim naming nobody is about what the article was last discussing.
    source, _, number = claim.claim_id.rpartition(":")
    for earlier in range(int(number) - 1, max(0, int(number) - 6), -1):
        orgs = ctx.orgs_by_claim.get(f"{source}:{earlier:0{len(number)}d}")
        if orgs:
            return subject_name(ctx, orgs[-1].key, orgs[-1].name)
    words = claim.text.split()
    return " ".join(words[:6]) + (" …" if len(words) > 6 else "")
