"""What every table result gets at the end of parsing, in one place.

Every parser that returns a table ends with `finish_table` (light curves, which
are `~astropy.timeseries.TimeSeries`, with `finish_timeseries`):

* **display formats** on float columns (`display_format`): printed tables show
  a sensible number of digits (``2.42257e+22``, ``0.06610299``,
  ``253332997``), positions at catalogue precision; the values themselves are
  untouched, and ECSV files keep every digit;
* **meta keys** in lower snake_case (`meta_key`: ``TimeFormat`` ->
  ``time_format``, ``IAUName`` -> ``iau_name``);
* **meta values as Python values**: NumPy scalars become Python numbers and
  strings (`plain`), so that keys and messages never read ``np.int64(3)``;
* the class `SXPSTable`, an astropy `~astropy.table.Table` whose ECSV and FITS
  writers (registered with astropy's I/O registry, used by ``table.write``)
  also write what those formats cannot hold by themselves: object columns of
  dicts (details tables), tables inside ``meta`` (``det_data``) and, for FITS,
  positions, quantities and times in ``meta`` (as text).

The VOTable writer and reader of every result, with the UCDs of its columns,
live beside this module in `astroquery_sxps._votable` (they use the helpers
here: `encode_tables`, `json_text_column`, `masked_nan_rows`...).
"""
import functools
import io
import json
import math
import numbers
import os
import re
import warnings

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io import registry
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time

__all__ = ["SXPSTable", "finish_table", "finish_timeseries", "format_columns",
           "display_format", "float_column", "meta_key", "writable_meta", "plain", "format_position",
           "column_unit", "fits_meta", "write_fits", "read_fits", "encode_tables",
           "decode_tables", "is_object_column", "json_text_column", "json_object_column",
           "masked_nan_rows", "float_column_read_back", "ANGLE_FORMAT"]

#: Display format of a SkyCoord column: degrees at catalogue precision (6 decimals,
#: 4 mas; LSXPS positions carry errors of arcseconds).
ANGLE_FORMAT = "{0.ra.deg:.6f},{0.dec.deg:.6f}"


# -- values and keys ---------------------------------------------------------------
def plain(value):
    """A NumPy scalar as the Python value (``np.int64(3)`` -> ``3``); anything else unchanged.

    Identifiers taken from table columns are NumPy scalars; as dict keys and in
    messages they should read as the numbers and strings they are.

    Examples
    --------
    >>> import numpy as np
    >>> from astroquery_sxps._results import plain
    >>> plain(np.int64(3)), plain(np.str_('a')), plain('b')
    (3, 'a', 'b')
    """
    return value.item() if isinstance(value, np.generic) else value


_ACRONYM_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z]{2,})")
_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")


def meta_key(name):
    """A ``meta`` key in lower snake_case, the convention of every result.

    Examples
    --------
    >>> from astroquery_sxps._results import meta_key
    >>> [meta_key(k) for k in ('TimeFormat', 'IAUName', 'URLs', 'T0', 'GalNH_unfitted')]
    ['time_format', 'iau_name', 'urls', 't0', 'gal_nh_unfitted']
    """
    name = str(name)
    if name.startswith("__"):           # astropy's own keys (__attributes__...)
        return name
    text = _LOWER_UPPER.sub("_", _ACRONYM_WORD.sub("_", name))
    return re.sub(r"_+", "_", text).lower()


