"""VOTable for every result: UCDs on the fields, and what VOTable cannot hold converted.

astropy's VOTable writer refuses `~astropy.coordinates.SkyCoord`,
`~astropy.time.Time` and object columns, and keeps nothing of ``meta``. The
writer registered here for `~astroquery_sxps.SXPSTable` and
`~astroquery_sxps.SXPSLightCurve` (``table.write('x.vot', format='votable')``)
writes instead:

* a SkyCoord column ``c`` as two columns ``c_ra``, ``c_dec`` (ICRS, deg);
* a Time column as a number, the MJD in the column's own time scale (unit d),
  its FIELD referring to a VOTable 1.4 ``TIMESYS`` element that names the scale
  (``timescale="UTC"``/``"TDB"``...) and the origin (``MJD-origin``); a
  TimeDelta column as days;
* object columns (the dicts of details tables) as JSON text;
* a UCD on every field that `column_ucd` knows (positions, errors, times,
  rates, fluxes, exposures, identifiers...: `UCD_RULES`);
* the catalogue and the query as ``INFO`` elements and in the table's
  ``DESCRIPTION``, every simple ``meta`` value as an ``INFO``, and the whole
  ``meta`` (with its tables, positions, quantities and times) as the YAML of
  an ECSV header in the ``INFO`` named `META_INFO`.

The reader (``SXPSTable.read('x.vot')``, ``SXPSLightCurve.read(...)``) turns
all of it back: SkyCoord, Time (scale and format) and object columns, NaN
and masked values as written, ``meta`` as it was. Any VOTable tool (TOPCAT,
Aladin, pyvo, astropy's own reader) reads the file as plain columns with
units, UCDs and time systems.
"""
import contextlib
import functools
import json
import re
import warnings
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io import registry
from astropy.io.misc import yaml
from astropy.io.votable import parse
from astropy.io.votable.tree import Info, TimeSys, VOTableFile
from astropy.io.votable.ucd import check_ucd
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time, TimeDelta
from yaml import YAMLError

from ._results import (SXPSTable, decode_tables, encode_tables, fits_meta, float_column_read_back,
                       format_columns, is_object_column, json_object_column, json_text_column,
                       masked_nan_rows, writable_meta)

__all__ = ["UCD_RULES", "column_ucd", "field_ucds", "votable_tree", "write_votable",
           "read_votable", "META_INFO", "COLUMNS_INFO", "QUERY_KEYS"]

