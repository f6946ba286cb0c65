"""getMetadata and queryDB (the query API), over the synthetic tables and data/query.json.

Tables come from `astroquery_sxps.testing.synthetic` (the same rows as the
full-table files, ``emu.options['full_table_rows']``, default 500); the
datasets table also holds the GK Per datasets of ``data/query.json``. Cone
searches, constraints, subsets, sorting and paging (``firstRow``/``numRows``)
are honoured. Options: ``emu.options['query_numbers_as_strings']`` sends every
number as a string; ``emu.options['metadata_records']`` sends metadata rows as
records instead of arrays.
"""
import functools

import numpy as np

from .. import synthetic
from .._data import load
from ..server import APIError, api_function
from .tables import TABLES, subset_mask, table_rows

_UNITS = {"arcsec": 1 / 3600.0, "arcmin": 1 / 60.0, "deg": 1.0, "degree": 1.0, "degrees": 1.0}


def _type_of(name, kind):
    if kind == "o":
        return "NUM"
    if kind == "i":
        return "INT"
    if kind == "t":
        return "UTC"
    if kind == "s":
        return "STRING"
    if name in ("RA", "Ext_RA"):
        return "COORDH"
    if name in ("Decl", "Ext_Decl", "l", "b"):
        return "COORDD"
    return "FLOAT"


@functools.lru_cache(maxsize=None)
def metadata_rows(catalog, table):
    meta = load("metadata")
    real = {row[0]: row for row in meta["real"].get(table, [])}
    basic = set(meta["basic"].get(table, ()))
    desc = meta["descriptions"]
    rows = []
    for name, kind in synthetic.table_columns(table, catalog):
        if name in real:
            rows.append(list(real[name]))
            continue
        rows.append([name, "BASIC" if name in basic else "MISC",
                     desc.get(name, f"{name} (synthetic description)"), _type_of(name, kind),
                     1 if kind == "o" else 0, 0])
    return meta["columns"], rows


def _database_table(body):
    """The request's ``database``/``table``, or the server's error for unknown ones."""
    catalog, table = body.get("database"), body.get("table")
    if catalog not in TABLES:
        raise APIError(f"Unknown database `{catalog}`.")
    if table not in TABLES[catalog]:
        raise APIError(f"Unknown table `{table}` in database `{catalog}`.")
    return catalog, table


@api_function("getMetadata")
def get_metadata(emu, body):
    catalog, table = _database_table(body)
    columns, rows = metadata_rows(catalog, table)
    if emu.options.get("metadata_records"):
        rows = [dict(zip(columns, r)) for r in rows]
    return {"metadata": {"columns": columns, "metadata": rows}}


def _table(emu, catalog, table):
    arrays = dict(synthetic.table_arrays(table, catalog, table_rows(emu)))
    if table == "datasets" and catalog == "LSXPS":
        extra = load("query")["datasets"]
        for name in list(arrays):
            values = [rec.get(name) for rec in extra]
            if arrays[name].dtype.kind in "iu":
                arrays[name] = np.concatenate([
                    np.array([-1 if v is None else v for v in values], dtype=np.int64),
                    arrays[name]])
                if any(v is None for v in values):
                    arrays.setdefault("_null_" + name, np.zeros(len(arrays[name]), bool))
                    arrays["_null_" + name][:len(extra)] = [v is None for v in values]
            elif arrays[name].dtype.kind == "f":
                arrays[name] = np.concatenate([np.array([np.nan if v is None else v
                                                         for v in values], float), arrays[name]])
            else:
                arrays[name] = np.concatenate([np.array(["" if v is None else str(v)
                                                         for v in values]), arrays[name]])
    return arrays


def _null(arrays, name):
    values = arrays[name]
    if values.dtype.kind == "f":
        return np.isnan(values)
    if "_null_" + name in arrays:
        return arrays["_null_" + name]
    if values.dtype.kind in "US":
        return values == ""
    return np.zeros(len(values), dtype=bool)


def _compare(arrays, name, op, val):
    values = arrays[name]
    null = _null(arrays, name)
    if op == "IS NULL":
        return null
    if op == "IS NOT NULL":
        return ~null
    if op in ("LIKE", "NOT LIKE"):
        import fnmatch
        pattern = str(val).replace("%", "*").replace("_", "?")
        hit = np.array([fnmatch.fnmatchcase(str(v), pattern) for v in values])
        return (hit if op == "LIKE" else ~hit) & ~null
    if op == "BETWEEN":
        if not isinstance(val, list) or len(val) != 2:
            raise APIError(f"BETWEEN on `{name}` needs two values.")
        lo, hi = (_cast(values, v) for v in val)
        return (values >= lo) & (values <= hi) & ~null
    v = _cast(values, val)
    ops = {"<": np.less, ">": np.greater, "=": np.equal, "<=": np.less_equal,
           ">=": np.greater_equal, "!=": np.not_equal}
    if op not in ops:
        raise APIError(f"Unknown filter `{op}`.")
    return ops[op](values, v) & ~null


