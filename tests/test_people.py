"""People (consistency.detectors.people): a person's titles compared as an editor would,
within one story, a shortened title being the same title."""

from __future__ import annotations

import pytest

from consistency import check_articles
from consistency.detectors.people import same_title, shortens
from consistency.keys import title_key
from consistency.models import Article, Discrepancy, frozen_map


def article(source: str, body: str, published: str = "") -> Article:
    meta = {"published": published} if published else {}
    return Article(source, f"{source}.txt", body, metadata=frozen_map(meta))


def titles(*articles: Article) -> list[Discrepancy]:
    result = check_articles(tuple(articles), workers=1)
    return [d for d in result.discrepancies if d.kind == "speaker_title"]


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("Chief Inspector", "HM Chief Inspector of Prisons"),
        ("Director", "Director of Finance"),
        ("Member", "Member of Parliament"),
    ],
)
def test_a_title_with_where_it_is_held_dropped_is_the_same_title(short: str, long: str) -> None:
    assert shortens(title_key(short), title_key(long))
    assert same_title(title_key(long), title_key(short))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A word before the head names the role: a different role, not a shortening.
        ("HM Inspector of Constabulary", "HM Chief Inspector of Constabulary"),
        ("Chief Constable", "Deputy Chief Constable"),
        ("Chief Superintendent", "Detective Chief Superintendent"),
        # Tenure is compared apart (untenured), never as a shortening.
        ("Chief Constable", "Acting Chief Constable"),
        # Two places, two posts.
        ("Director of Finance", "Director of Public Health"),
        # Words dropped from the head's end, not its complement.
        ("Chief", "Chief Inspector"),
    ],
)
def test_different_roles_are_no_shortening(a: str, b: str) -> None:
    assert not same_title(title_key(a), title_key(b))


PRISON = """Prison inspectors invoke urgent notification for HMP Exeter

{title} Charlie Taylor has written to the Justice Secretary invoking an urgent notification
for HMP Exeter after an unannounced inspection found the prison unsafe.

Inspectors found that the number of self-inflicted deaths had risen since the last visit,
and that staff shortages left prisoners locked in their cells for most of the day.

"The prison needs a period of leadership stability," Mr Taylor said.
"""


def test_a_shortened_title_in_one_story_is_no_row() -> None:
    rows = titles(
        article("release", PRISON.format(title="HM Chief Inspector of Prisons")),
        article("copy", PRISON.format(title="Chief Inspector")),
    )
    assert rows == []


def test_a_different_role_in_one_story_is_a_row() -> None:
    # The chief inspector and an inspector are two posts: "Chief" is no place dropped.
    chief, inspector = "HM Chief Inspector of Constabulary", "HM Inspector of Constabulary"
    rows = titles(
        article("release", PRISON.format(title=chief)),
        article("copy", PRISON.format(title=inspector)),
    )
    assert [(d.subject, d.severity, {d.value_a, d.value_b}) for d in rows] == [
        ("Charlie Taylor", "medium", {chief, inspector})
    ]


DECISION = """Planning committee refuses Canford Heath housing scheme

The planning committee of Dorset Council refused the Canford Heath housing scheme on Tuesday,
saying the 240 homes would harm the heathland and its rare reptiles.

{title} Jane Smith, who chairs the committee, said the developer could appeal the decision
to the Planning Inspectorate within six months.
"""


def test_titles_are_compared_within_a_story_only() -> None:
    deputy = DECISION.format(title="Deputy Mayor")
    mayor = DECISION.format(title="Mayor")
    # A year apart: two stories, and a person promoted between them is not misdescribed.
    feed = [
        article("decision-2023", deputy, "2023-03-07"),
        article("decision-2023-copy", deputy, "2023-03-08"),
        article("decision-2024", mayor, "2024-03-05"),
    ]
    result = check_articles(tuple(feed), workers=1)
    story = result.matching.story_of
    assert story["decision-2023"] == story["decision-2023-copy"] != story["decision-2024"]
    assert [d for d in result.discrepancies if d.kind == "speaker_title"] == []
    # The same two titles in one story are a row.
    rows = titles(article("decision", deputy, "2023-03-07"), article("copy", mayor, "2023-03-08"))
    assert [(d.subject, {d.value_a, d.value_b}) for d in rows] == [
        ("Jane Smith", {"Deputy Mayor", "Mayor"})
    ]