#: Column name -> UCD (IVOA UCD1+), the first rule that matches wins. An error column
#: (``Rate_band0_pos``, ``RatePos``, ``GammaNeg``, ``HRErr``...) that no rule names gets
#: ``stat.error;`` + the first word of its value column's UCD (``stat.error`` alone where
#: that word cannot follow, as UCD1+ says). Only the first column of a UCD keeps
#: ``meta.main`` (``RA`` over the ``coord_ra`` made from the same position).
UCD_RULES = tuple((re.compile(pattern), ucd) for pattern, ucd in (
    # positions and their errors
    (r"^(RA|ra|RAJ2000|RA_ICRS|coord_ra)$", "pos.eq.ra;meta.main"),
    (r"^(Decl|Dec|dec|DEJ2000|DE_ICRS|coord_dec)$", "pos.eq.dec;meta.main"),
    (r"(RA|_ra|RA_corrected|CRVAL1_corr)$", "pos.eq.ra"),
    (r"(Decl|Dec|_dec|Decl_corrected|CRVAL2_corr)$", "pos.eq.dec"),
    (r"(Err90|Err90_corrected|AstromError)$", "stat.error;pos"),
    (r"^(Distance|distance|separation|Nearest(OK)?Neighbour)$", "pos.angDistance"),
    (r"^l$", "pos.galactic.lon"),
    (r"^b$", "pos.galactic.lat"),
    # times
    (r"^Time(Pos|Neg)$", "time.interval"),
    (r"^(StartTime|FirstObs|FirstDet|FirstBlindDet|lcRanges_(MET|MJD|TDB)_lo)", "time.start"),
    (r"^(StopTime|LastObs|LastDet|LastBlindDet|lcRanges_(MET|MJD|TDB)_hi)", "time.end"),
    (r"^(time|MET|MidTime\w*|MeanTime|\w*Date|DetectionMET|WhenAdded|WhenModified)$",
     "time.epoch"),
    (r"^(Exposure|ExposureUsed|OriginalExposure|SourceExposure|ImageExposure)$",
     "time.duration;obs.exposure"),
    (r"^FracExp$", "arith.factor;obs.exposure"),
    # count rates, upper limits, fluxes, counts
    (r"^(\w+_)?FluxUpperLimit$|^FluxUL_band\d$", "phot.flux;stat.max"),
    (r"^(\w+_)?(UpperLimit|UL_band\d)$|UpperLimit$", "phot.count;stat.max"),
    (r"^BGrate$", "phot.count;instr.background"),
    (r"^BGerr$", "stat.error;phot.count"),
    (r"^((\w+_)?Rate|(Peak)?Rate_band\d|PeakRateAtDetection|PeakSoftMedBandRateAtDetection)$",
     "phot.count"),
    (r"Flux(_band\d)?$", "phot.flux"),
    (r"^(\w+_BGCounts|BgCounts_band\d|BGInSrc|FieldBG_band\d|MedianBG)$",
     "phot.count;instr.background"),
    (r"^(\w+_Counts|Counts_band\d|CtsInSrc)$", "phot.count"),
    (r"^HR\d?$", "phot.count;arith.ratio"),
    (r"(ECF[OU]?|CorrFact|CorrectionFactor|RateCF(_band\d)?)$", "arith.factor"),
    # spectral fits
    (r"(NH|GalacticNH)$", "phys.columnDensity"),
    (r"(kT|KT)$", "phys.temperature"),
    (r"Gamma$", "spect.index"),
    (r"^(SNR|Significance)$", "stat.snr"),
    (r"^(Cstat|\w+Cstat)$", "stat.fit.goodness"),
    (r"^(FitChi|\w+ReducedChi2)$", "stat.fit.chi2"),
    (r"^(Dof|\w+(DOF|Dof))$", "stat.fit.dof"),
    (r"^Pvar", "src.var;stat.probability"),
    # identifiers, flags, files
    (r"^(IAUName|LSXPSName|SourceName|Name|name|source|LSXPS_ID|TransientID)$",
     "meta.id;meta.main"),
    (r"^(2SXPS_ID|SourceID|sourceID|ObsSourceID|DetectionID|BestDetectionID|ExtCat_ID|"
     r"\w+_ID|\w+_name)$", "meta.id"),
    (r"^(ObsID|obsid|\w+_ObsID|DiscoveryObs|target_id|TargetID)$", "meta.id;obs"),
    (r"^(DatasetID|DiscoveryDatasetID)$", "meta.id;meta.dataset"),
    (r"(Flag(_band\d)?|Warning)$", "meta.code.qual"),
    (r"^(url|Image|URL)$", "meta.ref.url"),
    (r"^(file_name|plot_file|file)$", "meta.id;meta.file"),
    (r"^(Num\w*|MergedBins)$", "meta.number"),
    (r"^(Catalogue|catalog)$", "meta.id;meta.dataset"),
    (r"^(Classification|Class|InitialClass)$", "src.class"),
    (r"^Notes$", "meta.note"),
))
_ERROR_SUFFIX = re.compile(r"(_pos|_neg|Pos|Neg|Err|err)$")

#: The INFO holding the whole ``meta`` (YAML, as in an ECSV header).
META_INFO = "sxps_meta"
#: The INFO saying how each column was written (JSON), for the reader.
COLUMNS_INFO = "sxps_columns"
#: ``meta`` keys that describe the query (written as the ``query`` INFO and in the
#: table's description), in this order.
QUERY_KEYS = ("identifier", "position", "resolved_info", "search_radius", "table", "subset",
              "epoch", "bands", "which_data", "sigma", "detections_as_rates", "dataset",
              "time_format", "binning", "adql", "server_file")
#: VOTable time scales (the IVOA vocabulary) of astropy's scales.
_TIMESCALES = {"utc": "UTC", "tt": "TT", "tai": "TAI", "tdb": "TDB", "tcb": "TCB",
               "tcg": "TCG", "ut1": "UT1", "local": "UNKNOWN"}
_BARYCENTRIC = ("tdb", "tcb")

# VOUnit 1.0 lists erg among the deprecated units that VO parsers still recognise. X-ray
# fluxes and ECFs are conventionally quoted in erg / (cm2 s) and erg / (cm2 ct), and
# TOPCAT, pyvo and astropy read that unit, so it is written as it is; astropy's warning
# about it (this one only) is silenced while writing and reading.
_ERG_WARNING = r"The unit 'erg' has been deprecated in the VOUnit standard"


@contextlib.contextmanager
def _quiet_units():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_ERG_WARNING, category=u.UnitsWarning)
        yield


