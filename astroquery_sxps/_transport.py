"""Transport: one place where requests to the UKSSDC JSON API are built, sent,
validated and cached.

Every public method of `~astroquery_sxps.SXPSClass` describes its call as an
`APIRequest` and hands it to `Transport.call` (or `Transport.map` for several
objects). That is where protocol.md section 1 is implemented:

* the body gets ``APIFunc`` and ``APIVersion`` (``1.0.5``) and is POSTed as JSON
  through `astroquery.query.BaseQuery._request`, so astroquery's cache is used;
* the reply is parsed permissively (bare ``NaN``/``Infinity`` tokens) and
  validated in the order of section 1.3 (HTTP status, JSON, version, ``ERROR``,
  ``OK``, required keys), then ``OK`` and ``APIVersion`` are stripped;
* connection errors and HTTP 5xx are retried with exponential back-off;
* a reply that is an error, lacks ``OK``, or is an upper-limit ``TIMEOUT`` is
  removed from the cache, so only good answers are ever replayed.
"""
import contextlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from astroquery import log
from astroquery.query import AstroQuery

from . import conf
from .exceptions import (InvalidQueryError, NewerAPIVersionWarning, SourceSplitError,
                         ObjectNotFoundError, SXPSResponseError, SXPSServerError,
                         TimeoutError, UpperLimitPending)

__all__ = ["API_VERSION", "APIRequest", "Transport"]

API_VERSION = "1.0.5"

_version_warned = False
_version_lock = threading.Lock()

#: Errors that mean "the server has no such object": ``skip_errors`` skips these only.
SKIPPABLE = (SXPSServerError, SourceSplitError, ObjectNotFoundError)
#: Failures that are themselves answers: the replies that led to them stay cached.
_ANSWERS = SKIPPABLE + (UpperLimitPending, InvalidQueryError)
#: The replies cached during the current public call (see forget_replies_on_failure).
_operation = threading.local()


def _version_tuple(text):
    """``'1.0.5'`` -> ``(1, 0, 5)``; non-numeric parts compare as 0 (no distutils)."""
    parts = []
    for piece in str(text).strip().split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _check_version(reply):
    global _version_warned
    server_version = reply.get("APIVersion")
    if server_version is None or _version_warned:
        return
    if _version_tuple(server_version) > _version_tuple(API_VERSION):
        with _version_lock:
            if not _version_warned:
                _version_warned = True
                import warnings
                warnings.warn(
                    f"The UKSSDC server speaks API version {server_version}, newer than "
                    f"the {API_VERSION} this client was written for. Results should still "
                    "be usable; consider updating astroquery-sxps.",
                    NewerAPIVersionWarning, stacklevel=4)


@dataclass
class APIRequest:
    """One call to the UKSSDC API.

    Parameters
    ----------
    api_func : str
        The ``APIFunc`` name, e.g. ``'getSXPSLC'``.
    payload : dict
        The request fields, without ``APIFunc``/``APIVersion``.
    min_keys : tuple of str
        Keys the reply must contain (protocol.md section 1.3, step 6).
    identifier : object
        What the request is about (used in error messages).
    uncacheable_keys : tuple of str
        Reply keys that mean "not a final answer": a reply holding any of them
        is not kept in the cache (e.g. ``TIMEOUT`` for upper limits).
    """

    api_func: str
    payload: dict = field(default_factory=dict)
    min_keys: tuple = ()
    identifier: object = None
    uncacheable_keys: tuple = ()

    @property
    def body(self):
        """The JSON body exactly as it is sent."""
        body = dict(self.payload)
        body["APIFunc"] = self.api_func
        body["APIVersion"] = API_VERSION
        return body


