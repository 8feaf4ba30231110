"""Claims stage: sentences, quotations with attributions, headings, rating lines, list items."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import claims, clean, extract
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
        "Lt. Gov. Dan Patrick said the search would go on. Crews worked through the night.",
        "Alabama Sen. Jo Example posted a message. Rep. Sam Example agreed with her.",
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


@pytest.mark.parametrize("quantifier", ["many", "most"])
def test_reported_speech_sentence_before_a_quote_does_not_speak_for_it(quantifier: str) -> None:
    # The sentence before reports what Jo Hart said; the quotation after it opens a
    # new sentence and is attributed after it. A speech verb inside the report
    # ("reported") must not make its words ("said many burglaries were never") the
    # speaker, which would change with a benign edit to the reported speech.
    body = (
        f"{HEADLINE}\n\n"
        f"Jo Hart, chair of the Residents' Group, said {quantifier} burglaries were never "
        "reported because people had given up. “Our street has been hit four times this "
        "winter alone,” she said."
    )
    # "she" after the quotation points back to the person the sentence before names.
    assert quotes(body) == [
        ("Our street has been hit four times this winter alone,",
         "Jo Hart, chair of the Residents' Group")
    ]  # fmt: skip


def test_a_name_after_a_quote_beats_the_sentence_before_it() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "Jo Hart said burglaries had doubled. “Nobody answers the phone any more,” said "
        "Sam Reid."
    )
    assert [s for _, s in quotes(body)] == ["Sam Reid"]


def test_reported_speech_before_a_quote_is_read_from_its_first_speech_verb() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "Jo Hart said burglaries were rarely reported because “nothing ever happens when "
        "you call.”"
    )
    assert [s for _, s in quotes(body)] == ["Jo Hart"]


def test_sentence_before_a_quote_speaks_for_it_when_nothing_after_does() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "“We are disappointed by the report,” said Chief Constable Tim Smith. “But we accept "
        "every one of its recommendations.” The force will publish a plan."
    )
    assert [s for _, s in quotes(body)] == ["Chief Constable Tim Smith"] * 2


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


# --- glued sentences ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He was prosecuted.The court heard he kept six dogs.Watch the video.",
            ["He was prosecuted.", "The court heard he kept six dogs.", "Watch the video."],
        ),
        (
            "Smoke rose in the background.Image shows the fire.",
            ["Smoke rose in the background.", "Image shows the fire."],
        ),
        (
            "Was it fair?“No,” she said.",
            ["Was it fair?“No,” she said."],  # an opening quote is not a capital
        ),
        (
            "Prices rose by 3.5 per cent.Analysts were surprised.",
            ["Prices rose by 3.5 per cent.", "Analysts were surprised."],
        ),
    ],
)
def test_glued_sentences_are_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He moved to the U.S.Army base in 2019 and stayed.",
        "The saint of St.Albans was honoured by the town.",
        "Mr.Smith said the force had improved a great deal.",
        "The book by J.K.Rowling sold well in every country.",
        "Read it at bbc.co.uk or at www.Example.com today.",
        "It rose 3.5 per cent on the year.",
    ],
)
def test_glued_abbreviations_initials_domains_and_decimals_are_not_split(text: str) -> None:
    assert len(sentences(text)) == 1


# --- single quotation marks, split quotations, press-release layout ---------------------


def test_single_quoted_quotation_with_speaker_after() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "Kent Police was rated good. ‘We are pleased with the outcome of this inspection,’ "
        "said Chief Constable Alan Pughsley. ‘Officers worked very hard for it.’"
    )
    assert quotes(body) == [
        ("We are pleased with the outcome of this inspection,", "Chief Constable Alan Pughsley"),
        ("Officers worked very hard for it.", "Chief Constable Alan Pughsley"),
    ]


def test_straight_single_quotes_with_speaker_before() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "Chief Inspector Gavin House, of Dorset Police, said: 'This is a very sad discovery "
        "and our priority is to find the mother.'"
    )
    assert quotes(body) == [
        (
            "This is a very sad discovery and our priority is to find the mother.",
            "Chief Inspector Gavin House, of Dorset Police",
        )
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The forces' budgets were cut and the officers' union said it was not happy.",
        "It was the best music of the '90s and the '00s for many people in the town.",
        "They played rock 'n' roll all night and the neighbours didn't complain at all.",
        "Tell 'em we don't want the O'Brien scheme in the town or near the river.",
    ],
)
def test_apostrophes_are_not_quotation_marks(sentence: str) -> None:
    body = f"{HEADLINE}\n\n{sentence} Officers were called."
    assert quotes(body) == []
    assert not any(c.in_quote for c in article_claims(body))


def test_possessive_inside_a_single_quoted_quotation() -> None:
    body = (
        f"{HEADLINE}\n\n"
        "'The forces' budgets are tight and we cannot do more with less,' said Jo Bloggs."
    )
    assert quotes(body) == [
        ("The forces' budgets are tight and we cannot do more with less,", "Jo Bloggs")
    ]


def test_double_quotation_inside_a_single_one_is_part_of_it() -> None:
    body = f"{HEADLINE}\n\n'It was “absolutely awful” for all of us here,' she said."
    assert quotes(body) == [("It was “absolutely awful” for all of us here,", "she")]


def test_single_quotation_split_over_paragraphs_is_one_speakers() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "Chief Inspector Gavin House said: 'This is a very sad discovery for everyone.",
            "'I would also ask anyone who saw anything to call us on 101.'",
        ]
    )
    found = [c for c in article_claims(body) if c.kind == "quote"]
    assert [(c.text, c.speaker) for c in found] == [
        ("This is a very sad discovery for everyone.", "Chief Inspector Gavin House"),
        ("I would also ask anyone who saw anything to call us on 101.",
         "Chief Inspector Gavin House"),
    ]  # fmt: skip
    assert [c.speaker_carried for c in found] == [False, True]


def test_unclosed_single_mark_mid_paragraph_is_no_quotation_when_nothing_follows() -> None:
    body = "\n\n".join(
        [HEADLINE, "He said the rules of 'the game were unfair to all of the small clubs.", "End."]
    )
    assert quotes(body) == []


def test_release_layout_attribution_carries_to_the_quotation_paragraphs() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "Jo Bloggs, Chief Executive of Acme Trust, said:",
            "“We are very proud of our staff and of the work they do every day.",
            "“We will keep improving our services for every one of our patients.”",
        ]
    )
    found = [c for c in article_claims(body) if c.kind == "quote"]
    assert [c.speaker for c in found] == ["Jo Bloggs, Chief Executive of Acme Trust"] * 2
    assert [c.speaker_carried for c in found] == [False, True]


def test_release_layout_in_single_quotes_after_a_longer_paragraph() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "The report was published on Monday. In a statement Ann James said:",
            "'We accept the findings and we will act on every one of them.'",
        ]
    )
    assert quotes(body) == [
        ("We accept the findings and we will act on every one of them.", "In a statement Ann James")
    ]


def test_a_colon_line_without_a_speech_verb_gives_no_speaker() -> None:
    body = "\n\n".join(
        [HEADLINE, "These are the headlines from the report:", "“Staff are caring and kind.”"]
    )
    assert quotes(body) == [("Staff are caring and kind.", "")]


def test_attribution_drops_an_aside_between_dashes_and_a_relative_clause() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "MP Ben Obese-Jecty — who stayed at the station overnight — said: “This was an "
            "appalling and devastating attack.”",
            "Jo Bloggs, who led the inquiry, said: “We found far too many failings.”",
        ]
    )
    assert [s for _, s in quotes(body)] == ["MP Ben Obese-Jecty", "Jo Bloggs"]


def resolved_speakers(body: str) -> list[tuple[str, bool]]:
    """(speaker key, named) of each quotation once extract resolved its attribution."""
    cleaned = clean.clean_article(Article("gazette", "gazette.txt", body))
    found = claims.article_claims(cleaned)
    return [(q.speaker_key, q.named) for q in extract.extract_article(cleaned, found).quotes]


def test_a_role_word_is_the_one_person_named_with_that_role() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "Chief Inspector Gavin House led the search for the mother on Friday.",
            "'We are doing all we can to find her and to help her,' the inspector said.",
        ]
    )
    assert resolved_speakers(body) == [("gavin house", True)]


def test_a_role_word_two_people_hold_resolves_to_no_one_of_them() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "Chief Inspector Gavin House and Detective Inspector Jo Bloggs led the search.",
            "'We are doing all we can to find her and to help her,' the inspector said.",
        ]
    )
    assert resolved_speakers(body)[0][0] not in ("gavin house", "jo bloggs")


def test_a_name_in_capitals_is_the_same_person() -> None:
    quote = "said: 'We accept all of the findings and we will act on them.'"
    keys = {
        resolved_speakers(f"{HEADLINE}\n\n{name}, Chief Executive of the trust, {quote}")[0][0]
        for name in ("Ann James", "ANN JAMES")
    }
    assert keys == {"ann james"}


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


def test_an_unnamed_spokesman_is_no_ones_quotation() -> None:
    body = "\n\n".join(
        [
            HEADLINE,
            "A Government spokesman said:",
            "“We will keep working closely with the company and with its staff.”",
        ]
    )
    assert resolved_speakers(body) == [("", False)]


def test_many_single_marks_are_read_in_linear_time() -> None:
    text = "'Opening words here " + "the dogs' owners " * 20000 + "and the end,' she said."
    started = time.perf_counter()
    spans = claims.quote_spans(text)
    assert time.perf_counter() - started < 2
    assert spans == [(1, len(text) - len("' she said."))]


# --- texts stored cut short ----------------------------------------------------------


def cut_claims(body: str, partial: str = "yes") -> list[str]:
    article = Article("archive", "archive.txt", body, metadata=frozen_map({"partial": partial}))
    return [c.text for c in claims.article_claims(clean.clean_article(article))]


RATED = "Kent Police has been rated good by inspectors after a year of work."


@pytest.mark.parametrize("scrap", ["Ju", "Durin", "Merseyside (24", "Last updated 17/"])
def test_a_cut_texts_last_few_words_are_no_claim(scrap: str) -> None:
    assert cut_claims(f"{HEADLINE}\n\n{RATED}\n\n{scrap}")[-1] == RATED


def test_a_cut_texts_longer_last_line_is_kept_for_its_names() -> None:
    assert cut_claims(f"{HEADLINE}\n\n{RATED}\n\nProsecutor Deanna Heer KC told")[-1] == (
        "Prosecutor Deanna Heer KC told"
    )


def test_a_whole_texts_short_last_line_is_kept() -> None:
    assert cut_claims(f"{HEADLINE}\n\n{RATED}\n\nWhat inspectors found", partial="no")[-1] == (
        "What inspectors found"
    )
