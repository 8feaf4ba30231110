"""The detectors run on batches of whole stories give the whole feed's rows.

`compare.story_batches` cuts a feed into batches of whole stories; with the feed's
`FeedFacts` each batch's Context gives exactly its stories' rows, so the detectors can
run batch by batch (less held at once) or elsewhere (an executor given one batch).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from benchfeeds import bench

from consistency import compare, extract, ingest, match, pipeline
from consistency import graph as graph_stage
from consistency.detectors.base import feed_facts
from consistency.testing import syndicate

ROOT = Path(__file__).resolve().parent.parent


def _stages(articles: tuple) -> tuple:  # type: ignore[type-arg]
    cleaned, claims, extraction = pipeline.read_articles(articles, workers=1)
    published = {a.source: a.metadata.get("published", "") for a in cleaned}
    matching = match.match_claims(claims, None, extract.entities_by_source(extraction), published)
    return (
        cleaned,
        claims,
        extraction,
        matching,
        graph_stage.build_graph(claims, extraction, matching),
    )


def _shared_people() -> tuple:  # type: ignore[type-arg]
    """Twelve stories from the fixture articles, nobody renamed: stories share people
    (the feed-wide facts matter) and the first story's versions quote them."""
    bases = bench()._bases()
    articles = []
    for story in range(12):
        articles += syndicate(
            bases[story % len(bases)], 500 + story, copies=3, injections=2, prefix=f"s{story}-"
        ).articles
    return _stages(tuple(articles))


FEEDS = {
    "west-mercia": lambda: _stages(ingest.read_articles([ROOT / "fixtures" / "west-mercia"])),
    "dev-articles": lambda: _stages(ingest.read_articles([ROOT / "fixtures" / "articles"])),
    "shared-people": _shared_people,
}


@pytest.fixture(scope="module", params=sorted(FEEDS))
def feed(request: pytest.FixtureRequest) -> tuple:  # type: ignore[type-arg]
    return FEEDS[request.param]()


@pytest.mark.parametrize("batch_articles", [1, 3, 7, 10_000])
def test_batches_give_the_whole_feed_s_rows(
    feed: tuple,  # type: ignore[type-arg]
    batch_articles: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compare, "STORY_BATCH_ARTICLES", None)  # one Context, no facts given
    whole = compare.compare(*feed)
    assert whole, "a feed with nothing to report would prove little"
    assert compare.compare(*feed, batch_articles=batch_articles) == whole
    assert compare.compare(*feed, parallel=True, batch_articles=batch_articles) == whole


def test_batches_hold_whole_stories_and_every_record_once(feed: tuple) -> None:  # type: ignore[type-arg]
    cleaned, claims, extraction, matching, graph = feed
    batches = compare.story_batches(cleaned, claims, extraction, matching, graph, 4)
    story_of = matching.story_of
    where = {story_of[a.source]: b for b, batch in enumerate(batches) for a in batch.articles}
    for b, batch in enumerate(batches):
        assert all(where[story_of[c.source]] == b for c in batch.claims)
        assert set(batch.graph.cluster_of) <= {c.claim_id for c in batch.claims}
        # A batch of several stories stays near the size asked for.
        assert len({story_of[a.source] for a in batch.articles}) == 1 or len(batch.articles) <= 4
    joined = [c for batch in batches for c in batch.claims]
    assert Counter(joined) == Counter(claims)
    # Within a batch, the feed's order.
    order = {c.claim_id: k for k, c in enumerate(claims)}
    for batch in batches:
        ranks = [order[c.claim_id] for c in batch.claims]
        assert ranks == sorted(ranks)
    assert sum(len(b.extraction.people) for b in batches) == len(extraction.people)
    assert sum(len(b.matching.matches) for b in batches) == len(matching.matches)
    assert sum(len(b.graph.cluster_of) for b in batches) == len(graph.cluster_of)


