"""Stage 7, compare: turn matched claims and slots into discrepancies.

The detectors live in `consistency.detectors`, one module per family (grades,
people, quotes, claims and numbers, omission, encoding), each declaring the kinds
and severities it reports. This stage builds their shared context, runs every
registered detector and returns their rows, deduplicated by id and sorted.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol, TypeVar

from . import caching
from .detectors import DETECTORS, Context, Detector
from .detectors.base import FeedFacts, feed_facts
from .detectors.grades import agreed_subjects, shown_subjects
from .graph import ClaimGraph, Names, feed_names
from .models import (
    SEVERITY_RANK,
    Claim,
    ClaimMatch,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
)

R = TypeVar("R")

_BY_NAME = {d.name: d for d in DETECTORS}


def sort_key(d: Discrepancy) -> tuple[object, ...]:
    return (
        SEVERITY_RANK[d.severity],
        d.kind,
        d.subject,
        d.source_a,
        d.source_b,
        d.value_a,
        d.value_b,
        d.id,
    )


LONGEST_FIRST = (
    "quote_altered",
    "fact_conflicts",
    "misspelt_names",
    "omission",
    "claim_changes",
    "rating_conflict",
    "speaker_title",
    "grade_status",
    "encoding_damage",
    "rating_wording",
)
"""The order in which two processes take the detectors, one at a time, each taking the
next when it is done with one: the longest first, so that the two finish close
together (CPU seconds on one core, the bench's feeds at 1,000 articles: see README,
"Against a floor"). A detector left out is taken last; the rows are the same
whichever process runs a detector."""


def _by_length() -> tuple[Detector, ...]:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return tuple(sorted(DETECTORS, key=lambda d: rank.get(d.name, len(rank))))


Task = tuple[int, Detector]
"""One detector to run on one batch of stories (an index into the batches)."""


class _Turns:
    """The next task, for two processes sharing one counter (in shared memory, made
    before the fork). Tasks come batch by batch, so each process holds the Context of
    one batch at a time: a Context's worked-out tables (aligned pairs, clusters'
    members) go when the process moves to the next batch."""

    def __init__(self, tasks: list[Task]) -> None:
        self.tasks = tasks
        self._next = multiprocessing.get_context("fork").Value("i", 0)

    def run(self, batches: list[Callable[[], Context]]) -> dict[tuple[int, str], list[Discrepancy]]:
        """Run tasks until none is left: this process's share of them."""
        found: dict[tuple[int, str], list[Discrepancy]] = {}
        held: tuple[int, Context] | None = None
        while (task := self._take()) is not None:
            batch, detector = task
            if held is None or held[0] != batch:
                held = None  # the last batch's Context goes before the next is made
                held = (batch, batches[batch]())
            found[(batch, detector.name)] = _run(detector, held[1])
        return found

    def _take(self) -> Task | None:
        with self._next.get_lock():
            at = self._next.value
            self._next.value = at + 1
        return self.tasks[at] if at < len(self.tasks) else None


def _run(detector: Detector, ctx: Context) -> list[Discrepancy]:
    """A detector's rows, its text caches emptied after it: what a detector caches
    (each wording's words, figures and dates) it reuses within its own run, and held
    on for the next one the caches of all of them add up to most of what compare holds
    (0.14 MiB an article on the distinct feed), while each alone is a fraction."""
    rows = list(detector.run(ctx))
    caching.clear_caches(tables=False)
    return rows


_FORKED: list[tuple[list[Callable[[], Context]], _Turns]] = []
"""What a forked process finds already in memory (nothing is pickled to it)."""


def _run_in_second_process() -> dict[tuple[int, str], list[Discrepancy]]:
    batches, turns = _FORKED[0]
    return turns.run(batches)


@dataclass(frozen=True)
class StoryBatch:
    """Some of a feed's stories, whole: their articles, claims, extraction, matches and
    claim clusters, each in the feed's order, and the feed's resolved people and
    organisation names."""

    articles: tuple[CleanArticle, ...]
    claims: tuple[Claim, ...]
    extraction: Extraction
    matching: Matching
    graph: ClaimGraph

    def context(self, feed: FeedFacts) -> Context:
        claims = {c.claim_id: c for c in self.claims}
        return Context(self.articles, claims, self.extraction, self.matching, self.graph, feed)


def story_packing(size: Mapping[str, int], batch_articles: int) -> dict[str, int]:
    """Each story's batch, given its articles (`size`): the stories in id order, each
    batch closed before a story would take it past `batch_articles` articles (a larger
    story is a batch of its own). Batches are numbered from 0."""
    batch_of_story: dict[str, int] = {}
    batch, filled = 0, 0
    for story in sorted(size):
        if filled and filled + size[story] > batch_articles:
            batch, filled = batch + 1, 0
        batch_of_story[story] = batch
        filled += size[story]
    return batch_of_story


