"""Every result writes with astropy's ``write(path, format=...)`` to ECSV, FITS and VOTable
and reads back the same: values, units, times (scale and format), positions, masks and
NaN, object columns and ``meta``.

One case per result type, each in the three formats; then what a VOTable says to other VO
tools (UCDs, TIMESYS, INFO) and how it reads in astropy's own reader.
"""
import io
import json
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io.votable import parse
from astropy.io.votable.ucd import check_ucd
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time, TimeDelta
from astropy.timeseries import TimeSeries

from astroquery_sxps import SXPSLightCurve, SXPSTable, merge_upper_limits, to_flux
from astroquery_sxps._results import finish_table, meta_key, writable_meta
from astroquery_sxps._votable import COLUMNS_INFO, META_INFO, UCD_RULES, column_ucd
from astroquery_sxps.exceptions import SourceSplitError

POS = "77.969042, -62.324167"                # the tutorial's position with 12 datasets
J0621 = "LSXPS J062131.8-622213"
ECF = 4.5e-11 * u.erg / u.cm ** 2 / u.ct
FORMATS = ("ecsv", "fits", "votable")
#: astropy's format name of each
ASTROPY_FORMAT = {"ecsv": "ascii.ecsv", "fits": "fits", "votable": "votable"}


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


# -- the results -------------------------------------------------------------------------
def _upper_limits(sxps, tmp_path):
    return _quiet(sxps.query_upper_limit, POS, bands="all", which_data="all",
                  detections_as_rates=True)


def _split_sources(sxps, tmp_path):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_source_details(source_id=37562)
    return err.value.newer_sources


def _tap(sxps, tmp_path):
    return sxps.query_region_tap(SkyCoord(52.8, 43.9, unit="deg"), radius=2 * u.arcmin)


def _lc(name, **options):
    return lambda sxps, tmp_path: sxps.get_lightcurve(source_name=J0621, **options)[name]


RESULTS = {
    # upper limits (Time columns, det_data table and positions in meta)
    "upper_limits": _upper_limits,
    "upper_limits_met": lambda sxps, tmp_path: sxps.query_upper_limit(
        "334.502058 -8.256481", time_format="met"),
    "merged_upper_limits": lambda sxps, tmp_path: _quiet(
        merge_upper_limits, _upper_limits(sxps, tmp_path), rows=list(range(6))),
    "upper_limit_fluxes": lambda sxps, tmp_path: to_flux(_upper_limits(sxps, tmp_path), ECF),
    # details: embedded tables (object columns of dicts, SkyCoord) and to_table()
    "cross_matches": lambda sxps, tmp_path: _quiet(
        sxps.get_source_details, source_id=11375)["CrossMatch"],
    "detections": lambda sxps, tmp_path: _quiet(
        sxps.get_source_details, source_id=11375)["Detections"]["Observations"],
    "non_detections": lambda sxps, tmp_path: _quiet(
        sxps.get_source_details, source_id=11375)["NonDetections"]["Observations"],
    "dataset_sources": lambda sxps, tmp_path: sxps.get_dataset_details(
        obsid="00282445000")["Sources"],
    "split_sources": _split_sources,
    "source_record": lambda sxps, tmp_path: _quiet(
        sxps.get_source_details, source_id=11375).to_table(),
    "dataset_record": lambda sxps, tmp_path: sxps.get_dataset_details(
        obsid="00282445000").to_table(),
    "transient_record": lambda sxps, tmp_path: sxps.get_transient_details(
        source_id=576).to_table(),
    # catalogue queries, cone searches, metadata, full tables and epochs
    "query_object": lambda sxps, tmp_path: sxps.query_object(
        "GK Per", radius=12 * u.arcmin, table="datasets", columns="*"),
    "cone_search": lambda sxps, tmp_path: sxps.query_region(
        "249.2525355614 7.6539136659", radius=300),
    "table_metadata": lambda sxps, tmp_path: sxps.get_table_metadata("sources"),
    "tap_cone_search": _tap,
    "full_table_csv": lambda sxps, tmp_path: sxps.get_full_table(
        "transients", format="csv", show_progress=False),
    "full_table_fits": lambda sxps, tmp_path: sxps.get_full_table(
        "transients", format="fits", show_progress=False),
    "epochs": lambda sxps, tmp_path: sxps.list_old_tables(),
    # observation lists, spectral fits (paths in meta), image lists
    "observation_list": lambda sxps, tmp_path: sxps.get_obs_list(
        source_id=17092, use_obs="allCat").to_table(),
    "spectral_fits": lambda sxps, tmp_path: sxps.get_spectrum(
        source_name="LSXPS J221755.4-082100", download_dir=tmp_path / "spec"),
    "image_list": lambda sxps, tmp_path: sxps.get_image_list(
        obsid="00282445000", get_regions=True),
    # each light curve: MJD (UTC), JD (TDB), Swift MET, hardness ratios, a transient's,
    # fluxes, a merged bin and a rebinned curve
    "lc_rates_mjd": _lc("Total_rates"),
    "lc_limits_tdb": _lc("Total_UL", time_format="tdb"),
    "lc_rates_tdb": _lc("Total_rates", time_format="tdb"),
    "lc_hardness_ratio": _lc("HR1", time_format="tdb"),
    "lc_met": _lc("Total_rates", time_format="met", bands="total"),
    "lc_transient": lambda sxps, tmp_path: sxps.get_lightcurve(
        source_name="Swift J073006.8-193709", transient=True)["PC_incbad"],
    "lc_fluxes": lambda sxps, tmp_path: to_flux(_lc("Total_rates")(sxps, tmp_path), ECF),
    "lc_merged_bin": lambda sxps, tmp_path: _lc("Total_rates", time_format="met", bands="total")(
        sxps, tmp_path).merge_bins([0, 1]).bin,
    "lc_rebinned": lambda sxps, tmp_path: _lc("Total_rates")(sxps, tmp_path).bin(100 * u.d),
}


