"""A syndication simulator: copies of an article with benign edits and recorded discrepancies.

For fuzzing the checker and any copy pipeline that should preserve facts. Give
it an article; it returns the original and several copies, each copy carrying
edits syndication makes without changing a fact (quote style, hard wrapping,
"10%" as "10 per cent", "11" as "eleven", "HM" for "His Majesty's", page
furniture, a moved or dropped paragraph, a rewritten headline, mojibake) and,
if asked, injected discrepancies of the kinds in the discrepancies.csv contract.
Every injected change is recorded as a `Change` with the row kinds that count as
catching it, so a test or a benchmark can tell a found change from a miss and a
false alarm from a true one.

Two ways in, one implementation:

    >>> from consistency.testing import prepare, syndicate
    >>> base = prepare(article)                                   # doctest: +SKIP
    >>> story = syndicate(base, seed=7, copies=4, injections=2)   # doctest: +SKIP
    >>> check_articles(story.articles)                            # doctest: +SKIP

and hypothesis strategies (`syndications`, `benign_copies`, `injected`) that
draw the same syndications from hypothesis' own random source, so failures shrink.

Injection sites come from the checker's own reading of the original (its
claims, quotations, people, organisations and grades), so an article the
checker cannot read yields fewer sites, never wrong ones.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from . import clean, domain, keys
from .claimdiff import tokenize
from .keys import title_key, untenured
from .models import SEVERITY_RANK, Article, Claim, Discrepancy, Severity, frozen_map
from .numbers import dates, quantities
from .pipeline import check_articles
from .results import CheckResult

LOW_KINDS = frozenset({"omission", "encoding_damage", "rating_wording"})
"""Kinds the contract reports at low severity: an editor skims them."""

KINDS = (
    "number_conflict",
    "date_conflict",
    "polarity_conflict",
    "name_variant",
    "claim_altered",
    "quote_altered",
    "quote_attribution",
    "speaker_title",
    "rating_conflict",
    "grade_status",
    "rating_wording",
    "omission",
    "encoding_damage",
)
"""Every kind the simulator can inject, named by the row kind that reports it."""

_QUOTE_MARKS = "“”\"‘'"
_OPENING = "“\"‘'"


@cache
def _data() -> dict[str, Any]:
    return domain._load("simulator.toml")


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between a copy and its original that a checker should report."""

    kind: str
    """What was done, named by the row kind that reports it."""
    source: str
    """The copy that carries it."""
    before: str
    """The words as the original has them."""
    after: str
    """The words in the copy ("" when dropped)."""
    claim: str = ""
    """The original's claim the change is in: a row about it quotes this text."""
    subject: str = ""
    """A name a row about it carries in its subject (a person, an organisation), if any."""
    catches: frozenset[str] = frozenset()
    """Row kinds that count as catching it."""
    also: frozenset[str] = frozenset()
    """Row kinds that may truly report it besides (a claim replaced is also absent)."""
    severity: Severity = "medium"
    """The least severity that counts: "low" for the kinds the contract reports low."""
    injected: bool = True
    """False for what a benign edit does on the side (mojibake, a dropped paragraph):
    a row about it is true, but missing it is no miss."""
    at: int = -1
    """Where in `claim` the change starts (-1: not known, the first `before` there)."""

    @property
    def changed_claim(self) -> str:
        """The claim as the copy has it."""
        at = self.at if self.at >= 0 else self.claim.find(self.before) if self.before else -1
        if at < 0 or self.claim[at : at + len(self.before)] != self.before:
            return self.claim
        return self.claim[:at] + self.after + self.claim[at + len(self.before) :]


