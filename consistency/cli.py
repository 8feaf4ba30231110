"""The command line: parse options, call the library, print. Nothing else lives here.

Exit codes: 0 done; 1 when --fail-on is given and a discrepancy at or above that
severity was found; 2 for bad usage or unreadable input (one line on stderr).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NamedTuple

import tomli_w
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from . import baseline, config, domain, explain, fetch, ingest, pipeline, report, tables
from .errors import ConsistencyError, UsageError
from .models import SEVERITY_RANK, Discrepancy, Notice, Skipped
from .problems import Problem
from .results import CheckResult

app = typer.Typer(
    add_completion=False,
    # Plain click help: rich markup would eat "[tool.consistency]" from a help text,
    # and typer's rich panels show flags as taking a value ("--quiet <bool>").
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Audit syndicated news copy: find where outlets' versions of a story disagree.",
)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class FailOn(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


def _show_version(wanted: bool) -> None:
    if wanted:
        from . import __version__  # looked up in the package metadata only when asked

        typer.echo(f"consistency {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Audit syndicated news copy: find where outlets' versions of a story disagree."""


PathsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATH",
        help="Article files or directories, http:// or https:// URLs, - for one "
        "article on standard input, or with --engine spark URIs a cluster reads "
        "(s3a://, hdfs://; see README: Inputs).",
        show_default=False,
    ),
]
UrlsOption = Annotated[
    Path | None,
    typer.Option(
        "--urls",
        metavar="FILE",
        help="A file of URLs to fetch, one a line (blank lines and # comments ignored).",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (default: the nearest consistency.toml, or pyproject.toml "
        "with [tool.consistency], here or in a folder above).",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing on success, show no progress.")
]
KeepGoingOption = Annotated[
    bool,
    typer.Option(
        "--keep-going",
        help="Skip unreadable files and records (listed in the summary and skipped.csv) "
        "and check the rest.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        metavar="N",
        min=1,
        help="Processes reading articles (default: every core for 400 articles or more).",
    ),
]


class EngineName(StrEnum):
    local = "local"
    spark = "spark"


EngineOption = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        help="Where articles are read and the detectors run: local (this machine's cores) "
        "or spark (a Spark cluster; needs pip install 'consistency[spark]'). Same "
        "reports either way.",
    ),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        help="The Spark master for --engine spark: local[*] (default), local[N], "
        "spark://HOST:PORT, yarn, k8s://...",
    ),
]
SparkPartitionsOption = Annotated[
    int | None,
    typer.Option(
        "--spark-partitions",
        metavar="N",
        min=1,
        help="Partitions the articles are read in with --engine spark (default: the "
        "cluster's parallelism).",
    ),
]


