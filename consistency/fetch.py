"""Fetching web pages for `consistency check URL...`, with bounded time, size and redirects.

This module only fetches: `fetch_pages` hands on each page's bytes, declared charset,
final address and fetch time as a `Page`, and `ingest.read_feed` reads that as it reads
an .html file. Every failure is an `InputError` naming the URL, with one line saying
what went wrong (the host does not resolve, the connection is refused, an HTTP status
other than 2xx, no response in time, too many redirects, too large, not HTML).

httpx is imported on first fetch: runs on files never load it.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import InputError

if TYPE_CHECKING:
    import httpx

TIMEOUT_SECONDS = 20.0
"""The longest one fetch may take, from connecting to the last byte: a news page
arrives in a second or two; a server that has not answered in this long is down."""
MAX_REDIRECTS = 5
"""Redirects followed for one URL: http to https, a short link, a moved story and a
consent page need four; more is a loop."""
MAX_PAGE_BYTES = 10 * 1024 * 1024
"""The largest page read, the limit of an .html file (`ingest.MAX_ARTICLE_BYTES`);
counted after decompression, so a small compressed body cannot unpack into gigabytes."""

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Media types read as a page; anything else (PDF, JSON, images) is not an article."""

_URL = re.compile(r"^https?://", re.IGNORECASE)
# A body sent without a content type is taken for HTML when it starts like HTML.
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


def is_url(value: str) -> bool:
    """Whether an input names a web page (http:// or https://) rather than a file."""
    return bool(_URL.match(value))


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a fetch may take, how big a page may be, how many redirects it may
    take. The defaults are the module's constants; tests pass short ones."""

    timeout: float = TIMEOUT_SECONDS
    max_bytes: int = MAX_PAGE_BYTES
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: `url` as given, `final_url` after redirects, the body's bytes,
    the charset its Content-Type declared (None when it declared none), and when it
    was fetched (ISO 8601, UTC)."""

    url: str
    final_url: str
    content: bytes
    charset: str | None
    fetched: str


def user_agent() -> str:
    """The User-Agent sent: this tool and its version, so a site's logs say who called."""
    try:
        version = metadata.version("consistency")
    except metadata.PackageNotFoundError:  # run from a source tree never installed
        version = "unknown"
    return f"consistency/{version}"


def fetch_pages(urls: Iterable[str], limits: Limits | None = None) -> Iterator[Page | InputError]:
    """Fetch each URL in turn on one client (connections to one site are reused),
    yielding its `Page`, or the `InputError` saying why it could not be fetched."""
    import httpx

    limits = limits or Limits()
    with httpx.Client(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.timeout),
        headers={
            "User-Agent": user_agent(),
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        },
    ) as client:
        for url in urls:
            try:
                yield _fetch(client, url, limits)
            except InputError as exc:
                yield exc


def fetch(url: str, limits: Limits | None = None) -> Page:
    """One page; a failure raises `InputError` naming the URL."""
    page = next(fetch_pages([url], limits))
    if isinstance(page, InputError):
        raise page
    return page


def _fetch(client: httpx.Client, url: str, limits: Limits) -> Page:
    import httpx

    # httpx's timeout bounds each step (connecting, each read); a server sending a
    # byte now and then would pass them all, so the whole fetch has a deadline too.
    deadline = time.monotonic() + limits.timeout
    try:
        with client.stream("GET", url) as response:
            final = str(response.url)
            moved = f" (redirected to {final})" if final != url else ""
            if not response.is_success:
                raise InputError(
                    url, f"HTTP {response.status_code} {response.reason_phrase}{moved}".rstrip()
                )
            media, charset = _content_type(response.headers.get("content-type", ""))
            if media and media not in HTML_TYPES:
                raise InputError(url, f"not an HTML page (content type {media}){moved}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise InputError(url, _too_big(int(declared), limits.max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise InputError(url, _too_big(None, limits.max_bytes))
                if time.monotonic() > deadline:
                    raise InputError(url, _timed_out(limits))
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise InputError(url, _timed_out(limits)) from None
    except httpx.TooManyRedirects:
        raise InputError(url, f"more than {limits.max_redirects} redirects") from None
    except httpx.ConnectError as exc:
        raise InputError(url, _connect_problem(exc)) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InputError(url, f"not a URL that can be fetched: {exc}") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"fetch failed: {type(exc).__name__}: {exc}") from None
    content = b"".join(chunks)
    if not media and not _HTML_START.match(content[:4096].lstrip(b"\xef\xbb\xbf")):
        raise InputError(url, f"not an HTML page (no content type, and not HTML){moved}")
    fetched = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Page(url, final, content, charset, fetched)


def _content_type(header: str) -> tuple[str, str | None]:
    """The media type (lower case, "" when absent) and the charset parameter."""
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            charset = value.strip(" \"'")
    return media.strip().lower(), charset


def _too_big(size: int | None, limit: int) -> str:
    said = f"{_size(size)}, " if size is not None else ""
    return f"page is too large ({said}over the {_size(limit)} limit)"


def _size(count: int) -> str:
    """A byte count as people read one: `10 MB`, `12.5 MB`, `64 KB`."""
    value, unit = (count / 2**20, "MB") if count >= 2**20 else (count / 2**10, "KB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _timed_out(limits: Limits) -> str:
    return f"timed out (no complete response within {limits.timeout:g} s)"


def _connect_problem(exc: httpx.ConnectError) -> str:
    """What a failed connection means, from the OS error beneath httpx's."""
    url = exc.request.url
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve host {url.host} (DNS lookup failed: {cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {url.host}:{url.port or _port(url.scheme)}"
        cause = cause.__cause__ or cause.__context__
    return f"cannot connect to {url.host}: {exc}"


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def read_url_list(path: Path) -> list[str]:
    """The URLs of a file holding one a line (`--urls FILE`). Blank lines and lines
    starting with `#` are ignored; any other line that is not an http:// or https://
    URL with a host is an `InputError` naming the file and line, as is a file with no
    URLs."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte at offset {exc.start})") from exc
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            host = urlsplit(line).hostname if is_url(line) else None
        except ValueError:  # an unclosed IPv6 bracket
            host = None
        if not host or any(c.isspace() for c in line):
            shown = line if len(line) <= 60 else line[:60] + "…"
            raise InputError(str(path), f"not an http:// or https:// URL: {shown!r}", number)
        urls.append(line)
    if not urls:
        raise InputError(str(path), "no URLs (one a line; blank lines and # comments ignored)")
    return urls
