"""Stage 6, graph: sources, claims and entities in a networkx graph per story.

Nodes are `source:<id>`, `claim:<id>`, `person:<key>` and `org:<key>`. Edges:
source-claim (`carries`), claim-claim (`matches`, with score and scorer) and
claim-entity (`mentions`, `quotes`). Claims are matched only within a story, so a
story's graph holds every `matches` edge of its claims; an entity named in several
stories is a node in each.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import networkx as nx

from .linkage import average_linkage_rooted
from .models import Claim, Extraction, Matching
from .stories import ID_BYTES

Attributes = dict[str, str | int | float]


@dataclass(frozen=True)
class ClaimGraph:
    """The graph stage's output: a networkx graph per story, and what the detectors
    look up often enough to want as plain mappings (clusters and resolved names).

    Stories are the unit: claims are matched only within a story, so each story's
    graph holds all of a claim's `matches` edges. An entity named in several stories
    is a node in each of their graphs.
    """

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
    story_graphs: Mapping[str, nx.Graph] | None = field(default=None, repr=False, compare=False)
    """Story id -> its graph, as build_graph makes them; when None (a ClaimGraph made
    by hand), they are built from the fields above on first use."""

    def stories(self) -> tuple[str, ...]:
        """The story ids, sorted. A source outside every story (only in a ClaimGraph
        made by hand) is in the story ""."""
        return tuple(sorted(self._graphs))

    def story_graph(self, story_id: str) -> nx.Graph:
        """One story's graph: nodes `source:<id>`, `claim:<id>`, `person:<key>` and
        `org:<key>` with the attributes GraphML carries; edges `carries`, `matches`
        (with `score` and `scorer`), `mentions` and `quotes`. Shared, not copied:
        read it, or copy it before changing it. KeyError for an unknown story."""
        return self._graphs[story_id]

    @cached_property
    def _graphs(self) -> Mapping[str, nx.Graph]:
        if self.story_graphs is not None:
            return self.story_graphs
        graphs = story_graphs(
            self.claims, self.extraction, self.matching, self.person_key, self.person_name
        )
        _set_clusters(graphs, self.cluster_of)
        return graphs

    def elements(self) -> tuple[dict[str, Attributes], dict[tuple[str, str], Attributes]]:
        """The nodes and edges of all story graphs with their attributes, in the input's
        order (sources by id, claims, then entities as first named; edges likewise),
        which keeps the GraphML stable. An entity named in several stories is one node.
        Source, claim and edge attribute dicts are the story graphs' own: read them only.
        """
        graphs = self._graphs
        story_of = dict(self.matching.story_of) if self.matching else {}
        source_of = {c.claim_id: c.source for c in self.claims}
        nodes: dict[str, Attributes] = {}
        edges: dict[tuple[str, str], Attributes] = {}

        def edge(graph: nx.Graph, a: str, b: str) -> None:
            if (b, a) not in edges:
                edges[(a, b)] = graph.adj[a][b]

        for source in sorted({c.source for c in self.claims}):
            node_id = f"source:{source}"
            nodes[node_id] = graphs[story_of.get(source, "")].nodes[node_id]
        for c in self.claims:
            graph = graphs[story_of.get(c.source, "")]
            node_id = f"claim:{c.claim_id}"
            nodes[node_id] = graph.nodes[node_id]
            edge(graph, f"source:{c.source}", node_id)
        for m in self.matching.matches if self.matching else ():
            graph = graphs[story_of.get(source_of.get(m.claim_a, ""), "")]
            edge(graph, f"claim:{m.claim_a}", f"claim:{m.claim_b}")
        # An entity node in several story graphs: merged in mention order, so the
        # last mention's wins, as it would in one graph of the whole input.
        mentions: list[tuple[str, str, str]] = []
        for p in self.extraction.people:
            key = self.person_key.get(p.person_key, p.person_key)
            mentions.append((p.claim_id, p.source, f"person:{key}"))
        for q in self.extraction.quotes:
            if q.speaker_key:
                key = self.person_key.get(q.speaker_key, q.speaker_key)
                mentions.append((q.claim_id, q.source, f"person:{key}"))
        mentions += [(o.claim_id, o.source, f"org:{o.key}") for o in self.extraction.orgs]
        for claim_id, source, entity in mentions:
            graph = graphs[story_of.get(source, "")]
            nodes.setdefault(entity, {}).update(graph.nodes[entity])
            edge(graph, f"claim:{claim_id}", entity)
        return nodes, edges

    @cached_property
    def graph(self) -> nx.Graph:
        """All stories in one networkx graph, built on first use from elements()."""
        nodes, edges = self.elements()
        graph = nx.Graph()
        graph.add_nodes_from(nodes.items())
        graph.add_edges_from((a, b, data) for (a, b), data in edges.items())
        return graph


def story_graphs(
    claims: Iterable[Claim],
    extraction: Extraction,
    matching: Matching | None,
    person_key: Mapping[str, str],
    person_name: Mapping[str, str],
) -> dict[str, nx.Graph]:
    """Story id -> the story's graph, claim nodes' `cluster` left empty.

    A node or edge added twice merges its attributes, the later winning (networkx's
    add_node and add_edge), so a claim that mentions a person and quotes them has one
    edge, `quotes`, keeping the mention's title.
    """
    claims = tuple(claims)
    story_of = dict(matching.story_of) if matching else {}
    source_of = {c.claim_id: c.source for c in claims}
    graphs: dict[str, nx.Graph] = defaultdict(nx.Graph)
    for source in sorted({c.source for c in claims}):
        story = story_of.get(source, "")
        graphs[story].add_node(f"source:{source}", type="source", story=story)
    for c in claims:
        graph = graphs[story_of.get(c.source, "")]
        node_id = f"claim:{c.claim_id}"
        # `cluster` is set once the clusters are known, which needs the match edges.
        graph.add_node(node_id, type="claim", kind=c.kind, text=c.text, line=c.line, cluster="")
        graph.add_edge(f"source:{c.source}", node_id, relation="carries")
    for m in matching.matches if matching else ():
        graphs[story_of.get(source_of.get(m.claim_a, ""), "")].add_edge(
            f"claim:{m.claim_a}",
            f"claim:{m.claim_b}",
            relation="matches",
            score=float(m.score),
            scorer=m.scorer,
        )
    for p in extraction.people:
        graph = graphs[story_of.get(p.source, "")]
        key = person_key.get(p.person_key, p.person_key)
        graph.add_node(f"person:{key}", type="person", name=person_name.get(key, p.name))
        graph.add_edge(f"claim:{p.claim_id}", f"person:{key}", relation="mentions", title=p.title)
    for q in extraction.quotes:
        if q.speaker_key:
            graph = graphs[story_of.get(q.source, "")]
            key = person_key.get(q.speaker_key, q.speaker_key)
            graph.add_node(f"person:{key}", type="person", name=person_name.get(key, q.speaker))
            graph.add_edge(f"claim:{q.claim_id}", f"person:{key}", relation="quotes")
    for o in extraction.orgs:
        graph = graphs[story_of.get(o.source, "")]
        graph.add_node(f"org:{o.key}", type="organisation", name=_unshout(o.name))
        graph.add_edge(f"claim:{o.claim_id}", f"org:{o.key}", relation="mentions")
    return dict(graphs)


def _set_clusters(graphs: Mapping[str, nx.Graph], cluster_of: Mapping[str, str]) -> None:
    for graph in graphs.values():
        for node_id, attributes in graph.nodes(data=True):
            if attributes.get("type") == "claim":
                attributes["cluster"] = cluster_of.get(node_id.removeprefix("claim:"), "")


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
    """Write the story graphs as one GraphML file, streamed from elements() in the
    input's order. networkx's writer would need the stories joined into one graph
    first and writes several times slower (the README has the figures)."""
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


def cluster_claims(story_graph: nx.Graph) -> dict[str, str]:
    """Claim id -> cluster id for one story's graph, from its `matches` edges.
    Clusters hold at most one claim per source; a cluster id hashes its claim ids,
    so it does not depend on which graph the cluster was found in."""
    return {
        claim_id: cluster
        for _root, clusters in _rooted_clusters(story_graph)
        for cluster, members in clusters
        for claim_id in members
    }


def _rooted_clusters(story_graph: nx.Graph) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Per average-linkage group, in root order: its root and its clusters with members."""
    source_of: dict[str, str] = {}
    strength: dict[tuple[str, str], float] = {}
    for a, b, attributes in story_graph.edges(data=True):
        relation = attributes.get("relation")
        if relation == "carries":
            source, claim = (a, b) if a.startswith("source:") else (b, a)
            source_of[claim.removeprefix("claim:")] = source
        elif relation == "matches":
            x, y = a.removeprefix("claim:"), b.removeprefix("claim:")
            strength[(min(x, y), max(x, y))] = attributes["score"]
    return _clusters(source_of, strength)


