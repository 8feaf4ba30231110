"""Extract stage: people and titles, quotation speakers, organisations, graded judgments."""

from __future__ import annotations

import pytest

from consistency import claims, clean, extract, keys
from consistency.models import Article, Extraction, Judgment, frozen_map

HEADLINE = "Forces told to improve after inspection by HMICFRS"


def run(*paragraphs: str, source: str = "echo") -> Extraction:
    body = "\n\n".join([HEADLINE, *paragraphs])
    cleaned = clean.clean_article(Article(source, f"{source}.txt", body))
    return extract.extract_article(cleaned, claims.article_claims(cleaned))


def people(*paragraphs: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.title, p.title_key) for p in run(*paragraphs).people]


def graded(*paragraphs: str) -> list[tuple[str, str, str, bool]]:
    """(subject key, aspect, grade, negated) of each graded judgment."""
    return [
        (j.subject_key, j.aspect, j.grade, j.negated)
        for j in run(*paragraphs).judgments
        if j.status == "graded"
    ]


# --- titles and people ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "title", "spelled_out"),
    [
        (
            "Andy Cooke, HM Inspector of Constabulary, said the force must improve.",
            "Andy Cooke",
            "HM Inspector of Constabulary",
            "His Majesty's Inspector of Constabulary",
        ),
        (
            "His Majesty's Chief Inspector of Constabulary, Andy Cooke said forces must improve.",
            "Andy Cooke",
            "His Majesty's Chief Inspector of Constabulary",
            "His Majesty's Chief Inspector of Constabulary",
        ),
        (
            "Assistant chief constable Becky Riggs said the force accepted the findings.",
            "Becky Riggs",
            "Assistant chief constable",
            "Assistant Chief Constable",
        ),
        (
            "Ch Supt Daf Goddard told reporters the team had been strengthened.",
            "Daf Goddard",
            "Ch Supt",
            "Chief Superintendent",
        ),
        (
            "Temporary Chief Constable Alex Murray said he was disappointed.",
            "Alex Murray",
            "Temporary Chief Constable",
            "Temporary Chief Constable",
        ),
        (
            "PCC Matthew Scott said residents deserved better.",
            "Matthew Scott",
            "PCC",
            "Police and Crime Commissioner",
        ),
        (
            "The investigation was led by Det Supt Helen Ward of Avon and Somerset Constabulary.",
            "Helen Ward",
            "Det Supt",
            "Detective Superintendent",
        ),
    ],
)
def test_title_before_or_after_name(sentence: str, name: str, title: str, spelled_out: str) -> None:
    assert (name, title, keys.title_key(spelled_out)) in people(sentence)


def test_title_key_spells_out_and_lower_cases() -> None:
    assert keys.title_key("Ch Supt") == "chief superintendent"
    assert keys.title_key("Det Supt") == "detective superintendent"
    assert keys.title_key("PCC") == "police and crime commissioner"
    assert keys.title_key("HM Chief Inspector of Constabulary").endswith(
        "chief inspector of constabulary"
    )


def test_courtesy_title_is_not_a_role() -> None:
    assert people("Mr Smith said the force had improved.") == [("Smith", "", "")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HM Chief Inspector of Constabulary", "His Majesty's Chief Inspector of Constabulary"),
        ("HM Chief Inspector of Constabulary", "His Majesty’s Chief Inspector of Constabulary"),
        ("Her Majesty's Inspector of Constabulary", "HM Inspector of Constabulary"),
        ("HMCIC", "His Majesty's Chief Inspector of Constabulary"),
        ("Ch Supt", "Chief Superintendent"),
        ("Det Supt", "Detective Superintendent"),
        ("ACC", "Assistant Chief Constable"),
        ("Assistant chief constable", "Assistant Chief Constable"),
        ("T/ Chief Constable", "Temporary Chief Constable"),
        ("Temp Chief Constable", "Temporary Chief Constable"),
        ("Cllr", "Councillor"),
        ("PCC", "Police and Crime Commissioner"),
        ("DS", "Detective Sergeant"),
    ],
)
def test_title_keys_spell_out_abbreviations(a: str, b: str) -> None:
    assert keys.title_key(a) == keys.title_key(b)


