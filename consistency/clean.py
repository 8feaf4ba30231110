"""Stage 2, clean: repair encoding damage, normalise typography, drop furniture.

The steps, in order, each recorded as a `Repair` so the report can say why text
changed:

1. Encoding repair. UTF-8 that was decoded with a Windows or ISO code page turns
   "’" into "â€™" (Windows-1252) or "ā€™" (Windows-1257). We pick, per article,
   the code page whose reversal repairs the most sequences, and reverse it with a
   table built from Python's codecs. Bytes a code page does not define were
   often shown as the Windows-1252 character or dropped altogether; a dropped
   third byte of a curly quote ("ā€" at the end of a quotation) is restored from
   the quotation marks around it. ftfy then runs for everything else it knows
   (HTML entities, other double encodings).
2. Typography. Double quotes become directional curly quotes (a straight `"`
   opens after a space and closes otherwise); single quotes and apostrophes
   become `'`; odd spaces become plain spaces. Matching never sees quote style.
3. Metadata lines ("Author: ... Published 14th May 2024") become metadata.
4. Boilerplate lines (patterns in data/boilerplate.toml) are dropped, and so is
   a masthead block at the top (weather, date, place name).
5. Hard-wrapped lines are joined into paragraphs; each paragraph keeps the line
   number it started on.

Cleaning is idempotent: cleaning a cleaned article changes nothing.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import ftfy

from . import domain, furniture, literals
from .caching import table_cache, text_cache
from .models import Article, CleanArticle, Paragraph, Repair, RepairKind, frozen_map

# Code pages whose mojibake we reverse, in order of preference on a tie.
CODE_PAGES = ("cp1252", "cp1257", "cp1250", "cp1251", "cp1254", "latin-1")
CODE_PAGE_NAMES = {
    "cp1252": "Windows-1252",
    "cp1257": "Windows-1257",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1254": "Windows-1254",
    "latin-1": "Latin-1",
}


@dataclass(frozen=True)
class _CodePage:
    name: str
    to_byte: dict[str, int]
    sequence: re.Pattern[str]
    dangling: re.Pattern[str]
    leads: frozenset[str]
    """What the page shows for a UTF-8 lead byte (0xC2-0xF4): every sequence and every
    dangling pair starts with one."""


@table_cache
def _code_page(name: str) -> _CodePage:
    to_byte: dict[str, int] = {}
    for b in range(0x80, 0x100):
        try:
            to_byte.setdefault(bytes([b]).decode(name), b)
        except UnicodeDecodeError:
            # Undefined here: decoders show such a byte as a C1 control or borrow
            # the Windows-1252 character (the seed's "œ" for 0x9C under 1257).
            to_byte.setdefault(chr(b), b)
            with contextlib.suppress(UnicodeDecodeError):
                to_byte.setdefault(bytes([b]).decode("cp1252"), b)

    def chars(lo: int, hi: int) -> str:
        return "".join(re.escape(c) for c, b in to_byte.items() if lo <= b <= hi)

    cont = f"[{chars(0x80, 0xBF)}]"
    # A lead byte's character, then as many continuation bytes as that lead byte
    # starts (the three kinds of lead are apart). Written with the lead first, not as
    # three alternatives, so that a search skips ahead to a lead: most text has none.
    sequence = re.compile(
        f"[{chars(0xC2, 0xF4)}]"
        f"(?:(?<=[{chars(0xC2, 0xDF)}]){cont}"
        f"|(?<=[{chars(0xE0, 0xEF)}]){cont}{{2}}"
        f"|(?<=[{chars(0xF0, 0xF4)}]){cont}{{3}})"
    )
    # E2 80 with its third byte lost: the General Punctuation block (quotes, dashes).
    lead_e2 = [c for c, b in to_byte.items() if b == 0xE2]
    cont_80 = [c for c, b in to_byte.items() if b == 0x80]
    dangling = re.compile(
        # A decoder may also have shown the lost byte as U+FFFD: it goes too.
        f"[{''.join(map(re.escape, lead_e2))}][{''.join(map(re.escape, cont_80))}](?!{cont})\ufffd?"
    )
    leads = frozenset(c for c, b in to_byte.items() if 0xC2 <= b <= 0xF4)
    return _CodePage(name, to_byte, sequence, dangling, leads)


def _decode_sequence(page: _CodePage, seq: str) -> str | None:
    try:
        return bytes(page.to_byte[c] for c in seq).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


@table_cache
def _mojibake_leads() -> frozenset[str]:
    """What any code page shows for a UTF-8 lead byte: text without one has no mojibake."""
    return frozenset(c for name in CODE_PAGES for c in _code_page(name).leads)


@table_cache
def _mojibake_lead() -> re.Pattern[str]:
    """One character of `_mojibake_leads`."""
    return re.compile(f"[{''.join(map(re.escape, sorted(_mojibake_leads())))}]")


@text_cache()
def _line_hits(line: str) -> tuple[int, ...]:
    """Sequences each code page (in CODE_PAGES order) repairs in one line. No sequence
    and no dangling pair spans a line break (none of their characters is one), so a
    text's hits are the sum of its lines'."""
    present = set(_mojibake_lead().findall(line))
    hits = []
    for name in CODE_PAGES:
        page = _code_page(name)
        if page.leads.isdisjoint(present):  # none of its leads: nothing to repair
            hits.append(0)
            continue
        found = sum(1 for m in page.sequence.finditer(line) if _decode_sequence(page, m.group()))
        hits.append(found + len(page.dangling.findall(line)))
    return tuple(hits)


def _best_code_page(lines: list[str]) -> _CodePage | None:
    """The code page whose reversal repairs the most sequences in `lines`, the first in
    CODE_PAGES on a tie; None when none repairs any."""
    totals = [sum(column) for column in zip(*map(_line_hits, lines), strict=True)]
    best: tuple[int, int] | None = None
    for order, hits in enumerate(totals):
        if hits and (best is None or (-hits, order) < (-best[0], best[1])):
            best = (hits, order)
    return _code_page(CODE_PAGES[best[1]]) if best else None


_CLOSING_SINGLE = re.compile(r"’(?!\w)|(?<!\w)’")


def _restore_dangling(line: str, page: _CodePage, fixes: Counter[tuple[str, str]]) -> str:
    """Guess each punctuation mark whose last byte was lost, from the quotes around it.

    Before a word it opens a quotation: single if the next closing mark is a
    single one (‘dedicated officer’), else double. Elsewhere it closes one.
    One pass: the double quotes before a gap are counted as the line is read (the
    guesses before it included) and the closing marks after it are bisected:
    rescanning the line at every gap would be quadratic in a line of thousands of them.
    """
    if page.dangling.search(line) is None:  # most lines: nothing to guess
        return line
    singles = [m.start() for m in _CLOSING_SINGLE.finditer(line)]
    doubles = [i for i, c in enumerate(line) if c == "”"]
    out: list[str] = []
    opens = 0
    last = ""  # the last character before the gap that is not white space
    done = 0
    for m in page.dangling.finditer(line):
        segment = line[done : m.start()]
        opens += segment.count("“") + segment.count('"') - segment.count("”")
        last = segment.rstrip()[-1:] or last
        if line[m.end() : m.end() + 1].isalnum():
            s = bisect.bisect_left(singles, m.end())
            d = bisect.bisect_left(doubles, m.end())
            single = s < len(singles) and (d == len(doubles) or singles[s] < doubles[d])
            guess = "‘" if single else "“"
        elif opens > 0 or last.isalnum() or last in ".,!?;:":  # "" too: at the line's start
            guess = "”"
        else:
            guess = "“"
        opens += {"“": 1, "”": -1}.get(guess, 0)
        last = guess
        fixes[(m.group(), guess)] += 1
        out += (segment, guess)
        done = m.end()
    out.append(line[done:])
    return "".join(out)


class _LineRepair(NamedTuple):
    line: int
    before: str
    after: str
    why: str
    fixes: tuple[tuple[str, str], ...]


def repair_encoding(text: str) -> tuple[str, list[_LineRepair]]:
    """Reverse mojibake. Returns the text and (line, before, after, why, fixes) per changed line.

    An article can carry damage from two code pages (copy pasted from two
    systems), so after the best code page is reversed the next best is tried,
    until none repairs anything: cleaning twice then changes nothing. Only lines
    holding a lead byte's character can change (most hold none), and each line is
    read once per wording (`_line_hits`, `_reverse_line`): a story's versions repeat
    their lines.
    """
    lines = text.split("\n")
    lead = _mojibake_lead()
    damaged = [index for index, line in enumerate(lines) if lead.search(line)]
    by_line: dict[int, _LineRepair] = {}
    for _ in range(len(CODE_PAGES)):
        page = _best_code_page([lines[index] for index in damaged]) if damaged else None
        if page is None:
            break
        label = CODE_PAGE_NAMES[page.name]
        for index in damaged:
            line = lines[index]
            fixed, fixes = _reverse_line(line, page.name)
            if not fixes:
                continue
            lines[index] = fixed
            number = index + 1
            pairs = ", ".join(f"{bad!r}→{good!r}" for bad, good in fixes)
            why = f"UTF-8 text decoded as {label}: {pairs}"
            before = line
            if number in by_line:  # a second code page on the same line: one repair
                first = by_line[number]
                before, why, fixes = first.before, f"{first.why}; {why}", first.fixes + fixes
            by_line[number] = _LineRepair(number, before, fixed, why, fixes)
    return "\n".join(lines), [by_line[n] for n in sorted(by_line)]


@text_cache()
def _reverse_line(line: str, name: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """One line with code page `name`'s mojibake reversed, and the (damaged, repaired)
    pairs found in it, sorted."""
    page = _code_page(name)
    fixes: Counter[tuple[str, str]] = Counter()

    def fix(match: re.Match[str]) -> str:
        decoded = _decode_sequence(page, match.group())
        if decoded is None:
            return match.group()
        fixes[(match.group(), decoded)] += 1
        return decoded

    fixed = _restore_dangling(page.sequence.sub(fix, line), page, fixes)
    return fixed, tuple(sorted(fixes))


_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization="NFC",
    explain=True,
)
# ftfy steps that mean the text was damaged, as opposed to merely normalised.
_FTFY_DAMAGE = (
    "decode",
    "encode",
    "transcode",
    "fix_c1_controls",
    "unescape_html",
    "restore_byte_a0",
    "replace_lossy_sequences",
    "decode_inconsistent_utf8",
)


# Line-level steps are cached: the versions of a story repeat most lines word for word.
# What ftfy (with this configuration) provably leaves alone, whatever the order: printable
# ASCII but "&" (no HTML entity), tab, and common punctuation, none of it a control or C1
# character, a line break or a character NFC changes. Of ftfy's badness patterns (its
# only way to a repair), the only ones these characters can take part in are a currency
# sign after a closing quotation mark or before a quotation mark or bullet ("”£",
# "£“", "£”“"), kept out by the look-arounds. Such a line is its own repair.
_FTFY_INERT = re.compile(r"(?:[\t\x20-\x25\x27-\x7e“”‘’–—…•]|(?<!”)[£€](?![“”‘•]))*")


@text_cache()
def _ftfy_line(line: str) -> tuple[str, str]:
    if (line.isascii() and "&" not in line) or _FTFY_INERT.fullmatch(line):
        return line, ""
    fixed, explanation = ftfy.fix_and_explain(line, config=_FTFY_CONFIG)
    steps = [
        f"{a} {b}" for a, b in explanation or [] if any(d in b or d in a for d in _FTFY_DAMAGE)
    ]
    return fixed, ("ftfy: " + "; ".join(steps)) if steps else ""


_DOUBLE_QUOTES = re.compile("[„‟«»″〃]")
_SINGLE_QUOTES = re.compile("[‘’‚‛`´′]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_STRAIGHT_DOUBLE = re.compile(r'"')
# The characters outside ASCII that the steps below change (a quotation mark, an odd
# space, an invisible character): a line without one needs only the ASCII steps.
_TYPOGRAPHY = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad„‟«»″〃‘’‚‛´′\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)


@text_cache()
def normalise_typography(line: str) -> str:
    """Uniform quotes and spaces, so that style never looks like a difference."""
    if line.isascii() or not _TYPOGRAPHY.search(line):
        # Most lines: only ASCII marks can need a step, and a step finding none of its
        # characters would give the line back as it was.
        if "`" in line:
            line = line.replace("`", "'")
        if '"' in line:
            line = _straight_double(line)
        if "\t" in line or "  " in line:
            line = _SPACES.sub(" ", line)
        return line.strip()
    line = _INVISIBLE.sub("", line)
    line = _DOUBLE_QUOTES.sub('"', line)
    line = _straight_double(_SINGLE_QUOTES.sub("'", line))
    return _SPACES.sub(" ", line).strip()


def _straight_double(line: str) -> str:
    """Each straight double quote made curly: opening after a space, closing otherwise."""

    def direct(match: re.Match[str]) -> str:
        before = line[match.start() - 1] if match.start() else " "
        return "“" if before.isspace() or before in "([{—–-/" else "”"

    return _STRAIGHT_DOUBLE.sub(direct, line)


_TERMINAL = re.compile(r"[.!?:;”\"')\]]$")
_SENTENCE_BREAK = re.compile(r"[a-z][.!?] [A-Z]")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_LIST_ITEM = re.compile(r"^(?:[-*•·▪●◦]|\d{1,2}[.)])\s+")


def _is_wrapped(lines: list[str]) -> int:
    """Return the wrap width if the article looks hard-wrapped, else 0."""
    lengths = [len(x) for x in lines if x]
    if len(lengths) < 4:
        return 0
    longest = sorted(lengths)[int(len(lengths) * 0.9) - 1]
    if longest > 100:
        return 0
    near = sum(1 for n in lengths if n >= longest - 20)
    return longest if near >= 0.5 * len(lengths) else 0


def _continues(previous: str, text: str, width: int) -> bool:
    """Whether line `text` carries on the paragraph that line `previous` is in."""
    dash_wrapped = width and len(previous) >= width * 0.6 and not _SENTENCE_END.search(previous)
    return bool(
        (not _LIST_ITEM.match(text) or dash_wrapped)
        and (
            (width and len(previous) >= width * 0.6 and not _TERMINAL.search(previous))
            or (width and len(previous) >= width - 20)
            or (not _TERMINAL.search(previous) and text[:1].islower())
        )
    )


def _furniture_tails(
    kept: list[tuple[int, str]],
    furniture: dict[int, str],
    width: int,
    source: str,
    repairs: list[Repair],
) -> list[tuple[int, str]]:
    """Drop the lines that hard wrapping carried over from a furniture line ("Do you
    have a story for us? Email" / "newsdesk@example.co.uk"): they are the furniture's."""
    if not width or not furniture:
        return kept
    out: list[tuple[int, str]] = []
    for number, text in kept:
        previous = furniture.get(number - 1)
        if text and previous is not None and _continues(previous, text, width):
            furniture[number] = text
            repairs.append(Repair(source, "boilerplate", number, text, "", "boilerplate: wrapped"))
            continue
        out.append((number, text))
    return out


def _paragraphs(lines: list[tuple[int, str]], width: int) -> list[Paragraph]:
    """Join hard-wrapped lines; blank lines always separate paragraphs."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = 0
    previous = ""
    for number, text in lines:
        if not text:
            if current:
                paragraphs.append(Paragraph("".join(current), start))
            current, previous = [], ""
            continue
        # In hard-wrapped text a spaced dash can start a line ("ROCU\n- a partnership"):
        # after an unfinished line it continues the sentence, it is no list item.
        if current and _continues(previous, text, width):
            # A wrapped hyphenated word ("well-" / "known") keeps its hyphen, loses the break.
            joiner = "" if re.search(r"\w-$", previous) else " "
            # Pieces joined once at the end: appending to one growing string would be
            # quadratic in a paragraph of thousands of wrapped lines.
            current += (joiner, text)
        else:
            if current:
                paragraphs.append(Paragraph("".join(current), start))
            current, start = [text], number
        previous = text
    if current:
        paragraphs.append(Paragraph("".join(current), start))
    return paragraphs


def _is_masthead_line(text: str) -> bool:
    return len(text.split()) <= 3 and not _TERMINAL.search(text)


def clean_article(article: Article, template: frozenset[str] = frozenset()) -> CleanArticle:
    """Run every cleaning step on one article. `template`: the keys of lines that are
    the feed's site templates (see `furniture.template_lines`), dropped as furniture."""
    source, offset = article.source, article.first_line - 1
    repairs: list[Repair] = []
    text, encoding = repair_encoding(article.body)
    repairs += [
        Repair(source, "encoding", n + offset, b, a, why, fixes) for n, b, a, why, fixes in encoding
    ]

    bp = domain.boilerplate()
    metadata = dict(article.metadata)
    kept: list[tuple[int, str]] = []
    furniture: dict[int, str] = {}
    for number, raw in enumerate(text.split("\n"), start=1 + offset):
        line, why = _ftfy_line(raw)
        if why:
            repairs.append(Repair(source, "encoding", number, raw, line, why))
        line = normalise_typography(line)
        if not line:
            kept.append((number, ""))
            continue
        name = _boilerplate_name(line)
        if name is None:
            for meta_name, pattern in bp.metadata:
                m = pattern.fullmatch(line)
                if m:
                    for key, value in m.groupdict().items():
                        if value and key not in metadata:
                            metadata[key] = value.strip()
                    name = meta_name
                    repairs.append(
                        Repair(source, "metadata", number, line, "", f"metadata line: {meta_name}")
                    )
                    break
            else:
                kept.append((number, line))
                continue
            continue
        furniture[number] = line
        repairs.append(Repair(source, "boilerplate", number, line, "", f"boilerplate: {name}"))

    kept = _drop_masthead(kept, source, repairs)
    width = _is_wrapped([t for _, t in kept])
    kept = _drop_furniture(kept, furniture, metadata, template, article, repairs, width)
    width = _is_wrapped([t for _, t in kept])
    kept = _furniture_tails(kept, furniture, width, source, repairs)
    paragraphs = tuple(_unwrapped_boilerplate(_paragraphs(kept, width), source, repairs))
    headline = metadata.get("headline", "")
    if not headline and paragraphs:
        first = paragraphs[0].text
        if (
            len(first) <= 160
            and not first.endswith((".", "?"))
            and len(first.split()) >= 3
            # "— the home of dogs —": a tagline; "5% rise in cruelty cases" opens
            # with its figure, a headline in sentence case with no capital at all
            and (first != first.lower() or first[:1].isdigit())
            and not _SENTENCE_BREAK.search(first)  # a headline is one sentence
        ):
            headline = first
    return CleanArticle(
        source, article.path, paragraphs, tuple(repairs), frozen_map(metadata), headline
    )


def _drop_furniture(
    lines: list[tuple[int, str]],
    dropped: dict[int, str],
    metadata: dict[str, str],
    template: frozenset[str],
    article: Article,
    repairs: list[Repair],
    width: int,
) -> list[tuple[int, str]]:
    """Judge every line with `furniture.classify` and `furniture.sweep`: furniture is
    dropped (kind "boilerplate"), stamps and bylines become metadata where they parse,
    and furniture glued to copy is cut from it; each with its reason in the log. In
    hard-wrapped text (`width`) a line that carries on the line before it, or is
    carried on by the next, is part of a paragraph and left to the paragraph checks."""
    source = article.source
    outlet = furniture.outlet_words(article)
    verdicts: list[furniture.Verdict | None] = []
    previous = ""  # the line before, if it was copy
    for index, (_, text) in enumerate(lines):
        # In hard-wrapped text only a line standing alone may be a site's template line,
        # not a piece of a wrapped sentence that happens to recur.
        alone = not width or (
            (index == 0 or not lines[index - 1][1])
            and (index + 1 == len(lines) or not lines[index + 1][1])
        )
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        if not text:
            verdicts.append(None)
        elif (
            index
            and text == lines[index - 1][1]
            and text.count(" ") >= 2
            and (not _TERMINAL.search(text) or verdicts[-1] is None or verdicts[-1].kind != "copy")
        ):
            # the line before printed again ("Headline" / "Headline"): one copy is kept,
            # and furniture printed twice stays furniture of its kind (a site notice);
            # a sentence of copy said twice is the copy's own (left to the checks)
            last = verdicts[-1]
            again = last is not None and last.kind in ("furniture", "metadata")
            verdicts.append(
                furniture.Verdict("furniture", last.reason, "")
                if again and last is not None
                else furniture.Verdict("furniture", "line printed twice", "")
            )
        elif width and (
            (previous and _continues(previous, text, width))
            or (following and _continues(text, following, width))
        ):  # a piece of a wrapped paragraph: judged whole, as a paragraph, later
            verdicts.append(furniture.Verdict("copy", "", text))
        elif template and alone and text.count(" ") < 12 and furniture.key(text) in template:
            verdicts.append(furniture.Verdict("furniture", "site template", ""))
        else:
            verdicts.append(furniture.classify(text, outlet))
        last = verdicts[-1]
        previous = text if last is not None and last.kind in ("copy", "weak") else ""
    # The first line is the headline's place: "Watch: ..." there is a kicker on a
    # headline (a video story), not a promotion inside the copy.
    top = next((i for i, verdict in enumerate(verdicts) if verdict is not None), None)
    first = verdicts[top] if top is not None else None
    if top is not None and first is not None and first.reason == "promotion or link":
        verdicts[top] = furniture.Verdict("copy", "", lines[top][1])
    placed = furniture.sweep(verdicts)
    out: list[tuple[int, str]] = []
    for (number, text), verdict, place in zip(lines, verdicts, placed, strict=True):
        if verdict is None or (
            verdict.kind in ("copy", "weak") and not place and verdict.text == text
        ):
            out.append((number, text))
            continue
        for name, value in verdict.metadata:
            metadata.setdefault(name, value)
        kind: RepairKind
        if place:
            kind, why, after = "boilerplate", f"boilerplate: {place}", ""
        elif verdict.kind == "metadata":
            kind, why, after = "metadata", f"metadata line: {verdict.reason}", ""
        elif verdict.kind == "furniture":
            kind, why, after = "boilerplate", f"boilerplate: {verdict.reason}", ""
        else:  # copy with furniture cut from it
            kind, why, after = "boilerplate", f"boilerplate: {verdict.reason}", verdict.text
        if verdict.metadata and kind == "boilerplate" and not place:
            kind = "metadata"  # a stamp or byline read, whatever else went with it
        repairs.append(Repair(source, kind, number, text, after, why))
        if after:
            out.append((number, after))
        else:
            dropped[number] = text
    return out


def _unwrapped_boilerplate(
    paragraphs: list[Paragraph], source: str, repairs: list[Repair]
) -> Iterator[Paragraph]:
    """Drop furniture that hard wrapping split over lines: each line alone matched nothing,
    so cleaning the cleaned text again would otherwise remove it then."""
    for paragraph in paragraphs:
        name = _boilerplate_name(paragraph.text)
        if name is None:
            yield paragraph
        else:
            repairs.append(
                Repair(
                    source,
                    "boilerplate",
                    paragraph.line,
                    paragraph.text,
                    "",
                    f"boilerplate: {name}",
                )
            )


FURNITURE_MAX = 400
"""Characters from which a line is copy, never furniture. Furniture is short (155 at most
in the fixtures), and the furniture patterns, which try a whole line from every position,
take time quadratic in its length when it repeats their first words ("listen to listen
to ...")."""


@table_cache
def _line_patterns() -> tuple[tuple[str, re.Pattern[str], literals.Needles], ...]:
    """The boilerplate line patterns, each with the words one of which it needs."""
    lines = domain.boilerplate().lines
    return tuple((name, p, literals.needles(p, anchored=True)) for name, p in lines)


@text_cache()
def _boilerplate_name(line: str) -> str | None:
    if len(line) >= FURNITURE_MAX:
        return None
    bp = domain.boilerplate()
    folded = literals.folded(line)
    for name, pattern, needles in _line_patterns():
        if needles is not None and literals.excluded(needles, folded):
            continue
        if pattern.fullmatch(line):
            return name
    if bp.related.fullmatch(line) and not re.search(
        r"\b(said|says|added|told)\b", line.split(":")[0]
    ):
        return bp.related_name
    return None


def _drop_masthead(
    lines: list[tuple[int, str]], source: str, repairs: list[Repair]
) -> list[tuple[int, str]]:
    """Drop short lines at the top beside removed widgets (the place under a weather box)."""
    widget_lines = {r.line for r in repairs if r.kind == "boilerplate"}
    out = list(lines)
    while out and (not out[0][1] or _is_masthead_line(out[0][1])):
        number, text = out[0]
        neighbours = {number - 1, number + 1, number - 2, number + 2}
        if text and not (neighbours & widget_lines):
            break
        if text:
            repairs.append(Repair(source, "boilerplate", number, text, "", "boilerplate: masthead"))
            widget_lines.add(number)
        out.pop(0)
    return out


def clean(articles: tuple[Article, ...]) -> tuple[CleanArticle, ...]:
    return tuple(clean_article(a) for a in articles)
