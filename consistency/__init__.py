"""consistency: audit syndicated news copy for disagreements between outlets.

>>> from consistency import check
>>> result = check(["fixtures/west-mercia"])          # doctest: +SKIP
>>> [d.kind for d in result.discrepancies if d.severity == "high"]  # doctest: +SKIP
['grade_status']
"""

from .errors import ConsistencyError, DataError, InputError, UsageError
from .models import Article, Claim, Discrepancy
from .pipeline import CheckResult, check, check_articles, write_reports

__all__ = [
    "Article",
    "CheckResult",
    "Claim",
    "ConsistencyError",
    "DataError",
    "Discrepancy",
    "InputError",
    "UsageError",
    "check",
    "check_articles",
    "write_reports",
]
