"""report.html: what it shows (parsed without a browser), and how it behaves in headless
Chromium (filters, payloads in articles, no network)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Loaded, chromium, load

from consistency import check, check_articles, htmlreport, ingest
from consistency.htmlreport import highlight, render
from consistency.models import SEVERITY_RANK, Discrepancy, Notice
from consistency.results import CheckResult

# --- a small DOM, to read the page as a browser would without one -----------------

VOID = {"meta", "input", "br", "img", "hr", "link", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        out: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                    out.append(child)
                out += child.all(tag, cls)
        return out

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]

    def by_id(self, node_id: str) -> Node:
        found = [n for n in self.all() if n.attrs.get("id") == node_id]
        assert len(found) == 1, node_id
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.at = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.at = node.parent

    def handle_data(self, data: str) -> None:
        self.at.children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.at is builder.root, f"unclosed <{builder.at.tag}>"
    return builder.root


# --- feeds ----------------------------------------------------------------------

SCRIPT = "<script>window.__xss_text=1</script>"
IMAGE = '<img src=x onerror="window.__xss_img=1;alert(1)">'
META = '"><script>window.__xss_meta=1</script>'
SOURCE = 'kent-a"><script>window.__xss_id=1</script>'
FLAGS = ("__xss_text", "__xss_img", "__xss_meta", "__xss_id")

STORY = f"""outlet: {META}
headline: Kent Police praised {IMAGE}
---
Kent Police rated good by inspectors {IMAGE}

Kent Police made 312 arrests during the operation {SCRIPT} last year, the force said.

Chief Constable Tim Smith said: "We are proud of our officers and the work they do."

The inspectorate said the force had improved its response to victims across the county.
"""


@pytest.fixture(scope="module")
def result(west_mercia_dated: Path) -> CheckResult:
    # Dated: two stories, so the per-story parts of the page have two to show.
    return check([west_mercia_dated])


@pytest.fixture(scope="module")
def page(result: CheckResult) -> str:
    return render(result)


@pytest.fixture(scope="module")
def dom(page: str) -> Node:
    return parse(page)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    """Two versions of a story, payloads in text, headline and metadata, one number
    changed; the first version's source id (possible for a library caller, whose
    Article records skip ingest's cleaning of ids) is a payload too."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "kent-a.txt").write_text(STORY, encoding="utf-8")
    (folder / "kent-b.txt").write_text(STORY.replace("312", "321"), encoding="utf-8")
    files = check([folder])
    assert [d.kind for d in files.discrepancies] == ["number_conflict"]
    articles = tuple(
        replace(a, source=SOURCE) if a.source == "kent-a" else a
        for a in ingest.read_articles([folder])
    )
    return check_articles(articles)


def row_of(result: CheckResult, kind: str) -> Discrepancy:
    rows = [d for d in result.discrepancies if d.kind == kind]
    assert len(rows) == 1, kind
    return rows[0]


def marks(node: Node, cls: str | None = None) -> list[str]:
    return [m.text() for m in node.all("mark", cls)]


# --- unit tests -----------------------------------------------------------------


def test_every_row_once_grouped_worst_first_then_by_subject(result: CheckResult, dom: Node) -> None:
    articles = dom.all("article", "d")
    assert sorted(a.attrs["data-id"] for a in articles) == sorted(
        d.id for d in result.discrepancies
    )
    bands = dom.all("section", "band")
    order = [b.attrs["data-severity"] for b in bands]
    assert order == sorted(set(order), key=SEVERITY_RANK.__getitem__)
    by_id = {d.id: d for d in result.discrepancies}
    for band in bands:
        subjects = [g.attrs["data-subject"] for g in band.all("section", "g")]
        assert subjects == sorted(subjects, key=str.casefold)
        assert len(subjects) == len(set(subjects))
        for group in band.all("section", "g"):
            for article in group.all("article", "d"):
                d = by_id[article.attrs["data-id"]]
                assert (d.severity, d.subject) == (
                    band.attrs["data-severity"],
                    group.attrs["data-subject"],
                )
                assert article.attrs["data-kind"] == d.kind
                assert (article.attrs["data-a"], article.attrs["data-b"]) == (
                    d.source_a,
                    d.source_b,
                )
            assert group.one("span", "count").text() == str(len(group.all("article", "d")))


