"""The quotations detector's shortcuts give the answers of the slow paths they replace.

Each slow path is kept here as it was written before the shortcut (reading a text's
words and punctuation token by token, counting the words two quotations share pair by
pair, ranking a quotation's narrative partners once per copy, tokenizing word by word
with each word's zone), and hypothesis compares the two on texts and feeds made to
meet the cases the shortcut takes apart: copies of one text in several sources, words
in more quotations than the cap, ties between partners, figures, dates and hedges,
quotation marks and equivalent spellings.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import caching, claimdiff, domain
from consistency.claimdiff import Token, Zone, tokenize
from consistency.detectors import quotes
from consistency.detectors.quotes import (
    _DASHES,
    _MARKS,
    _Quoted,
    _spelled,
    _Words,
)
from consistency.models import Claim
from consistency.numbers import reading

# --- the slow paths, as they were ----------------------------------------------------


def _tokenize_slow(text: str, in_quote: bool = False) -> tuple[Token, ...]:
    zones = claimdiff._zones(text, in_quote)
    zone_starts = [z.start for z in zones]
    raw: list[Token] = []
    for match in claimdiff._WORD.finditer(text):
        word = match.group()
        at = bisect_right(zone_starts, match.start()) - 1
        zone: Zone = zones[at].zone if at >= 0 and match.start() < zones[at].end else "text"
        capitalised = word[:1].isupper()
        keys = claimdiff.word_keys(word)
        raw += [Token(k, match.start(), match.end(), zone, capitalised) for k in keys]
    return _apply_equivalents_slow(raw)


def _apply_equivalents_slow(tokens: list[Token]) -> tuple[Token, ...]:
    equivalents = claimdiff._equivalents()
    starts = claimdiff._equivalent_starts()
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        longest = starts.get(tokens[i].key, 0)
        for size in range(min(longest, len(tokens) - i), 0, -1):
            window = tuple(t.key for t in tokens[i : i + size])
            replacement = equivalents.get(window)
            if replacement is not None:
                first, last = tokens[i], tokens[i + size - 1]
                out += [
                    Token(k, first.start, last.end, first.zone, first.capitalised)
                    for k in replacement
                ]
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def _figure_start_slow(written: str, start: int) -> int:
    lowered = re.sub(r"\s+", " ", written.lower())
    hedges = {*domain.lexicon().hedges, *reading().time_hedges}
    for hedge in sorted(hedges, key=len, reverse=True):
        if lowered.startswith(hedge + " "):
            skip = re.match(r"(?:\S+\s+){%s}" % len(hedge.split()), written)  # noqa: UP031
            return start + (skip.end() if skip else 0)
    return start


def _words_slow(text: str) -> _Words:
    tokens, years = quotes._quantities_as_words(text, tokenize(text))
    punct: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1].start if i + 1 < len(tokens) else len(text)
        punct.append(
            "".join(
                _DASHES.get(ch, ch)
                for ch in text[token.end : following]
                if not ch.isspace() and ch not in _MARKS
            )
        )
    return _Words(
        tuple(_spelled(t.key) for t in tokens),
        tuple(text[t.start : t.end] for t in tokens),
        tuple(punct),
        tuple(years.get(t.start, "") for t in tokens),
    )


def _candidates_slow(members: list[_Quoted]) -> list[tuple[_Quoted, _Quoted]]:
    function_words = domain.wording().function_words
    words_of = [
        {w for w in quotes._words(m.text).words if w not in function_words} for m in members
    ]
    index: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(words_of):
        for w in words:
            index[w].append(i)
    source_of = [m.source for m in members]
    cap = max(quotes.MAX_WORD_QUOTES, 2 * len(set(source_of)))
    shared: dict[tuple[int, int], int] = {}
    for holders in index.values():
        if len(holders) > cap:
            continue
        for x, i in enumerate(holders):
            source = source_of[i]
            for j in holders[x + 1 :]:
                if source_of[j] != source:
                    pair = (i, j)
                    shared[pair] = shared.get(pair, 0) + 1
    partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (i, j), count in shared.items():
        if count >= min(2, len(words_of[i]), len(words_of[j])):
            partners[i].append((-count, j))
            partners[j].append((-count, i))
    kept: set[tuple[int, int]] = set()
    for i, found in partners.items():
        for _, j in sorted(found)[: quotes.MAX_PARTNERS]:
            kept.add((min(i, j), max(i, j)))
    pairs = [sorted((members[i], members[j]), key=lambda q: q.claim_id) for i, j in kept]
    return sorted(((a, b) for a, b in pairs), key=lambda p: (p[0].claim_id, p[1].claim_id))


def _partners_slow(q_text: str, q_source: str, index: dict[str, list[Claim]]) -> list[Claim]:
    """`_narrated`'s partners of one quotation as it counted them, copy by copy."""
    function_words = domain.wording().function_words
    shared: Counter[str] = Counter()
    claims_by_id: dict[str, Claim] = {}
    for word in set(quotes._words(q_text).words) - function_words:
        holders = index.get(word, ())
        if len(holders) > quotes.MAX_WORD_QUOTES:
            continue
        for claim in holders:
            if claim.source != q_source:
                shared[claim.claim_id] += 1
                claims_by_id[claim.claim_id] = claim
    return [
        claims_by_id[claim_id]
        for claim_id, count in shared.most_common(quotes.MAX_PARTNERS)
        if count >= quotes.MIN_RUN_WORDS
    ]


# --- texts that meet the shortcuts' cases ---------------------------------------------

