"""What a detector declares: the kinds of row it reports and the severities of each.

The registry (`consistency.detectors.DETECTORS`) is the one list of kinds: the
discrepancies.csv contract, configuration's per-kind severities, the simulator's
injectors and README's kind table are all checked against it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Discrepancy, Severity

if TYPE_CHECKING:
    from .base import Context


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of row, with every severity it can be reported at (worst first)."""

    name: str
    severities: tuple[Severity, ...]
    meaning: str
    """One line for the editor: what a row of this kind says."""

    @property
    def worst(self) -> Severity:
        return self.severities[0]


@dataclass(frozen=True, slots=True)
class Detector:
    """A function from the compare stage's context to rows of its declared kinds."""

    name: str
    run: Callable[[Context], Iterable[Discrepancy]]
    kinds: tuple[Kind, ...]
