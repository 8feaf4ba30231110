"""Stage 8, report: the CSV files, the GraphML graph and the terminal summary.

Column orders are declared once here; discrepancies.csv is a contract. Every file
is written to a temporary name in the output directory and renamed into place
only when all of them are complete, so a failed run never leaves a half-written
report (nor half of a new set beside half of an old one).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import polars as pl

from .errors import ConsistencyError
from .models import SEVERITY_RANK, Discrepancy

if TYPE_CHECKING:
    from .pipeline import CheckResult

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
}
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


def discrepancies_frame(rows: tuple[Discrepancy, ...]) -> pl.DataFrame:
    data = {name: [getattr(r, name) for r in rows] for name in DISCREPANCY_COLUMNS}
    return pl.DataFrame(data, schema=DISCREPANCY_COLUMNS)


def claims_frame(result: CheckResult) -> pl.DataFrame:
    speakers = {q.claim_id: q for q in result.extraction.quotes}
    names = result.graph.person_name
    keys = result.graph.person_key
    rows = []
    for c in result.claims:
        quote = speakers.get(c.claim_id)
        speaker = ""
        if quote is not None and quote.speaker_key:
            key = keys.get(quote.speaker_key, quote.speaker_key)
            speaker = names.get(key, quote.speaker)
        rows.append(
            (
                c.claim_id,
                c.source,
                c.kind,
                c.text,
                c.line,
                speaker,
                result.graph.cluster_of.get(c.claim_id, ""),
                result.matching.story_of.get(c.source, ""),
            )
        )
    return pl.DataFrame(rows, schema=CLAIM_COLUMNS, orient="row")


COVERAGE_COLUMNS: dict[str, type[pl.DataType]] = {
    "story": pl.String,
    "cluster": pl.String,
    "sources": pl.Int64,
    "text": pl.String,
}
"""Then one column per source, holding the id of its claim in the cluster (empty: lacks it)."""


def coverage_frame(result: CheckResult) -> pl.DataFrame:
    """One row per claim cluster, one column per source: which sources carry which claims."""
    sources = sorted({a.source for a in result.articles})
    by_id = {c.claim_id: c for c in result.claims}
    members: dict[str, list[str]] = {}
    for claim_id, cluster in result.graph.cluster_of.items():
        members.setdefault(cluster, []).append(claim_id)
    rows = []
    for cluster, ids in members.items():
        ids.sort()
        first = by_id[ids[0]]
        carried = {by_id[i].source: i for i in ids}
        story = result.matching.story_of.get(first.source, "")
        rows.append(
            (story, cluster, len(carried), first.text, *(carried.get(s, "") for s in sources))
        )
    rows.sort(key=lambda r: (r[0], next(c for c in r[4:] if c)))
    # A source called "text" or "story" must not overwrite a fixed column.
    columns = [s if s not in COVERAGE_COLUMNS else f"{s} (source)" for s in sources]
    schema = {**COVERAGE_COLUMNS, **dict.fromkeys(columns, pl.String)}
    return pl.DataFrame(rows, schema=schema, orient="row")


def write_all(result: CheckResult, out_dir: Path) -> list[Path]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConsistencyError(
            f"{out_dir}: cannot create output directory: {exc.strerror or exc}"
        ) from exc
    targets = {
        "discrepancies.csv": lambda p: discrepancies_frame(result.discrepancies).write_csv(p),
        "claims.csv": lambda p: claims_frame(result).write_csv(p),
        "coverage.csv": lambda p: coverage_frame(result).write_csv(p),
        "graph.graphml": lambda p: nx.write_graphml(result.graph.graph, p),
    }
    written: list[tuple[Path, Path]] = []
    try:
        for name, write in targets.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            os.close(fd)
            written.append((Path(tmp), out_dir / name))
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
    for tmp, final in written:
        tmp.replace(final)
    return [final for _, final in written]


def summary(
    rows: tuple[Discrepancy, ...], sources: int, claims: int, stories: int, worst: int = 8
) -> str:
    """A short plain-text summary: counts by kind and severity, then the worst rows."""
    lines = [f"{sources} sources, {stories} stories, {claims} claims, {len(rows)} discrepancies"]
    if not rows:
        return lines[0]
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
    for r in sorted(rows, key=lambda r: SEVERITY_RANK[r.severity])[:worst]:
        pair = f"{r.source_a} vs {r.source_b}" if r.source_b else r.source_a
        lines.append(
            f"  {r.severity:<6} {r.kind:<17} {r.subject[:30]:<30} {pair}: "
            f"{_short(r.value_a)} | {_short(r.value_b)}"
        )
    return "\n".join(lines)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
