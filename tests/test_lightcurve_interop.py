"""Light curves that astropy and lightkurve understand: SXPSLightCurve.bin (exact
Kraft-Burrows-Nousek rebinning), to_lightkurve, and astropy's fold,
aggregate_downsample and LombScargle on a light curve."""
import sys

import numpy as np
import pytest
import astropy.units as u
from astropy.table import vstack
from astropy.time import Time
from astropy.timeseries import BinnedTimeSeries, LombScargle, aggregate_downsample

from astroquery_sxps import SXPSLightCurve, kbn_interval, merge_lightcurve_bins, to_flux
from astroquery_sxps.exceptions import InvalidQueryError
from astroquery_sxps.stats import ONE_SIGMA, sigma_to_confidence

J0621 = "LSXPS J062131.8-622213"
J0730 = "LSXPS J073006.8-193710"


@pytest.fixture
def lcs(sxps):
    return sxps.get_lightcurve(source_name=J0621)


def _groups(lc, size, start=None):
    start = start or (lc.time + lc["TimeNeg"].to(u.s)).min()
    index = np.floor((lc.time - start).to_value(u.s) / size.to_value(u.s)).astype(int)
    return [index == k for k in np.unique(index)]


# -- bin ---------------------------------------------------------------------------------
def test_bin_is_merge_lightcurve_bins_on_each_interval(lcs):
    lc = lcs["Total_rates"]
    binned = lc.bin(30 * u.d)
    groups = _groups(lc, 30 * u.d)
    assert isinstance(binned, SXPSLightCurve) and len(binned) == len(groups) > 3
    assert int(binned["MergedBins"].sum()) == len(lc)
    for row, mask in zip(binned, groups):
        ref = merge_lightcurve_bins(lc, rows=mask).bin
        assert row["CtsInSrc"] == ref["CtsInSrc"][0]
        assert abs((row["time"] - ref.time[0]).to_value(u.s)) < 1e-3
        name = "UpperLimit" if ref.meta["is_upper_limit"] else "Rate"
        assert row[name].value == pytest.approx(ref[name][0].value)
        assert bool(row["is_upper_limit"]) == ref.meta["is_upper_limit"]
    # counts, background and exposure are conserved
    for name in ("CtsInSrc", "BGInSrc", "Exposure"):
        assert binned[name].sum().value == pytest.approx(lc[name].sum().value)


def test_bin_errors_are_the_exact_interval_not_an_average(lcs):
    lc = lcs["Total_rates"]
    binned = lc.bin(60 * u.d)
    row = binned[np.argmax(binned["MergedBins"])]
    assert row["MergedBins"] > 1 and not row["is_upper_limit"]
    C, B = int(row["CtsInSrc"].value), float(row["BGInSrc"].value)
    scale = row["CorrFact"] / row["Exposure"].to_value(u.s)
    lo, hi = kbn_interval(C, B, ONE_SIGMA)
    assert row["RatePos"].value == pytest.approx((hi - (C - B)) * scale, rel=1e-9)
    assert row["RateNeg"].value == pytest.approx((lo - (C - B)) * scale, rel=1e-9)
    assert row["Rate"].value == pytest.approx((C - B) * scale, rel=1e-9)


def test_bin_limits_where_the_merged_bin_is_no_detection(lcs):
    ul = lcs["Total_UL"]
    binned = ul.bin(20 * u.d, sigma=3)
    conf = sigma_to_confidence(3)
    assert len(binned) > 2
    for row in binned:
        detected = kbn_interval(int(row["CtsInSrc"].value), float(row["BGInSrc"].value),
                                conf)[0] > 0
        assert bool(row["is_upper_limit"]) == (not detected)
        if row["is_upper_limit"]:
            assert np.isnan(row["Rate"]) and np.isnan(row["RatePos"])
            smax = kbn_interval(int(row["CtsInSrc"].value), float(row["BGInSrc"].value), conf)[1]
            assert row["UpperLimit"].value == pytest.approx(
                smax * row["CorrFact"] / row["Exposure"].value, rel=1e-9)
        else:
            assert np.isnan(row["UpperLimit"]) and row["Rate"].value > 0


