"""Page furniture: the lines of a page that are not the story's copy.

Pages are stored as outlets publish them, with their menus, sign-in links, cookie
banners, bylines, date stamps, photo captions and promotions. None of it is a claim
or a headline. No list of one site's strings catches the next site's furniture, so
lines are judged by general signals, with the vocabulary as data
(`data/furniture.toml`):

- what a line is made of: only menu words, function words, numbers and the outlet's
  own name ("Login Register", "Comments (2)", "Latest News", "You are here"); only
  dates and date labels (a stamp, kept as metadata); a byline ("By Jo Bloggs |
  Posted: ..."); a photo credit ending a caption; a promotion opening with a verb
  such as "Watch" in a short line without a full stop; a short sentence addressing
  the reader about the website (cookies, sign-in); figures without words; lower-case
  keyword tags; markup and embeds;
- where a line is: a short line without end punctuation between two furniture
  lines is furniture too (jusText's "class of the neighbours"), and so is a run of
  one- or two-word bullets (a menu);
- the feed (`template_lines`): a short line that recurs in articles sharing no line
  of copy (a site's template, not a syndicated sentence).

`classify` judges one line, `sweep` the lines of one article in order. Real copy is
kept whenever a signal is in doubt: a long line, a line ending in a full stop, and a
line with a word outside the vocabulary are copy unless a stronger signal says not.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import polars as pl

from . import domain, literals
from .caching import table_cache, text_cache
from .models import Article

_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z]{2,})")
_WORD = re.compile(r"[a-z][a-z']*|\d+")
_BULLET = re.compile(r"^(?:[-*•·▪●◦|]+\s*)+")
_TERMINAL = re.compile(r"[.!?][”\"')\]]*$")
_LETTER = re.compile(r"[^\W\d_]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_DOMAIN = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|gov\.uk|uk|ie|io)\b"
)
_NUMERIC_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}")
_HANDLE = re.compile(r"[#@]\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_DIGIT = re.compile(r"\d")
_CREDIT_MARKS = ("credit", "source", "photo", "picture", "image", "pic", "illustration")
_WEB_MARKS = (".com", ".org", ".net", ".uk", ".ie", ".io", "www.", "http")
_QUOTED = re.compile(r"[“”\"]")
_TICKER = re.compile(r"^[A-Z]{2,5}$")


@dataclass(frozen=True)
class Vocabulary:
    stopwords: frozenset[str]
    menu: frozenset[str]
    promo: frozenset[str]
    web: frozenset[str]
    address: frozenset[str]
    dates: frozenset[str]
    months: frozenset[str]
    labels: dict[str, str]
    roles: frozenset[str]
    agencies: frozenset[str]
    known: frozenset[str]
    byline: re.Pattern[str]
    byline_handle: re.Pattern[str]
    taxonomy: re.Pattern[str]
    page_words: frozenset[str]
    feedback: frozenset[str]
    file_size: re.Pattern[str]
    credit: re.Pattern[str]
    junk: re.Pattern[str]
    inline_junk: re.Pattern[str]
    stamp: re.Pattern[str]
    glued_promo: re.Pattern[str]
    read_more: re.Pattern[str]
    time_range: re.Pattern[str]
    credit_label: re.Pattern[str]
    platforms: frozenset[str]
    site_credit: frozenset[str]
    max_menu: int
    max_promo: int
    max_notice: int
    weak_words: int
    template_words: int
    template_chars: int
    prose_words: int
    max_name_lines: int
    max_section_words: int
    max_capitals_words: int
    max_taxonomy_words: int
    max_question_words: int
    max_label_words: int
    headline_words: int
    max_site_section_words: int
    image_disclaimer: re.Pattern[str]


@table_cache
def vocabulary() -> Vocabulary:
    raw = domain.table("furniture.toml")
    s, p = raw["settings"], raw["patterns"]
    agencies = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in raw["agencies"])
    leads = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in raw["byline_leads"])
    handles = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in raw["byline_handle_leads"])
    facets = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in raw["taxonomy_labels"])
    words = frozenset

    def compiled(name: str, pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return domain.compile_pattern(pattern, f"furniture.toml ({name})", flags)

    return Vocabulary(
        stopwords=words(raw["stopwords"]),
        menu=words(raw["menu_words"]),
        promo=words(raw["promo_verbs"]),
        web=words(raw["web_terms"]),
        address=words(raw["address_words"]),
        dates=words(raw["date_words"]),
        months=words(raw["months"]),
        labels=dict(raw["date_labels"]),
        roles=words(raw["byline_roles"]),
        agencies=words(w for a in raw["agencies"] for w in a.split()),
        known=words(raw["menu_words"] + raw["stopwords"] + raw["date_words"]),
        byline=compiled(
            "byline",
            rf"(?:{leads})\s*:?\s+(?P<author>(?-i:[A-Z])[\w'.&-]*(?:\s+(?-i:[A-Z])[\w'.&-]*){{0,4}}?)"
            r"\s*(?:(?:\||,|\bon\b)\s*(?P<rest>.*))?",
        ),
        # "Submitted by daniel on": a site's user name, in any case, then "on" or a date
        byline_handle=compiled(
            "byline_handle_leads",
            rf"(?:{handles})\s*:?\s+(?P<author>[\w'.-]+(?:\s+[\w'.-]+){{0,2}}?)"
            r"\s*(?:(?:\||,|\bon\b)\s*(?P<rest>.*))?",
        ),
        # "Publication types: Crime recording": a label of up to three words ending in a
        # facet's name, then items each opening with a capital
        taxonomy=compiled(
            "taxonomy_labels",
            rf"(?:[\w&'-]+\s+){{0,2}}(?:{facets})\s*:\s*"
            r"(?P<items>(?-i:[A-Z0-9])[^.!?:;,|]*(?:\s*[,;|]\s*(?-i:[A-Z0-9])[^.!?:;,|]*)*)",
        ),
        page_words=words(raw["page_words"]),
        feedback=words(raw["feedback_words"]),
        file_size=compiled("file_size", p["file_size"]),
        credit=compiled("credit", rf"(?:{p['credit'].replace('{agencies}', agencies)})$"),
        junk=compiled("junk", p["junk"]),
        inline_junk=compiled("inline_junk", p["inline_junk"]),
        stamp=compiled("leading_stamp", p["leading_stamp"]),
        glued_promo=compiled("glued_promo", p["glued_promo"], 0),
        read_more=compiled("read_more", p["read_more"]),
        time_range=compiled("time_range", p["time_range"]),
        credit_label=compiled(
            "credit_labels",
            r"(?:{})\s*:\s*(?-i:[A-Z0-9])[^.!?:()]{{0,60}}(?:\([^()]{{0,20}}\))?".format(
                "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in raw["credit_labels"])
            ),
        ),
        platforms=words(raw["site_platforms"]),
        site_credit=words(raw["site_credit_words"]),
        max_menu=s["max_menu_words"],
        max_promo=s["max_promo_words"],
        max_notice=s["max_notice_words"],
        weak_words=s["weak_words"],
        template_words=s["template_max_words"],
        template_chars=s["template_max_chars"],
        prose_words=s["prose_words"],
        max_name_lines=s["max_name_lines"],
        max_section_words=s["max_section_words"],
        max_capitals_words=s["max_capitals_words"],
        max_taxonomy_words=s["max_taxonomy_words"],
        max_question_words=s["max_question_words"],
        max_label_words=s["max_label_words"],
        headline_words=s["headline_words"],
        max_site_section_words=s["max_site_section_words"],
        image_disclaimer=compiled("image_disclaimer", p["image_disclaimer"]),
    )


@table_cache
def _needles() -> dict[str, literals.Needles]:
    """Words one of which a line needs to hold to match each pattern searched for in
    every line (see `literals`): most lines hold none, and skip the search."""
    v = vocabulary()
    return {
        name: literals.needles(getattr(v, name))
        for name in ("glued_promo", "read_more", "image_disclaimer")
    }


def _search(name: str, line: str, folded: str | None) -> re.Match[str] | None:
    """The vocabulary's pattern `name` searched for in `line` (`folded`: as
    `literals.folded` gives it), unless the line lacks every word it needs."""
    if literals.excluded(_needles()[name], folded):
        return None
    pattern: re.Pattern[str] = getattr(vocabulary(), name)
    return pattern.search(line)


@dataclass(frozen=True)
class Verdict:
    """What a line is. `kind`: "copy", "weak" (copy unless its neighbours are
    furniture), "furniture" or "metadata". `text` is the line to keep: the line itself,
    the line with furniture cut from it (a stamp before it, a promotion glued after
    it), or "" when nothing is kept. `metadata`: fields read from it."""

    kind: str
    reason: str
    text: str
    metadata: tuple[tuple[str, str], ...] = ()
    bullet: bool = False


_CAMEL = re.compile("[a-z][A-Z]")
_CAMEL_GAP = re.compile("(?<=[a-z])(?=[A-Z])")


def words_of(line: str) -> list[str]:
    """Lower-case words and numbers, glued words split ("AdAdvertisement", "2025By")."""
    # Of `_GLUED`'s gaps only a capital after a small letter parts two words here: a
    # word of `_WORD` ends where a number starts, and a number where a word starts.
    if _CAMEL.search(line):
        line = _CAMEL_GAP.sub(" ", line)
    return _WORD.findall(line.lower())


def key(line: str) -> str:
    """The form in which two lines count as the same line across a feed."""
    return " ".join("0" if w.isdigit() else w for w in words_of(line.replace("’", "'")))


def outlet_words(article: Article) -> frozenset[str]:
    """The words of the outlet's name and web address: a line of these and menu words
    is the site's masthead or a link to the site ("More on ExampleOnline")."""
    meta = article.metadata
    names = tuple(meta.get(field, "") for field in ("outlet", "site", "publisher"))
    return _outlet_words(names, meta.get("url", ""))


