"""Average linkage keeps link counts between groups as they merge: the same groups, roots
and order as recounting every pair of members at each merge (the plain definition)."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.linkage import average_linkage_rooted

ITEMS = [f"c{i:02d}" for i in range(12)]
PAIRS = list(combinations(ITEMS, 2))


def recounted(
    items: list[str], strength: dict[tuple[str, str], float], fraction: float
) -> list[tuple[str, list[str]]]:
    """Average linkage by its definition: the linked pairs between two groups counted
    afresh at every merge."""
    names = sorted(set(items))
    links = set(strength)
    order = sorted(strength, key=lambda p: (-strength[p], names.index(p[0]), names.index(p[1])))
    group_of = {name: name for name in names}
    members = {name: [name] for name in names}
    for a, b in order:
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            continue
        left, right = members[ga], members[gb]
        if len(left) > 1 or len(right) > 1:
            shared = sum(1 for x in left for y in right if (min(x, y), max(x, y)) in links)
            if shared < fraction * len(left) * len(right):
                continue
        elif fraction > 1:
            continue
        for item in right:
            group_of[item] = ga
        left += members.pop(gb)
    return [(root, sorted(group)) for root, group in members.items()]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(PAIRS), st.sampled_from([1.0, 2.0, 3.0, 80.0, 95.5])),
    st.sampled_from([0.3, 0.5, 0.6, 1.0, 1.5]),
)
def test_counts_kept_across_merges_give_the_recounted_groups(
    strength: dict[tuple[str, str], float], fraction: float
) -> None:
    assert average_linkage_rooted(ITEMS, strength, fraction) == recounted(ITEMS, strength, fraction)
