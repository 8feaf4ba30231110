"""A quick scale probe: the fixtures turned into many distinct stories, timed end to end.

Each story is the five fixture articles with every word of three or more
letters enciphered with a cipher of its own (grade words, titles and speech verbs
kept), and the numbers changed: the versions of one story agree as the fixtures
do, while different stories share no distinctive text, as real ones do not. Prints
articles/s and claims/s per size. (Issue 5 brings the full benchmark with
baselines; this is the probe used while building the pipeline.)

    python bench/quick_scale.py 200 400 800
"""

from __future__ import annotations

import random
import re
import resource
import sys
import time
from pathlib import Path

from consistency import check_articles
from consistency.ingest import read_articles
from consistency.models import Article

KEEP = {
    "inadequate",
    "adequate",
    "outstanding",
    "requires",
    "requiring",
    "improvement",
    "graded",
    "rated",
    "rating",
    "grading",
    "judgments",
    "police",
    "chief",
    "constable",
    "temporary",
    "inspector",
    "constabulary",
    "majesty's",
    "commissioner",
    "added",
    "said",
    "insisted",
    "region",
    "regions",
    "force",
    "receive",
    "overall",
    "grade",
}


def _cipher(rng: random.Random) -> dict[str, str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    shuffled = list(letters)
    rng.shuffle(shuffled)
    return dict(zip(letters, shuffled, strict=True))


def _encipher(word: str, table: dict[str, str]) -> str:
    if len(word) < 3 or word.lower() in KEEP:
        return word
    out = "".join(table.get(c.lower(), c) for c in word)
    return out.capitalize() if word[0].isupper() else out


def make_corpus(stories: int, seed: int = 7) -> tuple[Article, ...]:
    base = read_articles([Path(__file__).resolve().parent.parent / "fixtures" / "west-mercia"])
    rng = random.Random(seed)
    out = []
    for s in range(stories):
        table = _cipher(rng)
        for a in base:
            body = re.sub(r"[A-Za-z']+", lambda m, t=table: _encipher(m.group(), t), a.body)
            body = re.sub(r"\d+", lambda m, s=s: str(int(m.group()) + s), body)
            out.append(Article(f"{a.source}-{s}", a.path, body, a.first_line, a.metadata))
    return tuple(out)


def main(sizes: list[int]) -> None:
    print(
        f"{'articles':>8} {'claims':>8} {'seconds':>8} "
        f"{'articles/s':>10} {'claims/s':>9} {'peak MiB':>8}"
    )
    for stories in sizes:
        corpus = make_corpus(stories)
        start = time.perf_counter()
        result = check_articles(corpus)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n, c = len(corpus), len(result.claims)
        print(
            f"{n:>8} {c:>8} {elapsed:>8.2f} {n / elapsed:>10.0f} {c / elapsed:>9.0f} {peak:>8.0f}"
        )


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [100, 200, 400])
