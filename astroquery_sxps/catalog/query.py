"""Catalogue queries and cone searches on the UKSSDC query API (``getMetadata``, ``queryDB``).

See ``docs/sxps/api_protocol.rst`` (getMetadata, queryDB, the query module's paging and
typing). Differences from the existing client's
``SXPSQuery``:

* all matching rows are returned by default (``max_rows=None`` pages until a
  short page; swifttools silently stops at 1000);
* filters are checked against the table's metadata (column names, operators,
  number of values) before anything is sent;
* the result is an astropy `~astropy.table.Table`: numeric columns typed from
  the metadata (``NUM``/``FLOAT``/``INT``), ``UTC`` columns as
  `~astropy.time.Time`, coordinates in degrees plus a ``coord`` SkyCoord column,
  the observation column as 11-character ObsID strings, the cone distance
  ``_r`` as a ``distance`` Quantity, sorted by distance.
"""
import numbers
import re
import threading

import numpy as np
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astropy.table import MaskedColumn, Table

from .._plan import Plan
from .._results import finish_table
from .._transport import APIRequest
from .._validation import check_catalog, choose, obsid_strings
from ..exceptions import InvalidQueryError, NoResultsWarning, SXPSResponseError, warn
from ..timeconv import utc_times
from .tables import check_subset, check_table, column_unit

__all__ = ["PAGE_ROWS", "OPERATORS", "metadata_request", "parse_metadata",
           "normalise_filters", "cone_payload", "run_query",
           "build_results", "check_column_name", "metadata_plan", "query_plan",
           "KnownColumns", "KNOWN_COLUMNS", "PLACEHOLDERS", "payload_columns"]

#: Server page size (``docs/sxps/api_protocol.rst``, the query module: paging and typing).
PAGE_ROWS = 1000
ONE_VALUE_OPS = ("<", ">", "=", "<=", ">=", "!=", "LIKE", "NOT LIKE")
NO_VALUE_OPS = ("IS NULL", "IS NOT NULL")
OPERATORS = ONE_VALUE_OPS + ("BETWEEN",) + NO_VALUE_OPS
COMBINERS = ("AND", "OR")
_FILTER_KEYS = ("colName", "filter", "val", "combiner", "filter2", "val2")
_NUMERIC_TYPES = ("NUM", "FLOAT", "INT")


# -- metadata ---------------------------------------------------------------------
def metadata_request(catalog, table):
    return APIRequest("getMetadata", {"database": catalog, "table": table},
                      min_keys=("metadata",), identifier=f"{catalog} {table}")


def parse_metadata(reply):
    """The ``getMetadata`` reply as a Table (``ColName``, ``Class``, ``Description``, ``Type``...).

    Rows may be value arrays (in the order of ``columns``) or records; ``IsObsCol`` and
    ``IsTargetCol`` may be numbers or numeric strings. Adds a boolean ``default``
    column (``Class`` contains ``BASIC``).
    """
    meta = reply.get("metadata")
    if not isinstance(meta, dict):
        raise SXPSResponseError(f"getMetadata returned no metadata block: {reply!r}",
                                api_func="getMetadata")
    rows = meta.get("metadata") or []
    columns = list(meta.get("columns") or [])
    records = []
    for row in rows:
        if isinstance(row, dict):
            records.append(row)
            for key in row:
                if key not in columns:
                    columns.append(key)
        elif isinstance(row, (list, tuple)):
            records.append(dict(zip(columns, row)))
    for required in ("ColName", "Class", "Description", "Type"):
        if required not in columns:
            columns.append(required)
    out = Table()
    for key in columns:
        values = [r.get(key) for r in records]
        if key in ("IsObsCol", "IsTargetCol"):
            out[key] = np.array([_as_flag(v) for v in values], dtype=bool)
        else:
            out[key] = np.array(["" if v is None else str(v) for v in values], dtype=str)
    for key in ("IsObsCol", "IsTargetCol"):
        if key not in out.colnames:
            out[key] = np.zeros(len(out), dtype=bool)
    out["Type"] = np.char.upper(np.asarray(out["Type"], dtype=str)) if len(out) else out["Type"]
    out["default"] = np.array(["BASIC" in str(c) for c in out["Class"]], dtype=bool)
    out.add_index("ColName")
    return out


