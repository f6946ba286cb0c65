"""The VO route: 2SXPS through HEASARC's TAP with astroquery.heasarc. HEASARC's TAP
search (``Heasarc.query_tap``) is mocked (the ``fake_tap`` fixture of conftest.py); the
live test is remote_data. The result's round trip through files is in test_round_trip.py."""
import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord

from astroquery_sxps.catalog import vo
from astroquery_sxps.exceptions import InvalidQueryError, NoResultsWarning


def test_tap_url_is_astroquery_heasarcs():
    from astroquery.heasarc import conf
    assert vo.tap_url() == conf.VO_URL.rstrip("/") + "/tap"


def test_cone_search_adql_and_result(sxps, fake_tap):
    pos = SkyCoord(52.80004119305, 43.90429720867, unit="deg")
    res = sxps.query_region_tap(pos, radius=2 * u.arcmin, maxrec=50)
    adql, language, maxrec = fake_tap.calls[0]
    assert language == "ADQL" and maxrec == 50
    assert "FROM swift2sxps" in adql
    # astroquery.heasarc's cone, with its distance column
    assert f"CIRCLE('ICRS',{pos.ra.deg},{pos.dec.deg},{(2 * u.arcmin).to_value(u.deg)})" in adql
    assert adql.startswith("SELECT *,DISTANCE(") and "search_offset" in adql
    assert list(res["name"]) == ["2SXPS J033112.0+435414", "2SXPS J033110.2+435412"]
    assert res["distance"].unit == u.arcsec
    # the offset in the unit astroquery.heasarc gives it, sorted
    offsets = fake_tap.table["search_offset"][::-1]
    unit = u.arcmin    # what astroquery.heasarc declares for search_offset
    assert np.allclose(res["distance"], (np.asarray(offsets) * unit).to_value(u.arcsec))
    assert res["dec"].unit == u.deg and isinstance(res["coord"], SkyCoord)
    assert res.meta["adql"] == adql


def test_payload_columns_and_float_radius(sxps, fake_tap):
    adql = sxps.query_region_tap("52.8 43.9", radius=36.0, columns=["name", "ra", "dec"],
                                 get_query_payload=True)
    assert adql.startswith("SELECT name, ra, dec,DISTANCE(")
    assert "CIRCLE('ICRS',52.8,43.9,0.01)" in adql
    assert fake_tap.calls == []


@pytest.mark.parametrize("kwargs, word", [
    ({"radius": -1.0}, "radius"), ({"radius": 3 * u.kg}, "radius"),
    ({"table": "x; DROP"}, "table"), ({"columns": ["ra; --"]}, "columns"),
    ({"maxrec": 0}, "maxrec"),
])
def test_bad_inputs(sxps, fake_tap, kwargs, word):
    args = {"radius": 10.0}
    args.update(kwargs)
    with pytest.raises(InvalidQueryError, match=word):
        sxps.query_region_tap(SkyCoord(1, 2, unit="deg"), **args)
    with pytest.raises(InvalidQueryError, match="coordinates"):
        sxps.query_region_tap(5, radius=1.0)
    assert fake_tap.calls == []


def test_empty_warns(sxps, fake_tap):
    fake_tap.table = fake_tap.table[:0]
    with pytest.warns(NoResultsWarning):
        res = sxps.query_region_tap(SkyCoord(1, 2, unit="deg"), radius=1.0)
    assert len(res) == 0


@pytest.mark.remote_data
def test_live_heasarc_gk_per():
    from astroquery_sxps import SXPS
    res = SXPS.query_region_tap(SkyCoord(52.80004119305, 43.90429720867, unit="deg"),
                                radius=1 * u.arcmin)
    assert len(res) >= 1
    assert res["distance"][0] < 30


def test_payload_for_a_name_uses_no_network(sxps, fake_tap, monkeypatch):
    calls = []

    def no_network(*args, **kwargs):
        calls.append(args)
        raise AssertionError("payload mode must not resolve names")

    monkeypatch.setattr(SkyCoord, "from_name", no_network)
    adql = sxps.query_region_tap("GK Per", radius=2 * u.arcmin, get_query_payload=True)
    assert calls == [] and fake_tap.calls == []
    comment, query = adql.split("\n")
    assert comment.startswith("-- centre: 'GK Per', not resolved here")
    assert "POINT('ICRS',{ra},{dec})" in query and "CIRCLE('ICRS',{ra},{dec}," in query
    # the placeholders fill to the query run for that position
    pos = SkyCoord(52.80004119305, 43.90429720867, unit="deg")
    exact = sxps.query_region_tap(pos, radius=2 * u.arcmin, get_query_payload=True)
    assert query.format(ra=pos.ra.deg, dec=pos.dec.deg) == exact
    # bad arguments are still refused in payload mode, before anything
    with pytest.raises(InvalidQueryError, match="radius"):
        sxps.query_region_tap("GK Per", radius=-1, get_query_payload=True)
    assert calls == []


def test_name_is_resolved_when_the_query_runs(sxps, fake_tap, monkeypatch):
    pos = SkyCoord(52.80004119305, 43.90429720867, unit="deg")
    monkeypatch.setattr(SkyCoord, "from_name", classmethod(lambda cls, name, **kw: pos))
    res = sxps.query_region_tap("GK Per", radius=2 * u.arcmin)
    adql = fake_tap.calls[0][0]
    assert adql == sxps.query_region_tap(pos, radius=2 * u.arcmin, get_query_payload=True)
    assert adql == res.meta["adql"]
    assert "{" not in adql and "--" not in adql
