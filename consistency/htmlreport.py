"""report.html: the discrepancies as one self-contained page an editor opens in a browser.

The page needs nothing but itself: inline CSS and one inline script, no network,
no fonts. Everything an article supplied (text, subject, source id, metadata,
explanation) is escaped, in attributes too, and none of it goes inside the script:
the script reads what it filters on from data-* attributes. A Content-Security-Policy
allows only that script and that style sheet by hash and forbids every fetch, so
even a missed escape could neither run injected script nor load anything.

Feeds can hold thousands of stories and tens of thousands of rows, so the page is
built as a list of strings joined once, the per-story parts (agreement matrix,
coverage) are collapsed per story when there are many, and each row costs a few
escapes and one word alignment (rapidfuzz's, in C).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol

from rapidfuzz.distance import Indel

from . import collector
from .models import SEVERITY_RANK, Claim, CleanArticle, Discrepancy
from .problems import Problem, problem_of

if TYPE_CHECKING:
    from .results import CheckResult

SEVERITIES = tuple(sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__))

OPEN_STORIES_UP_TO = 12
"""Up to this many stories, each story's matrix and coverage table are shown open;
beyond it they are collapsed (one click each), or the page would be a wall of tables."""

MATRIX_SOURCES_UP_TO = 30
"""A story with more sources than this gets a list of its disagreeing pairs instead
of a matrix (a wire story in 200 outlets would be 40,000 cells)."""

COVERAGE_COLUMNS_UP_TO = 12
"""A story with more sources than this shows coverage as "missing from" lists, not a
column per source."""

COVERAGE_ALL_UP_TO = 5000
"""Up to this many claim clusters in the feed, coverage lists every claim; beyond it,
only the claims some source of their story lacks (the rest are counted): a
10,000-article feed has 80,000 clusters, four in five carried by every version."""

SOURCE_TABLE_OPEN_UP_TO = 30
"""The by-source counts are collapsed when there are more sources than this."""


def _esc(text: object) -> str:
    # html.escape(text, quote=True), inlined: the page escapes hundreds of thousands
    # of texts, and the call into html.escape was a third of each.
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


# --- word-level highlighting ------------------------------------------------------

_TOKEN = re.compile(r"\S+")


ALIKE = 0.5
"""Two texts sharing at least this share of their words (2 * shared / both lengths) are
versions of one passage, and their word-level differences are shown; below it they are
two different sentences (a title in one, a grade in another), and a word diff would
mark nearly every word, so the row's values are marked where the texts contain them."""

VALUE_PARTS = re.compile(r"\s+…\s+|;\s+")
"""How a row's value lists several stretches: "performance … relation to"."""


def highlight(text_a: str, text_b: str, value_a: str = "", value_b: str = "") -> tuple[str, str]:
    """Both texts escaped, with what differs between them in <mark> elements.

    Versions of one passage get a word-level diff, words compared as written
    (punctuation and case included: "reduce including" / "reduce, including" is a
    finding): a stretch replaced by other words is class "c", words only one side has
    (an extra sentence) class "o". Texts that are not versions of one passage get
    their values marked instead (class "v"), where they occur.
    """
    if not text_a or not text_b:
        return _with_values(text_a, value_a), _with_values(text_b, value_b)
    spans_a = [m.span() for m in _TOKEN.finditer(text_a)]
    spans_b = [m.span() for m in _TOKEN.finditer(text_b)]
    words_a = [text_a[i:j] for i, j in spans_a]
    words_b = [text_b[i:j] for i, j in spans_b]
    ops = Indel.opcodes(words_a, words_b)
    shared = sum(op.src_end - op.src_start for op in ops if op.tag == "equal")
    if 2 * shared < ALIKE * (len(words_a) + len(words_b)):
        return _with_values(text_a, value_a), _with_values(text_b, value_b)
    marks_a: list[tuple[int, int, str]] = []
    marks_b: list[tuple[int, int, str]] = []
    k = 0
    while k < len(ops):
        if ops[k].tag == "equal":
            k += 1
            continue
        # A run of inserts and deletes between two equal stretches is one change.
        a0, b0 = ops[k].src_start, ops[k].dest_start
        while k < len(ops) and ops[k].tag != "equal":
            k += 1
        a1, b1 = ops[k - 1].src_end, ops[k - 1].dest_end
        kind = "c" if a1 > a0 and b1 > b0 else "o"
        if a1 > a0:
            marks_a.append((spans_a[a0][0], spans_a[a1 - 1][1], kind))
        if b1 > b0:
            marks_b.append((spans_b[b0][0], spans_b[b1 - 1][1], kind))
    return _marked(text_a, marks_a), _marked(text_b, marks_b)


def _with_values(text: str, value: str) -> str:
    """`text` with the first occurrence of each stretch of `value` marked."""
    marks: list[tuple[int, int, str]] = []
    folded = text.casefold() if len(text.casefold()) == len(text) else text
    for part in VALUE_PARTS.split(value):
        if not part:
            continue
        at = text.find(part)
        if at < 0:
            at = folded.find(part.casefold())
        if at >= 0 and all(at >= end or at + len(part) <= start for start, end, _ in marks):
            marks.append((at, at + len(part), "v"))
    return _marked(text, sorted(marks))


