"""SXPS.query_upper_limit / retrieve_upper_limit against the emulator (protocol 3.7).

Exact values are the tutorial's printed (real) server output.
"""
import math
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astropy.table import Table
from astropy.time import Time

from astroquery_sxps import merge_upper_limits
from astroquery_sxps.exceptions import (CataloguedSourceWarning, InvalidQueryError,
                                        SXPSServerError, TimeoutError, UpperLimitPending)
from astroquery_sxps.testing.handlers.upper_limits import schedule_ul_timeout, ul_jobs

POS1 = "334.502058 -8.256481"
POS2 = "77.969042, -62.324167"

# Tutorial table 2 (bands='all', whichData='all'): ObsID, SourceExposure, ImageExposure,
# Total UL/Counts/BG/CF, Soft UL/BG, Medium UL/Counts/BG, Hard UL/Counts/BG
TABLE2 = [
    ("10000020308", 31007.108434, 36730.542969, 0.002796, 575.0, 579.319382, 1.422133,
     0.001539, 175.639068, 0.001776, 240.0, 233.679986, 0.001384, 166.0, 141.947255),
    ("00831816000", 1032.104819, 1033.007600, 0.080617, 508.0, 513.051351, 1.227909,
     0.043683, 150.637800, 0.051651, 210.0, 210.598484, 0.043812, 151.0, 151.527823),
    ("00831816002", 135.198780, 190.554800, 0.072142, 1.0, 0.054678, 1.703401,
     0.052857, 0.094047, 0.072338, 1.0, 0.032169, 0.052857, 0.0, 0.022493),
    ("00831816003", 1302.687500, 1313.825200, 0.010449, 3.0, 0.533764, 1.218156,
     0.007300, 0.305089, 0.009208, 2.0, 0.112232, 0.005490, 0.0, 0.101873),
    ("00831816004", 3420.219512, 3913.895300, 0.004883, 13.0, 13.770363, 1.348728,
     0.005053, 0.518664, 0.005114, 5.0, 0.348361, 0.003901, 3.0, 0.459833),
    ("00831816005", 2981.200000, 2993.716200, 0.005406, 11.0, 11.769374, 1.212614,
     0.005320, 0.393220, 0.005370, 4.0, 0.290672, 0.004587, 3.0, 0.459679),
    ("00831816006", 3458.195122, 3565.380600, 0.003669, 6.0, 7.200492, 1.225049,
     0.002032, 0.509580, 0.003897, 3.0, 0.448037, 0.003861, 3.0, 0.554207),
    ("00831816007", 3627.719512, 3903.866100, 0.004593, 13.0, 13.794047, 1.265324,
     0.003078, 0.559181, 0.004118, 9.0, 9.340048, 0.003109, 2.0, 0.452695),
    ("00831816008", 3012.913580, 3151.676100, 0.005775, 5.0, 0.830020, 1.276016,
     0.004645, 0.315025, 0.003214, 1.0, 0.208594, 0.003167, 1.0, 0.365036),
    ("00831816009", 2671.634146, 2720.420500, 0.005043, 3.0, 0.748863, 1.241829,
     0.003598, 0.280363, 0.003603, 1.0, 0.265807, 0.003587, 1.0, 0.315610),
    ("00831816010", 4908.426829, 5282.881100, 0.004115, 7.0, 1.604165, 1.309514,
     0.003175, 0.640918, 0.002843, 3.0, 0.317096, 0.001466, 0.0, 0.598214),
    ("00831816011", 4487.000000, 4620.953900, 0.004481, 7.0, 1.505219, 1.235999,
     0.002971, 0.686730, 0.002603, 2.0, 0.302586, 0.002530, 2.0, 0.599897),
]
STARTS = ["2009-01-11 02:16:35", "2018-05-10 22:06:39", "2018-05-12 09:31:05",
          "2018-05-13 06:14:02", "2018-05-14 06:04:07", "2018-05-15 06:00:45",
          "2018-05-16 10:52:40", "2018-05-17 01:13:28", "2018-05-18 02:43:21",
          "2018-05-19 02:35:28", "2018-05-20 02:26:59", "2018-05-21 02:19:57"]
# Tutorial table 3 (detectionsAsRates=True): rows with a detection
RATES = {8: (0.001688, 0.001065, -0.000786), 10: (0.001337, 0.000750, -0.000582),
         11: (0.001470, 0.000810, -0.000628)}


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CataloguedSourceWarning)
        return func(*args, **kwargs)