def test_temporary_written_t_slash() -> None:
    assert keys.title_key("T/Chief Constable") == "temporary chief constable"
    assert ("Alex Murray", "temporary chief constable") in [
        (p.name, p.title_key)
        for p in run("T/Chief Constable Alex Murray said the force would improve.").people
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Chief Superintendent", "Superintendent"),
        ("Chief Constable", "Deputy Chief Constable"),
        ("HM Inspector of Constabulary", "HM Chief Inspector of Constabulary"),
        ("Detective Sergeant", "Sergeant"),
    ],
)
def test_different_titles_keep_different_keys(a: str, b: str) -> None:
    assert keys.title_key(a) != keys.title_key(b)


@pytest.mark.parametrize(
    "sentence",
    [
        "West Midlands Police DS Jane Hill said officers had worked hard.",
        "Officers from West Midlands Police arrested two men in Dudley on Tuesday.",
        "A spokesperson for West Midlands Police said the force would respond in due course.",
    ],
)
def test_midlands_is_not_the_title_ds(sentence: str) -> None:
    titled = {(p.name, p.title) for p in run(sentence).people if p.title}
    assert titled <= {("Jane Hill", "DS")}


def test_ds_in_capitals_is_a_title() -> None:
    assert ("Jane Hill", "DS", keys.title_key("Detective Sergeant")) in people(
        "West Midlands Police DS Jane Hill said officers had worked hard."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "West Midlands Police said the officer had been suspended pending an investigation.",
        "Avon and Somerset Constabulary told the BBC it accepted the findings in full.",
    ],
)
def test_organisation_that_speaks_is_not_a_person(sentence: str) -> None:
    assert run(sentence).people == ()


def test_surname_resolves_to_full_name() -> None:
    found = run(
        "Police and Crime Commissioner Matthew Scott said the report was disappointing.",
        "Mr Scott said the force had a plan.",
    ).people
    assert [p.person_key for p in found] == ["matthew scott", "matthew scott"]


# --- quotation speakers -------------------------------------------------------------


def test_quote_speakers_resolved() -> None:
    extraction = run(
        "Chief Constable Tim Smith said the force accepted the findings.",
        "While he welcomed the report, he insisted that “more needs to be done to protect "
        "vulnerable people in the county.”",
        "Police and Crime Commissioner Matthew Scott also commented on the report.",
        "Mr Scott added: “The public deserve a better service than this from their police.”",
        "“The force must now deliver on its plan without any further delay,” he said.",
    )
    assert [q.speaker_key for q in extraction.quotes] == [
        "tim smith",
        "matthew scott",
        "matthew scott",
    ]


def test_role_resolves_to_the_person_who_holds_it() -> None:
    extraction = run(
        "Police and Crime Commissioner Matthew Scott criticised the force.",
        "“The public deserve a better service than this from their police,” the PCC said.",
    )
    assert [q.speaker_key for q in extraction.quotes] == ["matthew scott"]


def test_role_without_tenure_resolves_to_the_temporary_holder() -> None:
    extraction = run(
        "Temporary Chief Constable Alex Murray said the force accepted the findings.",
        "The Chief Constable said: “We will not rest until every victim is served well.”",
    )
    assert [q.speaker_key for q in extraction.quotes] == ["alex murray"]
    # "The Chief Constable" is a role, not a person called that.
    assert {p.person_key for p in extraction.people} == {"alex murray"}


