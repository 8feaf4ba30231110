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

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from . import pipeline, report
from .errors import ConsistencyError
from .models import SEVERITY_RANK

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


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Article files or directories (.txt, .md, .html, .htm, .json, .jsonl)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the reports.")],
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 1 if a discrepancy at or above this severity is found."
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on success, show no progress.")
    ] = False,
    graph: Annotated[
        bool, typer.Option("--graph", help="Also write graph.graphml (claims, sources, people).")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes reading articles (default: every core for 400 articles or more).",
        ),
    ] = None,
) -> None:
    """Check articles and write discrepancies.csv, claims.csv and coverage.csv.

    Example: consistency check fixtures/west-mercia --out out/ --fail-on high
    """
    try:
        with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
            result = pipeline.check(paths, workers=workers, progress=progress)
        written = pipeline.write_reports(result, out, graph=graph)
    except ConsistencyError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if not quiet:
        stories = len(set(result.matching.story_of.values()))
        typer.echo(
            report.summary(result.discrepancies, len(result.articles), len(result.claims), stories)
        )
        typer.echo("")
        typer.echo("wrote " + ", ".join(str(p) for p in written))
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on.value]
        if any(SEVERITY_RANK[d.severity] <= threshold for d in result.discrepancies):
            raise typer.Exit(EXIT_FINDINGS)


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
    sys.exit(main())
