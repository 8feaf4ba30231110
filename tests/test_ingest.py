"""Stage 1, ingest: formats, encodings, bad input, source ids, keep-going; and explain."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from consistency import explain, ingest, pipeline
from consistency.errors import InputError
from consistency.models import Article, Notice, Skipped

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FORMATS = FIXTURES / "formats"
STORY = (
    "West Mercia Police has been rated inadequate for its response to serious and organised "
    "crime following an inspection by His Majesty’s Inspectorate of Constabulary and Fire and "
    "Rescue Services (HMICFRS)."
)
SAFE_ID = re.compile(r"[^\W_][\w.-]*|_[\w.-]*")


def one(path: Path) -> Article:
    (article,) = ingest.read_file(path)
    return article


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- today's formats


def test_front_matter_text_keeps_working(tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.txt",
        "id: kent-messenger\noutlet: Kent Messenger\nsection: crime\n---\nKent Police was rated.\n",
    )
    article = one(path)
    assert article.source == "kent-messenger"
    assert article.first_line == 5  # the line after "---"
    assert dict(article.metadata) == {"outlet": "Kent Messenger", "section": "crime"}
    assert article.body == "Kent Police was rated.\n"


def test_plain_json_records_keep_working_with_their_lines(tmp_path: Path) -> None:
    records = [
        {"id": "a", "outlet": "A", "body": "First body."},
        {"outlet": "B", "body": "Second body.", "desk": "news"},
    ]
    path = write(tmp_path / "feed.json", json.dumps(records, indent=2))
    first, second = ingest.read_file(path)
    assert (first.source, first.body, first.metadata["outlet"]) == ("a", "First body.", "A")
    assert (second.source, second.metadata["desk"]) == ("feed-2", "news")
    # Each record's provenance is the line its object starts on.
    lines = path.read_text().split("\n")
    assert lines[first.first_line - 1].strip() == "{"
    assert lines[second.first_line - 1].strip() == "{" and second.first_line > first.first_line


def test_jsonl_records_keep_working(tmp_path: Path) -> None:
    path = write(
        tmp_path / "f.jsonl",
        json.dumps({"id": "a", "body": "One."}) + "\n\n" + json.dumps({"body": "Two."}) + "\n",
    )
    a, b = ingest.read_file(path)
    assert (a.source, a.first_line, b.source, b.first_line) == ("a", 1, "f-2", 3)


# ---------------------------------------------------------------- ninjs


def test_ninjs_2_fixture() -> None:
    article = one(FORMATS / "midlands-press-agency.json")
    assert article.source == "urn-newsml-midlandspress.example-20240514-west-mercia-soc-inspection"
    meta = article.metadata
    # The main headline, not the short one; versioncreated, not firstcreated.
    assert meta["headline"] == "West Mercia Police rated inadequate on serious and organised crime"
    assert meta["published"] == "2024-05-14T09:12:00+01:00"
    assert meta["author"] == "By Hannah Pryce, Midlands Press Agency"
    assert meta["outlet"] == "Midlands Press Agency"
    paras = paragraphs(article.body)
    assert paras[0] == STORY  # entities decoded, one paragraph a line
    assert len(paras) == 8
    assert paras[-1].startswith("Police and Crime Commissioner John Campion")
    # The caption, the tracking script and the summary body are not the article's text.
    assert "Hindlip" not in article.body and "trackArticle" not in article.body
    assert "Inspectors rate West Mercia" not in article.body


def test_ninjs_1_fixture_in_a_list() -> None:
    article = one(FORMATS / "severn-news-service.json")
    assert article.source == (
        "severnnews.example-2024-05-14-west-mercia-police-inadequate-organised-crime"
    )
    assert article.metadata["url"].startswith("https://severnnews.example/2024/05/14/")
    assert article.metadata["author"] == "Tom Ellery"
    assert article.metadata["outlet"] == "Severn News Service"
    assert article.metadata["published"] == "2024-05-14T10:05:00Z"
    paras = paragraphs(article.body)
    assert paras[0] == STORY and len(paras) == 6


def test_ninjs_fallbacks(tmp_path: Path) -> None:
    records = [
        {  # 1.x: HTML body, firstcreated only, authors as people, the place as outlet
            "uri": "urn:x:1",
            "firstcreated": "2024-05-14T08:00:00Z",
            "body_html": "<p>First paragraph.</p><p>Second <b>bold</b> paragraph.</p>",
            "person": [{"name": "Ann Lee", "rel": "author"}, {"name": "Bob Roe", "rel": "subject"}],
            "located": "Hereford",
        },
        {  # 2.x: a plain body preferred to an HTML one, headline list without roles
            "uri": "urn:x:2",
            "headlines": [{"value": "A headline"}],
            "bodies": [
                {"contenttype": "text/html", "value": "<p>HTML version.</p>"},
                {"contenttype": "text/plain", "value": "Plain one.\n\nPlain two."},
            ],
            "people": [{"name": "Cat Poe", "rel": "http://cv.iptc.org/newscodes/role/author"}],
            "infosources": [
                {"name": "Picture Desk", "role": "photographer"},
                {"name": "Wire Co", "role": "provider"},
            ],
        },
    ]
    path = write(tmp_path / "items.json", json.dumps(records))
    first, second = ingest.read_file(path)
    assert first.source == "urn-x-1"
    assert paragraphs(first.body) == ["First paragraph.", "Second bold paragraph."]
    assert first.metadata["published"] == "2024-05-14T08:00:00Z"
    assert first.metadata["author"] == "Ann Lee"
    assert first.metadata["outlet"] == "Hereford"
    assert paragraphs(second.body) == ["Plain one.", "Plain two."]
    assert second.metadata["headline"] == "A headline"
    assert second.metadata["author"] == "Cat Poe"
    assert second.metadata["outlet"] == "Wire Co"


def test_ninjs_lines_mixed_with_plain_records(tmp_path: Path) -> None:
    lines = [
        json.dumps({"uri": "urn:a", "headline": "H", "body_text": "Ninjs body."}),
        json.dumps({"id": "plain", "body": "Plain body."}),
        json.dumps({"uri": "urn:b", "headlines": [{"value": "Only a headline"}]}),
    ]
    path = write(tmp_path / "wire.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        list(ingest.read_file(path))
    assert caught.value.line == 3 and "no body" in caught.value.problem
    feed = ingest.read_feed([path], keep_going=True)
    assert [a.source for a in feed.articles] == ["plain", "urn-a"]
    assert feed.skipped == (Skipped(str(path), 3, "ninjs item has no body text"),)


# ---------------------------------------------------------------- feeds


def test_rss_fixture() -> None:
    path = FORMATS / "shropshire-journal.rss"
    story, roads = ingest.read_file(path)  # in the feed's order
    assert story.source == "shropshire-journal-2024-0514-0031"
    assert roads.source == "shropshire-journal-2024-0514-0027"
    meta = story.metadata
    assert meta["outlet"] == "Shropshire Journal"
    assert meta["author"] == "Rhian Matthews"
    assert meta["published"] == "2024-05-14T10:20:00Z"  # 11:20 +0100
    assert meta["headline"] == (
        "West Mercia Police given inadequate rating for tackling organised crime"
    )
    assert meta["url"].endswith("/west-mercia-police-inadequate-rating/")
    paras = paragraphs(story.body)
    # content:encoded, not the one-line description; the related-links box dropped.
    assert paras[0] == STORY
    assert "Force names new chief constable" not in story.body
    assert "rated inadequate by inspectors" not in story.body
    # The item's own line in the feed, for provenance.
    lines = path.read_text().split("\n")
    assert lines[story.first_line - 1].strip() == "<item>"
    assert lines[roads.first_line - 1].strip() == "<item>"
    assert roads.first_line > story.first_line
    # A description holding HTML keeps its paragraphs.
    assert len(paragraphs(roads.body)) == 2


def test_atom_fixture_is_found_by_content() -> None:
    path = FORMATS / "marches-gazette.xml"
    article = one(path)
    assert (
        article.source == "tag-marchesgazette.example-2024-05-14-news-west-mercia-organised-crime"
    )
    assert article.metadata["outlet"] == "Marches Gazette"
    assert article.metadata["author"] == "Sian Lloyd"
    assert article.metadata["published"] == "2024-05-14T12:45:00Z"
    assert (
        article.metadata["url"] == "https://marchesgazette.example/news/west-mercia-organised-crime"
    )
    assert paragraphs(article.body)[0] == STORY and len(paragraphs(article.body)) == 6


def test_rss_ids_fall_back_to_link_then_stem(tmp_path: Path) -> None:
    feed = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Desk</title>
<item><title>One</title><link>https://desk.example/one</link>
<description>Plain description of one.</description></item>
<item><title>Two</title><description>Plain description of two.</description></item>
</channel></rss>"""
    one_, two = ingest.read_file(write(tmp_path / "desk.rss", feed))
    sources = {a.metadata["headline"]: a.source for a in (one_, two)}
    assert sources == {"One": "desk.example-one", "Two": "desk-2"}
    assert {a.body for a in (one_, two)} == {
        "Plain description of one.",
        "Plain description of two.",
    }


