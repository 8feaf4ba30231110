"""A syndication simulator: copies of an article with benign edits and recorded discrepancies.

For fuzzing the checker and any copy pipeline that should preserve facts. Give
it an article; it returns the original and several copies, each copy carrying
edits syndication makes without changing a fact (quote style, hard wrapping,
"10%" as "10 per cent", "11" as "eleven", "HM" for "His Majesty's", page
furniture, a moved or dropped paragraph, a rewritten headline, mojibake) and,
if asked, injected discrepancies of the kinds in the discrepancies.csv contract.
Every injected change is recorded as a `Change` with the row kinds that count as
catching it, so a test or a benchmark can tell a found change from a miss and a
false alarm from a true one.

Two ways in, one implementation:

    >>> from consistency.testing import prepare, syndicate
    >>> base = prepare(article)                                   # doctest: +SKIP
    >>> story = syndicate(base, seed=7, copies=4, injections=2)   # doctest: +SKIP
    >>> check_articles(story.articles)                            # doctest: +SKIP

and hypothesis strategies (`syndications`, `benign_copies`, `injected`, in
`consistency.testing.strategies`, which needs the `simulate` extra) that draw the
same syndications from hypothesis' own random source, so failures shrink.

The modules, by concern:

- `records`: `Base` (an article read by the checker, from `prepare`), `Site`,
  `Change` and `Syndication`;
- `sites` and `writers`: per kind, where a change can go and what it writes there;
- `injectors`: the one table (`INJECTORS`) binding them to the kinds of the
  detector registry (`consistency.detectors.KINDS`);
- `benign`: edits that change no fact;
- `syndication`: `syndicate`, which puts copies together;
- `scoring`: `explains`, `caught`, `false_alarms`, `Tally`, `check`;
- `strategies`: the hypothesis strategies.
"""

from __future__ import annotations

from typing import Any

from .benign import (
    BENIGN_EDITS,
    majesty,
    mojibake,
    number_words,
    percent_style,
    quote_style,
    rewrite_headline,
    wrap,
)
from .injectors import INJECTORS, KINDS, LOW_KINDS, NOT_SIMULATED, Injector, available_kinds
from .records import Base, Change, Site, Syndication, prepare
from .scoring import Tally, caught, check, explains, false_alarms
from .sites import (
    attribution_sites,
    date_sites,
    grade_sites,
    meaning_sites,
    name_sites,
    number_sites,
    omission_sites,
    polarity_sites,
    quote_sites,
    status_sites,
    title_sites,
    word_sites,
    wording_sites,
)
from .syndication import syndicate

_STRATEGIES = frozenset({"syndications", "benign_copies", "injected", "seeds", "base_names"})


def __getattr__(name: str) -> Any:
    # The strategies need hypothesis, an optional dependency: imported on first use,
    # so the rest of the simulator works without it.
    if name in _STRATEGIES:
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The strategies are left out of __all__: a star import must not need hypothesis.
__all__ = [
    "BENIGN_EDITS",
    "INJECTORS",
    "KINDS",
    "LOW_KINDS",
    "NOT_SIMULATED",
    "Base",
    "Change",
    "Injector",
    "Site",
    "Syndication",
    "Tally",
    "attribution_sites",
    "available_kinds",
    "caught",
    "check",
    "date_sites",
    "explains",
    "false_alarms",
    "grade_sites",
    "majesty",
    "meaning_sites",
    "mojibake",
    "name_sites",
    "number_sites",
    "number_words",
    "omission_sites",
    "percent_style",
    "polarity_sites",
    "prepare",
    "quote_sites",
    "quote_style",
    "rewrite_headline",
    "status_sites",
    "syndicate",
    "title_sites",
    "word_sites",
    "wording_sites",
    "wrap",
]
