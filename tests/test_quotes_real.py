"""Golden tests on real copy: quotations as outlets really publish them (single quotes,
a quotation over several paragraphs, a press release's attribution alone on a line) are
read with the right speaker, and versions of one quotation are compared as an editor
would. The versions are read from shared/real-dev beside the repo; skipped where it is
absent."""

from __future__ import annotations

import pytest
from realdev import REAL_DEV, needs_real_dev, read_real

from consistency import extract, pipeline
from consistency.models import Discrepancy

pytestmark = needs_real_dev


def speakers(story: str, version: str) -> list[tuple[str, str, bool]]:
    """(quotation, speaker key, named beside it) of each quotation in one real version."""
    cleaned, found = read_real(story, version)
    return [
        (q.text, q.speaker_key, q.named) for q in extract.extract_article(cleaned, found).quotes
    ]


def said_by(quotes: list[tuple[str, str, bool]], opening: str) -> tuple[str, bool]:
    matching = [(key, named) for text, key, named in quotes if text.startswith(opening)]
    assert matching, f"no quotation opens {opening!r}: {[t[:40] for t, _, _ in quotes]}"
    return matching[0]


def test_single_quoted_quotation_over_two_paragraphs() -> None:
    """Daily Mail house style: 'This is ... care. (no closing mark) then 'I would ...'."""
    quotes = speakers("pr-dorset-canford-heath-appeal-2023-03", "daily-mail")
    assert said_by(quotes, "This is a very sad discovery") == ("gavin house", True)
    assert said_by(quotes, "I would also ask anyone who witnessed")[0] == "gavin house"
    # The dog walker's words, in single quotes too, are quotations (hers: "she said").
    assert any(text.startswith("I was walking with my dog") for text, _, _ in quotes)


def test_release_layout_attribution_alone_on_a_line() -> None:
    """CQC's release: "Catherine Campbell, CQC's head of hospital inspection, said:"
    alone, the quotation in the paragraphs after it."""
    quotes = speakers("insp-cqc-plymouth-derriford-2022-01", "cqc-press-release")
    assert said_by(quotes, "Throughout our inspection") == ("catherine campbell", True)
    assert said_by(quotes, "The senior leadership team was open")[0] == "catherine campbell"


def test_release_layout_in_a_council_style_page() -> None:
    """Cornish Stuff: "Chief Constable James Vaughan said:" then the quotation."""
    quotes = speakers("insp-devon-cornwall-police-engage-exit-2025-07", "cornish-stuff")
    assert said_by(quotes, "I am pleased that HMICFRS has removed") == ("james vaughan", True)


# --- quotations compared across real versions ------------------------------------------


def quote_rows(story: str, *versions: str) -> list[Discrepancy]:
    """The quote_altered and quote_attribution rows of a check of some real versions."""
    paths = [REAL_DEV / story / f"{v}.txt" for v in versions]
    if not all(p.is_file() for p in paths):
        pytest.skip(f"a version of {story} is absent")
    result = pipeline.check(paths, workers=1)
    return [d for d in result.discrepancies if d.kind.startswith("quote_")]


def test_synonym_spun_quotation_is_reworded() -> None:
    """Newslanes prints Kers's statement spun word by word inside quotation marks."""
    (row,) = quote_rows("pr-2sisters-witham-closure-2019-05", "newslanes", "poultry-news")
    assert (row.kind, row.severity) == ("quote_altered", "medium")
    assert "really mindful" in row.value_a + row.value_b
    assert "reworded" in row.explanation


def test_a_date_written_two_ways_inside_a_quotation_is_not_high() -> None:
    """Daily Mail 'on Thursday, March 2,' and the Sun 'on Thursday 2 March 2023,'."""
    found = quote_rows("pr-dorset-canford-heath-appeal-2023-03", "daily-mail", "the-sun-ie")
    assert found
    assert all(d.severity == "low" for d in found)


def test_sentences_left_out_between_paragraphs_of_a_quotation() -> None:
    """BBC runs Campbell's first sentence straight into her 'However...' paragraph; the
    CQC release has two sentences between them."""
    found = quote_rows("insp-cqc-plymouth-derriford-2022-01", "bbc-news", "cqc-press-release")
    left_out = [d for d in found if "supporting staff" in d.value_a + d.value_b]
    assert [(d.kind, d.severity) for d in left_out] == [("quote_altered", "low")]


@pytest.mark.parametrize(
    ("story", "versions"),
    [
        # "Bernardo Rafaelito Alejandro" and "... Alejandro IV".
        ("wire-ap-cebu-quake-2025-10", ("furfamilyhaven", "newsbulletin")),
        # A company's statement given to "Vauxhall owner" and to Stellantis.
        ("pr-vauxhall-luton-closure-2024-11", ("car-dealer-magazine", "luton-today")),
        # A job description before the name.
        ("pr-cardiff-doll-play-study-2020-10", ("aitopics-daily-mail", "cardiff-university")),
    ],
)
def test_one_speaker_written_two_ways_is_no_misattribution(
    story: str, versions: tuple[str, ...]
) -> None:
    assert not [d for d in quote_rows(story, *versions) if d.kind == "quote_attribution"]


def test_two_officers_alike_statements_are_not_one_quotation_misattributed() -> None:
    """Casey on Saturday and Loveless on Sunday: 'This is a shocking incident and (first
    and foremost) my thoughts are with those who have been injured...'."""
    found = quote_rows("wire-uk-huntingdon-train-stabbing-2025-11", "bbc-news", "learn-common-law")
    shocking = [d for d in found if "shocking incident" in d.text_a + d.text_b]
    assert all(d.severity == "low" for d in shocking)
