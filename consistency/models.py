"""Records passed between pipeline stages.

Every stage takes these and returns new ones; none is mutated after it is made,
so a stage can never reach back and change what an earlier one decided.
"""

from __future__ import annotations

import copyreg
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from types import MappingProxyType
from typing import Any, Literal

ClaimKind = Literal["headline", "heading", "sentence", "list_item", "rating_line", "quote"]
GradeStatus = Literal["graded", "graded_unnamed", "not_graded"]
Severity = Literal["high", "medium", "low"]
RepairKind = Literal["encoding", "boilerplate", "metadata", "typography", "wrap"]

SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}

METADATA_KEYS = ("id", "outlet", "url", "published", "author", "headline")


def frozen_map(values: dict[str, str] | None = None) -> MappingProxyType[str, str]:
    return MappingProxyType(dict(values or {}))


CUT_MARKS = frozenset({"yes", "true", "1"})
"""Values of an article's `partial` metadata that say its stored text was cut short."""


def cut_short(metadata: MappingProxyType[str, str]) -> bool:
    """Whether an article's metadata says its stored text was cut short (`partial: yes`):
    an archive's excerpt of a page's opening, which ends wherever the excerpt did."""
    return metadata.get("partial", "").strip().lower() in CUT_MARKS


@dataclass(frozen=True, slots=True)
class Article:
    """One outlet's version of a story, as read from disk.

    `body` is the text after any front matter; `first_line` is the 1-based line
    of the file on which the body starts, so body line n is file line
    first_line + n - 1. For JSON Lines, `first_line` is the record's line and
    line numbers inside the body count from there.
    """

    source: str
    path: str
    body: str
    first_line: int = 1
    metadata: MappingProxyType[str, str] = field(default_factory=frozen_map)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input file or record left out of a lenient read, and why."""

    path: str
    line: int | None
    problem: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something reading did that the user should know of ("decoded as windows-1252")."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Repair:
    """One change the clean stage made, with the reason, so it can be reported."""

    source: str
    kind: RepairKind
    line: int
    before: str
    after: str
    explanation: str
    fixes: tuple[tuple[str, str], ...] = ()
    """For encoding repairs: each (damaged sequence, repaired text) pair."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A cleaned paragraph (hard-wrapped lines joined) and where it came from."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    source: str
    path: str
    paragraphs: tuple[Paragraph, ...]
    repairs: tuple[Repair, ...]
    metadata: MappingProxyType[str, str] = field(default_factory=frozen_map)
    headline: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A unit of meaning with provenance.

    `start`/`end` are character offsets into the cleaned paragraph `paragraph`;
    `line` is the line in the original file. `speaker` is the attribution as
    written ("Temporary Chief Constable Murray", "he"); the extract stage
    resolves it to a person.
    """

    claim_id: str
    source: str
    kind: ClaimKind
    text: str
    line: int
    paragraph: int
    start: int
    end: int
    speaker: str = ""
    in_quote: bool = False
    speaker_carried: bool = False
    """The attribution was carried over from an earlier quotation, not written beside it."""


@dataclass(frozen=True, slots=True)
class Judgment:
    """A graded judgment (or a statement that grading did or did not happen)."""

    claim_id: str
    source: str
    subject: str
    subject_key: str
    aspect: str
    scale: str
    status: GradeStatus
    grade: str = ""
    wording: str = ""
    official: str = ""
    negated: bool = False
    quoted: bool = False
    previous: bool = False
    """The grade is from an earlier inspection ("when it was last inspected, it was ...")."""


@dataclass(frozen=True, slots=True)
class PersonMention:
    claim_id: str
    source: str
    name: str
    person_key: str
    title: str = ""
    title_key: str = ""


@dataclass(frozen=True, slots=True)
class Quote:
    claim_id: str
    source: str
    text: str
    speaker: str
    speaker_key: str
    named: bool = True
    """The speaker is named beside the quotation (a name, a surname, a role), not
    only implied by a pronoun or by an earlier paragraph's attribution."""


@dataclass(frozen=True, slots=True)
class OrgMention:
    claim_id: str
    source: str
    name: str
    key: str
    kind: str


@dataclass(frozen=True, slots=True)
class Extraction:
    judgments: tuple[Judgment, ...] = ()
    people: tuple[PersonMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    orgs: tuple[OrgMention, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """Two claims from different sources judged to say the same thing."""

    claim_a: str
    claim_b: str
    score: float
    scorer: str


@dataclass(frozen=True, slots=True)
class Matching:
    """Output of the match stage: stories and matched claim pairs."""

    story_of: MappingProxyType[str, str]
    matches: tuple[ClaimMatch, ...]
    related: tuple[ClaimMatch, ...] = ()
    """Pairs below the match cutoff but alike enough to be one claim paraphrased."""
    notices: tuple[Notice, ...] = ()
    """What matching did that a user should know (a story too widely carried to be
    found whole), each under the source of an article it concerns."""


@dataclass(frozen=True, slots=True)
class Discrepancy:
    id: str
    kind: str
    severity: Severity
    subject: str
    source_a: str
    source_b: str
    value_a: str
    value_b: str
    text_a: str
    text_b: str
    line_a: int | None
    line_b: int | None
    similarity: float | None
    cluster: str
    explanation: str
    claim_a: str = ""
    claim_b: str = ""
    """The claims (ids) the two sides show, where a side is a claim; not columns of
    discrepancies.csv: the problems stage finds a row's claim cluster by them."""
    standard: str = ""
    """The reading a kind holds right whatever the versions say (a grade's official
    wording, the repaired text); empty where versions are only compared with each other."""
    copies_a: tuple[str, ...] = ()
    copies_b: tuple[str, ...] = ()
    """Other sources that print what side a (b) prints, where a detector reports a
    difference once rather than for every copy (quotations); not columns: the problems
    stage counts them with that side."""


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """How a record of class `cls` is pickled: its class and field values, rebuilt by
    calling the class. Records cross processes by the hundred thousand (what each
    reading worker read, the detectors' rows from their second process), and a frozen
    slotted dataclass pickles by default through a `__getstate__` and `__setstate__`
    written in Python, run per record: pickling what 1,000 articles read took 0.23
    CPU s that way and 0.07 this way."""
    names = [f.name for f in fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda record: (cls, (get(record),))
    return lambda record: (cls, get(record))


for _record in [v for v in tuple(globals().values()) if isinstance(v, type) and is_dataclass(v)]:
    copyreg.pickle(_record, _by_fields(_record))
