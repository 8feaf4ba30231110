"""A whole check on a Spark cluster, a part of the feed at a time (`--engine spark --archive`).

The Spark engine's other flow (`consistency.spark.SparkEngine`) runs reading and the
detectors on the executors but finds stories on the driver, which holds the whole
feed. Here no stage after ingest holds it: every step takes some whole articles, or a
table Spark joins, as README's "Engines" lists them, and each calls the functions the
local engine calls, so the reports are the local engine's.

0. The site-template lines, from each partition's `furniture.line_places`.
1. Each article read (`pipeline.read_one`), kept by Spark on its disks.
2. The feed's counts: each partition's `match.count_part`; the phrases' counts summed
   by Spark, the vocabulary-sized rest merged on the driver; then each partition's
   subjects (`match.subjects_of`).
3. The parts no story crosses: each partition's blocking keys, joined by Spark into
   candidate pairs, each pair judged on an executor against the small subject
   tables, and `spark.components` of the pairs that pass.
4. The parts, packed into batches, each matched on an executor (`match.match_claims`
   with the feed's counts); the story map comes back to the driver, which resolves
   names from the feed's mentions (`compare.feed_wide`).
5. Each batch clustered and compared on an executor (`graph.build_graph` with the
   feed's names, `compare.batch_rows`), giving its detectors' rows, its claims and
   coverage rows, and what the problems read of its claims (with `stage_tables`, its
   share of every stage's records too, written by the executors: `write_tables`).

The driver holds what is counted over the vocabulary (words, stems), the phrases that
link stories (one integer and a flag each), the subject tables (a few rows an
article), the extraction's mentions for names (quotations without their words), the
story map, the rows, and the claims (ids and sources, not words) of the clusters the
rows show. The articles it ingested go to the cluster a block at a time and are let
go; what was read is checkpointed on the executors, cut from the plan that shipped
them. The claims and coverage tables come to the driver's writer a sorted range at a
time. What crosses between the driver and the executors besides the tables of fixed
schema is pickled: the counts and names every executor reads, each partition's
counts and each batch's matching and rows.
"""

from __future__ import annotations

import contextlib
import io
import logging
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import polars as pl

from . import compare as compare_stage
from . import domain, furniture, ingest, match, pipeline, problems, report, stories, tables
from . import extract as extract_stage
from . import graph as graph_stage
from .checkpoint import Checkpoint, read_key
from .config import Config
from .errors import ConsistencyError, InputError, UsageError
from .models import (
    Article,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
    Notice,
    Skipped,
)
from .results import CheckResult
from .settings import WORDS_SCORER, MatchSettings
from .spark import (
    _READ_PARTS,
    SparkEngine,
    _arrow_batches,
    _last_line,
    _parts,
    _read_schema,
    _reader_of,
    from_driver,
)
from .spark import spark_schema as _spark_schema

_LOG = logging.getLogger(__name__)

MENTION_BLOCK = 10_000
"""Articles whose mentions (people, quotations without their words, organisations,
judgments) come to the driver at once, for the names resolved over the whole feed:
its JVM holds one block of them on their way, never the whole feed's."""
PART_ARTICLES = 2000
"""Articles per partition while reading and counting: a partition's counts are made
whole in one Python worker."""


@dataclass(frozen=True)
class ArchiveResult:
    """What a check in parts gives the driver: the counts and the rows, and the claims
    and coverage tables left on the cluster until they are written (`write_reports`)."""

    articles: int
    claims: int
    story_of: Mapping[str, str]
    discrepancies: tuple[Discrepancy, ...]
    problems: tuple[problems.Problem, ...]
    largest: list[report.StorySize]
    claims_table: Any
    """Spark DataFrame (index, at, then `report.CLAIM_COLUMNS`)."""
    coverage_table: Any
    """Spark DataFrame (`report.COVERAGE_COLUMNS`, then first: `report.coverage_rows`)."""
    config: Config
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[Notice, ...] = ()
    parts: int = 0
    """The parts no story crosses."""
    largest_part: int = 0
    """Articles in the largest part."""
    held: Any = None
    """The Spark table the claims and coverage tables are read from, kept on the
    executors' disks until `release`."""
    stage_tables: Mapping[str, Any] = field(default_factory=dict)
    """With `stage_tables=True`: each of `tables.TABLES` as a Spark DataFrame, its
    place in the feed (the columns of `STAGE_ORDER` made for the sort, `_SORTING`)
    and then `tables.result_tables`' columns."""

    def release(self) -> None:
        """Let the cluster drop what the tables are read from (write them first)."""
        if self.held is not None:
            with contextlib.suppress(Exception):
                self.held.unpersist()


