"""The Spark engine gives the local engine's reports, byte for byte.

Each feed is checked once by the local engine and then by the Spark engine with its
articles read in 1 and in 7 partitions (a partition holding none, one or many
articles, in another order than the feed's) and its detectors run on batches of
whole stories of 200 and of 3 articles; every file the check writes must be
byte-equal. Skipped where pyspark or Java is missing, unless
CONSISTENCY_REQUIRE_SPARK is set (CI sets it: there they must run).
"""

from __future__ import annotations

import filecmp
import importlib.util
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchfeeds import bench, shared_people_feed

from consistency import check, ingest, pipeline, tables, write_reports
from consistency.errors import UsageError
from consistency.results import CheckResult
from consistency.testing import syndicate

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.spark


def _spark_available() -> str:
    """Why the Spark engine cannot run here, or "" when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'consistency[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (pyspark 4 needs Java 17)"
    return ""


_MISSING = _spark_available()
if _MISSING and not os.environ.get("CONSISTENCY_REQUIRE_SPARK"):
    pytest.skip(_MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from consistency.spark import start_session

    session = start_session("local[2]")
    yield session
    session.stop()


def _shared_people_feed(folder: Path) -> Path:
    return shared_people_feed(folder)


def _bench_feed(folder: Path) -> Path:
    scale = bench()
    scale.write_corpus(scale.make_corpus(1000), folder)
    return folder


FEEDS = {
    "west-mercia": lambda tmp: ROOT / "fixtures" / "west-mercia",
    "formats": lambda tmp: ROOT / "fixtures" / "formats",
    "shared-people-200": _shared_people_feed,
    "bench-1000": _bench_feed,
}


def _write_everything(result: CheckResult, out: Path) -> None:
    """Every file a check can write: the reports in both table formats, the graph, and
    the stage tables (`--tables`)."""
    write_reports(result, out, graph=True, formats=("csv", "parquet"))
    tables.write_tables(tables.result_tables(result), out / "tables")


def _same_files(left: Path, right: Path) -> list[str]:
    """The files (not folders) that differ between two report folders, or are in one only."""
    names = sorted({p.name for p in (*left.iterdir(), *right.iterdir()) if not p.is_dir()})
    return [
        name
        for name in names
        if not ((left / name).exists() and (right / name).exists())
        or not filecmp.cmp(left / name, right / name, shallow=False)
    ]


@pytest.mark.parametrize(
    "feed",
    [
        "west-mercia",
        "formats",
        pytest.param("shared-people-200", marks=pytest.mark.slow),
        pytest.param("bench-1000", marks=pytest.mark.slow),
    ],
)
def test_spark_reports_are_the_local_ones(
    feed: str, spark: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from consistency.spark import SparkEngine

    tmp = tmp_path_factory.mktemp(feed)
    source = FEEDS[feed](tmp / "feed")
    local = tmp / "local"
    result = check([source])
    _write_everything(result, local)
    assert result.discrepancies, "a feed with nothing to report would prove little"
    for partitions, batch_articles in ((1, 200), (7, 3)):
        out = tmp / f"spark-{partitions}"
        engine = SparkEngine(session=spark, partitions=partitions, batch_articles=batch_articles)
        _write_everything(check([source], engine=engine), out)
        assert _same_files(local, out) == [], f"{partitions} partitions"
        assert _same_files(local / "tables", out / "tables") == [], f"{partitions} partitions"


def test_the_engine_reads_as_the_local_one_in_feed_order(spark: Any) -> None:
    """The read stage alone: every cleaned article, claim and extracted record equal and
    in feed order, the articles spread over more partitions than there are."""
    from consistency.spark import SparkEngine

    articles = ingest.read_articles([ROOT / "fixtures" / "west-mercia"])
    local = pipeline.read_articles(articles, workers=1)
    read = SparkEngine(session=spark, partitions=len(articles) + 3).read(
        articles, 1, lambda stage, done, total: None
    )
    assert read == local


def test_the_articles_go_to_the_executors_as_no_local_relation(
    spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine ships the articles through `spark.from_driver` (as it does a table
    it writes to a URI): none becomes a local relation, whose rows Spark would copy
    into the driver's heap (see tests/test_archive.py)."""
    from consistency import spark as spark_engine

    setting = "spark.sql.execution.arrow.localRelationThreshold"
    plans: list[str] = []
    made = spark.createDataFrame

    def recorded(*args: Any, **kwargs: Any) -> Any:
        frame = made(*args, **kwargs)
        plans.append(frame._jdf.queryExecution().logical().toString())
        return frame

    monkeypatch.setattr(spark, "createDataFrame", recorded)
    articles = ingest.read_articles([ROOT / "fixtures" / "west-mercia"])
    spark_engine.SparkEngine(session=spark, partitions=2).read(
        articles, 1, lambda stage, done, total: None
    )
    assert plans
    assert not [plan for plan in plans if "LocalRelation" in plan]
    assert spark.conf.get(setting, None) is None


