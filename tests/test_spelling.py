"""The spelling detector: a name one source of a story writes a slip away from the form
most other sources write, found over the whole story, not only in matched sentences.

Stories are four versions of one short report, one of them changed; the rows are the
spelling detector's own (`misspelt_names`), so that a name the claim detectors also
catch on matched sentences does not hide what this one does.
"""

from __future__ import annotations

import pytest
from realdev import REAL_DEV, needs_real_dev

from consistency import ingest
from consistency.detectors import Context
from consistency.detectors.grades import agreed_subjects
from consistency.detectors.spelling import (
    _derived,
    _jumbled,
    _misspelt,
    _sound,
    _sounds_alike,
    _swapped,
    misspelt_names,
)
from consistency.models import Article, Discrepancy
from consistency.pipeline import check_articles
from consistency.results import CheckResult
from consistency.testing import caught, prepare, syndicate

REPORT = "\n\n".join(
    [
        "Man arrested after stabbings on a train near {town}",
        "{force} said officers were called to {town} station at 7.42pm on Saturday after "
        "reports of a stabbing on a train from Doncaster.",
        "{opener} said the incident was not being treated as terrorism and thanked the "
        "public for their patience.",
        "Nine people were taken to hospital, among them a member of rail staff, "
        "Superintendent {forename} {officer} added.",
        "A witness, {witness} Nowak, said passengers had hidden in the toilets while the "
        "train stopped at {town}.",
        "The {body} said the line would reopen on Monday, and the {initials} asked "
        "anyone with footage to come forward.",
    ]
)
NAMES = {
    "town": "Huntingdon",
    "force": "British Transport Police",
    "officer": "Loveless",
    "opener": "Loveless",
    "forename": "Dominic",
    "witness": "Dominik",
    "body": "Office for Road Safety",
    "initials": "BTP",
}
SOURCES = ("agency", "broadcaster", "daily", "weekly")


def _context(result: CheckResult) -> Context:
    extraction = agreed_subjects(result.extraction, result.graph)
    claims = {c.claim_id: c for c in result.claims}
    return Context(result.cleaned, claims, extraction, result.matching, result.graph)


def _rows(articles: list[Article], alike: bool = False) -> list[Discrepancy]:
    """The spelling detector's rows. Unless `alike`, each version gets a last line of
    its own, as real versions differ somewhere: versions identical to the letter each
    give a row (nothing but their names tells them apart)."""
    if not alike:
        articles = [
            Article(a.source, a.path, f"{a.body}\n\nThe page was updated {n + 2} times.")
            for n, a in enumerate(articles)
        ]
    return list(misspelt_names(_context(check_articles(tuple(articles)))))


def _story(changed: dict[str, str], template: str = REPORT, others: int = 3) -> list[Discrepancy]:
    """The report as `others` sources write it and one more ("weekly") with `changed`."""
    articles = [
        Article(source, f"{source}.txt", template.format(**NAMES)) for source in SOURCES[:others]
    ]
    written = template.format(**{**NAMES, **changed})
    return _rows([*articles, Article("weekly", "weekly.txt", written)])


def _slip(row: Discrepancy) -> tuple[str, str, str]:
    """(the source writing the slip, the slip, the name), as the explanation tells:
    "<subject>: <source> writes '<slip>' where ..."."""
    source = row.explanation.split(" writes ", 1)[0].rsplit(": ", 1)[1]
    if row.source_a == source:
        return source, row.value_a, row.value_b
    return source, row.value_b, row.value_a


def _shown(row: Discrepancy) -> tuple[str, str, str]:
    """(severity, the weekly's form, the others' form)."""
    source, slip, name = _slip(row)
    assert source == "weekly", row
    return row.severity, slip, name


# --- hits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "weekly", "others"),
    [
        ({"town": "Huntindon"}, "Huntindon", "Huntingdon"),  # a letter dropped
        ({"officer": "Lovelesss"}, "Lovelesss", "Loveless"),  # one doubled, at the end
        ({"opener": "Lovelses"}, "Lovelses", "Loveless"),  # two swapped, opening a sentence
        ({"force": "Britsh Transport Police"}, "Britsh", "British"),
        ({"forename": "Dominik"}, "Dominik Loveless", "Dominic Loveless"),
    ],
)
def test_a_name_misspelt_in_one_source_is_a_medium_name_variant(
    changed: dict[str, str], weekly: str, others: str
) -> None:
    rows = _story(changed)
    assert len(rows) == 1, rows
    (row,) = rows
    severity, slip, name = _shown(row)
    # The word, or the name it stands in ("Superintendent Dominic Lovelesss").
    assert (severity, weekly in slip, others in name) == ("medium", True, True), row
    assert row.kind == "name_variant"
    # Both sentences are shown, the slip's own first.
    assert weekly.split()[0] in (row.text_a if row.source_a == "weekly" else row.text_b)


