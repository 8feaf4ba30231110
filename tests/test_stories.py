"""Story identity (consistency.stories): what a story is about, not shared wording alone."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import check_articles, extract
from consistency import stories as stories_stage
from consistency.models import Article, frozen_map
from consistency.settings import MatchSettings
from consistency.stories import _one_slip, published_day


def article(source: str, body: str, published: str = "") -> Article:
    meta = {"published": published} if published else {}
    return Article(source, f"{source}.txt", body, metadata=frozen_map(meta))


def stories(*articles: Article) -> set[frozenset[str]]:
    result = check_articles(tuple(articles), workers=1)
    groups: dict[str, set[str]] = {}
    for source, story in result.matching.story_of.items():
        groups.setdefault(story, set()).add(source)
    return {frozenset(g) for g in groups.values()}


RELEASE = """Vauxhall to close Luton van plant with 1,100 jobs at risk

Stellantis has proposed closing the Vauxhall van factory in Luton, putting 1,100 jobs at risk.

The carmaker said production of the Vivaro would move to Ellesmere Port in Cheshire.

Maria Grazia Davino, managing director of Stellantis UK, said the zero emission mandate had
forced the decision.

The Luton plant has built vans since 1905 and employs 1,100 people.
"""

REWRITE = """Luton factory faces shutdown as Stellantis moves Vivaro work north

Some 1,100 workers in Luton could lose their livelihoods after Stellantis unveiled plans to
shut the town's Vauxhall site.

Vivaro assembly is expected to head to Ellesmere Port, Cheshire, under the proposal.

Stellantis UK boss Maria Grazia Davino blamed the zero emission mandate for the move.

Vans have rolled off the lines there since 1905.
"""

OTHER = [
    """Storm brings flooding to Cornish villages

Heavy rain flooded homes in Mevagissey and Polperro overnight, and the Environment Agency
issued three flood warnings for the county.

Residents were moved to a village hall while firefighters pumped water from the streets.
""",
    """Council approves budget with council tax rise

Birmingham City Council has approved its budget, with a council tax rise of 9.99% and cuts of
£300 million over two years.

The leader of the council said the decisions were the hardest it had ever taken.
""",
    """Hospital downgraded after inspection

University Hospitals Sussex has been rated requires improvement by the Care Quality Commission
after inspectors found long waits in its emergency departments in Brighton and Worthing.
""",
]


def test_a_rewrite_sharing_no_sentence_with_its_release_is_one_story() -> None:
    feed = [article("release", RELEASE), article("rewrite", REWRITE)]
    feed += [article(f"other-{i}", body) for i, body in enumerate(OTHER)]
    found = stories(*feed)
    assert frozenset({"release", "rewrite"}) in found


TEMPLATE = """{place} Fire and Rescue Service 2018/19

This is the first annual assessment of fire and rescue services. It examines the service's
effectiveness, efficiency and how well it looks after its people.

{place} Fire and Rescue Service is good at keeping people safe and secure from fire and other
risks, and its inspector, {person}, said {place} was making progress.

The service in {place} needs to improve how it responds to {count} national risks, and it has
a good understanding of the risks its community in {place} faces.

{place} is good at preventing fires and other risks, and {place} is good at protecting the
public through fire regulation.
"""


def test_two_pages_from_one_template_about_two_subjects_are_two_stories() -> None:
    feed = [
        article("cleveland", TEMPLATE.format(place="Cleveland", person="Phil Gormley", count=4)),
        article(
            "staffordshire",
            TEMPLATE.format(place="Staffordshire", person="Wendy Williams", count=6),
        ),
        article(
            "cleveland-copy", TEMPLATE.format(place="Cleveland", person="Phil Gormley", count=4)
        ),
    ]
    feed += [article(f"other-{i}", body) for i, body in enumerate(OTHER)]
    found = stories(*feed)
    assert frozenset({"cleveland", "cleveland-copy"}) in found
    assert frozenset({"staffordshire"}) in found


INSPECTION = """{place} Police told to improve how it answers 999 calls

