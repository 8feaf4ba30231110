"""The compare stage's shortcuts give the slow path's answers.

Each detector shortcut (a story's distinct texts read once, work skipped for pairs of
sources saying the same, an index in place of a scan of the feed) is checked here
against the slow path it replaced, kept below as it was, on generated inputs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from consistency import domain
from consistency.detectors import omission, people, spelling
from consistency.detectors.claims import (
    MIN_RELATED_SHARE,
    _Articles,
    _name_words,
    _place_words,
    _related_share,
    align,
)
from consistency.models import Claim, ClaimMatch, CleanArticle, Paragraph
from consistency.settings import SCORER, WORDS_SCORER

WORDS = [
    "Dorset",
    "Doreset",
    "Dominic",
    "Dominik",
    "Solanke",
    "Police",
    "police",
    "the",
    "of",
    "for",
    "da",
    "St",
    "O'Neill",
    "Zoë",
    "Kent's",
    "Spurs'",
    "BTP",
    "CQC",
    "CCQ",
    "said",
    "In",
    "The",
    "a",
    "British",
    "Transport",
    "Office",
    "National",
    "Statistics",
    "Ellesmere",
    "Port",
    "Cheshire",
    "Merseyside",
    "in",
    "on",
    "officers",
    "Huntingdon",
    "Nowak",
    "Co",
    "Mayo",
    "Knock",
]
GAPS = (" ", " ", " ", ", ", ". ", " - ", "-", ": ", ' "', '" ', " (", ") ", "' ", "; ", ", in ")

texts = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=1, max_size=14
).map(lambda parts: "".join(w + g for w, g in parts).strip())


def _claims(picks: list[tuple[int, int]], pool: list[str]) -> list[Claim]:
    """Claims of four sources, each text from a small pool so that texts repeat."""
    out: list[Claim] = []
    numbers: Counter[str] = Counter()
    for source_at, text_at in picks:
        source = f"s{source_at}"
        number = numbers[source]
        numbers[source] += 1
        text = pool[text_at % len(pool)]
        out.append(Claim(f"{source}:{number:03d}", source, "sentence", text, 1, number, 0, 9))
    return out


stories = st.tuples(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 7)), min_size=1, max_size=24),
    st.lists(texts, min_size=1, max_size=8),
)


# --- spelling: a story's distinct texts read once ---------------------------------------


def _slow_words(text: str) -> spelling._Words:
    """`spelling._words` as it was: every word looked at in one loop."""
    linking = domain.spelling().linking
    found = list(spelling._WORD.finditer(text))
    title_case = sum(len(m.group()) > 3 for m in found) >= 3 and not any(
        m.group()[0].islower() for m in found if len(m.group()) > 3
    )
    tokens: list[spelling._Token] = []
    lower: list[str] = []
    kept = -2
    for i, m in enumerate(found):
        written = m.group()
        gap = text[found[i - 1].end() : m.start()] if i else ""
        capital = written[0].isupper()
        if not capital:
            lower.append(written.lower())
            if written not in linking:
                continue
        opening = title_case or not i or spelling._opens(gap.strip())
        following = found[i + 1] if i + 1 < len(found) else None
        leads = bool(
            capital
            and opening
            and not title_case
            and following
            and following.group()[0].isupper()
            and text[m.end() : following.start()] in (" ", "-")
        )
        possessive = written[-2:] in ("'s", "’s") or (
            written.endswith("s") and text[m.end() : m.end() + 1] in ("'", "’")
        )
        tokens.append(
            spelling._Token(
                spelling._fold(written),
                written,
                m.start(),
                m.end(),
                capital,
                capital and written.isupper() and 2 <= len(written) <= spelling.MAX_INITIALS,
                opening,
                leads,
                kept == i - 1 and gap in (" ", "-"),
                possessive,
            )
        )
        kept = i
    return spelling._Words(tuple(tokens), tuple(lower))


@given(texts)
def test_words_reads_as_the_one_loop_did(text: str) -> None:
    assert spelling._words.__wrapped__(text) == _slow_words(text)


def _slow_read(sources: list[str], claims: list[Claim]) -> tuple[Any, Any, Any]:
    """`spelling._read` as it was: claim by claim, each claim's names found again."""
    story = spelling._Story(sources, {})
    uses: dict[str, list[tuple[str, spelling._Token]]] = defaultdict(list)
    written: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    by_claim = {}
    for claim in claims:
        story.claims[claim.claim_id] = claim
        tokens, lower = _slow_words(claim.text)
        by_claim[claim.claim_id] = tokens
        story.lower.update(lower)
        for t in tokens:
            if not t.capital:
                continue
            if t.initials:
                story.initials[t.written].add(claim.source)
                continue
            story.words[t.key].add(claim.source)
            uses[t.key].append((claim.claim_id, t))
            if not t.opening:
                story.inside[t.key] += 1
            elif t.leads:
                story.leading[t.key] += 1
    for claim_id, tokens in by_claim.items():
        claim = story.claims[claim_id]
        for run in spelling._runs(story, tokens):
            for k in range(max(1, len(run.keys) - 1)):
                if k and not run.tokens[k].capital:
                    continue
                tail = spelling._Run(run.tokens[k:], run.keys[k:])
                story.run_sources[tail.keys].add(claim.source)
                written[tail.keys].append((claim_id, tail.written(claim.text)))
    return story, uses, written


