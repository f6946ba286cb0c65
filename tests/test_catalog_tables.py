"""Full catalogue tables and old epochs (tutorial: 'Getting the full catalogues',
'Old versions of LSXPS tables') against the emulator."""
import gzip

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.time import Time

from astroquery_sxps.catalog import tables as ct
from astroquery_sxps.catalog._fastcsv import read_csv
from astroquery_sxps.exceptions import InvalidQueryError, SXPSResponseError, SXPSServerError
from astroquery_sxps.testing import synthetic

# The rows printed by the tutorial (first and last five of the real table).
FIRST = [(1, "LSXPS J163700.6+073914", 249.25254, 7.65391, 7.1, 2.18, 265.31),
         (2, "LSXPS J163647.0+074206", 249.19612, 7.70193, 7.3, 3.57, 265.31),
         (3, "LSXPS J163710.1+074315", 249.29248, 7.72102, 8.3, 6.36, 280.47),
         (4, "LSXPS J115006.7+641942", 177.52833, 64.32839, 6.5, 6.00, 1749.80),
         (5, "LSXPS J155612.3-181111", 239.05134, -18.18660, 5.4, 7.83, 571.15)]
LAST_IDS = [371055, 371056, 371057, 371058, 371059]


def test_full_sources_table_tutorial_values(sxps, sxps_server):
    tab = sxps.get_full_table("sources", show_progress=False)
    assert isinstance(tab, Table)
    assert len(tab.colnames) == 234 + 1          # 234 catalogue columns + coord
    assert tab.colnames[:10] == ["LSXPS_ID", "IAUName", "RA", "Decl", "Err90", "AstromType",
                                 "l", "b", "MeanOffAxisAngle", "NearestNeighbour"]
    assert tab.colnames[-11:-1] == ["MatchIn4XMM_DR10s", "MatchInXMMSL2", "MatchInSwiftFT",
                                    "MatchIn1SWXRT", "MatchInXRTGRB", "MatchInSDSS_QSO_DR14",
                                    "MatchIn2MASS", "MatchInUSNOB1", "MatchIn2CSC", "MatchIn2SXPS"]
    for row, (sid, name, ra, dec, err, oaa, nn) in zip(tab[:5], FIRST):
        assert row["LSXPS_ID"] == sid and row["IAUName"] == name
        assert row["RA"] == ra and row["Decl"] == dec and row["Err90"] == err
        assert row["MeanOffAxisAngle"] == oaa and row["NearestNeighbour"] == nn
    assert list(tab["LSXPS_ID"][-5:]) == LAST_IDS
    assert np.all(np.isnan(tab["MeanOffAxisAngle"][-5:]))
    assert tab["l"][0] == 23.87352 and tab["b"][-1] == -0.68872
    assert list(tab["MatchInUSNOB1"][:5]) == [0, 1, 1, 1, 0]
    assert list(tab["MatchIn2SXPS"][:5]) == [1] * 5 and list(tab["MatchIn2SXPS"][-5:]) == [0] * 5
    # units and coordinates
    assert tab["RA"].unit == u.deg and tab["Err90"].unit == u.arcsec
    assert tab["MeanOffAxisAngle"].unit == u.arcmin and tab["Exposure"].unit == u.s
    assert tab["Rate_band0"].unit == u.ct / u.s and tab["PowFlux"].unit == u.erg / u.cm**2 / u.s
    assert tab["GalacticNH"].unit == u.cm**-2 and tab["HR1"].unit is None
    assert isinstance(tab["coord"], SkyCoord)
    assert tab["coord"][0].separation(SkyCoord(249.25254, 7.65391, unit="deg")) < 1e-6 * u.deg
    assert tab.meta["server_file"] == "LSXPS_Sources.csv"
    body = sxps_server.requests_for("getSXPSTable")[-1]
    assert body["whichCat"] == "LSXPS" and body["table"] == "sources" and body["format"] == "csv"
    assert "subset" not in body and "epoch" not in body


