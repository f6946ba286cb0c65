"""The transport: the one door between this package and the network.

Everything that crosses the wire goes through a `Transport` (one per
`~astroquery_sxps.SXPSClass` instance):

* `Transport.call` sends one `APIRequest` (JSON ``POST`` with ``APIFunc`` and
  ``APIVersion``), validates the reply in the order described in
  ``docs/sxps/api_protocol.rst`` (HTTP status, JSON, version, ``ERROR``,
  ``OK``, required keys, the shape of the function's reply) and caches it;
* `Transport.map` runs one function per object on a bounded thread pool;
* `Transport.download` and `Transport.cached_file` fetch the files replies
  point to, atomically (a temporary name renamed only once complete and
  checked); `Transport.copy_file` hands a cached file to the user as a copy.

Rules that hold for every request, and live only here:

* **Retries**: connection errors, connect time-outs and HTTP 5xx are retried
  with exponential back-off (``conf.retries``, ``conf.retry_backoff``); a read
  time-out is not (the server may be busy with a long upper-limit job).
* **Politeness**: at most ``conf.max_workers`` requests of one instance are in
  flight at once, across all its calls and threads.
* **The cache**: entries live in astroquery's cache folder
  (``SXPSClass.cache_location``), named and pickled as astroquery names and
  pickles them (so ``clear_cache()`` and astroquery's ``cache_timeout``
  apply), but only replies that passed every check are written, atomically
  (temporary file, then rename), and only when the public call that fetched
  them succeeds. An entry that cannot be read is logged, dropped and fetched
  again.
"""
import contextlib
import contextvars
import hashlib
import json
import logging
import os
import pickle
import queue
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from astroquery import cache_conf, log
from astroquery.query import AstroQuery
from packaging.version import InvalidVersion, Version

from . import _files
from ._replies import check_reply
from ._conf import conf
from .exceptions import (BadFileError, InvalidQueryError, NewerAPIVersionWarning,
                         ObjectNotFoundError, SXPSResponseError, SXPSServerError, SourceSplitError,
                         TimeoutError, UpperLimitPending, warn)

__all__ = ["API_VERSION", "APIRequest", "Transport", "SKIPPABLE", "let_pool_run"]

API_VERSION = "1.0.5"

#: Errors that mean "the server has no such object": ``skip_errors`` skips these only.
SKIPPABLE = (SXPSServerError, SourceSplitError, ObjectNotFoundError)
#: Failures that are themselves answers: the replies that led to them are good and are cached.
ANSWERS = SKIPPABLE + (UpperLimitPending, InvalidQueryError)

_version_warned = False
_version_lock = threading.Lock()


def _newer_than_ours(server_version):
    """True if the server's APIVersion is newer than `API_VERSION` (PEP 440 comparison)."""
    try:
        return Version(str(server_version).strip()) > Version(API_VERSION)
    except InvalidVersion:
        return False


def _check_version(reply):
    global _version_warned
    server_version = reply.get("APIVersion")
    if server_version is None or _version_warned or not _newer_than_ours(server_version):
        return
    with _version_lock:
        if _version_warned:
            return
        _version_warned = True
    warn(f"The UKSSDC server speaks API version {server_version}, newer than "
         f"the {API_VERSION} this client was written for. Results should still "
         "be usable; consider updating astroquery-sxps.",
         NewerAPIVersionWarning)


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
        Keys the reply must contain.
    identifier : object
        What the request is about (used in error messages).
    uncacheable_keys : tuple of str
        Reply keys that mean "not a final answer": a reply holding any of them
        is not cached (e.g. ``TIMEOUT`` for upper limits).

    The shape of each function's reply is checked by
    `~astroquery_sxps._replies.check_reply`, for every request.
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


class _Retry(Exception):
    """One attempt failed in a way worth retrying (connection trouble, HTTP 5xx)."""

    def __init__(self, error=None, status=None):
        super().__init__(str(error or status))
        self.error = error
        self.status = status