def _marked(text: str, marks: list[tuple[int, int, str]]) -> str:
    """`text` escaped, the (start, end, class) stretches in <mark> elements, in order."""
    out: list[str] = []
    position = 0
    for start, end, kind in marks:
        out.append(_esc(text[position:start]))
        out.append(f'<mark class="{kind}">{_esc(text[start:end])}</mark>')
        position = end
    out.append(_esc(text[position:]))
    return "".join(out)


# --- what the page summarises -----------------------------------------------------


@dataclass(frozen=True)
class Story:
    id: str
    sources: tuple[str, ...]
    headline: str
    opening: str = ""
    """The first words of its first version, for a story no version gives a headline."""

    @property
    def title(self) -> str:
        """How the page names the story: its headline, else its opening words, never
        its id (s-7f20199d) unless it has no words at all."""
        return self.headline or self.opening or self.id


TITLE_CHARS = 90
"""An opening used as a story's title is cut to about this many characters."""


def _opening(text: str) -> str:
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def stories(result: CheckResult) -> tuple[Story, ...]:
    """The feed's stories, each with its sources, the headline most of them give and
    the opening words of the first (by id) that has any."""
    story_of = result.matching.story_of
    members: dict[str, list[str]] = defaultdict(list)
    for source in sorted({a.source for a in result.articles}):
        members[story_of.get(source, "")].append(source)
    headlines: dict[str, Counter[str]] = defaultdict(Counter)
    for article in result.cleaned:
        if article.headline:
            headlines[story_of.get(article.source, "")][article.headline] += 1
    first: dict[str, str] = {}
    for claim in result.claims:
        first.setdefault(claim.source, claim.text)
    out = []
    for story, sources in members.items():
        counts = headlines.get(story)
        headline = min(counts, key=lambda h: (-counts[h], h)) if counts else ""
        opening = next((first[s] for s in sources if s in first), "")
        out.append(Story(story, tuple(sources), headline, _opening(opening)))
    return tuple(out)


def outlet_names(articles: Iterable[CleanArticle]) -> dict[str, str]:
    """Source id -> how the page names it: its `outlet` (metadata) where it has one and
    no other source shows the same, else the outlet with the id ("BBC (2024-05-15-bbc)"),
    else the id."""
    outlet = {a.source: " ".join(a.metadata.get("outlet", "").split()) for a in articles}
    shown = Counter(o or s for s, o in outlet.items())
    return {s: o if o and shown[o] == 1 else f"{o} ({s})" if o else s for s, o in outlet.items()}


@dataclass(frozen=True)
class _Labels:
    """How the page names sources and stories (escaped, ready to write)."""

    names: Mapping[str, str]
    titles: Mapping[str, str]

    def source(self, source: str) -> str:
        return _esc(self.names.get(source, source))

    def who(self, source: str) -> str:
        """The outlet's name, and its source id beside it when that says more."""
        name = self.names.get(source, source)
        return _esc(name) + (
            f' <span class="muted">{_esc(source)}</span>' if name != source else ""
        )

    def story(self, story: str) -> str:
        return _esc(self.titles.get(story) or story or "no story")


def _pair(d: Discrepancy) -> tuple[str, str]:
    """The two sources of a row; one source twice for a finding about one source."""
    return (d.source_a, d.source_b or d.source_a)


def severity_counts(rows: Iterable[Discrepancy]) -> Counter[str]:
    return Counter(d.severity for d in rows)


def source_counts(rows: Iterable[Discrepancy]) -> dict[str, Counter[str]]:
    """Per source, its rows by severity (a row about two sources counts for both)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for d in rows:
        for source in set(_pair(d)):
            out[source][d.severity] += 1
    return out


def pair_counts(rows: Iterable[Discrepancy]) -> dict[tuple[str, str], Counter[str]]:
    """Per unordered pair of sources (a source with itself for one-source findings),
    the rows between them by severity."""
    out: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for d in rows:
        a, b = _pair(d)
        out[(a, b) if a <= b else (b, a)][d.severity] += 1
    return out


def groups(rows: Iterable[Discrepancy]) -> list[tuple[str, str, list[Discrepancy]]]:
    """Rows grouped by severity (worst first), then subject (alphabetically); within a
    group, in the report's order."""
    by: dict[tuple[str, str], list[Discrepancy]] = defaultdict(list)
    for d in rows:
        by[(d.severity, d.subject)].append(d)
    keys = sorted(by, key=lambda k: (SEVERITY_RANK[k[0]], k[1].casefold(), k[1]))
    return [(severity, subject, by[(severity, subject)]) for severity, subject in keys]


# --- the page's fixed parts ---------------------------------------------------------

