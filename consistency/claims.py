"""Stage 3, claims: split cleaned articles into claims with provenance.

Claim kinds:
- `headline`: the article's headline (from metadata, or the first short line).
- `heading`: a short line without final punctuation inside the body (a
  sub-heading or standfirst).
- `rating_line`: a heading of the form "Warwickshire - requires improvement".
- `list_item`: a bulleted or numbered line.
- `sentence`: a sentence of running text (`in_quote` when it lies in a quotation).
- `quote`: the words inside one pair of quotation marks (four words or more),
  double (“...”) or single ('...', the house style of many UK outlets: an
  apostrophe, as in "don't", "forces' budgets", "'90s" or "rock 'n' roll", opens
  or closes nothing), with the attribution as written: the words before a speech
  verb next to it ("Temporary Chief Constable Murray said:"), the speaker after it
  ('," said Ch Supt Daf Goddard'), a pronoun ("he insisted that “...”"), or, for a
  paragraph that opens a quotation with no attribution, the previous quotation's.
  A press release's attribution alone on a line ("Jo Bloggs, Chief Executive of
  X, said:") gives its speaker to the quotation paragraphs after it. A quotation
  left open at the end of a paragraph runs on when the next paragraph opens one
  again (a quotation over several paragraphs).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from . import domain
from .caching import table_cache, text_cache
from .models import Claim, ClaimKind, CleanArticle, cut_short

_BULLET = re.compile(r"^(?:[-*•·▪●◦]|\d{1,2}[.)])\s+")
_HEADING_MAX_WORDS = 14
_TERMINAL = re.compile(r"[.!?…]$|[.!?…][”'’)]+$")
_RATING_LINE = re.compile(r"^(?P<subject>.{2,80}?)(?:\s+[-–—]|\s*:)\s+(?P<grade>.+)$")
_MIN_QUOTE_WORDS = 4

# A sentence ends at . ! ? (with any closing quotes or brackets) followed by a space
# and something that can start a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])[”’'\")\]]*\s+(?=[“\"'‘(\[]?[A-Z0-9£$€])")
# Sentences glued together where a page dropped the space (a caption or a link's text
# run into the next sentence: "prosecuted.The", "dogs.Watch"): a full stop between a
# plain word and a capitalised word. Not "U.S.", "J.K.", "3.5" or "bbc.co.uk": the word
# before must be letters after a space (no dot, digit or slash in it), the one after a
# capital and lower case letters, and abbreviations are kept (data/sentences.toml).
_GLUED = re.compile(
    r"(?<![\w.@/])[A-Za-z][a-z]{1,40}[.!?](?P<cut>[”’'\")\]]*)(?=[A-Z][a-z]+\b(?![.@/]\w))"
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")  # "J", "J.K", "U.S"
_CLOSERS = "”’'\")]"


def _last_word(text: str, start: int, end: int) -> str:
    """The word (letters, digits, "_" and ".") just before the final . ! ? of
    text[start:end] and any closing marks, or "". Read backwards without slicing: after
    an abbreviation the sentence goes on, so slicing would rescan a growing sentence at
    every full stop of "A. B. C. ...", and a regex for the last word can backtrack
    quadratically over "x.x.x...!!"."""
    i = end
    while i > start and text[i - 1] in _CLOSERS:
        i -= 1
    if i == start or text[i - 1] not in ".!?":
        return ""
    j = i - 1
    while j > start and (text[j - 1].isalnum() or text[j - 1] in "_."):
        j -= 1
    return text[j : i - 1]


def rating_line_subject(text: str) -> str:
    """The subject of a rating line: "Warwickshire" in "Warwickshire - requires improvement"."""
    match = _RATING_LINE.match(text)
    return match.group("subject") if match else text


@text_cache()
def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences in a paragraph (cached: the versions of a
    story repeat most paragraphs)."""
    abbreviations = domain.sentence_abbreviations()
    spans: list[tuple[int, int]] = []
    start = 0
    for cut, resume in _boundaries(text):
        end = cut
        # Include closing quotes/brackets in the sentence before the break.
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        word = _last_word(text, start, end)
        # Case matters: "No. 10" is an abbreviation, "said no." ends a sentence.
        if word and (word in abbreviations or _INITIALS.fullmatch(word)):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = resume
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def _boundaries(text: str) -> list[tuple[int, int]]:
    """Where sentences may end, in order: (where the closing marks after the end
    start, where the next sentence starts), after a space or glued to it."""
    found = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)]
    if "." in text or "!" in text or "?" in text:
        glued = [(m.start("cut"), m.end("cut")) for m in _GLUED.finditer(text)]
        if glued:
            found = sorted([*found, *glued])
    return found


