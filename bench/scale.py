"""Scale: the checker end to end on generated feeds of distinct stories, beside two
naive baselines.

Each story is one of the fixture articles syndicated by consistency.testing (the
original and four copies with benign edits and one injected discrepancy), then
enciphered with a cipher of its own: every content word of three or more letters
is replaced consistently across the story's versions (a letter substitution,
padded to `CIPHERED_LETTERS` letters with letters of the story's own, so that no
two stories' words collide), and numbers from 13 up are shifted, while grade
words, titles, speech verbs, organisation suffixes and number words stay. So
versions of a story agree as syndicated copies do, and different stories share no
distinctive text, as real ones do not (templated sentences of one fixture still
repeat across its stories, as a wire's do).

Each feed is written to disk as one .txt file per article (front matter, then the
body). For each size a fresh process runs what `consistency check DIR --out OUT`
runs (read the files, check, write discrepancies.csv, claims.csv and
coverage.csv) and the table gives seconds, articles/s, claims/s, peak RSS (the
main process, and its largest child: a reading worker or the forked detector
process) and the scaling exponent against
the previous size (1.0 is linear). Beside it, on the sizes where they finish
within --baseline-budget seconds (else estimated from a sample of pairs), two
baselines score every pair of claims: Python's difflib SequenceMatcher, and
rapidfuzz `fuzz.ratio` through `process.cdist` on all cores, without blocking.
On sizes up to --identity-up-to articles the unblocked pipeline (every claim pair
scored) also runs, and the table says whether its discrepancies.csv is
byte-identical to the blocked one.

With --templated, the feed is instead stories written from a handful of templates,
as 43 forces' inspection reports published on one day are: five real-looking
articles (two police PEEL reports, a fire inspection, a CQC maternity report, an
Ofsted report; TEMPLATED), story i written from template i % 5 with subjects of its
own (places drawn from 7,200 generated names, so "<Place> Police" and "<Place>
Fire and Rescue Service"; people's first names and surnames from lists here, each
full name used once; operation names, acronyms, figures and day numbers redrawn,
grades redrawn from the template's scale; years, 999 and 101 kept), then syndicated
into five versions as above, without a cipher. Article ids start "t{story}-", so
after the check every row pairing two generated stories (each one false) is
counted, by kind, and the stories found are set against those generated. --both
runs the distinct and the templated feed back to back at each size and gives their
ratio of times; --timeout stops a feed whose run takes longer. The targets: the
templated feed within 1.5x the distinct feed's time, at most x2.3 time for x2
articles, and no row across generated stories.

With --floor, each feed is also run through a floor pipeline of this module's own
(`run_floor`: regex sentence split, blocking by rare 3-word shingles, `fuzz.ratio`
on candidate pairs, a digit diff, a CSV), then through the checker, each in a fresh
process, and the table gives wall and CPU seconds per stage, the ratio checker /
floor per stage and in total, and peak memory summed over each run's processes.

    python bench/scale.py                       # 1000 2000 5000 10000 20000
    python bench/scale.py --quick               # 200 500 1000
    python bench/scale.py 500 --identity-up-to 500
    python bench/scale.py 500 1000 2000 --both  # distinct and templated, side by side
    python bench/scale.py 1000 --templated
    python bench/scale.py 1000 5000 --floor     # a floor pipeline beside the checker, per stage
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from consistency import caching, check, check_articles, domain, ingest, pipeline, write_reports
from consistency import claims as claims_stage
from consistency import clean as clean_stage
from consistency.match import MatchSettings
from consistency.models import Article, frozen_map
from consistency.results import CheckResult
from consistency.testing import Base, prepare, syndicate

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [ROOT / "fixtures" / "west-mercia", ROOT / "fixtures" / "articles" / "dev"]
VERSIONS = 5


@cache
def _kept_words() -> frozenset[str]:
    """Words the checker reads for meaning (grades, titles, speech verbs,
    organisation suffixes, number words): kept. Everything else of three letters or
    more is enciphered, function words too: with a dozen templates, templated
    sentences ("The service was rated ...") would otherwise repeat across stories
    far more than real feeds repeat them."""
    texts = [
        " ".join(domain.scales().wordings),
        " ".join(domain.titles().role_words),
        " ".join(domain._load("speech.toml")["verbs"]),
        " ".join(domain._load("organisations.toml")["suffixes"]),
        # spellings a benign edit swaps: "per cent", "His Majesty's"
        " ".join(domain._load("titles.toml")["abbreviations"].values()),
        " ".join(f"{k} {v}" for k, v in domain.wording().equivalents.items()),
        "per cent",
    ]
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
    words |= set(domain.lexicon().values)
    words |= {"rated", "graded", "judged", "rating", "overall"}
    return frozenset(words)


def _cipher(rng: random.Random) -> dict[str, str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    shuffled = list(letters)
    rng.shuffle(shuffled)
    return dict(zip(letters, shuffled, strict=True))


CIPHERED_LETTERS = 7
"""An enciphered word has at least this many letters: a shorter one is padded with
letters of its story's own (`_encipher_story`)."""