def test_second_call_uses_cache(sxps, sxps_server):
    sxps.get_full_table("sources", show_progress=False)
    sxps.get_full_table("sources", show_progress=False)
    assert sxps_server.counts["getSXPSTable"] == 1
    assert sum(sxps_server.file_counts.values()) == 1
    sxps.get_full_table("sources", show_progress=False, cache=False)
    assert sxps_server.counts["getSXPSTable"] == 2
    assert sum(sxps_server.file_counts.values()) == 2


def test_fits_subset_to_download_dir(sxps, sxps_server, tmp_path):
    dest = tmp_path / "APIDemo_SXPS_cat"
    tab = sxps.get_full_table("datasets", subset="ultra-clean", format="fits",
                              download_dir=dest, show_progress=False)
    assert (dest / "LSXPS_Datasets_ultra-clean.fits").exists()
    assert tab.meta["server_file"] == "LSXPS_Datasets_ultra-clean.fits"
    assert np.all(tab["FieldFlag"] == 0)                        # the emulator's ultra-clean rule
    assert tab["ExposureUsed"].unit == u.s and "coord" in tab.colnames
    body = sxps_server.requests_for("getSXPSTable")[-1]
    assert body["subset"] == "ultra-clean" and body["format"] == "fits"
    # the same table again: the identical file there is kept, not rewritten
    target = dest / "LSXPS_Datasets_ultra-clean.fits"
    stamp = target.stat().st_mtime_ns
    path = sxps.get_full_table("datasets", subset="ultra-clean", format="fits",
                               download_dir=dest, read=False, show_progress=False)
    assert path == target and target.stat().st_mtime_ns == stamp
    # a file there that is not the table the server sends (stale, damaged) is never
    # returned: it is replaced by the verified copy
    target.write_bytes(b"mine")
    path = sxps.get_full_table("datasets", subset="ultra-clean", format="fits",
                               download_dir=dest, read=False, cache=False, show_progress=False)
    assert path.read_bytes()[:6] == b"SIMPLE"


