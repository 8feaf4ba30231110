"""The whole check as one call: ingest -> clean -> claims -> extract -> match -> graph -> compare.

Data flows one way; each stage gets what the ones before produced and nothing
reaches back. `check()` is what the CLI runs; `report.write_reports()` writes its files.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, Protocol

from . import caching, collector, domain, furniture, ingest, match, tables
from . import claims as claims_stage
from . import clean as clean_stage
from . import compare as compare_stage
from . import extract as extract_stage
from . import graph as graph_stage
from .checkpoint import Checkpoint
from .config import Config
from .errors import InputError, UsageError
from .graph import ClaimGraph
from .models import (
    Article,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
)
from .results import CheckResult
from .settings import MatchSettings

if TYPE_CHECKING:
    import polars as pl


def _read_only(values: dict[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(values)


# Worker processes send articles' metadata back as read-only mappings, which pickle
# cannot name by itself.
copyreg.pickle(MappingProxyType, lambda m: (_read_only, (dict(m),)))


PARALLEL_FROM = 400
"""Feeds of at least this many articles are read on every core by default: below it,
starting the worker processes costs more than it saves."""


class ReadArticle(NamedTuple):
    """One article read: what `read_one` gives, and an engine hands back."""

    cleaned: CleanArticle
    claims: tuple[Claim, ...]
    extraction: Extraction


def read_one(article: Article, template: frozenset[str] = frozenset()) -> ReadArticle:
    """The stages that look at one article alone: clean, claims, extract. `template`:
    the feed's site-template lines, found before (see `furniture.template_lines`)."""
    cleaned = clean_stage.clean_article(article, template)
    claims = claims_stage.article_claims(cleaned)
    return ReadArticle(cleaned, claims, extract_stage.extract_article(cleaned, claims))


