"""The exception hierarchy of geoverify.

Every error the library raises on purpose derives from :class:`GeoverifyError`,
so a caller can catch one class. The CLI turns each into one line
``geoverify: error: ...`` and exit status 2.
"""

from __future__ import annotations


class GeoverifyError(Exception):
    """Base class of every error geoverify raises deliberately."""


class ParseError(GeoverifyError, ValueError):
    """A coordinate, grid reference, code or claim could not be read.

    Parameters
    ----------
    message : str
        What was wrong.
    text : str, optional
        The offending input, quoted in the message.
    """

    def __init__(self, message: str, text: str | None = None):
        self.text = text
        if text is not None:
            message = f"{message}: {text!r}"
        super().__init__(message)


class InputError(GeoverifyError):
    """An input file or stream could not be read (missing, binary, bad encoding)."""


class DataError(GeoverifyError):
    """The gazetteer or boundary index is missing, out of date or corrupt."""


class ResolveError(GeoverifyError):
    """A place name or region could not be looked up."""


class CaseFileError(GeoverifyError):
    """A case file (fixtures/) is malformed; the message names the file and field."""


class OutputError(GeoverifyError):
    """An output file could not be written (an unwritable place, a full disk); the message names
    the path, and no partial or temporary file is left behind."""
