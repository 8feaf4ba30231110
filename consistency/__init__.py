"""consistency: audit syndicated news copy for disagreements between outlets.

>>> from consistency import check
>>> result = check(["fixtures/west-mercia"])          # doctest: +SKIP
>>> [d.kind for d in result.discrepancies if d.severity == "high"]  # doctest: +SKIP
[]
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .caching import clear_caches, tune_allocator
from .errors import ConsistencyError, DataError, InputError, UsageError
from .models import Article, Claim, Discrepancy, Notice, Skipped
from .settings import MatchSettings

tune_allocator()  # before any stage loads polars (none of the modules above does)

if TYPE_CHECKING:
    from .config import Config, ConfigError
    from .ingest import Feed, read_feed
    from .pipeline import check, check_articles
    from .report import write_reports
    from .results import CheckResult

    __version__: str

# The stages load rapidfuzz, networkx and polars: imported on first use, so that
# `import consistency` (or reading a settings file) stays cheap.
_LAZY = {
    "Config": "config",
    "ConfigError": "config",
    "Feed": "ingest",
    "read_feed": "ingest",
    "check": "pipeline",
    "check_articles": "pipeline",
    "write_reports": "report",
    "CheckResult": "results",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = _version()
        return globals()[name]
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'consistency' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def _version() -> str:
    """The installed distribution's version (pyproject.toml's); a source tree run
    without installing has no metadata, and says so in a version PEP 440 accepts."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("consistency")
    except PackageNotFoundError:
        return "0+unknown"


__all__ = [
    "Article",
    "CheckResult",
    "Claim",
    "Config",
    "ConfigError",
    "ConsistencyError",
    "DataError",
    "Discrepancy",
    "Feed",
    "InputError",
    "MatchSettings",
    "Notice",
    "Skipped",
    "UsageError",
    "check",
    "check_articles",
    "clear_caches",
    "read_feed",
    "write_reports",
]
