"""Compare stage: quotation diffs, and the discrepancies found on small synthetic stories."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency.detectors import quotes as compare
from consistency.models import Article, Discrepancy
from consistency.pipeline import check_articles

# --- diff_quotes ----------------------------------------------------------------

FULL = (
    "We accept every one of the recommendations in this report and we will act on them "
    "without delay, because victims deserve better."
)


def punctuation_only(diff: compare.QuoteDiff) -> bool:
    """Whether the diff flags punctuation or capitals (a bool once, now the snippets)."""
    flagged = getattr(diff, "typography", None)
    if flagged is None:
        flagged = getattr(diff, "punctuation", False) or getattr(diff, "case", False)
    return bool(flagged)


@pytest.mark.parametrize(
    "fragment",
    [
        "act on them without delay",
        "every one of the recommendations in this report",
        "victims deserve better",
        "without delay, because victims deserve better.",
        FULL,
    ],
)
def test_fragment_of_a_longer_quotation_is_no_change(fragment: str) -> None:
    for a, b in ((FULL, fragment), (fragment, FULL)):
        diff = compare.diff_quotes(a, b)
        assert diff.coverage == 1.0
        assert diff.changes == ()
        assert not punctuation_only(diff)


@pytest.mark.parametrize(
    ("longer", "fragment"),
    [
        (FULL, "we will act on them without delay"),
        (
            "We have listened carefully to the inspectors and we will make the changes they "
            "have asked for.",
            "we will make the changes they have asked for",
        ),
    ],
)
def test_fragment_starting_with_a_repeated_word_is_no_change(longer: str, fragment: str) -> None:
    for a, b in ((longer, fragment), (fragment, longer)):
        assert compare.diff_quotes(a, b).changes == ()


@pytest.mark.parametrize(
    ("b", "before", "after"),
    [
        (FULL.replace("without delay", "with urgency"), "without delay", "with urgency"),
        (FULL.replace("every one", "each"), "every one", "each"),
        (FULL.replace("victims deserve", "the public deserve"), "victims", "the public"),
    ],
)
def test_changed_words_are_changes(b: str, before: str, after: str) -> None:
    diff = compare.diff_quotes(FULL, b)
    assert diff.coverage >= compare.MIN_QUOTE_COVERAGE
    assert len(diff.changes) == 1
    ((a_words, b_words),) = diff.changes
    assert before in a_words and after in b_words


@pytest.mark.parametrize(
    "b",
    [
        FULL.replace("delay, because", "delay because"),
        FULL.replace("report and", "report, and"),
        FULL.replace("We accept", "we accept"),
    ],
)
def test_punctuation_or_case_only(b: str) -> None:
    diff = compare.diff_quotes(FULL, b)
    assert diff.coverage == 1.0
    assert diff.changes == ()
    assert punctuation_only(diff)


def test_punctuation_where_a_fragment_was_cut_is_not_flagged() -> None:
    diff = compare.diff_quotes(FULL, "we will act on them without delay.")
    assert not punctuation_only(diff)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "We will work with partners and the public to make the county safer for everyone.",
            "We know that the public and our partners expect us to do more and we will listen.",
        ),
        (
            "We are disappointed with the findings and we will study the report in detail.",
            "We are pleased that the inspectors recognised the hard work of our officers.",
        ),
        (
            "The force has to do better and the public will rightly expect to see progress.",
            "I am proud of the officers and the staff and we will keep the public safe.",
        ),
    ],
)
def test_unrelated_quotations_sharing_common_words(a: str, b: str) -> None:
    assert compare.diff_quotes(a, b).coverage < compare.MIN_QUOTE_COVERAGE
    assert compare.diff_quotes(b, a).coverage < compare.MIN_QUOTE_COVERAGE


# --- pipeline on synthetic stories ------------------------------------------------

STORY = "\n\n".join(
    [
        "Northshire Police criticised over organised crime response",
        "Northshire Police has been rated {grade} for its approach to serious and organised "
        "crime following an inspection by HMICFRS.",
        "Inspectors found the force had too few analysts and was not using intelligence well "
        "enough to disrupt the gangs operating across the county.",
        "{title} Priya Kaur said: “We have {number} new analysts in post and we are determined "
        "to improve our response to organised crime.”",
        "The force said an improvement plan had been drawn up and would be published in the "
        "coming weeks.",
    ]
)


def story(source: str, **changes: str) -> Article:
    values = {"grade": "adequate", "title": "Chief Constable", "number": "twelve"} | changes
    return Article(source, f"{source}.txt", STORY.format(**values))


def found(*articles: Article) -> tuple[Discrepancy, ...]:
    return check_articles(tuple(articles)).discrepancies


def test_same_story_no_discrepancy() -> None:
    result = check_articles((story("gazette"), story("radio"), story("echo")))
    assert len(set(result.matching.story_of.values())) == 1
    assert result.discrepancies == ()


def test_rating_conflict() -> None:
    (d,) = found(story("gazette", grade="good"), story("radio", grade="inadequate"))
    assert (d.kind, d.severity) == ("rating_conflict", "high")
    assert d.subject == "Northshire Police"
    assert (d.source_a, d.value_a, d.source_b, d.value_b) == (
        "gazette",
        "good",
        "radio",
        "inadequate",
    )
    assert d.line_a == d.line_b == 3
    assert "serious and organised crime" in d.explanation


def test_rating_conflict_needs_the_same_aspect() -> None:
    other = story("radio", grade="inadequate").body.replace(
        "its approach to serious and organised crime", "responding to the public"
    )
    rows = found(story("gazette", grade="good"), Article("radio", "radio.txt", other))
    assert not [d for d in rows if d.kind == "rating_conflict"]


def test_grades_of_areas_counted_not_named_conflict_at_low_only() -> None:
    def council(source: str, graded: str) -> Article:
        body = (
            "Northshire children's services criticised\n\n"
            f"Ofsted rated Northshire County Council children's services {graded}.\n\n"
            "The council said it accepted the findings and would publish a plan."
        )
        return Article(source, f"{source}.txt", body)

    several = council("observer", "inadequate in four areas and requiring improvement in another")
    rows = found(several, council("bbc", "as inadequate"))
    assert not [d for d in rows if d.kind == "rating_conflict"]
    rows = found(several, council("gazette", "good in four areas and outstanding in another"))
    conflicts = [d for d in rows if d.kind == "rating_conflict"]
    assert conflicts
    assert {d.severity for d in conflicts} == {"low"}


def test_two_versions_of_history_conflict_high_only_in_one_sentence() -> None:
    # Versions of one sentence about an earlier inspection speak of the same one.
    rows = found(
        story("gazette", grade="good, up from inadequate,"),
        story("radio", grade="good, up from requires improvement,"),
    )
    conflicts = [d for d in rows if d.kind == "rating_conflict"]
    assert conflicts
    assert {d.severity for d in conflicts} == {"high"}
    assert "an earlier inspection" in conflicts[0].explanation
    # In two different sentences they may be two different earlier inspections.
    a = story("gazette")
    a = replace(
        a,
        body=a.body + "\n\nThe force had previously been rated inadequate for its approach "
        "to serious and organised crime, the inspectorate's records show.",
    )
    b = story("radio")
    b = replace(
        b,
        body=b.body + "\n\nAt an earlier inspection of its work on gangs and drugs, "
        "Northshire Police was rated good by the watchdog.",
    )
    conflicts = [d for d in found(a, b) if d.kind == "rating_conflict"]
    assert conflicts
    assert {d.severity for d in conflicts} == {"low"}


def test_speaker_title_change() -> None:
    (d,) = found(story("gazette"), story("radio", title="Deputy Chief Constable"))
    assert (d.kind, d.severity, d.subject) == ("speaker_title", "medium", "Priya Kaur")
    assert {d.value_a, d.value_b} == {"Chief Constable", "Deputy Chief Constable"}


def test_abbreviated_title_is_no_change() -> None:
    rows = found(story("gazette", title="Ch Supt"), story("radio", title="Chief Superintendent"))
    assert rows == ()


def test_quote_with_changed_number() -> None:
    (d,) = found(story("gazette"), story("radio", number="twenty"))
    assert (d.kind, d.severity, d.subject) == ("quote_altered", "high", "Priya Kaur")
    assert "twelve" in d.value_a and "twenty" in d.value_b
    assert d.similarity is not None and d.similarity >= 100 * compare.MIN_QUOTE_COVERAGE


def test_quote_with_changed_digits() -> None:
    (d,) = found(story("gazette", number="12"), story("radio", number="20"))
    assert (d.kind, d.severity) == ("quote_altered", "high")


def test_quote_with_changed_negation() -> None:
    body = story("radio").body.replace("we are determined", "we are not determined")
    (d,) = found(story("gazette"), Article("radio", "radio.txt", body))
    assert (d.kind, d.severity) == ("quote_altered", "high")


def test_quote_with_changed_ordinary_word() -> None:
    body = story("radio").body.replace("we are determined", "we are committed")
    (d,) = found(story("gazette"), Article("radio", "radio.txt", body))
    assert (d.kind, d.severity) == ("quote_altered", "medium")
    assert (d.value_a, d.value_b) == ("determined", "committed")


def test_quote_with_punctuation_only_is_low() -> None:
    body = story("radio").body.replace("in post and", "in post, and")
    (d,) = found(story("gazette"), Article("radio", "radio.txt", body))
    assert (d.kind, d.severity) == ("quote_altered", "low")


def test_same_quote_two_people() -> None:
    body = story("radio").body.replace(
        "Chief Constable Priya Kaur said", "Police and Crime Commissioner Helen Ashworth said"
    )
    (d,) = found(story("gazette"), Article("radio", "radio.txt", body))
    assert (d.kind, d.severity) == ("quote_attribution", "high")
    assert d.subject == "Helen Ashworth / Priya Kaur"
    assert (d.value_a, d.value_b) == ("Priya Kaur", "Helen Ashworth")


def test_unrelated_story_is_not_compared() -> None:
    other = (
        STORY.replace("Northshire", "Westmoor")
        .replace("Priya Kaur", "Sam Lowe")
        .replace("organised crime", "road safety")
    )
    rows = found(
        story("gazette", grade="good"),
        Article(
            "westmoor",
            "westmoor.txt",
            other.format(grade="inadequate", title="Chief Constable", number="twelve"),
        ),
    )
    assert not [d for d in rows if d.kind == "rating_conflict"]


def test_encoding_damage_is_reported_once_per_source() -> None:
    damaged = story("radio").body.encode("utf-8").decode("cp1252", errors="ignore")
    rows = found(story("gazette"), Article("radio", "radio.txt", damaged))
    assert [(d.kind, d.severity, d.source_a) for d in rows] == [("encoding_damage", "low", "radio")]


def test_not_rated_outstanding_is_not_a_grade_status_conflict() -> None:
    rated = story("gazette", grade="good")
    not_top = Article(
        "radio",
        "radio.txt",
        story("radio").body.replace("has been rated adequate for", "was not rated outstanding for"),
    )
    assert not [d for d in found(rated, not_top) if d.kind == "grade_status"]


def test_partial_quotation_is_not_an_alteration() -> None:
    said = (
        "Chief Constable Priya Kaur said: “We have listened carefully to the inspectors and we "
        "will make the changes they have asked for.”"
    )
    partial = (
        "Chief Constable Priya Kaur said the force accepted the report and that “we will make "
        "the changes they have asked for”."
    )
    a = story("gazette").body + "\n" + said + "\n"
    b = story("radio").body + "\n" + partial + "\n"
    assert found(Article("gazette", "g.txt", a), Article("radio", "r.txt", b)) == ()


# --- properties -------------------------------------------------------------------

FORCES = [
    "Northshire Police",
    "Eastvale Constabulary",
    "Kent Police",
    "Avon and Somerset Constabulary",
]
PEOPLE = [
    ("Chief Constable", "Priya Kaur"),
    ("Assistant Chief Constable", "Tom Hale"),
    ("Police and Crime Commissioner", "Helen Ashworth"),
    ("Ch Supt", "Daf Morgan"),
    ("HM Inspector of Constabulary", "Roy Wilkins"),
]
GRADES = ["outstanding", "good", "adequate", "requires improvement", "inadequate"]
ASPECTS = [
    "serious and organised crime",
    "responding to the public",
    "protecting vulnerable people",
    "investigating crime",
]
QUOTES = [
    "We accept every one of the recommendations and will act on them without delay",
    "Victims deserve a better service than the one they have been getting from us",
    "Our officers work incredibly hard and I am proud of what they have achieved this year",
    "There is more to do but the direction of travel is clearly the right one",
    "The public will rightly expect to see rapid progress on every one of these areas",
    "I have asked the force for a detailed plan within the next three months",
]
FILLER = [
    "Inspectors visited the force over several weeks last autumn and spoke to officers and staff.",
    "The report was published on Thursday after a delay of several months.",
    "The force said an improvement plan had been drawn up and would be shared with the public.",
    "Local councillors have called for a public meeting to discuss the findings of the report.",
]


@st.composite
def article_bodies(draw: st.DrawFn) -> str:
    quotes = draw(st.permutations(QUOTES))  # each quotation once per article
    paragraphs = [f"{draw(st.sampled_from(FORCES))} inspection report published"]
    for _ in range(draw(st.integers(2, 8))):
        kind = draw(st.sampled_from(["grade", "said", "after", "filler", "rating_line"]))
        force = draw(st.sampled_from(FORCES))
        title, name = draw(st.sampled_from(PEOPLE))
        if kind == "grade":
            grade, aspect = draw(st.sampled_from(GRADES)), draw(st.sampled_from(ASPECTS))
            paragraphs.append(f"{force} has been rated {grade} for {aspect}, inspectors found.")
        elif kind == "said" and quotes:
            paragraphs.append(f"{title} {name} said: “{quotes.pop()}.”")
        elif kind == "after" and quotes:
            paragraphs.append(f"“{quotes.pop()},” said {title} {name}.")
        elif kind == "rating_line":
            paragraphs.append(f"{force.split()[0]} - {draw(st.sampled_from(GRADES))}")
        else:
            paragraphs.append(draw(st.sampled_from(FILLER)))
    return "\n\n".join(paragraphs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_bodies())
def test_exact_copy_has_no_discrepancy(body: str) -> None:
    result = check_articles(
        (Article("original", "original.txt", body), Article("copy", "copy.txt", body))
    )
    assert result.discrepancies == ()


def test_exact_copy_with_a_repeated_quotation_has_no_discrepancy() -> None:
    body = "\n\n".join(
        [
            "Northshire Police inspection report published",
            f"Chief Constable Priya Kaur said: “{QUOTES[0]}.”",
            f"Assistant Chief Constable Tom Hale said: “{QUOTES[0]}.”",
        ]
    )
    result = check_articles(
        (Article("original", "original.txt", body), Article("copy", "copy.txt", body))
    )
    assert result.discrepancies == ()


@st.composite
def versions(draw: st.DrawFn) -> list[Article]:
    """Two to four outlets' versions of one story, some with a grade, title or word changed."""
    body = draw(article_bodies())
    out = []
    for i in range(draw(st.integers(2, 4))):
        text = body
        if draw(st.booleans()):
            text = text.replace(draw(st.sampled_from(GRADES)), draw(st.sampled_from(GRADES)), 1)
        if draw(st.booleans()):
            old, new = draw(st.sampled_from(PEOPLE))[0], draw(st.sampled_from(PEOPLE))[0]
            text = text.replace(old, new, 1)
        if draw(st.booleans()):
            text = text.replace("three months", "six months").replace(" hard ", " very hard ")
        out.append(Article(f"outlet-{i}", f"outlet-{i}.txt", text))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions(), st.randoms(use_true_random=False))
