"""The command line: parse options, call the library, print. Nothing else lives here.

Exit codes: 0 done; 1 when --fail-on is given and a discrepancy at or above that
severity was found; 2 for bad usage or unreadable input (one line on stderr).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import tomli_w
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from . import baseline, config, domain, explain, pipeline, report
from .errors import ConsistencyError
from .models import SEVERITY_RANK
from .results import CheckResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Audit syndicated news copy: find where outlets' versions of a story disagree.",
)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class FailOn(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


@app.callback()
def _root() -> None:
    """Audit syndicated news copy: find where outlets' versions of a story disagree."""


PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Article files or directories (see README: Inputs)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
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
        min=1,
        help="Processes reading articles (default: every core for 400 articles or more).",
    ),
]


@app.command()
def check(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the reports.")],
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
            help="Known discrepancies (an earlier discrepancies.csv, a file from "
            "`consistency baseline`, or ids one a line): reported as known, never failing.",
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
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
) -> None:
    """Check articles; write discrepancies, claims and coverage tables and report.html.

    Example: consistency check fixtures/west-mercia --out out/ --fail-on high
    """
    with _user_errors():
        chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
        known = baseline.read(baseline_file) if baseline_file else None
        # Never read this run's reports (a second run with --out inside the feed) nor
        # the baseline (kept beside the copy).
        exclude = [out, *([baseline_file] if baseline_file else [])]
        result = _check(paths, config_file, quiet, workers, keep_going, exclude)
        written = report.write_reports(
            result, out, graph=graph, formats=chosen, known=known.ids if known else frozenset()
        )
    new, old = known.split(result.discrepancies) if known else (list(result.discrepancies), [])
    if not quiet:
        stories = len(set(result.matching.story_of.values()))
        typer.echo(
            report.summary(
                result.discrepancies,
                len(result.articles),
                len(result.claims),
                stories,
                found=result.problems,
            )
        )
        if result.skipped:
            typer.echo(f"\nskipped {len(result.skipped)} unreadable inputs (see skipped.csv):")
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
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on.value]
        if any(SEVERITY_RANK[d.severity] <= threshold for d in new):
            raise typer.Exit(EXIT_FINDINGS)


@app.command("baseline")
def write_baseline(
    paths: PathsArgument,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The baseline file to write.")
    ] = Path("consistency-baseline.csv"),
    config_file: ConfigOption = None,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
    keep_going: KeepGoingOption = False,
) -> None:
    """Check articles and record every discrepancy found as known, for `check --baseline`.

    Example: consistency baseline feed/ --output consistency-baseline.csv
    """
    with _user_errors():
        result = _check(paths, config_file, quiet, workers, keep_going, [output])
        written = baseline.write(result.discrepancies, output)
    if not quiet:
        typer.echo(f"wrote {written}: {len(result.discrepancies)} known discrepancies")


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
    file: Annotated[Path, typer.Argument(help="One article file (every article in it).")],
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
    paths: list[Path],
    config_file: Path | None,
    quiet: bool,
    workers: int | None,
    keep_going: bool = False,
    exclude: list[Path] | None = None,
) -> CheckResult:
    settings = config.load(config_file)
    with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        result = pipeline.check(
            paths,
            workers=workers,
            progress=progress,
            config=settings,
            keep_going=keep_going,
            exclude=exclude or (),
        )
    if not quiet:
        for notice in result.notices:
            typer.echo(f"note: {notice.path}: {notice.message}", err=True)
    return result


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
