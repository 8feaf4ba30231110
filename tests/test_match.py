"""Match stage: stories, claim matches, and average linkage that does not chain."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import check, check_articles, claims, clean, extract, ingest, keys, match
from consistency import stories as stories_module
from consistency.models import Article, Claim, ClaimMatch, Matching
from consistency.settings import MatchSettings
from consistency.testing import prepare, syndicate


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts) + "\n"


KENT = paragraphs(
    "Kent Police rated inadequate for organised crime",
    "Kent Police has been rated inadequate for its approach to serious and organised crime "
    "following an inspection.",
    "Inspectors found the force had too few analysts and was not using intelligence well enough.",
    "Chief Constable Tim Smith said: “We accept the findings and we will act on every one of "
    "them.”",
    "The force said it accepted the findings and had drawn up an improvement plan.",
)

SCHOOL = paragraphs(
    "Bristol school praised by Ofsted inspectors",
    "Hillside Academy in Bristol has been rated outstanding by Ofsted for the first time in its "
    "history.",
    "Inspectors praised the behaviour of pupils and the ambition of the curriculum across every "
    "year group.",
    "The headteacher said staff and pupils were delighted with the result.",
)

FIRE = paragraphs(
    "Fire crews tackle large blaze at Dorset recycling centre",
    "Firefighters from across Dorset spent the night tackling a large blaze at a recycling "
    "centre near Poole.",
    "Residents were told to keep their windows and doors closed because of the smoke.",
    "Dorset and Wiltshire Fire and Rescue Service said the cause of the fire was being "
    "investigated.",
)

TEMPLATED = "\n\nThe force has been contacted for comment.\n"
SIGN_OFF = (
    "\n\nAnyone with information about crime in their area is asked to call 101 or contact the "
    "independent charity Crimestoppers anonymously on 0800 555 111.\n"
)


def claims_of(*articles: tuple[str, str]) -> tuple[Claim, ...]:
    cleaned = clean.clean(tuple(Article(s, f"{s}.txt", body) for s, body in articles))
    return claims.extract_claims(cleaned)


def stories(matching: Matching) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for source, story in matching.story_of.items():
        groups.setdefault(story, set()).add(source)
    return {frozenset(g) for g in groups.values()}


def test_identical_articles_are_one_story() -> None:
    found = claims_of(("kent-online", KENT), ("kent-radio", KENT), ("kent-messenger", KENT))
    matching = match.match_claims(found)
    assert stories(matching) == {frozenset({"kent-online", "kent-radio", "kent-messenger"})}
    # Every claim of the first matches its copy in the others, with a full score.
    pairs = {(m.claim_a, m.claim_b): m for m in matching.matches}
    assert ("kent-messenger:0002", "kent-online:0002") in pairs
    assert all(m.score == 100.0 and m.scorer == match.SCORER for m in matching.matches)


def test_lightly_edited_copies_are_one_story() -> None:
    edited = (
        KENT.replace("following an inspection", "after an inspection")
        .replace("too few analysts", "too few intelligence analysts")
        .replace("had drawn up", "had now drawn up")
    )
    matching = match.match_claims(claims_of(("a", KENT), ("b", edited)))
    assert stories(matching) == {frozenset({"a", "b"})}
    scores = sorted(m.score for m in matching.matches)
    assert scores[0] >= match.MatchSettings().claim_cutoff
    assert scores[0] < 100.0


def test_unrelated_stories_sharing_a_templated_sentence_stay_apart() -> None:
    matching = match.match_claims(claims_of(("kent", KENT + TEMPLATED), ("fire", FIRE + TEMPLATED)))
    assert stories(matching) == {frozenset({"kent"}), frozenset({"fire"})}
    assert matching.matches == ()


def test_a_long_shared_sign_off_does_not_chain_two_stories() -> None:
    # x1 and y1 share a long sign-off (enough on its own to link two articles), but
    # their stories each have another outlet that shares nothing with the other story.
    found = claims_of(
        ("x1", KENT + SIGN_OFF + TEMPLATED),
        ("x2", KENT.replace("following an inspection", "after an inspection")),
        ("y1", SCHOOL + SIGN_OFF + TEMPLATED),
        ("y2", SCHOOL),
    )
    matching = match.match_claims(found)
    assert stories(matching) == {frozenset({"x1", "x2"}), frozenset({"y1", "y2"})}
    by_id = {c.claim_id: c for c in found}
    for m in matching.matches:
        a, b = by_id[m.claim_a].source, by_id[m.claim_b].source
        assert matching.story_of[a] == matching.story_of[b]


def test_quotes_match_only_quotes() -> None:
    found = claims_of(("a", KENT), ("b", KENT))
    by_id = {c.claim_id: c for c in found}
    for m in match.match_claims(found).matches:
        assert (by_id[m.claim_a].kind == "quote") == (by_id[m.claim_b].kind == "quote")


def test_short_claims_are_not_matched() -> None:
    found = claims_of(("a", KENT + "\n\nIt was bad.\n"), ("b", KENT + "\n\nIt was bad.\n"))
    texts = {c.claim_id: c.text for c in found}
    matched = {texts[m.claim_a] for m in match.match_claims(found).matches}
    assert "It was bad." not in matched


# --- average linkage ------------------------------------------------------------------


def link(*pairs: str) -> set[tuple[str, str]]:
    return {(min(p[0], p[1]), max(p[0], p[1])) for p in pairs}


def groups(items: str, linked: set[tuple[str, str]], fraction: float = 0.5, **strong: float):
    strength = {p: strong.get("".join(p), 1.0) for p in linked}
    return {frozenset(g) for g in match.average_linkage(list(items), strength, fraction)}


def test_two_cliques_with_one_bridge_stay_apart() -> None:
    linked = link("AB", "CD", "BC")
    assert groups("ABCD", linked, AB=5, CD=5) == {frozenset("AB"), frozenset("CD")}


def test_bridge_taken_first_still_does_not_chain() -> None:
    # Even when the bridge is the strongest link, the later merge fails on the fraction.
    linked = link("AB", "CD", "BC")
    result = groups("ABCD", linked, BC=9)
    assert frozenset("ABCD") not in result
    assert not any({"A", "D"} <= g for g in result)


def test_a_path_does_not_chain_end_to_end() -> None:
    result = groups("ABCDE", link("AB", "BC", "CD", "DE"))
    assert not any({"A", "E"} <= g for g in result)
    assert not any({"A", "D"} <= g for g in result)


def test_three_items_chain_only_at_half() -> None:
    # A-B, B-C linked, A-C not: C joins {A, B} with one of two pairs linked, which
    # meets a fraction of 0.5 exactly but not a stricter one.
    linked = link("AB", "BC")
    assert groups("ABC", linked, 0.5, AB=2) == {frozenset("ABC")}
    assert groups("ABC", linked, 0.6, AB=2) == {frozenset("AB"), frozenset("C")}


def test_fully_linked_items_merge() -> None:
    linked = link(*("".join(p) for p in combinations("ABCDE", 2)))
    assert groups("ABCDE", linked) == {frozenset("ABCDE")}


def test_unlinked_items_stay_single() -> None:
    assert groups("ABC", set()) == {frozenset("A"), frozenset("B"), frozenset("C")}


ITEMS = "ABCDEFG"
all_pairs = [(a, b) for a, b in combinations(ITEMS, 2)]


@settings(max_examples=50, deadline=None)
@given(
    st.sets(st.sampled_from(all_pairs)),
    st.permutations(list(ITEMS)),
    st.sampled_from([0.5, 0.6, 0.75, 1.0]),
)
def test_average_linkage_properties(
    linked: set[tuple[str, str]], order: list[str], fraction: float
) -> None:
    strength = {p: float(ord(p[0]) % 3 + 1) for p in linked}
    result = match.average_linkage(order, strength, fraction)
    # A partition of the items...
    flat = [x for g in result for x in g]
    assert sorted(flat) == sorted(ITEMS)
    # ...whatever order the items came in...
    again = match.average_linkage(sorted(ITEMS), strength, fraction)
    assert {frozenset(g) for g in result} == {frozenset(g) for g in again}
    # ...in which each group has at least `fraction` of its pairs linked, so it is never a
    # chain held together by single links.
    for group in result:
        pairs = list(combinations(sorted(group), 2))
        if pairs:
            assert sum(1 for p in pairs if p in linked) >= fraction * len(pairs)


# --- order and symmetry ------------------------------------------------------------

BODIES = [KENT, SCHOOL, FIRE]


def _edit(body: str, n: int) -> str:
    edits = [
        ("following an inspection", "after an inspection"),
        ("too few analysts", "too few intelligence analysts"),
        ("for the first time", "for the very first time"),
        ("near Poole", "near Poole in Dorset"),
        ("the night", "the whole night"),
    ]
    for old, new in edits[: n % (len(edits) + 1)]:
        body = body.replace(old, new)
    return body


articles_strategy = st.lists(
    st.tuples(st.sampled_from(range(len(BODIES))), st.integers(0, 5)), min_size=2, max_size=5
)


def _claims(spec: list[tuple[int, int]], names: list[str]) -> tuple[Claim, ...]:
    bodies = [_edit(BODIES[b], n) for b, n in spec]
    return claims_of(*zip(names, bodies, strict=True))


def _result(matching: Matching, by_id: dict[str, Claim], rename: dict[str, str]):
    pairs = {
        frozenset({(rename[by_id[m.claim_a].source], by_id[m.claim_a].text),
                   (rename[by_id[m.claim_b].source], by_id[m.claim_b].text)})
        for m in matching.matches
    }  # fmt: skip
    scores = {
        frozenset({rename[by_id[m.claim_a].source], rename[by_id[m.claim_b].source]})
        | {by_id[m.claim_a].text, by_id[m.claim_b].text}: m.score
        for m in matching.matches
    }
    partition = {frozenset(rename[s] for s in g) for g in stories(matching)}
    return pairs, scores, partition


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles_strategy, st.randoms(use_true_random=False))
def test_matching_ignores_claim_order(spec: list[tuple[int, int]], random) -> None:
    names = [f"outlet-{i}" for i in range(len(spec))]
    found = list(_claims(spec, names))
    shuffled = list(found)
    random.shuffle(shuffled)
    a, b = match.match_claims(found), match.match_claims(shuffled)
    assert set(a.matches) == set(b.matches)
    assert dict(a.story_of) == dict(b.story_of)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles_strategy)
def test_scores_are_symmetric(spec: list[tuple[int, int]]) -> None:
    # Renaming the sources reverses their order, so every pair is scored the other way round.
    forward = [f"a{i}" for i in range(len(spec))]
    backward = [f"z{len(spec) - i}" for i in range(len(spec))]
    fa, fb = _claims(spec, forward), _claims(spec, backward)
    same = dict(zip(forward, forward, strict=True))
    back = dict(zip(backward, forward, strict=True))
    ra = _result(match.match_claims(fa), {c.claim_id: c for c in fa}, same)
    rb = _result(match.match_claims(fb), {c.claim_id: c for c in fb}, back)
    assert ra == rb


NOT_SHARED = frozenset({"kent-online:0002"})
NOT_SHARED_RADIO = frozenset({"kent-radio:0002"})
NOT_SHARED_ROADS = frozenset({"kent-roads:0002"})
SHARED_SENTENCE = "Inspectors found the force had too few analysts and was not using intelligence."

REWRITTEN_KENT = paragraphs(
    "Police chief vows to act after damning report",
    "A damning report has criticised the way Kent Police deals with organised criminals.",
    "Chief Constable Tim Smith promised change, saying every recommendation would be acted on.",
    "Inspectors found the force had too few analysts and was not using intelligence.",
    "Campaigners in Maidstone said the county deserved better from its police.",
)

UNRELATED_KENT = paragraphs(
    "Roadworks to close Maidstone bridge for a month",
    "Kent County Council will close the bridge in Maidstone for repairs from Monday.",
    "Inspectors found the force had too few analysts and was not using intelligence.",
    "Drivers are advised to use the A20 and allow extra time for their journeys.",
)


# The claim links alone (the stories stage's word vectors off: no cosine reaches 2). With
# them on, the rewrite is one story with the original by its words (tests/test_stories.py).
CLAIMS_ONLY = MatchSettings(story_cosine=2.0)


def test_one_shorter_shared_claim_links_articles_naming_the_same_people() -> None:
    found = claims_of(("kent-online", KENT), ("kent-radio", REWRITTEN_KENT))
    # Both name Tim Smith and Kent Police in claims other than the shared one.
    online = {"person:tim smith": frozenset({"kent-online:0004"}), "org:kent": NOT_SHARED}
    radio = {"person:tim smith": frozenset({"kent-radio:0003"}), "org:kent": NOT_SHARED_RADIO}
    both = {"kent-online": online, "kent-radio": radio}
    linked = match.match_claims(found, CLAIMS_ONLY, entities=both)
    assert stories(linked) == {frozenset({"kent-online", "kent-radio"})}
    # The same shared sentence without shared names is not enough.
    unlinked = match.match_claims(found, CLAIMS_ONLY, entities={"kent-online": online})
    assert len(stories(unlinked)) == 2


def test_names_only_in_the_shared_claim_do_not_link_articles() -> None:
    found = claims_of(("kent-online", KENT), ("kent-radio", REWRITTEN_KENT))
    ids = {c.source: c.claim_id for c in found if c.text.startswith("Inspectors found the")}
    # The names (a force and a charity, as in a sign-off) are only in the shared claim.
    online = dict.fromkeys(("org:kent", "org:charity"), frozenset({ids["kent-online"]}))
    radio = dict.fromkeys(("org:kent", "org:charity"), frozenset({ids["kent-radio"]}))
    both = {"kent-online": online, "kent-radio": radio}
    matching = match.match_claims(found, CLAIMS_ONLY, entities=both)
    assert len(stories(matching)) == 2


def test_shared_names_without_a_shared_claim_never_link_articles() -> None:
    roads = UNRELATED_KENT.replace(SHARED_SENTENCE + "\n\n", "")
    found = claims_of(("kent-online", KENT), ("kent-roads", roads))
    online = {"org:kent": NOT_SHARED, "person:tim smith": NOT_SHARED}
    roads = {"org:kent": NOT_SHARED_ROADS, "person:tim smith": NOT_SHARED_ROADS}
    matching = match.match_claims(found, entities={"kent-online": online, "kent-roads": roads})
    assert len(stories(matching)) == 2


# --- blocking against the unblocked pipeline -------------------------------------------


def _feed() -> tuple[Article, ...]:
    """The real seed articles beside syndications of the dev articles: several stories."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    feed = list(ingest.read_articles([fixtures / "west-mercia"]))
    for n, article in enumerate(ingest.read_articles([fixtures / "articles" / "dev"])):
        feed += syndicate(prepare(article), 500 + n, copies=3, injections=2).articles
    return tuple(feed)


