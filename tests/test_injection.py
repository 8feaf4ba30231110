"""Properties: inject one kind of change into a copy of a real article and find it.

Each base article is a seed fixture, cleaned (so encoding repair is not under
test here). Hypothesis picks the article, the claim to change and the change;
the copy must then differ from the original by a row of the injected kind, with
the original and the copy as its two sources. Benign edits (quote style,
wrapping, number words, "HM" for "His Majesty's", page furniture, a dropped
paragraph) must raise nothing above low.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from consistency import clean, domain, ingest
from consistency.claimdiff import tokenize
from consistency.models import Article, Claim, Discrepancy
from consistency.numbers import dates, quantities
from consistency.pipeline import check_articles
from consistency.results import CheckResult
from consistency.testing.writers import misspelled

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ORIGINAL, COPY = "orig", "copy"


@cache
def bases() -> tuple[tuple[str, CheckResult], ...]:
    """(body, result of checking it alone) for each seed article, cleaned."""
    out = []
    for article in ingest.read_articles([FIXTURES / "west-mercia"]):
        cleaned = clean.clean_article(article)
        paragraphs = [p.text for p in cleaned.paragraphs]
        if cleaned.headline and (not paragraphs or paragraphs[0] != cleaned.headline):
            paragraphs.insert(0, cleaned.headline)
        body = "\n\n".join(paragraphs)
        out.append((body, check_articles((Article(ORIGINAL, "orig.txt", body),))))
    return tuple(out)


def run(original: str, copy: str) -> tuple[Discrepancy, ...]:
    return check_articles(
        (Article(ORIGINAL, "orig.txt", original), Article(COPY, "copy.txt", copy))
    ).discrepancies


def between(rows: tuple[Discrepancy, ...], kind: str) -> list[Discrepancy]:
    return [d for d in rows if d.kind == kind and {d.source_a, d.source_b} == {ORIGINAL, COPY}]


@dataclass(frozen=True)
class Site:
    """Where an edit goes: a claim of a base article, and a span inside its text."""

    body: str
    claim: Claim
    start: int
    end: int

    def replace(self, new: str) -> str:
        text = self.claim.text
        changed = text[: self.start] + new + text[self.end :]
        assert self.body.count(text) == 1
        return self.body.replace(text, changed)

    @property
    def written(self) -> str:
        return self.claim.text[self.start : self.end]


def _running_text(claim: Claim, start: int, end: int) -> bool:
    """The span lies in running text: not a quotation, not an attribution."""
    return all(
        t.zone == "text"
        for t in tokenize(claim.text, claim.in_quote)
        if t.start < end and start < t.end
    )


def _sites(find: Callable[[str, Claim, CheckResult], list[tuple[int, int]]]) -> list[Site]:
    out = []
    for body, result in bases():
        for claim in result.claims:
            if claim.kind != "sentence" or len(claim.text.split()) < 8:
                continue
            if body.count(claim.text) != 1:
                continue
            out += [Site(body, claim, a, b) for a, b in find(claim.text, claim, result)]
    return out


def _numbers(text: str, claim: Claim, _result: CheckResult) -> list[tuple[int, int]]:
    out = []
    for q in quantities(text):
        digits = re.compile(r"\d+").search(text, q.start, q.end)
        if digits and q.unit in ("", "%") and _running_text(claim, q.start, q.end):
            out.append(digits.span())
    return out


def _years(text: str, claim: Claim, _result: CheckResult) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for d in dates(text)
        if d.kind == "absolute" and _running_text(claim, d.start, d.end)
        for m in [re.compile(r"(?:19|20)\d\d").search(text, d.start, d.end)]
        if m
    ]


_AUXILIARY = re.compile(r"\b(?:is|was|are|were|has|have|had|will|would|could|should)\b")


def _auxiliaries(text: str, claim: Claim, _result: CheckResult) -> list[tuple[int, int]]:
    negations = domain.lexicon().negations
    out = []
    for m in _AUXILIARY.finditer(text):
        following = text[m.end() :].split()[:2]
        if any(w.lower().strip(',.“”"') in negations | {"not"} for w in following):
            continue
        if _running_text(claim, m.start(), m.end()):
            out.append((m.end(), m.end()))
    return out


_PLAIN_WORD = re.compile(r"\b[a-z]{6,}\b")
REPLACEMENTS = ["finances", "households", "motorists", "weather", "buildings", "vehicles"]


def _content_words(text: str, claim: Claim, _result: CheckResult) -> list[tuple[int, int]]:
    function_words = domain.wording().function_words
    lexicon = domain.lexicon()
    grade_spans = [m.span() for m in domain.scales().grade_re.finditer(text)]
    date_spans = [(d.start, d.end) for d in dates(text)]
    out = []
    for m in _PLAIN_WORD.finditer(text):
        word = m.group()
        if word in function_words or word in lexicon.number_words or word in lexicon.negations:
            continue
        if any(a < m.end() and m.start() < b for a, b in grade_spans + date_spans):
            continue
        if domain.speech().verbs.fullmatch(word) or any(word[:5] == r[:5] for r in REPLACEMENTS):
            continue
        if _running_text(claim, m.start(), m.end()):
            out.append(m.span())
    return out


def _org_names(text: str, claim: Claim, result: CheckResult) -> list[tuple[int, int]]:
    out = []
    for org in result.extraction.orgs:
        if org.claim_id != claim.claim_id:
            continue
        at = text.find(org.name)
        if at >= 0 and _running_text(claim, at, at + len(org.name)):
            first = org.name.split()[0]
            if first.isalpha() and first[0].isupper():
                out.append((at, at + len(first)))
    return out


def pick(sites: list[Site]) -> st.SearchStrategy[Site]:
    if not sites:
        pytest.skip("no site in the seed articles for this edit")
    return st.sampled_from(sites)


# --- injected changes are found --------------------------------------------------


@given(st.data(), st.integers(min_value=1, max_value=40))
def test_changed_number_is_a_number_conflict(data: st.DataObject, delta: int) -> None:
    site = data.draw(pick(_sites(_numbers)))
    new = str(int(site.written) + delta)
    found = between(run(site.body, site.replace(new)), "number_conflict")
    assert any(d.severity == "high" and new in (d.value_a + d.value_b) for d in found), found


@given(st.data(), st.sampled_from(["almost", "more than", "about", "nearly"]))
def test_added_hedge_is_a_low_number_conflict(data: st.DataObject, hedge: str) -> None:
    site = data.draw(pick(_sites(_numbers)))
    assume(
        not re.search(
            r"(?:almost|more than|about|nearly|over|some)\s*$", site.claim.text[: site.start]
        )
    )
    rows = run(site.body, site.replace(f"{hedge} {site.written}"))
    found = between(rows, "number_conflict")
    assert any(d.severity == "low" and hedge in (d.value_a + d.value_b) for d in found), rows
    assert all(d.severity == "low" for d in rows if COPY in (d.source_a, d.source_b)), rows


@given(st.data(), st.sampled_from(["cp1252", "latin-1"]))
def test_mojibake_copy_is_encoding_damage_and_nothing_worse(
    data: st.DataObject, codec: str
) -> None:
    body, _ = data.draw(st.sampled_from(bases()))
    damaged = body.encode("utf-8").decode(codec, errors="replace")
    assume(damaged != body)
    rows = run(body, damaged)
    assert any(d.kind == "encoding_damage" and d.source_a == COPY for d in rows)
    assert all(d.severity == "low" for d in rows if COPY in (d.source_a, d.source_b)), rows


@given(st.data(), st.integers(min_value=1, max_value=15))
def test_changed_year_is_a_date_conflict(data: st.DataObject, delta: int) -> None:
    site = data.draw(pick(_sites(_years)))
    new = str(int(site.written) - delta)
    found = between(run(site.body, site.replace(new)), "date_conflict")
    assert any(d.severity == "high" and new in (d.value_a + d.value_b) for d in found), found


@given(st.data())
def test_added_negation_is_a_polarity_conflict(data: st.DataObject) -> None:
    site = data.draw(pick(_sites(_auxiliaries)))
    found = between(run(site.body, site.replace(" not")), "polarity_conflict")
    assert any(d.severity == "high" for d in found), found


@given(st.data(), st.sampled_from(REPLACEMENTS))
def test_changed_word_is_a_paraphrase(data: st.DataObject, word: str) -> None:
    # A plain word for another, no number, name, negation, quantifier or modal among
    # them: the claim in other words, reported low.
    site = data.draw(pick(_sites(_content_words)))
    found = between(run(site.body, site.replace(word)), "claim_altered")
    assert any(word in (d.value_a + " " + d.value_b) for d in found), found


_MODAL = re.compile(r"\b(?:will|could|may|might|must)\b")


def _modals(text: str, claim: Claim, _result: CheckResult) -> list[tuple[int, int]]:
    return [m.span() for m in _MODAL.finditer(text) if _running_text(claim, *m.span())]


@given(st.data())
def test_changed_modal_is_a_claim_alteration(data: st.DataObject) -> None:
    site = data.draw(pick(_sites(_modals)))
    new = "could" if site.written in ("will", "must") else "will"
    found = between(run(site.body, site.replace(new)), "claim_altered")
    assert any(d.severity == "medium" for d in found), found


@given(st.data(), st.integers(0, 2**32 - 1))
def test_misspelled_organisation_name_is_a_name_variant(data: st.DataObject, seed: int) -> None:
    # A misspelling, not another word: "Northmoor Police" for "Kent Police" names another
    # force, and the checker does not compare claims about two subjects.
    site = data.draw(pick(_sites(_org_names)))
    assume(not site.written.isupper())  # initials: string likeness says nothing ("HMIC" / "HMIP")
    name = misspelled(site.written, random.Random(seed))
    rows = run(site.body, site.replace(name))
    found = between(rows, "name_variant")
    assert any(d.severity == "medium" and name in (d.value_a + d.value_b) for d in found), rows


# --- quotations and speakers -------------------------------------------------------


def _quote_sites() -> list[tuple[str, Claim, CheckResult]]:
    out = []
    for body, result in bases():
        speakers = {q.claim_id: q.speaker_key for q in result.extraction.quotes}
        for claim in result.claims:
            key = result.graph.person_key.get(speakers.get(claim.claim_id, ""), "")
            if claim.kind == "quote" and " " in key and len(claim.text.split()) >= 8:
                out.append((body, claim, result))
    return out


@given(st.data(), st.sampled_from(REPLACEMENTS))
def test_changed_word_in_a_quotation_is_quote_altered(data: st.DataObject, word: str) -> None:
    sites = _quote_sites()
    if not sites:
        pytest.skip("no attributed quotation in the seed articles")
    body, claim, _ = data.draw(st.sampled_from(sites))
    words = [
        m
        for m in _PLAIN_WORD.finditer(claim.text)
        if m.group() not in domain.wording().function_words
    ]
    assume(words and body.count(claim.text) == 1)
    m = data.draw(st.sampled_from(words))
    assume(m.group()[:5] != word[:5])
    copy = body.replace(claim.text, claim.text[: m.start()] + word + claim.text[m.end() :])
    found = between(run(body, copy), "quote_altered")
    assert any(d.severity in ("medium", "high") and word in d.value_a + d.value_b for d in found)


def _titled_people() -> list[tuple[str, str, str]]:
    """(body, title as written, name) for people introduced with a title before the name."""
    out = []
    for body, result in bases():
        for p in result.extraction.people:
            written = f"{p.title} {p.name}"
            if p.title and " " in p.name and written in body:
                out.append((body, p.title, p.name))
    return sorted(set(out))


@given(st.data())
def test_changed_title_is_a_speaker_title(data: st.DataObject) -> None:
    people = _titled_people()
    if not people:
        pytest.skip("no titled person in the seed articles")
    body, title, name = data.draw(st.sampled_from(people))
    new_title = "Deputy Mayor" if "Mayor" not in title else "Chief Superintendent"
    copy = body.replace(f"{title} {name}", f"{new_title} {name}")
    found = between(run(body, copy), "speaker_title")
    assert any(d.severity == "medium" and d.subject == name for d in found), found


@given(st.data())
def test_quotation_given_to_someone_else_is_a_misattribution(data: st.DataObject) -> None:
    people = _titled_people()
    if not people:
        pytest.skip("no titled person in the seed articles")
    body, _title, name = data.draw(st.sampled_from(people))
    # Every mention of the person becomes somebody else in the copy.
    surname = name.split()[-1]
    copy = body.replace(name, "Jane Bloggs").replace(surname, "Bloggs")
    rows = run(body, copy)
    quoted = [
        r
        for r in rows
        if r.kind == "quote_attribution" and {"Jane Bloggs", name} == set(r.subject.split(" / "))
    ]
    had_quote = any(
        q.speaker_key == name.lower() or q.speaker_key == surname.lower()
        for b, result in bases()
        if b == body
        for q in result.extraction.quotes
    )
    assume(had_quote)
    assert quoted, rows


# --- grades and omissions -----------------------------------------------------------


def _graded_sites() -> list[tuple[str, str, str, str]]:
    """(body, claim text, grade wording as written, another grade of the same scale)."""
    out = []
    scales = domain.scales()
    for body, result in bases():
        claims = {c.claim_id: c for c in result.claims}
        for j in result.extraction.judgments:
            claim = claims[j.claim_id]
            if j.status != "graded" or j.negated or j.quoted or body.count(claim.text) != 1:
                continue
            others = sorted(
                {g.official for gs in scales.wordings.values() for g in gs if g.scale == j.scale}
                - {j.grade}
            )
            if claim.text.lower().count(j.wording) == 1:
                out += [(body, claim.text, j.wording, other) for other in others]
    return out


@given(st.data())
def test_changed_grade_is_a_rating_conflict(data: st.DataObject) -> None:
    sites = _graded_sites()
    if not sites:
        pytest.skip("no graded judgment in the seed articles")
    body, text, wording, other = data.draw(st.sampled_from(sites))
    at = text.lower().index(wording)
    changed = text[:at] + other + text[at + len(wording) :]
    found = between(run(body, body.replace(text, changed)), "rating_conflict")
    assert any(d.severity == "high" for d in found), found


def _paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


@given(st.data())
def test_dropped_paragraph_of_three_copies_is_an_omission(data: st.DataObject) -> None:
    body, _result = data.draw(st.sampled_from(bases()))
    paragraphs = _paragraphs(body)
    long_ones = [i for i, p in enumerate(paragraphs) if i > 0 and len(p.split()) >= 15]
    assume(long_ones)
    drop = data.draw(st.sampled_from(long_ones))
    shorter = "\n\n".join(p for i, p in enumerate(paragraphs) if i != drop)
    rows = check_articles(
        (
            Article("a", "a.txt", body),
            Article("b", "b.txt", body),
            Article("c", "c.txt", shorter),
        )
    ).discrepancies
    omitted = [d for d in rows if d.kind == "omission"]
    assert omitted, paragraphs[drop]
    assert all(d.severity == "low" for d in omitted)
    assert all("c" in (d.source_a, d.source_b) for d in omitted)
    assert all(
        d.value_a == "absent" or d.value_b == "absent" or "graded" in d.value_a + d.value_b
        for d in omitted
    )


# --- benign edits -------------------------------------------------------------------

_NUMBER_WORDS = {str(v): w for w, v in domain.lexicon().values.items() if 1 <= v <= 12}


def _straight_quotes(body: str) -> str:
    return body.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def _rewrap(body: str, width: int) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in body.split("\n\n"))


def _number_words(body: str) -> str:
    return re.sub(
        r"(?<![\d,.£$%])\b(\d{1,2})\b(?![\d,.%]|\s*(?:per cent|%))",
        lambda m: _NUMBER_WORDS.get(m.group(1), m.group(1)),
        body,
    )


def _hm(body: str) -> str:
    return body.replace("His Majesty's", "HM").replace("His Majesty’s", "HM")


def _furniture(body: str) -> str:
    paragraphs = body.split("\n\n")
    paragraphs.insert(min(2, len(paragraphs)), "Advertisement")
    paragraphs.append("Follow us on Facebook and Instagram for the latest news")
    return "\n\n".join(paragraphs)


BENIGN: dict[str, Callable[[str], str]] = {
    "straight quotes": _straight_quotes,
    "wrapped at 60": lambda b: _rewrap(b, 60),
    "wrapped at 38": lambda b: _rewrap(b, 38),
    "number words": _number_words,
    "HM": _hm,
    "page furniture": _furniture,
}


@given(
    st.data(),
    st.lists(st.sampled_from(sorted(BENIGN)), min_size=1, max_size=4, unique=True),
    st.booleans(),
)
def test_benign_edits_raise_nothing_above_low(
    data: st.DataObject, edits: list[str], drop_paragraph: bool
) -> None:
    body, _ = data.draw(st.sampled_from(bases()))
    copy = body
    if drop_paragraph:
        paragraphs = _paragraphs(copy)
        drop = data.draw(st.integers(min_value=1, max_value=len(paragraphs) - 1))
        copy = "\n\n".join(p for i, p in enumerate(paragraphs) if i != drop)
    for name in edits:
        copy = BENIGN[name](copy)
    serious = [
        (d.kind, d.severity, d.value_a, d.value_b)
        for d in run(body, copy)
        if d.severity != "low" and {d.source_a, d.source_b} & {COPY}
    ]
    assert serious == []
