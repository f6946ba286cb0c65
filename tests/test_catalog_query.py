"""Cone searches and catalogue queries (getMetadata, queryDB) against the emulator."""
import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import QTable
from astropy.time import Time

from astroquery_sxps.catalog.query import (KNOWN_COLUMNS, PLACEHOLDERS, normalise_filters,
                                           parse_metadata)
from astroquery_sxps.exceptions import (InvalidQueryError, NoResultsWarning, SXPSResponseError,
                                        SXPSServerError)

GKPER = "Resolved 'GK Per' as (52.80004119305, 43.90429720867) via SIMBAD"
COLS = ["DatasetID", "ObsID", "RA", "Decl", "StartTime_UTC", "ExposureUsed"]


def test_protocol_example_gk_per_datasets(sxps, sxps_server):
    res = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets", subset="clean",
                            columns=COLS, filters=[
                                {"colName": "ExposureUsed", "filter": ">=", "val": 5000},
                                ("FieldFlag", "=", 0, "OR", "IS NULL", None)])
    body = sxps_server.requests_for("queryDB")[0]
    assert body["adUnits"] == "arcmin" and body["searchName"] == "GK Per"
    assert body["searchRad"] == 12.0 and body["cols"] == COLS and body["subset"] == "clean"
    assert body["constraints"] == [
        {"colName": "ExposureUsed", "filter": ">=", "val": 5000, "combiner": None,
         "filter2": None, "val2": None},
        {"colName": "FieldFlag", "filter": "=", "val": 0, "combiner": "OR",
         "filter2": "IS NULL", "val2": None}]
    assert body["numRows"] == 1000 and body["firstRow"] == 0 and body["sortDir"] == "ASC"
    first = QTable(res)[0]
    assert first["DatasetID"] == 7557 and first["ObsID"] == "00030842009"
    assert first["RA"] == 52.78865 * u.deg and first["Decl"] == 43.90682 * u.deg
    assert first["distance"] == 0.51517 * u.arcmin
    assert first["ExposureUsed"] == 5123.4 * u.s
    assert isinstance(res["StartTime_UTC"], Time)
    assert res["StartTime_UTC"][0].iso == "2007-02-08 03:49:24.000"
    assert np.all(np.diff(res["distance"].value) >= 0)
    assert np.all(res["ExposureUsed"].quantity >= 5000 * u.s)
    assert res.meta["resolved_info"] == GKPER
    assert res.meta["resolved_position"].ra.deg == 52.80004119305
    assert isinstance(res["coord"], SkyCoord)


def test_all_eight_gk_per_datasets(sxps, sxps_server):
    res = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets", columns="*")
    assert len(res) == 8
    assert list(res["DatasetID"]) == [7557, 7558, 7559, 7560, 7561, 7562, 7563, 7564]
    assert res["distance"].unit == u.arcmin


def test_cone_on_real_rows_with_default_columns(sxps, sxps_server):
    pos = SkyCoord(249.25254, 7.65391, unit="deg")
    res = sxps.query_region(pos, radius=5 * u.arcmin)
    body = sxps_server.requests_for("queryDB")[0]
    assert body["searchRA"] == 249.25254 and body["searchDec"] == 7.65391
    meta = sxps.get_table_metadata("sources")
    assert body["cols"] == list(meta["ColName"][meta["default"]])
    ids = list(res["LSXPS_ID"])
    assert ids[0] == 1 and {2, 3} <= set(ids)
    two = QTable(res[res["LSXPS_ID"] == 2])[0]
    assert two["IAUName"] == "LSXPS J163647.0+074206" and two["Err90"] == 7.3 * u.arcsec
    assert two["distance"].unit == u.arcmin
    assert abs(two["distance"] - pos.separation(two["coord"])) < 0.0001 * u.arcmin


def test_radius_as_float_arcsec_and_degrees(sxps, sxps_server):
    res = sxps.query_region(SkyCoord(249.25254, 7.65391, unit="deg"), radius=1.0)
    assert sxps_server.requests_for("queryDB")[0]["adUnits"] == "arcsec"
    assert list(res["LSXPS_ID"]) == [1] and res["distance"].unit == u.arcsec
    body = sxps.query_region("249.25254 7.65391", radius=0.1 * u.deg, get_query_payload=True)
    assert body["adUnits"] == "deg" and body["searchName"] == "249.25254 7.65391"
    body = sxps.query_region("x", radius=1 * u.rad, get_query_payload=True)
    assert body["adUnits"] == "arcsec" and abs(body["searchRad"] - 206264.806) < 1e-3


