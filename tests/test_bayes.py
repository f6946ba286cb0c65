"""The exact Kraft-Burrows-Nousek interval and merge_upper_limits (protocol 5.4, 5.5)."""
import math

import numpy as np
import pytest
import astropy.units as u
from astropy.table import Table

from astroquery_sxps import kbn_interval, merge_upper_limits
from astroquery_sxps.stats import ONE_SIGMA, sigma_to_confidence
from astroquery_sxps.exceptions import InvalidQueryError

mpmath = pytest.importorskip("mpmath", reason="mpmath gives the high-precision reference")


def reference(n, b, cl, dps=35):
    """HPD interval by bisection at high precision (mpmath), independent of bayes.py."""
    mp = mpmath.mp
    with mpmath.workdps(dps):
        n = int(n)
        b, cl = mp.mpf(b), mp.mpf(cl)
        if n == 0:
            return 0.0, float(-mp.log(1 - cl))
        a = n + 1
        Q = lambda x: mp.gammainc(a, x, mp.inf, regularized=True)  # noqa: E731
        qb = Q(b)
        logf = lambda mu: n * mp.log(mu) - mu  # noqa: E731

        def one_sided():
            lo, hi = b, b + 50 + 3 * n
            while Q(hi) > (1 - cl) * qb:
                hi *= 2
            for _ in range(120):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if Q(mid) > (1 - cl) * qb else (lo, mid)
            return 0.0, float((lo + hi) / 2 - b)

        def partner(mu1):
            lv, lo, hi = logf(mu1), mp.mpf(n), mp.mpf(2 * n + 60)
            while logf(hi) > lv:
                hi *= 2
            for _ in range(120):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if logf(mid) > lv else (lo, mid)
            return (lo + hi) / 2

        if n <= b:
            return one_sided()
        if b > 0 and (Q(b) - Q(partner(b))) <= cl * qb:
            return one_sided()
        lo, hi = b, mp.mpf(n)
        for _ in range(110):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if Q(mid) - Q(partner(mid)) > cl * qb else (lo, mid)
        mu1 = (lo + hi) / 2
        return float(mu1 - b), float(partner(mu1) - b)


GRID = [(n, b, cl) for n in (0, 1, 2, 5, 17, 120)
        for b in (0.0, 0.3, 4.2, 30.0) for cl in (0.683, 0.95, 0.9973)]
GRID += [(577, 564.8623355896407, 0.95), (100000, 0.0, 0.683), (100000, 99000.0, 0.9973),
         (100000, 100500.0, 0.95), (3, 1000.0, 0.9973), (0, 5000.0, 0.99),
         (20, 3.0, 0.9999999), (2, 1.9, 0.01), (1000, 0.0, 0.683), (500, 10.0, 0.683)]


@pytest.mark.parametrize("n,b,cl", GRID)
def test_matches_high_precision_reference(n, b, cl):
    lo, hi = kbn_interval(n, b, cl)
    rlo, rhi = reference(n, b, cl)
    assert hi == pytest.approx(rhi, rel=1e-9, abs=1e-12)
    assert lo == pytest.approx(rlo, rel=1e-9, abs=1e-12)


def test_grid_vectorised_equals_scalar():
    n, b, cl = (np.array(x) for x in zip(*GRID))
    lo, hi = kbn_interval(n, b, cl)
    assert lo.shape == hi.shape == (len(GRID),)
    for i, (ni, bi, ci) in enumerate(GRID):
        slo, shi = kbn_interval(ni, bi, ci)
        assert (lo[i], hi[i]) == pytest.approx((slo, shi), rel=1e-12, abs=1e-14)


# protocol.md 5.5: the existing client's values, good to ~1e-3
@pytest.mark.parametrize("n,b,cl,expected", [
    (0, 0, 0.997, (0, 5.81, 0)), (0, 0, 0.683, (0, 1.149, 0)),
    (1, 0.1, 0.683, (0.171, 2.39, 0.9)), (5, 1, 0.997, (0, 13.898, 4.0)),
    (10, 2.5, 0.683, (4.64, 11.039, 7.5)), (3, 10, 0.997, (0, 7.324, 0)),
])
def test_protocol_reference_table(n, b, cl, expected):
    lo, hi, mode = kbn_interval(n, b, cl, return_mode=True)
    assert (lo, hi, mode) == pytest.approx(expected, abs=2e-3)


def test_zero_counts_is_analytic_for_any_background():
    b = np.array([0.0, 0.5, 10.0, 1e4])
    for cl in (0.683, 0.95, 0.9973):
        lo, hi = kbn_interval(0, b, cl)
        assert np.all(lo == 0)
        np.testing.assert_allclose(hi, -math.log(1 - cl), rtol=1e-15)


def test_zero_background_detects_any_counts():
    lo, hi = kbn_interval([1, 2, 10], 0.0, 0.9973)
    assert np.all(lo > 0) and np.all(hi > lo)


