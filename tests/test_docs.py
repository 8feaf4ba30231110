"""README.md against the code: what README restates (thresholds and their defaults, the
command line, the settings keys, the files and columns written, limits and exit codes)
must be what the code does. Each test names the drift it finds and, where README holds
a list or table, prints the text it expects.

Checks rather than generated text: README's sections mix these facts with prose a user
needs, and a failing test that says what to write keeps one source of truth (the code)
without a generator to run. The kinds table is left to the kind registry's own test.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import tomllib
from pathlib import Path
from typing import Any, get_args

import pytest
import typer.main
from typer.testing import CliRunner

import consistency
from consistency import (
    baseline,
    clean,
    cli,
    config,
    fetch,
    htmlreport,
    ingest,
    models,
    pipeline,
    report,
)
from consistency.detectors import quotes
from consistency.settings import MatchSettings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
FIXTURE = ROOT / "fixtures" / "west-mercia"


def flat(text: str) -> str:
    """White space as single spaces, so a phrase matches across README's line wraps."""
    return " ".join(text.split())


def section(heading: str) -> str:
    """README from `heading` (a whole heading line) to the next heading of its level or
    above."""
    level = len(heading) - len(heading.lstrip("#"))
    start = README.index(f"\n{heading}\n") + 1
    ends = re.compile(rf"^#{{1,{level}}} ", re.M)
    after = ends.search(README, start + len(heading))
    return README[start : after.start() if after else len(README)]


def code_blocks(text: str, language: str = "") -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def bullet(heading: str, start: str) -> str:
    """The list item of a section that starts with `start`."""
    return next(b for b in section(heading).split("\n- ") if b.startswith(start))


def backticked(text: str) -> list[str]:
    """Inline code spans, outside fenced blocks."""
    return re.findall(r"`([^`]+)`", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))


# ------------------------------------------------------------------ thresholds


def test_the_thresholds_table_is_match_settings_with_its_defaults() -> None:
    """Configuration's `[thresholds]` table: every key config.py accepts (the fields of
    MatchSettings but `blocking`), in field order, with the current default."""
    table = section("### Configuration")
    documented = re.findall(r"^\s*\| `(\w+)` \| ([\d.]+) \|", table, re.M)
    defaults = MatchSettings()
    expected = [(name, getattr(defaults, name)) for name in config._MATCH_FIELDS]
    assert [(name, float(value)) for name, value in documented] == expected, (
        "README's [thresholds] table should list, in this order:\n"
        + "\n".join(f"  | `{name}` | {value:g} | ... |" for name, value in expected)
    )
    assert set(config._MATCH_FIELDS) <= {f.name for f in dataclasses.fields(MatchSettings)}


def test_the_example_settings_give_the_right_defaults() -> None:
    """`claim_cutoff = 85  # ... (default 80)` in the example file."""
    (example,) = code_blocks(section("### Configuration"), "toml")
    said = re.findall(r"^(\w+) = .*\(default ([\d.]+)\)", example, re.M)
    assert said, "no (default N) comment in the example settings file"
    for name, value in said:
        assert float(value) == getattr(MatchSettings(), name), f"{name}: default is not {value}"


def _number(text: str) -> float:
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "half": 0.5}
    return float(words.get(text, text.replace(",", "")))