def test_paging_returns_all_rows(sxps, sxps_server):
    sxps_server.options["full_table_rows"] = 2500
    res = sxps.query_catalog(columns=["LSXPS_ID", "RA", "Decl"])
    assert len(res) == 2500
    pages = sxps_server.requests_for("queryDB")
    assert [p["firstRow"] for p in pages] == [0, 1000, 2000]
    assert all(p["numRows"] == 1000 for p in pages)
    assert len(set(res["LSXPS_ID"])) == 2500
    res = sxps.query_catalog(columns=["LSXPS_ID"], max_rows=1200, cache=False)
    assert len(res) == 1200
    assert [(p["firstRow"], p["numRows"]) for p in sxps_server.requests_for("queryDB")[3:]] == \
        [(0, 1000), (1000, 200)]


def test_numeric_strings_nulls_and_records_metadata(sxps, sxps_server):
    sxps_server.options["query_numbers_as_strings"] = True
    sxps_server.options["metadata_records"] = True
    res = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets",
                            columns=["DatasetID", "ObsID", "FieldFlag", "ExposureUsed"])
    assert res["DatasetID"].dtype.kind == "i" and res["ExposureUsed"].dtype.kind == "f"
    assert res["ObsID"][0] == "00030842009"
    flag = res[res["DatasetID"] == 7560]["FieldFlag"]
    assert flag.mask[0]                                     # null -> masked
    assert res["distance"][0] == 0.51517 and res["distance"].unit == u.arcmin


def test_sorting_and_filters_without_cone(sxps, sxps_server):
    res = sxps.query_catalog(columns=["LSXPS_ID", "Err90"], filters=[("Err90", "BETWEEN", [4, 5])],
                             sort_by="Err90", sort_dir="desc")
    err = res["Err90"].quantity
    assert len(res) and np.all((err >= 4 * u.arcsec) & (err <= 5 * u.arcsec))
    assert "distance" not in res.colnames
    body = sxps_server.requests_for("queryDB")[0]
    assert body["sortBy"] == "Err90" and body["sortDir"] == "DESC"
    assert body["constraints"][0]["val"] == [4, 5]
    assert "searchRad" not in body


def test_empty_result_warns(sxps, sxps_server):
    with pytest.warns(NoResultsWarning):
        res = sxps.query_region(SkyCoord(0.001, 89.99, unit="deg"), radius=1.0)
    assert len(res) == 0 and "distance" in res.colnames


@pytest.mark.parametrize("kwargs, word", [
    ({"catalog": "LSXP"}, "catalog"),
    ({"table": "nosuch"}, "table"),
    ({"table": "transients", "catalog": "2SXPS"}, "table"),
    ({"subset": "clean", "table": "detections"}, "subset"),
    ({"subset": "grubby"}, "subset"),
    ({"max_rows": 0}, "max_rows"),
    ({"max_rows": 1.5}, "max_rows"),
    ({"radius": -1}, "radius"),
    ({"radius": 5 * u.s}, "radius"),
    ({"radius": True}, "radius"),
    ({"columns": 7}, "columns"),
    ({"sort_dir": "UP"}, "sort_dir"),
    ({"filters": [("Err90", "~", 3)]}, "operator"),
    ({"filters": [("Err90", "BETWEEN", 3)]}, "BETWEEN"),
    ({"filters": [("Err90", "<", [1, 2])]}, "one value"),
    ({"filters": [("Err90", "<", 3, "XOR", ">", 1)]}, "combiner"),
    ({"filters": [{"colName": "Err90", "filter": "<", "val": 3, "bogus": 1}]}, "unknown key"),
    ({"filters": "Err90 < 3"}, "filters"),
    ({"filters": [("Err90", "BETWEEN", [1, 2, 3])]}, "BETWEEN"),
    ({"filters": [("Err90", "<", True)]}, "one value"),
    ({"filters": [("Err90", "<", float("nan"))]}, "one value"),
    ({"filters": [("Err90", "<", 3, None, ">", 1)]}, "combiner"),
    ({"filters": [("Err90", "<", 3, "AND", "~", 1)]}, "operator"),
    ({"filters": [("Err 90; --", "<", 3)]}, "column name"),
    ({"filters": [(5, "<", 3)]}, "colName"),
    ({"columns": ["*", "RA"]}, "alone"),
    ({"columns": ["RA", "Decl FROM x"]}, "column name"),
    ({"columns": []}, "columns"),
    ({"sort_by": 3}, "sort_by"),
    ({"sort_by": "Err90 DESC"}, "sort_by"),
])
@pytest.mark.parametrize("payload", [False, True])
def test_bad_arguments_fail_before_any_request(sxps, sxps_server, kwargs, word, payload):
    """Everything that can be checked without getMetadata is checked in payload mode too."""
    args = {"radius": 10.0}
    args.update(kwargs)
    with pytest.raises(InvalidQueryError, match=word):
        sxps.query_region(SkyCoord(1, 2, unit="deg"), get_query_payload=payload, **args)
    if "radius" not in kwargs:                # query_catalog has no cone
        args.pop("radius")
        with pytest.raises(InvalidQueryError, match=word):
            sxps.query_catalog(get_query_payload=payload, **args)
    assert sum(sxps_server.counts.values()) == 0