# -- the tutorial's three tables ----------------------------------------------
def test_default_deepest_total(sxps, sxps_server):
    ul = sxps.query_upper_limit(POS1, catalog="LSXPS")
    assert len(ul) == 1
    assert ul.colnames == ["StartTime", "StopTime", "ObsID", "SourceExposure", "ImageExposure",
                           "Total_UpperLimit", "Total_Counts", "Total_BGCounts",
                           "Total_CorrectionFactor"]
    row = ul[0]
    assert isinstance(ul["StartTime"], Time)
    assert ul["StartTime"][0].iso == "2006-04-28 02:19:58.000"
    assert ul["StopTime"][0].iso == "2019-10-18 21:06:16.000"
    assert row["ObsID"] == "10000018414"
    assert row["SourceExposure"] == 50071.75 and ul["SourceExposure"].unit == u.s
    assert row["ImageExposure"] == 55395.777344 and ul["ImageExposure"].unit == u.s
    assert row["Total_UpperLimit"] == 0.000321 and ul["Total_UpperLimit"].unit == u.ct / u.s
    assert row["Total_Counts"] == 17.0 and ul["Total_Counts"].unit == u.ct
    assert row["Total_BGCounts"] == 22.100154 and ul["Total_BGCounts"].unit == u.ct
    assert row["Total_CorrectionFactor"] == 1.326975
    assert ul.meta["resolved_position"].ra.deg == pytest.approx(334.50206)
    assert "det_data" not in ul.meta
    body = sxps_server.requests_for("getSXPSUL")[-1]
    assert body["searchName"] == POS1
    assert body["catalogue"] == "LSXPS"
    assert body["bands"] == ["total"] and body["whichData"] == "deepest"
    assert body["sigma"] == 3.0 and "detThresh" not in body


def test_all_bands_all_data(sxps):
    with pytest.warns(CataloguedSourceWarning, match="LSXPS J051152.3-621925"):
        ul = sxps.query_upper_limit(POS2, catalog="LSXPS", bands="all", which_data="all")
    assert len(ul) == 12 and len(ul.colnames) == 21
    for i, (exp, start) in enumerate(zip(TABLE2, STARTS)):
        row = ul[i]
        (obsid, se, ie, tul, tc, tbg, tcf, sul, sbg, mul, mc, mbg, hul, hc, hbg) = exp
        assert row["ObsID"] == obsid
        assert ul["StartTime"][i].iso[:19] == start
        assert (row["SourceExposure"], row["ImageExposure"]) == (se, ie)
        assert (row["Total_UpperLimit"], row["Total_Counts"], row["Total_BGCounts"],
                row["Total_CorrectionFactor"]) == (tul, tc, tbg, tcf)
        assert (row["Soft_UpperLimit"], row["Soft_BGCounts"],
                row["Soft_CorrectionFactor"]) == (sul, sbg, tcf)
        assert (row["Medium_UpperLimit"], row["Medium_Counts"], row["Medium_BGCounts"]) == \
            (mul, mc, mbg)
        assert (row["Hard_UpperLimit"], row["Hard_Counts"], row["Hard_BGCounts"]) == (hul, hc, hbg)
        # hidden in the tutorial: filled in consistently (synthetic)
        assert row["Soft_Counts"] == tc - mc - hc
    assert ul["ObsID"].dtype.kind == "U"
    det = ul.meta["det_data"]
    assert isinstance(det, Table)
    assert det["Distance"].unit == u.arcsec and det["Distance"][0] == 2.4
    assert det["SourceName"][0] == "LSXPS J051152.3-621925"
    assert ul.meta["resolved_info"] == "Parsed '77.969042, -62.324167' as (77.96904, -62.32417)"
    pos = ul.meta["resolved_position"]
    assert isinstance(pos, SkyCoord)
    assert (pos.ra.deg, pos.dec.deg) == (77.96904, -62.32417)


