"""Stage 1, ingest: read files into `Article`s with metadata and line provenance.

Accepted inputs:
- plain text and Markdown, optionally with a front-matter block of `key: value`
  lines closed by a `---` line;
- HTML pages (main text extracted with trafilatura);
- JSON (one object or a list of objects) and JSON Lines (one object a line), either
  plain records with fields id, outlet, url, published, author, headline, body, or
  IPTC ninjs objects (1.x `body_text` / `body_html`, 2.x `bodies` / `headlines`);
- RSS (0.9x, 1.0, 2.0) and Atom feeds saved to disk, one article per item.
- web pages given by http:// or https:// URL, fetched by `fetch` and read as HTML
  files are (their ids from the URL, `url_id`; metadata `url` and `fetched`);
- `-`: one article on standard input, JSON Lines when it starts with `{`, else text.

The source id of an article is its front-matter or record `id` (a ninjs `uri`, a
feed item's guid or link), made safe to print and to use in a file name, else the
file stem (`stem-N` for the Nth record of a file holding several). Ids that several
files share are told apart by the folders of each file (`2024-05-14/bbc.txt` is
`2024-05-14-bbc`), and a `Notice` says so. Files that are not UTF-8 are decoded by
detection and a `Notice` says so. Nothing at or under an `exclude`d path is read,
nor a folder holding this tool's reports. Every problem is an
`InputError` naming the file, and the line for JSON, JSON Lines and feed items;
`read_feed(..., keep_going=True)` lists them as `Skipped` and reads the rest.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from . import fetch
from .errors import InputError
from .models import METADATA_KEYS, Article, Notice, Skipped, frozen_map

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
PARQUET_SUFFIXES = frozenset({".parquet"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES | PARQUET_SUFFIXES

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
"""The largest file holding one article (text, Markdown, HTML), and the largest
body a record or feed item may carry. Real copy is a few kilobytes; anything this
big is a mistake (a database dump, a log) that would only slow every stage down."""
MAX_FEED_BYTES = 512 * 1024 * 1024
"""The largest JSON, JSON Lines, Parquet or feed file: a day's wire holds thousands
of articles in one file, so these get a larger limit than one article."""
STDIN = "-"
"""The input that reads one article from standard input."""
STDIN_NAME = "<stdin>"
"""Standard input as messages and `Article.path` name it; its articles' ids default
to `stdin`."""
MAX_ID_CHARS = 80
"""Source ids longer than this are cut and given a hash of the whole id, so that
they stay unique and fit in a report column and in a file name."""

# The files `report.write_reports` writes (not imported: that would load polars for
# every read); tests/test_ingest.py checks the two agree. A folder holding the three
# tables in one format holds the reports of a run, and is never read as articles
# (problems, added later, is not required: an older run's folder is still known).
_REPORT_TABLES = ("discrepancies", "claims", "coverage")
_REPORT_FORMATS = ("csv", "json", "jsonl", "parquet")
REPORT_FILES = frozenset(
    {f"{table}.{fmt}" for table in (*_REPORT_TABLES, "problems") for fmt in _REPORT_FORMATS}
    | {"skipped.csv", "report.html", "graph.graphml"}
)
"""Names of the files the tool writes into its output folder."""
_TABLES_WRITTEN = ("articles", "claims", "discrepancies")
"""Tables `check --tables DIR` writes as Parquet (`tables.TABLES`; tests/test_ingest.py
checks they are among them): a folder holding all three is a run's output, and its
Parquet files are not article records."""

_FRONT_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$")
_FRONT_END = re.compile(r"^-{3,}\s*$")
# Front matter is short; a body line that happens to look like "Key: value" deep
# into a file must not turn the whole article into metadata.
_MAX_FRONT_LINES = 40
_SOURCE_ID = re.compile(r"[^\w.-]+")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Names Windows reserves for devices, whatever the extension: a report or cache
# file named after such an id could not be created there.
_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)

# Bytes that never occur in text, whatever its encoding (tab, line feed, form feed,
# carriage return and vertical tab do).
_CONTROL_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 11, 12, 13} | {127}))
_BINARY_SHARE = 0.05
_SNIFF_BYTES = 64 * 1024
# charset-normalizer's "mess" (0 clean .. 1 noise) above which a decoding is a guess.
_MAX_MESS = 0.2
# Windows-1252 is taken whenever it reads the bytes about as cleanly as the best
# candidate: UK copy is overwhelmingly Windows-1252, and on short texts the detector
# ranks code pages that read "£" as "Ł" (Windows-1250) or worse just as high.
_WESTERN_MARGIN = 0.05
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)

_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_XML_PROLOGUE = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE
)
_XML_ROOT = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_XML_ENCODING = re.compile(
    r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])([A-Za-z0-9._-]+)\2""", re.IGNORECASE
)
_ITEM_TAG = re.compile(r"<(?:[\w-]+:)?(?:item|entry)[\s>/]")


@dataclass(frozen=True, slots=True)
class Feed:
    """What `read_feed` read: the articles (sorted by source id), what it left out
    (only when asked to keep going) and what it did that the user should know of."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[Notice, ...] = ()


class _Log:
    """Problems and notices of one read: a problem raises, unless keeping going."""

    def __init__(self, keep_going: bool) -> None:
        self.keep_going = keep_going
        self.skipped: list[Skipped] = []
        self.notices: list[Notice] = []

    def problem(self, error: InputError) -> None:
        if not self.keep_going:
            raise error
        self.skipped.append(Skipped(error.path, error.line, error.problem))

    def notice(self, path: Path | str, message: str) -> None:
        self.notices.append(Notice(str(path), message))


RemoteFiles = Callable[[str], list[tuple[str, int, bytes | None]]]
"""Every file at or under a URI, as (its URI, its size, its bytes, or None for a file
over `MAX_FEED_BYTES`, which is not fetched)."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


