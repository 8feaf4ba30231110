"""Stage 8, problems: the discrepancies an editor reads as one finding.

A discrepancy is pairwise: a number changed in one of four versions is three rows,
one for each version that kept it. A **problem** is the editor's unit: one slot of one
claim cluster (or of one quotation, or of one subject's grade or title) that the
versions do not agree on, with what each version says there.

How rows become problems. Each side of a row is a node: the version (source), what
the slot is anchored to (`SLOTS`: the side's claim cluster, the row's subject, or the
story) and, for kinds whose value is the version's own reading of the slot (a number,
a grade, a speaker), that value. A row joins its two nodes; the rows of one connected
group are one problem. A number changed in one of four versions is then one problem
(its three rows all meet the changed version's node), while two numbers changed in
one sentence are two.

What each version says. A version's reading is the value its sides carry in the
problem's rows (the one it carries most often; on a tie, the first alphabetically).
Versions with the same reading agree, unless a row sets them apart (one grade each,
mentioned a different number of times). Where the value is what the pair's wordings
changed (`Slot.by_value` false: the words differ from pair to pair), the rows decide
instead: versions no row sets apart agree. The problem's value is the reading most
versions carry; ties are broken by putting a reading over an absence (a version
that lacks the claim), then by the value's alphabetical order, so the choice never
depends on the order of the feed; such a problem says `tied`. A kind that holds a
reading right whatever the count (a grade's official wording, the repaired text of
encoding damage: `Discrepancy.standard`) gives that reading, and every version
writing anything else differs. For an omission, every version carrying the claim's
cluster carries the claim, whether or not a row shows it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from . import collector
from .models import SEVERITY_RANK, Claim, Discrepancy, Severity

Anchor = Literal["claim", "subject", "story"]
Basis = Literal["majority", "tied", "standard"]


@dataclass(frozen=True, slots=True)
class Slot:
    """How a kind's rows name the slot they are about."""

    anchor: Anchor
    """"claim": the side's claim cluster (a claim in none stands for itself);
    "subject": the row's subject in its story; "story": the story alone."""
    by_value: bool
    """The value is the version's own reading of the slot (a number, a grade, a
    name), so two values of one version are two slots; false where the value is
    what the pair's wordings changed, which differs from pair to pair."""


SLOTS: dict[str, Slot] = {
    "number_conflict": Slot("claim", True),
    "date_conflict": Slot("claim", True),
    "polarity_conflict": Slot("claim", True),
    "claim_altered": Slot("claim", False),
    "quote_altered": Slot("claim", False),
    "omission": Slot("claim", True),
    "rating_conflict": Slot("subject", True),
    "rating_wording": Slot("subject", True),
    "grade_status": Slot("subject", False),
    "speaker_title": Slot("subject", False),
    # The subject names both speakers ("Jane Bloggs / Martin Achebe"): quotations given
    # to the same wrong speaker by one edit are one problem.
    "quote_attribution": Slot("subject", True),
    # The subject names both spellings, and a third spelling is another subject: the
    # names themselves tell the slots apart.
    "name_variant": Slot("story", True),
    "encoding_damage": Slot("subject", True),
}
"""Every kind of the detector registry (tests/test_problems.py checks it)."""

DEFAULT_SLOT = Slot("claim", True)

PRESENCE_KINDS = frozenset({"omission"})
"""Kinds whose slot is whether a version carries a claim: every version in the
claim's cluster carries it, though a row names only one of them."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What some versions say in a problem's slot."""

    value: str
    sources: tuple[str, ...]
    absent: bool = False
    """The versions lack the claim (an omission's "absent")."""