_CSS = """
:root{--high:#b3261e;--medium:#b26a00;--low:#55606e;--line:#d7dbe0;--soft:#f4f6f8;
--agree:#2e7d32;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1d232a;background:#fff}
body{margin:0 auto;max-width:1200px;padding:0 1rem 4rem;line-height:1.45}
h1{font-size:1.5rem;margin:1.2rem 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;
border-bottom:2px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.2rem .45rem;text-align:left;vertical-align:top;
overflow-wrap:break-word}td{overflow-wrap:anywhere}th[scope=col],td.nw{white-space:nowrap}
th{background:var(--soft);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.summary-grid{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}
.scroll{overflow-x:auto}
.sev{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.8rem;font-weight:700;
color:#fff;text-transform:uppercase;letter-spacing:.02em}
.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}
.known-badge{border:1px solid var(--low);color:var(--low);border-radius:3px;padding:0 .3rem;
font-size:.75rem}
td.cell-high{background:#fbe4e2}td.cell-medium{background:#fdf0d9}td.cell-low{background:#eef0f3}
td.agree{color:var(--agree)}td.self{background:var(--soft)}
/* Outlet names as column heads run upwards: long ones must not squeeze the claims. */
.matrix th.col,.coverage th.col{writing-mode:vertical-rl;transform:rotate(180deg);
white-space:nowrap}.coverage td:first-child{min-width:20rem}
details.story{margin:.3rem 0;border:1px solid var(--line);border-radius:4px;padding:.2rem .6rem}
details.story>summary{cursor:pointer;font-weight:600}
.muted{color:var(--low);font-weight:400}
form#filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);
padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
form#filters[hidden]{display:none}fieldset{border:0;margin:0;padding:0;display:inline}
legend{display:inline;font-weight:600;padding-right:.3rem;float:left}
#shown{font-weight:600}
section.g{margin-left:.2rem}
article.d{content-visibility:auto;contain-intrinsic-size:auto 240px;
border:1px solid var(--line);border-left:4px solid var(--low);border-radius:4px;
margin:.6rem 0;padding:.5rem .7rem}
article.d[data-severity=high]{border-left-color:var(--high)}
article.d[data-severity=medium]{border-left-color:var(--medium)}
article.d>header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.kind{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
.rid{margin-left:auto;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;
color:var(--low)}
.expl{margin:.3rem 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
.pair.one{grid-template-columns:1fr}
@media (max-width:700px){.pair{grid-template-columns:1fr}}
.side{background:var(--soft);border-radius:4px;padding:.4rem .6rem}
.who{font-weight:600}.who .muted{font-size:.85rem}
.val{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;margin:.15rem 0}
.text{margin:.3rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.absent{font-style:italic;color:var(--low)}
mark.c{background:#ffd54f;border-radius:2px}
mark.o{background:#e3f2fd;border-radius:2px}
mark.v{background:#ffd54f;border-radius:2px}
.legend mark{padding:0 .2rem}
article.p{content-visibility:auto;contain-intrinsic-size:auto 120px;
border:1px solid var(--line);border-left:4px solid var(--low);border-radius:4px;
margin:.5rem 0;padding:.4rem .7rem}
article.p[data-severity=high]{border-left-color:var(--high)}
article.p[data-severity=medium]{border-left-color:var(--medium)}
article.p>header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.says{margin:.3rem 0;font-size:1.05rem}
.ctx{margin:.2rem 0;padding-left:.6rem;border-left:3px solid var(--line);color:#3b4450;
overflow-wrap:anywhere}
.rows{margin:.2rem 0;font-size:.85rem}
.wording{margin:.1rem 0}.wl{font-family:ui-monospace,Menlo,Consolas,monospace;margin-right:.3rem}
"""