# -- UCDs -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def column_ucd(name):
    """The UCD of a column by its name (`UCD_RULES`), or None.

    Examples
    --------
    >>> from astroquery_sxps._votable import column_ucd
    >>> [column_ucd(n) for n in ('RA', 'Total_UpperLimit', 'Rate_band0_pos', 'Exposure')]
    ['pos.eq.ra;meta.main', 'phot.count;stat.max', 'stat.error;phot.count', 'time.duration;obs.exposure']
    """
    name = str(name)
    for pattern, ucd in UCD_RULES:
        if pattern.search(name):
            return ucd
    base = _ERROR_SUFFIX.sub("", name)
    if base != name and base:
        value = column_ucd(base)
        if value is not None:
            error = "stat.error;" + value.split(";")[0]
            return error if check_ucd(error, check_controlled_vocabulary=True) \
                else "stat.error"
    return None


def field_ucds(names):
    """``{name: UCD}`` of the columns ``names`` that have one; ``meta.main`` only on the
    first column of each UCD."""
    out, seen = {}, set()
    for name in names:
        ucd = column_ucd(name)
        if ucd is None:
            continue
        if ucd.endswith(";meta.main"):
            primary = ucd[:-len(";meta.main")]
            if primary in seen:
                ucd = primary
            seen.add(primary)
        out[name] = ucd
    return out


# -- writing ----------------------------------------------------------------------------
def _time_note(scale):
    """The description of a Time column written as MJD, for readers that ignore TIMESYS."""
    return f"MJD ({scale.upper()})"


def _numeric(values, mask, unit, name, description):
    data = np.asarray(values, dtype=float)
    if mask is not None and np.any(mask):
        return MaskedColumn(data, name=name, mask=mask, unit=unit, description=description)
    return Column(data, name=name, unit=unit, description=description)


def _plain_columns(table):
    """(a Table astropy's VOTable writer takes, {column: how it was written}, Time scales
    by column written, {masked float column: the rows that are NaN, not masked})."""
    out = Table()
    specs, scales, masked = {}, {}, {}
    for name in table.colnames:
        col = table[name]
        description = getattr(col.info, "description", None)
        if isinstance(col, SkyCoord):
            icrs = col.icrs
            names = [f"{name}_ra", f"{name}_dec"]
            clash = [n for n in names if n in table.colnames]
            if clash:
                raise ValueError(f"Cannot write the SkyCoord column {name!r} as "
                                 f"{names}: the table already has {clash}.")
            out[names[0]] = Column(icrs.ra.deg, unit=u.deg, description=f"{name}: RA (ICRS)")
            out[names[1]] = Column(icrs.dec.deg, unit=u.deg,
                                   description=f"{name}: Dec (ICRS)")
            specs[name] = {"kind": "skycoord", "frame": col.frame.name, "columns": names}
        elif isinstance(col, TimeDelta):
            days = col.to_value(u.d)
            out[name] = _numeric(getattr(days, "unmasked", days),
                                 np.asarray(col.mask) if col.masked else None, u.d, name,
                                 description)
            specs[name] = {"kind": "timedelta", "format": col.format}
        elif isinstance(col, Time):
            mjd = col.mjd
            note = _time_note(col.scale)
            out[name] = _numeric(getattr(mjd, "unmasked", mjd),
                                 np.asarray(col.mask) if col.masked else None, u.d, name,
                                 f"{description}; {note}" if description else note)
            specs[name] = {"kind": "time", "format": col.format, "scale": col.scale}
            scales[name] = col.scale
        elif is_object_column(col):
            out[name] = json_text_column(col)
            specs[name] = {"kind": "json"}
        else:
            out[name] = col
            specs[name] = {"kind": "column"}
            nan_rows = masked_nan_rows(col)
            if nan_rows is not None:     # VOTable's one null for floats is NaN
                masked[name] = nan_rows
    return out, specs, scales, masked


def _meta_text(value):
    if isinstance(value, (list, tuple)):
        return json.dumps(value)
    return str(value)


def _query(meta):
    """``key=value; ...`` of the `QUERY_KEYS` in ``meta`` (values as text)."""
    parts = []
    for key in QUERY_KEYS:
        value = meta.get(key)
        if value is not None and value != "":
            parts.append(f"{key}={_meta_text(value)}")
    return "; ".join(parts)


def _description(meta, query):
    what = meta.get("table") or meta.get("dataset")
    text = "astroquery_sxps result"
    if meta.get("catalog"):
        text += f" from the {meta['catalog']} catalogue"
    if what:
        text += f" ({what})"
    return text + (f": {query}" if query else "")


def _add_info(element, name, value, content=None):
    # an XML ID of its own, apart from the FIELDs' (which are the column names)
    ident = "info_" + re.sub(r"\W", "_", name)
    if any(info.ID == ident for info in element.infos):
        ident += f"_{len(element.infos)}"
    info = Info(ID=ident, name=name, value=value)
    if content is not None:
        info.content = content
    element.infos.append(info)


