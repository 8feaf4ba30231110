"""The pipeline as one call: workers, progress."""

from __future__ import annotations

import gc
import io
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

from consistency import cli, compare, ingest, pipeline
from consistency.detectors import DETECTORS
from consistency.models import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@cache
def _feed() -> tuple[Article, ...]:
    return ingest.read_articles([FIXTURES / "west-mercia", FIXTURES / "articles" / "dev"])


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    one = pipeline.check_articles(_feed(), workers=1)
    two = pipeline.check_articles(_feed(), workers=2)
    assert two.discrepancies == one.discrepancies
    assert two.claims == one.claims
    assert two.extraction == one.extraction
    # Metadata crossed a process boundary (the first article is read before the
    # workers start, the last by one of them) and is still read-only.
    assert two.cleaned[-1].metadata == one.cleaned[-1].metadata
    with pytest.raises(TypeError):
        two.cleaned[-1].metadata["outlet"] = "x"  # type: ignore[index]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_check_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    seen: list[bool] = []
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        pipeline.check_articles(_feed()[:2], progress=lambda *_: seen.append(gc.isenabled()))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert seen and not any(seen)  # paused while the stages ran


def test_progress_is_told_every_stage_in_order() -> None:
    calls: list[tuple[str, int, int]] = []
    pipeline.check_articles(_feed(), workers=2, progress=lambda *c: calls.append(c))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == list(pipeline.STAGES)
    reads = [done for stage, done, _ in calls if stage == "read"]
    assert reads == sorted(reads)
    assert reads[0] == 0
    assert reads[-1] == len(_feed())
    for stage in ("match", "graph", "compare"):
        assert [(d, t) for s, d, t in calls if s == stage] == [(0, 1), (1, 1)]


def test_progress_bar_off_draws_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with cli.progress_bar(enabled=False) as progress:
        progress("read", 1, 2)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_on_draws_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(cli, "Console", lambda stderr: Console(file=stream, force_terminal=True))
    with cli.progress_bar(enabled=True) as progress:
        progress("read", 3, 10)
        progress("match", 1, 1)
    drawn = stream.getvalue()
    assert "read" in drawn
    assert "3/10" in drawn


def test_detectors_in_a_second_process_give_the_same_rows() -> None:
    result = pipeline.check_articles(_feed(), workers=1)
    stages = (result.cleaned, result.claims, result.extraction, result.matching, result.graph)
    together = compare.compare(*stages, parallel=False)
    apart = compare.compare(*stages, parallel=True)
    assert apart == together
    assert {d.kind for d in apart} >= {"claim_altered", "quote_altered", "omission"}


def test_the_detectors_taken_longest_first_are_every_detector_once() -> None:
    names = [d.name for d in compare._by_length()]
    assert sorted(names) == sorted(d.name for d in DETECTORS)
    assert set(compare.LONGEST_FIRST) == set(names)