# The whole script: it reads only data-* attributes and form controls, so no article
# text is ever part of script source. Rows without JS are all shown (the form stays
# hidden), and the filters only ever hide rows.
_JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("article.d"));
  var shown = document.getElementById("shown");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=severity]"));
  // Each row's subject group and severity band, found once: a filter is then one pass.
  var sections = [];
  var index = new Map();
  var owners = rows.map(function (row) {
    var group = row.parentElement;
    return [group, group.parentElement].map(function (section) {
      if (!index.has(section)) { index.set(section, sections.length); sections.push(section); }
      return index.get(section);
    });
  });
  var labels = sections.map(function (section) { return section.querySelector(".count"); });
  function apply() {
    var severities = {};
    boxes.forEach(function (box) { severities[box.value] = box.checked; });
    var kind = form.elements.kind.value;
    var source = form.elements.source.value;
    var known = form.elements.known.value;
    var counts = sections.map(function () { return 0; });
    var n = 0;
    rows.forEach(function (row, i) {
      var d = row.dataset;
      var ok = severities[d.severity] === true &&
        (kind === "" || d.kind === kind) &&
        (source === "" || d.a === source || d.b === source) &&
        (known === "" || d.known === known);
      if (row.hidden === ok) { row.hidden = !ok; }
      if (ok) { n++; counts[owners[i][0]]++; counts[owners[i][1]]++; }
    });
    sections.forEach(function (section, i) {
      var hide = counts[i] === 0;
      if (section.hidden !== hide) { section.hidden = hide; }
      var text = String(counts[i]);
      if (labels[i] && labels[i].textContent !== text) { labels[i].textContent = text; }
    });
    shown.textContent = n + " of " + rows.length;
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
"""


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# Hashes, not a nonce: the page for one result is then byte-identical on every run.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"script-src 'sha256-{_sha256(_JS)}'; "
    f"style-src 'sha256-{_sha256(_CSS)}'; "
    "base-uri 'none'; form-action 'none'"
)


# --- the page ---------------------------------------------------------------------


class Page(Protocol):
    """Where the page's parts go, in order: a list, or a file (`_Written`)."""

    def append(self, text: str, /) -> object: ...

    def extend(self, texts: Iterable[str], /) -> object: ...


class _Written:
    """A page written to `file` part by part as it is made."""

    def __init__(self, file: IO[str]) -> None:
        self.append = file.write
        self.extend = file.writelines


def render(result: CheckResult, known: frozenset[str] = frozenset()) -> str:
    """report.html for `result`: one self-contained document. `known` are discrepancy
    ids a baseline already knows: they are marked "known" and can be filtered out."""
    out: list[str] = []
    # The page's strings and counters hold no reference cycles, but allocating them
    # sets off the cyclic collector's full passes over the result's millions of
    # objects, which find nothing to free: it is paused while the page is built.
    with collector.paused():
        _render(result, known, out)
    return "".join(out)


def write(result: CheckResult, known: frozenset[str], file: IO[str]) -> None:
    """`render(result, known)` written to `file` as it is made: the page whole, its
    parts, then one string, then that encoded, took three times its size (a 72 MB page
    at 20,000 articles, held as 145 MB of text: a tick is not Latin-1)."""
    with collector.paused():
        _render(result, known, _Written(file))


def _render(result: CheckResult, known: frozenset[str], out: Page) -> None:
    rows = result.discrepancies
    feed = stories(result)
    add = out.append
    add("<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n")
    add(f'<meta http-equiv="Content-Security-Policy" content="{_esc(CONTENT_SECURITY_POLICY)}">\n')
    add('<meta name="referrer" content="no-referrer">\n')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    add("<title>Consistency report</title>\n")
    add(f"<style>{_CSS}</style>\n</head>\n<body>\n")
    known_rows = sum(1 for d in rows if d.id in known)
    add("<h1>Consistency report</h1>\n")
    add(
        f'<p class="lede" id="totals" data-rows="{len(rows)}">'
        f"{_count(len(result.articles), 'source')}, {_count(len(feed), 'story', 'stories')}, "
        f"{_count(len(result.claims), 'claim')}, <strong>{len(rows):,}</strong> "
        f"{'discrepancy' if len(rows) == 1 else 'discrepancies'}"
        f"{f' ({len(rows) - known_rows:,} new, {known_rows:,} known)' if known else ''} in "
        f'<strong data-problems="{len(result.problems)}">'
        f"{_count(len(result.problems), 'problem')}</strong></p>\n"
    )
    # Settings found in a folder above change results: the page names the file in effect.
    add(f'<p class="muted" id="settings">settings: {_esc(result.config.path or "none")}</p>\n')
    if result.notices:
        # What the run said on stderr: an editor who reads only the page must see that a
        # file was decoded as windows-1252, or a story found in parts.
        add('<ul class="muted" id="notes">\n')
        for notice in result.notices:
            add(f"<li><code>{_esc(notice.path)}</code>: {_esc(notice.message)}</li>\n")
        add("</ul>\n")
    labels = _Labels(outlet_names(result.cleaned), {story.id: story.title for story in feed})
    _problems(out, result.problems, labels)
    _summary(out, result, feed, rows, labels)
    _discrepancies(out, result, rows, known, labels)
    _coverage(out, result, feed, labels)
    add(f"<script>{_JS}</script>\n</body>\n</html>\n")


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _counts_cells(counts: Mapping[str, int]) -> str:
    return "".join(f'<td class="n">{counts.get(s, 0):,}</td>' for s in SEVERITIES)


def _severity_header() -> str:
    return "".join(f'<th scope=col><span class="sev {s}">{s}</span></th>' for s in SEVERITIES)


def _problems(out: Page, found: tuple[Problem, ...], labels: _Labels) -> None:
    """The problems, worst first: what the version that differs says and what the
    others say, the claim for context, and links to the rows behind each."""
    add = out.append
    add('<section id="problems">\n<h2>Problems</h2>\n')
    if not found:
        add("<p>No problems: the versions agree.</p>\n</section>\n")
        return
    add(
        "<p class='muted'>Each problem is one slot of one claim, quotation or subject that "
        "the versions do not agree on: the versions that differ first, then what most "
        "versions say. The rows behind it (one per pair of versions) are under "
        "Discrepancies.</p>\n"
    )
    for p in found:
        odd = ";".join(s for r in p.differing for s in r.sources)
        add(
            f'<article class="p" id="{_esc(p.id)}" data-severity="{p.severity}" '
            f'data-kind="{_esc(p.kind)}" data-basis="{p.basis}" '
            f'data-outlets="{_esc(";".join(p.outlets))}" data-differing="{_esc(odd)}">\n'
            f'<header><span class="sev {p.severity}">{p.severity}</span> '
            f'<span class="kind">{_esc(p.kind)}</span> <strong class="subject">'
            f"{_esc(p.subject)}</strong>"
            f'<span class="muted story">{labels.story(p.story)}</span>'
            f'<span class="rid">{_esc(p.id)}</span></header>\n'
            f'<p class="says">{_esc(p.describe(lambda s: labels.names.get(s, s)))}</p>\n'
        )
        if p.text:
            add(f'<p class="ctx">{_esc(p.text)}</p>\n')
        links = " ".join(f'<a href="#d-{_esc(i)}">{_esc(i)}</a>' for i in p.discrepancies)
        add(f'<p class="rows muted">{_count(len(p.discrepancies), "row")}: {links}</p>\n')
        add("</article>\n")
    add("</section>\n")


def _summary(
    out: Page,
    result: CheckResult,
    feed: tuple[Story, ...],
    rows: tuple[Discrepancy, ...],
    labels: _Labels,
) -> None:
    add = out.append
    add('<section id="summary">\n<h2>Summary</h2>\n<div class="summary-grid">\n')
    by_severity = severity_counts(rows)
    add('<table id="by-severity"><caption>By severity</caption><tr><th scope=col>severity</th>')
    add("<th scope=col>rows</th></tr>\n")
    for s in SEVERITIES:
        add(
            f'<tr data-severity="{s}"><th scope=row><span class="sev {s}">{s}</span></th>'
            f'<td class="n">{by_severity.get(s, 0):,}</td></tr>\n'
        )
    add(f'<tr><th scope=row>total</th><td class="n">{len(rows):,}</td></tr></table>\n')
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for d in rows:
        by_kind[d.kind][d.severity] += 1
    add('<table id="by-kind"><caption>By kind</caption><tr><th scope=col>kind</th>')
    add(f"{_severity_header()}<th scope=col>total</th></tr>\n")
    for kind in sorted(by_kind):
        counts = by_kind[kind]
        add(
            f'<tr data-kind="{_esc(kind)}"><th scope=row class="kind">{_esc(kind)}</th>'
            f'{_counts_cells(counts)}<td class="n">{sum(counts.values()):,}</td></tr>\n'
        )
    add("</table>\n</div>\n")
    _by_source(out, result, rows, labels)
    _matrices(out, feed, rows, labels)
    add("</section>\n")


def _by_source(
    out: Page, result: CheckResult, rows: tuple[Discrepancy, ...], labels: _Labels
) -> None:
    counts = source_counts(rows)
    story_of = result.matching.story_of
    articles = sorted(result.cleaned, key=lambda a: (-sum(counts[a.source].values()), a.source))
    big = len(articles) > SOURCE_TABLE_OPEN_UP_TO
    out.append('<details class="story" id="by-source"' + ("" if big else " open") + ">")
    out.append(
        f"<summary>By source <span class='muted'>({len(articles):,} sources; a row between "
        "two sources counts for both)</span></summary>\n"
    )
    out.append(
        "<div class='scroll'><table><tr><th scope=col>source</th><th scope=col>outlet</th>"
        f"<th scope=col>headline</th><th scope=col>story</th>{_severity_header()}"
        "<th scope=col>rows</th></tr>\n"
    )
    for a in articles:
        c = counts.get(a.source, Counter())
        out.append(
            f'<tr data-source="{_esc(a.source)}"><th scope=row>{_esc(a.source)}</th>'
            f"<td>{_esc(a.metadata.get('outlet', ''))}</td><td>{_esc(a.headline)}</td>"
            f"<td>{labels.story(story_of.get(a.source, ''))}</td>{_counts_cells(c)}"
            f'<td class="n">{sum(c.values()):,}</td></tr>\n'
        )
    out.append("</table></div>\n</details>\n")


def _cell(counts: Counter[str] | None, agree: str) -> str:
    if not counts:
        return f'<td class="{agree}">{"agree" if agree == "agree" else ""}</td>'
    worst = min(counts, key=SEVERITY_RANK.__getitem__)
    text = "<br>".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s))
    return f'<td class="cell-{worst}">{text}</td>'


