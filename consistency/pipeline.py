"""The whole check as one call: ingest -> clean -> claims -> extract -> match -> graph -> compare.

Data flows one way; each stage gets what the ones before produced and nothing
reaches back. `check()` is what the CLI runs; `write_reports()` writes its files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import claims as claims_stage
from . import clean as clean_stage
from . import compare as compare_stage
from . import extract as extract_stage
from . import graph as graph_stage
from . import ingest, match, report
from .graph import ClaimGraph
from .models import Article, Claim, CleanArticle, Discrepancy, Extraction, Matching


@dataclass(frozen=True)
class CheckResult:
    articles: tuple[Article, ...]
    cleaned: tuple[CleanArticle, ...]
    claims: tuple[Claim, ...]
    extraction: Extraction
    matching: Matching
    graph: ClaimGraph
    discrepancies: tuple[Discrepancy, ...]


def check_articles(
    articles: tuple[Article, ...], settings: match.MatchSettings | None = None
) -> CheckResult:
    """Run every stage on articles already read."""
    # 2. clean: encoding repair, typography, boilerplate, wrapped lines
    cleaned = clean_stage.clean(articles)
    # 3. claims: sentences, headings, list items, rating lines, quotations
    claims = claims_stage.extract_claims(cleaned)
    # 4. extract: grades, people and titles, quotations with speakers, organisations
    extraction = extract_stage.extract(cleaned, claims)
    # 5. match: stories and matched claims, blocked so that nothing is all-pairs
    matching = match.match_claims(claims, settings, extract_stage.entities_by_source(extraction))
    # 6. graph: clusters and people resolved across sources
    graph = graph_stage.build_graph(claims, extraction, matching)
    # 7. compare: the discrepancies
    discrepancies = compare_stage.compare(cleaned, claims, extraction, matching, graph)
    return CheckResult(articles, cleaned, claims, extraction, matching, graph, discrepancies)


def check(paths: Iterable[str | Path], settings: match.MatchSettings | None = None) -> CheckResult:
    """Check the articles under `paths` (files or directories)."""
    # 1. ingest
    return check_articles(ingest.read_articles(paths), settings)


def write_reports(result: CheckResult, out_dir: str | Path) -> list[Path]:
    """Write discrepancies.csv, claims.csv, coverage.csv and graph.graphml into `out_dir`."""
    return report.write_all(result, Path(out_dir))