PIECES = [
    "the",
    "inspectors",
    "found",
    "Police",
    "PCC",
    "HM",
    "eleven",
    "12",
    "per cent",
    "10%",
    "£50m",
    "£50 million",
    "nearly 300",
    "about 7.40pm",
    "11:45 a.m.",
    "shortly after midnight",
    "2 March 2023",
    "March 2",
    "on Monday",
    "no one",
    "organized",
    "organised",
    "crueller",
    "force's",
    "Force’s",
    "well-being",
    "said",
    "“good”",
    "“we must improve”",
    "'outstanding'",
    "— and",
    "–",
    "...",
    ",",
    ".",
    "!",
    ";",
    "(",
    ")",
    "\n",
]

texts = st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join) | st.text(
    alphabet="ab Z1.,“”'’-—%£:", max_size=30
)

settled = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fresh() -> None:
    caching.clear_caches(tables=False)


# --- words ---------------------------------------------------------------------------


@settled
@given(texts, st.booleans())
def test_tokenize_of_one_zone_gives_the_tokens_word_by_word(text: str, in_quote: bool) -> None:
    _fresh()
    assert tokenize(text, in_quote) == _tokenize_slow(text, in_quote)


@settled
@given(texts)
def test_words_read_once_per_text_are_the_words_token_by_token(text: str) -> None:
    _fresh()
    assert quotes._words(text) == _words_slow(text)
    assert quotes._word_keys(text) == _words_slow(text).words


@settled
@given(
    st.sampled_from(["", "nearly ", "about  ", "Shortly after ", "more than ", "up to\n"]),
    st.sampled_from(["300", "7.40pm", "midnight", "£50m", "a dozen"]),
    st.integers(0, 50),
)
def test_a_figures_hedge_is_measured_from_one_table(hedge: str, figure: str, at: int) -> None:
    _fresh()
    written = hedge + figure
    assert quotes._figure_start(written, at) == _figure_start_slow(written, at)


# --- candidates ----------------------------------------------------------------------

SENTENCES = [
    "We will not tolerate violence against our officers in any form.",
    "We will not tolerate violence against our staff.",
    "Officers responded quickly and the area was cordoned off.",
    "The area was cordoned off while officers responded.",
    "Eleven people were injured, nearly 300 evacuated.",
    "11 people were injured and about 300 were evacuated.",
    "Our thoughts are with the family.",
    "Thoughts.",
    "the",
]


@st.composite
def story_quotations(draw: st.DrawFn) -> list[_Quoted]:
    """Quotations of one story: a few sources printing copies of a few texts."""
    count = draw(st.integers(0, 20))
    members = []
    for i in range(count):
        source = draw(st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"]))
        text = draw(st.sampled_from(SENTENCES))
        members.append(_Quoted(f"{source}#{i:02d}", source, "", "", text, f"{source}#{i:02d}"))
    return members


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story_quotations(), st.integers(1, 12), st.integers(1, 13))
def test_candidates_counted_per_distinct_text_are_those_counted_per_pair(
    members: list[_Quoted], cap: int, partners: int
) -> None:
    _fresh()
    # A small cap and few partners reach the rules they stand for with a few quotations.
    with (
        patch.object(quotes, "MAX_WORD_QUOTES", cap),
        patch.object(quotes, "MAX_PARTNERS", partners),
    ):
        assert quotes._candidates(None, members) == _candidates_slow(members)  # type: ignore[arg-type]


# --- narrated partners ---------------------------------------------------------------


@st.composite
def plain_claims(draw: st.DrawFn) -> list[Claim]:
    count = draw(st.integers(0, 16))
    out = []
    for i in range(count):
        source = draw(st.sampled_from(["a.txt", "b.txt", "c.txt"]))
        text = draw(st.sampled_from(SENTENCES))
        out.append(Claim(f"{source}#{i:02d}", source, "sentence", text, 1, 0, 0, len(text)))
    return out


@settled
@given(
    plain_claims(),
    st.sampled_from(SENTENCES),
    st.lists(st.sampled_from(["a.txt", "b.txt", "c.txt"]), min_size=1, max_size=4),
    st.integers(1, 20),
    st.integers(1, 13),
)
def test_narrated_partners_ranked_once_per_text_are_those_ranked_per_copy(
    claims: list[Claim], text: str, sources: list[str], cap: int, partners: int
) -> None:
    _fresh()
    function_words = domain.wording().function_words
    index: dict[str, list[Claim]] = defaultdict(list)
    index_slow: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for word in quotes._content_words(claim.text):
            index[word].append(claim)
        for word in set(quotes._words(claim.text).words) - function_words:
            index_slow[word].append(claim)
    assert index == index_slow
    with (
        patch.object(quotes, "MAX_WORD_QUOTES", cap),
        patch.object(quotes, "MAX_PARTNERS", partners),
    ):
        ranked = quotes._sharing(text, index, function_words)
        for source in sources:  # the copies of one quotation in several sources
            fast = itertools.islice((c for c in ranked if c.source != source), quotes.MAX_PARTNERS)
            assert list(fast) == _partners_slow(text, source, index_slow)


# --- quoted phrases --------------------------------------------------------------------


@settled
@given(texts, st.booleans(), st.booleans())
def test_one_sentence_printed_alike_has_no_quoted_phrase_changed(
    text: str, quote_a: bool, quote_b: bool
) -> None:
    """The shortcut `_quoted_phrases` takes for two versions of one text."""
    _fresh()
    assert quotes._phrase_finding(text, quote_a, text, quote_b) is None
