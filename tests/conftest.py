"""Shared fixtures for the test suite (the emulator fixtures ``sxps_server`` and
``sxps`` come from the installed pytest plugin ``astroquery_sxps.testing.plugin``)."""
import pytest


@pytest.fixture
def out(tmp_path):
    """A download area apart from the query cache (which lives in tmp_path)."""
    path = tmp_path / "dl"
    path.mkdir()
    return path


@pytest.fixture
def swifttools_uds(sxps_server, monkeypatch, tmp_path):
    """The unmodified existing client, ``swifttools.ukssdc.data.SXPS``, pointed at the emulator.

    swifttools posts to its module-level ``APIURL``; it is restored after the
    test. The working directory is a temporary one because swifttools' archive
    extraction changes directory and never changes back (quirk Q10).
    """
    # the submodule, so that a swifttools that cannot import here (it needs
    # distutils, gone in Python 3.12) skips with the reason instead of erroring
    uds = pytest.importorskip("swifttools.ukssdc.data.SXPS",
                              reason="swifttools (the existing client, used as an oracle) "
                                     "is not installed or cannot be imported")
    import swifttools.ukssdc.main as main
    monkeypatch.setattr(main, "APIURL", sxps_server.api_url)
    monkeypatch.chdir(tmp_path)
    return uds