def test_bin_rates_and_limits_together(lcs):
    both = vstack([lcs["Total_rates"], lcs["Total_UL"]], join_type="inner",
                  metadata_conflicts="silent")
    binned = both.bin(365.25 * u.d)
    assert int(binned["MergedBins"].sum()) == len(lcs["Total_rates"]) + len(lcs["Total_UL"])
    total = lcs["Total_rates"]["CtsInSrc"].sum() + lcs["Total_UL"]["CtsInSrc"].sum()
    assert binned["CtsInSrc"].sum() == total


def test_bin_grid_options(lcs):
    lc = lcs["Total_rates"]
    start = lc.time[10]
    binned = lc.bin(10 * u.d, time_bin_start=start, n_bins=2)
    inside = ((lc.time - start).to_value(u.d) >= 0) & ((lc.time - start).to_value(u.d) < 20)
    assert int(binned["MergedBins"].sum()) == int(inside.sum())
    assert binned.meta["time_bin_size"] == 10 * u.d and binned.meta["time_bin_start"] == start
    assert binned.meta["confidence"] == pytest.approx(sigma_to_confidence(3))


@pytest.mark.parametrize("kwargs,match", [
    (dict(time_bin_size=10), "time_bin_size must be one positive time Quantity"),
    (dict(time_bin_size=-1 * u.d), "time_bin_size must be"),
    (dict(time_bin_size=1 * u.m), "time_bin_size must be"),
    (dict(time_bin_size=1 * u.d, n_bins=0), "n_bins must be a positive integer"),
    (dict(time_bin_size=1 * u.d, time_bin_start=5), "time_bin_start must be one astropy Time"),
    (dict(time_bin_size=1 * u.d, time_bin_start=Time(45000, format="mjd"), n_bins=3),
     "No bin"),
    (dict(time_bin_size=1 * u.d, sigma=-2), "sigma must be a positive number"),
])
def test_bin_bad_arguments(lcs, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        lcs["Total_rates"].bin(**kwargs)


def test_bin_hardness_ratios_refused(lcs):
    with pytest.raises(InvalidQueryError, match="lacks the column"):
        lcs["HR1"].bin(10 * u.d)


# -- to_lightkurve -----------------------------------------------------------------------
@pytest.fixture
def lightkurve():
    # installed by `run.sh test` (the `lightkurve` extra), so this never skips in CI
    return pytest.importorskip("lightkurve")


def test_to_lightkurve_rates(lcs, lightkurve):
    lc = lcs["Total_rates"]
    lk = lc.to_lightkurve()
    assert isinstance(lk, lightkurve.LightCurve) and len(lk) == len(lc)
    assert np.allclose(lk.time.mjd, lc.time.mjd)
    assert lk.flux.unit == u.ct / u.s and np.allclose(lk.flux.value, lc["Rate"].value)
    sym = (np.abs(lc["RatePos"].value) + np.abs(lc["RateNeg"].value)) / 2
    assert np.allclose(lk.flux_err.value, sym)
    assert np.allclose(lk["flux_err_upper"].value, lc["RatePos"].value)
    assert np.allclose(lk["flux_err_lower"].value, -lc["RateNeg"].value)
    assert not lk["is_upper_limit"].any()
    assert lk.meta["LABEL"] == "Total_rates" and lk.meta["FLUX_ORIGIN"] == "Rate"
    assert np.all(np.isfinite(lk.flux)) and "nan" not in repr(lk.flux[:3]).lower()


def test_to_lightkurve_upper_limits_flagged_or_dropped(lcs, lightkurve):
    ul = lcs["Total_UL"]
    lk = ul.to_lightkurve()
    assert np.allclose(lk.flux.value, ul["UpperLimit"].value)
    assert np.all(np.isnan(lk.flux_err)) and lk["is_upper_limit"].all()
    assert len(ul.to_lightkurve(upper_limits="drop")) == 0
    mixed = vstack([lcs["Total_rates"], ul], join_type="inner",
                   metadata_conflicts="silent").bin(20 * u.d)
    assert mixed["is_upper_limit"].any() and not mixed["is_upper_limit"].all()
    kept = mixed.to_lightkurve(upper_limits="drop")
    assert len(kept) == int((~mixed["is_upper_limit"]).sum())
    assert np.allclose(kept.flux.value, mixed["Rate"][~mixed["is_upper_limit"]].value)
    flagged = mixed.to_lightkurve()
    limits = np.asarray(flagged["is_upper_limit"])
    assert np.allclose(flagged.flux.value[limits], mixed["UpperLimit"][limits].value)


def test_to_lightkurve_fluxes_and_periodogram(sxps, lightkurve):
    lcs = to_flux(sxps.get_lightcurve(source_name=J0730), "catalogue", client=sxps)
    lk = lcs["Total_rates"].to_lightkurve()
    assert lk.flux.unit == u.erg / u.cm ** 2 / u.s and lk.meta["FLUX_ORIGIN"] == "Flux"
    assert np.allclose(lk.flux.value, lcs["Total_rates"]["Flux"].value)
    rate = lcs["Total_rates"].to_lightkurve(flux="rate")
    assert rate.flux.unit == u.ct / u.s
    pg = lk.to_periodogram(method="lombscargle")
    assert len(pg.power) > 10 and np.all(np.isfinite(pg.power))


def test_to_lightkurve_refusals(lcs, lightkurve):
    with pytest.raises(InvalidQueryError, match="run to_flux first"):
        lcs["Total_rates"].to_lightkurve(flux="flux")
    with pytest.raises(InvalidQueryError, match="hardness ratios have no flux"):
        lcs["HR1"].to_lightkurve()
    with pytest.raises(InvalidQueryError, match="upper_limits='keep' is not valid"):
        lcs["Total_rates"].to_lightkurve(upper_limits="keep")


def test_to_lightkurve_without_lightkurve(lcs, monkeypatch):
    monkeypatch.setitem(sys.modules, "lightkurve", None)      # import lightkurve fails
    with pytest.raises(ImportError, match=r"astroquery-sxps\[lightkurve\]"):
        lcs["Total_rates"].to_lightkurve()


# -- astropy's own tools -----------------------------------------------------------------
def test_fold_keeps_the_class_and_plots(lcs):
    lc = lcs["Total_rates"]
    folded = lc.fold(period=10 * u.d, epoch_time=lc.time[0])
    assert isinstance(folded, SXPSLightCurve)
    phase = folded.time.to_value(u.d)
    assert np.all((phase >= -5) & (phase < 5))
    assert np.allclose(folded.rate.value, lc["Rate"].value)
    fig, ax = folded.plot()
    assert ax.get_xlabel().startswith("Phase")
    x = np.concatenate([line.get_xdata() for line in ax.lines if len(line.get_xdata())])
    assert np.all((x >= -5) & (x < 5))


def test_aggregate_downsample(lcs):
    lc = lcs["Total_rates"]
    down = aggregate_downsample(lc, time_bin_size=100 * u.d)
    assert isinstance(down, BinnedTimeSeries)
    first = (lc.time - down.time_bin_start[0]).to_value(u.d) < 100
    assert down["Rate"][0].value == pytest.approx(np.mean(lc["Rate"][first].value))
    assert down["Rate"].unit == u.ct / u.s


def test_aggregate_downsample_with_obsids_after_dropping_the_text_column(sxps):
    lc = sxps.get_lightcurve(source_name=J0621, show_obs=True)["Total_rates"]
    with pytest.raises(TypeError):          # astropy cannot average text
        aggregate_downsample(lc, time_bin_size=100 * u.d)
    numeric = lc.copy()
    numeric.remove_column("ObsID")          # the documented way
    assert len(aggregate_downsample(numeric, time_bin_size=100 * u.d)) > 0


def test_lombscargle_on_time_and_rate(lcs):
    lc = lcs["Total_rates"]
    dy = lc.rate_err.mean(axis=0)
    freq, power = LombScargle(lc.time, lc.rate, dy).autopower()
    ref_f, ref_p = LombScargle(lc.time.mjd * u.d, lc["Rate"].value,
                               dy.value).autopower()
    assert freq.unit == 1 / u.d
    assert np.allclose(freq.value, ref_f.value) and np.allclose(power, ref_p)
