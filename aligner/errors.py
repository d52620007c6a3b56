"""Exceptions the library raises; the CLI maps them to exit codes.

``AlignerError`` and its subclasses are user errors (exit 2, one line on
stderr); anything else is an internal error (exit 1).
"""

from aligner import DISTRIBUTION


class AlignerError(Exception):
    """A user error: bad arguments, unreadable or unsupported input. The message says what to do."""


class InputError(AlignerError):
    """The input file cannot be read or holds nothing we can use."""


class OutputError(AlignerError):
    """The output cannot be written where the user asked."""


class MissingExtraError(AlignerError):
    """An optional dependency is not installed; the message names the pip command."""

    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f'{what} needs an optional extra: pip install "{DISTRIBUTION}[{extra}]"')


class AlignerWarning(UserWarning):
    """Something the user should know that did not stop the run (the CLI prints it as one line)."""