def _story_label(story: Story, counts: Counter[str]) -> str:
    tally = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s)) or "no rows"
    return (
        f"<summary>{_esc(story.title or 'no story')} "
        f"<span class='muted'>({_count(len(story.sources), 'source')}; {tally})</span></summary>\n"
    )


def _matrices(
    out: Page, feed: tuple[Story, ...], rows: tuple[Discrepancy, ...], labels: _Labels
) -> None:
    add = out.append
    pairs = pair_counts(rows)
    story_of = {source: story.id for story in feed for source in story.sources}
    by_story: dict[str, Counter[str]] = defaultdict(Counter)
    across: dict[tuple[str, str], Counter[str]] = {}
    for (a, b), counts in pairs.items():
        if story_of.get(a) == story_of.get(b):
            by_story[story_of.get(a, "")].update(counts)
        else:
            across[(a, b)] = counts
    add('<h3 id="agreement">Agreement between sources, story by story</h3>\n')
    add(
        "<p class='muted'>Each cell: the rows between two sources of one story, by "
        "severity; <em>agree</em> when there are none. The diagonal holds findings about "
        "one source alone (encoding damage, unofficial grade wording).</p>\n"
    )
    ordered = sorted(feed, key=lambda s: (_rank(by_story.get(s.id)), s.id))
    is_open = " open" if len(feed) <= OPEN_STORIES_UP_TO else ""
    for story in ordered:
        add(f'<details class="story matrix-story" data-story="{_esc(story.id)}"{is_open}>')
        add(_story_label(story, by_story.get(story.id, Counter())))
        if len(story.sources) > MATRIX_SOURCES_UP_TO:
            _pair_list(out, story, pairs, labels)
        else:
            _matrix(out, story, pairs, labels)
        add("</details>\n")
    if across:
        add("<div id='across'><h3>Between sources of different stories</h3>\n")
        add(
            "<p class='muted'>Slots compared across stories (a person's title in two "
            "reports).</p>\n<table><tr><th scope=col>source</th><th scope=col>source</th>"
            f"{_severity_header()}</tr>\n"
        )
        for (a, b), counts in sorted(across.items()):
            add(
                f"<tr><td>{labels.source(a)}</td><td>{labels.source(b)}</td>"
                f"{_counts_cells(counts)}</tr>\n"
            )
        add("</table>\n</div>\n")