def _slow_regions(story: spelling._Story) -> dict[str, Any]:
    """What `_region_slips` read claim by claim, as it did before `_placements`."""
    placed: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for claim_id, claim in story.claims.items():
        for m in spelling._placed().finditer(claim.text):
            place = m.group("place")
            if place.endswith(("'s", "’s")):
                continue
            key = spelling._place_key(place)
            names.setdefault(key, " ".join(place.split()[-len(key.split()) :]))
            placed[key][spelling._region_key(m.group("region"))].append(
                (claim_id, m.group("region"))
            )
    return {"names": names, "placed": _counted(placed)}


def _fast_regions(story: spelling._Story) -> dict[str, Any]:
    placed: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for text, ids in story.by_text.items():
        for key, name, region_key, region in spelling._placements(text):
            names.setdefault(key, name)
            placed[key][region_key].extend((claim_id, region) for claim_id in ids)
    return {"names": names, "placed": _counted(placed)}


def _counted(placed: dict[str, dict[str, list[tuple[str, str]]]]) -> dict[Any, Any]:
    return {
        key: {r: Counter(uses) for r, uses in regions.items()} for key, regions in placed.items()
    }


@given(stories)
def test_a_story_read_by_distinct_text_is_read_as_claim_by_claim(story_input: Any) -> None:
    picks, pool = story_input
    claims = _claims(picks, pool)
    sources = sorted({c.source for c in claims})
    fast = spelling._read(sources, claims)
    slow, uses, written = _slow_read(sources, claims)
    assert fast.claims == slow.claims
    for name in ("words", "initials", "run_sources"):
        assert dict(getattr(fast, name)) == dict(getattr(slow, name)), name
    for name in ("inside", "lower", "leading"):
        assert +getattr(fast, name) == +getattr(slow, name), name
    # The same uses, each as often: their order is never read (rows take a set or a minimum).
    assert set(fast.token_uses) == set(uses)
    for key, found in uses.items():
        assert Counter(fast.uses(key)) == Counter(found)
    assert set(fast.written) == set(written)
    for keys, found_written in written.items():
        assert Counter(fast.written[keys]) == Counter(found_written)
    assert _fast_regions(fast) == _slow_regions(slow)
    # And the slips found, word for word.
    for find in (spelling._initial_slips, spelling._name_slips, spelling._word_slips):
        assert _slips(find(fast)) == _slips(find(slow_with(slow, uses, written)))


def slow_with(story: spelling._Story, uses: Any, written: Any) -> spelling._Story:
    """The slow story made readable by the slips' finders (which read `uses`/`written`)."""
    story.by_text = {}
    story.token_uses = defaultdict(list)
    for key, found in uses.items():
        for claim_id, token in found:
            text = f"\x00{claim_id}"  # one "text" per claim: the slow path's grain
            story.by_text.setdefault(text, [claim_id])
            story.token_uses[key].append((text, token))
    story.written = written
    return story


def _slips(found: Any) -> list[Any]:
    """Slips as rows read them: the uses as multisets."""
    return sorted(
        (s.slip, s.name, s.words, sorted(s.slip_uses), sorted(s.name_uses), s.severity, s.why)
        for s in found
    )