def test_blocking_finds_what_scoring_every_pair_finds() -> None:
    feed = _feed()
    blocked = check_articles(feed, match.MatchSettings())
    unblocked = check_articles(feed, match.MatchSettings(blocking=False))
    assert len(set(blocked.matching.story_of.values())) >= 9
    assert blocked.discrepancies == unblocked.discrepancies
    assert blocked.matching.story_of == unblocked.matching.story_of
    assert set(blocked.matching.matches) == set(unblocked.matching.matches)
    # Blocking only ever leaves out pairs: every pair it scores, all-pairs scores too.
    assert set(blocked.matching.related) <= set(unblocked.matching.related)


def test_all_pairs_pairs_every_long_claim_of_two_sources_in_one_group() -> None:
    found = claims_of(("a", KENT), ("b", KENT), ("c", FIRE))
    ordered = sorted(found, key=lambda c: c.claim_id)
    canon = [keys.canonical_text(c.text) for c in ordered]
    settings = match.MatchSettings()
    pairs = set(match.all_pairs(ordered, canon, settings).iter_rows())
    expected = {
        (i, j)
        for i, j in combinations(range(len(ordered)), 2)
        if ordered[i].source != ordered[j].source
        and (ordered[i].kind == "quote") == (ordered[j].kind == "quote")
        and min(len(canon[i].split()), len(canon[j].split())) >= settings.min_claim_words
    }
    assert pairs == expected
    # and the blocked candidates are among them
    assert set(match.candidate_pairs(ordered, canon, settings).iter_rows()) <= expected