def _rank(counts: Counter[str] | None) -> tuple[int, ...]:
    """Stories with more high rows first, then more medium, then more low."""
    counts = counts or Counter()
    return tuple(-counts.get(s, 0) for s in SEVERITIES)


def _matrix(
    out: Page,
    story: Story,
    pairs: Mapping[tuple[str, str], Counter[str]],
    labels: _Labels,
) -> None:
    names = [labels.source(s) for s in story.sources]
    out.append('<table class="matrix"><tr><th></th>')
    out.extend(f'<th scope=col class="col">{n}</th>' for n in names)
    out.append("</tr>\n")
    for i, a in enumerate(story.sources):
        out.append(f'<tr><th scope=row data-source="{_esc(a)}">{names[i]}</th>')
        for b in story.sources:
            key = (a, b) if a <= b else (b, a)
            out.append(_cell(pairs.get(key), "self" if a == b else "agree"))
        out.append("</tr>\n")
    out.append("</table>\n")


def _pair_list(
    out: Page,
    story: Story,
    pairs: Mapping[tuple[str, str], Counter[str]],
    labels: _Labels,
) -> None:
    members = set(story.sources)
    found = [(counts, a, b) for (a, b), counts in pairs.items() if a in members and b in members]
    found.sort(key=lambda t: (_rank(t[0]), t[1], t[2]))
    n = len(story.sources)
    total = n * (n - 1) // 2
    disagreeing = sum(1 for _, a, b in found if a != b)
    out.append(
        f"<p>{total - disagreeing:,} of {total:,} pairs of sources agree; the others:</p>\n"
        f"<table><tr><th scope=col>source</th><th scope=col>source</th>{_severity_header()}</tr>\n"
    )
    for counts, a, b in found:
        out.append(
            f"<tr><td>{labels.source(a)}</td><td>{labels.source(b)}</td>"
            f"{_counts_cells(counts)}</tr>\n"
        )
    out.append("</table>\n")


def _discrepancies(
    out: Page,
    result: CheckResult,
    rows: tuple[Discrepancy, ...],
    known: frozenset[str],
    labels: _Labels,
) -> None:
    add = out.append
    add('<section id="discrepancies">\n<h2>Discrepancies</h2>\n')
    if not rows:
        add("<p>No discrepancies: the sources agree.</p>\n</section>\n")
        return
    add(
        "<p class='legend muted'>Highlighted: <mark class='c'>words replaced</mark> in the "
        "other version, <mark class='o'>words only this version has</mark>; in two different "
        "sentences, <mark class='v'>the values compared</mark>.</p>\n"
    )
    _filters(out, rows, known, labels)
    story_of = result.matching.story_of
    problems = problem_of(result.problems)
    escaped: dict[str, str] = {}

    def esc(value: str) -> str:
        # Sources, kinds and subjects repeat across thousands of rows.
        hit = escaped.get(value)
        if hit is None:
            hit = escaped[value] = _esc(value)
        return hit

    per_band = severity_counts(rows)
    band = ""
    for severity, subject, members in groups(rows):
        if severity != band:
            if band:
                add("</section>\n")
            band = severity
            n = per_band[severity]
            add(
                f'<section class="band" data-severity="{severity}">'
                f'<h2><span class="sev {severity}">{severity}</span> '
                f'<span class="count">{n}</span></h2>\n'
            )
        add(
            f'<section class="g" data-subject="{esc(subject)}"><h3>{esc(subject)} '
            f'<span class="muted">(<span class="count">{len(members)}</span>)</span></h3>\n'
        )
        for d in members:
            _row(out, d, d.id in known, esc, story_of, labels, problems.get(d.id, ""))
        add("</section>\n")
    add("</section>\n</section>\n")