def test_summary_counts(result: CheckResult, dom: Node) -> None:
    rows = result.discrepancies
    assert dom.by_id("totals").attrs["data-rows"] == str(len(rows))
    severities = Counter(d.severity for d in rows)
    table = dom.by_id("by-severity")
    shown = {tr.attrs["data-severity"]: int(tr.one("td").text()) for tr in table.all("tr")[1:-1]}
    assert shown == {s: severities.get(s, 0) for s in SEVERITY_RANK}
    assert sum(shown.values()) == len(rows)
    kinds = Counter((d.kind, d.severity) for d in rows)
    for tr in dom.by_id("by-kind").all("tr")[1:]:
        cells = [int(td.text()) for td in tr.all("td")]
        expected = [kinds[(tr.attrs["data-kind"], s)] for s in ("high", "medium", "low")]
        assert cells == [*expected, sum(expected)]
    involving = Counter(s for d in rows for s in {d.source_a, d.source_b or d.source_a})
    for tr in dom.by_id("by-source").all("tr")[1:]:
        assert int(tr.all("td")[-1].text()) == involving[tr.attrs["data-source"]]
    assert {tr.attrs["data-source"] for tr in dom.by_id("by-source").all("tr")[1:]} == {
        a.source for a in result.articles
    }


def test_the_notes_the_run_gave_are_on_the_page(result: CheckResult, dom: Node) -> None:
    assert not result.notices
    assert not [n for n in dom.all() if n.attrs.get("id") == "notes"]
    told = replace(
        result,
        notices=(
            Notice("feed/a.txt", "decoded as windows-1252 (not UTF-8)"),
            Notice(f"wire-{IMAGE}", f"812 articles read as copies of one story {SCRIPT}"),
        ),
    )
    notes = parse(render(told)).by_id("notes").all("li")
    assert [li.text() for li in notes] == [
        "feed/a.txt: decoded as windows-1252 (not UTF-8)",
        f"wire-{IMAGE}: 812 articles read as copies of one story {SCRIPT}",
    ]


def test_agreement_matrix_per_story(result: CheckResult, dom: Node) -> None:
    story_of = result.matching.story_of
    matrices = dom.all("details", "matrix-story")
    assert sorted(m.attrs["data-story"] for m in matrices) == sorted(set(story_of.values()))
    for matrix in matrices:
        story = matrix.attrs["data-story"]
        members = sorted(s for s, st in story_of.items() if st == story)
        table = matrix.one("table", "matrix")
        header, *lines = table.all("tr")
        assert [th.text() for th in header.all("th")[1:]] == members
        cells = {}
        for tr in lines:
            a = tr.one("th").text()
            for b, td in zip(members, tr.all("td"), strict=True):
                cells[(a, b)] = td
        for a in members:
            for b in members:
                between = Counter(
                    d.severity
                    for d in result.discrepancies
                    if {d.source_a, d.source_b or d.source_a} == {a, b}
                )
                words = re.findall(r"(\d+) (high|medium|low)", cells[(a, b)].text())
                assert {s: int(n) for n, s in words} == dict(between), (a, b)
                if a != b and not between:
                    assert cells[(a, b)].text() == "agree"
    # The four-source story has pairs that disagree and pairs that agree.
    bbc = next(m for m in matrices if m.attrs["data-story"] == story_of["bbc"])
    texts = [td.text() for td in bbc.all("td")]
    assert "agree" in texts and any(re.search(r"\d+ (high|medium)", t) for t in texts)
    # No row pairs two stories here (a person's titles are compared within a story), so
    # no table between stories; a row that pairs two is shown beside the matrices.
    assert not any(
        story_of[d.source_a] != story_of[d.source_b] for d in result.discrepancies if d.source_b
    )
    assert not [n for n in dom.all() if n.attrs.get("id") == "across"]
    crossing = replace(result.discrepancies[0], id="0" * 12, source_a="bbc", source_b="peel-2025")
    page = parse(render(replace(result, discrepancies=(*result.discrepancies, crossing))))
    shown = {
        (tr.all("td")[0].text(), tr.all("td")[1].text()): sum(
            int(td.text()) for td in tr.all("td")[2:]
        )
        for tr in page.by_id("across").all("tr")[1:]
    }
    assert shown == {("bbc", "peel-2025"): 1}
    assert "peel-2025" not in bbc.one("table", "matrix").text()


