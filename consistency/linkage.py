"""Average-linkage grouping, shared by story grouping (match) and claim clustering (graph).

Connected components chain: if A links B and B links C, A and C end up together
even when nothing links them. Average linkage merges two groups only when a
given share of the pairs between them are linked, which keeps one templated
sentence from joining two stories.
"""

from __future__ import annotations


def average_linkage(
    items: list[str],
    linked: set[tuple[str, str]],
    strength: dict[tuple[str, str], float],
    fraction: float,
) -> list[list[str]]:
    """Merge items joined by the strongest links first, while enough cross pairs are linked.

    Deterministic: links are taken by descending strength, then by name.
    """
    group_of = {item: i for i, item in enumerate(sorted(items))}
    members: dict[int, list[str]] = {i: [item] for item, i in group_of.items()}
    for a, b in sorted(linked, key=lambda p: (-strength[p], p)):
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            continue
        cross = [(min(x, y), max(x, y)) for x in members[ga] for y in members[gb]]
        if sum(1 for p in cross if p in linked) < fraction * len(cross):
            continue
        for item in members[gb]:
            group_of[item] = ga
        members[ga] += members.pop(gb)
    return [sorted(m) for m in members.values()]