def quote_spans(text: str, runs_on: bool = False) -> list[tuple[int, int]]:
    """Spans (inside the marks) of the quotations in a paragraph, in order: double
    ones, and single ones ('...') with the double ones they hold.

    A double opening mark with no closing one runs to the end of the paragraph, as
    multi-paragraph quotations do; a single one does when it opens the paragraph or
    when the next paragraph opens a quotation again (`runs_on`), as an apostrophe
    that looks like an opening mark is not a quotation.
    """
    spans = []
    i = 0
    while (open_at := text.find("“", i)) != -1:
        close_at = text.find("”", open_at + 1)
        end = close_at if close_at != -1 else len(text)
        spans.append((open_at + 1, end))
        i = end + 1
    if "'" not in text:
        return spans
    singles = _single_quote_spans(text, spans, runs_on)
    if not singles:
        return spans
    # A double quotation inside a single one is part of it (UK style: 'it was
    # “awful”,' she said); single marks inside a double quotation were never read.
    # Bisected: singles are in order and do not overlap (testing each against each was
    # quadratic in a paragraph of thousands of quotations).
    kept = []
    for double in spans:
        holder = bisect.bisect_left(singles, double) - 1
        if holder < 0 or singles[holder][1] < double[1]:
            kept.append(double)
    return sorted([*kept, *singles])


@table_cache
def _quote_marks_data() -> tuple[re.Pattern[str], str]:
    raw = domain.table("sentences.toml")  # the elisions and marks: a claims-only table
    elisions = "|".join(
        re.escape(e) for e in sorted(raw.get("elisions", ()), key=len, reverse=True)
    )
    # "'90s", "'00s", "'n'", "'em": an apostrophe, not an opening mark.
    elided = re.compile(rf"'(?:\d0s|\d\ds|\d\d\b(?!\s*[a-z%])|(?:{elisions or '(?!)'})\b)")
    return elided, raw.get("quote_open_after", "([{—–-/“:")


_STRONG_CLOSE_AFTER = ".,;:!?)]}—–-”"


def _single_quote_spans(
    text: str, doubles: list[tuple[int, int]], runs_on: bool
) -> list[tuple[int, int]]:
    """Spans of the quotations in single straight marks ('...': cleaning made every
    single mark straight). A mark between letters ("don't") is an apostrophe; one
    after a space or an opening bracket opens, unless it begins an elision ("'90s",
    "rock 'n' roll"); one after a word or punctuation closes, before a space or
    punctuation. A mark after an "s" and before the next word ("the forces' budgets")
    is taken for a possessive when a surer closing mark follows."""
    elided, open_after = _quote_marks_data()
    inside_double = bytearray(len(text) + 1)
    for start, end in doubles:
        inside_double[start - 1 : end + 1] = b"\1" * (end + 1 - (start - 1))
    # (position, "open" | "close" | "weak") of each mark that can be a quotation mark.
    marks: list[tuple[int, str]] = []
    skip_next = -1
    at = -1
    while (at := text.find("'", at + 1)) != -1:
        if at == skip_next or inside_double[at]:
            continue
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue  # don't, O'Brien
        if (before.isspace() or before in open_after) and not after.isspace():
            elision = elided.match(text, at)
            if elision:
                if text.startswith("'", elision.end()):
                    skip_next = elision.end()  # the second mark of "'n'"
                continue
            if after.isalnum() or after in "“(£$€#…":
                marks.append((at, "open"))
            continue
        if not before.isspace() and (after.isspace() or after in _STRONG_CLOSE_AFTER):
            possessive = before in "sS" and at >= 2 and text[at - 2].isalpha()
            word_follows = after.isspace() and text[at + 2 : at + 3].isalnum()
            marks.append((at, "weak" if possessive and word_follows else "close"))
    # Whether a surer closing mark comes after each mark before the next opening one:
    # found in one pass from the end (looking ahead from every possessive was quadratic).
    surer_after = [False] * len(marks)
    surer = False
    for index in range(len(marks) - 1, -1, -1):
        surer_after[index] = surer
        kind = marks[index][1]
        surer = kind == "close" or (surer and kind == "weak")
    spans: list[tuple[int, int]] = []
    opened = -1
    for index, (at, kind) in enumerate(marks):
        if kind == "open":
            if opened == -1:
                opened = at
            continue
        if opened == -1:
            continue  # a possessive or a stray mark outside any quotation
        if kind == "weak" and surer_after[index]:
            continue
        spans.append((opened + 1, at))
        opened = -1
    if opened != -1 and (runs_on or not text[:opened].strip()):
        spans.append((opened + 1, len(text)))
    return [(s, e) for s, e in spans if any(c.isalpha() for c in text[s:e])]