def test_every_attribution_shape_of_one_article() -> None:
    extraction = run(
        "Temporary Chief Constable Alex Murray said: “We are pleased with the progress "
        "made across the force this year.”",
        "“We will keep working hard for the public,” said Ch Supt Daf Goddard.",
        "“There is more to do on burglary,” Murray added.",
        "The Police and Crime Commissioner, John Campion, welcomed the report.",
        "The PCC added: “This is a good result for the county and its residents.”",
        "“Officers have worked very hard to get here.”",
        "He insisted that “more needs to be done on rural crime” before the next visit.",
        "Goddard said the force “has turned a corner in its investigations” this year.",
    )
    assert [q.speaker_key for q in extraction.quotes] == [
        "alex murray",
        "daf goddard",
        "alex murray",
        "john campion",
        "john campion",  # a paragraph that opens a quotation continues the last speaker
        "john campion",  # "he" after a named speaker
        "daf goddard",  # partial quotation in reported speech
    ]


def test_speaker_title_in_attribution_is_a_mention() -> None:
    extraction = run(
        "“We accept every one of the recommendations in the report,” said Assistant Chief "
        "Constable Becky Riggs."
    )
    (quote,) = extraction.quotes
    assert quote.speaker_key == "becky riggs"
    assert any(
        p.person_key == "becky riggs" and p.title_key == "assistant chief constable"
        for p in extraction.people
    )


# --- organisations --------------------------------------------------------------------


def test_organisation_keys() -> None:
    assert keys.org_key("Kent Police") == "kent"
    assert keys.org_key("Avon and Somerset Constabulary") == "avon and somerset"
    assert keys.org_key("the Eastern Regional Organised Crime Unit (ROCU)") == "eastern rocu"
    assert keys.org_key("Kent County Council") == "kent county council"
    assert keys.org_key("Kent Police") != keys.org_key("Kent County Council")
    # one trust, written with or without "NHS" ("NHS Foundation")
    trust = keys.org_key("Royal Cornwall Hospitals NHS Trust")
    assert trust == keys.org_key("Royal Cornwall Hospitals Trust")
    assert keys.org_key("Hillside NHS Foundation Trust") == keys.org_key("Hillside Trust")
    assert trust != keys.org_key("Royal Cornwall Hospital")


def test_the_trust_refers_back_to_the_trust_not_its_hospital() -> None:
    graded_trust = graded(
        "The report on Hillside Hospitals NHS Trust was published today.",
        "West Hillside Hospital, Penzance - Overall rating: Good",
        "Inspectors conclude that overall the trust requires improvement.",
    )
    assert ("hillside hospitals trust", "overall", "requires improvement", False) in graded_trust


def test_the_force_refers_back_to_the_nearest_force() -> None:
    orgs = run(
        "Kent Police was inspected last autumn.",
        "Inspectors said the force had too few analysts.",
    ).orgs
    assert [o.key for o in orgs] == ["kent", "kent"]


def test_generic_phrases_by_kind_in_the_tables_order() -> None:
    text = "The service and the force agreed; each force will report, as will the unit."
    force, service, unit = (text.index(p) for p in ("the force", "The service", "the unit"))
    each = text.index("each force")
    assert extract._generic_phrases(text) == (
        ("force", ((force, force + 9, False), (each, each + 10, True))),
        ("unit", ((unit, unit + 8, False),)),
        ("fire", ((service, service + 11, False),)),
    )
    assert extract._generic_phrases("Kent Police was inspected last autumn.") == ()


def test_each_and_both_resolve_to_no_one_organisation() -> None:
    orgs = run(
        "Kent Police and Essex Police were inspected last autumn.",
        "Inspectors said both forces had too few analysts.",
    ).orgs
    assert [o.key for o in orgs] == ["kent", "essex"]


# --- judgments ------------------------------------------------------------------------


def test_rated_for_aspect() -> None:
    assert graded(
        "Kent Police has been rated inadequate for its approach to serious and organised "
        "crime following an inspection."
    ) == [("kent", "serious and organised crime", "inadequate", False)]


