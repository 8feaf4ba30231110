"""Quotations compared as an editor would: one quotation's versions found by their words,
whoever they are given to, and each difference judged (words changed or added inside
the marks medium, an article or punctuation low, a sentence left out or a splice low,
a quotation printed over two paragraphs nothing)."""

from __future__ import annotations

import pytest

from consistency.claims import _speaker_after, _speaker_before
from consistency.detectors import quotes
from consistency.detectors.quotes import diff_quotes, same_person
from consistency.models import Article, Discrepancy
from consistency.pipeline import check_articles

# --- one quotation, or two -----------------------------------------------------------

ORIGINAL = (
    "We are all acutely aware that some of our plans, such as reducing our poultry "
    "footprint, bring uncertainty for colleagues, and it is with regret that we have to "
    "make such proposals."
)
SPUN = (
    "We are all really mindful that a few of our strategies, such as minimising our fowl "
    "impact, bring unpredictability for coworkers, and also it is with remorse that we need "
    "to make such propositions."
)


def test_a_quotation_reworded_word_by_word_is_one_quotation_reworded() -> None:
    diff = diff_quotes(ORIGINAL, SPUN)
    assert quotes.MIN_QUOTE_COVERAGE <= diff.coverage < quotes.REWORDED_COVERAGE
    finding = quotes._finding(diff)
    assert finding is not None
    assert (finding.severity, finding.why) == ("medium", "reworded inside the quotation marks")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A stock phrase shared by two sentences about different things.
        (
            "leaving children at risk of harm",
            "This is the case for children who are at risk of exploitation in the city.",
        ),
        # Two statements sharing an opening, each going on its own way.
        (
            "The body of the deceased man has been removed from the scene to the mortuary "
            "in the town where a post mortem examination will take place in due course.",
            "A male driver was fatally injured. The body of the deceased remains at the "
            "scene at this time.",
        ),
        # A short quotation sharing half its words with a longer one.
        (
            "effective structures to gather and assess intelligence",
            "The unit has effective processes in place to collect and assess intelligence.",
        ),
    ],
)
def test_quotations_sharing_a_phrase_are_two_quotations(a: str, b: str) -> None:
    assert diff_quotes(a, b).coverage < quotes.MIN_QUOTE_COVERAGE


def test_a_changed_opening_beside_a_long_shared_passage_is_a_change() -> None:
    diff = diff_quotes(
        "We know we still have work to do in crime recording and investigation standards,",
        "We will not be complacent and we recognise that we still have work to do in crime "
        "recording and our investigation standards to ensure that offenders are caught.",
    )
    assert diff.coverage >= quotes.MIN_QUOTE_COVERAGE
    assert ("", "our") in diff.changes


# --- what differs ----------------------------------------------------------------------


def test_a_date_with_and_without_its_year_is_the_same_date() -> None:
    diff = diff_quotes(
        "I would ask anyone who was in the area on Thursday, March 2, to contact us.",
        "I would ask anyone who was in the area on Thursday 2 March 2023, to contact us.",
    )
    assert diff.changes == ()
    assert diff.typography  # the year written out: style, at most low


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("we are not becoming crueller as a nation", "we are not becoming crueler as a nation"),
        (
            "the teams were told to demobilise after the epicentre was found",
            "the teams were told to demobilize after the epicenter was found",
        ),
        (
            "the civil defence teams and the colour of the flag",
            "the civil defense teams and the color of the flag",
        ),
    ],
)
def test_british_and_american_spellings_are_the_same_words(a: str, b: str) -> None:
    diff = diff_quotes(a, b)
    assert (diff.changes, diff.typography) == ((), ())


def test_spelling_rules_keep_two_different_words_apart() -> None:
    assert diff_quotes(
        "the boxes were filled by hand today", "the boxes were filed by hand today"
    ).changes


@pytest.mark.parametrize(
    ("a", "b", "severity"),
    [
        # An article added: low.
        (
            "It was a complete slap in face for our members",
            "It was a complete slap in the face for our members",
            "low",
        ),
        # A word added: medium.
        (
            "It is with regret that we make such proposals today",
            "It is with great regret that we make such proposals today",
            "medium",
        ),
        # A figure added on one side only: medium (nothing contradicts it).
        (
            "It is grim news for the workforce and the county",
            "It is grim news for the 600-strong workforce and the county",
            "medium",
        ),
        # One figure for another: high.
        (
            "We made 12 arrests in the city centre last night",
            "We made 20 arrests in the city centre last night",
            "high",
        ),
        # A negation added: high.
        (
            "We are determined to improve our response to crime",
            "We are not determined to improve our response to crime",
            "high",
        ),
    ],
)
def test_severity_of_a_change_inside_the_marks(a: str, b: str, severity: str) -> None:
    finding = quotes._finding(diff_quotes(a, b))
    assert finding is not None and finding.severity == severity


