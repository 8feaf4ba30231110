"""Meaning changes of loosely aligned claims, judged on their frames (consistency.frames),
and rewrites paired by their rare words (match._counterparts)."""

from __future__ import annotations

import pytest

from consistency import check_articles, clean, match
from consistency import claims as claims_stage
from consistency.claimdiff import (
    diff,
    modal_rank,
    modality,
    opposite_words,
    sandwiched,
    tokenize,
)
from consistency.frames import FrameChange, anchors, frame_changes, record_spans
from consistency.models import Article, Claim, Discrepancy
from consistency.settings import WORDS_SCORER


def changes(a: str, b: str, matched: bool = False) -> list[tuple[str, str, str, str]]:
    return [
        (c.kind, c.severity, c.value_a, c.value_b)
        for c in frame_changes(a, False, b, False, matched)
    ]


def kinds(a: str, b: str) -> set[str]:
    return {c.kind for c in frame_changes(a, False, b, False)}


# --- anchors ----------------------------------------------------------------------------


def test_anchors_are_one_word_or_synonyms_once_in_each_claim() -> None:
    a = tokenize("The site will shut next spring, the site owner said.")
    b = tokenize("The company is planning to close the Witham plant.")
    found = {(a[i].key, b[j].key) for i, j in anchors(a, b)}
    assert ("shut", "close") in found  # one synonym group
    assert ("site", "plant") not in found  # "site" is twice in the first: no anchor


# --- modality ---------------------------------------------------------------------------


def test_will_against_planning_to_is_a_change_of_status() -> None:
    a = "The 2 Sisters site in Witham, Essex, will shut after a review."
    b = "2 Sisters has announced it is planning to close its plant at Witham, Essex."
    assert ("claim_altered", "medium", "will shut", "is planning to close") in changes(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A hedge added or dropped is a rewrite's habit on loosely aligned claims.
        ("The death toll could rise, officials said.", "The death toll rose, officials said."),
        # Two hedges one rank apart.
        ("The toll in Bogo is likely to rise.", "The toll in Bogo could rise further."),
        ("The toll in Bogo was expected to rise.", "The toll in Bogo is likely to rise."),
        # A word after "than" compares.
        ("Inflation rose more than expected in January.", "Inflation rose in January."),
    ],
)
def test_hedges_a_rank_apart_or_one_sided_are_no_change(a: str, b: str) -> None:
    assert "claim_altered" not in kinds(a, b)


# --- quantifiers and superlatives -------------------------------------------------------


def test_a_quantifier_of_another_rank_before_an_anchor() -> None:
    a = "Inspectors said all prisoners spent 22 hours a day locked in their cells."
    b = "Inspectors said some prisoners spent 22 hours a day locked in their cells."
    assert ("claim_altered", "medium") in {c[:2] for c in changes(a, b)}


def test_the_best_made_one_of_the_best() -> None:
    a = "It was further evidence Liverpool are one of the best teams in the country."
    b = "It was further evidence Liverpool are the best team in the country right now."
    assert changes(a, b) == [
        (
            "claim_altered",
            "medium",
            "one of the best",
            "best",
        )
    ]
    # Matched claims (read word by word elsewhere) get this test too.
    assert changes(a, b, matched=True) == changes(a, b)


def test_a_hedged_superlative_and_one_of_several_are_a_note() -> None:
    a = "His punishment is thought to be the longest imposed on a killer of his age."
    b = "The ruling, one of the longest terms imposed on a killer of his age, was criticised."
    assert [c[:2] for c in changes(a, b)] == [("claim_altered", "low")]