def test_detections_as_rates(sxps, sxps_server):
    ul = _quiet(sxps.query_upper_limit, POS2, catalog="LSXPS", which_data="all",
                detections_as_rates=True)
    assert ul.colnames == ["StartTime", "StopTime", "ObsID", "SourceExposure", "ImageExposure",
                           "Total_UpperLimit", "Total_Rate", "Total_RatePos", "Total_RateNeg",
                           "Total_Counts", "Total_BGCounts", "Total_CorrectionFactor",
                           "Total_IsDetected"]
    assert ul["Total_IsDetected"].dtype == bool
    assert list(np.flatnonzero(ul["Total_IsDetected"])) == [8, 10, 11]
    for i in range(12):
        if i in RATES:
            assert (ul["Total_Rate"][i], ul["Total_RatePos"][i], ul["Total_RateNeg"][i]) == RATES[i]
        else:
            assert all(math.isnan(ul[c][i]) for c in ("Total_Rate", "Total_RatePos",
                                                      "Total_RateNeg"))
        assert ul["Total_UpperLimit"][i] == TABLE2[i][3]
    assert ul["Total_Rate"].unit == u.ct / u.s
    assert sxps_server.requests_for("getSXPSUL")[-1]["detectionsAsRates"] is True


# -- reply forms ----------------------------------------------------------------
@pytest.mark.parametrize("arrays,strings", [(True, False), (False, True), (True, True)])
def test_reply_forms(sxps, sxps_server, arrays, strings):
    sxps_server.options.update(rows_as_arrays=arrays, numbers_as_strings=strings)
    ul = _quiet(sxps.query_upper_limit, POS2, which_data="all", detections_as_rates=True,
                cache=False)
    assert len(ul) == 12
    assert ul["ObsID"][1] == "00831816000"
    assert ul["Total_UpperLimit"][1] == 0.080617
    assert ul["Total_Counts"][0] == 575.0
    assert list(np.flatnonzero(ul["Total_IsDetected"])) == [8, 10, 11]   # "0" is False
    assert math.isnan(ul["Total_Rate"][0]) and ul["Total_Rate"][8] == 0.001688


def test_time_formats(sxps, sxps_server):
    mjd = sxps.query_upper_limit(POS1, time_format="MJD")
    assert sxps_server.requests_for("getSXPSUL")[-1]["timeFormat"] == "MJD"
    assert isinstance(mjd["StartTime"], Time) and mjd["StartTime"].scale == "utc"
    assert mjd["StartTime"][0].iso[:19] == "2006-04-28 02:19:58"
    tdb = sxps.query_upper_limit(POS1, time_format="tdb")
    assert tdb["StartTime"].scale == "tdb"
    assert abs((tdb["StartTime"][0] - Time("2006-04-28 02:19:58", scale="utc")).sec) < 1e-3
    met = sxps.query_upper_limit(POS1, time_format="met")
    col = met["StartTime"]
    assert not isinstance(col, Time)          # MET stays spacecraft seconds
    assert col.unit == u.s
    # the emulator's MET: SI seconds since 2001-01-01 UTC minus its fixed 20 s clock offset
    elapsed = (Time("2006-04-28 02:19:58", scale="utc") - Time("2001-01-01", scale="utc")).sec
    assert col[0] == pytest.approx(elapsed - 20.0, abs=1e-6)
    assert met.meta["time_format"] == "MET"


# -- position forms ---------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    dict(position=SkyCoord(334.502058 * u.deg, -8.256481 * u.deg)),
    dict(position=SkyCoord(334.502058 * u.deg, -8.256481 * u.deg).galactic),
    dict(position=(334.502058, -8.256481)),
    dict(position=(334.502058 * u.deg, Angle(-8.256481, u.deg))),
    dict(ra=334.502058, dec=-8.256481),
    dict(ra="22h18m00.49392s", dec="-8d15m23.3316s"),
    dict(ra=Angle("22h18m00.49392s"), dec=-8.256481 * u.deg),
])
def test_position_as_coordinates(sxps, sxps_server, kwargs):
    ul = sxps.query_upper_limit(**kwargs)
    body = sxps_server.requests_for("getSXPSUL")[-1]
    assert body["RA"] == pytest.approx(334.502058, abs=1e-6)
    assert body["Dec"] == pytest.approx(-8.256481, abs=1e-6)
    assert "searchName" not in body
    assert ul["Total_UpperLimit"][0] == 0.000321
    assert "resolved_position" not in ul.meta and "resolved_info" not in ul.meta
    assert ul.meta["position"].ra.deg == pytest.approx(334.502058, abs=1e-6)


def test_sexagesimal_string_and_name(sxps, sxps_server):
    ul = _quiet(sxps.query_upper_limit, "05 11 52.57 -62 19 27.0")
    assert sxps_server.requests_for("getSXPSUL")[-1]["searchName"] == "05 11 52.57 -62 19 27.0"
    assert ul["ObsID"][0] == "10000020308"      # deepest dataset
    assert ul.meta["resolved_position"].dec.deg == pytest.approx(-62.32417, abs=1e-4)
    ul = sxps.query_upper_limit(name="EMU J2218-0815")
    assert sxps_server.requests_for("getSXPSUL")[-1]["searchName"] == "EMU J2218-0815"
    assert "Resolved" in ul.meta["resolved_info"]
    assert ul["Total_UpperLimit"][0] == 0.000321


