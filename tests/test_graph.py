"""The graph stage: a networkx graph per story, and claim clusters read from its edges."""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import pytest

from consistency import ingest, write_reports
from consistency.graph import ClaimGraph, build_graph, cluster_claims, write_graphml
from consistency.linkage import average_linkage
from consistency.models import Claim, ClaimMatch, Extraction, Matching, OrgMention, PersonMention
from consistency.pipeline import CheckResult, check_articles
from consistency.stories import ID_BYTES
from consistency.testing import prepare, syndicate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def syndicated() -> CheckResult:
    """Three stories of five versions each: hundreds of matches, all within a story."""
    articles = ingest.read_articles([FIXTURES / "articles" / "dev"])[:3]
    corpus = tuple(
        version
        for i, article in enumerate(articles)
        for version in syndicate(prepare(article), 7 + i, prefix=f"s{i}-").articles
    )
    return check_articles(corpus)


def reference_clusters(claims: tuple[Claim, ...], matches: tuple[ClaimMatch, ...]) -> list:
    """Clusters as one average linkage over the whole input's matches makes them, in its
    order: what the graph stage must reproduce story by story."""
    source_of = {c.claim_id: c.source for c in claims}
    strength = {(min(m.claim_a, m.claim_b), max(m.claim_a, m.claim_b)): m.score for m in matches}
    out = []
    for members in average_linkage(sorted(source_of), strength, 0.5):
        by_source: dict[str, list[str]] = defaultdict(list)
        for claim_id in members:
            by_source[source_of[claim_id]].append(claim_id)
        keep = sorted(ids[0] for ids in by_source.values())
        rest = sorted(i for ids in by_source.values() for i in ids[1:])
        for group in [keep, *([r] for r in rest)]:
            cluster = (
                "c-" + hashlib.blake2b("\n".join(group).encode(), digest_size=ID_BYTES).hexdigest()
            )
            out += [(claim_id, cluster) for claim_id in group]
    return out


def claim(claim_id: str, text: str = "Some words of a claim.") -> Claim:
    return Claim(claim_id, claim_id.split(":")[0], "sentence", text, 1, 0, 0, len(text))


def small_graph() -> ClaimGraph:
    """Story s1: sources a, b, c, d with a chain of matches; story s2: source e alone."""
    claims = tuple(claim(i) for i in ("a:1", "a:2", "b:1", "c:1", "d:1", "e:1"))
    matches = (
        ClaimMatch("a:1", "b:1", 97.0, "ratio"),
        ClaimMatch("c:1", "d:1", 96.0, "ratio"),
        # Chains the two pairs: connected components would make one cluster of four.
        ClaimMatch("b:1", "c:1", 90.0, "ratio"),
    )
    story_of = {"a": "s1", "b": "s1", "c": "s1", "d": "s1", "e": "s2"}
    extraction = Extraction(
        people=(PersonMention("a:1", "a", "Jo Bloggs", "jo bloggs", "Chief Constable", "cc"),),
        orgs=(
            OrgMention("a:1", "a", "KENT Police", "kent police", "police"),
            OrgMention("e:1", "e", "Kent Police", "kent police", "police"),
        ),
    )
    return build_graph(claims, extraction, Matching(MappingProxyType(story_of), matches))


def test_a_story_graph_holds_its_sources_claims_matches_and_entities() -> None:
    graph = small_graph()
    assert graph.stories() == ("s1", "s2")
    s1 = graph.story_graph("s1")
    assert sorted(n for n, t in s1.nodes(data="type") if t == "source") == [
        f"source:{s}" for s in "abcd"
    ]
    assert s1.nodes["source:a"] == {"type": "source", "story": "s1"}
    assert s1.nodes["claim:a:1"]["cluster"] == graph.cluster_of["a:1"]
    assert s1.edges["source:a", "claim:a:2"] == {"relation": "carries"}
    matches = {
        frozenset((a, b)): (d["score"], d["scorer"])
        for a, b, d in s1.edges(data=True)
        if d["relation"] == "matches"
    }
    assert matches == {
        frozenset(("claim:a:1", "claim:b:1")): (97.0, "ratio"),
        frozenset(("claim:c:1", "claim:d:1")): (96.0, "ratio"),
        frozenset(("claim:b:1", "claim:c:1")): (90.0, "ratio"),
    }
    assert s1.edges["claim:a:1", "person:jo bloggs"] == {
        "relation": "mentions",
        "title": "Chief Constable",
    }
    # An organisation named in both stories is a node in each story's graph.
    s2 = graph.story_graph("s2")
    assert s1.nodes["org:kent police"]["name"] == "Kent Police"
    assert set(s2) == {"source:e", "claim:e:1", "org:kent police"}
    with pytest.raises(KeyError):
        graph.story_graph("s3")


def test_clusters_are_average_linkage_not_connected_components() -> None:
    graph = small_graph()
    clusters = Counter(graph.cluster_of.values())
    assert sorted(clusters.values()) == [1, 1, 2, 2]
    assert graph.cluster_of["a:1"] == graph.cluster_of["b:1"] != graph.cluster_of["c:1"]
    assert cluster_claims(graph.story_graph("s1")) == {
        k: v for k, v in graph.cluster_of.items() if not k.startswith("e:")
    }