# --- speaker titles: sources giving the same titles skipped -----------------------------

TITLES = [
    "chief constable",
    "temporary chief constable",
    "deputy chief constable",
    "chief inspector",
    "chief inspector of prisons",
    "hm chief inspector of prisons",
    "inspector of constabulary",
    "director",
    "director of finance",
    "superintendent",
]
title_sets = st.dictionaries(
    st.sampled_from(TITLES),
    st.tuples(st.sampled_from(["T", "U"]), st.sampled_from(["c1", "c2"])),
    min_size=1,
)


def _slow_titles(ta: dict[str, Any], tb: dict[str, Any]) -> Any:
    """speaker_titles' judgment of one pair of sources, without the equal-titles shortcut."""
    if any(people.same_title(a, b) for a in ta for b in tb):
        only_a = [t for t in ta if not people._held(t, tb)]
        only_b = [t for t in tb if not people._held(t, ta)]
        if not only_a and not only_b:
            return None
        return ta[min(only_a or ta)], tb[min(only_b or tb)]
    return ta[min(ta)], tb[min(tb)]


@given(title_sets)
def test_two_sources_giving_the_same_titles_raise_nothing(titles: dict[str, Any]) -> None:
    other = {key: ("V", "c9") for key in titles}  # the same titles, written and placed otherwise
    assert _slow_titles(titles, other) is None


@given(title_sets, title_sets)
def test_title_pairs_judged_as_before(ta: dict[str, Any], tb: dict[str, Any]) -> None:
    extraction = SimpleNamespace(
        people=[
            SimpleNamespace(title_key=key, person_key="ann lee", source=source, title=t, claim_id=c)
            for source, found in (("a", ta), ("b", tb))
            for key, (t, c) in found.items()
        ]
    )
    claims = {c: Claim(c, c, "sentence", c, 1, 0, 0, 1) for c in ("c1", "c2")}
    ctx = SimpleNamespace(
        extraction=extraction,
        graph=SimpleNamespace(person_key={}, person_name={}, cluster_of={}),
        claims=claims,
        story=lambda source: "story",
    )
    rows = list(people.speaker_titles(ctx))  # type: ignore[arg-type]
    slow = _slow_titles(ta, tb)
    assert len(rows) == (slow is not None)
    if slow is not None:
        assert (rows[0].value_a, rows[0].value_b) in (
            (slow[0][0], slow[1][0]),
            (slow[1][0], slow[0][0]),
        )


# --- grades: each source's grades counted once ------------------------------------------


@given(st.lists(st.sampled_from("GRIO"), min_size=1), st.lists(st.sampled_from("GRIO"), min_size=1))
def test_grade_counts_taken_once_judge_a_pair_as_before(a: list[str], b: list[str]) -> None:
    count_a, count_b = Counter(a), Counter(b)
    slow = not (count_a <= count_b or count_b <= count_a)
    fast = not (count_a == count_b or count_a <= count_b or count_b <= count_a)
    assert fast == slow
    assert sorted(count_a) == sorted(set(a))


# --- omission: paraphrases worked out only where asked ----------------------------------


@given(stories, st.lists(st.tuples(st.integers(0, 23), st.integers(0, 23)), max_size=20))
def test_paraphrases_asked_claim_by_claim_are_the_feed_wide_ones(
    story_input: Any, pairs: list[tuple[int, int]]
) -> None:
    picks, pool = story_input
    claims = {c.claim_id: c for c in _claims(picks, pool)}
    ids = list(claims)
    related = tuple(
        ClaimMatch(ids[i % len(ids)], ids[j % len(ids)], 60.0, SCORER)
        for i, j in pairs
        if i % len(ids) != j % len(ids)
    )
    ctx = SimpleNamespace(claims=claims, matching=SimpleNamespace(related=related))
    slow: dict[str, set[str]] = defaultdict(set)
    for m in related:
        a, b = claims[m.claim_a], claims[m.claim_b]
        a_carries_b, b_carries_a = omission._carried_each_way(
            a.text, a.in_quote, b.text, b.in_quote
        )
        if a_carries_b:
            slow[m.claim_a].add(b.source)
        if b_carries_a:
            slow[m.claim_b].add(a.source)
    paraphrases = omission._Paraphrases(ctx)  # type: ignore[arg-type]
    for claim_id in ids:
        assert paraphrases.carried_by(claim_id) == slow[claim_id]


