"""Which two names can be one (a name_variant) and which are two subjects.

From "Real copy II": pages written from one template ("Cleveland Fire Brigade" |
"Staffordshire Fire and Rescue Service", two inspectors' names) are different
subjects, and their claims are not compared; a misspelling, initials, a short form, a
known alias or a former name the data knows is one name written two ways.
"""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from consistency import domain
from consistency.detectors.claims import NAME_SIMILARITY, _former, _kinship
from consistency.keys import org_key
from consistency.models import Article, Discrepancy
from consistency.pipeline import check_articles
from consistency.testing.writers import misspelled

# --- the rule, name by name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cleveland Fire Brigade", "Staffordshire Fire and Rescue Service"),
        ("West Yorkshire Fire and Rescue Service", "Staffordshire Fire and Rescue Service"),
        ("Cumbria Fire and Rescue Service", "County Durham and Darlington Fire and Rescue Service"),
        ("Phil Gormley", "Wendy Williams"),
        ("East Sussex County Council", "West Sussex County Council"),
        ("North Yorkshire Police", "South Yorkshire Police"),
        ("National Crime Agency", "National Crime Squad"),
        ("Tottenham", "Spurs"),
        ("HMIC", "HMIP"),
        ("Cebu", "Bogo"),
        ("Bedfordshire Fire and Rescue Service", "Hertfordshire Fire and Rescue Service"),
        ("Gloucestershire Fire and Rescue Service", "Leicestershire Fire and Rescue Service"),
        ("Oxfordshire Fire and Rescue Service", "Staffordshire Fire and Rescue Service"),
        ("Northumberland Fire and Rescue Service", "North Wales Fire and Rescue Service"),
        ("Bedfordshire Fire and Rescue Service", "Bedford Fire and Rescue Service"),
    ],
)
def test_plainly_different_names_cannot_be_one(a: str, b: str) -> None:
    assert _kinship(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Rudakubana", "Rudacubana"),
        ("Marrakech", "Marrakesh"),
        ("Care Quality Commission", "Care Quality Commision"),
        ("Stellantis", "Stallantis"),
        ("Dorset Police", "Doreset Police"),
        ("Bogo", "Bugo"),
        ("British Transport Police", "Britsh Transport Police"),
        ("Operation Sentinel", "Operation Sentry"),
        ("Postecoglou", "Postecolgou"),
        ("Gregson", "Gerson"),
        ("DeSilva Aguirre", "da Silva Aguiar"),
        ("CQC", "CCQ"),
        ("ROCU", "ROCCU"),
    ],
)
def test_misspelling_is_a_medium_variant(a: str, b: str) -> None:
    for kin in (_kinship(a, b), _kinship(b, a)):
        assert kin is not None and kin.severity == "medium" and kin.why


def test_initials_of_the_name_are_no_finding() -> None:
    kin = _kinship("CPS", "Crown Prosecution Service")
    assert kin is not None and not kin.why


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Royal Cornwall Hospitals NHS Trust", "Royal Cornwall Hospital Trust"),
        ("University Hospitals Sussex", "University Hospital Sussex"),
        ("Zoë Billingham", "Zoe Billingham"),
        ("Kent Fire and Rescue Service", "Kent Fire Service"),
    ],
)
def test_short_form_or_accent_is_a_low_variant(a: str, b: str) -> None:
    kin = _kinship(a, b)
    assert kin is not None and kin.severity == "low" and kin.why


def test_possessive_is_no_variant() -> None:
    kin = _kinship("Vauxhall", "Vauxhall's")
    assert kin is not None and not kin.why


def test_similarity_is_measured_on_the_words_the_names_do_not_share() -> None:
    # The template words make the whole names alike; the services' own names are not.
    whole = fuzz.ratio(
        "west yorkshire fire and rescue service", "staffordshire fire and rescue service"
    )
    assert whole >= NAME_SIMILARITY
    assert (
        _kinship("West Yorkshire Fire and Rescue Service", "Staffordshire Fire and Rescue Service")
        is None
    )