def _clusters(
    source_of: Mapping[str, str], strength: dict[tuple[str, str], float]
) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """`_rooted_clusters` of a story given its claims' sources (claim id -> source node)
    and its `matches` scores ((smaller, larger) claim id -> score)."""
    # Average linkage, with pairs from one source never linked so that no group
    # can hold two claims of one source.
    out = []
    for root, members in average_linkage_rooted(sorted(source_of), strength, 0.5):
        by_source: dict[str, list[str]] = defaultdict(list)
        for claim_id in members:
            by_source[source_of[claim_id]].append(claim_id)
        # Average linkage at 0.5 can still admit two claims of a source when
        # both match the others; keep the first and split the rest off.
        keep = sorted(ids[0] for ids in by_source.values())
        rest = sorted(i for ids in by_source.values() for i in ids[1:])
        out.append((root, [(_cluster_id(group), group) for group in [keep, *([r] for r in rest)]]))
    return out


def _cluster_id(members: list[str]) -> str:
    # As wide as a story's id (`stories.ID_BYTES`): ids are keys the whole feed over.
    text = "\n".join(members)
    return "c-" + hashlib.blake2b(text.encode(), digest_size=ID_BYTES).hexdigest()


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


@dataclass(frozen=True)
class Names:
    """The names the graph resolves over the whole feed (`feed_names`): a surname alone
    is resolved in its story, or else in the whole feed, and an organisation is shown
    as most sources name it."""

    person_key: dict[str, str]
    """Any person key seen -> the resolved key."""
    person_name: dict[str, str]
    """Resolved person key -> the fullest name written."""
    org_name: dict[str, str]
    """Organisation key -> the name most sources write (then the shortest)."""