_ATTR_BEFORE = re.compile(r"(?P<who>[^.!?“”]{0,160}?)\s+(?P<verb>\w+)\s*[:,]?\s*$")
_VERB_FIRST = re.compile(r"^[,.]?\s*(?P<verb>\w+)\s+(?P<who>[^.!?“”,;]{2,100}?)\s*(?:[.,;]|$)")
_VERB_LAST = re.compile(r"^[,.]?\s*(?P<who>[^.!?“”,;]{2,100}?)\s+(?P<verb>\w+)\s*(?:[.,;]|$)")


@text_cache()
def _speaker_before(prefix: str) -> str:
    """Attribution written before a quotation: 'X said: “' or 'he insisted that “'."""
    verbs = domain.speech().verbs
    sentence = re.split(r"(?<=[.!?])\s+", prefix.rstrip())[-1] if prefix.strip() else ""
    match = _ATTR_BEFORE.search(sentence)
    if match and verbs.fullmatch(match.group("verb")):
        return _trim_speaker(match.group("who"))
    # Reported speech: "he insisted that “more needs...”": the clause before the verb.
    # The first speech verb: in "Jo said thefts were never reported because “...”" a
    # later one is inside what was said, and the words before it are not a speaker.
    for verb in verbs.finditer(sentence):
        who = sentence[: verb.start()].rstrip()
        if who:
            return _trim_speaker(who)
    return ""


@text_cache()
def _speaker_after(suffix: str) -> str:
    """Attribution written after a quotation: '," said Ch Supt Goddard' or '," she said'."""
    verbs = domain.speech().verbs
    first = _VERB_FIRST.match(suffix)
    if first and verbs.fullmatch(first.group("verb")):
        # '," said Ch Supt Daf Goddard from the force.': the name, not where they work.
        who = re.split(r"\s+(?:from|of|at|for|who|in|on)\s+(?:the\s+)?[a-z]", first.group("who"))[0]
        return _trim_speaker(who)
    last = _VERB_LAST.match(suffix)
    if last and verbs.fullmatch(last.group("verb")):
        # '” and the rain continued.': a clause going on, not an attribution.
        return "" if _CONJUNCTION.match(last.group("who")) else _trim_speaker(last.group("who"))
    # '," Gelig told the Associated Press', '," Alejandro IV said in a news briefing.':
    # a short subject, its speech verb, and where or to whom it was said.
    clause = _CLAUSE.match(suffix)
    verb = verbs.search(clause.group("clause")) if clause else None
    if clause and verb:
        who = clause.group("clause")[: verb.start()].strip()
        if (
            who
            and len(who.split()) <= _MAX_AFTER_WORDS
            and not _RELATIVE.match(who)
            and not _CONJUNCTION.match(who)
        ):
            return _trim_speaker(who)
    return ""


_CLAUSE = re.compile(r"^[,.]?\s*(?P<clause>[^.!?“”;]{2,200})")
_MAX_AFTER_WORDS = 12
_CONJUNCTION = re.compile(
    r"(?:and|but|or|as|while|whilst|when|so|because|then|after|before|until|if|since)\b",
    re.IGNORECASE,
)


_AFTER_ENDS = re.compile(r"[.!?“”,;]")


def _attribution_after(text: str, at: int) -> str:
    """The text after a quotation as far as an attribution there can reach: neither
    pattern of `_speaker_after` reads past the first of these marks (after a leading
    comma or full stop). Passing the whole rest of the paragraph would make a paragraph
    of thousands of quotations quadratic."""
    end = _AFTER_ENDS.search(text, at + 1)
    return text[at : end.end()] if end else text[at:]


