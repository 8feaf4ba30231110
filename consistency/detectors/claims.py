"""Claim-level detectors: what changed between two versions of one claim.

Claims are compared in pairs: each claim of a source is paired with at most one
claim of another source, best match first, so that in a templated story
("Warwickshire was rated good in 3 areas", "West Mercia was rated good in 4
areas") each sentence is compared with its own counterpart. Matched pairs
(`fuzz.ratio` at or above the match cutoff) are compared in full; related pairs
(paraphrases) only where a change sits between shared phrases
(`claimdiff.sandwiched`). Quotations and their attributions are left to the
quotation detectors; grades to the grade detectors.

Each difference is given to the first kind that explains it:

- `date_conflict`: the changed words hold a date or a time of day and the two
  disagree. High for absolute dates and exact times; a relative date ("eleven months
  on") is medium, or low when the sources were published on different days; times a
  few minutes apart, or within a hedged time, are low.
- `number_conflict`: one quantity of one thing read two ways (`numbers.judge`: a
  value with a hedge as a range, and a unit). High where both are read with confidence
  and contradict; medium for hedges touching from opposite sides, or a share in words
  or a vague amount that does not admit the figure; low for hedged rounding, a hedge
  added to the same figure ("almost 300" / "300") or a figure replaced by other words.
  Rows name each version's publication time where known.
- `polarity_conflict`: the change adds or removes a negation (or a negating prefix,
  "sufficient" / "insufficient") and nothing else (high), or a prefixed opposite
  stands among other changed words (medium).
- `name_variant`: a named thing written two ways that can be one name (`_names`):
  a misspelling, garbled initials or a former name (medium); a short form, or
  spacing, hyphens or accents only (low). Two names that cannot be one ("Cleveland
  Fire Brigade" / "Staffordshire Fire and Rescue Service", two people's names), or
  that the sources both use elsewhere, mean the claims are about different
  subjects: nothing is reported for the pair.
- `claim_altered`: medium for a quantifier or a modality of another rank ("some" /
  "all", "will" / "could", "the proposed closure" / "the closure") or words of
  opposite meaning (data/meaning.toml); low for any other changed content word (a
  paraphrase); nothing for synonyms of one group or a reference ("the force") to an
  organisation the article names.
Words only one version has (an added detail) are not a change of the claim, unless
they are a modal or status word.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Literal, NamedTuple, TypeVar, cast

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .. import domain
from ..caching import TEXT_CACHE_SIZE, table_cache, text_cache
from ..claimdiff import (
    Hunk,
    Token,
    antonym_pair,
    content_words,
    diff,
    initialism,
    is_name,
    modality_change,
    name_around,
    negation_count,
    opposite_pair,
    polarity_only,
    quantifier_change,
    quantifier_ranks,
    same_stems,
    sandwiched,
    shared_run_share,
    squeezed,
    synonymous,
    tokenize,
)
from ..frames import FIGURE_WHY, frame_changes
from ..keys import is_title, org_key
from ..models import Claim, ClaimMatch, CleanArticle, Discrepancy, Severity
from ..numbers import (
    DateMention,
    Quantity,
    dates,
    judge,
    listed,
    quantities,
    reading,
    vague_amount,
)
from ..rarity import zipf
from ..settings import SCORER, WORDS_SCORER
from .base import Context, cluster_topic, make, side
from .facts import NUMBER_CONFLICT, counted_as, same_count
from .registry import Detector, Kind

NAME_VARIANT = Kind(
    "name_variant", ("medium", "low"), "a named thing written two ways that can be one name"
)
"""Declared here and reported by the spelling detector too (detectors/spelling.py), which
compares the names of a whole story where this family compares matched claims."""

CLAIM_ALTERED = Kind(
    "claim_altered",
    ("medium", "low"),
    "matched claims differ in meaning (medium) or only in wording (low)",
)
"""Declared here and reported by the spelling detector too: a place a story's sources
put in one region, one source in another (detectors/spelling.py)."""

Report = Callable[[str, Severity, str, str, str], None]
"""Records one finding: (kind, severity, value_a, value_b, why)."""


MIN_RELATED_SHARE = 0.25
"""A related pair is compared only if this share of the shorter claim lies in shared
runs of three or more words: below it, two sentences share a stock phrase at most."""
MAX_CHANGE_WORDS = 5
"""A longer stretch replaced by another is a rewrite, not a changed word."""


@text_cache()
def _related_share(text_a: str, quote_a: bool, text_b: str, quote_b: bool) -> float:
    return shared_run_share(tokenize(text_a, quote_a), tokenize(text_b, quote_b))


Alignment = Literal["matched", "related", "loose"]
"""How a pair of claims is aligned, and so how it is compared: `matched` (fuzz.ratio at
or above the cutoff) word by word in full; `related` (a paraphrase sharing phrases, or
a rewrite paired by its rare words) where a change sits between shared phrases, and on
its frames (consistency.frames); `loose` (related by fuzz.ratio but sharing little in
phrases) on its frames only."""


def aligned_pairs(ctx: Context) -> tuple[tuple[ClaimMatch, Alignment], ...]:
    """(pair, alignment): each claim paired at most once per other source, best pair
    first (`align`, once per context)."""
    return ctx.aligned


def align(ctx: Context) -> list[tuple[ClaimMatch, Alignment]]:
    """(pair, alignment): each claim paired at most once per other source, best pair first.

    Matched pairs rank by score, before any related pair, and those matched as
    written before those matched only with their slots masked (`keys.masked_text`):
    masked, "Warwickshire was rated good in 3 areas" reads the same as "West Mercia
    was rated good in 4 areas", and a claim's counterpart is the one that also reads
    most alike as written. Related pairs rank by how much of them lies in shared
    phrases (fuzz.ratio near 50 says little). A pair related by fuzz.ratio with less
    than MIN_RELATED_SHARE in shared phrases, or by its rare words alone (a rewrite),
    ranks last and is `loose`: a word changed between two shared phrases of two
    claims that share little else is no sign of one claim reworded, and such pairs
    are compared on their frames only.
    """
    ranked: list[tuple[str, str, int, float, str, str, ClaimMatch, Alignment]] = []
    claims = ctx.claims
    # Every matched pair of the feed passes here: a plain loop, the pair's sources in
    # order by one comparison rather than a sort.
    for m in ctx.matching.matches:
        a, b = claims[m.claim_a], claims[m.claim_b]
        if a.kind == "quote" or b.kind == "quote":
            continue
        tier = 0 if m.scorer == SCORER else 1
        first, second = (a.source, b.source) if a.source <= b.source else (b.source, a.source)
        ranked.append((first, second, tier, -m.score, m.claim_a, m.claim_b, m, "matched"))
    for m in ctx.matching.related:
        a, b = claims[m.claim_a], claims[m.claim_b]
        if a.kind == "quote" or b.kind == "quote":
            continue
        how: Alignment = "related"
        share = _related_share(a.text, a.in_quote, b.text, b.in_quote)
        tier, value = 2, -share
        if share < MIN_RELATED_SHARE or m.scorer == WORDS_SCORER:
            tier, how = 3, "loose"
        first, second = (a.source, b.source) if a.source <= b.source else (b.source, a.source)
        ranked.append((first, second, tier, value, m.claim_a, m.claim_b, m, how))
    # One sort over every source pair, by pair, then rank, then ids (a key of plain
    # fields, read in C, rather than a tuple built per pair).
    ranked.sort(key=itemgetter(0, 1, 2, 3, 4, 5))
    out: list[tuple[ClaimMatch, Alignment]] = []
    used: set[str] = set()
    current_first = current_second = None
    for first, second, _tier, _value, claim_a, claim_b, m, how in ranked:
        if first != current_first or second != current_second:
            current_first, current_second, used = first, second, set()
        if claim_a in used or claim_b in used:
            continue
        used.update((claim_a, claim_b))
        out.append((m, how))
    return out


@dataclass
class _Finding:
    severity: Severity
    value_a: list[str] = field(default_factory=list)
    value_b: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    def add(self, severity: Severity, a: str, b: str, why: str) -> None:
        if _RANK[severity] < _RANK[self.severity]:
            self.severity = severity
        if (a, b) not in zip(self.value_a, self.value_b, strict=True):
            self.value_a.append(a)
            self.value_b.append(b)
            self.why.append(why)


_RANK = {"high": 0, "medium": 1, "low": 2}
_T = TypeVar("_T")


class _Bounds(NamedTuple):
    """The starts and the ends of items found in order, for `_touching`."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]