def _encipher_story(articles: list[Article], story: int) -> list[Article]:
    rng = random.Random(story)
    table = _cipher(rng)
    shift = 1 + story % 97
    kept = _kept_words()
    # A letter substitution alone maps "the" to one of 26^3 strings, so among
    # thousands of stories many share its image, and "<the> chief constable" became a
    # rare phrase two unrelated stories share: at 20,000 articles 81,864 claim pairs
    # across stories, and at 150,000 articles one chain of candidate pairs held a
    # third of the feed, where real stories share such words as common words. Padding
    # short words (drawn once per word and story) makes a collision as unlikely as
    # between long words; long words keep the substitution, and so their likeness to
    # their own inflections.
    padding: dict[str, str] = {}

    def pad(lower: str) -> str:
        if lower not in padding:
            padding[lower] = "".join(
                rng.choice(string.ascii_lowercase) for _ in range(CIPHERED_LETTERS - len(lower))
            )
        return padding[lower]

    def word(m: re.Match[str]) -> str:
        w = m.group()
        lower = w.lower()
        if len(w) < 3 or lower in kept:
            return w
        out = "".join(table.get(c, c) for c in lower)
        if len(out) < CIPHERED_LETTERS:
            out += pad(lower)
        return out.capitalize() if w[0].isupper() else out

    def number(m: re.Match[str]) -> str:
        n = int(m.group())
        return m.group() if n < 13 else str(n + shift)

    out = []
    for a in articles:
        body = re.sub(r"[A-Za-z]+", word, a.body)
        body = re.sub(r"(?<![\d,.])\d+(?!\d|[.,]\d)", number, body)
        meta = {k: re.sub(r"[A-Za-z]+", word, v) for k, v in a.metadata.items()}
        out.append(Article(a.source, a.path, body, a.first_line, meta))
    return out


@cache
def _bases() -> tuple[Base, ...]:
    return tuple(prepare(a) for a in ingest.read_articles(TEMPLATES))