def test_unblocked_matching_keeps_the_shared_phrase_rule() -> None:
    # fuzz.ratio 89, but no three words in common: two subjects, blocked or not.
    shared = "The unit was inspected in May this year.\n\nIts report came out in the autumn."
    found = claims_of(
        ("echo", f"West Midlands ROCU - adequate\n\n{shared}"),
        ("radio", f"West Midlands Police - adequate\n\n{shared}"),
    )
    texts = {c.claim_id: c.text for c in found}
    for blocking in (True, False):
        matching = match.match_claims(found, match.MatchSettings(blocking=blocking))
        assert len(set(matching.story_of.values())) == 1
        matched = {texts[m.claim_a] for m in matching.matches}
        assert matched == {
            "The unit was inspected in May this year.",
            "Its report came out in the autumn.",
        }, blocking


# --- claim pairs across articles that cannot be one story --------------------------------

INSPECTED = paragraphs(
    "{place} Fire and Rescue Service 2018/19",
    "{place} Fire and Rescue Service is good at keeping people safe and secure from fire and "
    "other risks, and its inspector, {person}, said {place} was making progress.",
    "The service in {place} needs to improve how it responds to national risks, and it has a "
    "good understanding of the risks its community in {place} faces.",
    "{place} is good at preventing fires and other risks, and {place} is good at protecting the "
    "public through fire regulation.",
)


