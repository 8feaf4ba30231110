"""The one exception family for problems a user can fix.

The library raises these and never prints or exits; the CLI catches
`ConsistencyError` once and turns it into a one-line message and exit code 2.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class ConsistencyError(Exception):
    """Base class for every user-facing error."""


class InputError(ConsistencyError):
    """An input file or record cannot be read as an article."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class UsageError(ConsistencyError):
    """The options given do not make sense together."""


class DataError(ConsistencyError):
    """A bundled or user-supplied data table is malformed."""
