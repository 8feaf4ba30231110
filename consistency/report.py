"""Stage 9, report: the tables (CSV, JSON, JSON Lines, Parquet), report.html, the
GraphML graph and the terminal summary.

Column orders are declared once here; discrepancies.csv is a contract. Every file
is written to a temporary name in the output directory and renamed into place
only when all of them are complete, so a failed run never leaves a half-written
report (nor half of a new set beside half of an old one).

CSV is for spreadsheets, so a text cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is written with a leading
apostrophe, which spreadsheets show as text. JSON, JSON Lines and Parquet, for
programs, keep every text exactly.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

from . import collector, htmlreport, ingest, problems
from .errors import ConsistencyError, UsageError
from .graph import write_graphml
from .models import SEVERITY_RANK, Discrepancy, Skipped

if TYPE_CHECKING:
    from .results import CheckResult

DISCREPANCY_COLUMNS: dict[str, type[pl.DataType]] = {
    "id": pl.String,
    "kind": pl.String,
    "severity": pl.String,
    "subject": pl.String,
    "source_a": pl.String,
    "source_b": pl.String,
    "value_a": pl.String,
    "value_b": pl.String,
    "text_a": pl.String,
    "text_b": pl.String,
    "line_a": pl.Int64,
    "line_b": pl.Int64,
    "similarity": pl.Float64,
    "cluster": pl.String,
    "explanation": pl.String,
    "status": pl.String,
    "problem": pl.String,
}
"""`status` is "new", or "known" for an id in the baseline given (see baseline.py);
`problem` the id of the row's problem (problems.csv)."""
FIELDS = tuple(name for name in DISCREPANCY_COLUMNS if name not in ("status", "problem"))
CLAIM_COLUMNS: dict[str, type[pl.DataType]] = {
    "claim_id": pl.String,
    "source": pl.String,
    "kind": pl.String,
    "text": pl.String,
    "line": pl.Int64,
    "speaker": pl.String,
    "cluster": pl.String,
    "story": pl.String,
}