His Majesty's Inspectorate of Constabulary and Fire and Rescue Services inspected {place}
Police and rated it adequate at investigating crime and at Protecting Vulnerable People.

Inspectors said the Police Control Room answered {calls} of emergency calls within ten
seconds, and that Chief Constable {chief} had set out a Plan to improve.

"The Force must improve how it manages offenders," said Inspector of Constabulary
{inspector}.

"We accept the findings in full," said Councillor {councillor}, chair of the {place} Police,
Fire and Crime Panel.

"Officers in {place} work hard for the public," said Chief Constable {chief}.
"""


def inspection(source: str, place: str, chief: str, inspector: str, councillor: str) -> Article:
    body = INSPECTION.format(
        place=place, chief=chief, inspector=inspector, councillor=councillor, calls="81%"
    )
    return article(source, body)


def test_pages_from_one_template_naming_their_subject_in_speakers_titles_are_two_stories() -> None:
    """Each page names its force mostly where it says who speaks, and shares the
    template's capitalised words ("Police", "Constable", "Plan") with the other: its
    force is still its subject, and the other never names it (Elmhurst's chief
    constable is called Ormbridge: a person's name is not the place)."""
    feed = [
        inspection("ormbridge", "Ormbridge", "Ann Tolley", "Roy Vance", "Jo Marsh"),
        inspection("ormbridge-copy", "Ormbridge", "Ann Tolley", "Roy Vance", "Jo Marsh"),
        inspection("norhurst", "Norhurst", "Tom Pryce", "Eve Lund", "Sam Okoro"),
        inspection("norhurst-copy", "Norhurst", "Tom Pryce", "Eve Lund", "Sam Okoro"),
        inspection("elmhurst", "Elmhurst", "Kay Ormbridge", "Ian Bell", "Viv Hart"),
        inspection("caldham", "Caldham", "Lee Shaw", "Pat Noon", "Cy Dale"),
        inspection("westmoor", "Westmoor", "Al Grant", "Di Rees", "Mo Khan"),
    ]
    feed += [article(f"other-{i}", body) for i, body in enumerate(OTHER)]
    found = stories(*feed)
    assert frozenset({"ormbridge", "ormbridge-copy"}) in found
    assert frozenset({"norhurst", "norhurst-copy"}) in found
    assert {frozenset({"elmhurst"}), frozenset({"caldham"}), frozenset({"westmoor"})} <= found


DECISION = """Planning committee refuses Canford Heath housing scheme

The planning committee of Dorset Council refused the Canford Heath housing scheme on Tuesday,
saying the 240 homes would harm the heathland and its rare reptiles.

Councillor Jane Smith, who chairs the committee, said the developer could appeal the decision
to the Planning Inspectorate within six months.
"""


def test_main_subjects_one_slip_apart_are_one_when_rare_or_long() -> None:
    # A garbled copy's "Bugo" for "Bogo" (both rare in English) and "Rudacubana" are
    # one subject; "Kent" / "Kant", common words of four letters, are two.
    assert _one_slip("bugo", "bogo") and _one_slip("rudacubana", "rudakubana")
    assert not _one_slip("kant", "kent") and not _one_slip("bogo", "togo")


def test_two_decisions_a_year_apart_are_two_stories() -> None:
    feed = [
        article("decision-2023", DECISION, "2023-03-07"),
        article("decision-2023-copy", DECISION, "2023-03-08"),
        article("decision-2024", DECISION, "2024-03-05"),
    ]
    found = stories(*feed)
    assert frozenset({"decision-2023", "decision-2023-copy"}) in found
    assert frozenset({"decision-2024"}) in found


def test_without_a_publication_date_the_same_text_is_one_story() -> None:
    found = stories(article("a", DECISION), article("b", DECISION, "2024-03-05"))
    assert found == {frozenset({"a", "b"})}


def test_published_days_are_read_from_iso_and_feed_dates() -> None:
    assert published_day("2024-03-05T10:00:00Z").isoformat() == "2024-03-05"  # type: ignore[union-attr]
    assert published_day("Tue, 05 Mar 2024 10:00:00 +0000").isoformat() == "2024-03-05"  # type: ignore[union-attr]
    assert published_day("") is None
    assert published_day("last Tuesday") is None


FEED = [
    article("release", RELEASE, "2024-11-26"),
    article("rewrite", REWRITE, "2024-11-27"),
    article("cleveland", TEMPLATE.format(place="Cleveland", person="Phil Gormley", count=4)),
    article("staffs", TEMPLATE.format(place="Staffordshire", person="Wendy Williams", count=6)),
    article("decision", DECISION, "2023-03-07"),
    article("decision-later", DECISION, "2024-03-05"),
    *(article(f"other-{i}", body) for i, body in enumerate(OTHER)),
]
EXPECTED = stories(*FEED)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(FEED))
def test_the_order_of_inputs_never_changes_the_grouping(feed: list[Article]) -> None:
    assert stories(*feed) == EXPECTED


