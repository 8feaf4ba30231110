"""Encoding: text that needed repair before it could be read.

- `encoding_damage` (low): a source whose text needed encoding repair (mojibake,
  dropped bytes); the row tells the editor to check the published page.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import (
    Discrepancy,
)
from .base import Context, Side, make
from .registry import Detector, Kind


def encoding_damage(ctx: Context) -> Iterator[Discrepancy]:
    for article in ctx.articles:
        repairs = [r for r in article.repairs if r.kind == "encoding"]
        if not repairs:
            continue
        fixes = sorted({f for r in repairs for f in r.fixes})
        first = repairs[0]
        value_a = " ".join(bad for bad, _ in fixes) or first.before[:40]
        value_b = " ".join(good for _, good in fixes) or first.after[:40]
        kinds = sorted({r.explanation.split(":")[0] for r in repairs})
        side = Side(article.source, value_a, first.before, first.line)
        yield make(
            "encoding_damage",
            "low",
            "encoding",
            side,
            Side("", value_b, first.after, None),
            f"{len(repairs)} line(s) of {article.source} repaired ({'; '.join(kinds)}); "
            "check the published page",
            ctx,
            standard=value_b,
        )


DETECTORS = (
    Detector(
        "encoding_damage",
        encoding_damage,
        (Kind("encoding_damage", ("low",), "text that needed encoding repair"),),
    ),
)