def votable_tree(table, table_id=None):
    """``table`` as an astropy `~astropy.io.votable.tree.VOTableFile` (see the module's
    description): what `write_votable` writes; ``table_id`` is the TABLE's ID."""
    plain, specs, scales, masked = _plain_columns(table)
    meta = dict(table.meta)
    with _quiet_units():
        votable = VOTableFile.from_table(plain)
    resource = votable.resources[0]
    element = resource.tables[0]
    name = meta.get("table") or meta.get("dataset")
    if isinstance(name, str) and name:
        element.name = name
    if table_id is not None:
        element.ID = table_id
    systems = {}
    for scale in dict.fromkeys(scales.values()):
        systems[scale] = TimeSys(
            ID=f"timesys_{scale}", timescale=_TIMESCALES.get(scale, "UNKNOWN"),
            refposition="BARYCENTER" if scale in _BARYCENTRIC else "TOPOCENTER",
            timeorigin="MJD-origin", config={"version_1_4_or_later": True})
        resource.time_systems.append(systems[scale])
    ucds = field_ucds(plain.colnames)
    for field in element.fields:
        if field.name in ucds:
            field.ucd = ucds[field.name]
        if field.name in scales:
            field.ref = systems[scales[field.name]].ID
    header, _ = fits_meta(meta)       # the simple values, positions etc. as text
    query = _query(header)
    element.description = _description(meta, query)
    _add_info(element, "QUERY_STATUS", "OK")
    if meta.get("catalog"):
        _add_info(element, "catalog", str(meta["catalog"]))
    if query:
        _add_info(element, "query", query)
    for key, value in header.items():
        if key not in ("catalog", "comments", "history") and value is not None:
            _add_info(element, str(key), _meta_text(value))
    _add_info(element, COLUMNS_INFO, json.dumps({"columns": specs, "masked": masked}))
    _add_info(element, META_INFO, "the table's meta as YAML (an ECSV header's)",
              yaml.dump(encode_tables(writable_meta(meta))))
    return votable


def write_votable(table, output, table_id=None, *, overwrite=False, tabledata_format=None,
                  **kwargs):
    """Write a result as a VOTable (registered as the ``votable`` writer of `SXPSTable`
    and `~astroquery_sxps.SXPSLightCurve`); see the module's description.

    Parameters
    ----------
    table : `~astropy.table.Table`
        Any table (SkyCoord, Time and object columns are converted).
    output : str, path-like or file-like
    table_id : str, optional
        The TABLE's ID (as for astropy's VOTable writer).
    overwrite : bool
        Replace an existing file.
    tabledata_format : {'tabledata', 'binary', 'binary2'}, optional
        astropy's serialisation of the rows (default ``tabledata``, text).
    """
    if kwargs:
        raise TypeError(f"Unexpected options for the VOTable writer: {sorted(kwargs)}.")
    if isinstance(output, str) or hasattr(output, "__fspath__"):
        if Path(output).exists() and not overwrite:
            raise OSError(f"File {output} already exists. If you mean to replace it then "
                          "use the argument 'overwrite=True'.")
        output = str(Path(output))
    votable = votable_tree(table, table_id)
    with _quiet_units():
        # astropy's C writer of TABLEDATA can overrun its row buffer and corrupt memory
        # (https://github.com/astropy/astropy/issues/20419, open for astropy 8.0): the
        # rows are written by astropy's own Python writer instead (slower: for large
        # tables, tabledata_format='binary2' is much faster and as exact)
        votable.to_xml(output, tabledata_format=tabledata_format,
                       _debug_python_based_parser=True)


# -- reading ----------------------------------------------------------------------------
def _floats(col):
    """A numeric column as a plain float array, NaN where it is null."""
    data = col.filled(np.nan) if np.ma.isMaskedArray(col) else col
    return np.array(data, dtype=float)


