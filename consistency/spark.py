"""The Spark engine: reading and the detectors on a Spark cluster (`--engine spark`).

The two stages that can be cut up run on the executors, each calling the very
function the local engine calls: reading (clean, claims, extract: each article
alone, `pipeline.read_one`) and the detectors (each batch of whole stories,
`compare.batch_rows`, given the feed's `FeedFacts`). What crosses between the driver
and the Python workers is tables of fixed schema (`consistency.tables`), not pickled
objects; the driver puts the results back in feed order (reading) or merges them in
the detectors' order (compare) and runs the stages between (match, graph) and the
reports as the local engine does. The report is the same, byte for byte, whichever
engine ran and however the work was partitioned (tests/test_engines.py).

In this flow stories are found, claims matched and clustered on the driver, which
also holds the feed while the executors work, so a feed must fit one machine's
memory; `consistency.archive` (`--archive`) runs every stage a part of the feed at a
time instead (README, "Engines"). pyspark is an optional dependency
(`pip install 'consistency[spark]'`), imported only when this engine is used.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import polars as pl

from . import compare as compare_stage
from . import domain, furniture, ingest, tables
from .detectors.base import FeedFacts
from .errors import ConsistencyError, InputError, UsageError
from .graph import ClaimGraph
from .models import (
    Article,
    Claim,
    ClaimMatch,
    CleanArticle,
    Discrepancy,
    Extraction,
    Judgment,
    Matching,
    OrgMention,
    PersonMention,
    Quote,
)
from .pipeline import LocalEngine, Progress, Read, ReadArticle, gather, read_one

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DataType

INSTALL = "pip install 'consistency[spark]'"
LOGGED_JOB_TASKS = 8
"""Batches of stories per core in each detectors' job when their rows are kept as
they are done (`--checkpoint`): more per job keeps the cores busier, fewer lose less
when a check stops."""
DRIVER_MEMORY = "6g"
"""The driver JVM's heap unless SPARK_DRIVER_MEMORY says otherwise."""
_LOG_SETTINGS = Path(__file__).parent / "data" / "spark-log4j2.properties"

_READ_PARTS: dict[str, type] = {
    "judgments": Judgment,
    "people": PersonMention,
    "quotes": Quote,
    "orgs": OrgMention,
}
"""An article's extraction, one list column per kind of record."""


def _read_schema() -> pl.Schema:
    """One row per article read: its place in the feed, the cleaned article, its claims
    and what was extracted from them."""
    columns: dict[str, pl.DataType] = {
        "index": pl.Int64(),
        "cleaned": pl.Struct(tables.schema(CleanArticle)),
        "claims": pl.List(pl.Struct(tables.schema(Claim))),
    }
    for name, cls in _READ_PARTS.items():
        columns[name] = pl.List(pl.Struct(tables.schema(cls)))
    return pl.Schema(columns)


def _spark_type(dtype: pl.DataType) -> DataType:
    """The Spark SQL type of a column of the tables' schemas."""
    from pyspark.sql import types as t

    if isinstance(dtype, pl.List):
        return t.ArrayType(_spark_type(typing.cast(pl.DataType, dtype.inner)), containsNull=True)
    if isinstance(dtype, pl.Struct):
        return t.StructType(
            [
                t.StructField(f.name, _spark_type(typing.cast(pl.DataType, f.dtype)), nullable=True)
                for f in dtype.fields
            ]
        )
    scalars: dict[type[pl.DataType], DataType] = {
        pl.String: t.StringType(),
        pl.Int64: t.LongType(),
        pl.Float64: t.DoubleType(),
        pl.Boolean: t.BooleanType(),
        pl.Binary: t.BinaryType(),
    }
    return scalars[type(dtype)]


def _to_arrow_schema(schema: Any) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema)


def spark_schema(schema: pl.Schema) -> Any:
    """A table schema of `consistency.tables` as a Spark StructType."""
    return _spark_type(pl.Struct(dict(schema)))


_LOCAL_RELATION = "spark.sql.execution.arrow.localRelationThreshold"
"""The bytes under which Spark makes a table given from the driver a local relation."""


def from_driver(session: SparkSession, frame: pl.DataFrame, schema: pl.Schema | None = None) -> Any:
    """`frame` as a Spark table (of `schema`, if given), sent as Arrow batches the
    executors read, never as a local relation: Spark copies a local relation's rows
    into its plan and its scan, and the driver's JVM held three copies of the shipped
    articles as rows while they were read (2.0 GB at 150,000 articles); at 20,000
    articles two were still held as the reports were written, long after what was read
    had been cut from the plan that made it. The session's own setting is put back."""
    conf = session.conf
    before = conf.get(_LOCAL_RELATION, None)
    conf.set(_LOCAL_RELATION, "0")
    try:
        if schema is None:
            return session.createDataFrame(frame.to_arrow())
        return session.createDataFrame(frame.to_arrow(), spark_schema(schema))
    finally:
        if before is None:
            conf.unset(_LOCAL_RELATION)
        else:
            conf.set(_LOCAL_RELATION, before)


