"""Report formats, spreadsheet-safe CSV, and baselines (known discrepancies for CI)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from consistency import baseline, pipeline, report
from consistency.cli import app
from consistency.errors import InputError, UsageError
from consistency.results import CheckResult

runner = CliRunner()


@pytest.fixture(scope="module")
def result(west_mercia_module: Path) -> CheckResult:
    return pipeline.check([west_mercia_module])


@pytest.fixture(scope="module")
def west_mercia_module() -> Path:
    return Path(__file__).resolve().parent.parent / "fixtures" / "west-mercia"


def test_every_format_holds_the_same_rows(result: CheckResult, tmp_path: Path) -> None:
    written = report.write_reports(result, tmp_path, formats=["csv", "json", "jsonl", "parquet"])
    names = {p.name for p in written}
    for table in ("discrepancies", "claims", "coverage"):
        assert {f"{table}.{f}" for f in ("csv", "json", "jsonl", "parquet")} <= names
        from_csv = pl.read_csv(tmp_path / f"{table}.csv", infer_schema=False)
        from_parquet = pl.read_parquet(tmp_path / f"{table}.parquet")
        from_json = json.loads((tmp_path / f"{table}.json").read_text())
        lines = (tmp_path / f"{table}.jsonl").read_text().splitlines()
        assert from_csv.height == from_parquet.height == len(from_json) == len(lines) > 0
        assert list(from_json[0]) == from_parquet.columns == from_csv.columns
        assert [json.loads(line) for line in lines] == from_json
    parquet = pl.read_parquet(tmp_path / "discrepancies.parquet")
    assert parquet.schema["line_a"] == pl.Int64
    assert sorted(parquet["id"]) == sorted(d.id for d in result.discrepancies)


def test_unknown_format_is_a_usage_error(result: CheckResult, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown output format xlsx"):
        report.write_reports(result, tmp_path / "out", formats=["csv", "xlsx"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(start: str) -> None:
    hostile = f'{start}HYPERLINK("http://evil.example","click")'
    assert report.spreadsheet_safe(hostile) == "'" + hostile
    assert report.spreadsheet_safe("Kent Police = good") == "Kent Police = good"
    assert report.spreadsheet_safe(12) == 12


def test_formula_in_an_article_is_neutralised_in_csv_only(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    story = (
        "Kent Police was rated inadequate for its response to the public, inspectors said.\n\n"
        '=HYPERLINK("http://evil.example","Kent Police was rated good in the report")\n\n'
        "The force said it would publish a plan to improve its call handling next month.\n"
    )
    (feed / "a.txt").write_text(story)
    (feed / "b.txt").write_text(story.replace("inadequate", "good"))
    checked = pipeline.check([feed])
    assert any(c.text.startswith("=HYPERLINK") for c in checked.claims)
    report.write_reports(checked, tmp_path / "out", formats=["csv", "json"])
    with (tmp_path / "out" / "claims.csv").open(newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell[:1] in "=+-@\t\r" and cell for cell in cells), "a live formula"
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    texts = [r["text"] for r in json.loads((tmp_path / "out" / "claims.json").read_text())]
    assert any(t.startswith("=HYPERLINK") for t in texts)  # programs get the text as it was


def test_baseline_round_trip_marks_rows_known(result: CheckResult, tmp_path: Path) -> None:
    path = baseline.write(result.discrepancies[:3], tmp_path / "base.csv")
    known = baseline.read(path)
    assert known.ids == {d.id for d in result.discrepancies[:3]}
    new, old = known.split(result.discrepancies)
    assert len(old) == 3 and len(new) == len(result.discrepancies) - 3
    report.write_reports(result, tmp_path / "out", known=known.ids)
    frame = pl.read_csv(tmp_path / "out" / "discrepancies.csv")
    statuses = dict(zip(frame["id"], frame["status"], strict=True))
    assert {i for i, s in statuses.items() if s == "known"} == known.ids


def test_a_previous_discrepancies_csv_is_a_baseline(result: CheckResult, tmp_path: Path) -> None:
    report.write_reports(result, tmp_path)
    known = baseline.read(tmp_path / "discrepancies.csv")
    assert known.ids == {d.id for d in result.discrepancies}
    assert not known.gone(result.discrepancies)


def test_a_list_of_ids_is_a_baseline(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("# accepted by the desk\n0123456789ab\n\nabcdefabcdef\n")
    assert baseline.read(path).ids == {"0123456789ab", "abcdefabcdef"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind\nx,y\n", "no 'id' column"),
        ("id,kind\nnot-an-id,y\n", "is not a discrepancy id"),
        ("0123456789ab\nDROP TABLE\n", "base.csv:2: 'DROP TABLE' is not a discrepancy id"),
    ],
)
def test_bad_baselines_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "base.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        baseline.read(path)
    assert "\n" not in str(caught.value)


def test_cli_baseline_then_check_passes_the_gate(west_mercia: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.csv"
    made = runner.invoke(app, ["baseline", str(west_mercia), "--output", str(base), "-q"])
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    without = runner.invoke(app, ["check", str(west_mercia), "--out", str(out), "--fail-on", "low"])
    assert without.exit_code == 1
    gated = runner.invoke(
        app,
        ["check", str(west_mercia), "--out", str(out), "--fail-on", "low", "--baseline", str(base)],
    )
    assert gated.exit_code == 0, gated.output
    assert "0 new, 11 known" in gated.output


def test_cli_baseline_still_fails_on_a_new_row(west_mercia: Path, tmp_path: Path) -> None:
    full = pipeline.check([west_mercia])
    worst = full.discrepancies[0]
    assert worst.severity == "medium"
    base = baseline.write(full.discrepancies[1:], tmp_path / "base.csv")
    gated = runner.invoke(
        app,
        [
            "check",
            str(west_mercia),
            "--out",
            str(tmp_path / "o"),
            "--fail-on",
            "medium",
            "--baseline",
            str(base),
        ],
    )
    assert gated.exit_code == 1
    assert "1 new, 10 known" in gated.output


def test_cli_missing_baseline_exits_2_before_writing(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            str(west_mercia),
            "--out",
            str(tmp_path / "o"),
            "--baseline",
            str(tmp_path / "none.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "none.csv: baseline file not found" in result.output
    assert not (tmp_path / "o").exists()


def test_cli_format_option(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--format", "parquet,jsonl", "-q"]
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.iterdir()}
    assert "discrepancies.parquet" in names and "claims.jsonl" in names
    assert "discrepancies.csv" not in names
    bad = runner.invoke(app, ["check", str(west_mercia), "--out", str(tmp_path), "--format", "xls"])
    assert bad.exit_code == 2 and "unknown output format xls" in bad.output


def test_an_interrupted_run_leaves_the_previous_reports_whole(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report.write_reports(result, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert "report.html" in before

    def interrupted(frame: pl.DataFrame, path: Path) -> None:
        Path(path).write_text("half a file")
        raise KeyboardInterrupt

    # The coverage table is written after the discrepancies and claims are complete.
    monkeypatch.setattr(pl.DataFrame, "write_csv", lambda self, path: interrupted(self, path))
    with pytest.raises(KeyboardInterrupt):
        report.write_reports(result, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # no temporary file left, nothing replaced


def test_signals_arriving_during_the_renames_wait_for_them(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    renamed: list[str] = []
    real_replace = Path.replace

    def replace_then_interrupt(self: Path, target: Path) -> Path:
        renamed.append(Path(target).name)
        done = real_replace(self, target)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # held until every rename is done
        return done

    monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        report.write_reports(result, tmp_path)
    assert set(renamed) == {
        "discrepancies.csv",
        "claims.csv",
        "coverage.csv",
        "skipped.csv",
        "report.html",
    }
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