@text_cache()
def _outlet_words(names: tuple[str, ...], url: str) -> frozenset[str]:
    """`outlet_words` of the names and the address: an outlet's articles share them."""
    found: set[str] = set()
    for name in names:
        name = re.sub(r"\([^)]*\)", "", name)  # "(copy of ...)": a gloss
        found.update(w for w in words_of(name) if not w.isdigit())
    host = urlsplit(url).hostname or ""
    labels = host.lower().removeprefix("www.").split(".")
    found.update(label for label in labels[:-1] if len(label) > 2)
    return frozenset(found - vocabulary().stopwords)


MAX_CHARS = 5000
"""Lines longer than this are copy, unjudged: furniture is short (the longest, a cookie
banner of several sentences, is under 1,000 characters), and judging stays linear."""


def classify(line: str, outlet: frozenset[str] = frozenset()) -> Verdict:
    """Judge one cleaned line (typography normalised, not empty) of an article of the
    outlet whose name has the words `outlet` (see `outlet_words`)."""
    if len(line) > MAX_CHARS:
        return Verdict("copy", "", line)
    if outlet:  # only the outlet's words in the line matter: versions share a cache entry
        lower = line.lower()
        outlet = frozenset(w for w in outlet if w in lower)
    return _classified(line, outlet)


@text_cache()
def _classified(line: str, outlet: frozenset[str]) -> Verdict:
    return _judge(line, outlet, 0)