def _filters(
    out: Page, rows: tuple[Discrepancy, ...], known: frozenset[str], labels: _Labels
) -> None:
    add = out.append
    add('<form id="filters" hidden aria-controls="discrepancies">\n')
    add("<fieldset><legend>Severity</legend>")
    present = severity_counts(rows)
    for s in SEVERITIES:
        add(
            f'<label><input type=checkbox name=severity value="{s}" checked> '
            f'<span class="sev {s}">{s}</span> <span class="muted">{present.get(s, 0)}</span>'
            "</label> "
        )
    add("</fieldset>\n<label>Kind <select name=kind><option value=''>all kinds</option>")
    for kind, n in sorted(Counter(d.kind for d in rows).items()):
        add(f'<option value="{_esc(kind)}">{_esc(kind)} ({n})</option>')
    add(
        "</select></label>\n<label>Source <select name=source><option value=''>all sources</option>"
    )
    for source, counts in sorted(source_counts(rows).items()):
        add(
            f'<option value="{_esc(source)}">{labels.source(source)} '
            f"({sum(counts.values())})</option>"
        )
    n_known = sum(1 for d in rows if d.id in known)
    add(
        "</select></label>\n<label>Baseline <select name=known>"
        f"<option value=''>new and known</option><option value='new'>new only "
        f"({len(rows) - n_known})</option><option value='known'>known only ({n_known})"
        "</option></select></label>\n"
        "<button type=reset>Reset</button>\n"
        f'<span>Showing <output id="shown">{len(rows)} of {len(rows)}</output> '
        "discrepancies</span>\n</form>\n"
    )


def _row(
    out: Page,
    d: Discrepancy,
    is_known: bool,
    e: Callable[[str], str],
    story_of: Mapping[str, str],
    labels: _Labels,
    problem: str,
) -> None:
    a, b = e(d.source_a), e(d.source_b)
    badge = ' <span class="known-badge">known</span>' if is_known else ""
    stories = {story_of.get(d.source_a, ""), story_of.get(d.source_b or d.source_a, "")}
    story = " / ".join(labels.story(s) for s in sorted(stories))
    link = f'<a class="pid" href="#{_esc(problem)}">{_esc(problem)}</a>' if problem else ""
    out.append(
        f'<article class="d" id="d-{_esc(d.id)}" data-id="{_esc(d.id)}" '
        f'data-severity="{e(d.severity)}" data-kind="{e(d.kind)}" data-a="{a}" data-b="{b}" '
        f'data-known="{"known" if is_known else "new"}" data-problem="{_esc(problem)}">\n'
        f'<header><span class="sev {e(d.severity)}">{e(d.severity)}</span> '
        f'<span class="kind">{e(d.kind)}</span>{badge}'
        f'<span class="muted story">{story}</span>'
        f'<span class="rid">{_esc(d.id)} {link}</span></header>\n'
        f'<p class="expl">{_esc(d.explanation)}</p>\n'
    )
    if not d.source_b:
        # A finding about one source: its text, with what differs from the reading
        # beside it (the repaired text, for encoding damage) highlighted.
        out.append('<div class="pair one">')
        shown, _ = highlight(d.text_a, d.text_b, d.value_a)
        value = f"{d.value_a} → {d.value_b}" if d.value_b else d.value_a
        out.append(_side(labels.who(d.source_a), d.line_a, value, d.text_a, shown, "a"))
        out.append("</div>\n</article>\n")
        return
    out.append('<div class="pair">')
    shown_a, shown_b = highlight(d.text_a, d.text_b, d.value_a, d.value_b)
    out.append(_side(labels.who(d.source_a), d.line_a, d.value_a, d.text_a, shown_a, "a"))
    out.append(_side(labels.who(d.source_b), d.line_b, d.value_b, d.text_b, shown_b, "b"))
    out.append("</div>\n</article>\n")


def _side(source: str, line: int | None, value: str, text: str, shown: str, which: str) -> str:
    """One version: its source (escaped already), line, value and text (`shown`: the
    text escaped and highlighted)."""
    where = f' <span class="muted">line {line}</span>' if line is not None else ""
    body = (
        f'<p class="text">{shown}</p>'
        if text
        else '<p class="text absent">(absent from this version)</p>'
    )
    return (
        f'<div class="side side-{which}"><div class="who">{source}{where}</div>'
        f'<p class="val">{_esc(value)}</p>{body}</div>'
    )