def test_claims_of_two_subjects_are_never_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pages from one template about two services share most sentences word for word
    but can never be one story (consistency.stories): their claim pairs are left unscored,
    the copies of one page are scored as ever."""
    scored: list[tuple[str, str]] = []
    ratios = match._ratios

    def spy(
        texts: np.ndarray, first: np.ndarray, second: np.ndarray, settings: MatchSettings
    ) -> np.ndarray:
        scored.extend(zip(texts[first], texts[second], strict=True))
        return ratios(texts, first, second, settings)

    monkeypatch.setattr(match, "_ratios", spy)
    cleveland = INSPECTED.format(place="Cleveland", person="Phil Gormley")
    durham = INSPECTED.format(place="Durham", person="Wendy Williams")
    result = check_articles(
        (
            Article("cleveland", "cleveland.txt", cleveland),
            Article("cleveland-copy", "cleveland-copy.txt", cleveland),
            Article("durham", "durham.txt", durham),
        ),
        workers=1,
    )
    assert stories(result.matching) == {
        frozenset({"cleveland", "cleveland-copy"}),
        frozenset({"durham"}),
    }
    assert scored
    assert not [pair for pair in scored if ("durham" in pair[0]) != ("durham" in pair[1])]


def test_articles_joined_in_one_story_across_a_veto_have_their_claims_matched() -> None:
    """a and c are published 91 days apart (two stories, says the date), but b, between
    them, is one story with each, and average linkage joins all three: the claim pairs
    of a and c, left unscored at first, are scored then and matched as all-pairs
    scoring matches them."""
    found = claims_of(("a", KENT), ("b", KENT), ("c", KENT))
    published = {"a": "2024-01-01", "b": "2024-02-15", "c": "2024-04-01"}
    blocked = match.match_claims(found, published=published)
    unblocked = match.match_claims(found, MatchSettings(blocking=False), published=published)
    assert stories(blocked) == {frozenset({"a", "b", "c"})}
    by_id = {c.claim_id: c.source for c in found}
    assert {"a", "c"} in [{by_id[m.claim_a], by_id[m.claim_b]} for m in blocked.matches]
    assert blocked.matches == unblocked.matches
    assert blocked.story_of == unblocked.story_of


def test_among_is_isin() -> None:
    pool = np.array([7, 3, 3, 11, -1])
    values = np.array([3, 4, -1, 11, 12, -2, 7])
    assert stories_module.among(values, pool).tolist() == np.isin(values, pool).tolist()
    assert stories_module.among(values, np.array([], dtype=np.int64)).tolist() == [False] * 7


@given(
    st.sets(st.integers(-50, 50), max_size=30),
    st.lists(st.integers(-60, 60), max_size=30),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_positions_are_where_each_value_is_in_a_sorted_or_unsorted_pool(
    pool_values: set[int], values: list[int], in_order: bool, rng: random.Random
) -> None:
    listed = sorted(pool_values)
    if not in_order:
        rng.shuffle(listed)
    pool = np.array(listed, dtype=np.int64)
    where = {v: k for k, v in enumerate(listed)}
    found = stories_module.positions(np.array(values, dtype=np.int64), pool)
    assert found.tolist() == [where.get(v, -1) for v in values]


def test_counterparts_read_a_block_of_sources_at_a_time_find_the_same_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blocks of one claim's sources each (a source is never split) against one block.
    feed = _feed()
    whole = check_articles(feed, match.MatchSettings(), workers=1).matching
    monkeypatch.setattr(match, "WORD_BLOCK", 1)
    blocks = check_articles(feed, match.MatchSettings(), workers=1).matching
    assert any(m.scorer == match.WORDS_SCORER for m in whole.related)
    assert blocks == whole


def _wide_story(outlets: int, seed: int = 41) -> tuple[Article, ...]:
    """One dev article carried by `outlets` outlets, with benign edits and two changes."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    article = ingest.read_articles([fixtures / "articles" / "dev"])[0]
    return syndicate(prepare(article), seed, copies=outlets - 1, injections=2).articles


