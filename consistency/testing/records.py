"""What the simulator records and works on: a prepared base article, the sites of
changes in it, the changes made and the syndication that carries them."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from .. import clean, domain
from ..caching import table_cache
from ..models import Article, Claim, Severity, frozen_map
from ..pipeline import check_articles
from ..results import CheckResult

F = TypeVar("F", bound=Callable[..., Any])


@table_cache
def simulator_data() -> dict[str, Any]:
    """consistency/data/simulator.toml: furniture lines, replacement words, invented
    names and titles, code pages. Loaded once; it depends on nothing else."""
    return domain.table("simulator.toml")


@dataclass(frozen=True)
class Change:
    """One difference between a copy and its original that a checker should report."""

    kind: str
    """What was done, named by the row kind that reports it."""
    source: str
    """The copy that carries it."""
    before: str
    """The words as the original has them."""
    after: str
    """The words in the copy ("" when dropped)."""
    claim: str = ""
    """The original's claim the change is in: a row about it quotes this text."""
    subject: str = ""
    """A name a row about it carries in its subject (a person, an organisation), if any."""
    catches: frozenset[str] = frozenset()
    """Row kinds that count as catching it."""
    also: frozenset[str] = frozenset()
    """Row kinds that may truly report it besides (a claim replaced is also absent)."""
    severity: Severity = "medium"
    """The least severity that counts: "low" for the kinds the contract reports low."""
    injected: bool = True
    """False for what a benign edit does on the side (mojibake, a dropped paragraph):
    a row about it is true, but missing it is no miss."""
    at: int = -1
    """Where in `claim` the change starts (-1: not known, the first `before` there)."""

    @property
    def changed_claim(self) -> str:
        """The claim as the copy has it."""
        at = self.at if self.at >= 0 else self.claim.find(self.before) if self.before else -1
        if at < 0 or self.claim[at : at + len(self.before)] != self.before:
            return self.claim
        return self.claim[:at] + self.after + self.claim[at + len(self.before) :]


@dataclass(frozen=True)
class Syndication:
    """An original and its copies, with every benign edit and change recorded."""

    original: Article
    copies: tuple[Article, ...]
    edits: tuple[tuple[str, tuple[str, ...]], ...]
    """(source, names of the benign edits applied to it), the original included."""
    changes: tuple[Change, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return (self.original, *self.copies)

    @property
    def injections(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.injected)


@dataclass(frozen=True, eq=False)
class Base:
    """An article cleaned and read by the checker, ready to be copied.

    `paragraphs` hold the cleaned text with the headline first; every claim in
    `result` points into them by paragraph index and character offsets.
    """

    source: str
    paragraphs: tuple[str, ...]
    result: CheckResult
    metadata: tuple[tuple[str, str], ...] = ()
    memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False)
    """What `per_base` functions worked out about this base (its sites, its grading
    scale): kept on the base, so it goes when the base goes."""

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.result.claims


def per_base(function: F) -> F:
    """Cache `function(base, *args)` (positional, hashable arguments) in `base.memo`. A
    module-level cache keyed on the base would keep every base, and the CheckResult it
    holds, alive for good."""

    @wraps(function)
    def cached(base: Base, *args: Hashable) -> Any:
        key = (function, *args)
        try:
            return base.memo[key]
        except KeyError:
            value = base.memo[key] = function(base, *args)
            return value

    return cached  # type: ignore[return-value]


def prepare(article: Article) -> Base:
    """Clean `article`, put its headline first and read it with the checker."""
    cleaned = clean.clean_article(article)
    paragraphs = [p.text for p in cleaned.paragraphs]
    if cleaned.headline and (not paragraphs or paragraphs[0] != cleaned.headline):
        paragraphs.insert(0, cleaned.headline)
    metadata = {k: v for k, v in article.metadata.items() if k in ("published", "outlet")}
    plain = Article(article.source, article.path, "\n\n".join(paragraphs), 1, frozen_map(metadata))
    result = check_articles((plain,))
    return Base(
        article.source,
        tuple(p.text for p in result.cleaned[0].paragraphs),
        result,
        tuple(sorted(metadata.items())),
    )


@dataclass(frozen=True)
class Site:
    """A span of one paragraph of a base article, inside the claim `claim`."""

    paragraph: int
    start: int
    end: int
    claim: Claim
    note: str = ""
    """What the site is about: a person's or organisation's name, a grade's scale."""