def test_a_superlative_limited_to_a_kind_in_one_version_only_is_a_note() -> None:
    a = "The rates of self-harm are the highest in the region for this type of hospital."
    b = "The hospital has the worst rates of self-harm in the region, inspectors said."
    assert changes(a, b) == [
        ("claim_altered", "low", "highest … for this type of hospital", "worst")
    ]
    # Matched claims get this test too: the word-by-word reading sees a detail added.
    c = "The rates of self-harm are the highest in the region."
    assert changes(a, c, matched=True) == [
        ("claim_altered", "low", "highest … for this type of hospital", "highest")
    ]
    # Both limited, or neither: no change.
    assert changes(a, a.replace("highest", "worst")) == []
    assert changes(b, c) == []


def test_words_in_est_that_are_no_superlatives() -> None:
    a = "Officers took a keen interest in the arrest of one of the men."
    b = "Officers took a keen interest in the arrest of the men."
    assert changes(a, b) == []


# --- opposites and prefixed negations ---------------------------------------------------


def test_an_opposite_through_a_synonym_beside_an_anchor() -> None:
    a = "Counter-terrorism police are now leading the investigation into the incident."
    b = "Counter-terrorism police are assisting with the investigation, officers said."
    assert ("claim_altered", "medium", "police are now leading", "police are assisting") in (
        changes(a, b)
    )


def test_two_synonyms_of_opposites_are_too_far_apart() -> None:
    a = "The company announced earlier this week it was planning to close the plant."
    b = "The union spoke following the announcement it was planning to close the plant."
    assert "claim_altered" not in kinds(a, b)


def test_a_prefixed_negation_beside_an_anchor() -> None:
    a = "It was good at correctly cancelling rape crimes due to insufficient information."
    b = "The force was correctly cancelling rape crimes when sufficient information existed."
    assert ("polarity_conflict", "medium") in {c[:2] for c in changes(a, b)}


def test_a_negation_is_not_judged_on_loosely_aligned_claims() -> None:
    a = "He refused to attend court on Thursday, saying he would only go if he was present."
    b = "The 18-year-old was not present in court on Thursday for the sentencing."
    assert "polarity_conflict" not in kinds(a, b)


# --- one place for another --------------------------------------------------------------


def test_one_place_for_another_in_one_frame() -> None:
    a = "The train was the 6.25pm service from Peterborough to King's Cross in London."
    b = "The train was the 1825 LNER service from Doncaster to London King's Cross."
    assert ("place", "medium", "Peterborough", "Doncaster") in changes(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A month or weekday is no place.
        (
            "Inspectors visited Derriford Hospital in October 2021, the report said.",
            "Inspectors visited Derriford Hospital in Plymouth last autumn, it said.",
        ),
        # A name qualifying the next word.
        (
            "Three girls died at a Taylor Swift-themed class in the seaside town.",
            "Three girls died at The Hart Space in the seaside town.",
        ),
        # Two prepositions of different kinds: where, and where from.
        (
            "The winds from Storm Eowyn battered Ireland on Friday.",
            "The winds recorded at Mace Head battered Ireland on Friday.",
        ),
        # A headline in title case capitalises every word.
        (
            "Nine Hurt After Stabbing On Doncaster Train; Two Arrested",
            "Nine hurt after a stabbing on a train in Cambridgeshire",
        ),
    ],
)
def test_no_place_for_another(a: str, b: str) -> None:
    assert "place" not in kinds(a, b)


# --- figures, times, records ------------------------------------------------------------


def test_one_figure_counting_another_thing_in_one_frame_is_a_note() -> None:
    a = "Kent Police is recording an additional 25,400 incidents a year, it said."
    b = "It estimates the force is recording an additional 25,400 crimes a year."
    assert changes(a, b) == [
        ("claim_altered", "low", "25,400 incident", "25,400 crime"),
    ]
    # The thing is the word after the figure, and the frame must hold: "nine suffering"
    # and "nine people" are not two things counted.
    assert (
        changes(
            "Ten people were hurt, with nine suffering life-threatening injuries.",
            "Ten people were hurt and nine people suffered life-threatening injuries.",
        )
        == []
    )


