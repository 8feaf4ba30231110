"""Stage 3, claims: split cleaned articles into claims with provenance.

Claim kinds:
- `headline`: the article's headline (from metadata, or the first short line).
- `heading`: a short line without final punctuation inside the body (a
  sub-heading or standfirst).
- `rating_line`: a heading of the form "Warwickshire - requires improvement".
- `list_item`: a bulleted or numbered line.
- `sentence`: a sentence of running text (`in_quote` when it lies in a quotation).
- `quote`: the words inside one pair of quotation marks (four words or more),
  with the attribution as written: the words before a speech verb next to it
  ("Temporary Chief Constable Murray said:"), the speaker after it ('," said
  Ch Supt Daf Goddard'), a pronoun ("he insisted that “...”"), or, for a
  paragraph that opens a quotation with no attribution, the previous quotation's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from . import domain
from .caching import text_cache
from .models import Claim, ClaimKind, CleanArticle

_BULLET = re.compile(r"^(?:[-*•·▪●◦]|\d{1,2}[.)])\s+")
_HEADING_MAX_WORDS = 14
_TERMINAL = re.compile(r"[.!?…]$|[.!?]”$")
_RATING_LINE = re.compile(r"^(?P<subject>.{2,80}?)(?:\s+[-–—]|\s*:)\s+(?P<grade>.+)$")
_MIN_QUOTE_WORDS = 4

# A sentence ends at . ! ? (with any closing quotes or brackets) followed by a space
# and something that can start a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])[”’'\")\]]*\s+(?=[“\"'‘(\[]?[A-Z0-9£$€])")
_CLOSERS = "”’'\")]"


def _last_word(text: str, start: int, end: int) -> str:
    """The word (letters, digits, "_" and ".") just before the final . ! ? of
    text[start:end] and any closing marks, or "". Read backwards without slicing: after
    an abbreviation the sentence goes on, so "A. B. C. ..." rescanned a growing
    sentence at every full stop, and the regex this replaces backtracked
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
    for match in _BOUNDARY.finditer(text):
        end = match.start()
        # Include closing quotes/brackets in the sentence before the break.
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        word = _last_word(text, start, end)
        # Case matters: "No. 10" is an abbreviation, "said no." ends a sentence.
        if word and (word in abbreviations or re.fullmatch(r"[A-Za-z]", word)):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans (inside the marks) of the double quotations in a paragraph.

    An opening mark with no closing one runs to the end of the paragraph, as
    multi-paragraph quotations do.
    """
    spans = []
    i = 0
    while (open_at := text.find("“", i)) != -1:
        close_at = text.find("”", open_at + 1)
        end = close_at if close_at != -1 else len(text)
        spans.append((open_at + 1, end))
        i = end + 1
    return spans


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
    for verb in reversed(list(verbs.finditer(sentence))):
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
        return _trim_speaker(last.group("who"))
    return ""


_AFTER_ENDS = re.compile(r"[.!?“”,;]")


def _attribution_after(text: str, at: int) -> str:
    """The text after a quotation as far as an attribution there can reach: neither
    pattern of `_speaker_after` reads past the first of these marks (after a leading
    comma or full stop). Passing the whole rest of the paragraph made a paragraph of
    thousands of quotations quadratic."""
    end = _AFTER_ENDS.search(text, at + 1)
    return text[at : end.end()] if end else text[at:]


def _trim_speaker(who: str) -> str:
    """Keep the noun phrase next to the verb: drop a leading clause ("In response, ...")."""
    who = who.strip(" ,:;-–—")
    parts = [p.strip() for p in re.split(r",\s+", who) if p.strip()]
    if not parts:
        return ""
    keep = [parts[-1]]
    # "HM Chief Inspector of Constabulary, Andy Cooke" keeps the title before the comma.
    if len(parts) >= 2 and parts[-2][:1].isupper() and len(parts[-2].split()) <= 8:
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
    for index, paragraph in enumerate(article.paragraphs):
        text = paragraph.text
        kind = _kind_of(text, index, article.headline)
        if kind != "sentence":
            body = _BULLET.sub("", text) if kind == "list_item" else text
            add(kind, body, paragraph.line, index, len(text) - len(body))
            # A new section starts a new speaker: an unattributed quotation
            # after a heading is not the previous section's speaker's.
            last_speaker = "" if kind in ("heading", "rating_line") else last_speaker
            continue
        spans = quote_spans(text)
        for start, end in split_sentences(text):
            middle = (start + end) // 2
            # The last quotation opening at or before the middle (spans are in order):
            # bisected, as a paragraph can hold thousands of sentences and quotations.
            last = bisect.bisect_right(spans, middle, key=_span_start) - 1
            inside = last >= 0 and middle <= spans[last][1]
            add("sentence", text[start:end], paragraph.line, index, start, in_quote=inside)
        for qstart, qend, speaker, carried in _quotes(text, spans, last_speaker):
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
    return tuple(claims)


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
        if not speaker:
            speaker = _speaker_after(_attribution_after(text, end + 1))
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
