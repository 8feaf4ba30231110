"""The cache policy (consistency/caching.py): results never depend on what the
process checked before, a check leaves its caches empty, and every cache is
registered so that both rules reach it."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import consistency
from consistency import caching, check, config, domain, write_reports

PACKAGE = Path(consistency.__file__).resolve().parent

ARTICLE = """id: {id}
outlet: {outlet}
---
Brookfield Fire Service rated {grade} by fire watchdog

Brookfield Fire Service has been rated {grade} in its latest inspection by the Fire \
Standards Board, the board said on Tuesday.

{title} Jane Smith said: "I am proud of every firefighter in this service and the work \
they do."

Sponsored by Acme Widgets Ltd

The board inspected the service in March and found strong leadership across every station \
in the county.
"""

# A custom scale: unknown to the bundled tables, "gold" and "silver" are ordinary
# words and their change a claim_altered; under it, a rating_conflict alone.
MEDALS = """
[scales.fsb]
name = "Fire Standards Board"
cues = ["Fire Standards Board", "fire watchdog"]
[[scales.fsb.grades]]
official = "gold"
[[scales.fsb.grades]]
official = "silver"
[[scales.fsb.grades]]
official = "bronze"
"""

# Titles and furniture as well, and the scale read the other way up.
NEWSROOM = """
[titles]
roles = ["Harbour Master", "Station Commander"]

[[boilerplate]]
name = "sponsor line"
pattern = 'sponsored by .*'

[scales.fsb]
name = "Fire Standards Board"
cues = ["Fire Standards Board", "fire watchdog"]
[[scales.fsb.grades]]
official = "silver"
[[scales.fsb.grades]]
official = "gold"
"""


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir()
    versions = [("a", "Alpha News", "gold", "Harbour Master")]
    versions += [("b", "Beta News", "silver", "Station Commander")]
    for id_, outlet, grade, title in versions:
        text = ARTICLE.format(id=id_, outlet=outlet, grade=grade, title=title)
        (folder / f"{id_}.txt").write_text(text)
    return folder


def settings_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name / "consistency.toml"
    path.parent.mkdir()
    path.write_text(text)
    return path


def reports(feed: Path, settings: Path | None, out: Path) -> dict[str, bytes]:
    """Every report of checking `feed` with `settings` (None: the defaults), by name."""
    result = check([feed], config=config.load(settings) if settings else None)
    write_reports(result, out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


FRESH = """
import sys
from pathlib import Path
from test_caches import reports
settings = Path(sys.argv[2]) if sys.argv[2] != "-" else None
found = reports(Path(sys.argv[1]), settings, Path(sys.argv[3]))
"""


def fresh_reports(
    feed: Path, every: list[Path | None], out: Path
) -> dict[Path | None, dict[str, bytes]]:
    """What `reports` gives for each settings file (None: the defaults), each in a
    process of its own that has checked nothing before (run side by side)."""
    path = os.pathsep.join([str(PACKAGE.parent), str(Path(__file__).parent)])
    env = {**os.environ, "PYTHONPATH": path}
    folders = {s: out / (s.parent.name if s else "defaults") for s in every}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", FRESH, str(feed), str(s or "-"), str(folder)],
            env=env,
            cwd=PACKAGE.parent,
        )
        for s, folder in folders.items()
    ]
    assert [process.wait() for process in running] == [0] * len(running)
    return {s: {p.name: p.read_bytes() for p in sorted(f.iterdir())} for s, f in folders.items()}


def rows(found: dict[str, bytes]) -> list[str]:
    """discrepancies.csv's kind and severity columns, for a readable failure."""
    lines = found["discrepancies.csv"].decode().splitlines()
    header = lines[0].split(",")
    kind, severity = header.index("kind"), header.index("severity")
    return sorted(f"{r.split(',')[kind]} {r.split(',')[severity]}" for r in lines[1:])


def test_settings_one_after_another_match_a_fresh_process(feed: Path, tmp_path: Path) -> None:
    medals = settings_file(tmp_path, "medals", MEDALS)
    newsroom = settings_file(tmp_path, "newsroom", NEWSROOM)
    # The defaults first, so that the custom scale meets what they cached (the issue).
    order = [None, medals, None, newsroom, medals, newsroom]
    fresh = fresh_reports(feed, list(dict.fromkeys(order)), tmp_path / "fresh")
    assert "rating_conflict high" in rows(fresh[medals])
    assert not any(row.startswith("claim_altered") for row in rows(fresh[medals]))
    assert len({repr(found) for found in fresh.values()}) == 3, "the settings must matter"
    for step, settings in enumerate(order):
        found = reports(feed, settings, tmp_path / f"step-{step}")
        assert rows(found) == rows(fresh[settings]), (step, settings)
        assert found == fresh[settings], (step, settings)


def populated() -> int:
    return sum(cache.cache_info().currsize for cache in caching.caches())


