"""URLs and standard input: fetching pages (consistency.fetch), reading them as .html
files are, `--urls FILE`, `-`, and --keep-going over failed pages.

Every fetch goes to a server these tests start on 127.0.0.1 (or to a closed local
port, or to a name under the reserved .invalid domain, which never resolves): nothing
here reaches beyond this machine.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import fetch, ingest, pipeline
from consistency.cli import app
from consistency.errors import InputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGE = (FIXTURES / "formats" / "hereford-bulletin.html").read_bytes()
STORY = (
    "West Mercia Police has been rated inadequate for its response to serious and organised "
    "crime following an inspection by His Majesty’s Inspectorate."
)
SHORT = fetch.Limits(timeout=0.3, max_bytes=64 * 1024, max_redirects=3)
"""Limits the tests fetch with: short, so that a timeout costs a fraction of a second."""

runner = CliRunner()


def _page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    """Each path one behaviour of a web server, as the tests below need them."""

    user_agents: list[str] = []  # noqa: RUF012 - shared on purpose: the tests read it

    def do_GET(self) -> None:
        Handler.user_agents.append(self.headers.get("User-Agent", ""))
        route = ROUTES.get(self.path.partition("?")[0])
        if route is None:
            self.send_error(404, "Not Found")
            return
        # The client may give up first (a timeout test): nothing left to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def send(self, body: bytes, content_type: str | None = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet test output


def _slow(h: Handler) -> None:
    time.sleep(2 * SHORT.timeout)
    h.send(PAGE)


def _drip(h: Handler) -> None:
    """Each byte well within the read timeout, the whole well past the deadline."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(12):
        h.wfile.write(b"<p>more</p>" * 4)
        h.wfile.flush()
        time.sleep(SHORT.timeout / 4)


