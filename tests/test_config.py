"""Settings files: discovery, validation (every problem at once), and their effect on a check."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import config, domain, pipeline
from consistency.cli import app
from consistency.config import Config, ConfigError

runner = CliRunner()

FIRE_A = """Brookfield Fire Service rated outstanding by fire watchdog

Brookfield Fire Service has been graded outstanding in its latest inspection by the Fire \
Standards Board, the board said on Tuesday.

Chief Fire Officer Jane Smith said: "I am proud of every firefighter in this service and the \
work they do."

Sponsored by Acme Widgets Ltd

The board inspected the service in March and found strong leadership across every station in \
the county.
"""
FIRE_A = FIRE_A.replace("Chief Fire Officer Jane", "Harbour Master Jane")
FIRE_B = FIRE_A.replace("Harbour Master Jane", "Station Commander Jane")

SETTINGS = """
ignore_sources = ["press-*"]

[severity]
rating_wording = "ignore"
speaker_title = { medium = "high" }

[thresholds]
claim_cutoff = 85

[titles]
roles = ["Harbour Master", "Station Commander"]
abbreviations = { "Stn Cdr" = "Station Commander" }

[aliases]
"Brookfield Fire and Rescue Service" = "Brookfield Fire Service"

[[boilerplate]]
name = "sponsor line"
pattern = 'sponsored by .*'
"""


@pytest.fixture
def fire_feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(FIRE_A)
    (feed / "b.txt").write_text(FIRE_B)
    return feed


def test_defaults_when_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert config.find() is None
    assert config.load() == Config()


def test_discovers_the_nearest_file_upwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.consistency]\nignore_sources = ["x"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert config.find() == tmp_path / "pyproject.toml"
    assert config.load().ignore_sources == ("x",)
    (tmp_path / "a" / "consistency.toml").write_text('ignore_sources = ["y"]\n')
    assert config.load().ignore_sources == ("y",)


def test_pyproject_without_our_table_is_not_a_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert config.find() is None


def test_every_problem_is_reported_at_once() -> None:
    bad = {
        "colour": "red",
        "severity": {"rating_conflcit": "low", "omission": "urgent", "quote_altered": {"x": "low"}},
        "thresholds": {"claim_cutoff": 120, "min_claim_words": 2.5, "speed": 1},
        "scales": {"fsb": {"name": "FSB", "grades": [{"official": "good"}]}},
        "boilerplate": [{"name": "x", "pattern": "(unclosed"}, {"name": "y", "pattern": ".*"}],
        "aliases": {"a": 3},
    }
    with pytest.raises(ConfigError) as caught:
        config.parse(bad, "consistency.toml")
    problems = caught.value.problems
    expected = [
        "unknown setting 'colour'",
        "severity.rating_conflcit: unknown kind",
        "severity.omission: 'urgent' is not one of",
        "severity.quote_altered.x: not a severity",
        "thresholds.claim_cutoff: 120 is out of range",
        "thresholds.min_claim_words: expected a whole number",
        "thresholds.speed: unknown threshold",
        "scales.fsb.grades: expected at least two",
        "boilerplate[1].pattern: not a valid regular expression",
        "boilerplate[2].pattern: matches an empty line",
        "aliases: expected a table",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)
    assert len(problems) == len(expected)
    assert str(caught.value).startswith(f"consistency.toml: {len(expected)} problems:")


@pytest.mark.parametrize("name", ["min_subject_share", "related_word_share"])
def test_a_share_above_one_is_refused(name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.parse({"thresholds": {name: 1.5}}, "consistency.toml")
    assert caught.value.problems == [f"thresholds.{name}: expected a share from 0 to 1, got 1.5"]
    settings = config.parse({"thresholds": {name: 1}}, "consistency.toml").match
    assert getattr(settings, name) == 1.0


def test_invalid_toml_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "consistency.toml"
    path.write_text("severity = [\n")
    with pytest.raises(ConfigError, match=r"consistency\.toml: not valid TOML") as caught:
        config.load(path)
    assert "\n" not in str(caught.value)


def test_settings_change_the_check(fire_feed: Path, tmp_path: Path) -> None:
    (fire_feed / "press-release.txt").write_text(FIRE_A.replace("outstanding", "inadequate"))
    plain = pipeline.check([fire_feed])
    assert {s.source for s in plain.cleaned} == {"a", "b", "press-release"}
    assert not any(d.kind == "speaker_title" for d in plain.discrepancies)
    assert any("Sponsored" in c.text for c in plain.claims)

    path = tmp_path / "consistency.toml"
    path.write_text(SETTINGS)
    settings = config.load(path)
    tuned = pipeline.check([fire_feed], config=settings)
    # Ignored sources are left out; added boilerplate is dropped; added titles are read.
    assert {s.source for s in tuned.cleaned} == {"a", "b"}
    assert not any("Sponsored" in c.text for c in tuned.claims)
    titles = [d for d in tuned.discrepancies if d.kind == "speaker_title"]
    assert [(d.value_a, d.value_b, d.severity) for d in titles] == [
        ("Harbour Master", "Station Commander", "high")
    ]
    assert tuned.config is settings
    # The additions do not outlive the check.
    assert first_title("Station Commander Jane Smith") == "Commander"
    assert pipeline.check([fire_feed]).discrepancies == plain.discrepancies


def first_title(text: str) -> str:
    found = re.search(domain.titles().title_re, text)
    return found.group() if found else ""


def test_configured_tables_are_merged_and_restored() -> None:
    before = domain.table("titles.toml")
    additions = {"titles.toml": {"roles": ["Station Commander"], "abbreviations": {"SC": "x"}}}
    with domain.configured(additions):
        inside = domain.table("titles.toml")
        assert inside["roles"] == [*before["roles"], "Station Commander"]
        assert inside["abbreviations"]["SC"] == "x"
        assert first_title("said Station Commander Jo Bloggs") == "Station Commander"
    assert domain.table("titles.toml") == before
    assert first_title("said Station Commander Jo Bloggs") == "Commander"


def test_a_scale_given_whole_replaces_the_bundled_one() -> None:
    grades = [{"official": "great", "variants": []}, {"official": "poor", "variants": []}]
    settings = config.parse(
        {"scales": {"ofsted": {"name": "Ofsted", "cues": [], "grades": grades}}}
    )
    with domain.configured(settings.tables):
        scales = domain.scales()
        assert [g.official for g in scales.wordings["great"]] == ["great"]
        assert "ofsted" not in {g.scale for g in scales.wordings.get("requires improvement", ())}


def test_severity_ignore_drops_rows_and_order_is_kept(west_mercia: Path) -> None:
    plain = pipeline.check([west_mercia])
    settings = config.parse({"severity": {"rating_wording": "ignore", "omission": "high"}})
    tuned = pipeline.check([west_mercia], config=settings)
    assert not any(d.kind == "rating_wording" for d in tuned.discrepancies)
    omissions = [d for d in tuned.discrepancies if d.kind == "omission"]
    assert omissions and all(d.severity == "high" for d in omissions)
    assert {d.id for d in tuned.discrepancies} == {
        d.id for d in plain.discrepancies if d.kind != "rating_wording"
    }
    ranks = [{"high": 0, "medium": 1, "low": 2}[d.severity] for d in tuned.discrepancies]
    assert ranks == sorted(ranks)


def test_ignoring_every_source_is_an_error(fire_feed: Path) -> None:
    settings = config.parse({"ignore_sources": ["*"]}, "consistency.toml")
    with pytest.raises(Exception, match="ignore_sources leaves out every article"):
        pipeline.check([fire_feed], config=settings)


def test_thresholds_reach_the_matcher() -> None:
    settings = config.parse({"thresholds": {"claim_cutoff": 91, "related_cutoff": 60}})
    assert settings.match.claim_cutoff == 91.0
    assert settings.match.related_cutoff == 60.0
    with pytest.raises(ConfigError, match="related_cutoff must not exceed"):
        config.parse({"thresholds": {"claim_cutoff": 50, "related_cutoff": 60}})


def test_cli_config_show_prints_the_effective_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "consistency.toml").write_text(SETTINGS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["config", "--show"])
    assert result.exit_code == 0, result.output
    shown = tomllib.loads(result.output)
    assert shown["source"].endswith("consistency.toml")
    assert shown["thresholds"]["claim_cutoff"] == 85.0
    assert shown["severity"]["speaker_title"] == {"medium": "high"}
    assert "Station Commander" in shown["titles"]["roles"]
    assert "Chief Constable" in shown["titles"]["roles"]  # bundled ones too
    assert {"name": "sponsor line", "pattern": "sponsored by .*"} in shown["boilerplate"]
    assert shown["aliases"]["brookfield fire and rescue service"] == "brookfield fire service"


def test_cli_reports_a_bad_config_and_exits_2(tmp_path: Path, fire_feed: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('colour = "red"\n[severity]\nomission = "urgent"\n')
    for args in (
        ["config", "--config", str(bad)],
        ["check", str(fire_feed), "--out", str(tmp_path / "out"), "--config", str(bad)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "2 problems" in result.output and "urgent" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_readme_example_is_valid() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("### Configuration") :]
    example = section[section.index("```toml") + len("```toml") : section.index("```\n", 10)]
    settings = config.parse(tomllib.loads(example), "README.md")
    assert settings.ignores("press-release-12") and not settings.ignores("bbc")
    assert settings.match.claim_cutoff == 85
    assert "fsb" in settings.tables["scales.toml"]["scales"]