class Progress(Protocol):
    """Told how far a run has gone: `stage` is one of STAGES; `done` of `total` units
    (articles while reading, 1 of 1 for the stages that run as one step)."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


Read = tuple[tuple[CleanArticle, ...], tuple[Claim, ...], Extraction]
"""What reading gives the stages after it: the cleaned articles, their claims in feed
order and what was extracted from them."""


class Engine(Protocol):
    """Where the stages that can be cut up run: reading (each article alone) and the
    detectors (each batch of whole stories, `compare.story_batches`). `LocalEngine` (the
    default) runs them in this process and its forked workers;
    `consistency.spark.SparkEngine` on a Spark cluster. Both call the same functions
    (`read_one`, `compare.batch_rows`) and must give the same result: the stages between
    (match, graph) and after (reports) do not know which ran."""

    @property
    def name(self) -> str:
        """What `--engine` calls it."""
        ...

    def files(self, uri: str) -> list[tuple[str, int, bytes | None]]:
        """Every file at or under a URI only the cluster reads (`ingest.RemoteFiles`);
        an engine that reads none raises `InputError`."""
        ...

    def read(self, articles: tuple[Article, ...], workers: int, progress: Progress) -> Read:
        """Every article read (`read_one`), on `workers` processes where that applies."""
        ...

    def write_tables(self, made: Mapping[str, pl.DataFrame], where: str | Path) -> list[str]:
        """Each table as Parquet under `where` (`tables.write_tables`; a URI only the
        cluster writes, where the engine has one); what was written."""
        ...

    def compare(
        self,
        articles: tuple[CleanArticle, ...],
        claims: tuple[Claim, ...],
        extraction: Extraction,
        matching: Matching,
        graph: ClaimGraph,
        workers: int,
        log: compare_stage.BatchLog | None = None,
    ) -> tuple[Discrepancy, ...]:
        """Every detector's rows, sorted, as `compare.compare` gives them; with `log`,
        batches it holds taken from it and each batch done kept in it."""
        ...


STAGES = ("read", "match", "graph", "compare")


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def processes(workers: int | None, articles: int) -> int:
    """How many processes a check of `articles` articles uses: `workers`, or by default
    every core for a feed of PARALLEL_FROM articles or more, else one."""
    if workers is not None:
        return workers
    return (os.cpu_count() or 1) if articles >= PARALLEL_FROM else 1


def read_articles(
    articles: tuple[Article, ...],
    workers: int | None = None,
    progress: Progress = _quiet,
) -> tuple[tuple[CleanArticle, ...], tuple[Claim, ...], Extraction]:
    """Clean, split and read every article, on `workers` processes (None: every core
    for a feed of PARALLEL_FROM articles or more, else one). The result does not
    depend on the number of workers."""
    workers = processes(workers, len(articles))
    total = len(articles)
    # The one feed-level step of reading: lines that recur across articles sharing no
    # copy are a site's template, dropped by clean as furniture (one pass, hashes).
    read = functools.partial(read_one, template=furniture.template_lines(articles))
    every = max(1, total // 100)
    parts: list[ReadArticle] = []
    progress("read", 0, total)
    with contextlib.ExitStack() as stack:
        if workers > 1 and total > 1:
            # The first article is read here, before the workers start: it compiles the
            # domain's patterns once, and forked workers inherit them compiled.
            parts.append(read(articles[0]))
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
            rest = articles[1:]
            done = pool.map(read, rest, chunksize=max(1, len(rest) // (workers * 8)))
        else:
            done = map(read, articles)
        for part in done:
            parts.append(part)
            if len(parts) % every == 0 or len(parts) == total:
                progress("read", len(parts), total)
    return gather(parts)


def gather(parts: Iterable[ReadArticle]) -> Read:
    """The articles read one by one (in feed order) as the stages after reading take them."""
    parts = list(parts)
    cleaned = tuple(p.cleaned for p in parts)
    claims = tuple(c for p in parts for c in p.claims)
    extraction = extract_stage.merge([p.extraction for p in parts])
    return cleaned, claims, extraction


@dataclasses.dataclass(frozen=True)
class LocalEngine:
    """Reading and the detectors in this process, and on every core for a large feed
    (`read_articles`, `compare.compare`)."""

    name: str = "local"

    def files(self, uri: str) -> list[tuple[str, int, bytes | None]]:
        return ingest.unreachable(uri)

    def write_tables(self, made: Mapping[str, pl.DataFrame], where: str | Path) -> list[str]:
        return [str(p) for p in tables.write_tables(made, local_folder(where))]

    def read(self, articles: tuple[Article, ...], workers: int, progress: Progress) -> Read:
        return read_articles(articles, workers, progress)

    def compare(
        self,
        articles: tuple[CleanArticle, ...],
        claims: tuple[Claim, ...],
        extraction: Extraction,
        matching: Matching,
        graph: ClaimGraph,
        workers: int,
        log: compare_stage.BatchLog | None = None,
    ) -> tuple[Discrepancy, ...]:
        # Where reading used several processes, part of the detectors takes a second one.
        return compare_stage.compare(
            articles, claims, extraction, matching, graph, parallel=workers > 1, log=log
        )


def local_folder(where: str | Path) -> Path:
    """`where` as the local folder the local engine writes tables to; a URI only a
    cluster writes is a usage error (raised before a check when the CLI is given one)."""
    if ingest.is_remote(str(where)):
        raise UsageError(f"--tables {where}: a URI is written by --engine spark")
    return Path(where)


def check_articles(
    articles: tuple[Article, ...],
    settings: MatchSettings | None = None,
    workers: int | None = None,
    progress: Progress = _quiet,
    config: Config | None = None,
    engine: Engine | None = None,
    checkpoint: Path | None = None,
) -> CheckResult:
    """Run every stage on articles already read (see `read_articles` for `workers`),
    telling `progress` how far it has gone. `config` (default: the bundled defaults)
    adds to the domain tables, leaves out its ignored sources, sets the matching
    thresholds unless `settings` are given, and overrides severities. `engine` says
    where the articles are read and the detectors run (default: `LocalEngine`); the
    result is the same. With `checkpoint` (a folder), reading's result and the
    detectors' rows are kept there as they are done, and a check of the same articles
    under the same settings takes them from there (`consistency.checkpoint`): the
    result is the same."""
    config = config or Config()
    kept = tuple(a for a in articles if not config.ignores(a.source))
    if articles and not kept:
        raise InputError(config.path or "configuration", "ignore_sources leaves out every article")
    # On the way out the text caches are emptied (the compiled tables kept): a check
    # leaves nothing behind in memory, and its texts never serve the next check.
    with domain.configured(config.tables), collector.paused(), caching.emptied_after():
        chosen: Engine = engine or LocalEngine()
        point = Checkpoint.open(checkpoint, kept) if checkpoint is not None else None
        result = _check_articles(kept, settings or config.match, workers, progress, chosen, point)
    rows = config.apply_severity(result.discrepancies)
    if rows is not result.discrepancies:
        rows = tuple(sorted(rows, key=compare_stage.sort_key))
    return dataclasses.replace(result, discrepancies=rows, config=config)


def _check_articles(
    articles: tuple[Article, ...],
    settings: MatchSettings | None,
    workers: int | None,
    progress: Progress,
    engine: Engine,
    checkpoint: Checkpoint | None = None,
) -> CheckResult:
    # 2. clean: encoding repair, typography, boilerplate, wrapped lines
    # 3. claims: sentences, headings, list items, rating lines, quotations
    # 4. extract: grades, people and titles, quotations with speakers, organisations
    workers = processes(workers, len(articles))
    read = checkpoint.read() if checkpoint is not None else None
    if read is None:
        read = engine.read(articles, workers, progress)
        if checkpoint is not None:
            checkpoint.keep_read(read)
    else:
        progress("read", len(articles), len(articles))
    cleaned, claims, extraction = read
    # 5. match: stories and matched claims, blocked so that nothing is all-pairs
    progress("match", 0, 1)
    published = {a.source: a.metadata.get("published", "") for a in cleaned}
    matching = match.match_claims(
        claims, settings, extract_stage.entities_by_source(extraction), published
    )
    progress("match", 1, 1)
    # 6. graph: clusters and people resolved across sources
    progress("graph", 0, 1)
    graph = graph_stage.build_graph(claims, extraction, matching)
    progress("graph", 1, 1)
    # 7. compare: the discrepancies
    progress("compare", 0, 1)
    log = checkpoint.batches(settings or MatchSettings()) if checkpoint is not None else None
    discrepancies = engine.compare(cleaned, claims, extraction, matching, graph, workers, log)
    progress("compare", 1, 1)
    return CheckResult(
        articles,
        cleaned,
        claims,
        extraction,
        matching,
        graph,
        discrepancies,
        notices=matching.notices,
    )


def check(
    paths: Iterable[str | Path],
    settings: MatchSettings | None = None,
    workers: int | None = None,
    progress: Progress = _quiet,
    config: Config | None = None,
    keep_going: bool = False,
    exclude: Iterable[str | Path] = (),
    engine: Engine | None = None,
    checkpoint: Path | None = None,
) -> CheckResult:
    """Check the articles under `paths` (files or directories); see `check_articles`.
    With `keep_going`, unreadable files and records are skipped (listed in the result's
    `skipped`) instead of stopping the check. Nothing at or under a path in `exclude`
    (the folder the reports go to, a baseline) is read."""
    # 1. ingest
    # URIs only a cluster reads (hdfs://, s3a://) are listed and read by the engine.
    remote = (engine or LocalEngine()).files
    feed = ingest.read_feed(paths, keep_going, exclude, remote=remote)
    result = check_articles(feed.articles, settings, workers, progress, config, engine, checkpoint)
    return dataclasses.replace(result, skipped=feed.skipped, notices=feed.notices + result.notices)
