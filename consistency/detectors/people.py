"""People: the titles sources give one person.

- `speaker_title` (medium): one person with different titles in two sources of one
  story, after abbreviations are spelled out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations

from ..keys import title_grammar, untenured
from ..models import (
    Discrepancy,
)
from .base import Context, make, side
from .registry import Detector, Kind


def shortens(short: str, long: str) -> bool:
    """Whether title key `short` is `long` with the words saying where the role is held
    dropped: "chief inspector" of "chief inspector of prisons", "director" of "director
    of finance". Only a complement ("of ...", "for ...") may go; a word before the head
    names the role, so "inspector of constabulary" is no shortening of "chief inspector
    of constabulary", nor "chief constable" of "deputy chief constable"."""
    words, longer = short.split(), long.split()
    return (
        0 < len(words) < len(longer)
        and longer[: len(words)] == words
        and longer[len(words)] in title_grammar().complement
    )


def same_title(a: str, b: str) -> bool:
    """Two title keys of one role: equal, or one the other shortened (see `shortens`)."""
    return a == b or shortens(a, b) or shortens(b, a)


def _held(key: str, others: Iterable[str]) -> bool:
    """Whether a title key is among `others` but for tenure or shortening: "chief
    constable" beside "temporary chief constable", "chief inspector" beside "HM chief
    inspector of prisons"."""
    role = untenured(key)
    return any(same_title(role, untenured(other)) for other in others)


def speaker_titles(ctx: Context) -> Iterator[Discrepancy]:
    """A person's titles in two sources of one story: a row when one uses a title the
    other never does.

    Titles are compared only within a story: a person who was a deputy in one year's
    story and the chief in a story two years later has not been misdescribed. A title
    counts as used by the other source also when it differs only in tenure ("Chief
    Constable" beside "Temporary Chief Constable") or is the other shortened to its
    role ("Chief Inspector" beside "HM Chief Inspector of Prisons"), so a source that
    shortens a title on second mention raises nothing; two sources with no title in
    common raise a row even when they differ only in tenure.
    """
    titles: dict[tuple[str, str], dict[str, dict[str, tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for p in ctx.extraction.people:
        if not p.title_key:
            continue
        key = ctx.graph.person_key.get(p.person_key, p.person_key)
        if " " not in key:
            continue  # a surname nobody resolved: too weak to compare
        titles[(ctx.story(p.source), key)][p.source].setdefault(p.title_key, (p.title, p.claim_id))
    for (_story, key), by_source in sorted(titles.items()):
        name = ctx.graph.person_name.get(key, key)
        for sa, sb in combinations(sorted(by_source), 2):
            ta, tb = by_source[sa], by_source[sb]
            if ta.keys() == tb.keys():
                continue  # the same titles: each is held by the other (most pairs of copies)
            if any(same_title(a, b) for a in ta for b in tb):
                only_a = [t for t in ta if not _held(t, tb)]
                only_b = [t for t in tb if not _held(t, ta)]
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
                "a title one source gives a person and another in its story never does",
            ),
        ),
    ),
)
