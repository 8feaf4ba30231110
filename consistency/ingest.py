"""Stage 1, ingest: read files into `Article`s with metadata and line provenance.

Accepted inputs: plain text and Markdown (optionally with a front-matter block of
`key: value` lines closed by a `---` line), HTML pages (main text extracted with
trafilatura), JSON (one object or a list of objects) and JSON Lines (one object a
line) with fields id, outlet, url, published, author, headline, body.

The source id of an article is its front-matter or record `id`, else the file stem
(for JSON files holding several records, `stem-N`). Every problem is an
`InputError` naming the file, and the line for JSON Lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .models import METADATA_KEYS, Article, frozen_map

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

_FRONT_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$")
_FRONT_END = re.compile(r"^-{3,}\s*$")
# Front matter is short; a body line that happens to look like "Key: value" deep
# into a file must not turn the whole article into metadata.
_MAX_FRONT_LINES = 40
_SOURCE_ID = re.compile(r"[^\w.-]+")


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories into the sorted list of article files."""
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.update(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise InputError(
                    str(path),
                    f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"expected one of {', '.join(sorted(SUFFIXES))}",
                )
            found.add(path)
        elif path.exists():
            raise InputError(str(path), "not a regular file or directory")
        else:
            raise InputError(str(path), "no such file or directory")
    if not found:
        raise InputError(
            ", ".join(str(p) for p in paths),
            f"no article files found (looked for {', '.join(sorted(SUFFIXES))})",
        )
    return sorted(found)


def read_articles(paths: Iterable[str | Path]) -> tuple[Article, ...]:
    """Read every article under `paths`, sorted by source id."""
    articles: dict[str, Article] = {}
    for path in discover(paths):
        for article in read_file(path):
            if article.source in articles:
                other = articles[article.source].path
                raise InputError(
                    article.path, f"source id {article.source!r} is also used by {other}"
                )
            articles[article.source] = article
    return tuple(articles[k] for k in sorted(articles))


def read_file(path: Path) -> Iterator[Article]:
    suffix = path.suffix.lower()
    text = _decode(path)
    if suffix in JSON_SUFFIXES:
        yield from _read_json(path, text)
    elif suffix in HTML_SUFFIXES:
        yield _read_html(path, text)
    else:
        yield _read_text(path, text)


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise InputError(str(path), "file is empty")
    if b"\x00" in raw[:8192]:
        raise InputError(str(path), "looks like a binary file (contains NUL bytes), not an article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            f"not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
            "convert it to UTF-8 first",
        ) from exc


def source_id(value: str, path: Path) -> str:
    """A source id safe to print and to use in file names."""
    cleaned = _SOURCE_ID.sub("-", value.strip()).strip("-.")
    if not cleaned:
        raise InputError(str(path), f"unusable source id {value!r}")
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
    path: Path, meta: dict[str, Any], body: str, first_line: int, fallback_id: str | None = None
) -> Article:
    metadata = {k: str(v).strip() for k, v in meta.items() if v is not None and k != "body"}
    sid = source_id(str(metadata.get("id") or fallback_id or path.stem), path)
    metadata.pop("id", None)
    return Article(
        sid,
        str(path),
        body.replace("\r\n", "\n").replace("\r", "\n"),
        first_line,
        frozen_map(metadata),
    )


def _read_json(path: Path, text: str) -> Iterator[Article]:
    if path.suffix.lower() == ".jsonl":
        records: list[tuple[int, Any]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"invalid JSON: {exc.msg}", number) from exc
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"invalid JSON: {exc.msg}", exc.lineno) from exc
        items = data if isinstance(data, list) else [data]
        records = [(1, item) for item in items]
    if not records:
        raise InputError(str(path), "no records")
    several = len(records) > 1
    for index, (number, record) in enumerate(records, start=1):
        line = number if path.suffix.lower() == ".jsonl" else None
        if not isinstance(record, dict):
            raise InputError(str(path), "record is not a JSON object", line)
        body = record.get("body")
        if not isinstance(body, str) or not body.strip():
            raise InputError(str(path), "record has no 'body' text", line)
        unknown = {k: v for k, v in record.items() if k not in METADATA_KEYS and k != "body"}
        meta = {k: record[k] for k in METADATA_KEYS if record.get(k) is not None}
        meta.update({k: v for k, v in unknown.items() if isinstance(v, str | int | float)})
        fallback = f"{path.stem}-{index}" if several else path.stem
        yield _article(path, meta, body, number, fallback)


def _read_html(path: Path, text: str) -> Article:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        raise InputError(
            str(path), "reading HTML needs trafilatura (pip install trafilatura)"
        ) from exc
    extracted = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    doc = (
        extracted.as_dict()
        if extracted is not None and hasattr(extracted, "as_dict")
        else extracted
    )
    body = (doc or {}).get("text") or ""
    if not body.strip():
        raise InputError(str(path), "no article text found in this HTML page")
    meta = {
        "headline": doc.get("title"),
        "author": doc.get("author"),
        "published": doc.get("date"),
        "url": doc.get("url"),
        "outlet": doc.get("sitename"),
    }
    # Extracted text has no lines of the page; number lines of the extracted text.
    return _article(path, {k: v for k, v in meta.items() if v}, body, 1)