def test_former_names_come_from_the_data() -> None:
    former = dict(domain.organisations().former)
    assert former["Plymouth Hospitals NHS Trust"] == "University Hospitals Plymouth NHS Trust"
    assert _former(
        org_key("Plymouth Hospitals NHS Trust"), org_key("University Hospitals Plymouth NHS Trust")
    )
    # A chain of renames is one organisation.
    assert _former(org_key("Highways Agency"), org_key("National Highways"))
    assert not _former(org_key("Highways Agency"), org_key("National Crime Agency"))


def test_a_configuration_can_add_a_former_name() -> None:
    added = {
        "organisations.toml": {
            "former": [{"name": "Old Town Council", "current": "New Town Council"}]
        }
    }
    with domain.configured(added):
        assert _former(org_key("Old Town Council"), org_key("New Town Council"))
    assert not _former(org_key("Old Town Council"), org_key("New Town Council"))


# --- end to end ----------------------------------------------------------------------

TEMPLATE = "\n\n".join(
    [
        "{service} fire and rescue inspection",
        "This is HMICFRS's first annual assessment of fire and rescue services. This "
        "assessment examines the service's effectiveness, efficiency and how well it looks "
        "after its people.",
        "{service} is good at understanding the risk of fire and other emergencies, and it "
        "has 12 fire stations across the county.",
        "The extent to which the service looks after its people is good.",
        "{inspector}, Her Majesty's Inspector of Fire and Rescue Services, said the service "
        "was well equipped for this to continue.",
    ]
)


def _rows(*articles: Article) -> list[Discrepancy]:
    return list(check_articles(articles).discrepancies)


def test_templated_pages_for_two_services_give_no_name_rows() -> None:
    rows = _rows(
        Article(
            "cleveland",
            "cleveland.txt",
            TEMPLATE.format(service="Cleveland Fire Brigade", inspector="Phil Gormley"),
        ),
        Article(
            "staffordshire",
            "staffordshire.txt",
            TEMPLATE.format(
                service="Staffordshire Fire and Rescue Service", inspector="Wendy Williams"
            ),
        ),
    )
    assert not [r for r in rows if r.kind in ("name_variant", "claim_altered")], rows


STORY = "\n\n".join(
    [
        "Southport killer jailed for at least 52 years",
        "{name} was sentenced at Liverpool Crown Court on Thursday for the murders of three "
        "girls at a dance class in Southport last July.",
        "The judge said {name} would have been given a whole life order had he been older "
        "when he carried out the attack.",
        "Police said the investigation had involved more than 400 officers and staff over "
        "six months.",
    ]
)


def test_surname_spelled_two_ways_is_a_name_variant() -> None:
    rows = _rows(
        Article("pa", "pa.txt", STORY.format(name="Axel Rudakubana")),
        Article("copy", "copy.txt", STORY.format(name="Axel Rudacubana")),
    )
    named = [r for r in rows if r.kind == "name_variant"]
    assert named and all(r.severity == "medium" for r in named), rows
    assert any("Rudacubana" in r.value_a + r.value_b for r in named)


def test_two_different_people_are_different_subjects() -> None:
    rows = _rows(
        Article("pa", "pa.txt", STORY.format(name="Axel Rudakubana")),
        Article("copy", "copy.txt", STORY.format(name="Thomas Mair")),
    )
    assert not [r for r in rows if r.kind in ("name_variant", "claim_altered")], rows


# --- the simulator's injector ----------------------------------------------------------


@pytest.mark.parametrize("word", ["Kent", "Hexley", "Ambleforth", "Stellbridge", "Tay"])
def test_injected_variant_is_a_misspelling_an_editor_would_call_one_name(word: str) -> None:
    for seed in range(200):
        new = misspelled(word, random.Random(seed))
        assert new != word and new[0] == word[0]
        assert abs(len(new) - len(word)) <= 1
        assert _kinship(f"{word} Police", f"{new} Police") is not None, new