class _Limiter:
    """At most ``conf.max_workers`` holders at once (read at every acquisition)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._busy = 0

    @contextlib.contextmanager
    def slot(self):
        with self._cond:
            while self._busy >= max(1, int(conf.max_workers)):
                self._cond.wait()
            self._busy += 1
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify()


class _Operation:
    """The cache writes of one public call, held back until it succeeds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.replies = {}       # cache path -> (url, content)
        self.files = []         # cache files downloaded by this call


#: The public call running in this context (copied into pool threads by `Transport.map`).
_current_operation = contextvars.ContextVar("sxps_operation", default=None)
#: True in the caller's thread while it reads replies beside a pool (`let_pool_run`).
_beside_pool = contextvars.ContextVar("sxps_beside_pool", default=False)


class Transport:
    """The one door to the UKSSDC for a `~astroquery.query.BaseQuery` instance.

    Parameters
    ----------
    query : `~astroquery.query.BaseQuery`
        Supplies the HTTP session (astroquery's user agent and hooks) and
        ``cache_location``.
    url : callable
        Returns the API endpoint at call time (so changes of ``conf.server``
        apply).
    """

    def __init__(self, query, url):
        self._query = query
        self._url = url
        self._limiter = _Limiter()
        # astroquery's response hook formats every request and response for its debug
        # log (decoding the whole body and guessing its encoding) even when debug logging
        # is off: a tenth of the time of a multi-object call. Log the exchange only when
        # someone listens.
        hooks = query._session.hooks["response"]
        hooks[:] = [h for h in hooks if getattr(h, "__func__", None)
                    is not type(query)._response_hook] + [_log_exchange]

    @property
    def url(self):
        """The API endpoint in use now."""
        return self._url()

    # -- one public call --------------------------------------------------------
    @contextlib.contextmanager
    def operation(self):
        """Around one public call: replies it fetched are written to the cache only if it
        succeeds, or fails with an answer (a server ``ERROR``, a split source, a pending
        upper limit, a bad argument); files it downloaded into the cache are removed
        if it fails otherwise. A call nested in another joins the outer one."""
        if _current_operation.get() is not None:
            yield
            return
        op = _Operation()
        token = _current_operation.set(op)
        try:
            yield
        except ANSWERS:
            self._commit(op)
            raise
        except BaseException:
            for path in op.files:
                Path(path).unlink(missing_ok=True)
            raise
        else:
            self._commit(op)
        finally:
            _current_operation.reset(token)

    def _commit(self, op):
        with op.lock:
            entries = list(op.replies.items())
            op.replies.clear()
        for path, (url, content) in entries:
            self._write_entry(path, url, content)

    # -- cache entries ------------------------------------------------------------
    def _entry(self, request, url):
        """The path of the cache entry of ``request`` sent to ``url``, and what reads it:
        astroquery's request (which names the file; its hash is taken once) and the
        cache folder."""
        query = AstroQuery("POST", url, json=request.body)
        location = self._query.cache_location
        return query.request_file(location), (query, location)

    def _read_entry(self, path, entry):
        """The bytes of the cached reply at ``path`` (``entry`` from `_entry`), or None
        (missing, expired, unreadable: then dropped)."""
        op = _current_operation.get()
        if op is not None:
            with op.lock:
                staged = op.replies.get(path)
            if staged is not None:
                return staged[1]
        try:
            # astroquery's own reader: its file naming and its cache_timeout
            query, location = entry
            response = query.from_cache(location, cache_conf.cache_timeout)
        except Exception as exc:    # truncated, empty or garbled: a miss
            log.warning(f"Dropping an unreadable cache entry {path.name} ({type(exc).__name__}: "
                        f"{exc}); fetching again.")
            path.unlink(missing_ok=True)
            return None
        if response is None:
            return None
        if response.status_code != 200:
            log.warning(f"Dropping a cache entry {path.name} that is not a good reply; "
                        "fetching again.")
            path.unlink(missing_ok=True)
            return None
        return response.content

    def _write_entry(self, path, url, content):
        """Write one cache entry as astroquery does (a pickled Response), atomically."""
        response = requests.Response()
        response.status_code = 200
        response._content = content          # what requests keeps for a fetched body
        response.url = url
        response.encoding = "utf-8"
        response.headers["Content-Type"] = "application/json"
        tmp = _files.temporary_name(path)
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:      # what astroquery.query.to_cache writes
                pickle.dump(response, f, protocol=4)
            os.replace(tmp, path)
        except OSError as exc:   # a read-only or full cache must not break the call
            log.warning(f"Could not write the cache entry {path} ({exc}).")
        finally:
            tmp.unlink(missing_ok=True)

    def _stage(self, path, url, content):
        op = _current_operation.get()
        if op is None:
            self._write_entry(path, url, content)
        else:
            with op.lock:
                op.replies[path] = (url, content)

    def is_cached(self, request):
        """True if a reply to ``request`` is in the cache (or staged by the running call)."""
        path, _ = self._entry(request, self.url)
        op = _current_operation.get()
        if op is not None:
            with op.lock:
                if path in op.replies:
                    return True
        return path.exists()

    def forget(self, request):
        """Remove the cached reply of ``request`` (no error if there is none)."""
        self._drop(self._entry(request, self.url)[0])

    @staticmethod
    def _drop(path):
        """Remove the cache entry at ``path``, and its reply staged by the running call."""
        op = _current_operation.get()
        if op is not None:
            with op.lock:
                op.replies.pop(path, None)
        path.unlink(missing_ok=True)

    # -- JSON calls -----------------------------------------------------------------
    def call(self, request, *, cache=True):
        """Send ``request`` and return the validated reply (a dict without ``OK``/``APIVersion``).

        Raises
        ------
        SXPSServerError
            The reply holds ``ERROR`` (its ``ERRORTEXT`` is quoted verbatim).
        SXPSResponseError
            HTTP error, a body that is not JSON, no ``OK``, missing keys, or a
            reply of the wrong shape.
        astroquery.exceptions.TimeoutError
            The HTTP request timed out.
        """
        url = self.url
        path, entry = self._entry(request, url) if cache else (None, None)
        if path is not None:
            content = self._read_entry(path, entry)
            if content is not None:
                try:
                    return self._validate(content, request)
                except (SXPSResponseError, SXPSServerError) as exc:
                    log.warning(f"Dropping a cached reply to {request.api_func} that is not "
                                f"usable ({exc}); fetching again.")
                    self._drop(path)
        content = self._post(request, url)
        reply = self._validate(content, request)
        if path is not None and not any(key in reply for key in request.uncacheable_keys):
            self._stage(path, url, content)
        return reply

    def _post(self, request, url):
        api_func = request.api_func
        body = request.body

        def attempt():
            with self._limiter.slot(), _http_errors(
                    f"No reply from {url} within conf.timeout={conf.timeout} s ({api_func})."), \
                    self._query._session.request("POST", url, json=body, timeout=conf.timeout,
                                                 stream=True) as response:
                _refuse_status(response, f"from {url} ({api_func}).", api_func=api_func)
                # read in blocks, so that a reply past the limit is never held whole
                limit = int(conf.max_reply_size)
                blocks, size = [], 0
                for block in response.iter_content(1 << 16):
                    size += len(block)
                    if size > limit:
                        raise SXPSResponseError(
                            f"The reply to {api_func} from {url} is larger than "
                            f"conf.max_reply_size={limit} bytes; it was not read.",
                            api_func=api_func)
                    blocks.append(block)
                return b"".join(blocks)

        return self._retrying(attempt, f"{api_func} from {url}", api_func=api_func)

    @staticmethod
    def _retrying(attempt, what, api_func=None):
        """Run ``attempt()`` until it returns; `_Retry` failures are retried with back-off."""
        retries = max(int(conf.retries), 0)
        for number in range(retries + 1):
            try:
                return attempt()
            except _Retry as exc:
                reason = (f"HTTP {exc.status}" if exc.status else
                          f"{type(exc.error).__name__}: {exc.error}")
                if number == retries:
                    raise SXPSResponseError(f"{what} failed after {retries + 1} attempts "
                                            f"({reason}).", api_func=api_func,
                                            status=exc.status) from exc.error
                wait_s = float(conf.retry_backoff) * 2 ** number
                log.info(f"{what}: {reason}; retrying in {wait_s:g} s "
                         f"(attempt {number + 2} of {retries + 1})")
                time.sleep(wait_s)

    @staticmethod
    def _validate(content, request):
        api_func = request.api_func
        try:
            # json.loads accepts the bare NaN/Infinity tokens the server may send
            reply = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SXPSResponseError(
                f"The reply to {api_func} is not valid JSON ({exc}); the first bytes were "
                f"{content[:80]!r}.", api_func=api_func) from exc
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
                f"(keys: {sorted(map(str, reply))}).", api_func=api_func)
        missing = [key for key in request.min_keys if key not in reply]
        if missing:
            raise SXPSResponseError(
                f"The reply to {api_func} lacks the required key(s) {missing} "
                f"(keys: {sorted(map(str, reply))}).", api_func=api_func)
        reply.pop("OK", None)
        reply.pop("APIVersion", None)
        check_reply(api_func, reply)        # the shape of this function's replies
        return reply

    # -- several objects -------------------------------------------------------------
    def map(self, function, keys, *, skip_errors=False, then=None):
        """Run ``function(key)`` for every distinct key on a bounded thread pool.

        Returns a dict in the caller's order of ``keys`` (a repeated key is
        run once). With ``skip_errors``, keys whose object the server does not
        have (`SKIPPABLE`: a server ``ERROR``, a split source, a transient not
        yet in LSXPS, an observation not in the archive) are logged and left
        out. Any other failure (an outage, a broken reply, a bug) stops the
        submission of the keys not yet started and is raised, as is every
        failure without ``skip_errors`` (the first in the caller's order).

        ``then(key, value)``, if given, turns each result into the final one
        in the caller's thread, as results arrive, while the pool goes on
        with the next keys: CPU-bound reading (parsing replies into astropy
        objects) then overlaps the network waits instead of delaying the
        next request. Its failures count as the key's.
        """
        keys = list(dict.fromkeys(keys))
        workers = max(1, min(int(conf.max_workers), len(keys) or 1))

        def fatal(exc):
            return not (skip_errors and isinstance(exc, SKIPPABLE))

        def finish(key, outcome):
            ok, value = outcome
            if ok and then is not None:
                try:
                    return True, then(key, value)
                except Exception as exc:  # sorted out below, in order
                    return False, exc
            return outcome

        outcomes = {}
        if workers == 1:
            for key in keys:
                try:
                    outcome = (True, function(key))
                except Exception as exc:  # sorted out below, in order
                    outcome = (False, exc)
                outcomes[key] = finish(key, outcome)
                if not outcomes[key][0] and fatal(outcomes[key][1]):
                    break
        else:
            # Each pool thread takes the next key itself as soon as it is free: it
            # never waits for the caller's thread, which may be busy reading.
            pending = iter(keys)
            taking = threading.Lock()
            stop = threading.Event()
            arrived = queue.SimpleQueue()

            def next_key():
                with taking:
                    return _END if stop.is_set() else next(pending, _END)

            def work():
                try:
                    while (key := next_key()) is not _END:
                        try:
                            outcome = (True, function(key))
                        except Exception as exc:  # sorted out below, in order
                            outcome = (False, exc)
                            if fatal(exc):
                                stop.set()
                        arrived.put((key, outcome))
                finally:
                    arrived.put((_END, None))

            with ThreadPoolExecutor(max_workers=workers,
                                    thread_name_prefix="sxps") as pool:
                beside = _beside_pool.set(True)
                try:
                    for _ in range(workers):
                        # each pool thread joins the caller's public call (its cache writes)
                        pool.submit(contextvars.copy_context().run, work)
                    running = workers
                    while running:
                        key, outcome = arrived.get()
                        if key is _END:
                            running -= 1
                            continue
                        outcomes[key] = finish(key, outcome)
                        if not outcomes[key][0] and fatal(outcomes[key][1]):
                            stop.set()
                finally:
                    stop.set()      # an interrupted caller: start no further key
                    _beside_pool.reset(beside)
        results = {}
        for key in keys:
            if key not in outcomes:
                continue
            ok, value = outcomes[key]
            if ok:
                results[key] = value
            elif not fatal(value):
                log.warning(f"Skipping {key!r}: {value}")
            else:
                raise value
        return results

    # -- files -----------------------------------------------------------------------
    def download(self, url, path, *, clobber=False, root=None, show_progress=None):
        """Download ``url`` to ``path`` atomically; returns the path.

        Parameters
        ----------
        url : str
        path : path-like
            The final name; parent folders are created.
        clobber : bool
            Replace an existing file. Without it an existing file is kept
            (logged), unless it is not what its name says
            (`~astroquery_sxps._files.check_file`): then it is downloaded
            again. A downloaded file that fails that check never gets its
            final name.
        root : path-like, optional
            The destination folder: ``path`` must resolve inside it.
        show_progress : bool, optional
            Show a progress bar (astropy's, on a terminal) naming the final
            file; default ``conf.show_progress``.

        Raises
        ------
        BadFileError
            The server sent something that is not the file (named with the URL).
        """
        path = Path(path)
        if root is not None:
            _files.check_inside(root, path)
        if path.exists() and not clobber and self._passes(path):
            log.info(f"{path} exists and clobber=False: keeping the existing file.")
            return path
        return self._fetch(url, path, lambda tmp: self._keep(tmp, path, url), root=root,
                           show_progress=show_progress)

    def _fetch(self, url, path, keep, *, root=None, show_progress=None):
        """Fetch ``url`` into a temporary name beside ``path`` and return ``keep(tmp)``, which
        checks it and gives it its final name (attempts retried by `_retrying`). Missing
        parent folders are created, and removed again if it fails."""
        created = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if root is not None:      # a link among the folders just created may point out
                _files.check_inside(root, path)
            return self._retrying(lambda: self._fetch_file(url, path, keep, show_progress),
                                  f"Download of {url}")
        except BaseException:
            for folder in created:    # leave no empty folders behind a failed download
                try:
                    folder.rmdir()
                except OSError:
                    break
            raise

    def _fetch_file(self, url, path, keep, show_progress):
        """One attempt: stream to a temporary name beside ``path``, then ``keep`` it."""
        if show_progress is None:
            show_progress = bool(conf.show_progress)
        tmp = _files.temporary_name(path)
        try:
            with self._limiter.slot():
                self._stream(url, tmp, path, show_progress)
            return keep(tmp)
        finally:
            tmp.unlink(missing_ok=True)

    def _stream(self, url, tmp, final, show_progress):
        """GET ``url`` into ``tmp`` in blocks (status checked; an error page is never kept)."""
        import astropy.utils.data
        from astropy.utils.console import ProgressBarOrSpinner
        with _http_errors(f"Timed out downloading {url}; nothing was written to {final}."), \
                self._query._session.get(url, timeout=conf.timeout, stream=True) as response:
            _refuse_status(response, f"while downloading {url}; nothing was written to {final}.")
            total = response.headers.get("content-length")
            total = int(total) if total and total.isdigit() else None
            limit = int(conf.max_download_size)
            if total is not None and total > limit:
                raise BadFileError(f"{url} is {total} bytes, more than conf.max_download_size="
                                   f"{limit}; nothing was downloaded.", url=url)
            block = astropy.utils.data.conf.download_block_size
            done = 0
            with open(tmp, "wb") as out, contextlib.ExitStack() as stack:
                bar = None
                if show_progress:
                    bar = stack.enter_context(ProgressBarOrSpinner(
                        total, f"Downloading {url} to {final} ..."))
                for chunk in response.iter_content(block):
                    done += len(chunk)
                    if done > limit:
                        raise BadFileError(f"{url} is larger than conf.max_download_size="
                                           f"{limit} bytes; nothing was kept.", url=url)
                    out.write(chunk)
                    if bar is not None:
                        bar.update(done)

    @staticmethod
    def _check(path, name, url, *, gunzip_into=None):
        """`_files.check_file` of ``path`` as ``name``; a file that fails raises
        `~astroquery_sxps.exceptions.BadFileError` naming ``url``."""
        try:
            _files.check_file(path, name, gunzip_into=gunzip_into)
        except BadFileError as exc:
            raise BadFileError(f"The file from {url} is not a valid {name}: {exc}; "
                               "nothing was kept.", url=url) from None

    @classmethod
    def _keep(cls, tmp, final, url):
        """Give ``tmp`` its final name if it is what the name of ``final`` says
        (`_files.check_file`); else `~astroquery_sxps.exceptions.BadFileError` naming
        ``url`` (and nothing is kept)."""
        cls._check(tmp, final.name, url)
        os.replace(tmp, final)
        return final

    @classmethod
    def _keep_gunzipped(cls, tmp, packed, final, url):
        """Keep the gzip file fetched into ``tmp`` (sent as ``packed``) decompressed, as
        ``final``, checked as `download` checks files: ``packed`` by its name, then
        ``final`` by its own.

        A ``.gz`` or ``.fits.gz`` file is decompressed once, by its check (which reads it
        whole: integrity, ``conf.max_decompressed_size``). An archive (``.tar.gz``),
        whose check reads it through `tarfile`, is kept as ``packed`` and then
        decompressed by `_files.gunzip_file`. The caller removes ``packed``.
        """
        out = _files.temporary_name(final)
        try:
            if _files.file_kind(packed.name) in ("gz", "fits.gz"):
                try:
                    with open(out, "wb") as f:
                        cls._check(tmp, packed.name, url, gunzip_into=f)
                except OSError as exc:
                    # The copy could not be written. A fault of the file itself is still
                    # reported first (check it again, without writing), then this error
                    # as gunzip_file words it.
                    cls._check(tmp, packed.name, url)
                    raise BadFileError(f"Could not decompress {packed}: {exc}") from exc
            else:
                cls._keep(tmp, packed, url)
                _files.gunzip_file(packed, out, remove_source=False)
            return cls._keep(out, final, url)
        finally:
            out.unlink(missing_ok=True)

    @staticmethod
    def _passes(path):
        """True if ``path`` is what its name says (`_files.check_file`); else warns."""
        try:
            _files.check_file(path, Path(path).name)
            return True
        except BadFileError as exc:
            log.warning(f"{path} is not a valid file ({exc}); it is replaced.")
            return False

    def cached_file(self, url, name, *, cache=True, decompress=False, show_progress=None):
        """A local copy of ``url`` in the cache folder (fetched if needed); returns its path.

        Parameters
        ----------
        url : str
        name : str
            The file name to keep it under (checked with
            `~astroquery_sxps._files.safe_name`).
        cache : bool
            Reuse a copy already in the cache if it is what its name says
            (`~astroquery_sxps._files.check_file`); False fetches anew.
        decompress : bool
            ``name`` ends in ``.gz``: keep the decompressed file (without ``.gz``).
        show_progress : bool, optional
            Default ``conf.show_progress``.
        """
        key = hashlib.sha1(str(url).encode("utf-8")).hexdigest()[:16]
        folder = Path(self._query.cache_location) / "sxps-files" / key
        name = _files.safe_name(name)
        final = _files.safe_path(folder, name[:-3] if decompress and name.endswith(".gz")
                                 else name)
        if cache and final.exists() and self._passes(final):
            return final
        op = _current_operation.get()
        if decompress and final.name != name:
            packed = folder / name
            try:
                self._fetch(url, packed, lambda tmp: self._keep_gunzipped(tmp, packed, final, url),
                            show_progress=show_progress)
            finally:
                packed.unlink(missing_ok=True)
        else:
            self.download(url, final, clobber=True, show_progress=show_progress)
        if op is not None:
            with op.lock:
                op.files.append(final)
        return final

    def derived_folder(self, *names):
        """A folder in the cache folder for files the package derives from what it fetched
        (a catalogue written as HATS, say), created if needed; ``names`` are checked."""
        folder = _files.safe_path(Path(self._query.cache_location) / "sxps-derived", *names)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @staticmethod
    @contextlib.contextmanager
    def progress(total, label):
        """One progress bar over ``total`` steps (files of one object, say), shown on a
        terminal when ``conf.show_progress`` is on; yields ``advance()``."""
        if not conf.show_progress or total < 2:
            yield lambda: None
            return
        from astropy.utils.console import ProgressBar
        log.debug(label)
        with ProgressBar(total) as bar:
            yield bar.update

    @classmethod
    def copy_file(cls, source, directory, *, clobber=False, identical=False):
        """Copy a (cached, checked) file into ``directory``, atomically; never a link, so
        editing the copy cannot change what the cache holds.

        Without ``clobber`` a file already there is kept if it passes the checks of a
        download (`_files.check_file`), or, with ``identical``, only if it holds the
        same bytes (a catalogue table found there that differs is stale or damaged);
        otherwise it is replaced, with a warning.
        """
        source = Path(source)
        target = _files.safe_path(directory, source.name)
        if target.exists() and not clobber:
            if _same_content(source, target):
                return target
            if not identical and cls._passes(target):
                log.info(f"{target} exists and clobber=False: keeping the existing file.")
                return target
            if identical:
                log.warning(f"{target} exists but differs from what the server sends now; "
                            "replacing it.")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _files.temporary_name(target)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target