FIGURES: list[tuple[str, Any]] = [
    # Matching choices
    (r"Cut-off: (\d+) \(`claim_cutoff`\)", MatchSettings().claim_cutoff),
    (r"claims under (\d+) words \(`min_claim_words`\)", MatchSettings().min_claim_words),
    (r"a (\w+)-word shingle \(`shingle_words`\)", MatchSettings().shingle_words),
    (r"at most (\d+) articles \(`max_shingle_articles`\)", MatchSettings().max_shingle_articles),
    (
        r"at most (\d+) claims of any one article \(`max_shingle_claims`",
        MatchSettings().max_shingle_claims,
    ),
    (r"linked by (\d+) matched claims \(`min_shared_claims`\)", MatchSettings().min_shared_claims),
    (r"one of (\d+)\+ words \(`long_claim_words`\)", MatchSettings().long_claim_words),
    (r"one of (\d+)\+ words \(`entity_claim_words`\)", MatchSettings().entity_claim_words),
    (
        r"at least (\d+) of the same people and organisations \(`min_shared_entities`",
        MatchSettings().min_shared_entities,
    ),
    (r"\(`story_link_fraction` ([\d.]+)\)", MatchSettings().story_link_fraction),
    (r"only runs of (\d+)\+ shared words count", quotes.MIN_RUN_WORDS),
    # Guarantees
    (
        r"claims over ([\d,]+) characters are not matched \(`max_claim_chars`\)",
        MatchSettings().max_claim_chars,
    ),
    (r"quotations over ([\d,]+) not compared", quotes.MAX_QUOTE_CHARS),
    (
        r"in more than (\d+) claims \(its own template\) makes no match candidates "
        r"\(`max_shingle_claims`\)",
        MatchSettings().max_shingle_claims,
    ),
    (r"compared with at most (\d+) quotations of its story", quotes.MAX_PARTNERS),
    (r"a word found in more than (\d+) of a story's quotations", quotes.MAX_WORD_QUOTES),
    (r"a line of (\d+) characters or more is copy", clean.FURNITURE_MAX),
    # Inputs
    (r"files over the size limit: (\d+) MB for a text", ingest.MAX_ARTICLE_BYTES / 2**20),
    (r"(\d+) MB for a JSON, JSON Lines,\s+Parquet or feed file", ingest.MAX_FEED_BYTES / 2**20),
    (r"ids over (\d+) characters are cut", ingest.MAX_ID_CHARS),
    (r"at most (\d+) s for a page from", fetch.TIMEOUT_SECONDS),
    (r"at most (\d+) redirects", fetch.MAX_REDIRECTS),
    (r"at most (\d+) MB of HTML", fetch.MAX_PAGE_BYTES / 2**20),
    # The command line
    (r"every core for feeds of (\d+) articles or more", pipeline.PARALLEL_FROM),
    # report.html
    (r"A story of more than (\d+) sources lists", htmlreport.MATRIX_SOURCES_UP_TO),
    (r"On feeds of more than ([\d,]+) claim clusters", htmlreport.COVERAGE_ALL_UP_TO),
]


@pytest.mark.parametrize(("phrase", "value"), FIGURES, ids=[p for p, _ in FIGURES])
def test_a_figure_readme_gives_is_the_code_s(phrase: str, value: float) -> None:
    found = re.findall(phrase, flat(README))
    assert found, f"README no longer says /{phrase}/: reword this test with it"
    for said in found:
        assert _number(said) == value, f"README says {said} in /{phrase}/; the code has {value:g}"


# ------------------------------------------------------------------ command line

COMMANDS = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]


def _options(command: str) -> dict[str, Any]:
    """Long option name -> the option, for one command (typer's --help left out)."""
    return {
        opt: p
        for p in COMMANDS[command].params
        if hasattr(p, "is_flag")
        for opt in p.opts
        if opt.startswith("--")
    }


def _synopsis() -> dict[str, list[str]]:
    """Each command's synopsis line from "The command line", continuation lines joined,
    as tokens after `consistency COMMAND`."""
    block = code_blocks(section("## The command line"))[0]
    lines: list[str] = []
    for line in block.splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += line
        else:
            lines.append(line)
    out = {}
    for line in lines:
        _, command, *tokens = line.split()
        out[command] = [t.strip("[]") for t in tokens]
    return out