def test_judgment_fields() -> None:
    (judgment,) = run(
        "Avon and Somerset Constabulary has been rated inadequate for its approach to serious "
        "and organised crime."
    ).judgments
    assert judgment == Judgment(
        judgment.claim_id,
        "echo",
        "Avon and Somerset Constabulary",
        "avon and somerset",
        "serious and organised crime",
        "hmicfrs",
        "graded",
        "inadequate",
        "inadequate",
        "inadequate",
        False,
        False,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "It was good to see that officers at Kent Police were committed to the work.",
        "Kent Police said good progress had been made since the visit.",
        "Inspectors praised the outstanding work of the Kent Police control room staff.",
        "The force said it had adequate resources to tackle county lines gangs.",
    ],
)
def test_grade_word_outside_grading_is_not_a_judgment(sentence: str) -> None:
    assert run(sentence).judgments == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Avon and Somerset Constabulary missed out on an Outstanding rating for the second "
        "time running.",
        "Kent Police failed to achieve a good rating in any of the areas inspected.",
    ],
)
def test_denied_grade_is_negated(sentence: str) -> None:
    found = graded(sentence)
    assert found and all(negated for *_, negated in found)


def test_one_judgment_per_aspect() -> None:
    assert graded(
        "Inspectors found Avon and Somerset Constabulary to be 'good' in responding to the "
        "public, 'adequate' in protecting vulnerable people and managing offenders, and "
        "'inadequate' in investigating crime."
    ) == [
        ("avon and somerset", "responding to the public", "good", False),
        ("avon and somerset", "protecting vulnerable people", "adequate", False),
        ("avon and somerset", "managing offenders", "adequate", False),
        ("avon and somerset", "investigating crime", "inadequate", False),
    ]


def test_two_grades_in_one_sentence() -> None:
    assert graded(
        "Kent Police was rated good in responding to the public and adequate in investigating "
        "crime."
    ) == [
        ("kent", "responding to the public", "good", False),
        ("kent", "investigating crime", "adequate", False),
    ]


def test_each_force_distributes_over_the_forces_named() -> None:
    extraction = run(
        "Suffolk Police has been rated inadequate for its approach to serious and organised "
        "crime following an inspection of Essex Police, Kent Police and Suffolk Police.",
        "Weaknesses were also uncovered at Essex and Kent, with each force graded as requiring "
        "improvement. Norfolk Constabulary was rated adequate.",
    )
    found = {(j.subject_key, j.grade, j.wording) for j in extraction.judgments}
    assert found == {
        ("suffolk", "inadequate", "inadequate"),
        ("essex", "requires improvement", "requiring improvement"),
        ("kent", "requires improvement", "requiring improvement"),
        ("norfolk", "adequate", "adequate"),
    }
    assert {j.aspect for j in extraction.judgments} == {"serious and organised crime"}


def test_rating_line_subject_written_bare() -> None:
    extraction = run(
        "Essex Police and Kent Police were inspected over the summer.",
        "Essex - requires improvement",
        "Kent – inadequate",
    )
    assert {(j.subject_key, j.grade) for j in extraction.judgments} == {
        ("essex", "requires improvement"),
        ("kent", "inadequate"),
    }


def test_grade_in_quotation_is_marked_quoted() -> None:
    extraction = run(
        "Chief Constable Tim Smith said: “Being rated inadequate by Kent Police's inspectors is "
        "a blow to us all.”"
    )
    assert extraction.judgments
    assert all(j.quoted for j in extraction.judgments)


def test_graded_without_a_grade_named() -> None:
    extraction = run(
        "Inspectors gave graded judgments on the Eastern Regional Organised Crime Unit (ROCU) "
        "for the first time."
    )
    assert [(j.subject_key, j.status, j.grade) for j in extraction.judgments] == [
        ("eastern rocu", "graded_unnamed", "")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The unit was not graded.",
        "While regions do not receive an overall grade, inspectors said the unit must improve.",
    ],
)
def test_not_graded(sentence: str) -> None:
    extraction = run(
        "Inspectors also assessed the Eastern Regional Organised Crime Unit.", sentence
    )
    assert [(j.subject_key, j.status) for j in extraction.judgments] == [
        ("eastern rocu", "not_graded")
    ]


def test_not_rated_a_grade_is_not_a_not_graded_statement() -> None:
    extraction = run("Kent Police was not rated outstanding in any area of its work.")
    assert not [j for j in extraction.judgments if j.status == "not_graded"]