def _without(source_prefix: str, pairs: Iterable[ClaimMatch]) -> set[ClaimMatch]:
    return {
        m
        for m in pairs
        if not (m.claim_a.startswith(source_prefix) or m.claim_b.startswith(source_prefix))
    }


@pytest.mark.parametrize("cap", [3, 6, pytest.param(200, marks=pytest.mark.slow)])
def test_a_story_in_more_outlets_than_a_phrase_may_link_is_matched_as_in_fewer(cap: int) -> None:
    """A sentence in more than `max_shingle_articles` articles links no stories, but
    inside the story it is still paired: one outlet more does not cost the others
    their matches (it did: 201 outlets of one wire story matched a third as many pairs
    as 200)."""
    settings = match.MatchSettings(max_shingle_articles=cap)
    wide = _wide_story(cap)
    more = syndicate(prepare(wide[0]), 42, copies=1, prefix="more-").articles[1:]
    fewer = check_articles(wide, settings).matching
    after = check_articles(wide + more, settings).matching
    assert len(set(after.story_of.values())) == 1
    assert len(fewer.matches) > cap * (cap - 1) // 2 * 10  # pairs of many sentences
    assert _without("more-", after.matches) == set(fewer.matches)
    assert _without("more-", after.related) == set(fewer.related)
    # And as if there were no cap: a story's own copies are never too many to pair.
    uncapped = check_articles(wide + more, match.MatchSettings()).matching
    assert set(after.matches) == set(uncapped.matches)


