"""Checkpoints: what a check's two costly stages produced, kept on disk as they finish,
so that a check that stops (killed, out of memory, a failed Spark job, Ctrl-C) is
resumed by running it again with the same `--checkpoint DIR`.

Two stages are kept, each under a key that says exactly what it was computed from:

- reading (clean, claims, extract), as a Parquet table per kind of record (the
  cleaned articles, claims, judgments, people, quotations, organisations), keyed by
  the package's own code and data files, the versions of Python and of the libraries
  the package requires, the configuration's additions to the domain tables and every
  article checked (its source, path, first line, metadata and body): a changed
  article, a new version of the package or of a library, or another configuration
  reads afresh;
- the detectors' rows, one Parquet table per batch of whole stories as each batch is
  done (`compare.BatchLog`), keyed by the reading's key, the matching settings and
  the batch's story ids: a check that stopped in the detectors runs only the batches
  it had not done.

Stories, matches and claim clusters are worked out again on a resumed run (their
inputs are what reading gave; they are a fraction of the time). The report of a
resumed run is the one a run from scratch writes, byte for byte
(tests/test_checkpoint.py). Each table is written as `--tables` writes them
(`tables.write_tables`: to a temporary name, then renamed), so a run stopped while
writing leaves no half-written table; a table that cannot be read back is worked out
again and written anew. Tables of other inputs are left in
the folder: a folder may serve several feeds, and is removed by whoever made it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from . import domain, tables
from .caching import table_cache
from .compare import Found
from .detectors import DETECTORS
from .errors import ConsistencyError
from .models import (
    Article,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Judgment,
    OrgMention,
    PersonMention,
    Quote,
)
from .settings import MatchSettings

Read = tuple[tuple[CleanArticle, ...], tuple[Claim, ...], Extraction]
"""What reading gives (`pipeline.Read`)."""

_PACKAGE = Path(__file__).resolve().parent


@table_cache
def code_key() -> str:
    """A digest of the package's code and bundled data, of Python's version and of the
    versions of the libraries reading and the detectors call (ftfy's repairs,
    trafilatura's page text, wordfreq's frequencies): results kept by another version
    of any are never taken."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".json", ".txt", ".csv"):
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    _put(digest, sys.version, *(f"{name} {_version(name)}" for name in _dependencies()))
    return digest.hexdigest()


def _dependencies() -> list[str]:
    """The distributions the installed package requires, its extras' left out (none
    when run from a source tree never installed: the code's own digest still holds)."""
    try:
        required = metadata.requires("consistency") or []
    except metadata.PackageNotFoundError:
        return []
    # The extras' (tests, linters, Spark) leave the results as they are.
    base = [line for line in required if "extra ==" not in line]
    names = {re.split(r"[\s;<>=!~\[(]", line, maxsplit=1)[0] for line in base}
    return sorted(name for name in names if name)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _put(digest: Any, *parts: str) -> None:
    """Each part with its length before it, so that no two lists of parts run together."""
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)


def read_key(articles: Iterable[Article], additions: dict[str, dict[str, Any]]) -> str:
    """What reading's result depends on: the code, the domain tables' additions and
    every article (the feed's site-template lines are found from the articles)."""
    digest = hashlib.sha256()
    _put(digest, code_key(), json.dumps(additions, sort_keys=True, default=repr))
    for article in articles:
        _put(digest, article.source, article.path, str(article.first_line), article.body)
        _put(
            digest, str(len(article.metadata)), *(x for kv in article.metadata.items() for x in kv)
        )
    return digest.hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """A check's checkpoint folder, for one feed under one configuration (`open`)."""

    folder: Path
    key: str
    """`read_key` of the articles checked."""

    @classmethod
    def open(cls, folder: Path, articles: Iterable[Article]) -> Checkpoint:
        """The checkpoint of `articles` (under the domain tables now configured) in
        `folder`, made if missing; an unwritable folder is an error now, before any work."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".writable"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise _unwritable(folder, error) from error
        return cls(folder, read_key(articles, domain.additions()))

    @property
    def _read_folder(self) -> Path:
        return self.folder / f"read-{self.key[:32]}"

    def read(self) -> Read | None:
        """What reading gave, if it was kept."""
        parts: dict[str, tuple[Any, ...]] = {}
        for name, cls in _READ.items():
            table = _load(self._read_folder / f"{name}.parquet")
            if table is None or table.schema != tables.schema(cls):
                return None
            parts[name] = tuple(tables.records(table, cls))
        extraction = Extraction(parts["judgments"], parts["people"], parts["quotes"], parts["orgs"])
        return parts["articles"], parts["claims"], extraction

    def keep_read(self, read: Read) -> None:
        """Keep what reading gave: a table per kind of record, in a folder renamed into
        place once every table is written."""
        cleaned, claims, extraction = read
        records = {
            "articles": cleaned,
            "claims": claims,
            "judgments": extraction.judgments,
            "people": extraction.people,
            "quotes": extraction.quotes,
            "orgs": extraction.orgs,
        }
        partial = self._read_folder.with_name(self._read_folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        made = {name: tables.frame(records[name], cls) for name, cls in _READ.items()}
        tables.write_tables(made, partial)
        try:
            shutil.rmtree(self._read_folder, ignore_errors=True)
            partial.rename(self._read_folder)
        except OSError as error:
            raise _unwritable(self.folder, error) from error

    def batches(self, settings: MatchSettings) -> Batches:
        """Where the detectors' rows are kept, for matching with `settings`."""
        digest = hashlib.sha256()
        _put(digest, self.key, repr(settings))
        return Batches(self.folder, digest.hexdigest())


_READ: dict[str, type] = {
    "articles": CleanArticle,
    "claims": Claim,
    "judgments": Judgment,
    "people": PersonMention,
    "quotes": Quote,
    "orgs": OrgMention,
}
"""What reading gives, a table per kind of record."""

_FOUND = pl.Schema({"detector": pl.String(), **tables.schema(Discrepancy)})


@dataclass(frozen=True)
class Batches:
    """The detectors' rows on each batch of stories done (a `compare.BatchLog`)."""

    folder: Path
    key: str

    def _path(self, stories: tuple[str, ...]) -> Path:
        digest = hashlib.sha256()
        _put(digest, self.key, *stories)
        return self.folder / f"batch-{digest.hexdigest()[:32]}.parquet"

    def done(self, stories: tuple[str, ...]) -> Found | None:
        table = _load(self._path(stories))
        if table is None or table.schema != _FOUND:
            return None
        found: Found = {d.name: [] for d in DETECTORS}
        read = tables.reader(Discrepancy)
        for row in table.iter_rows(named=True):
            found.setdefault(row.pop("detector"), []).append(read(row))
        return found

    def keep(self, stories: tuple[str, ...], found: Found) -> None:
        write = tables.writer(Discrepancy)
        rows = [{"detector": name, **write(d)} for name, kept in found.items() for d in kept]
        path = self._path(stories)
        tables.write_tables(
            {path.stem: pl.DataFrame(rows, schema=_FOUND, orient="row")}, path.parent
        )


def _load(path: Path) -> pl.DataFrame | None:
    """A kept table, or None where there is none or it cannot be read."""
    if not path.is_file():
        return None
    try:
        return pl.read_parquet(path)
    # A damaged file (polars' or Arrow's errors, or a panic of the Rust reader, which
    # is a BaseException): worked out again and written anew.
    except (Exception, pl.exceptions.PanicException):
        return None


def _unwritable(folder: Path, error: OSError) -> ConsistencyError:
    return ConsistencyError(f"{folder}: cannot keep a checkpoint there: {error.strerror or error}")
