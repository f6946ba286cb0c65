"""A local emulator of the UKSSDC SXPS JSON API, over real HTTP on 127.0.0.1.

It answers every ``APIFunc`` the package uses (``docs/sxps/api_protocol.rst``) with
replies built from the real
values printed in the reference tutorial (see ``data/``), serves the files its
replies point to, and injects faults on demand so that clients can be tested
against everything the real service may do.

Handlers live in `astroquery_sxps.testing.handlers`, one module per product;
each registers itself with `api_function` (JSON calls) or `file_route`
(static files under ``/files/``).
"""
import collections
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

__all__ = ["SXPSEmulator", "APIError", "api_function", "file_route", "API_PATH"]

API_PATH = "/API/main.php"
API_VERSION = "1.0.5"

#: APIFunc name -> handler(emulator, body) -> reply dict
HANDLERS = {}
#: path prefix -> provider(emulator, rest) -> bytes or None
FILE_ROUTES = {}


def api_function(name):
    """Register ``handler(emulator, body) -> dict`` for ``APIFunc == name``."""
    def decorator(func):
        HANDLERS[name] = func
        return func
    return decorator


def file_route(prefix):
    """Register ``provider(emulator, rest) -> bytes | None`` for ``/files/<prefix><rest>``."""
    def decorator(func):
        FILE_ROUTES[prefix] = func
        return func
    return decorator


class APIError(Exception):
    """Raised by a handler to answer ``{"ERROR": code, "ERRORTEXT": text}``."""

    def __init__(self, text, code=1):
        super().__init__(text)
        self.text = text
        self.code = code


class _Faults:
    """Queued faults; each entry is consumed by one matching request."""

    def __init__(self):
        self._lock = threading.Lock()
        self.queue = []          # list of [kind, remaining, api_func/path, arg]

    def add(self, kind, count, target=None, arg=None):
        with self._lock:
            self.queue.append([kind, count, target, arg])

    def take(self, kinds, target):
        with self._lock:
            for entry in self.queue:
                kind, remaining, want, arg = entry
                if kind in kinds and remaining > 0 and (want is None or want == target):
                    entry[1] -= 1
                    return kind, arg
        return None, None

    def clear(self):
        with self._lock:
            self.queue.clear()