def split_matching(
    matching: Matching,
    source_of_claim: Mapping[str, str],
    batch_of_source: Mapping[str, int],
    count: int,
) -> list[Matching]:
    """`matching` cut into `count` batches of whole stories (`batch_of_source`, every
    source of its story map), order kept: a pair goes with its first claim's source.
    Its notices are left out (they are the whole matching's)."""
    stories: list[dict[str, str]] = [{} for _ in range(count)]
    for source, story in matching.story_of.items():
        stories[batch_of_source[source]][source] = story

    def split(pairs: Iterable[ClaimMatch]) -> list[list[ClaimMatch]]:
        parted: list[list[ClaimMatch]] = [[] for _ in range(count)]
        for pair in pairs:
            parted[batch_of_source[source_of_claim[pair.claim_a]]].append(pair)
        return parted

    matches, related = split(matching.matches), split(matching.related)
    return [
        Matching(MappingProxyType(stories[b]), tuple(matches[b]), tuple(related[b]))
        for b in range(count)
    ]


def story_batches(
    articles: tuple[CleanArticle, ...],
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    graph: ClaimGraph,
    batch_articles: int,
) -> list[StoryBatch]:
    """The feed cut into batches of whole stories (in story id order) of about
    `batch_articles` articles each (a larger story is a batch of its own). One pass
    over each table: every record goes to its source's batch, order kept."""
    story_of = matching.story_of
    size: dict[str, int] = defaultdict(int)
    for a in articles:
        size[story_of.get(a.source, "")] += 1
    batch_of_story = story_packing(size, batch_articles)
    count = max(batch_of_story.values(), default=-1) + 1
    of_source = {a.source: batch_of_story[story_of.get(a.source, "")] for a in articles}

    def split(records: Iterable[R], source: Callable[[R], str]) -> list[list[R]]:
        parts: list[list[R]] = [[] for _ in range(count)]
        for record in records:
            parts[of_source[source(record)]].append(record)
        return parts

    source_of_claim = {c.claim_id: c.source for c in claims}
    parted_articles = split(articles, lambda a: a.source)
    parted_claims = split(claims, lambda c: c.source)
    judgments = split(extraction.judgments, lambda r: r.source)
    people = split(extraction.people, lambda r: r.source)
    quotes = split(extraction.quotes, lambda r: r.source)
    orgs = split(extraction.orgs, lambda r: r.source)
    matchings = split_matching(matching, source_of_claim, of_source, count)
    clusters = split(graph.cluster_of.items(), lambda item: source_of_claim[item[0]])
    batches = []
    for b in range(count):
        batch_extraction = Extraction(
            tuple(judgments[b]), tuple(people[b]), tuple(quotes[b]), tuple(orgs[b])
        )
        batch_matching = matchings[b]
        batch_claims = tuple(parted_claims[b])
        batch_graph = dataclasses.replace(
            graph,
            cluster_of=MappingProxyType(dict(clusters[b])),
            claims=batch_claims,
            extraction=batch_extraction,
            matching=batch_matching,
            story_graphs=None,
        )
        batches.append(
            StoryBatch(
                tuple(parted_articles[b]),
                batch_claims,
                batch_extraction,
                batch_matching,
                batch_graph,
            )
        )
    return batches


Found = dict[str, list[Discrepancy]]
"""Every detector's rows on one batch of stories, by detector name."""


class BatchLog(Protocol):
    """Where the detectors' rows on each batch are kept as the batch is done, so that a
    check that stops resumes with the batches not yet done (`consistency.checkpoint`).
    A batch is known by its stories' ids: the rows on a batch are those of its stories
    whatever batch size cut it."""

    def done(self, stories: tuple[str, ...]) -> Found | None:
        """The rows kept for a batch of these stories, if it was done."""
        ...

    def keep(self, stories: tuple[str, ...], found: Found) -> None:
        """Keep the rows on a batch of these stories."""
        ...


def stories_of(matching: Matching) -> tuple[str, ...]:
    """The ids of the stories of a matching (a batch's), sorted: what a `BatchLog`
    knows a batch by."""
    return tuple(sorted(set(matching.story_of.values())))


STORY_BATCH_ARTICLES: int | None = 1000
"""Articles per batch of whole stories the detectors run on (`story_batches`); None:
the whole feed at once. Each process holds one batch's worked-out tables and text
caches at a time: at 20,000 articles (the bench's distinct feed) the compare stage's
peak fell from 3,112 to 2,104 MiB (PSS over both processes) with batches of 2,000,
for no more time; batches of 500 held 1,947 MiB and took longer (more Contexts to
build). Since then, at 20,000 articles of the padded distinct feed: 1,948 MiB with
batches of 2,000, 1,886 with 1,500 and 1,743 with 1,000, in about the same CPU time
(72.7, 73.6 and 74.8 s); on the templated feed 1,531, 1,501 and 1,468 MiB for 43.1,
45.4 and 48.7 CPU s (each batch builds its own tables, and reads again the words and
figures of the template sentences its stories share with other batches': at 5,000
templated articles in one process, 10% more texts read for dates and figures over
the whole check and 7% more CPU in compare). 1,000 keeps the distinct feed's peak
under 2 GB."""


