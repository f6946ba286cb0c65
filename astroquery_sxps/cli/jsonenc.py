"""JSON for the results of `astroquery_sxps`: details records, tables, light curves.

The records (`~astroquery_sxps.SourceDetails`, `~astroquery_sxps.DatasetDetails`,
`~astroquery_sxps.TransientDetails`) are dicts holding astropy objects, which the
standard `json` module cannot write. The encoding is meant to be read back
without guessing:

* `~astropy.time.Time` -> ``{"iso": "2005-10-25T20:40:00.000000", "scale": "utc"}``
  (ISO 8601 in the time's own scale, which is UTC for every calendar time the
  server sends; ``Time(d["iso"], scale=d["scale"])`` reads it back);
* `~astropy.units.Quantity` -> ``{"value": 151962000.0, "unit": "s"}``;
* `~astropy.coordinates.SkyCoord` -> ``{"ra": deg, "dec": deg, "frame": "icrs"}``;
* a `~astropy.table.Table` -> a list of records (one dict per row); a cell of a
  column with a unit is a Quantity as above, a masked cell is ``null``;
* NaN and infinities -> ``null`` (JSON has no NaN);
* numpy scalars and arrays -> numbers and lists; paths -> strings.

astropy has no JSON serialiser for these objects (its YAML one, used by ECSV,
cannot hold Tables inside dicts), hence this small module.
"""
import json
import math
import os

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, Table
from astropy.time import Time
from astropy.utils.masked import Masked

__all__ = ["to_jsonable", "SXPSJSONEncoder", "dumps"]

#: digits after the second in ISO times (1 microsecond: below the precision of any
#: time the server sends, and exact for float MJD values of our epoch)
ISO_PRECISION = 6


def _number(value):
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _time(value):
    out = value.copy()
    out.precision = ISO_PRECISION
    iso = out.isot
    return {"iso": iso.tolist() if not value.isscalar else str(iso), "scale": value.scale}


def _quantity(value):
    return {"value": to_jsonable(value.value), "unit": value.unit.to_string()}


def _skycoord(value):
    icrs = value.icrs
    return {"ra": to_jsonable(icrs.ra.deg), "dec": to_jsonable(icrs.dec.deg), "frame": "icrs"}


def _cell(column, index):
    """One table cell, with its column's unit and mask."""
    if isinstance(column, Time) and column.masked and bool(column.mask[index]):
        return None
    if isinstance(column, (Time, SkyCoord)):
        return to_jsonable(column[index])
    mask = getattr(column, "mask", None)
    if mask is not None and np.ndim(mask) and bool(np.all(mask[index])):
        return None
    value = column[index]
    unit = getattr(column, "unit", None)
    if unit is not None and not isinstance(value, u.Quantity) and np.asarray(value).dtype.kind in "iuf":
        return _quantity(u.Quantity(value, unit))
    return to_jsonable(value)


def _cells(column):
    """``[_cell(column, i) for i in range(len(column))]``, with the column converted once
    where it can be: a one-dimensional Time (its masked cells aside), SkyCoord without
    masked values, Quantity or Column of numbers, booleans or strings (anything else goes
    cell by cell)."""
    if getattr(column, "ndim", None) != 1 or isinstance(column, Masked):
        pass
    elif isinstance(column, Time):
        out = column.copy()
        out.precision = ISO_PRECISION
        iso = out.isot
        scale = column.scale
        if not column.masked:
            return [{"iso": text, "scale": scale} for text in iso.tolist()]
        return [None if masked else {"iso": text, "scale": scale}
                for text, masked in zip(iso.unmasked.tolist(), column.mask.tolist())]
    elif isinstance(column, SkyCoord):
        if not getattr(column, "masked", False):
            icrs = column.icrs
            return [{"ra": _number(ra), "dec": _number(dec), "frame": "icrs"}
                    for ra, dec in zip(icrs.ra.deg.tolist(), icrs.dec.deg.tolist())]
    elif isinstance(column, u.Quantity):
        if column.dtype.kind in "iuf":
            unit = column.unit.to_string()
            return [{"value": _number(v), "unit": unit} for v in column.value.tolist()]
    elif isinstance(column, Column) and column.dtype.kind in "biufSU":
        data = column.view(np.ndarray)
        mask = getattr(column, "mask", None)
        masked = (np.asarray(mask, dtype=bool).tolist() if mask is not None and np.ndim(mask)
                  else [False] * len(column))
        unit = getattr(column, "unit", None)
        if unit is not None and column.dtype.kind in "iuf":
            quantity = u.Quantity(data, unit)
            unit = quantity.unit.to_string()
            return [None if m else {"value": _number(v), "unit": unit}
                    for v, m in zip(quantity.value.tolist(), masked)]
        return [None if m else to_jsonable(v) for v, m in zip(data.tolist(), masked)]
    return [_cell(column, i) for i in range(len(column))]