def test_times_of_day_held_by_one_anchor() -> None:
    a = "A raging storm woke up her cabin just after midnight on Friday, she said."
    b = "Her cabin was roused by the raging storm around 1:30 a.m., and rescuers came."
    (change,) = frame_changes(a, False, b, False)
    assert change.kind == "time" and change.times is not None
    assert (change.value_a, change.value_b) == ("just after midnight", "around 1:30 a.m.")


def test_record_spans() -> None:
    assert [(r.days, r.hedged, r.word) for r in record_spans("the fastest rate in a decade")] == [
        (3652.5, False, "fastest")
    ]
    assert record_spans("UK inflation jumps to a 10-month high of 3%")[0].word == "high"
    assert record_spans("its highest level in nearly a year")[0].hedged
    assert record_spans("a keen interest in two years of work") == ()


def test_a_record_over_another_span() -> None:
    a = "UK inflation surged to 3%, marking the fastest rate of inflation in a decade."
    b = "UK inflation rose to 3% in January, marking the fastest rate of increase in 10 months."
    assert ("record", "high", "in a decade", "in 10 months") in changes(a, b)
    c = "Inflation has risen a surprising amount, to the highest in nearly a year."
    d = "UK inflation jumped to its highest level for 10 months in January."
    assert "record" not in kinds(c, d)  # one span in round words


# --- the whole check: rows --------------------------------------------------------------

SHARED = (
    "Rescue teams from across the county searched the site through the night.\n\n"
    "The council leader asked residents to stay away from the area until Monday.\n"
)


def rows(a: str, b: str) -> list[Discrepancy]:
    result = check_articles(
        (
            Article("echo", "echo.txt", f"{a}\n\n{SHARED}"),
            Article("radio", "radio.txt", f"{b}\n\n{SHARED}"),
        )
    )
    return [r for r in result.discrepancies if r.kind != "omission"]


def test_a_place_swapped_in_rewritten_sentences_is_a_medium_row() -> None:
    found = rows(
        "The storm destroyed the GAA's sports dome in County Galway, officials said.",
        "Connacht GAA's Air Dome in Co Mayo was destroyed by the storm, officials said.",
    )
    assert [(r.kind, r.severity, r.value_a, r.value_b) for r in found] == [
        ("claim_altered", "medium", "County Galway", "Co Mayo")
    ]


def test_a_place_both_versions_name_is_no_row() -> None:
    found = rows(
        "President Marcos flew to Cebu on Thursday to visit Bogo, the city worst hit.",
        "President Marcos flew to Bogo on Thursday, the Cebu city worst hit by the quake.",
    )
    assert [r for r in found if r.kind == "claim_altered" and r.severity != "low"] == []


def test_a_time_on_loosely_aligned_claims_is_never_high() -> None:
    found = rows(
        "A raging storm woke up her cabin at 10.15pm on Friday, she told reporters.",
        "Her cabin was roused by the raging storm at 1:30 a.m. and the girls ran outside.",
    )
    dated = [r for r in found if r.kind == "date_conflict"]
    assert [(r.severity, r.value_a, r.value_b) for r in dated] == [
        ("medium", "10.15pm", "1:30 a.m.")
    ]


# --- rewrites paired by their rare words ------------------------------------------------


def claims_of(*articles: tuple[str, str]) -> tuple[Claim, ...]:
    cleaned = clean.clean(tuple(Article(s, f"{s}.txt", body) for s, body in articles))
    return claims_stage.extract_claims(cleaned)


def words_pairs(found: tuple[Claim, ...], settings: match.MatchSettings) -> set[frozenset[str]]:
    texts = {c.claim_id: c.text for c in found}
    return {
        frozenset((texts[m.claim_a], texts[m.claim_b]))
        for m in match.match_claims(found, settings).related
        if m.scorer == WORDS_SCORER
    }