@dataclass(frozen=True)
class _Facts:
    """What a claim's running text says in numbers and dates, and where its grades are."""

    dates: tuple[DateMention, ...]
    quantities: tuple[Quantity, ...]
    grades: tuple[tuple[int, int], ...]
    date_bounds: _Bounds
    quantity_bounds: _Bounds
    grade_bounds: _Bounds

    @classmethod
    @text_cache(TEXT_CACHE_SIZE // 8)
    def of(cls, text: str) -> _Facts:
        found_dates = dates(text)
        found = quantities(text, [(d.start, d.end) for d in found_dates])
        grades = tuple((m.start(), m.end()) for m in domain.scales().grade_re.finditer(text))
        return cls(
            tuple(found_dates),
            tuple(found),
            grades,
            _bounds([(d.start, d.end) for d in found_dates]),
            _bounds([(q.start, q.end) for q in found]),
            _bounds(grades),
        )


def _bounds(spans: Iterable[tuple[int, int]]) -> _Bounds:
    spans = list(spans)
    return _Bounds(tuple(a for a, _ in spans), tuple(b for _, b in spans))


def _touching(items: tuple[_T, ...], bounds: _Bounds, span: tuple[int, int]) -> tuple[_T, ...]:
    """The items that `_touches` a changed span. Items found by one pattern are in order
    and never overlap, so their starts and ends are both sorted and the ones touching
    form one run, found by bisection: testing every item for every change would be
    quadratic in a pair of long claims differing throughout."""
    starts, ends = bounds
    if span[0] == span[1]:
        return items[bisect.bisect_left(ends, span[0]) : bisect.bisect_right(starts, span[0])]
    return items[bisect.bisect_right(ends, span[0]) : bisect.bisect_left(starts, span[1])]


def _span(tokens: tuple[Token, ...], at: int) -> tuple[int, int]:
    return (tokens[0].start, tokens[-1].end) if tokens else (at, at)


def _same_referent(ctx: Context, a: Claim, b: Claim, hunk: Hunk) -> bool:
    """One side names an organisation or person, the other refers to it ("the force",
    "he", "its"), and the extract stage resolved the reference to that name."""
    generic = domain.organisations().generic
    sides = ((hunk.a, a, hunk.b, b, hunk.b_at), (hunk.b, b, hunk.a, a, hunk.a_at))
    for tokens, claim, named, other, at in sides:
        if not is_name(named):
            continue
        written = " ".join(t.key for t in tokens)
        if any(pattern.fullmatch(written) for pattern, _kind in generic):
            name = name_around(other.text, *_span(named, at))
            keys = {o.key for o in ctx.orgs_by_claim.get(claim.claim_id, [])}
            if org_key(name) in keys:
                return True
    return False


def _touches(start: int, end: int, span: tuple[int, int]) -> bool:
    """Whether [start, end) overlaps a changed span, or holds an insertion point."""
    if span[0] == span[1]:
        return start <= span[0] <= end
    return start < span[1] and span[0] < end


_MEANING_CHANGES: tuple[tuple[Callable[[Hunk], tuple[str, str] | None], tuple[str, str]], ...] = (
    (
        quantifier_change,
        ("claim_altered", "the versions speak of different shares of a whole (a quantifier)"),
    ),
    (opposite_pair, ("claim_altered", "the versions use words of opposite meaning")),
    (
        antonym_pair,
        (
            "polarity_conflict",
            "one version has a word the other negates by its prefix, among other changes",
        ),
    ),
)
"""A changed word that changes what a claim means, tried in order: the test, then the
row's kind and explanation (each reported medium)."""


def claim_changes(ctx: Context) -> Iterator[Discrepancy]:
    people = ctx.facts.people_by_surname
    named = _named_by_source(ctx)
    articles = _Articles(ctx.articles)
    for m, how in aligned_pairs(ctx):
        a, b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
        if a.text == b.text and a.in_quote == b.in_quote:
            continue  # most copies carry most claims word for word
        changed = _running_text_changes(
            a.text,
            a.in_quote,
            b.text,
            b.in_quote,
            _opens_article(a) and _opens_article(b),
            how == "matched",
        )
        findings: dict[str, _Finding] | None = {}
        if changed is not None and how != "loose":
            hunks, negation_flip = changed
            findings = _classify_pair(
                ctx, a, b, list(hunks), people, named, negation_flip, articles
            )
        if findings is None:
            continue  # the two claims are about different subjects
        _frames(ctx, a, b, findings, articles, how == "matched")
        for kind, finding in sorted(findings.items()):
            yield _row(ctx, kind, finding, a, b, m.score)


def _frames(
    ctx: Context,
    a: Claim,
    b: Claim,
    findings: dict[str, _Finding],
    articles: _Articles,
    matched: bool = False,
) -> None:
    """Adds to `findings` the changes of meaning two loosely aligned claims show on
    their frames (consistency.frames). One place named for another counts only when
    neither source writes the other's place (`_other_place`)."""
    for change in frame_changes(a.text, a.in_quote, b.text, b.in_quote, matched):
        kind: str = change.kind
        severity: Severity = change.severity
        why = change.why
        if kind == "place":
            if not _other_place(ctx, a, b, change.value_a, change.value_b, articles):
                continue
            kind = "claim_altered"
        elif kind == "record":
            kind = "date_conflict"
        elif kind == "time":
            if "date_conflict" in findings or change.times is None:
                continue
            first, second = change.times
            verdict = None if first.value == second.value else _time_verdict(first, second)
            if verdict is None:
                continue
            # Aligned on their words, not read word by word: never high.
            kind, why = "date_conflict", verdict.why
            severity = "low" if verdict.severity == "low" else "medium"
        elif why == FIGURE_WHY and any(
            change.value_a.split()[0] in " ".join(f.value_a) for f in findings.values()
        ):
            continue  # the figure is judged already (`_numbers`)
        found = findings.setdefault(kind, _Finding(severity))
        found.add(severity, change.value_a, change.value_b, why)


def _other_place(
    ctx: Context, a: Claim, b: Claim, place_a: str, place_b: str, articles: _Articles
) -> bool:
    """Whether two places named in one frame are one place named for another: two
    names that cannot be one (`_kinship`), and not each written by both sources (two
    versions each naming both speak of both: "flew to Cebu" / "flew to Bogo")."""
    if _kinship(place_a, place_b) is not None or _within(place_a, place_b):
        return False
    if (
        org_key(place_a) == org_key(place_b)
        or initialism(place_a) == place_b
        or initialism(place_b) == place_a
    ):
        return False  # one body by a known alias or its initials ("HMICFRS")
    orgs = {o.key for claim in (a, b) for o in ctx.orgs_by_claim.get(claim.claim_id, [])}
    if org_key(place_a) in orgs or org_key(place_b) in orgs:
        return False  # an organisation: one for another is a name's business (`_names`)
    return not (articles.writes(a.source, place_b) and articles.writes(b.source, place_a))


def _within(place_a: str, place_b: str) -> bool:
    """Whether one place's name starts another's: "Cambridge" and "Cambridgeshire", a
    town and its county, one place named at two scales."""
    words_a, words_b = _place_words(place_a), _place_words(place_b)
    return any(x.startswith(y) or y.startswith(x) for x in words_a for y in words_b)


def _place_words(name: str) -> set[str]:
    """A place name's words that name it: "Co Mayo" is "mayo", "County Galway" is
    "galway" (short words and the generic "county" left out)."""
    return {w for w in _name_words(name, True) if len(w) > 3 and w != "county"}


class _Articles:
    """The feed's articles by source, indexed once per check: whether a source's article
    writes a name is asked pair by pair, and a scan of the feed for each question would
    make the claim detectors quadratic in the feed."""

    def __init__(self, articles: Iterable[CleanArticle]) -> None:
        self._all = articles
        self._by_source: dict[str, list[CleanArticle]] | None = None

    def of(self, source: str) -> list[CleanArticle]:
        if self._by_source is None:
            self._by_source = defaultdict(list)
            for article in self._all:
                self._by_source[article.source].append(article)
        return self._by_source.get(source, [])

    def writes(self, source: str, name: str) -> bool:
        """Whether a source's article writes every word of a name (`_place_words`),
        accents and case aside ("Storm Éowyn" writes "Storm Eowyn")."""
        words = _place_words(name)
        written: set[str] = set()
        for article in self.of(source):
            for text in (article.headline, *(p.text for p in article.paragraphs)):
                written |= _text_name_words(text)
        return bool(words) and words <= written

    def written_in(self, source: str, name: str) -> bool:
        """Whether a source's article writes a name ("... Services (HMICFRS)")."""
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        articles = self.of(source)
        return any(
            pattern.search(paragraph.text)
            for article in articles
            for paragraph in article.paragraphs
        ) or any(pattern.search(article.headline) for article in articles)


@text_cache()
def _text_name_words(text: str) -> frozenset[str]:
    """The words of a headline or paragraph as `_name_words` folds them (cached: versions
    repeat their paragraphs)."""
    return frozenset(_name_words(text, True))


@text_cache()
def _running_text_changes(
    text_a: str, quote_a: bool, text_b: str, quote_b: bool, headlines: bool, matched: bool
) -> tuple[tuple[Hunk, ...], bool] | None:
    """The hunks in running text between two claims, and whether they differ by a
    negation; None when there is nothing to judge. A function of the two texts
    alone, so cached: the same two wordings meet once per pair of versions."""
    ta, tb = tokenize(text_a, quote_a), tokenize(text_b, quote_b)
    if headlines:
        # An outlet's label before a headline ("In full:") is page furniture.
        ta = tuple(t for t in ta if t.start >= _label_end(text_a))
        tb = tuple(t for t in tb if t.start >= _label_end(text_b))
    if [t.key for t in ta] == [t.key for t in tb]:
        return None
    hunks = diff(ta, tb)
    if not matched:
        # In a run a rewrite holds, only a name written two ways is still one change
        # ("Bogo" / "Bugo"): other words there are the rewrite's.
        names = [h for h in sandwiched(hunks, rewrites=True) if is_name(h.a) and is_name(h.b)]
        hunks = sorted(sandwiched(hunks) + names, key=lambda h: h.a_at)
    hunks = [h for h in hunks if h.zones <= {"text"}]
    if not hunks or _reordered(hunks):
        return None
    return tuple(hunks), negation_count(ta) % 2 != negation_count(tb) % 2


MAX_LABEL_WORDS = 3
"""A headline's label ("Watch:", "In full:") is at most this many words before a colon."""


def _opens_article(claim: Claim) -> bool:
    """The headline, or the first words of the first paragraph (a long headline is
    read as a sentence)."""
    return claim.kind == "headline" or (claim.paragraph == 0 and claim.start == 0)


def _label_end(headline: str) -> int:
    colon = headline.find(":")
    return colon if colon > 0 and len(headline[:colon].split()) <= MAX_LABEL_WORDS else 0


def _reordered(hunks: list[Hunk]) -> bool:
    """The versions hold the same words, only in another order ("cars and weapons")."""
    words_a = Counter(t.key for h in hunks for t in h.a)
    words_b = Counter(t.key for h in hunks for t in h.b)
    return bool(words_a) and words_a == words_b


def _classify_pair(
    ctx: Context,
    a: Claim,
    b: Claim,
    hunks: list[Hunk],
    people: Mapping[str, frozenset[str]],
    named: dict[str, set[str]],
    negation_flip: bool,
    articles: _Articles,
) -> dict[str, _Finding] | None:
    """Each hunk given to the first kind that explains it; None if the claims are about
    different subjects. `negation_flip`: the two claims' running texts hold an odd
    number of negations between them, so a change of polarity is possible at all
    ("has not yet published" / "has yet to publish" hold one each)."""
    facts_a, facts_b = _Facts.of(a.text), _Facts.of(b.text)
    findings: dict[str, _Finding] = {}

    def found(kind: str, severity: Severity, value_a: str, value_b: str, why: str) -> None:
        findings.setdefault(kind, _Finding(severity)).add(severity, value_a, value_b, why)

    for hunk in hunks:
        span_a, span_b = _span(hunk.a, hunk.a_at), _span(hunk.b, hunk.b_at)
        if _touching(facts_a.grades, facts_a.grade_bounds, span_a) or _touching(
            facts_b.grades, facts_b.grade_bounds, span_b
        ):
            continue  # grades are the grade detectors' work
        if polarity_only(hunk) and (negation_flip or not _has_negation(hunk)):
            found(
                "polarity_conflict",
                "high",
                hunk.text_a(a.text) or "(no negation)",
                hunk.text_b(b.text) or "(no negation)",
                "one version negates what the other asserts",
            )
            continue
        dates_a = list(_touching(facts_a.dates, facts_a.date_bounds, span_a))
        dates_b = list(_touching(facts_b.dates, facts_b.date_bounds, span_b))
        if dates_a or dates_b:
            for da, db in zip(dates_a, dates_b, strict=False):
                dated = _date_verdict(ctx, a, b, da, db)
                if dated:
                    found("date_conflict", dated.severity, da.text, db.text, dated.why)
            if dates_a and dates_b:
                continue
        numbers_a = list(_touching(facts_a.quantities, facts_a.quantity_bounds, span_a))
        numbers_b = list(_touching(facts_b.quantities, facts_b.quantity_bounds, span_b))
        if numbers_a or numbers_b:
            _numbers(hunk, a, b, numbers_a, numbers_b, found)
            continue
        if max(len(hunk.a), len(hunk.b)) > MAX_CHANGE_WORDS:
            continue
        modal = modality_change(hunk, _before(a, hunk.a_at), _before(b, hunk.b_at))
        if modal:
            found(
                "claim_altered",
                "medium",
                hunk.text_a(a.text) or modal[0],
                hunk.text_b(b.text) or modal[1],
                "one version is less certain than the other (a modal or status word)",
            )
            continue
        if not hunk.a or not hunk.b:
            universal = _universal_added(a, b, hunk)
            if universal:
                found(
                    "claim_altered",
                    "medium",
                    hunk.text_a(a.text),
                    hunk.text_b(b.text),
                    "one version says it of every one (a quantifier the other does not have)",
                )
            continue  # otherwise words only one version has: an added detail, not a change
        meaning = next((why for test, why in _MEANING_CHANGES if test(hunk)), None)
        if meaning:
            found(meaning[0], "medium", hunk.text_a(a.text), hunk.text_b(b.text), meaning[1])
            continue
        written_a, written_b = hunk.text_a(a.text), hunk.text_b(b.text)
        words_a, words_b = content_words(hunk.a), content_words(hunk.b)
        if squeezed(written_a) == squeezed(written_b):
            # Spacing or hyphens only: a spelling in a name, no change in a word.
            if written_a[:1].isupper() and written_b[:1].isupper():
                found(
                    "name_variant",
                    "low",
                    written_a,
                    written_b,
                    "the name is spaced or hyphenated differently",
                )
            continue
        if not words_a or not words_b:
            continue  # a detail added beside a function word ("the" / "a new")
        if {_bare(w) for w in (*words_a, *words_b)} <= domain.wording().references:
            continue  # "police said" / "the force said"
        if _same_referent(ctx, a, b, hunk) or _reference_to_named(a, b, hunk, named, articles):
            continue
        if is_title(written_a) and is_title(written_b):
            continue  # a person's title: speaker_title compares titles person by person
        if is_name(hunk.a) and is_name(hunk.b):
            renamed = _names(ctx, a, b, hunk, people, named)
            if isinstance(renamed, _DifferentSubjects):
                return None
            if renamed is not None:
                found(renamed.kind, renamed.severity, renamed.name_a, renamed.name_b, renamed.why)
            continue
        if len(hunks) == 1 and _lookalike(hunk):
            found(
                "claim_altered",
                "medium",
                written_a,
                written_b,
                "one word replaced by another spelt alike (a slip of the keys or of the ear "
                "that changes what the claim says)",
            )
            continue
        if not synonymous(words_a, words_b) and not _synonymous_heads(hunk):
            found(
                "claim_altered",
                "low",
                hunk.text_a(a.text),
                hunk.text_b(b.text),
                "a paraphrase: words changed, but no number, date, name, grade, negation, "
                "quantifier or modal among them",
            )
    return findings


UNIVERSAL_RANK = 3
"""The quantifier rank (data/meaning.toml) of "all", "every", "each": said of every one."""


def _universal_added(a: Claim, b: Claim, hunk: Hunk) -> bool:
    """Words only one version has that say the claim of every one ("Results showed that
    in each of the children, the pSTS was activated" / "the pSTS was activated"): a
    claim about some made one about all. "all three" counts its members (a number's
    business); "at all" is an intensifier; and "all" must stand before what it
    quantifies ("all of", "all the"), as one after a list sums it up ("fares, food and
    fees all helped push inflation higher")."""
    ranks = quantifier_ranks()
    added, claim = (hunk.a, a) if hunk.a else (hunk.b, b)
    number_words = domain.lexicon().number_words
    for k, token in enumerate(added):
        if ranks.get(token.key) != UNIVERSAL_RANK:
            continue
        if k and added[k - 1].key == "at":
            continue
        after = claim.text[token.end :].split(maxsplit=1)
        following = after[0].strip(",.;:").lower() if after else ""
        if following[:1].isdigit() or following in number_words:
            continue
        if token.key == "all" and following not in _ALL_BEFORE:
            continue
        return True
    return False


_ALL_BEFORE = frozenset({"of", "the", "those", "these", "their", "its", "his", "her", "our"})


MIN_LOOKALIKE_LETTERS = 5
"""Shorter words alike in spelling are mostly one word inflected ("has" / "had")."""
MAX_LOOKALIKE_EDITS = 3
"""Letters added, dropped, changed or swapped between two words spelt alike ("murders" /
"matters"); more, and two words merely share letters."""
MIN_LOOKALIKE_ZIPF = 3.0
"""Both words are English words at least this common (wordfreq's Zipf scale): a word
that is none is a misspelling (the spelling detectors'), not another word."""


def _lookalike(hunk: Hunk) -> bool:
    """One lower-case word replaced by another English word spelt alike, not an
    inflection of it ("the equivalent of terrorist murders" / "of terrorist matters"):
    in one sentence printed two ways, a slip that says something else. Known synonyms
    and inflections are a paraphrase."""
    if len(hunk.a) != 1 or len(hunk.b) != 1:
        return False
    x, y = hunk.a[0], hunk.b[0]
    if x.capitalised or y.capitalised or not (x.key.isalpha() and y.key.isalpha()):
        return False
    if min(len(x.key), len(y.key)) < MIN_LOOKALIKE_LETTERS or x.key[0] != y.key[0]:
        return False
    if same_stems([x.key], [y.key]) or synonymous([x.key], [y.key]):
        return False
    if not 1 < OSA.distance(x.key, y.key) <= MAX_LOOKALIKE_EDITS:
        return False
    return min(zipf(x.key), zipf(y.key)) >= MIN_LOOKALIKE_ZIPF


_COMPLEMENTS = frozenset({"of", "in", "for", "from"})


def _synonymous_heads(hunk: Hunk) -> bool:
    """Whether the two sides say the same with a complement added to one: "citizens" /
    "the people of the city", "residents" / "people in the area" (the complement names
    where; words only one version adds are a detail)."""

    def head(tokens: tuple[Token, ...]) -> list[str]:
        cut = next((k for k, t in enumerate(tokens) if k and t.key in _COMPLEMENTS), None)
        return content_words(tokens[:cut]) if cut is not None else []

    head_a, head_b = head(hunk.a), head(hunk.b)
    words_a, words_b = content_words(hunk.a), content_words(hunk.b)
    return bool(
        (head_a and synonymous(head_a, words_b)) or (head_b and synonymous(words_a, head_b))
    )


def _before(claim: Claim, at: int, words: int = 2) -> tuple[Token, ...]:
    """The last `words` tokens of a claim before a character offset: the auxiliary slot
    before a changed word ("could [potentially] close")."""
    tokens = tokenize(claim.text, claim.in_quote)
    end = bisect.bisect_right([t.end for t in tokens], at)
    return tokens[max(0, end - words) : end]


def _bare(word: str) -> str:
    """A word key without its possessive: "force's" -> "force"."""
    return word.removesuffix("'s").removesuffix("'")


def _reference_to_named(
    a: Claim, b: Claim, hunk: Hunk, named: dict[str, set[str]], articles: _Articles
) -> bool:
    """One side only refers to an organisation ("the inspectorate", "the force's"), the
    other names one ("HMICFRS", "Kent Police's") that the referring version's article
    names too: one body, called two ways."""
    references = domain.wording().references
    sides = ((hunk.a, a, hunk.b, b, hunk.b_at), (hunk.b, b, hunk.a, a, hunk.a_at))
    for tokens, claim, other_tokens, other, at in sides:
        words = [_bare(w) for w in content_words(tokens)]
        if not words or not all(w in references for w in words):
            continue
        capitals = tuple(t for t in other_tokens if t.capitalised)
        if not capitals or not is_name(other_tokens):
            continue
        name = name_around(other.text, *_span(capitals, at))
        if name and (
            f"org:{org_key(name)}" in named.get(claim.source, set())
            or articles.written_in(claim.source, name)
        ):
            return True
    return False


class _DateVerdict(NamedTuple):
    severity: Severity
    why: str


def _date_verdict(
    ctx: Context, a: Claim, b: Claim, da: DateMention, db: DateMention
) -> _DateVerdict | None:
    if da.kind != db.kind or _dates_agree(da.value, db.value):
        return None
    if da.kind == "time":
        return _time_verdict(da, db)
    if da.kind == "absolute":
        stamps = (_published(ctx, a.source), _published(ctx, b.source))
        if (da.text, db.text) == (da.value, db.value) == stamps:
            return None  # each copy's own machine date stamp: the days they were published
        return _DateVerdict("high", "the same event is dated differently")
    published = {_published(ctx, a.source), _published(ctx, b.source)}
    if len(published) == 2 and "" not in published:
        return _DateVerdict(
            "low", "a relative date differs, and the sources were published on different days"
        )
    return _DateVerdict("medium", "a relative date differs")


def _time_verdict(da: DateMention, db: DateMention) -> _DateVerdict | None:
    """Two times of day, in minutes after midnight: a few minutes apart is one time
    rounded (low); a hedged time ("about 7.40pm") admits a quarter of an hour; beyond
    that two exact times contradict each other (high), a hedged one is medium."""
    table = reading()
    apart = abs(int(da.value[5:]) - int(db.value[5:]))
    apart = min(apart, 24 * 60 - apart)
    hedged = bool(da.qualifier or db.qualifier)
    if apart <= table.close_minutes or (hedged and apart <= table.hedged_minutes):
        return _DateVerdict("low", f"the times differ by {apart} minutes")
    if hedged:
        return _DateVerdict("medium", "the times of day differ, one of them hedged")
    return _DateVerdict("high", "the same event is timed differently")


_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?")


def _when_published(ctx: Context, source_a: str, source_b: str) -> tuple[str, str, str]:
    """Each source named with its `published` metadata where known ("bbc (published
    2025-10-01 09:12)"), and a note naming the older copy when both are known and differ."""
    named, stamps = [], []
    for source in (source_a, source_b):
        value = ctx.metadata(source).get("published", "").strip()
        stamp = _TIMESTAMP.match(value)
        shown = " ".join(p for p in stamp.groups() if p) if stamp else value
        named.append(f"{source} (published {shown})" if shown else source)
        stamps.append(shown if stamp else "")
    older = ""
    if len(stamps[0]) != len(stamps[1]):
        stamps = [s[:10] for s in stamps]  # a day against a time: compare the days
    if all(stamps) and stamps[0] != stamps[1]:
        first = source_a if stamps[0] < stamps[1] else source_b
        older = f"; {first}'s copy is the older"
    return named[0], named[1], older


def _dates_agree(x: str, y: str) -> bool:
    if x.startswith("time:") and y.startswith("time:"):
        return x == y
    if ":" in x or ":" in y:
        dx, _, vx = x.partition(":")
        dy, _, vy = y.partition(":")
        if dx != dy:
            return False
        try:
            fx, fy = float(vx), float(vy)
        except ValueError:
            return vx == vy
        return abs(fx - fy) <= 0.04 * max(abs(fx), abs(fy), 1)
    parts = zip(x.split("-"), y.split("-"), strict=True)
    return all(p == q or "?" in p or "?" in q for p, q in parts)


_ISO_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d")


def _published(ctx: Context, source: str) -> str:
    """The day a source was published: feeds and ninjs give a timestamp, and two
    versions of one morning's story are not "published on different days"."""
    value = ctx.metadata(source).get("published", "")
    timestamp = _ISO_TIMESTAMP.match(value)
    return timestamp.group(1) if timestamp else value


def _numbers(
    hunk: Hunk,
    a: Claim,
    b: Claim,
    numbers_a: list[Quantity],
    numbers_b: list[Quantity],
    report: Report,
) -> None:
    if not numbers_a or not numbers_b:
        if hunk.a and hunk.b and max(len(hunk.a), len(hunk.b)) <= MAX_CHANGE_WORDS:
            _figure_against_words(hunk, a, b, numbers_a, numbers_b, report)
        return
    for qa, qb in zip(numbers_a, numbers_b, strict=False):
        measured = qa.measure or qb.measure  # what a measure counts is its unit
        if (
            qa.thing
            and qb.thing
            and counted_as(qa.thing) != counted_as(qb.thing)  # "fatalities" / "deaths" agree
            and not measured
        ):
            report(
                "claim_altered",
                "medium",
                _with_next_word(a.text, qa),
                _with_next_word(b.text, qb),
                "a number and what it counts changed",
            )
            continue
        if not same_count(a.text, qa, b.text, qb):
            continue  # "ten injured" / "nine critically", "283,000 at its peak" / "250,000"
        judged = judge(qa, qb)
        if judged.verdict != "agree":
            report(
                "number_conflict",
                cast(Severity, judged.severity),
                _with_next_word(a.text, qa),
                _with_next_word(b.text, qb),
                judged.why,
            )


def _figure_against_words(
    hunk: Hunk,
    a: Claim,
    b: Claim,
    numbers_a: list[Quantity],
    numbers_b: list[Quantity],
    report: Report,
) -> None:
    """A figure in one version, words in the other: a vague amount ("a number of",
    "dozens") agrees with a figure it admits and disagrees (medium: a vague amount is not
    read with confidence) with one it does not; a list agrees with a count of its items;
    other words in a figure's place lose the figure without contradicting it (low)."""
    written_a, written_b = hunk.text_a(a.text), hunk.text_b(b.text)
    figures, words = (numbers_a, written_b) if numbers_a else (numbers_b, written_a)
    counts = [q for q in figures if not q.unit]
    vague = vague_amount(words)
    if vague is not None and counts:
        if all(vague[0] <= q.value <= vague[1] for q in counts):
            return
        report(
            "number_conflict",
            "medium",
            written_a,
            written_b,
            "a vague amount in one version does not admit the figure in the other",
        )
        return
    if counts and listed(words) and all(listed(words) == q.value for q in counts):
        return  # "three forces" / "Kent, Essex and Surrey"
    report(
        "number_conflict",
        "low",
        written_a,
        written_b,
        "a number is given in one version and replaced by words in the other",
    )


_NEXT_WORD = re.compile(r"\s+[A-Za-z][\w'-]*")


def _with_next_word(text: str, quantity: Quantity) -> str:
    """The quantity as written and the word after it: "312 arrests", "10% decrease"."""
    following = _NEXT_WORD.match(text, quantity.end)
    if not following or not quantity.thing:
        return quantity.text
    if following.group().strip().lower() in domain.wording().function_words:
        return quantity.text  # "£1m in its teams": the word after is not what is counted
    return quantity.text + following.group()


NAME_SIMILARITY = 75.0
"""rapidfuzz `fuzz.ratio` (0-100) at or above which the words two names do not share
are one spelling of each other: "Rudakubana" / "Rudacubana" (90), "Bogo" / "Bugo"
(75), "Gregson" / "Gerson" (77); "Cleveland" / "Staffordshire" (18), "West Yorkshire" /
"Staffordshire" (67) and "Gormley" / "Williams" (13) are different names. The words are
compared after the names' shared words are set aside, so that the template words of
"West Yorkshire Fire and Rescue Service" do not make it like "Cumbria Fire and Rescue
Service"."""
NAME_MAX_EDITS = 2
"""Slips of the keyboard (rapidfuzz `OSA`: a letter added, dropped, changed, or two
swapped) a misspelled word of six letters or more may hold; one in a shorter word.
`fuzz.ratio` alone is fooled by a long shared ending: "Bedfordshire" / "Hertfordshire"
(80, three edits) and "Gloucestershire" / "Leicestershire" (83, three) are two
counties; "Gregson" / "Gerson" (two) is one name."""
NAME_SHARED_PREFIX = 4
"""Two single words that begin with this many letters in common, and at least half the
shorter word, are one word mistaken for another ("Sentinel" / "Sentry") though
`fuzz.ratio` puts them apart; "Northamptonshire" / "Northumberland" share too small a
part, and "Bedford" / "Bedfordshire" (one word the start of the other) are two places.
Known to misjudge "Lancaster" / "Lancashire", "Hampshire" / "Hampstead"."""


@dataclass(frozen=True, slots=True)
class _NameChange:
    """Two names for one subject, or two people: a finding."""

    kind: str
    severity: Severity
    name_a: str
    name_b: str
    why: str


@dataclass(frozen=True, slots=True)
class _DifferentSubjects:
    """Two names that cannot be one (or both sources use elsewhere): the claims are
    about different subjects."""


def _names(
    ctx: Context,
    a: Claim,
    b: Claim,
    hunk: Hunk,
    people: Mapping[str, frozenset[str]],
    named: dict[str, set[str]],
) -> _NameChange | _DifferentSubjects | None:
    """What two changed names are; None when they are one subject (no finding).

    A name_variant only for names that can be one: a spelling (`_kinship`), initials,
    a short form, a known alias or a former name the data knows. Two names that are
    plainly different ("Cleveland Fire Brigade" / "Staffordshire Fire and Rescue
    Service", "Phil Gormley" / "Wendy Williams": one template sentence for two subjects)
    are different subjects, and the claims are not compared."""
    span_a, span_b = _span(hunk.a, hunk.a_at), _span(hunk.b, hunk.b_at)
    name_a, name_b = name_around(a.text, *span_a), name_around(b.text, *span_b)
    if not name_a or not name_b:
        return None
    key_a, key_b = org_key(name_a), org_key(name_b)
    if key_a == key_b:
        return None  # one organisation, by a known alias or with its suffix left off
    if (name_a.isupper() and name_a == initialism(name_b)) or (
        name_b.isupper() and name_b == initialism(name_a)
    ):
        return None  # "CPS" for "Crown Prosecution Service"
    both = named.get(a.source, set()) & named.get(b.source, set())
    person_a, person_b = _person(name_a, people), _person(name_b, people)
    if person_a or person_b:
        return _people_named(name_a, name_b, person_a, person_b, both)
    if is_title(name_a) or is_title(name_b):
        return None
    if f"org:{key_a}" in both and f"org:{key_b}" in both:
        return _DifferentSubjects()
    if _former(key_a, key_b):
        return _NameChange("name_variant", "medium", name_a, name_b, "a former name is used")
    kin = _kinship(name_a, name_b)
    if kin is None:
        return _DifferentSubjects()
    if not kin.why:
        return None
    return _NameChange("name_variant", kin.severity, name_a, name_b, kin.why)


def _people_named(
    name_a: str, name_b: str, person_a: str, person_b: str, both: set[str]
) -> _NameChange | _DifferentSubjects | None:
    """Two names of which at least one is a known person's. A surname spelled two ways
    ("Rudakubana" / "Rudacubana") or one surname with two forenames ("Dina Heer" /
    "Deanna Heer") is a variant; two surnames plainly different are two people."""
    if not (person_a and person_b):
        if is_title(name_a) or is_title(name_b):
            return None  # "the PCC" for "Mr Campion"
        kin = _kinship(name_a, name_b)
        if kin is not None and kin.severity == "medium":
            return _NameChange("name_variant", "medium", name_a, name_b, kin.why)
        return None  # one person named two ways ("Mr Campion", "Matthew Campion")
    if person_a == person_b:
        return None
    if f"person:{person_a}" in both and f"person:{person_b}" in both:
        return _DifferentSubjects()  # each source names both people
    surname_a, surname_b = person_a.split()[-1], person_b.split()[-1]
    if surname_a == surname_b:
        return _NameChange("name_variant", "medium", name_a, name_b, "the forename differs")
    if _spelling(surname_a, surname_b):
        return _NameChange(
            "name_variant", "medium", name_a, name_b, "the surname is spelled differently"
        )
    return _DifferentSubjects()  # two people


class _Kin(NamedTuple):
    """How two names that can be one differ: the severity and why ("" for no finding)."""

    severity: Severity
    why: str


_NAME_SMALL_WORDS = frozenset({"of", "and", "for", "the", "&", "at", "in", "on"})


def _name_words(name: str, fold: bool) -> list[str]:
    """A name's words as compared: lower case, apostrophes one, possessives and
    parenthesised initials ("(FRS)") gone, hyphens splitting words; `fold` also drops
    accents ("Zoë" -> "zoe")."""
    text = re.sub(r"\s*\([A-Z&]{2,8}\)?\s*$|\s*\([A-Z&]{2,8}\)", " ", name)
    text = re.sub("[’‘`´]", "'", text).lower()
    if fold:
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = re.sub(r"'s\b|(?<=s)'(?!\w)", "", text)
    return [w for w in re.findall(r"[^\W_]+", text) if w not in _NAME_SMALL_WORDS]


def _kinship(name_a: str, name_b: str) -> _Kin | None:
    """How two names of organisations, places or things can be one; None when they
    cannot: two subjects."""
    plain_a, plain_b = _name_words(name_a, False), _name_words(name_b, False)
    if plain_a == plain_b:
        return _Kin("low", "")  # "Vauxhall" / "Vauxhall's": one name in the grammar
    if "".join(plain_a) == "".join(plain_b):
        return _Kin("low", "the name is spaced or hyphenated differently")
    words_a, words_b = _name_words(name_a, True), _name_words(name_b, True)
    if words_a == words_b:
        return _Kin("low", "the name is written with and without accents")
    if _is_initials(name_a) or _is_initials(name_b):
        return _initials(name_a, name_b)
    only_a, only_b = _unshared(words_a, words_b), _unshared(words_b, words_a)
    if not only_a and not only_b:
        return _Kin("low", "the name is written in the singular and the plural")
    if not only_a or not only_b:
        return _Kin("low", "one name is a short form of the other")
    distinct = domain.organisations().distinct_words
    if distinct & set(only_a) and distinct & set(only_b):
        return None  # "East Sussex" / "West Sussex"
    if _spelling(" ".join(only_a), " ".join(only_b)):
        return _Kin("medium", "the name is spelled differently")
    return None


def _unshared(words: list[str], others: list[str]) -> list[str]:
    """The words of one name the other lacks, a plural matching its singular."""
    left = Counter(_singular(w) for w in others)
    out = []
    for word in words:
        if left[_singular(word)]:
            left[_singular(word)] -= 1
        else:
            out.append(word)
    return out


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _spelling(x: str, y: str) -> bool:
    """Two words (or runs of words) that are one spelled two ways (`NAME_SIMILARITY`
    and `NAME_MAX_EDITS`, or `NAME_SHARED_PREFIX`)."""
    words, most = sorted((len(x.split()), len(y.split())))
    x, y = x.replace(" ", ""), y.replace(" ", "")
    edits = NAME_MAX_EDITS * words if min(len(x), len(y)) > 5 else 1
    if fuzz.ratio(x, y) >= NAME_SIMILARITY and OSA.distance(x, y) <= edits:
        return True
    shared = next(
        (i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y))
    )
    if shared == min(len(x), len(y)):
        return False  # "Bedford" / "Bedfordshire": a place and its county, or a word and more
    return most == 1 and shared >= NAME_SHARED_PREFIX and 2 * shared >= min(len(x), len(y))