def _as_flag(value):
    try:
        return float(value) == 1
    except (TypeError, ValueError):
        return str(value).strip().lower() in ("true", "yes")


# -- filters ----------------------------------------------------------------------
def _check_value(column, op, value, which):
    if op == "BETWEEN":
        if (not isinstance(value, (list, tuple, np.ndarray)) or len(value) != 2
                or not all(_scalar_ok(v) for v in value)):
            raise InvalidQueryError(
                f"filters: {which} 'BETWEEN' on {column!r} needs a list of exactly two values "
                f"(str, int or float), not {value!r}.")
        return [_plain(v) for v in value]
    if op in NO_VALUE_OPS:
        return None
    if not _scalar_ok(value):
        raise InvalidQueryError(
            f"filters: {which} {op!r} on {column!r} needs one value (str, int or float), "
            f"not {value!r}.")
    return _plain(value)


def _scalar_ok(value):
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (str, numbers.Real)) and not (
        isinstance(value, float) and not np.isfinite(value))


def _plain(value):
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def _operator(op, which):
    if not isinstance(op, str):
        raise InvalidQueryError(f"filters: {which} operator must be a string from "
                                f"{', '.join(OPERATORS)}; got {op!r}.")
    canon = " ".join(op.strip().upper().split())
    if canon not in OPERATORS:
        raise InvalidQueryError(f"filters: {which} operator {op!r} is not valid; allowed: "
                                f"{', '.join(repr(o) for o in OPERATORS)}.")
    return canon


def normalise_filters(filters, metadata=None):
    """Validate ``filters`` and return the wire filter objects (all six keys).

    Each filter is a dict with the wire keys (``colName``, ``filter``, ``val``,
    ``combiner``, ``filter2``, ``val2``; the snake_case spellings ``column``,
    ``op``/``operator``, ``value``, ``op2``, ``value2`` are accepted too) or a
    tuple ``(colName, filter, val[, combiner, filter2, val2])``. A single
    filter may be given without the enclosing list. With ``metadata`` the
    column must be one of its ``ColName``.
    """
    if filters is None:
        return []
    if isinstance(filters, (dict, tuple)) and not (
            isinstance(filters, tuple) and filters and isinstance(filters[0], (dict, tuple, list))):
        filters = [filters]
    if not isinstance(filters, (list, tuple)):
        raise InvalidQueryError(f"filters must be a list of dicts or tuples "
                                f"(colName, filter, val, combiner, filter2, val2); got {filters!r}.")
    aliases = {"column": "colName", "col": "colName", "colname": "colName", "name": "colName",
               "op": "filter", "operator": "filter", "value": "val", "op2": "filter2",
               "operator2": "filter2", "value2": "val2"}
    known = set(metadata["ColName"]) if metadata is not None else None
    out = []
    for item in filters:
        if isinstance(item, dict):
            spec = {}
            for key, value in item.items():
                wire = key if key in _FILTER_KEYS else aliases.get(str(key).lower())
                if wire is None:
                    raise InvalidQueryError(f"filters: unknown key {key!r} in {item!r}; use "
                                            f"{', '.join(_FILTER_KEYS)}.")
                spec[wire] = value
        elif isinstance(item, (tuple, list)):
            if not 2 <= len(item) <= 6:
                raise InvalidQueryError(f"filters: a tuple filter is (colName, filter, val, "
                                        f"combiner, filter2, val2); got {item!r}.")
            spec = dict(zip(_FILTER_KEYS, item))
        else:
            raise InvalidQueryError(f"filters: each filter must be a dict or a tuple, not {item!r}.")
        column = spec.get("colName")
        if not isinstance(column, str) or not column:
            raise InvalidQueryError(f"filters: colName must be a column name, not {column!r}.")
        check_column_name("filters", column)
        if known is not None and column not in known:
            raise InvalidQueryError(f"filters: {column!r} is not a column of this table; see "
                                    "SXPS.get_table_metadata() for the column names.")
        op = _operator(spec.get("filter"), "first")
        val = _check_value(column, op, spec.get("val"), "first")
        combiner = spec.get("combiner")
        op2 = val2 = None
        if combiner is not None:
            combiner = choose("filters combiner", combiner, COMBINERS)
            op2 = _operator(spec.get("filter2"), "second")
            val2 = _check_value(column, op2, spec.get("val2"), "second")
        elif spec.get("filter2") is not None:
            raise InvalidQueryError(f"filters: a second clause on {column!r} needs a combiner "
                                    "('AND' or 'OR').")
        out.append({"colName": column, "filter": op, "val": val, "combiner": combiner,
                    "filter2": op2, "val2": val2})
    return out


