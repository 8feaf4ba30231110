"""A check in parts on Spark (`consistency.archive`) writes the local engine's tables.

Each feed is checked by the local engine and then on Spark a part at a time, with 1
and with 7 partitions (the articles' and the joins'), the detectors on batches of
whole stories of 200 and of 3 articles. Every table the archive check writes must be
byte-equal to the local check's (the claims and coverage tables come to the writer a
block at a time, in order), and the figures the summary prints must be the same.
Skipped where pyspark or Java is missing, unless CONSISTENCY_REQUIRE_SPARK is set.
"""

from __future__ import annotations

import filecmp
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_engines import _MISSING, FEEDS
from test_parts import _site_template, _surname_elsewhere

from consistency import check_articles, ingest, report, write_reports
from consistency.config import Config
from consistency.errors import ConsistencyError, UsageError
from consistency.models import Article

pytestmark = pytest.mark.spark

if _MISSING:  # test_engines skips the module, or fails it under CONSISTENCY_REQUIRE_SPARK
    pytest.skip(_MISSING, allow_module_level=True)

FORMATS = ("csv", "jsonl", "parquet")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from consistency.spark import start_session

    session = start_session("local[2]")
    yield session
    session.stop()


def _differing(left: Path, right: Path) -> list[str]:
    names = sorted({p.name for d in (left, right) for p in d.iterdir()})
    return [
        name
        for name in names
        if not ((left / name).exists() and (right / name).exists())
        or not filecmp.cmp(left / name, right / name, shallow=False)
    ]


def _articles(feed: str, tmp: Path) -> tuple[Any, ...]:
    if feed == "site-template":
        return _site_template(tmp)
    if feed == "surname-elsewhere":
        return _surname_elsewhere(tmp)
    if feed == "claimless":
        # Articles with no claim are in no story, but reading's rows on them stand.
        return (
            *_surname_elsewhere(tmp),
            Article("foot", "foot.txt", "Â© 2024 Newsquest\n"),
            Article("bare", "bare.txt", "\n"),
        )
    return ingest.read_articles([FEEDS[feed](tmp / "feed")])


def _same_as_local(
    articles: tuple[Any, ...], spark: Any, tmp: Path, config: Config | None = None
) -> None:
    from consistency import archive
    from consistency.spark import SparkEngine

    whole = check_articles(articles, workers=1, config=config)
    assert whole.discrepancies, "a feed with nothing to report would prove little"
    write_reports(whole, tmp / "local", formats=FORMATS, html=False)
    for partitions, batch_articles in ((1, 200), (7, 3)):
        engine = SparkEngine(session=spark, partitions=partitions, batch_articles=batch_articles)
        parted = archive.check_archive(articles, engine, config=config)
        out = tmp / f"archive-{partitions}"
        archive.write_reports(parted, out, formats=FORMATS)
        assert _differing(tmp / "local", out) == [], f"{partitions} partitions"
        assert parted.discrepancies == whole.discrepancies
        assert parted.problems == whole.problems
        assert parted.notices == whole.notices
        assert dict(parted.story_of) == dict(whole.matching.story_of)
        assert (parted.articles, parted.claims) == (len(whole.articles), len(whole.claims))
        assert parted.largest == report.largest_stories(whole)


@pytest.mark.parametrize(
    "feed",
    [
        "west-mercia",
        "formats",
        "site-template",
        "surname-elsewhere",
        "claimless",
        pytest.param("shared-people-200", marks=pytest.mark.slow),
        pytest.param("bench-1000", marks=pytest.mark.slow),
    ],
)
def test_an_archive_check_writes_the_local_checks_tables(
    feed: str, spark: Any, tmp_path: Path
) -> None:
    _same_as_local(tuple(_articles(feed, tmp_path)), spark, tmp_path)