def test_the_synopsis_names_every_command() -> None:
    assert set(_synopsis()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_synopsis_shows_each_option_the_command_has(command: str) -> None:
    tokens = _synopsis()[command]
    declared = _options(command)
    shown = [t for t in tokens if t.startswith("--")]
    assert sorted(shown) == sorted(declared), (
        f"consistency {command}: README shows {sorted(shown)}, the command has {sorted(declared)}"
    )
    for k, token in enumerate(tokens):
        if token.startswith("--"):
            takes = k + 1 < len(tokens) and not tokens[k + 1].startswith("--")
            flag = declared[token].is_flag
            assert takes != flag, f"consistency {command} {token}: a value shown for a flag or none"
    arguments = [p for p in COMMANDS[command].params if not hasattr(p, "is_flag")]
    positional = [t for t in tokens[: len(arguments)]]
    assert len(positional) == len(arguments) and not any(t.startswith("-") for t in positional)
    for argument, token in zip(arguments, positional, strict=True):
        assert token.endswith("...") == (argument.nargs == -1), f"{command} {token}"


def test_the_synopsis_lists_the_choices_the_options_take() -> None:
    tokens = _synopsis()["check"]
    assert tokens[tokens.index("--fail-on") + 1].split("|") == [s.value for s in cli.FailOn]
    assert tokens[tokens.index("--format") + 1].split(",") == list(report.TABLE_FORMATS)
    formats = bullet("## The command line", "`--format`")
    said = [name for name in backticked(formats) if re.fullmatch(r"[a-z]+", name)]
    assert said == list(report.TABLE_FORMATS), f"--format: {', '.join(report.TABLE_FORMATS)}"


def test_short_options_are_named_with_their_long_ones() -> None:
    text = flat(section("## The command line"))
    for command in COMMANDS:
        for p in COMMANDS[command].params:
            shorts = [o for o in getattr(p, "opts", []) if re.fullmatch(r"-\w", o)]
            longs = [o for o in p.opts if o.startswith("--")]
            for short in shorts:
                assert re.search(rf"`{short}` is short for [^;]*`{longs[0]}`", text), (
                    f"README should say `{short}` is short for `{longs[0]}` ({command})"
                )


def test_defaults_readme_gives_for_options() -> None:
    output = next(p for p in COMMANDS["baseline"].params if p.name == "output")
    assert f"by default `{output.default}`" in flat(section("## The command line"))


def _invocations() -> list[tuple[str, list[str]]]:
    """Every `consistency COMMAND ...` README shows, inline or in a shell block."""
    found = [span for span in backticked(README) if span.startswith("consistency ")]
    for block in code_blocks(README, "sh"):
        found += [line.split("#")[0] for line in block.splitlines() if "consistency " in line]
    out = []
    for text in found:
        text = text[text.index("consistency ") :]
        words = text.split()
        if len(words) > 1 and words[1] in COMMANDS:
            out.append((words[1], words[2:]))
    return out


def test_every_option_readme_uses_exists() -> None:
    invocations = _invocations()
    assert len(invocations) > 5
    for command, words in invocations:
        declared = {o for p in COMMANDS[command].params for o in p.opts}
        for word in words:
            if word.startswith("-"):
                assert word in declared, f"README runs `consistency {command} {word}`: no option"
    every = {o for command in COMMANDS for p in COMMANDS[command].params for o in p.opts}
    every |= {o for p in typer.main.get_command(cli.app).params for o in p.opts}  # --version
    for heading in ("## The command line", "## Output", "## Guarantees"):
        for name in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", section(heading)):
            assert name in every, f"README's {heading!r} names {name}: no command has it"


def test_exit_codes() -> None:
    said = re.search(
        r"Exit codes: `(\d)` done; `(\d)` when `--fail-on SEVERITY` is given.*?; "
        r"`(\d)` for bad usage",
        flat(README),
    )
    assert said, "README no longer states the exit codes as this test reads them"
    assert [int(c) for c in said.groups()] == [0, cli.EXIT_FINDINGS, cli.EXIT_BAD_INPUT]


# ------------------------------------------------------------------ settings keys

# Tables whose keys the user chooses (kinds, names) or that a test above covers.
_LEAVES = {"severity", "aliases", "thresholds", "titles.abbreviations"}
_CHOSEN_KEYS = {"scales"}


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    if prefix in _LEAVES or not isinstance(value, dict | list):
        return {prefix}
    if isinstance(value, list):
        tables = [v for v in value if isinstance(v, dict)]
        return set().union(*(_key_paths(v, prefix + "[]") for v in tables)) if tables else {prefix}
    paths: set[str] = set()
    for key, item in value.items():
        name = "*" if prefix in _CHOSEN_KEYS else key
        paths |= _key_paths(item, f"{prefix}.{name}" if prefix else name)
    return paths


def test_the_settings_readme_documents_are_those_config_accepts() -> None:
    """The example settings file uses every key config.py accepts, and nothing else."""
    (example,) = code_blocks(section("### Configuration"), "toml")
    documented = tomllib.loads(example)
    config.parse(documented, "README.md")  # unknown keys would be errors
    accepted = config.effective(config.Config())
    accepted.pop("source")  # what --show says about where settings came from
    assert _key_paths(documented) == _key_paths(accepted), (
        "README's example settings should use exactly: " + ", ".join(sorted(_key_paths(accepted)))
    )
    with pytest.raises(config.ConfigError, match="unknown setting"):
        config.parse({"no_such_setting": 1})


# ------------------------------------------------------------------ output


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], list[str]]:
    """The README's first command, run: its output, and the files a check writes without
    and with --graph."""
    folder = tmp_path_factory.mktemp("readme")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(cli.app, ["check", str(FIXTURE), "--out", "out/"])
        assert result.exit_code == 0, result.output
        graph = CliRunner().invoke(
            cli.app, ["check", str(FIXTURE), "--out", "graph", "--graph", "-q"]
        )
        assert graph.exit_code == 0, graph.output
    plain = sorted(p.name for p in (folder / "out").iterdir())
    with_graph = sorted(p.name for p in (folder / "graph").iterdir())
    return result.output, plain, with_graph


def test_the_first_command_prints_what_readme_shows(run: tuple[str, list[str], list[str]]) -> None:
    """README's output of `consistency check fixtures/west-mercia --out out/`, with the
    rows after `  ...` left out."""
    shown = section("## Two commands")
    block = code_blocks(shown[shown.index("The first command prints") :])[0].splitlines()
    printed = run[0].splitlines()
    cut = block.index("  ...")
    assert block[:cut] == printed[:cut], "README's sample output is not what check prints"
    assert block[cut + 1 :] == printed[-len(block[cut + 1 :]) :]


