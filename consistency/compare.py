"""Stage 7, compare: turn matched claims and slots into discrepancies.

The detectors live in `consistency.detectors`, one module per family (grades,
people, quotes, claims and numbers, omission, encoding), each declaring the kinds
and severities it reports. This stage builds their shared context, runs every
registered detector and returns their rows, deduplicated by id and sorted.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from .detectors import DETECTORS, Context
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


IN_SECOND_PROCESS = ("claim_changes", "fact_conflicts")
"""Detectors run in a second process when `compare` is asked to: together they take
about as long as all the others (profiled on one core, the bench's distinct feed at
1,000 articles: facts 17 s once its versions are worked out once per check, claim
changes 3 s; quotations 15 s, names 4 s, the rest 4 s), and both read the claims'
alignment (`Context.aligned`), worked out there once."""


_FORKED_CONTEXT: list[Context] = []
"""The context a forked process finds already in memory (nothing is pickled to it)."""


def _run_in_second_process(names: tuple[str, ...]) -> dict[str, list[Discrepancy]]:
    ctx = _FORKED_CONTEXT[0]
    return {name: list(_BY_NAME[name].run(ctx)) for name in names}


def compare(
    articles: tuple[CleanArticle, ...],
    claims: tuple[Claim, ...],
    extraction: Extraction,
    matching: Matching,
    graph: ClaimGraph,
    parallel: bool = False,
) -> tuple[Discrepancy, ...]:
    """Every detector's rows, sorted. With `parallel`, the IN_SECOND_PROCESS detectors run in a
    forked process (where the platform forks) while this one runs the rest; the rows
    are the same either way."""
    extraction = agreed_subjects(extraction, graph)
    ctx = Context(articles, {c.claim_id: c for c in claims}, extraction, matching, graph)
    found: dict[str, list[Discrepancy]] = {}
    if parallel and "fork" in multiprocessing.get_all_start_methods():
        _FORKED_CONTEXT[:] = [ctx]
        try:
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
                second = pool.submit(_run_in_second_process, IN_SECOND_PROCESS)
                for detector in DETECTORS:
                    if detector.name not in IN_SECOND_PROCESS:
                        found[detector.name] = list(detector.run(ctx))
                found.update(second.result())
        finally:
            _FORKED_CONTEXT.clear()
    else:
        found = {d.name: list(d.run(ctx)) for d in DETECTORS}
    # In the detectors' order, whichever process ran them: the first row of an id wins.
    rows: dict[str, Discrepancy] = {}
    for detector in DETECTORS:
        for row in found[detector.name]:
            rows.setdefault(row.id, row)
    return tuple(sorted(rows.values(), key=sort_key))
