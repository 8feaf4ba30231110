"""Reading one real version of ../shared/real-dev (beside the repository, in a clone and
in CI) for the golden tests on real copy; they skip where the folder is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from consistency import claims, clean, ingest
from consistency.models import Claim, CleanArticle

REAL_DEV = Path(
    os.environ.get(
        "CONSISTENCY_REAL_DEV", Path(__file__).resolve().parents[1].parent / "shared" / "real-dev"
    )
)

needs_real_dev = pytest.mark.skipif(not REAL_DEV.is_dir(), reason="shared/real-dev is absent")


def read_real(story: str, version: str) -> tuple[CleanArticle, tuple[Claim, ...]]:
    """One real version cleaned and split into claims (skips the test if it is absent)."""
    path = REAL_DEV / story / f"{version}.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    (article,) = ingest.read_file(path)
    cleaned = clean.clean_article(article)
    return cleaned, claims.article_claims(cleaned)
