"""A check done a part at a time gives the whole check's reports, byte for byte.

What an engine that never holds the whole feed must do, done here in one process:
the site-template lines from a cut of the feed into whole articles
(`furniture.line_places`, `templates_of`), each article read alone, the feed's
counts from the same cut (`match.count_part`, ...),
the parts no story crosses from the cut's blocking keys and subject tables
(`match.parts_of`), then each part matched, clustered and compared alone, given only
what the feed says as a whole (its counts, its resolved names, the subjects' shown
names and the detectors' `FeedFacts`). The parts' results put together must write
every file a check writes exactly as the whole feed's check writes it.
"""

from __future__ import annotations

import dataclasses
import filecmp
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import pytest
from benchfeeds import shared_people_feed

from consistency import check_articles, furniture, ingest, match, pipeline, tables, write_reports
from consistency import compare as compare_stage
from consistency import extract as extract_stage
from consistency import graph as graph_stage
from consistency.config import Config
from consistency.models import Article, Extraction
from consistency.results import CheckResult
from consistency.settings import MatchSettings
from consistency.testing import prepare, syndicate

ROOT = Path(__file__).resolve().parent.parent

R = TypeVar("R")
_KINDS = ("judgments", "people", "quotes", "orgs")


def _of(records: Iterable[R], sources: set[str]) -> tuple[R, ...]:
    return tuple(r for r in records if r.source in sources)  # type: ignore[attr-defined]


def check_in_parts(articles: tuple[Article, ...], pieces: int, batch_articles: int) -> CheckResult:
    """The check of `check_articles`, every stage after reading done a part at a time:
    the feed cut into `pieces` sets of whole articles for counting and blocking, then
    into the parts no story crosses, each matched, clustered and compared alone (the
    detectors on batches of whole stories of about `batch_articles` articles)."""
    settings = MatchSettings()
    sources = sorted(a.source for a in articles)
    cut = [set(sources[k::pieces]) for k in range(pieces)]
    # Reading's one step over the whole feed, the site-template lines, from each piece's
    # line places (articles known by their place in the feed); then each article alone.
    placed = list(enumerate(articles))
    template = furniture.templates_of(
        furniture.line_places((n, a) for n, a in placed if a.source in piece) for piece in cut
    )
    cleaned, claims, extraction = pipeline.gather(
        pipeline.read_one(article, template) for article in articles
    )
    entities = extract_stage.entities_by_source(extraction)
    published = {a.source: a.metadata.get("published", "") for a in cleaned}
    counts = match.merge_counts(
        (match.count_part(_of(claims, piece), settings, entities) for piece in cut), settings
    )
    subjects = [match.subjects_of(_of(claims, p), counts, settings, entities) for p in cut]
    counts = match.with_subjects(counts, subjects)
    found = [
        match.blocking_keys(_of(claims, piece), counts, settings, entities, published)
        for piece in cut
    ]
    parts = [set(p) for p in match.parts_of([k for k, _ in found], [t for _, t in found], counts)]
    matchings = [
        match.match_claims(_of(claims, part), settings, entities, published, counts)
        for part in parts
    ]
    matching = match.joined(matchings)
    # What the graph and the detectors read of the whole feed: names, from its mentions
    # and story map alone.
    names, shown, facts = compare_stage.feed_wide(extraction, matching.story_of)
    rooted: graph_stage.Rooted = []
    rows: list[tuple[tuple[str, ...], compare_stage.Found]] = []
    for part, part_matching in zip(parts, matchings, strict=True):
        part_claims = _of(claims, part)
        part_extraction = Extraction(*(_of(getattr(extraction, kind), part) for kind in _KINDS))
        part_rooted = graph_stage.rooted_clusters(part_claims, part_matching)
        rooted += part_rooted
        part_graph = graph_stage.build_graph(
            part_claims, part_extraction, part_matching, names, part_rooted
        )
        agreed, _ = compare_stage.prepared(part_extraction, part_graph, shown, facts)
        for batch in compare_stage.story_batches(
            _of(cleaned, part), part_claims, agreed, part_matching, part_graph, batch_articles
        ):
            stories = compare_stage.stories_of(batch.matching)
            rows.append((stories, compare_stage.batch_rows(batch, facts)))
    discrepancies = compare_stage.merged(found for _, found in sorted(rows, key=lambda r: r[0]))
    whole_graph = graph_stage.build_graph(
        claims, extraction, matching, names, sorted(rooted, key=lambda group: group[0])
    )
    return CheckResult(
        articles,
        cleaned,
        claims,
        extraction,
        matching,
        whole_graph,
        discrepancies,
        config=Config(),
        notices=matching.notices,
    )


def _write_everything(result: CheckResult, out: Path) -> None:
    write_reports(result, out, graph=True, formats=("csv", "parquet"))
    tables.write_tables(tables.result_tables(result), out / "tables")