def test_claim_altered_row_highlights_the_changed_words(result: CheckResult, dom: Node) -> None:
    d = row_of(result, "claim_altered")
    article = dom.by_id(f"d-{d.id}")
    a, b = article.one("div", "side-a"), article.one("div", "side-b")
    assert a.one("p", "text").text() == d.text_a
    assert b.one("p", "text").text() == d.text_b
    assert d.source_a in a.one("div", "who").text() and f"line {d.line_a}" in a.text()
    assert d.source_b in b.one("div", "who").text() and f"line {d.line_b}" in b.text()
    assert article.one("p", "expl").text() == d.explanation
    # The detector's words ("performance … relation to" / "capabilities … handling")
    # are marked, and the words both sentences share are not.
    marked_a, marked_b = " ".join(marks(a)), " ".join(marks(b))
    for part in d.value_a.split(" … "):
        assert part in marked_a
    for part in d.value_b.split(" … "):
        assert part in marked_b
    assert "raised" not in marked_a and "serious" not in marked_b


def test_quote_row_marks_the_changed_punctuation_and_the_extra_sentences(
    result: CheckResult, dom: Node
) -> None:
    d = next(d for d in result.discrepancies if d.kind == "quote_altered" and d.severity == "low")
    article = dom.by_id(f"d-{d.id}")
    a, b = article.one("div", "side-a"), article.one("div", "side-b")
    assert marks(a, "c") == ["reduce"] and marks(b, "c") == ["reduce,"]
    # The longer version carries two more sentences of the quotation: only there.
    extra = marks(b, "o")
    assert len(extra) == 1 and extra[0].startswith("Whilst I am") and extra[0].endswith(".")
    assert "decrease in robbery" not in " ".join(marks(a) + marks(b))


def test_single_source_row_shows_one_text(result: CheckResult, dom: Node) -> None:
    d = row_of(result, "encoding_damage")
    article = dom.by_id(f"d-{d.id}")
    assert len(article.all("div", "side")) == 1
    side = article.one("div", "side")
    assert side.one("p", "text").text() == d.text_a
    # The damaged words, where the repaired reading differs.
    assert marks(side) and all(re.search("[ĀāÃâ]", m) for m in marks(side))
    assert d.value_b in side.one("p", "val").text()


def test_highlight() -> None:
    same = "Kent Police made 312 arrests."
    assert highlight(same, same) == (same, same)
    a, b = highlight("made 312 arrests last year", "made 321 arrests last year")
    assert a == 'made <mark class="c">312</mark> arrests last year'
    assert b == 'made <mark class="c">321</mark> arrests last year'
    a, b = highlight("the force said", "the force has said")
    assert a == "the force said" and b == 'the force <mark class="o">has</mark> said'
    # Two different sentences: the values, not every word.
    a, b = highlight(
        "HM Chief Inspector of Constabulary, Andy Cooke, said: “We will work closely.”",
        "Andy Cooke, HM Inspector of Constabulary, said the force had improved.",
        "HM Chief Inspector of Constabulary",
        "HM Inspector of Constabulary",
    )
    assert a.startswith('<mark class="v">HM Chief Inspector of Constabulary</mark>, Andy')
    assert '<mark class="v">HM Inspector of Constabulary</mark>, said' in b
    a, _ = highlight("x <b> & y", "x <i> & y")
    assert a == 'x <mark class="c">&lt;b&gt;</mark> &amp; y'


