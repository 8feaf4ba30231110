"""Judging a checker's rows against what the simulator recorded: which change a row
is about, which changes were caught, which rows are false alarms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .. import keys
from ..models import SEVERITY_RANK, Discrepancy
from ..pipeline import check_articles
from .injectors import LOW_KINDS
from .records import Change, Syndication

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _normal(text: str) -> str:
    return _NON_WORD.sub(" ", keys.canonical_text(text).lower()).strip()


def explains(change: Change, row: Discrepancy, side_effects: bool = True) -> bool:
    """The row is about this change: a catching kind (or, with `side_effects`, a kind
    that may truly report it besides), the copy as one source, and the change's claim
    or subject in the row. Severity is the caller's business."""
    kinds = change.catches | change.also if side_effects else change.catches
    if row.kind not in kinds or change.source not in (row.source_a, row.source_b):
        return False
    if not change.claim and not change.subject:
        return True
    if change.subject and _normal(change.subject) in _normal(row.subject):
        return True
    if len(change.after) > 3 and _normal(change.after) in _normal(f"{row.value_a} {row.value_b}"):
        return True
    claims = {_normal(change.claim), _normal(change.changed_claim)}
    return any(
        text and fuzz.partial_ratio(_normal(text), claim) >= 80
        for text in (row.text_a, row.text_b)
        for claim in claims
    )


def caught(change: Change, rows: Iterable[Discrepancy]) -> bool:
    """Some row reports this change at the severity it deserves or above."""
    return any(
        explains(change, row, side_effects=False)
        and SEVERITY_RANK[row.severity] <= SEVERITY_RANK[change.severity]
        for row in rows
    )


def false_alarms(syndication: Syndication, rows: Iterable[Discrepancy]) -> list[Discrepancy]:
    """Rows no recorded change explains: medium and above for every kind, and any
    severity for the kinds the contract reports low."""
    return [
        row
        for row in rows
        if (row.kind in LOW_KINDS or row.severity != "low")
        and not any(explains(c, row) for c in syndication.changes)
    ]


@dataclass
class Tally:
    """Injected changes found and missed, and rows explained or not, per kind."""

    found: dict[str, int] = field(default_factory=dict)
    missed: dict[str, int] = field(default_factory=dict)
    true_rows: dict[str, int] = field(default_factory=dict)
    false_rows: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, syndication: Syndication, rows: Sequence[Discrepancy]) -> None:
        for change in syndication.injections:
            hit = caught(change, rows)
            counter = self.found if hit else self.missed
            counter[change.kind] = counter.get(change.kind, 0) + 1
            if not hit:
                self._example(f"miss {change.kind}", f"{change.before!r} -> {change.after!r}")
        false = false_alarms(syndication, rows)
        for row in rows:
            if row.kind not in LOW_KINDS and row.severity == "low":
                continue
            counter = self.false_rows if row in false else self.true_rows
            counter[row.kind] = counter.get(row.kind, 0) + 1
        for row in false:
            self._example(f"false {row.kind}", f"{row.severity} {row.value_a!r} / {row.value_b!r}")

    def _example(self, key: str, text: str) -> None:
        bucket = self.examples.setdefault(key, [])
        if len(bucket) < 5:
            bucket.append(text)


def check(syndication: Syndication) -> tuple[Discrepancy, ...]:
    """Run the checker on a syndication."""
    return check_articles(syndication.articles).discrepancies