# -- comparing ---------------------------------------------------------------------------
def _values(column):
    data = column.value if isinstance(column, u.Quantity) else column
    data = getattr(data, "unmasked", data)          # a masked Quantity (light curves)
    mask = getattr(column, "mask", None)
    mask = np.zeros(len(column), bool) if mask is None else np.array(mask, dtype=bool)
    return np.asarray(np.ma.getdata(data)), mask


def assert_same_column(name, mine, back):
    """``back`` (read from a file) holds what ``mine`` held."""
    if isinstance(mine, (Time, TimeDelta)):
        assert type(back) is type(mine), name
        assert back.scale == mine.scale and back.format == mine.format, name
        mask = np.asarray(mine.mask) if mine.masked else np.zeros(len(mine), bool)
        assert np.array_equal(np.asarray(back.mask) if back.masked else
                              np.zeros(len(back), bool), mask), name
        ok = ~mask
        # the same instants: ECSV and FITS keep every digit, VOTable an MJD double
        # (0.6 microsecond steps at MJD 60000)
        if ok.any():
            assert np.all(np.abs((back[ok] - mine[ok]).to_value(u.s)) < 1e-6), name
        return
    if isinstance(mine, SkyCoord):
        assert isinstance(back, SkyCoord) and back.frame.name == mine.frame.name, name
        np.testing.assert_array_equal(back.ra.deg, mine.ra.deg, err_msg=name)
        np.testing.assert_array_equal(back.dec.deg, mine.dec.deg, err_msg=name)
        return
    assert getattr(back, "unit", None) == getattr(mine, "unit", None), name
    if mine.dtype.kind == "O":
        assert list(back) == list(mine), name
        return
    data, mask = _values(mine)
    bdata, bmask = _values(back)
    if data.dtype.kind in "US":     # FITS and VOTable keep no mask on text: masked is ''
        assert [str(v) for v in np.where(mask, "", data)] == \
            [str(v) for v in np.where(bmask, "", bdata)], name
        return
    assert np.array_equal(bmask, mask), name
    # NaN where it was NaN, every digit elsewhere
    np.testing.assert_array_equal(bdata[~mask], data[~mask], err_msg=name)


def assert_same_meta(mine, back, fmt, name):
    if fmt == "fits":       # a header holds the simple values as they are
        for key, value in mine.items():
            if isinstance(value, (str, int, float, bool)) and not key.startswith("__"):
                assert back[key] == value, (name, key)
        return
    for key, value in mine.items():
        if key.startswith("__"):
            continue
        got = back[key]
        if isinstance(value, Table):
            assert got.colnames == value.colnames, (name, key)
            for col in value.colnames:
                assert_same_column(f"{name} meta {key}.{col}", value[col], got[col])
        elif isinstance(value, SkyCoord):
            assert got.separation(value) == 0 * u.deg, (name, key)
        else:
            assert got == writable_meta(value), (name, key)


