"""A project's settings: `consistency.toml`, or `[tool.consistency]` in pyproject.toml.

What a newsroom tunes without touching code: extra grading scales, titles and
organisation aliases, boilerplate lines, the matching thresholds, a severity per
kind, and sources to leave out. Everything is validated before a check starts, and
every problem is reported at once (a config is fixed in one edit, not ten runs).

The domain additions are merged into the bundled tables of `consistency/data/` by
`domain.configured`; the rest is applied by the pipeline. `effective()` is what
`consistency config --show` prints.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from . import domain
from .detectors import KIND_NAMES
from .errors import ConsistencyError
from .models import SEVERITY_RANK, Discrepancy, Severity
from .settings import MatchSettings

FILE_NAME = "consistency.toml"
PYPROJECT = "pyproject.toml"
IGNORE: Literal["ignore"] = "ignore"
"""A severity override that drops a kind's rows altogether."""
Override = Severity | Literal["ignore"]
"""The severity a kind's rows are reported at, or IGNORE."""


class ConfigError(ConsistencyError):
    """A configuration file cannot be read or is invalid; lists every problem."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        if len(problems) == 1:
            message = f"{path}: {problems[0]}"
        else:
            message = f"{path}: {len(problems)} problems:\n" + "\n".join(
                f"  - {p}" for p in problems
            )
        super().__init__(message)


_MATCH_FIELDS = {f.name: f for f in dataclasses.fields(MatchSettings) if f.name != "blocking"}
_SEVERITIES = (*SEVERITY_RANK, IGNORE)


@dataclass(frozen=True)
class Config:
    """The settings of one project; `Config()` is the bundled defaults."""

    path: str = ""
    """Where the settings were read from ("" for the defaults)."""
    match: MatchSettings = field(default_factory=MatchSettings)
    severity: Mapping[str, Mapping[str, Override]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """kind -> (severity as detected -> severity reported, or IGNORE)."""
    ignore_sources: tuple[str, ...] = ()
    """Shell-style patterns of source ids left out of the check ("press-release-*")."""
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    """Additions to the bundled data files, by file name (see domain.configured)."""

    def ignores(self, source: str) -> bool:
        return any(fnmatch.fnmatchcase(source, pattern) for pattern in self.ignore_sources)

    def apply_severity(self, rows: tuple[Discrepancy, ...]) -> tuple[Discrepancy, ...]:
        """Rows with their severities overridden (IGNORE drops them). The order is
        the caller's to restore: a changed severity moves a row."""
        if not self.severity:
            return rows
        kept = []
        for row in rows:
            wanted = self.severity.get(row.kind, {}).get(row.severity, row.severity)
            if wanted == IGNORE:
                continue
            kept.append(
                row if wanted == row.severity else dataclasses.replace(row, severity=wanted)
            )
        return tuple(kept)


def find(start: Path | None = None) -> Path | None:
    """The nearest consistency.toml, or pyproject.toml with a [tool.consistency]
    table, in `start` (default: the working directory) or a folder above it."""
    folder = (start or Path.cwd()).resolve()
    for place in (folder, *folder.parents):
        own = place / FILE_NAME
        if own.is_file():
            return own
        pyproject = place / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken pyproject.toml that is not ours to read is not our error.
        return False
    return isinstance(data.get("tool", {}).get("consistency"), dict)