def _judge(line: str, outlet: frozenset[str], depth: int) -> Verdict:
    """`classify`, furniture cut from the line (a stamp, markup, a glued promotion)
    at most twice before the rest is judged as it is."""
    v = vocabulary()
    if depth > 2:
        return _classify(line, outlet, v)
    # Each cut is looked for only where its cheap sign is (a bracket, a link, a hyphen
    # in the first word): most lines are copy, and judging them must stay cheap.
    first = line.split(" ", 1)[0]
    marked = "[" in line or "pic.twitter" in line or first.count("-") >= 4
    cut = v.inline_junk.sub("", line).strip() if marked else line
    if cut != line:
        if not cut:
            return Verdict("furniture", "markup", "")
        inner = _judge(cut, outlet, depth + 1)
        if inner.kind == "weak" or (len(cut.split()) <= 8 and not _TERMINAL.search(cut)):
            # what is left of an embed: its label
            return Verdict("furniture", "markup or embed", "")
        return inner if inner.kind in ("furniture", "metadata") else _cut(inner, "markup")
    stamp = v.stamp.match(line) if first.lower().rstrip(":") in v.labels else None
    if stamp:
        field = v.labels.get(stamp.group("label").lower(), "published")
        meta = ((field, stamp.group("date")),)
        rest = line[stamp.end() :].strip()
        if not rest:
            return Verdict("metadata", "date stamp", "", meta)
        inner = _judge(rest, outlet, depth + 1)
        reason = "date stamp before the line" + (f"; {inner.reason}" if inner.reason else "")
        text = inner.text if inner.kind != "furniture" else ""
        return Verdict(inner.kind, reason, text, meta + inner.metadata, inner.bullet)
    folded = literals.folded(line)
    glued = _search("glued_promo", line, folded)
    if glued and glued.start() > 0:
        return _cut(
            _judge(line[: glued.start()].strip(), outlet, depth + 1), "promotion glued to copy"
        )
    half = _printed_twice(line)
    if half:
        return _cut(_judge(half, outlet, depth + 1), "line printed twice")
    if " | " in line:
        head, _, section = line.rpartition(" | ")
        tail = words_of(section)
        if (
            0 < len(tail) <= v.max_section_words
            and tail[-1] in v.menu
            and section[:1].isupper()
            and len(head.split()) >= 3
        ):
            return _cut(_judge(head.strip(), outlet, depth + 1), "site section after a bar")
    head, sep, rest = _split_site(line)
    if sep and outlet:
        named = [w for w in words_of(head) if not w.isdigit()]
        if named and all(w in outlet for w in named) and len(rest.split()) >= 3:
            return _cut(_judge(rest, outlet, depth + 1), "site name before the line")
    more = _search("read_more", line, folded) if len(line) < 200 else None
    if more and more.start() > 0 and len(line[: more.start()].split()) <= 8:
        head = line[: more.start()].strip()
        if not _TERMINAL.search(head):
            return _cut(_judge(head, outlet, depth + 1), "link after a label")
    return _classify(line, outlet, v)


