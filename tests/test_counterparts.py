"""find_counterparts with astroquery's SIMBAD and VizieR answered by stubs (no network).

The stubs stand in for the services only: SIMBAD's TAP reply and VizieR's VOTable reply
are VOTable documents (synthetic objects near LSXPS J163700.6+073914) that astroquery's own
code turns into tables, so the ADQL and the VizieR arguments astroquery builds from ours
are checked too."""
import io

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astropy.io.votable import parse_single_table
from astropy.table import Table
from astroquery.exceptions import RemoteServiceError
from astroquery.simbad import SimbadClass
from astroquery.vizier import VizierClass
from requests.exceptions import ConnectionError as RequestsConnectionError

from astroquery_sxps import find_counterparts
from astroquery_sxps.exceptions import InvalidQueryError
from astroquery_sxps.interop.counterparts import MAX_RADIUS, MAX_SOURCES

SRC1 = SkyCoord(249.2525355614, 7.6539136659, unit="deg")       # LSXPS 1 (tutorial)

SIMBAD_VOTABLE = """<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results"><TABLE>
<FIELD name="main_id" datatype="char" arraysize="*" ucd="meta.id;meta.main"/>
<FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/>
<FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/>
<FIELD name="otype" datatype="char" arraysize="*"/>
<DATA><TABLEDATA>
<TR><TD>SYNTH Star 2</TD><TD>249.2535355614</TD><TD>7.6539136659</TD><TD>*</TD></TR>
<TR><TD>SYNTH QSO 1</TD><TD>249.2525355614</TD><TD>7.6544136659</TD><TD>QSO</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
"""