def _table(table):
    names = table.colnames
    columns = [_cells(table[name]) for name in names]
    return [dict(zip(names, row)) for row in zip(*columns)]


def to_jsonable(obj):
    """``obj`` as plain JSON types (dict, list, str, int, float, bool, None).

    Parameters
    ----------
    obj : object
        A result of `astroquery_sxps` or anything nested in one.

    Returns
    -------
    object
        Something `json.dumps` writes with ``allow_nan=False``.

    Examples
    --------
    >>> import astropy.units as u
    >>> from astropy.time import Time
    >>> from astroquery_sxps.cli.jsonenc import to_jsonable
    >>> to_jsonable({"Exposure": 812.5 * u.s, "When": Time("2022-05-30 09:13:32")})
    {'Exposure': {'value': 812.5, 'unit': 's'}, 'When': {'iso': '2022-05-30T09:13:32.000000', 'scale': 'utc'}}
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float, np.generic)):
        return to_jsonable(obj.item()) if isinstance(obj, np.generic) else _number(obj)
    if isinstance(obj, Time):
        return _time(obj)
    if isinstance(obj, u.Quantity):
        return _quantity(obj)
    if isinstance(obj, SkyCoord):
        return _skycoord(obj)
    if isinstance(obj, Table):
        return _table(obj)
    if isinstance(obj, np.ma.MaskedArray):
        return [None if m else to_jsonable(v) for v, m in
                zip(obj.data.tolist(), np.ma.getmaskarray(obj).tolist())]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, dict):
        return {str(k) if not isinstance(k, tuple) else "/".join(map(str, k)): to_jsonable(v)
                for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if hasattr(obj, "items"):          # other mappings (LightCurveCollection...)
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return str(obj)


class SXPSJSONEncoder(json.JSONEncoder):
    """A `json.JSONEncoder` for `astroquery_sxps` results (see `to_jsonable`).

    NaN is written as ``null``: the whole object is converted first, because
    `json.JSONEncoder.default` is never asked about floats.

    Examples
    --------
    >>> import json
    >>> import astropy.units as u
    >>> from astroquery_sxps.cli.jsonenc import SXPSJSONEncoder
    >>> json.dumps({"Err90": 3.5 * u.arcsec, "HR2": float("nan")}, cls=SXPSJSONEncoder)
    '{"Err90": {"value": 3.5, "unit": "arcsec"}, "HR2": null}'
    """

    def __init__(self, **kwargs):
        kwargs["allow_nan"] = False
        super().__init__(**kwargs)

    def iterencode(self, o, _one_shot=False):
        return super().iterencode(to_jsonable(o), _one_shot)

    def default(self, o):   # pragma: no cover - to_jsonable leaves nothing unknown
        return str(o)


def dumps(obj, indent=2):
    """``obj`` as a JSON document (str), with `SXPSJSONEncoder`."""
    return json.dumps(obj, cls=SXPSJSONEncoder, indent=indent)
