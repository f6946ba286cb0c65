"""pytest plugin (entry point ``sxps_emulator``): fixtures for offline tests.

Fixtures
--------
sxps_server
    A running `~astroquery_sxps.testing.SXPSEmulator`, shared by the session
    and reset (faults, counters, state) around every test.
sxps
    An `~astroquery_sxps.SXPSClass` pointed at ``sxps_server``, with its own
    cache directory under ``tmp_path`` and fast retries/polling so fault tests
    run quickly.
"""
import pytest

from .server import SXPSEmulator


@pytest.fixture(scope="session")
def _sxps_emulator_session():
    emulator = SXPSEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def sxps_server(_sxps_emulator_session):
    """A running emulator of the UKSSDC API, reset for this test."""
    _sxps_emulator_session.reset()
    yield _sxps_emulator_session
    _sxps_emulator_session.reset()


@pytest.fixture
def sxps(sxps_server, tmp_path):
    """An SXPSClass talking to ``sxps_server`` with a private cache."""
    from astroquery_sxps import SXPSClass, conf
    query = SXPSClass(server=sxps_server.api_url)
    query.cache_location = tmp_path / "astroquery-cache"
    with conf.set_temp("retry_backoff", 0.01), \
            conf.set_temp("upper_limit_poll_interval", 0.05), \
            conf.set_temp("upper_limit_wait", 5.0):
        yield query
