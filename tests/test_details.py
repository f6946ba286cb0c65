"""Source, dataset and transient details against the emulator (tutorial values)."""
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.time import Time

from astroquery_sxps import DatasetDetails, SourceDetails, TransientDetails
from astroquery_sxps.exceptions import (InvalidQueryError, RemoteServiceError, SourceSplitError,
                                        SupersededWarning, SXPSServerError)


# -- sources ---------------------------------------------------------------------
def test_superseded_source_resolves_with_warning(sxps, sxps_server):
    with pytest.warns(SupersededWarning, match=r"11375.*129723"):
        src = sxps.get_source_details(source_id=11375, catalog="LSXPS")
    assert isinstance(src, SourceDetails)
    assert src["LSXPS_ID"] == 129723 and src.superseded and src.requested == 11375
    assert src["IAUName"] == "LSXPS J174527.1-290217"
    assert src["RA"] == 266.3630014378 and src["Decl"] == -29.0381036253
    assert isinstance(src.coord, SkyCoord)
    assert src.coord.ra.deg == pytest.approx(266.3630014378)
    assert src.err90.unit == u.arcsec and src.err90.value == pytest.approx(6.69774772741747)
    assert src["NumObs"] == 3041 and src["NumDetObs"] == 29 and src["HR2"] is None
    assert src["Counts_band0"] == 12108 and src["UL_band3"] == 7.68562691439001e-05
    assert isinstance(src["FirstObsDate"], Time) and src["FirstObsDate"].iso.startswith("2005-10-25 20:40:00")
    assert src["FirstBlindDetMET"] == 166535943.547143 * u.s
    assert src["lcRanges"]["MJD_hi"] == 59804.25518596347
    assert src["NearestNeighbour_name"] == "LSXPS J174525.1-290213"
    assert "OK" not in src
    assert sxps_server.counts["getSXPSSourceInfo"] == 1


def test_source_tables_129723(sxps):
    with pytest.warns(SupersededWarning):
        src = sxps.get_source_details(source_id=11375)
    det = src["Detections"]
    assert list(det) == ["NumStacks", "NumObservations", "Observations"]
    assert det["NumStacks"] == 0
    obs = det["Observations"]
    assert isinstance(obs, Table) and len(obs) == 8
    assert len([c for c in obs.colnames if c != "coord"]) == 71
    assert list(obs["DatasetID"]) == [3681, 5076, 22539, 69055, 87005, 163302, 178529, 195511]
    assert list(obs["ObsSourceID"][:2]) == [20588, 27526]
    assert obs["Exposure"].unit == u.s and obs["Exposure"][0] == pytest.approx(1527.104234)
    assert obs["NearestNeighbour"].unit == u.arcsec
    assert np.isnan(obs["HR1"][2]) and obs["HR1"][1] == pytest.approx(0.19057)
    assert list(obs["BestDetFlag"]) == [6, 6, 6, 5, 6, 22, 22, 22]
    assert all(len(o) == 11 for o in obs["ObsID"])
    assert obs["Total_Info"][1]["DetectionID"] == 52041
    assert obs["Total_Info"][0]["sourceID"] == 129723 and obs["Total_Info"][0]["dsID"] == 3681
    assert obs["Hard_Info"][0]["DetectionID"] == 39231
    assert list(obs["HasBlindDetection_band3"]) == [1, 0, 1, 1, 1, 1, 1, 0]
    assert isinstance(obs["coord"], SkyCoord)
    nd = src["NonDetections"]
    assert nd["NumStacks"] == 12 and nd["NumObservations"] == 3021
    assert len(nd["Observations"]) == 3021 and len(nd["Stacks"]) == 12
    assert list(nd["Observations"]["ObsID"][:2]) == ["00035063001", "00035063002"]
    assert nd["Observations"]["ObsID"][-1] == "00096721119"
    assert list(nd["Observations"]["DatasetID"][-5:]) == [227364, 227713, 227825, 227881, 227998]
    assert list(nd["Stacks"]["ObsID"][:2]) == ["10000024081", "10000024086"]
    assert nd["Stacks"]["DatasetID"][11] == 226665
    xm = src["CrossMatch"]
    assert len(xm) == 13 and xm["Distance"].unit == u.arcsec
    assert list(xm["ExtCat_ID"][:3]) == ["0609.286946", "2CXO J174527.2-290214", "4XMM J174526.7-290217"]
    assert xm["Catalogue"][12] == "2SXPS" and xm["Ext_Err90"][12] == pytest.approx(9.850933)
    assert np.isnan(xm["Ext_Err90"][0])
    assert xm["Ext_coord"][0].dec.deg == pytest.approx(-29.038139)