@pytest.mark.parametrize("cap", [4, 8])
def test_a_story_in_more_outlets_than_a_word_may_block_is_one_story(cap: int) -> None:
    """Every word a story's versions share is in more than `max_term_articles` articles
    when more outlets than that carry it, and every phrase in more than
    `max_shingle_articles`: blocking by rare words then found its versions only by
    their edits, and a wire story in 500 outlets fell apart into 149 stories. Its
    articles are crowded (`stories._crowded_pairs`) and paired by their subject."""
    outlets = 5 * cap
    settings = match.MatchSettings(max_term_articles=cap, max_shingle_articles=cap)
    whole = check_articles(_wide_story(outlets), settings).matching
    assert len(whole.story_of) == outlets
    assert len(set(whole.story_of.values())) == 1
    assert whole.notices == ()
    # Without crowded pairs (a subject shared by more articles than may be paired),
    # the same feed falls apart: what keeps it whole is the crowded pairing. The
    # reader is told, under the first of those articles.
    result = check_articles(
        _wide_story(outlets), replace(settings, max_crowded_articles=outlets - 1)
    )
    parted = result.matching
    assert len(set(parted.story_of.values())) > 1
    assert result.notices == parted.notices
    [notice] = parted.notices
    assert notice.path == min(parted.story_of)
    assert f"{outlets} articles" in notice.message
    assert f"max_crowded_articles ({outlets - 1})" in notice.message


def test_a_story_found_in_parts_is_told_after_what_reading_told(tmp_path: Path) -> None:
    for n, article in enumerate(_wide_story(20)):
        (tmp_path / f"outlet-{n:02d}.txt").write_text(article.body, encoding="utf-8")
    (tmp_path / "outlet-99.txt").write_bytes(
        "Caf\xe9 owners said the inquiry was welcome.".encode("cp1252")
    )
    settings = match.MatchSettings(
        max_term_articles=4, max_shingle_articles=4, max_crowded_articles=10
    )
    result = check([tmp_path], settings)
    [read, matched] = result.notices
    assert read.path.endswith("outlet-99.txt") and "windows-1252" in read.message
    assert "found in parts" in matched.message and matched.path.startswith("outlet-")


def test_shared_phrases_read_a_slice_of_hash_values_at_a_time_find_the_same_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many slices (rare shingles and their sets per slice) against one.
    found = check_articles(_feed(), match.MatchSettings(), workers=1).claims
    ordered = sorted(found, key=lambda c: c.claim_id)
    canon = [keys.canonical_text(c.text) for c in ordered]
    masked = [keys.masked_text(c.text) for c in ordered]
    whole = match.candidate_pairs(ordered, canon, match.MatchSettings(), masked)
    monkeypatch.setattr(match, "RARE_BLOCK", 50)
    sliced = match.candidate_pairs(ordered, canon, match.MatchSettings(), masked)
    assert len(whole) > 100
    assert sliced.equals(whole)


def test_common_phrases_read_a_slice_of_hash_values_at_a_time_pair_the_same_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A cap so low that most shared phrases are common: their sets, cut by slice of
    # hash values, must pair inside stories what one slice does.
    settings = match.MatchSettings(max_shingle_articles=2)
    whole = check_articles(_feed(), settings, workers=1).matching
    monkeypatch.setattr(match, "RARE_BLOCK", 50)
    sliced = check_articles(_feed(), settings, workers=1).matching
    assert sliced == whole


# A feed matched by parts: the seam for a feed larger than one machine holds.


@dataclass(frozen=True)
class _Read:
    claims: tuple[Claim, ...]
    entities: dict[str, dict[str, frozenset[str]]]
    published: dict[str, str]
    matching: Matching


@cache
def _read(outlets: int = 0, cap: int | None = None) -> _Read:
    """`_feed()` read and matched whole, or with `outlets`, a story that many outlets
    carry beside it, under caps (`cap`) that make it crowded and too crowded to pair."""
    settings = _wide_settings(outlets, cap)
    feed = _feed()
    if outlets:
        article = prepare(_wide_story(1)[0])
        feed += syndicate(article, 41, copies=outlets - 1, injections=2, prefix="wide-").articles
    result = check_articles(feed, settings, workers=1)
    entities = {s: dict(k) for s, k in extract.entities_by_source(result.extraction).items()}
    published = {a.source: a.metadata.get("published", "") for a in result.cleaned}
    return _Read(result.claims, entities, published, result.matching)


def _wide_settings(outlets: int, cap: int | None) -> MatchSettings:
    if cap is None:
        return MatchSettings()
    return MatchSettings(
        max_term_articles=cap, max_shingle_articles=cap, max_crowded_articles=outlets - 1
    )


