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


def show_path(path: object) -> str:
    """A path as an error message shows it: as is when printable, else ``repr``-escaped.

    A newline, a control character or an undecodable byte (a surrogate escape)
    in a file name must not break the one-line message, nor the terminal.
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


def one_line(message: str) -> str:
    """``message`` with every non-printable character escaped, so it prints as one line on any terminal."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


class AlignerWarning(UserWarning):
    """Something the user should know that did not stop the run (the CLI prints it as one line)."""
