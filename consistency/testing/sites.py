"""Where a change of each kind can go in a base article: the per-kind site finders.

Sites come from the checker's own reading of the original (its claims,
quotations, people, organisations and grades), so an article the checker cannot
read yields fewer sites, never wrong ones. Grade sites are the exception: a plain
"cue + grade word" search, so a grade the checker cannot read is a miss rather
than a site never tried.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .. import domain
from ..caching import table_cache
from ..claimdiff import tokenize
from ..models import Claim
from ..numbers import dates, quantities
from .records import Base, Site, per_base, simulator_data

QUOTE_MARKS = "“”\"‘'"
_OPENING = "“\"‘'"


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
    auxiliaries = "|".join(simulator_data()["auxiliaries"])
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


@table_cache
def _title_words() -> frozenset[str]:
    raw = domain.table("titles.toml")
    return frozenset(w.lower() for role in raw["roles"] for w in role.split())


def word_sites(base: Base) -> list[Site]:
    return [
        _site(base, claim, a, b)
        for claim in _statements(base)
        for a, b in _plain_words(claim, "text")
    ]


MODAL_VERBS: tuple[str, ...] = ("will", "would", "should", "could", "can", "may", "might", "must")
QUANTIFIERS: tuple[str, ...] = ("few", "some", "several", "many", "most", "all")
"""The words a claim_altered change swaps for one of another rank (data/meaning.toml):
a modal verb for a modal verb, a quantifier for a quantifier, so the copy still reads."""

_MEANING_WORD = re.compile(r"\b(?:" + "|".join((*MODAL_VERBS, *QUANTIFIERS)) + r")\b")


def meaning_sites(base: Base) -> list[Site]:
    """Modal verbs and quantifiers in running text: where an editor's change of meaning
    without a number, date, name or negation goes ("will close" / "could close",
    "some victims" / "all victims"). A plain word swapped for another ("libraries" /
    "weather") is a paraphrase to the checker (low), not a change of meaning."""
    out = []
    for claim in _statements(base):
        text = claim.text
        taken = [(d.start, d.end) for d in dates(text)] + [
            (q.start, q.end) for q in quantities(text)
        ]
        inside = _zone_spans(claim, "text")
        for m in _MEANING_WORD.finditer(text):
            if inside(*m.span()) and not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(_site(base, claim, *m.span()))
    return out


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


@per_base
def graded_claims(base: Base) -> frozenset[str]:
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


@per_base
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


def leans_back(paragraph: str) -> bool:
    """The paragraph leans on the one before: it continues a quotation or opens with a
    word that refers back ("It was rated...", "He added...")."""
    first = paragraph.split(" ", 1)[0].lower().strip(",")
    return paragraph[:1] in _OPENING or first in simulator_data()["referring_words"]


def self_contained(base: Base, index: int) -> bool:
    """A paragraph that can go without changing what its neighbours say or who says it."""
    if index == 0 or index >= len(base.paragraphs):
        return False
    paragraph = base.paragraphs[index]
    following = base.paragraphs[index + 1] if index + 1 < len(base.paragraphs) else ""
    return not (leans_back(paragraph) or leans_back(following))


def omission_sites(base: Base) -> list[Site]:
    out = []
    for claim in _statements(base, 10):
        if claim.kind == "sentence" and self_contained(base, claim.paragraph):
            end = claim.end
            paragraph = base.paragraphs[claim.paragraph]
            while end < len(paragraph) and paragraph[end] == " ":
                end += 1
            out.append(Site(claim.paragraph, claim.start, end, claim))
    return out


def damageable(base: Base) -> bool:
    """Mojibake needs characters beyond ASCII; curly quotes will do, as the copy can
    always have them."""
    return any(not p.isascii() or any(q in p for q in "\"'") for p in base.paragraphs)


def scale_grades(scale: str) -> list[Any]:
    return [g for gs in domain.scales().wordings.values() for g in gs if g.scale == scale]


def wording_alternatives(site: Site) -> list[str]:
    """Unofficial wordings of an official grade ("requiring improvement" for "requires
    improvement"). The contract reports a source's unofficial wording, so only a change
    away from the official one is a discrepancy."""
    written = site_text(site).lower()
    return sorted({g.wording for g in scale_grades(site.note) if g.official == written} - {written})


def site_text(site: Site) -> str:
    return site.claim.text[site.start - site.claim.start : site.end - site.claim.start]


def wording_sites(base: Base) -> list[Site]:
    """Grade sites written in an official wording that has unofficial ones to change to."""
    return [site for site in grade_sites(base) if wording_alternatives(site)]
