"""Golden tests on real copy: titles as outlets really write them (an apposition after
the name, a title before it, a title after the name with no comma) are read with the
right name and key. The versions are read from shared/real-dev beside the repo; skipped
where it is absent."""

from __future__ import annotations

from realdev import needs_real_dev, read_real

from consistency import extract

pytestmark = needs_real_dev


def titled(story: str, version: str) -> set[tuple[str, str, str]]:
    """(name, title as written, title key) of each titled person in one real version."""
    cleaned, found = read_real(story, version)
    people = extract.extract_article(cleaned, found).people
    return {(p.name, p.title, p.title_key) for p in people if p.title}


def test_appositive_title_after_a_styled_name() -> None:
    """'Cllr John Cotton, Leader of Birmingham City Council, said:' (the council's release)."""
    found = titled("pr-birmingham-budget-council-tax-2024-03", "birmingham-city-council")
    assert ("John Cotton", "Leader of Birmingham City Council", "leader") in found


def test_title_before_the_name_agrees_with_the_apposition() -> None:
    """'council leader John Cotton' (Evening Standard): the same post, the same key."""
    found = titled("pr-birmingham-budget-council-tax-2024-03", "evening-standard")
    assert ("John Cotton", "council leader", "leader") in found


def test_appositive_title_with_its_organisation() -> None:
    """'Dermot Murphy, assistant director of the RSPCA Inspectorate, said'."""
    found = titled("pr-rspca-cruelty-figures-2017-03", "daily-mail")
    assert (
        "Dermot Murphy",
        "Assistant Director of the RSPCA Inspectorate",
        "assistant director",
    ) in found


def test_title_after_the_name_without_a_comma() -> None:
    """The Sun: 'Dr Paul Johnson Chief Medical Officer with NHS Dorset said:'."""
    found = titled("pr-dorset-canford-heath-appeal-2023-03", "the-sun-ie")
    assert (
        "Paul Johnson",
        "Chief Medical Officer with NHS Dorset",
        "chief medical officer",
    ) in found
    assert all(name != "Paul Johnson Chief" for name, _, _ in found)


def test_abbreviated_rank_before_the_name() -> None:
    """BBC: 'Ch Insp Gavin House said:'; the others 'Chief Inspector Gavin House'."""
    assert ("Gavin House", "Ch Insp", "chief inspector") in titled(
        "pr-dorset-canford-heath-appeal-2023-03", "bbc"
    )


def test_role_noun_before_a_full_name_is_a_title() -> None:
    """'Chancellor Rachel Reeves said:' is Rachel Reeves, the Chancellor."""
    assert ("Rachel Reeves", "Chancellor", "chancellor") in titled(
        "wire-pa-uk-inflation-2025-01", "evening-standard"
    )