def _blob(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unblob(value: bytes) -> Any:
    return pickle.loads(value)


def _ipc(frame: pl.DataFrame) -> bytes:
    sink = io.BytesIO()
    frame.write_ipc(sink)
    return sink.getvalue()


_STAGE_OF = {
    "template": "read",
    "counts": "match",
    "subjects": "match",
    "parts": "match",
    "components": "match",
}
"""The steps as the progress bar's stages (`pipeline.STAGES`)."""


class _Steps:
    """Tells `progress` as each step starts, and logs how long the one before took."""

    def __init__(self, progress: pipeline.Progress) -> None:
        self.progress = progress
        self.name = ""
        self.started = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.name:
            _LOG.info("%s: %.1f s", self.name, now - self.started)
            stage = _STAGE_OF.get(self.name, self.name)
            if _STAGE_OF.get(name, name) != stage:
                self.progress(stage, 1, 1)
        if name:
            self.progress(_STAGE_OF.get(name, name), 0, 1)
        self.name, self.started = name, now


class _Job:
    """One session's jobs: each a function of a partition's rows (a polars frame) or of
    a group's, under the driver's domain tables, its failure one line."""

    def __init__(self, engine: SparkEngine) -> None:
        self.session = engine._session()
        self.additions = domain.additions()
        self.held: list[Any] = []
        """Tables kept and values broadcast, let go by `release`."""

    def broadcast(self, value: object) -> Any:
        shared = self.session.sparkContext.broadcast(value)
        self.held.append(shared)
        return shared

    def table(self, frame: pl.DataFrame, schema: pl.Schema | None = None) -> Any:
        """`frame` as a Spark table, never a local relation (`spark.from_driver`)."""
        return from_driver(self.session, frame, schema)

    def mapped(
        self, frame: Any, work: Callable[[pl.DataFrame], pl.DataFrame], schema: pl.Schema
    ) -> Any:
        """`work` on all the rows of each partition of `frame` at once."""
        out = _spark_schema(schema)
        target = _arrow_schema(out)
        additions = self.additions

        def run(batches: Iterator[Any]) -> Iterator[Any]:
            with domain.configured(additions):
                frames = [_polars(b) for b in batches]
                if not frames or not sum(len(f) for f in frames):
                    return
                yield from _arrow_batches(work(pl.concat(frames)), target)

        return frame.mapInArrow(run, out)

    def _grouped_out(self, schema: pl.Schema) -> tuple[Any, Callable[[pl.DataFrame], Any]]:
        out = _spark_schema(schema)
        target = _arrow_schema(out)

        def arrow(frame: pl.DataFrame) -> Any:
            import pyarrow as pa

            return pa.Table.from_batches(list(_arrow_batches(frame, target)), schema=target)

        return out, arrow

    def grouped(
        self, frame: Any, by: str, work: Callable[[pl.DataFrame], pl.DataFrame], schema: pl.Schema
    ) -> Any:
        """`work` on each group of `frame`'s rows by `by`."""
        out, arrow = self._grouped_out(schema)
        additions = self.additions

        def one(given: Any) -> Any:
            with domain.configured(additions):
                return arrow(work(_polars(given)))

        return frame.groupBy(by).applyInArrow(one, out)

    def cogrouped(
        self,
        frame: Any,
        other: Any,
        by: str,
        work: Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame],
        schema: pl.Schema,
    ) -> Any:
        """`work` on each group by `by` of `frame`'s rows and of `other`'s."""
        out, arrow = self._grouped_out(schema)
        additions = self.additions

        def two(left: Any, right: Any) -> Any:
            with domain.configured(additions):
                return arrow(work(_polars(left), _polars(right)))

        return frame.groupBy(by).cogroup(other.groupBy(by)).applyInArrow(two, out)

    def collected(self, frame: Any) -> pl.DataFrame:
        return _polars(_job_of(frame.toArrow))

    def unblobbed(self, frame: Any) -> Iterator[Any]:
        """The values pickled in `frame`'s blob column, a partition at a time: the
        driver's JVM holds one partition's rows, never the whole job's results (as
        `collected` does, on their way to Python). Keep `frame` first (`kept`): each
        partition is a job of its own, run one after another (`_partitions_of`)."""
        rows = _partitions_of(frame.select("blob"))
        while True:
            row = _job_of(lambda: next(rows, None))
            if row is None:
                return
            yield _unblob(bytes(row["blob"]))

    def kept(self, frame: Any) -> Any:
        """`frame` computed once and kept on the executors' disks (until `release`)."""
        from pyspark import StorageLevel

        frame = frame.persist(StorageLevel.DISK_ONLY)
        self.held.append(frame)
        _job_of(frame.count)
        return frame

    def checkpointed(self, frame: Any) -> Any:
        """`kept`, and cut from the plan that made it."""
        from pyspark import StorageLevel

        made = _job_of(lambda: frame.localCheckpoint(True, StorageLevel.DISK_ONLY))
        self.held.append(made)
        return made

    def release(self, keep: Any = None) -> None:
        """Every table kept and value broadcast let go, but `keep`."""
        for held in self.held:
            if held is not keep:
                with contextlib.suppress(Exception):
                    _let_go(held)
        self.held = [keep] if keep is not None else []


def _partitions_of(frame: Any) -> Iterator[Any]:
    """`frame`'s rows, a partition (one job) at a time, through the table's RDD: a
    DataFrame's own `toLocalIterator` submits those jobs under a SQL query that has
    already ended, and Spark (4.x) keeps each such job, and the partition's results its
    handler holds, in `DAGScheduler.activeQueryToJobs` to the session's end (31 MB of a
    3,000-article check's heap, in a dump after comparing; at 150,000 such byte arrays
    grew step by step to 1.9 GB of a 4 GB heap, which ran out)."""
    rows: Iterator[Any] = frame.rdd.toLocalIterator()
    return rows


def _let_go(held: Any) -> None:
    """A kept table dropped from the executors' disks, or a broadcast value destroyed:
    unpersisting one only drops the executors' copies, and with a local master the
    driver is the executor, so its JVM heap kept every broadcast's pieces (hundreds of
    megabytes of counts at 60,000 articles) into the write, where a 3 GB heap ran out."""
    from pyspark import Broadcast

    if isinstance(held, Broadcast):
        held.destroy()
    else:
        held.unpersist()


def _polars(value: Any) -> pl.DataFrame:
    made = pl.from_arrow(value)
    assert isinstance(made, pl.DataFrame)
    return made


def _arrow_schema(schema: Any) -> Any:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema)


def _read_of(rows: pl.DataFrame) -> tuple[tuple[CleanArticle, ...], tuple[Claim, ...], Extraction]:
    """Rows of what was read (`spark._read_schema`) back as the records, in feed order."""
    return pipeline.gather(_parts(rows.select(_read_schema().names())))


def _published(cleaned: Iterable[CleanArticle]) -> dict[str, str]:
    return {a.source: a.metadata.get("published", "") for a in cleaned}


def _signed(column: str) -> pl.Expr:
    """A 64-bit phrase hash as Spark holds it (it has no unsigned integers)."""
    return pl.col(column).reinterpret(signed=True)


def _unsigned(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64).reinterpret(signed=False)


_PLACES = pl.Schema(
    {"table": pl.String(), "key": pl.String(), "index": pl.Int64(), "value": pl.Int64()}
)
_COUNTS = pl.Schema(
    {
        "table": pl.String(),
        "shingle": pl.Int64(),
        "articles": pl.Int64(),
        "most": pl.Int64(),
        "word": pl.String(),
        "df": pl.Int64(),
        "kind": pl.Int64(),
        "source": pl.String(),
        "at": pl.Int64(),
        "usage": pl.Float64(),
        "blob": pl.Binary(),
    }
)
"""A partition's `match.PartCounts`, a table to a row kind (`table`): "phrase" (its
shingles), "word" (`stories.word_counts`), "stem", "template" and "usage" (its
`match.StemCounts`' tables) and one "part" row (its sources and counted claims), so
that Spark sums them over the feed and the driver holds the feed's vocabulary once,
never every partition's share of it."""
_WORDS = pl.Schema(
    {
        "word": pl.String(),
        "df": pl.Int64(),
        "kind": pl.Int64(),
        "source": pl.String(),
        "at": pl.Int64(),
    }
)
_BLOBS = pl.Schema({"blob": pl.Binary()})
_KEYS = pl.Schema(
    {"shingle": pl.Int64(), "key": pl.String(), "source": pl.String(), "blob": pl.Binary()}
)
_PAIRS = pl.Schema({"a": pl.String(), "b": pl.String()})
_MATCHED = pl.Schema(
    {
        "batch": pl.Int64(),
        "table": pl.String(),
        "source": pl.String(),
        "story": pl.String(),
        "sub": pl.Int64(),
        "blob": pl.Binary(),
    }
)
"""What matching a batch of parts gives: a "story" row for each of its sources (its
story, none for an article of no claim, and the batch of whole stories it is compared
in, `sub`), the matching of each such batch of stories ("matching") and its notices."""
_CHECKED = pl.Schema({"batch": pl.Int64(), "table": pl.String(), "blob": pl.Binary()})