def writable_meta(value):
    """``value`` with what ECSV's YAML header cannot hold turned into what it can.

    Paths become strings, NumPy scalars Python scalars, tuples lists and tuple
    dict keys ``'a/b/c'`` strings (recursively). Quantities, SkyCoords, Times
    and tables are kept: astropy's YAML writes the first three and
    `SXPSTable`'s writers the tables.
    """
    if isinstance(value, dict):
        return {(("/".join(str(plain(k)) for k in key)) if isinstance(key, tuple)
                 else plain(key)): writable_meta(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [writable_meta(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, np.ndarray) and not isinstance(value, u.Quantity):
        return [writable_meta(v) for v in value.tolist()]
    return plain(value)


def format_position(coord):
    """A position as text at catalogue precision, for messages and reprs.

    Examples
    --------
    >>> from astropy.coordinates import SkyCoord
    >>> from astroquery_sxps._results import format_position
    >>> format_position(SkyCoord(266.36300514, -29.03815, unit='deg'))
    '17h45m27.12s -29d02m17.3s (266.363005 -29.038150 deg)'
    """
    icrs = coord.icrs
    ra = icrs.ra.to_string(unit=u.hourangle, precision=2)
    dec = icrs.dec.to_string(unit=u.deg, precision=1, alwayssign=True)
    return f"{ra} {dec} ({icrs.ra.deg:.6f} {icrs.dec.deg:.6f} deg)"


# -- units by the SXPS naming conventions --------------------------------------------
_FLUX = u.erg / u.cm ** 2 / u.s
#: Named units (the names the server uses in details records and tables).
_NAMED_UNITS = {
    "RA": u.deg, "Decl": u.deg, "RA_corrected": u.deg, "Decl_corrected": u.deg,
    "Ext_RA": u.deg, "Ext_Decl": u.deg, "Ext_Dec": u.deg, "l": u.deg, "b": u.deg,
    "TargetObjectRA": u.deg, "TargetObjectDec": u.deg, "CRVAL1_corr": u.deg,
    "CRVAL2_corr": u.deg, "CROTA2_corr": u.deg,
    "Err90": u.arcsec, "Err90_corrected": u.arcsec, "Ext_Err90": u.arcsec,
    "Distance": u.arcsec, "NearestNeighbour": u.arcsec, "NearestOKNeighbour": u.arcsec,
    "AstromError": u.arcsec, "MedianDist_band0": u.arcsec, "MedianDist_band1": u.arcsec,
    "MedianDist_band2": u.arcsec, "MedianDist_band3": u.arcsec,
    "OffAxisAngle": u.arcmin, "MeanOffAxisAngle": u.arcmin,
    "Exposure": u.s, "ExposureUsed": u.s, "OriginalExposure": u.s,
}
_RULES = (
    (re.compile(r"^(Peak)?Rate(_band\d)?$|^(Rate|PeakRate|UL)_(band\d|HR\d)"), u.ct / u.s),
    (re.compile(r"(^Exposure|ExposureUsed|MET$|_MET$|MET_(lo|hi)$|FirstObsMET|LastObsMET)"),
     u.s),
    (re.compile(r"^(Counts|BgCounts)_band\d"), u.ct),
    (re.compile(r"ECF[OU]?$"), u.erg / u.cm ** 2 / u.ct),
    (re.compile(r"Flux"), _FLUX),
    (re.compile(r"NH$"), u.cm ** -2),
    (re.compile(r"kT$"), u.keV),
)
_UNITLESS_PREFIXES = ("RateCF", "Pvar", "HR", "P_", "Fitted")


def column_unit(name):
    """Unit of a catalogue column or details value by the SXPS naming conventions.

    None if dimensionless or unknown. ``_pos``/``_neg`` error columns take the
    unit of their value column. The same rules serve the full tables, the
    query results and the details records, so that a value carries the same
    unit wherever it appears.

    Examples
    --------
    >>> from astroquery_sxps._results import column_unit
    >>> column_unit('Rate_band0_pos'), column_unit('PowECFO'), column_unit('HR1')
    (Unit("ct / s"), Unit("erg / (ct cm2)"), None)
    """
    base = re.sub(r"_(pos|neg)$", "", str(name))
    if base in _NAMED_UNITS:
        return _NAMED_UNITS[base]
    if base.startswith(_UNITLESS_PREFIXES) and not re.search(r"(Flux|NH|kT|ECF[OU])$", base):
        return None
    for pattern, unit in _RULES:
        if pattern.search(base):
            return unit
    return None


# -- display formats -------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _is_degree(unit):
    """``unit == deg``, remembered: comparing units costs more than the rest of a format."""
    return u.Unit(unit) == u.deg


def display_format(values, unit=None):
    """The display format of a float column, from its values (None: leave the default).

    Seven significant digits (``2.42257e+22``, ``0.06610299``), but never fewer
    than the whole integer part plus three decimals for large numbers such as
    Swift MET (``253332997.0000002`` shows as ``253332997``), and six
    decimals for angles in degrees (catalogue precision).

    Examples
    --------
    >>> import numpy as np
    >>> from astroquery_sxps._results import display_format
    >>> display_format(np.array([0.06610298728272222])), display_format(np.array([2.5e8]))
    ('.7g', '.12g')
    """
    values = np.asarray(getattr(values, "value", values))
    if values.dtype.kind != "f" or values.ndim != 1:
        return None
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size:
        return None
    biggest = float(finite.max())
    digits = int(math.floor(math.log10(biggest))) + 1 if biggest > 0 else 1
    if unit is not None and _is_degree(unit):
        return f".{max(digits, 1) + 6}g"
    if biggest >= 1e13:             # beyond any time or count: scientific notation
        return ".7g"
    return f".{max(7, digits + 3)}g"


def float_column(values, *, name=None, unit=None, mask=None):
    """A float `~astropy.table.Column` (`~astropy.table.MaskedColumn` with ``mask``)
    with its display format (`display_format`) given at construction.

    Readers build their float columns with it: a format set on a column later
    makes astropy format the column once to check it, which costs more than
    making the column (and readers of many objects make thousands).

    Examples
    --------
    >>> from astroquery_sxps._results import float_column
    >>> col = float_column([0.06610298728272222, 1.5], name='Rate')
    >>> col.info.format, col.pformat()[2]
    ('.7g', '0.06610299')
    """
    values = np.asarray(values, dtype=float)
    fmt = display_format(values, unit)
    if mask is None:
        return Column(values, name=name, unit=unit, format=fmt)
    return MaskedColumn(values, name=name, unit=unit, mask=mask, format=fmt)


def format_columns(table):
    """Set the display format of every float (and SkyCoord) column of ``table``, in place."""
    for name in table.colnames:
        col = table[name]
        if isinstance(col, SkyCoord):
            col.info.format = ANGLE_FORMAT
        elif isinstance(col, (Column, u.Quantity)) and not isinstance(col, Time) \
                and getattr(col, "dtype", None) is not None and col.dtype.kind == "f" \
                and col.info.format is None:
            fmt = display_format(np.ma.getdata(col), getattr(col, "unit", None))
            if fmt is not None:
                col.info.format = fmt
    return table


# -- the last step of every parser ---------------------------------------------------
def _plain_values(value):
    if isinstance(value, dict):
        return {plain(k): _plain_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_values(v) for v in value]
    return plain(value)


def _meta(meta):
    return {meta_key(key): _plain_values(value) for key, value in (meta or {}).items()}


def finish_table(table, meta=None, *, hide=()):
    """The last step of every parser that returns a table: an `SXPSTable`.

    Parameters
    ----------
    table : `~astropy.table.Table`
        The parsed table (its columns are not copied).
    meta : dict, optional
        Entries to add to ``meta``. Every key of the result's ``meta`` is
        made lower snake_case and NumPy scalars Python values; what a file
        cannot hold as it is (paths, tables) is converted when the table is
        written (`writable_meta`, `SXPSTable`).
    hide : sequence of str
        Columns left out of the printed view (long URLs): they stay in the
        table (``table.pprint_exclude_names``).

    Returns
    -------
    `SXPSTable`
    """
    if not isinstance(table, SXPSTable):
        table = SXPSTable(table, copy=False)
    combined = dict(table.meta)
    combined.update(meta or {})
    table.meta = _meta(combined)
    format_columns(table)
    hidden = [name for name in hide if name in table.colnames]
    if hidden:
        table.pprint_exclude_names.add(hidden)
    return table


def finish_timeseries(series, meta=None):
    """`finish_table` for a `~astropy.timeseries.TimeSeries` (its class is kept), in place."""
    combined = dict(series.meta)
    combined.update(meta or {})
    series.meta = _meta(combined)
    format_columns(series)
    return series


class SXPSTable(Table):
    """A table result of `astroquery_sxps`: an astropy `~astropy.table.Table`.

    Everything a Table does works. Writing it with ``table.write`` also keeps
    what ECSV and FITS cannot hold by themselves:

    * ECSV (``table.write('x.ecsv')``): tables in ``meta`` (such as
      ``det_data``) are written as nested ECSV text;
    * FITS (``table.write('x.fits')``): object columns of dicts or lists (the
      ``{Band}_Info`` columns of details tables) are written as JSON text,
      tables in ``meta`` as further table extensions, and ``meta`` values that
      a FITS header cannot hold (positions, quantities, times, dicts) as text;
    * VOTable (``table.write('x.vot', format='votable')``, see
      `astroquery_sxps._votable`): positions as RA/Dec columns in degrees,
      times as MJD with a TIMESYS naming their scale, object columns as JSON
      text, UCDs on the fields, the catalogue and the query in INFO elements
      and ``meta`` whole.

    ``SXPSTable.read`` reads them back into the same columns, units, times
    and ``meta`` (for FITS: ``meta`` keys in lower case and the non-header
    values as text); astropy's ``Table.read`` reads them too, with nested
    tables as ECSV text (ECSV), the object columns as JSON text (FITS,
    VOTable) and positions and times as plain columns (VOTable).

    Examples
    --------
    >>> from astroquery_sxps import SXPS, SXPSTable
    >>> ul = SXPS.query_upper_limit('77.969042, -62.324167')  # doctest: +REMOTE_DATA +IGNORE_WARNINGS
    >>> ul.write('ul.ecsv', overwrite=True)  # doctest: +REMOTE_DATA
    >>> back = SXPSTable.read('ul.ecsv')  # doctest: +REMOTE_DATA
    >>> back.meta['det_data']['SourceName'].tolist()  # doctest: +REMOTE_DATA
    ['LSXPS J051152.3-621925']
    """


# -- writing and reading ------------------------------------------------------------------
#: Marks a table held in ``meta`` when written to ECSV (the value: its ECSV text, as lines).
NESTED_TABLE = "__sxps_table_ecsv__"
#: Marks a column written as JSON text (in the column's ``meta``).
JSON_COLUMN = "sxps_json"
#: FITS header card listing the formats of the Time columns (JSON).
TIME_FORMATS_CARD = "SXPSTFMT"
#: FITS header card listing the float columns with masked values and, for each, the rows
#: that hold NaN (JSON, `masked_nan_rows`): FITS writes a masked float as NaN, so without
#: it NaN and masked could not be told apart on reading.
MASKED_CARD = "SXPSMASK"
#: EXTNAME prefix of the extensions holding the tables of ``meta`` in a FITS file.
META_EXTENSION = "META."


def _plain_table(table):
    """The same columns and meta as a plain Table (so that astropy's own writer runs)."""
    out = Table(table, copy=False)
    out.meta = dict(table.meta)
    return out


def _ecsv_text(table):
    buffer = io.StringIO()
    if isinstance(table, SXPSTable):
        _write_ecsv(table, buffer)
    else:
        table.write(buffer, format="ascii.ecsv")
    return buffer.getvalue()


def encode_tables(value):
    """``value`` with every Table in it (at any depth) as its ECSV text, for YAML
    (`decode_tables` undoes it). The ECSV and VOTable writers keep tables in ``meta``
    this way."""
    if isinstance(value, Table):
        # a list of lines: YAML would fold the line breaks of one long string
        return {NESTED_TABLE: _ecsv_text(value).splitlines()}
    if isinstance(value, dict):
        return {k: encode_tables(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode_tables(v) for v in value]
    return value


def decode_tables(value):
    """Undo `encode_tables`: the tables come back as `SXPSTable`."""
    if isinstance(value, dict):
        if set(value) == {NESTED_TABLE}:
            return _read_ecsv("\n".join(value[NESTED_TABLE]) + "\n")
        return {k: decode_tables(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_tables(v) for v in value]
    return value


def _write_ecsv(table, output, **kwargs):
    out = _plain_table(table)
    out.meta = encode_tables(writable_meta(dict(table.meta)))
    out.write(output, format="ascii.ecsv", **kwargs)


def _read_ecsv(source, **kwargs):
    table = SXPSTable(Table.read(source, format="ascii.ecsv", **kwargs), copy=False)
    table.meta = decode_tables(dict(table.meta))
    return table


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, u.Quantity):
        return {"value": writable_meta(value.value), "unit": value.unit.to_string()}
    if isinstance(value, Time):
        return value.utc.isot
    return str(value)


def _to_json(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "null"
    return json.dumps(value, default=_json_default, allow_nan=True)


def masked_nan_rows(col):
    """For a float column with masked values, the rows that hold NaN but are not masked;
    None for any other column.

    FITS and VOTable have one null for floats, NaN, so a file records these rows
    for `float_column_read_back` to tell NaN and masked apart again.
    """
    mask = getattr(col, "mask", None)       # MaskedColumn, or a masked Quantity
    if getattr(col, "dtype", None) is None or col.dtype.kind != "f" or mask is None \
            or not np.any(mask):
        return None
    values = np.asarray(getattr(col, "unmasked", np.ma.getdata(col)), dtype=float)
    return np.flatnonzero(np.isnan(values) & ~np.asarray(mask)).tolist()


def float_column_read_back(col, nan_rows=None):
    """A float column as written, from one read from FITS or VOTable (where NaN and
    masked values both come back masked): NaN in ``nan_rows`` (`masked_nan_rows`),
    masked in the other null rows; with ``nan_rows=None`` nothing was masked."""
    mask = np.array(np.ma.getmaskarray(col))
    if nan_rows is None:
        mask[:] = False
    else:
        mask[nan_rows] = False
    options = dict(name=col.info.name, unit=col.unit, description=col.info.description,
                   meta=col.info.meta)
    values = np.ma.filled(col, np.nan)
    return MaskedColumn(values, mask=mask, **options) if mask.any() else \
        Column(values, **options)


def is_object_column(col):
    """True for a column of Python objects (dicts, lists, None...)."""
    return getattr(col, "dtype", None) is not None and col.dtype.kind == "O"


def json_text_column(col):
    """An object column (dicts, lists, None) as a text column of JSON (``None`` ->
    ``'null'``), keeping its name and description; `json_object_column` undoes it."""
    return Column([_to_json(v) for v in col], name=col.info.name, dtype=str,
                  description=col.info.description)


def json_object_column(col):
    """A text column of JSON (as written by `json_text_column`) as an object column
    (an empty text is ``None``)."""
    data = Column(np.empty(len(col), dtype=object), name=col.info.name,
                  description=col.info.description)
    for i, text in enumerate(col):
        data[i] = json.loads(str(text)) if str(text) else None
    return data


def _header_value(value):
    """A ``meta`` value as something a FITS header holds: itself, or text."""
    value = plain(value)
    if value is None or isinstance(value, (str, bool, numbers.Integral)):
        return value
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(plain(v), (str, bool, numbers.Real)) for v in value):
        return [plain(v) for v in value]
    if isinstance(value, SkyCoord) and value.isscalar:
        icrs = value.icrs
        return f"ICRS {icrs.ra.deg:.6f} {icrs.dec.deg:.6f} deg"
    if isinstance(value, u.Quantity) and value.isscalar:
        return str(value)
    if isinstance(value, Time) and value.isscalar:
        return f"{value.utc.iso} UTC" if value.scale != "tdb" else f"{value.jd!r} JD (TDB)"
    return _to_json(value)


def fits_meta(meta):
    """``meta`` as a FITS header can hold it: (header entries, tables by key).

    Numbers, text, booleans and lists of them are kept; positions, quantities
    and times become text (``'ICRS 77.969040 -62.324170 deg'``, ``'30.0
    arcsec'``, ``'2020-01-01 00:00:00.000 UTC'``), dicts and other values JSON
    text; tables are returned apart (written as further extensions); astropy's
    private keys (``__attributes__``: display settings) are left out.
    """
    header, nested = {}, {}
    for key, value in writable_meta(dict(meta)).items():
        if key in ("comments", "history"):
            header[key] = value
        elif str(key).startswith("__"):
            continue
        elif isinstance(value, Table):
            nested[key] = value
        else:
            header[key] = _header_value(value)
    return header, nested


def _fits_ready(table):
    """(a plain Table FITS can hold, its nested tables by key)."""
    out = _plain_table(table)
    formats, masked = {}, {}
    for name in out.colnames:
        col = out[name]
        if isinstance(col, Time):
            formats[name] = col.format
        elif (nan_rows := masked_nan_rows(col)) is not None:
            masked[name] = nan_rows
        elif is_object_column(col):
            text = json_text_column(col)
            text.info.meta = {**(col.info.meta or {}), JSON_COLUMN: True}
            out.replace_column(name, text)
    meta, nested = fits_meta(table.meta)
    if formats:
        meta[TIME_FORMATS_CARD] = json.dumps(formats)
    if masked:
        meta[MASKED_CARD] = json.dumps(masked)
    out.meta = meta
    return out, nested


def write_fits(table, output, overwrite=False, **kwargs):
    """Write a result to FITS with astropy's writer, with what FITS cannot hold encoded.

    Object columns become JSON text (marked, so that `read_fits` decodes
    them), ``meta`` what a header holds (`fits_meta`), tables in ``meta``
    further extensions named ``META.<key>``, and the formats of Time columns
    a header card. Registered as the ``fits`` writer of `SXPSTable` (and of
    `~astroquery_sxps.SXPSLightCurve`).
    """
    from astropy.io.fits.verify import VerifyWarning
    main, nested = _fits_ready(table)
    with warnings.catch_warnings():
        # snake_case keys longer than 8 characters become HIERARCH cards: expected
        warnings.simplefilter("ignore", VerifyWarning)
        main.write(output, format="fits", overwrite=overwrite, **kwargs)
        for key, value in nested.items():
            _fits_ready(value)[0].write(output, format="fits", append=True,
                                        name=f"{META_EXTENSION}{key}")


def _decode_fits_table(table, cls=None):
    """Undo `_fits_ready` on a (plain) table read back (JSON columns, NaN or masked, Time
    formats, key case); the result of class ``cls`` (default `SXPSTable`)."""
    for name in table.colnames:
        col = table[name]
        if (getattr(col.info, "meta", None) or {}).get(JSON_COLUMN):
            data = json_object_column(col)
            meta = dict(col.info.meta)
            meta.pop(JSON_COLUMN)
            data.info.meta = meta
            table.replace_column(name, data)
    meta = {}
    for key, value in table.meta.items():
        meta[key if key in ("comments", "history") else str(key).lower()] = value
    formats = meta.pop(TIME_FORMATS_CARD.lower(), None)
    for name, fmt in (json.loads(formats) if formats else {}).items():
        if name in table.colnames and isinstance(table[name], Time):
            table[name].format = fmt
    masked = meta.pop(MASKED_CARD.lower(), None)
    masked = json.loads(masked) if masked else {}
    for name in table.colnames:
        col = table[name]
        if isinstance(col, (Time, SkyCoord)) or col.dtype.kind != "f":
            continue
        if np.ma.isMaskedArray(col):
            table.replace_column(name, float_column_read_back(col, masked.get(name)))
        table[name].info.format = None      # FITS display widths (TDISP) -> ours
    table = (cls or SXPSTable)(table, copy=False)
    table.meta = meta
    return format_columns(table)


def read_fits(source, hdu=None, *, cls=None, **kwargs):
    """Read a FITS file written by `write_fits` back into a result (default `SXPSTable`).

    Time columns come back as `~astropy.time.Time` in their formats, NaN as
    NaN and masked values masked (as written), JSON columns as dicts,
    ``META.<key>`` extensions into ``meta[key]`` and ``meta`` keys in lower
    case.
    """
    from astropy.io import fits
    kwargs.setdefault("astropy_native", True)
    with fits.open(source) as hdul:
        tables = [i for i, h in enumerate(hdul) if isinstance(h, fits.BinTableHDU)]
        main_index = hdu if hdu is not None else next(
            (i for i in tables if not str(hdul[i].name).startswith(META_EXTENSION)), None)
        if main_index is None:
            raise ValueError(f"{source} holds no table.")
        table = _decode_fits_table(Table.read(hdul, hdu=main_index, **kwargs), cls)
        for i in tables:
            name = str(hdul[i].header.get("EXTNAME", ""))
            if i != main_index and name.upper().startswith(META_EXTENSION.upper()):
                key = name[len(META_EXTENSION):].lower()
                table.meta[key] = _decode_fits_table(Table.read(hdul, hdu=i, **kwargs))
    return table


registry.register_writer("ascii.ecsv", SXPSTable, _write_ecsv)
registry.register_reader("ascii.ecsv", SXPSTable, _read_ecsv)
registry.register_writer("fits", SXPSTable, write_fits)
registry.register_reader("fits", SXPSTable, read_fits)