def test_known_rows_are_marked(result: CheckResult) -> None:
    first, *rest = result.discrepancies
    dom = parse(render(result, frozenset({first.id, "000000000000"})))
    articles = {a.attrs["data-id"]: a for a in dom.all("article", "d")}
    assert {i for i, a in articles.items() if a.attrs["data-known"] == "known"} == {first.id}
    assert {i for i, a in articles.items() if a.attrs["data-known"] == "new"} == {
        d.id for d in rest
    }
    assert articles[first.id].one("span", "known-badge").text() == "known"
    assert all(articles[d.id].all("span", "known-badge") == [] for d in rest)
    assert f"({len(rest)} new, 1 known)" in dom.by_id("totals").text()


def wordings(cell: Node) -> dict[str, str]:
    """A coverage cell's wordings: letter -> text as shown."""
    return {
        p.attrs["data-label"]: "".join(
            c if isinstance(c, str) else c.text() for c in p.children if c not in p.all("b")
        ).strip()
        for p in cell.all("p", "wording")
    }


def test_coverage_shows_each_source_carrying_a_claim_in_its_own_wording(
    result: CheckResult, dom: Node
) -> None:
    clusters = Counter(result.graph.cluster_of.values())
    tables = dom.by_id("coverage").all("table", "coverage")
    assert sum(len(t.all("tr")) - 1 for t in tables) == len(clusters)
    omitted = row_of(result, "omission")
    story = dom.by_id("coverage").all("details", "coverage-story")
    mine = next(s for s in story if s.attrs["data-story"] == result.matching.story_of["bbc"])
    header, *lines = mine.one("table").all("tr")
    sources = [th.text() for th in header.all("th")[2:]]
    line = next(tr for tr in lines if omitted.text_a in wordings(tr.all("td")[0]).values())
    assert line.all("td")[1].text() == f"3/{len(sources)}"
    # The claim's carriers word it in two ways: each column names the wording of its own
    # version, not the first version's as if every one carried that.
    cluster = result.graph.cluster_of[omitted.claim_a]
    own = {
        c.source: c.text
        for c in result.claims
        if result.graph.cluster_of.get(c.claim_id) == cluster
    }
    shown = wordings(line.all("td")[0])
    assert len(set(own.values())) == len(shown) > 1
    cells = dict(zip(sources, line.all("td")[2:], strict=True))
    assert cells.pop(omitted.source_b).text() == ""
    assert {s: shown[td.text()] for s, td in cells.items()} == own
    # The most carried wording first, and what the others change from it marked.
    assert next(iter(shown)) == "A"
    first, *others = line.all("td")[0].all("p", "wording")
    assert not first.all("mark") and all(p.all("mark") for p in others)


def test_big_feeds_list_only_the_gaps(result: CheckResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlreport, "COVERAGE_ALL_UP_TO", 10)
    coverage = parse(render(result)).by_id("coverage")
    shown = [tr.all("td")[1].text() for tr in coverage.all("tr") if tr.all("td")]
    assert shown and all(n != d for n, d in (s.split("/") for s in shown))
    story_of = result.matching.story_of
    size = Counter(story_of.values())
    members: dict[str, set[str]] = {}
    for claim_id, cluster in result.graph.cluster_of.items():
        members.setdefault(cluster, set()).add(claim_id.rsplit(":", 1)[0])
    full = Counter(
        story_of[next(iter(m))] for m in members.values() if len(m) == size[story_of[next(iter(m))]]
    )
    assert len(shown) == len(members) - sum(full.values())
    assert full
    for details in coverage.all("details", "coverage-story"):
        n = full[details.attrs["data-story"]]
        assert (f"{n} claims carried" in details.text()) == (n > 1)