def test_crossmatch_106107(sxps):
    xm = sxps.get_source_details(source_id=106107)["CrossMatch"]
    assert len(xm) == 12
    assert list(xm["LSXPS_ID"]) == [106107] * 12
    assert xm["ExtCat_ID"][1] == "1SWXRT J221755.4-082103 a"
    assert xm["Catalogue"][2] == "ROSHRI" and xm["Distance"][11] == pytest.approx(28.146582)
    assert xm["Ext_RA"].unit == u.deg and xm["Ext_RA"][4] == pytest.approx(334.480772)


def test_names_list_keys_as_supplied(sxps, sxps_server):
    names = ("LSXPS J163700.6+073914", "LSXPS J163647.0+074206")
    data = sxps.get_source_details(source_name=names, catalog="LSXPS")
    assert list(data) == list(names)
    one = data[names[0]]
    assert one["LSXPS_ID"] == 1 and one["Rate_band0"] == 0.00301609430890933
    assert one["NonDetections"] == {"NumStacks": 0, "NumObservations": 0}
    assert len(one["Detections"]["Observations"]) == 1
    assert one["Detections"]["Observations"]["Total_Info"][0]["DetectionID"] == 4
    assert one["CrossMatch"]["ExtCat_ID"][0] == "2SXPS J163700.6+073914"
    assert sxps_server.counts["getSXPSSourceInfo"] == 2
    ids = sxps.get_source_details(source_id=(1, 2))
    assert list(ids) == [1, 2] and ids[2]["IAUName"] == names[1]


def test_split_source_raises_with_table(sxps):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_source_details(source_id=37562)
    table = err.value.newer_sources
    assert list(table["LSXPS_ID"]) == [122876, 142890, 312964, 129714]
    assert table["IAUName"][3] == "LSXPS J230211.4+585313"
    assert table["Err90"].unit == u.arcsec and table["RA"][0] == pytest.approx(345.5570378024)


def test_skip_errors_leaves_out_split_and_unknown(sxps):
    data = sxps.get_source_details(source_id=[37562, 1, 999999], skip_errors=True)
    assert list(data) == [1]
    assert data[1]["IAUName"] == "LSXPS J163700.6+073914"


def test_unknown_source_error_text(sxps):
    with pytest.raises(SXPSServerError, match="not found in the LSXPS catalogue") as err:
        sxps.get_source_details(source_name="LSXPS J000000.0+000000")
    assert "LSXPS J000000.0+000000" in err.value.errortext