def discrepancies_frame(
    rows: tuple[Discrepancy, ...],
    known: frozenset[str] = frozenset(),
    problem_of: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """`problem_of`: row id -> the id of its problem (`problems.problem_of`)."""
    problem_of = problem_of or {}
    data: dict[str, list[object]] = {name: [getattr(r, name) for r in rows] for name in FIELDS}
    data["status"] = ["known" if r.id in known else "new" for r in rows]
    data["problem"] = [problem_of.get(r.id, "") for r in rows]
    return pl.DataFrame(data, schema=DISCREPANCY_COLUMNS)


PROBLEM_COLUMNS: dict[str, type[pl.DataType]] = {
    "problem": pl.String,
    "kind": pl.String,
    "severity": pl.String,
    "story": pl.String,
    "subject": pl.String,
    "value": pl.String,
    "outlets": pl.String,
    "differing": pl.String,
    "differing_values": pl.String,
    "basis": pl.String,
    "rows": pl.Int64,
    "discrepancies": pl.String,
    "summary": pl.String,
    "text": pl.String,
}
VALUE_SEPARATOR = " | "
"""Between the values of `differing_values` (a value may hold "; ")."""


def problems_frame(found: Sequence[problems.Problem]) -> pl.DataFrame:
    """One row per problem: the reading most versions carry and the outlets carrying
    it, then each differing outlet and what it says, in the same order."""

    def differing(p: problems.Problem) -> list[tuple[str, str]]:
        return [(s, r.value) for r in p.differing for s in r.sources]

    data: dict[str, list[object]] = {
        "problem": [p.id for p in found],
        "kind": [p.kind for p in found],
        "severity": [p.severity for p in found],
        "story": [p.story for p in found],
        "subject": [p.subject for p in found],
        "value": [p.value for p in found],
        "outlets": [LIST_SEPARATOR.join(p.outlets) for p in found],
        "differing": [LIST_SEPARATOR.join(s for s, _ in differing(p)) for p in found],
        "differing_values": [VALUE_SEPARATOR.join(v for _, v in differing(p)) for p in found],
        "basis": [p.basis for p in found],
        "rows": [len(p.discrepancies) for p in found],
        "discrepancies": [LIST_SEPARATOR.join(p.discrepancies) for p in found],
        "summary": [p.describe() for p in found],
        "text": [p.text for p in found],
    }
    return pl.DataFrame(data, schema=PROBLEM_COLUMNS)


CLAIM_BLOCK = 100_000
"""Claims claims.csv is made and written from at once: the whole table (685,745 claims,
150 MB at 20,000 articles) beside the lists it was built from was the reports' peak."""


def claims_frame(result: CheckResult) -> pl.DataFrame:
    (frame,) = claims_frames(result)
    return frame


def claims_frames(result: CheckResult, size: int | None = None) -> Iterator[pl.DataFrame]:
    """The claims table, `size` claims a frame (at least one frame; all in one without
    `size`)."""
    speakers = {q.claim_id: q for q in result.extraction.quotes}
    # Plain dicts: a read-only proxy's lookups cost several times a dict's, per claim.
    names = dict(result.graph.person_name)
    keys = dict(result.graph.person_key)
    cluster_of = dict(result.graph.cluster_of)
    story_of = dict(result.matching.story_of)

    def speaker(claim_id: str) -> str:
        quote = speakers.get(claim_id)
        if quote is None or not quote.speaker_key:
            return ""
        return names.get(keys.get(quote.speaker_key, quote.speaker_key), quote.speaker)

    every = len(result.claims)
    size = size or max(every, 1)
    for start in range(0, max(every, 1), size):
        claims = result.claims[start : start + size]
        # Columns, not rows: polars builds a frame from lists many times faster.
        data = {
            "claim_id": [c.claim_id for c in claims],
            "source": [c.source for c in claims],
            "kind": [c.kind for c in claims],
            "text": [c.text for c in claims],
            "line": [c.line for c in claims],
            "speaker": [speaker(c.claim_id) if c.claim_id in speakers else "" for c in claims],
            "cluster": [cluster_of.get(c.claim_id, "") for c in claims],
            "story": [story_of.get(c.source, "") for c in claims],
        }
        yield pl.DataFrame(data, schema=CLAIM_COLUMNS)


SKIPPED_COLUMNS: dict[str, type[pl.DataType]] = {
    "path": pl.String,
    "line": pl.Int64,
    "problem": pl.String,
}


def skipped_frame(skipped: Sequence[Skipped]) -> pl.DataFrame:
    """The inputs a keep-going run left out (none otherwise)."""
    data = {name: [getattr(s, name) for s in skipped] for name in SKIPPED_COLUMNS}
    return pl.DataFrame(data, schema=SKIPPED_COLUMNS)


COVERAGE_COLUMNS: dict[str, type[pl.DataType]] = {
    "story": pl.String,
    "cluster": pl.String,
    "sources": pl.Int64,
    "story_sources": pl.Int64,
    "text": pl.String,
    "carried_by": pl.String,
    "missing_from": pl.String,
}
LIST_SEPARATOR = "; "


def coverage_frame(result: CheckResult) -> pl.DataFrame:
    """One row per claim cluster: which of its story's sources carry it (their claim ids)
    and which do not. Lists, not a column per source, so the file grows with the claims,
    not with claims times sources (a day's feed has thousands of sources)."""
    return coverage_rows(result).drop("first")


def coverage_rows(result: CheckResult) -> pl.DataFrame:
    """`coverage_frame` with what orders it, last: "first", the id of the cluster's
    first claim. Rows are sorted by story, then first: the rows of some whole stories
    (a part of a feed checked alone) sorted so are in the whole feed's order."""
    story_of = dict(result.matching.story_of)
    story_sources: dict[str, list[str]] = {}
    # The sources read (each article read is one of `articles`, kept by the check).
    for source in sorted({a.source for a in result.cleaned}):
        story_sources.setdefault(story_of.get(source, ""), []).append(source)
    rows = []
    for cluster, members in result.clusters.items():
        first = members[0]
        story = story_of.get(first.source, "")
        carriers = {c.source for c in members}
        everyone = story_sources.get(story, [])
        missing = [s for s in everyone if s not in carriers]
        rows.append(
            (
                story,
                cluster,
                len(carriers),
                len(everyone),
                first.text,
                LIST_SEPARATOR.join([c.claim_id for c in members]),
                LIST_SEPARATOR.join(missing),
                first.claim_id,
            )
        )
    rows.sort(key=lambda r: (r[0], r[-1]))
    schema: dict[str, type[pl.DataType]] = {**COVERAGE_COLUMNS, "first": pl.String}
    columns: Sequence[Sequence[object]] = [[] for _ in schema]
    if rows:
        columns = list(zip(*rows, strict=True))
    return pl.DataFrame(dict(zip(schema, columns, strict=True)), schema=schema)


FORMULA_START = re.compile(r"^[=+\-@\t\r]")
"""What a spreadsheet reads as the start of a formula (OWASP's list)."""


def spreadsheet_safe(value: object) -> object:
    """`value`, or a text a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def _spreadsheet_safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START.pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


TABLE_FORMATS = ("csv", "json", "jsonl", "parquet")
"""How the four tables can be written; csv is the default."""


def _table_writer(
    frames: Callable[[str], Iterable[pl.DataFrame]], fmt: str
) -> Callable[[Path], None]:
    """Writes the table `frames` makes for `fmt`: one or more frames, rows in order (in
    csv the header once); in json one."""

    def write(path: Path) -> None:
        if fmt == "csv":
            with path.open("wb") as file:
                for n, part in enumerate(frames(fmt)):
                    _spreadsheet_safe_frame(part).write_csv(file, include_header=n == 0)
            return
        if fmt == "jsonl":
            with path.open("wb") as file:
                for part in frames(fmt):
                    part.write_ndjson(file)
            return
        given = iter(frames(fmt))
        data = next(given)
        more = next(given, None)
        if fmt == "json":
            if more is not None:
                raise ValueError("a json table is written from one frame")
            data.write_json(path)
        elif more is None:
            data.write_parquet(path)
        else:
            # A table too large to hold whole (`consistency.archive`), a row group a frame.
            import pyarrow.parquet as pq

            first = data.to_arrow()
            with pq.ParquetWriter(path, first.schema) as writer:
                writer.write_table(first)
                for part in itertools.chain([more], given):
                    writer.write_table(part.to_arrow())

    return write


def parse_formats(text: str) -> tuple[str, ...]:
    """The table formats named in `text` ("csv,parquet"), each once; an empty name
    ("csv,,json") or an unknown one is a UsageError."""
    names = [name.strip().lower() for name in text.split(",")]
    if "" in names:
        raise UsageError(
            f"--format {text!r}: an empty format name; "
            f"expected some of {', '.join(TABLE_FORMATS)}, comma-separated"
        )
    return _known_formats(names)


def _known_formats(formats: Iterable[str]) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in TABLE_FORMATS]
    if unknown or not formats:
        raise UsageError(
            f"unknown output format {', '.join(unknown) or '(none)'}; "
            f"expected some of {', '.join(TABLE_FORMATS)}"
        )
    return formats


def write_reports(
    result: CheckResult,
    out_dir: str | Path,
    graph: bool = False,
    formats: Iterable[str] = ("csv",),
    known: frozenset[str] = frozenset(),
    html: bool = True,
) -> list[Path]:
    """Write the reports into `out_dir`: the four tables in each of `formats`, skipped.csv
    (the inputs a keep-going read left out), report.html
    (unless not `html`), and graph.graphml when `graph` is true (for a day's feed it is
    hundreds of megabytes, and editors never open it). `known`: discrepancy ids of a
    baseline, marked known.

    When `out_dir` already holds a run's reports (the three tables in one format), the
    files of that run this one does not rewrite (tables in another format, graph.graphml
    without `graph`) are removed once the new set is in place, so that nothing in the
    folder looks current that is not. Nothing else is touched."""
    out_dir = Path(out_dir)
    formats = _known_formats(formats)
    tables: dict[str, Callable[[str], Iterable[pl.DataFrame]]] = {
        "discrepancies": lambda _: [
            discrepancies_frame(result.discrepancies, known, problems.problem_of(result.problems))
        ],
        "problems": lambda _: [problems_frame(result.problems)],
        # A csv file can be written a block of rows at a time.
        "claims": lambda fmt: claims_frames(result, CLAIM_BLOCK if fmt == "csv" else None),
        "coverage": lambda _: [coverage_frame(result)],
    }
    targets = table_targets(tables, formats)
    # Always written, empty unless a keep-going run left inputs out: a skipped.csv from
    # an earlier run must not be read as this one's.
    targets["skipped.csv"] = _table_writer(lambda _: [skipped_frame(result.skipped)], "csv")
    if html:
        targets["report.html"] = lambda p: _write_html(result, known, p)
    if graph:
        targets["graph.graphml"] = lambda p: write_graphml(result.graph, p)
    return write_targets(out_dir, targets)


def table_targets(
    tables: Mapping[str, Callable[[str], Iterable[pl.DataFrame]]], formats: Iterable[str]
) -> dict[str, Callable[[Path], None]]:
    """A writer for each table in each format, by file name: each table made by a
    function of the format giving its frames (csv writes several in turn)."""
    return {
        f"{name}.{fmt}": _table_writer(frame, fmt)
        for name, frame in tables.items()
        for fmt in _known_formats(formats)
    }


def write_targets(out_dir: Path, targets: Mapping[str, Callable[[Path], None]]) -> list[Path]:
    """Each of `targets` (file name -> its writer) written under a temporary name, then
    all renamed into `out_dir` at once, an earlier run's reports these do not rewrite
    removed; a failed write leaves nothing behind."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConsistencyError(
            f"{out_dir}: cannot create output directory: {exc.strerror or exc}"
        ) from exc
    stale = _stale_reports(out_dir, set(targets))
    written: list[tuple[Path, Path]] = []
    try:
        # The tables' rows hold no reference cycles, but making them sets off the cyclic
        # collector's full passes over the result's millions of objects (see collector).
        with collector.paused():
            for name, write in targets.items():
                tmp = _new_temporary(out_dir, name)
                written.append((tmp, out_dir / name))
                write(tmp)
    except BaseException as exc:
        # Whatever stopped the writing (a full disk, an interrupt, a bug), leave no
        # temporary file behind.
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ConsistencyError(
                f"{out_dir}: cannot write reports: {exc.strerror or exc}"
            ) from exc
        raise
    with _signals_deferred():
        for tmp, final in written:
            tmp.replace(final)
        for path in stale:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise ConsistencyError(
                    f"{path}: cannot remove this report of an earlier run: {exc.strerror or exc}"
                ) from exc
    return [final for _, final in written]