def _printed_twice(line: str) -> str:
    """ "Jobs at risk at factory Jobs at risk at factory": one half, or ""."""
    tokens = line.split()
    n = len(tokens)
    if (
        n >= 6
        and n % 2 == 0
        and tokens[: n // 2] == tokens[n // 2 :]
        and not _TERMINAL.search(tokens[n // 2 - 1])  # a headline: a sentence is copy's own
    ):
        return " ".join(tokens[: n // 2])
    return ""


_SEPARATOR = re.compile(r"\s+[-–—|]\s+")


def _split_site(line: str) -> tuple[str, str, str]:
    """ "Site - Headline": the part before the first spaced dash or bar, and after."""
    m = _SEPARATOR.search(line)
    return (line[: m.start()], m.group(), line[m.end() :]) if m else (line, "", "")


def _cut(inner: Verdict, why: str) -> Verdict:
    reason = why + (f"; {inner.reason}" if inner.reason else "")
    return Verdict(inner.kind, reason, inner.text, inner.metadata, inner.bullet)


def _classify(line: str, outlet: frozenset[str], v: Vocabulary) -> Verdict:
    body = _BULLET.sub("", line).strip()
    bullet = body != line
    if len(body.split()) > 3 * v.max_notice:  # longer than any furniture: copy
        return Verdict("copy", "", line, bullet=bullet)
    words = words_of(body)
    n = len(words)
    terminal = bool(_TERMINAL.search(body))
    if not _LETTER.search(body) and not any(w.isdigit() and len(w) > 2 for w in words):
        return Verdict("furniture", "no words", "")
    if v.junk.fullmatch(body):
        return Verdict("furniture", "markup or embed", "")
    if n <= 6 and v.file_size.fullmatch(body):
        return Verdict("furniture", "file size", "")
    lower = body.lower()
    credited = body.endswith(")") or any(mark in lower for mark in _CREDIT_MARKS)
    if n <= 60 and credited and v.credit.search(body):
        return Verdict("furniture", "caption with a photo credit", "")
    if n <= 60 and _wrapped_in_credit(body, v):
        return Verdict("furniture", "caption with a photo credit", "")
    if n <= 3 * v.max_notice and _search("image_disclaimer", body, literals.folded(body)):
        return Verdict("furniture", "note that a picture is not the story's own", "")
    byline = _byline(body, words, v)
    if byline is not None:
        return byline
    if not terminal and n <= v.max_site_section_words and _site_and_section(body, v):
        return Verdict("furniture", "site name and section", "")
    if n <= v.max_taxonomy_words and not terminal and ":" in body:
        items = _taxonomy_items(body, v)
        if items:  # the page's filing, kept as metadata: the last item names the page
            return Verdict("furniture", "page taxonomy", "", (("taxonomy", items[-1]),))
    dated = _date_stamp(body, words, v)
    if dated is not None:
        return dated
    own = _own_line(body, words, terminal, outlet, v)
    if own is not None:
        return own
    web = 0 if v.web.isdisjoint(words) else sum(1 for w in words if w in v.web)
    if any(mark in lower for mark in _WEB_MARKS):
        web += len(_DOMAIN.findall(body))
    addressed = not v.address.isdisjoint(words)
    if web and (
        (n <= v.max_notice and (web >= 2 or addressed))
        or (n <= 3 * v.max_notice and web >= 2 and addressed)  # a banner of sentences
    ):
        return Verdict("furniture", "site notice (cookies, sign-in, comments)", "")
    if _asks_about_page(body, words, v):
        return Verdict("furniture", "question to the reader about the page", "")
    if "@" in body and _EMAIL.search(body) and len(body.split()) >= 2 and n <= 12 and not terminal:
        return Verdict("furniture", "contact line", "")
    first = body.split()[0].strip(":.,!").lower() if body.split() else ""
    if first in v.promo and n <= v.max_promo and not body.endswith("."):
        return Verdict("furniture", "promotion or link", "")
    # Without a handle's mark the words are those above: most lines, read once.
    handled = words_of(_HANDLE.sub("", body)) if "#" in body or "@" in body else words
    plain = [w for w in handled if not w.isdigit()]
    menu = n <= v.max_menu and plain and all(w in v.known or w in outlet for w in plain)
    # Menu words, or the outlet's name alone (a masthead): the outlet's name with
    # function words is a sentence about it ("Riverside Hospital has been ...").
    # A sentence of function words and one such word is copy ("It was clear.", "By
    # then it was live."): a menu does not end a clause it does not have.
    sentence = body.rstrip("”\"')]").endswith(".") and any(w in v.stopwords for w in plain)
    if (
        menu
        and not sentence
        and (any(w in v.menu for w in plain) or all(w in outlet for w in plain))
    ):
        return Verdict("furniture", "menu, label or counter", "")
    if n <= 4 and plain and all(w in v.agencies or w in v.menu for w in plain):
        return Verdict("furniture", "agency credit", "")
    numbers = sum(map(str.isdigit, words))
    if numbers >= 2 and not terminal:
        tickers = [t for t in body.split() if _TICKER.match(t)]
        others = [w for w in plain if w not in v.known and w not in outlet]
        if len(others) <= len(tickers) <= 1 and sum(1 for w in plain if w in v.months) <= 1:
            return Verdict("furniture", "figures without words", "")
    if (
        n >= 4
        and body == body.lower()
        and not terminal
        and not any(w in v.stopwords for w in words)
        and re.fullmatch(r"[a-z ]+", body)
    ):
        return Verdict("furniture", "keyword tags", "")
    if n <= 6 and not terminal and any(w in v.roles for w in plain):
        return Verdict("metadata", "byline (role)", "")
    if not bullet and not terminal and _in_capitals(body, words, v):
        # an edition label, a dateline, a market's name over a ticker: furniture by its
        # place (`sweep`), else copy (a crosshead in capitals)
        return Verdict("weak", "capitals", line)
    if (
        not bullet
        and _NAME.fullmatch(body)
        and not any(w in v.known or w in v.roles or w in v.agencies or w in outlet for w in words)
    ):
        # a person's name alone: a byline near the top (`sweep`), else copy
        return Verdict("weak", "name", line)
    if not terminal and not bullet and _photographer_after_dash(body, v):
        # "... hotline last year - Jo Bloggs": a caption under the headline (`sweep`);
        # as the first line, a headline quoting its speaker
        return Verdict("weak", "caption with a photographer", line)
    if not terminal and 4 <= n <= 10 and _is_tag_list(body, words, v):
        return Verdict("weak", "tag list", line, bullet=bullet)
    if n <= v.max_menu and _BETWEEN_DASHES.fullmatch(body):
        # "— the home of dogs —": a site's motto set off by dashes, as under a masthead;
        # copy is not written between two dashes alone.
        return Verdict("furniture", "tagline between dashes", "")
    if n <= v.weak_words and not terminal:
        return Verdict("weak", "", line, bullet=bullet)
    if n <= v.max_promo and addressed and not _QUOTED.search(body):
        # "Sorry, there was a problem. Please try again.": a site speaking to its reader,
        # dropped only beside a site notice or menu (`sweep`), else copy.
        return Verdict("copy", "addressed", line, bullet=bullet)
    return Verdict("copy", "", line, bullet=bullet)


# "Getty An anonymous girl on a hospital bedGetty": a picture's description between
# two printings of its credit, the second glued to the last word (a page's alt text)
_CREDIT_WRAP = re.compile(r"(?P<credit>[A-Z][\w&/-]*(?:\s+[A-Z][\w&/-]*)?)\s+\S.*[a-z](?P=credit)")


def _wrapped_in_credit(body: str, v: Vocabulary) -> bool:
    m = _CREDIT_WRAP.fullmatch(body) if body[:1].isupper() else None
    return m is not None and all(w in v.agencies for w in words_of(m.group("credit")))


def _site_and_section(body: str, v: Vocabulary) -> bool:
    """ "Daily Mail - Science & tech": a name in capitals of up to three words, no
    function word, then a dash or bar and a section of menu words only."""
    head, sep, section = _split_site(body)
    names, tail = head.split(), words_of(section)
    return (
        bool(sep)
        and 0 < len(names) <= 3
        and all(t[:1].isupper() for t in names)
        and not any(w in v.stopwords for w in words_of(head))
        and bool(tail)
        and all(w in v.menu for w in tail)
    )


_PHOTOGRAPHER = re.compile(r"(?P<caption>.*\S)\s+[-–—]\s+(?P<name>[^-–—]+)")


def _photographer_after_dash(body: str, v: Vocabulary) -> bool:
    """ "The charity's hotline last year - Jo Bloggs": a picture's description of five
    words or more, not in quotation marks (a speaker's words), then a dash and a
    person's name alone."""
    m = _PHOTOGRAPHER.fullmatch(body)
    if m is None or _QUOTED.search(body):
        return False
    name, caption = m.group("name").strip(), m.group("caption")
    named = words_of(name)
    return (
        len(words_of(caption)) >= 5
        and not _TERMINAL.search(caption)
        and _NAME.fullmatch(name) is not None
        and not any(w in v.known or w in v.roles or w in v.agencies for w in named)
    )


def _taxonomy_items(body: str, v: Vocabulary) -> list[str]:
    """The items of a taxonomy line ("Publication types: Crime recording", "Topics:
    Courts, Crime"): a facet's label and a list of short items, each opening with a
    capital; [] for any other line."""
    m = v.taxonomy.fullmatch(body)
    if m is None:
        return []
    items = re.split(r"\s*[,;|]\s*", m.group("items").strip())
    return items if all(0 < len(item.split()) <= 3 for item in items) else []


def _asks_about_page(body: str, words: list[str], v: Vocabulary) -> bool:
    """ "How informative is this news?", "Was this article helpful?": a short question
    naming the page and a judgment of it, not in quotation marks (a speaker's)."""
    return (
        body.endswith("?")
        and len(words) <= v.max_question_words
        and not _QUOTED.search(body)
        and any(w in v.page_words for w in words)
        and any(w in v.feedback for w in words)
    )


_VERB_FORM = re.compile(r"\w{2,}(?:ED|ING)")


def _in_capitals(body: str, words: list[str], v: Vocabulary) -> bool:
    """A short line all in capitals without a clause: no function word and no word
    in a verb's -ed or -ing form ("WEST END FINAL", "MANILA", not "FIRE KILLING TWO")."""
    return (
        0 < len(words) <= v.max_capitals_words
        and body == body.upper()
        and any(c.isalpha() for c in body)
        and not any(w in v.stopwords for w in words)
        and not any(_VERB_FORM.fullmatch(t.strip(",:;'\"")) for t in body.split())
    )


_BETWEEN_DASHES = re.compile(r"[—–]\s*[^—–.!?]{1,60}?\s*[—–]")
_NAME = re.compile(
    r"(?-i:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*)(?:\s+(?-i:[A-Z]\.))?"
    r"(?:\s+(?-i:(?:Mc|Mac|O')?[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*)){1,2}"
)
# A name as some sites print their users' and some writers their own ("Samuel wycliffe"):
# looser than `_NAME`, so trusted only in a byline's place after the body.
_LOOSE_NAME = re.compile(
    r"(?-i:[A-Z][a-z]+(?:['’-][A-Za-z]+)*)(?:\s+(?-i:[A-Za-z][a-z]+(?:['’-][A-Za-z]+)*)){1,2}"
)
_URL_END = re.compile(r"(?:https?://|www\.)\S+$")
_ALPHA_WORDS = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)+")


def _own_line(
    body: str, words: list[str], terminal: bool, outlet: frozenset[str], v: Vocabulary
) -> Verdict | None:
    """Lines of a page's own: a source credit ("Source: Business Wire"), a promotion
    ending in a link, a broadcast schedule ("Jo Bloggs 4pm - 6pm"), a blog theme's
    credit ("Free WordPress Themes")."""
    n = len(words)
    if n <= 8 and v.credit_label.fullmatch(body):
        return Verdict("furniture", "source credit", "")
    if n <= 2 * v.max_promo and _URL_END.search(body):
        text = _URL_END.sub("", body)
        for sentence in _SENTENCE_END.split(text):
            first = sentence.split()[0].strip(":.,!").lower() if sentence.split() else ""
            if first in v.promo:
                return Verdict("furniture", "promotion ending in a link", "")
    if n <= 10 and not terminal:
        span = v.time_range.search(body)
        if span:
            rest = (body[: span.start()] + " " + body[span.end() :]).split()
            if (
                1 <= len(rest) <= 5
                and all(t[:1].isupper() and t.isalpha() for t in rest)
                and not any(w in v.stopwords for w in words_of(" ".join(rest)))
            ):
                return Verdict("furniture", "broadcast schedule", "")
    if n > 12 or terminal:
        return None
    plain = re.findall(r"[a-z]+", body.lower())  # "WordPress" one word
    if any(w in v.platforms for w in plain):
        others = [w for w in plain if w in v.stopwords and w != "by"]
        if any(w in v.site_credit for w in plain) and not others:
            return Verdict("furniture", "site credit (theme, platform)", "")
    return None


def _is_tag_list(body: str, words: list[str], v: Vocabulary) -> bool:
    """ "Animal Welfare Cats dogs Pets rescue": words only, no function word, capitals
    broken both ways (title case, then lower case, then capitals again)."""
    if not _ALPHA_WORDS.fullmatch(body) or any(w in v.stopwords for w in words):
        return False
    caps = [t[:1].isupper() for t in body.split()]
    if not (caps[0] and caps[1]) or sum(1 for c in caps if not c) < 2:
        return False
    lowered = caps.index(False)
    return any(caps[lowered:]) and not caps[-1]


def _date_stamp(body: str, words: list[str], v: Vocabulary) -> Verdict | None:
    """A line of a date and date labels only ("Published: 3 March 2024", "06 Dec
    2025"), possibly after an author's name ("Jo Bloggs 5 March 2024")."""
    if len(words) > 16 or not _DIGIT.search(body):
        return None
    tokens = _GLUED.sub(" ", body).split()
    lead: list[str] = []
    for token in tokens:  # an author's name before the date
        word = token.strip(",:|.")
        if token.endswith(":") or word.lower() in v.dates or word.lower() in v.labels:
            break
        if token[:1].isupper():
            lead.append(word)
        else:
            break
    rest = words[len(words_of(" ".join(lead))) :]
    if not rest or not any(w.isdigit() for w in rest) or len(lead) == 1 or len(lead) > 3:
        return None
    labels = [v.labels[w] for w in rest if w in v.labels]
    allowed = v.dates | set(v.labels) | v.stopwords | (v.menu if labels else frozenset())
    if not all(w.isdigit() or w in allowed for w in rest):
        return None
    if sum(1 for w in rest if w in v.months) > 1 and not labels:
        return None  # "21 & 22 September, 4 & 18 October": dates the copy gives
    full_date = any(w in v.months for w in rest) or _NUMERIC_DATE.search(body)
    if lead and not full_date:
        return None  # "West Yorkshire 2018/19": a title, not a byline
    if not full_date and not labels and not any(w in v.dates for w in rest):
        return None  # a bare number
    meta: list[tuple[str, str]] = []
    if lead:
        meta.append(("author", " ".join(lead)))
    date = _first_date(body[len(" ".join(lead)) :] if lead else body, v)
    if date:
        meta.append((labels[0] if labels else "published", date))
    return Verdict("metadata", "byline and date" if lead else "date stamp", "", tuple(meta))


_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)


def _first_date(text: str, v: Vocabulary) -> str:
    text = _GLUED.sub(" ", text)
    for m in _DATE.finditer(text):
        letters = re.findall(r"[A-Za-z]+", m.group())
        if all(w.lower() in v.months or w.lower() in ("st", "nd", "rd", "th") for w in letters):
            return m.group()
    return ""


_AUTHOR_LIST = re.compile(r"by\s+(?:(?P<role>[a-z]+)\s+by\s+)?(?P<authors>.+)", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+")


def _author_list(body: str, v: Vocabulary) -> Verdict | None:
    """ "By Jo Bloggs, Ann Lee and Sam Smith, PA", "By contributor By Jo Bloggs and Ann
    Lee": names (and an agency) listed after "By", a role's label between two "By"s."""
    m = _AUTHOR_LIST.fullmatch(body)
    if m is None or (m.group("role") and m.group("role").lower() not in v.roles):
        return None
    items = [item for item in _LIST_SEPARATOR.split(m.group("authors").strip()) if item]
    named = [item for item in items if _NAME.fullmatch(item)]
    if len(named) < 2 or not all(
        _NAME.fullmatch(item) or all(w in v.agencies for w in words_of(item)) for item in items
    ):
        return None
    return Verdict("metadata", "byline", "", (("author", m.group("authors").strip()),))


def _byline(body: str, words: list[str], v: Vocabulary) -> Verdict | None:
    if words[:1] == ["by"] and len(words) <= 3 * v.max_notice and "," in body:
        listed = _author_list(body, v)
        if listed is not None:
            return listed
    m = v.byline.fullmatch(body)
    if m is None and not _TERMINAL.search(body):
        # a user name after a lead that opens no clause ("Submitted by daniel on"),
        # never a function word ("Submitted by the council on Monday")
        m = v.byline_handle.fullmatch(body)
        if m and any(w in v.stopwords for w in words_of(m.group("author"))):
            m = None
    if not m or _TERMINAL.search(m.group("author")):
        return None
    author = m.group("author").strip()
    if any(w in v.months for w in words_of(author)) or not author[:1].isalpha():
        return None
    meta = [("author", author)]
    rest = (m.group("rest") or "").strip()
    if rest:
        parts = [part.strip() for part in rest.split("|") if part.strip()]
        for part in parts:
            stamp = _date_stamp(part, words_of(part), v)
            if stamp is not None:
                meta += [kv for kv in stamp.metadata if kv[0] != "author"]
            elif len(words_of(part)) > 4 or (_TERMINAL.search(part) and not _abbreviated(part)):
                return None  # "By September 2024, it was ...": copy
    return Verdict("metadata", "byline", "", tuple(meta))


def _abbreviated(part: str) -> bool:
    """Whether a byline's part ends in an abbreviation's full stop, not a sentence's
    ("By Jo Bloggs | Mattel Inc.")."""
    last = part.split()[-1].rstrip(".") if part.split() else ""
    return last in domain.sentence_abbreviations()


def sweep(verdicts: Sequence[Verdict | None]) -> list[str]:
    """Reasons to drop lines that are furniture by their place: "weak" lines (short,
    no end punctuation) between two furniture lines, and runs of one- or two-word
    bullets (a menu). `verdicts` holds one per line, None for a blank line; the result
    holds a reason per line ("" to keep the line as its verdict says)."""
    out = [""] * len(verdicts)
    filled = [i for i, verdict in enumerate(verdicts) if verdict is not None]

    def furniture(i: int | None) -> bool:
        if i is None:
            return False
        verdict = verdicts[i]
        return verdict is not None and (verdict.kind in ("furniture", "metadata") or bool(out[i]))

    for pos, i in enumerate(filled):
        verdict = verdicts[i]
        assert verdict is not None
        if verdict.kind != "weak":
            continue
        before = filled[pos - 1] if pos else None
        after = filled[pos + 1] if pos + 1 < len(filled) else None
        if furniture(before) and furniture(after):
            # Inside a block of one kind (a menu, a run of bullets), not a title
            # between the navigation above it and a link below it.
            assert before is not None and after is not None
            alike = _reason(verdicts[before], out[before]) == _reason(verdicts[after], out[after])
            if verdict.bullet or alike:
                out[i] = "beside furniture"
    site = ("site notice", "menu", "promotion")
    for pos, i in enumerate(filled):
        verdict = verdicts[i]
        assert verdict is not None
        if verdict.kind == "copy" and verdict.reason == "addressed":
            near = [filled[q] for q in (pos - 1, pos + 1) if 0 <= q < len(filled)]
            if any(_reason(verdicts[j], out[j]).startswith(site) for j in near):
                out[i] = "beside a site notice"
    kept = 0  # lines of copy kept above the line: the first is the headline
    for pos, i in enumerate(filled):
        verdict = verdicts[i]
        assert verdict is not None
        if verdict.kind != "weak" or out[i]:
            kept += verdict.kind in ("copy", "weak") and not out[i]
            continue
        before = filled[pos - 1] if pos else None
        after = filled[pos + 1] if pos + 1 < len(filled) else None
        following = verdicts[after] if after is not None else None
        out[i] = _placed(verdict, pos, kept, before, following, filled[pos + 1 :], out, verdicts)
        kept += not out[i]
    run: list[int] = []
    for line in [*filled, None]:
        verdict = verdicts[line] if line is not None else None
        short_bullet = (
            verdict is not None
            and verdict.kind == "weak"
            and verdict.bullet
            and len(words_of(verdict.text)) <= 2
        )
        if short_bullet and line is not None:
            run.append(line)
            continue
        if len(run) >= 2:
            for j in run:
                out[j] = out[j] or "menu of short bullets"
        run = []
    return out


def _placed(
    verdict: Verdict,
    pos: int,
    kept: int,
    before: int | None,
    following: Verdict | None,
    rest: Sequence[int],
    out: Sequence[str],
    verdicts: Sequence[Verdict | None],
) -> str:
    """Why a weak line (`verdict`, the `pos`th non-blank line, `kept` lines of copy
    above it) is furniture by its place, or "": a name or a label in capitals under
    the headline or beside a byline or date stamp, a name alone after the body, a tag
    list before a headline, a link's label above its document's size."""
    v = vocabulary()
    previous = verdicts[before] if before is not None else None

    def reason(verdict: Verdict | None, index: int | None) -> str:
        placed = out[index] if index is not None else ""
        return _reason(verdict, placed)

    neighbours = [(previous, before), (following, rest[0] if rest else None)]
    stamped = any(n is not None and n.kind == "metadata" for n, _ in neighbours)
    # the line right under the headline, before any other copy: a byline's or a
    # dateline's place
    under_headline = pos > 0 and kept == 1
    body_follows = following is not None and following.kind in ("copy", "weak")
    if following is not None and following.reason == "file size":
        return "link to a document (its label)"
    if previous is not None and previous.reason == "page taxonomy":
        # "Archives: Reports" / "Contains details of Reports": the archive's description,
        # a function word and then the item the page is filed under
        item, text = dict(previous.metadata).get("taxonomy", ""), verdict.text.strip()
        head = text.removesuffix(item).split() if item and text.endswith(item) else []
        if head and head[-1].lower() in v.stopwords and not verdict.bullet:
            return "the description of a taxonomy page"
    label = verdict.text.strip()
    if (
        kept == 0
        and verdict.reason in ("", "name", "capitals")
        and _is_label(label, v)
        and following is not None
        and body_follows
        and not _TERMINAL.search(following.text)
        and len(words_of(following.text)) >= max(v.headline_words, 2 * len(words_of(label)))
    ):
        # "Northern Ireland" over a headline: the section or place the site files the
        # story under; a subject's name over a short subheading is the page's title
        return "section label above the headline"
    if (
        kept >= 1
        and verdict.reason == ""
        and _is_label(verdict.text.strip(), v, v.weak_words)
        and _gone(previous, out[before] if before is not None else "")
        and _gone(following, out[rest[0]] if rest else "")
    ):
        # a topic's link between a byline or stamp and a caption, under the headline
        return "topic label between furniture"
    if verdict.reason == "caption with a photographer" and kept >= 1:
        return "caption with a photographer under the headline"
    if verdict.reason == "name":
        ends = body_follows and following is not None and bool(_TERMINAL.search(following.text))
        if 0 < pos < v.max_name_lines and ends:
            return "byline (a name alone near the top)"
        if under_headline:
            return "byline (a name under the headline)"
        if stamped:
            return "byline (a name beside a byline or date stamp)"
        if any(reason(n, j).startswith("caption") for n, j in neighbours):
            return "a picture's name beside its caption"
    if verdict.reason == "capitals":
        if under_headline and body_follows:
            return "dateline or label in capitals under the headline"
        if stamped or any(
            reason(n, j).startswith(("figures", "menu", "promotion")) for n, j in neighbours
        ):
            return "label in capitals beside furniture"
    if (
        verdict.reason == "tag list"
        and following is not None
        and body_follows
        and before is not None
        and _gone(previous, out[before])
        and not _TERMINAL.search(following.text)
    ):
        return "tag list before a headline"
    if (
        verdict.reason in ("name", "")
        and kept > 1
        and previous is not None
        and previous.kind == "copy"
        and _TERMINAL.search(previous.text)
        and _LOOSE_NAME.fullmatch(verdict.text.strip())
        and not any(w in v.known for w in words_of(verdict.text))
        and all(_gone(verdicts[j], out[j]) for j in rest)
    ):
        return "byline (a name alone after the body)"
    return ""


def _is_label(text: str, v: Vocabulary, most: int = 0) -> bool:
    """A short name without a clause: each word opening with a capital (a name's, a
    place's) or in lower case after one ("Storm damage", "Jo Bloggs court case"), no
    function word, no figure, no verb in -ed or -ing."""
    tokens = text.split()
    return (
        0 < len(tokens) <= (most or v.max_label_words)
        and tokens[0][:1].isupper()
        and all(t.isalpha() or t.replace("'", "").replace("-", "").isalpha() for t in tokens)
        and not any(w in v.stopwords for w in words_of(text))
        and not any(_VERB_FORM.fullmatch(t.upper()) for t in tokens)
    )


def _gone(verdict: Verdict | None, placed: str) -> bool:
    """Whether a line is furniture or metadata, by itself or by its place."""
    return verdict is not None and (verdict.kind in ("furniture", "metadata") or bool(placed))


def _reason(verdict: Verdict | None, placed: str) -> str:
    return placed or (verdict.reason if verdict is not None else "")


def template_lines(articles: Iterable[Article]) -> frozenset[str]:
    """The keys (see `key`) of short lines that are a site's template: found in two
    articles that share no line of copy, of one outlet, or of three or more articles.

    Versions of one story share their copy (syndication), so a short line they share
    (a subheading, a list item, a rating line) is theirs, not a template; a line
    repeated in articles that have no sentence of eight words or more in common is the
    page around them. One pass over the text with hashes; at most `CHECKED` articles
    are compared per line.
    """
    v = vocabulary()
    occurs: dict[str, list[int]] = defaultdict(list)
    bodies: list[str] = []
    sentences: dict[int, set[int]] = {}
    outlets: list[str] = []
    # A line's key, or "" when it cannot be a template line: each distinct line is
    # judged once, though the versions of a story repeat most of theirs.
    keyed: dict[str, str] = {}
    for index, article in enumerate(articles):
        for k in _short_lines(article, keyed):
            occurs[k].append(index)
        bodies.append(article.body)
        outlets.append(_outlet(article))

    def prose(index: int) -> set[int]:
        """An article's sentences of copy (hashed), read when first compared: most
        articles carry no line that recurs elsewhere, and are never compared."""
        if index not in sentences:
            sentences[index] = {hash(sentence) for sentence in _prose(bodies[index], v)}
        return sentences[index]

    found = set()
    for k, where in occurs.items():
        if len(where) < 2:
            continue
        first = where[0]
        for other in where[1:CHECKED]:
            same_outlet = outlets[first] != "" and outlets[first] == outlets[other]
            # the copy is read only where it decides
            if (same_outlet or len(where) >= 3) and not prose(first) & prose(other):
                found.add(k)
                break
    return frozenset(found)


CHECKED = 64
"""Articles compared with the first that carries a line, when deciding if it is a template."""


def _short_lines(article: Article, keyed: dict[str, str]) -> list[str]:
    """The keys of an article's lines that can be a template's, each once, in order.
    `keyed`: the key found for each line seen before ("" for none)."""
    v = vocabulary()
    seen: dict[str, None] = {}
    for raw in article.body.split("\n"):
        line = raw.strip()
        if len(line) > v.template_chars:  # most lines: copy, longer than a template's
            continue
        k = keyed.get(line)
        if k is None:
            short = 0 < len(line.split()) <= v.template_words
            k = keyed[line] = key(line) if short and not _TERMINAL.search(line) else ""
        if k:
            seen[k] = None
    return list(seen)


def _outlet(article: Article) -> str:
    meta = article.metadata
    return meta.get("outlet") or urlsplit(meta.get("url", "")).hostname or ""


@dataclass(frozen=True)
class LinePlaces:
    """What `template_lines` reads of some articles of a feed, each known by its place in
    the feed (`line_places`): of any cut of a feed into parts, the tables of its parts
    give the feed's template lines (`templates_of`), with no article's text in them."""

    lines: pl.DataFrame
    """(key, index): the lines each article carries that can be a template's."""
    outlets: pl.DataFrame
    """(index, outlet): each article's outlet ("" when unknown)."""
    prose: pl.DataFrame
    """(index, sentence): each article's sentences of copy, hashed the same in every
    process."""


def _prose(body: str, v: Vocabulary) -> set[str]:
    """An article's sentences of copy: sentences, not lines, so that a hard-wrapped copy
    still shares its copy."""
    text = " ".join(body.split())
    return {s for s in _SENTENCE_END.split(text.lower()) if s.count(" ") >= v.prose_words - 1}


def _stable_hash(text: str) -> int:
    """A 63-bit hash of `text`, the same in every process (Python's `hash` of a string
    is not)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


def line_places(articles: Iterable[tuple[int, Article]]) -> LinePlaces:
    """The `LinePlaces` of some articles, each given with its place in the feed."""
    v = vocabulary()
    keyed: dict[str, str] = {}
    lines: list[tuple[str, int]] = []
    outlets: list[tuple[int, str]] = []
    prose: list[tuple[int, int]] = []
    for index, article in articles:
        lines += [(k, index) for k in _short_lines(article, keyed)]
        outlets.append((index, _outlet(article)))
        prose += [(index, _stable_hash(sentence)) for sentence in _prose(article.body, v)]
    return LinePlaces(
        pl.DataFrame(lines, schema={"key": pl.String, "index": pl.Int64}, orient="row"),
        pl.DataFrame(outlets, schema={"index": pl.Int64, "outlet": pl.String}, orient="row"),
        pl.DataFrame(prose, schema={"index": pl.Int64, "sentence": pl.Int64}, orient="row"),
    )


def templates_of(places: Iterable[LinePlaces]) -> frozenset[str]:
    """`template_lines` of a feed from the `LinePlaces` of its parts: a line is a template
    when some article among the next CHECKED - 1 carrying it after its first shares no
    sentence of copy with that first one, and is of the same outlet, or the line is in
    three articles or more."""
    places = list(places)
    if not places:
        return frozenset()
    lines = pl.concat([p.lines for p in places])
    outlets = pl.concat([p.outlets for p in places])
    prose = pl.concat([p.prose for p in places])
    ranked = (
        lines.sort("key", "index")
        .with_columns(
            pl.int_range(pl.len()).over("key").alias("rank"),
            pl.len().over("key").alias("count"),
            pl.col("index").first().over("key").alias("first"),
        )
        .filter((pl.col("rank") >= 1) & (pl.col("rank") < CHECKED))
        .join(outlets.rename({"index": "first", "outlet": "first_outlet"}), on="first")
        .join(outlets, on="index")
        .filter(
            ((pl.col("first_outlet") != "") & (pl.col("first_outlet") == pl.col("outlet")))
            | (pl.col("count") >= 3)
        )
    )
    alike = (
        ranked.select("first", "index")
        .unique()
        .join(prose.rename({"index": "first"}), on="first")
        .join(prose, on=["index", "sentence"])
        .select("first", "index")
        .unique()
    )
    found = ranked.join(alike, on=["first", "index"], how="anti")["key"].unique()
    return frozenset(found.to_list())
