# Root conftest: tests marked ``remote_data`` need the real UKSSDC service and
# are skipped unless pytest is run with ``--remote-data=any`` (pytest-remotedata).
# The ``sxps_server`` fixture comes from the plugin astroquery_sxps.testing.plugin,
# registered through the ``pytest11`` entry point in setup.cfg.
import socket
import urllib.request

import matplotlib
import pytest

matplotlib.use("Agg")  # tests render plots without a display

#: The host the live-service tests need, and whether it answered (None) or why not.
_LIVE_HOST = ("www.swift.ac.uk", 443)
_live_probe = {}


def _live_service_error():
    """Why the UKSSDC cannot be reached (None if it can), probed once per session.

    Behind an HTTPS proxy the direct probe says nothing, so the tests are left to try.
    """
    if "result" not in _live_probe:
        error = None
        if not urllib.request.getproxies().get("https"):
            try:
                socket.create_connection(_LIVE_HOST, timeout=5).close()
            except OSError as exc:
                error = f"{type(exc).__name__}: {exc}"
        _live_probe["result"] = error
    return _live_probe["result"]


def pytest_runtest_setup(item):
    """With ``--remote-data=any``, fail the live-service tests at once when offline
    (instead of each one retrying its requests), with the reason."""
    if (item.get_closest_marker("remote_data") is not None
            and item.config.getoption("remote_data", "none") == "any"):
        error = _live_service_error()
        if error:
            pytest.fail(f"The live-service tests need {_LIVE_HOST[0]}:{_LIVE_HOST[1]}, which "
                        f"cannot be reached ({error}).", pytrace=False)