def check(
    paths: Iterable[str | Path],
    engine: SparkEngine,
    settings: MatchSettings | None = None,
    config: Config | None = None,
    keep_going: bool = False,
    exclude: Iterable[str | Path] = (),
    progress: pipeline.Progress = pipeline._quiet,
    stage_tables: bool = False,
    checkpoint: str | Path | None = None,
) -> ArchiveResult:
    """Check the articles under `paths` a part at a time on `engine`'s cluster: what
    `pipeline.check` does for the local engine (ingest, then `check_archive`)."""
    feed = ingest.read_feed(paths, keep_going, exclude, remote=engine.files)
    articles, skipped, notices = list(feed.articles), feed.skipped, feed.notices
    del feed  # the articles are let go as they go to the cluster (`_shipped`)
    return _run(
        articles, engine, settings, config, skipped, notices, progress, stage_tables, checkpoint
    )


def check_archive(
    articles: tuple[Article, ...],
    engine: SparkEngine,
    settings: MatchSettings | None = None,
    config: Config | None = None,
    skipped: tuple[Skipped, ...] = (),
    notices: tuple[Notice, ...] = (),
    progress: pipeline.Progress = pipeline._quiet,
    stage_tables: bool = False,
    checkpoint: str | Path | None = None,
) -> ArchiveResult:
    """Check `articles` on `engine`'s cluster a part at a time (see the module's
    docstring): the rows, problems and summary figures the local engine's check gives,
    and its claims and coverage tables as Spark DataFrames; with `stage_tables`, every
    stage's records too (`write_tables`, before `ArchiveResult.release`). With
    `checkpoint`, a folder the driver and the executors share, what reading gave is
    kept there, and a check of the same articles under the same code, library
    versions and configured additions starts from it (`_kept_folder`, `_kept_read`)."""
    return _run(
        list(articles),
        engine,
        settings,
        config,
        skipped,
        notices,
        progress,
        stage_tables,
        checkpoint,
    )


def _run(
    articles: list[Article],
    engine: SparkEngine,
    settings: MatchSettings | None,
    config: Config | None,
    skipped: tuple[Skipped, ...],
    notices: tuple[Notice, ...],
    progress: pipeline.Progress,
    stage_tables: bool,
    checkpoint: str | Path | None,
) -> ArchiveResult:
    """`check_archive`, `articles` emptied as they go to the cluster."""
    config = config or Config()
    given = len(articles)
    articles[:] = [a for a in articles if not config.ignores(a.source)]
    if given and not articles:
        raise InputError(config.path or "configuration", "ignore_sources leaves out every article")
    settings = settings or config.match
    with domain.configured(config.tables):
        result = _check(articles, engine, settings, config, progress, stage_tables, checkpoint)
    return replace(result, skipped=skipped, notices=notices + result.notices)


def _check(
    articles: list[Article],
    engine: SparkEngine,
    settings: MatchSettings,
    config: Config,
    progress: pipeline.Progress,
    stage_tables: bool,
    checkpoint: str | Path | None,
) -> ArchiveResult:
    job = _Job(engine)
    # The articles' partitions are the joins' too, for this check alone: Spark's
    # default of 200 is a task each for tables of a few rows, a hundred times a round.
    conf = job.session.conf
    before = str(conf.get("spark.sql.shuffle.partitions", "200"))
    conf.set("spark.sql.shuffle.partitions", str(_partitions(engine, len(articles))))
    step = _Steps(progress)
    try:
        return _checked(articles, engine, job, settings, config, step, stage_tables, checkpoint)
    except UsageError as error:
        job.release()
        # A job that fails at archive scale is told with the step it failed in.
        raise UsageError(f"{error} (in the archive's {step.name or 'first'} step)") from error
    except BaseException:
        job.release()
        raise
    finally:
        conf.set("spark.sql.shuffle.partitions", before)


def _empty(spark: Any, schema: pl.Schema) -> Any:
    """A Spark table of no rows of `schema`."""
    return spark.createDataFrame(pl.DataFrame(schema=schema).to_arrow(), _spark_schema(schema))


def _nothing(spark: Any, config: Config, stage_tables: bool) -> ArchiveResult:
    """The check of no articles."""
    return ArchiveResult(
        0,
        0,
        MappingProxyType({}),
        (),
        (),
        [],
        _empty(spark, _CLAIM_ROWS),
        _empty(spark, _COVERAGE_ROWS),
        config,
        stage_tables={n: _empty(spark, s) for n, s in _STAGE_SCHEMAS.items()}
        if stage_tables
        else {},
    )


SHIPPED_ARTICLES = 10_000
"""Articles made into one table at a time on their way to the cluster."""


def _shipped(job: _Job, articles: list[Article]) -> Any:
    """The articles as a Spark table (index, then `Article`'s fields), a block at a
    time; `articles` is emptied, so that the driver holds no article's text after."""
    blocks = []
    for start in range(0, len(articles), SHIPPED_ARTICLES):
        block = tables.frame(articles[start : start + SHIPPED_ARTICLES], Article)
        indexed = block.select(
            pl.int_range(start, start + len(block), dtype=pl.Int64).alias("index"), pl.all()
        )
        blocks.append(job.table(indexed))
    articles.clear()
    shipped = blocks[0]
    for block in blocks[1:]:
        shipped = shipped.unionByName(block)
    return shipped