def test_problems_come_first_each_linked_to_its_rows(result: CheckResult, dom: Node) -> None:
    sections = [n.attrs["id"] for n in dom.all("section") if n.attrs.get("id")]
    assert sections[0] == "problems" and sections.index("summary") == 1
    shown = dom.by_id("problems").all("article", "p")
    assert [a.attrs["id"] for a in shown] == [p.id for p in result.problems]
    rows = {a.attrs["data-id"]: a for a in dom.all("article", "d")}
    for article, p in zip(shown, result.problems, strict=True):
        assert article.one("p", "says").text() == p.describe()
        assert article.attrs["data-outlets"] == ";".join(p.outlets)
        links = [a.attrs["href"] for a in article.one("p", "rows").all("a")]
        assert links == [f"#d-{i}" for i in p.discrepancies]
        for i in p.discrepancies:
            # ...and each row links back to its problem.
            assert rows[i].attrs["data-problem"] == p.id
            assert rows[i].one("a", "pid").attrs["href"] == f"#{p.id}"
    assert sorted(rows) == sorted(i for p in result.problems for i in p.discrepancies)
    totals = dom.by_id("totals")
    assert totals.text().endswith(f"{len(result.discrepancies)} discrepancies in 8 problems")
    assert totals.all("strong")[1].attrs["data-problems"] == str(len(result.problems)) == "8"
    quote = next(a for a in shown if a.attrs["data-kind"] == "quote_altered")
    assert quote.attrs["data-differing"] == "bbc"
    assert quote.one("p", "says").text() == (
        "bbc: reduce including, where hits-radio and shropshire-live say reduce, including"
    )


def test_stories_are_titled_by_their_headlines_not_their_ids(
    result: CheckResult, dom: Node
) -> None:
    shown = dom.by_id("problems").text() + dom.by_id("summary").text()
    shown += dom.by_id("discrepancies").text() + dom.by_id("coverage").text()
    for story in set(result.matching.story_of.values()):
        assert story not in shown
    titles = {
        d.attrs["data-story"]: d.one("summary").text() for d in dom.all("details", "matrix-story")
    }
    bbc, peel = result.matching.story_of["bbc"], result.matching.story_of["peel-2025"]
    assert titles[bbc].startswith("Flaws exposed in police approach to organised crime")
    # No version of the PEEL story has a headline: its opening words stand for one.
    assert titles[peel].startswith("WEST Mercia Police has missed out on an Outstanding rating")
    assert titles[peel].split(" (")[0].endswith(" …")


OUTLETS = {
    "kent-messenger": "Kent Messenger",
    "kent-online": "KentOnline",
    "km-2": "Kent Messenger",
}


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    """Three versions with their outlets in front matter, two of one outlet; one figure
    changed in one of them."""
    folder = tmp_path_factory.mktemp("named")
    body = STORY.split("---\n", 1)[1].replace(SCRIPT, "").replace(IMAGE, "")
    for source, outlet in OUTLETS.items():
        text = body.replace("312", "321") if source == "kent-online" else body
        front = (
            f"id: {source}\noutlet: {outlet}\nheadline: Kent Police praised by inspectors\n---\n"
        )
        (folder / f"{source}.txt").write_text(front + text, encoding="utf-8")
    return check([folder])


def test_sources_are_named_by_their_outlets(named: CheckResult) -> None:
    assert htmlreport.outlet_names(named.cleaned) == {
        "kent-messenger": "Kent Messenger (kent-messenger)",
        "kent-online": "KentOnline",
        "km-2": "Kent Messenger (km-2)",
    }
    dom = parse(render(named))
    [problem] = dom.by_id("problems").all("article", "p")
    assert problem.one("p", "says").text() == (
        "KentOnline: 321 arrests, where Kent Messenger (kent-messenger) and Kent Messenger "
        "(km-2) say 312 arrests"
    )
    article = next(a for a in dom.all("article", "d") if a.attrs["data-b"] == "kent-online")
    assert (
        article.one("div", "side-b").one("div", "who").text().startswith("KentOnline kent-online")
    )
    matrix = dom.one("table", "matrix")
    assert [th.text() for th in matrix.all("tr")[0].all("th")[1:]] == [
        "Kent Messenger (kent-messenger)",
        "KentOnline",
        "Kent Messenger (km-2)",
    ]
    coverage = dom.one("table", "coverage")
    assert [th.text() for th in coverage.all("tr")[0].all("th")[2:]] == [
        "Kent Messenger (kent-messenger)",
        "KentOnline",
        "Kent Messenger (km-2)",
    ]
    source = next(n for n in dom.all("select") if n.attrs["name"] == "source")
    options = {o.attrs["value"]: o.text() for o in source.all("option")}
    assert options["kent-online"] == "KentOnline (2)"
    assert options["km-2"] == "Kent Messenger (km-2) (1)"
    title = dom.one("details", "matrix-story").one("summary").text()
    assert title.startswith("Kent Police praised by inspectors")