def test_input_order_changes_no_row(articles: list[Article], random) -> None:
    shuffled = list(articles)
    random.shuffle(shuffled)
    a = check_articles(tuple(articles))
    b = check_articles(tuple(shuffled))
    assert a.discrepancies == b.discrepancies
    assert dict(a.matching.story_of) == dict(b.matching.story_of)


# --- quotation severities (meaning, not wording) -------------------------------------


def test_sentence_dropped_between_shared_passages_is_dropped_not_changed() -> None:
    a = (
        "The service faced real problems this year. Ten lives were lost in custody. "
        "Time after time the warnings were ignored by those in charge."
    )
    b = (
        "The service faced real problems this year. "
        "Time after time the warnings were ignored by those in charge."
    )
    diff = compare.diff_quotes(a, b)
    assert diff.changes == ()
    assert diff.dropped == (("Ten lives were lost in custody", ""),)


def test_words_added_inside_a_shared_quotation_are_a_change() -> None:
    a = "It is with regret that we have to make such proposals for the site."
    b = "It is with great regret that we have to make such proposals for the site."
    assert compare.diff_quotes(a, b).changes == (("", "great"),)


def test_quotation_cut_inside_a_word_is_no_change() -> None:
    a = "We are all aware that reducing our poultry footprint brings uncertainty for staff"
    b = "We are all aware that reducing our poultry footp"
    assert compare.diff_quotes(a, b).changes == ()


def test_contraction_is_the_same_words() -> None:
    a = "That's why we're keen to invest where we see potential growth."
    b = "That is why we are keen to invest where we see potential growth."
    assert compare.diff_quotes(a, b).changes == ()
