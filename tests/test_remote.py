"""Checks against the real UKSSDC service.

Marked ``remote_data``: skipped unless pytest runs with ``--remote-data=any``.
They assert what should stay true in the living catalogue (units, shapes,
identities of long-established sources), not the tutorial's exact numbers.
"""
import astropy.units as u
import pytest

from astroquery_sxps import SXPSClass

pytestmark = pytest.mark.remote_data


@pytest.fixture
def live(tmp_path):
    query = SXPSClass()
    query.cache_location = tmp_path
    return query


def test_live_upper_limit(live):
    ul = live.query_upper_limit("334.502058 -8.256481")
    assert len(ul) >= 1
    assert ul["Total_UpperLimit"].unit == u.ct / u.s
    assert all(len(obsid) == 11 for obsid in ul["ObsID"])


def test_live_source_details(live):
    src = live.get_source_details(source_id=106107)
    assert src["IAUName"].startswith("LSXPS J2217")
    assert src.coord.frame.name == "icrs" and abs(src.coord.dec.deg + 8.35) < 0.1
    assert src.err90.unit == u.arcsec


def test_live_lightcurve(live):
    lcs = live.get_lightcurve(source_name="LSXPS J062131.8-622213", binning="obsid")
    assert "Total_rates" in lcs.datasets
    assert lcs["Total_rates"].time.scale == "utc"


def test_live_old_tables(live):
    epochs = live.list_old_tables()
    assert set(epochs["kind"]) <= {"hourly", "daily"}
    assert "2022-08-16" in list(epochs["epoch"])
