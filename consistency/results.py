"""What a check returns: every stage's output, the settings used and what reading
skipped or noticed. A leaf: the report writers read it without importing the
pipeline that makes it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from .config import Config
from .graph import ClaimGraph
from .models import (
    Article,
    Claim,
    CleanArticle,
    Discrepancy,
    Extraction,
    Matching,
    Notice,
    Skipped,
)
from .problems import Problem, find_problems


@dataclass(frozen=True)
class CheckResult:
    articles: tuple[Article, ...]
    cleaned: tuple[CleanArticle, ...]
    claims: tuple[Claim, ...]
    extraction: Extraction
    matching: Matching
    graph: ClaimGraph
    discrepancies: tuple[Discrepancy, ...]
    config: Config = dataclasses.field(default_factory=Config)
    skipped: tuple[Skipped, ...] = ()
    """Inputs left out by a keep-going read, with the reason."""
    notices: tuple[Notice, ...] = ()
    """What reading and matching did that a user should know (a file decoded as
    windows-1252, a story too widely carried to be found whole)."""

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        """The discrepancies as the editor's findings: one per slot the versions do not
        agree on (see consistency/problems.py). Worked out on first use."""
        return find_problems(
            self.discrepancies, self.claims, self.graph.cluster_of, self.matching.story_of
        )

    @cached_property
    def clusters(self) -> dict[str, list[Claim]]:
        """Cluster id -> its claims, ordered by source then claim id: what coverage.csv
        and report.html's coverage both read. Worked out on first use."""
        return cluster_claims(self.claims, self.graph.cluster_of)


def cluster_claims(
    claims: Iterable[Claim], cluster_of: Mapping[str, str]
) -> dict[str, list[Claim]]:
    """Cluster id -> the claims in it, ordered by (source, claim id); claims in no
    cluster left out. One sort of the whole feed, not one per cluster."""
    cluster = dict(cluster_of).get  # a plain dict's lookups are several times a proxy's
    members: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=attrgetter("source", "claim_id")):
        at = cluster(claim.claim_id)
        if at is not None:
            members.setdefault(at, []).append(claim)
    return members
