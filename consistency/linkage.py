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
    linked: set[tuple[str, str]],
    strength: dict[tuple[str, str], float],
    fraction: float,
) -> list[list[str]]:
    """Merge items joined by the strongest links first, while enough cross pairs are linked.

    `linked` holds pairs written (smaller, larger). Deterministic: links are taken by
    descending strength, then by name. Items are numbered in name order, so that
    sorting the links is one numpy lexsort rather than a Python sort of string
    tuples (which, for the claim clusters of a day's feed, cost seconds).
    """
    names = sorted(set(items))
    number = {name: i for i, name in enumerate(names)}
    pairs = list(linked)
    first = np.fromiter((number[a] for a, _ in pairs), np.int64, len(pairs))
    second = np.fromiter((number[b] for _, b in pairs), np.int64, len(pairs))
    weight = np.fromiter((strength[p] for p in pairs), np.float64, len(pairs))
    order = np.lexsort((second, first, -weight)).tolist()
    first_of, second_of = first.tolist(), second.tolist()
    links = set(zip(first_of, second_of, strict=True))

    group_of = list(range(len(names)))
    members: dict[int, list[int]] = {i: [i] for i in group_of}
    for k in order:
        ga, gb = group_of[first_of[k]], group_of[second_of[k]]
        if ga == gb:
            continue
        left, right = members[ga], members[gb]
        shared = sum(1 for x in left for y in right if (min(x, y), max(x, y)) in links)
        if shared < fraction * len(left) * len(right):
            continue
        for item in right:
            group_of[item] = ga
        left += members.pop(gb)
    return [[names[i] for i in sorted(group)] for group in members.values()]
