from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# Fast and repeatable by default, for CI: the same examples on every run, so a red
# build is a change's doing. HYPOTHESIS_PROFILE=thorough searches afresh, longer.
settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def west_mercia() -> Path:
    return FIXTURES / "west-mercia"


WEST_MERCIA_PUBLISHED = {"peel-2025": "2025-03-18"}
"""The seed articles carry no publication dates, so the 2025 PEEL inspection reads as
one story with the 2024 organised-crime one (README: Stories). Dated, they are two."""


@pytest.fixture(scope="session")
def west_mercia_dated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fixtures/west-mercia with `published` front matter: the PEEL piece in 2025, the
    organised-crime versions in May 2024. Two stories."""
    folder = tmp_path_factory.mktemp("west-mercia-dated")
    for source in sorted((FIXTURES / "west-mercia").glob("*.txt")):
        day = WEST_MERCIA_PUBLISHED.get(source.stem, "2024-05-14")
        body = source.read_text(encoding="utf-8")
        (folder / source.name).write_text(f"---\npublished: {day}\n---\n{body}", encoding="utf-8")
    return folder


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives the system's headless Chromium (/usr/bin/chromium); skipped without "
        "it unless CONSISTENCY_REQUIRE_BROWSER=1",
    )