def _restore_time(table, name, field, timesys, spec):
    """The numeric column ``name`` referring to ``timesys`` as a Time (its format as
    written, when we wrote it)."""
    col = table[name]
    origin = str(timesys.timeorigin)
    if origin == "MJD-origin":
        fmt, offset = "mjd", 0.0
    elif origin == "JD-origin":
        fmt, offset = "jd", 0.0
    else:
        fmt, offset = "jd", float(origin)      # a JD origin of its own: values are days
    scale = {v: k for k, v in _TIMESCALES.items()}.get(str(timesys.timescale).upper(), "utc")
    mask = np.ma.getmaskarray(col) if np.ma.isMaskedArray(col) else None
    values = _floats(col) + offset
    if spec is not None:
        scale = spec.get("scale", scale)
    time = Time(np.where(mask, 0.0, values) if mask is not None else values,
                format=fmt, scale=scale)
    if mask is not None and mask.any():
        time[mask] = np.ma.masked
    if spec is not None and spec.get("format") not in (None, fmt):
        time.format = spec["format"]
    note = _time_note(scale)
    description = " ".join((field.description or "").split())    # XML may wrap the text
    if not description or description == note:
        description = None
    elif description and description.endswith(f"; {note}"):
        description = description[:-len(note) - 2]
    time.info.description = description
    return time


def _restore(table, element, votable, layout):
    """Undo `_plain_columns` on ``table`` (as astropy read it) with ``layout`` (the
    COLUMNS_INFO), or with the TIMESYS references alone for other VOTables."""
    specs = layout.get("columns") or {}
    masked = layout.get("masked") or {}
    for field in element.fields:
        name = field.name
        if field.ref is None or name not in table.colnames:
            continue
        try:
            timesys = votable.get_timesys_by_id(field.ref)
        except KeyError:
            continue
        table[name] = _restore_time(table, name, field, timesys, specs.get(name))
    out = Table()
    for name, spec in (specs.items() if specs else ((n, {}) for n in table.colnames)):
        kind = spec.get("kind")
        if kind == "skycoord":
            ra, dec = (_floats(table[c]) for c in spec["columns"])
            coord = SkyCoord(ra * u.deg, dec * u.deg, frame="icrs")
            out[name] = coord if spec.get("frame") in (None, "icrs") \
                else coord.transform_to(spec["frame"])
        elif kind == "timedelta":
            col = table[name]
            delta = TimeDelta(_floats(col), format="jd")
            if np.ma.isMaskedArray(col) and np.ma.getmaskarray(col).any():
                delta[np.ma.getmaskarray(col)] = np.ma.masked
            delta.format = spec.get("format", "jd")
            out[name] = delta
        elif kind == "json":
            out[name] = json_object_column(table[name])
        else:
            col = table[name]
            if specs and isinstance(col, MaskedColumn) and col.dtype.kind == "f":
                col = float_column_read_back(col, masked.get(name))
            out[name] = col
    return out


def read_votable(source, table_id=None, *, cls=None, **kwargs):
    """Read a VOTable written by `write_votable` back into a result (default `SXPSTable`).

    SkyCoord, Time (with the scale of its TIMESYS and the format it had) and
    object columns come back, NaN and masked values as written, and ``meta``
    as it was. Other VOTables are read too: their columns referring to a
    TIMESYS become Time columns, their INFO elements ``meta`` entries.

    Parameters
    ----------
    source : str, path-like or file-like
    table_id : str or int, optional
        The TABLE to read (its ID or index), default the first.
    cls : type, optional
        `SXPSTable` or `~astroquery_sxps.SXPSLightCurve`.
    **kwargs
        Passed to astropy's `~astropy.io.votable.parse`.
    """
    kwargs.pop("use_names_over_ids", None)
    with _quiet_units():
        votable = parse(source, **kwargs)
        if table_id is None:
            element = votable.get_first_table()
        elif isinstance(table_id, int):
            element = list(votable.iter_tables())[table_id]
        else:
            element = votable.get_table_by_id(table_id)
        table = element.to_table(use_names_over_ids=True)
    infos = {info.name: info for info in element.infos}
    try:        # the file's own account of itself: a damaged one is refused, not guessed at
        layout = json.loads(infos[COLUMNS_INFO].value) if COLUMNS_INFO in infos else {}
        out = _restore(table, element, votable, layout)
        if META_INFO in infos:
            meta = decode_tables(yaml.load(infos[META_INFO].content or "{}") or {})
        else:
            meta = {name: info.value for name, info in infos.items()}
    except (KeyError, IndexError, TypeError, ValueError, AttributeError,
            YAMLError) as exc:
        raise ValueError(f"{source} is not a VOTable as astroquery_sxps writes them, or it "
                         f"is damaged: its {COLUMNS_INFO}/{META_INFO} INFO does not match "
                         f"its table ({type(exc).__name__}: {exc}).") from exc
    if not isinstance(meta, dict):
        raise ValueError(f"{source}: the {META_INFO} INFO does not hold a mapping.")
    result = (cls or SXPSTable)(out, copy=False)
    result.meta = meta
    return format_columns(result)


registry.register_writer("votable", SXPSTable, write_votable)
registry.register_reader("votable", SXPSTable, read_votable)