def compare(
    articles: tuple[CleanArticle, ...],
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    graph: ClaimGraph,
    parallel: bool = False,
    batch_articles: int | None = None,
    log: BatchLog | None = None,
) -> tuple[Discrepancy, ...]:
    """Every detector's rows, sorted. With `parallel`, a forked process (where the
    platform forks) and this one share each batch's detectors out between them
    (LONGEST_FIRST), the forked one made afresh for each batch;
    with `batch_articles` (default STORY_BATCH_ARTICLES), the detectors run on
    batches of whole stories of about that many articles (`story_batches`), with the
    whole feed's facts (`FeedFacts`). The rows are the same either way. With `log`,
    batches it holds are taken from it and each batch done is kept in it."""
    # The text caches of the stages before (match's keys of every claim) are emptied:
    # their memory then serves the detectors, and a forked process does not start
    # with them.
    caching.clear_caches(tables=False)
    batch_articles = batch_articles or STORY_BATCH_ARTICLES
    batches: list[Callable[[], Context]]
    if batch_articles is None:
        extraction = agreed_subjects(extraction, graph)
        claim_of = {c.claim_id: c for c in claims}
        batches = [lambda: Context(articles, claim_of, extraction, matching, graph)]
        known = [stories_of(matching)]
    else:
        extraction, facts = prepared(extraction, graph)
        parts = story_batches(articles, claims, extraction, matching, graph, batch_articles)
        batches = [functools.partial(part.context, facts) for part in parts]
        known = [stories_of(part.matching) for part in parts]
    forking = parallel and len(DETECTORS) > 1 and "fork" in multiprocessing.get_all_start_methods()
    done: list[Found] = []
    for b in range(len(batches)):
        kept = log.done(known[b]) if log is not None else None
        if kept is None:
            kept = _batch(b, batches, forking)
            if log is not None:
                log.keep(known[b], kept)
        done.append(kept)
    return merged(done)


def _batch(b: int, batches: list[Callable[[], Context]], forking: bool) -> Found:
    """Every detector's rows on batch `b`, in this process, or shared out with a second
    one forked for it."""
    tasks = [(b, detector) for detector in _by_length()]
    found: dict[tuple[int, str], list[Discrepancy]] = {}
    if forking:
        # A second process forked afresh for each batch: a forked process shares this
        # one's pages until it touches their objects (a reference count is a write),
        # and one kept for the whole feed had by its end a copy of most of it (at
        # 20,000 articles about 700 MiB more than one process held alone).
        turns = _Turns(tasks)
        _FORKED[:] = [(batches, turns)]
        try:
            with ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                second = pool.submit(_run_in_second_process)
                found.update(turns.run(batches))
                found.update(second.result())
        finally:
            _FORKED.clear()
    else:
        found = _Turns(tasks).run(batches)
    return {d.name: found[(b, d.name)] for d in DETECTORS}


def merged(found: Iterable[Mapping[str, list[Discrepancy]]]) -> tuple[Discrepancy, ...]:
    """The rows of every batch (each detector's, by name), as `compare` returns them: in
    the detectors' order, whichever process ran them, the first row of an id wins; then
    sorted."""
    found = list(found)
    rows: dict[str, Discrepancy] = {}
    for detector in DETECTORS:
        for batch in found:
            for row in batch[detector.name]:
                rows.setdefault(row.id, row)
    return tuple(sorted(rows.values(), key=sort_key))


def batch_rows(batch: StoryBatch, feed: FeedFacts) -> dict[str, list[Discrepancy]]:
    """Every detector's rows on one batch of stories, given the feed's facts: what an
    engine running the detectors elsewhere (a Spark executor) computes per batch."""
    ctx = batch.context(feed)
    return {detector.name: _run(detector, ctx) for detector in DETECTORS}


def prepared(
    extraction: Extraction,
    graph: ClaimGraph,
    shown: Mapping[str, str] | None = None,
    facts: FeedFacts | None = None,
) -> tuple[Extraction, FeedFacts]:
    """What every batch is given beside its stories: the extraction with each claim
    cluster's agreed subject (`agreed_subjects`, a vote per cluster that takes the
    subject's shown name from the whole feed) and the feed's facts. For a part of a
    feed (whole stories), `shown` (`grades.shown_subjects`) and `facts` must be the
    whole feed's."""
    extraction = agreed_subjects(extraction, graph, shown)
    return extraction, facts if facts is not None else feed_facts(extraction, graph)


def feed_wide(
    extraction: Extraction, story_of: Mapping[str, str]
) -> tuple[Names, dict[str, str], FeedFacts]:
    """What a part's graph and detectors read of the whole feed, from its mentions and
    story map alone: the resolved names, the subjects' shown names and `FeedFacts`."""
    names = feed_names(extraction, story_of)
    named = ClaimGraph(
        MappingProxyType({}),
        MappingProxyType(names.person_key),
        MappingProxyType(names.person_name),
        MappingProxyType(names.org_name),
    )
    return names, shown_subjects(extraction.judgments), feed_facts(extraction, named)