# -- cone ---------------------------------------------------------------------------
_ANGLE_UNITS = {u.arcsec: "arcsec", u.arcmin: "arcmin", u.deg: "deg"}


def radius_value(radius):
    """(value, adUnits) for ``radius``: a Quantity/Angle (kept in its unit when it is
    arcsec/arcmin/deg, else converted to arcsec) or a number in arcsec."""
    if isinstance(radius, (bool, np.bool_)):
        raise InvalidQueryError(f"radius must be an angle (Quantity) or a number of arcsec, "
                                f"not {radius!r}.")
    if isinstance(radius, str):
        try:
            radius = Angle(radius)
        except (ValueError, u.UnitsError):
            raise InvalidQueryError(f"radius={radius!r} is not an angle.") from None
    if isinstance(radius, u.Quantity):
        if not radius.isscalar or radius.unit.physical_type != "angle":
            raise InvalidQueryError(f"radius must be a scalar angle, not {radius!r}.")
        unit = _ANGLE_UNITS.get(radius.unit)
        value = float(radius.value) if unit else float(radius.to_value(u.arcsec))
        unit = unit or "arcsec"
    elif isinstance(radius, numbers.Real):
        value, unit = float(radius), "arcsec"
    else:
        raise InvalidQueryError(f"radius must be an angle (Quantity) or a number of arcsec, "
                                f"not {radius!r}.")
    if not np.isfinite(value) or value <= 0:
        raise InvalidQueryError(f"radius must be positive and finite, not {radius!r}.")
    return value, unit


def cone_payload(coordinates, radius):
    """Wire fields of a cone: ``searchName`` (str) or ``searchRA``/``searchDec`` (ICRS deg)."""
    value, unit = radius_value(radius)
    fields = {"adUnits": unit}
    if isinstance(coordinates, str):
        if not coordinates.strip():
            raise InvalidQueryError("coordinates must not be an empty string.")
        fields["searchName"] = coordinates.strip()
    elif isinstance(coordinates, SkyCoord):
        if not coordinates.isscalar:
            raise InvalidQueryError("coordinates must be a single position, not an array SkyCoord.")
        icrs = coordinates.icrs
        fields["searchRA"] = float(icrs.ra.deg)
        fields["searchDec"] = float(icrs.dec.deg)
    else:
        raise InvalidQueryError(f"coordinates must be a SkyCoord or a string (object name or "
                                f"position), not {type(coordinates).__name__}.")
    fields["searchRad"] = value
    return fields


# -- the query --------------------------------------------------------------------------
_COLUMN_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def check_column_name(argument, name):
    """The form of a column name (letters, digits, ``_``), checked without the metadata."""
    if not isinstance(name, str) or not _COLUMN_NAME.match(name):
        raise InvalidQueryError(f"{argument}: {name!r} is not a column name (letters, digits "
                                "and '_'); see SXPS.get_table_metadata() for the names.")
    return name


