"""The cyclic garbage collector paused while the package builds large object graphs.

A check, its problems and its report page build millions of small long-lived objects
(claims, tokens, graph dictionaries, the page's strings) that hold no reference
cycles; the collector's full passes over them, repeated as the heap grows, find
nothing to free and take time that grows faster than the feed. Reference counting
still frees everything that is not a cycle; the collector runs again as soon as the
work returns. The switch is the process's: the reading workers, forked inside a
check, run without it too, and two pieces of work in two threads of one process
share it (the first to finish turns it back on).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the duration of the block (left off if it was)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["paused"]
