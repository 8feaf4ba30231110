"""The CLI, driven in-process with typer's runner."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import consistency
from consistency.cli import app

runner = CliRunner()


def test_check_writes_reports_and_summary(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(west_mercia), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "grade_status" in result.output
    for name in ("discrepancies.csv", "claims.csv", "coverage.csv"):
        assert (tmp_path / name).stat().st_size > 0
        # An ordinary file, readable as the umask allows, not mkstemp's owner-only.
        assert (tmp_path / name).stat().st_mode & 0o044
    assert not (tmp_path / "graph.graphml").exists()


def test_check_writes_the_graph_when_asked(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(west_mercia), "--out", str(tmp_path), "--graph"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.graphml").stat().st_size > 0


def test_fail_on_sets_exit_code(west_mercia: Path, tmp_path: Path) -> None:
    high = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--fail-on", "high"]
    )
    assert high.exit_code == 0  # the fixtures have nothing high
    medium = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--fail-on", "medium"]
    )
    assert medium.exit_code == 1


def test_fail_on_passes_when_nothing_serious(tmp_path: Path) -> None:
    body = "Kent Police was rated good for its approach to serious and organised crime.\n"
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.txt").write_text(body)
    result = runner.invoke(
        app,
        [
            "check",
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.txt"),
            "--out",
            str(tmp_path / "out"),
            "--fail-on",
            "low",
        ],
    )
    assert result.exit_code == 0, result.output


def test_missing_input_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "nope.txt" in result.output and "Traceback" not in result.output


def test_bad_jsonl_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "a", "body": "Some text here."})
    path.write_text(good + "\n" + "{not json\n")
    result = runner.invoke(app, ["check", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "feed.jsonl:2" in result.output
    assert not (tmp_path / "out" / "discrepancies.csv").exists()


def test_jsonl_record_without_body(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "headline": "x"}) + "\n")
    result = runner.invoke(app, ["check", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "feed.jsonl:1" in result.output and "body" in result.output


def test_empty_and_binary_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(
        app, ["check", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "empty" in result.output
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02abc")
    result = runner.invoke(app, ["check", str(tmp_path / "bin.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "binary" in result.output


def test_directory_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    result = runner.invoke(app, ["check", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no article files" in result.output


def test_front_matter_and_json_inputs_agree(tmp_path: Path) -> None:
    body = (
        "Kent Police has been rated inadequate for its approach to serious and organised crime.\n\n"
        "Chief Constable Tim Smith said: “We accept the findings and will improve quickly.”\n"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text(
        "id: kent-messenger\noutlet: Kent Messenger\n---\n" + body
    )
    records = [
        {"id": "kent-online", "outlet": "KentOnline", "body": body.replace("inadequate", "good")}
    ]
    (tmp_path / "in" / "feed.json").write_text(json.dumps(records))
    result = runner.invoke(app, ["check", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "discrepancies.csv").read_text()
    assert "rating_conflict" in text and "kent-messenger" in text and "kent-online" in text


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_shows_each_option_s_text_as_written(command: str) -> None:
    # Wide enough that no help text wraps: each must appear whole, brackets and all.
    result = runner.invoke(app, [command, "--help"], terminal_width=500, max_content_width=500)
    assert result.exit_code == 0, result.output
    for param in COMMANDS[command].params:
        if param.help:
            assert param.help in result.output, f"{command} --help mangles {param.help!r}"
    assert "[tool.consistency]" in result.output or command not in {"check", "config"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_shows_flags_without_a_value(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=500, max_content_width=500)
    flags = [p.opts[0] for p in COMMANDS[command].params if getattr(p, "is_flag", False)]
    for flag in [*flags, "--help"]:
        # The option's own line: "  -q, --quiet   Print nothing..." (or in a rich panel).
        own = re.compile(rf"^[\s│]*(-\w,?\s+)?{flag}\b")
        (line,) = [line for line in result.output.splitlines() if own.match(line)]
        assert "<" not in line, f"{command} --help shows a value for a flag: {line.strip()}"


def test_version() -> None:
    installed = importlib.metadata.version("consistency")
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"consistency {installed}\n"
    assert consistency.__version__ == installed


def test_version_of_a_source_tree_never_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert consistency._version() == "0+unknown"


def test_the_summary_names_a_settings_file_found_above(
    west_mercia: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "consistency.toml"
    settings.write_text('[severity]\nrating_wording = "ignore"\n')
    below = tmp_path / "desk" / "today"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    result = runner.invoke(app, ["check", str(west_mercia), "--out", "out"])
    assert result.exit_code == 0, result.output
    assert f"settings: {settings.resolve()}" in result.output.splitlines()
    page = (below / "out" / "report.html").read_text()
    assert f'id="settings">settings: {settings.resolve()}<' in page


def test_the_summary_says_when_no_settings_file_is_in_effect(
    west_mercia: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(west_mercia), "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "settings: none" in result.output.splitlines()
    assert 'id="settings">settings: none<' in (tmp_path / "out" / "report.html").read_text()


def test_workers_give_the_same_report(west_mercia: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for out, workers in ((one, "1"), (two, "2")):
        result = runner.invoke(
            app, ["check", str(west_mercia), "--out", str(out), "--workers", workers, "-q"]
        )
        assert result.exit_code == 0, result.output
    assert (one / "discrepancies.csv").read_bytes() == (two / "discrepancies.csv").read_bytes()


def test_workers_must_be_positive(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--workers", "0"]
    )
    assert result.exit_code == 2


def test_spark_options_need_the_spark_engine(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(tmp_path), "--spark-master", "local[2]"]
    )
    assert result.exit_code == 2
    assert "--spark-master and --spark-partitions go with --engine spark" in result.output
    assert not any(tmp_path.iterdir()), "nothing written"


def test_the_spark_engine_without_pyspark_is_one_line(
    west_mercia: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where pyspark is not installed, --engine spark says how to install it and stops
    before writing anything (None in sys.modules makes an import fail)."""
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(west_mercia), "--out", str(out), "--engine", "spark"])
    assert result.exit_code == 2
    assert "--engine spark needs pyspark (pip install 'consistency[spark]')" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_keep_going_skips_bad_inputs_and_lists_them(west_mercia: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    for article in west_mercia.iterdir():
        (feed / article.name).write_bytes(article.read_bytes())
    (feed / "empty.txt").write_text("")
    (feed / "broken.jsonl").write_text('{"id": "x", "body": "Fine text here."}\n{"id": \n')
    out = tmp_path / "out"
    strict = runner.invoke(app, ["check", str(feed), "--out", str(out)])
    assert strict.exit_code == 2 and not out.exists()
    lenient = runner.invoke(app, ["check", str(feed), "--out", str(out), "--keep-going"])
    assert lenient.exit_code == 0, lenient.output
    assert "skipped 2 unreadable inputs" in lenient.output
    assert "broken.jsonl:2: invalid JSON" in lenient.output
    skipped = (out / "skipped.csv").read_text().splitlines()
    assert skipped[0] == "path,line,problem"
    assert sorted(line.rsplit("/", 1)[-1] for line in skipped[1:]) == [
        "broken.jsonl,2,invalid JSON: Expecting value",
        "empty.txt,,file is empty",
    ]
    # The readable record of the broken file and every fixture were checked.
    claims = (out / "claims.csv").read_text()
    assert "\nx:" in claims and "hits-radio" in claims


def test_skipped_csv_is_empty_on_a_clean_run(west_mercia: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(west_mercia), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 0
    assert (tmp_path / "skipped.csv").read_text() == "path,line,problem\n"


def test_a_legacy_encoding_is_decoded_and_said(tmp_path: Path) -> None:
    text = "Kent Police was rated \u201cgood\u201d by inspectors, who praised its work.\n"
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.txt").write_text(text)
    result = runner.invoke(app, ["check", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "a.txt: decoded as windows-1252" in result.output
    assert "\u201cgood\u201d" in (tmp_path / "out" / "claims.csv").read_text()


def test_claims_command_shows_how_a_file_was_read(west_mercia: Path) -> None:
    result = runner.invoke(app, ["claims", str(west_mercia / "hits-radio.txt")])
    assert result.exit_code == 0, result.output
    assert "== hits-radio ==" in result.output
    assert "ā€™ -> ’" in result.output  # the encoding repair, with its line
    assert "West Mercia Police" in result.output
    missing = runner.invoke(app, ["claims", str(west_mercia / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.output


def feed_of(west_mercia: Path, tmp_path: Path) -> Path:
    feed = tmp_path / "feed"
    shutil.copytree(west_mercia, feed)
    return feed


@pytest.mark.parametrize("fmt", ["csv", "json,jsonl"])
def test_out_inside_the_input_is_not_read_on_the_next_run(
    west_mercia: Path, tmp_path: Path, fmt: str
) -> None:
    feed = feed_of(west_mercia, tmp_path)
    command = ["check", str(feed), "--out", str(feed / "out"), "--format", fmt]
    first = runner.invoke(app, command)
    assert first.exit_code == 0, first.output
    reports = (feed / "out" / "discrepancies.csv").read_bytes() if fmt == "csv" else None
    second = runner.invoke(app, command)
    assert second.exit_code == 0, second.output
    assert "note:" not in second.output  # told by --out, nothing to say
    assert second.output == first.output
    if reports is not None:
        assert (feed / "out" / "discrepancies.csv").read_bytes() == reports


def test_out_as_the_input_folder_itself(west_mercia: Path, tmp_path: Path) -> None:
    feed = feed_of(west_mercia, tmp_path)
    command = ["check", str(feed), "--out", str(feed), "--format", "json", "-q"]
    for _ in range(2):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    sources = {row["source"] for row in json.loads((feed / "claims.json").read_text())}
    assert sources == {p.stem for p in west_mercia.glob("*.txt")}


def test_a_baseline_kept_in_the_feed_is_not_an_article(west_mercia: Path, tmp_path: Path) -> None:
    feed = feed_of(west_mercia, tmp_path)
    known = feed / "kept-baseline.txt"  # a .txt name: read as copy, were it not excluded
    made = runner.invoke(app, ["baseline", str(feed), "--output", str(known), "-q"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["baseline", str(feed), "--output", str(known), "-q"])
    assert again.exit_code == 0, again.output
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["check", str(feed), "--out", str(out), "--baseline", str(known), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "kept-baseline" not in (out / "coverage.csv").read_text()
    assert "kept-baseline" not in (out / "claims.csv").read_text()


def test_reports_of_a_run_with_another_out_are_left_out_and_said(
    west_mercia: Path, tmp_path: Path
) -> None:
    feed = feed_of(west_mercia, tmp_path)
    first = runner.invoke(app, ["check", str(feed), "--out", str(feed / "reports")])
    assert first.exit_code == 0, first.output
    moved = runner.invoke(app, ["check", str(feed), "--out", str(tmp_path / "elsewhere")])
    assert moved.exit_code == 0, moved.output
    assert f"note: {feed / 'reports'}: holds the reports of a run of this tool" in moved.output
    assert (tmp_path / "elsewhere" / "discrepancies.csv").read_bytes() == (
        feed / "reports" / "discrepancies.csv"
    ).read_bytes()


def test_one_outlet_filed_on_two_days_checks_in_one_run(tmp_path: Path) -> None:
    body = "Kent Police was rated good for its approach to serious and organised crime.\n"
    for day in ("2024-05-14", "2024-05-15"):
        (tmp_path / "feed" / day).mkdir(parents=True)
        (tmp_path / "feed" / day / "bbc.txt").write_text(body)
    (tmp_path / "feed" / "2024-05-15" / "itv.txt").write_text(body)
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(tmp_path / "feed"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "source id 'bbc' is also used by 1 other file; read as '2024-05-14-bbc'" in (
        result.output
    )
    coverage = (out / "coverage.csv").read_text()
    assert "2024-05-14-bbc" in coverage and "2024-05-15-bbc" in coverage


def test_tables_are_written_beside_the_reports(west_mercia: Path, tmp_path: Path) -> None:
    out, tables = tmp_path / "out", tmp_path / "tables"
    result = runner.invoke(
        app, ["check", str(west_mercia), "--out", str(out), "--tables", str(tables)]
    )
    assert result.exit_code == 0, result.output
    assert (tables / "claims.parquet").exists() and (tables / "discrepancies.parquet").exists()
    assert str(tables / "claims.parquet") in result.output


def test_tables_to_a_uri_without_spark_is_refused_before_reading(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["check", "missing-feed", "--out", str(tmp_path / "out"), "--tables", "s3a://b/t"],
    )
    assert result.exit_code == 2
    assert "--tables s3a://b/t: a URI is written by --engine spark" in result.output
    assert "missing-feed" not in result.output  # refused before anything was read
    assert not (tmp_path / "out").exists()