def test_a_rewrite_sharing_no_phrase_pairs_with_its_counterpart() -> None:
    a = (
        "Kent Police has improved the way it records crime, logging an estimated 25,400 "
        "additional incidents every year."
    )
    b = "The watchdog estimates the force now records 25,400 more crimes a year."
    other = "The watchdog praised the leadership of the force's senior team last week."
    found = claims_of(("bbc", f"{a}\n\n{SHARED}"), ("pcc", f"{other}\n\n{b}\n\n{SHARED}"))
    assert frozenset((a, b)) in words_pairs(found, match.MatchSettings())
    assert not words_pairs(found, match.MatchSettings(related_word_share=1.01))


def test_a_claim_whose_best_counterpart_prefers_another_is_not_paired() -> None:
    """The mutual-best rule: the one sentence about the dome pairs with the fuller
    account of it, not with a second, thinner mention."""
    a = "The storm destroyed the Connacht air dome at Bekan, officials said on Friday."
    b = "Connacht's air dome at Bekan was destroyed by the storm overnight, officials said."
    c = "Photographs of the dome were shared widely online."
    found = claims_of(("one", f"{a}\n\n{SHARED}"), ("two", f"{b}\n\n{c}\n\n{SHARED}"))
    pairs = words_pairs(found, match.MatchSettings())
    assert frozenset((a, c)) not in pairs


def test_an_articles_template_word_makes_no_candidates() -> None:
    """ "Item 1 was rated good by Kent Police", "Item 2 ...": every claim holds the
    template's words; pairing them all would be quadratic in the article."""
    settings = match.MatchSettings(max_shingle_claims=3)
    body = "\n\n".join(f"Item {i} was rated good by Kent Police last year." for i in range(6))
    found = claims_of(("one", body), ("two", body.replace("last year", "in 2024")))
    assert not words_pairs(found, settings)


def test_frame_change_is_a_plain_record() -> None:
    change = FrameChange("claim_altered", "medium", "a", "b", "why")
    assert change.times is None


# --- the word-level pieces (claimdiff) --------------------------------------------------


def test_a_possessive_is_no_difference_in_the_diff() -> None:
    a = tokenize("Despite International Paper's assurances during the acquisition process")
    b = tokenize("Despite International Paper stating during the acquisition process")
    (hunk,) = diff(a, b)
    assert ([t.key for t in hunk.a], [t.key for t in hunk.b]) == (["assurances"], ["stating"])
    assert (hunk.left, hunk.right) == (3, 4)


def test_a_run_holding_a_rewritten_stretch_is_no_held_change() -> None:
    a = tokenize("Inspectors said the four constituent police forces tackle serious crime well.")
    b = tokenize(
        "Inspectors said the West Mercia force and its partners in the region of the "
        "police response to serious crime well."
    )
    hunks = diff(a, b)
    assert sandwiched(hunks) == []
    assert sandwiched(hunks, rewrites=True) != []


def test_modal_words_in_any_inflection_and_not_after_than() -> None:
    assert modal_rank("planning") == modal_rank("plans") == 1
    assert modal_rank("expects") == 2
    assert modality(tokenize("higher than expected")) is None
    assert modality(tokenize("is expected to rise")) == 2


def test_opposites_through_one_synonym() -> None:
    assert opposite_words("leading", "assisting")
    assert not opposite_words("earlier", "following")  # two synonyms of opposites
    assert not opposite_words("close", "shut")  # one group


def test_a_synonym_with_a_complement_added_is_no_change() -> None:
    found = rows(
        "Council leader John Cotton apologised to citizens for the unprecedented cuts.",
        "Council leader John Cotton apologised to the people of the city for the unprecedented "
        "cuts.",
    )
    assert [r for r in found if r.kind == "claim_altered"] == []
    # Another head is still a paraphrase.
    found = rows(
        "Council leader John Cotton apologised to citizens for the unprecedented cuts.",
        "Council leader John Cotton apologised to members of the council for the unprecedented "
        "cuts.",
    )
    assert [(r.kind, r.severity) for r in found] == [("claim_altered", "low")]