@dataclass(frozen=True)
class Syndication:
    """An original and its copies, with every benign edit and change recorded."""

    original: Article
    copies: tuple[Article, ...]
    edits: tuple[tuple[str, tuple[str, ...]], ...]
    """(source, names of the benign edits applied to it), the original included."""
    changes: tuple[Change, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return (self.original, *self.copies)

    @property
    def injections(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.injected)


@dataclass(frozen=True, eq=False)
class Base:
    """An article cleaned and read by the checker, ready to be copied.

    `paragraphs` hold the cleaned text with the headline first; every claim in
    `result` points into them by paragraph index and character offsets.
    """

    source: str
    paragraphs: tuple[str, ...]
    result: CheckResult
    metadata: tuple[tuple[str, str], ...] = ()

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.result.claims


def prepare(article: Article) -> Base:
    """Clean `article`, put its headline first and read it with the checker."""
    cleaned = clean.clean_article(article)
    paragraphs = [p.text for p in cleaned.paragraphs]
    if cleaned.headline and (not paragraphs or paragraphs[0] != cleaned.headline):
        paragraphs.insert(0, cleaned.headline)
    metadata = {k: v for k, v in article.metadata.items() if k in ("published", "outlet")}
    plain = Article(article.source, article.path, "\n\n".join(paragraphs), 1, frozen_map(metadata))
    result = check_articles((plain,))
    return Base(
        article.source,
        tuple(p.text for p in result.cleaned[0].paragraphs),
        result,
        tuple(sorted(metadata.items())),
    )


# --- where a change can go -----------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A span of one paragraph of a base article, inside the claim `claim`."""

    paragraph: int
    start: int
    end: int
    claim: Claim
    note: str = ""
    """What the site is about: a person's or organisation's name, a grade's scale."""


@dataclass(frozen=True)
class _Edit:
    paragraph: int
    start: int
    end: int
    text: str
    change: Change


def _placed(base: Base, claim: Claim) -> bool:
    """The claim's offsets point at its text (headlines from metadata do not)."""
    if not 0 <= claim.paragraph < len(base.paragraphs):
        return False
    return base.paragraphs[claim.paragraph][claim.start : claim.end] == claim.text


def _site(base: Base, claim: Claim, start: int, end: int, note: str = "") -> Site:
    """A site from offsets into the claim's text."""
    return Site(claim.paragraph, claim.start + start, claim.start + end, claim, note)


def _zone_spans(claim: Claim, zone: str) -> Callable[[int, int], bool]:
    tokens = tokenize(claim.text, claim.in_quote)

    def inside(start: int, end: int) -> bool:
        touched = [t for t in tokens if t.start < end and start < t.end]
        return bool(touched) and all(t.zone == zone for t in touched)

    return inside


def _statements(base: Base, min_words: int = 8) -> Iterable[Claim]:
    """Claims a claim-level detector compares: sentences and headlines, long enough to match."""
    for claim in base.claims:
        long_enough = len(claim.text.split()) >= min_words
        if claim.kind in ("sentence", "headline") and long_enough and _placed(base, claim):
            yield claim


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def number_sites(base: Base) -> list[Site]:
    out = []
    for claim in _statements(base):
        running = _zone_spans(claim, "text")
        for q in quantities(claim.text):
            if q.unit in ("", "%", "GBP") and running(q.start, q.end):
                digits = _DIGITS.search(claim.text, q.start, q.end)
                if digits:
                    out.append(_site(base, claim, *digits.span()))
                elif claim.text[q.start : q.end].lower() in domain.lexicon().values:
                    out.append(_site(base, claim, q.start, q.end))
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DAY = re.compile(r"\b([1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b")


def date_sites(base: Base) -> list[Site]:
    out = []
    for claim in _statements(base):
        running = _zone_spans(claim, "text")
        for d in dates(claim.text):
            if d.kind != "absolute" or not running(d.start, d.end):
                continue
            year = _YEAR.search(claim.text, d.start, d.end)
            day = _DAY.search(claim.text, d.start, d.end)
            for m in (year, day):
                if m and not (m is day and year and m.start() >= year.start()):
                    out.append(_site(base, claim, m.start(), m.end()))
                    break
    return out


def polarity_sites(base: Base) -> list[Site]:
    auxiliaries = "|".join(_data()["auxiliaries"])
    negations = domain.lexicon().negations | {"not", "n't"}
    pattern = re.compile(rf"\b(?:{auxiliaries})\b(?= (\w+))")
    out = []
    for claim in _statements(base):
        running = _zone_spans(claim, "text")
        for m in pattern.finditer(claim.text):
            following = m.group(1).lower()
            if following in negations or not running(m.start(), m.end()):
                continue
            if m.group().lower() in ("has", "have", "had") and not re.search(
                r"(?:ed|en|wn|ne|been)$", following
            ):
                continue  # "has structures" cannot take "not"
            out.append(_site(base, claim, m.end(), m.end()))
    return out


_NAME_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")


def name_sites(base: Base) -> list[Site]:
    orgs = domain.organisations()
    suffixes = {s.lower() for s, _kind in orgs.suffix_kinds}
    claims = {c.claim_id: c for c in _statements(base, 6)}
    out = []
    for org in base.result.extraction.orgs:
        claim = claims.get(org.claim_id)
        if claim is None:
            continue
        at = claim.text.find(org.name)
        if at < 0 or not _zone_spans(claim, "text")(at, at + len(org.name)):
            continue
        words = [m for m in _NAME_WORD.finditer(org.name) if m.group().lower() not in suffixes]
        if len(org.name.split()) >= 2 and words:
            word = words[0]
            out.append(_site(base, claim, at + word.start(), at + word.end(), org.name))
    return out


_PLAIN_WORD = re.compile(r"\b[a-z]{5,}\b")


def _plain_words(claim: Claim, zone: str) -> list[tuple[int, int]]:
    """Lower-case content words no specific detector reads: not grades, dates, numbers,
    negations, hedges, speech verbs or words of titles."""
    lexicon = domain.lexicon()
    skip = (
        domain.wording().function_words
        | lexicon.number_words
        | lexicon.negations
        | set(lexicon.hedges)
        | _title_words()
    )
    text = claim.text
    taken = [m.span() for m in domain.scales().grade_re.finditer(text)]
    taken += [(d.start, d.end) for d in dates(text)] + [(q.start, q.end) for q in quantities(text)]
    inside = _zone_spans(claim, zone)
    return [
        m.span()
        for m in _PLAIN_WORD.finditer(text)
        if m.group() not in skip
        and not domain.speech().verbs.fullmatch(m.group())
        and not any(a < m.end() and m.start() < b for a, b in taken)
        and inside(*m.span())
    ]


@cache
def _title_words() -> frozenset[str]:
    raw = domain._load("titles.toml")
    return frozenset(w.lower() for role in raw["roles"] for w in role.split())


def word_sites(base: Base) -> list[Site]:
    return [
        _site(base, claim, a, b)
        for claim in _statements(base)
        for a, b in _plain_words(claim, "text")
    ]


def _quote_claims(base: Base, named_only: bool) -> list[tuple[Claim, str]]:
    """(quotation claim, its speaker's full name) for quotations of a named person."""
    speakers = {q.claim_id: q for q in base.result.extraction.quotes}
    out = []
    for claim in base.claims:
        quote = speakers.get(claim.claim_id)
        if claim.kind != "quote" or quote is None or not _placed(base, claim):
            continue
        person = base.result.graph.person_key.get(quote.speaker_key, "")
        if " " not in person or (named_only and (not quote.named or claim.speaker_carried)):
            continue
        if len(claim.text.split()) >= 8:
            out.append((claim, base.result.graph.person_name.get(person, person)))
    return out


def quote_sites(base: Base) -> list[Site]:
    return [
        _site(base, claim, a, b, person)
        for claim, person in _quote_claims(base, named_only=False)
        for a, b in _plain_words(claim, "quote")
    ]


def attribution_sites(base: Base) -> list[Site]:
    """The speaker's name as written beside a quotation, in the quotation's paragraph."""
    out = []
    for claim, person in _quote_claims(base, named_only=True):
        if not claim.speaker or claim.speaker.lower() in domain.speech().pronouns:
            continue
        paragraph = base.paragraphs[claim.paragraph]
        at = paragraph.find(claim.speaker)
        if at >= 0 and paragraph.count(claim.speaker) == 1:
            out.append(Site(claim.paragraph, at, at + len(claim.speaker), claim, person))
    return out


def title_sites(base: Base) -> list[Site]:
    claims = {c.claim_id: c for c in base.claims if _placed(base, c)}
    out = []
    for p in base.result.extraction.people:
        claim = claims.get(p.claim_id)
        written = f"{p.title} {p.name}"
        if claim is None or not p.title or " " not in p.name or written not in claim.text:
            continue
        if p.title.lower() in {c.lower() for c in domain.titles().courtesy}:
            continue
        at = claim.text.index(written)
        out.append(_site(base, claim, at, at + len(p.title), p.name))
    return out


def _graded(base: Base) -> list[tuple[Claim, Any]]:
    claims = {c.claim_id: c for c in base.claims if _placed(base, c)}
    out = []
    for j in base.result.extraction.judgments:
        claim = claims.get(j.claim_id)
        if claim is None or j.status != "graded" or j.negated or j.quoted:
            continue
        if claim.text.lower().count(j.wording) == 1:
            out.append((claim, j))
    return out


@cache
def _graded_claims(base: Base) -> frozenset[str]:
    return frozenset(j.claim_id for j in base.result.extraction.judgments)


_GRADE_CUE = re.compile(
    r"\b(?:rated|graded|judged|rating|grade|grading|found to be|assessed as|deemed|as)"
    r"(?:\s+(?:as|being|a|an|to be|overall|still|now))*\s*['‘“\"]?$",
    re.IGNORECASE,
)


def grade_sites(base: Base) -> list[Site]:
    """Grade words after a grading cue ("rated good", "graded as requires improvement"),
    found without the checker's judgment parser, so a grade it cannot read is a miss
    rather than a site never tried."""
    scale = _article_scale(base)
    out = []
    for claim in base.claims:
        if claim.kind not in ("sentence", "headline", "rating_line") or not _placed(base, claim):
            continue
        running = _zone_spans(claim, "text")
        for m in domain.scales().grade_re.finditer(claim.text):
            before = claim.text[max(0, m.start() - 40) : m.start()]
            cue = _GRADE_CUE.search(before) or (claim.kind == "rating_line" and " - " in before)
            negated = re.search(r"\bnot\b[^.,;]*$", before)
            if cue and not negated and running(*m.span()) and scale:
                out.append(_site(base, claim, *m.span(), scale))
    return out


@cache
def _article_scale(base: Base) -> str:
    """The grading scale the article uses: the one its judgments use, else the one whose
    cues it mentions most."""
    scales = domain.scales()
    used = Counter(j.scale for j in base.result.extraction.judgments)
    if used:
        return used.most_common(1)[0][0]
    body = " ".join(base.paragraphs)
    counts = {key: len(cue.findall(body)) for key, cue in sorted(scales.cues.items())}
    best = max(counts, key=lambda k: counts[k], default="")
    return best if counts.get(best) else ""


def status_sites(base: Base) -> list[Site]:
    """Graded claims whose subject has no other grading statement: saying it was not
    graded instead contradicts the original."""
    judgments = base.result.extraction.judgments
    out = []
    for claim, j in _graded(base):
        others = [
            o for o in judgments if o.subject_key == j.subject_key and o.claim_id != claim.claim_id
        ]
        if not others and claim.kind == "sentence":
            out.append(_site(base, claim, 0, len(claim.text), j.subject))
    return out


def _leans_back(paragraph: str) -> bool:
    """The paragraph leans on the one before: it continues a quotation or opens with a
    word that refers back ("It was rated...", "He added...")."""
    first = paragraph.split(" ", 1)[0].lower().strip(",")
    return paragraph[:1] in _OPENING or first in _data()["referring_words"]


def _self_contained(base: Base, index: int) -> bool:
    """A paragraph that can go without changing what its neighbours say or who says it."""
    if index == 0 or index >= len(base.paragraphs):
        return False
    paragraph = base.paragraphs[index]
    following = base.paragraphs[index + 1] if index + 1 < len(base.paragraphs) else ""
    return not (_leans_back(paragraph) or _leans_back(following))


def omission_sites(base: Base) -> list[Site]:
    out = []
    for claim in _statements(base, 10):
        if claim.kind == "sentence" and _self_contained(base, claim.paragraph):
            end = claim.end
            paragraph = base.paragraphs[claim.paragraph]
            while end < len(paragraph) and paragraph[end] == " ":
                end += 1
            out.append(Site(claim.paragraph, claim.start, end, claim))
    return out


SITES: dict[str, Callable[[Base], list[Site]]] = {
    "number_conflict": number_sites,
    "date_conflict": date_sites,
    "polarity_conflict": polarity_sites,
    "name_variant": name_sites,
    "claim_altered": word_sites,
    "quote_altered": quote_sites,
    "quote_attribution": attribution_sites,
    "speaker_title": title_sites,
    "rating_conflict": grade_sites,
    "grade_status": status_sites,
    "rating_wording": grade_sites,
    "omission": omission_sites,
}


@cache
def _sites(base: Base, kind: str) -> tuple[Site, ...]:
    return tuple(SITES[kind](base))


def available_kinds(base: Base) -> tuple[str, ...]:
    """The kinds that can be injected into copies of `base`."""
    return tuple(
        k
        for k in KINDS
        if (_damageable(base) if k == "encoding_damage" else bool(_rewrite(base, k)))
    )


def _damageable(base: Base) -> bool:
    """Mojibake needs characters beyond ASCII; curly quotes will do, as the copy can
    always have them."""
    return any(not p.isascii() or any(q in p for q in "\"'") for p in base.paragraphs)


def _rewrite(base: Base, kind: str) -> list[Site]:
    sites = list(_sites(base, kind))
    if kind == "rating_wording":
        return [s for s in sites if _wording_alternatives(s)]
    return sites


# --- what a change writes ------------------------------------------------------------


def _new_number(written: str, rng: random.Random) -> str:
    words = domain.lexicon().values
    if written.lower() in words:
        value = words[written.lower()]
        choices = sorted(w for w, v in words.items() if 2 <= v <= 20 and v != value)
        new = rng.choice(choices)
        return new.capitalize() if written[:1].isupper() else new
    plain = written.replace(",", "")
    if "." in plain:
        value = float(plain)
        return f"{value + rng.choice([-1, 1]) * rng.randint(1, 9) / 10 * max(1, value):.1f}"
    value = int(plain)
    delta = rng.randint(1, max(3, value // 4))
    new_value = value + delta if value - delta <= 0 or rng.random() < 0.5 else value - delta
    return f"{new_value:,}" if "," in written else str(new_value)


def _new_date(written: str, rng: random.Random) -> str:
    number = int(re.match(r"\d+", written).group())  # type: ignore[union-attr]
    suffix = written[len(str(number)) :]
    if number > 1000:
        return str(number + rng.choice([-3, -2, -1, 1, 2]))
    new = rng.choice([d for d in range(1, 29) if d != number])
    if suffix:
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(new, "th")
    return f"{new}{suffix}"


def _case_like(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def _other_word(written: str, rng: random.Random) -> str:
    choices = [w for w in _data()["words"] if w[:4] != written.lower()[:4]]
    return _case_like(rng.choice(choices), written)


def _scale_grades(scale: str) -> list[Any]:
    return [g for gs in domain.scales().wordings.values() for g in gs if g.scale == scale]


def _other_grades(site: Site) -> list[str]:
    """Official grades of the judgment's scale other than the one written."""
    written = _written(site).lower()
    grades = _scale_grades(site.note)
    official = next((g.official for g in grades if g.wording == written), "")
    return sorted({g.official for g in grades} - {official})


def _wording_alternatives(site: Site) -> list[str]:
    """Unofficial wordings of an official grade ("requiring improvement" for "requires
    improvement"). The contract reports a source's unofficial wording, so only a change
    away from the official one is a discrepancy."""
    written = _written(site).lower()
    return sorted(
        {g.wording for g in _scale_grades(site.note) if g.official == written} - {written}
    )


def _written(site: Site) -> str:
    return site.claim.text[site.start - site.claim.start : site.end - site.claim.start]


def _write(base: Base, kind: str, site: Site, rng: random.Random) -> tuple[str, Change] | None:
    """The text that replaces the site, and the change it makes (source not yet set)."""
    written = base.paragraphs[site.paragraph][site.start : site.end]
    claim = site.claim.text
    catches = frozenset({kind})
    severity: Severity = "low" if kind in LOW_KINDS else "medium"

    def change(after: str, subject: str = "", before: str = written) -> tuple[str, Change]:
        # Renaming a subject or replacing a graded claim also leaves the grade absent.
        absent = kind in ("grade_status", "name_variant", "omission")
        also = frozenset({"omission"}) if absent else frozenset()
        if kind == "quote_attribution":
            also = frozenset({"claim_altered"})  # reported speech names the speaker too
        if site.claim.claim_id in _graded_claims(base):
            # Any change to a graded claim may change what the grade detectors read.
            also |= {"rating_conflict", "grade_status", "omission"}
        at = site.start - site.claim.start
        return after, Change(
            kind, "", before, after, claim, subject, catches, also, severity, at=at
        )

    if kind == "number_conflict":
        return change(_new_number(written, rng))
    if kind == "date_conflict":
        return change(_new_date(written, rng))
    if kind == "polarity_conflict":
        return change(" not", before="")
    if kind == "name_variant":
        new = rng.choice([n for n in _data()["names"] if n != written])
        return change(new, subject=site.note.replace(written, new, 1))
    if kind == "claim_altered":
        return change(_other_word(written, rng))
    if kind == "quote_altered":
        if rng.random() < 0.3:
            # A dropped word inside the quotation: not a fragment, an alteration.
            return change("", subject=site.note)
        return change(_other_word(written, rng), subject=site.note)
    if kind == "quote_attribution":
        # Nobody the article names: a namesake would be the same person to a reader.
        body = " ".join(base.paragraphs)
        strangers = [p for p in _data()["people"] if p.split()[-1] not in body]
        return change(rng.choice(strangers), subject=site.note) if strangers else None
    if kind == "speaker_title":
        held = untenured(title_key(written))
        choices = [t for t in _data()["titles"] if untenured(title_key(t)) != held]
        return change(rng.choice(choices), subject=site.note)
    if kind == "rating_conflict":
        choices = _other_grades(site)
        return change(_case_like(rng.choice(choices), written)) if choices else None
    if kind == "rating_wording":
        choices = _wording_alternatives(site)
        return change(_case_like(rng.choice(choices), written)) if choices else None
    if kind == "grade_status":
        return change(f"{site.note} was not graded in this area.", subject=site.note)
    if kind == "omission":
        return change("")
    raise ValueError(f"no writer for kind {kind!r}")


# --- benign edits ----------------------------------------------------------------------


def _straighten(text: str) -> str:
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


def _curl(text: str) -> str:
    text = re.sub(r'(^|[\s(\[])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[])'", "\\1‘", text)
    return text.replace("'", "’")


def quote_style(text: str) -> str:
    """Curly quotes become straight, straight ones curly."""
    return _straighten(text) if re.search("[“”‘’]", text) else _curl(text)


def percent_style(text: str) -> str:
    """ "10%" becomes "10 per cent" and back."""
    if re.search(r"\d%", text):
        return re.sub(r"(\d)%", r"\1 per cent", text)
    return re.sub(r"(\d) per cent\b", r"\1%", text)


@cache
def _month_pattern() -> str:
    return "|".join(sorted(domain.calendar().months, key=len, reverse=True))


def number_words(text: str, to_words: bool) -> str:
    """Counts from two to twelve as words, or as digits; dates, money and times untouched."""
    months = _month_pattern()
    values = {w: v for w, v in domain.lexicon().values.items() if 2 <= v <= 12 and " " not in w}
    if to_words:
        by_value = {v: w for w, v in sorted(values.items(), key=lambda wv: -len(wv[0]))}
        pattern = re.compile(
            r"(?<![\d,.£$€:/-])\b(\d{1,2})\b(?![,.:/-]?\d|%| per cent|(?i: ?[ap]m\b| ?[ap]\.m\.))"
            # a day, alone or first of a range ("2 and 3 May", "2-3 May")
            rf"(?!(?:\s*(?:-|–|and|to)\s*\d{{1,2}})?(?:st|nd|rd|th)? (?i:{months})\b)"
        )

        def spell(m: re.Match[str]) -> str:
            before = text[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1].lower() in domain.calendar().months:
                return m.group()
            return by_value.get(int(m.group(1)), m.group())

        return pattern.sub(spell, text)
    # Not part of a compound ("twenty-two", "twenty two") on either side.
    words = "|".join(sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<!-)\b({words})\b(?!-)", re.I)
    tens = {w for w, v in domain.lexicon().values.items() if v >= 20 and v % 10 == 0}

    def digit(m: re.Match[str]) -> str:
        after = text[m.end() : m.end() + 12].split()
        if after and after[0].lower().strip(".,") in domain.calendar().months:
            return m.group()
        before = text[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1].lower() in tens:
            return m.group()
        return str(values[m.group().lower()])

    return pattern.sub(digit, text)


def majesty(text: str) -> str:
    """ "His Majesty's" becomes "HM" and back."""
    if re.search(r"His Majesty['’]s", text):
        return re.sub(r"His Majesty['’]s", "HM", text)
    return re.sub(r"\bHM\b", "His Majesty’s", text)


def wrap(text: str, width: int) -> str:
    return "\n\n".join(
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
        for p in text.split("\n\n")
    )


def mojibake(text: str, code_page: str) -> str:
    """UTF-8 read through a single-byte code page; bytes it does not define are lost."""
    return text.encode("utf-8").decode(code_page, errors="ignore")


def rewrite_headline(headline: str, rng: random.Random) -> str:
    """A web editor's rewrite that keeps every fact: a kicker, or title case."""
    small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "by"}
    if rng.random() < 0.5:
        return f"{rng.choice(_data()['kickers'])} {headline}"
    words = headline.split(" ")
    return " ".join(
        w if (i and w.lower() in small) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


BENIGN_EDITS = (
    "quote style",
    "wrapped",
    "per cent",
    "number words",
    "HM",
    "furniture",
    "moved paragraph",
    "dropped paragraph",
    "headline",
    "mojibake",
)
"""Edits that change no fact. A dropped paragraph may be reported as a (low) omission
and mojibake as (low) encoding damage; nothing else may be reported at all."""


def _movable(paragraph: str) -> bool:
    return not (
        any(q in paragraph for q in _QUOTE_MARKS)
        or domain.speech().verbs.search(paragraph)
        or _leans_back(paragraph)
    )


# --- putting a syndication together --------------------------------------------------


def _copy_paragraphs(
    base: Base,
    edits: list[_Edit],
    names: Sequence[str],
    rng: random.Random,
    protected: frozenset[int] = frozenset(),
) -> tuple[list[str], list[str], list[str]]:
    """The copy's paragraphs after injected edits and paragraph-level benign edits,
    the paragraphs it dropped and the lines of furniture it gained. A benign drop
    spares the `protected` paragraphs, where other copies carry injected changes: an
    omission needs most versions to keep what one lacks."""
    paragraphs = list(base.paragraphs)
    for edit in sorted(edits, key=lambda e: (e.paragraph, e.start), reverse=True):
        p = paragraphs[edit.paragraph]
        paragraphs[edit.paragraph] = p[: edit.start] + edit.text + p[edit.end :]
    touched = {e.paragraph for e in edits}
    keep = [True] * len(paragraphs)
    dropped: list[str] = []
    for i, p in enumerate(paragraphs):
        if not p.strip():
            keep[i] = False
    if "dropped paragraph" in names:
        choices = [
            i
            for i in range(1, len(paragraphs))
            if i not in touched | protected and keep[i] and _self_contained(base, i)
        ]
        if choices:
            i = rng.choice(choices)
            keep[i] = False
            dropped.append(paragraphs[i])
    order = [i for i in range(len(paragraphs)) if keep[i]]
    if "moved paragraph" in names:
        movable = [k for k, i in enumerate(order) if k >= 2 and _movable(paragraphs[i])]
        if movable:
            k = rng.choice(movable)
            index = order.pop(k)
            places = [
                j
                for j in range(1, len(order) + 1)
                if j == len(order) or _movable_before(paragraphs[order[j]])
            ]
            order.insert(rng.choice(places), index)
    out = [paragraphs[i] for i in order]
    if "headline" in names and 0 not in touched and out and out[0] == base.paragraphs[0]:
        out[0] = rewrite_headline(out[0], rng)
    furniture: list[str] = []
    if "furniture" in names:
        furniture = rng.sample(_data()["furniture"], rng.randint(1, 3))
        for line in furniture:
            out.insert(rng.randint(1, len(out)), line)
    return out, dropped, furniture


def _movable_before(paragraph: str) -> bool:
    # Nothing may land between a paragraph and the one that leans on it.
    return not _leans_back(paragraph)


_LOSES_CHARACTERS = frozenset({"quote style", "dropped paragraph", "HM"})
"""Benign edits that can remove an article's only characters beyond ASCII."""


def _text_edits(body: str, names: Sequence[str], rng: random.Random) -> str:
    if "quote style" in names:
        body = quote_style(body)
    if "per cent" in names:
        body = percent_style(body)
    if "number words" in names:
        body = number_words(body, to_words=rng.random() < 0.6)
    if "HM" in names:
        body = majesty(body)
    if "wrapped" in names:
        body = wrap(body, rng.randint(38, 80))
    return body


def _pick_edits(
    base: Base, kinds: Sequence[str], copies: int, rng: random.Random
) -> list[list[_Edit | str]]:
    """For each copy, the injected edits (and "encoding_damage" markers)."""
    plans: list[list[_Edit | str]] = [[] for _ in range(copies)]
    used_claims: set[str] = set()
    for kind in kinds:
        slot = rng.randrange(copies)
        if kind == "encoding_damage":
            if "encoding_damage" not in plans[slot]:
                plans[slot].append("encoding_damage")
            continue
        taken = {e.paragraph for e in plans[slot] if isinstance(e, _Edit)}
        sites = [
            s
            for s in _rewrite(base, kind)
            if s.claim.claim_id not in used_claims and s.paragraph not in taken
        ]
        rng.shuffle(sites)
        for site in sites:
            written = _write(base, kind, site, rng)
            if written is None:
                continue
            text, change = written
            plans[slot].append(_Edit(site.paragraph, site.start, site.end, text, change))
            used_claims.add(site.claim.claim_id)
            break
    return plans


def syndicate(
    base: Base | Article,
    seed: int | random.Random = 0,
    *,
    copies: int = 4,
    injections: int | Sequence[str] = 0,
    benign: Sequence[str] = BENIGN_EDITS,
    benign_rate: float = 0.35,
    prefix: str | None = None,
) -> Syndication:
    """The original and `copies` copies of `base`.

    `injections` is a number of changes of kinds drawn at random from those the
    article has room for, or the list of kinds to inject (one change each). Each
    copy gets each edit in `benign` with probability `benign_rate`; the original
    sometimes carries page furniture the copies lack.
    """
    if isinstance(base, Article):
        base = prepare(base)
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    prefix = f"{base.source}-" if prefix is None else prefix
    if isinstance(injections, int):
        kinds_possible = [
            k
            for k in available_kinds(base)
            if k != "omission" or copies >= 2  # an omission needs most sources to carry it
        ]
        kinds = [rng.choice(kinds_possible) for _ in range(injections)] if kinds_possible else []
    else:
        kinds = list(injections)
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown injection kinds: {', '.join(unknown)}")
    plans = _pick_edits(base, kinds, copies, rng)
    injected_at = frozenset(e.paragraph for plan in plans for e in plan if isinstance(e, _Edit))
    metadata = dict(base.metadata)

    original_edits = ("furniture",) if "furniture" in benign and rng.random() < 0.3 else ()
    original_paragraphs, _, furniture = _copy_paragraphs(base, [], original_edits, rng)
    original = Article(
        f"{prefix}orig",
        f"{prefix}orig.txt",
        "\n\n".join(original_paragraphs),
        1,
        frozen_map({**metadata, "outlet": f"{prefix}orig"}),
    )
    articles: list[Article] = []
    changes: list[Change] = _furniture_changes(original.source, furniture)
    changes += _inherited(base, original.source)
    edits_log: list[tuple[str, tuple[str, ...]]] = [(original.source, original_edits)]
    for index, plan in enumerate(plans, start=1):
        source = f"{prefix}copy{index}"
        names = tuple(n for n in benign if n in BENIGN_EDITS and rng.random() < benign_rate)
        edits = [e for e in plan if isinstance(e, _Edit)]
        paragraphs, dropped, furniture = _copy_paragraphs(base, edits, names, rng, injected_at)
        changes += _furniture_changes(source, furniture) + _inherited(base, source)
        if "encoding_damage" in plan:
            # Damage needs characters beyond ASCII: curl the quotes, never straighten
            # them, and keep every paragraph and "His Majesty's" apostrophe, which may
            # hold the article's only ones.
            names = tuple(n for n in names if n not in _LOSES_CHARACTERS)
        body = _text_edits("\n\n".join(paragraphs), names, rng)
        if "encoding_damage" in plan and body.isascii():
            body = _curl(body)
        damaged = "encoding_damage" in plan or "mojibake" in names
        if damaged:
            broken = mojibake(body, rng.choice(_data()["code_pages"]))
            if broken != body:
                body = broken
                changes.append(
                    Change(
                        "encoding_damage",
                        source,
                        "",
                        "",
                        catches=frozenset({"encoding_damage"}),
                        severity="low",
                        injected="encoding_damage" in plan,
                    )
                )
        changes += [_with_source(e.change, source) for e in edits]
        changes += [
            Change(
                "omission",
                source,
                text,
                "",
                text,
                catches=frozenset({"omission"}),
                severity="low",
                injected=False,
            )
            for text in dropped
        ]
        articles.append(
            Article(source, f"{source}.txt", body, 1, frozen_map({**metadata, "outlet": source}))
        )
        edits_log.append((source, names))
    return Syndication(original, tuple(articles), tuple(edits_log), tuple(changes))


def _inherited(base: Base, source: str) -> list[Change]:
    """What the checker finds in the original alone (an unofficial grade wording) every
    version inherits: true of each of them."""
    return [
        Change(
            row.kind,
            source,
            row.value_a,
            row.value_a,
            subject=row.subject,
            catches=frozenset({row.kind}),
            severity=row.severity,
            injected=False,
        )
        for row in base.result.discrepancies
    ]


def _furniture_changes(source: str, lines: list[str]) -> list[Change]:
    """Furniture most versions carry is a claim the others omit: true, if low."""
    omission = frozenset({"omission"})
    return [
        Change("omission", source, "", line, line, catches=omission, severity="low", injected=False)
        for line in lines
    ]


def _with_source(change: Change, source: str) -> Change:
    return replace(change, source=source)


# --- judging a checker's rows --------------------------------------------------------

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _normal(text: str) -> str:
    return _NON_WORD.sub(" ", keys.canonical_text(text).lower()).strip()


def explains(change: Change, row: Discrepancy, side_effects: bool = True) -> bool:
    """The row is about this change: a catching kind (or, with `side_effects`, a kind
    that may truly report it besides), the copy as one source, and the change's claim
    or subject in the row. Severity is the caller's business."""
    kinds = change.catches | change.also if side_effects else change.catches
    if row.kind not in kinds or change.source not in (row.source_a, row.source_b):
        return False
    if not change.claim and not change.subject:
        return True
    if change.subject and _normal(change.subject) in _normal(row.subject):
        return True
    if len(change.after) > 3 and _normal(change.after) in _normal(f"{row.value_a} {row.value_b}"):
        return True
    claims = {_normal(change.claim), _normal(change.changed_claim)}
    return any(
        text and fuzz.partial_ratio(_normal(text), claim) >= 80
        for text in (row.text_a, row.text_b)
        for claim in claims
    )


def caught(change: Change, rows: Iterable[Discrepancy]) -> bool:
    """Some row reports this change at the severity it deserves or above."""
    return any(
        explains(change, row, side_effects=False)
        and SEVERITY_RANK[row.severity] <= SEVERITY_RANK[change.severity]
        for row in rows
    )


def false_alarms(syndication: Syndication, rows: Iterable[Discrepancy]) -> list[Discrepancy]:
    """Rows no recorded change explains: medium and above for every kind, and any
    severity for the kinds the contract reports low."""
    return [
        row
        for row in rows
        if (row.kind in LOW_KINDS or row.severity != "low")
        and not any(explains(c, row) for c in syndication.changes)
    ]


# --- hypothesis strategies -----------------------------------------------------------


def syndications(base: Base | Article, **options: Any) -> Any:
    """A hypothesis strategy of `syndicate(base, ...)` drawn from hypothesis' own randomness."""
    from hypothesis import strategies as st

    prepared = prepare(base) if isinstance(base, Article) else base
    return st.randoms(use_true_random=False).map(lambda rng: syndicate(prepared, rng, **options))


def benign_copies(base: Base | Article, **options: Any) -> Any:
    """Syndications with benign edits only: a checker should report nothing above low."""
    return syndications(base, injections=0, **options)


def injected(base: Base | Article, kind: str, **options: Any) -> Any:
    """Syndications with one change of `kind` in one copy."""
    return syndications(base, injections=[kind], **options)


@dataclass
class Tally:
    """Injected changes found and missed, and rows explained or not, per kind."""

    found: dict[str, int] = field(default_factory=dict)
    missed: dict[str, int] = field(default_factory=dict)
    true_rows: dict[str, int] = field(default_factory=dict)
    false_rows: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, syndication: Syndication, rows: Sequence[Discrepancy]) -> None:
        for change in syndication.injections:
            hit = caught(change, rows)
            counter = self.found if hit else self.missed
            counter[change.kind] = counter.get(change.kind, 0) + 1
            if not hit:
                self._example(f"miss {change.kind}", f"{change.before!r} -> {change.after!r}")
        false = false_alarms(syndication, rows)
        for row in rows:
            if row.kind not in LOW_KINDS and row.severity == "low":
                continue
            counter = self.false_rows if row in false else self.true_rows
            counter[row.kind] = counter.get(row.kind, 0) + 1
        for row in false:
            self._example(f"false {row.kind}", f"{row.severity} {row.value_a!r} / {row.value_b!r}")

    def _example(self, key: str, text: str) -> None:
        bucket = self.examples.setdefault(key, [])
        if len(bucket) < 5:
            bucket.append(text)


def check(syndication: Syndication) -> tuple[Discrepancy, ...]:
    """Run the checker on a syndication."""
    return check_articles(syndication.articles).discrepancies
