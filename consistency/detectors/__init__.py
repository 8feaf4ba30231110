"""The detectors of the compare stage, one module per family, and their registry.

Each family module declares `DETECTORS`: the functions it runs and, for each, the
kinds of row it reports with their severities (`registry.Kind`). This package
collects them in one ordered tuple; the order is the order in which the compare
stage runs them (the first row of an id wins) and the order of README's kind table.

Adding a kind: a detector function in a family module (or a new module listed in
FAMILIES), declared there with its kinds; its tests; a simulator injector for it
(`consistency.testing`) and a row in README's table, both checked against this
registry by tests/test_registry.py.
"""

from __future__ import annotations

from types import MappingProxyType

from . import claims, encoding, facts, grades, omission, people, quotes, spelling
from .base import Context, Side, make, side
from .registry import Detector, Kind

FAMILIES = (grades, people, quotes, claims, facts, spelling, omission, encoding)

DETECTORS: tuple[Detector, ...] = tuple(d for family in FAMILIES for d in family.DETECTORS)
"""Every detector, in the order the compare stage runs them."""

KINDS: MappingProxyType[str, Kind] = MappingProxyType(
    {kind.name: kind for detector in DETECTORS for kind in detector.kinds}
)
"""Every kind of discrepancy, by name, in README's order."""

KIND_NAMES: tuple[str, ...] = tuple(KINDS)

__all__ = [
    "DETECTORS",
    "FAMILIES",
    "KINDS",
    "KIND_NAMES",
    "Context",
    "Detector",
    "Kind",
    "Side",
    "make",
    "side",
]