def test_an_initialism_spelled_out_is_no_word_changed() -> None:
    finding = quotes._finding(
        diff_quotes(
            "We will build a sustainable LCV hub in the north of the country",
            "We will build a sustainable light commercial vehicle hub in the north of the country",
        )
    )
    assert finding is not None and finding.severity == "low"


def test_a_different_sentence_before_a_shared_passage_is_a_splice() -> None:
    diff = diff_quotes(
        "This is a new finding. The fact that we saw the region active shows play helps.",
        "They think about other people. The fact that we saw the region active shows play helps.",
    )
    assert diff.changes == ()
    assert diff.spliced
    finding = quotes._finding(diff)
    assert finding is not None and finding.severity == "low"


def test_a_sentence_left_out_does_not_make_a_quotation_reworded() -> None:
    diff = diff_quotes(
        "The camp was completely destroyed. It was really frightening.",
        "The camp was completely destroyed. A helicopter landed and took people away. "
        "It was really scary.",
    )
    assert diff.coverage >= quotes.REWORDED_COVERAGE
    assert diff.changes == (("frightening", "scary"),)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "the quote: “It was a disgrace.” Then “We will fight”",
            "the quote: “It was a disgrace. We will fight”",
        ),
    ],
)
def test_quotation_marks_inside_a_quotation_are_style(a: str, b: str) -> None:
    assert diff_quotes(a, b).typography == ()


