"""Baselines: the discrepancies a team has already seen, so that CI fails only on new ones.

A baseline is any CSV with an `id` column (a discrepancies.csv from an earlier run,
or the file `consistency baseline` writes, which adds kind, severity, subject and
sources so that a reviewer can read it), or a plain list of ids, one a line, with
`#` comments. Ids are stable across runs and input order (see README), so a row
found again has the same id.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .models import Discrepancy
from .report import spreadsheet_safe, write_atomically

BASELINE_COLUMNS = ("id", "kind", "severity", "subject", "source_a", "source_b")
_ID = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class Baseline:
    path: str
    ids: frozenset[str]

    def split(self, rows: Iterable[Discrepancy]) -> tuple[list[Discrepancy], list[Discrepancy]]:
        """(new rows, known rows)."""
        new: list[Discrepancy] = []
        known: list[Discrepancy] = []
        for row in rows:
            (known if row.id in self.ids else new).append(row)
        return new, known

    def gone(self, rows: Iterable[Discrepancy]) -> frozenset[str]:
        """Ids in the baseline that this run no longer finds (fixed, or the copy changed)."""
        return self.ids - {row.id for row in rows}


def read(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "baseline file not found") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "baseline is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read baseline: {exc.strerror or exc}") from None
    lines = [line.strip() for line in text.splitlines()]
    first = next((line for line in lines if line and not line.startswith("#")), "")
    if "," in first or first == "id":
        ids = _ids_from_csv(path, text)
    else:
        ids = []
        for number, line in enumerate(lines, start=1):
            if line and not line.startswith("#"):
                ids.append(_valid(path, line, number))
    return Baseline(str(path), frozenset(ids))


def _ids_from_csv(path: Path, text: str) -> list[str]:
    reader = csv.DictReader(io.StringIO(text))
    if "id" not in (reader.fieldnames or []):
        raise InputError(str(path), "baseline CSV has no 'id' column", 1)
    return [_valid(path, (row["id"] or "").strip(), reader.line_num) for row in reader]


def _valid(path: Path, value: str, line: int) -> str:
    if not _ID.fullmatch(value):
        raise InputError(str(path), f"{value[:40]!r} is not a discrepancy id (12 hex digits)", line)
    return value


def write(rows: Iterable[Discrepancy], path: str | Path) -> Path:
    """Write a baseline of `rows` to `path` (a CSV readable by `read`), atomically."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(BASELINE_COLUMNS)
    for row in sorted(rows, key=lambda r: r.id):
        out.writerow([spreadsheet_safe(getattr(row, column)) for column in BASELINE_COLUMNS])
    path = Path(path)
    write_atomically(path, buffer.getvalue())
    return path