def _is_initials(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z&]{2,8}", name))


def _initials(name_a: str, name_b: str) -> _Kin | None:
    """Initials compared with initials or a full name: the same letters in another
    order ("CCQ" for "CQC") or with one doubled ("ROCCU") are a misspelling; other
    initials ("HMIC" / "HMIP", "NCA" / "NCS") are another body, however alike: string
    likeness means nothing between initials."""
    letters_a = name_a if _is_initials(name_a) else initialism(name_a)
    letters_b = name_b if _is_initials(name_b) else initialism(name_b)
    if letters_a == letters_b:
        return _Kin("low", "")  # "CPS" for "Crown Prosecution Service"
    undoubled_a, undoubled_b = (
        re.sub(r"(.)\1+", r"\1", letters_a),
        re.sub(r"(.)\1+", r"\1", letters_b),
    )
    if undoubled_a == undoubled_b or sorted(letters_a) == sorted(letters_b):
        return _Kin("medium", "the initials are misspelled")
    return None


def _former(key_a: str, key_b: str) -> bool:
    """Whether the data knows one organisation by both keys: a former and a current
    name (or two former names of one)."""
    group = _former_groups().get(key_a)
    return group is not None and key_b in group


@table_cache
def _former_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for old, new in domain.organisations().former:
        joined = {org_key(old), org_key(new)} | groups.get(org_key(old), set())
        joined |= groups.get(org_key(new), set())
        for key in joined:
            groups[key] = joined
    return {key: frozenset(group) for key, group in groups.items()}


