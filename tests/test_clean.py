"""Clean stage: encoding repair, typography, boilerplate, metadata and hard wrapping."""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency import clean
from consistency.models import Article, CleanArticle, frozen_map


def cleaned(body: str, source: str = "herald") -> CleanArticle:
    return clean.clean_article(Article(source, f"{source}.txt", body))


def texts(article: CleanArticle) -> list[str]:
    return [p.text for p in article.paragraphs]


def damage(text: str, code_page: str, errors: str = "strict") -> str:
    """What a page shows when its UTF-8 bytes are decoded with the wrong code page."""
    return text.encode("utf-8").decode(code_page, errors=errors)


MOJIBAKE = ("â€", "ā€")
SINGLE_QUOTED = "PCO 2705 is described as a ‘dedicated officer’ by colleagues in Whitchurch."

ORIGINALS = [
    "Chief Constable Richard Cooper said: “We will improve.”",
    "The force’s analysts – more than a third of them – were absent.",
    "The PCC said the £1.2m plan was “a good start” and the café owner agreed.",
    "“It’s not what I or the public expect,” said Mr Campion.",
    "Inspectors visited the force’s café – and described its plan as “adequate”.",
]


# --- encoding repair ------------------------------------------------------------


@pytest.mark.parametrize("original", ORIGINALS)
@pytest.mark.parametrize(
    ("code_page", "errors"),
    [
        ("cp1252", "ignore"),  # 0x9D (the last byte of ”) is undefined: dropped
        ("cp1257", "ignore"),  # 0x9C (the last byte of “) is undefined: dropped
        ("latin-1", "strict"),  # C1 controls stand in for the Windows characters
    ],
)
def test_repair_encoding_restores_original(original: str, code_page: str, errors: str) -> None:
    broken = damage(original, code_page, errors)
    assert broken != original
    repaired, repairs = clean.repair_encoding(broken)
    assert repaired == original
    assert repairs and repairs[0][0] == 1  # (line, before, after, why, fixes)
    assert repairs[0][1] == broken and repairs[0][2] == original


