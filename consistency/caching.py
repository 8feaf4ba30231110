"""The package's one cache policy: every cache is made here, registered, and emptied
by the rules below.

Two kinds, told apart by whether they have a size:

- `table_cache`: a table compiled from the data files (`domain.scales()`, a
  pattern built from the titles), keyed by nothing or by a few names. Built once
  and kept from check to check, since its size depends on the data and not the
  feed; forgotten whenever the settings change (`domain.configured`), since a
  configuration adds to the data it was built from.
- `text_cache`: a result computed from text (a line's cleaned form, a sentence's
  grades, two wordings' differences). Text caches pay because a story's versions
  repeat most lines and claims word for word, so each wording is read and compared
  once rather than once per outlet. Each is a least-recently-used cache of
  TEXT_CACHE_SIZE entries (or a stated fraction or multiple), which bounds the
  memory of one check; and all of them are emptied when a check returns
  (`pipeline.check_articles`), so that a check leaves nothing behind and one
  check's texts never serve another's (nor outlive its settings).

`clear_caches()` (also `consistency.clear_caches()`) forgets everything. A cache
made any other way (functools.cache, lru_cache) would be missed by both rules:
tests/test_caches.py fails on one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

TEXT_CACHE_SIZE = 65536
"""Entries a text cache keeps by default: well above the distinct texts one stage
meets in a story, and a bound on what one check can hold."""

_caches: list[Any] = []
"""Every cache made by `cached`, in the order made."""


def cached(maxsize: int | None) -> Callable[[F], F]:
    """functools.lru_cache(maxsize), registered so that `clear_caches` finds it.
    Works on functions and methods alike (put @classmethod above it)."""

    def decorate(function: F) -> F:
        wrapper = lru_cache(maxsize=maxsize)(function)
        _caches.append(wrapper)
        return cast(F, wrapper)

    return decorate


def table_cache(function: F) -> F:
    """Cache a table compiled from the data files: kept until the settings change."""
    return cached(None)(function)


def text_cache(size: int = TEXT_CACHE_SIZE) -> Callable[[F], F]:
    """Cache results computed from text: `size` entries, emptied when a check returns."""
    return cached(size)


def caches() -> tuple[Any, ...]:
    """Every registered cache (each has cache_info, cache_parameters and cache_clear)."""
    return tuple(_caches)


def is_text_cache(cache: Any) -> bool:
    return cache.cache_parameters()["maxsize"] is not None


def clear_caches(tables: bool = True) -> None:
    """Forget every cached result; with `tables=False`, keep the compiled tables and
    empty only the text caches (what a check does on its way out)."""
    for cache in _caches:
        if tables or is_text_cache(cache):
            cache.cache_clear()


POLARS_ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"
"""The settings of polars' memory allocator (jemalloc, read from `_RJEM_MALLOC_CONF`
when polars loads; polars puts them after its own) that a check runs with: pages
polars frees go back to the system at once. Polars' own settings keep freed pages
for half a second and then a second more, so the tables each matching step builds
and drops within that time stayed resident under the next: at 20,000 articles the
match stage's peak fell from about 2,210 to 1,950 MiB (PSS) for about 3% more CPU."""


def tune_allocator() -> None:
    """Set `POLARS_ALLOCATOR` for polars unless the environment already says how its
    allocator should run, or polars is loaded already (then it is too late: jemalloc
    reads its settings once, when it starts)."""
    if "polars" not in sys.modules:
        os.environ.setdefault("_RJEM_MALLOC_CONF", POLARS_ALLOCATOR)


def release_memory() -> None:
    """Give the free pages of the C heap back to the system (glibc's malloc_trim; where
    there is none, nothing). Python and numpy free their large blocks into the heap,
    where the pages stay resident: at 20,000 articles a check's stages leave about
    160 MiB so, which the reports would otherwise sit on."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    trim(0)


@contextlib.contextmanager
def emptied_after() -> Iterator[None]:
    """Empty the text caches when the block ends, however it ends (see the module),
    and give the memory freed back (`release_memory`)."""
    try:
        yield
    finally:
        clear_caches(tables=False)
        release_memory()
