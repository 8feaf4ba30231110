"""Claims aligned on their frame, compared on their slots: masked text, masked scoring,
paraphrases related by weighted shared words."""

from __future__ import annotations

from rapidfuzz import fuzz

from consistency import check_articles, claims, clean, keys, match
from consistency.detectors.base import Context
from consistency.detectors.claims import aligned_pairs
from consistency.models import Article, Claim
from consistency.settings import MASKED_SCORER, SCORER, WORDS_SCORER

TOLL_A = "Seventy-two people died in the earthquake in Cebu on Thursday 2 October, officials said."
TOLL_B = "At least 169 people died in the quake in Cebu on Wednesday 1 October, the officials said."
SHARED = (
    "Rescue teams from across the province were searching collapsed buildings in Bogo City "
    "through the night.\n\n"
    "The provincial governor declared a state of calamity and asked for help from Manila.\n"
)


def claims_of(*articles: tuple[str, str]) -> tuple[Claim, ...]:
    cleaned = clean.clean(tuple(Article(s, f"{s}.txt", body) for s, body in articles))
    return claims.extract_claims(cleaned)


def test_masked_text_replaces_numbers_dates_and_grades() -> None:
    assert keys.masked_text("The toll rose to 72 on Thursday, 2 October 2025.") == (
        "the toll rose to #n on #d"
    )
    assert keys.masked_text("Nearly three hundred (1,100) were hurt") == "nearly #n were hurt"
    assert keys.masked_text("The force was rated Requires Improvement") == (
        "the force was rated #g"
    )
    # A calendar word counts only capitalised: "may" is also a verb.
    assert keys.masked_text("It may rain in May") == "it may rain in #d"
    # Names are the subject and stay.
    assert keys.masked_text("Cleveland was rated good") == "cleveland was rated #g"


def test_a_changed_number_and_a_reworded_word_still_match() -> None:
    plain = fuzz.ratio(keys.canonical_text(TOLL_A), keys.canonical_text(TOLL_B))
    masked = fuzz.ratio(keys.masked_text(TOLL_A), keys.masked_text(TOLL_B))
    assert plain < match.MatchSettings().claim_cutoff <= masked
    found = claims_of(("wire", f"{TOLL_A}\n\n{SHARED}"), ("paper", f"{TOLL_B}\n\n{SHARED}"))
    texts = {c.claim_id: c.text for c in found}
    by_text = {
        frozenset((texts[m.claim_a], texts[m.claim_b])): m
        for m in match.match_claims(found).matches
    }
    toll = by_text[frozenset((TOLL_A, TOLL_B))]
    assert toll.scorer == MASKED_SCORER and toll.score >= 80
    assert all(m.scorer == SCORER for key, m in by_text.items() if key != {TOLL_A, TOLL_B})


def test_the_slot_difference_is_then_judged() -> None:
    result = check_articles(
        (
            Article("wire", "wire.txt", f"{TOLL_A}\n\n{SHARED}"),
            Article("paper", "paper.txt", f"{TOLL_B}\n\n{SHARED}"),
        )
    )
    kinds = {d.kind for d in result.discrepancies}
    assert {"number_conflict", "date_conflict"} <= kinds


def test_without_masking_the_toll_pair_would_not_match() -> None:
    found = claims_of(("wire", f"{TOLL_A}\n\n{SHARED}"), ("paper", f"{TOLL_B}\n\n{SHARED}"))
    texts = {c.claim_id: c.text for c in found}
    strict = match.MatchSettings(claim_cutoff=100)
    matched = {texts[m.claim_a] for m in match.match_claims(found, strict).matches}
    assert TOLL_A not in matched


def test_a_counterpart_matched_as_written_wins_over_a_masked_one() -> None:
    """Masked, the two forces' lines read alike: each line pairs with its own force's."""
    one = (
        "Warwickshire Police was rated good in 3 areas of its work this year.\n\n"
        "West Mercia Police was rated good in 4 areas of its work this year.\n\n" + SHARED
    )
    two = (
        "Warwickshire Police was rated good in 5 areas of its work this year.\n\n"
        "West Mercia Police was rated good in 4 areas of its work this year.\n\n" + SHARED
    )
    result = check_articles((Article("a", "a.txt", one), Article("b", "b.txt", two)))
    ctx = Context(
        result.cleaned,
        {c.claim_id: c for c in result.claims},
        result.extraction,
        result.matching,
        result.graph,
    )
    texts = {c.claim_id: c.text for c in result.claims}
    pairs = {
        (texts[m.claim_a].split()[0], texts[m.claim_b].split()[0]) for m, _ in aligned_pairs(ctx)
    }
    assert ("Warwickshire", "West") not in pairs and ("West", "Warwickshire") not in pairs
    conflicts = [d for d in result.discrepancies if d.kind == "number_conflict"]
    assert len(conflicts) == 1 and "3" in conflicts[0].value_a + conflicts[0].value_b


def test_a_paraphrase_left_unaligned_is_related_by_weighted_words() -> None:
    a = "Firefighters rescued an elderly resident from the burning cottage near Ludlow."
    b = (
        "An elderly resident was pulled out by firefighters late on Tuesday evening after "
        "flames spread through the roof of a burning thatched cottage on the edge of Ludlow."
    )
    found = claims_of(("echo", f"{a}\n\n{SHARED}"), ("radio", f"{b}\n\n{SHARED}"))
    texts = {c.claim_id: c.text for c in found}
    settings = match.MatchSettings(related_cutoff=60)  # fuzz.ratio 50: under it
    related = {
        frozenset((texts[m.claim_a], texts[m.claim_b])): m
        for m in match.match_claims(found, settings).related
    }
    pair = related.get(frozenset((a, b)))
    assert pair is not None and pair.scorer == WORDS_SCORER
    never = match.MatchSettings(related_cutoff=60, related_word_share=1.01)
    assert not any(m.scorer == WORDS_SCORER for m in match.match_claims(found, never).related)


def test_masked_scoring_is_the_same_blocked_or_not() -> None:
    found = claims_of(("wire", f"{TOLL_A}\n\n{SHARED}"), ("paper", f"{TOLL_B}\n\n{SHARED}"))
    blocked = match.match_claims(found)
    unblocked = match.match_claims(found, match.MatchSettings(blocking=False))
    assert set(blocked.matches) == set(unblocked.matches)
    assert set(blocked.related) <= set(unblocked.related)
