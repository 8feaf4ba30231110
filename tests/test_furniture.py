"""Page furniture: the line classifier, the article sweep, the feed-level template pass,
and a golden test on real pages (tests/../../shared/real-dev, skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from consistency import claims, clean, furniture, ingest
from consistency.models import Article, frozen_map


def kind(line: str, outlet: frozenset[str] = frozenset()) -> str:
    return furniture.classify(line, outlet).kind


@pytest.mark.parametrize(
    "line",
    [
        "Sign In Register",
        "Most Read",
        "Comments (14)",
        "SPORT",
        "• Home",
        "Back to top",
        "Share on WhatsApp",
        "Advertisement Hide Ad",
        "Hide AdAdvertisement",
        "Skip to navigation",
        "Listen: the full interview with the minister",
        "Watch our reporter's film from the scene",
        "Read more: Ten things to do this weekend",
        "Click here to download the app",
        "Accept all cookies?",
        "We use cookies to improve your experience of our website.",
        "Thank you! Please check your inbox to confirm your subscription.",
        "The harbour at dawn on Tuesday. Credit: Example Photos",
        "Firefighters at the scene (Jo Bloggs/PA)",
        "The new bridge (Image: Borough Council)",
        "(Representational image: Example Agency)",
        "— the home of local news —",
        "Image source, Getty Images",
        "(PDF, 2.1 MB)",
        "ABCD 1.25% 104.10 $",
        "12 | 04.05.2023, 09:15 |",
        "flooding river levels warnings",
        "[gallery ids=”12,13”]",
        "#",
        "3 hours ago 12",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert kind(line) in ("furniture", "metadata"), furniture.classify(line)


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("Published: 4 June 2023", {"published": "4 June 2023"}),
        ("Last updated 12/08/2021", {"updated": "12/08/2021"}),
        ("Tuesday, October 3, 2023 9:41 am", {"published": "October 3, 2023"}),
        ("By Jane Roe | Posted: May 2, 2019", {"author": "Jane Roe", "published": "May 2, 2019"}),
        ("By Jane Roe", {"author": "Jane Roe"}),
        # a part ending in an abbreviation's full stop is no sentence
        ("By Jane Roe | Example Toys Inc.", {"author": "Jane Roe"}),
        ("Alex Example 14 April 2022", {"author": "Alex Example", "published": "14 April 2022"}),
        ("Health correspondent, Example News", {}),
    ],
)
def test_stamps_and_bylines_become_metadata(line: str, fields: dict[str, str]) -> None:
    verdict = furniture.classify(line)
    assert verdict.kind == "metadata", verdict
    assert dict(verdict.metadata) == fields


@pytest.mark.parametrize(
    "line",
    [
        # short real copy: subheadings, findings in a list, one-line wire paragraphs
        "Staff shortages on the night shift",
        "- Wards were left without a nurse in charge",
        "Flood warnings remain in place.",
        "'Deeply shocking'",
        "The court heard the attack lasted 12 minutes.",
        "By March 2024, the scheme had cost £3m and helped 400 families.",
        "Please contact police on 101 quoting incident 123 if you saw the crash.",
        "The report is at inspectorate.example.gov.uk.",
        "The council's website crashed twice during the vote, residents said.",
        "Cumbria 2018/19",
        "21 & 22 September 2021, 4 & 18 October 2021",
        "Essex (4,566)",
        "Read, who scored twice, said the team deserved the win.",
        "Share prices fell 4% after the announcement.",
        "“Please, just come home,” her mother said.",
        # function words and one menu word ("clear", "live"), as a sentence
        "It was clear.",
        "By then it was live.",
    ],
)
def test_copy_is_kept(line: str) -> None:
    verdict = furniture.classify(line)
    assert verdict.kind in ("copy", "weak"), verdict
    assert verdict.text == line


def test_stamp_before_a_line_is_cut_and_kept_as_metadata() -> None:
    verdict = furniture.classify("date 2023-05-04 Council approves budget rise")
    assert verdict.text == "Council approves budget rise"
    assert ("published", "2023-05-04") in verdict.metadata


def test_promotion_glued_to_copy_is_cut() -> None:
    verdict = furniture.classify("The ban was for life.Watch the video of the rescue")
    assert verdict.text == "The ban was for life."


def test_outlet_name_is_a_masthead() -> None:
    outlet = frozenset({"riverside", "gazette"})
    assert kind("Riverside Gazette", outlet) == "furniture"
    assert kind("More on RiversideGazette", outlet | {"riversidegazette"}) == "furniture"
    assert kind("Riverside Gazette", frozenset()) != "furniture"
    # a line of a hard-wrapped sentence about the outlet is copy
    assert kind("Riverside Gazette has been", outlet) != "furniture"


def test_sweep_drops_short_lines_inside_a_menu_not_a_title() -> None:
    lines = [
        "- Home",
        "- Cost of Living",
        "- Sport",
        None,
        "Skip to content",
        "Anytown 2019/20",
        "Read more about Anytown",
        "Anytown was rated good.",
    ]
    verdicts = [furniture.classify(x) if x else None for x in lines]
    placed = furniture.sweep(verdicts)
    assert placed[1] == "beside furniture"  # between two menu entries
    assert placed[5] == ""  # a title between navigation and a link stays


def article(source: str, body: str, outlet: str = "") -> Article:
    meta = frozen_map({"outlet": outlet} if outlet else {})
    return Article(source, f"{source}.txt", body, metadata=meta)


def test_template_lines_recur_across_stories_not_within_one() -> None:
    story_a = "Bridge to close for repairs next month, council says\n" * 1
    story_b = "Hospital waiting times fall for the third month running\n"
    shared_sub = "Residents angry"
    feed = [
        # one outlet, two different stories, one short template line
        article(
            "a1",
            f"Print edition extra\n{story_a}The bridge will shut on 3 May for six weeks.",
            "Gazette",
        ),
        article(
            "a2",
            f"Print edition extra\n{story_b}Waiting times fell to 14 weeks in March.",
            "Gazette",
        ),
        # two versions of one story share a subheading and their copy: not a template
        article(
            "b1", f"{shared_sub}\nThe bridge will shut on 3 May for six weeks of repairs.", "Echo"
        ),
        article(
            "b2", f"{shared_sub}\nThe bridge will shut on 3 May for six weeks of repairs.", "Post"
        ),
    ]
    found = furniture.template_lines(feed)
    assert furniture.key("Print edition extra") in found
    assert furniture.key(shared_sub) not in found
    cleaned = clean.clean_article(feed[0], found)
    assert "Print edition extra" not in [p.text for p in cleaned.paragraphs]
    assert any(r.explanation == "boilerplate: site template" for r in cleaned.repairs)


def test_cleaning_with_furniture_is_idempotent() -> None:
    body = (
        "Login Register\nCouncil approves budget rise\nBy Jane Roe | Posted: May 2, 2019\n"
        "Comments (3)\nThe council approved a 5% rise on Tuesday, the largest it has made in a"
        " decade, after a meeting that lasted more than six hours.\n"
        "The harbour at dawn. Credit: Example Photos\nWatch our film\n"
        "Councillors voted 40 to 12 in favour.\n"
    )
    body = body.replace("\n", "\n\n")  # paragraphs apart, as pages are stored
    first = clean.clean_article(Article("x", "x.txt", body))
    assert first.headline == "Council approves budget rise"
    assert first.metadata["author"] == "Jane Roe"
    text = "\n\n".join(p.text for p in first.paragraphs)
    again = clean.clean_article(Article("x", "x.txt", text))
    assert [p.text for p in again.paragraphs] == [p.text for p in first.paragraphs]
    assert [p.text for p in first.paragraphs] == [
        "Council approves budget rise",
        "The council approved a 5% rise on Tuesday, the largest it has made in a decade, after a"
        " meeting that lasted more than six hours.",
        "Councillors voted 40 to 12 in favour.",
    ]


# --- real pages --------------------------------------------------------------------

REAL_DEV = Path(
    os.environ.get(
        "CONSISTENCY_REAL_DEV", Path(__file__).resolve().parents[2] / "shared" / "real-dev"
    )
)

GOLDEN = [
    # (file, furniture that must be gone, the real headline, a first sentence kept)
    (
        "insp-cqc-royal-cornwall-hospitals-2014-03/west-briton.txt",
        ["Login Register", "Comments (2)", "By Western Morning News"],
        "Royal Cornwall Hospital 'needs improvement' after tough inspection",
        "Running at nearly full capacity is having a major impact on patients",
    ),
    (
        "insp-cqc-plymouth-derriford-2022-01/itv-news-west-country.txt",
        ["Watch Sam Blackledge's report", "Credit: ITV News"],
        "Plymouth's Derriford Hospital 'requires improvement' as watchdog raises"
        " 'significant concerns",
        "The trust which runs the South West's largest hospital",
    ),
    (
        "insp-cqc-plymouth-derriford-2022-01/bbc-news.txt",
        ["date 2022-01-19"],
        "Watchdog says Derriford Hospital still needs to improve",
        "Patients on trolleys had no privacy",
    ),
    (
        "insp-hmp-exeter-urgent-notification-2022-11/hmi-prisons.txt",
        ["cookies", "Skip to content", "Published:"],
        None,
        "Yesterday, the Chief Inspector of Prisons wrote to the Secretary of State",
    ),
    (
        "insp-devon-cornwall-police-engage-exit-2025-07/cornish-stuff.txt",
        ["Published On", "Last Updated"],
        "Devon and Cornwall Police Removed from HMICFRS Enhanced Monitoring",
        "Devon and Cornwall Police has officially been removed from enhanced monitoring",
    ),
    (
        "insp-ofsted-devon-childrens-services-2025-05/snackydog-bbc-copy.txt",
        ["Miles Davis"],  # a name over the reporter's role, under the headline
        "Devon children's services rated inadequate again",
        "Children in Devon experiencing abuse and neglect",
    ),
    (
        "insp-kent-police-crime-recording-2019-01/hmicfrs-report-page.txt",
        ["Publication types", "Police Forces"],
        None,
        "Crime Data Integrity re-inspection 2018",
    ),
    (
        "wire-spurs-liverpool-6-3-reaction-2024-12/2dareis2do.txt",
        ["Submitted by"],
        "Liverpool beats Spurs in nine-goal thriller",
        "Having been buoyed by Chelsea's earlier stalemate",
    ),
]


@pytest.mark.parametrize(("name", "gone", "headline", "kept"), GOLDEN)
def test_real_pages_lose_their_furniture(
    name: str, gone: list[str], headline: str | None, kept: str
) -> None:
    path = REAL_DEV / name
    if not path.exists():
        pytest.skip(f"{path} not found (set CONSISTENCY_REAL_DEV)")
    (art,) = ingest.read_feed([path]).articles
    cleaned = clean.clean_article(art)
    found = claims.article_claims(cleaned)
    texts = [c.text for c in found]
    for furniture_text in gone:
        assert not any(furniture_text in t for t in texts), furniture_text
        assert furniture_text not in cleaned.headline
    if headline is not None:
        assert cleaned.headline == headline
    assert any(t.startswith(kept) for t in texts), kept


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Jo Bloggs 4pm - 6pm", "broadcast schedule"),
        ("Quelle: Deutsche Presse Agentur", "source credit"),
        ("Source: Example Wire (engl.)", "source credit"),
        ("See the full report here: https://example.com/report", "promotion ending in a link"),
        (
            "This release has pictures. Read it here: https://example.com/x",
            "promotion ending in a link",
        ),
        ("Free WordPress Themes, Free Mobile Games", "site credit (theme, platform)"),
        ("Powered by WordPress", "site credit (theme, platform)"),
    ],
)
def test_page_lines_of_a_sites_own(line: str, reason: str) -> None:
    verdict = furniture.classify(line)
    assert (verdict.kind, verdict.reason) == ("furniture", reason)


@pytest.mark.parametrize(
    "line",
    [
        "Polls open 7am - 10pm",
        "The shop opens from 9am to 5pm on weekdays.",
        "Source: the ministry said prices rose.",
        "The report is published at https://example.com/report",
        "WordPress themes hit by a hack",
        "Texas floods: death toll rises",
        "Patients on trolleys had no privacy",
    ],
)
def test_look_alike_copy_is_kept(line: str) -> None:
    assert kind(line) in ("copy", "weak")


def test_headline_cut_of_a_section_or_a_second_printing() -> None:
    cut = furniture.classify("Toll rises to 72 after quake | Earthquakes News")
    assert cut.text == "Toll rises to 72 after quake"
    twice = furniture.classify("Union opposes plant closure Union opposes plant closure")
    assert twice.text == "Union opposes plant closure"
    kept = furniture.classify("Rates held | Bank says inflation is easing")
    assert kept.text == "Rates held | Bank says inflation is easing"


def _cleaned(body: str) -> tuple[str, list[str]]:
    article = Article("a", "a.txt", body)
    done = clean.clean_article(article)
    return done.headline, [p.text for p in done.paragraphs]


def test_name_alone_near_the_top_is_a_byline_and_tags_before_a_headline_go() -> None:
    body = (
        "Home News Sport\n\nHealth Care Patients wards Trust nursing\n\n"
        "Hospital rated inadequate after inspection\n\n"
        "Inspectors found serious failings on two wards.\n\nJo Bloggs\n\n"
        "The trust said it had already acted on the findings.\n\n"
        "Patients on trolleys had no privacy\n\nStaff said they felt unheard.\n"
    )
    headline, paragraphs = _cleaned(body)
    assert headline != "Health Care Patients wards Trust nursing"
    assert "Jo Bloggs" not in paragraphs
    assert "Health Care Patients wards Trust nursing" not in paragraphs
    assert "Patients on trolleys had no privacy" in paragraphs


def test_a_name_as_a_subheading_lower_down_and_a_repeated_short_line_are_kept() -> None:
    body = (
        "Council approves budget\n\nThe council approved its budget on Tuesday.\n\n"
        "It was the first vote of the year.\n\nA third line of copy here.\n\n"
        "More copy of the story follows.\n\nAnd still more copy.\n\nJo Bloggs\n\n"
        "She said the cuts were painful.\n\nYes\nYes\n"
    )
    _, paragraphs = _cleaned(body)
    assert "Jo Bloggs" in paragraphs
    line = furniture.classify("Jo Bloggs")
    assert (line.kind, line.reason) == ("weak", "name")


# --- bylines, labels and filing lower on the page ------------------------------------


def test_a_byline_with_a_user_name_in_lower_case() -> None:
    verdict = furniture.classify("Submitted by jdoe on")
    assert (verdict.kind, dict(verdict.metadata)) == ("metadata", {"author": "jdoe"})
    # "submitted by" opening a clause of copy: a function word, not a user name
    assert kind("Submitted by the council on Monday") in ("copy", "weak")


@pytest.mark.parametrize(
    "line",
    [
        "Publication types: Inspection report",
        "Police forces: Northshire",
        "Archives: Reports",
        "Topics: Courts, Crime | Northshire",
    ],
)
def test_page_taxonomy_lines_are_furniture(line: str) -> None:
    verdict = furniture.classify(line)
    assert (verdict.kind, verdict.reason) == ("furniture", "page taxonomy")


@pytest.mark.parametrize(
    "line",
    [
        # rating lines: a label and a value, but no facet's name as the label
        "Safe: Good",
        "Well-led: Requires improvement",
        "Overall rating: Good",
        # a facet's name with copy after it, not a list of short items
        "Warnings: Flash flood watches and warnings remain active near the river",
        "Topics: the council discussed parking and bins",
    ],
)
def test_label_and_value_lines_of_copy_are_kept(line: str) -> None:
    assert kind(line) in ("copy", "weak")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("How informative is this news?", "furniture"),
        ("Was this article helpful?", "furniture"),
        # a question of the copy: no page named, or no judgment of it asked, or quoted
        ("How informative was the minister's answer?", "copy"),
        ("Is this news good for savers?", "copy"),
        ("“Was this story helpful?” she asked the editor.", "copy"),
    ],
)
def test_a_question_to_the_reader_about_the_page(line: str, expected: str) -> None:
    assert kind(line) == expected


@pytest.mark.parametrize("line", ["Quick Looks", "Deep dive", "At a glance", "Analysis"])
def test_a_sites_labels_for_a_storys_formats(line: str) -> None:
    assert kind(line) == "furniture"


def test_a_label_with_copy_words_is_kept() -> None:
    assert kind("Deep cuts to services") in ("copy", "weak")


def test_capitals_without_a_clause_are_a_label_only_by_their_place() -> None:
    assert furniture.classify("WEST END FINAL").reason == "capitals"
    assert furniture.classify("FIRE KILLING TWO").reason != "capitals"  # a verb's form
    body = (
        "Quake toll rises to 72\n\nCEBU CITY\n\n"
        "The death toll from the earthquake rose to 72 on Thursday, officials said.\n\n"
        "Jo Bloggs 5 March 2024\nLATE EDITION\n\n"
        "Rescuers searched the rubble for a third day.\n\nRELIEF EFFORT\n\n"
        "Aid arrived by sea on Friday.\n"
    )
    headline, paragraphs = _cleaned(body)
    assert headline == "Quake toll rises to 72"
    assert "CEBU CITY" not in paragraphs  # a dateline under the headline
    assert "LATE EDITION" not in paragraphs  # an edition's label beside a byline
    assert "RELIEF EFFORT" in paragraphs  # a crosshead inside the copy


def test_a_name_beside_a_byline_or_a_caption_or_after_the_body() -> None:
    body = (
        "Council approves budget\n\nJo Bloggs\nLocal democracy reporter\n\n"
        "The council approved its budget on Tuesday.\n\nIt was the first vote of the year.\n\n"
        "More copy of the story follows.\n\nAnd still more copy.\n\nAnn Lee\n"
        "Ann Lee at the meeting (Photo: Example Agency)\n\n"
        "She said the cuts were painful.\n\nSam smith\n"
    )
    _, paragraphs = _cleaned(body)
    for name in ("Jo Bloggs", "Ann Lee", "Sam smith"):
        assert name not in paragraphs, name
    assert "She said the cuts were painful." in paragraphs


def test_a_name_under_the_headline_is_a_byline_whatever_follows() -> None:
    body = (
        "Charity calls rise by a fifth\n\nJo Bloggs\n"
        "The charity's call centre in Horsham - Example Photos\n\n"
        "Calls to the charity rose by a fifth last year, figures show.\n"
    )
    _, paragraphs = _cleaned(body)
    assert "Jo Bloggs" not in paragraphs


def test_a_cut_fragment_at_the_end_is_not_a_name() -> None:
    body = (
        "Storm batters coast\n\nThe storm brought down trees on Friday.\n\n"
        "Thousands of homes lost power overnight.\n\nSome homes and bus\n"
    )
    _, paragraphs = _cleaned(body)
    assert "Some homes and bus" in paragraphs


def test_a_documents_label_and_a_taxonomy_pages_description_go() -> None:
    body = (
        "Skip to content\n\nArchives: Reports\n\nContains details of Reports\n\n"
        "Prison inspection finds rising violence\n\n"
        "Inspectors found violence had risen since the last visit.\n\n"
        "Easy read summary\n(PDF, 596 KB)\n\nAnnual report\n\n"
        "The full annual report follows later this year.\n"
    )
    headline, paragraphs = _cleaned(body)
    assert headline == "Prison inspection finds rising violence"
    assert "Contains details of Reports" not in paragraphs
    assert "Easy read summary" not in paragraphs
    assert "Annual report" in paragraphs  # a heading of copy, not a link to a document


def test_a_headline_after_a_taxonomy_line_is_kept() -> None:
    body = (
        "Topics: Northshire\n\nFloods hit Northshire\n\n"
        "Rivers burst their banks across the county on Friday.\n"
    )
    headline, paragraphs = _cleaned(body)
    assert headline == "Floods hit Northshire"
    assert "Floods hit Northshire" in paragraphs


def test_a_pictures_description_between_two_printings_of_its_credit() -> None:
    verdict = furniture.classify("Getty Images Firefighters at the scene of the fireGetty Images")
    assert verdict.reason == "caption with a photo credit"
    # a sentence opening and closing with an agency's name, not glued: copy
    assert kind("Reuters reported the figures first, citing Reuters") in ("copy", "weak")


# --- labels, captions and notes around the headline -----------------------------------


def test_a_section_label_above_a_headline_goes_a_name_over_a_subheading_stays() -> None:
    body = (
        "West Midlands\n\nCouncil approves budget cuts of millions as protesters gather outside\n\n"
        "The council approved its budget on Tuesday.\n"
    )
    headline, paragraphs = _cleaned(body)
    assert headline == "Council approves budget cuts of millions as protesters gather outside"
    assert "West Midlands" not in paragraphs
    # a subject's name over a short subheading: the page's own title, kept
    body = "HMP Example\n\nExample prison scores\n\nWhat we found\n\nThe prison was unsafe.\n"
    _, paragraphs = _cleaned(body)
    assert "HMP Example" in paragraphs
    # a short headline over a standfirst that is a sentence stays the headline
    body = "Budget approved\n\nThe council approved its budget on Tuesday after a long debate.\n"
    assert _cleaned(body)[0] == ""
    assert "Budget approved" in _cleaned(body)[1]


def test_a_topic_label_between_a_byline_and_a_caption_goes_a_crosshead_stays() -> None:
    lines = [
        "Council approves budget after long debate",
        "By Jo Bloggs, Ann Lee and Sam Smith, PA",
        "Budget vote row",
        "Councillors at the meeting (Example Photos/PA)",
        "The council approved its budget on Tuesday.",
        "Budget vote row",
        "She said the cuts were painful.",
    ]
    placed = furniture.sweep([furniture.classify(line) for line in lines])
    assert placed[2] == "topic label between furniture"
    assert placed[5] == ""  # the crosshead in the copy


def test_a_list_of_authors_is_a_byline_a_clause_after_by_is_copy() -> None:
    verdict = furniture.classify("By contributor By Jo Bloggs, Ann Lee and Sam Smith, PA")
    assert (verdict.kind, dict(verdict.metadata)["author"]) == (
        "metadata",
        "Jo Bloggs, Ann Lee and Sam Smith, PA",
    )
    assert kind("By Tuesday, Jo Bloggs and Ann Lee had left the room.") == "copy"
    assert kind("By then, Ann Lee and Jo Bloggs agreed") != "metadata"


def test_a_site_name_and_its_section_go_a_place_and_a_topic_stay() -> None:
    assert furniture.classify("Example Post - Science & tech").reason == "site name and section"
    assert kind("Storm Bert - power cuts") != "furniture"
    assert kind("Rates held | Bank says inflation is easing") == "copy"


def test_a_caption_with_its_photographer_after_a_dash_goes_under_the_headline() -> None:
    body = (
        "Charity calls rise by a fifth in a year\n\n"
        "Calls to the charity's hotline rose last year - Jo Bloggs\n\n"
        "Calls to the charity rose by a fifth last year, figures show.\n"
    )
    _, paragraphs = _cleaned(body)
    assert "Calls to the charity's hotline rose last year - Jo Bloggs" not in paragraphs
    # the first line: a headline quoting its speaker, kept
    headline, _ = _cleaned("Deal is dead and buried for good now - Jo Bloggs\n\nCopy here.\n")
    assert headline == "Deal is dead and buried for good now - Jo Bloggs"
    assert kind("\u201cWe will not back down on this at all\u201d - Jo Bloggs") != "weak"


@pytest.mark.parametrize(
    "line",
    [
        "Note: The image is for illustrative purposes only and is not the original image.",
        "Image is representational.",
        "Photo for representation purposes only",
        "Fire at the depot (Representative image)",
    ],
)
def test_a_note_that_the_picture_is_not_the_storys_own(line: str) -> None:
    assert furniture.classify(line).reason == "note that a picture is not the story's own"


@pytest.mark.parametrize(
    "line",
    [
        "The report is illustrative of wider failings at the trust.",
        "A representative of the union said pictures of the site were shared.",
        "The figures are for illustrative purposes, the council said.",
    ],
)
def test_copy_about_pictures_or_representatives_is_kept(line: str) -> None:
    assert kind(line) == "copy"


def test_a_headline_opening_with_a_figure_has_no_capital_and_is_a_headline() -> None:
    body = "5% rise in animal cruelty cases\n\nThere has been a rise in cases, the charity says.\n"
    assert _cleaned(body)[0] == "5% rise in animal cruelty cases"
    assert _cleaned("\u2014 the home of dogs \u2014\n\nCopy of the story.\n")[0] == ""
