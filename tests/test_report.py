"""Report formats, spreadsheet-safe CSV, and baselines (known discrepancies for CI)."""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from consistency import baseline, htmlreport, pipeline, report
from consistency.cli import app
from consistency.errors import ConsistencyError, InputError, UsageError
from consistency.models import Claim, Discrepancy
from consistency.results import CheckResult, cluster_claims

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
    for table in ("discrepancies", "problems", "claims", "coverage"):
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


def test_claims_csv_written_a_block_of_claims_at_a_time_is_the_whole_table(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = report.write_reports(result, tmp_path / "whole", formats=["csv"], html=False)
    monkeypatch.setattr(report, "CLAIM_BLOCK", 7)
    blocks = report.write_reports(result, tmp_path / "blocks", formats=["csv"], html=False)
    assert len(result.claims) > 7 * 3
    assert [p.read_bytes() for p in whole] == [p.read_bytes() for p in blocks]
    empty = CheckResult((), (), (), result.extraction, result.matching, result.graph, ())
    (frame,) = report.claims_frames(empty, 7)
    assert frame.columns == list(report.CLAIM_COLUMNS) and frame.height == 0


def test_a_table_given_a_block_at_a_time_is_written_as_the_whole(
    result: CheckResult, tmp_path: Path
) -> None:
    """What `consistency.archive` streams from the cluster: in csv and jsonl the same
    bytes as the whole table written at once, in parquet the same rows (a row group a
    block); json, one array, takes the table whole."""
    whole = report.claims_frame(result)
    blocks = [whole.slice(at, 7) for at in range(0, whole.height, 7)]
    assert len(blocks) > 3
    for fmt in ("csv", "jsonl", "parquet"):
        report.write_targets(
            tmp_path / "whole", report.table_targets({"claims": lambda _: [whole]}, [fmt])
        )
        report.write_targets(
            tmp_path / "blocks", report.table_targets({"claims": lambda _: blocks}, [fmt])
        )
        name = f"claims.{fmt}"
        if fmt == "parquet":
            got = pl.read_parquet(tmp_path / "blocks" / name)
            assert got.equals(pl.read_parquet(tmp_path / "whole" / name))
        else:
            assert (tmp_path / "blocks" / name).read_bytes() == (
                tmp_path / "whole" / name
            ).read_bytes()
    with pytest.raises(ValueError, match="one frame"):
        report.write_targets(
            tmp_path / "json", report.table_targets({"c": lambda _: blocks}, ["json"])
        )
    assert not list((tmp_path / "json").iterdir())


def test_coverage_rows_are_in_the_tables_order_by_story_then_first_claim(
    result: CheckResult,
) -> None:
    rows = report.coverage_rows(result)
    assert rows.drop("first").equals(report.coverage_frame(result))
    assert rows.select("story", "first").rows() == sorted(rows.select("story", "first").rows())
    assert rows["first"].to_list() == [
        result.clusters[cluster][0].claim_id for cluster in rows["cluster"]
    ]


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

    def interrupted(frame: pl.DataFrame, file: Any) -> None:
        file.write(b"half a file")  # a csv table is written to an open file
        raise KeyboardInterrupt

    # The coverage table is written after the discrepancies and claims are complete.
    monkeypatch.setattr(pl.DataFrame, "write_csv", lambda self, file, **_: interrupted(self, file))
    with pytest.raises(KeyboardInterrupt):
        report.write_reports(result, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # no temporary file left, nothing replaced


def test_signals_arriving_during_the_renames_wait_for_them(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    renamed: list[str] = []
    real_replace = Path.replace

    def replace_then_interrupt(self: Path, target: Path) -> Path:
        renamed.append(Path(target).name)
        done = real_replace(self, target)
        if len(renamed) == 1:
            # To this thread: os.kill lets the kernel hand the signal to any thread (a
            # polars worker, say), and CPython then handles it only whenever the main
            # thread next looks, which under load was after write_reports returned.
            signal.raise_signal(signal.SIGINT)  # held until every rename is done
        return done

    monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    # Python's own Ctrl-C handler, whatever the run started with: a process started in
    # the background by a shell without job control (nohup, some CI runners) begins
    # with SIGINT ignored, and an ignored signal rightly stays ignored here too.
    started_with = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            report.write_reports(result, tmp_path)
    finally:
        signal.signal(signal.SIGINT, started_with)
    assert set(renamed) == {
        "discrepancies.csv",
        "problems.csv",
        "claims.csv",
        "coverage.csv",
        "skipped.csv",
        "report.html",
    }
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_ignored_ctrl_c_stays_ignored_during_the_renames(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    real_replace = Path.replace

    def replace_then_interrupt(self: Path, target: Path) -> Path:
        done = real_replace(self, target)
        signal.raise_signal(signal.SIGINT)
        return done

    monkeypatch.setattr(Path, "replace", replace_then_interrupt)
    started_with = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        report.write_reports(result, tmp_path)  # nothing raised: the run was told to go on
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, started_with)
    assert (tmp_path / "report.html").is_file()


# ------------------------------------------------------------------ formats, earlier runs


@pytest.mark.parametrize("formats", ["csv,,json", "csv,", ",", " "])
def test_an_empty_format_name_is_a_one_line_error(
    west_mercia: Path, tmp_path: Path, formats: str
) -> None:
    out = tmp_path / "out"
    done = runner.invoke(app, ["check", str(west_mercia), "--out", str(out), "--format", formats])
    assert done.exit_code == 2
    assert done.stderr == (
        f"Error: --format {formats!r}: an empty format name; "
        "expected some of csv, json, jsonl, parquet, comma-separated\n"
    )
    assert not out.exists()  # refused before the check ran


def test_an_unknown_format_is_refused_before_the_check(tmp_path: Path) -> None:
    # No such input either: the format is what is said, so the check never began.
    missing = str(tmp_path / "no-such-feed")
    done = runner.invoke(app, ["check", missing, "--out", str(tmp_path), "--format", "csv,xls"])
    assert done.exit_code == 2
    assert done.stderr.startswith("Error: unknown output format xls;")


def test_switching_format_removes_the_earlier_run_s_files(
    result: CheckResult, tmp_path: Path
) -> None:
    report.write_reports(result, tmp_path, formats=["json", "jsonl"], graph=True)
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "claims.xml").write_text("mine too")
    written = report.write_reports(result, tmp_path, formats=["csv", "parquet"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in written] + ["notes.txt", "claims.xml"]
    )
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_folder_without_a_run_s_tables_keeps_its_files(
    result: CheckResult, tmp_path: Path
) -> None:
    # One table's name alone is not an earlier run's: someone's file, never removed.
    (tmp_path / "claims.json").write_text("[]")
    (tmp_path / "graph.graphml").write_text("<graphml/>")
    report.write_reports(result, tmp_path)
    assert (tmp_path / "claims.json").read_text() == "[]"
    assert (tmp_path / "graph.graphml").read_text() == "<graphml/>"


def test_a_failed_run_removes_nothing_of_the_earlier_one(
    result: CheckResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report.write_reports(result, tmp_path, formats=["json"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def disk_full(self: pl.DataFrame, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", disk_full)
    with pytest.raises(ConsistencyError, match="No space left on device"):
        report.write_reports(result, tmp_path, formats=["parquet"])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_the_cli_switching_format_leaves_only_this_run_s_tables(
    west_mercia: Path, tmp_path: Path
) -> None:
    command = ["check", str(west_mercia), "--out", str(tmp_path), "-q", "--format"]
    assert runner.invoke(app, [*command, "json"]).exit_code == 0
    assert runner.invoke(app, [*command, "csv"]).exit_code == 0
    assert not list(tmp_path.glob("*.json"))
    assert (tmp_path / "discrepancies.csv").exists()


# ------------------------------------------------------------------ the terminal summary


def _row(
    ident: str,
    severity: str = "medium",
    kind: str = "number_conflict",
    subject: str = "Kent Police",
    sources: tuple[str, str] = ("bbc", "itv"),
) -> Discrepancy:
    return Discrepancy(
        ident,
        kind,
        severity,  # type: ignore[arg-type]
        subject,
        *sources,
        "312",
        "321",
        "",
        "",
        None,
        None,
        None,
        "C1",
        "",
    )


def _worst(text: str) -> list[str]:
    return text.split("worst:\n", 1)[1].splitlines()


def test_the_summary_counts_one_in_the_singular() -> None:
    assert report.summary((_row("d1"),), 1, 1, 1).splitlines()[0] == (
        "1 source, 1 story, 1 claim, 1 discrepancy"
    )
    assert report.summary((), 2, 3, 2) == "2 sources, 2 stories, 3 claims, 0 discrepancies"


def test_the_summary_cuts_a_long_subject_with_an_ellipsis() -> None:
    subject = "West Midlands Regional Organised Crime Unit"
    (line,) = _worst(report.summary((_row("d1", subject=subject),), 2, 2, 1))
    assert f" {subject[: report.SUBJECT_WIDTH - 1]}… " in line
    assert subject[: report.SUBJECT_WIDTH] not in line


def test_the_summary_columns_line_up_whatever_the_source_ids() -> None:
    long_id = "tag-marchesgazette.example-2024-05-14-news-west-mercia-organised-crime"
    rows = (
        _row("d1", "high", "quote_altered", "Alex Murray", ("bbc", long_id)),
        _row("d2", "low", "omission", "West Mercia Police", ("a", "b")),
        _row("d3", "medium", "encoding_damage", "encoding", ("hits-radio", "")),
    )
    lines = _worst(report.summary(rows, 3, 9, 1))
    assert len({line.index(" 312 | 321") for line in lines}) == 1, "\n".join(lines)
    kinds = [
        line.index(kind)
        for line, kind in zip(lines, ["quote", "encoding", "omission"], strict=True)
    ]
    assert len(set(kinds)) == 1, "\n".join(lines)
    assert f"{long_id[: report.SOURCE_WIDTH - 1]}…:" in lines[0]


def test_the_summary_lists_new_rows_first_and_marks_them() -> None:
    rows = (_row("k1", "high"), _row("n1", "low"), _row("k2", "medium"), _row("n2", "medium"))
    lines = _worst(report.summary(rows, 2, 2, 1, known=frozenset({"k1", "k2"})))
    assert [line.split()[:2] for line in lines] == [
        ["medium", "new"],
        ["low", "new"],
        ["high", "known"],
        ["medium", "known"],
    ]


def test_the_gate_s_verdict_lists_every_failing_row_then_says_why() -> None:
    failing = [_row(f"n{i}", "medium", subject=f"subject {i}") for i in range(3)]
    lines = report.gate_failure(failing, "medium", baseline=True).splitlines()
    assert lines[0] == "new discrepancies at medium or above:"
    assert [f"subject {i}" in line for i, line in enumerate(lines[1:4])] == [True] * 3
    assert lines[-1] == "failed: 3 new discrepancies at medium or above"
    (one,) = [_row("n1", "high")]
    assert report.gate_failure([one], "high", baseline=False).splitlines()[-1] == (
        "failed: 1 discrepancy at high or above"
    )
    many = report.gate_failure(failing * 10, "medium", baseline=True, listed=20).splitlines()
    assert many[-2] == "  ... and 10 more in discrepancies.csv" and len(many) == 23


def _gated(west_mercia: Path, tmp_path: Path, *extra: str) -> tuple[Any, list[Discrepancy]]:
    """A check gated at low with a baseline knowing every other row: the new rows too."""
    full = pipeline.check([west_mercia])
    base = baseline.write(full.discrepancies[::2], tmp_path / "base.csv")
    new = list(full.discrepancies[1::2])
    command = ["check", str(west_mercia), "--out", str(tmp_path / "o"), "--fail-on", "low"]
    return runner.invoke(app, [*command, "--baseline", str(base), *extra]), new


def test_a_failed_gate_ends_with_why(west_mercia: Path, tmp_path: Path) -> None:
    done, new = _gated(west_mercia, tmp_path)
    assert done.exit_code == 1
    out = done.stdout.splitlines()
    assert out[-1] == f"failed: {len(new)} new discrepancies at low or above"
    listed = out[out.index("new discrepancies at low or above:") + 1 : -1]
    assert len(listed) == len(new)
    worst = out[out.index("worst:") + 1 : out.index("worst:") + 1 + len(new)]
    assert all(line.split()[1] == "new" for line in worst)


def test_a_quiet_failed_gate_says_why_on_stderr(west_mercia: Path, tmp_path: Path) -> None:
    done, new = _gated(west_mercia, tmp_path, "-q")
    assert done.exit_code == 1
    assert done.stdout == ""
    err = done.stderr.splitlines()
    assert err[-1] == f"failed: {len(new)} new discrepancies at low or above"
    for row in new:
        assert any(row.kind in line and row.source_a in line for line in err[1:-1])


# --- the report stage's fast paths give what the plain forms give ---------------------

_TEXT = st.text(alphabet=st.sampled_from("ab&<>\"' \t=é"), max_size=12)


@given(_TEXT)
def test_page_escape_is_html_escape(text: str) -> None:
    assert htmlreport._esc(text) == html.escape(text, quote=True)


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.integers(0, 9), st.sampled_from(["c-1", "c-2", ""])),
        unique_by=lambda t: (t[0], t[1]),
        max_size=20,
    )
)
def test_cluster_claims_orders_each_cluster_by_source_then_id(
    rows: list[tuple[str, int, str]],
) -> None:
    claims = [
        Claim(f"{source}:{n:02d}", source, "sentence", f"text {n}", 1, 0, 0, 1)
        for source, n, _ in rows
    ]
    cluster_of = {f"{source}:{n:02d}": cluster for source, n, cluster in rows if cluster}
    got = cluster_claims(claims, cluster_of)
    # What the writers did before: each cluster's ids from cluster_of, sorted.
    members: dict[str, list[str]] = {}
    for claim_id, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(claim_id)
    source_of = {c.claim_id: c.source for c in claims}
    want = {k: sorted(ids, key=lambda i: (source_of[i], i)) for k, ids in members.items()}
    assert {k: [c.claim_id for c in v] for k, v in got.items()} == want


def test_the_summary_names_the_largest_stories_of_several(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from consistency import check
    from consistency.cli import app

    root = Path(__file__).resolve().parent.parent / "fixtures"
    result = check([root], workers=1)
    largest = report.largest_stories(result)
    sizes = Counter(result.matching.story_of[a.source] for a in result.cleaned)
    assert len(largest) == report.LARGEST_STORIES
    assert [s.articles for s in largest] == sorted(sizes.values(), reverse=True)[:3]
    first = largest[0]
    assert first.articles == max(sizes.values()) > 1
    assert first.claims == sum(
        1 for c in result.claims if result.matching.story_of[c.source] == first.story
    )
    assert first.headline
    text = report.summary(result.discrepancies, 28, 769, len(sizes), largest=largest)
    lines = text.splitlines()
    assert lines[1] == "largest stories:"
    assert lines[2].startswith(
        f"  {first.story} {first.articles} articles, {first.claims} claims: "
    )
    assert lines[3].split()[1:3] == ["1", "article,"]
    # One story: nothing to rank.
    assert report.largest_stories(check([root / "west-mercia"], workers=1)) == []
    shown = CliRunner().invoke(app, ["check", str(root), "--out", str(tmp_path / "o")])
    assert f"largest stories:\n  {first.story} " in shown.output
    alone = CliRunner().invoke(app, ["check", str(root / "west-mercia"), "--out", str(tmp_path)])
    assert "largest stories" not in alone.output