def _arrow_batches(frame: pl.DataFrame, target: pa.Schema) -> Iterator[pa.RecordBatch]:
    """A polars frame as Arrow batches of exactly `target`'s types: polars writes large
    strings and lists, which Spark's Arrow reader does not take for its own."""
    yield from frame.to_arrow().cast(target).to_batches()


def _map_rows(
    batches: Iterator[pa.RecordBatch],
    work: Callable[[dict[str, Any]], list[dict[str, Any]]],
    schema: pl.Schema,
    additions: dict[str, dict[str, Any]],
    target: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """On an executor: `work` on each row of each batch, under the same domain tables as
    the driver's; the rows it gives (of `schema`) as Arrow batches of `target`."""
    with domain.configured(additions):
        for batch in batches:
            given = pl.from_arrow(batch)
            assert isinstance(given, pl.DataFrame)
            out = [made for row in given.iter_rows(named=True) for made in work(row)]
            yield from _arrow_batches(pl.DataFrame(out, schema=schema, orient="row"), target)


def _reader_of(template: frozenset[str]) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """What an executor does with an article's row: read it (`read_one`)."""

    def read(row: dict[str, Any]) -> list[dict[str, Any]]:
        part = read_one(tables.reader(Article)(row), template)
        made: dict[str, Any] = {
            "index": row["index"],
            "cleaned": tables.writer(CleanArticle)(part.cleaned),
            "claims": [tables.writer(Claim)(c) for c in part.claims],
        }
        for name, cls in _READ_PARTS.items():
            write = tables.writer(cls)
            made[name] = [write(r) for r in getattr(part.extraction, name)]
        return [made]

    return read


_BATCH_PARTS: dict[str, type] = {
    "articles": CleanArticle,
    "claims": Claim,
    **_READ_PARTS,
    "matches": ClaimMatch,
    "related": ClaimMatch,
}
"""A batch of whole stories (`compare.StoryBatch`), one list column per kind of record,
beside its stories and claim clusters as (key, value) pairs."""


def _batch_schema() -> pl.Schema:
    columns: dict[str, pl.DataType] = {"index": pl.Int64()}
    for name, cls in _BATCH_PARTS.items():
        columns[name] = pl.List(pl.Struct(tables.schema(cls)))
    columns["stories"] = tables.PAIRS
    columns["clusters"] = tables.PAIRS
    return pl.Schema(columns)


def _found_schema() -> pl.Schema:
    """One row per batch and detector: the detector's rows on the batch."""
    return pl.Schema(
        {
            "index": pl.Int64(),
            "detector": pl.String(),
            "rows": pl.List(pl.Struct(tables.schema(Discrepancy))),
        }
    )


def _batch_row(index: int, batch: compare_stage.StoryBatch) -> dict[str, Any]:
    row: dict[str, Any] = {"index": index}
    records = {
        "articles": batch.articles,
        "claims": batch.claims,
        "judgments": batch.extraction.judgments,
        "people": batch.extraction.people,
        "quotes": batch.extraction.quotes,
        "orgs": batch.extraction.orgs,
        "matches": batch.matching.matches,
        "related": batch.matching.related,
    }
    for name, cls in _BATCH_PARTS.items():
        write = tables.writer(cls)
        row[name] = [write(r) for r in records[name]]
    row["stories"] = tables.pairs(batch.matching.story_of)
    row["clusters"] = tables.pairs(batch.graph.cluster_of)
    return row


@dataclass(frozen=True)
class _Names:
    """The graph's feed-wide lookups every batch's graph holds whole."""

    person_key: dict[str, str]
    person_name: dict[str, str]
    org_name: dict[str, str]


def _batch_of(row: dict[str, Any], names: _Names) -> compare_stage.StoryBatch:
    """A row of `_batch_schema` back as the batch it was made from."""
    parts = {
        name: tuple(tables.reader(cls)(r) for r in row[name]) for name, cls in _BATCH_PARTS.items()
    }
    extraction = Extraction(parts["judgments"], parts["people"], parts["quotes"], parts["orgs"])
    matching = Matching(tables.mapping(row["stories"]), parts["matches"], parts["related"])
    graph = ClaimGraph(
        tables.mapping(row["clusters"]),
        MappingProxyType(names.person_key),
        MappingProxyType(names.person_name),
        MappingProxyType(names.org_name),
        parts["claims"],
        extraction,
        matching,
    )
    return compare_stage.StoryBatch(parts["articles"], parts["claims"], extraction, matching, graph)


def _detector_of(
    names: _Names, facts: FeedFacts
) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """What an executor does with a batch of stories' row: every detector on it
    (`compare.batch_rows`), a row per detector."""

    def detect(row: dict[str, Any]) -> list[dict[str, Any]]:
        write = tables.writer(Discrepancy)
        found = compare_stage.batch_rows(_batch_of(row, names), facts)
        return [
            {"index": row["index"], "detector": name, "rows": [write(d) for d in rows]}
            for name, rows in found.items()
        ]

    return detect


def _parts(read: pl.DataFrame) -> Iterator[ReadArticle]:
    """The executors' rows back as what `pipeline.read_one` returned, in feed order."""
    read_cleaned, read_claim = tables.reader(CleanArticle), tables.reader(Claim)
    readers = {name: tables.reader(cls) for name, cls in _READ_PARTS.items()}
    for row in read.sort("index").iter_rows(named=True):
        extraction = Extraction(
            **{name: tuple(readers[name](r) for r in row[name]) for name in _READ_PARTS}
        )
        yield ReadArticle(
            read_cleaned(row["cleaned"]), tuple(read_claim(c) for c in row["claims"]), extraction
        )


_JAVA_ERROR = re.compile(r"^(?:Caused by:|:)\s*([\w.$]+(?:Error|Exception)\b.*)")
"""A Java exception's line in a failed job's message (": org...SparkException: ...",
"Caused by: java.lang.OutOfMemoryError: Java heap space")."""


def _last_line(error: BaseException) -> str:
    """What a failed Spark job says went wrong: the last line of the Python worker's
    traceback it carries ("ModuleNotFoundError: No module named 'pyarrow'"), or, where
    no Python code failed, the Java exception at the root of it (the last "Caused by",
    an executor's lost memory or a worker that crashed), never a line of a Java stack."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    python = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception)\b", line)]
    java = [found[1] for line in lines if (found := _JAVA_ERROR.match(line))]
    plain = [line for line in lines if not re.match(r"^(at |\.\.\. \d+ more)", line)]
    return (python or java or plain or lines or [type(error).__name__])[-1]


def start_session(master: str = "local[*]", partitions: int | None = None) -> SparkSession:
    """A Spark session for a check: on `master`, with `partitions` shuffle partitions
    (Spark's default when None). On a local master the Python workers run this
    interpreter, the one `consistency` is installed in."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise UsageError(f"--engine spark needs pyspark ({INSTALL}): {error}") from error
    builder = (
        SparkSession.builder.master(master)
        .appName("consistency")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_SETTINGS}")
        # Arrow batches of a few hundred articles: a batch is read whole on a worker.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        # What was read and the detectors' rows come back to the driver by design (the
        # stages between run there): Spark's default cap of 1 GB on a job's results
        # would fail a feed of some tens of thousands of articles.
        .config("spark.driver.maxResultSize", "0")
    )
    if "SPARK_DRIVER_MEMORY" not in os.environ:
        # The driver's JVM passes the articles out and what was read back, as Arrow
        # batches: its 1 GB default ran out of heap on a 10,000-article feed.
        builder = builder.config("spark.driver.memory", DRIVER_MEMORY)
    if partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    if master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        # pyspark starts its local Python workers as `python3` from PATH unless told:
        # outside an activated virtual environment that is another interpreter, without
        # consistency or pyarrow.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Java missing or the master unreachable: py4j's own types
        why = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UsageError(f"--engine spark: cannot start Spark on {master}: {why}") from error
    # As the log settings given the JVM say (only what stops the job), for a session
    # that was already running with others.
    session.sparkContext.setLogLevel("FATAL")
    return session


def _running_session() -> SparkSession | None:
    """The Spark session active in this process, if pyspark is installed and one is."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


COMPONENT_ROUNDS = 64
"""Rounds of large-star and small-star `components` runs before it gives up: they take
about log^2 n rounds for a part of n articles (13 for a 3,000-article chain, whatever
the order of its ids)."""


def _directed(edges: Any) -> Any:
    """(u, v) both ways round for each undirected edge (a, b)."""
    from pyspark.sql import functions as f

    return edges.select(f.col("a").alias("u"), f.col("b").alias("v")).union(
        edges.select(f.col("b").alias("u"), f.col("a").alias("v"))
    )


def _large_star(edges: Any) -> Any:
    """Each node's larger neighbours tied to the least of it and its neighbours."""
    from pyspark.sql import functions as f

    both = _directed(edges)
    least = both.groupBy("u").agg(f.min("v").alias("m"))
    return (
        both.join(least, on="u")
        .filter(f.col("v") > f.col("u"))
        .select(f.least("m", "u").alias("a"), f.col("v").alias("b"))
        .distinct()
    )


def _small_star(edges: Any) -> Any:
    """Each node and its smaller neighbours tied to the least of those neighbours."""
    from pyspark.sql import functions as f

    lower = _directed(edges).filter(f.col("v") < f.col("u"))
    least = lower.groupBy("u").agg(f.min("v").alias("m"))
    tied = lower.join(least, on="u").select(f.col("m").alias("a"), f.col("v").alias("b"))
    return (
        tied.union(least.select(f.col("m").alias("a"), f.col("u").alias("b")))
        .filter(f.col("a") != f.col("b"))
        .distinct()
    )


def components(edges: Any, nodes: Any) -> Any:
    """The connected components of a graph held as DataFrames, in DataFrame operations
    alone (graphframes ships no jar on the package index): `nodes` (id) and `edges`
    (a, b), ids of one comparable type; gives (id, label), each node labelled with the
    least id of its component.

    Alternating large-star and small-star (Kiveris et al., "Connected components in
    MapReduce and beyond"): each round rewires every component towards a star around
    its least node, the edges staying as many as before or fewer, and stops when a
    round changes none; each round's edges are checkpointed (cut from the plan that
    made them), so a long run does not carry an ever longer plan. Label propagation
    alone needs as many rounds as a component is long."""
    from pyspark.sql import functions as f

    current = (
        edges.select(f.least("a", "b").alias("a"), f.greatest("a", "b").alias("b"))
        .filter(f.col("a") != f.col("b"))
        .distinct()
        .localCheckpoint()
    )
    for _ in range(COMPONENT_ROUNDS):
        rewired = _small_star(_large_star(current)).localCheckpoint()
        changed = rewired.exceptAll(current).limit(1).count() or (
            current.exceptAll(rewired).limit(1).count()
        )
        current = rewired
        if not changed:
            centre = current.groupBy(f.col("b").alias("id")).agg(f.min("a").alias("centre"))
            return (
                nodes.select("id")
                .join(centre, on="id", how="left")
                .select("id", f.coalesce("centre", "id").alias("label"))
            )
    raise ConsistencyError(f"components: edges still changing after {COMPONENT_ROUNDS} rounds")


@dataclass
class SparkEngine:
    """Reading and the detectors on Spark. `session`: the Spark session to use (else one
    is started on `master` when first needed, and stopped by `close`); `partitions`:
    how many partitions the articles are read in (default: the session's parallelism);
    `batch_articles`: the size of the batches of whole stories the detectors get."""

    master: str = "local[*]"
    partitions: int | None = None
    session: SparkSession | None = None
    batch_articles: int = 200
    """Articles per batch of whole stories the detectors are given (one task each)."""
    name: str = "spark"
    _started: bool = field(default=False, repr=False)

    def _session(self) -> SparkSession:
        if self.session is None:
            # A session already running here (the caller's) is used, never stopped.
            self._started = _running_session() is None
            self.session = start_session(self.master)
        return self.session

    def files(self, uri: str) -> list[tuple[str, int, bytes | None]]:
        """Every file at or under `uri` (any file system the cluster reads: hdfs://,
        s3a://, file://), read by the executors and brought to the driver, which reads
        them as `ingest` reads local files: (the file's URI, its size, its bytes, or
        None for a file over `ingest.MAX_FEED_BYTES`, left on the cluster). Spark's
        file listing leaves out names starting with "_" or "."."""
        from pyspark.sql import functions as f

        try:
            frame = (
                self._session()
                .read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(uri)
            )
            small = f.col("length") <= ingest.MAX_FEED_BYTES
            rows = frame.select("path", "length", f.when(small, f.col("content"))).collect()
        except Exception as error:  # pyspark's own types: no such path, no file system
            raise InputError(uri, f"cannot read: {_last_line(error)}") from error
        return [
            (str(path), int(size), None if raw is None else bytes(raw)) for path, size, raw in rows
        ]

    def write_tables(self, made: Mapping[str, pl.DataFrame], where: str | Path) -> list[str]:
        """Each table as Parquet under `where`: a local folder as the local engine writes
        it (`tables.write_tables`, one file a table), or a URI the cluster writes
        (hdfs://, s3a://), where the executors write each table as a folder of Parquet
        part files, `WHERE/<name>/part-*.parquet`, in the table's row order, replacing
        one of an earlier run."""
        if not ingest.is_remote(str(where)):
            return LocalEngine().write_tables(made, where)
        written = []
        for name, table in made.items():
            target = f"{str(where).rstrip('/')}/{name}"
            try:
                frame = from_driver(self._session(), table)
                frame.write.mode("overwrite").parquet(target)
            except Exception as error:  # pyspark's own types: no file system, no access
                raise ConsistencyError(f"{target}: cannot write: {_last_line(error)}") from error
            written.append(target)
        return written

    def read(self, articles: tuple[Article, ...], workers: int, progress: Progress) -> Read:
        """Every article read on the cluster (`workers` is the local engine's and is not
        used: the session's executors are the workers)."""
        progress("read", 0, len(articles))
        if not articles:
            return gather(())
        # The one feed-level step of reading, on the driver as in the local engine: the
        # site-template lines every worker drops.
        template = furniture.template_lines(articles)
        given = tables.frame(articles, Article).with_row_index("index").cast({"index": pl.Int64})
        partitions = self.partitions or self._cores()
        table = self._job(given, partitions, _read_schema(), _reader_of(template))
        progress("read", len(articles), len(articles))
        return gather(_parts(table))

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
        """Every detector on the cluster, a batch of whole stories per task (about
        `batch_articles` articles each), given the feed's facts; the rows merged and
        sorted as the local engine's are (`compare.merged`). With `log`, batches it
        holds are not sent, and the rest go in jobs of `LOGGED_JOB_TASKS` tasks per
        core, each job's batches kept in it as the job ends: a check stopped part way
        loses one job's work at most."""
        extraction, facts = compare_stage.prepared(extraction, graph)
        batches = compare_stage.story_batches(
            articles, claims, extraction, matching, graph, self.batch_articles
        )
        if not batches:
            return ()
        stories = [compare_stage.stories_of(batch.matching) for batch in batches]
        found: list[compare_stage.Found | None] = [
            log.done(known) if log is not None else None for known in stories
        ]
        todo = [b for b, kept in enumerate(found) if kept is None]
        names = _Names(dict(graph.person_key), dict(graph.person_name), dict(graph.org_name))
        step = LOGGED_JOB_TASKS * self._cores() if log is not None and todo else len(todo)
        read = tables.reader(Discrepancy)
        for at in range(0, len(todo), max(step, 1)):
            job = todo[at : at + step]
            given = pl.DataFrame(
                [_batch_row(b, batches[b]) for b in job], schema=_batch_schema(), orient="row"
            )
            partitions = min(len(job), 4 * self._cores())
            table = self._job(given, partitions, _found_schema(), _detector_of(names, facts))
            made: dict[int, compare_stage.Found] = {b: {} for b in job}
            for row in table.iter_rows(named=True):
                made[row["index"]][row["detector"]] = [read(d) for d in row["rows"]]
            for b, rows in made.items():
                found[b] = rows
                if log is not None:
                    log.keep(stories[b], rows)
        return compare_stage.merged(rows for rows in found if rows is not None)

    def _cores(self) -> int:
        return int(self._session().sparkContext.defaultParallelism)

    def _job(
        self,
        given: pl.DataFrame,
        partitions: int,
        schema: pl.Schema,
        work: Callable[[dict[str, Any]], list[dict[str, Any]]],
    ) -> pl.DataFrame:
        """`given` sent to the executors in `partitions` partitions, `work` done on each
        of its rows there (`_map_rows`), and the rows it gave (of `schema`) back on the
        driver; a failed job is one line naming why."""
        out = spark_schema(schema)
        target, additions = _to_arrow_schema(out), domain.additions()
        frame = from_driver(self._session(), given).repartition(partitions)
        done = frame.mapInArrow(
            lambda batches: _map_rows(batches, work, schema, additions, target), out
        )
        try:
            table = pl.from_arrow(done.toArrow())
        except Exception as error:  # pyspark's own types, raised from the executors
            failed = _last_line(error)
            raise UsageError(f"--engine spark: the Spark job failed: {failed}") from error
        assert isinstance(table, pl.DataFrame)
        return table

    def close(self) -> None:
        """Stop the session if this engine started it."""
        if self._started and self.session is not None:
            with contextlib.suppress(Exception):
                self.session.stop()
            self.session = None
            self._started = False


__all__ = [
    "INSTALL",
    "SparkEngine",
    "components",
    "from_driver",
    "spark_schema",
    "start_session",
]