def feed_names(extraction: Extraction, story_of: Mapping[str, str]) -> Names:
    """The feed's `Names`, from its whole extraction and its stories."""
    person_key, person_name = resolve_people(extraction, dict(story_of))
    return Names(person_key, person_name, org_names(extraction))


Rooted = list[tuple[str, list[tuple[str, list[str]]]]]
"""Claim clusters as average linkage finds them: (root, [(cluster id, claim ids)]) for
each group, in root order (`rooted_clusters`)."""


def rooted_clusters(claims: Iterable[Claim], matching: Matching) -> Rooted:
    """Every story's claim clusters, its groups merged in root order: the order in which
    `cluster_of` lists them. Each story's are its own, so the groups of a feed's parts
    (whole stories) sorted by root are the whole feed's."""
    return sorted(
        (group for story in _match_tables(claims, matching) for group in _clusters(*story)),
        key=lambda group: group[0],
    )


def build_graph(
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    names: Names | None = None,
    rooted: Rooted | None = None,
) -> ClaimGraph:
    """The claim clusters, read from each story's graph of sources, claims and matches,
    and people resolved across sources. `names` and `rooted` (`feed_names`,
    `rooted_clusters`) when worked out already: for a part of a feed (whole stories),
    `names` must be the whole feed's.

    Clustering needs only a story's sources, claims and `matches` edges, so it reads
    those graphs and lets each go when its story is clustered; the full story graphs
    (texts, entities) are built when first asked for (`ClaimGraph.story_graph`,
    GraphML). Held for the life of a result they would double the memory a large
    check keeps (README, "The claim graph").
    """
    names = names if names is not None else feed_names(extraction, matching.story_of)
    # Stories' groups merged in root order keep cluster_of in the order the detectors
    # and reports have always iterated it (one linkage over the whole input).
    rooted = rooted if rooted is not None else rooted_clusters(claims, matching)
    cluster_of = {
        claim_id: cluster
        for _root, clusters in rooted
        for cluster, members in clusters
        for claim_id in members
    }
    return ClaimGraph(
        MappingProxyType(cluster_of),
        MappingProxyType(names.person_key),
        MappingProxyType(names.person_name),
        MappingProxyType(names.org_name),
        claims,
        extraction,
        matching,
    )


def _match_tables(
    claims: Iterable[Claim], matching: Matching
) -> Iterator[tuple[dict[str, str], dict[tuple[str, str], float]]]:
    """Per story, in story order, what clustering reads of its graph (`_rooted_clusters`)
    made straight from the claims and matches, without the graph: each claim's source
    node, and each `matches` edge's score, the later of two for one pair winning as
    networkx's add_edge would have it."""
    story_of = matching.story_of
    source_of_story: dict[str, dict[str, str]] = defaultdict(dict)
    source_of: dict[str, str] = {}
    for c in claims:
        source_of_story[story_of.get(c.source, "")][c.claim_id] = f"source:{c.source}"
        source_of[c.claim_id] = c.source
    strength_of_story: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for m in matching.matches:
        a, b = m.claim_a, m.claim_b
        strength = strength_of_story[story_of.get(source_of.get(a, ""), "")]
        strength[(a, b) if a <= b else (b, a)] = float(m.score)
    for story in sorted(source_of_story):
        yield source_of_story[story], strength_of_story.get(story, {})


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
