"""Average-linkage grouping, shared by story grouping (match) and claim clustering (graph).

Connected components chain: if A links B and B links C, A and C end up together
even when nothing links them. Average linkage merges two groups only when a
given share of the pairs between them are linked, which keeps one templated
sentence from joining two stories.
"""

from __future__ import annotations

import numpy as np


def average_linkage(
    items: list[str],
    strength: dict[tuple[str, str], float],
    fraction: float,
) -> list[list[str]]:
    """The groups of `average_linkage_rooted`, without their roots."""
    return [group for _root, group in average_linkage_rooted(items, strength, fraction)]


def average_linkage_rooted(
    items: list[str],
    strength: dict[tuple[str, str], float],
    fraction: float,
) -> list[tuple[str, list[str]]]:
    """Merge items joined by the strongest links first, while enough cross pairs are linked.

    `strength` holds the links, each pair written (smaller, larger). Deterministic:
    links are taken by descending strength, then by name. Items are numbered in name order, so that
    sorting the links is one numpy lexsort rather than a Python sort of string
    tuples, which is slow for the hundreds of thousands of links of a day's feed.

    Returns (root, sorted members) per group, in root order; the root is the item
    whose group the others joined. Items whose links never meet go through the same
    merges whether grouped in one call or in several, so groups from several calls
    sorted by root come in the order one call over all the items would give.
    """
    names = sorted(set(items))
    number = {name: i for i, name in enumerate(names)}
    coded = np.array(
        [(number[a], number[b], weight) for (a, b), weight in strength.items()], dtype=np.float64
    ).reshape(-1, 3)
    first_of = coded[:, 0].astype(np.int64)
    second_of = coded[:, 1].astype(np.int64)
    order = np.lexsort((second_of, first_of, -coded[:, 2])).tolist()
    first_list, second_list = first_of.tolist(), second_of.tolist()
    # Links between groups, counted and kept up to date as groups merge: recounting
    # every pair of members at each merge is quadratic in a large story's claims.
    between: list[dict[int, int]] = [{} for _ in names]
    for a, b in {(min(a, b), max(a, b)) for a, b in zip(first_list, second_list, strict=True)}:
        if a != b:
            between[a][b] = 1
            between[b][a] = 1

    group_of = list(range(len(names)))
    members: dict[int, list[int]] = {i: [i] for i in group_of}
    for k in order:
        ga, gb = group_of[first_list[k]], group_of[second_list[k]]
        if ga == gb:
            continue
        left, right = members[ga], members[gb]
        # Two single items: the link itself is the only pair between them.
        if len(left) > 1 or len(right) > 1:
            if between[ga].get(gb, 0) < fraction * (len(left) * len(right)):
                continue
        elif fraction > 1:
            continue
        for item in right:
            group_of[item] = ga
        left += members.pop(gb)
        _merge_counts(between, ga, gb)
    return [(names[root], [names[i] for i in sorted(group)]) for root, group in members.items()]


def _merge_counts(between: list[dict[int, int]], into: int, merged: int) -> None:
    """Fold group `merged`'s link counts into group `into`'s, and its neighbours' too."""
    counts, own = between[into], between[merged]
    counts.pop(merged, None)
    for other, n in own.items():
        if other == into:
            continue
        counts[other] = counts.get(other, 0) + n
        theirs = between[other]
        del theirs[merged]
        theirs[into] = theirs.get(into, 0) + n
    own.clear()