def test_broadcasting_and_mode():
    lo, hi, mode = kbn_interval(np.array([[3], [50]]), np.array([0.5, 60.0]),
                                [0.9, 0.95], return_mode=True)
    assert lo.shape == hi.shape == mode.shape == (2, 2)
    assert mode.tolist() == [[2.5, 0.0], [49.5, 0.0]]
    assert isinstance(kbn_interval(3, 1, 0.9)[0], float)


def test_large_counts_mode_is_exact():
    # protocol Q14: the existing client's mode is offset for N - B > ~400
    lo, hi, mode = kbn_interval(1000, 0, 0.683, return_mode=True)
    assert mode == 1000 and lo < 1000 < hi
    assert kbn_interval(500, 10, 0.683, return_mode=True)[2] == 490


def test_percent_confidence_and_sigma():
    assert kbn_interval(10, 2, 95) == kbn_interval(10, 2, 0.95)
    assert sigma_to_confidence(3) == pytest.approx(0.9973002, abs=1e-7)
    assert ONE_SIGMA == pytest.approx(0.6826895, abs=1e-7)


def test_agrees_with_astropy_where_astropy_works():
    from astropy.stats import poisson_conf_interval
    for n, b in ((10, 2.5), (30, 4.0), (5, 1.0)):
        expected = poisson_conf_interval(n, background=b, confidence_level=0.9,
                                         interval="kraft-burrows-nousek")
        expected = tuple(float(np.ravel(e)[0]) for e in expected)
        assert kbn_interval(n, b, 0.9) == pytest.approx(expected, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("n,b,cl", [(-1, 0, 0.9), (1.5, 0, 0.9), (np.nan, 0, 0.9),
                                    (1, -0.1, 0.9), (1, np.inf, 0.9), (1, 0, 0),
                                    (1, 0, 1.0), (1, 0, 100), (1, 0, -5), ("a", 0, 0.9)])
def test_bad_interval_input(n, b, cl):
    with pytest.raises(InvalidQueryError):
        kbn_interval(n, b, cl)


# -- merge_upper_limits ----------------------------------------------------------------
def ul_table(counts, bg, cf, img_exp, src_exp=None, band="Total"):
    t = Table()
    t["ObsID"] = [f"{i:011d}" for i in range(len(counts))]
    t["SourceExposure"] = np.array(src_exp if src_exp is not None else img_exp) * u.s
    t["ImageExposure"] = np.array(img_exp, dtype=float) * u.s
    t[f"{band}_UpperLimit"] = np.zeros(len(counts)) * u.ct / u.s
    t[f"{band}_Counts"] = np.array(counts, dtype=float) * u.ct
    t[f"{band}_BGCounts"] = np.array(bg, dtype=float) * u.ct
    t[f"{band}_CorrectionFactor"] = np.array(cf, dtype=float)
    return t


def test_merge_maths_and_units():
    t = ul_table([3, 4, 100], [0.5, 0.7, 1.0], [1.2, 1.4, 9.9], [1000.0, 3000.0, 5.0],
                 src_exp=[900.0, 2900.0, 4.0])
    merged = merge_upper_limits(t, rows=[0, 1], confidence=0.9, detections_as_rates=False)
    assert merged.colnames == ["SourceExposure", "ImageExposure", "Total_UpperLimit",
                               "Total_Counts", "Total_BGCounts", "Total_CorrectionFactor"]
    cf = (1.2 * 1000 + 1.4 * 3000) / 4000
    _, smax = kbn_interval(7, 1.2, 0.9)
    assert merged["SourceExposure"][0] == 3800 and merged["ImageExposure"][0] == 4000
    assert merged["Total_CorrectionFactor"][0] == pytest.approx(cf, rel=1e-15)
    assert merged["Total_UpperLimit"][0] == pytest.approx(smax * cf / 4000, rel=1e-14)
    assert merged["Total_Counts"][0] == 7 and merged["Total_Counts"].dtype.kind == "i"
    assert merged["Total_UpperLimit"].unit == u.ct / u.s
    assert merged["Total_Counts"].unit == u.ct and merged["ImageExposure"].unit == u.s
    assert merged.meta["num_rows"] == 2 and merged.meta["bands"] == ["Total"]


def test_merge_detection_gives_rate():
    t = ul_table([40, 35], [2.0, 3.0], [1.1, 1.3], [2000.0, 2000.0])
    merged = merge_upper_limits(t)                       # all rows, 3 sigma
    assert merged["Total_IsDetected"][0] and merged["Total_IsDetected"].dtype == bool
    lo, hi, mode = kbn_interval(75, 5.0, ONE_SIGMA, return_mode=True)
    scale = 1.2 / 4000
    assert mode == 70
    assert merged["Total_Rate"][0] == pytest.approx(70 * scale, rel=1e-14)
    assert merged["Total_RatePos"][0] == pytest.approx((hi - 70) * scale, rel=1e-12)
    assert merged["Total_RateNeg"][0] == pytest.approx((lo - 70) * scale, rel=1e-12)
    assert merged["Total_RateNeg"][0] < 0 < merged["Total_RatePos"][0]
    _, smax = kbn_interval(75, 5.0, sigma_to_confidence(3))
    assert merged["Total_UpperLimit"][0] == pytest.approx(smax * scale, rel=1e-14)


def test_merge_det_thresh_units_follow_level():
    # 6 counts on 1 expected: detected at 2 sigma, not at 4 sigma
    t = ul_table([6], [1.0], [1.0], [1000.0])
    assert merge_upper_limits(t, det_thresh=2)["Total_IsDetected"][0]
    assert not merge_upper_limits(t, sigma=2, det_thresh=4)["Total_IsDetected"][0]
    assert merge_upper_limits(t, confidence=0.9999, det_thresh=0.9)["Total_IsDetected"][0]
    assert merge_upper_limits(t, confidence=99.99, det_thresh=90)["Total_IsDetected"][0]


def test_merge_skips_missing_bands_with_log():
    from astroquery import log
    t = ul_table([3], [0.5], [1.2], [1000.0])
    old_level = log.level
    log.setLevel("INFO")
    try:
        with log.log_to_list() as messages:
            merged = merge_upper_limits(t, bands=["total", "HARD"])
    finally:
        log.setLevel(old_level)
    assert any("Skipping band Hard" in m.getMessage() for m in messages)
    assert "Hard_UpperLimit" not in merged.colnames and "Total_UpperLimit" in merged.colnames
    assert merged.meta["bands"] == ["Total"]


def test_merge_logs_every_band_it_skips_with_all():
    """bands='all' on a total-band table: the tutorial's "Skipping band `Soft` as data are
    missing", one INFO message per skipped band."""
    from astroquery import log
    t = ul_table([3], [0.5], [1.2], [1000.0])
    old_level = log.level
    log.setLevel("INFO")
    try:
        with log.log_to_list() as messages:
            merged = merge_upper_limits(t)
    finally:
        log.setLevel(old_level)
    skipped = [m.getMessage() for m in messages if m.levelname == "INFO"
               and m.getMessage().startswith("Skipping band")]
    assert [text.split()[2].rstrip(":") for text in skipped] == ["Soft", "Medium", "Hard"]
    assert "Soft_Counts" in skipped[0]
    assert merged.meta["bands"] == ["Total"]


def test_merge_boolean_column_mask():
    t = ul_table([3, 4, 5], [0.5, 0.5, 0.5], [1, 1, 1], [10.0, 20.0, 30.0])
    merged = merge_upper_limits(t, rows=t["ObsID"] != "00000000001")
    assert merged["ImageExposure"][0] == 40 and merged["Total_Counts"][0] == 8


@pytest.mark.parametrize("kwargs,match", [
    (dict(rows=[True, False]), "boolean mask"),
    (dict(rows=[5]), "outside"),
    (dict(rows=[False, False, False]), "no rows"),
    (dict(rows=["a"]), "rows"),
    (dict(bands="ultra"), "bands"),
    (dict(bands=[]), "bands"),
    (dict(sigma=0), "sigma"),
    (dict(confidence=1.0), "confidence"),
    (dict(confidence="0.9"), "confidence"),
    (dict(det_thresh=-1), "det_thresh"),
    (dict(detections_as_rates="yes"), "detections_as_rates"),
])
def test_merge_bad_input(kwargs, match):
    t = ul_table([3, 4, 5], [0.5, 0.5, 0.5], [1, 1, 1], [10.0, 20.0, 30.0])
    with pytest.raises(InvalidQueryError, match=match):
        merge_upper_limits(t, **kwargs)


def test_merge_needs_table_and_exposures():
    with pytest.raises(InvalidQueryError, match="Table"):
        merge_upper_limits({"a": 1})
    t = ul_table([3], [0.5], [1.2], [1000.0])
    del t["ImageExposure"]
    with pytest.raises(InvalidQueryError, match="ImageExposure"):
        merge_upper_limits(t)


@pytest.mark.parametrize("rows", [[], (), np.array([], dtype=int), np.array([], dtype=bool)])
def test_merge_empty_selection_is_clear_error(rows):
    t = ul_table([3, 4, 5], [0.5, 0.5, 0.5], [1, 1, 1], [10.0, 20.0, 30.0])
    with pytest.raises(InvalidQueryError, match="rows"):
        merge_upper_limits(t, rows=rows)


@pytest.mark.parametrize("args,kwargs,match", [
    ((True, 1), {}, "n must be a number"),
    ((3, False), {}, "b must be a number"),
    (([1, True], 1), {}, "n must be a number"),
    ((np.array([True, False]), 1), {}, "n must be a number"),
    (("3", 1), {}, "n must be a number"),
    ((3, 1, True), {}, "confidence must be a number"),
    ((3, 1), dict(return_mode='x'), "return_mode must be True or False"),
    ((3, 1), dict(return_mode=1), "return_mode must be True or False"),
])
def test_kbn_rejects_bools_and_bad_return_mode(args, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        kbn_interval(*args, **kwargs)


def test_kbn_still_accepts_numpy_and_lists():
    lo, hi = kbn_interval(np.int64(3), np.float64(1.0), np.float64(0.9))
    assert isinstance(lo, float) and hi > 0
    lo, hi, mode = kbn_interval([0, 5], np.array([0.0, 1.0]), 0.9, return_mode=np.True_)
    assert list(mode) == [0.0, 4.0]