def test_old_epoch_gunzipped_in_python(sxps, sxps_server, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")          # no external gunzip available
    tab = sxps.get_full_table("sources", subset="ultra-clean", epoch="2022-08-17", format="fits",
                              download_dir=tmp_path, show_progress=False)
    assert tab.meta["server_file"] == "LSXPS_Sources_ultra-clean_20220817T000001.fits.gz"
    assert (tmp_path / "LSXPS_Sources_ultra-clean_20220817T000001.fits").exists()
    assert not (tmp_path / "LSXPS_Sources_ultra-clean_20220817T000001.fits.gz").exists()
    assert np.all(tab["DetFlag"] == 0) and np.all(tab["FieldFlag"] == 0)
    assert sxps_server.requests_for("getSXPSTable")[-1]["epoch"] == "2022-08-17"
    assert sxps_server.counts["getOldSXPSTables"] == 1


def test_epoch_forms(sxps, sxps_server):
    tab = sxps.get_full_table("sources", epoch="2022-08-17 11:00:02", show_progress=False)
    assert sxps_server.requests_for("getSXPSTable")[-1]["epoch"] == "2022-08-17 11:00:02 UTC"
    assert tab.meta["server_file"] == "LSXPS_Sources_20220817T110002.csv.gz"
    sxps.get_full_table("sources", epoch=Time("2022-08-17 12:00:01.4"), read=False,
                        show_progress=False)
    assert sxps_server.requests_for("getSXPSTable")[-1]["epoch"] == "2022-08-17 12:00:01 UTC"
    sxps.get_full_table("sources", epoch=Time("2022-08-18"), read=False, show_progress=False)
    assert sxps_server.requests_for("getSXPSTable")[-1]["epoch"] == "2022-08-18"
    assert sxps_server.counts["getOldSXPSTables"] == 1          # listing cached


def test_unlisted_epoch_fails_before_table_request(sxps, sxps_server):
    for bad in ("2022-08-16 21:00:02 UTC", "2022-8-17", "2021-01-01", Time("2022-08-17 10:30:00")):
        with pytest.raises(InvalidQueryError, match="epoch"):
            sxps.get_full_table("sources", epoch=bad)
    assert sxps_server.counts["getSXPSTable"] == 0


def test_list_old_tables(sxps, sxps_server):
    old = sxps.list_old_tables()
    hourly = list(old["epoch"][old["kind"] == "hourly"])
    daily = list(old["epoch"][old["kind"] == "daily"])
    assert hourly[:5] == ["2022-08-17 10:00:01 UTC", "2022-08-17 11:00:02 UTC",
                          "2022-08-17 12:00:01 UTC", "2022-08-17 13:00:01 UTC",
                          "2022-08-17 14:00:02 UTC"]
    assert daily[:5] == ["2022-08-16", "2022-08-17", "2022-08-18", "2022-08-19", "2022-08-20"]
    assert isinstance(old["time"], Time)
    assert old["time"][0].iso == "2022-08-17 10:00:01.000"
    assert old["time"][old["kind"] == "daily"][0].iso == "2022-08-16 00:00:00.000"
    assert set(old.meta) >= {"hourly", "daily"}
    assert "sources" in old["tables"][0]
    assert sxps.list_old_tables(get_query_payload=True) == {"APIFunc": "getOldSXPSTables",
                                                            "APIVersion": "1.0.5"}


def _per_key_times(reply):
    """The ``time`` column as each epoch key parsed on its own would give it."""
    keys = [(key, kind) for kind in ("hourly", "daily") for key in (reply.get(kind) or {})]
    epochs = [ct._epoch_time(key, kind) for key, kind in keys]
    return ct.utc_times([None if t is None else t.iso for t in epochs])


@pytest.mark.parametrize("reply", [
    {"hourly": {f"2022-08-{d:02d} {h:02d}:00:0{h % 3} UTC": {"sources": 1}
                for d in range(1, 29) for h in range(24)},
     "daily": {f"2022-{m:02d}-{d:02d}": {"sources": 1} for m in (9, 10) for d in range(1, 29)}},
    {"hourly": ["2022-08-17 10:00:01.0004 UTC", "2022-08-17 10:00", "2016-12-31 23:59:60 UTC"],
     "daily": ["2022-08-16"]},
    {"hourly": {"not a time": {}, "2022-08-17 10:00:01 UTC": {}, "2022-08-17T11:00:01": {}},
     "daily": {"2022-08-16": {}, "2022-08-16 12:00:00": {}}},
    {"hourly": {}, "daily": {}},
])
def test_old_table_times_parsed_at_once_as_each_key_alone(reply):
    """All keys are parsed in one go; the values (and the masked bad keys) are as key by key."""
    times = ct.parse_old_tables(reply)["time"]
    expected = _per_key_times(reply)
    assert isinstance(times, Time) and times.format == expected.format == "iso"
    assert times.scale == "utc" and len(times) == len(expected)
    assert times.masked == expected.masked
    good = ~np.asarray(expected.mask) if expected.masked else np.ones(len(expected), bool)
    assert np.array_equal(np.asarray(times.mask), np.asarray(expected.mask))
    assert np.array_equal(np.asarray(times.jd1)[good], np.asarray(expected.jd1)[good])
    assert np.array_equal(np.asarray(times.jd2)[good], np.asarray(expected.jd2)[good])


def test_old_table_bad_epoch_keys_masked_alone():
    times = ct.parse_old_tables({"hourly": {"not a time": {}, "2022-08-17 10:00:01 UTC": {}},
                                 "daily": {"2022-08-16": {}}})["time"]
    assert list(np.asarray(times.mask)) == [True, False, False]
    assert times[1].iso == "2022-08-17 10:00:01.000" and times[2].iso == "2022-08-16 00:00:00.000"


@pytest.mark.parametrize("kwargs, word", [
    ({"table": "nosuch"}, "table"),
    ({"table": 3}, "table"),
    ({"table": "transients", "catalog": "2SXPS"}, "table"),
    ({"table": "sources", "catalog": "3SXPS"}, "catalog"),
    ({"table": "sources", "subset": "dirty"}, "subset"),
    ({"table": "detections", "subset": "clean"}, "subset"),
    ({"table": "sources", "format": "votable"}, "format"),
    ({"table": "sources", "format": 1}, "format"),
    ({"table": "sources", "epoch": 20220817}, "epoch"),
    ({"table": "sources", "catalog": "2SXPS", "epoch": "2022-08-17"}, "epoch"),
    ({"table": "sources", "download_dir": 5}, "download_dir"),
    ({"table": "sources", "clobber": "yes"}, "clobber"),
])
def test_bad_arguments_fail_before_any_request(sxps, sxps_server, kwargs, word):
    table = kwargs.pop("table")
    with pytest.raises(InvalidQueryError, match=word):
        sxps.get_full_table(table, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_payloads_and_aliases(sxps, sxps_server):
    body = sxps.get_full_table("ExtCatMatches", catalog="2sxps", get_query_payload=True)
    assert body == {"whichCat": "2SXPS", "table": "xcorr", "format": "csv",
                    "APIFunc": "getSXPSTable", "APIVersion": "1.0.5"}
    body = sxps.get_full_table("sources", subset="ultra-clean", epoch="2022-08-17",
                               format="FITS", get_query_payload=True)
    assert body["subset"] == "ultra-clean" and body["epoch"] == "2022-08-17"
    assert body["format"] == "fits"
    assert sum(sxps_server.counts.values()) == 0


def test_2sxps_table(sxps, sxps_server):
    tab = sxps.get_full_table("sources", catalog="2SXPS", show_progress=False)
    assert tab.colnames[0] == "2SXPS_ID" and tab.meta["server_file"] == "2SXPS_Sources.csv"
    assert str(tab["IAUName"][0]).startswith("2SXPS J")


def test_server_error_and_bad_download(sxps, sxps_server):
    sxps_server.reply_next({"OK": 1, "URL": "x"}, api_func="getSXPSTable")
    with pytest.raises(SXPSResponseError, match="FILE"):
        sxps.get_full_table("sources", cache=False)
    sxps_server.fail_file("tables/500/LSXPS_Detections.csv", status=404)
    with pytest.raises(SXPSResponseError, match="404"):
        sxps.get_full_table("detections", show_progress=False)
    assert not list((sxps.cache_location / "sxps_tables").rglob("LSXPS_Detections.csv"))
    sxps_server.reply_next({"ERROR": 1, "ERRORTEXT": "Table unavailable"}, api_func="getSXPSTable")
    with pytest.raises(SXPSServerError, match="Table unavailable"):
        sxps.get_full_table("obssources", cache=False)


def test_csv_reader_handles_nulls_types_and_chunks(tmp_path):
    rows = "1,2.5,x,,7\n2,,y,2022-08-17 10:00:01,\n3,NaN,,2022-08-18 10:00:01,9\n"
    path = tmp_path / "t.csv"
    path.write_text("A,B,C,D,E\n" + rows * 301)
    for engine in ("pandas", "astropy"):
        tab = read_csv(path, chunk_bytes=512, engine=engine)
        assert len(tab) == 903
        assert tab["A"].dtype.kind == "i" and list(tab["A"][:3]) == [1, 2, 3]
        assert np.isnan(tab["B"][1]) and np.isnan(tab["B"][2]) and tab["B"][0] == 2.5
        assert list(tab["C"][:3]) == ["x", "y", ""]
        e = np.ma.filled(np.ma.asarray(tab["E"]).astype(float), np.nan)
        assert np.isnan(e[1]) and list(e[[0, 2]]) == [7, 9]


@pytest.mark.parametrize("engine", ["pandas", "astropy"])
def test_csv_reader_quoted_header(tmp_path, engine):
    """A quoted header name holding a comma shifted every column; it is read by the CSV
    rules now."""
    path = tmp_path / "q.csv"
    path.write_text('a,"b,c",d\n1,2.5,x\n3,4.5,y\n')
    tab = read_csv(path, engine=engine)
    assert tab.colnames == ["a", "b,c", "d"]
    assert list(tab["a"]) == [1, 3] and list(tab["b,c"]) == [2.5, 4.5]
    assert list(tab["d"]) == ["x", "y"]


@pytest.mark.parametrize("engine", ["pandas", "astropy"])
def test_csv_reader_quoted_line_break_at_a_chunk_boundary(tmp_path, engine):
    """A quoted field with a line break where a chunk ends (a ParserError before):
    the exact path reads the file as the CSV rules say."""
    header = "ID,Notes,Rate\n"
    rows = [f"{i},plain note {i},{i / 10}\n" for i in range(40)]
    prefix = header + "".join(rows[:20])
    chunk = 512
    # pad the notes so that the quoted line break is the last byte of the first chunk
    pad = chunk - 1 - (len(prefix.encode()) - len(header.encode())) - len('20,"first line')
    quoted = f'20,"first line{"x" * pad}\nsecond, line",2.0\n'
    text = prefix + quoted + "".join(rows[21:])
    path = tmp_path / "n.csv"
    path.write_text(text)
    body = text.encode()[len(header):]
    assert body[chunk - 2:chunk + 1] == b"x\ns"       # the break ends the first chunk
    tab = read_csv(path, chunk_bytes=chunk, engine=engine)
    ref = Table.read(path, format="ascii.csv", guess=False)
    assert len(tab) == 40 and tab.colnames == ["ID", "Notes", "Rate"]
    assert list(tab["ID"]) == list(range(40))
    assert tab["Notes"][20] == f"first line{'x' * pad}\nsecond, line" == ref["Notes"][20]
    assert tab["Rate"][20] == 2.0 and tab["Rate"][39] == pytest.approx(3.9)


def test_csv_reader_unquoted_files_take_the_chunked_path(tmp_path, monkeypatch):
    from astroquery_sxps.catalog import _fastcsv
    path = tmp_path / "p.csv"
    path.write_text("A,B\n" + "1,2\n" * 50)
    monkeypatch.setattr(_fastcsv, "_read_exact", lambda *a: pytest.fail("exact path used"))
    assert len(read_csv(path, chunk_bytes=64)) == 50


def test_csv_reader_matches_astropy_on_synthetic(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(synthetic.table_csv("sources", "LSXPS", 3000))
    fast = read_csv(path, chunk_bytes=200_000)
    ref = Table.read(path, format="ascii.csv", guess=False)
    assert fast.colnames == ref.colnames and len(fast) == len(ref) == 3000
    for name in ("LSXPS_ID", "RA", "Err90", "MatchIn2SXPS", "Rate_band0", "IAUName"):
        assert np.all(np.asarray(fast[name]) == np.asarray(ref[name]))
    a = np.asarray(fast["InterpPowFlux"], dtype=float)
    b = np.ma.filled(ref["InterpPowFlux"].astype(float), np.nan)
    assert np.array_equal(a, b, equal_nan=True)


def test_column_units():
    assert ct.column_unit("Rate_band2_neg") == u.ct / u.s
    assert ct.column_unit("FittedAPECkT_pos") == u.keV
    assert ct.column_unit("FixedPowECFO") == u.erg / u.cm**2 / u.ct
    assert ct.column_unit("FittedPowCstat") is None and ct.column_unit("RateCF_band0") is None
    assert ct.column_unit("LastBlindDetMET") == u.s
    assert ct.column_unit("NearestOKNeighbour") == u.arcsec


def test_synthetic_generator_is_deterministic_and_has_234_columns():
    assert len(synthetic.SOURCE_COLUMNS) == 234
    a = synthetic.table_csv("sources", "LSXPS", 40)
    assert a == synthetic.table_csv.__wrapped__("sources", "LSXPS", 40)
    assert gzip.decompress(synthetic.table_bytes(rows=40, gz=True)) == a


# --- review findings: typed columns, epoch listing, payload epochs, show_progress ----------
@pytest.mark.parametrize("fmt", ["csv", "fits"])
def test_full_table_types_obsid_and_utc_like_query(sxps, sxps_server, fmt):
    full = sxps.get_full_table("datasets", format=fmt, show_progress=False)
    assert full["ObsID"].dtype == np.dtype("U11")
    assert all(len(o) == 11 and o.isdigit() for o in full["ObsID"])
    for name in ("StartTime_UTC", "StopTime_UTC"):
        assert isinstance(full[name], Time) and full[name].scale == "utc"
        assert full[name].format == "iso"
    # the same row from the query API is typed identically, with equal values
    row = sxps.query_catalog(table="datasets", columns=["DatasetID", "ObsID", "StartTime_UTC",
                                                        "StopTime_UTC"],
                             filters=[("DatasetID", "=", 5)])
    mine = full[full["DatasetID"] == 5]
    assert row["ObsID"].dtype == mine["ObsID"].dtype and row["ObsID"][0] == mine["ObsID"][0]
    for name in ("StartTime_UTC", "StopTime_UTC"):
        assert type(row[name]) is type(mine[name])
        assert row[name][0] == mine[name][0]
    trans = sxps.get_full_table("transients", format=fmt, show_progress=False)
    assert isinstance(trans["DiscoveryDate"], Time)
    sources = sxps.get_full_table("sources", format=fmt, show_progress=False)
    dates = [n for n in sources.colnames if isinstance(sources[n], Time)]
    assert dates == ["FirstObsDate", "LastObsDate", "FirstDetDate", "LastDetDate",
                     "FirstBlindDetDate", "LastBlindDetDate", "WhenAdded", "WhenModified"]
    old = sxps.get_full_table("oldstacks", format=fmt, show_progress=False)
    assert isinstance(old["WhenSuperseded"], Time) and old["ObsID"].dtype == np.dtype("U11")


def test_name_rules_agree_with_the_query_metadata(sxps, sxps_server):
    """The full-table reader types columns by name; the query API by getMetadata: same columns."""
    for catalog, tables in ct.TABLES.items():
        for table in tables:
            meta = sxps.get_table_metadata(table, catalog=catalog)
            for name, kind, obs in zip(meta["ColName"], meta["Type"], meta["IsObsCol"]):
                assert ct.is_utc_column(name) == (kind == "UTC"), (catalog, table, name)
                assert ct.is_obsid_column(name) == bool(obs), (catalog, table, name)


def test_read_table_missing_dates_and_obsids(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("ObsID,DiscoveryDate,StartTime_UTC,WhenAdded,Name\n"
                    "30842009,2022-08-17 10:00:01,2022-08-17T10:00:01,NULL,a\n"
                    ",,2022-08-18,2022-08-18 00:00:00,b\n")
    tab = ct.read_table(path)
    assert tab["ObsID"].tolist() == ["00030842009", ""]
    assert tab["DiscoveryDate"][0].iso == "2022-08-17 10:00:01.000"
    assert tab["DiscoveryDate"].mask.tolist() == [False, True]
    assert tab["StartTime_UTC"].iso.tolist() == ["2022-08-17 10:00:01.000",
                                                 "2022-08-18 00:00:00.000"]
    assert tab["WhenAdded"].mask.tolist() == [True, False]
    assert tab["Name"].tolist() == ["a", "b"]
    # a 'Date' column that is not a date stays text
    path.write_text("UpdateDate\nsoon\n")
    assert ct.read_table(path)["UpdateDate"].tolist() == ["soon"]


def test_unknown_epoch_sends_the_listing_once_and_lists_plain_strings(sxps, sxps_server):
    with pytest.raises(InvalidQueryError) as err:
        sxps.get_full_table("sources", epoch="x")
    assert sxps_server.counts["getOldSXPSTables"] == 1      # fresh listing: not fetched again
    text = str(err.value)
    assert "np.str_" not in text and "24 epochs available" in text
    assert "'2022-08-17 10:00:01 UTC'" in text and "'2022-08-25'" in text
    # the listing is now cached: a miss re-fetches it once (it may be stale), not twice
    with pytest.raises(InvalidQueryError, match="epoch"):
        sxps.get_full_table("sources", epoch="x")
    assert sxps_server.counts["getOldSXPSTables"] == 2
    with pytest.raises(InvalidQueryError) as err:
        sxps.get_full_table("sources", epoch=Time("2021-01-01"), cache=False)
    assert sxps_server.counts["getOldSXPSTables"] == 3 and "np.str_" not in str(err.value)
    assert sxps_server.counts["getSXPSTable"] == 0


def test_stale_cached_listing_is_refreshed_once(sxps, sxps_server):
    sxps_server.reply_next({"OK": 1, "APIVersion": "1.0.5", "hourly": {}, "daily": {}},
                           api_func="getOldSXPSTables")
    assert len(sxps.list_old_tables()) == 0                 # an (old) empty listing, cached
    tab = sxps.get_full_table("sources", epoch="2022-08-17", read=False, show_progress=False)
    assert tab.name == "LSXPS_Sources_20220817T000001.csv"
    assert sxps_server.counts["getOldSXPSTables"] == 2
    sxps.get_full_table("sources", epoch="2022-08-18", read=False, show_progress=False)
    assert sxps_server.counts["getOldSXPSTables"] == 2      # the refreshed listing is cached


@pytest.mark.parametrize("epoch", ["2022-08-17", " 2022-08-17 11:00:02 ", "2022-08-17 11:00:02 UTC",
                                   Time("2022-08-17"), Time("2022-08-18T00:00:00"),
                                   Time("2022-08-17 12:00:01.4")])
def test_payload_epoch_is_what_is_sent(sxps, sxps_server, epoch):
    body = sxps.get_full_table("sources", epoch=epoch, get_query_payload=True)
    assert sum(sxps_server.counts.values()) == 0
    sxps.get_full_table("sources", epoch=epoch, read=False, show_progress=False)
    sent = sxps_server.requests_for("getSXPSTable")[-1]
    assert {k: v for k, v in sent.items() if k in body} == body


def test_payload_epoch_of_a_time_is_a_documented_guess(sxps, sxps_server):
    # without the listing a Time is rounded to the second; the real call takes the hourly
    # snapshot within 1 s (12:00:01), as the get_full_table docstring says
    t = Time("2022-08-17 12:00:01.6")
    assert sxps.get_full_table(epoch=t, get_query_payload=True)["epoch"] == \
        "2022-08-17 12:00:02 UTC"
    sxps.get_full_table(epoch=t, read=False, show_progress=False)
    assert sxps_server.requests_for("getSXPSTable")[-1]["epoch"] == "2022-08-17 12:00:01 UTC"
    assert ct.payload_epoch(Time("2022-08-17 00:00:00.2")) == "2022-08-17"
    with pytest.raises(InvalidQueryError, match="single"):
        sxps.get_full_table(epoch=Time(["2022-08-17", "2022-08-18"]), get_query_payload=True)


@pytest.mark.parametrize("value", ["x", 1, 0.5])    # None means conf.show_progress
def test_show_progress_is_checked(sxps, sxps_server, value):
    for payload in (False, True):
        with pytest.raises(InvalidQueryError, match="show_progress"):
            sxps.get_full_table("sources", show_progress=value, get_query_payload=payload)
    assert sum(sxps_server.counts.values()) == 0