@app.command()
def check(
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Directory for the reports.")
    ],
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 1 if a new discrepancy at or above this severity is found."
        ),
    ] = None,
    baseline_file: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Known discrepancies (an earlier discrepancies.csv, a file from "
            "`consistency baseline`, or ids one a line): reported as known, never failing.",
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="LIST",
            help="Formats of the three tables, comma-separated: csv, json, jsonl, parquet.",
        ),
    ] = "csv",
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    graph: Annotated[
        bool, typer.Option("--graph", help="Also write graph.graphml (claims, sources, people).")
    ] = False,
    workers: WorkersOption = None,
    keep_going: KeepGoingOption = False,
    urls: UrlsOption = None,
    engine: EngineOption = EngineName.local,
    spark_master: SparkMasterOption = None,
    spark_partitions: SparkPartitionsOption = None,
    tables_dir: Annotated[
        str | None,
        typer.Option(
            "--tables",
            metavar="DIR",
            help="Also write every stage's records (articles, claims, judgments, people, "
            "quotes, organisations, matches, discrepancies) as Parquet tables into DIR "
            "(with --engine spark, DIR may be a URI the cluster writes: s3a://, hdfs://; "
            "with --archive, the executors write each table as a folder of part files).",
        ),
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            metavar="DIR",
            help="Keep what reading gave and the detectors' rows in DIR as they are done; "
            "run again with the same DIR to resume a check that stopped (with --archive, "
            "what reading gave, in a folder the driver and the executors share).",
        ),
    ] = None,
    archive: Annotated[
        bool,
        typer.Option(
            "--archive",
            help="With --engine spark: find stories and check them a part of the feed at "
            "a time on the cluster, never holding the feed on this machine; the tables "
            "are written, report.html is not.",
        ),
    ] = False,
    paths: PathsArgument = None,
) -> None:
    """Check articles; write discrepancies, claims and coverage tables and report.html.

    Example: consistency check fixtures/west-mercia --out out/ --fail-on high
    """
    with _user_errors():
        chosen = report.parse_formats(formats)
        known = baseline.read(baseline_file) if baseline_file else None
        # Never read this run's reports (a second run with --out inside the feed) nor
        # the baseline (kept beside the copy).
        if tables_dir is not None and engine is EngineName.local:
            pipeline.local_folder(tables_dir)  # a URI is refused now, before reading
        exclude = [
            out,
            *([baseline_file] if baseline_file else []),
            *([Path(tables_dir)] if tables_dir and not ingest.is_remote(tables_dir) else []),
            *([checkpoint] if checkpoint else []),
        ]
        if archive:
            _archive_options(engine, graph)
        with _engine(engine, spark_master, spark_partitions) as chosen_engine:
            if archive:
                from . import archive as archive_flow

                inputs = _inputs(paths, urls)
                loaded = config.load(config_file)
                from .spark import SparkEngine

                assert isinstance(chosen_engine, SparkEngine)
                with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
                    archived = archive_flow.check(
                        inputs,
                        chosen_engine,
                        config=loaded,
                        keep_going=keep_going,
                        exclude=exclude,
                        progress=progress,
                        stage_tables=tables_dir is not None,
                        checkpoint=checkpoint,
                    )
                _tell(archived.notices, quiet)
                try:
                    written_archive: list[str | Path] = list(
                        archive_flow.write_reports(
                            archived, out, formats=chosen, known=known.ids if known else frozenset()
                        )
                    )
                    if tables_dir is not None:
                        written_archive += archive_flow.write_tables(archived, tables_dir)
                finally:
                    archived.release()
        if archive:
            _finish(
                _Figures(
                    archived.discrepancies,
                    archived.articles,
                    archived.claims,
                    len(set(archived.story_of.values())),
                    archived.config.path,
                    archived.problems,
                    archived.largest,
                    archived.skipped,
                    (archived.parts, archived.largest_part),
                ),
                written_archive,
                known,
                fail_on,
                quiet,
            )
            return
        with _engine(engine, spark_master, spark_partitions) as chosen_engine:
            result = _check(
                paths,
                urls,
                config_file,
                quiet,
                workers,
                keep_going,
                exclude,
                chosen_engine,
                checkpoint,
            )
            # While the engine runs: a URI is written by its Spark session.
            stage_tables: list[str | Path] = (
                list(chosen_engine.write_tables(tables.result_tables(result), tables_dir))
                if tables_dir is not None
                else []
            )
        written: list[str | Path] = list(
            report.write_reports(
                result, out, graph=graph, formats=chosen, known=known.ids if known else frozenset()
            )
        )
        written += stage_tables
    _finish(
        _Figures(
            result.discrepancies,
            len(result.articles),
            len(result.claims),
            len(set(result.matching.story_of.values())),
            result.config.path,
            result.problems,
            report.largest_stories(result),
            result.skipped,
        ),
        written,
        known,
        fail_on,
        quiet,
    )


class _Figures(NamedTuple):
    """What a check's summary and gate read of its result."""

    discrepancies: tuple[Discrepancy, ...]
    articles: int
    claims: int
    stories: int
    settings: str | None
    problems: Sequence[Problem]
    largest: Sequence[report.StorySize]
    skipped: Sequence[Skipped]
    parts: tuple[int, int] | None = None
    """An archive check's parts no story crosses, and the articles in the largest (one
    executor's work: the figure to watch for skew)."""


def _archive_options(engine: EngineName, graph: bool) -> None:
    """--archive's refusals, before anything is read."""
    if engine is not EngineName.spark:
        raise UsageError("--archive goes with --engine spark")
    if graph:
        raise UsageError("--archive does not take --graph (graph.graphml holds the whole feed)")


def _finish(
    result: _Figures,
    written: list[str | Path],
    known: baseline.Baseline | None,
    fail_on: FailOn | None,
    quiet: bool,
) -> None:
    """The summary and the gate's verdict."""
    new, old = known.split(result.discrepancies) if known else (list(result.discrepancies), [])
    failing = (
        [d for d in new if SEVERITY_RANK[d.severity] <= SEVERITY_RANK[fail_on.value]]
        if fail_on is not None
        else []
    )
    if not quiet:
        typer.echo(
            report.summary(
                result.discrepancies,
                result.articles,
                result.claims,
                result.stories,
                known=known.ids if known else None,
                settings=result.settings,
                found=result.problems,
                largest=result.largest,
            )
        )
        if result.parts is not None:
            parts, largest = result.parts
            typer.echo(
                f"\nchecked in {report.counted(parts, 'part')} no story crosses, "
                f"the largest of {report.counted(largest, 'article')}"
            )
        if result.skipped:
            inputs = report.counted(len(result.skipped), "unreadable input")
            typer.echo(f"\nskipped {inputs} (see skipped.csv):")
            for skipped in result.skipped:
                where = f"{skipped.path}:{skipped.line}" if skipped.line else skipped.path
                typer.echo(f"  {where}: {skipped.problem}")
        if known:
            gone = len(known.gone(result.discrepancies))
            typer.echo(
                f"\nbaseline {known.path}: {len(new)} new, {len(old)} known"
                + (f", {gone} known no longer found" if gone else "")
            )
        typer.echo("")
        typer.echo("wrote " + ", ".join(str(p) for p in written))
    if fail_on is not None and failing:
        # Why the exit is 1, last (on stderr under --quiet, which a failure must not silence).
        verdict = report.gate_failure(failing, fail_on.value, baseline=known is not None)
        typer.echo(("" if quiet else "\n") + verdict, err=quiet)
        raise typer.Exit(EXIT_FINDINGS)