def make_corpus(articles: int, seed: int = 11) -> tuple[Article, ...]:
    """About `articles` articles: stories of VERSIONS versions each, all distinct."""
    bases = _bases()
    out: list[Article] = []
    for story in range(max(1, articles // VERSIONS)):
        base = bases[story % len(bases)]
        syndication = syndicate(
            base, seed * 1_000_003 + story, copies=VERSIONS - 1, injections=1, prefix=f"s{story}-"
        )
        out += _encipher_story(list(syndication.articles), story)
    return tuple(out)


# --- templated feeds -----------------------------------------------------------------
#
# A handful of real-looking articles, each written again and again with its subjects
# changed, as 43 forces' inspection reports published on one day are: the same
# wording, another force, other people, other places, other figures and grades.

TEMPLATED = [
    ROOT / "fixtures" / "articles" / "dev" / "ravensdale-police-peel.txt",
    ROOT / "fixtures" / "articles" / "holdout" / "westbarrow-police-peel.txt",
    ROOT / "fixtures" / "articles" / "dev" / "hollinshire-fire-inspection.txt",
    ROOT / "fixtures" / "articles" / "dev" / "calderbrook-maternity-cqc.txt",
    ROOT / "fixtures" / "articles" / "dev" / "ashby-fold-academy-ofsted.txt",
]
"""The five templates, in order: story i is written from template i % 5."""


@dataclass(frozen=True)
class Template:
    """What a story written from a template changes: the strings of its subjects."""

    places: tuple[str, ...]
    """Place names, the first the subject's own ("Ravensdale" in "Ravensdale Police")."""
    women: tuple[str, ...] = ()
    """Women's full names; the surname alone ("Ms Marchbank") changes with them."""
    men: tuple[str, ...] = ()
    codenames: tuple[str, ...] = ()
    """One-word names of operations and schemes ("Operation Lantern")."""
    acronyms: tuple[tuple[str, str], ...] = ()
    """(acronym, its pattern): "{0}" is the initial of place 0 ("HFRS": "{0}FRS")."""
    grades: tuple[str, ...] = ("outstanding", "good", "requires improvement", "inadequate")


SUBJECTS = {
    "ravensdale-police-peel": Template(
        places=("Ravensdale", "Kelby"),
        women=("Helen Marchbank",),
        men=("Marcus Oyelaran", "Dan Whitfield"),
        codenames=("Lantern",),
        grades=("outstanding", "good", "adequate", "requires improvement", "inadequate"),
    ),
    "westbarrow-police-peel": Template(
        places=("Westbarrow",),
        women=("Rebecca Thornhill", "Lorna Gilchrist"),
        men=("Anil Ramaswamy",),
        grades=("outstanding", "good", "adequate", "requires improvement", "inadequate"),
    ),
    "hollinshire-fire-inspection": Template(
        places=("Hollinshire",),
        women=("Lucy Tennant", "Janet Oduya"),
        men=("Graham Mistry",),
        acronyms=(("HFRS", "{0}FRS"),),
        grades=("outstanding", "good", "adequate", "requires improvement", "inadequate"),
    ),
    "calderbrook-maternity-cqc": Template(
        places=("Calderbrook", "Wyre"),
        women=("Fiona Halloran", "Sarah Boyd", "Joanna Kettering"),
        acronyms=(("CWHT", "{0}{1}HT"),),
    ),
    "ashby-fold-academy-ofsted": Template(
        places=("Ashby Fold", "Fellside"),
        women=("Laura Pike",),
        men=("Daniel Crewe", "Martin Achebe"),
    ),
}


def _words(text: str) -> list[str]:
    return text.split()


_PLACE_STEMS = _words(
    "Ash Brack Cald Dun Elm Fen Glen Hart Ivel Kel Lang Mar Nor Oak Pen Rad Shel Thorn "
    "Wex Ald Bram Cran Dray East Fair Gran Hol Ken Lin Mel Ned Orm Pem Roth Stan Tew Wal "
    "Yar Brad Crom"
)
_PLACE_ENDS = _words(
    "ford bridge shire dale ham ton wick bury field mouth stead by worth combe leigh mere "
    "thorpe well hurst gate"
)
_PLACE_MIDDLES = _words("en ow ar ul ib ock yth ast")
"""Once every stem + end has been drawn, stem + middle + end ("Ashenford"): a name of
its own again, two letters from any other. A prefix ("North Ashford") would share the
word "Ashford" with the first story given it, and stories of one template naming one
place are one story to an editor too (the templated feed at 4,000 articles once merged
its stories 500 apart that way)."""
_WOMEN = _words(
    "Amelia Aisha Beth Caroline Chloe Deborah Eleanor Emma Farah Gemma Grace Hannah Imogen "
    "Jasmine Joanne Karen Katherine Leah Louise Maria Megan Nadia Natalie Nicola Olivia "
    "Priya Rachel Ruth Samina Sophie Tanya Victoria Yvonne Zoe Claire Fatima Alison Bridget "
    "Harriet Siobhan"
)
_MEN = _words(
    "Adam Ahmed Alan Andrew Ben Callum Chris David Edward Faisal Gareth George Harry Ian "
    "Imran James Jonathan Kevin Liam Mark Matthew Michael Neil Oliver Patrick Paul Rajesh "
    "Richard Robert Samuel Simon Stephen Thomas Tobias Usman Vikram William Yusuf Owen Rhys"
)
_SURNAMES = _words(
    "Abbott Adeyemi Ahmed Ainsworth Akhtar Baxter Bellamy Bhatt Blackwood Bowen Brennan "
    "Chadwick Chaudhry Clifford Coates Cowell Dalton Dawson Devlin Doherty Duffy Eastwood "
    "Ellison Farrow Fenwick Fletcher Gallagher Garside Goodwin Griffiths Hale Hammond "
    "Hargreaves Hussain Ingram Iqbal Jarvis Jennings Kaur Keane Kowalski Lacey Lambert Lowe "
    "Lucas Malik Marsden McBride Mensah Metcalfe Nash Nowak Nwosu Okafor Osei Parekh Pearce "
    "Pritchard Quinn Rahman Rennie Rowley Sandhu Sharma Shaw Sinclair Slater Stansfield "
    "Sweeney Thackeray Tiwari Townsend Underwood Vance Varga Wainwright Walsh Webster Whelan "
    "Wilkinson Yates Zielinski"
)
_SURNAME_STEMS = _words(
    "Ash Bar Cart Dal Ell Fin Gil Hal Ing Kirk Lam Mor New Par Rad Sut Tal Ward"
)
_ENDS = frozenset(_PLACE_ENDS)
_SURNAME_ENDS = _words("ley ton well wood croft more ridge field worth ham")
_CODENAMES = _words(
    "Beacon Bramble Compass Falcon Harbour Juniper Keystone Kestrel Lighthouse Meridian "
    "Nightjar Orchard Pennant Quartz Rampart Sentinel Tandem Trellis Vanguard Willow Yarrow"
)
_MONTHS = "January February March April May June July August September October November December"
_NUMBER = re.compile(
    r"(?<![\w.,/-])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:st|nd|rd|th)?"
    r"(?=(?:million|m|bn)?\b)(?![.,]\d|/)"
)
_DAY = re.compile(rf"(?:\s+and\s+\d+)?\s+(?:{'|'.join(_MONTHS.split())})\b")


def _pool(stems: list[str], ends: list[str], extra: tuple[str, ...] = ()) -> list[str]:
    return sorted({*extra, *(s + e for s in stems for e in ends)})


class Subjects:
    """Draws the subjects of generated stories: every place and every full name once in
    the feed while the pools last (7,200 places and about 6,000 names), surnames in turn
    (a surname comes back only after the other 260 have been used)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = _pool(_PLACE_STEMS, _PLACE_ENDS)
        self.rng.shuffle(self.places)
        self.surnames = _pool(_SURNAME_STEMS, _SURNAME_ENDS, tuple(_SURNAMES))
        self.rng.shuffle(self.surnames)
        self.used: set[str] = set()
        self.place_turn = 0
        self.surname_turn = 0

    def place(self) -> str:
        place = self.places[self.place_turn % len(self.places)]
        laps = self.place_turn // len(self.places)
        self.place_turn += 1
        if not laps:
            return place
        stem = next(s for s in _PLACE_STEMS if place.startswith(s) and place[len(s) :] in _ENDS)
        middle = _PLACE_MIDDLES[(laps - 1) % len(_PLACE_MIDDLES)]
        named = f"{stem}{middle}{place[len(stem) :]}"
        rounds = (laps - 1) // len(_PLACE_MIDDLES)
        return f"{('North', 'South', 'East', 'West')[rounds - 1]} {named}" if rounds else named

    def person(self, firsts: list[str], taken: set[str]) -> str:
        for _ in range(50):
            surname = self.surnames[self.surname_turn % len(self.surnames)]
            self.surname_turn += 1
            name = f"{self.rng.choice(firsts)} {surname}"
            if surname not in taken and name not in self.used:
                break
        self.used.add(name)
        taken.add(surname)
        return name


def _new_number(token: str, following: str, rng: random.Random) -> str:
    """Another figure of the same form and about the same size: day numbers before a
    month stay days, years and the 999 and 101 lines stay as they are."""
    ordinal = re.search(r"(st|nd|rd|th)$", token)
    digits = token[: ordinal.start()] if ordinal else token
    value = float(digits.replace(",", ""))
    if digits in ("999", "101") or (re.fullmatch(r"(19|20)\d\d", digits) is not None):
        return token
    if _DAY.match(following) or ordinal:
        day = rng.randint(1, 28)
        if not ordinal:
            return str(day)
        suffix = "th" if day in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix}"
    if "." not in digits and value <= 16:
        return token  # ages, school years, "11 of the 60 cases"
    places = len(digits.split(".")[1]) if "." in digits else 0
    whole = digits.replace(",", "")
    zeros = len(whole) - len(whole.rstrip("0")) if not places and value >= 100 else 0
    new = value
    while new == value:
        new = value * rng.uniform(0.55, 1.6)
        if following.lstrip().startswith(("%", "per cent")):
            new = min(new, 97.0)
        new = round(new, places - zeros) if places or zeros else float(max(2, round(new)))
    if places:
        return f"{new:.{places}f}"
    return f"{int(new):,}" if "," in digits else str(int(new))


def _write_from(
    template: Template, article: Article, story: int, subjects: Subjects
) -> tuple[Article, dict[str, str]]:
    """`article` with its subjects, figures and grades changed for generated story
    `story`, and what became of each subject (grades too)."""
    rng = random.Random(story)
    mapping: dict[str, str] = {}
    places = [subjects.place() for _ in template.places]
    mapping.update(zip(template.places, places, strict=True))
    taken: set[str] = set()
    for names, firsts in ((template.women, _WOMEN), (template.men, _MEN)):
        for old in names:
            new = subjects.person(firsts, taken)
            mapping[old] = new
            mapping[old.split()[-1]] = new.split()[-1]
    for old in template.codenames:
        mapping[old] = rng.choice(_CODENAMES)
    for old, pattern in template.acronyms:
        mapping[old] = pattern.format(*(p[0] for p in places))
    for grade in template.grades:
        mapping[grade] = rng.choice(template.grades)
    words = re.compile(
        r"\b(?:" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b"
    )

    def rewrite(text: str) -> str:
        text = words.sub(lambda m: mapping[m.group()], text)
        figures: dict[str, str] = {}

        def figure(m: re.Match[str]) -> str:
            token = m.group()
            if token not in figures:
                figures[token] = _new_number(token, m.string[m.end() : m.end() + 12], rng)
            return figures[token]

        return _NUMBER.sub(figure, text)

    metadata = {k: rewrite(v) for k, v in article.metadata.items() if k != "published"}
    metadata["published"] = article.metadata.get("published", "")
    body = rewrite(article.body)
    return Article(article.source, article.path, body, 1, frozen_map(metadata)), mapping


@cache
def _templates() -> tuple[tuple[Template, Article], ...]:
    articles = {a.source: a for a in ingest.read_articles(TEMPLATED)}
    return tuple((SUBJECTS[p.stem], articles[p.stem]) for p in TEMPLATED)


@dataclass(frozen=True)
class Generated:
    """One generated story: its template, what its subjects became, its versions."""

    template: str
    subjects: dict[str, str]
    articles: tuple[Article, ...]


def templated_stories(
    articles: int, seed: int = 11, templates: int = len(TEMPLATED)
) -> list[Generated]:
    """About `articles` articles: stories of VERSIONS versions each, story i written from
    template i % `templates` with subjects of its own, then syndicated (four copies with
    benign edits, one injected change); article ids start "t{i}-"."""
    chosen = _templates()[:templates]
    subjects = Subjects(seed)
    out: list[Generated] = []
    for story in range(max(1, articles // VERSIONS)):
        template, article = chosen[story % len(chosen)]
        written, mapping = _write_from(template, article, seed * 1_000_003 + story, subjects)
        syndication = syndicate(
            prepare(written),
            seed * 1_000_003 + story,
            copies=VERSIONS - 1,
            injections=1,
            prefix=f"t{story}-",
        )
        out.append(Generated(article.source, mapping, syndication.articles))
    return out


def make_templated_corpus(
    articles: int, seed: int = 11, templates: int = len(TEMPLATED)
) -> tuple[Article, ...]:
    """The articles of `templated_stories`, in one feed."""
    return tuple(a for g in templated_stories(articles, seed, templates) for a in g.articles)


def generated_story(source: str) -> str:
    """The generated story an article belongs to: its id up to the first "-"."""
    return source.split("-", 1)[0]


def claim_texts(corpus: tuple[Article, ...]) -> list[str]:
    """The text of every claim, as the checker splits them."""
    cleaned = clean_stage.clean(corpus)
    return [c.text for c in claims_stage.extract_claims(cleaned)]


def write_corpus(corpus: tuple[Article, ...], folder: Path) -> None:
    """One .txt file per article: front matter (id and metadata), then the body."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in corpus:
        front = "".join(f"{key}: {value}\n" for key, value in sorted(article.metadata.items()))
        text = f"id: {article.source}\n{front}---\n{article.body}\n"
        (folder / f"{article.source}.txt").write_text(text, encoding="utf-8")


def run_checker(folder: Path, out: Path, blocking: bool = True) -> dict[str, Any]:
    """What `consistency check FOLDER --out OUT` does, timed from reading to written,
    and how its stories and rows fall against the generated stories."""
    start = time.perf_counter()
    result = check([folder], MatchSettings(blocking=blocking))
    write_reports(result, out)
    seconds = time.perf_counter() - start
    return {
        "articles": len(result.articles),
        "claims": len(result.claims),
        "rows": len(result.discrepancies),
        "seconds": seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        **against_generated(result),
    }


def against_generated(result: CheckResult) -> dict[str, Any]:
    """Rows pairing two generated stories (each one is false: no two generated stories
    are about the same thing), by kind; stories found, generated, found stories that
    mix generated ones and generated stories split over found ones."""
    cross = Counter(
        d.kind
        for d in result.discrepancies
        if d.source_b and generated_story(d.source_a) != generated_story(d.source_b)
    )
    members: dict[str, set[str]] = {}
    homes: dict[str, set[str]] = {}
    for article in result.articles:
        found = result.matching.story_of.get(article.source, article.source)
        made = generated_story(article.source)
        members.setdefault(found, set()).add(made)
        homes.setdefault(made, set()).add(found)
    return {
        "cross_rows": sum(cross.values()),
        "cross_kinds": dict(cross.most_common()),
        "stories_found": len(members),
        "stories_generated": len(homes),
        "mixed_stories": sum(len(m) > 1 for m in members.values()),
        "split_stories": sum(len(h) > 1 for h in homes.values()),
    }


# --- the floor ------------------------------------------------------------------------
#
# The least a syndication checker must do, done fast: split sentences with one regular
# expression, block sentences by their rare 3-word shingles, score the candidate pairs
# with rapidfuzz `fuzz.ratio`, report pairs whose figures differ, write a CSV. The
# checker's time is measured against it, stage by stage, in the same run.

_FLOOR_SENTENCE = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019']))\s+(?=[\"\u201c\u2018'(]?[A-Z0-9])|\n+"
)
_FLOOR_WORD = re.compile(r"\w+")
_FLOOR_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
FLOOR_MAX_ARTICLES = 20
"""A shingle in more articles than this is a template's, not a block."""
FLOOR_MIN_RATIO = 80.0
"""`fuzz.ratio` at which two sentences are one sentence, edited."""


