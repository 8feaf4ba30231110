"""Stage 6, graph: sources, claims and entities in one networkx graph.

Nodes are `source:<id>`, `claim:<id>`, `person:<key>` and `org:<key>`. Edges:
source-claim (`carries`), claim-claim (`matches`, with score and scorer) and
claim-entity (`mentions`, `quotes`).

Claim clusters are built from the `matches` edges by the same average linkage
that groups stories, with one more rule: a cluster holds at most one claim per
source. Taking connected components instead would chain "A matches B, B
matches C" into one cluster even when A and C say different things.

People are resolved across sources here, where all mentions are visible: a
surname-only key ("murray", from "Temporary Chief Constable Murray") joins the
one full name with that surname in the same story, or in the whole input when
the story has none.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from .linkage import average_linkage
from .models import Claim, ClaimMatch, Extraction, Matching


@dataclass(frozen=True)
class ClaimGraph:
    graph: nx.Graph
    cluster_of: MappingProxyType[str, str]
    person_key: MappingProxyType[str, str]
    """Any person key seen -> the resolved key."""
    person_name: MappingProxyType[str, str]
    """Resolved person key -> the fullest name written."""
    org_name: MappingProxyType[str, str]
    """Organisation key -> the name most sources write (then the shortest)."""


def cluster_claims(claims: Iterable[Claim], matches: Iterable[ClaimMatch]) -> dict[str, str]:
    """Claim id -> cluster id. Clusters hold at most one claim per source."""
    source_of = {c.claim_id: c.source for c in claims}
    strength = {(min(m.claim_a, m.claim_b), max(m.claim_a, m.claim_b)): m.score for m in matches}
    # Average linkage, with pairs from one source never linked so that no group
    # can hold two claims of one source.
    groups = average_linkage(sorted(source_of), set(strength), strength, 0.5)
    cluster_of: dict[str, str] = {}
    for members in groups:
        by_source: dict[str, list[str]] = defaultdict(list)
        for claim_id in members:
            by_source[source_of[claim_id]].append(claim_id)
        # Average linkage at 0.5 can still admit two claims of a source when
        # both match the others; keep the first and split the rest off.
        keep = sorted(ids[0] for ids in by_source.values())
        rest = sorted(i for ids in by_source.values() for i in ids[1:])
        for group in [keep, *([r] for r in rest)]:
            cluster = "c-" + hashlib.blake2b("\n".join(group).encode(), digest_size=4).hexdigest()
            cluster_of.update(dict.fromkeys(group, cluster))
    return cluster_of


def resolve_people(
    extraction: Extraction, story_of: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    keys = {p.person_key for p in extraction.people} | {q.speaker_key for q in extraction.quotes}
    full_by_surname_story: dict[tuple[str, str], set[str]] = defaultdict(set)
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for p in extraction.people:
        if " " in p.person_key:
            surname = p.person_key.split()[-1]
            full_by_surname_story[(story_of.get(p.source, ""), surname)].add(p.person_key)
            full_by_surname[surname].add(p.person_key)
        if len(p.name) > len(names.get(p.person_key, "")):
            names[p.person_key] = p.name
    resolved: dict[str, str] = {}
    sources_of_key: dict[str, set[str]] = defaultdict(set)
    for p in extraction.people:
        sources_of_key[p.person_key].add(p.source)
    for key in keys:
        if not key or " " in key:
            resolved[key] = key
            continue
        candidates: set[str] = set()
        for source in sources_of_key.get(key, set()):
            candidates |= full_by_surname_story.get((story_of.get(source, ""), key), set())
        if not candidates:
            candidates = full_by_surname.get(key, set())
        resolved[key] = next(iter(candidates)) if len(candidates) == 1 else key
    final_names = {resolved[k]: names.get(resolved[k], names.get(k, k)) for k in resolved if k}
    return resolved, final_names


def build_graph(
    claims: tuple[Claim, ...], extraction: Extraction, matching: Matching
) -> ClaimGraph:
    graph = nx.Graph()
    story_of = dict(matching.story_of)
    cluster_of = cluster_claims(claims, matching.matches)
    person_key, person_name = resolve_people(extraction, story_of)

    for source in sorted({c.source for c in claims}):
        graph.add_node(f"source:{source}", type="source", story=story_of.get(source, ""))
    for c in claims:
        graph.add_node(
            f"claim:{c.claim_id}",
            type="claim",
            kind=c.kind,
            text=c.text,
            line=c.line,
            cluster=cluster_of.get(c.claim_id, ""),
        )
        graph.add_edge(f"source:{c.source}", f"claim:{c.claim_id}", relation="carries")
    for m in matching.matches:
        graph.add_edge(
            f"claim:{m.claim_a}",
            f"claim:{m.claim_b}",
            relation="matches",
            score=float(m.score),
            scorer=m.scorer,
        )
    for p in extraction.people:
        key = person_key.get(p.person_key, p.person_key)
        graph.add_node(f"person:{key}", type="person", name=person_name.get(key, p.name))
        graph.add_edge(f"claim:{p.claim_id}", f"person:{key}", relation="mentions", title=p.title)
    for q in extraction.quotes:
        if q.speaker_key:
            key = person_key.get(q.speaker_key, q.speaker_key)
            graph.add_node(f"person:{key}", type="person", name=person_name.get(key, q.speaker))
            graph.add_edge(f"claim:{q.claim_id}", f"person:{key}", relation="quotes")
    for o in extraction.orgs:
        graph.add_node(f"org:{o.key}", type="organisation", name=_unshout(o.name))
        graph.add_edge(f"claim:{o.claim_id}", f"org:{o.key}", relation="mentions")
    return ClaimGraph(
        graph,
        MappingProxyType(cluster_of),
        MappingProxyType(person_key),
        MappingProxyType(person_name),
        MappingProxyType(org_names(extraction)),
    )


def org_names(extraction: Extraction) -> dict[str, str]:
    """One display name per organisation key: the most sources' choice, then the shortest."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in extraction.orgs:
        votes[mention.key][_unshout(mention.name)] += 1
    return {key: min(names, key=lambda n: (-names[n], len(n), n)) for key, names in votes.items()}


def _unshout(name: str) -> str:
    """'WEST Mercia Police' (a lead-in set in capitals) -> 'West Mercia Police'; 'ROCU' stays."""
    words = name.split()
    if len(words) > 1 and words[0].isupper() and len(words[0]) > 1 and not words[1].isupper():
        words[0] = words[0].capitalize()
    return " ".join(words)
