"""bench/scale.py's templated feed: stories written from a handful of templates, each
with subjects of its own, five versions each.

The shape is checked here (fast); the checker on it is the slow test below: every
generated story found as one story, and no row pairing two (issue "Real copy II":
stories written from one template were merged, each page's place dropped from its
subjects as part of a speaker's title). Timing is bench/scale.py's job
(`--templated`, `--both`), not these tests'.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from consistency import pipeline

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
TEMPLATES, STORIES_EACH = 3, 2
"""A small feed: 3 templates x 2 stories x 5 versions."""


@pytest.fixture(scope="module")
def stories() -> list:
    return BENCH.templated_stories(TEMPLATES * STORIES_EACH * BENCH.VERSIONS, templates=TEMPLATES)


def test_each_template_gives_its_stories_five_versions(stories: list) -> None:
    assert len(stories) == TEMPLATES * STORIES_EACH
    by_template = defaultdict(list)
    for number, story in enumerate(stories):
        by_template[story.template].append(story)
        assert len(story.articles) == BENCH.VERSIONS
        assert {BENCH.generated_story(a.source) for a in story.articles} == {f"t{number}"}
    assert len(by_template) == TEMPLATES
    assert all(len(group) == STORIES_EACH for group in by_template.values())
    corpus = BENCH.make_templated_corpus(len(stories) * BENCH.VERSIONS, templates=TEMPLATES)
    assert [a.source for a in corpus] == [a.source for s in stories for a in s.articles]


def _subjects(story) -> set[str]:
    """The people and places a story was given (grades and codenames may repeat)."""
    template = BENCH.SUBJECTS[story.template]
    names = [*template.places, *template.women, *template.men]
    return {story.subjects[n] for n in names}


def test_stories_of_one_template_keep_its_wording_and_change_its_subjects(stories: list) -> None:
    seen: set[str] = set()
    for story in stories:
        given = _subjects(story)
        template = BENCH.SUBJECTS[story.template]
        assert len(given) == len(template.places) + len(template.women) + len(template.men)
        assert not given & seen, "two generated stories share a person or a place"
        seen |= given
        original = story.articles[0].body
        # The template's own subjects are gone; the story's own are in every version.
        for old in (*template.places, *template.women, *template.men):
            assert not re.search(rf"\b{re.escape(old)}\b", original)
        place = story.subjects[template.places[0]]
        for version in story.articles:
            assert place in version.body
    # Two stories of one template share the wording but not their text.
    first, second = (s for s in stories if s.template == stories[0].template)
    assert first.articles[0].body != second.articles[0].body
    shared = "examined the force between" if "police" in first.template else ""
    assert shared in first.articles[0].body and shared in second.articles[0].body


def test_figures_change_with_the_story_and_keep_their_form() -> None:
    import random

    rng = random.Random(3)
    assert BENCH._new_number("2024", " as", rng) == "2024"
    assert BENCH._new_number("999", " calls", rng) == "999"
    assert BENCH._new_number("11", " of", rng) == "11"
    assert 1 <= int(BENCH._new_number("4", " March", rng)) <= 28
    assert re.fullmatch(r"\d+(st|nd|rd|th)", BENCH._new_number("9th", " May", rng))
    assert re.fullmatch(r"\d{1,3}(,\d{3})*", BENCH._new_number("7,400", " incidents", rng))
    assert re.fullmatch(r"\d+\.\d", BENCH._new_number("1.2", "million", rng))
    assert int(BENCH._new_number("90", "%", rng)) <= 97


@pytest.mark.slow
def test_the_checker_pairs_no_two_generated_stories(stories: list) -> None:
    feed = tuple(a for s in stories for a in s.articles)
    result = pipeline.check_articles(feed)
    figures = BENCH.against_generated(result)
    assert figures["stories_found"] == figures["stories_generated"] == len(stories), figures
    assert figures["cross_rows"] == 0, figures["cross_kinds"]


def test_the_floor_finds_a_changed_figure_in_a_copied_sentence(tmp_path: Path) -> None:
    story = (
        "The council approved a budget of 4.2 million pounds for the Harrowgate bypass on "
        "Tuesday. Work on the northern section will start next spring."
    )
    changed = story.replace("4.2 million", "4.7 million")
    other = "Firefighters rescued a swan trapped in the ice of Kelbrook reservoir 3 days ago."
    for name, body in (("a", story), ("b", changed), ("c", other), ("d", story)):
        (tmp_path / f"{name}.txt").write_text(f"id: {name}\n---\n{body}\n", encoding="utf-8")
    floor = BENCH.floor_read(tmp_path)
    assert len(floor.texts) == 7  # two sentences in each of three copies, one in the other
    rows = BENCH.floor_compare(floor, BENCH.floor_candidates(floor))
    found = {
        (floor.sources[floor.articles[a]], floor.sources[floor.articles[b]], fa, fb)
        for a, b, _, fa, fb in rows
    }
    assert found == {("a", "b", "4.2", "4.7"), ("b", "d", "4.7", "4.2")}
    BENCH.floor_write(floor, rows, tmp_path / "out")
    assert (tmp_path / "out" / "floor.csv").read_text().count("\n") == 3


def test_places_drawn_after_the_pool_is_used_share_no_word_with_earlier_ones() -> None:
    subjects = BENCH.Subjects(seed=1)
    drawn = [subjects.place() for _ in range(3 * len(subjects.places))]
    words = [w for place in drawn for w in place.split()]
    assert len(set(words)) == len(words) == len(drawn)


def test_distinct_stories_share_no_enciphered_word() -> None:
    # 200 stories: a letter substitution alone gives "the" one of 26^3 images, so
    # among them two stories would almost surely share one (and a rare phrase
    # around it, which chained unrelated stories into one part of the feed).
    corpus = BENCH.make_corpus(1000)
    kept = BENCH._kept_words()
    story_of_word: dict[str, str] = {}
    for article in corpus:
        story = BENCH.generated_story(article.source)
        for word in re.findall(r"[A-Za-z]+", article.body):
            lower = word.lower()
            if len(lower) < 3 or lower in kept:
                continue
            assert len(lower) >= BENCH.CIPHERED_LETTERS
            assert story_of_word.setdefault(lower, story) == story, lower
    assert len({*story_of_word.values()}) == 200