@dataclass
class Floor:
    """The floor's sentences (text, article, figures) and its stage times."""

    texts: list[str]
    articles: list[int]
    sources: list[str]
    seconds: dict[str, float]


def floor_read(folder: Path) -> Floor:
    """Each .txt file's body (after its front matter), split into sentences."""
    texts: list[str] = []
    articles: list[int] = []
    sources: list[str] = []
    for number, path in enumerate(sorted(folder.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        _, _, body = text.partition("\n---\n")
        sources.append(path.stem)
        for sentence in _FLOOR_SENTENCE.split(body):
            if sentence.strip():
                texts.append(sentence.strip())
                articles.append(number)
    return Floor(texts, articles, sources, {})


def floor_candidates(floor: Floor, max_articles: int = FLOOR_MAX_ARTICLES) -> set[tuple[int, int]]:
    """Pairs of sentences of two articles sharing a 3-word shingle found in 2 to
    `max_articles` articles (one polars plan: words, shingles hashed, a self-join)."""
    words = (
        pl.LazyFrame(
            {"sentence": range(len(floor.texts)), "article": floor.articles, "text": floor.texts}
        )
        .with_columns(pl.col("text").str.to_lowercase().str.extract_all(r"\w+").alias("word"))
        .drop("text")
        .explode("word")
    )
    following = [pl.col("word").shift(-k).over("sentence") for k in (1, 2)]
    shingles = (
        words.with_columns(
            pl.concat_str([pl.col("word"), *following], separator=" ").hash().alias("shingle")
        )
        .drop_nulls("shingle")
        .select("sentence", "article", "shingle")
        .unique()
        .with_columns(pl.col("article").n_unique().over("shingle").alias("df"))
        .filter((pl.col("df") >= 2) & (pl.col("df") <= max_articles))
        .drop("df")
    )
    pairs = (
        shingles.join(shingles, on="shingle", suffix="_b")
        .filter(pl.col("article") < pl.col("article_b"))
        .select("sentence", "sentence_b")
        .unique()
        .collect()
    )
    return set(zip(pairs["sentence"].to_list(), pairs["sentence_b"].to_list(), strict=True))


def floor_compare(
    floor: Floor, pairs: set[tuple[int, int]], min_ratio: float = FLOOR_MIN_RATIO
) -> list[tuple[int, int, float, str, str]]:
    """Candidate pairs that are one sentence (`fuzz.ratio` at least `min_ratio`) whose
    figures differ: (sentence, sentence, ratio, figures of each)."""
    figures = [tuple(_FLOOR_DIGITS.findall(t)) for t in floor.texts]
    rows = []
    texts = floor.texts
    for a, b in sorted(pairs):
        if figures[a] == figures[b]:
            continue
        score = fuzz.ratio(texts[a], texts[b], score_cutoff=min_ratio)
        if score:
            rows.append((a, b, score, " ".join(figures[a]), " ".join(figures[b])))
    return rows


def floor_write(floor: Floor, rows: list[tuple[int, int, float, str, str]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "floor.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["source_a", "source_b", "ratio", "figures_a", "figures_b", "a", "b"])
        for a, b, score, fa, fb in rows:
            writer.writerow(
                [
                    floor.sources[floor.articles[a]],
                    floor.sources[floor.articles[b]],
                    f"{score:.1f}",
                    fa,
                    fb,
                    floor.texts[a],
                    floor.texts[b],
                ]
            )


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the reading
    workers once their pool closes, the forked detector process once it returns)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Stages:
    """Wall and CPU seconds of each stage of a run, from one mark to the next."""

    def __init__(self, watch: MemoryWatch) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}
        """Each stage's peak PSS (summed over the processes), as sampled while it ran."""
        self.watch = watch
        """Its sampling thread's CPU time is the bench's, taken off each stage's."""
        self._last = (time.perf_counter(), _cpu() - watch.thread_cpu())

    def mark(self, stage: str) -> None:
        """`stage` ends now: it took the time since the previous mark."""
        now = (time.perf_counter(), _cpu() - self.watch.thread_cpu())
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now[0] - self._last[0]
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now[1] - self._last[1]
        self.peak_mib[stage] = max(self.peak_mib.get(stage, 0.0), self.watch.stage_peak() / 1024)
        self._last = now


def run_floor(folder: Path, out: Path) -> dict[str, Any]:
    """The floor on the feed in `folder`, timed stage by stage."""
    with MemoryWatch() as memory:
        stages = Stages(memory)
        floor = floor_read(folder)
        stages.mark("read")
        pairs = floor_candidates(floor)
        stages.mark("match")
        rows = floor_compare(floor, pairs)
        stages.mark("compare")
        floor_write(floor, rows, out)
        stages.mark("write")
    return {
        "seconds": stages.seconds,
        "cpu": stages.cpu,
        "sentences": len(floor.texts),
        "pairs": len(pairs),
        "rows": len(rows),
        "peak_pss_mib": memory.peak_kib / 1024,
        "stage_peak_pss_mib": stages.peak_mib,
    }


class MemoryWatch:
    """The peak, over a run, of the proportional set size (PSS: pages shared between
    forked processes counted once, split among them) summed over this process and
    every process under it, sampled every `interval` seconds from /proc (Linux); 0
    where /proc has no smaps_rollup."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak_kib = 0
        self._stage_kib = 0
        self._last_kib = 0
        self._stage = 0
        """How many stages have ended: a sample begun in one that ends before it is
        done is left out of the next one's peak."""
        self.cpu = 0.0
        """CPU seconds the sampling has taken so far (in the process's own: `Stages`
        takes them off)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def thread_cpu(self) -> float:
        """The sampling thread's CPU seconds now, read from its own clock (Linux);
        else as it last noted them. The noted figure lags by up to `interval`, which
        on a stage shorter than that gave the stage negative CPU time."""
        ident = self._thread.ident
        if ident is not None and self._thread.is_alive():
            try:
                return time.clock_gettime(time.pthread_getcpuclockid(ident))
            except (AttributeError, OSError):
                pass
        return self.cpu

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def stage_peak(self) -> int:
        """The peak (KiB) sampled since the last call (the last sample, for a stage
        shorter than the interval), and start again. Not sampled here: the sampling's
        CPU would count as the stage's."""
        peak, self._stage_kib = self._stage_kib or self._last_kib, 0
        self._stage += 1
        return peak

    def _sample(self) -> None:
        # A sample takes a while (every process's stat, then each of the tree's
        # smaps_rollup: tenths of a second for a process of gigabytes): one begun
        # before a stage ended would count the stage's memory as the next one's
        # (compare's forked process in report's peak).
        stage = self._stage
        total = sum(self._pss_kib(pid) for pid in self._tree(os.getpid()))
        self.peak_kib = max(self.peak_kib, total)
        if stage == self._stage:
            self._stage_kib = max(self._stage_kib, total)
            self._last_kib = total

    @staticmethod
    def _tree(root: int) -> set[int]:
        parents: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        tree, todo = {root}, [root]
        while todo:
            for child in parents.get(todo.pop(), []):
                tree.add(child)
                todo.append(child)
        return tree

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self.cpu = time.thread_time()
            self._stop.wait(self.interval)


def run_checker_staged(folder: Path, out: Path) -> dict[str, Any]:
    """What `consistency check FOLDER --out OUT` does, timed stage by stage: read
    (ingest, then clean, claims and extract on every core), match, graph, compare,
    report (the files written)."""

    def progress(stage: str, done: int, total: int) -> None:
        # A stage ends where the next one starts: the reading workers have been reaped
        # by then, so that their CPU time is reading's.
        at = pipeline.STAGES.index(stage)
        if done == 0 and at:
            stages.mark(pipeline.STAGES[at - 1])

    with MemoryWatch() as memory:
        stages = Stages(memory)
        feed = ingest.read_feed([folder])
        result = check_articles(feed.articles, progress=progress)
        stages.mark("compare")
        write_reports(result, out)
        stages.mark("report")
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return {
        "seconds": stages.seconds,
        "cpu": stages.cpu,
        "articles": len(result.articles),
        "claims": len(result.claims),
        "rows": len(result.discrepancies),
        "peak_pss_mib": memory.peak_kib / 1024,
        "stage_peak_pss_mib": stages.peak_mib,
        "peak_mib": own.ru_maxrss / 1024,
        "worker_peak_mib": children.ru_maxrss / 1024,
        **against_generated(result),
    }


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def difflib_all_pairs(texts: list[str], budget: float) -> tuple[float | None, float]:
    """Seconds for SequenceMatcher.ratio over every pair, or None with the estimate."""
    sample = min(2000, _pairs(len(texts)))
    rng = random.Random(0)
    start = time.perf_counter()
    for _ in range(sample):
        a, b = rng.sample(texts, 2)
        difflib.SequenceMatcher(None, a, b).ratio()
    estimate = (time.perf_counter() - start) / max(sample, 1) * _pairs(len(texts))
    if estimate > budget:
        return None, estimate
    start = time.perf_counter()
    for i, a in enumerate(texts):
        matcher = difflib.SequenceMatcher(None, a)
        for b in texts[i + 1 :]:
            matcher.set_seq2(b)
            matcher.ratio()
    return time.perf_counter() - start, estimate


def rapidfuzz_all_pairs(texts: list[str], budget: float) -> tuple[float | None, float]:
    """Seconds for fuzz.ratio over every pair (process.cdist, all cores), or None."""
    block = texts[: min(len(texts), 2000)]
    start = time.perf_counter()
    process.cdist(block, block, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
    per_pair = (time.perf_counter() - start) / max(len(block) ** 2, 1)
    estimate = per_pair * len(texts) ** 2
    if estimate > budget:
        return None, estimate
    start = time.perf_counter()
    step = 2000  # in row blocks, so memory stays at step x n bytes
    for i in range(0, len(texts), step):
        process.cdist(texts[i : i + step], texts, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
    return time.perf_counter() - start, estimate


def _fmt_seconds(measured: float | None, estimate: float) -> str:
    return f"{measured:.1f}" if measured is not None else f"(~{estimate:,.0f})"


def _child(
    folder: Path,
    out: Path,
    blocking: bool = True,
    timeout: float | None = None,
    mode: str = "--one",
) -> dict[str, Any] | None:
    """The checker (or with `mode` "--staged-one" the checker timed stage by stage,
    "--floor-one" the floor) in a fresh process, so that its peak memory is its own;
    None if it runs past `timeout` seconds (the process and its workers are then
    killed)."""
    command = [sys.executable, __file__, mode, str(folder), "--out", str(out)]
    if not blocking:
        command.append("--unblocked")
    env = dict(os.environ)
    if mode != "--floor-one":
        # The checker as `consistency check` runs: its package sets polars' allocator
        # before polars loads (caching.tune_allocator), which this script, importing
        # polars first, cannot (and polars has put its own setting in the environment).
        env["_RJEM_MALLOC_CONF"] = caching.POLARS_ALLOCATOR
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    ) as child:
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return None
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command, stdout, stderr)
    figures: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return figures


FEEDS = {"distinct": make_corpus, "templated": make_templated_corpus}


def compare_feeds(sizes: list[int], feeds: list[str], timeout: float) -> None:
    """The checker on each feed at each size: time, memory, rows, rows pairing two
    generated stories, stories found against generated; the templated feed's time
    against the distinct one's, and each feed's time against its previous size's."""
    print(
        "| feed | articles | claims | rows | rows across generated stories (kinds) "
        "| stories found / generated (mixed, split) | seconds | peak RSS MiB (main / "
        "largest child) | time vs previous size | templated / distinct |"
    )
    print("|:---|---:|---:|---:|:---|:---|---:|---:|:---|---:|")
    previous: dict[str, tuple[int, float]] = {}
    stopped: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="consistency-scale-") as tmp:
        for size in sizes:
            seconds_of: dict[str, float] = {}
            for feed in feeds:
                if feed in stopped:
                    continue
                corpus = FEEDS[feed](size)
                folder = Path(tmp) / f"{feed}-{size}"
                write_corpus(corpus, folder)
                figures = _child(folder, Path(tmp) / f"out-{feed}-{size}", True, timeout)
                if figures is None:
                    print(
                        f"| {feed} | {len(corpus):,} | | | | | > {timeout:.0f} (stopped) | | | |",
                        flush=True,
                    )
                    stopped.add(feed)
                    continue
                n, seconds = int(figures["articles"]), float(figures["seconds"])
                seconds_of[feed] = seconds
                scaling = "-"
                if feed in previous:
                    n0, s0 = previous[feed]
                    scaling = f"x{seconds / s0:.2f} for x{n / n0:.2f} articles"
                previous[feed] = (n, seconds)
                kinds = ", ".join(f"{k} {v:,}" for k, v in list(figures["cross_kinds"].items())[:3])
                ratio = (
                    f"{seconds / seconds_of['distinct']:.2f}"
                    if feed == "templated" and "distinct" in seconds_of
                    else "-"
                )
                print(
                    f"| {feed} | {n:,} | {int(figures['claims']):,} | {int(figures['rows']):,} "
                    f"| {int(figures['cross_rows']):,}{f' ({kinds})' if kinds else ''} "
                    f"| {figures['stories_found']:,} / {figures['stories_generated']:,} "
                    f"({figures['mixed_stories']:,}, {figures['split_stories']:,}) "
                    f"| {seconds:.1f} | {figures['peak_mib']:,.0f} / "
                    f"{figures['worker_peak_mib']:,.0f} | {scaling} | {ratio} |",
                    flush=True,
                )
    print(
        "\nSeconds: reading the files, checking and writing the reports, in a fresh "
        "process. Rows across generated stories pair articles of two different generated "
        "stories: each is false. Mixed: found stories holding articles of more than one "
        "generated story; split: generated stories spread over more than one found story. "
        "Targets for the templated feed: at most 1.5x the distinct feed's time, at most "
        "x2.3 time for x2 articles, no row across generated stories."
    )


STAGE_PAIRS = (
    ("read", ("read",), "read"),
    ("match", ("match", "graph"), "match"),
    ("compare", ("compare",), "compare"),
    ("report", ("report",), "write"),
)
"""The checker's stages against the floor's: reading is ingest, clean, claims and
extract against reading and splitting; match and graph (claim clusters) against
shingle blocking; compare (every detector) against `ratio` and the digit diff; the
reports against the CSV."""


def floor_table(sizes: list[int], feeds: list[str], timeout: float) -> None:
    """The floor and the checker on each feed at each size, back to back in fresh
    processes: wall and CPU seconds per stage, the ratio checker / floor of each per
    stage and in total, and peak memory (PSS summed over each run's processes)."""
    print(
        "| feed | articles | stage | checker s | floor s | checker / floor "
        "| checker CPU s | floor CPU s | checker / floor, CPU | peak PSS MiB (checker / floor) |"
    )
    print("|:---|---:|:---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="consistency-floor-") as tmp:
        for size in sizes:
            for feed in feeds:
                corpus = FEEDS[feed](size)
                folder = Path(tmp) / f"{feed}-{size}"
                write_corpus(corpus, folder)
                floor = _child(folder, Path(tmp) / "floor", timeout=timeout, mode="--floor-one")
                checker = _child(folder, Path(tmp) / "out", timeout=timeout, mode="--staged-one")
                shutil.rmtree(folder)
                if floor is None or checker is None:
                    print(f"| {feed} | {len(corpus):,} | all | > {timeout:.0f} (stopped) |")
                    continue
                rows = [
                    (
                        stage,
                        " + ".join(f"{checker['seconds'][p]:.1f}" for p in parts),
                        parts,
                        (theirs,),
                    )
                    for stage, parts, theirs in STAGE_PAIRS
                ]
                for stage, shown, parts, theirs in rows:
                    wall = [
                        sum(run["seconds"][p] for p in ps)
                        for run, ps in ((checker, parts), (floor, theirs))
                    ]
                    cpu = [
                        sum(run["cpu"][p] for p in ps)
                        for run, ps in ((checker, parts), (floor, theirs))
                    ]
                    peak = [
                        max(run["stage_peak_pss_mib"].get(p, 0.0) for p in ps)
                        for run, ps in ((checker, parts), (floor, theirs))
                    ]
                    print(
                        f"| {feed} | {checker['articles']:,} | {stage} | {shown} | {wall[1]:.1f} "
                        f"| {wall[0] / wall[1]:.1f} | {cpu[0]:.1f} | {cpu[1]:.1f} "
                        f"| {cpu[0] / cpu[1]:.1f} | {peak[0]:,.0f} / {peak[1]:,.0f} |"
                    )
                wall = [sum(run["seconds"].values()) for run in (checker, floor)]
                cpu = [sum(run["cpu"].values()) for run in (checker, floor)]
                print(
                    f"| {feed} | {checker['articles']:,} | **total** | {wall[0]:.1f} "
                    f"| {wall[1]:.1f} | **{wall[0] / wall[1]:.1f}** | {cpu[0]:.1f} | {cpu[1]:.1f} "
                    f"| **{cpu[0] / cpu[1]:.1f}** "
                    f"| {checker['peak_pss_mib']:,.0f} / {floor['peak_pss_mib']:,.0f} |",
                    flush=True,
                )
                print(
                    f"<!-- {feed} {size}: checker rows {checker['rows']:,}, rows across "
                    f"generated stories {checker['cross_rows']:,}, stories found "
                    f"{checker['stories_found']:,} / {checker['stories_generated']:,}; "
                    f"floor sentences {floor['sentences']:,}, candidate pairs "
                    f"{floor['pairs']:,}, rows {floor['rows']:,} -->",
                    flush=True,
                )
    print(
        "\nEach program in a fresh process on the same folder, back to back. Match is the "
        "checker's match + graph (claim clusters) against the floor's shingle blocking. CPU "
        "s: the process and its children (the checker reads on every core and runs part of "
        "its detectors in a second process; the floor runs on one). Peak PSS: pages shared "
        "by forked processes counted once, summed over the process tree, sampled every 0.5 s; "
        "on a stage's row, the peak while that stage ran."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="articles per corpus")
    parser.add_argument("--quick", action="store_true", help="sizes 200 500 1000")
    parser.add_argument("--baseline-budget", type=float, default=120.0)
    parser.add_argument("--identity-up-to", type=int, default=500)
    parser.add_argument(
        "--templated",
        action="store_true",
        help="the templated feed (stories written from five templates) instead",
    )
    parser.add_argument(
        "--both",
        action="store_true",
        help="the distinct and the templated feed back to back, with their ratio",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="with --templated or --both: seconds a run may take before that feed stops",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="the floor pipeline beside the checker, stage by stage, on both feeds",
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--staged-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unblocked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_checker(args.one, args.out, blocking=not args.unblocked)))
        return 0
    if args.staged_one:
        print(json.dumps(run_checker_staged(args.staged_one, args.out)))
        return 0
    if args.floor_one:
        print(json.dumps(run_floor(args.floor_one, args.out)))
        return 0
    sizes = args.sizes or ([200, 500, 1000] if args.quick else [1000, 2000, 5000, 10000, 20000])
    if args.floor:
        feeds = ["templated"] if args.templated else ["distinct", "templated"]
        floor_table(sizes, feeds, args.timeout)
        return 0
    if args.templated or args.both:
        compare_feeds(
            sizes, ["distinct", "templated"] if args.both else ["templated"], args.timeout
        )
        return 0
    print(
        "| articles | claims | rows | seconds | articles/s | claims/s | peak RSS MiB "
        "(main / largest child) | exponent | same as unblocked | difflib all pairs, s "
        "| rapidfuzz all pairs, s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|")
    previous: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="consistency-scale-") as tmp:
        for size in sizes:
            corpus = make_corpus(size)
            folder = Path(tmp) / f"feed-{size}"
            write_corpus(corpus, folder)
            figures = _child(folder, Path(tmp) / f"out-{size}", blocking=True)
            assert figures is not None
            n, seconds = int(figures["articles"]), figures["seconds"]
            exponent = (
                f"{math.log(seconds / previous[1]) / math.log(n / previous[0]):.2f}"
                if previous
                else "-"
            )
            previous = (n, seconds)
            same = "-"
            if size <= args.identity_up_to:
                _child(folder, Path(tmp) / f"unblocked-{size}", blocking=False)
                blocked = (Path(tmp) / f"out-{size}" / "discrepancies.csv").read_bytes()
                unblocked = (Path(tmp) / f"unblocked-{size}" / "discrepancies.csv").read_bytes()
                same = "yes" if blocked == unblocked else "NO"
            texts = claim_texts(corpus)
            diff_s, diff_est = difflib_all_pairs(texts, args.baseline_budget)
            rf_s, rf_est = rapidfuzz_all_pairs(texts, args.baseline_budget)
            print(
                f"| {n:,} | {int(figures['claims']):,} | {int(figures['rows']):,} "
                f"| {seconds:.1f} | {n / seconds:,.0f} | {figures['claims'] / seconds:,.0f} "
                f"| {figures['peak_mib']:,.0f} / {figures['worker_peak_mib']:,.0f} | {exponent} "
                f"| {same} | {_fmt_seconds(diff_s, diff_est)} | {_fmt_seconds(rf_s, rf_est)} |",
                flush=True,
            )
    print(
        "\nSeconds: reading the files, checking and writing the three CSV reports, in a "
        "fresh process. Baseline figures in brackets are estimates from a sample of "
        "pairs: the run would take longer than --baseline-budget."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