def test_unknown_name_is_server_error(sxps):
    with pytest.raises(SXPSServerError, match="Could not resolve 'No Such Object'"):
        sxps.query_upper_limit(name="No Such Object")


def test_det_thresh_reaches_server(sxps, sxps_server):
    body = sxps.query_upper_limit(POS1, det_thresh=2, get_query_payload=True)
    assert body["detThresh"] == 2.0
    assert sxps_server.counts["getSXPSUL"] == 0
    sxps.query_upper_limit(POS1, det_thresh=2.5, sigma=2, detections_as_rates=True)
    sent = sxps_server.requests_for("getSXPSUL")[-1]
    assert sent["detThresh"] == 2.5 and sent["sigma"] == 2.0


def test_payload(sxps, sxps_server):
    body = sxps.query_upper_limit(POS2, bands=["HARD", "total", "Soft"], which_data="ALL",
                                  skip_detections=True, use_cat_values=True, catalog="2sxps",
                                  get_query_payload=True)
    assert body == {"catalogue": "2SXPS", "bands": ["hard", "total", "soft"],
                    "whichData": "all", "timeFormat": "cal", "sigma": 3.0,
                    "detectionsAsRates": False, "skipDetections": True, "useCatValues": True,
                    "searchName": POS2, "APIFunc": "getSXPSUL", "APIVersion": "1.0.5"}
    assert sxps.retrieve_upper_limit("abc", get_query_payload=True) == \
        {"ULID": "abc", "APIFunc": "getSXPSUL", "APIVersion": "1.0.5"}
    assert sum(sxps_server.counts.values()) == 0


