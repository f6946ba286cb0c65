"""Observation lists (protocol.md 5.7) reproduced from the tutorial."""
import pytest

from astroquery_sxps import ObsList
from astroquery_sxps.exceptions import InvalidQueryError, SupersededWarning
from astroquery_sxps.sources.obslist import obs_list_from_details

J0730_ALLCAT = ["03103545001", "00015190001", "00015190002", "00015190003", "00015190005",
                "00015190006", "00015190007", "00015190010", "00015190012", "00086462001",
                "03102486001", "03102486002", "03102486003", "00015190008", "00015190009",
                "00015190011", "00015190013", "00015190014", "00015190015"]
S209851_BLIND = ["00221755%03d" % n for n in
                 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 23,
                  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 41, 43, 44)]


def test_tutorial_allcat_by_old_name(sxps):
    with pytest.warns(SupersededWarning):
        what = sxps.get_obs_list(source_name="LSXPS J073006.9-193710", use_obs="allCat")
    assert isinstance(what, ObsList)
    assert what["targList"] == ["03103545", "00015190", "00086462", "03102486"]
    assert what["obsList"] == J0730_ALLCAT
    assert what.obsids == J0730_ALLCAT and what.target_ids == what["targList"]


def test_tutorial_blind_then_allcat(sxps):
    what = sxps.get_obs_list(source_id=209851, use_obs="blind")
    assert what["targList"] == ["00221755"] and what["obsList"] == S209851_BLIND
    empty = sxps.get_obs_list(source_id=209220, use_obs="blind")
    assert empty == {"targList": [], "obsList": []}
    what = sxps.get_obs_list(source_id=209220, use_obs="allCat")
    assert what["targList"] == ["00031635"]
    assert what["obsList"] == ["00031635001", "00031635002", "00031635003", "00031635004"]


@pytest.mark.parametrize("use_obs, expected", [
    ("blind", J0730_ALLCAT[:9]),
    ("BLIND", J0730_ALLCAT[:9]),
    ("retro", ["00015190008"]),
    ("allDet", J0730_ALLCAT[:9] + ["00015190008"]),
    ("allnondet", J0730_ALLCAT[9:]),
    ("ALLCAT", J0730_ALLCAT),
])
def test_every_use_obs_value(sxps, use_obs, expected):
    what = sxps.get_obs_list(source_id=366116, use_obs=use_obs)
    assert what["obsList"] == expected
    assert what["targList"] == list(dict.fromkeys(o[:8] for o in expected))


def test_from_source_details_and_lists(sxps, sxps_server):
    info = sxps.get_source_details(source_id=17092)
    before = sxps_server.counts["getSXPSSourceInfo"]
    what = sxps.get_obs_list(source_details=info, use_obs="blind")
    assert ",".join(what["obsList"]) == ("00050950004,00050950006,00031312122,00034314001,"
                                         "00034314003,00088977001")
    assert ",".join(what["targList"]) == "00050950,00031312,00034314,00088977"
    assert sxps.get_obs_list(source_details=info, use_obs="retro")["obsList"] == ["00050950005"]
    assert sxps_server.counts["getSXPSSourceInfo"] == before       # nothing fetched
    both = sxps.get_source_details(source_id=(17092, 128791))
    lists = sxps.get_obs_list(source_details=both, use_obs="blind")
    assert list(lists) == [17092, 128791] and lists[128791]["obsList"] == ["00015016002"]
    direct = sxps.get_obs_list(source_id=[128791], use_obs="blind")
    assert list(direct) == [128791] and direct[128791]["targList"] == ["00015016"]


def test_raw_json_records_work():
    raw = {"IAUName": "x",
           "Detections": {"NumStacks": 0, "NumObservations": 1,
                          "Observations": [{"ObsID": 35063004, "Total_Info": {}}]},
           "NonDetections": {"NumStacks": 0, "NumObservations": 2,
                             "Observations": [{"ObsID": "3102486001", "Total_Info": {"isDet": "1"}},
                                              {"ObsID": 35063004, "Soft_Info": {"isDet": 0}}]}}
    assert obs_list_from_details(raw, "allDet")["obsList"] == ["00035063004", "03102486001"]
    assert obs_list_from_details(raw, "allCat")["targList"] == ["00035063", "03102486"]


def test_bad_details_rejected():
    with pytest.raises(InvalidQueryError, match="NonDetections"):
        obs_list_from_details({"IAUName": "x", "Detections": {}}, "allCat")
    with pytest.raises(InvalidQueryError, match="ObsID"):
        obs_list_from_details({"IAUName": "x", "Detections": {
            "Observations": [{"DatasetID": 3}]}}, "blind")


@pytest.mark.parametrize("kwargs, match", [
    (dict(source_id=1, use_obs="nonDet"), "use_obs"),
    (dict(source_id=1, use_obs=None), "use_obs"),
    (dict(source_id=1, source_details={"IAUName": "x"}), "not both"),
    (dict(source_details=[1, 2]), "source_details"),
    (dict(), "neither"),
    (dict(source_id=1, catalog="2SXPS"), "LSXPS"),
])
def test_bad_arguments_send_nothing(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_obs_list(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_payload(sxps, sxps_server):
    assert sxps.get_obs_list(source_id=17092, get_query_payload=True)["sourceID"] == 17092
    assert sum(sxps_server.counts.values()) == 0


# -- audit finding: source_details must be a record or a non-empty dict of records -----
@pytest.mark.parametrize("source_details, match", [
    ({"a": 1}, r"source_details\['a'\] is int, not a source record"),
    ({17092: None}, r"source_details\[17092\] is NoneType"),
    ({}, "source_details is an empty dict"),
    ("LSXPS J132527.7-430212", "source_details must be a SourceDetails record"),
])
def test_bad_source_details_is_a_clear_error(sxps, sxps_server, source_details, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_obs_list(source_details=source_details)
    with pytest.raises(InvalidQueryError, match="source_details"):
        sxps.get_obs_list(source_details=source_details, get_query_payload=True)
    assert not sxps_server.counts


def test_dict_of_records_and_raw_record_still_accepted(sxps):
    info = sxps.get_source_details(source_id=[209220])
    lists = sxps.get_obs_list(source_details=info)
    assert lists[209220]["obsList"] == ["00031635001", "00031635002", "00031635003",
                                        "00031635004"]
    raw = {"Detections": {"Observations": [{"ObsID": 15190001.0}]}, "NonDetections": {}}
    assert sxps.get_obs_list(source_details=raw, use_obs="allCat")["obsList"] == ["00015190001"]