def check_query_args(catalog, table, subset, columns, max_rows, sort_by, sort_dir):
    catalog = check_catalog(catalog)
    table = check_table(table, catalog)
    if subset is not None:
        subset = check_subset(subset, table)
        subset = {"ultra-clean": "ultraclean"}.get(subset, subset)
    if columns is not None:
        if isinstance(columns, str):
            columns = [columns]
        if not isinstance(columns, (list, tuple)) or not columns or not all(
                isinstance(c, str) and c for c in columns):
            raise InvalidQueryError(f"columns must be a column name, a list of names or '*', "
                                    f"not {columns!r}.")
        if "*" in columns and len(columns) > 1:
            raise InvalidQueryError(f"columns: '*' (every column) must be given alone, "
                                    f"not in {list(columns)!r}.")
        if columns != ["*"]:
            for name in columns:
                check_column_name("columns", name)
            columns = list(dict.fromkeys(columns))
    if max_rows is not None:
        if isinstance(max_rows, (bool, np.bool_)) or not isinstance(max_rows, numbers.Integral) \
                or max_rows < 1:
            raise InvalidQueryError(f"max_rows must be a positive integer or None (all rows), "
                                    f"not {max_rows!r}.")
        max_rows = int(max_rows)
    if sort_by is not None:
        check_column_name("sort_by", sort_by)
    sort_dir = choose("sort_dir", sort_dir, ("ASC", "DESC"))
    return catalog, table, subset, columns, max_rows, sort_by, sort_dir


def resolve_columns(columns, metadata):
    names = list(metadata["ColName"])
    if columns is None:
        chosen = [n for n, d in zip(names, metadata["default"]) if d]
        return chosen or names
    if list(columns) == ["*"]:
        return names
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise InvalidQueryError(f"columns: {unknown} not in this table; see "
                                "SXPS.get_table_metadata() for the column names.")
    return list(dict.fromkeys(columns))


def page_request(base, first_row, num_rows):
    payload = dict(base)
    payload["firstRow"] = int(first_row)
    payload["numRows"] = int(num_rows)
    return APIRequest("queryDB", payload, min_keys=("Results", "NumRows"),
                      identifier=f"{base.get('database')} {base.get('table')}")


def base_payload(catalog, table, cols, subset, filters, cone, sort_by, sort_dir):
    payload = {"database": catalog, "table": table, "adUnits": (cone or {}).get("adUnits", "arcsec"),
               "sortDir": sort_dir, "cols": list(cols)}
    if sort_by is not None:
        payload["sortBy"] = sort_by
    if filters:
        payload["constraints"] = filters
    if subset is not None:
        payload["subset"] = subset
    if cone:
        payload.update({k: v for k, v in cone.items() if k != "adUnits"})
    return payload


def run_query(call, base, max_rows):
    """Page through ``queryDB``; returns (records, first reply)."""
    records, first = [], None
    first_row = 0
    while True:
        want = PAGE_ROWS if max_rows is None else min(PAGE_ROWS, max_rows - len(records))
        reply = call(page_request(base, first_row, want))
        page = reply.get("Results") or []
        if isinstance(page, dict):       # tolerate {"columns": [...], "data": [[...]]}
            cols = page.get("columns") or []
            page = [dict(zip(cols, row)) for row in page.get("data") or []]
        try:
            num = int(float(reply.get("NumRows")))
        except (TypeError, ValueError):
            raise SXPSResponseError(f"queryDB returned a non-numeric NumRows "
                                    f"{reply.get('NumRows')!r}.", api_func="queryDB") from None
        if num != len(page):
            raise SXPSResponseError(
                f"queryDB page at firstRow={first_row} says NumRows={num} but holds "
                f"{len(page)} records.", api_func="queryDB")
        if first is None:
            first = reply
        records.extend(page[:want])
        if len(page) < want or (max_rows is not None and len(records) >= max_rows):
            return records, first
        first_row += want


def _column_values(values):
    return [None if (v is None or (isinstance(v, str) and v.strip().upper() in ("", "NAN", "NULL",
                                                                                "NONE")))
            else v for v in values]


def _numeric(values):
    clean = _column_values(values)
    floats = np.array([np.nan if v is None else _to_float(v) for v in clean], dtype=float)
    finite = floats[np.isfinite(floats)]
    integral = all(isinstance(v, numbers.Integral) or (isinstance(v, str) and
                                                       v.strip().lstrip("+-").isdigit())
                   for v in clean if v is not None)
    if integral and finite.size and np.all(finite == np.round(finite)):
        missing = ~np.isfinite(floats)
        ints = np.where(missing, 0, floats).astype(np.int64)
        return MaskedColumn(ints, mask=missing) if missing.any() else ints
    return floats