# --- who said it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bernardo Rafaelito Alejandro", "bernardo rafaelito alejandro iv"),
        ("Rachel Hopkins", "Rachel Hopkins MP"),
        (
            "Sarah Gerson",
            "paper author and developmental researcher Sarah Gerson of Cardiff University",
        ),
        ("Dermot Murphy", "RSPCA's Dermot Murphy"),
        ("Dr Paul Johnson", "Paul Johnson"),
        ("Peter Dawson", "Dawson"),
    ],
)
def test_one_person_written_two_ways(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(
    ("a", "b"), [("Chris Casey", "John Loveless"), ("Jo Smith", "Jo Smithson")]
)
def test_two_people(a: str, b: str) -> None:
    assert not same_person(a, b)


@pytest.mark.parametrize(
    ("before", "speaker"),
    [
        ("In a statement, Stellantis said: ", "Stellantis"),
        ("In the report, inspectors said: ", "inspectors"),
        (
            "Lead author Dr Jo Bloggs, a lecturer at the Centre for Human Science, said: ",
            "Lead author Dr Jo Bloggs",
        ),
        (
            "HM Chief Inspector of Constabulary, Andy Cooke, said: ",
            "HM Chief Inspector of Constabulary, Andy Cooke",
        ),
    ],
)
def test_speaker_before_a_quotation(before: str, speaker: str) -> None:
    assert _speaker_before(before) == speaker


@pytest.mark.parametrize(
    ("after", "speaker"),
    [
        (", Gelig told the Associated Press next to the ruins.", "Gelig"),
        (", the minister said on Monday.", "the minister"),
        (
            " Deputy administrator Jo Bloggs said in a news briefing.",
            "Deputy administrator Jo Bloggs",
        ),
        (", which the company said was wrong.", ""),
        (" and the rain continued.", ""),
    ],
)
def test_speaker_after_a_quotation(after: str, speaker: str) -> None:
    assert _speaker_after(after) == speaker


# --- the detector on stories ----------------------------------------------------------

OPENING = (
    "Northshire Council has closed three libraries after a budget review this week.\n\n"
    "The council said the decision was taken after a long consultation with residents.\n\n"
)


def story(source: str, quote: str, closing: str = "") -> Article:
    closing = closing or "The libraries will close at the end of next month, the council said."
    return Article(source, f"{source}.txt", OPENING + quote + "\n\n" + closing)


def rows(*articles: Article, kind: str = "quote_altered") -> list[Discrepancy]:
    return [d for d in check_articles(articles).discrepancies if d.kind == kind]


SAID = "Council leader Jo Bloggs said: “{}”"
WORDS = (
    "We have had to make some very difficult decisions to balance the budget this year. "
    "We know residents will be disappointed by the closures."
)


def test_an_unattributed_version_is_compared() -> None:
    altered = WORDS.replace("very difficult", "very painful")
    found = rows(
        story("gazette", SAID.format(WORDS)),
        story("radio", f"“{altered}”"),
    )
    assert [(d.severity, d.value_a, d.value_b) for d in found] == [
        ("medium", "difficult", "painful")
    ]


def test_each_difference_is_reported_once_against_the_copies_that_agree() -> None:
    altered = WORDS.replace("very difficult", "very painful")
    found = rows(
        story("echo", SAID.format(WORDS)),
        story("gazette", SAID.format(WORDS)),
        story("herald", SAID.format(WORDS)),
        story("radio", SAID.format(altered)),
    )
    assert len(found) == 1
    assert "radio" in (found[0].source_a, found[0].source_b)


def test_a_fragment_agreeing_with_a_fuller_copy_adds_no_row_of_its_own() -> None:
    """One copy cuts the quotation short: its differences with the altered version are
    among the fuller copy's, and the row is the fuller copy's."""
    altered = WORDS.replace("very difficult", "very painful").replace("residents", "people")
    first = WORDS.split(". ")[0] + "."
    found = rows(
        story("echo", SAID.format(WORDS)),
        story("gazette", SAID.format(WORDS)),
        story("herald", SAID.format(first)),
        story("radio", SAID.format(altered)),
    )
    assert [sorted((d.source_a, d.source_b)) for d in found] == [["echo", "radio"]]


def test_two_rewrites_are_each_reported_against_the_original_not_each_other() -> None:
    one = WORDS.replace("very difficult", "very painful")
    two = WORDS.replace("disappointed", "upset")
    found = rows(
        story("echo", SAID.format(WORDS)),
        story("gazette", SAID.format(WORDS)),
        story("radio", SAID.format(one)),
        story("tv", SAID.format(two)),
    )
    pairs = {frozenset((d.source_a, d.source_b)) for d in found}
    assert frozenset(("radio", "tv")) not in pairs
    assert len(found) == 2


def test_a_quotation_over_two_paragraphs_is_no_difference() -> None:
    first, second = WORDS.split(". ", 1)
    split = f"Council leader Jo Bloggs said: “{first}.\n\n“{second}”"
    assert rows(story("gazette", SAID.format(WORDS)), story("radio", split)) == []


def test_a_sentence_left_out_between_two_paragraphs_is_low() -> None:
    first, second = WORDS.split(". ", 1)
    full = (
        f"Council leader Jo Bloggs said: “{first}. Every service was looked at line by line. "
        f"{second}”"
    )
    split = f"Council leader Jo Bloggs said: “{first}.\n\n“{second}”"
    found = rows(story("gazette", full), story("radio", split))
    assert [(d.severity, d.value_a, d.value_b) for d in found] == [
        ("low", "Every service was looked at line by line", "")
    ]


def test_two_people_with_alike_words_are_not_one_quotation_altered() -> None:
    other = WORDS.replace("very difficult", "very painful")
    found = rows(
        story("gazette", SAID.format(WORDS)),
        story("radio", f"Deputy leader Sam Lowe said: “{other}”"),
    )
    assert found == []


def test_a_misattribution_in_other_words_too_is_low() -> None:
    other = WORDS.replace("this year", "this year and next")
    found = rows(
        story("gazette", SAID.format(WORDS)),
        story("radio", f"Deputy leader Sam Lowe said: “{other}”"),
        kind="quote_attribution",
    )
    assert [d.severity for d in found] == ["low"]
    assert "two statements" in found[0].explanation


def test_a_short_phrase_in_quotation_marks_gaining_a_word() -> None:
    sentence = "Officers were alerted to the tragic discovery of a “{}” on the heath yesterday."
    found = rows(
        story("gazette", SAID.format(WORDS), sentence.format("human foetus")),
        story("radio", SAID.format(WORDS), sentence.format("deceased human foetus")),
    )
    assert [(d.value_a, d.value_b) for d in found] == [("", "deceased")]


def test_two_sentences_each_quoting_a_phrase_are_not_compared() -> None:
    """A heading quoting the grade and a sentence quoting the report's words about the
    same council: two sentences, not one printed twice."""
    found = rows(
        story(
            "gazette",
            SAID.format(WORDS),
            "Inspectors, who also visited the county's care homes last winter, say the "
            "experiences of children supported by Northshire Council “remain poor”.",
        ),
        story("radio", SAID.format(WORDS), "Services at Northshire Council remain “inadequate”."),
    )
    assert found == []


def test_a_short_phrase_quoted_by_one_version_only_is_no_altered_quotation() -> None:
    """One version quotes "human foetus"; the other writes "a foetus" as its own words."""
    sentence = "Officers were alerted to the tragic discovery of a {} on the heath yesterday."
    found = rows(
        story("gazette", SAID.format(WORDS), sentence.format("“human foetus”")),
        story("radio", SAID.format(WORDS), sentence.format("foetus")),
    )
    assert found == []


NARRATIVE = (
    "The council has reduced the opening hours of its seven branch libraries across the "
    "northern half of the county."
)


def test_a_release_narrative_printed_as_a_persons_quotation_is_low_attribution() -> None:
    """The release states the finding; the radio copy quotes it as the leader's words."""
    found = rows(
        story("release", SAID.format(WORDS), NARRATIVE),
        story(
            "radio",
            SAID.format(WORDS),
            "Jo Bloggs says the council 'has reduced the opening hours of its seven branch "
            "libraries across the northern half of the county'.",
        ),
        kind="quote_attribution",
    )
    assert [(d.severity, d.source_a, d.source_b) for d in found] == [("low", "radio", "release")]
    assert "own narrative" in found[0].explanation


def test_a_persons_own_statement_printed_unmarked_is_no_attribution() -> None:
    """The council's page prints the leader's signed statement without quotation marks:
    its first-person sentences are his, and so is the narrative between them."""
    statement = "I am proud of the staff who kept our reading rooms open through the winter."
    quoted = f"Jo Bloggs said: “{statement} {NARRATIVE}”"
    found = rows(
        story("release", SAID.format(WORDS), f"{statement}\n\n{NARRATIVE}"),
        story("radio", SAID.format(WORDS), quoted),
        kind="quote_attribution",
    )
    assert found == []


def test_narrative_that_names_the_speaker_or_quotes_him_too_is_no_attribution() -> None:
    """Reported speech names whose words they are; a lead that paraphrases the
    quotation its article prints below is no narrative."""
    quoted = (
        "Jo Bloggs said: 'The council has reduced the opening hours of its seven branch "
        "libraries across the northern half of the county.'"
    )
    for plain in (f"Mr Bloggs told the meeting {NARRATIVE[0].lower()}{NARRATIVE[1:]}", NARRATIVE):
        closing = plain if plain != NARRATIVE else f"{NARRATIVE}\n\n{quoted}"
        found = rows(
            story("release", SAID.format(WORDS), closing),
            story("radio", SAID.format(WORDS), quoted),
            kind="quote_attribution",
        )
        assert found == [], plain


def test_a_quotation_printed_as_a_sentence_but_cut_from_one_is_trimmed() -> None:
    full = (
        "Council leader Jo Bloggs said: “After a long review the council boarded up the "
        "libraries and moved the books within eight weeks of the decision.”"
    )
    cut = (
        "“The council boarded up the libraries and moved the books within eight weeks of "
        "the decision,” Jo Bloggs said."
    )
    found = rows(story("gazette", full), story("radio", cut))
    assert [d.severity for d in found] == ["low"]
    assert "opens a sentence" in found[0].explanation


def test_a_quotation_against_a_transcript_of_it_is_low() -> None:
    """A club's transcript prints the manager's words without quotation marks."""
    words = "I really liked what I saw against United as well and we played some good football"
    transcript = f"{words} in the first half."
    quoted = (
        "“" + words.replace("liked", "like").replace("against", "from") + " in the first half.”"
    )
    found = rows(
        story("club", SAID.format(WORDS), transcript),
        story("agency", SAID.format(WORDS), quoted + " Jo Bloggs said after the game."),
    )
    assert [(d.severity, d.value_a, d.value_b) for d in found] == [
        ("low", "like … from", "liked … against")
    ]


def test_the_quotation_after_a_shared_one_rewritten_is_one_quotation() -> None:
    said = "Rescue chief Jo Bloggs said: “We are still in the golden hour of our search,” she said."
    first = f"{said} “There are still many reports of people who were pinned or hit by debris.”"
    second = f"{said} “Reports indicate many people are still trapped under debris.”"
    found = rows(story("agency", first), story("rewrite", second))
    assert [(d.severity, d.value_a[:9], d.value_b[:7]) for d in found] == [
        ("medium", "There are", "Reports")
    ]


def test_a_grade_against_a_word_off_the_scale_is_not_a_grade_changed() -> None:
    # "remain poor" / "remain inadequate": a speaker's word for a verdict, not one
    # grade of the scale for another.
    assert quotes._quote_severity((("poor", "inadequate"),), 1.0) == ("medium", "words changed")
    assert quotes._quote_severity((("good", "inadequate"),), 1.0) == ("high", "a grade changed")