def _cast(values, val):
    try:
        return float(val) if values.dtype.kind in "iuf" else str(val)
    except (TypeError, ValueError):
        raise APIError(f"Bad filter value `{val}`.") from None


def _resolve(body):
    if "searchName" in body and body["searchName"] is not None:
        name = str(body["searchName"])
        names = load("query")["names"]
        if name in names:
            entry = names[name]
            info = f"Resolved '{name}' as ({entry['ra']}, {entry['dec']}) via {entry['via']}"
            return entry["ra"], entry["dec"], info
        try:
            from astropy.coordinates import SkyCoord
            import astropy.units as u
            pos = SkyCoord(name, unit=(u.deg, u.deg))
        except Exception:
            try:
                pos = SkyCoord(name, unit=(u.hourangle, u.deg))
            except Exception:
                raise APIError(f"Could not resolve `{name}`.") from None
        ra, dec = float(pos.ra.deg), float(pos.dec.deg)
        return ra, dec, f"Parsed '{name}' as ({ra}, {dec})"
    try:
        return float(body["searchRA"]), float(body["searchDec"]), None
    except (KeyError, TypeError, ValueError):
        raise APIError("A cone search needs searchName or searchRA and searchDec.") from None


def _distance_deg(ra, dec, ra0, dec0):
    ra, dec, ra0, dec0 = map(np.radians, (ra, dec, ra0, dec0))
    s = np.sin((dec - dec0) / 2) ** 2 + np.cos(dec) * np.cos(dec0) * np.sin((ra - ra0) / 2) ** 2
    return np.degrees(2 * np.arcsin(np.sqrt(np.clip(s, 0, 1))))


def _plain(value, as_string):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if as_string and isinstance(value, (int, float)):
        return repr(value)
    return value


@api_function("queryDB")
def query_db(emu, body):
    catalog, table = _database_table(body)
    arrays = _table(emu, catalog, table)
    names = [n for n, _ in synthetic.table_columns(table, catalog)]
    cols = body.get("cols") or []
    bad = [c for c in cols if c not in names]
    if bad or not isinstance(cols, list):
        raise APIError(f"Unknown column(s) `{', '.join(map(str, bad))}` in table `{table}`.")
    n = len(arrays[names[0]])
    keep = np.ones(n, dtype=bool)
    for con in body.get("constraints") or []:
        name = con.get("colName")
        if name not in names:
            raise APIError(f"Unknown column `{name}` in constraint.")
        hit = _compare(arrays, name, str(con.get("filter")).upper(), con.get("val"))
        if con.get("combiner"):
            other = _compare(arrays, name, str(con.get("filter2")).upper(), con.get("val2"))
            hit = hit & other if str(con["combiner"]).upper() == "AND" else hit | other
        keep &= hit
    subset = body.get("subset")
    if subset is not None:
        if table not in ("sources", "datasets") or str(subset).lower() not in ("clean", "ultraclean"):
            raise APIError(f"Unknown subset `{subset}` for table `{table}`.")
        keep &= subset_mask(arrays, table, subset)
    reply = {}
    dist = None
    cone = any(k in body for k in ("searchName", "searchRA", "searchDec"))
    if cone:
        ra0, dec0, info = _resolve(body)
        unit = str(body.get("adUnits", "arcsec")).lower()
        if unit not in _UNITS:
            raise APIError(f"Unknown adUnits `{body.get('adUnits')}`.")
        try:
            radius = float(body["searchRad"])
        except (KeyError, TypeError, ValueError):
            raise APIError("A cone search needs searchRad.") from None
        dist = _distance_deg(arrays["RA"], arrays["Decl"], ra0, dec0) / _UNITS[unit]
        keep &= dist <= radius
        if info is not None:
            reply.update({"ResolvedInfo": info, "ResolvedRA": ra0, "ResolvedDec": dec0})
    index = np.nonzero(keep)[0]
    if dist is not None:
        index = index[np.argsort(dist[index], kind="stable")]
    elif body.get("sortBy"):
        key = body["sortBy"]
        if key not in names:
            raise APIError(f"Unknown sort column `{key}`.")
        index = index[np.argsort(arrays[key][index], kind="stable")]
        if str(body.get("sortDir", "ASC")).upper() == "DESC":
            index = index[::-1]
    first = int(body.get("firstRow", 0) or 0)
    count = int(body.get("numRows", 1000) or 1000)
    page = index[first:first + count]
    as_string = bool(emu.options.get("query_numbers_as_strings"))
    results = []
    for i in page:
        rec = {}
        if dist is not None:
            rec["_r"] = _plain(round(float(dist[i]), 5), as_string)
        for c in cols:
            null = "_null_" + c in arrays and arrays["_null_" + c][i]
            rec[c] = None if null else _plain(arrays[c][i], as_string)
        results.append(rec)
    reply.update({"Results": results, "NumRows": len(results)})
    return reply