def test_extract_over_several_articles_keeps_sources_apart() -> None:
    texts = {
        "kent-online": "Kent Police has been rated good for responding to the public.",
        "kent-radio": "Kent Police has been rated adequate for responding to the public.",
    }
    articles = tuple(
        clean.clean_article(Article(s, f"{s}.txt", f"{HEADLINE}\n\n{t}")) for s, t in texts.items()
    )
    extraction = extract.extract(articles, claims.extract_claims(articles))
    assert {(j.source, j.grade) for j in extraction.judgments} == {
        ("kent-online", "good"),
        ("kent-radio", "adequate"),
    }


# --- titles read from their grammatical place ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "title", "key"),
    [
        (
            "Cllr Ann Lee, cabinet member for children and education, said the plan would work.",
            "Ann Lee",
            "cabinet member for children and education",
            "cabinet member",
        ),
        (
            "Deputy headteacher Jo Bloggs said pupils were safe.",
            "Jo Bloggs",
            "Deputy headteacher",
            "deputy headteacher",
        ),
        (
            "Chancellor Rachel Reeves said the figures were disappointing.",
            "Rachel Reeves",
            "Chancellor",
            "chancellor",
        ),
        (
            'Dr Paul Johnson Chief Medical Officer with NHS Dorset said: "Please come forward."',
            "Paul Johnson",
            "Chief Medical Officer with NHS Dorset",
            "chief medical officer",
        ),
        (
            "Grant Fitzner, the chief economist of the ONS, said prices rose.",
            "Grant Fitzner",
            "chief economist of the ONS",
            "chief economist",
        ),
        (
            "The chief economist of the ONS, Grant Fitzner, said prices rose.",
            "Grant Fitzner",
            "chief economist of the ONS",
            "chief economist",
        ),
        (
            "Peter Dawson, director of the Prison Reform Trust said conditions were poor.",
            "Peter Dawson",
            "director of the Prison Reform Trust",
            "director",
        ),
        (
            "Unite regional officer Michelle Cook said the closure was a blow.",
            "Michelle Cook",
            "regional officer",
            "regional officer",
        ),
    ],
)
def test_title_read_from_its_place(sentence: str, name: str, title: str, key: str) -> None:
    assert (name, title, key) in people(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Eddie Dempsey, commended the train crew for their work.",
        "Gusts of 183km/h were recorded at Mace Head, Co Galway, on Friday.",
        "A Family Liaison Officer (FLO) has been assigned to the family.",
    ],
)
def test_no_title_where_the_grammar_gives_none(sentence: str) -> None:
    assert [p for p in people(sentence) if p[1]] == []


def test_apposed_title_stops_at_the_sentence_going_on() -> None:
    (found,) = people("Rachel Hopkins, MP for Luton South posted on X saying it was a blow.")
    assert found[:2] == ("Rachel Hopkins", "MP for Luton South")


def test_a_title_word_after_a_name_is_not_the_name() -> None:
    names = {p[0] for p in people("Dr Paul Johnson Chief Medical Officer said it was sad.")}
    assert names == {"Paul Johnson"}


def test_role_with_organisation_after_the_name_keeps_the_role() -> None:
    result = run("Chief Inspector Gavin House of Dorset Police said it was a sad discovery.")
    assert [(p.name, p.title_key) for p in result.people] == [("Gavin House", "chief inspector")]
    assert [o.name for o in result.orgs] == ["Dorset Police"]


def test_person_with_an_age_and_a_descriptor() -> None:
    assert [p[0] for p in people("Dog walker Anabela Teixeira, 51, was in Canford Heath.")] == [
        "Anabela Teixeira"
    ]


def test_accented_name_is_a_name_and_keys_fold_accents_and_case() -> None:
    (found,) = run("Zoë Billingham said the force had improved.").people
    assert found.name == "Zoë Billingham"
    assert found.person_key == keys.name_key("ZOE BILLINGHAM") == "zoe billingham"


