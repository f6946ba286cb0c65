"""Doctests of the package's docstrings run against the embedded emulator.

``docs/conftest.py`` imports the two hooks below, so the examples of the ``.rst`` pages run
the same way.

Examples that talk to the UKSSDC carry ``# doctest: +REMOTE_DATA`` or sit in
``.. doctest-remote-data::`` blocks, as in astroquery, so that readers know they need the
service. In this test suite the service is `~astroquery_sxps.testing.SXPSEmulator` on
127.0.0.1, so those examples run in every ``pytest`` run:

* while a doctest file (a module of the package, a docs page) is collected,
  pytest-doctestplus is told that remote data are allowed, so it does not mark those
  examples as skipped. Only collection is affected: the live-service tests marked
  ``remote_data`` (tests/test_remote.py) still need ``--remote-data=any``;
* each doctest gets the ``SXPS`` singleton (and any ``SXPSClass()`` without its own
  ``server``) pointed at the emulator through ``conf.server``, a private astroquery cache,
  and a temporary working directory for the files the examples write.

The one kind of example the emulator cannot answer is the HEASARC TAP route
(``query_region_tap`` without ``get_query_payload``): docstrings that run it are marked
``remote_data``, so they run only with ``--remote-data=any``.
"""
import pytest

#: Docstrings whose examples need a live service other than the UKSSDC (HEASARC's TAP).
_NEEDS_LIVE_SERVICE = {"query_region_tap"}


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """Collect doctest files with remote data allowed (the "remote" is the local emulator)."""
    option = collector.config.option
    if not isinstance(collector, pytest.File) or not hasattr(option, "remote_data"):
        return (yield)
    saved = option.remote_data
    option.remote_data = "any"
    try:
        return (yield)
    finally:
        option.remote_data = saved


def pytest_collection_modifyitems(items):
    """Mark the docstrings that need a live service ``remote_data``."""
    for item in items:
        if item.name.rsplit(".", 1)[-1] in _NEEDS_LIVE_SERVICE:
            item.add_marker(pytest.mark.remote_data)


@pytest.fixture(autouse=True)
def doctest_against_emulator(request, sxps_server, tmp_path, monkeypatch):
    """Point ``SXPS`` at the emulator, with a private cache and working directory."""
    from astroquery_sxps import SXPS, conf
    # batch examples ask about many positions: answer those the stored data do not hold
    # from the synthetic datasets table, as the emulator does for the scale tests
    sxps_server.options["synthetic_upper_limits"] = True
    monkeypatch.chdir(tmp_path)
    SXPS.cache_location = tmp_path / "astroquery-cache"
    try:
        with conf.set_temp("server", sxps_server.api_url):
            assert SXPS.server == sxps_server.api_url, "SXPS.server was set explicitly"
            yield SXPS
    finally:
        SXPS.reset_cache_location()