def _partitions(engine: SparkEngine, articles: int) -> int:
    """The engine's partitions, or one for each PART_ARTICLES articles and at least one
    a core."""
    if engine.partitions:
        return engine.partitions
    cores = int(engine._session().sparkContext.defaultParallelism)
    return max(cores, -(-articles // PART_ARTICLES))


def _checked(
    articles: list[Article],
    engine: SparkEngine,
    job: _Job,
    settings: MatchSettings,
    config: Config,
    step: _Steps,
    stage_tables: bool,
    checkpoint: str | Path | None,
) -> ArchiveResult:
    spark = job.session
    partitions = _partitions(engine, len(articles))
    count = len(articles)
    if not count:
        return _nothing(spark, config, stage_tables)
    from pyspark.sql import functions as f

    kept_at = _kept_folder(checkpoint, articles) if checkpoint is not None else None
    read = _kept_read(job, kept_at, count, partitions) if kept_at is not None else None
    if read is not None:
        # 0-1. What reading gave these articles, kept by an earlier run.
        step("read")
        articles.clear()
    else:
        read = _read(job, _shipped(job, articles).repartition(partitions), step)
        if kept_at is not None:
            _keep_read(read, kept_at)
    everyone = job.collected(read.select("source"))
    # 2. The counts, summed by Spark; the subjects found with them.
    step("counts")
    counted = job.kept(job.mapped(read, _part_counter(settings), _COUNTS))
    counts = _feed_counts(job, counted, settings)
    counted.unpersist()
    step("subjects")
    shared = job.broadcast(counts)
    found_subjects = job.kept(job.mapped(read, _subject_finder(settings, shared), _BLOBS))
    subjects = list(job.unblobbed(found_subjects))
    found_subjects.unpersist()
    counts = match.with_subjects(counts, subjects)
    del subjects
    _let_go(shared)
    shared = job.broadcast(counts)
    # 3. The parts: keys joined into candidate pairs, judged, connected.
    step("parts")
    keyed = job.kept(job.mapped(read, _key_finder(settings, shared), _KEYS))
    subject_tables = stories.SubjectTables.concat(
        list(job.unblobbed(keyed.filter(f.col("blob").isNotNull())))
    )
    sources = subject_tables.days.select("source")
    step("components")
    if settings.blocking:
        phrase = keyed.filter(f.col("shingle").isNotNull()).select("shingle", "key", "source")
        word = keyed.filter(f.col("shingle").isNull() & f.col("blob").isNull()).select(
            "key", "source"
        )
        candidates = _paired(phrase, ["shingle", "key"]).union(_paired(word, ["key"])).distinct()
        judge = job.broadcast((subject_tables, counts.words, settings))
        passed = job.mapped(candidates, _pair_judge(judge), _PAIRS)
        from .spark import components

        nodes = job.table(sources.rename({"source": "id"}))
        labels = job.collected(
            components(passed.select("a", "b"), nodes).select(
                f.col("id").alias("source"), f.col("label")
            )
        )
        # With a local master the driver's JVM is the executor and holds every live
        # broadcast whole: the judge's (the feed's vocabulary and every article's
        # subject tables) and the counts' were both still in a 3 GB heap when it ran
        # out, at 150,000 articles, as results came back after matching.
        _let_go(judge)
    else:
        labels = sources.with_columns(pl.lit("").alias("label"))
    keyed.unpersist()
    del subject_tables, counts
    found_parts = sorted(
        tuple(sorted(group)) for group in labels.group_by("label").agg("source")["source"].to_list()
    )
    # Articles with no claim have no subject tables and are in no story: the local
    # engine checks them together, as story "" (reading's rows on them, such as
    # encoding damage), and so do they here, as one more part.
    claimless = everyone.filter(~pl.col("source").is_in(labels["source"].implode()))
    if len(claimless):
        found_parts.append(tuple(sorted(claimless["source"])))
    batch_of = _batches(found_parts, engine.batch_articles)
    _LOG.info(
        "%d articles in %d parts, the largest of %d, in %d batches",
        count,
        len(found_parts),
        max((len(p) for p in found_parts), default=0),
        batch_of["batch"].n_unique(),
    )
    # 4. Each batch's parts matched; the story map back here for the names.
    step("match")
    batched = read.join(job.table(batch_of), on="source")
    # Cut from its plan, so that the counts can be destroyed once it is made.
    matched = job.checkpointed(
        job.grouped(
            batched, "batch", _batch_matcher(settings, shared, engine.batch_articles), _MATCHED
        )
    )
    _let_go(shared)
    story_rows = job.collected(
        matched.filter(f.col("table") == "story").select("source", "story", "batch", "sub")
    )
    storied = story_rows.filter(pl.col("story").is_not_null())
    story_of = dict(sorted(zip(storied["source"], storied["story"], strict=True)))
    # The batches of whole stories the detectors get: each (batch, sub) one.
    compared = (
        story_rows.select("batch", "sub")
        .unique()
        .sort("batch", "sub")
        .with_row_index("compared")
        .with_columns(pl.col("compared").cast(pl.Int64))
    )
    compared_of = story_rows.join(compared, on=["batch", "sub"]).select(
        "source", pl.col("compared").alias("batch")
    )
    story_sizes = storied.group_by("story").len()
    _LOG.info(
        "%d stories, the largest of %d articles, compared in %d batches",
        len(story_sizes),
        story_sizes["len"].max() or 0,
        len(compared),
    )
    del story_rows, storied, story_sizes
    told = job.unblobbed(matched.filter(f.col("table") == "notices"))
    notices: list[Notice] = [n for batch in told for n in batch]
    # What names read of the mentions; a quotation's words are not among it.
    mentions = read.select(
        "index",
        "judgments",
        "people",
        f.transform("quotes", lambda q: q.withField("text", f.lit(""))).alias("quotes"),
        "orgs",
    )
    mention_columns = {name: _read_schema()[name] for name in ["index", *_READ_PARTS]}
    extraction = _extraction_of(_streamed(mentions, ["index"], mention_columns, MENTION_BLOCK))
    names, shown, facts = compare_stage.feed_wide(extraction, story_of)
    del extraction
    # 5. Each batch clustered and compared.
    step("compare")
    given_names = job.broadcast((names, shown, facts))
    matchings = (
        matched.filter(f.col("table") == "matching")
        .join(job.table(compared), on=["batch", "sub"])
        .select(f.col("compared").alias("batch"), "blob")
    )
    batched = read.join(job.table(compared_of), on="source")
    # Cut from its plan, so that the broadcasts the plan names can be destroyed before
    # the tables are read from it (a task naming a destroyed broadcast is refused).
    checked = job.checkpointed(
        job.cogrouped(
            batched,
            matchings,
            "batch",
            _batch_checker(engine.batch_articles, given_names, stage_tables),
            _CHECKED,
        )
    )
    matched.unpersist()
    read.unpersist()
    found: list[tuple[tuple[str, ...], compare_stage.Found]] = []
    claims_seen: list[Claim] = []
    cluster_seen: dict[str, str] = {}
    total_claims = 0
    sizes: dict[str, tuple[int, int, str]] = {}
    for batch_found, seen, clusters, counted_claims, batch_sizes in job.unblobbed(
        checked.filter(f.col("table") == "found")
    ):
        found += batch_found
        claims_seen += seen
        cluster_seen.update(clusters)
        total_claims += counted_claims
        sizes.update(batch_sizes)
    discrepancies = compare_stage.merged(rows for _, rows in sorted(found, key=lambda r: r[0]))
    severe = config.apply_severity(discrepancies)
    if severe is not discrepancies:
        discrepancies = tuple(sorted(severe, key=compare_stage.sort_key))
    claims_seen.sort(key=lambda c: c.claim_id)
    found_problems = problems.find_problems(discrepancies, claims_seen, cluster_seen, story_of)
    step("")
    job.release(keep=checked)
    return ArchiveResult(
        articles=count,
        claims=total_claims,
        story_of=MappingProxyType(story_of),
        discrepancies=discrepancies,
        problems=found_problems,
        largest=_largest(sizes),
        claims_table=_exploded(job, checked, "claims", _CLAIM_ROWS),
        coverage_table=_exploded(job, checked, "coverage", _COVERAGE_ROWS),
        config=config,
        notices=tuple(sorted(notices, key=lambda n: n.path)),
        parts=len(found_parts),
        largest_part=max((len(p) for p in found_parts), default=0),
        held=checked,
        stage_tables=_stage_tables(job, checked, discrepancies) if stage_tables else {},
    )


def _read(job: _Job, frame: Any, step: _Steps) -> Any:
    """Steps 0 and 1: the shipped articles (`frame`) read on the executors, with the
    feed's site-template lines, kept on their disks."""
    from pyspark.sql import functions as f

    # 0. The site-template lines, from each partition's line places.
    step("template")
    places = job.collected(job.mapped(frame, _line_places, _PLACES))
    template = furniture.templates_of([_places_of(places)])
    del places
    # 1. Every article read, kept on the executors' disks.
    step("read")
    read_schema = _read_schema()
    out = _spark_schema(read_schema)
    target, additions = _arrow_schema(out), job.additions
    reader = _reader_of(template)

    def read_rows(batches: Iterator[Any]) -> Iterator[Any]:
        from .spark import _map_rows

        yield from _map_rows(batches, reader, read_schema, additions, target)

    # Cut from the plan that made it: the articles' table the driver shipped is let go.
    return job.checkpointed(
        frame.mapInArrow(read_rows, out).withColumn("source", f.col("cleaned.source"))
    )


def _kept_folder(checkpoint: str | Path, articles: list[Article]) -> str:
    """Where what reading gives `articles` is kept under `checkpoint`: keyed as the
    local checkpoint keys it (`checkpoint.read_key`, under the domain tables now
    configured). A local folder is made, and found writable, before any work."""
    if ingest.is_remote(str(checkpoint)):
        key = read_key(articles, domain.additions())
    else:
        key = Checkpoint.open(Path(checkpoint), articles).key
    return f"{str(checkpoint).rstrip('/')}/archive-read-{key}"


def _kept_read(job: _Job, folder: str, count: int, partitions: int) -> Any:
    """What an earlier run kept in `folder` of reading `count` articles, in
    `partitions` partitions as a fresh read has them, kept on the executors' disks;
    None where no write of it finished (no `_SUCCESS` marker), or what is there cannot
    be read whole (then it is read afresh and written anew)."""
    spark = job.session
    try:
        jvm: Any = spark.sparkContext._jvm
        marker = jvm.org.apache.hadoop.fs.Path(f"{folder}/_SUCCESS")
        system = marker.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        if not system.exists(marker):
            return None
        schema = _spark_schema(_read_schema()).add("source", "string")
        kept = job.kept(spark.read.schema(schema).parquet(folder).repartition(partitions))
    except Exception:  # py4j's and pyspark's own types: a file gone, another schema
        return None
    if _job_of(kept.count) != count:
        kept.unpersist()
        return None
    return kept


def _keep_read(read: Any, folder: str) -> None:
    """What was read written to `folder` as Spark writes Parquet (`_SUCCESS` last)."""
    try:
        read.write.mode("overwrite").parquet(folder)
    except Exception as error:  # pyspark's own types: no file system, no access
        raise ConsistencyError(
            f"{folder}: cannot keep a checkpoint there: {_last_line(error)}"
        ) from error


# The executors' work, step by step: each a function of the rows of a partition or of
# a batch, given what the driver broadcast.


def _line_places(rows: pl.DataFrame) -> pl.DataFrame:
    read = tables.reader(Article)
    places = furniture.line_places((row["index"], read(row)) for row in rows.iter_rows(named=True))
    return pl.concat(
        [
            places.lines.select(pl.lit("lines").alias("table"), "key", "index", value=None),
            places.outlets.select(
                pl.lit("outlets").alias("table"),
                pl.col("outlet").alias("key"),
                "index",
                value=None,
            ),
            places.prose.select(
                pl.lit("prose").alias("table"), key=None, index="index", value="sentence"
            ),
        ],
        how="vertical_relaxed",
    ).cast(dict(_PLACES))  # type: ignore[arg-type]


def _places_of(rows: pl.DataFrame) -> furniture.LinePlaces:
    def table(name: str) -> pl.DataFrame:
        return rows.filter(pl.col("table") == name)

    return furniture.LinePlaces(
        table("lines").select("key", "index"),
        table("outlets").select("index", pl.col("key").alias("outlet")),
        table("prose").select("index", pl.col("value").alias("sentence")),
    )


def _part_counter(settings: MatchSettings) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def count(rows: pl.DataFrame) -> pl.DataFrame:
        _, claims, extraction = _read_of(rows)
        counted = match.count_part(claims, settings, extract_stage.entities_by_source(extraction))
        stems = counted.stems
        told = (counted.sources, None if stems is None else stems.claims)
        tables = [
            pl.DataFrame(schema=_COUNTS),  # every column, in order, whichever tables there are
            counted.shingles.select(_signed("shingle"), "articles", "most", table=pl.lit("phrase")),
            counted.words.select(*_WORDS.names(), table=pl.lit("word")),
            pl.DataFrame({"table": ["part"], "blob": [_blob(told)]}),
        ]
        if stems is not None:
            tables += [
                stems.df.select("word", "df", table=pl.lit("stem")),
                stems.templates.select("word", table=pl.lit("template")),
                stems.usage.select(pl.col("stem").alias("word"), "usage", table=pl.lit("usage")),
            ]
        return pl.concat(tables, how="diagonal_relaxed").cast(dict(_COUNTS))  # type: ignore[arg-type]

    return count


def _feed_counts(job: _Job, counted: Any, settings: MatchSettings) -> match.FeedCounts:
    """The feed's counts (`match.merge_counts`, its subjects not yet found) from every
    partition's (`_part_counter`), summed by Spark as `merge_counts` sums them: a
    phrase's articles and most claims, a word's document frequency and its first place
    (the least kind, source and place in it), a stem's claims, the templates' stems and
    a stem's most common usage. What reaches the driver is each table summed, a block
    at a time, and merged as one part whose counts are the whole feed's."""
    from pyspark.sql import functions as f

    def rows(table: str) -> Any:
        return counted.filter(f.col("table") == table)

    def gathered(frame: Any, columns: pl.Schema) -> pl.DataFrame:
        return pl.concat(list(_streamed(frame, ["word"], columns, report.CLAIM_BLOCK)))

    shingles = (
        rows("phrase")
        .groupBy("shingle")
        .agg(f.sum("articles").alias("articles"), f.max("most").alias("most"))
    )
    linking = job.collected(job.mapped(shingles, _kept_shingles(settings), _KEPT))
    place = f.min(f.struct("kind", "source", "at")).alias("place")
    words = gathered(
        rows("word")
        .groupBy("word")
        .agg(f.sum("df").alias("df"), place)
        .select("word", "df", "place.kind", "place.source", "place.at"),
        _WORDS,
    ).cast({"df": pl.UInt32, "kind": pl.Int8})
    told = list(job.unblobbed(rows("part")))
    claims = [counted_claims for _, counted_claims in told if counted_claims is not None]
    stems = None
    if claims:
        stems = match.StemCounts(
            sum(claims),
            gathered(
                rows("stem").groupBy("word").agg(f.sum("df").alias("df")),
                pl.Schema({"word": pl.String(), "df": pl.Int64()}),
            ).cast({"df": pl.UInt32}),
            gathered(rows("template").select("word").distinct(), pl.Schema({"word": pl.String()})),
            gathered(
                rows("usage").groupBy("word").agg(f.max("usage").alias("usage")),
                pl.Schema({"word": pl.String(), "usage": pl.Float64()}),
            ).rename({"word": "stem"}),
        )
    whole = match.PartCounts(
        tuple(source for sources, _ in told for source in sources),
        words,
        pl.DataFrame(schema={"shingle": pl.UInt64, "articles": pl.UInt32, "most": pl.UInt32}),
        stems,
    )
    return match.merge_counts(
        [whole], settings, shingles=linking.select(_unsigned("shingle"), "common")
    )


_KEPT = pl.Schema({"shingle": pl.Int64(), "common": pl.Boolean()})


def _kept_shingles(settings: MatchSettings) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def kept(rows: pl.DataFrame) -> pl.DataFrame:
        return match.kept_shingles(rows.lazy(), settings)

    return kept


def _subject_finder(settings: MatchSettings, counts: Any) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def find(rows: pl.DataFrame) -> pl.DataFrame:
        _, claims, extraction = _read_of(rows)
        entities = extract_stage.entities_by_source(extraction)
        found = match.subjects_of(claims, counts.value, settings, entities)
        return pl.DataFrame({"blob": [_blob(found)]}, schema=_BLOBS)

    return find


def _key_finder(settings: MatchSettings, counts: Any) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def find(rows: pl.DataFrame) -> pl.DataFrame:
        cleaned, claims, extraction = _read_of(rows)
        entities = extract_stage.entities_by_source(extraction)
        keys, subject_tables = match.blocking_keys(
            claims, counts.value, settings, entities, _published(cleaned)
        )
        return pl.concat(
            [
                keys.shingles.select(_signed("shingle"), pl.col("group").alias("key"), "source"),
                keys.words.select("key", "source"),
                pl.DataFrame({"blob": [_blob(subject_tables)]}, schema=_BLOBS),
            ],
            how="diagonal_relaxed",
        ).cast(dict(_KEYS))  # type: ignore[arg-type]

    return find


def _paired(held: Any, on: list[str]) -> Any:
    """(a, b): the sources (a < b) sharing a key of `held` (on, source)."""
    from pyspark.sql import functions as f

    left = held.select(*on, f.col("source").alias("a"))
    right = held.select(*on, f.col("source").alias("b"))
    return left.join(right, on=on).filter(f.col("a") < f.col("b")).select("a", "b")


def _pair_judge(given: Any) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def judge(pairs: pl.DataFrame) -> pl.DataFrame:
        subject_tables, words, settings = given.value
        passed = []
        for at in range(0, len(pairs), match.PAIR_BATCH):
            batch = pairs.slice(at, match.PAIR_BATCH)
            mine = subject_tables.of(pl.concat([batch["a"], batch["b"]]).unique())
            ok = stories.judged(mine, words, settings, batch["a"].to_list(), batch["b"].to_list())
            passed.append(batch.filter(pl.Series(ok)))
        return pl.concat(passed) if passed else pairs.clear()

    return judge


def _batches(parts: list[tuple[str, ...]], articles: int) -> pl.DataFrame:
    """(source, batch): the parts, in order, packed into batches, each closed once it
    holds `articles` articles or more (a part is never split)."""
    rows: list[tuple[str, int]] = []
    batch, size = 0, 0
    for part in parts:
        if size >= articles:
            batch, size = batch + 1, 0
        rows += [(source, batch) for source in part]
        size += len(part)
    return pl.DataFrame(rows, schema={"source": pl.String, "batch": pl.Int64}, orient="row")


def _batch_matcher(
    settings: MatchSettings, counts: Any, batch_articles: int
) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def matched(rows: pl.DataFrame) -> pl.DataFrame:
        # A batch is a union of parts: matched as one, it gives what its parts give one
        # by one (tests/test_match.py), without a matching's set-up for each.
        cleaned, claims, extraction = _read_of(rows)
        entities = extract_stage.entities_by_source(extraction)
        matching = match.match_claims(claims, settings, entities, _published(cleaned), counts.value)
        # Compared a batch of whole stories at a time, not a part at a time: a part
        # can hold a large share of a feed (candidate pairs chaining stories), its
        # stories not.
        story_of = matching.story_of
        sources = rows["source"].to_list()
        sub_of_story = compare_stage.story_packing(
            Counter(story_of.get(s, "") for s in sources), batch_articles
        )
        sub_of = {s: sub_of_story[story_of.get(s, "")] for s in sources}
        subs = max(sub_of_story.values(), default=-1) + 1
        split = compare_stage.split_matching(
            matching, {c.claim_id: c.source for c in claims}, sub_of, subs
        )
        return pl.DataFrame(
            {
                "batch": [rows["batch"][0]] * (len(sources) + subs + 1),
                "table": ["story"] * len(sources) + ["matching"] * subs + ["notices"],
                "source": [*sources, *([None] * (subs + 1))],
                "story": [*(story_of.get(s) for s in sources), *([None] * (subs + 1))],
                "sub": [*sub_of.values(), *range(subs), None],
                "blob": [
                    *([None] * len(sources)),
                    *(_blob(part) for part in split),
                    _blob(matching.notices),
                ],
            },
            schema=_MATCHED,
        )

    return matched


def _extraction_of(blocks: Iterable[pl.DataFrame]) -> Extraction:
    """The mentions of every article, in feed order, from the read table's columns, a
    block of articles at a time, the blocks in feed order."""
    readers = {name: tables.reader(cls) for name, cls in _READ_PARTS.items()}
    made: dict[str, list[Any]] = {name: [] for name in _READ_PARTS}
    for rows in blocks:
        for row in rows.sort("index").iter_rows(named=True):
            for name in _READ_PARTS:
                made[name] += [readers[name](r) for r in row[name]]
    return Extraction(**{name: tuple(records) for name, records in made.items()})


def _batch_checker(
    batch_articles: int, given: Any, stage_tables: bool
) -> Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]:
    def checked(rows: pl.DataFrame, matched: pl.DataFrame) -> pl.DataFrame:
        names, shown, facts = given.value
        cleaned, claims, extraction = _read_of(rows)
        matching = _unblob(matched["blob"][0])
        index_of = dict(zip(rows["source"], rows["index"], strict=True))
        found: list[tuple[tuple[str, ...], compare_stage.Found]] = []
        seen: dict[str, Claim] = {}
        clusters: dict[str, str] = {}
        # The batch's parts as one (a union of parts is checked as they are).
        rooted = graph_stage.rooted_clusters(claims, matching)
        batch_graph = graph_stage.build_graph(claims, extraction, matching, names, rooted)
        agreed, _ = compare_stage.prepared(extraction, batch_graph, shown, facts)
        touched: set[str] = set()
        for stories_batch in compare_stage.story_batches(
            cleaned, claims, agreed, matching, batch_graph, batch_articles
        ):
            rows_found = compare_stage.batch_rows(stories_batch, facts)
            found.append((compare_stage.stories_of(stories_batch.matching), rows_found))
            touched |= {
                c for made in rows_found.values() for d in made for c in (d.claim_a, d.claim_b)
            }
        result = CheckResult((), cleaned, claims, extraction, matching, batch_graph, ())
        # What the problems read of this batch: the clusters its rows touch, whole.
        cluster_of = batch_graph.cluster_of
        for cluster in {cluster_of[c] for c in touched if c in cluster_of}:
            for claim in result.clusters[cluster]:
                # The problems read a cluster's claims by id and source, not their words.
                seen[claim.claim_id] = replace(claim, text="")
                clusters[claim.claim_id] = cluster
        batch = rows["batch"][0]
        told = (found, list(seen.values()), clusters, len(claims), _story_sizes(result, index_of))
        made = {
            "found": _blob(told),
            "claims": _ipc(_claim_rows(result, index_of)),
            "coverage": _ipc(report.coverage_rows(result)),
        }
        if stage_tables:
            made |= {
                f"{_STAGE}{name}": _ipc(frame)
                for name, frame in _stage_rows(result, index_of).items()
            }
        return pl.DataFrame(
            {"batch": [batch] * len(made), "table": list(made), "blob": list(made.values())},
            schema=_CHECKED,
        )

    return checked


_CLAIM_ROWS = pl.Schema({"index": pl.Int64, "at": pl.Int64} | dict(report.CLAIM_COLUMNS))
_COVERAGE_ROWS = pl.Schema(dict(report.COVERAGE_COLUMNS) | {"first": pl.String})


def _claim_rows(result: CheckResult, index_of: Mapping[str, int]) -> pl.DataFrame:
    """The claims table of a part, with where each claim is in the feed: its article's
    place and its own in the article."""
    frame = report.claims_frame(result)
    return frame.select(
        pl.col("source").replace_strict(index_of, return_dtype=pl.Int64).alias("index"),
        pl.int_range(pl.len()).over("source").cast(pl.Int64).alias("at"),
        pl.all(),
    )


_STAGE = "stage:"
"""The rows of `_CHECKED` that hold a batch's stage tables: "stage:" and the table's name."""

STAGE_ORDER: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "articles": ("index",),
        "claims": ("index", "at"),
        "judgments": ("index", "at"),
        "people": ("index", "at"),
        "quotes": ("index", "at"),
        "organisations": ("index", "at"),
        "matches": ("by_words", "claim_a", "claim_b"),
        "related": ("by_words", "claim_a", "claim_b"),
        "discrepancies": ("at",),
    }
)
"""The columns that put each stage table's rows in the local engine's order: an
article's place in the feed and a record's in its article; matched pairs as
`match.joined` orders them; the discrepancies as merged."""


