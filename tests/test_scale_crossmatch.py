"""SXPS.crossmatch and to_hats: engines, inputs, errors (issue 13)."""
import sys

import numpy as np
import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table

from astroquery_sxps import to_hats
from astroquery_sxps.exceptions import InvalidQueryError

# The tutorial's first LSXPS sources (real positions): IDs 1, 2, 3 are 3-6 arcmin apart.
MINE = SkyCoord([249.25254, 249.2525, 177.52833, 10.0], [7.65391, 7.6545, 64.32839, 10.0],
                unit="deg")


def test_astropy_engine_pairs(sxps, sxps_server):
    pairs = sxps.crossmatch(MINE, 10 * u.arcsec, show_progress=False)
    assert pairs["input_index"].tolist() == [0, 1, 2]
    assert pairs["LSXPS_ID"].tolist() == [1, 1, 4]
    assert pairs.colnames[0] == "input_index" and pairs.colnames[-1] == "separation"
    assert pairs["separation"].unit == u.arcsec
    assert pairs["separation"][0] == pytest.approx(0, abs=1e-6)
    assert pairs["separation"][1] == pytest.approx(
        MINE[1].separation(SkyCoord(249.25254, 7.65391, unit="deg")).arcsec)
    assert pairs["IAUName"][0] == "LSXPS J163700.6+073914"
    assert pairs["Err90"].unit == u.arcsec
    # several catalogue rows per input, sorted by separation; numbers are arcsec
    wide = sxps.crossmatch(MINE[:1], 400, show_progress=False)
    full = sxps.get_full_table("sources", show_progress=False)
    seps = MINE[0].separation(full["coord"]).arcsec
    expected = full["LSXPS_ID"][seps <= 400][np.argsort(seps[seps <= 400])].tolist()
    assert wide["LSXPS_ID"].tolist() == expected and {1, 2, 3} <= set(expected)
    assert np.all(np.diff(wide["separation"]) > 0)
    # the full table was fetched once
    assert sxps_server.counts["getSXPSTable"] == 1


def test_table_input_and_server_engine_agree(sxps, sxps_server):
    table = Table({"RA": MINE.ra.deg, "Dec": MINE.dec.deg})
    by_astropy = sxps.crossmatch(table, 6 * u.arcmin, show_progress=False)
    by_server = sxps.crossmatch(table, 6 * u.arcmin, engine="server")
    assert sxps_server.counts["queryDB"] == len(MINE)
    key = ["input_index", "LSXPS_ID"]
    assert by_server[key].as_array().tolist() == by_astropy[key].as_array().tolist()
    assert np.allclose(by_server["separation"], by_astropy["separation"])
    assert len(by_astropy) >= 7            # the three close sources for inputs 0 and 1


def test_no_pairs(sxps, sxps_server):
    far = SkyCoord([10.0], [10.0], unit="deg")
    assert len(sxps.crossmatch(far, 1 * u.arcsec, show_progress=False)) == 0
    empty = sxps.crossmatch(far, 1 * u.arcsec, engine="server")
    assert len(empty) == 0 and empty.colnames == ["input_index", "separation"]


