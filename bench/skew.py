"""One story in many outlets, and templated feeds: the figures of README's "One story
in many outlets" section.

    python bench/skew.py outlets 200                  # 200 outlets, then the same plus one
    python bench/skew.py outlets 200 --background 1000
    python bench/skew.py planted 5000                 # the bench's templated feed

`outlets N`: a fixture article (the bench's first) carried by N outlets (benign edits, two planted
changes), checked alone and with one more outlet's copy; prints both runs' matched and
related pairs and whether the first N outlets' pairs and rows are the same (rows
compared without omissions' "carried by N of M sources", which counts the outlets).
`planted SIZE`: the bench's templated feed of SIZE articles; prints the planted
changes caught and the false alarms, scored by `consistency.testing.scoring`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from benchfeeds import bench

from consistency import check_articles
from consistency.models import Article, Discrepancy
from consistency.results import CheckResult
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    wide = commands.add_parser("outlets")
    wide.add_argument("count", type=int)
    wide.add_argument("--background", type=int, default=0)
    feed = commands.add_parser("planted")
    feed.add_argument("size", type=int)
    args = parser.parse_args()
    if args.command == "outlets":
        outlets(args.count, args.background)
    else:
        planted(args.size)


if __name__ == "__main__":
    main()