def assert_round_trip(table, path, fmt, name="result"):
    """Write ``table`` with ``table.write`` (no warning), read it back with its own class,
    compare every column and ``meta``; return what was read."""
    assert isinstance(table, (SXPSTable, SXPSLightCurve)), type(table)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no warning from writing or reading a result
        table.write(path, format=ASTROPY_FORMAT[fmt], overwrite=True)
        back = type(table).read(path, format=ASTROPY_FORMAT[fmt])
    assert type(back) is type(table), name
    assert back.colnames == table.colnames, (name, fmt)
    for col in table.colnames:
        assert_same_column(f"{name}.{fmt}:{col}", table[col], back[col])
    assert_same_meta(table.meta, back.meta, fmt, name)
    return back


def assert_snake_meta(meta, what):
    bad = [k for k in meta if not str(k).startswith("__") and meta_key(k) != k]
    assert bad == [], f"{what}: meta keys not in snake_case: {bad}"


# -- every result, every format ----------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", RESULTS)
def test_every_result_writes_and_reads_back(kind, fmt, sxps, tmp_path, fake_tap):
    result = RESULTS[kind](sxps, tmp_path)
    assert len(result) > 0 and len(result.colnames) > 1, kind
    assert_snake_meta(result.meta, kind)
    back = assert_round_trip(result, tmp_path / f"{kind}.{fmt}", fmt, kind)
    if fmt == "votable":
        assert_votable_speaks_vo(tmp_path / f"{kind}.{fmt}", result)
    if kind == "upper_limits":
        assert back.meta["det_data"]["SourceName"][0] == "LSXPS J051152.3-621925"
    if kind == "spectral_fits" and fmt != "fits":
        assert back.meta["files"]["pha"] == str(result.meta["files"]["pha"])
    if kind in ("detections", "dataset_sources"):     # object columns of dicts came back
        name = "Total_Info" if kind == "detections" else "Total_DetectionDetails"
        assert result[name].dtype.kind == "O" and isinstance(back[name][0], dict)
        assert back[name][0] == result[name][0]
    if kind == "query_object":
        assert isinstance(back["StartTime_UTC"], Time) and isinstance(back["coord"], SkyCoord)
        assert back.meta["resolved_info"] == result.meta["resolved_info"]
    if kind.startswith("full_table"):
        assert result.meta["server_file"] and result.meta["file"]
        assert "FILE" not in result.meta and back.meta["server_file"] == \
            result.meta["server_file"]


def test_a_plain_table_with_every_kind_of_column(tmp_path):
    """What the results hold, at once and with awkward values: masked and NaN floats in one
    column, masked times, NaN positions, dicts, lists and None, tables and positions in meta."""
    info = Column(np.empty(3, dtype=object), name="Total_Info")
    info[0], info[1], info[2] = {"C": 3, "x": 1.5}, None, {"C": [1, 2]}
    times = Time(["2020-01-01 00:00:00", "2021-01-01 12:00:00", "2022-01-01 00:00:00"],
                 scale="tt")
    times[1] = np.ma.masked
    nested = finish_table(Table({"SourceName": ["LSXPS J1"], "Distance": [3.2] * u.arcsec}))
    table = finish_table(Table({
        "x": MaskedColumn([0.1, np.nan, 0.3], mask=[False, False, True], unit=u.ct / u.s),
        "n": MaskedColumn([1, 2, 3], mask=[False, True, False]),
        "Total_Info": info, "t": times,
        "mjd": Time([58849.0, 58850.5, 58851.25], format="mjd", scale="tdb"),
        "dt": TimeDelta([1.0, 2.5, 3.0], format="jd"),
        "coord": SkyCoord([10.0, np.nan, 20.0], [-5.0, np.nan, 5.0], unit="deg")}),
        {"det_data": nested, "resolved_position": SkyCoord(1, 2, unit="deg"),
         "search_radius": 3 * u.arcmin, "when": Time("2020-01-01"),
         "files": {"plots": {"a": tmp_path}}, "catalog": "LSXPS"})
    for fmt in FORMATS:
        if fmt == "fits":       # FITS has no TimeDelta: the other two show the conversion
            back = assert_round_trip(table[[c for c in table.colnames if c != "dt"]],
                                     tmp_path / "objects.fits", fmt, "objects")
            assert back.meta["resolved_position"] == "ICRS 1.000000 2.000000 deg"
            assert back.meta["search_radius"] == "3.0 arcmin"
        else:
            back = assert_round_trip(table, tmp_path / f"objects.{fmt}", fmt, "objects")
        assert back.meta["det_data"]["Distance"].unit == u.arcsec
        x = back["x"]
        assert np.isnan(x[1]) and not x.mask[1] and x.mask[2]
    # astropy's own readers read every file too
    plain_ecsv = Table.read(tmp_path / "objects.ecsv")
    assert plain_ecsv["Total_Info"][0] == {"C": 3, "x": 1.5}
    assert plain_ecsv.meta["files"] == {"plots": {"a": str(tmp_path)}}
    plain_fits = Table.read(tmp_path / "objects.fits", hdu=1)
    assert plain_fits["Total_Info"][0] == '{"C": 3, "x": 1.5}'
    plain_vot = Table.read(tmp_path / "objects.votable", format="votable")
    assert plain_vot.colnames == ["x", "n", "Total_Info", "t", "mjd", "dt", "coord_ra",
                                  "coord_dec"]
    assert json.loads(plain_vot["Total_Info"][0]) == {"C": 3, "x": 1.5}
    assert plain_vot["Total_Info"][1] == "null"
    assert plain_vot["t"].unit == u.d and plain_vot["t"][0] == pytest.approx(58849.0, abs=1e-6)
    assert plain_vot["t"].mask[1]
    assert plain_vot["t"].description == "MJD (TT)"
    assert plain_vot["dt"].unit == u.d and list(plain_vot["dt"]) == [1.0, 2.5, 3.0]
    assert plain_vot["coord_ra"].unit == u.deg and list(plain_vot["coord_ra"][[0, 2]]) == \
        [10.0, 20.0]