def test_bad_coordinates_and_names(sxps, sxps_server):
    with pytest.raises(InvalidQueryError, match="coordinates"):
        sxps.query_region((1, 2), radius=3.0)
    with pytest.raises(InvalidQueryError, match="name"):
        sxps.query_object(12, radius=3.0)
    assert sum(sxps_server.counts.values()) == 0


def test_unknown_columns_checked_against_metadata(sxps, sxps_server):
    with pytest.raises(InvalidQueryError, match="NoSuchCol"):
        sxps.query_region("GK Per", radius=1.0, filters=[("NoSuchCol", "=", 1)])
    with pytest.raises(InvalidQueryError, match="Nope"):
        sxps.query_region("GK Per", radius=1.0, columns=["RA", "Nope"])
    with pytest.raises(InvalidQueryError, match="sort_by"):
        sxps.query_region("GK Per", radius=1.0, sort_by="Nope")
    assert sxps_server.counts["queryDB"] == 0 and sxps_server.counts["getMetadata"] == 1


def test_server_errors_and_inconsistent_pages(sxps, sxps_server):
    with pytest.raises(SXPSServerError, match="Could not resolve"):
        sxps.query_object("No Such Object 123", radius=1.0)
    sxps_server.reply_next({"OK": 1, "Results": [{"LSXPS_ID": 1}], "NumRows": 3},
                           api_func="queryDB")
    with pytest.raises(SXPSResponseError, match="NumRows"):
        sxps.query_catalog(columns=["LSXPS_ID"], cache=False)


def test_metadata(sxps, sxps_server):
    meta = sxps.get_table_metadata("datasets")
    row = meta.loc["ObsID"]
    assert row["Type"] == "NUM" and row["IsObsCol"] and row["Description"] == \
        "Swift observation identifier"
    assert list(meta["ColName"][:6]) == COLS
    assert list(meta["ColName"][meta["default"]])[:6] == COLS
    assert not meta.loc["FieldFlag"]["default"]
    src = sxps.get_table_metadata("sources")
    assert len(src) == 234 and src.loc["RA"]["Type"] == "COORDH"
    assert sxps.get_table_metadata("xcorr", catalog="2SXPS", get_query_payload=True) == {
        "database": "2SXPS", "table": "xcorr", "APIFunc": "getMetadata", "APIVersion": "1.0.5"}


def test_parse_metadata_tolerates_records_and_string_flags():
    meta = parse_metadata({"metadata": {"columns": ["ColName", "Class", "Description", "Type"],
                                        "metadata": [{"ColName": "A", "Class": "BASIC,X",
                                                      "Description": "a", "Type": "int",
                                                      "IsObsCol": "1", "Extra": 5}]}})
    assert meta["IsObsCol"][0] and meta["default"][0] and meta["Type"][0] == "INT"
    assert "Extra" in meta.colnames


def test_filter_normalisation():
    out = normalise_filters(("Err90", "not like", "x%"))
    assert out == [{"colName": "Err90", "filter": "NOT LIKE", "val": "x%", "combiner": None,
                    "filter2": None, "val2": None}]
    out = normalise_filters([{"column": "A", "op": "is null", "value": 3}])
    assert out[0]["filter"] == "IS NULL" and out[0]["val"] is None


def test_payload_sends_nothing(sxps, sxps_server):
    KNOWN_COLUMNS.clear()
    body = sxps.query_object("GK Per", radius=2 * u.arcmin, max_rows=10, get_query_payload=True)
    assert body["numRows"] == 10 and body["searchName"] == "GK Per"
    assert body["cols"] == [PLACEHOLDERS["default"]]
    assert sum(sxps_server.counts.values()) == 0


