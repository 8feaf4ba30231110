"""The Spark engine: reading a feed's articles on a Spark cluster (`--engine spark`).

Reading (clean, claims, extract) looks at one article alone and is most of a check's
work (README, "Against a floor"), so it is what this engine spreads out: the
articles go to the executors as a table, each Python worker reads its share with
the very function the local engine uses (`pipeline.read_one`) and hands back what
it read as tables of fixed schema (`consistency.tables`); the driver puts them back
in feed order and runs the stages after reading as the local engine does. The
report is the same, byte for byte, whichever engine read and however the articles
were partitioned (tests/test_engines.py).

What this engine does not do yet: stories are found, and claims matched and
compared, on the driver, so a feed must still fit one machine's memory after
reading (README, "Engines"). pyspark is an optional dependency
(`pip install 'consistency[spark]'`), imported only when this engine is used.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from . import domain, furniture, tables
from .errors import UsageError
from .models import (
    Article,
    Claim,
    CleanArticle,
    Extraction,
    Judgment,
    OrgMention,
    PersonMention,
    Quote,
)
from .pipeline import Progress, Read, _ReadArticle, gather, read_one

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DataType

INSTALL = "pip install 'consistency[spark]'"
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
    }
    return scalars[type(dtype)]


def spark_schema(schema: pl.Schema) -> Any:
    """A table schema of `consistency.tables` as a Spark StructType."""
    return _spark_type(pl.Struct(dict(schema)))


def _arrow_batches(frame: pl.DataFrame, target: pa.Schema) -> Iterator[pa.RecordBatch]:
    """A polars frame as Arrow batches of exactly `target`'s types: polars writes large
    strings and lists, which Spark's Arrow reader does not take for its own."""
    yield from frame.to_arrow().cast(target).to_batches()


def _read_batches(
    batches: Iterator[pa.RecordBatch],
    template: frozenset[str],
    additions: dict[str, dict[str, Any]],
    target: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """On an executor: read each article of each batch (`read_one`), under the same
    domain tables as the driver's."""
    write = {name: tables.writer(cls) for name, cls in _READ_PARTS.items()}
    write_cleaned, write_claim = tables.writer(CleanArticle), tables.writer(Claim)
    schema = _read_schema()
    with domain.configured(additions):
        for batch in batches:
            given = pl.from_arrow(batch)
            assert isinstance(given, pl.DataFrame)
            articles = tables.records(given, Article)
            rows = []
            for index, article in zip(given["index"].to_list(), articles, strict=True):
                part = read_one(article, template)
                row: dict[str, Any] = {
                    "index": index,
                    "cleaned": write_cleaned(part.cleaned),
                    "claims": [write_claim(c) for c in part.claims],
                }
                for name in _READ_PARTS:
                    row[name] = [write[name](r) for r in getattr(part.extraction, name)]
                rows.append(row)
            yield from _arrow_batches(pl.DataFrame(rows, schema=schema, orient="row"), target)


def _parts(read: pl.DataFrame) -> Iterator[_ReadArticle]:
    """The executors' rows back as what `pipeline.read_one` returned, in feed order."""
    read_cleaned, read_claim = tables.reader(CleanArticle), tables.reader(Claim)
    readers = {name: tables.reader(cls) for name, cls in _READ_PARTS.items()}
    for row in read.sort("index").iter_rows(named=True):
        extraction = Extraction(
            **{name: tuple(readers[name](r) for r in row[name]) for name in _READ_PARTS}
        )
        yield _ReadArticle(
            read_cleaned(row["cleaned"]), tuple(read_claim(c) for c in row["claims"]), extraction
        )


def _last_line(error: BaseException) -> str:
    """What a failed Spark job says went wrong: the last line of the Python worker's
    traceback it carries ("ModuleNotFoundError: No module named 'pyarrow'"), not the
    Java stack around it."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    python = [line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception)\b", line)]
    return (python or lines or [type(error).__name__])[-1]


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
    )
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
        raise UsageError(f"--engine spark: cannot start Spark on {master}: {error}") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass
class SparkEngine:
    """Reading on Spark. `session`: the Spark session to use (else one is started on
    `master` when first needed, and stopped by `close`); `partitions`: how many
    partitions the articles are read in (default: the session's parallelism)."""

    master: str = "local[*]"
    partitions: int | None = None
    session: SparkSession | None = None
    name: str = "spark"
    _started: bool = field(default=False, repr=False)

    def _session(self) -> SparkSession:
        if self.session is None:
            self.session = start_session(self.master)
            self._started = True
        return self.session

    def read(self, articles: tuple[Article, ...], workers: int, progress: Progress) -> Read:
        """Every article read on the cluster (`workers` is the local engine's and is not
        used: the session's executors are the workers)."""
        spark = self._session()
        progress("read", 0, len(articles))
        if not articles:
            return gather(())
        # The one feed-level step of reading, on the driver as in the local engine: the
        # site-template lines every worker drops.
        template = furniture.template_lines(articles)
        given = tables.frame(articles, Article).with_row_index("index").cast({"index": pl.Int64})
        partitions = self.partitions or spark.sparkContext.defaultParallelism
        frame = spark.createDataFrame(given.to_arrow()).repartition(partitions)
        out = spark_schema(_read_schema())
        from pyspark.sql.pandas.types import to_arrow_schema

        target = to_arrow_schema(out)
        additions = domain.additions()
        read = frame.mapInArrow(
            lambda batches: _read_batches(batches, template, additions, target), out
        )
        try:
            table = pl.from_arrow(read.toArrow())
        except Exception as error:  # pyspark's own types, raised from the executors
            failed = _last_line(error)
            raise UsageError(f"--engine spark: the Spark job failed: {failed}") from error
        assert isinstance(table, pl.DataFrame)
        progress("read", len(articles), len(articles))
        return gather(_parts(table))

    def close(self) -> None:
        """Stop the session if this engine started it."""
        if self._started and self.session is not None:
            with contextlib.suppress(Exception):
                self.session.stop()
            self.session = None
            self._started = False


__all__ = ["INSTALL", "SparkEngine", "spark_schema", "start_session"]