@pytest.mark.parametrize("args, kwargs, match", [
    ((MINE, 10), dict(engine="spark"), r"engine='spark' is not valid"),
    ((MINE, -1), {}, r"radius must be one positive angle"),
    ((MINE, "wide"), {}, r"radius must be an angle"),
    ((MINE, None), {}, r"radius must be an angle"),
    ((42, 10), {}, r"other must be a SkyCoord or a Table"),
    ((Table({"x": [1]}), 10), {}, r"other: the Table has no position columns"),
    ((Table({"ra": [1.0], "dec": [95.0]}), 10), {}, r"\|Dec\| > 90"),
    (("some/hats/path", 10), {}, r"use engine='lsdb'"),
    ((MINE, 10), dict(catalog_hats="x"), r"catalog_hats applies to engine='lsdb' only"),
    ((MINE, 10), dict(table="planets"), r"table='planets' is not valid"),
])
def test_bad_arguments_refused_before_any_request(sxps, sxps_server, args, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.crossmatch(*args, **kwargs)
    assert not sxps_server.counts


def test_lsdb_engine_without_the_extra_names_it(sxps, sxps_server, monkeypatch):
    monkeypatch.setitem(sys.modules, "lsdb", None)        # as if not installed
    with pytest.raises(ImportError, match=r"'scale' extra.*astroquery-sxps\[scale\]"):
        sxps.crossmatch(MINE, 10 * u.arcsec, engine="lsdb")
    with pytest.raises(ImportError, match=r"'scale' extra"):
        to_hats(Table({"ra": [1.0], "dec": [2.0]}), "anywhere")
    assert not sxps_server.counts


# -- HATS --------------------------------------------------------------------------
lsdb = pytest.importorskip("lsdb", reason="the [scale] extra is installed by run.sh test")


@pytest.mark.slow
def test_to_hats_and_lsdb_engine_with_paths_and_catalogues(sxps, sxps_server, tmp_path):
    from astroquery_sxps.scale.hats import SIDECAR
    path = sxps.to_hats("sources", tmp_path / "lsxps", margin_threshold=30 * u.arcsec,
                        show_progress=False)
    assert (path / SIDECAR).exists() and (path / "collection.properties").exists()
    catalog = lsdb.open_catalog(path)
    assert len(catalog) == 500 and "LSXPS_ID" in catalog.columns
    with pytest.raises(InvalidQueryError, match=r"exists and is not empty"):
        sxps.to_hats("sources", path)

    by_astropy = sxps.crossmatch(MINE, 6 * u.arcmin, show_progress=False)
    # the catalogue's margin (30") is too narrow for a 6' radius: refused, not wrong
    with pytest.raises(InvalidQueryError, match=r"larger than the margin of catalog_hats"):
        sxps.crossmatch(MINE, 6 * u.arcmin, engine="lsdb", catalog_hats=path)
    by_lsdb = sxps.crossmatch(MINE, 20 * u.arcsec, engine="lsdb", catalog_hats=path,
                              show_progress=False)
    near = by_astropy[by_astropy["separation"] < 20 * u.arcsec]
    assert by_lsdb["input_index"].tolist() == near["input_index"].tolist()
    assert by_lsdb["LSXPS_ID"].tolist() == near["LSXPS_ID"].tolist()

    # other as a HATS path and as an LSDB catalogue: its own columns come along
    mine = Table({"ra": MINE.ra.deg, "dec": MINE.dec.deg, "my_id": [101, 102, 103, 104]})
    mine_path = to_hats(mine, tmp_path / "mine", catalog_name="mine")
    for other in (mine_path, lsdb.open_catalog(mine_path)):
        pairs = sxps.crossmatch(other, 20 * u.arcsec, engine="lsdb", catalog_hats=path,
                                show_progress=False)
        assert sorted(zip(pairs["my_id"].tolist(), pairs["LSXPS_ID"].tolist())) == \
            [(101, 1), (102, 1), (103, 4)]
        assert "ra" in pairs.colnames and pairs["separation"].unit == u.arcsec

    # the default: the table is written to the cache once, with a margin >= the radius
    cached = sxps.crossmatch(MINE, 6 * u.arcmin, engine="lsdb", show_progress=False)
    assert cached["input_index"].tolist() == by_astropy["input_index"].tolist()
    assert cached["LSXPS_ID"].tolist() == by_astropy["LSXPS_ID"].tolist()
    tables = sxps_server.counts["getSXPSTable"]
    sxps.crossmatch(MINE, 6 * u.arcmin, engine="lsdb", show_progress=False)
    assert sxps_server.counts["getSXPSTable"] == tables


def test_to_hats_bad_arguments(sxps, tmp_path):
    table = Table({"ra": [1.0, np.nan], "dec": [2.0, 3.0]})
    with pytest.raises(InvalidQueryError, match=r"finite position"):
        to_hats(table, tmp_path / "a")
    with pytest.raises(InvalidQueryError, match=r"no ra column"):
        to_hats(Table({"x": [1.0]}), tmp_path / "b")
    with pytest.raises(InvalidQueryError, match=r"table must be an astropy Table"):
        to_hats([1, 2], tmp_path / "c")
    with pytest.raises(InvalidQueryError, match=r"margin_threshold must be one positive"):
        to_hats(Table({"ra": [1.0], "dec": [2.0]}), tmp_path / "d", margin_threshold=0)
    with pytest.raises(InvalidQueryError, match=r"path is required when table is a Table"):
        sxps.to_hats(Table({"ra": [1.0], "dec": [2.0]}))
