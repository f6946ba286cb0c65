"""Exceptions and warnings raised by `astroquery_sxps`.

Every exception subclasses one of astroquery's own, so code written for other
astroquery modules catches them too.
"""
import inspect
import os
import warnings

from astropy.utils.exceptions import AstropyUserWarning
from astroquery.exceptions import (InvalidQueryError, NoResultsWarning, RemoteServiceError,
                                   TimeoutError)

__all__ = ["InvalidQueryError", "NoResultsWarning", "RemoteServiceError",
           "TimeoutError", "SXPSServerError", "SXPSResponseError",
           "UpperLimitPending", "SourceSplitError", "ObjectNotFoundError",
           "TransientNotInLSXPSError", "SXPSWarning",
           "NewerAPIVersionWarning", "SupersededWarning",
           "CataloguedSourceWarning", "IgnoredOptionWarning",
           "UnsafeArchiveError", "BadFileError", "ObsNotFoundError", "ProductRequestError",
           "SAMPHubNotFoundError", "SAMPRecipientError", "BatchAbortedError",
           "JournalMismatchError", "warn"]


class SXPSServerError(RemoteServiceError):
    """The server answered with ``ERROR``.

    Attributes
    ----------
    code : int or str
        The server's ``ERROR`` code.
    errortext : str
        The server's ``ERRORTEXT``, verbatim (empty if none was sent).
    api_func : str
        The API function that was called.
    identifier : object
        The object (source, dataset...) the request was about, if any.
    """

    def __init__(self, code, errortext="", api_func=None, identifier=None):
        self.code = code
        self.errortext = errortext or ""
        self.api_func = api_func
        self.identifier = identifier
        msg = f"The UKSSDC server reported error {code}"
        if api_func:
            msg += f" for {api_func}"
        msg += f": {self.errortext}" if self.errortext else " (no ERRORTEXT given)"
        super().__init__(msg)


class SXPSResponseError(RemoteServiceError):
    """The server's reply could not be used (not JSON, no ``OK``, missing keys, a field of
    the wrong shape, HTTP error).

    Attributes
    ----------
    api_func : str or None
        The API function whose reply it was.
    status : int or None
        The HTTP status, for HTTP errors.
    field : str or None
        The reply field that has the wrong shape, if that is the problem.
    """

    def __init__(self, message, api_func=None, status=None, field=None):
        self.api_func = api_func
        self.status = status
        self.field = field
        super().__init__(message)


class UpperLimitPending(TimeoutError):
    """An upper-limit job did not finish within ``conf.upper_limit_wait``.

    Fetch the result later with ``SXPS.retrieve_upper_limit(err.job_id)``.
    """

    def __init__(self, job_id, waited=None):
        self.job_id = job_id
        self.waited = waited
        msg = (f"The upper limit is still being calculated (job id {job_id!r}). "
               f"Retrieve it later with SXPS.retrieve_upper_limit({job_id!r}).")
        super().__init__(msg)


class SourceSplitError(RemoteServiceError):
    """The requested LSXPS source was split into several newer sources.

    Attributes
    ----------
    identifier : int or str
        The identifier that was requested.
    newer_sources : `~astropy.table.Table`
        The descendant sources (``LSXPS_ID``, ``IAUName``, ``RA``, ``Decl``,
        ``Err90`` and a ``coord`` SkyCoord column).
    """

    def __init__(self, identifier, newer_sources):
        self.identifier = identifier
        self.newer_sources = newer_sources
        try:
            names = ", ".join(str(n) for n in newer_sources["IAUName"])
        except Exception:  # pragma: no cover - defensive, Table always has it
            names = "?"
        super().__init__(
            f"LSXPS source {identifier!r} has been split into {len(newer_sources)} "
            f"newer sources: {names}. See the `newer_sources` attribute of this error.")


class ObjectNotFoundError(RemoteServiceError):
    """The service has no such object (``skip_errors=True`` skips these)."""


class TransientNotInLSXPSError(ObjectNotFoundError):
    """A transient asked for with ``trans_as_source=True`` is not (yet) an LSXPS source."""


class ObsNotFoundError(ObjectNotFoundError):
    """The archive has no files for this observation (or none matched)."""


class UnsafeArchiveError(RemoteServiceError):
    """An archive from the server holds members that could escape the target directory, or
    more members or bytes than the limits allow (``conf.max_archive_members``,
    ``conf.max_extract_size``)."""


class BadFileError(SXPSResponseError):
    """A file from the server is not what its name says: truncated, an error page served
    with status 200, a broken archive, or larger than the limits allow. It is never kept
    under its final name, nor cached.

    Attributes
    ----------
    url : str or None
        Where it came from.
    """

    def __init__(self, message, url=None):
        self.url = url
        super().__init__(message)


class ProductRequestError(InvalidQueryError):
    """The catalogue record lacks what a product request needs (e.g. the T0 asked for)."""


class SAMPHubNotFoundError(RemoteServiceError):
    """No SAMP hub is running (none named by ``SAMP_HUB`` or the lock file), or it
    cannot be reached. Start TOPCAT, DS9 or Aladin (each runs a hub) and try again."""


class SAMPRecipientError(InvalidQueryError):
    """The SAMP recipient is not connected to the hub or does not accept the message
    (e.g. a table sent to DS9); the message lists the clients that do."""


class BatchAbortedError(RemoteServiceError):
    """A batch job stopped because the service failed several times in a row.

    Attributes
    ----------
    partial : `~astropy.table.Table`
        The result of the positions finished before the job stopped (as
        `query_upper_limits` returns it, with ``meta['failures']``).
    not_asked : list of int
        Input indices of the positions that were never asked.
    """

    def __init__(self, message, partial, not_asked):
        super().__init__(message)
        self.partial = partial
        self.not_asked = not_asked


class JournalMismatchError(InvalidQueryError):
    """The journal was written by a job with other options or other positions."""


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message, category=None):
    """`warnings.warn`, attributed to the first frame outside this package: the user's own
    line, however deep in the package the warning arises (in a worker thread, which has no
    user frame, the bottom of the thread's stack)."""
    frame, level = inspect.currentframe(), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


class SXPSWarning(AstropyUserWarning):
    """Base class of the warnings of this package."""


class NewerAPIVersionWarning(SXPSWarning):
    """The server speaks a newer API version than this client was written for."""


class SupersededWarning(SXPSWarning):
    """A source or stacked image was superseded, or a stack is obsolete."""


class CataloguedSourceWarning(SXPSWarning):
    """An upper-limit position lies within 30 arcsec of a catalogued source."""


class IgnoredOptionWarning(SXPSWarning):
    """An option was given that does not apply to this request and is ignored."""
