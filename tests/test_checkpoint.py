"""consistency.checkpoint: a check that stops resumes from what it kept, and gives the
report a check from scratch gives, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import check, checkpoint, compare, match, pipeline, write_reports
from consistency.cli import app
from consistency.config import load
from consistency.errors import ConsistencyError
from consistency.results import CheckResult
from consistency.settings import MatchSettings

ROOT = Path(__file__).resolve().parent.parent
FEED = [ROOT / "fixtures"]


class StoppedError(Exception):
    """A check stopped part way (killed, out of memory)."""


def _files(result: CheckResult, out: Path) -> dict[str, bytes]:
    write_reports(result, out, graph=True, formats=("csv", "parquet"))
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    # Several batches of stories, so that a check can stop between two.
    monkeypatch.setattr(compare, "STORY_BATCH_ARTICLES", 1)


@pytest.fixture
def scratch(tmp_path: Path, small_batches: None) -> dict[str, bytes]:
    """The reports of the feed checked from scratch, without a checkpoint."""
    return _files(check(FEED, workers=1), tmp_path / "scratch")


def _count_batches(monkeypatch: pytest.MonkeyPatch, stop_at: int | None = None) -> list[int]:
    """Count the batches the detectors run on, stopping the check at the `stop_at`th."""
    ran: list[int] = []
    real = compare._batch

    def counted(b: int, *args: object) -> compare.Found:
        ran.append(b)
        if stop_at is not None and len(ran) == stop_at:
            raise StoppedError
        return real(b, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(compare, "_batch", counted)
    return ran


def _refuse_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("read again")

    monkeypatch.setattr(pipeline.LocalEngine, "read", refuse)


def test_a_check_stopped_in_the_detectors_runs_only_the_batches_left(
    tmp_path: Path, scratch: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "checkpoint"
    with monkeypatch.context() as stopping:
        ran = _count_batches(stopping, stop_at=4)
        with pytest.raises(StoppedError):
            check(FEED, workers=1, checkpoint=kept)
    assert len(ran) == 4
    with monkeypatch.context() as resuming:
        _refuse_reading(resuming)
        ran = _count_batches(resuming)
        resumed = check(FEED, workers=1, checkpoint=kept)
    batches = len(list(kept.glob("batch-*.parquet")))
    assert batches > 6
    assert len(ran) == batches - 3
    assert _files(resumed, tmp_path / "resumed") == scratch
    # A third run does no work at all.
    with monkeypatch.context() as again:
        _refuse_reading(again)
        ran = _count_batches(again)
        assert _files(check(FEED, workers=1, checkpoint=kept), tmp_path / "again") == scratch
    assert ran == []


def test_a_check_stopped_after_reading_does_not_read_again(
    tmp_path: Path, scratch: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "checkpoint"
    with monkeypatch.context() as stopping:

        def stop(*args: object) -> object:
            raise StoppedError

        stopping.setattr(match, "match_claims", stop)
        with pytest.raises(StoppedError):
            check(FEED, checkpoint=kept)  # read on every core where there are several
    with monkeypatch.context() as resuming:
        _refuse_reading(resuming)
        resumed = check(FEED, workers=1, checkpoint=kept)
    assert _files(resumed, tmp_path / "resumed") == scratch


def test_another_feed_or_configuration_is_not_taken_for_the_one_kept(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "checkpoint"
    check(FEED, workers=1, checkpoint=kept)
    keys = {p.name for p in kept.iterdir()}
    # One article changed: read again.
    feed = tmp_path / "feed"
    feed.mkdir()
    for path in sorted((ROOT / "fixtures" / "west-mercia").iterdir()):
        (feed / path.name).write_bytes(path.read_bytes())
    check([feed], workers=1, checkpoint=kept)
    keys = {p.name for p in kept.iterdir()}
    first = sorted(feed.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    changed = check([feed], workers=1, checkpoint=kept)
    assert {p.name for p in kept.iterdir()} > keys
    assert changed.discrepancies == check([feed], workers=1).discrepancies
    # Other domain tables (a configuration's additions): read again.
    config_file = tmp_path / "consistency.toml"
    config_file.write_text('[titles]\nroles = ["Grand Inquisitor"]\n', "utf-8")
    config = load(config_file)
    before = len(list(kept.glob("read-*")))
    check(FEED, workers=1, checkpoint=kept, config=config)
    assert len(list(kept.glob("read-*"))) == before + 1
    # Other matching settings: reading is taken, the detectors run again.
    settings = MatchSettings(claim_cutoff=90)
    with monkeypatch.context() as resuming:
        _refuse_reading(resuming)
        ran = _count_batches(resuming)
        tighter = check(FEED, workers=1, checkpoint=kept, settings=settings)
    assert ran
    assert tighter.discrepancies == check(FEED, workers=1, settings=settings).discrepancies


def test_a_damaged_table_is_worked_out_again(
    tmp_path: Path, scratch: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "checkpoint"
    check(FEED, workers=1, checkpoint=kept)
    (claims,) = kept.glob("read-*/claims.parquet")
    claims.write_bytes(claims.read_bytes()[:100])
    batch = sorted(kept.glob("batch-*.parquet"))[0]
    batch.write_bytes(b"not parquet")
    with monkeypatch.context() as resuming:
        ran = _count_batches(resuming)
        resumed = check(FEED, workers=1, checkpoint=kept)
    assert len(ran) == 1
    assert _files(resumed, tmp_path / "resumed") == scratch
    with monkeypatch.context() as again:
        _refuse_reading(again)
        assert _count_batches(again) == []
        check(FEED, workers=1, checkpoint=kept)
    assert not list(kept.glob("*.partial"))


def test_the_key_covers_every_part_of_an_article() -> None:
    from consistency.ingest import read_feed

    (article,) = read_feed([ROOT / "fixtures" / "west-mercia" / "bbc.txt"]).articles[:1]
    import dataclasses
    from types import MappingProxyType

    key = checkpoint.read_key([article], {})
    changes = [
        {"source": article.source + "x"},
        {"path": article.path + "x"},
        {"body": article.body + "x"},
        {"first_line": article.first_line + 1},
        {"metadata": MappingProxyType({**article.metadata, "published": "2020-01-01"})},
    ]
    for change in changes:
        assert checkpoint.read_key([dataclasses.replace(article, **change)], {}) != key, change
    assert checkpoint.read_key([article], {"titles.toml": {"titles": ["X"]}}) != key
    assert checkpoint.read_key([article, article], {}) != key


def test_an_unwritable_checkpoint_folder_is_one_line_before_any_work(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    with pytest.raises(ConsistencyError, match="cannot keep a checkpoint there"):
        check(FEED, workers=1, checkpoint=blocked / "inside")
    result = CliRunner().invoke(
        app,
        ["check", str(FEED[0]), "--out", str(tmp_path / "out"), "--checkpoint", str(blocked)],
    )
    assert result.exit_code == 2
    assert "cannot keep a checkpoint there" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_command_line_resumes_with_the_same_folder(tmp_path: Path) -> None:
    kept = tmp_path / "checkpoint"
    args = ["check", str(ROOT / "fixtures" / "west-mercia"), "--checkpoint", str(kept), "-q"]
    first = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
    second = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert first.exit_code == second.exit_code == 0
    assert list(kept.glob("read-*"))
    for report in (tmp_path / "a").iterdir():
        assert report.read_bytes() == (tmp_path / "b" / report.name).read_bytes()


def test_another_version_of_a_library_reading_calls_reads_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = checkpoint.code_key()
    assert "ftfy" in checkpoint._dependencies() or not checkpoint._dependencies()
    checkpoint.code_key.cache_clear()
    monkeypatch.setattr(checkpoint, "_dependencies", lambda: ["ftfy"])
    monkeypatch.setattr(checkpoint, "_version", lambda name: "0.0-other")
    try:
        assert checkpoint.code_key() != before
    finally:
        checkpoint.code_key.cache_clear()