def test_a_light_curve_in_a_file_object(sxps):
    lc = _lc("Total_rates", time_format="tdb")(sxps, None)
    buffer = io.BytesIO()
    lc.write(buffer, format="votable")
    buffer.seek(0)
    back = SXPSLightCurve.read(buffer, format="votable")
    assert back.time.scale == "tdb" and back.time.format == "jd"
    assert np.all(np.abs((back.time - lc.time).to_value(u.s)) < 1e-6)
    assert back.meta == lc.meta and back.rate.unit == u.ct / u.s


def test_an_existing_file_needs_overwrite(tmp_path):
    table = finish_table(Table({"a": [1.0]}))
    table.write(tmp_path / "a.vot", format="votable")
    with pytest.raises(OSError, match="already exists"):
        table.write(tmp_path / "a.vot", format="votable")
    table.write(tmp_path / "a.vot", format="votable", overwrite=True)


# -- what the VOTable says to other VO tools ---------------------------------------------
def _parse(path):
    """The VOTable tree as astropy parses it; astropy warns that erg is deprecated in VOUnit
    (still a recognised unit: see astroquery_sxps._votable), and only that is ignored."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The unit 'erg' has been deprecated",
                                category=u.UnitsWarning)
        return parse(str(path))


def assert_votable_speaks_vo(path, result):
    """UCDs, TIMESYS, INFO and description of a result written as a VOTable."""
    votable = _parse(path)
    element = votable.get_first_table()
    fields = {f.name: f for f in element.fields}
    for field in element.fields:        # every UCD is a valid UCD1+ word sequence
        if field.ucd is not None:
            assert check_ucd(field.ucd, check_controlled_vocabulary=True), field.ucd
    mains = [f.ucd for f in element.fields if f.ucd and f.ucd.endswith("meta.main")]
    assert len(mains) == len(set(mains)), mains      # meta.main once per quantity
    for name in result.colnames:
        col = result[name]
        if isinstance(col, SkyCoord):
            ra, dec = fields[f"{name}_ra"], fields[f"{name}_dec"]
            assert ra.unit == u.deg and dec.unit == u.deg
            assert ra.ucd.startswith("pos.eq.ra") and dec.ucd.startswith("pos.eq.dec")
        elif isinstance(col, Time) and not isinstance(col, TimeDelta):
            field = fields[name]
            system = votable.get_timesys_by_id(field.ref)
            assert system.timescale == col.scale.upper()
            assert system.timeorigin == "MJD-origin" and field.unit == u.d
            assert system.refposition == ("BARYCENTER" if col.scale == "tdb" else "TOPOCENTER")
    infos = {info.name: info for info in element.infos}
    assert {COLUMNS_INFO, META_INFO, "QUERY_STATUS"} <= set(infos)
    # astropy's writer wraps a long DESCRIPTION, also inside long words (ADQL)
    description = "".join(element.description.split())
    catalog = result.meta.get("catalog")
    if catalog:
        assert infos["catalog"].value == catalog and f"the{catalog}catalogue" in description
    for key in ("resolved_info", "identifier", "dataset", "adql", "table"):
        if result.meta.get(key):
            text = f"{key}={result.meta[key]}"
            assert text in infos["query"].value, key
            assert "".join(text.split()) in description, key


#: (result, column, UCD): positions, errors, times, rates, fluxes, exposures, identifiers.
EXPECTED_UCDS = [
    ("upper_limits", "ObsID", "meta.id;obs"),
    ("upper_limits", "StartTime", "time.start"),
    ("upper_limits", "StopTime", "time.end"),
    ("upper_limits", "Total_UpperLimit", "phot.count;stat.max"),
    ("upper_limits", "Total_Rate", "phot.count"),
    ("upper_limits", "Total_RatePos", "stat.error;phot.count"),
    ("upper_limits", "SourceExposure", "time.duration;obs.exposure"),
    ("upper_limit_fluxes", "Total_FluxUpperLimit", "phot.flux;stat.max"),
    ("upper_limit_fluxes", "Total_FluxNeg", "stat.error;phot.flux"),
    ("query_object", "RA", "pos.eq.ra;meta.main"),
    ("query_object", "Decl", "pos.eq.dec;meta.main"),
    ("query_object", "coord_ra", "pos.eq.ra"),         # the main position is RA/Decl
    ("query_object", "ExposureUsed", "time.duration;obs.exposure"),
    ("query_object", "DatasetID", "meta.id;meta.dataset"),
    ("query_object", "distance", "pos.angDistance"),
    ("cross_matches", "Ext_RA", "pos.eq.ra"),
    ("cross_matches", "Ext_Err90", "stat.error;pos"),
    ("source_record", "IAUName", "meta.id;meta.main"),
    ("source_record", "Err90", "stat.error;pos"),
    ("source_record", "Rate_band0_neg", "stat.error;phot.count"),
    ("source_record", "PowFlux", "phot.flux"),
    ("source_record", "FirstObsDate", "time.start"),
    ("source_record", "LastObsMET", "time.end"),
    ("lc_rates_tdb", "time", "time.epoch"),
    ("lc_rates_tdb", "TimePos", "time.interval"),
    ("lc_rates_tdb", "Rate", "phot.count"),
    ("lc_rates_tdb", "RateNeg", "stat.error;phot.count"),
    ("lc_rates_tdb", "Exposure", "time.duration;obs.exposure"),
    ("lc_limits_tdb", "UpperLimit", "phot.count;stat.max"),
    ("lc_fluxes", "Flux", "phot.flux"),
    ("lc_fluxes", "FluxPos", "stat.error;phot.flux"),
    ("spectral_fits", "ObsFlux", "phot.flux"),
    ("spectral_fits", "NH", "phys.columnDensity"),
    ("image_list", "url", "meta.ref.url"),
]


def test_fields_carry_ucds(sxps, tmp_path, fake_tap):
    written = {}
    for kind, column, ucd in EXPECTED_UCDS:
        if kind not in written:
            path = tmp_path / f"{kind}.vot"
            RESULTS[kind](sxps, tmp_path).write(path, format="votable")
            written[kind] = {f.name: f.ucd for f in _parse(path).get_first_table().fields}
        assert written[kind][column] == ucd, (kind, column)


def test_every_ucd_rule_gives_valid_ucds():
    for _, ucd in UCD_RULES:
        assert check_ucd(ucd, check_controlled_vocabulary=True), ucd
    # errors of quantities whose word cannot follow stat.error get stat.error alone
    assert column_ucd("SNR_pos") == "stat.error"
    assert column_ucd("HR1_neg") == "stat.error;phot.count"
    assert column_ucd("no_such_column") is None


def test_plain_readers_see_columns_with_units_and_no_mixins(sxps, tmp_path):
    """What TOPCAT or astropy's own reader sees: RA/Dec in degrees, MJD numbers, JSON text."""
    obs = _quiet(sxps.get_source_details, source_id=11375)["Detections"]["Observations"]
    obs.write(tmp_path / "obs.vot", format="votable")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = Table.read(tmp_path / "obs.vot", format="votable")
    assert not any(isinstance(plain[c], (SkyCoord, Time)) for c in plain.colnames)
    np.testing.assert_array_equal(plain["coord_ra"], obs["coord"].ra.deg)
    assert plain["coord_dec"].unit == u.deg
    assert json.loads(plain["Total_Info"][0]) == obs["Total_Info"][0]
    assert plain["Exposure"].unit == u.s


