"""What every result gets (astroquery_sxps._results): files, display, meta keys.

Every table-like result is written to ECSV and FITS with astropy's ``write`` and read
back with the same values, units and times; printed results show sensible digits;
every ``meta`` key is lower snake_case.
"""
import re
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, Table
from astropy.time import Time
from astropy.timeseries import TimeSeries

from astroquery_sxps import SXPSTable, merge_upper_limits
from astroquery_sxps._results import (display_format, finish_table, format_position, meta_key,
                                      plain, writable_meta)
from astroquery_sxps.exceptions import SourceSplitError

J0621 = "LSXPS J062131.8-622213"


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def _values(column):
    data = column.value if isinstance(column, u.Quantity) else column
    return np.ma.getdata(data), np.ma.getmaskarray(data)


def assert_same_column(name, mine, back):
    if isinstance(mine, Time):
        assert isinstance(back, Time), name
        assert back.scale == mine.scale and back.format == mine.format, name
        mask = np.asarray(mine.mask) if mine.masked else np.zeros(len(mine), bool)
        assert np.array_equal(np.asarray(back.mask) if back.masked else
                              np.zeros(len(back), bool), mask), name
        ok = ~mask
        if ok.any():    # the same instants (text keeps milliseconds, numbers every digit)
            assert np.all(np.abs((back[ok] - mine[ok]).to_value(u.s)) < 1e-6), name
        return
    if isinstance(mine, SkyCoord):
        assert isinstance(back, SkyCoord), name
        np.testing.assert_array_equal(back.ra.deg, mine.ra.deg)
        np.testing.assert_array_equal(back.dec.deg, mine.dec.deg)
        return
    assert getattr(back, "unit", None) == getattr(mine, "unit", None), name
    if mine.dtype.kind == "O":
        assert list(back) == list(mine), name
        return
    data, mask = _values(mine)
    bdata, bmask = _values(back)
    if data.dtype.kind in "US":     # FITS keeps no trailing blanks; masked text is ''
        assert [str(v) for v in np.where(mask, "", data)] == \
            [str(v) for v in np.where(bmask, "", bdata)], name
        return
    assert np.array_equal(bmask, mask), name
    np.testing.assert_array_equal(bdata[~mask], data[~mask], err_msg=name)


def assert_round_trip(table, tmp_path, name="result"):
    """Write ``table`` to ECSV and FITS with ``table.write``; read back; compare."""
    assert isinstance(table, (SXPSTable, TimeSeries))
    reader = SXPSTable if isinstance(table, SXPSTable) else type(table)
    for ext in ("ecsv", "fits"):
        path = tmp_path / f"{name}.{ext}"
        with warnings.catch_warnings():
            warnings.simplefilter("error")      # no warning from writing a result
            table.write(path, overwrite=True)
        back = reader.read(path, format="ascii.ecsv" if ext == "ecsv" else "fits")
        assert type(back) is reader
        assert back.colnames == table.colnames, (name, ext)
        for col in table.colnames:
            assert_same_column(f"{name}.{ext}:{col}", table[col], back[col])
        if ext == "ecsv":
            for key, value in table.meta.items():
                if key.startswith("__"):
                    continue
                got = back.meta[key]
                if isinstance(value, Table):
                    for col in value.colnames:
                        assert_same_column(f"meta {key}.{col}", value[col], got[col])
                elif isinstance(value, SkyCoord):
                    assert got.separation(value) == 0 * u.deg
                else:
                    assert got == writable_meta(value), (name, key)
        else:
            for key, value in table.meta.items():
                if isinstance(value, (str, int, float, bool)) and not key.startswith("__"):
                    assert back.meta[key] == value, (name, key)
    return back


def assert_snake_meta(meta, what):
    bad = [k for k in meta if not str(k).startswith("__") and meta_key(k) != k]
    assert bad == [], f"{what}: meta keys not in snake_case: {bad}"


