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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import networkx as nx

from .linkage import average_linkage
from .models import Claim, ClaimMatch, Extraction, Matching

Attributes = dict[str, str | int | float]


@dataclass(frozen=True)
class ClaimGraph:
    cluster_of: MappingProxyType[str, str]
    person_key: MappingProxyType[str, str]
    """Any person key seen -> the resolved key."""
    person_name: MappingProxyType[str, str]
    """Resolved person key -> the fullest name written."""
    org_name: MappingProxyType[str, str]
    """Organisation key -> the name most sources write (then the shortest)."""
    claims: tuple[Claim, ...] = field(default=(), repr=False)
    extraction: Extraction = field(default_factory=Extraction, repr=False)
    matching: Matching | None = field(default=None, repr=False)

    def elements(self) -> tuple[dict[str, Attributes], dict[tuple[str, str], Attributes]]:
        """The graph's nodes and edges with their attributes, in a stable order. A node
        or edge added twice merges its attributes, the later winning, as networkx's
        add_node and add_edge do."""
        story_of = dict(self.matching.story_of) if self.matching else {}
        nodes: dict[str, Attributes] = {}
        edges: dict[tuple[str, str], Attributes] = {}

        def node(node_id: str, /, **attributes: str | int | float) -> None:
            nodes.setdefault(node_id, {}).update(attributes)

        def edge(a: str, b: str, /, **attributes: str | int | float) -> None:
            edges.setdefault((b, a) if (b, a) in edges else (a, b), {}).update(attributes)

        for source in sorted({c.source for c in self.claims}):
            node(f"source:{source}", type="source", story=story_of.get(source, ""))
        for c in self.claims:
            node(
                f"claim:{c.claim_id}",
                type="claim",
                kind=c.kind,
                text=c.text,
                line=c.line,
                cluster=self.cluster_of.get(c.claim_id, ""),
            )
            edge(f"source:{c.source}", f"claim:{c.claim_id}", relation="carries")
        for m in self.matching.matches if self.matching else ():
            edge(
                f"claim:{m.claim_a}",
                f"claim:{m.claim_b}",
                relation="matches",
                score=float(m.score),
                scorer=m.scorer,
            )
        for p in self.extraction.people:
            key = self.person_key.get(p.person_key, p.person_key)
            node(f"person:{key}", type="person", name=self.person_name.get(key, p.name))
            edge(f"claim:{p.claim_id}", f"person:{key}", relation="mentions", title=p.title)
        for q in self.extraction.quotes:
            if q.speaker_key:
                key = self.person_key.get(q.speaker_key, q.speaker_key)
                node(f"person:{key}", type="person", name=self.person_name.get(key, q.speaker))
                edge(f"claim:{q.claim_id}", f"person:{key}", relation="quotes")
        for o in self.extraction.orgs:
            node(f"org:{o.key}", type="organisation", name=_unshout(o.name))
            edge(f"claim:{o.claim_id}", f"org:{o.key}", relation="mentions")
        return nodes, edges

    @cached_property
    def graph(self) -> nx.Graph:
        """The networkx graph, built on first use: the checker itself needs only the
        clusters and resolved names, and a day's feed makes millions of elements."""
        nodes, edges = self.elements()
        graph = nx.Graph()
        graph.add_nodes_from(nodes.items())
        graph.add_edges_from((a, b, data) for (a, b), data in edges.items())
        return graph


_GRAPHML_TYPES = {str: "string", int: "int", float: "double"}
# Escapes for XML text and double-quoted attributes, in one pass; XML 1.0 cannot
# carry most control characters, not even escaped, so they go.
_XML = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        **dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]),
    }
)


_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _xml(value: str | int | float) -> str:
    if not isinstance(value, str):
        return str(value)
    # Most values need nothing: a scan in C is far cheaper than a translation.
    return value.translate(_XML) if _NEEDS_ESCAPE.search(value) else value


def write_graphml(claim_graph: ClaimGraph, path: str | Path) -> None:
    """Write the graph as GraphML, streamed: networkx's writer builds the whole XML
    tree in memory first, which for a day's feed is larger and slower than the check."""
    nodes, edges = claim_graph.elements()
    keys: dict[tuple[str, str], str] = {}
    types: dict[tuple[str, str], str] = {}
    for scope, elements in (("node", nodes.values()), ("edge", edges.values())):
        for attributes in elements:
            for name, value in attributes.items():
                if (scope, name) not in keys:
                    keys[(scope, name)] = f"d{len(keys)}"
                    types[(scope, name)] = _GRAPHML_TYPES[type(value)]

    def data(scope: str, attributes: Attributes) -> str:
        return "".join(
            f'<data key="{keys[(scope, name)]}">{_xml(value)}</data>'
            for name, value in attributes.items()
        )

    with Path(path).open("w", encoding="utf-8") as out:
        out.write(
            "<?xml version='1.0' encoding='utf-8'?>\n"
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for (scope, name), key in keys.items():
            out.write(
                f'  <key id="{key}" for="{scope}" attr.name="{_xml(name)}" '
                f'attr.type="{types[(scope, name)]}"/>\n'
            )
        out.write('  <graph edgedefault="undirected">\n')
        for node, attributes in nodes.items():
            out.write(f'    <node id="{_xml(node)}">{data("node", attributes)}</node>\n')
        for (a, b), attributes in edges.items():
            ends = f'source="{_xml(a)}" target="{_xml(b)}"'
            out.write(f"    <edge {ends}>{data('edge', attributes)}</edge>\n")
        out.write("  </graph>\n</graphml>\n")


def cluster_claims(claims: Iterable[Claim], matches: Iterable[ClaimMatch]) -> dict[str, str]:
    """Claim id -> cluster id. Clusters hold at most one claim per source."""
    source_of = {c.claim_id: c.source for c in claims}
    strength = {(min(m.claim_a, m.claim_b), max(m.claim_a, m.claim_b)): m.score for m in matches}
    # Average linkage, with pairs from one source never linked so that no group
    # can hold two claims of one source.
    groups = average_linkage(sorted(source_of), strength, 0.5)
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
    story_of = dict(matching.story_of)
    cluster_of = cluster_claims(claims, matching.matches)
    person_key, person_name = resolve_people(extraction, story_of)
    return ClaimGraph(
        MappingProxyType(cluster_of),
        MappingProxyType(person_key),
        MappingProxyType(person_name),
        MappingProxyType(org_names(extraction)),
        claims,
        extraction,
        matching,
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