VIZIER_VOTABLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE ID="yCat_2246" name="II/246">
<TABLE ID="II_246_out" name="II/246/out">
<FIELD name="_RAJ2000" ucd="pos.eq.ra" datatype="double" unit="deg"/>
<FIELD name="_DEJ2000" ucd="pos.eq.dec" datatype="double" unit="deg"/>
<FIELD name="2MASS" ucd="meta.id;meta.main" datatype="char" arraysize="17*"/>
<FIELD name="Jmag" ucd="phot.mag;em.IR.J" datatype="float" unit="mag"/>
<DATA><TABLEDATA>
<TR><TD>249.2525355614</TD><TD>7.6536136659</TD><TD>16370060+0739130</TD><TD>14.2</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
"""


class _Response:
    def __init__(self, content):
        self.content = content
        self.text = content.decode()


@pytest.fixture(autouse=True)
def simbad_capabilities(monkeypatch):
    # SIMBAD's record limit, which astroquery reads from the TAP capabilities (the live
    # service says 2000000 at the time of writing)
    monkeypatch.setattr(SimbadClass, "hardlimit", 2000000)


@pytest.fixture
def services(monkeypatch):
    """SIMBAD's TAP and VizieR's HTTP replies, recorded; no network."""
    calls = {"simbad": [], "vizier": []}

    def query_tap(self, query, *args, **kwargs):
        calls["simbad"].append(query)
        return parse_single_table(io.BytesIO(SIMBAD_VOTABLE.encode())).to_table()

    def query_region_async(self, coordinates, **kwargs):
        calls["vizier"].append(dict(kwargs, coordinates=coordinates, columns=self.columns))
        return _Response(VIZIER_VOTABLE)

    monkeypatch.setattr(SimbadClass, "query_tap", query_tap)
    monkeypatch.setattr(VizierClass, "query_region_async", query_region_async)
    return calls


def test_simbad_around_a_source_in_its_error_circle(sxps, services):
    src = sxps.get_source_details(source_id=1)
    found = find_counterparts(src)
    adql = services["simbad"][0]
    # astroquery's cone: the source's position and its Err90 (7.1157 arcsec) in degrees
    err90 = src['Err90'].to_value(u.arcsec)
    assert f"CIRCLE('ICRS', {SRC1.ra.deg}, {SRC1.dec.deg}, {err90 / 3600}" in adql
    assert list(found["name"]) == ["SYNTH QSO 1", "SYNTH Star 2"]      # by separation
    assert set(found["source"]) == {"LSXPS J163700.6+073914"}
    assert isinstance(found["separation"], Angle)
    expected = SRC1.separation(SkyCoord(found["ra"], found["dec"]))
    assert np.allclose(found["separation"].to_value(u.arcsec), expected.arcsec)
    assert found["separation"][0].to_value(u.arcsec) == pytest.approx(1.8, abs=1e-6)
    assert u.allclose(found["search_radius"], src["Err90"])
    assert found["ra"].unit == u.deg and found["catalog"][0] == "SIMBAD"


def test_vizier_catalogue_and_explicit_radius(sxps, services):
    src = sxps.get_source_details(source_id=1)
    found = find_counterparts(src, radius=5 * u.arcsec, catalogs=["SIMBAD", "II/246/out"])
    call = services["vizier"][0]
    assert call["catalog"] == "II/246/out" and call["radius"] == 5 * u.arcsec
    assert "_RAJ2000" in call["columns"]
    assert len(found) == 3
    twomass = found[found["catalog"] == "II/246/out"]
    assert list(twomass["name"]) == ["16370060+0739130"]
    assert twomass["separation"][0].to_value(u.arcsec) == pytest.approx(1.08, abs=1e-6)
    assert "5.0 / 3600" not in services["simbad"][0]
    assert f"{(5 * u.arcsec).to_value(u.deg)}" in services["simbad"][0]


def test_table_of_sources_each_row_its_own_circle(services):
    table = Table({"IAUName": ["A", "B"], "RA": [249.2525355614, 10.0] * u.deg,
                   "Decl": [7.6539136659, -5.0] * u.deg, "Err90": [4.0, 100.0] * u.arcsec})
    found = find_counterparts(table, catalogs="simbad")
    assert len(services["simbad"]) == 2
    assert f"{(4 * u.arcsec).to_value(u.deg)}" in services["simbad"][0]
    # B's circle (100 arcsec) is capped at MAX_RADIUS
    assert f"{MAX_RADIUS.to_value(u.deg)}" in services["simbad"][1]
    assert list(found["source"]) == ["A", "A", "B", "B"]
    assert np.allclose(found["search_radius"].to_value(u.arcsec), [4, 4, 60, 60])


@pytest.mark.filterwarnings("ignore:The request executed correctly")
def test_nothing_found_gives_an_empty_table(sxps, monkeypatch):
    def empty(self, query, *args, **kwargs):
        t = parse_single_table(io.BytesIO(SIMBAD_VOTABLE.encode())).to_table()
        return t[:0]
    monkeypatch.setattr(SimbadClass, "query_tap", empty)
    found = find_counterparts(sxps.get_source_details(source_id=1))
    assert len(found) == 0
    assert found.colnames == ["source", "catalog", "name", "ra", "dec", "separation",
                              "search_radius"]


def test_network_failure_is_a_remote_service_error(sxps, monkeypatch):
    def down(self, query, *args, **kwargs):
        raise RequestsConnectionError("no route to host")
    monkeypatch.setattr(SimbadClass, "query_tap", down)
    with pytest.raises(RemoteServiceError, match="SIMBAD could not be reached.*network"):
        find_counterparts(sxps.get_source_details(source_id=1))


@pytest.mark.parametrize("args,kwargs,match", [
    ((SRC1,), {}, "no 90 per cent error"),
    ((SRC1,), dict(radius=2 * u.arcmin), r"radius must be in \(0, 60.0 arcsec\]"),
    ((SRC1,), dict(radius=-1), "radius must be in"),
    ((SRC1,), dict(radius="big"), "radius must be an angle"),
    ((SRC1,), dict(radius=3, catalogs=[]), "catalogs must be"),
    ((SRC1,), dict(radius=3, catalogs=[""]), "catalogs must be"),
    (("LSXPS J1637",), {}, "source_or_table must be"),
    ((Table({"x": [1]}),), {}, "no RA/Decl columns"),
    ((Table({"RA": np.zeros(MAX_SOURCES + 1), "Decl": np.zeros(MAX_SOURCES + 1)}),), {},
     "at most 100"),
])
def test_bad_arguments_refused_before_any_query(services, args, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        find_counterparts(*args, **kwargs)
    assert services == {"simbad": [], "vizier": []}


def test_position_with_a_radius(services):
    found = find_counterparts(SRC1, radius=3)
    assert len(services["simbad"]) == 1 and len(found) == 2
    assert np.allclose(found["search_radius"].to_value(u.arcsec), 3)


@pytest.mark.remote_data
def test_live_simbad_around_a_bright_source():
    """Against the real SIMBAD (run with --remote-data=any): Sco X-1 (SIMBAD's main
    identifier is V* V818 Sco) is within 10 arcsec of its catalogued position."""
    found = find_counterparts(SkyCoord(244.979455, -15.640283, unit="deg"), radius=10)
    assert any("V818 Sco" in name or "Sco X-1" in name for name in found["name"])
    assert np.all(found["separation"] <= 10 * u.arcsec)