_SORTING = {"index": pl.Int64(), "at": pl.Int64(), "by_words": pl.Boolean()}
"""The columns of `STAGE_ORDER` made for the sort (the rest are the tables' own)."""


def _stage_schemas() -> dict[str, pl.Schema]:
    """Each stage table's schema: its sort columns, then those `tables.result_tables`
    gives it (read off the tables of a check of nothing)."""
    nothing = CheckResult(
        (),
        (),
        (),
        Extraction(),
        Matching(MappingProxyType({}), ()),
        graph_stage.ClaimGraph(
            MappingProxyType({}), MappingProxyType({}), MappingProxyType({}), MappingProxyType({})
        ),
        (),
    )
    return {
        name: pl.Schema(
            {
                **{key: _SORTING[key] for key in STAGE_ORDER[name] if key in _SORTING},
                **dict(frame.schema),
            }
        )
        for name, frame in tables.result_tables(nothing).items()
    }


_STAGE_SCHEMAS = _stage_schemas()


def _stage_rows(result: CheckResult, index_of: Mapping[str, int]) -> dict[str, pl.DataFrame]:
    """A batch's stage tables (`tables.result_tables`, but discrepancies, which are the
    driver's), each with its place in the feed (`STAGE_ORDER`)."""
    made = tables.result_tables(result)
    del made["discrepancies"]
    index = pl.col("source").replace_strict(index_of, return_dtype=pl.Int64).alias("index")
    at = pl.int_range(pl.len()).over("source").cast(pl.Int64).alias("at")
    by_words = (pl.col("scorer") == WORDS_SCORER).alias("by_words")
    keys = {"index": index, "at": at, "by_words": by_words}
    return {
        name: frame.select(*(keys[key] for key in STAGE_ORDER[name] if key in keys), pl.all())
        for name, frame in made.items()
    }