_ASIDE = re.compile(r"\s+[—–]\s+[^—–]*?(?:\s+[—–]|$)")
_RELATIVE = re.compile(r"(?:who|whose|which|whom|where)\b", re.IGNORECASE)
_APPOSITION = re.compile(r"(?:a|an)\s")
_ADVERBIAL = re.compile(
    r"(?:in|on|at|after|before|during|following|since|speaking|responding|commenting)\s",
    re.IGNORECASE,
)


def _trim_speaker(who: str) -> str:
    """Keep the noun phrase next to the verb: drop a leading clause ("In response, ...")."""
    who = who.strip(" ,:;-–—")
    # "Ben Obese-Jecty — who remained at the station — said": not the aside.
    who = _ASIDE.sub("", who).strip(" ,:;-–—")
    parts = [p.strip() for p in re.split(r",\s+", who) if p.strip()]
    # "Jo Bloggs, who led the inquiry, said": the person, not the clause about them;
    # nor "Jo Bloggs, a lecturer at the Centre for Human Science, said", whose
    # capitalised words are a place, not the speaker (the sentence keeps the title).
    while len(parts) > 1 and (_RELATIVE.match(parts[-1]) or _APPOSITION.match(parts[-1])):
        parts.pop()
    if not parts:
        return ""
    keep = [parts[-1]]
    # "HM Chief Inspector of Constabulary, Andy Cooke" keeps the title before the comma;
    # "In the report, inspectors" and "In a statement, Stellantis" do not keep an
    # adverbial opening with a preposition.
    if (
        len(parts) >= 2
        and parts[-2][:1].isupper()
        and len(parts[-2].split()) <= 8
        and not _ADVERBIAL.match(parts[-2])
    ):
        keep.insert(0, parts[-2])
    text = ", ".join(keep)
    # Clauses such as "While he acknowledges the efforts, he" end in the real subject.
    words = text.split()
    return " ".join(words[-12:])


def _kind_of(paragraph: str, index: int, headline: str) -> ClaimKind:
    if index == 0 and headline and paragraph == headline:
        return "headline"
    if _BULLET.match(paragraph):
        return "list_item"
    if len(paragraph.split()) <= _HEADING_MAX_WORDS and not _TERMINAL.search(paragraph):
        match = _RATING_LINE.match(paragraph)
        if match and domain.scales().grade_re.fullmatch(match.group("grade").strip(" '‘’“”\"")):
            return "rating_line"
        return "heading"
    return "sentence"


