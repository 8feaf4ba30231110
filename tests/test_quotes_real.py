"""Golden tests on real copy: quotations as outlets really publish them (single quotes,
a quotation over several paragraphs, a press release's attribution alone on a line) are
read with the right speaker. The versions are read from shared/real-dev beside the repo;
skipped where it is absent."""

from __future__ import annotations

from realdev import needs_real_dev, read_real

from consistency import extract

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