def load(path: str | Path | None = None, discover: bool = True) -> Config:
    """The configuration in `path`; without one, the nearest found (see `find`) when
    `discover`, else the defaults."""
    if path is None:
        found = find() if discover else None
        if found is None:
            return Config()
        path = found
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise ConfigError(str(path), [f"cannot read: {why}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("consistency", {})
        where = f"{path} [tool.consistency]"
    else:
        where = str(path)
    return parse(data, where)


def parse(data: Mapping[str, Any], where: str = FILE_NAME) -> Config:
    """Validate settings already read from TOML; raise ConfigError listing every problem."""
    problems: list[str] = []
    known = {"ignore_sources", "severity", "thresholds", "scales", "titles", "aliases"}
    known.add("boilerplate")
    for key in sorted(set(data) - known):
        problems.append(f"unknown setting {key!r} (expected one of {', '.join(sorted(known))})")
    ignore = _string_list(data.get("ignore_sources", []), "ignore_sources", problems)
    severity = _severity(data.get("severity", {}), problems)
    match = _thresholds(data.get("thresholds", {}), problems)
    tables: dict[str, dict[str, Any]] = {}
    scales = _scales(data.get("scales", {}), problems)
    if scales:
        tables["scales.toml"] = {"scales": scales}
    titles = _titles(data.get("titles", {}), problems)
    if titles:
        tables["titles.toml"] = titles
    aliases = _aliases(data.get("aliases", {}), problems)
    if aliases:
        tables["organisations.toml"] = {"aliases": aliases}
    lines = _boilerplate(data.get("boilerplate", []), problems)
    if lines:
        tables["boilerplate.toml"] = {"line": lines}
    if problems:
        raise ConfigError(where, problems)
    return Config(
        path=where,
        match=match,
        severity=MappingProxyType({k: MappingProxyType(v) for k, v in severity.items()}),
        ignore_sources=tuple(ignore),
        tables=MappingProxyType(tables),
    )


def _string_list(value: Any, where: str, problems: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}: expected a list of non-empty strings")
        return []
    return [v.strip() for v in value]


def _severity(value: Any, problems: list[str]) -> dict[str, dict[str, Override]]:
    """`kind = "medium"` (every row of the kind) or `kind = { low = "medium" }` (rows
    detected at one severity)."""
    if not isinstance(value, dict):
        problems.append("severity: expected a table of kind = severity")
        return {}
    choices = ", ".join(_SEVERITIES)
    found: dict[str, dict[str, Override]] = {}
    for kind, wanted in value.items():
        where = f"severity.{kind}"
        if kind not in KIND_NAMES:
            problems.append(f"{where}: unknown kind (expected one of {', '.join(KIND_NAMES)})")
            continue
        if isinstance(wanted, str):
            if wanted not in _SEVERITIES:
                problems.append(f"{where}: {wanted!r} is not one of {choices}")
                continue
            wanted = dict.fromkeys(SEVERITY_RANK, wanted)
        elif not isinstance(wanted, dict):
            problems.append(f"{where}: expected a severity ({choices}) or a table of them")
            continue
        mapping = {}
        for detected, reported in wanted.items():
            if detected not in SEVERITY_RANK:
                problems.append(f"{where}.{detected}: not a severity (high, medium, low)")
            elif reported not in _SEVERITIES:
                problems.append(f"{where}: {reported!r} is not one of {choices}")
            else:
                mapping[detected] = reported
        found[kind] = mapping
    return found


def _thresholds(value: Any, problems: list[str]) -> MatchSettings:
    if not isinstance(value, dict):
        problems.append("thresholds: expected a table")
        return MatchSettings()
    given: dict[str, Any] = {}
    for name, number in value.items():
        where = f"thresholds.{name}"
        setting = _MATCH_FIELDS.get(name)
        if setting is None:
            problems.append(
                f"{where}: unknown threshold (expected one of {', '.join(_MATCH_FIELDS)})"
            )
            continue
        integral = setting.type in ("int", int)
        if isinstance(number, bool) or not isinstance(number, int | float):
            problems.append(f"{where}: expected a number, got {number!r}")
        elif integral and not isinstance(number, int):
            problems.append(f"{where}: expected a whole number, got {number!r}")
        elif number < 0 or (name.endswith("_cutoff") and number > 100):
            problems.append(f"{where}: {number!r} is out of range")
        elif name == "story_link_fraction" and not 0 < number <= 1:
            problems.append(f"{where}: expected a fraction above 0 and at most 1, got {number!r}")
        elif name.endswith("_share") and number > 1:
            problems.append(f"{where}: expected a share from 0 to 1, got {number!r}")
        else:
            given[name] = number if integral else float(number)
    settings = dataclasses.replace(MatchSettings(), **given)
    if settings.related_cutoff > settings.claim_cutoff:
        problems.append("thresholds: related_cutoff must not exceed claim_cutoff")
    if settings.shingle_words < 1 or settings.min_claim_words < 1:
        problems.append("thresholds: shingle_words and min_claim_words must be at least 1")
    return settings


def _scales(value: Any, problems: list[str]) -> dict[str, Any]:
    """`[scales.KEY]` with name, cues and grades (best first), as in data/scales.toml.
    A key the bundled table has replaces its scale; a new key adds one."""
    if not isinstance(value, dict):
        problems.append("scales: expected tables [scales.KEY]")
        return {}
    found: dict[str, Any] = {}
    for key, scale in value.items():
        where = f"scales.{key}"
        if not isinstance(scale, dict):
            problems.append(f"{where}: expected a table with name, cues and grades")
            continue
        for unknown in sorted(set(scale) - {"name", "cues", "grades"}):
            problems.append(f"{where}: unknown setting {unknown!r}")
        before = len(problems)
        name = scale.get("name", key)
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}.name: expected a non-empty string")
        cues = _string_list(scale.get("cues", []), f"{where}.cues", problems)
        grades = scale.get("grades")
        if not isinstance(grades, list) or len(grades) < 2:
            problems.append(f"{where}.grades: expected at least two [[{where}.grades]] tables")
            grades = []
        clean_grades = []
        for number, grade in enumerate(grades, start=1):
            here = f"{where}.grades[{number}]"
            if not isinstance(grade, dict) or not isinstance(grade.get("official"), str):
                problems.append(f'{here}: expected official = "..." and variants = [...]')
                continue
            for unknown in sorted(set(grade) - {"official", "variants"}):
                problems.append(f"{here}: unknown setting {unknown!r}")
            variants = _string_list(grade.get("variants", []), f"{here}.variants", problems)
            clean_grades.append({"official": grade["official"].strip(), "variants": variants})
        if len(problems) == before:
            found[key] = {"name": name, "cues": cues, "grades": clean_grades}
    return found


_TITLE_LISTS = ("roles", "courtesy", "honorifics", "tenure")


def _titles(value: Any, problems: list[str]) -> dict[str, Any]:
    """Lists added to titles.toml's (roles, courtesy, honorifics, tenure) and
    abbreviations (short = "spelled out") added to its table."""
    if not isinstance(value, dict):
        problems.append("titles: expected a table")
        return {}
    found: dict[str, Any] = {}
    for key in sorted(set(value) - {*_TITLE_LISTS, "abbreviations"}):
        problems.append(f"titles: unknown setting {key!r}")
    for key in _TITLE_LISTS:
        if key in value:
            found[key] = _string_list(value[key], f"titles.{key}", problems)
    if "abbreviations" in value:
        table = _string_table(value["abbreviations"], "titles.abbreviations", problems)
        found["abbreviations"] = table
    return found


def _aliases(value: Any, problems: list[str]) -> dict[str, str]:
    """Organisation aliases, name = "the name it is also written as": compared
    case-blind, like the bundled ones."""
    table = _string_table(value, "aliases", problems)
    return {k.lower(): v.lower() for k, v in table.items()}


def _string_table(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and v.strip() and k.strip() for k, v in value.items()
    ):
        problems.append(f'{where}: expected a table of "name" = "name" strings')
        return {}
    return {k.strip(): v.strip() for k, v in value.items()}


def _boilerplate(value: Any, problems: list[str]) -> list[dict[str, str]]:
    """`[[boilerplate]]` name and pattern: a regex that a whole line of furniture matches
    (case-blind), as in data/boilerplate.toml."""
    if not isinstance(value, list):
        problems.append("boilerplate: expected [[boilerplate]] tables with name and pattern")
        return []
    lines = []
    for number, entry in enumerate(value, start=1):
        where = f"boilerplate[{number}]"
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) and entry[k].strip() for k in ("name", "pattern")
        ):
            problems.append(f"{where}: expected name = \"...\" and pattern = '...'")
            continue
        for unknown in sorted(set(entry) - {"name", "pattern"}):
            problems.append(f"{where}: unknown setting {unknown!r}")
        try:
            compiled = re.compile(entry["pattern"], re.IGNORECASE)
        except re.error as exc:
            problems.append(f"{where}.pattern: not a valid regular expression: {exc}")
            continue
        if compiled.fullmatch(""):
            problems.append(f"{where}.pattern: matches an empty line, so it would match anything")
            continue
        lines.append({"name": entry["name"], "pattern": entry["pattern"]})
    return lines


def effective(config: Config) -> dict[str, Any]:
    """Every setting a check with `config` uses, bundled tables merged, as TOML data."""
    with domain.configured(config.tables):
        tables = {name: domain.table(name) for name in domain.CONFIGURABLE}
    # Only the overrides: every other kind keeps the severity its detector gives.
    severity = {kind: dict(levels) for kind, levels in config.severity.items()}
    return {
        "source": config.path or "(defaults: no consistency.toml or [tool.consistency] found)",
        "ignore_sources": list(config.ignore_sources),
        "severity": severity,
        "thresholds": {name: getattr(config.match, name) for name in _MATCH_FIELDS},
        "scales": tables["scales.toml"]["scales"],
        "titles": {k: tables["titles.toml"][k] for k in (*_TITLE_LISTS, "abbreviations")},
        "aliases": tables["organisations.toml"]["aliases"],
        "boilerplate": tables["boilerplate.toml"]["line"],
    }