def _stage_tables(
    job: _Job, checked: Any, discrepancies: tuple[Discrepancy, ...]
) -> dict[str, Any]:
    """Each stage table as a Spark DataFrame: the batches' rows, and the discrepancies
    from the driver."""
    made = {
        name: _exploded(job, checked, f"{_STAGE}{name}", schema)
        for name, schema in _STAGE_SCHEMAS.items()
        if name != "discrepancies"
    }
    found = tables.frame(discrepancies, Discrepancy).with_row_index("at").cast({"at": pl.Int64})
    schema = _STAGE_SCHEMAS["discrepancies"]
    made["discrepancies"] = job.table(found.select(list(schema)), schema)
    return made


def _story_sizes(
    result: CheckResult, index_of: Mapping[str, int]
) -> dict[str, tuple[int, int, str]]:
    """Story -> (articles, claims, the headline of its first article in the feed)."""
    story_of = result.matching.story_of
    sizes: dict[str, tuple[int, int, str]] = {}
    for article in sorted(result.cleaned, key=lambda a: index_of[a.source]):
        story = story_of.get(article.source, "")
        articles, claims, headline = sizes.get(story, (0, 0, article.headline))
        sizes[story] = (articles + 1, claims, headline)
    for claim in result.claims:
        story = story_of.get(claim.source, "")
        articles, claims, headline = sizes[story]
        sizes[story] = (articles, claims + 1, headline)
    return sizes