def test_organisation_keeps_its_saint() -> None:
    result = run("Pupils at St Laurence's Church of England Primary School were praised.")
    assert [o.name for o in result.orgs] == ["St Laurence's Church of England Primary School"]


def test_role_before_the_name_and_apposition_both_count() -> None:
    found = people("Councillor Janet Oduya, chair of the fire authority, said it was approved.")
    assert {(n, k) for n, _, k in found} == {
        ("Janet Oduya", "chair"),
        ("Janet Oduya", "councillor"),
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Leader of Birmingham City Council", "council leader"),
        ("ONS chief economist", "chief economist at the Office for National Statistics"),
        ("chief ONS economist", "the chief economist of the ONS"),
        ("Chief Medical Officer with NHS Dorset", "chief medical officer of NHS Dorset"),
        ("head of the Texas Division of Emergency Management", "chief of the Texas Division"),
        ("2 Sisters CEO", "chief executive"),
        ("Ch Insp", "Chief Inspector"),
        ("Secretary of State for Justice", "Justice Secretary"),
        ("Chief Inspector of Prisons", "HM Chief Inspector of Prisons"),
        ("Mr Justice", "Judge"),
        ("assistant director of the RSPCA Inspectorate", "assistant director of the organization"),
    ],
)
def test_title_keys_normalise_wording(a: str, b: str) -> None:
    assert keys.title_key(a) == keys.title_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deputy headteacher", "headteacher"),
        ("Regional policeman at Unite", "Unite regional officer"),
        ("president of 2SFG", "chief executive"),
        ("Texas Lieutenant Gov.", "Governor"),
    ],
)
def test_title_keys_keep_different_roles_apart(a: str, b: str) -> None:
    assert keys.title_key(a) != keys.title_key(b)


def earlier(*paragraphs: str) -> list[tuple[str, bool]]:
    """(grade, from an earlier inspection) of each graded judgment."""
    return [(j.grade, j.previous) for j in run(*paragraphs).judgments if j.status == "graded"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "from X to Y": X is history, Y current, with no cue word at all
        (
            "The regulator downgraded the overall rating of Hillside Trust from outstanding to "
            "requires improvement.",
            [("outstanding", True), ("requires improvement", False)],
        ),
        # a word of the present after the cue brings the sentence back to now
        (
            "Kent Police had previously been graded as 'inadequate', but inspectors have now "
            "judged it 'outstanding' in how it records crime.",
            [("inadequate", True), ("outstanding", False)],
        ),
        (
            "Ratings from previous inspections have lowered the overall rating for Hillside "
            "Trust to 'requires improvement'.",
            [("requires improvement", False)],
        ),
        # the cue may hold a word or two: "earlier CQC inspections"
        (
            "The report follows earlier CQC inspections of Hillside Trust, which rated its "
            "surgery as 'inadequate' in December 2022.",
            [("inadequate", True)],
        ),
        ("Inspectors rated Hillside Trust as good.", [("good", False)]),
        # the earlier grade named as what came before: "following", "after"
        (
            "Kent Police improved its training following the judgement of “inadequate”.",
            [("inadequate", True)],
        ),
        (
            "Kent Police has been monitored after it was found to be inadequate in three of "
            "nine areas and requiring improvement in two more.",
            [("inadequate", True), ("requires improvement", True)],
        ),
        (
            "After an 'inadequate' rating, Kent Police has now been rated outstanding.",
            [("inadequate", True), ("outstanding", False)],
        ),
        # "following" and "after" an inspection: the grade is that inspection's own
        (
            "Following the inspection, Kent Police was rated outstanding.",
            [("outstanding", False)],
        ),
        (
            "After a three-day visit inspectors rated Kent Police as good.",
            [("good", False)],
        ),
        # a cue after the grade speaks of that grade alone
        (
            "Kent Police was rated inadequate at its last inspection and is now rated good.",
            [("inadequate", True), ("good", False)],
        ),
        (
            "Kent Police, rated requires improvement last time, was rated good.",
            [("requires improvement", True), ("good", False)],
        ),
    ],
)
def test_earlier_and_current_grades(sentence: str, expected: list[tuple[str, bool]]) -> None:
    assert earlier(sentence) == expected