def is_remote(value: str) -> bool:
    """Whether an input is a URI of a scheme other than http and https (`hdfs://`,
    `s3a://`, `file://`): read by a cluster's file systems, not this process's."""
    return bool(_SCHEME.match(value)) and not fetch.is_url(value)


def unreachable(uri: str) -> list[tuple[str, int, bytes | None]]:
    """The `RemoteFiles` of a reader without a cluster: none, and why."""
    raise InputError(uri, "a URI of this scheme is read on a Spark cluster: add --engine spark")


def read_feed(
    paths: Iterable[str | Path],
    keep_going: bool = False,
    exclude: Iterable[str | Path] = (),
    limits: fetch.Limits | None = None,
    stdin: BinaryIO | None = None,
    remote: RemoteFiles = unreachable,
) -> Feed:
    """Read every article under `paths`: files or directories, http:// and https://
    URLs (fetched within `limits`; see `fetch`), `-` for standard input (`stdin`,
    by default the process's), and URIs of other schemes (`hdfs://`, `s3a://`,
    `file://`: files or folders only a cluster may reach), whose files `remote` lists
    and reads (the Spark engine's `files`); each file is read as a local one is.

    With `keep_going` false the first problem raises `InputError`. With it true every
    unreadable file or record and every page that cannot be fetched is left out and
    listed in `Feed.skipped`, and the rest is read; reading nothing at all is still an
    error.

    Nothing at or under a path in `exclude` (the run's output folder, its baseline) is
    read; see `discover`. Files sharing a source id get ids naming their folders; see
    `_unique_ids`.
    """
    paths = list(paths)
    log = _Log(keep_going)
    uris = list(dict.fromkeys(str(p) for p in paths if is_remote(str(p))))
    files = [
        p for p in paths if not fetch.is_url(str(p)) and str(p) != STDIN and not is_remote(str(p))
    ]
    urls = list(dict.fromkeys(str(p) for p in paths if fetch.is_url(str(p))))
    read: list[_Read] = []
    for uri in uris:
        try:
            read += _remote_reads(uri, remote, log)
        except InputError as exc:
            log.problem(exc)
    if files:
        try:
            found = _discover(files, log, exclude)
        except InputError as exc:
            if len(files) == len(paths):
                raise
            log.problem(exc)  # pages or standard input may still give articles
            found = {}
        for path, folders in found.items():
            try:
                items = list(_file_items(path, log))
            except InputError as exc:
                log.problem(exc)
                continue
            read += _one_file(items, path, folders, log)
    if urls:
        read += _page_reads(urls, limits, log)
    if STDIN in (str(p) for p in paths):
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            items = list(_stdin_items(stream, log))
        except InputError as exc:
            log.problem(exc)
        else:
            read += _one_file(items, Path(STDIN_NAME), (), log)
    articles = _unique_ids(read, log)
    if not articles:
        where = ", ".join(str(p) for p in paths)
        if not log.skipped:
            raise InputError(where, "no readable articles")
        first_skipped = log.skipped[0]
        at = (
            f"{first_skipped.path}:{first_skipped.line}"
            if first_skipped.line is not None
            else first_skipped.path
        )
        raise InputError(
            where,
            f"no readable articles ({len(log.skipped)} skipped; "
            f"first: {at}: {first_skipped.problem})",
        )
    return Feed(
        tuple(articles[k] for k in sorted(articles)), tuple(log.skipped), tuple(log.notices)
    )


def _remote_reads(uri: str, remote: RemoteFiles, log: _Log) -> list[_Read]:
    """The articles of the files at or under a URI, each file read by its kind as a
    local file is (hidden files and folders, and other kinds, left out likewise)."""
    root = PurePosixPath(urlsplit(uri).path)
    read: list[_Read] = []
    for name, size, raw in sorted(remote(uri)):
        where = PurePosixPath(urlsplit(name).path)
        try:
            parts = where.relative_to(root).parts or (where.name,)
        except ValueError:
            parts = (where.name,)
        suffix = where.suffix.lower()
        if suffix not in SUFFIXES or any(part.startswith(".") for part in parts):
            continue
        if size > _limit(suffix) or raw is None:
            log.problem(InputError(name, _too_big(size, _limit(suffix))))
            continue
        if suffix == ".xml" and _feed_root(raw[:_SNIFF_BYTES].decode("latin-1")) is None:
            log.notice(name, "not an RSS or Atom feed; left out")
            continue
        noticed = len(log.notices)
        items = [
            replace(item, path=name)
            if isinstance(item, Article)
            else InputError(name, item.problem, item.line)
            for item in _items_of(Path(where), raw, log)
        ]
        # What reading noted of the file names it by its URI, as its articles are.
        log.notices[noticed:] = [replace(n, path=name) for n in log.notices[noticed:]]
        read += _one_file(items, Path(where), parts[:-1], log)
    if not read and not log.skipped:
        raise InputError(uri, f"no article files found (looked for {', '.join(sorted(SUFFIXES))})")
    return read


def _one_file(
    items: list[Article | InputError], path: Path, folders: tuple[str, ...], log: _Log
) -> list[_Read]:
    """The articles of one file (or standard input), its problems given to `log`."""
    read: list[_Read] = []
    earlier: dict[str, Article] = {}
    for item in items:
        if isinstance(item, InputError):
            log.problem(item)
        elif item.source in earlier:
            # Records of one file cannot be told apart by its path.
            first = earlier[item.source].first_line
            log.problem(
                InputError(
                    item.path,
                    f"source id {item.source!r} is also used by the record at line "
                    f"{first} of this file",
                    item.first_line,
                )
            )
        else:
            earlier[item.source] = item
            read.append(_Read(item, path, folders))
    return read