class SXPSEmulator:
    """The emulator: start it, point a client at `api_url`, stop it.

    Parameters
    ----------
    host : str
        Interface to bind (default ``127.0.0.1``).
    port : int
        0 picks a free ephemeral port.
    latency : float
        Seconds every API call waits before answering (e.g. 0.05 to model
        the real service in benchmarks).
    file_latency : float
        Seconds every file download waits before answering (the real
        service's files come from the same host, over the same network).

    Examples
    --------
    >>> from astroquery_sxps.testing import SXPSEmulator
    >>> from astroquery_sxps import SXPSClass
    >>> with SXPSEmulator() as emu:
    ...     sxps = SXPSClass(server=emu.api_url)
    ...     tables = sxps.list_old_tables(cache=False)
    """

    def __init__(self, host="127.0.0.1", port=0, latency=0.0, file_latency=0.0):
        from . import handlers  # noqa: F401  (importing registers every handler)
        self.host = host
        self.latency = latency
        self.file_latency = file_latency
        self.faults = _Faults()
        self.counts = collections.Counter()
        self.file_counts = collections.Counter()
        self.requests = []
        self.in_flight = 0       # API calls being answered right now
        self.peak_in_flight = 0  # the most seen at once since the last reset
        self.state = {}          # per-handler state (upper-limit jobs, ...)
        self.options = {}        # reply-form switches handlers may honour
        self._files = {}
        self._file_cache = {}
        self._memo = {}          # request body -> reply bytes (options['memo_replies'])
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.emulator = self
        self._thread = None

    # -- life cycle ----------------------------------------------------------
    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self):
        """The URL to give `~astroquery_sxps.SXPSClass` as ``server``."""
        return self.base_url + API_PATH

    def file_url(self, path):
        """Absolute URL of a file served under ``/files/``."""
        return f"{self.base_url}/files/{path}"

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever,
                                            name="sxps-emulator", daemon=True)
            self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def wait_idle(self, timeout=5.0):
        """Wait until no API call is being answered (e.g. one a client gave up on)."""
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.in_flight == 0

    def reset(self):
        """Forget faults, counters, recorded requests, options and handler state."""
        self.faults.clear()
        self.latency = self.file_latency = 0.0
        self.wait_idle()
        with self._lock:
            self.counts.clear()
            self.file_counts.clear()
            self.requests.clear()
            self.state.clear()
            self.options.clear()
            self._memo.clear()
            self.peak_in_flight = 0
        self.latency = 0.0

    # -- faults on demand ----------------------------------------------------
    def fail_next(self, count=1, status=503, api_func=None):
        """Answer the next ``count`` API calls (of ``api_func``, or any) with HTTP ``status``."""
        self.faults.add("status", count, api_func, status)

    def malformed_next(self, count=1, api_func=None):
        """Answer the next ``count`` API calls with a body that is not JSON."""
        self.faults.add("malformed", count, api_func)

    def drop_next(self, count=1, api_func=None):
        """Close the connection half-way through the next ``count`` API replies."""
        self.faults.add("drop", count, api_func)

    def reply_next(self, reply, count=1, api_func=None):
        """Answer the next ``count`` API calls with ``reply`` (a dict, sent as is)."""
        self.faults.add("canned", count, api_func, reply)

    def delay_next(self, seconds, count=1, api_func=None):
        """Make the next ``count`` API calls wait ``seconds`` before answering."""
        self.faults.add("delay", count, api_func, seconds)

    def fail_file(self, path, status=404, count=1):
        """Answer the next ``count`` GETs of ``/files/<path>`` with HTTP ``status``."""
        self.faults.add("file_status", count, path, status)

    def drop_file(self, path, count=1):
        """Cut the next ``count`` downloads of ``/files/<path>`` half-way."""
        self.faults.add("file_drop", count, path)

    # -- files ---------------------------------------------------------------
    def add_file(self, path, content):
        """Serve ``content`` (bytes or a callable returning bytes) at ``/files/<path>``."""
        with self._lock:
            self._files[path] = content
            self._file_cache.pop(path, None)

    def get_file(self, path):
        """Bytes of ``/files/<path>``, or None if there is no such file."""
        if path in self._file_cache:
            return self._file_cache[path]
        content = self._files.get(path)
        if content is None:
            for prefix in sorted(FILE_ROUTES, key=len, reverse=True):
                if path.startswith(prefix):
                    content = FILE_ROUTES[prefix](self, path[len(prefix):])
                    break
        elif callable(content):
            content = content()
        if content is not None:
            with self._lock:
                self._file_cache[path] = content
        return content

    # -- dispatch ------------------------------------------------------------
    def handle_api(self, body):
        """Reply (a dict) to one request body; used by the HTTP layer and tests."""
        func = body.get("APIFunc") if isinstance(body, dict) else None
        with self._lock:
            self.counts[func] += 1
            self.requests.append(body)
        handler = HANDLERS.get(func)
        if handler is None:
            return {"ERROR": 1, "ERRORTEXT": f"Unknown APIFunc `{func}`."}
        try:
            reply = self._synthetic_source(func, body, handler)
            if reply is None:
                reply = handler(self, body)
        except APIError as exc:
            return {"ERROR": exc.code, "ERRORTEXT": exc.text}
        reply = dict(reply)
        reply.setdefault("OK", 1)
        reply.setdefault("APIVersion", self.options.get("api_version", API_VERSION))
        return reply

    def reply_bytes(self, body):
        """`handle_api`'s reply to ``body`` as the JSON bytes sent.

        With ``options['memo_replies']`` (benchmarks), a request body seen
        before is answered with the bytes sent the first time (still counted
        and recorded): the real service does its work on its own machine, and
        the emulator's work would otherwise compete with the client measured
        for the same cores.
        """
        key = json.dumps(body, sort_keys=True) if self.options.get("memo_replies") else None
        with self._lock:
            payload = self._memo.get(key) if key is not None else None
            if payload is not None:
                self.counts[body.get("APIFunc") if isinstance(body, dict) else None] += 1
                self.requests.append(body)
        if payload is None:
            payload = json.dumps(self.handle_api(body), allow_nan=True).encode()
            if key is not None:
                with self._lock:
                    self._memo[key] = payload
        return payload

    #: APIFuncs answered for ``SYNTH-<n>`` names with ``options['synthetic_sources']``
    #: (light curves have their own synthetic sources, see handlers/lightcurves.py).
    SYNTHETIC_FUNCS = ("getSXPSSourceInfo", "getSXPSSpectrumData", "getSXPSSourceImages")
    #: The real source the synthetic ones copy (the tutorial's LSXPS J221755.4-082100).
    SYNTHETIC_TEMPLATE = 106107

    def _synthetic_source(self, func, body, handler):
        """For benchmarks of many objects: ``SYNTH-<n>`` (with
        ``options['synthetic_sources']``) answers as the template source does, the
        record renamed so that it describes the source asked for; None otherwise."""
        name = body.get("sourceName") if isinstance(body, dict) else None
        if not (self.options.get("synthetic_sources") and func in self.SYNTHETIC_FUNCS
                and isinstance(name, str) and name.startswith("SYNTH-")
                and name[6:].isdigit()):
            return None
        reply = handler(self, dict(body, sourceName=None, sourceID=self.SYNTHETIC_TEMPLATE))
        if func == "getSXPSSourceInfo":
            record = dict(reply.get("data", reply))
            record.update(IAUName=name, LSXPS_ID=9000000 + int(name[6:]))
            reply = {"data": record} if "data" in reply else record
        return reply

    def requests_for(self, api_func):
        """Bodies received for ``api_func``, oldest first."""
        with self._lock:
            return [b for b in self.requests if isinstance(b, dict) and b.get("APIFunc") == api_func]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: without TCP_NODELAY every reply
    # waits ~40 ms for the client's delayed ACK (Nagle), which swamps benchmarks
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep test output clean
        pass

    @property
    def emulator(self):
        return self.server.emulator

    def _send(self, status, payload, content_type="application/json", drop=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if drop:
            self.send_header("Connection", "close")
        self.end_headers()
        if drop:
            self.wfile.write(payload[: max(1, len(payload) // 2)])
            self.wfile.flush()
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True
            return
        self.wfile.write(payload)

    def do_POST(self):
        emu = self.emulator
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if urlsplit(self.path).path != API_PATH:
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = None
        func = body.get("APIFunc") if isinstance(body, dict) else None
        kind, arg = emu.faults.take(("delay",), func)
        with emu._lock:  # counted while "working", i.e. before the reply is sent
            emu.in_flight += 1
            emu.peak_in_flight = max(emu.peak_in_flight, emu.in_flight)
        try:
            if emu.latency:
                time.sleep(emu.latency)
            if kind == "delay":
                time.sleep(arg)
        finally:
            with emu._lock:
                emu.in_flight -= 1
        kind, arg = emu.faults.take(("status", "malformed", "drop", "canned"), func)
        if kind == "status":
            with emu._lock:
                emu.counts[func] += 1
            return self._send(arg, f"<html><body>{arg} Service Unavailable</body></html>".encode(),
                              "text/html")
        if kind == "canned":
            with emu._lock:
                emu.counts[func] += 1
                emu.requests.append(body)
            return self._send(200, json.dumps(arg, allow_nan=True).encode())
        if body is None:
            payload = json.dumps({"ERROR": 1,
                                  "ERRORTEXT": "The request body is not valid JSON."}).encode()
        else:
            payload = emu.reply_bytes(body)
        if kind == "malformed":
            return self._send(200, b'{"OK": 1, "APIVersion": "1.0.5", "Datasets": [tru')
        self._send(200, payload, drop=(kind == "drop"))

    def do_GET(self):
        emu = self.emulator
        path = unquote(urlsplit(self.path).path)
        if not path.startswith("/files/"):
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        rel = path[len("/files/"):]
        with emu._lock:
            emu.file_counts[rel] += 1
        if emu.file_latency:
            time.sleep(emu.file_latency)
        kind, arg = emu.faults.take(("file_status", "file_drop"), rel)
        if kind == "file_status":
            return self._send(arg, f"<html><body>Error {arg}</body></html>".encode(), "text/html")
        content = emu.get_file(rel)
        if content is None:
            return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        self._send(200, content, "application/octet-stream", drop=(kind == "file_drop"))