def _coverage(out: Page, result: CheckResult, feed: tuple[Story, ...], labels: _Labels) -> None:
    """Per story, which of its sources carries each claim cluster, in which wording:
    the gaps first."""
    add = out.append
    story_of = dict(result.matching.story_of)
    members = result.clusters
    everything = len(members) <= COVERAGE_ALL_UP_TO
    # Per story, each cluster's first claim (by source, then id) and its wordings.
    clusters: dict[str, list[tuple[Claim, dict[str, str]]]] = defaultdict(list)
    for claims in members.values():
        wording = {c.source: c.text for c in claims}
        clusters[story_of.get(claims[0].source, "")].append((claims[0], wording))
    add('<section id="coverage">\n<h2>Coverage</h2>\n')
    add(
        "<p class='muted'>Per story, each claim (with its counterparts in the other "
        "versions) and which of the story's sources carry it, least carried first; where "
        "the versions word it differently, each wording and who carries it, with "
        "<mark class='c'>what differs</mark> from the most carried wording."
    )
    if not everything:
        add(
            f" This feed has {len(members):,} claims: those every source of their story "
            "carries are counted, not listed (coverage.csv lists every claim)."
        )
    add("</p>\n")
    size = {story.id: len(story.sources) for story in feed}

    def gaps(story: Story) -> int:
        return sum(1 for _, c in clusters.get(story.id, []) if len(c) < size[story.id])

    is_open = " open" if len(feed) <= OPEN_STORIES_UP_TO else ""
    for story in sorted(feed, key=lambda s: (-gaps(s), s.id)):
        n = len(story.sources)
        entries = sorted(
            clusters.get(story.id, []), key=lambda e: (len(e[1]), e[0].source, e[0].claim_id)
        )
        full = sum(1 for _, carriers in entries if len(carriers) == n)
        add(
            f'<details class="story coverage-story" data-story="{_esc(story.id)}"{is_open}>'
            f"<summary>{_esc(story.title or 'no story')} "
            f"<span class='muted'>({_count(len(entries), 'claim')}; "
            + (
                f"{len(entries) - full:,} not in every one of its {n} sources"
                if n > 1
                else "one source"
            )
            + ")</span></summary>\n"
        )
        if not everything:
            entries = [e for e in entries if len(e[1]) < n]
        if entries:
            _coverage_table(out, story, entries, labels)
        if not everything and full:
            every = f"by all {n} sources" if n > 1 else "by its one source"
            add(f"<p class='muted'>{_count(full, 'claim')} carried {every}, not listed.</p>\n")
        add("</details>\n")
    add("</section>\n")


def _wording_label(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def _coverage_table(
    out: Page,
    story: Story,
    entries: list[tuple[Claim, dict[str, str]]],
    labels: _Labels,
) -> None:
    """One row per claim. A claim all its carriers word alike shows that wording and a
    tick for each; otherwise each wording gets a letter, shown with its text (what it
    changes from the most carried one marked) and in the column of each outlet using it
    (or with the outlets named, when the story has too many for columns)."""
    add = out.append
    n = len(story.sources)
    columns = n <= COVERAGE_COLUMNS_UP_TO
    add("<table class='coverage'><tr><th scope=col>claim</th><th scope=col>sources</th>")
    if columns:
        add("".join(f'<th scope=col class="col">{labels.source(s)}</th>' for s in story.sources))
    else:
        add("<th scope=col>missing from</th>")
    add("</tr>\n")
    # A story's claims mostly have the same few sets of carriers: each set's cells are
    # made once.
    ticks: dict[frozenset[str], str] = {}
    for _first, wording in entries:
        if len(set(wording.values())) == 1:
            # Every carrier words it alike: most claims.
            carriers = frozenset(wording)
            cells = ticks.get(carriers)
            if cells is None:
                cells = ticks[carriers] = _carrier_cells(story, wording, None, labels)
            add(
                f'<tr><td>{_esc(next(iter(wording.values())))}</td><td class="n">'
                f"{len(wording)}/{n}</td>{cells}</tr>\n"
            )
            continue
        counts = Counter(wording.values())
        texts = sorted(counts, key=lambda t: (-counts[t], t))
        add("<tr><td>")
        for i, text in enumerate(texts):
            shown = _esc(text) if i == 0 else highlight(texts[0], text)[1]
            who = ""
            if not columns:
                users = [s for s in story.sources if wording.get(s) == text]
                who = f' <span class="muted">({"; ".join(map(labels.source, users))})</span>'
            add(
                f'<p class="wording" data-label="{_wording_label(i)}"><b class="wl">'
                f"{_wording_label(i)}</b> {shown}{who}</p>"
            )
        add("</td>")
        add(f'<td class="n">{len(wording)}/{n}</td>')
        letter = {t: _wording_label(i) for i, t in enumerate(texts)}
        add(_carrier_cells(story, wording, letter, labels))
        add("</tr>\n")
    add("</table>\n")


def _carrier_cells(
    story: Story, wording: Mapping[str, str], letter: Mapping[str, str] | None, labels: _Labels
) -> str:
    """A coverage row's cells after its count: a column per source (a tick, or with
    `letter` the letter of the source's wording; empty where it lacks the claim), or for
    a story with too many sources, one cell naming those that lack it."""
    if len(story.sources) > COVERAGE_COLUMNS_UP_TO:
        missing = "; ".join(labels.source(s) for s in story.sources if s not in wording)
        return f"<td>{missing}</td>"
    return "".join(
        "<td></td>"
        if s not in wording
        else '<td class="agree">✓</td>'
        if letter is None
        else f'<td class="agree">{letter[wording[s]]}</td>'
        for s in story.sources
    )