# -- the helpers ---------------------------------------------------------------------
def test_meta_key_and_plain():
    assert [meta_key(k) for k in ("TimeFormat", "IAUName", "URLs", "T0", "LSXPS_ID",
                                  "DetData", "GalNH_unfitted", "time_format")] == \
        ["time_format", "iau_name", "urls", "t0", "lsxps_id", "det_data", "gal_nh_unfitted",
         "time_format"]
    assert plain(np.int64(3)) == 3 and type(plain(np.int64(3))) is int
    assert type(plain(np.str_("x"))) is str and plain("x") == "x"


@pytest.mark.parametrize("values,unit,expected,shown", [
    ([0.06610298728272222], None, ".7g", "0.06610299"),
    ([2.4225699999999997e+22], u.cm ** -2, ".7g", "2.42257e+22"),
    ([253332997.0000002, 10.5], u.s, ".12g", "253332997"),
    ([675591212.352], u.s, ".12g", "675591212.352"),
    ([334.502058, -8.256481], u.deg, ".9g", "334.502058"),
])
def test_display_format(values, unit, expected, shown):
    assert display_format(np.array(values), unit) == expected
    assert format(values[0], expected) == shown


def test_display_format_leaves_other_columns():
    assert display_format(np.array([1, 2])) is None
    assert display_format(np.array([np.nan])) is None
    assert display_format(np.array(["a"])) is None


def test_format_position_at_catalogue_precision():
    text = format_position(SkyCoord(266.36300144, -29.0381036, unit="deg"))
    assert text == "17h45m27.12s -29d02m17.2s (266.363001 -29.038104 deg)"


def test_finish_table_makes_keys_snake_case_and_keeps_the_columns():
    table = Table({"a": [1.5, 2.5]})
    table.meta["TimeFormat"] = "cal"
    out = finish_table(table, {"IAUName": "X", "count": np.int64(3)}, hide=["a"])
    assert isinstance(out, SXPSTable) and out["a"] is not None
    assert out.meta["time_format"] == "cal" and out.meta["iau_name"] == "X"
    assert type(out.meta["count"]) is int
    assert "a" not in out.pformat()[0]           # hidden from the printed view only
    assert list(out["a"]) == [1.5, 2.5]


def test_object_columns_and_nested_tables_round_trip(tmp_path):
    info = Column(np.empty(3, dtype=object), name="Total_Info")
    info[0], info[1], info[2] = {"C": 3, "x": 1.5}, None, {"C": [1, 2]}
    times = Time(["2020-01-01 00:00:00", "2021-01-01 12:00:00", "2022-01-01 00:00:00"])
    times[1] = np.ma.masked
    nested = finish_table(Table({"SourceName": ["LSXPS J1"], "Distance": [3.2] * u.arcsec}))
    table = finish_table(Table({"x": [0.1, 0.2, 0.3], "Total_Info": info, "t": times}),
                         {"det_data": nested, "resolved_position": SkyCoord(1, 2, unit="deg"),
                          "search_radius": 3 * u.arcmin, "when": Time("2020-01-01"),
                          "files": {"plots": {"a": tmp_path}}})
    back = assert_round_trip(table, tmp_path, "objects")
    assert back.meta["resolved_position"] == "ICRS 1.000000 2.000000 deg"      # FITS: text
    assert back.meta["search_radius"] == "3.0 arcmin"
    assert back.meta["det_data"]["Distance"].unit == u.arcsec
    # astropy's own reader reads both files too
    plain_ecsv = Table.read(tmp_path / "objects.ecsv")
    assert plain_ecsv["Total_Info"][0] == {"C": 3, "x": 1.5}
    assert plain_ecsv.meta["files"] == {"plots": {"a": str(tmp_path)}}
    plain_fits = Table.read(tmp_path / "objects.fits", hdu=1)
    assert plain_fits["Total_Info"][0] == '{"C": 3, "x": 1.5}'


