"""The records passed between stages as tables of fixed schema, and back.

An engine that runs the stages elsewhere than in this process (`consistency.spark`)
hands their results over as columns, not as Python objects: each record type of
`consistency.models` is one table whose columns are the record's fields, in order,
typed from its annotations. `frame()` and `records()` are exact inverses (every
string, number, null and mapping order kept), so a record read back from a table
is equal to the one written, and a report built from it is byte-equal.

Nested fields stay nested: an article's metadata is a list of (key, value) pairs in
its order (an Arrow map would be too, but polars reads maps as such lists), its
paragraphs and repairs lists of structs. Tables are also what `write_tables` puts
on disk as Parquet, for whoever reads a large check with other tools.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import polars as pl

from . import models
from .caching import table_cache
from .errors import ConsistencyError

if TYPE_CHECKING:
    from .results import CheckResult

Record = TypeVar("Record")

_SCALARS: dict[object, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
}
PAIRS = pl.List(pl.Struct({"key": pl.String(), "value": pl.String()}))
"""A mapping of strings, as its (key, value) pairs in order."""


def pairs(mapping: Mapping[str, str]) -> list[dict[str, str]]:
    """A mapping as a value of a `PAIRS` column."""
    return [{"key": k, "value": v} for k, v in mapping.items()]


def mapping(value: Iterable[Mapping[str, str]]) -> types.MappingProxyType[str, str]:
    """A `PAIRS` column's value back as the mapping, in its order."""
    return types.MappingProxyType({p["key"]: p["value"] for p in value})


def _is_record(kind: object) -> bool:
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


def _dtype(kind: Any) -> pl.DataType:
    """The column type of a field annotated `kind`."""
    if kind in _SCALARS:
        return _SCALARS[kind]
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is Literal:
        return pl.String()
    if origin in (types.UnionType, typing.Union):  # `int | None`: the column holds nulls
        (inner,) = [a for a in args if a is not type(None)]
        return _dtype(inner)
    if origin is types.MappingProxyType:
        return PAIRS
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return pl.List(_dtype(args[0]))
    if origin is tuple:  # a fixed pair, as in Repair.fixes
        return pl.List(pl.String()) if set(args) == {str} else _unsupported(kind)
    if _is_record(kind):
        return pl.Struct({name: _dtype(t) for name, t in _fields(kind)})
    return _unsupported(kind)


def _unsupported(kind: object) -> pl.DataType:
    raise TypeError(f"no column type for {kind!r}")


@table_cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls, vars(models))
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


@table_cache
def schema(cls: type) -> pl.Schema:
    """The table of records of `cls`: one column per field, in the fields' order."""
    return pl.Schema({name: _dtype(kind) for name, kind in _fields(cls)})


def _to_column(kind: Any) -> Callable[[Any], Any]:
    """How a field's value is written as a column value."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is types.MappingProxyType:
        return pairs
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if _is_record(args[0]):
            inner = writer(args[0])
            return lambda values: [inner(v) for v in values]
        if typing.get_origin(args[0]) is tuple:
            return lambda values: [list(v) for v in values]
        return list
    return _same


def _same(value: Any) -> Any:
    return value


def _from_column(kind: Any) -> Callable[[Any], Any]:
    """How a column value is read back as a field's value."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is types.MappingProxyType:
        return mapping
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if _is_record(args[0]):
            inner = reader(args[0])
            return lambda values: tuple(inner(v) for v in values)
        if typing.get_origin(args[0]) is tuple:
            return lambda values: tuple(tuple(v) for v in values)
        return tuple
    return _same


@table_cache
def writer(cls: type) -> Callable[[Any], dict[str, Any]]:
    convert = [(name, _to_column(kind)) for name, kind in _fields(cls)]
    return lambda record: {name: to(getattr(record, name)) for name, to in convert}


@table_cache
def reader(cls: type) -> Callable[[dict[str, Any]], Any]:
    convert = [(name, _from_column(kind)) for name, kind in _fields(cls)]
    return lambda row: cls(**{name: read(row[name]) for name, read in convert})


def frame(records: Iterable[Any], cls: type) -> pl.DataFrame:
    """`records` (of `cls`) as a table of `schema(cls)`."""
    write = writer(cls)
    return pl.DataFrame([write(r) for r in records], schema=schema(cls), orient="row")


def records(table: pl.DataFrame, cls: type[Record]) -> list[Record]:
    """The records of `cls` a table of `schema(cls)` holds, in its row order."""
    kind = typing.cast(type, cls)
    read = reader(kind)
    return [read(row) for row in table.select(list(schema(kind))).iter_rows(named=True)]


TABLES: dict[str, type] = {
    "articles": models.CleanArticle,
    "claims": models.Claim,
    "judgments": models.Judgment,
    "people": models.PersonMention,
    "quotes": models.Quote,
    "organisations": models.OrgMention,
    "matches": models.ClaimMatch,
    "related": models.ClaimMatch,
    "discrepancies": models.Discrepancy,
}
"""The tables `write_tables` writes, by name, and the record each row is."""


def result_tables(result: CheckResult) -> dict[str, pl.DataFrame]:
    """A check's records as tables (`TABLES`), articles and claims with their story and
    claims with their claim cluster as columns of their own."""
    story_of, cluster_of = result.matching.story_of, result.graph.cluster_of
    story = pl.DataFrame(
        {"source": list(story_of), "story": list(story_of.values())},
        schema={"source": pl.String, "story": pl.String},
    )
    clusters = pl.DataFrame(
        {"claim_id": list(cluster_of), "cluster": list(cluster_of.values())},
        schema={"claim_id": pl.String, "cluster": pl.String},
    )
    extraction = result.extraction
    return {
        "articles": frame(result.cleaned, models.CleanArticle).join(
            story, on="source", how="left", maintain_order="left"
        ),
        "claims": frame(result.claims, models.Claim)
        .join(story, on="source", how="left", maintain_order="left")
        .join(clusters, on="claim_id", how="left", maintain_order="left"),
        "judgments": frame(extraction.judgments, models.Judgment),
        "people": frame(extraction.people, models.PersonMention),
        "quotes": frame(extraction.quotes, models.Quote),
        "organisations": frame(extraction.orgs, models.OrgMention),
        "matches": frame(result.matching.matches, models.ClaimMatch),
        "related": frame(result.matching.related, models.ClaimMatch),
        "discrepancies": frame(result.discrepancies, models.Discrepancy),
    }


def write_tables(tables: Mapping[str, pl.DataFrame], folder: Path) -> list[Path]:
    """Each table as `folder/<name>.parquet`; the paths written. Written to a temporary
    name and renamed, so a failed run leaves no half-written table."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in tables.items():
            path = folder / f"{name}.parquet"
            partial = path.with_suffix(".parquet.partial")
            table.write_parquet(partial, statistics=False)
            partial.replace(path)
            written.append(path)
    except OSError as error:
        raise ConsistencyError(f"{folder}: cannot write: {error.strerror or error}") from error
    return written


__all__ = [
    "PAIRS",
    "TABLES",
    "frame",
    "mapping",
    "pairs",
    "reader",
    "records",
    "result_tables",
    "schema",
    "write_tables",
    "writer",
]