@app.command("baseline")
def write_baseline(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The baseline file to write.")
    ] = Path("consistency-baseline.csv"),
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
    keep_going: KeepGoingOption = False,
    urls: UrlsOption = None,
    paths: PathsArgument = None,
) -> None:
    """Check articles and record every discrepancy found as known, for `check --baseline`.

    Example: consistency baseline feed/ --output consistency-baseline.csv
    """
    with _user_errors():
        result = _check(paths, urls, config_file, quiet, workers, keep_going, [output])
        written = baseline.write(result.discrepancies, output)
    if not quiet:
        rows = report.counted(len(result.discrepancies), "known discrepancy", "known discrepancies")
        typer.echo(f"wrote {written}: {rows}")


@app.command("config")
def show_config(
    show: Annotated[
        bool, typer.Option("--show", help="Print every setting in effect, bundled tables too.")
    ] = False,
    config_file: ConfigOption = None,
) -> None:
    """Validate the settings file (listing every problem); with --show, print the
    effective configuration as TOML.

    Example: consistency config --show
    """
    with _user_errors():
        settings = config.load(config_file)
    if show:
        typer.echo(tomli_w.dumps(config.effective(settings)), nl=False)
    else:
        typer.echo(f"{settings.path or 'no settings file found: the defaults'}: valid")


@app.command("claims")
def show_claims(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="One article file (every article in it).")
    ],
    config_file: ConfigOption = None,
) -> None:
    """Show how one file is read: metadata, repairs, cleaned paragraphs, claims and
    what was found in each (for debugging a surprising row).

    Example: consistency claims fixtures/west-mercia/hits-radio.txt
    """
    with _user_errors():
        settings = config.load(config_file)
        with domain.configured(settings.tables):
            text = explain.explain(file)
    typer.echo(text, nl=not text.endswith("\n"))


def _check(
    paths: list[str] | None,
    urls: Path | None,
    config_file: Path | None,
    quiet: bool,
    workers: int | None,
    keep_going: bool = False,
    exclude: list[Path] | None = None,
    engine: pipeline.Engine | None = None,
    checkpoint: Path | None = None,
) -> CheckResult:
    inputs = _inputs(paths, urls)
    settings = config.load(config_file)
    with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        result = pipeline.check(
            inputs,
            workers=workers,
            progress=progress,
            config=settings,
            keep_going=keep_going,
            exclude=exclude or (),
            engine=engine,
            checkpoint=checkpoint,
        )
    _tell(result.notices, quiet)
    return result


def _inputs(paths: list[str] | None, urls: Path | None) -> list[str]:
    inputs = [*(paths or []), *(fetch.read_url_list(urls) if urls else [])]
    if not inputs:
        raise UsageError("nothing to check: give files, folders, URLs, - or --urls FILE")
    return inputs


def _tell(notices: Iterable[Notice], quiet: bool) -> None:
    if not quiet:
        for notice in notices:
            typer.echo(f"note: {notice.path}: {notice.message}", err=True)


@contextlib.contextmanager
def _engine(
    name: EngineName, master: str | None, partitions: int | None
) -> Iterator[pipeline.Engine]:
    """The engine the options name, stopped (a Spark session this run started) on the
    way out."""
    if name is EngineName.local:
        if master is not None or partitions is not None:
            raise UsageError("--spark-master and --spark-partitions go with --engine spark")
        yield pipeline.LocalEngine()
        return
    from .spark import SparkEngine  # pyspark itself is imported when the session starts

    engine = SparkEngine(master=master or "local[*]", partitions=partitions)
    try:
        yield engine
    finally:
        engine.close()


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """The one place a user-facing error becomes a message on stderr and exit code 2."""
    try:
        yield
    except ConsistencyError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[pipeline.Progress]:
    """A progress bar on stderr for each stage, or nothing when not `enabled` (stderr
    is not a terminal, or --quiet)."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    bars = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


def main() -> None:
    """Entry point; typer's own usage errors already exit with 2."""
    app(prog_name="consistency")


if __name__ == "__main__":  # pragma: no cover
    main()
