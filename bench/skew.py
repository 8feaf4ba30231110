"""One story in many outlets, and templated feeds: the figures of README's "One story
in many outlets" section.

    python bench/skew.py outlets 200                  # 200 outlets, then the same plus one
    python bench/skew.py outlets 200 --background 1000
    python bench/skew.py planted 5000                 # the bench's templated feed
    python bench/skew.py giant 200 500 [--crowded N]  # one story's cost, stage by stage

`outlets N`: a fixture article (the bench's first) carried by N outlets (benign edits, two planted
changes), checked alone and with one more outlet's copy; prints both runs' matched and
related pairs and whether the first N outlets' pairs and rows are the same (rows
compared without omissions' "carried by N of M sources", which counts the outlets).
`planted SIZE`: the bench's templated feed of SIZE articles; prints the planted
changes caught and the false alarms, scored by `consistency.testing.scoring`.
`giant N...`: for each N, the fixture article carried by N outlets with PLANTED
changes, checked in one process: the stories found, the changes caught, the false
alarms and each stage's CPU seconds (`--crowded`: `max_crowded_articles`); and, for
scale, the bench's distinct feed of `compare.STORY_BATCH_ARTICLES` articles (one batch
of the detectors' work), to tell whether one story far larger than the rest is a
straggler.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from benchfeeds import bench

from consistency import check_articles, compare
from consistency.models import Article, Discrepancy
from consistency.pipeline import STAGES
from consistency.results import CheckResult
from consistency.settings import MatchSettings
from consistency.testing import scoring, syndicate

ROOT = Path(__file__).resolve().parent.parent


def _kept(result: CheckResult) -> tuple[set[Any], set[Any], set[Any]]:
    """The matched pairs, related pairs and rows not involving the extra outlet."""

    def outside(*ids: str) -> bool:
        return not any(i.startswith("more-") for i in ids)

    rows = {
        (d.kind, d.source_a, d.source_b, d.value_a, d.value_b)
        for d in result.discrepancies
        if outside(d.source_a, d.source_b) and d.kind != "omission"
    }
    return (
        {m for m in result.matching.matches if outside(m.claim_a, m.claim_b)},
        {m for m in result.matching.related if outside(m.claim_a, m.claim_b)},
        rows,
    )


def outlets(count: int, background: int) -> None:
    article = bench()._bases()[0]  # the first of the bench templates
    wide = syndicate(article, 7, copies=count - 1, injections=2, prefix="wide-").articles
    more = syndicate(article, 8, copies=1, prefix="more-").articles[1:]
    others: tuple[Article, ...] = bench().make_corpus(background) if background else ()
    fewer = check_articles(wide + others)
    after = check_articles(wide + more + others)
    print(f"{count} outlets: {len(fewer.matching.matches):,} matched pairs")
    print(f"{count + 1} outlets: {len(after.matching.matches):,} matched pairs")
    same = [a == b for a, b in zip(_kept(fewer), _kept(after), strict=True)]
    print(f"the first {count} outlets' matched pairs, related pairs, rows the same: {same}")


def planted(size: int) -> None:
    scale = bench()
    made = []
    real = scale.syndicate

    def recorded(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    scale.syndicate = recorded
    result = check_articles(scale.make_templated_corpus(size))
    by_story: dict[str, list[Discrepancy]] = {}
    for row in result.discrepancies:
        by_story.setdefault(scale.generated_story(row.source_a), []).append(row)
    caught = total = 0
    alarms: Counter[str] = Counter()
    for syndication in made:
        rows = by_story.get(scale.generated_story(syndication.original.source), [])
        total += len(syndication.injections)
        caught += sum(scoring.caught(change, rows) for change in syndication.injections)
        alarms.update(row.kind for row in scoring.false_alarms(syndication, rows))
    print(f"templated {size:,}: caught {caught:,} / {total:,} planted changes")
    print(f"false alarms {sum(alarms.values()):,} {dict(alarms.most_common())}")
    print(f"rows {len(result.discrepancies):,}")


def _stage_seconds(
    articles: tuple[Article, ...], settings: MatchSettings | None = None
) -> tuple[dict[str, float], CheckResult]:
    """CPU seconds of each stage of a check of `articles` in this process alone."""
    began: dict[str, float] = {}
    spent: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if done == 0:
            began.setdefault(stage, time.process_time())
        if done == total:
            spent[stage] = time.process_time() - began[stage]

    result = check_articles(articles, settings, workers=1, progress=progress)
    return spent, result


PLANTED = 10
"""Changes planted in the copies of `giant`'s one story (one copy each)."""


def giant(counts: list[int], crowded: int | None = None) -> None:
    article = bench()._bases()[0]
    settings = MatchSettings() if crowded is None else MatchSettings(max_crowded_articles=crowded)
    batch = compare.STORY_BATCH_ARTICLES or 2000
    runs = [
        (f"one story, {n:,} outlets", syndicate(article, 7, copies=n - 1, injections=PLANTED))
        for n in counts
    ]
    print(
        "| feed | stories | claims | matched pairs | planted changes caught | false alarms "
        "| read | match | graph | compare (CPU s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, made in runs:
        spent, result = _stage_seconds(made.articles, settings)
        stages = " | ".join(f"{spent[stage]:.1f}" for stage in STAGES)
        found = len(set(result.matching.story_of.values()))
        matched = len(result.matching.matches)
        rows = list(result.discrepancies)
        caught = sum(scoring.caught(change, rows) for change in made.injections)
        alarms = len(scoring.false_alarms(made, rows))
        print(
            f"| {label} | {found:,} | {len(result.claims):,} | {matched:,} "
            f"| {caught} / {len(made.injections)} | {alarms} | {stages} |"
        )
    spent, result = _stage_seconds(bench().make_corpus(batch))
    stages = " | ".join(f"{spent[stage]:.1f}" for stage in STAGES)
    found = len(set(result.matching.story_of.values()))
    print(
        f"| {batch:,} articles of 5-version stories | {found:,} | {len(result.claims):,} "
        f"| {len(result.matching.matches):,} | | | {stages} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    wide = commands.add_parser("outlets")
    wide.add_argument("count", type=int)
    wide.add_argument("--background", type=int, default=0)
    feed = commands.add_parser("planted")
    feed.add_argument("size", type=int)
    story = commands.add_parser("giant")
    story.add_argument("counts", type=int, nargs="+")
    story.add_argument("--crowded", type=int, help="max_crowded_articles (default: the setting's)")
    args = parser.parse_args()
    if args.command == "outlets":
        outlets(args.count, args.background)
    elif args.command == "giant":
        giant(args.counts, args.crowded)
    else:
        planted(args.size)


if __name__ == "__main__":
    main()
