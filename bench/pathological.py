"""Pathological input: hostile shapes of growing size through every stage, with the
time per stage and the scaling exponent.

Each shape builds an article body of about `base * k` characters for k = 1, 2, 4, 8:
a very long line without punctuation (four times the others: 800 KB at 8x),
thousands of quote marks (straight, curly, mixed, unbalanced), runs of capitalised
words and titles, thousands of "said", runs of digits, "£", "%", hyphens, dots,
spaces, tabs, form feeds and line separators, "per cent per cent ...", a line of "=",
repeated grade words, organisations, people, dates and number words, mojibake,
HTML-like tags and entities, furniture phrases repeated along a line ("listen to
listen to ..."), and thousands of distinct templated sentences. Two sources carry it,
one with a fixture paragraph before it, the other with the paragraph after and a
change in the middle, so that matching and the detectors have something to pair and
to diff; for the shapes in DIFFERING the second version differs throughout instead
(every number, name or speaker changed). The stages run as `pipeline.check_articles`
runs them, timed one by one:

    read     clean, split into claims, extract (both articles)
    match    candidate pairs, scores, stories
    graph    clusters, people
    compare  the detectors

The `exp` column is log2 of the time ratio to the size before (1.0 is linear, 2.0
quadratic). The summary gives, per shape, that exponent between the two largest
sizes, where fixed costs no longer hide the growth, and the exponent over the whole
range (1x to 8x), steadier on a busy machine. A run that exceeds --budget seconds is
stopped (signal.alarm) and reported as a timeout; larger sizes are skipped. Each size
runs --repeat times with the text caches emptied, and the fastest run counts: on a
shared machine the others only add noise.

    python bench/pathological.py                    # every shape, base 25,000 chars
    python bench/pathological.py --base 5000        # quicker
    python bench/pathological.py long_line said     # some shapes only
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import consistency
from consistency import claims as claims_stage
from consistency import clean as clean_stage
from consistency import compare as compare_stage
from consistency import extract as extract_stage
from consistency import graph as graph_stage
from consistency import match
from consistency.models import Article

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "West Mercia Police has been rated adequate for investigating crime, the "
    "inspectorate said. Temporary Chief Constable Alex Murray said: “We are proud "
    "of our officers and staff.”"
)


def _repeat(unit: str, size: int) -> str:
    """`unit` repeated to `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _numbered(template: str, size: int) -> str:
    """`template` with {i} counting up, to `size` characters: many distinct claims, each
    with its twin in the other version, rather than one claim repeated."""
    out: list[str] = []
    length = 0
    for i in itertools.count():
        if length >= size:
            break
        out.append(template.format(i=i))
        length += len(out[-1])
    return "".join(out)[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    # The long line is four times the others (800 KB at 8x): it is the shape most likely
    # to meet a regex that scans the rest of the line from every position.
    "long_line": lambda n: _repeat("lorem ipsum dolor sit amet ", 4 * n),
    "quotes_straight": lambda n: _repeat('"', n),
    "quotes_curly": lambda n: _repeat("“", n),
    "quotes_closing": lambda n: _repeat("”", n),
    "quotes_mixed": lambda n: _repeat('“a” "b" ‘c’ \'d “', n),
    "quotes_spaced": lambda n: _repeat('" said ', n),
    "quotes_unbalanced": lambda n: _repeat("“It was rated good, he said ", n),
    "capitalised": lambda n: _repeat("West Mercia Police Chief Constable Andy Cooke ", n),
    "capitalised_plain": lambda n: _repeat("Alpha Bravo Charlie Delta ", n),
    "titles": lambda n: _repeat("HM Chief Inspector of Constabulary ", n),
    "said": lambda n: _repeat("said ", n),
    "said_sentences": lambda n: _repeat("He said. ", n),
    "digits": lambda n: _repeat("1234567890", n),
    "digits_spaced": lambda n: _repeat("12 345 ", n),
    "pounds": lambda n: _repeat("£", n),
    "pounds_numbers": lambda n: _repeat("£1m £2.5bn ", n),
    "percent": lambda n: _repeat("%", n),
    "per_cent": lambda n: _repeat("per cent ", n),
    "numbers_per_cent": lambda n: _repeat("10 per cent 12% ", n),
    "hyphens": lambda n: _repeat("-", n),
    "dots": lambda n: _repeat(".", n),
    "spaces": lambda n: "a" + _repeat(" ", n) + "b",
    "tabs": lambda n: "a" + _repeat("\t", n) + "b",
    "equals_line": lambda n: _repeat("=", n),
    "dash_line": lambda n: _repeat("- ", n),
    "newlines": lambda n: _repeat("a\n", n),
    "grades": lambda n: "It was rated " + _repeat("requires improvement ", n),
    "grades_mixed": lambda n: "Rated " + _repeat("good, adequate and outstanding, ", n),
    "mojibake_1252": lambda n: _repeat("â€™â€œÂ£", n),
    "mojibake_1257": lambda n: _repeat("ā€ ", n),
    "mojibake_bare": lambda n: _repeat("Ã", n),
    "mojibake_words": lambda n: _repeat("ā€word ", n),
    "quotes_sentences": lambda n: _repeat("“It was. ” ", n),
    "abbreviations": lambda n: _repeat("A. ", n),
    "dotted_run": lambda n: _repeat("x.", n) + "!! Next one.",
    "orgs_grades": lambda n: "Rated: " + _repeat("Kent Police good, ", n),
    "orgs_generic": lambda n: _repeat("West Mercia Police and the force ", n),
    "grades_aspects": lambda n: "It was rated " + _repeat("good for investigating crime, ", n),
    "people": lambda n: _repeat("Chief Constable Alex Murray said ", n),
    "numbers_words": lambda n: _repeat("one hundred and twenty three ", n),
    "dates": lambda n: _repeat("on 14 May 2024 and ten months on ", n),
    "formfeeds": lambda n: "a" + _repeat("\x0c", n) + "b",
    "line_separators": lambda n: _repeat("said\u2028", n),
    "carriage_returns": lambda n: _repeat("word\r", n),
    "distinct_sentences": lambda n: _numbered("Item {i} was rated good by Kent Police. ", n),
    "paragraphs": lambda n: _numbered("Officer {i} said the force was good.\n\n", n),
    # The furniture patterns (data/boilerplate.toml) are matched against whole lines.
    "follow_us": lambda n: _repeat("follow us follow ", n),
    "listen_to": lambda n: _repeat("listen to ", n),
    "sign_up": lambda n: _repeat("sign up to our ", n),
    "latest": lambda n: _repeat("get the latest ", n),
    "listen_to_lines": lambda n: _numbered(_repeat("listen to ", 390) + " {i}\n", n),
    "external": lambda n: _repeat(", external", n),
    "bylines": lambda n: _repeat("By Jo Bloggs ", n),
    "one_word": lambda n: _repeat("a", n),
    "brackets": lambda n: _repeat("([", n),
    "bullets": lambda n: _repeat("• ", n),
    "html_tags": lambda n: _repeat("<p><b>a</b></p>", n),
    "html_entities": lambda n: _repeat("&amp;&quot;&#8217;", n),
}
"""Shape name -> the hostile text of about n characters (one paragraph)."""


def _bump(m: re.Match[str]) -> str:
    return str(int(m.group()) + 1)


DIFFERING: dict[str, Callable[[int], tuple[str, str]]] = {
    "numbers_changed": lambda n: (
        body := _numbered("Kent Police made {i} arrests and ", n),
        re.sub(r"\d+", _bump, body),
    ),
    "words_changed": lambda n: (
        body := _repeat("West Mercia Police was good and ", n),
        body.replace("Police", "Force"),
    ),
    "quotes_changed": lambda n: (
        body := _numbered("“We made {i} arrests,” said Jo Bloggs. ", n),
        re.sub(r"\d+", _bump, body).replace("Jo Bloggs", "Ann Lee"),
    ),
    "long_quote_changed": lambda n: (
        body := "Jo Bloggs said: “" + _numbered("we made {i} arrests and ", n) + "”",
        re.sub(r"\d+", _bump, body),
    ),
    "quotes_one_speaker": lambda n: (
        body := _numbered("“We made {i} arrests in the city centre,” said Jo Bloggs. ", n),
        re.sub(r"\d+", _bump, body),
    ),
}
"""Shapes whose two versions differ throughout (every number, every name), so that the
detectors find thousands of changes in one pair of claims."""


def versions(shape: str, size: int) -> tuple[str, str]:
    """The two versions' hostile text for a shape, at about `size` characters. Unless the
    shape differs throughout, the second differs in the middle, so that the word-level
    detectors diff the hostile text instead of finding it identical."""
    if shape in DIFFERING:
        return DIFFERING[shape](size)
    body = SHAPES[shape](size)
    middle = len(body) // 2
    return body, f"{body[:middle]} 42 Changed {body[middle:]}"


def articles_of(first: str, second: str) -> tuple[Article, ...]:
    return (
        Article("hostile-a", "hostile-a.txt", f"{PARAGRAPH}\n\n{first}\n"),
        Article("hostile-b", "hostile-b.txt", f"{second}\n\n{PARAGRAPH}\n"),
    )


class BudgetExceededError(Exception):
    pass


@contextmanager
def budget(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise BudgetExceededError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def clear_text_caches() -> None:
    """Empty the caches keyed by text, so that a repeat measures the work again; the
    compiled tables stay."""
    consistency.clear_caches(tables=False)


def run_stages(articles: tuple[Article, ...]) -> dict[str, float]:
    """Seconds per stage, as pipeline.check_articles runs them (in this process)."""
    clear_text_caches()
    times: dict[str, float] = {}
    t = time.perf_counter()
    parts = []
    for article in articles:
        cleaned_article = clean_stage.clean_article(article)
        article_claims = claims_stage.article_claims(cleaned_article)
        extracted = extract_stage.extract_article(cleaned_article, article_claims)
        parts.append((cleaned_article, article_claims, extracted))
    cleaned = tuple(p[0] for p in parts)
    claims = tuple(c for p in parts for c in p[1])
    extraction = extract_stage.merge([p[2] for p in parts])
    times["read"] = time.perf_counter() - t
    t = time.perf_counter()
    matching = match.match_claims(claims, None, extract_stage.entities_by_source(extraction))
    times["match"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = graph_stage.build_graph(claims, extraction, matching)
    times["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    compare_stage.compare(cleaned, claims, extraction, matching, graph)
    times["compare"] = time.perf_counter() - t
    return times


def _exponent(small: float, large: float) -> float:
    # Below a few milliseconds the ratio is noise: call it flat.
    if large < 0.005:
        return 0.0
    return math.log2(large / max(small, 1e-4))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "shapes", nargs="*", help=f"shapes to run (default all): {', '.join([*SHAPES, *DIFFERING])}"
    )
    parser.add_argument("--base", type=int, default=25_000, help="characters at 1x")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--budget", type=int, default=60, help="seconds per run before giving up")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per size; the fastest counts (others share the cores)",
    )
    args = parser.parse_args()
    names = args.shapes or [*SHAPES, *DIFFERING]
    unknown = [n for n in names if n not in SHAPES and n not in DIFFERING]
    if unknown:
        parser.error(f"unknown shapes: {', '.join(unknown)}")

    stages = ("read", "match", "graph", "compare")
    print(
        f"{'shape':18} {'chars':>9} "
        + " ".join(f"{s:>8}" for s in stages)
        + f" {'total':>8} {'exp':>5}"
    )
    summary: list[tuple[float, float, str, str]] = []
    for name in names:
        totals: list[float] = []
        sizes: list[int] = []
        last_exponent = 0.0
        for factor in args.factors:
            first, second = versions(name, args.base * factor)
            try:
                with budget(args.budget):
                    runs = [run_stages(articles_of(first, second)) for _ in range(args.repeat)]
                times = min(runs, key=lambda t: sum(t.values()))
            except BudgetExceededError:
                print(f"{name:18} {len(first):>9} timeout after {args.budget} s")
                last_exponent = math.inf
                sizes.append(len(first))
                break
            total = sum(times.values())
            exponent = _exponent(totals[-1], total) if totals else float("nan")
            last_exponent = exponent if totals else last_exponent
            totals.append(total)
            sizes.append(len(first))
            cells = " ".join(f"{times[s]:8.3f}" for s in stages)
            print(f"{name:18} {len(first):>9} {cells} {total:8.3f} {exponent:5.2f}", flush=True)
        # Over the whole range (1x to 8x) as well: steadier than one pair on a busy machine.
        span = args.factors[len(totals) - 1] / args.factors[0] if totals else 1
        if last_exponent == math.inf:
            overall, largest = math.inf, f"> {args.budget} s at {sizes[-1]:,}"
        else:
            overall = _exponent(totals[0], totals[-1]) / math.log2(span) if span > 1 else 0.0
            largest = f"{totals[-1]:.3f} s at {sizes[-1]:,}"
        summary.append((last_exponent, overall, largest, name))
    print()
    print("worst first: exponent between the two largest sizes, over the whole range, and")
    print("the time at the largest size")
    for last, overall, largest, name in sorted(summary, key=lambda r: (-r[1], -r[0]))[:12]:
        print(f"  {name:18} {last:5.2f} {overall:5.2f}  {largest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