def _stale_reports(out_dir: Path, writing: set[str]) -> list[Path]:
    """The files of an earlier run in `out_dir` (by the names this tool writes, and
    only where the folder holds a run's tables, as `ingest` recognises them) that a
    run writing `writing` leaves as they are."""
    if not ingest.report_formats(out_dir):
        return []
    return [
        out_dir / name
        for name in sorted(ingest.REPORT_FILES - writing)
        if (out_dir / name).is_file() or (out_dir / name).is_symlink()
    ]


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and a polite kill wait until the block is done: the renames that put a
    run's reports in place happen all or none, so an interrupted run leaves the
    previous set whole rather than half old, half new. A signal that arrives is
    raised again, to its own handler, once the block ends. (SIGKILL cannot wait;
    the renames take microseconds.) Python handles signals in the main thread only,
    so elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {
        number: signal.signal(number, lambda received, _frame: arrived.append(received))
        for number in _DEFERRED
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for received in arrived:
            signal.raise_signal(received)


def _write_html(result: CheckResult, known: frozenset[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as file:
        htmlreport.write(result, known, file)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file renamed into place."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = _new_temporary(folder, path.name)
    except OSError as exc:
        raise ConsistencyError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ConsistencyError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        raise


def _new_temporary(folder: Path, name: str) -> Path:
    """A new, empty, hidden file beside `name`. Unlike mkstemp's (owner-only) files,
    its permissions are what the umask gives any ordinary file: reports are shared."""
    while True:
        path = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return path


SUBJECT_WIDTH = 30
"""Characters of a subject the summary shows; a longer one is cut with an ellipsis."""
SOURCE_WIDTH = 32
"""Likewise for each source id (a feed's ids can be a whole URL slug)."""
VALUE_WIDTH = 40
"""Likewise for each of the two values."""


def counted(n: int, one: str, many: str = "") -> str:
    """`n` with its noun in the singular or plural ("1 story", "2 stories")."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def summary(
    rows: tuple[Discrepancy, ...],
    sources: int,
    claims: int,
    stories: int,
    worst: int = 8,
    *,
    known: frozenset[str] | None = None,
    settings: str | None = None,
    found: Sequence[problems.Problem] = (),
    largest: Sequence[StorySize] = (),
) -> str:
    """A short plain-text summary: counts, the settings file in effect (`settings`: its
    path, "" for none; None leaves the line out), the `largest` stories (see
    `largest_stories`), the problems `found` (worst first),
    then the rows behind them: counts by kind and severity, then the worst rows. With
    `known` (a baseline's ids), the worst rows list new ones first and mark each new or
    known."""
    lines = [
        f"{counted(sources, 'source')}, {counted(stories, 'story', 'stories')}, "
        f"{counted(claims, 'claim')}, {counted(len(rows), 'discrepancy', 'discrepancies')}"
    ]
    if settings is not None:
        lines.append(f"settings: {settings or 'none'}")
    if largest:
        lines.append("largest stories:")
        lines += [
            f"  {size.story} {counted(size.articles, 'article')}, "
            f"{counted(size.claims, 'claim')}: {_short(size.headline, 60)}"
            for size in largest
        ]
    if not rows:
        return "\n".join(lines)
    lines += problem_lines(found, worst)
    counts = Counter((r.kind, r.severity) for r in rows)
    kinds = sorted({k for k, _ in counts})
    width = max(len(k) for k in [*kinds, "kind"])
    lines.append("")
    lines.append(f"{'kind':<{width}}  {'high':>5} {'medium':>6} {'low':>5}")
    for kind in kinds:
        lines.append(
            f"{kind:<{width}}  {counts[(kind, 'high')]:>5} {counts[(kind, 'medium')]:>6} "
            f"{counts[(kind, 'low')]:>5}"
        )
    lines.append("")
    lines.append("worst:")
    first = sorted(
        rows,
        key=lambda r: (known is not None and r.id in known, SEVERITY_RANK[r.severity]),
    )
    lines.extend(row_lines(first[:worst], known))
    return "\n".join(lines)


LARGEST_STORIES = 3
"""Stories the summary names by size, largest first."""


class StorySize(NamedTuple):
    story: str
    articles: int
    claims: int
    headline: str
    """The headline of the story's first article in the feed ("" if it has none)."""


def largest_stories(result: CheckResult, shown: int = LARGEST_STORIES) -> list[StorySize]:
    """The `shown` largest stories of a check of more than one story, most articles
    first (then most claims, then id): a story far larger than the rest is outlets
    carrying one story widely, or stories run together, and is one batch of the
    detectors' work however large (README, "One story in many outlets"). Empty for a
    check of one story or none."""
    story_of = result.matching.story_of
    articles: Counter[str] = Counter()
    headline: dict[str, str] = {}
    for article in result.cleaned:
        story = story_of.get(article.source, "")
        articles[story] += 1
        headline.setdefault(story, article.headline)
    if len(articles) < 2:
        return []
    claims: Counter[str] = Counter(story_of.get(c.source, "") for c in result.claims)
    ranked = sorted(articles, key=lambda story: (-articles[story], -claims[story], story))
    return [
        StorySize(story, articles[story], claims[story], headline[story])
        for story in ranked[:shown]
    ]


def gate_failure(
    failing: Sequence[Discrepancy], threshold: str, baseline: bool, listed: int = 20
) -> str:
    """Why a --fail-on gate failed: the `failing` rows (new ones at or above `threshold`),
    the first `listed` of them, and a last line that says how many."""
    new = "new " if baseline else ""
    rows = sorted(failing, key=lambda r: SEVERITY_RANK[r.severity])
    lines = [f"{new}discrepancies at {threshold} or above:", *row_lines(rows[:listed])]
    if len(rows) > listed:
        lines.append(f"  ... and {len(rows) - listed} more in discrepancies.csv")
    lines.append(
        f"failed: {counted(len(rows), new + 'discrepancy', new + 'discrepancies')} "
        f"at {threshold} or above"
    )
    return "\n".join(lines)


def row_lines(rows: Sequence[Discrepancy], known: frozenset[str] | None = None) -> list[str]:
    """One line a row, in columns sized to what they hold (texts cut with an ellipsis);
    with `known`, each marked new or known."""
    if not rows:
        return []
    cells = [
        (
            r.severity,
            *((("known" if r.id in known else "new"),) if known is not None else ()),
            r.kind,
            _short(r.subject, SUBJECT_WIDTH),
            " vs ".join(_short(s, SOURCE_WIDTH) for s in (r.source_a, r.source_b) if s) + ":",
        )
        for r in rows
    ]
    widths = [max(len(cell[i]) for cell in cells) for i in range(len(cells[0]))]
    return [
        "  "
        + " ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        + f" {_short(r.value_a, VALUE_WIDTH)} | {_short(r.value_b, VALUE_WIDTH)}"
        for row, r in zip(cells, rows, strict=True)
    ]


def problem_lines(found: Sequence[problems.Problem], shown: int = 8) -> list[str]:
    """The summary's problems: one line each, worst first, the first `shown` of them."""
    if not found:
        return []
    lines = ["", f"{counted(len(found), 'problem')}:"]
    for p in found[:shown]:
        subject = _short(p.subject, SUBJECT_WIDTH)
        lines.append(
            f"  {p.severity:<6} {p.kind:<17} {subject:<{SUBJECT_WIDTH}} {p.describe(limit=40)}"
        )
    if len(found) > shown:
        lines.append(f"  ... {len(found) - shown} more in problems.csv")
    return lines


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
