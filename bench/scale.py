"""Scale: the checker end to end on generated feeds of distinct stories, beside two
naive baselines.

Each story is one of the fixture articles syndicated by consistency.testing (the
original and four copies with benign edits and one injected discrepancy), then
enciphered with a cipher of its own: every content word of three or more letters
is replaced consistently across the story's versions, and numbers from 13 up are
shifted, while grade words, titles, speech verbs, organisation suffixes and
number words stay. So versions of a story agree as syndicated copies do, and
different stories share no distinctive text, as real ones do not (templated
sentences of one fixture still repeat across its stories, as a wire's do).

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
own (places drawn from about 800 generated names, so "<Place> Police" and "<Place>
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

    python bench/scale.py                       # 1000 2000 5000 10000 20000
    python bench/scale.py --quick               # 200 500 1000
    python bench/scale.py 500 --identity-up-to 500
    python bench/scale.py 500 1000 2000 --both  # distinct and templated, side by side
    python bench/scale.py 1000 --templated
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from consistency import check, domain, ingest, write_reports
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


def _encipher_story(articles: list[Article], story: int) -> list[Article]:
    rng = random.Random(story)
    table = _cipher(rng)
    shift = 1 + story % 97
    kept = _kept_words()

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if len(w) < 3 or w.lower() in kept:
            return w
        out = "".join(table.get(c, c) for c in w.lower())
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
    the feed while the pools last (about 800 places and 6,000 names), surnames in turn
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
        return (
            f"{('North', 'South', 'East', 'West', 'Upper', 'Lower')[laps - 1]} {place}"
            if laps
            else place
        )

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
    folder: Path, out: Path, blocking: bool, timeout: float | None = None
) -> dict[str, Any] | None:
    """The checker in a fresh process, so that its peak RSS is its own; None if it runs
    past `timeout` seconds (the process and its workers are then killed)."""
    command = [sys.executable, __file__, "--one", str(folder), "--out", str(out)]
    if not blocking:
        command.append("--unblocked")
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
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
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unblocked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_checker(args.one, args.out, blocking=not args.unblocked)))
        return 0
    sizes = args.sizes or ([200, 500, 1000] if args.quick else [1000, 2000, 5000, 10000, 20000])
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
