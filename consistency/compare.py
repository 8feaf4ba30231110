"""Stage 7, compare: turn matched claims and slots into discrepancies.

The detectors live in `consistency.detectors`, one module per family (grades,
people, quotes, claims and numbers, omission, encoding), each declaring the kinds
and severities it reports. This stage builds their shared context, runs every
registered detector and returns their rows, deduplicated by id and sorted.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from . import caching
from .detectors import DETECTORS, Context, Detector
from .detectors.grades import agreed_subjects
from .graph import ClaimGraph
from .models import (
    SEVERITY_RANK,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
)

_BY_NAME = {d.name: d for d in DETECTORS}


def sort_key(d: Discrepancy) -> tuple[object, ...]:
    return (
        SEVERITY_RANK[d.severity],
        d.kind,
        d.subject,
        d.source_a,
        d.source_b,
        d.value_a,
        d.value_b,
        d.id,
    )


LONGEST_FIRST = (
    "quote_altered",
    "fact_conflicts",
    "misspelt_names",
    "omission",
    "claim_changes",
    "rating_conflict",
    "speaker_title",
    "grade_status",
    "encoding_damage",
    "rating_wording",
)
"""The order in which two processes take the detectors, one at a time, each taking the
next when it is done with one: the longest first, so that the two finish close
together (CPU seconds on one core, the bench's feeds at 1,000 articles: see README,
"Against a floor"). A detector left out is taken last; the rows are the same
whichever process runs a detector."""


def _by_length() -> tuple[Detector, ...]:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return tuple(sorted(DETECTORS, key=lambda d: rank.get(d.name, len(rank))))


class _Turns:
    """The next detector to run, for two processes sharing one counter (in shared
    memory, made before the fork)."""

    def __init__(self, detectors: tuple[Detector, ...]) -> None:
        self.detectors = detectors
        self._next = multiprocessing.get_context("fork").Value("i", 0)

    def run(self, ctx: Context) -> dict[str, list[Discrepancy]]:
        """Run detectors until none is left: this process's share of them."""
        found: dict[str, list[Discrepancy]] = {}
        while (detector := self._take()) is not None:
            found[detector.name] = _run(detector, ctx)
        return found

    def _take(self) -> Detector | None:
        with self._next.get_lock():
            at = self._next.value
            self._next.value = at + 1
        return self.detectors[at] if at < len(self.detectors) else None


def _run(detector: Detector, ctx: Context) -> list[Discrepancy]:
    """A detector's rows, its text caches emptied after it: what a detector caches
    (each wording's words, figures and dates) it reuses within its own run, and held
    on for the next one the caches of all of them add up to most of what compare holds
    (0.14 MiB an article on the distinct feed), while each alone is a fraction."""
    rows = list(detector.run(ctx))
    caching.clear_caches(tables=False)
    return rows


_FORKED: list[tuple[Context, _Turns]] = []
"""What a forked process finds already in memory (nothing is pickled to it)."""


def _run_in_second_process() -> dict[str, list[Discrepancy]]:
    ctx, turns = _FORKED[0]
    return turns.run(ctx)


def compare(
    articles: tuple[CleanArticle, ...],
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    graph: ClaimGraph,
    parallel: bool = False,
) -> tuple[Discrepancy, ...]:
    """Every detector's rows, sorted. With `parallel`, a forked process (where the
    platform forks) and this one share the detectors out between them (LONGEST_FIRST);
    the rows are the same either way."""
    # The text caches of the stages before (match's keys of every claim) are emptied:
    # their memory then serves the detectors, and a forked process does not start
    # with them.
    caching.clear_caches(tables=False)
    extraction = agreed_subjects(extraction, graph)
    ctx = Context(articles, {c.claim_id: c for c in claims}, extraction, matching, graph)
    found: dict[str, list[Discrepancy]] = {}
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        turns = _Turns(_by_length())
        _FORKED[:] = [(ctx, turns)]
        try:
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
                second = pool.submit(_run_in_second_process)
                found = turns.run(ctx)
                found.update(second.result())
        finally:
            _FORKED.clear()
    else:
        found = {d.name: _run(d, ctx) for d in DETECTORS}
    # In the detectors' order, whichever process ran them: the first row of an id wins.
    rows: dict[str, Discrepancy] = {}
    for detector in DETECTORS:
        for row in found[detector.name]:
            rows.setdefault(row.id, row)
    return tuple(sorted(rows.values(), key=sort_key))
