"""SXPSLightCurve: the TimeSeries subclass, what it offers, and its registered writers."""
import numpy as np
import pytest
import astropy.units as u
from astropy.table import Table
from astropy.timeseries import TimeSeries

from astroquery_sxps import LightCurveCollection, SXPSLightCurve, merge_lightcurve_bins

J0621 = "LSXPS J062131.8-622213"


@pytest.fixture
def lcs(sxps):
    return sxps.get_lightcurve(source_name=J0621, show_obs=True)


def test_every_curve_is_an_sxps_light_curve(lcs):
    assert isinstance(lcs, LightCurveCollection)
    assert all(isinstance(c, SXPSLightCurve) and isinstance(c, TimeSeries)
               for c in lcs.values())
    assert lcs["Total_rates"].dataset == "Total_rates"
    # slicing keeps the class (astropy returns the subclass)
    assert isinstance(lcs["Total_rates"][:3], SXPSLightCurve)


def test_rate_and_errors(lcs):
    rates, limits, hr = lcs["Total_rates"], lcs["Total_UL"], lcs["HR1"]
    assert not rates.is_upper_limit and limits.is_upper_limit and hr.is_hardness_ratio
    assert rates.rate.unit == u.ct / u.s
    assert np.all(rates.rate == rates["Rate"])
    err = rates.rate_err
    assert err.shape == (2, len(rates)) and err.unit == u.ct / u.s
    assert np.allclose(err[0].value, -rates["RateNeg"].value)
    assert np.allclose(err[1].value, rates["RatePos"].value)
    assert np.all(err >= 0)
    assert np.all(limits.rate == limits["UpperLimit"])
    assert np.all(np.isnan(limits.rate_err))
    assert np.allclose(hr.rate_err[1], np.abs(np.asarray(hr["HRPos"], float)))


def test_merge_bins_is_merge_lightcurve_bins(lcs):
    curve = lcs["Total_UL"]
    via_method = curve.merge_bins([0, 1, 2], insert=True)
    via_function = merge_lightcurve_bins(curve, [0, 1, 2], insert=True)
    assert via_method.is_upper_limit == via_function.is_upper_limit
    assert via_method.bin["UpperLimit"][0] == via_function.bin["UpperLimit"][0]
    assert isinstance(via_method.lightcurve, SXPSLightCurve)
    assert len(via_method.lightcurve) == len(curve) + 1


def test_plot_method_draws_the_curve(lcs):
    fig, ax = lcs["Total_rates"].plot(ylog=True)
    assert ax.get_yscale() == "log" and len(ax.containers) == 1
    fig, ax = lcs.plot(["Total_rates", "Total_UL"])
    assert len(ax.containers) == 2


def test_file_name_follows_the_existing_client(lcs):
    assert lcs["Total_rates"].file_name(ext="dat", binning="Observation") == \
        "Total_rates_MJD_Observation.dat"


def test_registered_qdp_writer_uses_astropys_qdp_format(lcs, tmp_path):
    curve = lcs["Total_rates"]
    path = tmp_path / "rates.qdp"
    curve.write(path, format="sxps.qdp")
    lines = path.read_text().rstrip("\n").splitlines()
    assert lines[0] == "READ TERR 1 2"
    assert lines[1] == "!Time TimePos TimeNeg Rate RatePos RateNeg CtsInSrc BGInSrc CorrFact Exposure"
    back = Table.read(path, format="ascii.qdp", table_id=0,
                      names=["Time", "Rate", "CtsInSrc", "BGInSrc", "CorrFact", "Exposure"])
    assert np.allclose(back["Time"], curve.time.mjd, atol=1e-6)
    assert np.allclose(back["Rate"], curve["Rate"].value)
    assert np.allclose(back["Rate_perr"], curve["RatePos"].value)
    with pytest.raises(OSError):          # astropy refuses to overwrite without overwrite=True
        curve.write(path, format="sxps.qdp")
    curve.write(path, format="sxps.qdp", overwrite=True)


def test_registered_qdp_writer_marks_missing_values_no(lcs, tmp_path):
    curve = lcs["Total_rates"].copy()
    curve["Rate"][0] = np.nan * u.ct / u.s
    curve.write(tmp_path / "x.qdp", format="sxps.qdp")
    assert (tmp_path / "x.qdp").read_text().splitlines()[2].split()[3] == "NO"


def test_registered_dat_writer_keeps_the_existing_clients_layout(lcs, tmp_path):
    curve = lcs["Total_rates"]
    curve.write(tmp_path / "a.dat", format="sxps.dat")
    first = (tmp_path / "a.dat").read_text().splitlines()[0]
    assert first.startswith("53945.873326,")
    assert first.endswith(",00035063002")          # ObsID as the 11-character string
    curve.write(tmp_path / "b.dat", format="sxps.dat", header=True, sep="\t")
    assert (tmp_path / "b.dat").read_text().splitlines()[0].split("\t")[:2] == ["Time",
                                                                                "TimePos"]


def test_ecsv_round_trip_keeps_the_class_and_values(lcs, tmp_path):
    curve = lcs["Total_rates"]
    curve.write(tmp_path / "c.ecsv")
    back = SXPSLightCurve.read(tmp_path / "c.ecsv", format="ascii.ecsv")
    assert isinstance(back, SXPSLightCurve) and back.dataset == "Total_rates"
    assert np.all(back.rate == curve.rate) and back.time.scale == "utc"


def test_collection_save_writes_every_dataset(lcs, tmp_path):
    paths = lcs.save(tmp_path, format="qdp", which_curves=["Total_rates", "Total_UL"])
    assert [p.name for p in paths] == ["Total_rates_MJD_Observation.qdp",
                                       "Total_UL_MJD_Observation.qdp"]
    with pytest.raises(FileExistsError):
        lcs.save(tmp_path, format="qdp", which_curves="Total_rates")
