"""Oracle: the unmodified existing client (swifttools) replays the tutorial's
upper-limit calls against our emulator and gets the tutorial's values; our
client agrees with it value for value."""
import math
import warnings

import numpy as np
import pytest

from astroquery_sxps import merge_upper_limits
from astroquery_sxps.exceptions import CataloguedSourceWarning
from astroquery_sxps.testing.handlers.upper_limits import schedule_ul_timeout

pytest.importorskip("swifttools", reason="swifttools (the existing client) is the oracle")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
pytest.importorskip("pandas", reason="swifttools returns pandas DataFrames")


@pytest.fixture
def uds(swifttools_uds):
    return swifttools_uds


def test_tutorial_default_upper_limit(uds, sxps, sxps_server):
    ul = uds.getUpperLimits(position="334.502058 -8.256481", cat="LSXPS")
    assert list(ul.keys()) == ["ResolvedRA", "ResolvedDec", "ResolvedInfo", "ULData"]
    df = ul["ULData"]
    assert df.columns.tolist() == ["StartTime", "StopTime", "ObsID", "SourceExposure",
                                   "ImageExposure", "Total_UpperLimit", "Total_Counts",
                                   "Total_BGCounts", "Total_CorrectionFactor"]
    assert df.iloc[0].tolist() == ["2006-04-28 02:19:58", "2019-10-18 21:06:16", "10000018414",
                                   50071.75, 55395.777344, 0.000321, 17.0, 22.100154, 1.326975]
    ours = sxps.query_upper_limit("334.502058 -8.256481", catalog="LSXPS")
    # both clients sent the same request fields
    theirs_body, our_body = sxps_server.requests_for("getSXPSUL")
    assert {k: v for k, v in theirs_body.items()} == our_body
    for col in df.columns[3:]:
        assert ours[col][0] == df[col].iloc[0]


def test_tutorial_all_bands_all_data(uds, sxps):
    ul = uds.getUpperLimits(position="77.969042, -62.324167", cat="LSXPS", bands="all",
                            whichData="all")
    assert list(ul.keys()) == ["ResolvedRA", "ResolvedDec", "ResolvedInfo", "DetData", "ULData"]
    df = ul["ULData"]
    assert df.shape == (12, 21)
    assert df["ObsID"].tolist()[:3] == ["10000020308", "00831816000", "00831816002"]
    assert df["Total_UpperLimit"].tolist()[-1] == 0.004481
    assert df["Hard_BGCounts"].tolist()[0] == 141.947255
    assert ul["DetData"].iloc[0].tolist() == [2.4, "LSXPS J051152.3-621925"]
    assert (ul["ResolvedRA"], ul["ResolvedDec"]) == (77.96904, -62.32417)
    assert ul["ResolvedInfo"] == "Parsed '77.969042, -62.324167' as (77.96904, -62.32417)"
    with pytest.warns(CataloguedSourceWarning):
        ours = sxps.query_upper_limit("77.969042, -62.324167", bands="all", which_data="all")
    assert ours.colnames == df.columns.tolist()
    for col in df.columns[3:]:
        np.testing.assert_array_equal(np.asarray(ours[col]), df[col].to_numpy(dtype=float))
    assert list(ours["ObsID"]) == df["ObsID"].tolist()


def test_tutorial_detections_as_rates_and_merge(uds, sxps):
    import swifttools.ukssdc as uk
    ul = uds.getUpperLimits(position="77.969042, -62.324167", cat="LSXPS", whichData="all",
                            detectionsAsRates=True)
    df = ul["ULData"]
    assert df.shape == (12, 13)
    assert df["Total_IsDetected"].tolist() == [False] * 8 + [True, False, True, True]
    assert df.loc[8, ["Total_Rate", "Total_RatePos", "Total_RateNeg"]].tolist() == \
        [0.001688, 0.001065, -0.000786]
    assert math.isnan(df.loc[0, "Total_Rate"])
    merged = uk.mergeUpperLimits(df, conf=0.95, rows=df["ObsID"] < "10000000000")
    assert merged["Total_Counts"] == 577
    assert merged["SourceExposure"] == pytest.approx(31037.2998, abs=1e-6)
    # their gridded value from the printed inputs
    assert merged["Total_UpperLimit"] == pytest.approx(0.0022251588, rel=2e-5)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CataloguedSourceWarning)
        ours = sxps.query_upper_limit("77.969042, -62.324167", which_data="all",
                                      detections_as_rates=True)
    assert ours["Total_IsDetected"].tolist() == df["Total_IsDetected"].tolist()
    mine = merge_upper_limits(ours, rows=ours["ObsID"] < "10000000000", confidence=0.95)
    for key in ("SourceExposure", "ImageExposure", "Total_Counts", "Total_BGCounts",
                "Total_CorrectionFactor"):
        assert mine[key][0] == pytest.approx(merged[key], rel=1e-12)
    # exact interval vs their 0.001-count grid: within 2e-5
    assert mine["Total_UpperLimit"][0] == pytest.approx(merged["Total_UpperLimit"], rel=2e-5)
    assert mine["Total_IsDetected"][0] == merged["Total_IsDetected"]


def test_existing_client_timeout_flow(uds, sxps_server):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=1)
    ul = uds.getUpperLimits(position="334.502058 -8.256481", cat="LSXPS")
    assert ul == {"TIMEOUT": job}
    assert uds.getFailedUpperLimit(job) == {"TIMEOUT": job}
    ul = uds.getFailedUpperLimit(job)
    assert ul["ULData"]["Total_UpperLimit"].tolist() == [0.000321]
    with pytest.raises(RuntimeError, match="already been retrieved"):
        uds.getFailedUpperLimit(job)
