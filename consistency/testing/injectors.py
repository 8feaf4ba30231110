"""The simulator's one table of kinds: for each kind of row the registry declares, how
to inject a change that row reports (where it can go and what it writes).

`KINDS` is the table's keys and `LOW_KINDS` comes from the registry (kinds whose worst
severity is low); tests/test_registry.py checks the table against the registry.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..detectors import KINDS as REGISTRY
from .records import Base, Site, per_base
from .sites import (
    attribution_sites,
    damageable,
    date_sites,
    grade_sites,
    meaning_sites,
    name_sites,
    number_sites,
    omission_sites,
    polarity_sites,
    quote_sites,
    status_sites,
    title_sites,
    wording_sites,
)
from .writers import (
    Spot,
    Written,
    write_date,
    write_grade,
    write_grade_wording,
    write_meaning,
    write_name,
    write_negation,
    write_not_graded,
    write_nothing,
    write_number,
    write_quoted_word,
    write_speaker,
    write_title,
)


@dataclass(frozen=True)
class Injector:
    """How the simulator injects a change of one kind into a copy.

    A site injector finds `sites` in the base article and `write`s a change at one;
    a whole-copy injector (`sites` None: encoding damage) is applied to the copy's
    whole text by `syndicate`, where `possible` says the base allows it."""

    sites: Callable[[Base], Sequence[Site]] | None
    write: Callable[[Spot, random.Random], Written] | None = None
    also: frozenset[str] = frozenset()
    """Row kinds that may truly report the change besides its own kind."""
    min_copies: int = 1
    """Copies a syndication needs for the change to be reportable."""
    alone: bool = False
    """A row catching the change may be about the changed copy alone (encoding damage,
    an unofficial grade wording) rather than pair it with another version."""
    possible: Callable[[Base], bool] | None = None
    """For a whole-copy injector: whether a copy of the base can carry it."""


_ABSENT = frozenset({"omission"})
"""Renaming a subject or replacing a graded claim also leaves the grade absent."""

INJECTORS: MappingProxyType[str, Injector] = MappingProxyType(
    {
        # The simulator's own order, not the registry's: random choices are made in it,
        # so reordering would change every simulated syndication.
        "number_conflict": Injector(number_sites, write_number),
        "date_conflict": Injector(date_sites, write_date),
        "polarity_conflict": Injector(polarity_sites, write_negation),
        "name_variant": Injector(name_sites, write_name, also=_ABSENT),
        "claim_altered": Injector(meaning_sites, write_meaning),
        "quote_altered": Injector(quote_sites, write_quoted_word),
        # Reported speech names the speaker too.
        "quote_attribution": Injector(
            attribution_sites, write_speaker, also=frozenset({"claim_altered"})
        ),
        "speaker_title": Injector(title_sites, write_title),
        "rating_conflict": Injector(grade_sites, write_grade),
        "grade_status": Injector(status_sites, write_not_graded, also=_ABSENT),
        "rating_wording": Injector(wording_sites, write_grade_wording, alone=True),
        # An omission needs most sources to carry what one lacks.
        "omission": Injector(omission_sites, write_nothing, also=_ABSENT, min_copies=2),
        "encoding_damage": Injector(None, possible=damageable, alone=True),
    }
)
"""Every kind the simulator can inject, named by the row kind that reports it."""

NOT_SIMULATED: MappingProxyType[str, str] = MappingProxyType({})
"""Kinds the registry declares that the simulator cannot inject, with the reason. A new
kind goes either here or in INJECTORS; tests/test_registry.py checks that every kind is
in exactly one."""

KINDS: tuple[str, ...] = tuple(INJECTORS)
"""Every kind the simulator can inject, in the order its random choices use."""

LOW_KINDS: frozenset[str] = frozenset(k for k, kind in REGISTRY.items() if kind.worst == "low")
"""Kinds the contract reports at low severity: an editor skims them."""


@per_base
def injection_sites(base: Base, kind: str) -> tuple[Site, ...]:
    """Where a change of `kind` can go in `base` (none for a whole-copy kind)."""
    find = INJECTORS[kind].sites
    return tuple(find(base)) if find else ()


def available_kinds(base: Base) -> tuple[str, ...]:
    """The kinds that can be injected into copies of `base`."""
    return tuple(k for k, injector in INJECTORS.items() if _possible(base, injector, k))


def _possible(base: Base, injector: Injector, kind: str) -> bool:
    if injector.sites is None:
        return injector.possible is not None and injector.possible(base)
    return bool(injection_sites(base, kind))
