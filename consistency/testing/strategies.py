"""Hypothesis strategies of simulated syndications, for property tests of a checker or
of any copy pipeline that should preserve facts.

Needs hypothesis: `pip install "consistency[simulate]"`. The rest of
`consistency.testing` does not.

Two ways to draw:

- `syndications(base, ...)`, `benign_copies(base, ...)`, `injected(base, kind, ...)`
  draw from hypothesis' own random source, so a failure shrinks;
- `seeds()` with `base_names(bases)` draw a base article's name and a generator seed,
  so a failing example prints as two values one replays with
  `syndicate(bases[name], seed, ...)`, not as a page of article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "consistency.testing.strategies needs hypothesis, an optional dependency: "
        'pip install "consistency[simulate]"'
    ) from error

from ..models import Article
from .injectors import available_kinds
from .records import Base, Syndication, prepare
from .syndication import syndicate

SEED_RANGE = (0, 99_999)
"""Generator seeds `seeds()` draws from."""


def syndications(base: Base | Article, **options: Any) -> st.SearchStrategy[Syndication]:
    """A strategy of `syndicate(base, ...)` drawn from hypothesis' own randomness."""
    prepared = prepare(base) if isinstance(base, Article) else base
    return st.randoms(use_true_random=False).map(lambda rng: syndicate(prepared, rng, **options))


def benign_copies(base: Base | Article, **options: Any) -> st.SearchStrategy[Syndication]:
    """Syndications with benign edits only: a checker should report nothing above low."""
    return syndications(base, injections=0, **options)


def injected(base: Base | Article, kind: str, **options: Any) -> st.SearchStrategy[Syndication]:
    """Syndications with one change of `kind` in one copy."""
    return syndications(base, injections=[kind], **options)


def seeds() -> st.SearchStrategy[int]:
    """Generator seeds for `syndicate`."""
    return st.integers(min_value=SEED_RANGE[0], max_value=SEED_RANGE[1])


def base_names(bases: Mapping[str, Base], kind: str | None = None) -> st.SearchStrategy[str]:
    """Names of `bases` (sorted, so shrinking goes towards the first), only those with
    room for a change of `kind` if one is given. Empty (`st.nothing()`) when none has."""
    names = sorted(n for n, b in bases.items() if kind is None or kind in available_kinds(b))
    return st.sampled_from(names) if names else st.nothing()


__all__ = ["SEED_RANGE", "base_names", "benign_copies", "injected", "seeds", "syndications"]
