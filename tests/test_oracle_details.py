"""The unmodified existing client (swifttools) replays the tutorial against our emulator.

This checks the emulator's fidelity: the same calls give the tutorial's values.
"""
import os

import pytest

swifttools = pytest.importorskip("swifttools", reason="the oracle tests need swifttools")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # swifttools uses distutils


@pytest.fixture
def uds(swifttools_uds):
    return swifttools_uds


def test_source_details(uds):
    data = uds.getSourceDetails(sourceID=37562, cat="LSXPS", silent=True, verbose=False)
    assert list(data) == ["newerSources"]
    assert [s["LSXPS_ID"] for s in data["newerSources"]] == [122876, 142890, 312964, 129714]
    data = uds.getSourceDetails(sourceID=11375, cat="LSXPS")
    assert data["LSXPS_ID"] == 129723 and data["IAUName"] == "LSXPS J174527.1-290217"
    assert list(data["Detections"]) == ["NumStacks", "NumObservations", "Observations"]
    assert data["Detections"]["Observations"].shape == (8, 71)
    assert data["NonDetections"]["Observations"].shape == (3021, 7)
    assert data["CrossMatch"].shape == (13, 7)
    data = uds.getSourceDetails(sourceID=106107, cat="LSXPS")
    assert list(data["CrossMatch"]["ExtCat_ID"])[1] == "1SWXRT J221755.4-082103 a"
    data = uds.getSourceDetails(sourceName=("LSXPS J163700.6+073914", "LSXPS J163647.0+074206"),
                                cat="LSXPS")
    assert list(data) == ["LSXPS J163700.6+073914", "LSXPS J163647.0+074206"]
    assert data["LSXPS J163700.6+073914"]["Rate_band0"] == 0.00301609430890933


def test_obs_lists(uds):
    what = uds.getObsList(sourceName="LSXPS J073006.9-193710", useObs="allCat")
    assert what["targList"] == ["03103545", "00015190", "00086462", "03102486"]
    assert len(what["obsList"]) == 19 and what["obsList"][13] == "00015190008"
    assert len(uds.getObsList(sourceID=209851, useObs="blind")["obsList"]) == 40
    assert uds.getObsList(sourceID=209220, useObs="blind")["obsList"] == []
    assert uds.getObsList(sourceID=209220, useObs="allCat")["obsList"] == [
        "00031635001", "00031635002", "00031635003", "00031635004"]


def test_product_requests(uds):
    req = uds.makeProductRequest("MY_EMAIL_ADDRESS", cat="LSXPS", sourceID=17092, useObs="all")
    assert req.getGlobalPars() == {"name": "LSXPS J132527.7-430212", "RA": 201.365762,
                                   "Dec": -43.03672808, "centroid": False, "posErr": 1,
                                   "useSXPS": True, "getTargs": True, "getT0": True}
    req = uds.makeProductRequest("MY_EMAIL_ADDRESS", cat="LSXPS", sourceID=(17092, 128791),
                                 T0="firstBlindDet", useObs="blind", addProds=["LightCurve"])
    assert req[17092].getGlobalPars()["targ"] == "00050950,00031312,00034314,00088977"
    assert req[17092].getGlobalPars()["T0"] == 129528000.0
    assert req[128791].getProductPars("lc") == {"whichData": "user", "useObs": "00015016002"}
    assert req[128791].getGlobalPars()["T0"] == 663928360.997203
    req = uds.makeProductRequest("MY_EMAIL_ADDRESS", transient=True, sourceID=576, T0="Discovery",
                                 useObs="new", addProds=["LightCurve"])
    assert req.getGlobalPars()["targ"] == "15190,44002,1110865,3103197,3103545"
    assert req.getGlobalPars()["T0"] == 675591242.228083


def test_datasets_and_transients(uds):
    ds = uds.getDatasetDetails(ObsID="00282445000", cat="LSXPS")
    assert ds["DatasetID"] == 9725 and ds["Sources"].shape == (29, 34)
    assert ds["Sources"]["Total_DetectionDetails"][0]["SNR"] == 31.0509
    assert list(uds.getDatasetDetails(ObsID=("00282445000", "00015231001"), cat="LSXPS")) == [
        "00282445000", "00015231001"]
    assert uds.getDatasetDetails(ObsID="10000000668", cat="LSXPS") == {"SupersedingStacks": {
        "OtherStacks": [{"DatasetID": 229389, "DataVersion": 8, "ObsID": 10000025185,
                         "ExposureUsed": 48359.9}]}}
    assert uds.getDatasetDetails(DatasetID=229018, cat="LSXPS")["SupersedingStacks"][
        "LatestVersion"]["DatasetID"] == 229389
    assert uds.getDatasetDetails(DatasetID=228895, cat="LSXPS")["IsObsoleteStack"] == 1
    tr = uds.getTransientDetails(sourceID=576)
    assert tr["LSXPSName"] == "LSXPS J073006.8-193710" and len(tr["AllNewObs"]) == 18
    src = uds.getTransientDetails(sourceID=576, transAsSource=True)
    assert src["IAUName"] == "LSXPS J073006.8-193710" and src["RA"] == 112.5286087


def test_obs_data_download(swifttools_uds, tmp_path):
    import swifttools.ukssdc.data as ud  # posts to the APIURL swifttools_uds redirected
    obs = ["00031635001", "00031635002", "00031635003", "00031635004"]
    ud.downloadObsData(obs, instruments=("xrt",), destDir=str(tmp_path / "d"), silent=True)
    for obsid in obs:
        root = tmp_path / "d" / obsid
        assert sum(len(f) for _, _, f in os.walk(root)) == 30
        assert sorted(os.listdir(root)) == ["auxil", "xrt"]