@dataclass(frozen=True, slots=True)
class Problem:
    id: str
    """"p-" and 12 hex digits, a hash of the ids of its discrepancies."""
    kind: str
    severity: Severity
    """The worst of its rows."""
    story: str
    subject: str
    value: str
    """The reading most versions carry (see `basis`)."""
    outlets: tuple[str, ...]
    """The sources that carry `value` (none for a standard no version writes)."""
    differing: tuple[Reading, ...]
    """Every other reading, most carried first."""
    basis: Basis
    """"majority": more versions carry `value` than any other reading; "tied": as many
    carry another (the tie broken as the module says); "standard": the kind's standard."""
    discrepancies: tuple[str, ...]
    text: str = ""
    """A claim that carries `value` (the one most rows show), for context: the
    sentence or quotation the slot is in."""

    @property
    def sources(self) -> tuple[str, ...]:
        """Every version that reads the slot."""
        return tuple(sorted({*self.outlets, *(s for r in self.differing for s in r.sources)}))

    def describe(self, name: Callable[[str], str] = str, limit: int | None = None) -> str:
        """One line for the editor: "hits-radio: 321 pupils, where bbc, ludlow-advertiser
        and shropshire-star say 312". `name` shows a source (an outlet's name); `limit`
        cuts long values with an ellipsis."""

        def shown(value: str) -> str:
            if not value:
                return "(nothing)"  # words one version has where another has none
            return value if limit is None or len(value) <= limit else value[: limit - 1] + "…"

        odd = "; ".join(f"{listed(r.sources, name)}: {shown(r.value)}" for r in self.differing)
        if self.basis == "standard":
            line = f"{odd}; expected: {shown(self.value)}"
            return line + (f", as {listed(self.outlets, name)} write" if self.outlets else "")
        if self.differing and all(r.absent for r in self.differing):
            # "absent, where ... say carried by 3 of 4 sources" would not be English.
            line = f"{odd}; {listed(self.outlets, name)}: {shown(self.value)}"
        else:
            verb = "say" if len(self.outlets) > 1 else "says"
            line = f"{odd}, where {listed(self.outlets, name)} {verb} {shown(self.value)}"
        # Two versions that differ need no saying so; three or more without a majority do.
        tied = self.basis == "tied" and len(self.sources) > 2
        return line + (" (no majority)" if tied else "")


NAMES_SHOWN = 4
"""A list of outlets longer than this shows the first ones and how many more."""


def listed(sources: Sequence[str], name: Callable[[str], str] = str) -> str:
    """ "a", "a and b", "a, b and c"; "a, b, c, d and 5 others" for a long list."""
    # "and 1 other" would take the room of the name.
    shown = NAMES_SHOWN if len(sources) > NAMES_SHOWN + 1 else NAMES_SHOWN + 1
    names = [name(s) for s in sources[:shown]]
    rest = len(sources) - len(names)
    if rest:
        return f"{', '.join(names)} and {rest} other{'s' if rest > 1 else ''}"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def find_problems(
    rows: Iterable[Discrepancy],
    claims: Iterable[Claim],
    cluster_of: Mapping[str, str],
    story_of: Mapping[str, str],
) -> tuple[Problem, ...]:
    """The problems behind `rows` (each row in exactly one), sorted as the rows are:
    worst first, then kind, subject, story. `cluster_of`: claim id -> cluster;
    `story_of`: source -> story."""
    # The small objects made here hold no cycles, but making them sets off the cyclic
    # collector's full passes over a check's millions of objects (as in htmlreport).
    with collector.paused():
        # Plain dicts: a read-only proxy's lookups cost several times a dict's, and
        # every claim is looked up.
        return _find(list(rows), claims, dict(cluster_of), dict(story_of))


def _find(
    rows: list[Discrepancy],
    claims: Iterable[Claim],
    cluster_of: Mapping[str, str],
    story_of: Mapping[str, str],
) -> tuple[Problem, ...]:
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def root(node: tuple[str, ...]) -> tuple[str, ...]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    first_node: list[tuple[str, ...]] = []
    for row in rows:
        a, b = _nodes(row, cluster_of, story_of)
        first_node.append(a)
        if b is not None:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, ...], list[Discrepancy]] = defaultdict(list)
    for row, node in zip(rows, first_node, strict=True):
        groups[root(node)].append(row)
    present = [r for group in groups.values() for r in group if r.kind in PRESENCE_KINDS]
    carriers = _carriers(present, claims, cluster_of)
    problems = [_problem(group, story_of, carriers) for group in groups.values()]
    return tuple(sorted(problems, key=_sort_key))


