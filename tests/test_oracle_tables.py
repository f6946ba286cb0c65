"""Oracle: the unmodified swifttools client, pointed at the emulator, replays the tutorial's
full-table and old-table calls (and an SXPSQuery cone search) and gets the tutorial's values;
our client agrees with it."""
import os
import shutil

import numpy as np
import pytest
import astropy.units as u

pytest.importorskip("swifttools", reason="swifttools (the reference client) is not installed")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def st(swifttools_uds):
    return swifttools_uds


def test_swifttools_full_table(st, sxps, tmp_path):
    import swifttools.ukssdc.data.SXPS as uds
    data = uds.getFullTable(table="sources", returnData=True, saveData=False)
    assert data.shape == (500, 234)
    assert list(data.columns[:10]) == ["LSXPS_ID", "IAUName", "RA", "Decl", "Err90",
                                       "AstromType", "l", "b", "MeanOffAxisAngle",
                                       "NearestNeighbour"]
    assert list(data.columns[-1:]) == ["MatchIn2SXPS"]
    assert list(data["IAUName"][:2]) == ["LSXPS J163700.6+073914", "LSXPS J163647.0+074206"]
    assert data["RA"].iloc[0] == 249.25254 and data["NearestNeighbour"].iloc[3] == 1749.80
    assert list(data["LSXPS_ID"].iloc[-5:]) == [371055, 371056, 371057, 371058, 371059]
    assert data["MeanOffAxisAngle"].iloc[-5:].isna().all()
    ours = sxps.get_full_table("sources", show_progress=False)
    for name in ("LSXPS_ID", "RA", "Decl", "Err90", "Rate_band0", "MatchIn2MASS"):
        assert np.array_equal(np.asarray(ours[name], float), data[name].to_numpy(float),
                              equal_nan=True)
    assert list(ours["IAUName"]) == list(data["IAUName"])


@pytest.mark.skipif(shutil.which("gunzip") is None, reason="swifttools needs external gunzip")
def test_swifttools_old_tables_and_epoch(st, sxps, tmp_path):
    import swifttools.ukssdc.data.SXPS as uds
    old = uds.listOldTables()
    assert list(old["hourly"])[:5] == ["2022-08-17 10:00:01 UTC", "2022-08-17 11:00:02 UTC",
                                       "2022-08-17 12:00:01 UTC", "2022-08-17 13:00:01 UTC",
                                       "2022-08-17 14:00:02 UTC"]
    assert list(old["daily"])[:5] == ["2022-08-16", "2022-08-17", "2022-08-18", "2022-08-19",
                                      "2022-08-20"]
    uds.getFullTable(table="datasets", destDir=str(tmp_path), saveData=True,
                     subset="ultra-clean", format="fits")
    uds.getFullTable(table="sources", destDir=str(tmp_path), saveData=True,
                     subset="ultra-clean", epoch="2022-08-17", format="fits")
    assert sorted(os.listdir(tmp_path)) == ["LSXPS_Datasets_ultra-clean.fits",
                                            "LSXPS_Sources_ultra-clean_20220817T000001.fits"]
    from astropy.table import Table
    theirs = Table.read(tmp_path / "LSXPS_Sources_ultra-clean_20220817T000001.fits")
    ours = sxps.get_full_table("sources", subset="ultra-clean", epoch="2022-08-17",
                               format="fits", show_progress=False)
    assert list(theirs["LSXPS_ID"]) == list(ours["LSXPS_ID"])
    ours_old = sxps.list_old_tables()
    assert list(ours_old["epoch"]) == list(old["hourly"]) + list(old["daily"])


def test_swifttools_cone_search_agrees(st, sxps):
    from swifttools.ukssdc.query import SXPSQuery
    q = SXPSQuery(cat="LSXPS", table="datasets")
    q.addConeSearch(name="GK Per", radius=12, units="arcmin")
    q.submit()
    theirs = q.results
    assert len(theirs) == 8 and theirs["DatasetID"].iloc[0] == 7557
    assert theirs["_r"].iloc[0] == 0.51517
    ours = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets")
    assert list(ours["DatasetID"]) == list(theirs["DatasetID"])
    assert np.allclose(ours["distance"], theirs["_r"])
    assert list(ours["ObsID"]) == list(theirs["ObsID"])


def test_swifttools_datasets_table_agrees_with_typed_columns(st, sxps):
    """ObsID (int in swifttools' DataFrame) and UTC strings come back as 11-character ObsIDs
    and Time columns here, with the same values."""
    import swifttools.ukssdc.data.SXPS as uds
    from astropy.time import Time
    data = uds.getFullTable(table="datasets", returnData=True, saveData=False)
    ours = sxps.get_full_table("datasets", show_progress=False)
    assert ours["ObsID"].dtype == np.dtype("U11")
    assert [int(o) for o in ours["ObsID"]] == [int(o) for o in data["ObsID"]]
    assert isinstance(ours["StartTime_UTC"], Time) and isinstance(ours["StopTime_UTC"], Time)
    assert list(ours["StartTime_UTC"].iso) == [s + ".000" for s in data["StartTime_UTC"]]