def test_clusters_match_one_average_linkage_over_all_matches(syndicated: CheckResult) -> None:
    # The same clusters, ids and dict order: detectors and reports iterate cluster_of.
    expected = reference_clusters(syndicated.claims, syndicated.matching.matches)
    assert list(syndicated.graph.cluster_of.items()) == expected
    assert len(set(syndicated.graph.cluster_of.values())) < len(syndicated.claims)


def test_clusters_keep_their_order_when_stories_interleave() -> None:
    # Story s1 has sources a and d, s2 has b and c: s1's singleton d:2 comes after
    # s2's cluster in one linkage over everything, not with the rest of s1.
    claims = tuple(claim(i) for i in ("a:1", "b:1", "c:1", "d:1", "d:2"))
    matches = (ClaimMatch("a:1", "d:1", 95.0, "ratio"), ClaimMatch("b:1", "c:1", 95.0, "ratio"))
    story_of = MappingProxyType({"a": "s1", "d": "s1", "b": "s2", "c": "s2"})
    graph = build_graph(claims, Extraction(), Matching(story_of, matches))
    assert list(graph.cluster_of.items()) == reference_clusters(claims, matches)
    assert list(graph.cluster_of)[2:] == ["b:1", "c:1", "d:2"]


def test_each_story_graph_holds_its_matches(syndicated: CheckResult) -> None:
    graph = syndicated.graph
    assert len(graph.stories()) == 3
    story_of = syndicated.matching.story_of
    found = 0
    for story in graph.stories():
        story_graph = graph.story_graph(story)
        sources = {
            n.removeprefix("source:") for n, t in story_graph.nodes(data="type") if t == "source"
        }
        assert {story_of[s] for s in sources} == {story}
        for a, b, data in story_graph.edges(data=True):
            if data["relation"] == "matches":
                found += 1
                assert data["scorer"] and 0 < data["score"] <= 100
                assert story_graph.nodes[a]["type"] == story_graph.nodes[b]["type"] == "claim"
    assert found == len(syndicated.matching.matches) > 100


def test_a_cluster_holds_at_most_one_claim_per_source(syndicated: CheckResult) -> None:
    source_of = {c.claim_id: c.source for c in syndicated.claims}
    per_cluster = Counter(
        (cluster, source_of[claim_id]) for claim_id, cluster in syndicated.graph.cluster_of.items()
    )
    assert max(per_cluster.values()) == 1
    # The split is exercised: two claims of one source matching the same others.
    claims = tuple(claim(i) for i in ("a:1", "a:2", "b:1", "c:1"))
    matches = tuple(
        ClaimMatch(x, y, 95.0, "ratio")
        for x, y in (("a:1", "b:1"), ("a:1", "c:1"), ("a:2", "b:1"), ("a:2", "c:1"), ("b:1", "c:1"))
    )
    story_of = MappingProxyType(dict.fromkeys("abc", "s"))
    cluster_of = build_graph(claims, Extraction(), Matching(story_of, matches)).cluster_of
    assert cluster_of["a:1"] == cluster_of["b:1"] == cluster_of["c:1"] != cluster_of["a:2"]


def test_input_order_does_not_change_clusters(syndicated: CheckResult) -> None:
    claims, matches = list(syndicated.claims), list(syndicated.matching.matches)
    shuffle = random.Random(5)
    shuffle.shuffle(claims)
    shuffle.shuffle(matches)
    flipped = [ClaimMatch(m.claim_b, m.claim_a, m.score, m.scorer) for m in matches]
    matching = Matching(syndicated.matching.story_of, tuple(flipped))
    regrouped = build_graph(tuple(claims), syndicated.extraction, matching)
    assert list(regrouped.cluster_of.items()) == list(syndicated.graph.cluster_of.items())


def test_graphml_holds_the_story_graphs(tmp_path: Path, syndicated: CheckResult) -> None:
    write_reports(syndicated, tmp_path, graph=True, formats=("csv",))
    written = nx.read_graphml(tmp_path / "graph.graphml")
    nodes, edges = syndicated.graph.elements()
    assert dict(written.nodes(data=True)) == nodes
    assert {frozenset((a, b)): d for a, b, d in written.edges(data=True)} == {
        frozenset(ends): d for ends, d in edges.items()
    }
    # elements() is the story graphs together: each node and edge, nothing else.
    union = nx.compose_all(syndicated.graph.story_graph(s) for s in syndicated.graph.stories())
    assert dict(union.nodes(data=True)) == nodes
    assert {frozenset((a, b)): d for a, b, d in union.edges(data=True)} == {
        frozenset(ends): d for ends, d in edges.items()
    }


def test_a_claim_graph_made_by_hand_builds_its_story_graphs(tmp_path: Path) -> None:
    built = small_graph()
    by_hand = ClaimGraph(
        built.cluster_of,
        built.person_key,
        built.person_name,
        built.org_name,
        built.claims,
        built.extraction,
        built.matching,
    )
    assert by_hand.stories() == built.stories()
    for story in built.stories():
        assert nx.utils.graphs_equal(by_hand.story_graph(story), built.story_graph(story))
    assert by_hand.elements() == built.elements()
    write_graphml(by_hand, tmp_path / "a.graphml")
    write_graphml(built, tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()
