"""Exit codes of ``sxps`` and the one-line messages of its errors.

=====  ==================================================================
code   meaning
=====  ==================================================================
0      success (also an empty result, e.g. a cone with no sources)
1      anything else (e.g. a file that cannot be written)
2      bad input: a usage error, `~astroquery.exceptions.InvalidQueryError`
       (raised before anything is sent), an output file that exists
3      server or network failure: `~astroquery.exceptions.RemoteServiceError`
       (HTTP errors, unusable replies, connection refused after the retries),
       time-outs, and server errors that are not about an unknown object
4      not found: see `is_not_found`
=====  ==================================================================
"""
import builtins
import re

import requests
from astroquery.exceptions import InvalidQueryError, RemoteServiceError
from astroquery.exceptions import TimeoutError as AstroqueryTimeoutError

from astroquery_sxps.exceptions import (ObjectNotFoundError, SourceSplitError, SXPSServerError,
                                        UpperLimitPending)

__all__ = ["OK", "FAILURE", "BAD_INPUT", "REMOTE_FAILURE", "NOT_FOUND", "NOT_FOUND_TEXT",
           "is_not_found", "exit_code", "printable", "one_line"]

OK, FAILURE, BAD_INPUT, REMOTE_FAILURE, NOT_FOUND = 0, 1, 2, 3, 4

#: ERRORTEXTs of the server that mean "no such object" (or "nothing there"):
#: the tutorial's real one is "Dataset with obsid: `10000000668` is not found in
#: the LSXPS catalogue."; the others are those of the emulator for unknown
#: sources, transients, upper-limit jobs, names no resolver knows and positions
#: outside the catalogue.
NOT_FOUND_TEXT = re.compile(r"not found|is not in the|is not known|could not resolve|"
                            r"no light curve is available|not covered by the catalogue",
                            re.IGNORECASE)


def is_not_found(exc):
    """True for errors that mean the object asked for does not exist (exit code 4).

    These are the package's `~astroquery_sxps.exceptions.ObjectNotFoundError`
    (including a transient not yet in LSXPS and an observation not in the
    archive), `~astroquery_sxps.exceptions.SourceSplitError` (the source no
    longer exists under that identifier; the message names its successors)
    and a `~astroquery_sxps.exceptions.SXPSServerError` whose ERRORTEXT
    matches `NOT_FOUND_TEXT`.
    """
    if isinstance(exc, (ObjectNotFoundError, SourceSplitError)):
        return True
    return isinstance(exc, SXPSServerError) and bool(NOT_FOUND_TEXT.search(exc.errortext))


def exit_code(exc):
    """The exit code for an exception that stopped a command."""
    if isinstance(exc, (InvalidQueryError, FileExistsError)):
        return BAD_INPUT
    if is_not_found(exc):
        return NOT_FOUND
    if isinstance(exc, (RemoteServiceError, AstroqueryTimeoutError, builtins.TimeoutError,
                        requests.exceptions.RequestException, ConnectionError)):
        return REMOTE_FAILURE
    return FAILURE


def printable(text):
    """``text`` without control characters: a server's message must not drive the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def one_line(exc):
    """The exception's message on one line (with a hint for a pending upper limit)."""
    text = printable(" ".join(str(exc).split())) or type(exc).__name__
    if isinstance(exc, UpperLimitPending):
        text += f" From the shell: sxps ul --job {exc.job_id}"
    return text
