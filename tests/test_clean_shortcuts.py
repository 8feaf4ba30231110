"""The reading stage's shortcuts give the answers of the slow paths they skip.

Each shortcut of ingest and clean (a pre-check, a line read once, a pattern rewritten
to be searched faster) is checked here against the code it replaced, kept below as
it was, on generated text. A failure means a report could change."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter, defaultdict

import ftfy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency import clean, domain, furniture, literals
from consistency.models import Article, frozen_map

# --- encoding repair ---------------------------------------------------------------


def _old_best_code_page(text: str) -> clean._CodePage | None:
    """clean._best_code_page as it was: every page's patterns over the whole text."""
    if clean._mojibake_leads().isdisjoint(text):
        return None
    best: tuple[int, int, clean._CodePage] | None = None
    for order, name in enumerate(clean.CODE_PAGES):
        page = clean._code_page(name)
        hits = sum(
            1 for m in _old_sequence(name).finditer(text) if clean._decode_sequence(page, m.group())
        )
        hits += len(page.dangling.findall(text))
        if hits and (best is None or (-hits, order) < (-best[0], best[1])):
            best = (hits, order, page)
    return best[2] if best else None


def _old_sequence(name: str) -> re.Pattern[str]:
    """A code page's sequence pattern as it was: three alternatives, one per lead kind."""
    to_byte = clean._code_page(name).to_byte

    def chars(lo: int, hi: int) -> str:
        return "".join(re.escape(c) for c, b in to_byte.items() if lo <= b <= hi)

    cont = f"[{chars(0x80, 0xBF)}]"
    return re.compile(
        f"[{chars(0xC2, 0xDF)}]{cont}"
        f"|[{chars(0xE0, 0xEF)}]{cont}{{2}}"
        f"|[{chars(0xF0, 0xF4)}]{cont}{{3}}"
    )


def _old_reverse(text: str, page: clean._CodePage) -> tuple[str, list[clean._LineRepair]]:
    repairs: list[clean._LineRepair] = []
    label = clean.CODE_PAGE_NAMES[page.name]
    out_lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        fixes: Counter[tuple[str, str]] = Counter()

        def fix(match: re.Match[str], fixes: Counter[tuple[str, str]] = fixes) -> str:
            decoded = clean._decode_sequence(page, match.group())
            if decoded is None:
                return match.group()
            fixes[(match.group(), decoded)] += 1
            return decoded

        fixed = clean._restore_dangling(_old_sequence(page.name).sub(fix, line), page, fixes)
        if fixes:
            pairs = ", ".join(f"{bad!r}→{good!r}" for (bad, good), _ in sorted(fixes.items()))
            why = f"UTF-8 text decoded as {label}: {pairs}"
            repairs.append(clean._LineRepair(number, line, fixed, why, tuple(sorted(fixes))))
        out_lines.append(fixed)
    return "\n".join(out_lines), repairs


def _old_repair_encoding(text: str) -> tuple[str, list[clean._LineRepair]]:
    """clean.repair_encoding as it was: the whole text read for each code page."""
    by_line: dict[int, clean._LineRepair] = {}
    for _ in range(len(clean.CODE_PAGES)):
        page = _old_best_code_page(text)
        if page is None:
            break
        text, repairs = _old_reverse(text, page)
        for number, before, after, why, fixes in repairs:
            if number in by_line:
                first = by_line[number]
                before, why, fixes = first.before, f"{first.why}; {why}", first.fixes + fixes
            by_line[number] = clean._LineRepair(number, before, after, why, fixes)
    return text, [by_line[n] for n in sorted(by_line)]


_CLEAN_PIECES = ["The", " ", "force", "’s", "“Good”", "–", "£5m", "café", "Zoë", "\n", "\n\n"]
_CLEAN_PIECES += ["naïve", "€", "…", "\ufffd", ".", "x", "ß", "Ωmega", "Привет"]


@st.composite
def _damaged_text(draw: st.DrawFn) -> str:
    """Text with pieces damaged by one or two code pages (the mixed paste of the
    fixtures), some with a lost third byte, and stray lead characters."""
    pages = draw(st.lists(st.sampled_from(clean.CODE_PAGES), min_size=1, max_size=2))
    out = []
    for piece in draw(st.lists(st.sampled_from(_CLEAN_PIECES), max_size=30)):
        how = draw(st.integers(0, 3))
        if how == 0 or piece.isascii():
            out.append(piece)
            continue
        damaged = piece.encode("utf-8").decode(draw(st.sampled_from(pages)), errors="replace")
        out.append(damaged[:-1] if how == 2 and len(damaged) > 1 else damaged)
    return "".join(out)


@given(_damaged_text())
def test_encoding_repair_line_by_line_is_the_whole_text_repair(text: str) -> None:
    assert clean.repair_encoding(text) == _old_repair_encoding(text)


@pytest.mark.parametrize("name", clean.CODE_PAGES)
@given(data=st.data())
def test_sequence_pattern_finds_what_the_three_alternatives_found(
    name: str, data: st.DataObject
) -> None:
    page = clean._code_page(name)
    chars = sorted(page.to_byte)
    line = "".join(data.draw(st.lists(st.sampled_from([*chars, "a", " "]), max_size=20)))
    found = [(m.start(), m.group()) for m in page.sequence.finditer(line)]
    assert found == [(m.start(), m.group()) for m in _old_sequence(name).finditer(line)]