# -- every result ----------------------------------------------------------------------
def test_upper_limits_write_and_read_back(sxps, tmp_path):
    ul = _quiet(sxps.query_upper_limit, "77.969042, -62.324167", bands="all", which_data="all",
                detections_as_rates=True)
    assert isinstance(ul.meta["det_data"], Table)
    assert_snake_meta(ul.meta, "upper limits")
    back = assert_round_trip(ul, tmp_path, "ul")
    assert back.meta["det_data"]["SourceName"][0] == "LSXPS J051152.3-621925"
    merged = _quiet(merge_upper_limits, ul, rows=ul["ObsID"] < "10000000000")
    assert_snake_meta(merged.meta, "merged upper limits")
    assert_round_trip(merged, tmp_path, "merged")
    met = sxps.query_upper_limit("334.502058 -8.256481", time_format="met")
    assert_round_trip(met, tmp_path, "ul_met")


def test_source_details_tables_write_and_read_back(sxps, tmp_path):
    src = _quiet(sxps.get_source_details, source_id=11375)
    tables = {"CrossMatch": src["CrossMatch"],
              "Observations": src["Detections"]["Observations"],
              "NonDetObservations": src["NonDetections"]["Observations"]}
    assert tables["Observations"]["Total_Info"].dtype.kind == "O"
    for name, table in tables.items():
        assert_snake_meta(table.meta, name)
        assert_round_trip(table, tmp_path, name)
    ds = sxps.get_dataset_details(obsid="00282445000")
    sources = ds["Sources"]
    assert sources["Total_DetectionDetails"].dtype.kind == "O"
    back = assert_round_trip(sources, tmp_path, "Sources")
    assert back["Total_DetectionDetails"][0]["SNR"] == sources["Total_DetectionDetails"][0]["SNR"]


def test_split_source_table_writes(sxps, sxps_server, tmp_path):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_source_details(source_id=37562)
    assert_round_trip(err.value.newer_sources, tmp_path, "newer")


def test_queries_and_metadata_write_and_read_back(sxps, tmp_path):
    res = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets", columns="*")
    assert isinstance(res["StartTime_UTC"], Time) and isinstance(res["coord"], SkyCoord)
    assert_snake_meta(res.meta, "query")
    back = assert_round_trip(res, tmp_path, "query")
    assert back.meta["resolved_info"] == res.meta["resolved_info"]
    meta = sxps.get_table_metadata("sources")
    assert_round_trip(meta, tmp_path, "metadata")


@pytest.mark.parametrize("fmt", ["csv", "fits"])
def test_full_tables_and_epochs_write_and_read_back(sxps, tmp_path, fmt):
    tab = sxps.get_full_table("transients", format=fmt, show_progress=False)
    assert_snake_meta(tab.meta, "full table")
    assert tab.meta["server_file"] and tab.meta["file"] and "FILE" not in tab.meta
    assert_round_trip(tab, tmp_path, f"full_{fmt}")
    old = sxps.list_old_tables()
    assert_round_trip(old, tmp_path, "epochs")


def test_spectral_fits_and_image_lists_write_and_read_back(sxps, tmp_path, out):
    fit = sxps.get_spectrum(source_name="LSXPS J221755.4-082100", download_dir=out)
    assert_snake_meta(fit.meta, "spectrum")
    back = assert_round_trip(fit, tmp_path, "fit")
    assert back.meta["delta_fit_stat"] == 2.706
    urls = sxps.get_image_list(obsid="00282445000", get_regions=True)
    assert_round_trip(urls, tmp_path, "urls")


def test_observation_lists_write_and_read_back(sxps, tmp_path):
    obs = sxps.get_obs_list(source_id=17092, use_obs="allCat")
    table = obs.to_table()
    assert table["obsid"].tolist() == obs.obsids and len(table) > 1
    assert table["target_id"].tolist() == [o[:8] for o in obs.obsids]
    assert_round_trip(table, tmp_path, "obslist")


def test_light_curves_write_and_read_back(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, time_format="tdb")
    assert_snake_meta(lcs.meta, "collection")
    for name in ("Total_rates", "Total_UL", "HR1"):
        curve = lcs[name]
        assert_snake_meta(curve.meta, name)
        assert set(curve.meta["columns"]) <= set(curve.colnames)
        assert_round_trip(curve, tmp_path, name)
    met = sxps.get_lightcurve(source_name=J0621, time_format="met", bands="total")
    assert_round_trip(met["Total_rates"], tmp_path, "met")
    merged = met["Total_rates"].merge_bins([0, 1])
    assert_snake_meta(merged.bin.meta, "merged bin")
    assert_round_trip(merged.bin, tmp_path, "merged_bin")