class Transport:
    """Sends `APIRequest` objects for a `~astroquery.query.BaseQuery` instance.

    Parameters
    ----------
    query : `~astroquery.query.BaseQuery`
        Supplies ``_request``, ``cache_location`` and the HTTP session.
    url : callable
        Returns the endpoint URL at call time (so ``conf.server`` changes apply).
    """

    def __init__(self, query, url):
        self._query = query
        self._url = url

    # -- cache hygiene -------------------------------------------------------
    def _cache_file(self, body, url):
        return AstroQuery("POST", url, json=body).request_file(self._query.cache_location)

    def forget(self, request, url=None):
        """Remove the cached reply of ``request`` (no error if there is none)."""
        url = url or self._url()
        try:
            self._cache_file(request.body, url).unlink()
        except FileNotFoundError:
            pass

    # -- sending -------------------------------------------------------------
    def _post(self, body, url, cache):
        """POST with retries; returns the `requests.Response` (status 200)."""
        retries = max(int(conf.retries), 0)
        backoff = float(conf.retry_backoff)
        attempt = 0
        while True:
            try:
                response = self._query._request("POST", url, json=body, cache=cache,
                                                timeout=conf.timeout)
                # content may raise if the connection dropped mid-body
                response.content
            except requests.exceptions.ConnectTimeout as exc:
                # never reached the server: as safe to retry as a refused connection
                error = exc
                status = None
            except requests.exceptions.Timeout as exc:
                # the server is working on it (upper limits take minutes): do not repeat
                raise TimeoutError(
                    f"No reply from {url} within conf.timeout={conf.timeout} s "
                    f"({body.get('APIFunc')}).") from exc
            except (requests.exceptions.ConnectionError,
                    requests.exceptions.ChunkedEncodingError) as exc:
                error = exc
                status = None
            else:
                status = response.status_code
                if status == 200:
                    return response
                if cache:
                    # astroquery caches every response, error pages included
                    self._cache_file(body, url).unlink(missing_ok=True)
                error = None
                if status < 500:
                    raise SXPSResponseError(
                        f"HTTP {status} {response.reason} from {url} "
                        f"({body.get('APIFunc')}).", api_func=body.get("APIFunc"),
                        status=status)
            attempt += 1
            if attempt > retries:
                what = f"HTTP {status}" if status else f"{type(error).__name__}: {error}"
                raise SXPSResponseError(
                    f"{body.get('APIFunc')} failed after {retries + 1} attempts "
                    f"({what}) from {url}.", api_func=body.get("APIFunc"),
                    status=status) from error
            wait = backoff * 2 ** (attempt - 1)
            log.info(f"{body.get('APIFunc')}: {'HTTP ' + str(status) if status else 'connection error'}"
                     f", retrying in {wait:g} s (attempt {attempt + 1} of {retries + 1})")
            time.sleep(wait)

    def call(self, request, *, cache=True):
        """Send ``request`` and return the validated, stripped reply (a dict).

        Raises
        ------
        SXPSServerError
            The reply holds ``ERROR`` (its ``ERRORTEXT`` is quoted verbatim).
        SXPSResponseError
            HTTP error, a body that is not JSON, no ``OK``, or missing keys.
        astroquery.exceptions.TimeoutError
            The HTTP request timed out.
        """
        url = self._url()
        body = request.body
        response = self._post(body, url, cache)
        keep = False
        try:
            reply = self._validate(response, request)
            keep = not any(key in reply for key in request.uncacheable_keys)
            return reply
        finally:
            if cache and not keep:
                self._cache_file(body, url).unlink(missing_ok=True)
            elif cache:
                kept = getattr(_operation, "kept", None)
                if kept is not None:   # forgotten again if the public call fails
                    kept.append(self._cache_file(body, url))

    @contextlib.contextmanager
    def forget_replies_on_failure(self):
        """Around one public call: if it fails while using a reply (a reply that
        passed the protocol checks but could not be parsed, say), the replies
        it cached are removed again, so the failure is not replayed from the
        cache. Failures that are answers (a server ``ERROR``, a split source,
        a pending upper limit, a bad argument) keep them: those replies are good.
        """
        if getattr(_operation, "kept", None) is not None:   # nested public call
            yield
            return
        _operation.kept = kept = []
        try:
            yield
        except _ANSWERS:
            raise
        except BaseException:
            for path in kept:
                path.unlink(missing_ok=True)
            raise
        finally:
            _operation.kept = None

    def _validate(self, response, request):
        api_func = request.api_func
        try:
            # json.loads accepts the bare NaN/Infinity tokens the server may send
            reply = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SXPSResponseError(
                f"The reply to {api_func} is not valid JSON ({exc}); the first bytes were "
                f"{response.content[:80]!r}.", api_func=api_func) from exc
        if not isinstance(reply, dict):
            raise SXPSResponseError(
                f"The reply to {api_func} is a JSON {type(reply).__name__}, not an object.",
                api_func=api_func)
        _check_version(reply)
        if "ERROR" in reply:
            raise SXPSServerError(reply["ERROR"], reply.get("ERRORTEXT", ""),
                                  api_func=api_func, identifier=request.identifier)
        if "OK" not in reply:
            raise SXPSResponseError(
                f"The reply to {api_func} has no 'OK' key and no error text "
                f"(keys: {sorted(reply)}).", api_func=api_func)
        missing = [key for key in request.min_keys if key not in reply]
        if missing:
            raise SXPSResponseError(
                f"The reply to {api_func} lacks the required key(s) {missing} "
                f"(keys: {sorted(reply)}).", api_func=api_func)
        reply.pop("OK", None)
        reply.pop("APIVersion", None)
        return reply

    # -- several objects -----------------------------------------------------
    @staticmethod
    def map(function, keys, *, skip_errors=False, max_workers=None):
        """Run ``function(key)`` for every key on a bounded thread pool.

        Returns a dict keyed by ``keys`` in the caller's order (duplicates
        collapse, the last one wins, as in the existing client). With
        ``skip_errors``, keys whose object the server does not have (a server
        ``ERROR`` reply, a split source, a transient not yet in LSXPS) are
        logged and left out; anything else (an outage, a broken reply, a bug)
        is raised, as is every error without ``skip_errors`` (the first in the
        caller's order).
        """
        keys = list(keys)
        workers = max(1, min(int(max_workers or conf.max_workers), len(keys) or 1))
        if workers == 1 or len(keys) <= 1:
            outcomes = []
            for key in keys:
                try:
                    outcomes.append((True, function(key)))
                except Exception as exc:  # sorted out below, in order
                    outcomes.append((False, exc))
                    if not (skip_errors and isinstance(exc, SKIPPABLE)):
                        break
        else:
            kept = getattr(_operation, "kept", None)

            def run(key):   # workers join the caller's public call (cache eviction)
                _operation.kept = kept
                try:
                    return function(key)
                finally:
                    _operation.kept = None

            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(run, key) for key in keys]
                outcomes = []
                for future in futures:
                    exc = future.exception()
                    outcomes.append((False, exc) if exc is not None
                                    else (True, future.result()))
        results = {}
        for key, (ok, value) in zip(keys, outcomes):
            if ok:
                results[key] = value
            elif skip_errors and isinstance(value, SKIPPABLE):
                log.warning(f"Skipping {key!r}: {value}")
            else:
                raise value
        return results