def test_feed_facts_span_stories(feed: tuple) -> None:  # type: ignore[type-arg]
    """A batch's own people are a subset of the feed's: the facts a batch is given are
    the whole feed's, not recomputed from the batch."""
    cleaned, claims, extraction, matching, graph = feed
    facts = feed_facts(extraction, graph)
    for batch in compare.story_batches(cleaned, claims, extraction, matching, graph, 1):
        own = feed_facts(batch.extraction, batch.graph)
        assert own.people <= facts.people and own.organisations <= facts.organisations
        assert batch.context(facts).facts is facts


def test_feed_facts_read_people_and_organisations_as_the_detectors_did() -> None:
    """Named people (first name and surname, as resolved), every resolved key, an
    organisation by its key, its name and its initials, and full names by surname."""
    from types import MappingProxyType

    from consistency.graph import ClaimGraph
    from consistency.models import Extraction, OrgMention, PersonMention

    extraction = Extraction(
        people=(
            PersonMention("a:1", "a", "Matthew Scott", "matthew scott"),
            PersonMention("b:1", "b", "Mr Scott", "scott"),
            PersonMention("c:1", "c", "Jo Scott", "jo scott"),
            PersonMention("c:2", "c", "Ms Patel", "patel"),
        ),
        orgs=(
            OrgMention(
                "a:1", "a", "British Transport Police (BTP)", "british transport police", "police"
            ),
        ),
    )
    resolved = {"scott": "scott", "patel": "priya patel"}
    graph = ClaimGraph(
        MappingProxyType({}), MappingProxyType(resolved), MappingProxyType({}), MappingProxyType({})
    )
    facts = feed_facts(extraction, graph)
    assert facts.people == {"matthew scott", "jo scott", "priya patel"}
    assert facts.persons == facts.people | {"scott"}
    assert {"british transport police", "btp"} <= facts.organisations
    assert facts.people_by_surname == {
        "scott": frozenset({"matthew scott", "jo scott"}),
        "patel": frozenset({"priya patel"}),
    }


@pytest.mark.parametrize("batch_articles", [1, 4])
def test_a_matching_split_by_stories_clusters_as_the_whole(
    feed: tuple,  # type: ignore[type-arg]
    batch_articles: int,
) -> None:
    """`split_matching` cuts a matching into batches of whole stories (`story_packing`),
    every pair once and in order; each batch's claim clusters, made from its own
    matching, are the whole feed's (what lets the archive check compare a large part a
    batch of stories at a time)."""
    cleaned, claims, extraction, matching, graph = feed
    story_of = matching.story_of
    sizes = Counter(story_of.get(a.source, "") for a in cleaned)
    batch_of_story = compare.story_packing(sizes, batch_articles)
    assert sorted(set(batch_of_story.values())) == list(range(max(batch_of_story.values()) + 1))
    of_source = {a.source: batch_of_story[story_of.get(a.source, "")] for a in cleaned}
    count = max(batch_of_story.values()) + 1
    assert count > 1 or len(sizes) == 1  # west-mercia is one story
    source_of_claim = {c.claim_id: c.source for c in claims}
    parts = compare.split_matching(matching, source_of_claim, of_source, count)
    assert [m for p in parts for m in p.matches] == sorted(
        matching.matches, key=lambda m: of_source[source_of_claim[m.claim_a]]
    )
    assert sum(len(p.related) for p in parts) == len(matching.related)
    assert {s: t for p in parts for s, t in p.story_of.items()} == dict(story_of)
    names = graph_stage.feed_names(extraction, story_of)
    for b, part in enumerate(parts):
        mine = tuple(c for c in claims if of_source[c.source] == b)
        assert {story_of.get(c.source, "") for c in mine} <= {
            s for s, at in batch_of_story.items() if at == b
        }
        rooted = graph_stage.rooted_clusters(mine, part)
        made = graph_stage.build_graph(mine, extraction, part, names, rooted)
        assert dict(made.cluster_of) == {
            c.claim_id: graph.cluster_of[c.claim_id] for c in mine if c.claim_id in graph.cluster_of
        }