def test_rss_1_0(tmp_path: Path) -> None:
    feed = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/"><title>Old Gazette</title>
    <link>https://old.example/</link><description>d</description></channel>
  <item rdf:about="https://old.example/a">
    <title>Council budget agreed</title><link>https://old.example/a</link>
    <description>The council agreed its budget on Tuesday.</description>
    <dc:creator>Jo Bell</dc:creator><dc:date>2024-02-20T18:00:00Z</dc:date>
  </item>
</rdf:RDF>"""
    article = one(write(tmp_path / "old.xml", feed))
    assert article.source == "old.example-a"
    assert article.metadata["outlet"] == "Old Gazette"
    assert article.metadata["author"] == "Jo Bell"
    assert article.metadata["published"] == "2024-02-20T18:00:00Z"
    assert article.body == "The council agreed its budget on Tuesday."


def test_xml_that_is_no_feed(tmp_path: Path) -> None:
    sitemap = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url/></urlset>')
    with pytest.raises(InputError, match="not an RSS or Atom feed") as caught:
        list(ingest.read_file(sitemap))
    assert caught.value.path == str(sitemap)
    # Found in a folder, a non-feed .xml is left out, and said so.
    write(tmp_path / "a.txt", "Some article text.")
    feed = ingest.read_feed([tmp_path])
    assert [a.source for a in feed.articles] == ["a"]
    assert feed.notices == (Notice(str(sitemap), "not an RSS or Atom feed; left out"),)


def test_feeds_never_fetch_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-VALUE")
    feed = f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://dtd.example/rss.dtd" [
  <!ENTITY leak SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://evil.example/x">
]>
<rss version="2.0"><channel><title>T</title>
<item><title>Item</title><guid>g1</guid>
<description>Body text &leak; &remote; here.</description></item>
</channel></rss>"""
    path = write(tmp_path / "evil.rss", feed)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    feed_read = ingest.read_feed([path], keep_going=True)
    text = " ".join(a.body for a in feed_read.articles)
    assert "TOP-SECRET-VALUE" not in text