# -- display ---------------------------------------------------------------------------
_LONG_FLOAT = re.compile(r"\d\.\d{9,}|\d{10,}\.\d|e[+-]\d+\d{8,}")


def _no_long_floats(lines):
    long = [line for line in lines if _LONG_FLOAT.search(line)]
    assert long == []


def test_printed_results_show_sensible_digits(sxps):
    fit = sxps.get_spectrum(source_name="LSXPS J221755.4-082100")
    text = fit.pformat(max_lines=-1, max_width=-1)
    assert "2.42257e+22" in "\n".join(text) and "2.4225699999999997e+22" not in "\n".join(text)
    _no_long_floats(text)
    assert float(fit["NH"][1]) == 2.4225699999999997e+22            # the value is intact
    ul = _quiet(sxps.query_upper_limit, "77.969042, -62.324167", bands="all", which_data="all")
    _no_long_floats(ul.pformat(max_lines=-1, max_width=-1))
    met = sxps.get_lightcurve(source_name=J0621, time_format="met", bands="total")
    rates = met["Total_rates"]
    _no_long_floats(rates.pformat(max_lines=-1, max_width=-1))
    shown = "\n".join(rates[["MET"]].pformat())
    assert f"{rates['MET'][0].value:.12g}" in shown       # Swift MET: every millisecond
    src = _quiet(sxps.get_source_details, source_id=11375)
    obs = src["Detections"]["Observations"]
    _no_long_floats(obs[[c for c in obs.colnames
                         if getattr(obs[c], "dtype", np.dtype("O")).kind != "O"]].pformat(max_lines=-1, max_width=-1))
    res = sxps.query_object("GK Per", radius=12 * u.arcmin, table="datasets", columns="*")
    shown = res[["coord", "RA"]].pformat()
    row = res[0]
    # positions at catalogue precision (6 decimals of a degree), not 17 digits
    assert f"{row['RA']:.6f},{row['Decl']:.6f}" in shown[3]
    assert all(re.fullmatch(r"\s*\d+\.\d{6},-?\d+\.\d{6}\s+\S+\s*", line) for line in shown[3:])


def test_the_fit_table_fits_an_80_column_terminal(sxps, out):
    fit = sxps.get_spectrum(source_name="LSXPS J221755.4-082100", download_dir=out)
    lines = fit.pformat(max_width=80)
    assert max(len(line) for line in lines) <= 80
    assert "model" in lines[0] and "Image" not in lines[0] and "plot_file" not in lines[0]
    assert fit["Image"][0].startswith("http")            # still in the table


def test_no_numpy_reprs_in_keys_and_messages(sxps, caplog):
    """Identifiers taken from a table column (NumPy scalars) key results and appear in
    messages as plain Python values: never ``np.int64(3)``."""
    ids = np.array([9000002, 106107], dtype=np.int64)
    with pytest.warns(Warning) as caught:
        spectra = sxps.get_spectrum(source_id=list(ids))
    assert list(spectra) == [9000002, 106107]
    assert all(type(k) is int for k in spectra)
    texts = [str(w.message) for w in caught]
    assert any("There is no spectrum of 9000002" in t for t in texts)
    assert not any("np." in t for t in texts)
    assert spectra[9000002].meta["identifier"] == 9000002
    names = np.array(["LSXPS J163700.6+073914", "LSXPS J163647.0+074206"])
    details = sxps.get_source_details(source_name=list(names))
    assert all(type(k) is str for k in details) and "np.str_" not in repr(list(details))
    datasets = sxps.get_dataset_details(dataset_id=[np.int64(9725), np.int64(999999)],
                                        skip_errors=True)
    assert list(datasets) == [9725] and type(next(iter(datasets))) is int
    assert "Skipping 999999" in caplog.text and "np.int64" not in caplog.text
    lcs = sxps.get_lightcurve(source_name=[np.str_(J0621)], bands="total")
    assert type(lcs[J0621].meta["identifier"]) is str and "np." not in repr(lcs[J0621])