def _same_content(a, b):
    """True if two files hold the same bytes (sizes first, then a streamed comparison)."""
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            block_a, block_b = fa.read(1 << 20), fb.read(1 << 20)
            if block_a != block_b:
                return False
            if not block_a:
                return True


_END = object()


def let_pool_run():
    """Give the interpreter to the pool threads for a moment; readers call it between
    the parts of a long reading (the datasets of a light curve, the tables of a record).

    While `Transport.map` reads one object in the caller's thread, a pool thread
    whose reply has arrived waits for the GIL up to `sys.getswitchinterval` (5 ms)
    at each step of its request: with readings of several milliseconds, that wait
    delays every next request. ``time.sleep(0)`` releases the GIL at once; it
    costs tens of microseconds, so it is done only while a pool runs beside.
    """
    if _beside_pool.get():
        time.sleep(0)


def _log_exchange(response, *args, **kwargs):
    if log.isEnabledFor(logging.DEBUG):
        log.debug(f"HTTP {response.request.method} {response.url} -> {response.status_code} "
                  f"{response.reason}")


def _refuse_status(response, where, api_func=None):
    """The HTTP status rule of every request: 5xx is worth a retry (`_Retry`); any other
    status but 200 raises `SXPSResponseError` "HTTP <status> <reason> ``where``"."""
    status = response.status_code
    if status >= 500:
        raise _Retry(status=status)
    if status != 200:
        raise SXPSResponseError(f"HTTP {status} {response.reason} {where}", api_func=api_func,
                                status=status)


@contextlib.contextmanager
def _http_errors(timeout_message):
    """Map the requests library's failures: connection trouble (and a connect time-out,
    which never reached the server) is worth a retry; a read time-out is not (the server
    may be busy with a long upper-limit job) and becomes astroquery's TimeoutError."""
    try:
        yield
    except requests.exceptions.ConnectTimeout as exc:
        raise _Retry(exc) from exc
    except requests.exceptions.Timeout as exc:
        raise TimeoutError(timeout_message) from exc
    except (requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError) as exc:
        raise _Retry(exc) from exc