@given(
    st.dictionaries(
        st.tuples(st.integers(0, 5), st.integers(0, 30)), st.floats(0.01, 1.0), max_size=60
    ),
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30),
    st.integers(1, 40),
)
def test_cosines_read_in_blocks_are_the_dot_products_of_the_vectors(
    entries: dict[tuple[int, int], float], pairs: list[tuple[int, int]], block: int
) -> None:
    # Blocks as small as one pair, articles with no terms, pairs sharing none.
    vectors = pl.DataFrame(
        [(a, t, w) for (a, t), w in sorted(entries.items())],
        schema={"article": pl.Int64, "term": pl.Int64, "w": pl.Float64},
        orient="row",
    )
    frame = pl.DataFrame(pairs, schema={"a": pl.Int64, "b": pl.Int64}, orient="row")
    expected = [
        sum(w * entries.get((b, t), 0.0) for (x, t), w in entries.items() if x == a)
        for a, b in pairs
    ]
    original, stories_stage.COSINE_BLOCK = stories_stage.COSINE_BLOCK, block
    try:
        found = stories_stage._cosines(frame, vectors)
    finally:
        stories_stage.COSINE_BLOCK = original
    assert np.allclose(found, expected, rtol=1e-12, atol=1e-12)


def test_terms_counted_a_block_of_articles_at_a_time_are_the_whole_feeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blocks of one article each against one block: the same rows, codes and weights,
    # bit for bit, in the same order.
    result = check_articles(tuple(FEED), workers=1)
    claims = sorted(result.claims, key=lambda c: c.claim_id)
    sources = sorted({c.source for c in claims})
    entities = extract.entities_by_source(result.extraction)
    whole = stories_stage._terms(sources, claims, entities, MatchSettings())
    monkeypatch.setattr(stories_stage, "TERM_BLOCK", 1)
    blocks = stories_stage._terms(sources, claims, entities, MatchSettings())
    assert len(whole[1]) > 100
    assert all(a.equals(b) for a, b in zip(whole, blocks, strict=True))
    # Every term an article holds, sorted as the vectors are, and held once: where every
    # article has a weighed word, the vectors' article and term columns are the same
    # memory as the terms held.
    vectors, present = whole[0], whole[1]
    assert present.select("article", "term").equals(
        present.sort("article", "term").select("article", "term")
    )
    assert vectors.select("article", "term").equals(present.select("article", "term"))
    for column in ("article", "term"):
        assert np.shares_memory(vectors[column].to_numpy(), present[column].to_numpy())
    # A term's code is its rank by first row: the vocabulary's row.
    vocabulary = whole[2]
    assert vocabulary["term"].to_list() == list(range(len(vocabulary)))
    assert vocabulary["word"].n_unique() == len(vocabulary)
