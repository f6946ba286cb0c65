"""What every result gets (astroquery_sxps._results): display, meta keys.

Printed results show sensible digits; every ``meta`` key is lower snake_case. Writing
every result to ECSV, FITS and VOTable and reading it back: test_round_trip.py.
"""
import re
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table

from astroquery_sxps import SXPSTable
from astroquery_sxps._results import display_format, finish_table, format_position, meta_key, plain

J0621 = "LSXPS J062131.8-622213"


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


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


# -- every result ----------------------------------------------------------------------
# (every result's round trip through ECSV, FITS and VOTable: test_round_trip.py)
def test_observation_list_as_a_table(sxps):
    obs = sxps.get_obs_list(source_id=17092, use_obs="allCat")
    table = obs.to_table()
    assert isinstance(table, SXPSTable)
    assert table["obsid"].tolist() == obs.obsids and len(table) > 1
    assert table["target_id"].tolist() == [o[:8] for o in obs.obsids]


def test_light_curve_meta_names_its_columns(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, time_format="tdb")
    assert_snake_meta(lcs.meta, "collection")
    for name in ("Total_rates", "Total_UL", "HR1"):
        assert set(lcs[name].meta["columns"]) <= set(lcs[name].colnames)


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