def _by_parts(
    read: _Read,
    groups: list[tuple[str, ...]],
    settings: MatchSettings,
    counted: bool = True,
    counts: match.FeedCounts | None = None,
) -> list[Matching]:
    if counted and counts is None:
        counts = match.feed_counts(read.claims, settings, read.entities)
    held = [set(group) for group in groups]
    return [
        match.match_claims(
            [c for c in read.claims if c.source in sources],
            settings,
            read.entities,
            read.published,
            counts,
        )
        for sources in held
    ]


def _parts(read: _Read, settings: MatchSettings) -> list[tuple[str, ...]]:
    return match.parts(read.claims, settings, read.entities, read.published)


def test_a_feed_matched_part_by_part_with_its_counts_is_matched_as_whole() -> None:
    """The parts no story crosses (`match.parts`), each matched alone with the whole
    feed's counts (`feed_counts`), give the whole feed's stories, matches and related
    pairs, in its order (`joined`): what lets a feed too large for one machine be
    matched a part at a time."""
    read = _read()
    found = _parts(read, MatchSettings())
    assert len(found) >= 9
    assert sorted(s for part in found for s in part) == sorted(read.matching.story_of)
    joined = match.joined(_by_parts(read, found, MatchSettings()))
    assert joined == read.matching
    assert list(joined.story_of.items()) == list(read.matching.story_of.items())
    # The counts are what make it exact: a part matched with its own counts weighs
    # words and phrases by itself, and some part then differs.
    alone = _by_parts(read, found, MatchSettings(), counted=False)
    assert match.joined(alone) != read.matching


def _counted_in_parts(read: _Read, cut: list[int], settings: MatchSettings) -> match.FeedCounts:
    """The feed's counts, counted a part at a time: source k in part `cut[k]`."""
    parts = _cut(read, cut)
    counts = match.merge_counts(
        (match.count_part(part, settings, read.entities) for part in parts), settings
    )
    found = [match.subjects_of(part, counts, settings, read.entities) for part in parts]
    return match.with_subjects(counts, found)


def _same_counts(a: match.FeedCounts, b: match.FeedCounts) -> bool:
    def same(x: pl.DataFrame, y: pl.DataFrame) -> bool:
        return x.sort(x.columns).equals(y.sort(y.columns))

    return (
        a.words.articles == b.words.articles
        and same(a.words.terms, b.words.terms)
        and a.words.subjects.sort().equals(b.words.subjects.sort())
        and same(a.words.crowded, b.words.crowded)
        and same(a.shingles, b.shingles)
        and same(a.stems, b.stems)
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 2), min_size=12, max_size=12),
    st.lists(st.integers(0, 3), min_size=37, max_size=37),
)
def test_any_union_of_parts_is_matched_as_in_the_whole(batch: list[int], cut: list[int]) -> None:
    """Parts are put together in batches (as an engine gives a task several), in any
    grouping: a union of parts is crossed by no story either. And the feed's counts
    are counted a part at a time (`count_part`, `merge_counts`, `subjects_of`), in any
    cut of the feed into whole articles: they are the feed's counts, as one count of
    it gives them."""
    read = _read()
    counts = _counted_in_parts(read, cut, MatchSettings())
    assert _same_counts(counts, match.feed_counts(read.claims, MatchSettings(), read.entities))
    found = _parts(read, MatchSettings())
    unions: dict[int, list[str]] = {}
    for n, part in enumerate(found):
        unions.setdefault(batch[n % len(batch)], []).extend(part)
    groups = [tuple(sources) for sources in unions.values()]
    matched = _by_parts(read, groups, MatchSettings(), counts=counts)
    assert match.joined(matched) == read.matching


def test_a_story_too_crowded_to_pair_is_told_once_when_matched_by_parts() -> None:
    """A story more crowded articles carry than `max_crowded_articles` is found in parts
    (its subject pairs none of them): whether its subject pairs is the whole feed's
    count, and the part holding its first article tells of it."""
    outlets, cap = 20, 4
    read = _read(outlets, cap)
    settings = _wide_settings(outlets, cap)
    assert len(read.matching.notices) == 1
    found = _parts(read, settings)
    wide = [part for part in found if any(s.startswith("wide-") for s in part)]
    assert len(wide) > 1  # the wide story's parts, no longer paired by subject
    # Counted in parts that cut the crowded story apart: its count is still the feed's.
    counts = _counted_in_parts(read, [n % 3 for n in range(len(read.matching.story_of))], settings)
    assert _same_counts(counts, match.feed_counts(read.claims, settings, read.entities))
    matched = _by_parts(read, found, settings, counts=counts)
    assert match.joined(matched) == read.matching
    # Told by one part, under the first crowded article of the whole feed (the feed's
    # own syndications of the same article come first).
    [notice] = [n for part in matched for n in part.notices]
    assert notice.path == "ashby-fold-academy-ofsted-copy1"