@pytest.mark.parametrize("feed", ["site-template", "claimless"])
def test_an_archive_check_writes_every_stages_records(
    feed: str, spark: Any, tmp_path: Path
) -> None:
    """With `stage_tables`, each of the local `--tables` tables comes as a folder of
    part files the executors write, whose rows in the files' order are the local
    engine's, column for column."""
    import polars as pl

    from consistency import archive, tables
    from consistency.spark import SparkEngine

    articles = tuple(_articles(feed, tmp_path))
    whole = tables.result_tables(check_articles(articles, workers=1))
    engine = SparkEngine(session=spark, partitions=7, batch_articles=3)
    parted = archive.check_archive(articles, engine, stage_tables=True)
    out = tmp_path / "tables"
    assert archive.write_tables(parted, out) == [str(out / name) for name in tables.TABLES]
    assert all(len(whole[name]) for name in ("articles", "claims", "matches", "discrepancies"))
    for name, local in whole.items():
        parts = sorted((out / name).glob("part-*.parquet"))
        assert parts, name  # an empty table too is a part file, with the schema
        read = pl.concat([pl.read_parquet(p) for p in parts])
        assert read.schema == local.schema, name
        assert read.equals(local), name
    with pytest.raises(UsageError, match="not asked for its stage tables"):
        archive.write_tables(replace(parted, stage_tables={}), out)
    parted.release()