def _differing(left: Path, right: Path) -> list[str]:
    names = sorted(
        {str(p.relative_to(d)) for d in (left, right) for p in d.rglob("*") if p.is_file()}
    )
    return [
        name
        for name in names
        if not ((left / name).exists() and (right / name).exists())
        or not filecmp.cmp(left / name, right / name, shallow=False)
    ]


def _syndicated_dev(tmp: Path) -> tuple[Article, ...]:
    """The seed articles beside three syndications of each dev article: several stories."""
    feed = list(ingest.read_articles([ROOT / "fixtures" / "west-mercia"]))
    for n, article in enumerate(ingest.read_articles([ROOT / "fixtures" / "articles" / "dev"])):
        feed += syndicate(prepare(article), 500 + n, copies=3, injections=2).articles
    return tuple(feed)


_KENT = (
    "Kent Police rated inadequate for organised crime\n\n"
    "Kent Police has been rated inadequate for its approach to serious and organised crime "
    "following an inspection by the watchdog in Maidstone.\n\n"
    "Inspectors found the force in Maidstone had too few analysts and was not using "
    "intelligence well enough across the county.\n\n"
    "Chief Constable Smith said: “We accept the findings and we will act on every one of them "
    "without delay.”\n"
)
_ESSEX = (
    "Essex hospital trust appoints new chair after review\n\n"
    "Tim Smith has been appointed chair of the Colchester hospital trust after a governance "
    "review in Colchester found failings in oversight.\n\n"
    "The Colchester trust said the review had found weaknesses in how the board scrutinised "
    "patient safety reports.\n\n"
    "Tim Smith said: “The board will rebuild trust with patients in Colchester and across "
    "Essex.”\n"
)


def _surname_elsewhere(tmp: Path) -> tuple[Article, ...]:
    """Two stories, one naming "Smith" by surname alone, the other "Tim Smith": the
    surname is resolved over the whole feed (graph.resolve_people), so a part holding
    the first story alone must be given the feed's names to write what the whole
    check writes."""
    altered = _KENT.replace(
        "Chief Constable Smith said: “We accept the findings and we will act on every one "
        "of them without delay.”",
        "Mr Smith said: “We accept the findings and will act on them.”",
    )
    return (
        Article("kent-1", "kent-1.txt", _KENT),
        Article("kent-2", "kent-2.txt", altered),
        Article("essex-1", "essex-1.txt", _ESSEX),
        Article("essex-2", "essex-2.txt", _ESSEX.replace("rebuild trust", "restore trust")),
    )


def _site_template(tmp: Path) -> tuple[Article, ...]:
    """The dev articles syndicated, one outlet of each story framing its copy with its
    site's lines: template lines (`furniture.template_lines`), found over the whole
    feed and dropped from every article by reading."""
    return tuple(
        dataclasses.replace(a, body=f"Latest News\nShare this\n{a.body}\nSign in\n")
        if a.source.endswith("-copy1")
        else a
        for a in _syndicated_dev(tmp)
    )


FEEDS = {
    "west-mercia": lambda tmp: ingest.read_articles([ROOT / "fixtures" / "west-mercia"]),
    "syndicated-dev": _syndicated_dev,
    "shared-people-200": lambda tmp: ingest.read_articles([shared_people_feed(tmp / "feed")]),
    "surname-elsewhere": _surname_elsewhere,
    "site-template": _site_template,
}


@pytest.mark.parametrize(
    ("feed", "pieces", "batch_articles"),
    [
        ("west-mercia", 2, 200),
        ("surname-elsewhere", 2, 200),
        ("syndicated-dev", 1, 200),
        ("syndicated-dev", 3, 3),
        ("site-template", 3, 200),
        pytest.param("shared-people-200", 4, 20, marks=pytest.mark.slow),
    ],
)
def test_a_check_done_part_by_part_writes_the_whole_checks_reports(
    tmp_path: Path, feed: str, pieces: int, batch_articles: int
) -> None:
    articles = tuple(FEEDS[feed](tmp_path))
    whole = check_articles(articles, workers=1)
    if feed == "site-template":
        assert furniture.template_lines(articles)
    if feed == "surname-elsewhere":
        # Resolved in the Kent story's part alone, "Smith" stays a surname: a part must
        # be given the feed's names.
        kent = {a.source for a in articles if a.source.startswith("kent")}
        alone = graph_stage.feed_names(
            Extraction(*(_of(getattr(whole.extraction, kind), kent) for kind in _KINDS)),
            whole.matching.story_of,
        )
        assert (alone.person_key["smith"], whole.graph.person_key["smith"]) == (
            "smith",
            "tim smith",
        )
    parted = check_in_parts(articles, pieces, batch_articles)
    assert whole.discrepancies  # a feed with findings: the rows must match
    assert len(set(parted.matching.story_of.values())) == len(set(whole.matching.story_of.values()))
    _write_everything(whole, tmp_path / "whole")
    _write_everything(parted, tmp_path / "parted")
    assert _differing(tmp_path / "whole", tmp_path / "parted") == []