# --- ftfy ------------------------------------------------------------------------

_INERT_SAMPLE = [*"aZ1 .,'\"?!:(~", "\t", *"“”‘’–—…•£€"]
_NOT_INERT = ["&amp;", "\x85", "\x7f", "\r", "é", "Â", "\u00a0", "e\u0301", "½"]


def test_ftfy_leaves_every_short_inert_line_alone() -> None:
    # ftfy's badness patterns that can match these characters are at most three
    # characters long: every string of up to three covers each way they meet.
    for size in range(1, 4):
        for chars in itertools.product(_INERT_SAMPLE, repeat=size):
            line = "".join(chars)
            if clean._FTFY_INERT.fullmatch(line):
                explained = ftfy.fix_and_explain(line, config=clean._FTFY_CONFIG)
                assert (explained.text, explained.explanation) == (line, []), line


@given(st.lists(st.sampled_from([*_INERT_SAMPLE, "word", " "]), max_size=40).map("".join))
def test_ftfy_leaves_inert_lines_alone(line: str) -> None:
    if clean._FTFY_INERT.fullmatch(line):
        explained = ftfy.fix_and_explain(line, config=clean._FTFY_CONFIG)
        assert (explained.text, explained.explanation) == (line, [])


def test_lines_ftfy_may_change_are_not_inert() -> None:
    for line in [*_NOT_INERT, "”£", "£“", "£”“", "£•", "a ”€"]:
        assert not clean._FTFY_INERT.fullmatch(line), line
    assert clean._ftfy_line("He said “£5m”.") == ("He said “£5m”.", "")


# --- typography ----------------------------------------------------------------------


def _old_typography(line: str) -> str:
    """clean.normalise_typography as it was: every step on every line."""
    double = str.maketrans({"„": '"', "‟": '"', "«": '"', "»": '"', "″": '"', "〃": '"'})
    line = clean._INVISIBLE.sub("", line).translate(double)
    line = clean._SINGLE_QUOTES.sub("'", line)

    def direct(match: re.Match[str]) -> str:
        before = line[match.start() - 1] if match.start() else " "
        return "“" if before.isspace() or before in "([{—–-/" else "”"

    line = clean._STRAIGHT_DOUBLE.sub(direct, line)
    return clean._SPACES.sub(" ", line).strip()


_TYPOGRAPHY_SAMPLE = [*"a Z.(-—/\t`'\"", "  ", "\u00a0", "\u2009", "\u3000", "\u200b", "\u00ad"]
_TYPOGRAPHY_SAMPLE += [*"„‟«»″〃‘’‚‛´′“”", "é", "\n", "\x0b", "word"]


@given(st.lists(st.sampled_from(_TYPOGRAPHY_SAMPLE), max_size=30).map("".join))
def test_typography_does_what_every_step_did(line: str) -> None:
    assert clean.normalise_typography.__wrapped__(line) == _old_typography(line)  # type: ignore[attr-defined]


# --- furniture words -------------------------------------------------------------------

_OLD_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z]{2,})")


_WORD_PIECES = [*"aBzZ09'’ .-", "ab", "AB", "\u212a", "İ", "Σ", "٣", "x2"]


@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=25))
def test_words_are_the_words_every_gap_gave(pieces: list[str]) -> None:
    line = "".join(pieces)
    assert furniture.words_of(line) == furniture._WORD.findall(_OLD_GLUED.sub(" ", line).lower())


# --- needles (literals) ---------------------------------------------------------------


