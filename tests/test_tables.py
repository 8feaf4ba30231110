"""consistency.tables: records as tables of fixed schema and back, exactly."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency import check, ingest, models, pipeline, tables
from consistency.errors import ConsistencyError

ROOT = Path(__file__).resolve().parent.parent

# Text with what breaks naive round trips: empty strings, NULs, astral characters,
# lone surrogates excluded (Arrow strings are UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
LINE = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1))
METADATA = st.dictionaries(TEXT, TEXT, max_size=4).map(MappingProxyType)

RECORDS: dict[type, st.SearchStrategy[Any]] = {
    models.Article: st.builds(models.Article, TEXT, TEXT, TEXT, st.integers(0, 10**6), METADATA),
    models.CleanArticle: st.builds(
        models.CleanArticle,
        TEXT,
        TEXT,
        st.lists(st.builds(models.Paragraph, TEXT, st.integers(0, 10**6)), max_size=3).map(tuple),
        st.lists(
            st.builds(
                models.Repair,
                TEXT,
                st.sampled_from(["encoding", "boilerplate", "typography"]),
                st.integers(0, 10**6),
                TEXT,
                TEXT,
                TEXT,
                st.lists(st.tuples(TEXT, TEXT), max_size=3).map(tuple),
            ),
            max_size=3,
        ).map(tuple),
        METADATA,
        TEXT,
    ),
    models.Claim: st.builds(
        models.Claim,
        TEXT,
        TEXT,
        st.sampled_from(["headline", "sentence", "quote"]),
        TEXT,
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        TEXT,
        st.booleans(),
        st.booleans(),
    ),
    models.Discrepancy: st.builds(
        models.Discrepancy,
        *(TEXT,) * 2,
        st.sampled_from(["high", "medium", "low"]),
        *(TEXT,) * 7,
        LINE,
        LINE,
        st.one_of(st.none(), st.floats(allow_nan=False)),
        TEXT,
        TEXT,
        TEXT,
        TEXT,
        TEXT,
        st.lists(TEXT, max_size=3).map(tuple),
        st.lists(TEXT, max_size=3).map(tuple),
    ),
    models.ClaimMatch: st.builds(models.ClaimMatch, TEXT, TEXT, st.floats(allow_nan=False), TEXT),
}


@pytest.mark.parametrize("cls", list(RECORDS), ids=lambda cls: cls.__name__)
def test_records_come_back_as_they_were_written(cls: type) -> None:
    @given(st.lists(RECORDS[cls], max_size=5))
    def round_trip(written: list[Any]) -> None:
        table = tables.frame(written, cls)
        assert table.schema == tables.schema(cls)
        assert tables.records(table, cls) == written

    round_trip()


@pytest.mark.parametrize("cls", list(RECORDS), ids=lambda cls: cls.__name__)
def test_records_pickle_and_copy_as_they_were(cls: type) -> None:
    # Records cross processes pickled (models pickles them by their fields).
    @given(st.lists(RECORDS[cls], max_size=5))
    def round_trip(written: list[Any]) -> None:
        import copy
        import pickle

        assert pickle.loads(pickle.dumps(written, pickle.HIGHEST_PROTOCOL)) == written
        assert [copy.copy(r) for r in written] == written

    round_trip()


def test_every_record_is_pickled_by_its_fields() -> None:
    import copyreg
    import dataclasses
    import pickle

    records = [v for v in vars(models).values() if dataclasses.is_dataclass(v)]
    assert len(records) >= 15
    for cls in records:
        assert cls in copyreg.dispatch_table, cls
    claim = models.Claim("c1", "a", "quote", "Text.", 3, 1, 0, 5, "Ms Smith", True, True)
    assert pickle.loads(pickle.dumps(claim)) == claim
    assert pickle.loads(pickle.dumps(claim)).speaker_carried
    read = pipeline.read_articles(ingest.read_feed([ROOT / "fixtures" / "west-mercia"]).articles)
    assert pickle.loads(pickle.dumps(read)) == read


def test_metadata_keeps_its_order() -> None:
    """Reports list an article's metadata in the order it came: a mapping must not come
    back sorted."""
    article = models.Article("a", "a.txt", "Body.", 1, MappingProxyType({"z": "1", "a": "2"}))
    (back,) = tables.records(tables.frame([article], models.Article), models.Article)
    assert list(back.metadata) == ["z", "a"]


def test_every_record_the_stages_pass_has_a_table() -> None:
    """Each model passed between stages maps to columns (a new field of an unsupported
    type fails here, not in the middle of a Spark job)."""
    for cls in (
        models.Article,
        models.CleanArticle,
        models.Claim,
        models.Judgment,
        models.PersonMention,
        models.Quote,
        models.OrgMention,
        models.ClaimMatch,
        models.Discrepancy,
    ):
        assert list(tables.schema(cls)) == [f for f in cls.__dataclass_fields__]


def test_a_feed_read_round_trips() -> None:
    articles = ingest.read_articles([ROOT / "fixtures" / "formats"])
    cleaned, claims, extraction = pipeline.read_articles(articles, workers=1)
    for records, cls in (
        (articles, models.Article),
        (cleaned, models.CleanArticle),
        (claims, models.Claim),
        (extraction.judgments, models.Judgment),
        (extraction.people, models.PersonMention),
        (extraction.quotes, models.Quote),
        (extraction.orgs, models.OrgMention),
    ):
        assert tables.records(tables.frame(records, cls), cls) == list(records), cls.__name__


def test_result_tables_hold_every_record_with_story_and_cluster(tmp_path: Path) -> None:
    result = check([ROOT / "fixtures" / "west-mercia"])
    written = tables.write_tables(tables.result_tables(result), tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{name}.parquet" for name in tables.TABLES)
    assert not list(tmp_path.glob("*.partial"))
    claims = pl.read_parquet(tmp_path / "claims.parquet")
    assert claims.height == len(result.claims)
    assert claims["story"].null_count() == 0
    assert dict(zip(claims["claim_id"], claims["cluster"], strict=True)) == {
        c.claim_id: result.graph.cluster_of.get(c.claim_id) for c in result.claims
    }
    found = tables.records(pl.read_parquet(tmp_path / "discrepancies.parquet"), models.Discrepancy)
    assert tuple(found) == result.discrepancies
    for name, cls in tables.TABLES.items():
        table = pl.read_parquet(tmp_path / f"{name}.parquet")
        assert list(table.columns[: len(tables.schema(cls))]) == list(tables.schema(cls)), name


def test_an_unwritable_tables_folder_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConsistencyError, match="cannot write"):
        tables.write_tables({"claims": pl.DataFrame({"a": [1]})}, blocker / "tables")
