"""Claims stage: sentences, quotations with attributions, headings, rating lines, list items."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import claims, clean
from consistency.models import Article, Claim, frozen_map


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in claims.split_sentences(text)]


def article_claims(body: str, source: str = "gazette") -> tuple[Claim, ...]:
    return claims.article_claims(clean.clean_article(Article(source, f"{source}.txt", body)))


def quotes(body: str) -> list[tuple[str, str]]:
    return [(c.text, c.speaker) for c in article_claims(body) if c.kind == "quote"]


HEADLINE = "Kent Police told to improve after inspection"


# --- sentence splitting ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mr Smith said the force had improved. He added that more was needed.",
        "Mr. Smith said the force had improved. He added that more was needed.",
        "Ch Supt. Daf Goddard said the force had improved. Officers agreed.",
        "The inquiry was led by Ch. Supt. Helen Ward of Kent Police. She said it was complex.",
        "Det Insp. Jane Hill led the inquiry. Officers searched the house.",
        "The report was written by J. R. Hartley of the inspectorate. It runs to 80 pages.",
        "PC A. Smith arrested the man. He was charged.",
        "Cllr. Ann Jones backed the plan. Mrs. Patel agreed with her.",
        "The force is based in St. Albans. It has 3,000 officers.",
        "Inspectors visited in Sept. 2023 and found problems. The report followed.",
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert len(sentences(text)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kent Police was rated good. Inspectors praised its call handling.",
            ["Kent Police was rated good.", "Inspectors praised its call handling."],
        ),
        (
            "The force was rated good. “We are pleased,” said the chief constable.",
            ["The force was rated good.", "“We are pleased,” said the chief constable."],
        ),
        (
            'The force was rated good. "We are pleased," said the chief constable.',
            ["The force was rated good.", '"We are pleased," said the chief constable.'],
        ),
        (
            "He said: “We will act.” The force then issued a statement.",
            ["He said: “We will act.”", "The force then issued a statement."],
        ),
        (
            "He said it was “not good enough”. The force disagreed.",
            ["He said it was “not good enough”.", "The force disagreed."],
        ),
        (
            "The report cost £50,000. £20,000 came from the PCC.",
            ["The report cost £50,000.", "£20,000 came from the PCC."],
        ),
        (
            "Was it fair? The PCC thinks so. Officers were delighted!",
            ["Was it fair?", "The PCC thinks so.", "Officers were delighted!"],
        ),
    ],
)
def test_splits_before_capitals_and_opening_quotes(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_no_split_before_lower_case() -> None:
    text = "The force scored 2.5 out of 10. and the unit e.g. the ROCU was not graded."
    assert len(sentences(text)) == 1


def test_sentence_ending_in_the_word_no_is_split() -> None:
    text = (
        "Asked whether the force had enough analysts, the chief constable said no. "
        "Inspectors found it had too few."
    )
    assert len(sentences(text)) == 2


# --- quotations and their speakers ------------------------------------------------


def test_speaker_before_quote_with_colon() -> None:
    body = f"{HEADLINE}\n\nChief Constable Tim Smith said: “We accept the findings in full.”"
    assert quotes(body) == [("We accept the findings in full.", "Chief Constable Tim Smith")]


def test_speaker_after_quote_drops_where_they_work() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "“We have made a number of changes since the inspection,” said Ch Supt Daf Goddard "
        "from the force."
    )
    assert quotes(body) == [
        ("We have made a number of changes since the inspection,", "Ch Supt Daf Goddard")
    ]


def test_pronoun_after_quote() -> None:
    body = f"{HEADLINE}\n\n“It has been a very difficult year for the team,” she said."
    assert quotes(body) == [("It has been a very difficult year for the team,", "she")]


def test_reported_speech_that_opens_a_quote() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "While he acknowledges the ongoing efforts of officers, he insisted that “more needs "
        "to be done by building stronger partnerships to prevent crime.”"
    )
    ((text, speaker),) = quotes(body)
    assert text.startswith("more needs to be done")
    # The attribution as written ends with the subject of "insisted".
    assert speaker.split()[-1] == "he"


def test_title_before_comma_is_kept_with_the_name() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "HM Chief Inspector of Constabulary, Andy Cooke, said: “Forces must do better "
        "for victims.”"
    )
    assert quotes(body) == [
        ("Forces must do better for victims.", "HM Chief Inspector of Constabulary, Andy Cooke")
    ]


def test_paragraph_opening_with_unattributed_quote_continues_previous_speaker() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "PCC Matthew Scott said: “Organised crime groups target the most vulnerable "
            "people in our county.",
            "“The impact of this crime is devastating and is felt by entire communities.”",
            "The force said it would publish an improvement plan.",
            "“We will be watching progress closely over the coming months.”",
        ]
    )
    assert quotes(body) == [
        ("Organised crime groups target the most vulnerable people in our county.",
         "PCC Matthew Scott"),
        ("The impact of this crime is devastating and is felt by entire communities.",
         "PCC Matthew Scott"),
        ("We will be watching progress closely over the coming months.", "PCC Matthew Scott"),
    ]  # fmt: skip


def test_heading_resets_the_speaker() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "PCC Matthew Scott said: “We expect to see rapid progress from the force.”",
            "What the inspectors found",
            "“Too many calls from vulnerable victims were given a low priority.”",
        ]
    )
    assert quotes(body)[-1] == (
        "Too many calls from vulnerable victims were given a low priority.",
        "",
    )


def test_second_quote_in_paragraph_keeps_the_speaker() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "“We are disappointed by the report,” said Chief Constable Tim Smith. “But we accept "
        "every one of its recommendations.”"
    )
    assert [s for _, s in quotes(body)] == ["Chief Constable Tim Smith"] * 2


def test_short_quotes_are_not_quote_claims() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "The force, which called the judgment “disappointing”, was given a deadline by "
        "“concerned” inspectors."
    )
    assert quotes(body) == []
    sentence = [c for c in article_claims(body) if c.kind == "sentence"]
    assert len(sentence) == 1


def test_sentences_inside_quotations_are_marked() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "The force was rated good. “We are pleased with the result and proud of our officers,” "
        "said the chief constable."
    )
    by_text = {c.text: c for c in article_claims(body) if c.kind == "sentence"}
    assert by_text["The force was rated good."].in_quote is False
    assert by_text[
        "“We are pleased with the result and proud of our officers,” said the chief constable."
    ].in_quote


# --- headings, rating lines, list items --------------------------------------------


def kinds(body: str) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in article_claims(body)]


def test_headline_heading_rating_lines_and_list_items() -> None:
    body = "\n\n".join(
        [
            "Forces across the region told to improve",
            "Four forces were inspected by HMICFRS over the summer and autumn of last year.",
            "What the inspectors found",
            "Warwickshire - requires improvement",
            "Kent Police – inadequate",
            "Avon and Somerset - 'good'",
            "West Mercia - what happens next",
            "- Officers will be retrained in intelligence systems.",
            "1. A new analyst team will be formed.",
            "• Local teams will get more funding.",
        ]
    )
    assert kinds(body) == [
        ("headline", "Forces across the region told to improve"),
        ("sentence",
         "Four forces were inspected by HMICFRS over the summer and autumn of last year."),
        ("heading", "What the inspectors found"),
        ("rating_line", "Warwickshire - requires improvement"),
        ("rating_line", "Kent Police – inadequate"),
        ("rating_line", "Avon and Somerset - 'good'"),
        ("heading", "West Mercia - what happens next"),
        ("list_item", "Officers will be retrained in intelligence systems."),
        ("list_item", "A new analyst team will be formed."),
        ("list_item", "Local teams will get more funding."),
    ]  # fmt: skip


def test_variant_wording_is_still_a_rating_line() -> None:
    body = f"{HEADLINE}\n\nEssex - requiring improvement"
    assert kinds(body)[-1] == ("rating_line", "Essex - requiring improvement")


def test_rating_line_with_colon() -> None:
    body = f"{HEADLINE}\n\nAvon and Somerset: good"
    assert kinds(body)[-1] == ("rating_line", "Avon and Somerset: good")


def test_headline_from_metadata_is_a_claim() -> None:
    cleaned = clean.clean_article(
        Article(
            "star",
            "star.md",
            "Kent Police has been rated good by inspectors.",
            metadata=frozen_map({"headline": "Kent Police rated good"}),
        )
    )
    first = claims.article_claims(cleaned)[0]
    assert (first.kind, first.text, first.paragraph) == ("headline", "Kent Police rated good", -1)


def test_claim_ids_and_lines() -> None:
    body = "\n\n".join(
        [HEADLINE, "Kent Police was rated good. Inspectors praised it.", "- One item here."]
    )
    found = article_claims(body, source="kent-online")
    assert [c.claim_id for c in found] == [f"kent-online:{n:04d}" for n in range(1, 5)]
    assert [c.line for c in found] == [1, 3, 3, 5]
    assert all(c.source == "kent-online" for c in found)


# --- offsets ---------------------------------------------------------------------

PIECES = [
    "Kent Police was rated good.",
    "Mr Smith said the force had improved.",
    "“We are pleased with the result and proud of our officers,” said Ch Supt Daf Goddard.",
    "Chief Constable Tim Smith said: “We accept the findings in full and will act.”",
    "He insisted that “more needs to be done to protect vulnerable people”.",
    "Was it fair?",
    "The report cost £50,000.",
    "Inspectors were concerned!",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5), min_size=1, max_size=5))
def test_claim_offsets_point_into_the_paragraph(paragraphs: list[list[str]]) -> None:
    body = "\n\n".join([HEADLINE, *(" ".join(p) for p in paragraphs)])
    cleaned = clean.clean_article(Article("x", "x.txt", body))
    found = claims.article_claims(cleaned)
    for claim in found:
        if claim.paragraph < 0:
            continue
        text = cleaned.paragraphs[claim.paragraph].text
        assert text[claim.start : claim.end] == claim.text
    # Every piece of running text is one sentence claim.
    sentence_count = sum(1 for c in found if c.kind == "sentence")
    assert sentence_count == sum(len(p) for p in paragraphs)