def _to_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def build_results(records, metadata, cols, *, radius_unit="arcsec", resolved=None):
    """Typed, unit-bearing Table from the ``queryDB`` records (sorted by distance)."""
    types = {n: t for n, t in zip(metadata["ColName"], metadata["Type"])}
    obs_cols = set(np.asarray(metadata["ColName"])[np.asarray(metadata["IsObsCol"], dtype=bool)])
    names = []
    for rec in records:
        for key in rec:
            if key not in names:
                names.append(key)
    if not records:
        names = (["_r"] if resolved is not None else []) + list(cols)
    unknown = [n for n in names if n != "_r" and n not in types]
    table = Table()
    for name in names:
        values = [rec.get(name) for rec in records]
        kind = types.get(name, "")
        out_name = "distance" if name == "_r" else name
        if name in obs_cols:
            table[out_name] = obsid_strings(values)
        elif name == "_r" or kind in _NUMERIC_TYPES or kind in ("COORDH", "COORDD"):
            table[out_name] = _numeric(values)
            if name == "_r":
                table[out_name].unit = u.Unit(radius_unit)
            elif kind in ("COORDH", "COORDD"):
                table[out_name] = np.asarray(table[out_name], dtype=float)
                table[out_name].unit = u.deg
            else:
                unit = column_unit(name)
                if unit is not None and table[out_name].dtype.kind == "f":
                    table[out_name].unit = unit
        elif kind == "UTC":
            table[out_name] = utc_times(values)
        else:
            table[out_name] = np.array(["" if v is None else str(v) for v in values], dtype=str)
    if unknown:
        table.meta["unknown_columns"] = unknown
    ra = next((n for n in table.colnames if types.get(n) == "COORDH"), None)
    dec = next((n for n in table.colnames if types.get(n) == "COORDD" and n not in ("l", "b")), None)
    if ra and dec and len(table):
        table["coord"] = SkyCoord(np.asarray(table[ra], float) * u.deg,
                                  np.asarray(table[dec], float) * u.deg, frame="icrs")
    if "distance" in table.colnames and len(table):
        order = np.argsort(np.asarray(table["distance"], dtype=float), kind="stable")
        table = table[order]
    return table


def finish_results(table, first, *, catalog, table_name, cone):
    meta = {"catalog": catalog, "table": table_name}
    if first is not None:
        if first.get("ResolvedInfo") is not None:
            meta["resolved_info"] = first["ResolvedInfo"]
        ra, dec = first.get("ResolvedRA"), first.get("ResolvedDec")
        if ra is not None and dec is not None:
            try:
                meta["resolved_position"] = SkyCoord(float(ra) * u.deg, float(dec) * u.deg,
                                                     frame="icrs")
            except (TypeError, ValueError):
                pass
    if cone:
        meta["search_radius"] = cone["searchRad"] * u.Unit(cone["adUnits"])
    if not len(table):
        warn(f"The {catalog} {table_name} query returned no rows.", NoResultsWarning)
    return finish_table(table, meta)


