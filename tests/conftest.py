"""Shared fixtures for the test suite (the emulator fixtures ``sxps_server`` and
``sxps`` come from the installed pytest plugin ``astroquery_sxps.testing.plugin``).

Helpers that several test modules need live here as fixtures; test modules do not import
from one another.
"""
from pathlib import Path

import pytest
import astropy.units as u
from astropy.table import Table

# The APEC fit printed in the tutorial ("Storing spectra in variables").
_TUTORIAL_APEC = {
    'NH': 2.4225699999999997e+22, 'NHPos': 1.0006478800000008e+21, 'NHNeg': -7.268195799999999e+20,
    'KT': 64, 'KTPos': 0, 'KTNeg': -1.1800726499999996,
    'ObsFlux': 2.941710969752721e-11, 'ObsFluxPos': 4.866421422665964e-13,
    'ObsFluxNeg': -5.005015402383723e-13, 'UnabsFlux': 4.1658151973796153e-11,
    'UnabsFluxPos': 7.043380918691522e-13, 'UnabsFluxNeg': -7.226010160274717e-13,
    'Cstat': 2619.411827, 'Dof': 876, 'FitChi': 2020.220249}


def _file_tree(directory):
    directory = Path(directory)
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


@pytest.fixture
def file_tree():
    """``file_tree(directory)``: the files under ``directory`` as sorted relative paths
    (``'a/b.png'``), to compare saved layouts with the tutorial's."""
    return _file_tree


@pytest.fixture
def tutorial_apec():
    """The APEC fit printed in the tutorial ("Storing spectra in variables"), a fresh dict."""
    return dict(_TUTORIAL_APEC)


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


class _FakeTapResult:
    def __init__(self, table):
        self.table = table

    def to_table(self):
        return self.table


class _FakeTap:
    """Stands in for astroquery.heasarc's TAP search (the network)."""

    def __init__(self, table):
        self.table = table
        self.calls = []

    def __call__(self, query, *, maxrec=None):
        self.calls.append((query, "ADQL", maxrec))
        return _FakeTapResult(self.table.copy())


@pytest.fixture
def fake_tap(monkeypatch):
    """HEASARC's TAP search (``Heasarc.query_tap``) answered with two 2SXPS sources near
    GK Per; ``fake_tap.calls`` records the ADQL sent."""
    from astroquery.heasarc import Heasarc
    tab = Table({"name": ["2SXPS J033112.0+435414", "2SXPS J033110.2+435412"],
                 "ra": [52.8003, 52.7925], "dec": [43.9040, 43.9034],
                 "search_offset": [0.0001, 0.0055]})      # degrees, as ADQL's DISTANCE
    tab["ra"].unit = u.deg
    service = _FakeTap(tab[::-1])
    monkeypatch.setattr(Heasarc, "query_tap", service)
    return service