def _unsized(h: Handler) -> None:
    """Too large, and not saying so: no Content-Length, the body ends at the close."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    for _ in range(SHORT.max_bytes // 1024 + 2):
        h.wfile.write(b"<p>" + b"x" * 1017 + b"</p>\n")
    h.close_connection = True


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/news/ok": lambda h: h.send(PAGE),
    "/news/other": lambda h: h.send(_page("Inspection", STORY)),
    "/moved": lambda h: h.redirect("/news/ok"),
    "/loop": lambda h: h.redirect("/loop"),
    "/broken": lambda h: h.send_error(500, "Internal Server Error"),
    "/slow": _slow,
    "/drip": _drip,
    "/big": lambda h: h.send(b"<p>" + b"x" * (SHORT.max_bytes + 1) + b"</p>"),
    "/unsized": _unsized,
    "/report.pdf": lambda h: h.send(b"%PDF-1.4 ...", "application/pdf"),
    "/untyped": lambda h: h.send(_page("Inspection", STORY), None),
    "/untyped-bytes": lambda h: h.send(b"\x89PNG\r\n\x1a\n....", None),
    "/latin": lambda h: h.send(
        _page("Cost", "The inspection cost £1.2million, inspectors said on Tuesday.")
        .decode()
        .encode("cp1252"),
        "text/html; charset=windows-1252",
    ),
    "/empty-text": lambda h: h.send(b"<html><body><script>var x = 1;</script></body></html>"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would take requests off this machine."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def problem(url: str, limits: fetch.Limits = SHORT) -> str:
    with pytest.raises(InputError) as caught:
        fetch.fetch(url, limits)
    assert caught.value.path == url
    assert "\n" not in str(caught.value)
    return caught.value.problem


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- fetching


def test_a_page_is_fetched_with_its_charset_and_time(server: str) -> None:
    page = fetch.fetch(f"{server}/news/ok", SHORT)
    assert page.content == PAGE
    assert page.final_url == page.url == f"{server}/news/ok"
    assert page.charset == "utf-8"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", page.fetched)


def test_the_user_agent_names_the_tool_and_its_version(server: str) -> None:
    fetch.fetch(f"{server}/news/ok", SHORT)
    assert Handler.user_agents[-1] == fetch.user_agent()
    assert re.fullmatch(r"consistency/\S+", fetch.user_agent())
    assert fetch.user_agent() != "consistency/unknown"


def test_redirects_are_followed(server: str) -> None:
    page = fetch.fetch(f"{server}/moved", SHORT)
    assert page.url == f"{server}/moved"
    assert page.final_url == f"{server}/news/ok"
    assert page.content == PAGE


def test_redirects_are_bounded(server: str) -> None:
    assert problem(f"{server}/loop") == "more than 3 redirects"


@pytest.mark.parametrize(
    ("path", "said"),
    [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500 Internal Server Error")],
)
def test_an_http_error_status_is_named(server: str, path: str, said: str) -> None:
    assert problem(f"{server}{path}") == said


def test_a_server_that_does_not_answer_times_out(server: str) -> None:
    assert problem(f"{server}/slow") == "timed out (no complete response within 0.3 s)"


def test_a_page_trickling_in_past_the_deadline_times_out(server: str) -> None:
    assert problem(f"{server}/drip").startswith("timed out")


def test_a_page_over_the_size_limit_is_refused(server: str) -> None:
    # Content-Length says so: refused before the body is read.
    assert problem(f"{server}/big") == "page is too large (64 KB, over the 64 KB limit)"
    # No length given: refused as soon as the body passes the limit.
    assert problem(f"{server}/unsized") == "page is too large (over the 64 KB limit)"


def test_a_page_that_is_not_html_is_refused(server: str) -> None:
    assert problem(f"{server}/report.pdf") == "not an HTML page (content type application/pdf)"
    assert problem(f"{server}/untyped-bytes") == (
        "not an HTML page (no content type, and not HTML)"
    )
    # Without a content type, a body that starts like HTML is a page.
    assert fetch.fetch(f"{server}/untyped", SHORT).charset is None


def test_a_refused_connection_is_named() -> None:
    port = closed_port()
    url = f"http://127.0.0.1:{port}/news"
    assert problem(url) == f"connection refused by 127.0.0.1:{port}"


def test_a_host_that_does_not_resolve_is_named() -> None:
    said = problem("http://no-such-newsroom.invalid/story")
    assert said.startswith("cannot resolve host no-such-newsroom.invalid (DNS lookup failed")


def test_fetch_pages_yields_each_failure_and_goes_on(server: str) -> None:
    got = list(fetch.fetch_pages([f"{server}/missing", f"{server}/news/ok"], SHORT))
    assert isinstance(got[0], InputError) and isinstance(got[1], fetch.Page)


def test_the_page_limit_is_the_html_file_limit() -> None:
    assert fetch.MAX_PAGE_BYTES == ingest.MAX_ARTICLE_BYTES


# ---------------------------------------------------------------- reading pages


def test_a_page_is_read_as_its_html_file_is(server: str) -> None:
    url = f"{server}/news/ok?edition=uk"
    (article,) = ingest.read_feed([url], limits=SHORT).articles
    (from_file,) = ingest.read_feed([FIXTURES / "formats" / "hereford-bulletin.html"]).articles
    assert article.body == from_file.body
    assert article.path == url
    port = server.rpartition(":")[2]
    assert article.source == f"127.0.0.1-{port}-news-ok-edition-uk"
    meta = dict(article.metadata)
    assert meta.pop("url") == url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta.pop("fetched"))
    assert meta == {k: v for k, v in from_file.metadata.items() if k != "url"}


def test_the_url_metadata_is_where_the_page_was_read(server: str) -> None:
    (article,) = ingest.read_feed([f"{server}/moved"], limits=SHORT).articles
    assert article.metadata["url"] == f"{server}/news/ok"
    assert article.source.endswith("-moved")


def test_ids_from_urls() -> None:
    bbc = "https://www.bbc.co.uk/news/uk-england-123"
    assert ingest.url_id(bbc) == "bbc.co.uk-news-uk-england-123"
    assert ingest.url_id("https://user@News.Example:8443/a/b/") == "news.example-8443-a-b"
    long = ingest.url_id("https://example.com/" + "story-" * 40)
    assert len(long) <= ingest.MAX_ID_CHARS


def test_a_declared_charset_is_honoured(server: str) -> None:
    (article,) = ingest.read_feed([f"{server}/latin"], limits=SHORT).articles
    assert "£1.2million" in article.body


def test_a_page_with_no_article_text_is_refused_naming_the_url(server: str) -> None:
    url = f"{server}/empty-text"
    with pytest.raises(InputError, match=re.escape(f"{url}: no article text found")):
        ingest.read_feed([url], limits=SHORT)


def test_an_id_a_page_shares_with_a_file_is_made_unique_as_files_are(
    server: str, tmp_path: Path
) -> None:
    port = server.rpartition(":")[2]
    sid = f"127.0.0.1-{port}-news-ok"
    pasted = tmp_path / "desk" / "pasted.txt"
    pasted.parent.mkdir()
    pasted.write_text(f"id: {sid}\n---\n{STORY}\n", encoding="utf-8")
    feed = ingest.read_feed([tmp_path, f"{server}/news/ok"], limits=SHORT)
    assert {a.source: a.path for a in feed.articles} == {
        sid: f"{server}/news/ok",
        f"desk-{sid}": str(pasted),
    }
    assert [n.path for n in feed.notices] == [str(pasted), f"{server}/news/ok"]


def test_one_page_reached_by_two_urls_is_a_problem(server: str) -> None:
    with pytest.raises(InputError, match=r"/moved: the same page as .*/news/ok"):
        ingest.read_feed([f"{server}/news/ok", f"{server}/moved"], limits=SHORT)
    # A URL given twice is read once, as a file given twice is.
    assert len(ingest.read_feed([f"{server}/news/ok"] * 2, limits=SHORT).articles) == 1


def test_keep_going_skips_failed_urls_with_their_reason(server: str, tmp_path: Path) -> None:
    text = tmp_path / "courier.txt"
    text.write_text(STORY + "\n", encoding="utf-8")
    port = closed_port()
    feed = ingest.read_feed(
        [f"{server}/news/ok", f"{server}/missing", f"http://127.0.0.1:{port}/", text],
        keep_going=True,
        limits=SHORT,
    )
    assert len(feed.articles) == 2
    assert [(s.path, s.problem) for s in feed.skipped] == [
        (f"{server}/missing", "HTTP 404 Not Found"),
        (f"http://127.0.0.1:{port}/", f"connection refused by 127.0.0.1:{port}"),
    ]
    with pytest.raises(InputError, match=r"no readable articles \(1 skipped; first: .*404"):
        ingest.read_feed([f"{server}/missing"], keep_going=True, limits=SHORT)


# ---------------------------------------------------------------- --urls FILE


def test_a_url_list_ignores_blank_lines_and_comments(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# today's copy\n\nhttps://a.example/one\n  http://b.example/two  \n")
    assert fetch.read_url_list(listed) == ["https://a.example/one", "http://b.example/two"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("https://a.example/one\nnews/local.txt\n", 2),
        ("# x\nftp://a.example/file\n", 2),
        ("https://\n", 1),
        ("https://a.example/a story\n", 1),
    ],
)
def test_a_bad_url_line_names_the_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(text)
    with pytest.raises(InputError) as caught:
        fetch.read_url_list(listed)
    assert (caught.value.path, caught.value.line) == (str(listed), line)
    assert "not an http:// or https:// URL" in caught.value.problem


def test_a_url_list_with_no_urls_is_an_error(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# nothing yet\n\n")
    with pytest.raises(InputError, match="no URLs"):
        fetch.read_url_list(listed)


# ---------------------------------------------------------------- standard input


def test_stdin_text_with_front_matter() -> None:
    text = f"id: pasted\noutlet: Desk\n---\n{STORY}\n"
    feed = ingest.read_feed(["-"], stdin=io.BytesIO(text.encode()))
    (article,) = feed.articles
    assert (article.source, article.path, article.first_line) == ("pasted", "<stdin>", 4)
    assert article.metadata["outlet"] == "Desk"


def test_stdin_json_lines() -> None:
    record = {"id": "wire-1", "outlet": "Wire", "body": STORY}
    feed = ingest.read_feed(["-"], stdin=io.BytesIO(json.dumps(record).encode() + b"\n"))
    (article,) = feed.articles
    assert (article.source, article.metadata["outlet"]) == ("wire-1", "Wire")


def test_stdin_without_an_id_is_stdin_and_its_problems_name_it() -> None:
    (article,) = ingest.read_feed(["-"], stdin=io.BytesIO(STORY.encode())).articles
    assert article.source == "stdin"
    with pytest.raises(InputError, match=r"^<stdin>:1: invalid JSON"):
        ingest.read_feed(["-"], stdin=io.BytesIO(b'{"id": "x", body}\n'))
    with pytest.raises(InputError, match=r"^<stdin>: file is empty"):
        ingest.read_feed(["-"], stdin=io.BytesIO(b"\n"))


# ---------------------------------------------------------------- the command line


def _check(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args], input=stdin)
    return result.exit_code, result.output


def test_cli_checks_urls_and_keeps_going(server: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [f"{server}/news/ok", f"{server}/news/other", f"{server}/missing", "--out", str(out)]
    code, output = _check(*args)
    assert code == 2
    assert f"Error: {server}/missing: HTTP 404 Not Found" in output
    code, output = _check(*args, "--keep-going")
    assert code == 0, output
    assert f"{server}/missing: HTTP 404 Not Found" in output
    with (out / "skipped.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["path"], r["problem"]) for r in rows] == [
        (f"{server}/missing", "HTTP 404 Not Found")
    ]


def test_cli_reads_a_url_list(server: str, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# desk\n{server}/news/ok\n\n{server}/news/other\n")
    out = tmp_path / "out"
    code, output = _check("--urls", str(listed), "--out", str(out))
    assert code == 0, output
    sources = {row["source"] for row in csv.DictReader((out / "claims.csv").open())}
    port = server.rpartition(":")[2]
    assert sources == {f"127.0.0.1-{port}-news-ok", f"127.0.0.1-{port}-news-other"}
    listed.write_text(f"{server}/news/ok\nnot a url\n")
    code, output = _check("--urls", str(listed), "--out", str(out))
    assert code == 2
    assert f"Error: {listed}:2: not an http:// or https:// URL: 'not a url'" in output


@pytest.mark.parametrize(
    "stdin",
    [
        f"id: pasted\noutlet: Desk\n---\n{STORY}\n",
        json.dumps({"id": "pasted", "outlet": "Desk", "body": STORY}) + "\n",
    ],
    ids=["front-matter", "json-lines"],
)
def test_cli_reads_one_article_from_stdin(tmp_path: Path, stdin: str) -> None:
    other = tmp_path / "courier.txt"
    other.write_text(STORY + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = _check("-", str(other), "--out", str(out), stdin=stdin)
    assert code == 0, output
    sources = {row["source"] for row in csv.DictReader((out / "claims.csv").open())}
    assert sources == {"pasted", "courier"}


def test_cli_with_nothing_to_check_says_so(tmp_path: Path) -> None:
    code, output = _check("--out", str(tmp_path / "out"))
    assert code == 2
    assert "Error: nothing to check" in output


def test_the_pipeline_takes_urls(server: str) -> None:
    result = pipeline.check([f"{server}/news/ok", f"{server}/news/other"])
    assert len(result.articles) == 2