def problem_of(problems: Iterable[Problem]) -> dict[str, str]:
    """Discrepancy id -> the id of its problem."""
    return {row: p.id for p in problems for row in p.discrepancies}


def _sort_key(p: Problem) -> tuple[object, ...]:
    return (SEVERITY_RANK[p.severity], p.kind, p.subject, p.story, p.id)


def _sides(row: Discrepancy) -> list[tuple[str, str, str, bool]]:
    """(source, value, claim id, absent) of each side that is a version, and of each
    copy a row names as printing what a side prints (a difference reported once)."""
    sides = [(row.source_a, row.value_a, row.claim_a, not row.text_a)]
    sides += [(copy, row.value_a, "", False) for copy in row.copies_a]
    if row.source_b:
        sides.append((row.source_b, row.value_b, row.claim_b, not row.text_b))
        sides += [(copy, row.value_b, "", False) for copy in row.copies_b]
    return sides


def _apart(row: Discrepancy) -> set[frozenset[str]]:
    """The pairs of versions a row sets apart: its two sides, with their copies."""
    if not row.source_b:
        return set()
    side_a = (row.source_a, *row.copies_a)
    side_b = (row.source_b, *row.copies_b)
    return {frozenset((x, y)) for x in side_a for y in side_b if x != y}


def _nodes(
    row: Discrepancy, cluster_of: Mapping[str, str], story_of: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    slot = SLOTS.get(row.kind, DEFAULT_SLOT)
    sides = _sides(row)
    anchors = [cluster_of.get(claim, claim) for _, _, claim, _ in sides]
    # A side without a claim (the version an omission lacks) is anchored where the
    # other side is.
    shared = next((a for a in anchors if a), "")

    def node(source: str, value: str, anchor: str) -> tuple[str, ...]:
        where = {"claim": anchor or shared, "subject": row.subject, "story": ""}[slot.anchor]
        return (row.kind, story_of.get(source, ""), where, source, value if slot.by_value else "")

    made = [node(s, v, a) for (s, v, _, _), a in zip(sides, anchors, strict=True)]
    return made[0], (made[1] if len(made) > 1 else None)


def _carriers(
    rows: Iterable[Discrepancy], claims: Iterable[Claim], cluster_of: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """For the claims the presence rows show: the sources of their cluster's claims."""
    wanted = {cluster_of[c] for r in rows for c in (r.claim_a, r.claim_b) if c in cluster_of}
    if not wanted:
        return {}
    members: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        cluster = cluster_of.get(claim.claim_id)
        if cluster in wanted:
            members[cluster].add(claim.source)
    return {
        claim: tuple(sorted(members[cluster]))
        for r in rows
        for claim in (r.claim_a, r.claim_b)
        if (cluster := cluster_of.get(claim)) in members
    }


def _by_reading(sources: list[str], reading: Mapping[str, str]) -> list[list[str]]:
    """`sources` grouped by their readings."""
    groups: dict[str, list[str]] = defaultdict(list)
    for s in sources:
        groups[reading[s]].append(s)
    return list(groups.values())


def _by_reading_of(
    reading: Mapping[str, str],
) -> Callable[[list[str], set[frozenset[str]]], list[list[str]]]:
    return lambda sources, _apart: _by_reading(sources, reading)


def _agreeing(sources: list[str], apart: set[frozenset[str]]) -> list[list[str]]:
    """`sources` in groups of versions that no row sets `apart`: the parts of the
    rows' graph, where every version of one part is set apart from every other part's."""
    parent = {s: s for s in sources}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for i, a in enumerate(sources):
        for b in sources[i + 1 :]:
            if frozenset((a, b)) not in apart and root(a) != root(b):
                parent[max(root(a), root(b))] = min(root(a), root(b))
    groups: dict[str, list[str]] = defaultdict(list)
    for s in sources:
        groups[root(s)].append(s)
    return list(groups.values())


def _split(
    groups: list[list[str]],
    apart: set[frozenset[str]],
    again: Callable[[list[str], set[frozenset[str]]], list[list[str]]],
) -> list[list[str]]:
    """`groups`, each that holds two versions a row sets apart split `again`: values
    that do not tell two versions apart (one grade each, mentioned a different number
    of times) leave it to the rows; rows a detector left out (A apart from B, neither
    from C) leave it to the values."""
    out: list[list[str]] = []
    for group in groups:
        if any(frozenset((a, b)) in apart for i, a in enumerate(group) for b in group[i + 1 :]):
            out += again(group, apart)
        else:
            out.append(group)
    return out


def _most(counts: Counter[str]) -> str:
    return min(counts, key=lambda v: (-counts[v], v))


def _problem(
    rows: list[Discrepancy], story_of: Mapping[str, str], carriers: Mapping[str, tuple[str, ...]]
) -> Problem:
    values: dict[str, Counter[str]] = defaultdict(Counter)
    absent: set[tuple[str, str]] = set()
    implied: dict[str, str] = {}  # a version carrying an omitted claim that no row shows
    for row in rows:
        for source, value, claim, lacks in _sides(row):
            values[source][value] += 1
            if lacks:
                absent.add((source, value))
            elif row.kind in PRESENCE_KINDS:
                for carrier in carriers.get(claim, ()):
                    implied.setdefault(carrier, value)
    standards = Counter(r.standard for r in rows if r.standard)
    standard = _most(standards) if standards else None
    reading = {s: v for s, v in implied.items() if s not in values}
    for source, counts in values.items():
        if standard is not None:
            other = Counter({v: n for v, n in counts.items() if v != standard})
            reading[source] = _most(other) if other else standard
        else:
            reading[source] = _most(counts)
    apart = set().union(*(_apart(r) for r in rows))
    if standard is not None:
        # Against a standard the values alone decide: it, or something else.
        parts = [(reading[g[0]], g) for g in _by_reading(sorted(reading), reading)]
    elif SLOTS.get(rows[0].kind, DEFAULT_SLOT).by_value:
        groups = _split(_by_reading(sorted(reading), reading), apart, _agreeing)
        parts = [(reading[g[0]], g) for g in groups]
    else:
        groups = _split(_agreeing(sorted(reading), apart), apart, _by_reading_of(reading))
        # What the group's versions are said to have, pair by pair: the most said.
        parts = [(_most(sum((values[s] for s in g), Counter[str]())), g) for g in groups]
    readings = [
        Reading(value, tuple(sources), all((s, value) in absent for s in sources))
        for value, sources in parts
    ]
    readings.sort(key=lambda r: (-len(r.sources), r.absent, r.value.casefold(), r.value, r.sources))
    if standard is not None:
        top = next((r for r in readings if r.value == standard), Reading(standard, ()))
        basis: Basis = "standard"
    else:
        top = readings[0]
        tied = len(readings) > 1 and len(readings[1].sources) == len(top.sources)
        basis = "tied" if tied else "majority"
    shown = [(v, t) for r in rows for v, t in ((r.value_a, r.text_a), (r.value_b, r.text_b)) if t]
    # A standard no version writes (an official wording) is shown in the text using another.
    texts = Counter(t for v, t in shown if v == top.value) or Counter(t for _, t in shown)
    ids = tuple(sorted(r.id for r in rows))
    subjects = Counter(r.subject for r in rows)
    stories = sorted({story_of.get(s, "") for s in reading})
    return Problem(
        id="p-" + hashlib.blake2b("\n".join(ids).encode(), digest_size=6).hexdigest(),
        kind=rows[0].kind,
        severity=min((r.severity for r in rows), key=SEVERITY_RANK.__getitem__),
        story="; ".join(stories),
        subject=_most(subjects),
        value=top.value,
        outlets=top.sources,
        differing=tuple(r for r in readings if r is not top),
        basis=basis,
        discrepancies=ids,
        text=_most(texts) if texts else "",
    )