# -- the columns a query names --------------------------------------------------------
class KnownColumns:
    """The columns of each table, as its metadata (``getMetadata``) last gave them.

    Every query sends ``cols`` (``docs/sxps/api_protocol.rst``, queryDB): the
    user's choice, else the table's BASIC columns, which only ``getMetadata``
    knows. A payload (``get_query_payload=True``) sends nothing, so it names
    them from here: the metadata read by this process (by a query or
    ``get_table_metadata``). Before that, the payload shows `PLACEHOLDERS`
    instead of names it cannot know, rather than leaving ``cols`` out or
    inventing a list; the query then sends the metadata's names. The
    metadata is small and changes rarely; a query always reads it afresh
    (or from the cache) before sending ``queryDB``.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._columns = {}

    def remember(self, catalog, table, metadata):
        """Record ``(BASIC columns, all columns)`` of ``catalog``/``table`` from its metadata."""
        names = [str(n) for n in metadata["ColName"]]
        default = [str(n) for n in resolve_columns(None, metadata)]     # plain str, not np.str_
        with self._lock:
            self._columns[(catalog, table)] = (default, names)

    def columns(self, catalog, table, everything=False):
        """The default (or every) column names of the table, or None if not known yet."""
        with self._lock:
            known = self._columns.get((catalog, table))
        return None if known is None else list(known[1 if everything else 0])

    def clear(self):
        """Forget every table (they are read again from the next metadata)."""
        with self._lock:
            self._columns.clear()


#: The columns of the tables whose metadata this process has read.
KNOWN_COLUMNS = KnownColumns()
#: What a payload's ``cols`` holds when the columns are not known without a request.
PLACEHOLDERS = {"default": "<BASIC columns of the table, from getMetadata>",
                "all": "<every column of the table, from getMetadata>"}


def payload_columns(catalog, table, columns):
    """``cols`` as a payload shows it, without sending anything (see `KnownColumns`)."""
    if columns is not None and list(columns) != ["*"]:
        return list(columns)
    everything = columns is not None
    known = KNOWN_COLUMNS.columns(catalog, table, everything=everything)
    if known is not None:
        return known
    return [PLACEHOLDERS["all" if everything else "default"]]


# -- plans (what the public methods send) ------------------------------------------------
def _metadata(context, catalog, table):
    result = parse_metadata(context.call(metadata_request(catalog, table)))
    KNOWN_COLUMNS.remember(catalog, table, result)
    return finish_table(result, {"catalog": catalog, "table": table})


def metadata_plan(table="sources", *, catalog="LSXPS"):
    """Check the arguments of ``get_table_metadata``; its plan."""
    catalog = check_catalog(catalog)
    table = check_table(table, catalog)
    return Plan.single(lambda context: _metadata(context, catalog, table),
                       requests=metadata_request(catalog, table))


def query_plan(coordinates=None, radius=None, *, catalog="LSXPS", table="sources",
               subset=None, columns=None, filters=None, max_rows=None, sort_by=None,
               sort_dir="ASC"):
    """Check the arguments of ``query_region``/``query_object``/``query_catalog``; the plan.

    The plan asks ``getMetadata`` first (to check columns, filters and
    ``sort_by`` and to type the results), then pages through ``queryDB``.
    """
    catalog, table, subset, columns, max_rows, sort_by, sort_dir = check_query_args(
        catalog, table, subset, columns, max_rows, sort_by, sort_dir)
    cone = None
    if coordinates is not None or radius is not None:
        if coordinates is None or radius is None:
            raise InvalidQueryError("A cone search needs both coordinates and radius.")
        cone = cone_payload(coordinates, radius)
    wire_filters = normalise_filters(filters)      # form checks, before any request

    def payload():
        # Nothing is sent, so getMetadata is not asked either: columns, filter columns
        # and sort_by are checked for their form only, not against the table's columns.
        # 'cols' is always there: the columns given, else those the metadata read by this
        # process names (KnownColumns), else a placeholder saying where they come from.
        base = base_payload(catalog, table, payload_columns(catalog, table, columns), subset,
                            wire_filters, cone, sort_by, sort_dir)
        return page_request(base, 0, PAGE_ROWS if max_rows is None
                            else min(PAGE_ROWS, max_rows)).body

    def run(context):
        metadata = _metadata(context, catalog, table)
        checked_filters = normalise_filters(filters, metadata)
        cols = resolve_columns(columns, metadata)
        if sort_by is not None and sort_by not in set(metadata["ColName"]):
            raise InvalidQueryError(f"sort_by={sort_by!r} is not a column of the {catalog} "
                                    f"{table} table; see SXPS.get_table_metadata().")
        base = base_payload(catalog, table, cols, subset, checked_filters, cone, sort_by,
                            sort_dir)
        records, first = run_query(context.call, base, max_rows)
        result = build_results(records, metadata, cols,
                               radius_unit=(cone or {}).get("adUnits", "arcsec"),
                               resolved=cone)
        return finish_results(result, first, catalog=catalog, table_name=table, cone=cone)
    return Plan.single(run, payload=payload)


def check_object_name(name):
    """``query_object``'s name must be a non-empty string (resolved by the server)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidQueryError(f"name must be a non-empty object name, not {name!r}.")
    return name