# -- bad input: rejected before any request ------------------------------------------
@pytest.mark.parametrize("args,kwargs,match", [
    ((POS1,), dict(name="x"), "position and name"),
    ((POS1,), dict(ra=1, dec=2), "position and ra/dec"),
    ((), dict(name="x", ra=1, dec=2), "name and ra/dec"),
    ((), dict(ra=10), "dec is missing"),
    ((), dict(dec=10), "ra is missing"),
    ((), {}, "Give a position"),
    ((), dict(ra=400, dec=0), "RA must be"),
    ((), dict(ra=10, dec=-91), "Dec must be"),
    ((), dict(ra="nonsense", dec=0), "ra="),
    (((1, 2, 3),), {}, "position must be"),
    ((12.5,), {}, "position must be"),
    ((SkyCoord([1, 2] * u.deg, [3, 4] * u.deg),), {}, "scalar"),
    ((POS1,), dict(bands="ultra"), "bands"),
    ((POS1,), dict(bands=["total", "HR1"]), "bands"),
    ((POS1,), dict(bands=[]), "bands"),
    ((POS1,), dict(which_data="some"), "which_data"),
    ((POS1,), dict(time_format="jd"), "time_format"),
    ((POS1,), dict(catalog="1SXPS"), "catalog"),
    ((POS1,), dict(sigma=-1), "sigma"),
    ((POS1,), dict(sigma="3"), "sigma"),
    ((POS1,), dict(det_thresh=0), "det_thresh"),
    ((POS1,), dict(detections_as_rates="yes"), "detections_as_rates"),
    ((POS1,), dict(skip_detections=1), "skip_detections"),
    (("",), {}, "empty"),
])
def test_bad_input_rejected_before_request(sxps, sxps_server, args, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.query_upper_limit(*args, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


@pytest.mark.parametrize("job_id,kwargs", [(None, {}), (123, {}), ("  ", {}),
                                           ("abc", dict(wait=-1)), ("abc", dict(time_format="x"))])
def test_bad_retrieve_rejected(sxps, sxps_server, job_id, kwargs):
    with pytest.raises(InvalidQueryError):
        sxps.retrieve_upper_limit(job_id, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_server_error_and_uncovered_position(sxps, sxps_server):
    with pytest.raises(SXPSServerError, match="not covered"):
        sxps.query_upper_limit(ra=10.0, dec=10.0)
    sxps_server.reply_next({"ERROR": 1, "ERRORTEXT": "UL server down"}, api_func="getSXPSUL")
    with pytest.raises(SXPSServerError, match="UL server down"):
        sxps.query_upper_limit(POS1)


# -- caching ---------------------------------------------------------------------------
def test_result_is_cached(sxps, sxps_server):
    first = sxps.query_upper_limit(POS1)
    second = sxps.query_upper_limit(POS1)
    assert sxps_server.counts["getSXPSUL"] == 1
    assert second["Total_UpperLimit"][0] == first["Total_UpperLimit"][0]
    sxps.query_upper_limit(POS1, cache=False)
    assert sxps_server.counts["getSXPSUL"] == 2


# -- TIMEOUT jobs ------------------------------------------------------------------------
def test_timeout_polled_to_completion(sxps, sxps_server):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=3)
    ul = _quiet(sxps.query_upper_limit, POS2, which_data="all", bands="all")
    assert len(ul) == 12 and ul["Total_UpperLimit"][0] == 0.002796
    bodies = sxps_server.requests_for("getSXPSUL")
    assert len(bodies) == 1 + 4                       # request + 3 TIMEOUT polls + result
    assert all(b == {"ULID": job, "APIFunc": "getSXPSUL", "APIVersion": "1.0.5"}
               for b in bodies[1:])
    assert ul_jobs(sxps_server)[job]["retrieved"]
    # the server has deleted the result, but the cached copy is returned again
    again = _quiet(sxps.retrieve_upper_limit, job)
    assert again["Total_UpperLimit"][0] == 0.002796 and len(again) == 12
    assert sxps_server.counts["getSXPSUL"] == 5
    # the TIMEOUT reply was not cached: the same query starts a fresh calculation
    fresh = _quiet(sxps.query_upper_limit, POS2, which_data="all", bands="all")
    assert sxps_server.counts["getSXPSUL"] == 6 and len(fresh) == 12


def test_timeout_pending_then_retrieve(sxps, sxps_server):
    from astroquery_sxps import conf
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 9)
    with conf.set_temp("upper_limit_wait", 0.3), conf.set_temp("upper_limit_poll_interval", 0.05):
        with pytest.raises(UpperLimitPending) as info:
            sxps.query_upper_limit(POS1)
    err = info.value
    assert isinstance(err, TimeoutError)
    assert err.job_id == job and err.waited <= 0.3 + 1.0
    assert job in str(err)
    polls = sxps_server.counts["getSXPSUL"] - 1
    assert 1 <= polls <= 8
    # the job finishes later: retrieve it by id, once from the server, then from the cache
    ul_jobs(sxps_server)[job]["remaining"] = 1
    ul = sxps.retrieve_upper_limit(job)
    assert ul["Total_UpperLimit"][0] == 0.000321
    n = sxps_server.counts["getSXPSUL"]
    assert sxps.retrieve_upper_limit(job)["ObsID"][0] == "10000018414"
    assert sxps_server.counts["getSXPSUL"] == n


def test_retrieve_without_cache_fails_second_time(sxps, sxps_server):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 9)
    with pytest.raises(UpperLimitPending):
        sxps.query_upper_limit(POS1, cache=False)
    ul_jobs(sxps_server)[job]["remaining"] = 0
    assert len(sxps.retrieve_upper_limit(job, cache=False, wait=0)) == 1
    with pytest.raises(SXPSServerError, match="already been retrieved"):
        sxps.retrieve_upper_limit(job, cache=False)


def test_retrieve_wait_zero_asks_once(sxps, sxps_server):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 9)
    with pytest.raises(UpperLimitPending):
        sxps.query_upper_limit(POS1)
    n = sxps_server.counts["getSXPSUL"]
    with pytest.raises(UpperLimitPending) as info:
        sxps.retrieve_upper_limit(job, wait=0)
    assert info.value.job_id == job
    assert sxps_server.counts["getSXPSUL"] == n + 1


def test_unknown_job_id(sxps):
    with pytest.raises(SXPSServerError, match="not found"):
        sxps.retrieve_upper_limit("no-such-job")