def test_the_forename_is_compared_within_the_whole_name() -> None:
    # "Dominik" is the witness's forename in every version, so the word alone is no
    # slip; "Dominik Loveless" against "Dominic Loveless" is.
    rows = _story({"forename": "Dominik"})
    assert [r.subject for r in rows] == [
        "Superintendent Dominic Loveless / Superintendent Dominik Loveless"
    ]


def test_jumbled_initials_are_a_low_name_variant() -> None:
    # "BPT" where the story writes "BTP": the body is still plain to read.
    rows = _story({"initials": "BPT"})
    assert [(_shown(r), r.kind) for r in rows] == [(("low", "BPT", "BTP"), "name_variant")]


def test_a_forename_written_as_it_sounds_is_a_medium_name_variant() -> None:
    # "Dinah" for "Deanna": three letters apart, too far for a slip of the keyboard, but
    # the name heard and written again, in a name whose surname is written alike.
    template = REPORT + "\n\nThe prosecutor, {lawyer} Heer KC, said the case was clear."
    names = {**NAMES, "lawyer": "Deanna"}
    rows = _rows(
        [Article(s, f"{s}.txt", template.format(**names)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", template.format(**{**names, "lawyer": "Dina"}))]
    )
    assert [_shown(r) for r in rows] == [("medium", "Dina Heer", "Deanna Heer")]
    assert rows[0].explanation.endswith("(the name is written as it sounds)")


def test_a_source_naming_both_forms_names_two_people() -> None:
    # The weekly writes "Dana Heer" and "Deanna Heer": two people, not one misheard.
    template = REPORT + "\n\nThe prosecutor, Deanna Heer KC, said the case was clear."
    told = template + "\n\nHer colleague Dana Heer agreed."
    rows = _rows(
        [Article(s, f"{s}.txt", template.format(**NAMES)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", told.format(**NAMES))]
    )
    assert rows == []


def test_a_name_after_a_title_opening_the_sentence_is_the_same_name() -> None:
    # Two versions open a sentence with "Prosecutor Bebe Heer", one writes "prosecutor
    # Bebe Heer": the three write one name, against the weekly's "Babe Heer" (a word too
    # short to be a slip alone).
    opened = REPORT + "\n\nProsecutor Bebe Heer KC said the case was clear."
    inside = REPORT + "\n\nThe case was clear, prosecutor Bebe Heer KC said."
    rows = _rows(
        [Article(s, f"{s}.txt", opened.format(**NAMES)) for s in SOURCES[:2]]
        + [Article("daily", "daily.txt", inside.format(**NAMES))]
        + [Article("weekly", "weekly.txt", inside.replace("Bebe", "Babe").format(**NAMES))]
    )
    assert [_shown(r) for r in rows] == [("medium", "Babe Heer", "Bebe Heer")]


def test_the_counterpart_shown_is_a_sentence_not_the_name_alone() -> None:
    # Another version's heading is the name alone: it reads as much like the slip's
    # sentence by shared words as any, but tells the editor nothing.
    report = REPORT + "\n\nThe injured were taken to University Hospitals Plymouth NHS Trust."
    headed = "University Hospitals Plymouth NHS Trust\n\n" + report
    former = report.replace("University Hospitals Plymouth", "Plymouth Hospitals")
    rows = _rows(
        [Article(s, f"{s}.txt", headed.format(**NAMES)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", former.format(**NAMES))]
    )
    assert rows and all(
        (r.text_b if r.source_a == "weekly" else r.text_a).startswith("The injured") for r in rows
    ), rows


def test_a_linking_word_given_for_another_is_a_low_name_variant() -> None:
    rows = _story({"body": "Office of Road Safety"})
    assert [_shown(r) for r in rows] == [("low", "Office of Road Safety", "Office for Road Safety")]


def test_a_former_name_is_a_medium_name_variant() -> None:
    # data/organisations.toml knows the trust's name before 2018.
    report = REPORT + "\n\nThe injured were taken to University Hospitals Plymouth NHS Trust."
    former = report.replace("University Hospitals Plymouth", "Plymouth Hospitals")
    rows = _rows(
        [Article(s, f"{s}.txt", report.format(**NAMES)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", former.format(**NAMES))]
    )
    assert [(_shown(r), r.explanation.endswith("(a former name is used)")) for r in rows] == [
        (
            ("medium", "Plymouth Hospitals NHS Trust", "University Hospitals Plymouth NHS Trust"),
            True,
        )
    ]


def test_the_slip_is_found_in_a_sentence_no_other_version_has() -> None:
    # The copy's own last sentence: no claim of another source matches it, and its
    # other sentences write the name right.
    own = REPORT + "\n\nThe {force} later said Huntingdn station had reopened."
    rows = _rows(
        [Article(s, f"{s}.txt", REPORT.format(**NAMES)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", own.format(**NAMES))]
    )
    assert [_shown(r) for r in rows] == [("medium", "Huntingdn", "Huntingdon")]


# --- non-hits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changed",
    [
        {"body": "Office for Road Safety"},  # nothing changed
        {"town": "Huntíngdon"},  # accents only
        {"body": "Office for Road Safety's"},  # a possessive
    ],
)
def test_no_row_for_what_is_no_misspelling(changed: dict[str, str]) -> None:
    assert _story(changed) == []


def test_british_and_american_spellings_of_one_name_are_no_slip() -> None:
    template = REPORT + "\n\nThe {office} said it was helping the families."
    names = {**NAMES, "office": "Civil Defence Office"}
    rows = _rows(
        [Article(s, f"{s}.txt", template.format(**names)) for s in SOURCES[:3]]
        + [
            Article(
                "weekly",
                "weekly.txt",
                template.format(**{**names, "office": "Civil Defense Office"}),
            )
        ]
    )
    assert rows == []


def test_a_spelling_half_the_sources_use_is_no_slip() -> None:
    # Two against two: nothing says which is the name.
    articles = [
        Article(s, f"{s}.txt", REPORT.format(**{**NAMES, "town": town}))
        for s, town in zip(
            SOURCES, ("Huntingdon", "Huntingdon", "Huntindon", "Huntindon"), strict=True
        )
    ]
    assert _rows(articles) == []


def test_one_source_against_one_cannot_say_which_is_the_name() -> None:
    assert _story({"town": "Huntindon"}, others=1) == []


def test_a_common_word_misspelt_where_it_opens_a_sentence_is_no_name() -> None:
    template = REPORT + "\n\n{word} were told to stay away from the station."
    names = {**NAMES, "word": "Passengers"}
    rows = _rows(
        [Article(s, f"{s}.txt", template.format(**names)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", template.format(**{**names, "word": "Pasengers"}))]
    )
    assert rows == []


def test_versions_identical_to_the_letter_each_give_a_row() -> None:
    articles = [Article(s, f"{s}.txt", REPORT.format(**NAMES)) for s in SOURCES[:3]]
    slip = REPORT.format(**{**NAMES, "town": "Huntindon"})
    rows = _rows([*articles, Article("weekly", "weekly.txt", slip)], alike=True)
    assert sorted({r.source_a, r.source_b} - {"weekly"} for r in rows) == [
        {"agency"},
        {"broadcaster"},
        {"daily"},
    ]


def test_a_text_cut_inside_a_name_is_no_slip() -> None:
    cut = REPORT.format(**NAMES) + "\n\nThe line between Peterborough and Hunting"
    whole = REPORT.format(**NAMES) + "\n\nThe line between Peterborough and Huntingdon is shut."
    rows = _rows(
        [Article(s, f"{s}.txt", whole) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", cut)]
    )
    assert rows == []


def test_alike_names_every_source_writes_are_two_names() -> None:
    # A list: each version names both witnesses.
    template = REPORT + "\n\nTwo witnesses, Sarah Gerson and Sarah Gregson, helped the injured."
    rows = _rows([Article(s, f"{s}.txt", template.format(**NAMES)) for s in SOURCES])
    assert rows == []


def test_a_sentence_naming_a_former_name_beside_the_current_one_uses_neither_wrongly() -> None:
    report = REPORT + "\n\nThe injured were taken to University Hospitals Plymouth NHS Trust."
    told = report.replace(
        "Plymouth NHS Trust.",
        "Plymouth NHS Trust, which was Plymouth Hospitals NHS Trust until 2018.",
    )
    rows = _rows(
        [Article(s, f"{s}.txt", report.format(**NAMES)) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", told.format(**NAMES))]
    )
    assert rows == []


# --- a place given another region -----------------------------------------------------------

PLACED = REPORT + "\n\nThe work will move to the Ellesmere Port plant{where}, the firm said."


def _placed(others: list[str], weekly: str) -> list[Discrepancy]:
    return _rows(
        [
            Article(s, f"{s}.txt", PLACED.format(**NAMES, where=where))
            for s, where in zip(SOURCES, others, strict=False)
        ]
        + [Article("weekly", "weekly.txt", PLACED.format(**NAMES, where=weekly))]
    )


def test_a_place_put_in_another_region_is_a_medium_claim_altered() -> None:
    rows = _placed([", in Cheshire", " in Cheshire", ", Cheshire"], " on Merseyside")
    assert [(r.kind, _shown(r), r.subject) for r in rows] == [
        (
            "claim_altered",
            ("medium", "Merseyside", "Cheshire"),
            "Ellesmere Port: Cheshire / Merseyside",
        )
    ]
    assert rows[0].explanation.endswith("(Ellesmere Port is placed in another region)")


def test_a_county_is_one_region_however_it_is_written() -> None:
    assert _placed([", Co Mayo", " in County Mayo", ", Co Mayo"], " in Co. Mayo") == []
    rows = _placed([", Co Mayo", " in County Mayo", ", Co Mayo"], ", County Galway")
    assert [_shown(r)[:2] for r in rows] == [("medium", "County Galway")]
    assert _shown(rows[0])[2] in ("Co Mayo", "County Mayo")


@pytest.mark.parametrize(
    ("others", "weekly"),
    [
        ([", in Cheshire"] * 3, ""),  # no region given
        ([", in Cheshire"] * 3, " in Ellesmere"),  # a town, not a region of one level
        ([", in Cheshire"] * 3, " in Cheshire Police's area"),  # a longer name
        ([", in Cheshire", ", in Cheshire", " on Merseyside"], " on Merseyside"),  # 2 against 2
    ],
)
def test_no_region_row_without_two_regions_of_one_level(others: list[str], weekly: str) -> None:
    assert [r for r in _placed(others, weekly) if r.kind == "claim_altered"] == []


def test_a_source_giving_both_regions_misplaces_nothing() -> None:
    both = PLACED + "\n\nA second Ellesmere Port site, on Merseyside, stays open."
    rows = _rows(
        [Article(s, f"{s}.txt", PLACED.format(**NAMES, where=", in Cheshire")) for s in SOURCES[:3]]
        + [Article("weekly", "weekly.txt", both.format(**NAMES, where=", in Cheshire"))]
    )
    assert rows == []


# --- the word rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slip", "name"),
    [
        ("doreset", "dorset"),
        ("postecolgou", "postecoglou"),
        ("lovelesss", "loveless"),
        ("stallantis", "stellantis"),
        ("commision", "commission"),
        ("gregson", "gerson"),  # two slips in a word of six letters or more
        ("mohammed", "mohamed"),
    ],
)
def test_slips_of_the_keyboard_are_misspellings(slip: str, name: str) -> None:
    assert _misspelt(slip, name, in_name=False)


@pytest.mark.parametrize(
    ("slip", "name"),
    [
        ("defense", "defence"),  # British and American
        ("traumatized", "traumatised"),
        ("center", "centre"),
        ("texan", "texas"),  # a people
        ("cumbrian", "cumbria"),
        ("hospitals", "hospital"),  # a plural
        ("australia", "austria"),  # two well-known places
        ("line", "lane"),  # two common words
        ("bugo", "bogo"),  # too short to tell alone
        ("ashfield", "anfield"),  # two slips, too unlike
        ("kulusevski", "culusevski"),  # another first letter
        ("bedfordshire", "hertfordshire"),
    ],
)
def test_two_right_words_are_no_misspelling(slip: str, name: str) -> None:
    assert not _misspelt(slip, name, in_name=False)


def test_a_short_word_is_a_slip_only_inside_a_name_written_alike() -> None:
    assert not _misspelt("babe", "bebe", in_name=False)
    assert _misspelt("babe", "bebe", in_name=True)


@pytest.mark.parametrize(
    ("slip", "name", "alike"),
    [
        ("dina", "deanna", True),  # the vowels heard otherwise, a letter doubled
        ("ravi", "raffy", True),  # "v" / "ff", "i" / "y"
        ("katrin", "catherine", False),  # another first letter
        ("john", "jane", False),  # two common names
        ("dina", "dinah", True),
        ("gregson", "gerson", False),  # a consonant more
    ],
)
def test_words_alike_in_sound(slip: str, name: str, alike: bool) -> None:
    assert _sounds_alike(slip, name) is alike


def test_a_word_s_sound_keeps_its_first_letter_and_consonants() -> None:
    assert [_sound(w) for w in ("deanna", "dina", "raffy", "heer", "phillips")] == [
        "dn",
        "dn",
        "rf",
        "hr",
        "plps",
    ]


def test_british_and_american_fragments_swap_only_in_place() -> None:
    assert _swapped("defence", "defense") and _swapped("defense", "defence")
    assert not _swapped("medelin", "medellin")  # "lled" / "led", never "ll" / "l"


def test_an_ending_is_a_derivation_unless_it_doubles_the_last_letter() -> None:
    assert _derived("hospitals", "hospital") and _derived("texas", "texan")
    assert not _derived("lovelesss", "loveless")


@pytest.mark.parametrize(
    ("slip", "initials", "jumbled"),
    [("CCQ", "CQC", True), ("ROCCU", "ROCU", True), ("HMIC", "HMIP", False), ("NCS", "NCA", False)],
)
def test_initials_are_compared_as_letters(slip: str, initials: str, jumbled: bool) -> None:
    assert _jumbled(slip, initials) is jumbled


# --- the simulator's misspelt names -----------------------------------------------------------


def test_the_simulator_s_misspelt_name_is_caught_by_this_detector_alone() -> None:
    base = prepare(
        Article(
            "wyvern",
            "wyvern.txt",
            "Treasurer jailed over club fraud\n\n"
            "A former treasurer has been jailed for three years after stealing from a "
            "football club, Wyvern Police said.\n\n"
            "The investigation, known as Operation Turnstile, was led by Wyvern Police's "
            "Economic Crime Unit.\n\n"
            "Detective Inspector Sam Hale said the club had been badly let down.",
        )
    )
    story = syndicate(base, 3, copies=4, injections=["name_variant"])
    (change,) = story.injections
    rows = _rows(list(story.articles))
    assert caught(change, rows), (change, rows)


# --- real copy ------------------------------------------------------------------------------


def _real(story: str, versions: list[str]) -> list[Discrepancy]:
    paths = [REAL_DEV / story / f"{v}.txt" for v in versions]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"{missing[0]} is absent")
    return _rows([a for p in paths for a in ingest.read_file(p)], alike=True)


@needs_real_dev
def test_real_slips_in_a_train_stabbing_story() -> None:
    """Black Cat Radio's 'Britsh Transport Police', NationalWorld's 'Supt Lovelesss' (it
    writes Loveless earlier too) and the Guardian copy's 'Huntington station'."""
    rows = _real(
        "wire-uk-huntingdon-train-stabbing-2025-11",
        [
            "bbc-news",
            "black-cat-radio",
            "nationalworld",
            "seputar-global",
            "reuters-copy",
            "learn-common-law",
            "upday",
            "tengele",
        ],
    )
    shown = sorted(_slip(r) for r in rows)
    assert shown == [
        ("black-cat-radio", "Britsh Transport Police", "British Transport Police"),
        ("nationalworld", "Lovelesss", "Loveless"),
        ("seputar-global", "Huntington", "Huntingdon"),
    ], rows


@needs_real_dev
def test_real_respelt_names_in_a_football_story() -> None:
    """SportsVot's 'Mohammed Salah', PremierNews' 'Dominik Solanke' (Dominik is
    Szoboszlai's forename in every version) and LiverpoolWorld's 'Postecolgou'; no row
    for 'Díaz' / 'Diaz'."""
    rows = _real(
        "wire-spurs-liverpool-6-3-reaction-2024-12",
        [
            "sportsvot",
            "premiernews",
            "liverpoolworld",
            "2dareis2do",
            "chronicle-ng",
            "the-star-malaysia",
            "newsnow-liverpool",
            "this-is-anfield",
        ],
    )
    shown = sorted(_slip(r)[:2] for r in rows)
    assert shown == [
        ("liverpoolworld", "Postecolgou"),
        ("premiernews", "Dominik Solanke"),
        ("sportsvot", "Mohammed Salah"),
    ], rows


@needs_real_dev
def test_no_slip_in_real_british_and_american_copies_of_one_report() -> None:
    """Hurriyet's 'demobilize', 'epicenter' and 'civil defense' against the others' British
    spellings, 'Marcos' and 'Marcos Jr': nothing misspelt."""
    story = "wire-afp-cebu-quake-toll-72-2025-10"
    versions = sorted(p.stem for p in (REAL_DEV / story).glob("*.txt"))
    assert _real(story, versions) == []