def test_erg_units_are_written_without_warnings(tmp_path):
    table = finish_table(Table({"Flux": [1e-12, 2e-12] * u.erg / u.cm ** 2 / u.s,
                                "ECF": [4.5e-11] * 2 * u.erg / u.cm ** 2 / u.ct}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table.write(tmp_path / "f.vot", format="votable")
        back = SXPSTable.read(tmp_path / "f.vot", format="votable")
    assert back["Flux"].unit == u.erg / u.cm ** 2 / u.s
    assert back["ECF"].unit == u.erg / u.cm ** 2 / u.ct
    # the file says erg (VOUnit's deprecated but recognised form), not another unit
    text = (tmp_path / "f.vot").read_text()
    assert 'unit="erg.s**-1.cm**-2"' in text and 'unit="erg.count**-1.cm**-2"' in text


def test_other_votables_read_with_their_time_systems(tmp_path):
    """A VOTable from another tool: FIELDs referring to a TIMESYS become Time columns
    (JD or MJD origin, the scale named), INFO elements become meta."""
    path = tmp_path / "other.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results">
<TIMESYS ID="tt" timeorigin="JD-origin" timescale="TT" refposition="TOPOCENTER"/>
<TABLE><INFO name="origin" value="someone else"/>
<FIELD name="obs_time" datatype="double" unit="d" ref="tt" ucd="time.epoch"/>
<FIELD name="flux" datatype="double" unit="mW.m**-2"/>
<DATA><TABLEDATA>
<TR><TD>2451545.0</TD><TD>1.5</TD></TR>
<TR><TD/><TD>NaN</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
""")
    table = SXPSTable.read(path, format="votable")
    assert isinstance(table["obs_time"], Time) and table["obs_time"].scale == "tt"
    assert table["obs_time"][0] == Time("J2000", scale="tt")
    assert table["obs_time"].mask[1]
    assert table.meta["origin"] == "someone else"
    assert table["flux"].unit == u.mW / u.m ** 2


def test_light_curves_in_a_series_round_trip_as_time_series(sxps, tmp_path):
    """A TimeSeries-based result comes back as one, ``time`` first (astropy's rule)."""
    lc = _lc("Total_rates")(sxps, tmp_path)
    back = assert_round_trip(lc, tmp_path / "lc.vot", "votable", "lc")
    assert isinstance(back, TimeSeries) and back.colnames[0] == "time"
    assert back.dataset == "Total_rates" and not back.is_upper_limit


def test_rows_are_not_written_by_astropys_c_writer(monkeypatch, sxps, tmp_path):
    """astropy's C TABLEDATA writer can overrun its row buffer (see astroquery_sxps._votable);
    the cross-match table of 129723 hit it. The rows are written by astropy's Python writer."""
    from astropy.io.votable import tree

    def c_writer(*args, **kwargs):
        raise AssertionError("astropy's C TABLEDATA writer was used")
    monkeypatch.setattr(tree.tablewriter, "write_tabledata", c_writer)
    table = _quiet(sxps.get_source_details, source_id=11375)["CrossMatch"]
    back = assert_round_trip(table, tmp_path / "xm.vot", "votable", "cross_matches")
    assert len(back) == 13


def test_a_damaged_file_is_refused_with_a_clear_error(tmp_path):
    table = finish_table(Table({"t": Time(["2020-01-01"]), "x": [1.0]}), {"catalog": "LSXPS"})
    table.write(tmp_path / "ok.vot", format="votable")
    text = (tmp_path / "ok.vot").read_text()
    # the column layout names a column the table does not have
    quoted = "&quot;{}&quot;: {{&quot;kind&quot;: &quot;time&quot;"      # in the XML
    assert quoted.format("t") in text
    (tmp_path / "bad.vot").write_text(text.replace(quoted.format("t"),
                                                   quoted.format("nothing")))
    with pytest.raises(ValueError, match="damaged.*sxps_columns"):
        SXPSTable.read(tmp_path / "bad.vot", format="votable")