# -- merge on a queried table ------------------------------------------------------------
def test_merge_queried_table(sxps):
    ul = _quiet(sxps.query_upper_limit, POS2, which_data="all", detections_as_rates=True)
    merged = merge_upper_limits(ul, rows=ul["ObsID"] < "10000000000", confidence=0.95)
    assert len(merged) == 1
    assert merged["Total_Counts"][0] == 577
    assert merged["Total_BGCounts"][0] == pytest.approx(564.862336, abs=1e-9)
    assert merged["SourceExposure"][0] == pytest.approx(31037.2998, abs=1e-7)
    assert merged["ImageExposure"][0] == pytest.approx(32690.1774, abs=1e-7)
    # exact KBN on the printed inputs, and within 2e-5 of the tutorial's gridded value
    assert merged["Total_UpperLimit"][0] == pytest.approx(0.0022251309, rel=1e-6)
    assert merged["Total_UpperLimit"][0] == pytest.approx(0.0022251588163850447, rel=2e-5)
    assert not merged["Total_IsDetected"][0]
    assert math.isnan(merged["Total_Rate"][0])


def test_parser_accepts_nulls_strings_and_extra_keys(sxps, sxps_server):
    reply = {"OK": 1, "APIVersion": "1.0.5", "SomethingNew": {"x": 1},
             "Columns": ["StartTime", "StopTime", "ObsID", "SourceExposure", "ImageExposure",
                         "Total_UpperLimit", "Total_Rate", "Total_Counts", "Total_IsDetected",
                         "Total_PileupWarning", "Total_NewColumn"],
             "ULData": [
                 {"StartTime": "2018-05-10 22:06:39", "StopTime": "2018-05-10 23:58:24",
                  "ObsID": 831816000, "SourceExposure": "1032.104819", "ImageExposure": None,
                  "Total_UpperLimit": "0.080617", "Total_Rate": None, "Total_Counts": 508,
                  "Total_IsDetected": "0", "Total_PileupWarning": "1", "Total_NewColumn": "7",
                  "UnlistedKey": "ignored"},
                 {"StartTime": "2018-05-12 09:31:05", "StopTime": "2018-05-12 12:47:20",
                  "ObsID": "00831816002", "SourceExposure": 135.19878, "ImageExposure": 190.5548,
                  "Total_UpperLimit": 0.072142, "Total_Rate": "NaN", "Total_Counts": "1",
                  "Total_IsDetected": False, "Total_PileupWarning": 0, "Total_NewColumn": 8}]}
    sxps_server.reply_next(reply, api_func="getSXPSUL")
    ul = sxps.query_upper_limit(ra=77.969, dec=-62.324)
    assert ul.colnames == reply["Columns"]
    assert list(ul["ObsID"]) == ["00831816000", "00831816002"]
    assert ul["SourceExposure"][0] == 1032.104819 and math.isnan(ul["ImageExposure"][0])
    assert ul["Total_UpperLimit"][0] == 0.080617 and ul["Total_Counts"][1] == 1.0
    assert np.isnan(ul["Total_Rate"]).all()
    assert ul["Total_IsDetected"].tolist() == [False, False]
    assert ul["Total_PileupWarning"].tolist() == [True, False]
    assert ul["Total_NewColumn"].tolist() == [7.0, 8.0]
    assert not {"something_new", "SomethingNew"} & set(ul.meta) and "UnlistedKey" not in ul.colnames
    assert "resolved_position" not in ul.meta


@pytest.mark.parametrize("kwargs,match", [
    (dict(ra="10", dec="5"), "ra='10' has no unit"),
    (dict(ra=" 10.5 ", dec="-8d15m23s"), "has no unit"),
    (dict(ra="22h18m00.5s", dec="-8.25"), "dec='-8.25' has no unit"),
    (dict(ra="22 18 00.5", dec="-08 15 23"), "has no unit"),
    (dict(position=("334.502058", "-8.256481")), r"position\[0\] \(RA\)='334.502058' has no unit"),
])
def test_unitless_coordinate_strings_refused(sxps, sxps_server, kwargs, match):
    for payload in (True, False):
        with pytest.raises(InvalidQueryError, match=match):
            sxps.query_upper_limit(get_query_payload=payload, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_coordinate_strings_with_units(sxps):
    body = sxps.query_upper_limit(ra="334.502058 deg", dec="-8.256481d", get_query_payload=True)
    assert body["RA"] == pytest.approx(334.502058) and body["Dec"] == pytest.approx(-8.256481)


def test_docs_name_resolves_in_emulator(sxps, sxps_server):
    ul = sxps.query_upper_limit(name="V* FO Aqr")
    assert sxps_server.requests_for("getSXPSUL")[-1]["searchName"] == "V* FO Aqr"
    assert ul.meta["resolved_info"].startswith("Resolved 'V* FO Aqr' via SIMBAD")
    assert ul["Total_UpperLimit"][0] == 0.000321
