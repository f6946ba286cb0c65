"""Answers as plain records: stored in a journal, and stacked into one Table.

A *record* is a JSON-serialisable dict holding one answer Table column by
column (values, dtype, unit; `~astropy.time.Time` columns as exact ``jd1``/``jd2``
pairs with their format and scale) and its ``meta`` (SkyCoords as ICRS
degrees, Tables as nested records).

Why not ECSV (astropy's own text format)? Reading one small ECSV table back
costs about 13 ms (its YAML header), so resuming a 1,000-position job would
spend seconds just parsing; a record is read in well under a millisecond, and
stacking records column by column is much faster than ``vstack`` of many
small tables. Fresh answers go through the same records as journalled ones,
so a resumed job returns exactly what an uninterrupted one does.
"""
import json

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time

__all__ = ["to_record", "from_json", "to_json", "stack", "record_meta", "position_of"]

_KEY = "__sxps_record__"


def _json_value(value):
    """A meta value in JSON form (SkyCoord, Table, Time, Quantity, numpy scalars...)."""
    if isinstance(value, SkyCoord):
        icrs = value.icrs
        if icrs.isscalar:
            return {_KEY: "skycoord", "ra": float(icrs.ra.deg), "dec": float(icrs.dec.deg)}
        return {_KEY: "skycoord", "ra": icrs.ra.deg.tolist(), "dec": icrs.dec.deg.tolist()}
    if isinstance(value, Table):
        return {_KEY: "table", "record": to_record(value)}
    if isinstance(value, Time):
        return {_KEY: "time", "isot": value.utc.isot if value.isscalar else value.utc.isot.tolist()}
    if isinstance(value, u.Quantity):
        return {_KEY: "quantity", "value": np.asarray(value.value).tolist(),
                "unit": value.unit.to_string()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _from_json_value(value):
    if isinstance(value, list):
        return [_from_json_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get(_KEY)
    if kind == "skycoord":
        return SkyCoord(np.asarray(value["ra"], float) * u.deg,
                        np.asarray(value["dec"], float) * u.deg, frame="icrs")
    if kind == "table":
        return _table(value["record"])
    if kind == "time":
        return Time(value["isot"], format="isot", scale="utc")
    if kind == "quantity":
        return u.Quantity(value["value"], u.Unit(value["unit"]))
    return {k: _from_json_value(v) for k, v in value.items()}


def _column_record(name, col):
    if isinstance(col, Time):
        mask = np.asarray(col.mask) if getattr(col, "masked", False) else None
        jd1 = np.asarray(col.jd1, float)
        jd2 = np.asarray(col.jd2, float)
        if mask is not None:   # masked entries: any finite placeholder
            jd1, jd2 = np.where(mask, 2451545.0, jd1), np.where(mask, 0.0, jd2)
        return {"name": name, "time": True, "format": col.format, "scale": col.scale,
                "precision": col.precision, "jd1": jd1.tolist(), "jd2": jd2.tolist(),
                "mask": None if mask is None or not mask.any() else mask.tolist()}
    if not isinstance(col, Column):
        raise TypeError(f"column {name!r} ({type(col).__name__}) cannot be journalled")
    data = np.asarray(col.data if not isinstance(col, MaskedColumn) else col.filled())
    mask = np.asarray(col.mask) if isinstance(col, MaskedColumn) else None
    return {"name": name, "dtype": data.dtype.str, "unit": None if col.unit is None
            else col.unit.to_string(), "values": data.tolist(),
            "mask": None if mask is None or not mask.any() else mask.tolist()}


def to_record(table):
    """A Table (one answer) as a record."""
    return {"columns": [_column_record(name, table[name]) for name in table.colnames],
            "length": len(table), "meta": _json_value(dict(table.meta))}


def to_json(record):
    return json.dumps(record, separators=(",", ":"))


def from_json(text):
    """A record from JSON text (a journal entry: untrusted, so its shape is checked)."""
    record = json.loads(text)
    if not isinstance(record, dict) or not isinstance(record.get("columns"), list) \
            or not isinstance(record.get("length"), int):
        raise ValueError("not an answer record")
    for col in record["columns"]:
        if not isinstance(col, dict) or not isinstance(col.get("name"), str):
            raise ValueError("a column of the record is malformed")
        key = "jd1" if col.get("time") else "values"
        if not isinstance(col.get(key), list) or len(col[key]) != record["length"]:
            raise ValueError("a column of the record is malformed")
        try:
            if col.get("time"):
                if col.get("scale") not in Time.SCALES or col.get("format") not in Time.FORMATS \
                        or len(col.get("jd2") or []) != record["length"]:
                    raise ValueError("bad time column")
            else:
                if np.dtype(col.get("dtype")).kind not in "biufU":
                    raise ValueError("bad dtype")
                if col.get("unit") is not None:
                    u.Unit(col["unit"])
            if col.get("mask") is not None and len(col["mask"]) != record["length"]:
                raise ValueError("bad mask")
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {col['name']!r} of the record is malformed ({exc})") \
                from None
    return record


def _time(columns, rows):
    """One Time from the time columns (or None placeholders) of several records."""
    first = next(c for c in columns if c is not None and c.get("time"))
    jd1, jd2, mask = [], [], []
    for col, n in zip(columns, rows):
        if col is None or not col.get("time"):   # absent, or an empty answer's plain column
            jd1.append(np.full(n, 2451545.0))
            jd2.append(np.zeros(n))
            mask.append(np.ones(n, bool))
        else:
            jd1.append(np.asarray(col["jd1"], float))
            jd2.append(np.asarray(col["jd2"], float))
            mask.append(np.asarray(col["mask"], bool) if col.get("mask") else np.zeros(n, bool))
    t = Time(np.concatenate(jd1), np.concatenate(jd2), format="jd", scale=first["scale"])
    t.format = first["format"]
    t.precision = int(first.get("precision", 3))
    mask = np.concatenate(mask)
    if mask.any():
        t[mask] = np.ma.masked
    return t


def _data(columns, rows, name):
    first = next(c for c in columns if c is not None)
    dtypes = [np.dtype(c["dtype"]) for c in columns if c is not None]
    dtype = np.result_type(*dtypes) if all(d.kind != "U" for d in dtypes) \
        else np.dtype(f"U{max(d.itemsize // 4 for d in dtypes)}")
    values, mask = [], []
    for col, n in zip(columns, rows):
        if col is None:
            values.append(np.zeros(n, dtype))
            mask.append(np.ones(n, bool))
        else:
            values.append(np.asarray(col["values"], dtype=dtype) if n else np.zeros(0, dtype))
            mask.append(np.asarray(col["mask"], bool) if col.get("mask") else np.zeros(n, bool))
    values, mask = np.concatenate(values), np.concatenate(mask)
    unit = first["unit"]
    if mask.any():
        return MaskedColumn(values, name=name, mask=mask, unit=unit)
    return Column(values, name=name, unit=unit)


def stack(records):
    """One Table of the rows of several records (columns missing in some are masked).

    Column order is that of first appearance; ``meta`` is not merged (the
    caller decides).
    """
    by_name = []                  # per record: name -> its first column of that name
    for rec in records:
        found = {}
        for col in rec["columns"]:
            found.setdefault(col["name"], col)
        by_name.append(found)
    names = list(dict.fromkeys(name for found in by_name for name in found))
    rows = [rec["length"] for rec in records]
    out = Table()
    for name in names:
        columns = [found.get(name) for found in by_name]
        if any(c is not None and c.get("time") for c in columns):
            out[name] = _time(columns, rows)
        else:
            out[name] = _data(columns, rows, name)
    return out


def _table(record):
    table = stack([record])
    table.meta.update(_from_json_value(record.get("meta") or {}))
    return table


def position_of(record):
    """(ra, dec) in degrees of a record's ``meta['position']``, or None (no SkyCoord built)."""
    pos = (record.get("meta") or {}).get("position")
    if isinstance(pos, dict) and pos.get(_KEY) == "skycoord":
        try:
            return float(pos["ra"]), float(pos["dec"])
        except (TypeError, ValueError, KeyError):
            return None
    return None


def record_meta(record):
    """The ``meta`` of a record, with its SkyCoords and Tables rebuilt."""
    return _from_json_value(record.get("meta") or {})