def test_article_text_is_escaped_everywhere(hostile: CheckResult) -> None:
    page = render(hostile)
    for payload in (SCRIPT, IMAGE, META, SOURCE, "<img", "window.__xss_id=1</script>"):
        assert payload not in page
    # One script element: ours. No image, no element an attribute could break out into.
    assert page.count("<script") == 1 and "<img" not in page
    dom = parse(page)
    article = dom.one("article", "d")
    assert article.attrs["data-a"] == SOURCE  # the attribute holds the whole id, as text
    assert SCRIPT in article.one("div", "side-a").one("p", "text").text()
    assert SOURCE in article.one("div", "side-a").one("div", "who").text()
    assert SOURCE in article.one("p", "expl").text()
    assert META in dom.by_id("by-source").text()
    assert IMAGE in dom.by_id("coverage").text()
    script = dom.one("script")
    assert "__xss" not in script.text()


def test_content_security_policy_allows_only_the_page_own_script_and_style(page: str) -> None:
    dom = parse(page)
    policy = next(
        m.attrs["content"]
        for m in dom.all("meta")
        if m.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert rules["script-src"] == digest(dom.one("script").text())
    assert rules["style-src"] == digest(dom.one("style").text())
    assert rules["base-uri"] == "'none'" and rules["form-action"] == "'none'"
    # Nothing that could load anything, and no inline handlers or styles to allow: the
    # only links are to the page itself (a problem's rows, a row's problem).
    head = page.split("<script>")[0]
    assert not re.search(r"\s(?:src|srcset|style|on\w+)=|\shref=(?!\"#)", head)
    assert re.search(r'\shref="#', head)


def test_rendering_is_deterministic(result: CheckResult) -> None:
    known = [d.id for d in result.discrepancies[:3]]
    assert render(result, frozenset(known)) == render(result, frozenset(reversed(known)))


def test_the_page_written_as_it_is_made_is_the_page_rendered(
    result: CheckResult, page: str, tmp_path: Path
) -> None:
    known = frozenset(d.id for d in result.discrepancies[:3])
    path = tmp_path / "report.html"
    with path.open("w", encoding="utf-8") as file:
        htmlreport.write(result, known, file)
    assert path.read_bytes() == render(result, known).encode("utf-8")
    assert "\u2713" in page  # a tick: the page is not Latin-1


def test_no_rows(hostile: CheckResult) -> None:
    empty = replace(hostile, discrepancies=())
    dom = parse(render(empty))
    assert dom.all("article", "d") == [] and dom.all("form") == []
    assert dom.by_id("totals").attrs["data-rows"] == "0"
    assert "the sources agree" in dom.by_id("discrepancies").text()


# --- in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def open_page(browser: object, tmp_path: Path) -> Iterator[Callable[..., Loaded]]:
    opened: list[Loaded] = []

    def opener(html: str, javascript: bool = True) -> Loaded:
        path = tmp_path / f"report-{len(opened)}.html"
        path.write_text(html, encoding="utf-8")
        loaded = load(browser, path, javascript)  # type: ignore[arg-type]
        opened.append(loaded)
        return loaded

    yield opener
    for loaded in opened:
        assert loaded.errors == []
        assert loaded.sent == [loaded.url], "the page fetched something"
        loaded.page.context.close()


def visible_ids(loaded: Loaded) -> list[str]:
    return loaded.page.eval_on_selector_all(
        "article.d", "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.id)"
    )


@pytest.mark.browser
def test_browser_shows_the_rows_and_their_highlights(
    open_page: Callable[..., Loaded], result: CheckResult, page: str
) -> None:
    loaded = open_page(page)
    p = loaded.page
    rows = result.discrepancies
    assert len(visible_ids(loaded)) == len(rows)
    totals = p.locator("#by-severity tr[data-severity] td").all_inner_texts()
    assert sum(int(t) for t in totals) == len(rows)
    assert p.locator("#totals").get_attribute("data-rows") == str(len(rows))
    assert p.locator("#shown").inner_text() == f"{len(rows)} of {len(rows)}"
    assert p.locator("#filters").is_visible()
    d = row_of(result, "claim_altered")
    article = p.locator(f"#d-{d.id}")
    # Rows off screen are laid out only once scrolled to (content-visibility): wait
    # for the frame that renders it, then read the text as rendered (innerText).
    article.scroll_into_view_if_needed()
    p.wait_for_function("id => document.getElementById(id).innerText !== ''", arg=f"d-{d.id}")
    assert article.locator(".side-a .text").inner_text() == d.text_a
    assert article.locator(".side-b .text").inner_text() == d.text_b
    for side, value in (("a", d.value_a), ("b", d.value_b)):
        highlighted = article.locator(f".side-{side} mark")
        assert highlighted.first.is_visible()
        texts = " ".join(highlighted.all_inner_texts())
        assert all(part in texts for part in value.split(" … "))
        color = highlighted.first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert color not in ("rgba(0, 0, 0, 0)", "transparent")  # the style sheet applied


@pytest.mark.browser
def test_browser_filters_hide_and_show_the_right_rows(
    open_page: Callable[..., Loaded], result: CheckResult
) -> None:
    rows = result.discrepancies
    known = frozenset(d.id for d in rows[::3])
    loaded = open_page(render(result, known))
    p = loaded.page

    def expect(wanted: Callable[[Discrepancy], bool]) -> None:
        ids = [d.id for d in rows if wanted(d)]
        assert sorted(visible_ids(loaded)) == sorted(ids)
        assert p.locator("#shown").inner_text() == f"{len(ids)} of {len(rows)}"

    p.uncheck("#filters input[value=low]")
    expect(lambda d: d.severity != "low")
    # A subject whose rows are all low disappears with them; its count follows.
    assert not p.locator("section.band[data-severity=low]").is_visible()
    p.uncheck("#filters input[value=medium]")
    expect(lambda d: d.severity == "high")
    p.check("#filters input[value=low]")
    p.check("#filters input[value=medium]")
    expect(lambda d: True)

    p.select_option("#filters select[name=kind]", "rating_wording")
    expect(lambda d: d.kind == "rating_wording")
    p.uncheck("#filters input[value=low]")
    expect(lambda d: False)
    p.check("#filters input[value=low]")
    p.select_option("#filters select[name=kind]", "")

    p.select_option("#filters select[name=source]", "peel-2025")
    expect(lambda d: "peel-2025" in (d.source_a, d.source_b))
    # A subject's count follows the filter: West Mercia Police has low rows of other sources.
    subject = "section.band[data-severity=low] section.g[data-subject='West Mercia Police']"
    group = p.locator(f"{subject} .count")
    low = [d for d in rows if d.severity == "low" and d.subject == "West Mercia Police"]
    shown = [d for d in low if "peel-2025" in (d.source_a, d.source_b)]
    assert 0 < len(shown) < len(low)
    assert group.inner_text() == str(len(shown))
    p.select_option("#filters select[name=source]", "")

    p.select_option("#filters select[name=known]", "new")
    expect(lambda d: d.id not in known)
    p.select_option("#filters select[name=known]", "known")
    expect(lambda d: d.id in known)
    assert p.locator("article.d[data-known=known] .known-badge").first.is_visible()

    p.click("#filters button[type=reset]")
    p.wait_for_function(
        "n => document.getElementById('shown').textContent === n + ' of ' + n", arg=len(rows)
    )
    expect(lambda d: True)


@pytest.mark.browser
def test_browser_leads_with_the_problems_and_links_them_to_their_rows(
    open_page: Callable[..., Loaded], named: CheckResult
) -> None:
    loaded = open_page(render(named))
    p = loaded.page
    [problem] = named.problems
    card = p.locator("article.p")
    assert card.count() == 1 and card.is_visible()
    assert card.locator(".says").inner_text() == problem.describe(
        htmlreport.outlet_names(named.cleaned).__getitem__
    )
    # It is the first thing after the totals: above the summary, in the first screen.
    top = card.bounding_box()
    assert top is not None and top["y"] < p.locator("#summary").bounding_box()["y"]  # type: ignore[index]
    assert top["y"] < p.viewport_size["height"]  # type: ignore[index]
    # A row link goes to the row, which links back.
    [first, *_] = problem.discrepancies
    card.locator(f'a[href="#d-{first}"]').click()
    assert p.evaluate("location.hash") == f"#d-{first}"
    row = p.locator(f"#d-{first}")
    p.wait_for_function("id => document.getElementById(id).innerText !== ''", arg=f"d-{first}")
    assert row.locator(".side-b .who").inner_text().startswith("KentOnline")
    row.locator("a.pid").click()
    assert p.evaluate("location.hash") == f"#{problem.id}"


@pytest.mark.browser
def test_browser_without_javascript_shows_everything(
    open_page: Callable[..., Loaded], result: CheckResult, page: str
) -> None:
    loaded = open_page(page, javascript=False)
    assert len(visible_ids(loaded)) == len(result.discrepancies)
    assert not loaded.page.locator("#filters").is_visible()


@pytest.mark.browser
def test_browser_payloads_in_articles_do_not_run(
    open_page: Callable[..., Loaded], hostile: CheckResult
) -> None:
    loaded = open_page(render(hostile))
    p = loaded.page
    p.wait_for_timeout(100)  # an onerror handler would have fired by now
    assert p.evaluate(f"[{', '.join(f'window.{f}' for f in FLAGS)}]") == [None] * len(FLAGS)
    assert loaded.dialogs == []
    assert p.locator("img").count() == 0 and p.locator("script").count() == 1
    d = hostile.discrepancies[0]
    row = p.locator("article.d")
    assert row.count() == 1 and row.is_visible()
    # Below the problems: laid out once scrolled to (content-visibility).
    row.scroll_into_view_if_needed()
    p.wait_for_function("() => document.querySelector('article.d').innerText !== ''")
    assert SCRIPT in row.locator(".side-a .text").inner_text()
    assert SOURCE in row.locator(".side-a .who").inner_text()
    assert row.get_attribute("data-a") == SOURCE
    # The number that changed is highlighted, beside the payload shown as text.
    assert row.locator(".side-a mark").all_inner_texts() == ["312"]
    assert d.value_b.split()[0] in row.locator(".side-b mark").all_inner_texts()
    assert p.get_by_text(META).first.is_visible()
    # The filters still work with a payload as the source id.
    p.select_option("#filters select[name=source]", SOURCE)
    assert p.locator("#shown").inner_text() == "1 of 1"


@pytest.mark.browser
def test_browser_policy_stops_a_missed_escape(
    open_page: Callable[..., Loaded], page: str, result: CheckResult
) -> None:
    """Markup that slipped through unescaped still cannot run or fetch anything."""
    injected = (
        "<script>window.__xss_text=1</script>"
        '<img src="x" onerror="window.__xss_img=1">'
        '<img src="https://example.invalid/pixel.png">'
        '<div style="background:url(https://example.invalid/bg.png)">styled</div>'
        '<script src="https://example.invalid/x.js"></script>'
    )
    loaded = open_page(page.replace("</h1>", "</h1>" + injected, 1))
    p = loaded.page
    p.wait_for_timeout(100)
    assert p.evaluate("[window.__xss_text, window.__xss_img]") == [None, None]
    assert loaded.dialogs == []
    # Each load was stopped by the policy before it went out (the fixture checks that
    # nothing else was sent).
    assert sorted(loaded.blocked) == sorted(
        [
            f"{loaded.url.rsplit('/', 1)[0]}/x",
            *(f"https://example.invalid/{f}" for f in ("pixel.png", "x.js")),
        ]
    )
    # The page's own script, allowed by its hash, still ran.
    rows = len(result.discrepancies)
    assert p.locator("#shown").inner_text() == f"{rows} of {rows}"