def _person(name: str, people: Mapping[str, frozenset[str]]) -> str:
    """The person key a name refers to, if it names exactly one known person."""
    words = [w.lower() for w in re.findall(r"[\w'-]+", name)]
    if not words:
        return ""
    keys = people.get(words[-1], frozenset())
    full = " ".join(words)
    if full in keys:
        return full
    return next(iter(keys)) if len(keys) == 1 else ""


def _named_by_source(ctx: Context) -> dict[str, set[str]]:
    """The organisations ("org:key") and people ("person:key") each source names."""
    out: dict[str, set[str]] = defaultdict(set)
    for o in ctx.extraction.orgs:
        out[o.source].add(f"org:{o.key}")
    for p in ctx.extraction.people:
        key = ctx.graph.person_key.get(p.person_key, p.person_key)
        if " " in key:
            out[p.source].add(f"person:{key}")
    return out


def _has_negation(hunk: Hunk) -> bool:
    return bool(negation_count(hunk.a) or negation_count(hunk.b))


def _row(
    ctx: Context, kind: str, finding: _Finding, a: Claim, b: Claim, score: float
) -> Discrepancy:
    value_a, value_b = " … ".join(finding.value_a), " … ".join(finding.value_b)
    # A name written two ways is its own subject; anything else is about the claim's topic.
    subject = (
        " / ".join(sorted({value_a, value_b})) if kind == "name_variant" else cluster_topic(ctx, a)
    )
    why = "; ".join(dict.fromkeys(finding.why))
    said_a, said_b = a.source, b.source
    if kind in ("number_conflict", "date_conflict"):
        # A developing story: each copy's publication time shows which one is stale.
        said_a, said_b, older = _when_published(ctx, a.source, b.source)
        why += older
    return make(
        kind,
        finding.severity,
        subject,
        side(ctx, a.claim_id, value_a),
        side(ctx, b.claim_id, value_b),
        f"{subject}: {said_a} says {value_a!r}, {said_b} says {value_b!r} ({why})",
        ctx,
        similarity=score,
    )


DETECTORS = (
    Detector(
        "claim_changes",
        claim_changes,
        (
            NUMBER_CONFLICT,
            Kind("date_conflict", ("high", "medium", "low"), "the same event dated differently"),
            Kind(
                "polarity_conflict",
                ("high", "medium"),
                "two versions differ by a negation (or a negating prefix)",
            ),
            NAME_VARIANT,
            CLAIM_ALTERED,
        ),
    ),
)