def damage_borrowed(text: str) -> str:
    """Windows-1257, showing a byte it does not define as the Windows-1252 character."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1257"))
        except UnicodeDecodeError:
            out.append(bytes([byte]).decode("cp1252"))
    return "".join(out)


@pytest.mark.parametrize("original", [*ORIGINALS, SINGLE_QUOTED])
def test_repair_encoding_restores_cp1257_with_borrowed_character(original: str) -> None:
    broken = damage_borrowed(original)
    assert "ā€" in broken
    repaired, _ = clean.repair_encoding(broken)
    assert repaired == original


@pytest.mark.parametrize(
    ("code_page", "errors"), [("cp1252", "ignore"), ("cp1252", "strict"), ("latin-1", "strict")]
)
def test_single_quotes_are_repaired(code_page: str, errors: str) -> None:
    repaired, _ = clean.repair_encoding(damage(SINGLE_QUOTED, code_page, errors))
    assert repaired == SINGLE_QUOTED


def test_dropped_third_byte_of_single_quote_is_restored() -> None:
    broken = damage(SINGLE_QUOTED, "cp1257", "ignore")
    assert "a ā€dedicated" in broken
    repaired, _ = clean.repair_encoding(broken)
    assert repaired == SINGLE_QUOTED


@pytest.mark.parametrize("original", ORIGINALS)
@pytest.mark.parametrize(
    ("code_page", "errors"), [("cp1252", "ignore"), ("cp1257", "ignore"), ("latin-1", "strict")]
)
def test_clean_article_leaves_no_mojibake(original: str, code_page: str, errors: str) -> None:
    body = "\n\n".join(
        [
            "Kent Police rated inadequate for organised crime",
            damage(original, code_page, errors),
            damage("The force’s response was “disappointing”, inspectors said.", code_page, errors),
        ]
    )
    article = cleaned(body)
    assert not any(m in t for t in texts(article) for m in MOJIBAKE)
    assert any(r.kind == "encoding" for r in article.repairs)
    # Typography then makes the apostrophe straight; the repaired words are all there.
    assert clean.normalise_typography(original) in texts(article)


def test_dropped_third_byte_of_closing_quote_is_restored() -> None:
    # ” is E2 80 9D; shown as Windows-1257 with the last byte lost, only "ā€" is left.
    broken = "He said: ā€œWe will act.ā€"
    repaired, repairs = clean.repair_encoding(broken)
    assert repaired == "He said: “We will act.”"
    (line, before, after, why, fixes) = repairs[0]
    assert (line, before, after) == (1, broken, repaired)
    assert "Windows-1257" in why
    assert ("ā€", "”") in fixes


def test_dropped_third_byte_of_opening_quote_is_restored() -> None:
    broken = "Assistant Chief Constable Becky Riggs said: ā€We accept the findings.ā€¯"
    repaired, _ = clean.repair_encoding(broken)
    assert repaired == "Assistant Chief Constable Becky Riggs said: “We accept the findings.”"


def test_dropped_byte_repair_is_reported_with_file_line() -> None:
    article = clean.clean_article(
        Article(
            "radio",
            "radio.jsonl",
            "Police chief responds to report\n\nHe said: ā€œWe will act.ā€",
            first_line=10,
        )
    )
    assert texts(article)[-1] == "He said: “We will act.”"
    encoding = [r for r in article.repairs if r.kind == "encoding"]
    assert [r.line for r in encoding] == [12]
    assert encoding[0].source == "radio"


@pytest.mark.parametrize("code_page", ["cp1252", "cp1257"])
def test_replacement_character_for_lost_byte_is_repaired(code_page: str) -> None:
    original = "He said: “We will act.”"
    broken = damage(original, code_page, errors="replace")  # 'He said: â€œWe will act.â€�'
    assert "\ufffd" in broken
    repaired, _ = clean.repair_encoding(broken)
    assert repaired == original


@pytest.mark.parametrize(
    "text",
    [
        "The café in Ludlow was visited by Zoë Hart, a naïve but eager reporter.",
        "Señor Müller paid £300 for the crème brûlée at the Côte d’Azur bistro.",
        "The £5.5m plan was approved – in full – by Kent County Council.",
        "PC Ærøe Nilsen joined Avon and Somerset Constabulary from Denmark.",
        "“We are pleased,” said the chief constable of Kent Police.",
        "Prices rose by 5% to £1,200 – “a shock”, said the PCC.",
    ],
)
def test_no_false_repair_on_clean_text(text: str) -> None:
    repaired, repairs = clean.repair_encoding(text)
    assert repaired == text
    assert repairs == []
    article = cleaned(text)
    assert not [r for r in article.repairs if r.kind == "encoding"]
    assert texts(article) == [clean.normalise_typography(text)]


# --- typography --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            'PCC John Campion said: "Organised crime groups target the vulnerable."',
            "PCC John Campion said: “Organised crime groups target the vulnerable.”",
        ),
        (
            '"We will improve," said Ch Supt Daf Goddard.',
            "“We will improve,” said Ch Supt Daf Goddard.",
        ),
        (
            'The force - which called the judgment "disappointing" - must act.',
            "The force - which called the judgment “disappointing” - must act.",
        ),
        (
            "The force’s plan was ‘a good start’, the PCC‘s office said.",
            "The force's plan was 'a good start', the PCC's office said.",
        ),
        ("It`s the force´s job.", "It's the force's job."),
        ("The\u00a0force\u00a0 said\u2009it would act.", "The force said it would act."),
        ("  Leading and trailing spaces\u00a0 ", "Leading and trailing spaces"),
        ("The\u200b force\u00ad said so.", "The force said so."),
    ],
)
def test_normalise_typography(raw: str, expected: str) -> None:
    assert clean.normalise_typography(raw) == expected


def test_typography_is_applied_by_clean_article() -> None:
    body = (
        "Kent Police rated good\n\n"
        'Inspector Sarah Jones told reporters: "It\'s been a hard year for the team."\u00a0\u00a0'
    )
    assert texts(cleaned(body))[-1] == (
        "Inspector Sarah Jones told reporters: “It's been a hard year for the team.”"
    )


@pytest.mark.parametrize(
    "line", ['Said: "one" and "two".', "“Already curly,” she said.", "'single' and \"double\""]
)
def test_typography_is_idempotent(line: str) -> None:
    once = clean.normalise_typography(line)
    assert clean.normalise_typography(once) == once
    assert '"' not in once


# --- boilerplate and metadata ----------------------------------------------------

BOILERPLATE = [
    "- Advertisement -",
    "12.5 C",
    "Follow BBC West Midlands on Facebook, external, X, external",
    "Follow BBC West Midlands on Facebook, external, X, external and Instagram, external.",
    "Listen live on DAB and on the Rayo app",
    "Whitchurch Herald: PCO 2705 is described as a 'dedicated officer'",
    "- Published16 August 2023",
    "Related Topics",
    "Sign up to our free newsletter for the latest news",
]

KEPT = [
    "Chief Constable Richard Cooper said: “We will improve.”",
    "Kent Messenger readers were told by Inspector Sarah Jones: “It has been a hard year.”",
    "Police and Crime Commissioner Matthew Scott said the force had listened to residents.",
    "Inspectors said the force had 12 analysts, down from 20 in 2021.",
    "The report, published on Tuesday, found the force was too slow to answer calls.",
]


@pytest.mark.parametrize("furniture", BOILERPLATE)
def test_boilerplate_line_is_dropped_and_recorded(furniture: str) -> None:
    body = "\n\n".join(
        [
            "Kent Police rated inadequate for organised crime",
            "Kent Police has been rated inadequate for its approach to organised crime.",
            furniture,
            "The force said it accepted the findings in full.",
        ]
    )
    article = cleaned(body)
    assert texts(article) == [
        "Kent Police rated inadequate for organised crime",
        "Kent Police has been rated inadequate for its approach to organised crime.",
        "The force said it accepted the findings in full.",
    ]
    dropped = [r for r in article.repairs if r.kind == "boilerplate"]
    assert len(dropped) == 1
    assert dropped[0].line == 5
    assert dropped[0].before == clean.normalise_typography(furniture)
    assert dropped[0].after == ""
    assert dropped[0].explanation.startswith("boilerplate: ")


@pytest.mark.parametrize("sentence", KEPT)
def test_news_sentence_is_kept(sentence: str) -> None:
    body = "Kent Police rated inadequate for organised crime\n\n" + sentence
    article = cleaned(body)
    assert texts(article)[-1] == sentence
    assert not [r for r in article.repairs if r.kind == "boilerplate"]


def test_news_paragraph_mentioning_an_app_is_kept() -> None:
    sentence = (
        "The force said residents could now report anti-social behaviour on the new "
        "Kent Police app launched last month."
    )
    article = cleaned("Kent Police rated inadequate for organised crime\n\n" + sentence)
    assert texts(article)[-1] == sentence


def test_masthead_beside_weather_widget_is_dropped() -> None:
    body = "12.5 C\nWhitchurch\n\nPolice chief responds to inspection report\n\nThe force said so."
    article = cleaned(body)
    assert texts(article) == ["Police chief responds to inspection report", "The force said so."]
    assert {r.explanation for r in article.repairs} == {
        "boilerplate: weather widget",
        "boilerplate: masthead",
    }
    assert article.headline == "Police chief responds to inspection report"


def test_byline_and_date_line_becomes_metadata() -> None:
    body = (
        "West Mercia Police rated inadequate\n\n"
        "Author: Ben CartwrightPublished 14th May 2024\n\n"
        "West Mercia Police has been rated inadequate by inspectors."
    )
    article = cleaned(body)
    assert article.metadata["author"] == "Ben Cartwright"
    assert article.metadata["published"] == "14th May 2024"
    assert texts(article) == [
        "West Mercia Police rated inadequate",
        "West Mercia Police has been rated inadequate by inspectors.",
    ]
    (repair,) = [r for r in article.repairs if r.kind == "metadata"]
    assert repair.line == 3
    assert repair.before == "Author: Ben CartwrightPublished 14th May 2024"


def test_metadata_from_front_matter_is_not_overwritten() -> None:
    article = clean.clean_article(
        Article(
            "star",
            "star.md",
            "Author: Ben CartwrightPublished 14th May 2024\n\nThe force said so.",
            metadata=frozen_map({"author": "Jo Bloggs"}),
        )
    )
    assert article.metadata["author"] == "Jo Bloggs"
    assert article.metadata["published"] == "14th May 2024"


# --- hard wrapping ------------------------------------------------------------

PARAGRAPHS = [
    "Kent Police rated inadequate for organised crime",
    "Kent Police has been rated inadequate for its approach to serious and organised crime "
    "following an inspection by His Majesty's Inspectorate of Constabulary.",
    "Chief Constable Tim Smith said: “We accept the findings in full and have already put in "
    "place a plan to address each of the concerns that inspectors raised with us.”",
    "The inspectorate found the force had too few analysts, and that some well-known gaps in "
    "intelligence had not been closed since the last inspection in 2019.",
    "Short paragraph.",
    "“It is a disappointing result,” said Assistant Chief Constable Becky Riggs, who leads the "
    "force's work on organised crime in the county and across the wider region.",
    "- Officers will be retrained in the use of intelligence systems over the next twelve months.",
    "- A new analyst team will be formed.",
    "The force will be inspected again next year, when inspectors expect to see progress.",
]


def test_hard_wrapped_article_gives_same_paragraphs() -> None:
    flat = cleaned("\n\n".join(PARAGRAPHS))
    wrapped_body = "\n\n".join(textwrap.fill(p, width=60) for p in PARAGRAPHS)
    assert max(len(x) for x in wrapped_body.split("\n")) <= 60
    wrapped = cleaned(wrapped_body)
    assert texts(wrapped) == texts(flat)
    # Each paragraph keeps the line it starts on.
    lines = wrapped_body.split("\n")
    for paragraph in wrapped.paragraphs:
        assert paragraph.text.startswith(lines[paragraph.line - 1])


def test_wrap_after_spaced_dash_keeps_the_space() -> None:
    paragraph = (
        "Inspectors said the force's analytical capacity was weak - with more than a third "
        "of its analysts absent during the inspection."
    )
    body = [PARAGRAPHS[0], paragraph, *PARAGRAPHS[1:4]]
    wrapped_body = "\n\n".join(textwrap.fill(p, width=60) for p in body)
    assert "weak -\n" in wrapped_body
    assert texts(cleaned(wrapped_body)) == texts(cleaned("\n\n".join(body)))


def test_furniture_wrapped_over_two_lines_goes_whole() -> None:
    # Its first line alone matches the call-for-stories pattern; the address hard
    # wrapping carried to the next line is the furniture's too, not a heading that
    # would break the quotation carried on across it.
    furniture = "Do you have a story for us? Email newsdesk@example.co.uk"
    body = [*PARAGRAPHS[:2], furniture, *PARAGRAPHS[2:4]]
    wrapped_body = "\n\n".join(textwrap.fill(p, width=40) for p in body)
    assert "Email\nnewsdesk" in wrapped_body
    assert texts(cleaned(wrapped_body)) == texts(cleaned("\n\n".join(PARAGRAPHS[:4])))


def test_furniture_line_in_unwrapped_text_leaves_the_next_line() -> None:
    body = f"{PARAGRAPHS[0]}\n\nDo you have a story for us?\nnewsdesk@example.co.uk"
    assert texts(cleaned(body))[-1] == "newsdesk@example.co.uk"


# --- idempotence ----------------------------------------------------------------

WORDS = [
    "the", "force", "Kent", "Police", "said", "rated", "good", "inspectors", "officers",
    "2023", "and", "was", "café", "naïve", "Zoë", "£5m", "-", "–", "Mr", "Ch", "Supt.",
    "We'll", "Herald:", "News", "app", "on", "(", ")", "co-",
]  # fmt: skip
MARKS = ['"', "'", "“", "”", "’", "‘", "\u00a0", "\u200b", "„"]
DAMAGEABLE = ["’", "“", "”", "–", "—", "£", "é", "‘", "We’ll", "“Good”", "…"]
_DAMAGE_SLOT = re.compile("\x00(.*?)\x01")

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MARKS),
    st.sampled_from(DAMAGEABLE).map(lambda s: f"\x00{s}\x01"),
)
sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(token, min_size=1, max_size=12),
    st.sampled_from(["", ".", ",", ":", "?", "”", '"']),
)
paragraph = st.builds(" ".join, st.lists(sentence, min_size=1, max_size=4))


@st.composite
def article_bodies(draw: st.DrawFn) -> str:
    paragraphs = draw(st.lists(paragraph, min_size=1, max_size=6))
    separator = draw(st.sampled_from(["\n\n", "\n"]))
    # One wrong code page per article, as when a whole page is mis-decoded.
    code_page = draw(st.sampled_from(["cp1252", "cp1257", "latin-1"]))
    errors = "strict" if code_page == "latin-1" else "ignore"
    return _DAMAGE_SLOT.sub(
        lambda m: damage(m.group(1), code_page, errors), separator.join(paragraphs)
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_bodies())
def test_cleaning_is_idempotent(body: str) -> None:
    first = texts(cleaned(body))
    again = texts(cleaned("\n\n".join(first)))
    assert again == first
    assert not any(m in t for t in first for m in MOJIBAKE)


def test_mixed_code_page_damage_is_repaired_in_one_pass() -> None:
    body = "\n\n".join(
        [
            damage(
                "The force’s chief constable said the PCC’s plan – published on Tuesday – "
                "was sound.",
                "cp1252",
            ),
            damage("He said: “We will act on the findings.”", "cp1257", "ignore"),
        ]
    )
    first = texts(cleaned(body))
    assert not any(m in t for t in first for m in MOJIBAKE)
    assert texts(cleaned("\n\n".join(first))) == first