def test_feed_with_no_items_or_no_text(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.rss", "<rss><channel><title>T</title></channel></rss>")
    with pytest.raises(InputError, match="no items"):
        list(ingest.read_file(empty))
    blank = write(
        tmp_path / "blank.rss",
        "<rss><channel><title>T</title>\n<item><title>x</title><guid>a</guid></item>"
        "\n</channel></rss>",
    )
    with pytest.raises(InputError, match="no text") as caught:
        list(ingest.read_file(blank))
    assert caught.value.line == 2


# ---------------------------------------------------------------- HTML


def test_html_page_keeps_paragraphs_and_drops_furniture() -> None:
    article = one(FORMATS / "hereford-bulletin.html")
    paras = paragraphs(article.body)
    assert paras[0] == STORY
    assert len(paras) == 7 and all("\n" not in p for p in paras)
    for furniture in ("cookies", "Sign up", "Related articles", "Privacy policy", "What's On"):
        assert furniture not in article.body
    assert article.metadata["outlet"] == "Hereford Bulletin"
    assert article.metadata["author"] == "Gareth Bevan"
    assert (
        article.metadata["headline"] == "West Mercia Police rated inadequate over organised crime"
    )


def test_html_fragments() -> None:
    html = (
        "<div><h2>Sub head</h2><p>One &amp; two.<br>Three</p><ul><li>First</li><li>Second</li>"
        "</ul><ol><li>Alpha</li></ol><table><tr><td>cell</td></tr></table>"
        "<figure><img src=x><figcaption>Caption</figcaption></figure><p>End.</p></div>"
    )
    assert paragraphs(ingest.html_text(html)) == [
        "Sub head",
        "One & two.",
        "Three",
        "• First",
        "• Second",
        "1. Alpha",
        "End.",
    ]


def test_discovery_finds_every_format() -> None:
    found = {p.suffix for p in ingest.discover([FORMATS])}
    assert found == {".json", ".rss", ".xml", ".html", ".txt"}
    assert {".xml", ".rss", ".atom"} <= ingest.SUFFIXES


def test_hidden_files_and_folders_are_left_out(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Text.")
    write(tmp_path / ".hidden.txt", "Text.")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "notes.txt", "Text.")
    assert ingest.discover([tmp_path]) == [tmp_path / "a.txt"]


# ---------------------------------------------------------------- encodings


def test_windows_1252_fixture_is_decoded_and_said() -> None:
    path = FORMATS / "wyre-forest-courier.txt"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    feed = ingest.read_feed([path])
    (article,) = feed.articles
    assert "“Whilst I am" in article.body and "we’ve" in article.body
    assert "£1.2million" in article.body and "– and that" in article.body
    assert article.metadata["headline"].startswith("Force ‘disappointed’")
    assert feed.notices == (Notice(str(path), "decoded as windows-1252 (not UTF-8)"),)


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        # Curly quotes and a dash live in 0x80-0x9F: Windows-1252, never Latin-1's controls.
        ("He said “we’ve seen £1m” – at the café.", "cp1252", "windows-1252"),
        # Latin-1 without those bytes reads the same in Windows-1252.
        (
            "Die Polizei wurde für ihren Umgang als unzureichend bewertet. Er sei enttäuscht.",
            "latin-1",
            "windows-1252",
        ),
        (
            "Полиция получила оценку «неадекватно» за борьбу с организованной преступностью.",
            "cp1251",
            "windows-1251",
        ),
        (
            "Policja otrzymała ocenę niedostateczną za walkę z przestępczością zorganizowaną.",
            "cp1250",
            "windows-1250",
        ),
        (
            "Police were rated “inadequate” – the chief said he was disappointed.",
            "utf-16",
            "UTF-16",
        ),
    ],
)
def test_legacy_encodings(tmp_path: Path, text: str, codec: str, name: str) -> None:
    path = write(tmp_path / "a.txt", text.encode(codec))
    feed = ingest.read_feed([path])
    assert feed.articles[0].body == text
    assert feed.notices == (Notice(str(path), f"decoded as {name} (not UTF-8)"),)


def test_utf8_needs_no_notice_and_a_bom_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\ufeffCafé “quoted”.".encode())
    feed = ingest.read_feed([path])
    assert feed.articles[0].body == "Café “quoted”." and feed.notices == ()


def test_utf8_with_a_stray_legacy_byte_keeps_its_utf8(tmp_path: Path) -> None:
    # A paragraph pasted from a Windows-1252 file into a UTF-8 one: read byte by byte
    # as Windows-1252 the whole file would turn every “ and ’ into mojibake.
    raw = "Police said: “We’ve seen £1m seized.”\n\nThe caf".encode() + b"\xe9 closed.\n"
    path = write(tmp_path / "mixed.txt", raw)
    feed = ingest.read_feed([path])
    assert feed.articles[0].body == "Police said: “We’ve seen £1m seized.”\n\nThe café closed.\n"
    message = "decoded as UTF-8, with 1 byte that is not UTF-8 read as windows-1252"
    assert feed.notices == (Notice(str(path), message),)


def test_undetectable_encoding_is_an_error(tmp_path: Path) -> None:
    noise = bytes((i * 7919) % 128 + 128 for i in range(3000))
    path = write(tmp_path / "noise.txt", b"Headline " + noise)
    with pytest.raises(InputError, match="cannot be told with confidence") as caught:
        ingest.read_articles([path])
    assert caught.value.path == str(path)