# --- claims: alignment in plain loops, articles indexed by source ------------------------


def _slow_align(ctx: Any) -> list[tuple[ClaimMatch, str]]:
    """`claims.align` as it was."""
    ranked = []
    for pairs, matched in ((ctx.matching.matches, True), (ctx.matching.related, False)):
        for m in pairs:
            a, b = ctx.claims[m.claim_a], ctx.claims[m.claim_b]
            if a.kind == "quote" or b.kind == "quote":
                continue
            how = "matched" if matched else "related"
            if matched:
                tier, value = (0 if m.scorer == SCORER else 1), -m.score
            else:
                share = _related_share(a.text, a.in_quote, b.text, b.in_quote)
                tier, value = 2, -share
                if share < MIN_RELATED_SHARE or m.scorer == WORDS_SCORER:
                    tier, how = 3, "loose"
            first, second = sorted((a.source, b.source))
            ranked.append((first, second, tier, value, m.claim_a, m.claim_b, m, how))
    ranked.sort(key=lambda r: r[:6])
    out, used, current = [], set(), None
    for first, second, _tier, _value, claim_a, claim_b, m, how in ranked:
        if (first, second) != current:
            current, used = (first, second), set()
        if claim_a in used or claim_b in used:
            continue
        used.update((claim_a, claim_b))
        out.append((m, how))
    return out


scorers = st.sampled_from([SCORER, WORDS_SCORER, "masked"])


@given(
    stories,
    st.lists(
        st.tuples(
            st.integers(0, 23), st.integers(0, 23), st.integers(40, 100), scorers, st.booleans()
        ),
        max_size=30,
    ),
)
def test_alignment_ranks_as_before(story_input: Any, pairs: list[Any]) -> None:
    picks, pool = story_input
    found = _claims(picks, pool)
    # Some quotations, which are never aligned here.
    found = [
        c if k % 5 else Claim(*(c.claim_id, c.source, "quote", *_rest(c)))
        for k, c in enumerate(found)
    ]
    claims = {c.claim_id: c for c in found}
    ids = list(claims)
    matches, related = [], []
    for i, j, score, scorer, matched in pairs:
        a, b = ids[i % len(ids)], ids[j % len(ids)]
        if claims[a].source != claims[b].source:
            (matches if matched else related).append(ClaimMatch(a, b, float(score), scorer))
    ctx = SimpleNamespace(
        claims=claims, matching=SimpleNamespace(matches=tuple(matches), related=tuple(related))
    )
    assert align(ctx) == _slow_align(ctx)  # type: ignore[arg-type]


def _rest(c: Claim) -> tuple[Any, ...]:
    return (c.text, c.line, c.paragraph, c.start, c.end)


def _article(source: str, headline: str, paragraphs: list[str]) -> CleanArticle:
    return CleanArticle(
        source,
        f"{source}.txt",
        tuple(Paragraph(text, k + 1) for k, text in enumerate(paragraphs)),
        (),
        headline=headline,
    )


@given(
    st.lists(st.tuples(st.integers(0, 3), texts, st.lists(texts, max_size=3)), max_size=8),
    st.integers(0, 4),
    texts,
)
def test_articles_indexed_by_source_answer_as_a_scan_of_the_feed(
    articles: list[Any], source_at: int, name: str
) -> None:
    feed = [_article(f"s{k}", headline, paragraphs) for k, headline, paragraphs in articles]
    source = f"s{source_at}"
    index = _Articles(feed)
    # `_writes` and `_written_in` as they were: a scan of every article of the feed.
    words = _place_words(name)
    written: set[str] = set()
    for article in feed:
        if article.source == source:
            for text in (article.headline, *(p.text for p in article.paragraphs)):
                written.update(_name_words(text, True))
    assert index.writes(source, name) == (bool(words) and words <= written)
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    scanned = any(
        pattern.search(p.text) for a in feed if a.source == source for p in a.paragraphs
    ) or any(pattern.search(a.headline) for a in feed if a.source == source)
    assert index.written_in(source, name) == scanned