def _cut(read: _Read, cut: list[int]) -> list[list[Claim]]:
    held: dict[int, set[str]] = {}
    for source, n in zip(sorted(read.matching.story_of), cut, strict=True):
        held.setdefault(n, set()).add(source)
    return [[c for c in read.claims if c.source in sources] for sources in held.values()]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 3), min_size=37, max_size=37), st.sampled_from([7, 10**6]))
def test_the_parts_are_found_from_the_keys_and_tables_of_any_cut_of_the_feed(
    cut: list[int], pair_batch: int
) -> None:
    """What an engine that never holds the whole feed does: each part of any cut gives its
    blocking keys and subject tables (`blocking_keys`, read with the feed's counts); the
    candidate pairs are a join of the keys, each batch of them tested on its own
    articles' tables alone (`stories.judged`), and the connected pairs that pass are the
    parts the whole feed gives (`match.parts`)."""
    read = _read()
    counts = _counted_in_parts(read, cut, MatchSettings())
    found = [
        match.blocking_keys(part, counts, MatchSettings(), read.entities, read.published)
        for part in _cut(read, cut)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(match, "PAIR_BATCH", pair_batch)
        parts = match.parts_of([k for k, _ in found], [t for _, t in found], counts)
    assert parts == _parts(read, MatchSettings())
    assert len(parts) >= 9


def _parts_of_cut(read: _Read, cut: list[int], settings: MatchSettings) -> list[tuple[str, ...]]:
    """The parts found from the blocking keys and subject tables of a cut of the feed."""
    counts = _counted_in_parts(read, cut, settings)
    found = [
        match.blocking_keys(part, counts, settings, read.entities, read.published)
        for part in _cut(read, cut)
    ]
    return match.parts_of([k for k, _ in found], [t for _, t in found], counts, settings)


def test_a_crowded_story_is_cut_into_the_same_parts_from_any_cut() -> None:
    outlets, cap = 20, 4
    read = _read(outlets, cap)
    settings = _wide_settings(outlets, cap)
    cut = [n % 3 for n in range(len(read.matching.story_of))]
    assert _parts_of_cut(read, cut, settings) == _parts(read, settings)
    # And with the subject paired (a cap above the story's outlets), it is one part.
    wide = _wide_settings(10 * outlets, cap)
    parts = _parts_of_cut(read, cut, wide)
    assert parts == _parts(read, wide)
    assert len([p for p in parts if any(s.startswith("wide-") for s in p)]) == 1


def test_counts_of_another_feed_are_refused() -> None:
    # Words the counts never saw would weigh nothing, silently: a usage error.
    counts = match.feed_counts(claims_of(("a", KENT), ("b", KENT)))
    with pytest.raises(ValueError, match="counts lack"):
        match.match_claims(claims_of(("c", SCHOOL), ("d", SCHOOL)), counts=counts)


def test_a_cut_with_an_empty_part_finds_the_same_parts() -> None:
    # A Spark partition may hold no article.
    read = _read()
    settings = MatchSettings()
    parts = [*_cut(read, [n % 2 for n in range(37)]), []]
    counts = match.merge_counts(match.count_part(p, settings, read.entities) for p in parts)
    counts = match.with_subjects(
        counts, [match.subjects_of(p, counts, settings, read.entities) for p in parts]
    )
    found = [match.blocking_keys(p, counts, settings, read.entities, read.published) for p in parts]
    assert match.parts_of([k for k, _ in found], [t for _, t in found], counts) == _parts(
        read, settings
    )


def test_counts_merged_wrongly_or_unfinished_are_refused() -> None:
    read = _read()
    halves = _cut(read, [n % 2 for n in range(37)])
    counted = [match.count_part(part, MatchSettings(), read.entities) for part in halves]
    with pytest.raises(ValueError, match="in two parts"):
        match.merge_counts([*counted, counted[0]])
    with pytest.raises(ValueError, match="no parts"):
        match.merge_counts([])
    # Merged but without the subjects (`subjects_of`, `with_subjects`): refused, since
    # every part would read as if no word were a subject anywhere.
    unfinished = match.merge_counts(counted)
    with pytest.raises(ValueError, match="lack its subjects"):
        match.match_claims(halves[0], counts=unfinished)
    with pytest.raises(ValueError, match="lack its subjects"):
        match.blocking_keys(halves[0], unfinished)


def test_unblocked_the_feed_is_one_part_from_its_keys_too() -> None:
    read = _read()
    settings = MatchSettings(blocking=False)
    counts = match.feed_counts(read.claims, settings, read.entities)
    keys, tables = match.blocking_keys(read.claims, counts, settings, read.entities)
    assert match.parts_of([keys], [tables], counts, settings) == _parts(read, settings)
    assert len(_parts(read, settings)) == 1