@pytest.mark.parametrize("columns,key", [(None, "default"), ("*", "all")])
def test_every_query_names_its_columns_and_the_payload_shows_them(sxps, sxps_server,
                                                                  columns, key):
    """The existing client always sends cols (the user's, else the BASIC ones); so do
    we, and the payload names the same columns once the metadata has been read."""
    KNOWN_COLUMNS.clear()
    args = dict(table="datasets", columns=columns, get_query_payload=True)
    before = sxps.query_region("GK Per", radius=12 * u.arcmin, **args)
    assert before["cols"] == [PLACEHOLDERS[key]]          # nothing known, nothing sent
    assert sum(sxps_server.counts.values()) == 0
    args.pop("get_query_payload")
    sxps.query_region("GK Per", radius=12 * u.arcmin, **args)
    sent = sxps_server.requests_for("queryDB")[-1]
    meta = sxps.get_table_metadata("datasets")
    names = list(meta["ColName"] if columns == "*" else meta["ColName"][meta["default"]])
    assert sent["cols"] == names and len(names) > 0
    after = sxps.query_region("GK Per", radius=12 * u.arcmin, get_query_payload=True, **args)
    assert after == sent                                  # the payload is what is sent
    calls = sum(sxps_server.counts.values())
    sxps.query_region("GK Per", radius=12 * u.arcmin, get_query_payload=True, **args)
    assert sum(sxps_server.counts.values()) == calls


def test_get_table_metadata_teaches_the_payload(sxps, sxps_server):
    KNOWN_COLUMNS.clear()
    meta = sxps.get_table_metadata("sources")
    body = sxps.query_catalog(get_query_payload=True)
    assert body["cols"] == list(meta["ColName"][meta["default"]])
    assert sxps.query_catalog(table="datasets", get_query_payload=True)["cols"] == \
        [PLACEHOLDERS["default"]]


def test_payload_mode_does_not_check_names_against_metadata(sxps, sxps_server):
    """Documented: payload mode sends nothing, so it cannot know the table's columns."""
    body = sxps.query_catalog(table="datasets", columns=["Nope", "RA", "Nope"],
                              filters=[("AlsoNope", "IS NULL", None)], sort_by="NoSort",
                              get_query_payload=True)
    assert body["cols"] == ["Nope", "RA"]                  # de-duplicated, as sent for real
    assert body["constraints"][0]["colName"] == "AlsoNope" and body["sortBy"] == "NoSort"
    KNOWN_COLUMNS.clear()
    assert sxps.query_catalog(columns="*", get_query_payload=True)["cols"] == \
        [PLACEHOLDERS["all"]]
    assert sum(sxps_server.counts.values()) == 0
    with pytest.raises(InvalidQueryError, match="Nope"):
        sxps.query_catalog(table="datasets", columns=["Nope", "RA"])
    from astroquery_sxps import SXPSClass
    for method in (SXPSClass.query_region, SXPSClass.query_catalog):
        assert "not** checked against the table's columns" in method.__doc__ or \
            "not against\n            `get_table_metadata`" in method.__doc__


def test_explicit_columns_payload_matches_the_query(sxps, sxps_server):
    cols = ["DatasetID", "ObsID", "DatasetID", "StartTime_UTC"]
    body = sxps.query_region("GK Per", radius=12 * u.arcmin, table="datasets", columns=cols,
                             filters=[("ExposureUsed", "BETWEEN", (5000, 1e6))],
                             get_query_payload=True)
    sxps.query_region("GK Per", radius=12 * u.arcmin, table="datasets", columns=cols,
                      filters=[("ExposureUsed", "BETWEEN", (5000, 1e6))])
    sent = sxps_server.requests_for("queryDB")[0]
    assert body == sent


def test_utc_and_obsid_helpers():
    from astroquery_sxps.catalog.query import obsid_strings, utc_times
    t = utc_times(["2022-08-17 10:00:01", None, "2022-08-17T11:00:02", "NULL", " nan ", "2022-08-18"])
    assert isinstance(t, Time) and t.scale == "utc" and t.format == "iso"
    assert t.mask.tolist() == [False, True, False, True, True, False]
    assert t[2].iso == "2022-08-17 11:00:02.000" and t[5].iso == "2022-08-18 00:00:00.000"
    assert len(utc_times([])) == 0
    with pytest.raises(ValueError):
        utc_times(["not a date"])
    assert obsid_strings([30842009, "30842009", None, 30842009.0]).tolist() == \
        ["00030842009", "00030842009", "", "00030842009"]
    assert obsid_strings(np.array([30842009, 1])).tolist() == ["00030842009", "00000000001"]
    assert obsid_strings(np.array([30842009.0, np.nan])).tolist() == ["00030842009", ""]
    masked = np.ma.MaskedArray([30842009, 0], mask=[False, True])
    assert obsid_strings(masked).tolist() == ["00030842009", ""]
    assert obsid_strings(np.array([], dtype=np.int64)).dtype == np.dtype("U11")