def _data_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every pattern of the data files that a shortcut reads needles from, and more."""
    bp = domain.boilerplate()
    v = furniture.vocabulary()
    found = [(name, p) for name, p in bp.lines] + [(name, p) for name, p in bp.metadata]
    found.append(("related", bp.related))
    found += [(f.name, getattr(v, f.name)) for f in dataclasses.fields(v)]
    return [(name, p) for name, p in found if isinstance(p, re.Pattern)]


_NEEDLE_WORDS = [
    "follow", "us", "on", "Facebook", "listen", "live", "to", "the", "app", "sign up", "for",
    "our", "newsletter", "Subscribe", "now", "get", "latest", "news", "delivered", "inbox",
    "image", "is", "for illustrative purposes", "only", "Picture", "Read more", "Watch",
    "Herald", "Jo Bloggs", "said", "2024", "(", ")", ".", ":", "[embed]", "{{", "-", "—",
    "İ", "ı", "ſ", "\u212a", "K", "S", "I", "ﬁ", "café",
]  # fmt: skip


@pytest.mark.parametrize(("name", "pattern"), _data_patterns(), ids=lambda x: str(x)[:30])
@given(st.lists(st.sampled_from(_NEEDLE_WORDS), max_size=12).map(" ".join))
def test_a_line_without_needles_matches_nowhere(
    name: str, pattern: re.Pattern[str], line: str
) -> None:
    for anchored in (False, True):
        needles = literals.needles(pattern, anchored)
        if literals.excluded(needles, literals.folded(line)):
            assert pattern.search(line) is None, (name, needles, line)


def test_needles_are_read_off_the_pattern() -> None:
    social = re.compile(
        r"(?:.*\b(follow (us|[\w ]+) on (facebook|x)|send (your|the) ideas).*)", re.I
    )
    # each alternative's own strings, spelt out through its small groups
    assert literals.needles(social) == ("follow ", "send the ideas", "send your ideas")
    assert literals.needles(re.compile("a?b*|c")) is None  # an alternative needs nothing
    assert literals.needles(re.compile("(?:abc[xy])+z")) == ("abcx", "abcy")
    assert literals.needles(re.compile("Herald|News"), anchored=True) is None  # fails fast
    assert literals.folded("İstanbul") is None  # "i" matches "İ" but is not in its lower case


def _old_boilerplate_name(line: str) -> str | None:
    if len(line) >= clean.FURNITURE_MAX:
        return None
    bp = domain.boilerplate()
    for name, pattern in bp.lines:
        if pattern.fullmatch(line):
            return name
    if bp.related.fullmatch(line) and not re.search(
        r"\b(said|says|added|told)\b", line.split(":")[0]
    ):
        return bp.related_name
    return None


@given(st.lists(st.sampled_from(_NEEDLE_WORDS), max_size=12).map(" ".join))
def test_boilerplate_lines_are_named_as_every_pattern_named_them(line: str) -> None:
    assert clean._boilerplate_name.__wrapped__(line) == _old_boilerplate_name(line)  # type: ignore[attr-defined]


# --- site templates ---------------------------------------------------------------------


def _old_template_lines(articles: list[Article]) -> frozenset[str]:
    """furniture.template_lines as it was: every article's copy read up front."""
    v = furniture.vocabulary()
    occurs: dict[str, list[int]] = defaultdict(list)
    prose: list[set[int]] = []
    outlets: list[str] = []
    for index, article in enumerate(articles):
        seen: set[str] = set()
        for raw in article.body.split("\n"):
            line = raw.strip()
            if len(line) > v.template_chars:
                continue
            short = 0 < len(line.split()) <= v.template_words
            k = furniture.key(line) if short and not furniture._TERMINAL.search(line) else ""
            if k and k not in seen:
                seen.add(k)
                occurs[k].append(index)
        text = " ".join(article.body.split())
        prose.append(
            {
                hash(s)
                for s in furniture._SENTENCE_END.split(text.lower())
                if s.count(" ") >= v.prose_words - 1
            }
        )
        outlets.append(article.metadata.get("outlet", ""))
    found = set()
    for k, where in occurs.items():
        if len(where) < 2:
            continue
        first = where[0]
        for other in where[1 : furniture.CHECKED]:
            alike = bool(prose[first] & prose[other])
            same_outlet = outlets[first] != "" and outlets[first] == outlets[other]
            if not alike and (same_outlet or len(where) >= 3):
                found.add(k)
                break
    return frozenset(found)


_SHARED_LINES = ["Share this", "Latest News", "Sign in", "Jo Bloggs", "Read more.", "Menu"]
_COPY = [
    "The council said the plan would cost four million pounds over the next two years.",
    "Inspectors rated the school good in every area of its work last month, the report said.",
    "A spokesman for the force said officers were called to the scene shortly after noon.",
]


_DRAFTS = st.lists(
    st.tuples(
        st.lists(st.sampled_from(_SHARED_LINES + _COPY), min_size=1, max_size=6),
        st.sampled_from(["", "herald", "echo"]),
    ),
    max_size=8,
)


def _drafted(drafts: list[tuple[list[str], str]]) -> list[Article]:
    return [
        Article(f"a{i}", f"a{i}.txt", "\n".join(lines), 1, frozen_map({"outlet": outlet}))
        for i, (lines, outlet) in enumerate(drafts)
    ]


@given(_DRAFTS)
def test_template_lines_are_those_reading_every_copy_found(
    drafts: list[tuple[list[str], str]],
) -> None:
    articles = _drafted(drafts)
    assert furniture.template_lines(articles) == _old_template_lines(articles)


@given(_DRAFTS, st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_template_lines_are_found_from_the_line_places_of_any_cut_of_the_feed(
    drafts: list[tuple[list[str], str]], cut: list[int]
) -> None:
    """An engine that never holds the whole feed reads each part's `LinePlaces` (each
    article known by its place in the feed) and finds the template lines from those
    tables alone."""
    articles = _drafted(drafts)
    parts: dict[int, list[tuple[int, Article]]] = defaultdict(list)
    for index, article in enumerate(articles):
        parts[cut[index]].append((index, article))
    found = furniture.templates_of(furniture.line_places(part) for part in parts.values())
    assert found == furniture.template_lines(articles)


def test_a_sentence_is_hashed_the_same_in_every_process() -> None:
    # Parts read in other processes (Spark's workers) compare their hashes: Python's own
    # `hash` of a string is seeded per process.
    assert furniture._stable_hash("the council said the plan would cost more") == (
        0x463E2B7428796C50
    )
