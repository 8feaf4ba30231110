"""consistency: audit syndicated news copy for disagreements between outlets.

>>> from consistency import check
>>> result = check(["fixtures/west-mercia"])          # doctest: +SKIP
>>> [d.kind for d in result.discrepancies if d.severity == "high"]  # doctest: +SKIP
[]
"""

from .config import Config, ConfigError
from .errors import ConsistencyError, DataError, InputError, UsageError
from .ingest import Feed, read_feed
from .models import Article, Claim, Discrepancy, Notice, Skipped
from .pipeline import CheckResult, check, check_articles, write_reports

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
    "Notice",
    "Skipped",
    "UsageError",
    "check",
    "check_articles",
    "read_feed",
    "write_reports",
]