def test_the_files_readme_says_check_writes(run: tuple[str, list[str], list[str]]) -> None:
    _, plain, with_graph = run
    writes = bullet("## The command line", "`check`")
    said = re.findall(r"`DIR/([^`]+)`", writes)
    graph_only = sorted(set(with_graph) - set(plain))
    assert sorted(said) == sorted([*plain, *graph_only])
    assert re.search(rf"`--graph` also writes `DIR/{graph_only[0]}`", flat(writes))
    headings = re.findall(r"^### ([\w.]+\.\w+)", section("## Output"), re.M)
    assert sorted(headings) == with_graph, "## Output should have a section per file written"


def _columns(span: str) -> list[str]:
    return [c.strip() for c in span.split(",")]


def test_the_columns_readme_lists_are_those_written() -> None:
    table = section("### discrepancies.csv (a contract)")
    rows = re.findall(r"^\| (`.*?`) \|", table, re.M)
    said = [name for row in rows for name in backticked(row)]
    assert said == list(report.DISCREPANCY_COLUMNS), "discrepancies.csv columns: " + ", ".join(
        report.DISCREPANCY_COLUMNS
    )
    problems = re.findall(r"^\| (`.*?`) \|", section("### problems.csv"), re.M)
    said = [name for row in problems for name in backticked(row)]
    assert said == list(report.PROBLEM_COLUMNS), "problems.csv columns: " + ", ".join(
        report.PROBLEM_COLUMNS
    )
    lists = {
        "claims.csv": report.CLAIM_COLUMNS,
        "coverage.csv": report.COVERAGE_COLUMNS,
        "skipped.csv": report.SKIPPED_COLUMNS,
    }
    for name, columns in lists.items():
        expected = ", ".join(columns)
        assert f"`{expected}`" in flat(section(f"### {name}")), f"{name}: `{expected}`"
    assert "`" + ", ".join(baseline.BASELINE_COLUMNS) + "`" in flat(README)
    kinds = re.search(r"`kind` is (.*?)\. `speaker`", flat(section("### claims.csv")))
    assert kinds and set(backticked(kinds.group(1))) == set(get_args(models.ClaimKind))


def test_inputs_readme_lists_are_those_read() -> None:
    path = bullet("## The command line", "`PATH`")
    suffixes = {s for span in backticked(path) for s in span.split("/") if s.startswith(".")}
    assert suffixes == set(ingest.SUFFIXES)
    keys = re.search(r"Keys (`id`.*?); any other key", flat(section("### Inputs")))
    assert keys and tuple(backticked(keys.group(1))) == models.METADATA_KEYS


def test_python_version() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    version = pyproject["project"]["requires-python"].removeprefix(">=")
    assert f"Python {version} or newer" in README


def test_the_license_is_an_spdx_expression() -> None:
    # The table form ({ text = "MIT" }) is deprecated by setuptools (PEP 639).
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    assert "setuptools>=77" in pyproject["build-system"]["requires"]  # reads the string form


def test_ci_runs_readme_s_two_commands_with_the_pip_a_venv_ships() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    commands = [
        line
        for block in code_blocks(section("## Two commands"), "sh")
        for line in block.splitlines()
    ]
    assert len(commands) == 2
    for command in commands:
        assert command in ci.splitlines(), f".ci/run does not run README's {command!r}"
    steps = [line for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert not any("pip" in line and "upgrade" in line for line in steps)


def test_every_data_file_is_named() -> None:
    for data in sorted((ROOT / "consistency" / "data").glob("*.toml")):
        assert data.name in README, f"README does not mention consistency/data/{data.name}"


_FILE_NAME = re.compile(r"\.(?:csv|toml|html?|graphml|md|json|jsonl|parquet|txt|xml|py)$")


def test_every_module_attribute_readme_names_exists() -> None:
    """`clean.canonical_text`, `match.match_claims`: what README points a reader to."""
    modules = {m.name for m in pkgutil.iter_modules(consistency.__path__)}
    names = re.findall(r"`((?:consistency\.)?[a-z_]+(?:\.[A-Za-z_]\w*)+)", README)
    checked = 0
    for name in sorted(set(names)):
        parts = name.removeprefix("consistency.").split(".")
        if parts[0] not in modules or _FILE_NAME.search(name):
            continue
        target: Any = importlib.import_module(f"consistency.{parts[0]}")
        for part in parts[1:]:
            if hasattr(target, part):
                target = getattr(target, part)
                continue
            try:
                target = importlib.import_module(f"{target.__name__}.{part}")
            except ImportError:
                pytest.fail(f"README names `{name}`: {target.__name__} has no {part}")
        checked += 1
    assert checked > 10
