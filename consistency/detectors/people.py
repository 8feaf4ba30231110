"""People: the titles sources give one person.

- `speaker_title` (medium): one person with different titles in two sources,
  after abbreviations are spelled out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations

from ..keys import untenured
from ..models import (
    Discrepancy,
)
from .base import Context, make, side
from .registry import Detector, Kind


def speaker_titles(ctx: Context) -> Iterator[Discrepancy]:
    """A person's titles in two sources: a row when one uses a title the other never does.

    A title counts as used by the other source also when it differs only in
    tenure ("Chief Constable" beside "Temporary Chief Constable"), so a source
    that shortens a title on second mention raises nothing; two sources with no
    title in common raise a row even when they differ only in tenure.
    """
    titles: dict[str, dict[str, dict[str, tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for p in ctx.extraction.people:
        if not p.title_key:
            continue
        key = ctx.graph.person_key.get(p.person_key, p.person_key)
        if " " not in key:
            continue  # a surname nobody resolved: too weak to compare
        titles[key][p.source].setdefault(p.title_key, (p.title, p.claim_id))
    for key, by_source in sorted(titles.items()):
        name = ctx.graph.person_name.get(key, key)
        for sa, sb in combinations(sorted(by_source), 2):
            ta, tb = by_source[sa], by_source[sb]
            if set(ta) & set(tb):
                only_a = [t for t in ta if untenured(t) not in {untenured(u) for u in tb}]
                only_b = [t for t in tb if untenured(t) not in {untenured(u) for u in ta}]
                if not only_a and not only_b:
                    continue
                title_a, claim_a = ta[min(only_a or ta)]
                title_b, claim_b = tb[min(only_b or tb)]
            else:
                title_a, claim_a = ta[min(ta)]
                title_b, claim_b = tb[min(tb)]
            yield make(
                "speaker_title",
                "medium",
                name,
                side(ctx, claim_a, title_a),
                side(ctx, claim_b, title_b),
                f"{name} is {title_a!r} in {sa} but {title_b!r} in {sb}",
                ctx,
            )


DETECTORS = (
    Detector(
        "speaker_title",
        speaker_titles,
        (
            Kind(
                "speaker_title",
                ("medium",),
                "a title one source gives a person and another never does",
            ),
        ),
    ),
)
