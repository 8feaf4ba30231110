"""Scored accuracy: precision, recall and F1 per kind on simulated syndication.

Each round takes every base article, makes a syndication of it (the original and
four copies with benign edits and injected discrepancies, consistency.testing),
and checks all of them together as one mixed feed, so that story grouping is
under test too. A row is true when a recorded change explains it (right kind,
the changed copy as one of its sources, the changed claim in its text); a change
is found when such a row has at least the change's severity.

Kinds the contract reports at medium or above are scored at medium and above;
the three kinds the contract reports low (omission, encoding_damage,
rating_wording) are scored at low, in their own block.

Held out: the articles in fixtures/articles/holdout and generator seeds from
100000 up were not looked at while the detectors were developed (development
used the seed fixtures, fixtures/articles/dev and seeds below 100000).

    python bench/accuracy.py --set holdout --rounds 20
    python bench/accuracy.py --set dev --rounds 20 --examples 5
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from consistency import check_articles, ingest
from consistency.testing import KINDS, LOW_KINDS, Syndication, Tally, prepare, syndicate

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "dev": [ROOT / "fixtures" / "west-mercia", ROOT / "fixtures" / "articles" / "dev"],
    "holdout": [ROOT / "fixtures" / "articles" / "holdout"],
}
ONE_STORY = {ROOT / "fixtures" / "west-mercia"}
"""Directories whose articles are versions of one story: one of them per round, or a
feed would hold five syndications of one story and their rows would be true."""
SEED_BASE = {"dev": 0, "holdout": 100_000}


def run(
    paths: Iterable[Path], rounds: int, first_seed: int, copies: int, injections: int
) -> tuple[Tally, int, float]:
    paths = list(paths)
    distinct = [prepare(a) for p in paths if p not in ONE_STORY for a in ingest.read_articles([p])]
    versions = [prepare(a) for p in paths if p in ONE_STORY for a in ingest.read_articles([p])]
    tally = Tally()
    articles = 0
    started = time.perf_counter()
    for round_no in range(rounds):
        bases = distinct + ([versions[round_no % len(versions)]] if versions else [])
        stories: list[Syndication] = [
            syndicate(
                base,
                first_seed + round_no * 1000 + i,
                copies=copies,
                injections=injections,
                prefix=f"r{round_no}-{base.source}-",
            )
            for i, base in enumerate(bases)
        ]
        feed = tuple(a for s in stories for a in s.articles)
        articles += len(feed)
        rows = check_articles(feed).discrepancies
        story_of = {a.source: n for n, s in enumerate(stories) for a in s.articles}
        for n, story in enumerate(stories):
            tally.add(
                story, [r for r in rows if story_of[r.source_a] == n and not _across(r, story_of)]
            )
        # A row between two stories is false by definition: no change explains it.
        for r in rows:
            if _across(r, story_of) and (r.kind in LOW_KINDS or r.severity != "low"):
                tally.false_rows[r.kind] = tally.false_rows.get(r.kind, 0) + 1
                tally.examples.setdefault(f"cross-story {r.kind}", []).append(
                    f"{r.source_a} / {r.source_b}: {r.value_a!r} / {r.value_b!r}"
                )
    return tally, articles, time.perf_counter() - started


def _across(row: object, story_of: dict[str, int]) -> bool:
    a, b = row.source_a, row.source_b  # type: ignore[attr-defined]
    return bool(b) and story_of[a] != story_of[b]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(tally: Tally) -> str:
    lines = [
        "| kind | scored at | injected | found | recall | rows | false rows | precision | F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def line(name: str, kinds: Iterable[str], level: str) -> None:
        kinds = list(kinds)
        found = sum(tally.found.get(k, 0) for k in kinds)
        injected = found + sum(tally.missed.get(k, 0) for k in kinds)
        true = sum(tally.true_rows.get(k, 0) for k in kinds)
        false = sum(tally.false_rows.get(k, 0) for k in kinds)
        recall, precision = _ratio(found, injected), _ratio(true, true + false)
        f1 = (
            2 * recall * precision / (recall + precision)
            if recall is not None and precision is not None and recall + precision
            else None
        )
        lines.append(
            f"| {name} | {level} | {injected} | {found} | {_fmt(recall)} | {true + false} "
            f"| {false} | {_fmt(precision)} | {_fmt(f1)} |"
        )

    serious = [k for k in KINDS if k not in LOW_KINDS]
    for kind in serious:
        line(kind, [kind], "medium+")
    line("**overall, medium and above**", serious, "medium+")
    for kind in sorted(LOW_KINDS):
        line(kind, [kind], "low")
    line("**overall, low kinds**", sorted(LOW_KINDS), "low")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="holdout")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--injections", type=int, default=3, help="per syndication")
    parser.add_argument("--examples", type=int, default=0, help="misses and false rows to show")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=None,
        help="generator seed of the first round (default: 0 for dev, 100000 for holdout); "
        "a range never used before is a fresh, blind sample",
    )
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        tally, articles, seconds = run(
            SETS[name],
            args.rounds,
            SEED_BASE[name] if args.first_seed is None else args.first_seed,
            args.copies,
            args.injections,
        )
        print(f"\n### {name}: {args.rounds} rounds, {articles} articles, {seconds:.1f} s\n")
        print(table(tally))
        if args.examples:
            for key, texts in sorted(tally.examples.items()):
                print(f"\n{key}:")
                for text in texts[: args.examples]:
                    print(f"  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