def test_feed_declared_encoding_is_honoured(tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0" encoding="windows-1252"?>\n<rss><channel><title>Café News</title>'
        "<item><guid>a</guid><description>Price £10 “quoted”.</description></item>"
        "</channel></rss>"
    )
    feed_read = ingest.read_feed([write(tmp_path / "f.rss", feed.encode("cp1252"))])
    (article,) = feed_read.articles
    assert article.body == "Price £10 “quoted”."
    assert article.metadata["outlet"] == "Café News"
    assert feed_read.notices == ()  # declared, not guessed


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("content", [b"", b"  \n\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(InputError, match="empty") as caught:
        ingest.read_articles([path])
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (bytes(range(1, 9)) * 200 + b"some words", "control bytes"),
    ],
)
def test_binary_files(tmp_path: Path, content: bytes, why: str) -> None:
    path = write(tmp_path / "image.txt", content)
    with pytest.raises(InputError, match=f"binary file .*{why}"):
        ingest.read_articles([path])


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n  {"body": "x"},\n  {"body": }\n]')
    with pytest.raises(InputError, match="invalid JSON") as caught:
        ingest.read_articles([path])
    assert (caught.value.path, caught.value.line) == (str(path), 3)
    assert str(caught.value).startswith(f"{path}:3: ")