@dataclass(frozen=True, slots=True)
class _Read:
    """An article as read, with its file and the folders that tell it apart (for a
    fetched page: its host and path, and no folders)."""

    article: Article
    path: Path
    folders: tuple[str, ...]


def _unique_ids(read: list[_Read], log: _Log) -> dict[str, Article]:
    """The articles by source id, ids shared by several files made unique.

    An id only one file uses keeps its form. The files sharing one are given, all of
    them, the first of these forms that tells them apart and that no other article
    has (a file at the top of the input keeps the id): their folders relative to the
    input and the id (`2024-05-14/bbc`); with the file's stem too (`desk/kent/bbc`,
    when one folder holds both); with its name (`desk/kent.txt/bbc`); the path as
    given and the id. Each is made safe as `source_id` makes ids, and a `Notice`
    names the new id. The result depends only on the files, not on the order they
    were given or found in. One file reached by two paths, and ids no form tells
    apart, are problems, as before.
    """
    groups: dict[str, list[_Read]] = {}
    for entry in read:
        groups.setdefault(entry.article.source, []).append(entry)
    taken = set(groups)
    articles: dict[str, Article] = {}
    for sid in sorted(groups):
        if len(groups[sid]) == 1:  # most ids: one file, nothing to tell apart or resolve
            articles[sid] = groups[sid][0].article
            continue
        group = sorted(groups[sid], key=lambda e: (e.article.path, e.article.first_line))
        kept: dict[Path, _Read] = {}
        for entry in group:
            same = kept.setdefault(_resolved(entry.path), entry)
            if same is not entry:
                log.problem(
                    InputError(
                        entry.article.path, f"source id {sid!r} is also used by {same.article.path}"
                    )
                )
        group = list(kept.values())
        if len(group) == 1:
            articles[sid] = group[0].article
            continue
        ids = _qualified_ids(sid, group, taken)
        if ids is None:
            first, *rest = group
            articles[sid] = first.article
            for entry in rest:
                log.problem(
                    InputError(
                        entry.article.path,
                        f"source id {sid!r} is also used by {first.article.path}",
                    )
                )
            continue
        others = len(group) - 1
        files = "file" if others == 1 else "files"
        for entry, new in zip(group, ids, strict=True):
            taken.add(new)
            articles[new] = replace(entry.article, source=new)
            told = "kept" if new == sid else f"read as {new!r}"
            log.notice(
                entry.article.path,
                f"source id {sid!r} is also used by {others} other {files}; {told}",
            )
    return articles


def _qualified_ids(sid: str, group: list[_Read], taken: set[str]) -> list[str] | None:
    """The first form of the ids of `group` (see `_unique_ids`) that tells them apart."""
    forms: tuple[Callable[[_Read], tuple[str, ...]], ...] = (
        lambda e: (*e.folders, sid),
        lambda e: (*e.folders, e.path.stem, sid),
        lambda e: (*e.folders, e.path.name, sid),
        lambda e: (*e.path.parts[1 if e.path.anchor else 0 :], sid),
    )
    for form in forms:
        try:
            ids = [source_id("/".join(form(entry)), entry.path) for entry in group]
        except InputError:  # pragma: no cover - the id itself is usable
            continue
        # The id itself is free to a file the form leaves it to (one at the top of
        # the input, beside others in folders).
        if len(set(ids)) == len(ids) and not any(i in taken and i != sid for i in ids):
            return ids
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, an unreadable parent
        return path.absolute()


def read_articles(paths: Iterable[str | Path]) -> tuple[Article, ...]:
    """Read every article under `paths`, sorted by source id; the first problem raises."""
    return read_feed(paths).articles


def discover(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Expand files and directories into the sorted list of article files.

    Left out: hidden files and folders; anything at or under a path in `exclude`; a
    folder holding this tool's reports (its three tables in one format: a run's
    output folder, wherever it is), or, when that folder is an input itself, those
    report files in it.
    """
    return list(_discover(list(paths), _Log(keep_going=False), exclude))


def read_file(path: Path) -> Iterator[Article]:
    """The articles of one file; the first problem raises `InputError`."""
    log = _Log(keep_going=False)
    for item in _file_items(path, log):
        if isinstance(item, InputError):
            raise item
        yield item


def _discover(
    paths: list[str | Path], log: _Log, exclude: Iterable[str | Path] = ()
) -> dict[Path, tuple[str, ...]]:
    """The article files, sorted, each with the folders that tell it apart from a
    file of the same name: its folders relative to the input folder it was found in
    (the outermost, when found in several), or for a file given on its own, the
    folder it is in."""
    skip = _Exclusions(exclude, log)
    found: dict[Path, tuple[str, ...]] = {}
    direct: dict[Path, tuple[str, ...]] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for candidate in path.rglob("*"):
                parts = candidate.relative_to(path).parts
                if (
                    candidate.suffix.lower() not in SUFFIXES
                    or any(part.startswith(".") for part in parts)
                    or not candidate.is_file()
                ):
                    continue
                if (
                    (
                        len(parts) == 1
                        and candidate.name in REPORT_FILES
                        and skip.holds_output(path, below_input=False)
                    )
                    or any(
                        skip.holds_output(path.joinpath(*parts[:depth]))
                        for depth in range(1, len(parts))
                    )
                    or skip.excluded(candidate)
                ):
                    continue
                # ".xml" names many things besides feeds (sitemaps, settings); found in a
                # folder, only a feed is an article file.
                if candidate.suffix.lower() == ".xml" and not _sniff_feed(candidate):
                    log.notice(candidate, "not an RSS or Atom feed; left out")
                    continue
                folders = parts[:-1]
                if len(folders) >= len(found.get(candidate, ())):
                    found[candidate] = folders
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                log.problem(
                    InputError(
                        str(path),
                        f"unsupported file type {path.suffix or '(none)'!r}; "
                        f"expected one of {', '.join(sorted(SUFFIXES))}",
                    )
                )
                continue
            if skip.excluded(path):
                log.notice(path, "excluded (an output or the baseline of this run); not read")
                continue
            if path.name in REPORT_FILES and _holds_reports(path.parent):
                log.notice(path, "a report of an earlier run of this tool; not read")
                continue
            direct[path] = (path.parent.name,) if path.parent.name else ()
        elif path.exists():
            log.problem(InputError(str(path), "not a regular file or directory"))
        else:
            log.problem(InputError(str(path), "no such file or directory"))
    found = {**direct, **found}
    if not found:
        raise InputError(
            ", ".join(str(p) for p in paths),
            f"no article files found (looked for {', '.join(sorted(SUFFIXES))})",
        )
    return {path: found[path] for path in sorted(found)}


class _Exclusions:
    """What reading leaves out: the paths in `exclude` (files, or folders with all
    under them) and folders holding this tool's reports."""

    def __init__(self, exclude: Iterable[str | Path], log: _Log) -> None:
        self.paths = {_resolved(Path(p)) for p in exclude}
        self.names = {p.name for p in self.paths}
        self.log = log
        self._folders: dict[tuple[Path, bool], bool] = {}

    def excluded(self, path: Path) -> bool:
        return path.name in self.names and _resolved(path) in self.paths

    def holds_output(self, folder: Path, below_input: bool = True) -> bool:
        """Whether `folder` is excluded or holds reports. A folder below an input is
        then left out whole; an input folder keeps its other files."""
        key = (folder, below_input)
        if key not in self._folders:
            excluded = self.excluded(folder)
            reports = not excluded and _holds_reports(folder)
            if reports:
                what = "not read" if below_input else "those files not read"
                self.log.notice(folder, f"holds the reports of a run of this tool; {what}")
            self._folders[key] = excluded or reports
        return self._folders[key]