@pytest.mark.parametrize("kwargs, match", [
    (dict(source_id=1, source_name="LSXPS J163700.6+073914"), "both"),
    (dict(), "neither"),
    (dict(source_id=1.5), "source_id"),
    (dict(source_id={"a": 1}), "source_id"),
    (dict(source_name=5), "source_name"),
    (dict(source_id=1, catalog="XMM"), "catalog"),
    (dict(source_id=1, catalog="2SXPS"), "LSXPS"),
    (dict(source_id=1, skip_errors="yes"), "skip_errors"),
])
def test_bad_source_arguments_send_nothing(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_source_details(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_payloads(sxps, sxps_server):
    body = sxps.get_source_details(source_id=11375, get_query_payload=True)
    assert body == {"whichCat": "LSXPS", "sourceID": 11375, "APIFunc": "getSXPSSourceInfo",
                    "APIVersion": "1.0.5"}
    bodies = sxps.get_source_details(source_name=("a b", "c d"), get_query_payload=True)
    assert [b["sourceName"] for b in bodies] == ["a b", "c d"]
    assert sxps.get_dataset_details(obsid=282445000, get_query_payload=True)["ObsID"] == "00282445000"
    assert sxps.get_transient_details(source_id=[576, 30], trans_as_source=True,
                                      get_query_payload=True)["sourceID"] == [576, 30]
    assert sum(sxps_server.counts.values()) == 0


@pytest.mark.parametrize("option", ["details_bare", "obsid_as_string", "numbers_as_strings"])
def test_every_reply_form_gives_the_same_result(sxps, sxps_server, option):
    sxps_server.options[option] = True
    src = sxps.get_source_details(source_id=1, cache=False)
    assert src["LSXPS_ID"] == 1
    assert src["RA"] == pytest.approx(249.2525355614)
    assert src["Detections"]["Observations"]["ObsID"][0] == "00020027001"
    assert src["FirstObsMET"] == 126760698.697603 * u.s


def test_concurrent_list_keeps_order(sxps, sxps_server):
    ids = [209851, 1, 17092, 128791, 2, 106107]
    data = sxps.get_source_details(source_id=ids)
    assert list(data) == ids
    assert [data[i]["LSXPS_ID"] for i in ids] == ids
    assert sxps_server.counts["getSXPSSourceInfo"] == len(ids)


def test_cache_replays_without_request(sxps, sxps_server):
    sxps.get_source_details(source_id=1)
    sxps.get_source_details(source_id=1)
    assert sxps_server.counts["getSXPSSourceInfo"] == 1


# -- datasets --------------------------------------------------------------------
def test_dataset_details_00282445000(sxps):
    ds = sxps.get_dataset_details(obsid="00282445000", catalog="LSXPS")
    assert isinstance(ds, DatasetDetails) and not ds.is_superseded and not ds.is_obsolete
    assert ds["DatasetID"] == 9725 and ds["ObsID"] == "00282445000" and ds["TargetID"] == 282445
    assert ds["ExposureUsed"] == 34467.9 and ds["NumAllSources"] == 74
    assert ds["TargetObjectName"] == "GRB070616" and ds["inStack"] == ["10000014634"]
    assert ds["StartTime_UTC"].iso.startswith("2007-06-16 16:45:50")
    assert ds["MidTime_MJD"].mjd == pytest.approx(54268.2687986174)
    assert ds["MidTime_TDB"].scale == "tdb" and ds["MidTime_TDB"].jd == pytest.approx(2454268.765854076)
    assert ds["StartTime_MET"] == 203705152.477843 * u.s
    assert ds.coord.dec.deg == pytest.approx(56.93269)
    src = ds["Sources"]
    assert len(src) == 29 and len([c for c in src.colnames if c != "coord"]) == 34
    assert list(src["LSXPS_ID"][:4]) == [209540, 209541, 209542, 209543]
    assert src["LSXPS_ID"][15] == 18290 and src["OSNum"][28] == 29
    assert src["Err90"].unit == u.arcsec and src["Err90"][0] == pytest.approx(2.840053)
    assert src["RA_sexagesimal"][0] == "02 08 36.30" and src["Decl_sexagesimal"][28] == "+56 48 53.6"
    assert src["Total_DetectionDetails"][0] == {
        "DetectionID": 86993, "Rate": 0.0413669, "Rate_pos": 0.00124418, "Rate_neg": -0.00124418,
        "DetFlag": 0, "CtsInRate": 1209, "BGCtsInRate": 35.8986, "SNR": 31.0509,
        "PileupFitted": 0, "RA": 32.1512389564, "Decl": 56.9457126989, "Err90": 3.5402098243551,
        "RA_corrected": 32.15124247, "Decl_corrected": 56.94571277,
        "Err90_corrected": 2.840053213}
    assert src["Total_DetectionDetails"][0]["SNR"] == 31.0509
    assert src["Soft_DetectionDetails"][0]["DetectionID"] == 87018
    assert src["Soft_DetectionDetails"][2] is None
    assert src["Hard_NonDetectionDetails"][1]["sourceID"] == 209541
    assert src["Total_DetectionDetails"][17] is None
    assert src["Total_NonDetectionDetails"][17]["band"] == 0
    assert src["coord"][0].ra.deg == pytest.approx(32.15125, abs=1e-4)


def test_dataset_list_keys(sxps):
    data = sxps.get_dataset_details(obsid=("00282445000", "00015231001"), catalog="LSXPS")
    assert list(data) == ["00282445000", "00015231001"]
    ints = sxps.get_dataset_details(obsid=[282445000])
    assert list(ints) == ["00282445000"]
    by_id = sxps.get_dataset_details(dataset_id=(9725,))
    assert by_id[9725]["ObsID"] == "00282445000"


def test_superseded_stack_other_stacks(sxps):
    with pytest.warns(SupersededWarning, match=r"10000000668.*229389"):
        ds = sxps.get_dataset_details(obsid="10000000668", catalog="LSXPS")
    assert list(ds) == ["SupersedingStacks"] and ds.is_superseded
    other = ds["SupersedingStacks"]["OtherStacks"]
    assert list(other["DatasetID"]) == [229389] and other["ObsID"][0] == "10000025185"
    assert other["DataVersion"][0] == 8 and other["ExposureUsed"][0] == 48359.9
    assert other["ExposureUsed"].unit == u.s
    assert ds.superseding_stacks is other


def test_superseded_stack_latest_version(sxps):
    with pytest.warns(SupersededWarning, match="newer version"):
        ds = sxps.get_dataset_details(dataset_id=229018)
    assert ds["SupersedingStacks"] == {"LatestVersion": {
        "DatasetID": 229389, "DataVersion": 8, "ObsID": "10000025185", "ExposureUsed": 48359.9}}
    assert ds.superseding_stacks["DatasetID"][0] == 229389


def test_obsolete_stack_warns(sxps):
    with pytest.warns(SupersededWarning, match="obsolete"):
        ds = sxps.get_dataset_details(dataset_id=228895, catalog="LSXPS")
    assert ds["IsObsoleteStack"] == 1 and ds.is_obsolete


def test_unknown_dataset(sxps):
    with pytest.raises(SXPSServerError) as err:
        sxps.get_dataset_details(obsid="10000000669")
    assert err.value.errortext == ("Dataset with obsid: `10000000669` is not found in the "
                                   "LSXPS catalogue.")
    out = sxps.get_dataset_details(obsid=["10000000669", "00282445000"], skip_errors=True)
    assert list(out) == ["00282445000"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(obsid="00282445000", dataset_id=9725), "both"),
    (dict(), "neither"),
    (dict(obsid="abc"), "obsid"),
    (dict(obsid=1.5), "obsid"),
    (dict(obsid="123456789012"), "11 digits"),
    (dict(dataset_id="x"), "dataset_id"),
    (dict(obsid="00282445000", catalog="lsxps2"), "catalog"),
])
def test_bad_dataset_arguments_send_nothing(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_dataset_details(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


# -- transients ------------------------------------------------------------------
def test_transient_576(sxps):
    tr = sxps.get_transient_details(source_id=576)
    assert isinstance(tr, TransientDetails)
    assert tr["TransientID"] == 576 and tr["IAUName"] == "Swift J073006.8-193709"
    assert tr["LSXPS_ID"] == 366116 and tr["LSXPSName"] == "LSXPS J073006.8-193710"
    assert tr["Classification"] == "Confirmed transient" and tr["ClassificationCode"] == 1
    assert tr["DiscoveryObs"] == "03103545001" and tr["LSXPS_UpperLimit_ObsID"] == "10000020072"
    assert tr["DetectionMET"] == 675591242.228083 * u.s
    assert tr["DetectionDate"].iso.startswith("2022-05-30 09:13:32")
    assert tr["AllNewTargs"] == [15190, 44002, 1110865, 3103197, 3103545]
    assert len(tr["AllNewObs"]) == 18 and tr["AllNewObs"][-1] == "03103545001"
    assert tr["Notes"].startswith("This appears to be a recurrent transient")
    assert tr["BestUpperLimitBand"] == "0.3 &#8212; 10 keV"
    assert tr.err90 == 5.68740477879596 * u.arcsec


def test_transient_as_source(sxps, sxps_server):
    src = sxps.get_transient_details(source_id=576, trans_as_source=True)
    assert isinstance(src, SourceDetails)
    assert src["LSXPS_ID"] == 366116 and src["RA"] == 112.5286087
    assert src["Detections"]["NumStacks"] == 2 and len(src["Detections"]["Stacks"]) == 2
    assert src["NonDetections"]["NumObservations"] == 10
    assert len(src["CrossMatch"]) == 0 and "Distance" in src["CrossMatch"].colnames
    assert sxps_server.counts["getSXPSTransAsSources"] == 1
    names = sxps.get_transient_details(source_name=["Swift J073006.8-193709"], trans_as_source=True)
    assert list(names) == ["LSXPS J073006.8-193710"]
    body = sxps_server.requests_for("getSXPSTransAsSources")[-1]
    assert body["sourceName"] == ["Swift J073006.8-193709"]


def test_transient_not_in_lsxps(sxps, sxps_server):
    with pytest.raises(RemoteServiceError, match="not yet in LSXPS"):
        sxps.get_transient_details(source_id=30, trans_as_source=True)
    out = sxps.get_transient_details(source_id=[30, 576], trans_as_source=True, skip_errors=True)
    assert list(out) == [366116]
    # one look-up call for the whole list, and nothing sent for the missing one
    assert sxps_server.counts["getSXPSTransAsSources"] == 2
    assert [b["sourceID"] for b in sxps_server.requests_for("getSXPSSourceInfo")] == [366116]
    assert sxps.get_transient_details(source_name="Swift J175737.4-070600")["TransientID"] == 30


def test_unknown_transient(sxps):
    with pytest.raises(SXPSServerError, match="Transient"):
        sxps.get_transient_details(source_id=999)
    assert sxps.get_transient_details(source_id=[999, 576], skip_errors=True).keys() == {576}


def test_bad_transient_arguments_send_nothing(sxps, sxps_server):
    for kwargs in (dict(source_id=576, trans_as_source="yes"), dict(source_id=576, source_name="x"),
                   dict(source_id=576, catalog="2SXPS")):
        with pytest.raises(InvalidQueryError):
            sxps.get_transient_details(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_http_error_is_retried(sxps, sxps_server):
    sxps_server.fail_next(1, status=503, api_func="getSXPSSourceInfo")
    assert sxps.get_source_details(source_id=1)["LSXPS_ID"] == 1
    assert sxps_server.counts["getSXPSSourceInfo"] == 2


def test_repr_and_tables(sxps):
    src = sxps.get_source_details(source_id=1)
    assert "LSXPS J163700.6+073914" in repr(src)
    assert "Detections/Observations" in src.tables and "CrossMatch" in src.tables
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # an ordinary source warns about nothing
        sxps.get_source_details(source_name="LSXPS J163700.6+073914", cache=False)


# -- audit finding: every table with RA/Decl has a coord column --------------------------
def _source_reply(sxps_server, source_id):
    import requests
    body = {"APIFunc": "getSXPSSourceInfo", "APIVersion": "1.0.5", "whichCat": "LSXPS",
            "sourceID": source_id}
    reply = requests.post(sxps_server.api_url, json=body, timeout=30).json()
    sxps_server.reset()
    return reply


def _record(reply):
    return reply["data"] if isinstance(reply.get("data"), dict) else reply


def test_coord_column_wherever_ra_decl_even_with_missing_positions(sxps, sxps_server):
    reply = _source_reply(sxps_server, 366116)          # detections in observations and stacks
    det = _record(reply)["Detections"]
    det["Observations"][1]["RA"] = None                 # a row without a position
    det["Stacks"][0]["Decl"] = "NaN"
    sxps_server.reply_next(reply, api_func="getSXPSSourceInfo")
    src = sxps.get_source_details(source_id=366116)
    for part in ("Observations", "Stacks"):
        table = src["Detections"][part]
        assert {"RA", "Decl", "coord"} <= set(table.colnames), part
        assert isinstance(table["coord"], SkyCoord) and len(table["coord"]) == len(table)
        assert table["RA"].unit == u.deg and table["Decl"].unit == u.deg
        assert table["coord"].ra.unit == u.deg and table["coord"].frame.name == "icrs"
    obs = src["Detections"]["Observations"]
    assert np.isnan(obs["coord"][1].ra.deg)
    assert obs["coord"][0].ra.deg == pytest.approx(obs["RA"][0])
    assert obs["coord"][0].dec.deg == pytest.approx(obs["Decl"][0])
    assert np.isnan(src["Detections"]["Stacks"]["coord"][0].dec.deg)


def test_coord_column_in_every_emulator_table(sxps):
    for source_id in (366116, 209220, 17092, 106107):
        src = sxps.get_source_details(source_id=source_id)
        tables = [src["CrossMatch"]] + [v for part in ("Detections", "NonDetections")
                                        for v in src[part].values() if isinstance(v, Table)]
        for table in tables:
            for ra, dec, out in (("RA", "Decl", "coord"), ("Ext_RA", "Ext_Decl", "Ext_coord")):
                if ra in table.colnames:
                    assert out in table.colnames and isinstance(table[out], SkyCoord)
    ds = sxps.get_dataset_details(obsid="00282445000")
    assert isinstance(ds["Sources"]["coord"], SkyCoord)


def test_records_to_table_coord_with_nan_and_empty():
    from astroquery_sxps.details import records_to_table
    t = records_to_table([{"RA": 10.0, "Decl": -5.0}, {"RA": None, "Decl": None}])
    assert t["coord"][0].ra.deg == 10.0 and np.isnan(t["coord"][1].ra.deg)
    empty = records_to_table([], columns=["RA", "Decl"])
    assert "coord" in empty.colnames and len(empty) == 0


# -- audit finding: documentation examples give the output shown --------------------------
_DOC_PLUGIN = '''
import json
import os
from astroquery_sxps import SXPS
from astroquery_sxps.testing import SXPSEmulator

_emu = SXPSEmulator()
_emu.options.update(json.loads(os.environ.get("SXPS_DOC_EMU_OPTIONS", "{}")))


def pytest_configure(config):
    _emu.start()
    SXPS.server = _emu.api_url
    SXPS.cache_location = os.path.join(os.environ["SXPS_DOC_DIR"], "cache")


def pytest_unconfigure(config):
    _emu.stop()
'''


def _run_doc_examples(tmp_path, *targets, emulator_options=None):
    """Run the doctests of ``targets`` (rst files, or module::object node ids relative to the
    repository) with pytest-doctestplus, the ``SXPS`` singleton pointed at a fresh emulator
    (with ``emulator_options`` in its ``options``) and the working directory in
    ``tmp_path``; fail with pytest's report if any fails."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path
    pytest.importorskip("pytest_doctestplus")
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "sxps_doc_plugin.py").write_text(_DOC_PLUGIN)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, SXPS_DOC_DIR=str(tmp_path),
               SXPS_DOC_EMU_OPTIONS=json.dumps(emulator_options or {}),
               PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    args = [sys.executable, "-m", "pytest", "-q", "-p", "sxps_doc_plugin", "-p", "no:cacheprovider",
            "--rootdir", str(root), "-c", str(root / "setup.cfg"), "--doctest-plus",
            "--doctest-rst", "--doctest-modules", "--remote-data=any",
            "--doctest-continue-on-failure", "-W", "ignore::DeprecationWarning",
            *[str(root / t) for t in targets]]
    proc = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout


def test_docs_examples_run_against_the_emulator(tmp_path):
    """Every example of sources.rst (and of the details/obs-list/product docstrings) gives
    the output shown: plain Python values, not ``np.int64(...)``."""
    core = "astroquery_sxps/core.py::astroquery_sxps.core.SXPSClass."
    _run_doc_examples(tmp_path, "docs/sxps/sources.rst",
                      *[core + m for m in ("get_source_details", "get_dataset_details",
                                           "get_transient_details", "get_obs_list",
                                           "build_product_request", "download_obs_data",
                                           "download_obs_data_by_target")])


def test_split_source_descendant_ids_are_plain_ints(sxps):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_source_details(source_id=37562)
    ids = err.value.newer_sources["LSXPS_ID"].tolist()
    assert ids == [122876, 142890, 312964, 129714]
    assert repr(ids) == "[122876, 142890, 312964, 129714]"