def test_no_articles_need_no_executors(spark: Any) -> None:
    from consistency.spark import SparkEngine

    assert SparkEngine(session=spark).read((), 1, lambda stage, done, total: None) == (
        (),
        (),
        pipeline.gather(())[2],
    )


def test_an_unreachable_master_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A master that cannot be reached is a usage error naming it, not a Java trace.
    (A new session: the module's own is stopped and restarted after.)"""
    from consistency import spark as spark_engine

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Java gateway process exited before sending its port number")

    monkeypatch.setattr("pyspark.sql.SparkSession.Builder.getOrCreate", refuse)
    with pytest.raises(UsageError, match=r"cannot start Spark on spark://nowhere:7077"):
        spark_engine.start_session("spark://nowhere:7077")


def test_a_failed_job_is_named_by_the_python_error_behind_it() -> None:
    from consistency.spark import _last_line

    message = (
        "An exception was thrown from the Python worker:\n"
        "Traceback (most recent call last):\n"
        '  File "worker.py", line 4207, in invoke_udf\n'
        "    func, profiler, deserializer, serializer = read_udfs(\n"
        "ModuleNotFoundError: No module named 'pyarrow'\n"
        "\tat org.apache.spark.api.python.BasePythonRunner.handlePythonException\n"
    )
    assert _last_line(RuntimeError(message)) == "ModuleNotFoundError: No module named 'pyarrow'"
    assert _last_line(RuntimeError("")) == "RuntimeError"
    # No Python code failed: the Java exception at the root, not the stack's last frame.
    java = (
        "An error occurred while calling o1234.collectAsArrowToPython.\n"
        ": org.apache.spark.SparkException: Job aborted due to stage failure: Task 3 "
        "in stage 45.0 failed 1 times\n"
        "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages\n"
        "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
        "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
        "\tat org.apache.spark.executor.Executor$TaskRunner$$Lambda$3018.apply(Unknown Source)\n"
        "\t... 3 more\n"
    )
    assert _last_line(RuntimeError(java)) == "java.lang.OutOfMemoryError: Java heap space"
    stack = "Job failed\n\tat org.apache.spark.executor.Executor.run\n\t... 2 more\n"
    assert _last_line(RuntimeError(stack)) == "Job failed"


def test_settings_reach_the_executors(spark: Any, tmp_path: Path) -> None:
    """A settings file's additions (a title, a boilerplate line) are used by the
    executors' reading and detectors as by the local engine: same rows, and the rows
    that need them are there."""
    from test_config import FIRE_A, FIRE_B, SETTINGS

    from consistency import config
    from consistency.spark import SparkEngine

    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(FIRE_A)
    (feed / "b.txt").write_text(FIRE_B)
    (tmp_path / "consistency.toml").write_text(SETTINGS)
    settings = config.load(tmp_path / "consistency.toml")
    local = check([feed], config=settings)
    on_spark = check([feed], config=settings, engine=SparkEngine(session=spark, partitions=2))
    assert on_spark.discrepancies == local.discrepancies
    assert on_spark.claims == local.claims
    assert not any("Sponsored" in c.text for c in on_spark.claims)
    assert [
        (d.value_a, d.value_b) for d in on_spark.discrepancies if d.kind == "speaker_title"
    ] == [("Harbour Master", "Station Commander")]


def test_a_story_in_more_outlets_than_a_phrase_may_link_is_matched_alike(
    spark: Any, tmp_path: Path
) -> None:
    """The skew case on both engines: one story carried by one outlet more than
    `max_shingle_articles`. Spark's matches are the local engine's, and the other
    outlets keep every match they have without the extra one."""
    from test_match import _wide_story, _without

    from consistency import config
    from consistency.spark import SparkEngine

    cap = 6
    wide = _wide_story(cap)
    more = syndicate(wide[0], 42, copies=1, prefix="more-").articles[1:]
    scale = bench()
    scale.write_corpus(wide, tmp_path / "fewer")
    scale.write_corpus(wide + more, tmp_path / "more")
    (tmp_path / "consistency.toml").write_text(f"[thresholds]\nmax_shingle_articles = {cap}\n")
    settings = config.load(tmp_path / "consistency.toml")
    fewer = check([tmp_path / "fewer"], config=settings)
    local = check([tmp_path / "more"], config=settings)
    on_spark = check(
        [tmp_path / "more"], config=settings, engine=SparkEngine(session=spark, partitions=3)
    )
    assert on_spark.matching == local.matching
    assert on_spark.discrepancies == local.discrepancies
    assert _without("more-", on_spark.matching.matches) == set(fewer.matching.matches)


def test_a_spark_check_stopped_in_the_detectors_resumes_from_its_checkpoint(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a checkpoint the detectors' batches go in jobs of a few per core, each job's
    rows kept as it ends: a check stopped in a later job sends only the batches left."""
    from consistency import spark as spark_engine
    from consistency.spark import SparkEngine

    source = ROOT / "fixtures"
    local = tmp_path / "local"
    _write_everything(check([source]), local)
    monkeypatch.setattr(spark_engine, "LOGGED_JOB_TASKS", 1)  # 2 batches a job on local[2]
    engine = SparkEngine(session=spark, partitions=2, batch_articles=3)
    kept = tmp_path / "checkpoint"
    sent: list[int] = []
    real = SparkEngine._job

    def counted(self: SparkEngine, given: Any, *args: Any) -> Any:
        if "stories" in given.columns:  # a detectors' job, not the reading one
            sent.append(given.height)
            if len(sent) == 3:
                raise RuntimeError("stopped")
        return real(self, given, *args)

    monkeypatch.setattr(SparkEngine, "_job", counted)
    with pytest.raises(RuntimeError, match="stopped"):
        check([source], engine=engine, checkpoint=kept)
    batches = sum(sent[:2])
    sent.clear()
    out = tmp_path / "spark"
    _write_everything(check([source], engine=engine, checkpoint=kept), out)
    assert _same_files(local, out) == []
    assert sum(sent) + batches == len(list(kept.glob("batch-*.parquet")))
    sent.clear()
    check([source], engine=engine, checkpoint=kept)
    assert sent == []


def test_a_folder_only_the_cluster_reads_is_an_input(spark: Any, tmp_path: Path) -> None:
    """A URI (here file://, as hdfs:// or s3a:// would be) is listed and read by the
    executors, and its files read as local files are: the same rows."""
    from consistency.errors import InputError
    from consistency.spark import SparkEngine

    source = ROOT / "fixtures" / "formats"
    engine = SparkEngine(session=spark, partitions=2)
    local = check([source])
    remote = check([source.as_uri()], engine=engine)
    assert remote.discrepancies == local.discrepancies
    assert [c.text for c in remote.claims] == [c.text for c in local.claims]
    assert all(a.path.startswith("file:") for a in remote.articles)
    with pytest.raises(InputError, match=r"^file:///nowhere/feed: cannot read: .*"):
        check(["file:///nowhere/feed"], engine=engine)


def test_tables_go_to_a_uri_the_cluster_writes(spark: Any, tmp_path: Path) -> None:
    """`--tables URI`: each table a folder of Parquet part files the executors write,
    holding the rows (in order) and columns of the table the local engine writes."""
    import polars as pl

    from consistency.errors import ConsistencyError
    from consistency.spark import SparkEngine

    engine = SparkEngine(session=spark, partitions=2)
    result = check([ROOT / "fixtures" / "formats"], engine=engine)
    made = tables.result_tables(result)
    target = tmp_path / "tables"
    written = engine.write_tables(made, target.as_uri())
    assert written == [f"{target.as_uri()}/{name}" for name in made]
    for name, table in made.items():
        parts = sorted((target / name).glob("part-*.parquet"))
        assert parts, name
        back = pl.read_parquet(parts)
        assert back.schema == table.schema, name
        assert back.equals(table), name
    # Again: the folders are replaced, not added to.
    engine.write_tables(made, target.as_uri())
    assert pl.read_parquet(sorted((target / "claims").glob("part-*.parquet"))).equals(
        made["claims"]
    )
    with pytest.raises(ConsistencyError, match=r"^nosuchscheme://x/y/articles: cannot write: "):
        engine.write_tables(made, "nosuchscheme://x/y")


def test_components_in_dataframe_operations_are_the_graphs_own(spark: Any) -> None:
    """`spark.components` (large-star and small-star in DataFrame operations) gives the
    connected components networkx gives: on random graphs, on a node without an edge, on
    chains of 300 whose ids run up, run down away from the least, or are shuffled."""
    import random

    import networkx as nx

    from consistency.spark import components

    rng = random.Random(20)
    chain = [f"n{k:04d}" for k in range(300)]
    shuffled = rng.sample(chain, len(chain))
    # The least id at one end and the rest falling away from it: label propagation
    # moves a label one node a round there.
    falling = [chain[0], *reversed(chain[1:])]
    graphs = [
        (chain, list(itertools.pairwise(chain))),
        (chain, list(itertools.pairwise(falling))),
        (chain, list(itertools.pairwise(shuffled))),
        (chain[:1], []),
    ]
    for size, links in ((40, 25), (200, 180)):
        nodes = [f"n{k:04d}" for k in rng.sample(range(10_000), size)]
        graphs.append((nodes, [tuple(rng.sample(nodes, 2)) for _ in range(links)]))
    for nodes, edges in graphs:
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)
        expected = {frozenset(c): min(c) for c in nx.connected_components(graph)}
        labelled = components(
            spark.createDataFrame(edges or [("", "")], "a string, b string").filter("a != ''"),
            spark.createDataFrame([(n,) for n in nodes], "id string"),
        ).collect()
        found: dict[str, set[str]] = {}
        for row in labelled:
            found.setdefault(row["label"], set()).add(row["id"])
        assert {frozenset(ids): label for label, ids in found.items()} == expected