def test_records_without_body(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n{"id": "a", "body": "Text."},\n{"id": "b"}\n]')
    with pytest.raises(InputError, match="no 'body' text") as caught:
        ingest.read_articles([path])
    assert caught.value.line == 3
    blank = write(tmp_path / "blank.txt", "id: x\n---\n\n  \n")
    with pytest.raises(InputError, match="no body text"):
        ingest.read_articles([blank])


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", "Text.")
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError, match="cannot read: Permission denied") as caught:
        ingest.read_articles([path])
    assert caught.value.path == str(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Text.")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="Permission denied"):
            ingest.read_articles([path])
    finally:
        path.chmod(0o644)


def test_directory_without_articles(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv", "a,b\n")
    with pytest.raises(InputError, match="no article files found"):
        ingest.read_feed([tmp_path], keep_going=True)


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest.read_articles([tmp_path / "nope.txt"])
    with pytest.raises(InputError, match=r"unsupported file type '\.csv'"):
        ingest.read_articles([write(tmp_path / "x.csv", "a")])


def test_a_huge_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    real_open = Path.open

    def no_reading(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise AssertionError("the file was opened")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", no_reading)
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"50\.0 MB, over the 10 MB limit") as caught:
        ingest.read_articles([path])
    assert time.perf_counter() - started < 1
    assert caught.value.path == str(path)


def test_a_huge_record_body_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_ARTICLE_BYTES", 1000)
    path = write(
        tmp_path / "f.jsonl",
        json.dumps({"id": "ok", "body": "Short."}) + "\n" + json.dumps({"body": "x" * 2000}),
    )
    with pytest.raises(InputError, match="over the") as caught:
        ingest.read_articles([path])
    assert caught.value.line == 2


# ---------------------------------------------------------------- keep going


def test_keep_going_reads_the_rest_and_lists_what_it_left_out(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "A good article.")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "binary.txt", b"\x00\x01\x02")
    write(tmp_path / "broken.json", "{nope")
    write(
        tmp_path / "feed.jsonl",
        json.dumps({"id": "j1", "body": "One."}) + "\n{bad\n" + json.dumps({"id": "j3"}) + "\n",
    )
    write(tmp_path / "twice.jsonl", json.dumps({"id": "t", "body": "One."}) + "\n" * 2)
    with (tmp_path / "twice.jsonl").open("a") as handle:
        handle.write(json.dumps({"id": "t", "body": "The same id again."}) + "\n")
    with pytest.raises(InputError):
        ingest.read_feed([tmp_path])
    feed = ingest.read_feed([tmp_path, tmp_path / "missing.txt"], keep_going=True)
    assert [a.source for a in feed.articles] == ["good", "j1", "t"]
    skipped = {(Path(s.path).name, s.line): s.problem for s in feed.skipped}
    assert set(skipped) == {
        ("missing.txt", None),
        ("empty.txt", None),
        ("binary.txt", None),
        ("broken.json", 1),
        ("feed.jsonl", 2),
        ("feed.jsonl", 3),
        ("twice.jsonl", 3),  # records of one file cannot be told apart by its path
    }
    assert "binary" in skipped[("binary.txt", None)]
    assert "also used by the record at line 1" in skipped[("twice.jsonl", 3)]


def test_keep_going_with_nothing_readable_is_still_an_error(tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "broken.json", "{nope")
    with pytest.raises(InputError, match=r"no readable articles \(2 skipped"):
        ingest.read_feed([tmp_path], keep_going=True)


def test_read_articles_is_read_feed_strict() -> None:
    feed = ingest.read_feed([FIXTURES / "west-mercia"])
    assert ingest.read_articles([FIXTURES / "west-mercia"]) == feed.articles
    assert [a.source for a in feed.articles] == sorted(a.source for a in feed.articles)
    assert feed.skipped == () and feed.notices == ()


# ---------------------------------------------------------------- source ids


@pytest.mark.parametrize(
    "raw",
    [
        "../../x",
        "/etc/passwd",
        "C:\\x",
        "C:\\Windows\\..\\x",
        "a\x00b",
        "line\nbreak\r\n",
        "x" * 5000,
        "https://news.example/a/b?c=d#e",
        "CON",
        "nul.txt",
        "\u202eevil",
        " spaced out ",
        ".hidden",
    ],
)
def test_unsafe_ids_become_safe(tmp_path: Path, raw: str) -> None:
    path = write(tmp_path / "a.json", json.dumps({"id": raw, "body": "Text."}))
    source = one(path).source
    assert SAFE_ID.fullmatch(source), source
    assert len(source) <= ingest.MAX_ID_CHARS
    assert source.isprintable() and "/" not in source and "\\" not in source
    assert not source.startswith(".") and ".." not in source.split("-")
    assert source.split(".")[0].upper() not in {"CON", "NUL"}


def test_long_ids_stay_distinct(tmp_path: Path) -> None:
    base = "y" * 200
    assert ingest.source_id(base + "1", tmp_path) != ingest.source_id(base + "2", tmp_path)
    assert ingest.source_id("ok-id", tmp_path) == "ok-id"
    assert ingest.source_id("/etc/passwd", tmp_path) == "etc-passwd"


@pytest.mark.parametrize("raw", ["..", "/", "\x00\n", "…"])
def test_ids_with_nothing_usable_are_errors(tmp_path: Path, raw: str) -> None:
    path = write(tmp_path / "a.jsonl", json.dumps({"id": raw, "body": "Text."}))
    with pytest.raises(InputError, match="unusable source id") as caught:
        ingest.read_articles([path])
    assert (caught.value.path, caught.value.line) == (str(path), 1)


def test_an_empty_id_falls_back_to_the_file_name(tmp_path: Path) -> None:
    assert one(write(tmp_path / "story.json", '{"id": "", "body": "T."}')).source == "story"
    assert one(write(tmp_path / "s2.txt", "id:\n---\nT.")).source == "s2"


# ---------------------------------------------------------------- ids several files share


def sources(*paths: Path, exclude: tuple[Path, ...] = ()) -> dict[str, str]:
    feed = ingest.read_feed(paths, exclude=exclude)
    return {a.source: Path(a.path).name for a in feed.articles}


def newsroom(root: Path) -> Path:
    """Copy filed the way a newsroom files it: one folder a day, one file an outlet."""
    write(root / "2024-05-14" / "bbc.txt", "Kent Police was rated inadequate on Tuesday.")
    write(root / "2024-05-15" / "bbc.txt", "Kent Police was rated inadequate on Wednesday.")
    write(root / "2024-05-15" / "itv.txt", "Kent Police was rated inadequate, ITV says.")
    return root


def test_one_stem_in_two_folders_is_told_apart_by_the_folder(tmp_path: Path) -> None:
    feed = ingest.read_feed([newsroom(tmp_path / "feed")])
    by_id = {
        a.source: Path(a.path).relative_to(tmp_path / "feed").as_posix() for a in feed.articles
    }
    assert by_id == {
        "2024-05-14-bbc": "2024-05-14/bbc.txt",
        "2024-05-15-bbc": "2024-05-15/bbc.txt",
        "itv": "2024-05-15/itv.txt",  # no collision: the id it always had
    }
    assert feed.notices == (
        Notice(
            str(tmp_path / "feed/2024-05-14/bbc.txt"),
            "source id 'bbc' is also used by 1 other file; read as '2024-05-14-bbc'",
        ),
        Notice(
            str(tmp_path / "feed/2024-05-15/bbc.txt"),
            "source id 'bbc' is also used by 1 other file; read as '2024-05-15-bbc'",
        ),
    )


def test_ids_do_not_depend_on_the_order_files_are_given_or_found_in(tmp_path: Path) -> None:
    feed = newsroom(tmp_path / "feed")
    files = sorted(feed.rglob("*.txt"))
    expected = ["2024-05-14-bbc", "2024-05-15-bbc", "itv"]
    # Named one by one, a file is told apart by the folder it is in.
    for given in (files, files[::-1], [files[1], files[2], files[0]]):
        assert [a.source for a in ingest.read_feed(given).articles] == expected
    # Found in a folder, and also named or found in a folder inside it: the ids of
    # the outermost folder.
    for given in ([feed, files[0]], [files[0], feed], [feed / "2024-05-15", feed]):
        assert [a.source for a in ingest.read_feed(given).articles] == expected


def test_front_matter_ids_that_collide_are_told_apart_too(tmp_path: Path) -> None:
    write(tmp_path / "story-a" / "one.txt", "id: bbc-news\n---\nFirst story.")
    write(tmp_path / "story-b" / "two.txt", "id: bbc-news\n---\nSecond story.")
    write(tmp_path / "story-b" / "three.json", json.dumps({"id": "pa", "body": "Wire."}))
    assert sources(tmp_path) == {
        "story-a-bbc-news": "one.txt",
        "story-b-bbc-news": "two.txt",
        "pa": "three.json",
    }


def test_a_file_at_the_top_keeps_the_id_its_namesakes_in_folders_lose(tmp_path: Path) -> None:
    write(tmp_path / "bbc.txt", "Today's copy.")
    write(tmp_path / "archive" / "bbc.txt", "Yesterday's copy.")
    feed = ingest.read_feed([tmp_path])
    assert {a.source: a.path for a in feed.articles} == {
        "bbc": str(tmp_path / "bbc.txt"),
        "archive-bbc": str(tmp_path / "archive" / "bbc.txt"),
    }
    assert feed.notices[1].message == "source id 'bbc' is also used by 1 other file; kept"


def test_one_folder_holding_both_adds_the_file_name(tmp_path: Path) -> None:
    write(tmp_path / "desk" / "kent.txt", "id: bbc\n---\nKent copy.")
    write(tmp_path / "desk" / "essex.txt", "id: bbc\n---\nEssex copy.")
    write(tmp_path / "desk" / "x.txt", "Text.")
    write(tmp_path / "desk" / "x.md", "Markdown.")
    assert sources(tmp_path) == {
        "desk-essex-bbc": "essex.txt",
        "desk-kent-bbc": "kent.txt",
        "desk-x.md-x": "x.md",
        "desk-x.txt-x": "x.txt",
    }


def test_a_new_id_never_takes_another_articles(tmp_path: Path) -> None:
    write(tmp_path / "a" / "bbc.txt", "One.")
    write(tmp_path / "b" / "bbc.txt", "Two.")
    write(tmp_path / "a-bbc.txt", "An article whose id is a-bbc already.")
    assert sources(tmp_path) == {
        "a-bbc": "a-bbc.txt",
        "a-bbc-bbc": "bbc.txt",
        "b-bbc-bbc": "bbc.txt",
    }


def test_folder_ids_are_made_safe(tmp_path: Path) -> None:
    write(tmp_path / "Mon 14 May" / "bbc.txt", "One.")
    write(tmp_path / "Tue: 15 May" / "bbc.txt", "Two.")
    assert sorted(sources(tmp_path)) == ["Mon-14-May-bbc", "Tue-15-May-bbc"]


def test_records_of_two_files_of_one_name_are_told_apart(tmp_path: Path) -> None:
    records = [{"body": "One."}, {"body": "Two."}]
    for day in ("mon", "tue"):
        write(tmp_path / day / "wire.json", json.dumps(records))
    assert sorted(sources(tmp_path)) == ["mon-wire-1", "mon-wire-2", "tue-wire-1", "tue-wire-2"]


def test_what_no_path_tells_apart_is_still_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Text.")
    with pytest.raises(InputError, match="source id 'a' is also used by"):
        ingest.read_feed([path, Path(os.path.relpath(path))])
    twice = write(
        tmp_path / "t.jsonl",
        json.dumps({"id": "t", "body": "One."}) + "\n" + json.dumps({"id": "t", "body": "Two."}),
    )
    with pytest.raises(InputError, match="also used by the record at line 1") as caught:
        ingest.read_feed([twice])
    assert caught.value.line == 2


# ---------------------------------------------------------------- what is never read


def reports_of(feed: Path, out: Path, formats: tuple[str, ...] = ("csv",)) -> list[Path]:
    from consistency import report

    return report.write_reports(pipeline.check([feed]), out, formats=formats, graph=True)


def test_report_files_are_the_ones_the_tool_writes(tmp_path: Path) -> None:
    write(tmp_path / "feed" / "a.txt", STORY)
    written = reports_of(tmp_path / "feed", tmp_path / "out", ingest._REPORT_FORMATS)
    assert {p.name for p in written} == ingest.REPORT_FILES
    for fmt in ingest._REPORT_FORMATS:
        out = tmp_path / fmt
        reports_of(tmp_path / "feed", out, (fmt,))
        assert ingest._holds_reports(out), fmt


def test_excluded_folders_and_files_are_never_read(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write(feed / "a.txt", STORY)
    write(feed / "b.txt", STORY)
    write(feed / "out" / "report.html", "<html><body><p>Last run's report.</p></body></html>")
    write(feed / "out" / "notes.txt", "Not copy: kept with the reports.")
    write(feed / "known.txt", "0123456789ab\n")  # a baseline: ids one a line
    exclude = (feed / "out", feed / "known.txt")
    assert sorted(sources(feed, exclude=exclude)) == ["a", "b"]
    assert sorted(sources(feed)) == ["a", "b", "known", "notes", "report"]
    # Named on their own, they are left out too, and said.
    named = ingest.read_feed([feed / "a.txt", feed / "known.txt"], exclude=exclude)
    assert [a.source for a in named.articles] == ["a"]
    assert named.notices == (
        Notice(
            str(feed / "known.txt"), "excluded (an output or the baseline of this run); not read"
        ),
    )
    assert ingest.discover([feed], exclude) == [feed / "a.txt", feed / "b.txt"]
    # By another spelling of the same path.
    relative = Path(os.path.relpath(feed / "out"))
    assert sorted(sources(feed, exclude=(relative, feed / "known.txt"))) == ["a", "b"]


def test_an_output_folder_that_is_the_input_keeps_its_copy(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "b.txt", STORY)
    reports_of(tmp_path, tmp_path, ("json",))  # discrepancies.json etc. beside the copy
    assert sorted(sources(tmp_path, exclude=(tmp_path,))) == ["a", "b"]
    feed = ingest.read_feed([tmp_path])  # even when not told: the reports give it away
    assert [a.source for a in feed.articles] == ["a", "b"]
    assert feed.notices == (
        Notice(str(tmp_path), "holds the reports of a run of this tool; those files not read"),
    )


def test_a_folder_of_an_earlier_run_is_recognised_and_left_out(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    write(feed / "a.txt", STORY)
    write(feed / "b.txt", STORY)
    reports_of(feed, feed / "old-out", ("json", "csv"))
    write(feed / "old-out" / "notes.txt", "Not copy.")
    result = pipeline.check([feed])
    assert [a.source for a in result.articles] == ["a", "b"]
    assert result.notices == (
        Notice(str(feed / "old-out"), "holds the reports of a run of this tool; not read"),
    )
    named = ingest.read_feed([feed / "a.txt", feed / "old-out" / "report.html"])
    assert [a.source for a in named.articles] == ["a"]
    assert named.notices[0].message == "a report of an earlier run of this tool; not read"
    # Two of the three tables are not a run's reports: a folder of copy keeps its files.
    (feed / "old-out" / "coverage.json").unlink()
    (feed / "old-out" / "coverage.csv").unlink()
    with pytest.raises(InputError):
        ingest.read_feed([feed])  # claims.json is no article


def test_check_takes_exclusions(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "keep" / "c.txt", "Something else entirely, about the weather.")
    result = pipeline.check([tmp_path], exclude=[tmp_path / "keep"])
    assert [a.source for a in result.articles] == ["a", "b"]
    assert result.notices == ()


# ---------------------------------------------------------------- one story, six formats


def test_the_same_story_is_found_across_formats() -> None:
    result = pipeline.check([FORMATS])
    story_of = dict(result.matching.story_of)
    versions = {s for s in story_of if s != "shropshire-journal-2024-0514-0027"}
    assert len(versions) == 6
    assert len({story_of[s] for s in versions}) == 1
    assert story_of["shropshire-journal-2024-0514-0027"] != story_of["wyre-forest-courier"]
    # The Windows-1252 version changed a figure: reported once, against a version the
    # others agree with, and every other version is named as printing it that way.
    (changed,) = [
        d
        for d in result.discrepancies
        if "wyre-forest-courier" in (d.source_a, d.source_b) and "1.2million" in d.value_b
    ]
    for other in (
        "hereford-bulletin",
        "shropshire-journal-2024-0514-0031",
        "urn-newsml-midlandspress.example-20240514-west-mercia-soc-inspection",
    ):
        assert other in (changed.source_a, changed.source_b) or other in changed.explanation
    assert changed.severity == "high"


# ---------------------------------------------------------------- explain


def test_explain_shows_repairs_paragraphs_claims_and_findings() -> None:
    text = explain.explain(FIXTURES / "west-mercia" / "hits-radio.txt")
    assert text.startswith("== hits-radio ==")
    # The encoding repair, with its line, what changed and why.
    assert re.search(r"line 10  encoding: UTF-8 text decoded as Windows-125\d", text)
    assert "before:  His Majestyā€™s Inspectorate" in text
    assert "after:   His Majesty’s Inspectorate" in text
    assert "fixed:   ā€™ -> ’" in text
    assert "removed: Author: Ben CartwrightPublished 14th May 2024" in text
    assert "author: Ben Cartwright" in text
    # Cleaned paragraphs with their lines in the file.
    assert "line 12  • West Mercia Police has been graded as inadequate." in text
    # Claims with what extract found in them.
    assert "hits-radio:0005  list_item  line 12" in text
    assert "grade: West Mercia Police / serious and organised crime: inadequate" in text
    assert "quotation: speaker Andy Cooke (named beside it)" in text
    assert "person: Andy Cooke, title: His Majesty's Chief Inspector of Constabulary" in text
    assert "person: Murray, title: Temporary Chief Constable" in text


def test_explain_every_article_of_a_file_and_the_notices() -> None:
    feed = explain.explain(FORMATS / "shropshire-journal.rss")
    assert feed.count("\n== ") + feed.startswith("== ") == 2
    assert "outlet: Shropshire Journal" in feed
    legacy = explain.explain(FORMATS / "wyre-forest-courier.txt")
    assert legacy.startswith(
        f"note: {FORMATS / 'wyre-forest-courier.txt'}: decoded as windows-1252 (not UTF-8)"
    )
    assert "£1.2million" in legacy


def test_explain_refuses_a_directory() -> None:
    with pytest.raises(InputError, match="directory"):
        explain.explain(FORMATS)


def test_a_jsonl_file_of_only_bad_lines_names_the_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id":\n\n[1, 2\n')
    with pytest.raises(InputError, match=r"x\.jsonl:1: invalid JSON"):
        ingest.read_feed([path])
    with pytest.raises(InputError, match=r"2 skipped; first: .*x\.jsonl:1: invalid JSON"):
        ingest.read_feed([path], keep_going=True)


# ---------------------------------------------------------------- Parquet


def _parquet(path: Path, rows: dict[str, list[object]]) -> Path:
    import polars as pl

    pl.DataFrame(rows).write_parquet(path)
    return path


def test_parquet_rows_are_records_like_json_ones(tmp_path: Path) -> None:
    from datetime import datetime

    path = _parquet(
        tmp_path / "wire.parquet",
        {
            "id": ["pa-1", None],
            "outlet": ["PA", "Reuters"],
            "published": [datetime(2025, 1, 24, 9, 30), None],
            "section": ["news", "world"],
            "words": [412, 388],
            "body": ["Storm Eowyn closed schools.\n\nMore follows.", "Winds reached 183km/h."],
        },
    )
    first, second = ingest.read_articles([path])
    assert first.source == "pa-1" and second.source == "wire-2"
    assert first.metadata["outlet"] == "PA" and first.metadata["published"] == "2025-01-24T09:30:00"
    assert first.metadata["section"] == "news" and first.metadata["words"] == "412"
    assert "published" not in second.metadata
    assert first.body.startswith("Storm Eowyn")


def test_a_parquet_row_without_a_body_is_reported_with_its_number(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "a.parquet", {"id": ["x", "y"], "body": ["Some copy here.", " "]})
    with pytest.raises(InputError, match=r"a\.parquet:2: record has no 'body' text"):
        ingest.read_articles([path])
    feed = ingest.read_feed([path], keep_going=True)
    assert [a.source for a in feed.articles] == ["x"]
    assert [(s.line, s.problem) for s in feed.skipped] == [(2, "record has no 'body' text")]


def test_a_damaged_or_bodiless_parquet_file_is_one_line(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 this is not a parquet file at all PAR1")
    with pytest.raises(InputError, match=r"damaged\.parquet: not a readable Parquet file: "):
        ingest.read_articles([damaged])
    columns = _parquet(tmp_path / "columns.parquet", {"id": ["x"], "text": ["Copy."]})
    with pytest.raises(InputError, match=r"columns\.parquet: no 'body' column"):
        ingest.read_articles([columns])


def test_a_folder_of_tables_a_run_wrote_is_not_read_as_articles(tmp_path: Path) -> None:
    """`check --tables DIR` inside the feed: its Parquet files are output, not records."""
    from consistency import check, tables

    feed = tmp_path / "feed"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "west-mercia", feed)
    tables.write_tables(tables.result_tables(check([feed])), feed / "tables")
    assert set(ingest._TABLES_WRITTEN) <= set(tables.TABLES)
    read = ingest.read_feed([feed])
    assert {a.path for a in read.articles} == {str(p) for p in sorted(feed.glob("*.txt"))}


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=12),
    st.integers(0, 10_000),
)
def test_a_damaged_parquet_file_is_an_input_error_or_articles(
    flips: list[tuple[int, int]], cut: int
) -> None:
    """Bytes of a good file changed or cut short: reading gives articles or one
    InputError, never another exception (a panic of the Rust reader included)."""
    import io
    import tempfile

    import polars as pl

    buffer = io.BytesIO()
    pl.DataFrame({"id": ["a", "b"], "body": ["Some copy here.", "More copy."]}).write_parquet(
        buffer
    )
    raw = bytearray(buffer.getvalue())
    for at, value in flips:
        raw[at % len(raw)] = value
    del raw[max(8, len(raw) - cut % len(raw)) :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wire.parquet"
        path.write_bytes(bytes(raw))
        try:
            articles = ingest.read_articles([path])
        except InputError as error:
            assert str(error).startswith(str(path))
        else:
            assert all(a.body.strip() for a in articles)


# --- URIs a cluster reads (hdfs://, s3a://, file://) ---------------------------------


def test_uris_of_other_schemes_than_http_are_remote() -> None:
    for uri in ("s3a://bucket/feed", "hdfs://namenode:8020/wire", "file:///tmp/feed", "gs://b/x"):
        assert ingest.is_remote(uri), uri
    for local in ("feed/a.txt", "-", "http://example.org/a", "https://x.org", "C:/feed", "a:b"):
        assert not ingest.is_remote(local), local


def test_a_remote_uri_without_a_cluster_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from consistency.cli import app

    with pytest.raises(InputError, match=r"^s3a://bucket/feed: .*--engine spark$"):
        ingest.read_feed(["s3a://bucket/feed"])
    with pytest.raises(InputError, match="--engine spark"):
        pipeline.check(["s3a://bucket/feed"])
    result = CliRunner().invoke(app, ["check", "s3a://bucket/feed", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "s3a://bucket/feed" in result.output and "--engine spark" in result.output
    assert "Traceback" not in result.output
    # Beside local files, with --keep-going: skipped, the rest read.
    feed = ingest.read_feed(["s3a://bucket/feed", FIXTURES / "west-mercia"], keep_going=True)
    assert [s.path for s in feed.skipped] == ["s3a://bucket/feed"]
    assert len(feed.articles) == 5


def _served(folder: Path, uri: str) -> ingest.RemoteFiles:
    """A cluster's listing of `folder` as `uri` (what the Spark engine's `files` gives)."""

    def files(asked: str) -> list[tuple[str, int, bytes | None]]:
        assert asked == uri
        return [
            (
                uri + "/" + path.relative_to(folder).as_posix(),
                path.stat().st_size,
                path.read_bytes(),
            )
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        ]

    return files


def test_files_under_a_uri_are_read_as_local_files_are(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    shutil.copytree(FIXTURES / "formats", folder / "desk")
    shutil.copytree(FIXTURES / "west-mercia", folder / "wm")
    (folder / "wm" / ".hidden.txt").write_text("Hidden text.\n", "utf-8")
    (folder / "notes.csv").write_text("a,b\n", "utf-8")
    (folder / "sitemap.xml").write_text("<urlset></urlset>\n", "utf-8")
    local = ingest.read_feed([folder])
    uri = "s3a://bucket/archive"
    remote = ingest.read_feed([uri], remote=_served(folder, uri))
    assert [a.source for a in remote.articles] == [a.source for a in local.articles]
    for near, far in zip(local.articles, remote.articles, strict=True):
        assert far.path == uri + "/" + Path(near.path).relative_to(folder).as_posix()
        assert (far.body, far.metadata, far.first_line) == (
            near.body,
            near.metadata,
            near.first_line,
        )
    assert sorted(n.message for n in remote.notices) == sorted(n.message for n in local.notices)
    assert all(n.path.startswith(uri + "/") for n in remote.notices)


def test_a_file_under_a_uri_over_the_limit_is_named_and_not_read(tmp_path: Path) -> None:
    uri = "hdfs://namenode/wire"

    def files(asked: str) -> list[tuple[str, int, bytes | None]]:
        big = ingest.MAX_FEED_BYTES + 1
        return [
            (f"{uri}/big.jsonl", big, None),
            (f"{uri}/a.txt", 20, b"Kent Police was rated good.\n"),
        ]

    with pytest.raises(InputError, match=r"^hdfs://namenode/wire/big.jsonl: file is .* over the"):
        ingest.read_feed([uri], remote=files)
    feed = ingest.read_feed([uri], remote=files, keep_going=True)
    assert [a.path for a in feed.articles] == [f"{uri}/a.txt"]
    assert [s.path for s in feed.skipped] == [f"{uri}/big.jsonl"]
    with pytest.raises(InputError, match="no article files found"):
        ingest.read_feed([uri], remote=lambda asked: [])