def article_claims(article: CleanArticle) -> tuple[Claim, ...]:
    """Every claim of one article, in reading order."""
    claims: list[Claim] = []

    def add(
        kind: ClaimKind,
        text: str,
        line: int,
        paragraph: int,
        start: int,
        speaker: str = "",
        in_quote: bool = False,
        speaker_carried: bool = False,
    ) -> None:
        text = text.strip()
        if not text:
            return
        claim_id = f"{article.source}:{len(claims) + 1:04d}"
        claims.append(
            Claim(
                claim_id,
                article.source,
                kind,
                text,
                line,
                paragraph,
                start,
                start + len(text),
                speaker,
                in_quote,
                speaker_carried,
            )
        )

    body_has_headline = bool(article.paragraphs) and article.paragraphs[0].text == article.headline
    if article.headline and not body_has_headline:
        add(
            "headline",
            article.headline,
            article.paragraphs[0].line if article.paragraphs else 1,
            -1,
            0,
        )

    last_speaker = ""
    introduced = False  # the paragraph before was an attribution alone ("X said:")
    paragraphs = article.paragraphs
    cut = cut_short(article.metadata)
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        kind = _kind_of(text, index, article.headline)
        if (
            cut
            and index == len(paragraphs) - 1
            and kind == "heading"
            and len(text.split()) <= _CUT_FRAGMENT_WORDS
        ):
            # The excerpt ended a few words into a line ("Ju", "Durin", "Merseyside
            # (24"): a scrap, not a heading. A longer cut line is kept: it still holds
            # names and figures ("Prosecutor Deanna Heer KC told").
            break
        runs_on = index + 1 < len(paragraphs) and paragraphs[index + 1].text.startswith(("“", "'"))
        # A press release's "Jo Bloggs, Chief Executive of X, said:" alone on a line:
        # its speaker is the speaker of the quotation paragraphs after it.
        release = _release_attribution(text) if runs_on and kind != "list_item" else ""
        if kind != "sentence":
            body = _BULLET.sub("", text) if kind == "list_item" else text
            add(kind, body, paragraph.line, index, len(text) - len(body))
            # A new section starts a new speaker: an unattributed quotation
            # after a heading is not the previous section's speaker's.
            last_speaker = "" if kind in ("heading", "rating_line") else last_speaker
            if release:
                last_speaker, introduced = release, True
            continue
        spans = quote_spans(text, runs_on)
        for start, end in split_sentences(text):
            middle = (start + end) // 2
            # The last quotation opening at or before the middle (spans are in order):
            # bisected, as a paragraph can hold thousands of sentences and quotations.
            last = bisect.bisect_right(spans, middle, key=_span_start) - 1
            inside = last >= 0 and middle <= spans[last][1]
            add("sentence", text[start:end], paragraph.line, index, start, in_quote=inside)
        was_introduced, introduced = introduced, False
        for qstart, qend, speaker, carried in _quotes(text, spans, last_speaker):
            # The first quotation after "X said:" is X's as if written beside it.
            carried = carried and not (was_introduced and qstart == 1)
            words = text[qstart:qend].split()
            if len(words) >= _MIN_QUOTE_WORDS:
                add(
                    "quote",
                    text[qstart:qend].strip(),
                    paragraph.line,
                    index,
                    qstart,
                    speaker,
                    True,
                    carried,
                )
            if speaker:
                last_speaker = speaker
        if release and (not spans or spans[-1][1] < len(text) - 1):
            last_speaker, introduced = release, True
    return tuple(claims)


_CUT_FRAGMENT_WORDS = 3
"""At most this many words on the last line of a text stored cut short, read as no
sentence: what the excerpt kept of a line it cut."""

_RELEASE_END = re.compile(r"\w\s*:$")


def _release_attribution(text: str) -> str:
    """The speaker of a paragraph that ends introducing the quotation after it ("Jo
    Bloggs, Chief Executive of X, said:", "In response, the inspector said:"), or ""."""
    if not _RELEASE_END.search(text):
        return ""
    last = split_sentences(text)[-1:]
    sentence = text[last[0][0] :] if last else text
    if "“" in sentence or "”" in sentence:
        return ""
    match = _ATTR_BEFORE.search(sentence)
    if not match or not domain.speech().verbs.fullmatch(match.group("verb")):
        return ""
    return _trim_speaker(match.group("who"))


def _pronoun(who: str) -> bool:
    return who.lower() in domain.speech().pronouns


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _quotes(
    text: str, spans: list[tuple[int, int]], last_speaker: str
) -> Iterator[tuple[int, int, str, bool]]:
    """Each quotation span with its attribution as written, and whether that was
    carried over from an earlier quotation rather than written beside this one."""
    attributed: list[str] = []
    previous_end = 0  # spans are in order and do not overlap
    for start, end in spans:
        between = text[previous_end + 1 if previous_end else 0 : start - 1]
        previous_end = end
        speaker = _speaker_before(between) if between.strip() else ""
        if not speaker or _TERMINAL.search(between.rstrip()):
            # A quotation opening a new sentence ('Jo said X. “...,” Sam said.') is
            # the attribution after it's; the sentence before speaks for it only
            # when nothing after does or a pronoun there points back to it ('Jo
            # said X. “...,” she said.').
            after = _speaker_after(_attribution_after(text, end + 1))
            if after and not (speaker and _pronoun(after)):
                speaker = after
        carried = not speaker
        if not speaker and start == 1:
            # A paragraph that opens with a quotation and names nobody continues
            # the quotation of the paragraph before.
            speaker = last_speaker
        if not speaker and attributed:
            speaker = attributed[-1]
        attributed.append(speaker)
        yield start, end, speaker, carried and bool(speaker)


def extract_claims(articles: tuple[CleanArticle, ...]) -> tuple[Claim, ...]:
    return tuple(c for a in articles for c in article_claims(a))