def _holds_reports(folder: Path) -> bool:
    """Whether `folder` holds the three tables of a run in one format, or the Parquet
    tables of `check --tables`."""
    if report_formats(folder):
        return True
    try:
        return all((folder / f"{name}.parquet").is_file() for name in _TABLES_WRITTEN)
    except OSError:
        return False


def report_formats(folder: Path) -> tuple[str, ...]:
    """The formats in which `folder` holds the three tables of a run of this tool."""
    try:
        names = {entry.name for entry in folder.iterdir()}
    except OSError:
        return ()
    return tuple(
        fmt for fmt in _REPORT_FORMATS if all(f"{table}.{fmt}" in names for table in _REPORT_TABLES)
    )


def _sniff_feed(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return True  # let reading report it
    return _feed_root(head.decode("latin-1")) is not None


def _limit(suffix: str) -> int:
    """The largest file of this kind read (`MAX_FEED_BYTES`, `MAX_ARTICLE_BYTES`)."""
    many = JSON_SUFFIXES | FEED_SUFFIXES | PARQUET_SUFFIXES
    return MAX_FEED_BYTES if suffix.lower() in many else MAX_ARTICLE_BYTES


def _file_items(path: Path, log: _Log) -> Iterator[Article | InputError]:
    """The articles of one file, and its records' problems as values (not raised)."""
    yield from _items_of(path, _load(path, _limit(path.suffix)), log)


def _items_of(path: Path, raw: bytes, log: _Log) -> Iterator[Article | InputError]:
    """The articles of a file's bytes, read by the file's kind (its suffix)."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        yield from _read_parquet(path, raw)
        return
    if suffix in FEED_SUFFIXES:
        yield from _read_feed_file(path, raw, log)
        return
    text, notice = decode(path, raw)
    if notice:
        log.notice(path, notice)
    if suffix in JSON_SUFFIXES:
        yield from _read_json(path, text)
    elif suffix in HTML_SUFFIXES:
        yield _read_html(path, text)
    else:
        yield _read_text(path, text)


def _load(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing one over `limit` before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(str(path), _too_big(size, limit))
        with path.open("rb") as handle:
            # A file can grow between stat and read, and some report no size at all.
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise InputError(str(path), _too_big(len(raw), limit))
    return raw


def _too_big(size: int, limit: int) -> str:
    mb = 1024 * 1024
    return f"file is {size / mb:.1f} MB, over the {limit // mb} MB limit"


def decode(path: Path | str, raw: bytes) -> tuple[str, str]:
    """Text of `raw`, and what the user should be told when it was not UTF-8 (else "").

    UTF-8 (with or without a byte-order mark) is taken as it is; UTF-16 and UTF-32
    need their byte-order mark; UTF-8 with a few stray bytes (a paste from another
    file) keeps its UTF-8 and reads the strays as Windows-1252; anything else is
    detected with charset-normalizer. Empty files, binary files and undetectable
    encodings raise `InputError`.
    """
    if not raw.strip():
        raise InputError(str(path), "file is empty")
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return _non_empty(path, raw.decode(codec)), _decoded_as(name)
            except UnicodeDecodeError as exc:
                raise InputError(str(path), f"not valid {name}: {exc.reason}") from exc
    head = raw[:_SNIFF_BYTES]
    if b"\x00" in head[:8192]:
        raise InputError(str(path), "looks like a binary file (contains NUL bytes), not an article")
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > _BINARY_SHARE * len(head):
        raise InputError(
            str(path), "looks like a binary file (mostly control bytes), not an article"
        )
    try:
        return _non_empty(path, raw.decode("utf-8-sig")), ""
    except UnicodeDecodeError as exc:
        return _mixed(path, raw) or _detect(path, raw, exc)


def _decoded_as(name: str) -> str:
    return f"decoded as {name} (not UTF-8)"


_STRAY = re.compile("[\udc80-\udcff]")
_WIDE = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _mixed(path: Path | str, raw: bytes) -> tuple[str, str] | None:
    """UTF-8 with stray bytes, when its valid multi-byte characters outnumber them.

    Legacy text almost never forms a valid UTF-8 sequence by chance (a capital with
    an accent followed by a curly quote), so valid ones mean the file is UTF-8.
    """
    text = raw.decode("utf-8-sig", "surrogateescape")
    strays = len(_STRAY.findall(text))
    if len(_WIDE.findall(text)) <= strays:
        return None

    def legacy(match: re.Match[str]) -> str:
        byte = bytes([ord(match.group()) - 0xDC00])
        try:
            return byte.decode("cp1252")
        except UnicodeDecodeError:
            return byte.decode("latin-1")

    noun = "byte that is" if strays == 1 else "bytes that are"
    message = f"decoded as UTF-8, with {strays} {noun} not UTF-8 read as windows-1252"
    return _non_empty(path, _STRAY.sub(legacy, text)), message


def _non_empty(path: Path | str, text: str) -> str:
    if not text.strip():
        raise InputError(str(path), "file is empty")
    return text


def _detect(path: Path | str, raw: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    western = from_bytes(raw, cp_isolation=["cp1252"]).best()
    chosen = best
    if western is not None and (best is None or western.chaos <= best.chaos + _WESTERN_MARGIN):
        chosen = western
    if chosen is None or chosen.chaos > _MAX_MESS:
        raise InputError(
            str(path),
            f"not UTF-8 (byte {raw[error.start]:#04x} at offset {error.start}) and its "
            "encoding cannot be told with confidence; convert it to UTF-8 first",
        )
    return _non_empty(path, str(chosen)), _decoded_as(encoding_name(chosen.encoding))


def encoding_name(codec: str) -> str:
    """The name people know an encoding by: "windows-1252" for Python's "cp1252"."""
    name = codecs.lookup(codec).name
    if match := re.fullmatch(r"cp(125\d)", name):
        return f"windows-{match.group(1)}"
    if match := re.fullmatch(r"iso8859-(\d+)", name):
        return f"iso-8859-{match.group(1)}"
    return name


def source_id(value: str, path: Path | str) -> str:
    """A source id safe to print and to use in a file name.

    Characters other than letters, digits, `_`, `.` and `-` become `-` (so no path
    separators, drive letters, NULs or line breaks survive), leading and trailing
    dots and dashes go (no `..`, no hidden files), a URL loses its scheme, an id
    longer than MAX_ID_CHARS is cut and given a hash of the whole, and a Windows
    device name gets a `_`. An id with nothing left is an error naming the file.
    """
    text = _URL_SCHEME.sub("", unicodedata.normalize("NFKC", value).strip())
    # Runs of dots go too: "a..b" is harmless here, but not everything downstream knows it.
    cleaned = re.sub(r"\.{2,}", ".", _SOURCE_ID.sub("-", text)).strip("-.")
    if not cleaned:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InputError(str(path), f"unusable source id {shown!r} (no letters or digits)")
    if len(cleaned) > MAX_ID_CHARS:
        digest = hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = cleaned[: MAX_ID_CHARS - 9].rstrip("-.") + "-" + digest
    stem, dot, rest = cleaned.partition(".")
    if stem.upper() in _RESERVED_NAMES:
        cleaned = f"{stem}_{dot}{rest}"
    return cleaned


def split_front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """Split `key: value` lines ended by `---` from the body.

    Returns (metadata, body, number of lines consumed). A leading `---` line (as
    in YAML front matter) is allowed. Text without a complete block is all body.
    """
    lines = text.split("\n")
    start = 1 if lines and _FRONT_END.match(lines[0]) else 0
    meta: dict[str, str] = {}
    for i in range(start, min(len(lines), start + _MAX_FRONT_LINES)):
        line = lines[i]
        if _FRONT_END.match(line):
            if not meta:
                break
            return meta, "\n".join(lines[i + 1 :]), i + 1
        match = _FRONT_KEY.match(line)
        if not match:
            break
        meta[match.group(1).lower()] = match.group(2)
    return {}, text, 0


def _read_text(path: Path, text: str) -> Article:
    meta, body, consumed = split_front_matter(text)
    if not body.strip():
        raise InputError(str(path), "article has no body text")
    return _article(path, meta, body, consumed + 1)


def _article(
    path: Path | str,
    meta: dict[str, Any],
    body: str,
    first_line: int,
    fallback_id: str | None = None,
    line: int | None = None,
) -> Article:
    metadata = {k: str(v).strip() for k, v in meta.items() if v is not None and k != "body"}
    if len(body.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        mb = MAX_ARTICLE_BYTES // (1024 * 1024)
        raise InputError(str(path), f"article body is over the {mb} MB limit", line)
    try:
        sid = source_id(str(metadata.get("id") or fallback_id or Path(path).stem), path)
    except InputError as exc:
        raise InputError(exc.path, exc.problem, line) from None
    metadata.pop("id", None)
    return Article(
        sid,
        str(path),
        body.replace("\r\n", "\n").replace("\r", "\n"),
        first_line,
        frozen_map({k: v for k, v in metadata.items() if v}),
    )


# ---------------------------------------------------------------- JSON and ninjs


_TOO_DEEP = "JSON nested too deeply to be an article record"
"""json.loads gives up (RecursionError) on arrays or objects nested thousands deep."""


def _read_json(path: Path, text: str, lines: bool | None = None) -> Iterator[Article | InputError]:
    """The records of a JSON or JSON Lines text (`lines`: by default, by the suffix)."""
    if lines is None:
        lines = path.suffix.lower() == ".jsonl"
    records: list[tuple[int, Any]] = []
    if lines:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield InputError(str(path), f"invalid JSON: {exc.msg}", number)
            except RecursionError:
                yield InputError(str(path), _TOO_DEEP, number)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"invalid JSON: {exc.msg}", exc.lineno) from exc
        except RecursionError:
            raise InputError(str(path), _TOO_DEEP) from None
        records = _json_items(text, data)
    if not records:
        if lines and text.strip():
            return  # every line was bad, and each has been given as its own problem
        raise InputError(str(path), "no records")
    yield from _record_articles(path, records)


def _record_articles(path: Path, records: list[tuple[int, Any]]) -> Iterator[Article | InputError]:
    """The articles of a file's records (each with the line or row it starts on), a
    bad record as its problem; a record without an id is named after the file, and
    after its place in the file when there are several."""
    several = len(records) > 1
    for index, (number, record) in enumerate(records, start=1):
        fallback = f"{path.stem}-{index}" if several else path.stem
        try:
            yield _record_article(path, record, number, fallback)
        except InputError as exc:
            yield exc


def _read_parquet(path: Path, raw: bytes) -> Iterator[Article | InputError]:
    """The rows of a Parquet file, each a record as a JSON record is (columns `body`,
    `id` and the metadata keys; other string and number columns kept as metadata). A
    bad row is reported with its number, as a JSON Lines record is with its line."""
    import polars as pl  # loaded only for Parquet input

    try:
        table = pl.read_parquet(io.BytesIO(raw))
    # A damaged file raises polars' or Arrow's own errors, or a panic of the Rust
    # reader, which is a BaseException.
    except (Exception, pl.exceptions.PanicException) as exc:
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(str(path), f"not a readable Parquet file: {problem}") from exc
    if "body" not in table.columns:
        raise InputError(str(path), "no 'body' column")
    if not table.height:
        raise InputError(str(path), "no records")
    # A Parquet timestamp (`published`) is written as ISO 8601, as JSON would give it.
    records = [
        (
            number,
            {
                key: value.isoformat() if isinstance(value, date) else value
                for key, value in row.items()
                if value is not None
            },
        )
        for number, row in enumerate(table.iter_rows(named=True), start=1)
    ]
    yield from _record_articles(path, records)


def _json_items(text: str, data: Any) -> list[tuple[int, Any]]:
    """The records of a JSON document with the line each starts on."""
    if not isinstance(data, list):
        start = len(text) - len(text.lstrip())
        return [(text.count("\n", 0, start) + 1, data)]
    decoder = json.JSONDecoder()
    gap = re.compile(r"[\s,]*")
    position = text.index("[") + 1
    items: list[tuple[int, Any]] = []
    for _ in data:
        position = gap.match(text, position).end()  # type: ignore[union-attr]
        value, end = decoder.raw_decode(text, position)
        items.append((text.count("\n", 0, position) + 1, value))
        position = end
    return items


def _record_article(path: Path, record: Any, number: int, fallback: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(str(path), "record is not a JSON object", number)
    if _is_ninjs(record):
        return _ninjs_article(path, record, number, fallback)
    body = record.get("body")
    if not isinstance(body, str) or not body.strip():
        raise InputError(str(path), "record has no 'body' text", number)
    if not isinstance(record.get("id"), str | int | None):
        raise InputError(str(path), "record 'id' is not a string", number)
    unknown = {k: v for k, v in record.items() if k not in METADATA_KEYS and k != "body"}
    meta = {k: record[k] for k in METADATA_KEYS if record.get(k) is not None}
    meta.update({k: v for k, v in unknown.items() if isinstance(v, str | int | float)})
    return _article(path, meta, body, number, fallback, number)


def _is_ninjs(record: dict[str, Any]) -> bool:
    """IPTC ninjs: a `uri` and a 1.x body or a 2.x body or headline list."""
    return isinstance(record.get("uri"), str) and any(
        key in record for key in ("body_text", "body_html", "bodies", "headlines")
    )


def _ninjs_article(path: Path, record: dict[str, Any], number: int, fallback: str) -> Article:
    body = _ninjs_body(record)
    if not body.strip():
        raise InputError(str(path), "ninjs item has no body text", number)
    uri = record["uri"]
    meta: dict[str, Any] = {
        "id": uri or None,
        "headline": _text(record.get("headline")) or _ninjs_headline(record.get("headlines")),
        "published": _text(record.get("versioncreated")) or _text(record.get("firstcreated")),
        "author": _text(record.get("byline"))
        or _text(record.get("by"))
        or _ninjs_authors(record.get("people"))
        or _ninjs_authors(record.get("person")),
        "outlet": _text(record.get("copyrightholder"))
        or _ninjs_provider(record.get("infosources"))
        or _ninjs_provider(record.get("infosource"))
        or _text(record.get("located")),
        "url": uri if re.match(r"https?://", uri) else None,
        "language": _text(record.get("language")),
        "format": "ninjs",
    }
    return _article(path, meta, body, number, fallback, number)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ninjs_body(record: dict[str, Any]) -> str:
    if text := _text(record.get("body_text")):
        return _plain_paragraphs(text)
    if markup := _text(record.get("body_html")):
        return html_text(markup)
    bodies = [
        b for b in record.get("bodies") or [] if isinstance(b, dict) and _text(b.get("value"))
    ]
    if not bodies and isinstance(record.get("body"), str):
        bodies = [{"value": record["body"]}]

    def rank(body: dict[str, Any]) -> tuple[int, int]:
        kind = f"{body.get('contenttype', '')} {body.get('role', '')}".lower()
        plain = "plain" in kind or (not _looks_like_html(body["value"]) and "html" not in kind)
        main = not body.get("role") or str(body["role"]).lower() in ("main", "text", "body")
        return (0 if main else 1, 0 if plain else 1)

    for body in sorted(bodies, key=rank):
        value = body["value"]
        kind = f"{body.get('contenttype', '')} {body.get('role', '')}".lower()
        if "html" in kind or "xml" in kind or _looks_like_html(value):
            return html_text(value)
        return _plain_paragraphs(value)
    return ""


def _ninjs_headline(headlines: Any) -> str:
    if not isinstance(headlines, list):
        return ""
    values = [h for h in headlines if isinstance(h, dict) and _text(h.get("value"))]
    main = [h for h in values if str(h.get("role", "")).lower() == "main"]
    chosen = (main or values or [{}])[0].get("value", "")
    return " ".join((html_text(chosen) if _looks_like_html(chosen) else _text(chosen)).split())


def _ninjs_authors(people: Any) -> str:
    if not isinstance(people, list):
        return ""
    names = [
        _text(p.get("name"))
        for p in people
        if isinstance(p, dict) and re.search(r"author|creator", str(p.get("rel", "")), re.I)
    ]
    return ", ".join(n for n in names if n)


def _ninjs_provider(sources: Any) -> str:
    if not isinstance(sources, list):
        return ""
    named = [s for s in sources if isinstance(s, dict) and _text(s.get("name"))]
    providers = [
        s
        for s in named
        if re.search(r"provider|publisher|origin", f"{s.get('role', '')} {s.get('rel', '')}", re.I)
    ]
    return _text((providers or named or [{}])[0].get("name"))


# ---------------------------------------------------------------- RSS and Atom


def _feed_root(text: str) -> str | None:
    """The root element's local name when `text` starts like an RSS or Atom feed."""
    head = text.lstrip("\ufeff")
    position = 0
    while match := _XML_PROLOGUE.match(head, position):
        if match.end() == position:
            break
        position = match.end()
    root = _XML_ROOT.match(head, position)
    if not root:
        return None
    local = root.group(1).rpartition(":")[2].lower()
    return local if local in _FEED_ROOTS else None


def _read_feed_file(path: Path, raw: bytes, log: _Log) -> Iterator[Article | InputError]:
    import feedparser

    text, notice = _feed_text(path, raw)
    if notice:
        log.notice(path, notice)
    if _feed_root(text) is None:
        raise InputError(str(path), "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)")
    # feedparser is given the bytes as a stream: handed a string it would try it as a
    # URL or a file name first. Its XML parser does not fetch external entities.
    data = _XML_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    if parsed.get("bozo") and not parsed.entries:
        raise InputError(str(path), f"not a readable feed: {parsed.get('bozo_exception')}")
    if parsed.get("bozo"):
        log.notice(
            path,
            f"not well-formed XML ({parsed.get('bozo_exception')}); read with a lenient parser",
        )
    if not parsed.entries:
        raise InputError(str(path), "feed has no items")
    outlet = _text(parsed.feed.get("title"))
    lines = _item_lines(text)
    if len(lines) != len(parsed.entries):
        lines = [None] * len(parsed.entries)
    several = len(parsed.entries) > 1
    for index, (entry, line) in enumerate(zip(parsed.entries, lines, strict=True), start=1):
        fallback = f"{path.stem}-{index}" if several else path.stem
        try:
            yield _entry_article(path, entry, outlet, line, fallback)
        except InputError as exc:
            yield exc


def _feed_text(path: Path, raw: bytes) -> tuple[str, str]:
    """A feed's text: by its declared encoding when it has one that reads the bytes."""
    declared = _XML_ENCODING.match(raw[:512].decode("latin-1"))
    if declared and declared.group(3).lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return _non_empty(path, raw.decode(declared.group(3))), ""
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect as for any other file
    return decode(path, raw)


def _item_lines(text: str) -> list[int | None]:
    """The line of each item's or entry's start tag, in order."""
    masked = re.sub(
        r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S
    )
    return [masked.count("\n", 0, m.start()) + 1 for m in _ITEM_TAG.finditer(masked)]


def _entry_article(path: Path, entry: Any, outlet: str, line: int | None, fallback: str) -> Article:
    body = ""
    for part in [*entry.get("content", []), entry.get("summary_detail")]:
        if part and _text(part.get("value")):
            body = _detail_text(part)
            if body.strip():
                break
    if not body.strip():
        raise InputError(str(path), "feed item has no text (no content or description)", line)
    title = entry.get("title_detail")
    meta: dict[str, Any] = {
        "id": _text(entry.get("id")) or _text(entry.get("link")) or None,
        "headline": " ".join((_detail_text(title) if title else _text(entry.get("title"))).split()),
        "url": _text(entry.get("link")),
        "author": _text(entry.get("author")),
        "published": _feed_date(entry, "published") or _feed_date(entry, "updated"),
        "outlet": outlet,
        "format": "feed",
    }
    return _article(path, meta, body, line or 1, fallback, line)


def _detail_text(detail: Any) -> str:
    value = detail.get("value", "")
    if "html" in str(detail.get("type", "")) or _looks_like_html(value):
        return html_text(value)
    return _plain_paragraphs(value)


def _feed_date(entry: Any, key: str) -> str:
    parsed = entry.get(f"{key}_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return _text(entry.get(key))


# ---------------------------------------------------------------- pages and standard input


def _page_reads(urls: list[str], limits: fetch.Limits | None, log: _Log) -> list[_Read]:
    """The pages at `urls`, fetched and read as .html files are. Two URLs leading to
    one page (after redirects) are one page reached twice: a problem, as one file
    reached by two paths is."""
    read: list[_Read] = []
    seen: dict[str, str] = {}
    for page in fetch.fetch_pages(urls, limits):
        if isinstance(page, InputError):
            log.problem(page)
            continue
        address = page.final_url.partition("#")[0]
        if address in seen:
            log.problem(InputError(page.url, f"the same page as {seen[address]} ({address})"))
            continue
        seen[address] = page.url
        try:
            article = _page_article(page, log)
        except InputError as exc:
            log.problem(exc)
            continue
        parts = urlsplit(page.url)
        read.append(_Read(article, Path(parts.netloc, *parts.path.split("/")), ()))
    return read


def _page_article(page: fetch.Page, log: _Log) -> Article:
    """A fetched page read as an .html file, its id from its URL (`url_id`), with the
    page's address and the fetch time as metadata `url` and `fetched`."""
    if not page.content.strip():
        raise InputError(page.url, "page is empty")
    text = ""
    if page.charset:
        # A wrong declaration (no such codec, bytes it cannot read): detect as for a file.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            text = page.content.decode(page.charset)
    if not text.strip():
        text, notice = decode(page.url, page.content)
        if notice:
            log.notice(page.url, notice)
    article = _read_html(page.url, text, url_id(page.url))
    meta = {**article.metadata, "url": page.final_url, "fetched": page.fetched}
    return replace(article, metadata=frozen_map(meta))


def url_id(url: str) -> str:
    """The source id of a fetched page: its host (without `www.`) and path, with the
    query when there is one, made safe as `source_id` makes ids
    (`https://www.bbc.co.uk/news/uk-123` is `bbc.co.uk-news-uk-123`)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2].lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return source_id(f"{host}{parts.path}{query}", url)


def _stdin_items(stream: BinaryIO, log: _Log) -> Iterator[Article | InputError]:
    """The article on standard input: JSON Lines when it starts with `{`, else text
    with optional front matter, read as a .jsonl or a .txt file is."""
    path = Path(STDIN_NAME)
    raw = stream.read(MAX_FEED_BYTES + 1)
    if len(raw) > MAX_FEED_BYTES:
        raise InputError(STDIN_NAME, f"more than the {MAX_FEED_BYTES // 2**20} MB limit")
    text, notice = decode(path, raw)
    if notice:
        log.notice(path, notice)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        yield from _read_json(path, text, lines=True)
    else:
        yield _read_text(path, text)


# ---------------------------------------------------------------- HTML


_INSTALL_FOR = {"lxml.html.clean": "lxml_html_clean", "lxml_html_clean": "lxml_html_clean"}
"""What to pip install when a module reading HTML needs is missing, where its top-level
name is not the package's: lxml 5.2 moved lxml.html.clean out into lxml_html_clean."""


def _missing_module(exc: ImportError) -> str:
    """The module whose import failed: `exc.name` when Python set it, else the module
    that raised (lxml's stub for lxml.html.clean raises a plain ImportError)."""
    if exc.name:
        return exc.name
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame.tb_frame.f_globals.get("__name__", "trafilatura") if frame else "trafilatura"


def _read_html(path: Path | str, text: str, fallback_id: str | None = None) -> Article:
    try:
        import trafilatura
    except ImportError as exc:
        # trafilatura may be installed and something it imports missing (justext needs
        # lxml.html.clean): name what failed and the install that fixes it, on one line.
        module = _missing_module(exc)
        package = _INSTALL_FOR.get(module, module.split(".")[0])
        raise InputError(
            str(path),
            f"reading HTML needs the module {module}, which cannot be imported "
            f"(pip install {package})",
        ) from exc
    extracted = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    doc = (
        extracted.as_dict()
        if extracted is not None and hasattr(extracted, "as_dict")
        else extracted
    ) or {}
    # trafilatura writes one paragraph a line; a blank line between them keeps the
    # clean stage from joining short ones as if they were hard-wrapped.
    body = "\n\n".join(line.strip() for line in (doc.get("text") or "").split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    if not body:
        raise InputError(str(path), "no article text found in this HTML page")
    meta = {
        "headline": doc.get("title"),
        "author": doc.get("author"),
        "published": doc.get("date"),
        "url": doc.get("url"),
        "outlet": doc.get("sitename"),
    }
    # Extracted text has no lines of the page; number lines of the extracted text.
    return _article(path, {k: v for k, v in meta.items() if v}, body, 1, fallback_id)


_HTML_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|section|article|blockquote|span|a|em|strong|b|i)\b", re.I
)


def _looks_like_html(value: str) -> bool:
    return bool(_HTML_TAG.search(value))


def _plain_paragraphs(text: str) -> str:
    """Plain text with its paragraphs one a line, blank lines between."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def html_text(markup: str) -> str:
    """The text of an HTML fragment (a ninjs or feed body): one paragraph, heading or
    list item a line, blank lines between, without scripts, figures, captions,
    navigation, asides or tables."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.paragraphs)


class _TextParser(HTMLParser):
    # Elements whose content is not the article's running text.
    SKIP = frozenset(
        {
            "script", "style", "noscript", "template", "iframe", "object", "svg", "math",
            "canvas", "video", "audio", "picture", "figure", "figcaption", "nav", "aside",
            "footer", "form", "button", "select", "textarea", "table", "head", "title",
        }
    )  # fmt: skip
    BLOCKS = frozenset(
        {
            "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5",
            "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "br", "tr",
            "address", "center", "body", "html",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._words: list[str] = []
        self._skipping: list[str] = []
        self._lists: list[list[int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or tag in self.SKIP:
            if tag in self.SKIP:
                self._skipping.append(tag)
            return
        if tag in self.BLOCKS:
            self.flush()
        if tag in ("ul", "ol"):
            self._lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            counter = self._lists[-1] if self._lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self._words.append(f"{counter[0]}. ")
            else:
                self._words.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:
                # Close the innermost open element of this name (and any left unclosed in it).
                while self._skipping and self._skipping.pop() != tag:
                    pass
            return
        if tag in self.BLOCKS:
            self.flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping and tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._words.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self._words).split())
        # A lone bullet or number is what is left of an empty list item.
        if text and not re.fullmatch(r"•|\d+\.", text):
            self.paragraphs.append(text)
        self._words = []