def dated(published: str, sentence: str) -> list[tuple[str, bool]]:
    body = "\n\n".join([HEADLINE, sentence])
    article = Article("echo", "echo.txt", body, metadata=frozen_map({"published": published}))
    cleaned = clean.clean_article(article)
    found = extract.extract_article(cleaned, claims.article_claims(cleaned)).judgments
    return [(j.grade, j.previous) for j in found if j.status == "graded"]


def test_a_year_after_a_grade_is_history_only_in_a_later_article() -> None:
    sentence = "Kent Police was rated inadequate in 2017 and outstanding in 2019."
    assert dated("2019-01-15", sentence) == [("inadequate", True), ("outstanding", False)]
    first = "Devon County Council was first rated inadequate in March 2020."
    assert dated("2025-05-13", first) == [("inadequate", True)]
    assert dated("2017-06-01", sentence) == [("inadequate", False), ("outstanding", False)]
    # undated: no year can be told to be earlier
    assert dated("", sentence) == [("inadequate", False), ("outstanding", False)]


def test_a_sentence_going_on_from_an_earlier_inspection_is_of_it() -> None:
    paragraph = (
        "We published the report of this inspection in June 2017 and found Kent Police's "
        "recording not acceptable. As a result, the force was given an overall judgment "
        "of inadequate."
    )
    assert dated("2019-01-15", paragraph) == [("inadequate", True)]
    # in an article of the same year it is the inspection reported
    assert dated("2017-06-01", paragraph) == [("inadequate", False)]
    # a word of the present brings it back to now
    assert dated("2019-01-15", paragraph.replace("the force was", "the force is now")) == [
        ("inadequate", False)
    ]


def test_a_word_run_into_the_aspect_keeps_the_aspect() -> None:
    # The page lost the line break after "Caring": "Caring" + "this".
    assert graded(
        "Hillside Trust has once again been rated as Outstanding for Caringthis is "
        "testament to our staff."
    ) == [("hillside trust", "caring", "outstanding", False)]
    assert extract._unglued("Outstanding for Caringthis is") == (
        "Outstanding for Caring this is",
        [22],
    )
    # a name or a word that is not two common ones run together stays as written
    assert extract._unglued("Derriford and Treliske were rated Outstanding") == (
        "Derriford and Treliske were rated Outstanding",
        [],
    )


def test_grades_of_areas_counted_not_named_are_not_the_overall_grade() -> None:
    assert graded(
        "Ofsted rated Northshire County Council as inadequate in four areas and requiring "
        "improvement in another."
    ) == [
        ("northshire county council", "some areas", "inadequate", False),
        ("northshire county council", "some areas", "requires improvement", False),
    ]
    assert graded("Ofsted rated Northshire County Council inadequate in all areas.") == [
        ("northshire county council", "overall", "inadequate", False)
    ]


def test_overall_for_a_key_question_grades_the_key_question() -> None:
    assert graded("Hillside Trust has now been rated good overall for being well-led.") == [
        ("hillside trust", "well-led", "good", False)
    ]


def test_overall_before_a_grade_makes_it_a_grade() -> None:
    assert graded(
        "Hillside Trust was inspected this spring and according to a report published today "
        "overall requires improvement."
    ) == [("hillside trust", "overall", "requires improvement", False)]
    # "overall" before an everyday adjective is no grade
    assert graded("Overall, good progress was made at Hillside Trust.") == []


def test_aspects_named_before_their_grade_with_as() -> None:
    found = {
        (aspect, grade)
        for _, aspect, grade, _ in graded(
            "We rated Hillside Trust's caring as outstanding, effective as good, and safe, "
            "responsive and well led as requires improvement."
        )
    }
    assert found == {
        ("caring", "outstanding"),
        ("effective", "good"),
        ("safe", "requires improvement"),
        ("responsive", "requires improvement"),
        ("well-led", "requires improvement"),
    }