def test_a_check_leaves_its_text_caches_empty(west_mercia: Path) -> None:
    during = []

    def progress(stage: str, done: int, total: int) -> None:
        # Compare empties the text caches after each detector: probed before it.
        if stage == "compare" and done == 0:
            during.append(populated())

    check([west_mercia], progress=progress)
    assert during and during[0] > 1000, "the check fills its caches as it goes"
    for cache in caching.caches():
        size = cache.cache_info().currsize
        if caching.is_text_cache(cache):
            assert size == 0, (cache.__qualname__, size)
        else:  # a table compiled from the data files, kept: keyed by nothing or a code page
            assert size <= 8, (cache.__qualname__, size)


def test_a_failed_check_leaves_its_text_caches_empty(west_mercia: Path) -> None:
    def progress(stage: str, done: int, total: int) -> None:
        if stage == "compare" and done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check([west_mercia], progress=progress)
    assert not any(c.cache_info().currsize for c in caching.caches() if caching.is_text_cache(c))


def test_new_settings_empty_every_cache_methods_included() -> None:
    from consistency.detectors.claims import _Facts

    _Facts.of("Rated good in 2023: 5 of 10 stations")
    domain.scales()
    assert _Facts.of.cache_info().currsize and domain.scales.cache_info().currsize
    with domain.configured({"titles.toml": {"roles": ["Harbour Master"]}}):
        assert populated() == 0
        domain.titles()
    assert populated() == 0
    domain.scales()
    consistency.clear_caches()
    assert populated() == 0


def package_modules() -> list[Path]:
    """Every source file of the package, the simulator's included: its data tables are
    registered like the rest, and its per-base results live on the Base that owns them."""
    return sorted(PACKAGE.rglob("*.py"))


def test_no_cache_is_made_but_through_the_registry() -> None:
    """functools.cache and lru_cache appear only in caching.py: any other would be
    missed when the settings change and kept after a check."""
    found = []
    for path in package_modules():
        if path.name == "caching.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "functools":
                found += [f"{path.name}: {a.name}" for a in node.names if "cache" in a.name]
            elif isinstance(node, ast.Attribute) and node.attr in ("cache", "lru_cache"):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    allowed = {"cached_property"}  # per object, freed with it
    assert [f for f in found if f.rsplit(" ", 1)[-1] not in allowed] == []


def test_every_cache_in_the_package_is_registered() -> None:
    """Every object with cache_clear in a module's namespace or a class's (methods
    included) is in the registry."""
    names = [
        "consistency." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for path in package_modules()
        if path.name != "__main__.py"  # runs the command line
    ]
    modules = [importlib.import_module(name.removesuffix(".__init__")) for name in names]
    # Read after every module is imported: a cache registers when its module loads
    # (run alone, this test would otherwise miss the simulator's).
    registered = {id(cache) for cache in caching.caches()}
    unregistered, seen = [], 0
    for name, module in zip(names, modules, strict=True):
        values = list(vars(module).values())
        values += [
            getattr(attr, "__func__", attr)
            for value in values
            if isinstance(value, type) and value.__module__ == module.__name__
            for attr in vars(value).values()
        ]
        for value in values:
            # The standard library's own caches (urllib.parse.urlsplit) imported by name
            # are not the package's to register.
            if not str(getattr(value, "__module__", "")).startswith("consistency"):
                continue
            if callable(getattr(value, "cache_clear", None)):
                seen += 1
                if id(value) not in registered:
                    unregistered.append(f"{name}.{value.__qualname__}")
    assert unregistered == []
    assert seen >= len(registered) > 40


def test_a_check_gives_the_memory_it_freed_back(monkeypatch: pytest.MonkeyPatch) -> None:
    released: list[None] = []
    monkeypatch.setattr(caching, "release_memory", lambda: released.append(None))
    with caching.emptied_after():
        pass
    assert released == [None]
    monkeypatch.undo()
    caching.release_memory()  # glibc's malloc_trim where there is one; else nothing


def test_polars_allocator_gives_freed_pages_back_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "polars")  # as before polars loads
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    caching.tune_allocator()
    assert os.environ["_RJEM_MALLOC_CONF"] == caching.POLARS_ALLOCATOR
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:2000")  # the user's word wins
    caching.tune_allocator()
    assert os.environ["_RJEM_MALLOC_CONF"] == "dirty_decay_ms:2000"


def test_polars_allocator_is_left_alone_once_polars_has_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import polars  # noqa: F401

    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    caching.tune_allocator()
    assert "_RJEM_MALLOC_CONF" not in os.environ


def test_importing_the_package_sets_polars_allocator_before_polars_loads() -> None:
    # A fresh interpreter: here polars is long loaded. Polars puts the setting after its own.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, consistency.pipeline; print(os.environ['_RJEM_MALLOC_CONF'])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"},
    )
    assert done.stdout.strip().endswith("," + caching.POLARS_ALLOCATOR)
