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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives the system's headless Chromium (/usr/bin/chromium); skipped without "
        "it unless CONSISTENCY_REQUIRE_BROWSER=1",
    )
