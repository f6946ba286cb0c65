"""to_table() of source, dataset and transient details: one row, units, times, position."""
import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.time import Time


def test_source_details_one_row(sxps):
    d = sxps.get_source_details(source_id=129723)
    t = d.to_table()
    assert isinstance(t, Table) and len(t) == 1
    assert t.meta == {"catalog": "LSXPS", "identifier": 129723}
    assert t["IAUName"][0] == "LSXPS J174527.1-290217"
    assert t["Err90"].unit == u.arcsec and t["Err90"].quantity[0] == d["Err90"]
    assert t["Rate_band0_pos"].unit == u.ct / u.s
    assert t["PeakRate_band0"][0] == pytest.approx(0.0260927)
    assert isinstance(t["FirstObsDate"], Time) and t["FirstObsDate"][0] == d["FirstObsDate"]
    assert t["FirstObsMET"].unit == u.s
    assert t["lcRanges_MJD_lo"][0] == pytest.approx(d["lcRanges"]["MJD_lo"])
    assert t["Detections_NumObservations"][0] == 8
    assert isinstance(t["coord"], SkyCoord) and t["coord"][0].ra.deg == pytest.approx(d["RA"].to_value(u.deg))
    # embedded tables are tables of their own
    assert "CrossMatch" not in t.colnames and "Detections_Observations" not in t.colnames
    # every scalar field is there
    scalars = [k for k, v in d.items() if not isinstance(v, (dict, Table))]
    assert set(scalars) <= set(t.colnames)


def test_source_details_write_ecsv(sxps, tmp_path):
    t = sxps.get_source_details(source_id=1).to_table()
    t.write(tmp_path / "s.ecsv")
    back = Table.read(tmp_path / "s.ecsv")
    assert back["IAUName"][0] == t["IAUName"][0]
    assert back["PowECFO"][0] == t["PowECFO"][0]
    assert back["FirstObsDate"][0] == t["FirstObsDate"][0]


def test_dataset_and_transient_details(sxps):
    ds = sxps.get_dataset_details(obsid="00282445000")
    t = ds.to_table()
    assert len(t) == 1 and t.meta["identifier"] == "00282445000"
    assert t["ObsID"][0] == ds["ObsID"]
    assert isinstance(t["MidTime_TDB"], Time) and t["MidTime_TDB"].scale == "tdb"
    assert t["inStack"][0] == ",".join(ds["inStack"])
    assert "Sources" not in t.colnames
    tr = sxps.get_transient_details(source_id=576).to_table()
    assert tr["IAUName"][0] == "Swift J073006.8-193709" and "coord" in tr.colnames
    assert np.isfinite(tr["coord"][0].dec.deg)