def test_an_archive_check_starts_from_what_reading_kept(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a checkpoint folder, what reading gave is kept there, and a check of the same
    articles reads nothing again and writes the same tables; other articles, or a
    write that never finished, are read afresh."""
    from consistency import archive
    from consistency.spark import SparkEngine

    articles = tuple(_articles("claimless", tmp_path))
    kept = tmp_path / "kept"
    first = archive.check_archive(
        articles, SparkEngine(session=spark, partitions=2), checkpoint=kept
    )
    archive.write_reports(first, tmp_path / "first", formats=FORMATS)
    first.release()
    (folder,) = kept.iterdir()
    assert folder.name.startswith("archive-read-") and (folder / "_SUCCESS").exists()

    def read_again(template: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(archive, "_reader_of", read_again)
    engine = SparkEngine(session=spark, partitions=7, batch_articles=3)
    resumed = archive.check_archive(articles, engine, checkpoint=kept)
    archive.write_reports(resumed, tmp_path / "resumed", formats=FORMATS)
    resumed.release()
    assert _differing(tmp_path / "first", tmp_path / "resumed") == []
    changed = (replace(articles[0], body=articles[0].body + "\nOne more line.\n"), *articles[1:])
    with pytest.raises(AssertionError, match="read again"):
        archive.check_archive(changed, engine, checkpoint=kept)
    # A part file gone: what is kept is not read whole, so it is read afresh.
    max(folder.glob("part-*"), key=lambda part: part.stat().st_size).unlink()
    with pytest.raises(AssertionError, match="read again"):
        archive.check_archive(articles, engine, checkpoint=kept)
    (folder / "_SUCCESS").unlink()
    with pytest.raises(AssertionError, match="read again"):
        archive.check_archive(articles, engine, checkpoint=kept)
    # A folder that cannot be written is an error before anything is read.
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConsistencyError, match="cannot keep a checkpoint there"):
        archive.check_archive(articles, engine, checkpoint=tmp_path / "a-file")


@pytest.mark.parametrize("partitions", [1, 7])
def test_counts_summed_by_spark_are_the_whole_feeds(
    spark: Any, tmp_path: Path, partitions: int
) -> None:
    """Every partition's counts summed by Spark (`_feed_counts`) are the feed's counted
    as one part: each word's document frequency and first place (the order every
    cosine adds its words in), each stem's weight and each phrase's commonness."""
    from consistency import archive, extract, match
    from consistency.settings import MatchSettings
    from consistency.spark import SparkEngine

    articles = list(_articles("surname-elsewhere", tmp_path)) + list(
        ingest.read_articles([FEEDS["west-mercia"](tmp_path / "feed")])
    )
    settings = MatchSettings()
    whole = check_articles(articles, workers=1)
    entities = extract.entities_by_source(whole.extraction)
    alone = match.merge_counts([match.count_part(whole.claims, settings, entities)], settings)
    count = len(articles)  # _shipped lets the articles go as it ships them
    job = archive._Job(SparkEngine(session=spark, partitions=partitions))
    read = archive._read(job, archive._shipped(job, articles).repartition(partitions), print)
    counted = job.kept(job.mapped(read, archive._part_counter(settings), archive._COUNTS))
    summed = archive._feed_counts(job, counted, settings)
    job.release()

    def rows(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.sort(frame.columns)

    assert summed.words.articles == alone.words.articles == count
    assert len(alone.words.terms) > 100 and len(alone.stems) > 10
    assert rows(summed.words.terms).equals(rows(alone.words.terms))
    assert rows(summed.stems).equals(rows(alone.stems))
    assert rows(summed.shingles).equals(rows(alone.shingles))


@pytest.mark.parametrize("schema", [None, {"source": pl.String(), "index": pl.Int64()}])
@pytest.mark.parametrize("threshold", [None, "1234"])
def test_a_table_from_the_driver_is_no_local_relation(
    spark: Any, threshold: str | None, schema: dict[str, pl.DataType] | None
) -> None:
    """Spark keeps a local relation's rows in the driver's heap (as the plan's and its
    scan's copies), so the articles go as Arrow batches; the session's own setting is
    left as it was."""
    from consistency import archive
    from consistency.spark import SparkEngine

    setting = "spark.sql.execution.arrow.localRelationThreshold"
    if threshold is not None:
        spark.conf.set(setting, threshold)
    job = archive._Job(SparkEngine(session=spark))
    given = pl.DataFrame({"source": ["a", "b", "c"], "index": [0, 1, 2]})
    try:
        table = job.table(given, None if schema is None else pl.Schema(schema))
        assert "LocalRelation" not in table._jdf.queryExecution().logical().toString()
        assert archive._polars(table.toArrow()).sort("index").equals(given)
        assert spark.conf.get(setting, None) == threshold
    finally:
        spark.conf.unset(setting)


def test_results_fetched_a_partition_at_a_time_leave_no_job_held(spark: Any) -> None:
    """A DataFrame's `toLocalIterator` left each partition's job, and its results, in
    the scheduler's jobs of a query long ended; the archive's fetches leave none."""
    from consistency import archive
    from consistency.spark import SparkEngine

    scheduler = spark.sparkContext._jsc.sc().dagScheduler()
    try:
        held = scheduler.activeQueryToJobs
        held().size()
    except Exception:  # py4j's own types: a Spark without that map
        pytest.skip("this Spark keeps no jobs by query")
    job = archive._Job(SparkEngine(session=spark, partitions=3))
    values = [{"batch": n, "rows": list(range(n))} for n in range(12)]
    given = pl.DataFrame({"blob": [archive._blob(v) for v in values]})
    before = held().size()
    frame = job.kept(job.table(given).repartition(3))
    assert sorted(job.unblobbed(frame), key=lambda v: v["batch"]) == values
    streamed = archive._streamed(
        job.table(pl.DataFrame({"word": ["b", "a", "c"]})), ["word"], {"word": pl.String()}, 2
    )
    assert pl.concat(list(streamed))["word"].to_list() == ["a", "b", "c"]
    job.release()
    assert held().size() == before


def test_a_failed_job_is_one_line_naming_its_step(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consistency import archive
    from consistency.spark import SparkEngine

    def failing(*given: object) -> Any:
        def fail(rows: Any) -> Any:
            raise ValueError("no match for this batch")

        return fail

    monkeypatch.setattr(archive, "_batch_matcher", failing)
    with pytest.raises(UsageError) as raised:
        archive.check_archive(_articles("west-mercia", tmp_path), SparkEngine(session=spark))
    assert str(raised.value) == (
        "--engine spark: the Spark job failed: ValueError: no match for this batch "
        "(in the archive's match step)"
    )


def test_settings_reach_an_archive_check(spark: Any, tmp_path: Path) -> None:
    """A settings file's additions, severities and ignored sources: the archive
    check's rows and problems are the local check's under them."""
    from test_config import FIRE_A, FIRE_B, SETTINGS

    from consistency import config

    (tmp_path / "consistency.toml").write_text(SETTINGS)  # severities among them
    settings = config.load(tmp_path / "consistency.toml")
    articles = (
        Article("a", "a.txt", FIRE_A),
        Article("b", "b.txt", FIRE_B),
        Article("press-1", "press-1.txt", FIRE_B.replace("Station Commander", "Chief")),
    )
    _same_as_local(articles, spark, tmp_path, config=settings)


def test_a_wide_story_is_matched_alike_in_parts(spark: Any, tmp_path: Path) -> None:
    """The skew case: one story carried by one outlet more than `max_shingle_articles`,
    checked in parts, gives the local check's tables."""
    from test_match import _wide_story

    from consistency import config
    from consistency.testing import syndicate

    cap = 6
    wide = _wide_story(cap)
    more = syndicate(wide[0], 42, copies=1, prefix="more-").articles[1:]
    (tmp_path / "consistency.toml").write_text(f"[thresholds]\nmax_shingle_articles = {cap}\n")
    _same_as_local((*wide, *more), spark, tmp_path, config.load(tmp_path / "consistency.toml"))


def test_the_cli_checks_in_parts(spark: Any, tmp_path: Path) -> None:
    """`consistency check --engine spark --archive`: the local check's tables and gate."""
    from typer.testing import CliRunner

    from consistency import tables
    from consistency.cli import app

    feed = Path(__file__).resolve().parent.parent / "fixtures" / "west-mercia"
    runner = CliRunner()
    local = runner.invoke(app, ["check", str(feed), "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    given = ["check", str(feed), "--out", str(tmp_path / "parts"), "--engine", "spark"]
    parted = runner.invoke(app, [*given, "--archive", "--spark-partitions", "2"])
    assert parted.exit_code == 0, parted.output
    assert "5 sources, 1 story" in parted.output
    assert "checked in 1 part no story crosses, the largest of 5 articles" in parted.output
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == [
        "claims.csv",
        "coverage.csv",
        "discrepancies.csv",
        "problems.csv",
        "skipped.csv",
    ]
    assert _differing(tmp_path / "local", tmp_path / "parts") == ["report.html"]
    kept = ["--checkpoint", str(tmp_path / "cp")]
    staged = runner.invoke(app, [*given, "--archive", "--tables", str(tmp_path / "t"), *kept, "-q"])
    assert staged.exit_code == 0, staged.output
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(tables.TABLES)
    assert [p.name[:13] for p in (tmp_path / "cp").iterdir()] == ["archive-read-"]
    gate = runner.invoke(app, [*given, "--archive", "--fail-on", "low", "-q"])
    assert gate.exit_code == 1
    # The command line ran on the session already running here, and left it running.
    assert spark.range(3).count() == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "--archive goes with --engine spark"),
        (["--engine", "spark", "--graph"], "--archive does not take --graph"),
    ],
)
def test_what_an_archive_check_does_not_take_is_refused_first(
    tmp_path: Path, options: list[str], message: str
) -> None:
    from typer.testing import CliRunner

    from consistency.cli import app

    feed = Path(__file__).resolve().parent.parent / "fixtures" / "west-mercia"
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["check", str(feed), "--out", str(out), "--archive", *options])
    assert done.exit_code == 2
    assert message in done.output
    assert not out.exists()


def test_no_articles_are_an_empty_check(spark: Any, tmp_path: Path) -> None:
    from consistency import archive
    from consistency.spark import SparkEngine

    whole = check_articles((), workers=1)
    write_reports(whole, tmp_path / "local", formats=FORMATS, html=False)
    done = archive.check_archive((), SparkEngine(session=spark, partitions=2))
    archive.write_reports(done, tmp_path / "archive", formats=FORMATS)
    assert (done.articles, done.discrepancies) == (0, ())
    assert _differing(tmp_path / "local", tmp_path / "archive") == []
