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

    python bench/scale.py                       # 1000 2000 5000 10000 20000
    python bench/scale.py --quick               # 200 500 1000
    python bench/scale.py 500 --identity-up-to 500
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from consistency import check, domain, ingest, write_reports
from consistency import claims as claims_stage
from consistency import clean as clean_stage
from consistency.match import MatchSettings
from consistency.models import Article
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


def run_checker(folder: Path, out: Path, blocking: bool = True) -> dict[str, float]:
    """What `consistency check FOLDER --out OUT` does, timed from reading to written."""
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


def _child(folder: Path, out: Path, blocking: bool) -> dict[str, float]:
    """The checker in a fresh process, so that its peak RSS is its own."""
    command = [sys.executable, __file__, "--one", str(folder), "--out", str(out)]
    if not blocking:
        command.append("--unblocked")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="articles per corpus")
    parser.add_argument("--quick", action="store_true", help="sizes 200 500 1000")
    parser.add_argument("--baseline-budget", type=float, default=120.0)
    parser.add_argument("--identity-up-to", type=int, default=500)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unblocked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_checker(args.one, args.out, blocking=not args.unblocked)))
        return 0
    sizes = args.sizes or ([200, 500, 1000] if args.quick else [1000, 2000, 5000, 10000, 20000])
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