def _largest(sizes: Mapping[str, tuple[int, int, str]]) -> list[report.StorySize]:
    """`report.largest_stories` from each story's sizes."""
    if len(sizes) < 2:
        return []
    ranked = sorted(sizes, key=lambda story: (-sizes[story][0], -sizes[story][1], story))
    return [report.StorySize(story, *sizes[story]) for story in ranked[: report.LARGEST_STORIES]]


def _exploded(job: _Job, checked: Any, table: str, schema: pl.Schema) -> Any:
    """The rows of `checked`'s frames of `table`, as a Spark table of `schema`."""
    from pyspark.sql import functions as f

    def rows(given: pl.DataFrame) -> pl.DataFrame:
        return pl.concat([pl.read_ipc(io.BytesIO(b)) for b in given["blob"]]).cast(dict(schema))  # type: ignore[arg-type]

    return job.mapped(checked.filter(f.col("table") == table).select("blob"), rows, schema)


def _job_of(job: Callable[[], Any]) -> Any:
    """What `job` gives, a failed Spark job one line (`UsageError`)."""
    try:
        return job()
    except Exception as error:  # pyspark's own types, raised from the executors
        raise UsageError(f"--engine spark: the Spark job failed: {_last_line(error)}") from error


def _streamed(
    frame: Any, order: list[str], columns: Mapping[str, Any], block: int
) -> Iterator[pl.DataFrame]:
    """`frame` sorted by `order`, `columns` of it `block` rows at a time: Spark sorts it
    into ranges of about `block` rows, and each range comes to the driver whole, one
    at a time, as one Arrow table (not a Python object a row)."""
    names = list(columns)
    rows = _job_of(frame.count)
    if not rows:
        yield pl.DataFrame(schema=dict(columns))
        return
    ranges = max(1, -(-rows // min(block, report.CLAIM_BLOCK)))
    ranged = frame.repartitionByRange(ranges, *order).sortWithinPartitions(*order)

    def packed(given: pl.DataFrame) -> pl.DataFrame:
        return pl.DataFrame({"blob": [_ipc(given.select(names))]}, schema=_BLOBS)

    out = _spark_schema(_BLOBS)
    target = _arrow_schema(out)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        frames = [_polars(b) for b in batches]
        if frames and sum(len(f) for f in frames):
            yield from _arrow_batches(packed(pl.concat(frames)), target)

    whole: list[pl.DataFrame] = []
    try:
        for row in _partitions_of(ranged.mapInArrow(run, out)):
            made = pl.read_ipc(io.BytesIO(row["blob"])).cast(pl.Schema(dict(columns)))
            if block < rows:
                yield from (made.slice(at, block) for at in range(0, len(made), block))
            else:
                whole.append(made)
    except Exception as error:  # pyspark's own types, raised from the executors
        raise UsageError(f"--engine spark: the Spark job failed: {_last_line(error)}") from error
    if whole:
        yield pl.concat(whole)


def write_reports(
    result: ArchiveResult,
    out_dir: str | Path,
    formats: Iterable[str] = ("csv",),
    known: frozenset[str] = frozenset(),
) -> list[Path]:
    """The check's tables, as `report.write_reports` writes them (but report.html and
    graph.graphml, which hold the whole feed): the discrepancies and problems from the
    driver, the claims and coverage tables a block at a time from the cluster."""
    problem_of = problems.problem_of(result.problems)
    made: dict[str, Callable[[str], Iterable[pl.DataFrame]]] = {
        "discrepancies": lambda _: [
            report.discrepancies_frame(result.discrepancies, known, problem_of)
        ],
        "problems": lambda _: [report.problems_frame(result.problems)],
        "claims": lambda fmt: _streamed(
            result.claims_table,
            ["index", "at"],
            report.CLAIM_COLUMNS,
            report.CLAIM_BLOCK if fmt != "json" else 1 << 62,
        ),
        "coverage": lambda fmt: _streamed(
            result.coverage_table,
            ["story", "first"],
            report.COVERAGE_COLUMNS,
            report.CLAIM_BLOCK if fmt != "json" else 1 << 62,
        ),
    }
    targets = report.table_targets(made, formats)
    targets["skipped.csv"] = report.table_targets(
        {"skipped": lambda _: [report.skipped_frame(result.skipped)]}, ["csv"]
    )["skipped.csv"]
    return report.write_targets(Path(out_dir), targets)


def write_tables(result: ArchiveResult, where: str | Path) -> list[str]:
    """Each stage table of a check made with `stage_tables=True` as a folder of Parquet
    part files the executors write, `WHERE/<name>/part-*.parquet`, whose rows, read in
    the part files' order, are `tables.result_tables`' of the local engine's check
    (replacing one of an earlier run). `where` is a URI the cluster writes (hdfs://,
    s3a://), or a local path a local master's executors share with the driver."""
    if not result.stage_tables:
        raise UsageError("--tables: this check was not asked for its stage tables")
    written: list[str] = []
    for name, frame in result.stage_tables.items():
        target = f"{str(where).rstrip('/')}/{name}"
        order = list(STAGE_ORDER[name])
        try:
            made = frame.orderBy(*order).drop(*(key for key in order if key in _SORTING))
            made.write.mode("overwrite").parquet(target)
        except Exception as error:  # pyspark's own types: no file system, no access
            raise ConsistencyError(
                f"{target}: cannot sort or write the table: {_last_line(error)}"
            ) from error
        written.append(target)
    return written


__all__ = [
    "STAGE_ORDER",
    "ArchiveResult",
    "check",
    "check_archive",
    "write_reports",
    "write_tables",
]
