"""HATS catalogues and the LSDB cross-match (the optional ``[scale]`` extra).

`to_hats` writes an astropy Table (a catalogue table of this package, or any
table with RA/Dec columns) as a HATS catalogue collection (the catalogue and a
margin cache) with LSDB; the units and time columns of the Table are kept in a
small JSON file beside it (``astroquery_sxps.json``) so that cross-match
results come back with them. The cross-match itself
(`astroquery_sxps.scale.crossmatch`) runs on a Dask cluster given by
`dask_client`: the active `dask.distributed` client if there is one, else a
local cluster made for the call.
"""
import contextlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time

from ..exceptions import InvalidQueryError
from .positions import DEC_NAMES, RA_NAMES, angle_argument, find_column

__all__ = ["to_hats", "catalog_to_hats", "default_path", "open_hats", "require_scale", "dask_client", "frame_to_table",
           "margin_arcsec", "DEFAULT_MARGIN", "SIDECAR"]

# pytest-doctestplus: the example of to_hats needs the [scale] extra
__doctest_requires__ = {"to_hats": ["lsdb"]}

#: Default margin of the catalogues written by `to_hats` (the largest cross-match radius).
DEFAULT_MARGIN = 60 * u.arcsec
#: The file, beside the HATS collection, that keeps the Table's units and time columns.
SIDECAR = "astroquery_sxps.json"


def require_scale():
    """Import the ``[scale]`` extra (lsdb, hats, dask.distributed), or say how to get it."""
    try:
        import lsdb  # noqa: F401
        import hats  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "engine='lsdb' and HATS catalogues need the optional 'scale' extra of "
            "astroquery-sxps (lsdb, hats and dask[distributed]): "
            "pip install 'astroquery-sxps[scale]'"
            f" ({exc}).") from exc


def _check_path(path, name="path"):
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise InvalidQueryError(f"{name} must be a directory path (str or path-like), not "
                                f"{path!r}.")
    return Path(path)


def _margin(value):
    return angle_argument("margin_threshold", value, u.arcsec)


def _find(table, names, given, what):
    if given is not None:
        if given not in table.colnames:
            raise InvalidQueryError(f"{what}_column={given!r} is not a column of the table "
                                    f"(columns: {table.colnames[:12]}...).")
        return given
    found = find_column(table, names)
    if found is None:
        raise InvalidQueryError(f"The table has no {what} column ({' or '.join(names)}, any "
                                f"case); name it with {what}_column=.")
    return found


def _frame(table):
    """(pandas DataFrame, column descriptions, {SkyCoord column: index}) of an astropy Table."""
    import pandas as pd
    data, described, skycoords = {}, {}, {}
    for index, name in enumerate(table.colnames):
        col = table[name]
        if isinstance(col, SkyCoord):
            skycoords[name] = index   # rebuilt from the RA/Dec columns when read back
            continue
        if isinstance(col, Time):
            mask = np.asarray(col.mask) if getattr(col, "masked", False) else None
            filled = col.filled(col[~mask][0] if mask is not None and (~mask).any()
                                else Time(51544.0, format="mjd", scale=col.scale)) \
                if mask is not None else col
            if col.scale == "utc":   # a timestamp column, readable by any parquet reader
                values = pd.Series(np.asarray(filled.datetime64, dtype="datetime64[ns]"))
            else:
                values = pd.Series(np.asarray(filled.mjd, dtype=float))
            if mask is not None and mask.any():
                values[mask] = None
            data[name] = values
            described[name] = {"time": {"format": col.format, "scale": col.scale}}
            continue
        if getattr(col, "ndim", 1) != 1:
            raise InvalidQueryError(f"column {name!r} is not one-dimensional: HATS tables "
                                    "need one value per row.")
        unit = getattr(col, "unit", None)
        values = np.asarray(col.value if isinstance(col, u.Quantity) else
                            (col.filled() if isinstance(col, MaskedColumn) else col))
        mask = np.asarray(col.mask) if isinstance(col, MaskedColumn) else None
        if values.dtype.kind in "US":
            series = pd.Series(values.astype(str), dtype="string")
            if mask is not None and mask.any():
                series[mask] = pd.NA
        elif values.dtype.kind in "iub" and mask is not None and mask.any():
            series = pd.Series(pd.array(values, dtype="Int64" if values.dtype.kind != "b"
                                        else "boolean"))
            series[mask] = pd.NA
        elif values.dtype.kind == "f" and mask is not None and mask.any():
            series = pd.Series(np.where(mask, np.nan, values))
        else:
            series = pd.Series(values)
        data[name] = series
        described[name] = {"unit": None if unit is None else unit.to_string(),
                           "dtype": values.dtype.str}
    return pd.DataFrame(data), described, skycoords


def to_hats(table, path, *, catalog_name=None, ra_column=None, dec_column=None,
            margin_threshold=DEFAULT_MARGIN, overwrite=False):
    """Write an astropy Table as a HATS catalogue (with a margin cache), using LSDB.

    Parameters
    ----------
    table : `~astropy.table.Table`
        The catalogue, e.g. ``SXPS.get_full_table('sources')``. Every row needs
        a finite position.
    path : str or path-like
        The directory of the HATS collection (catalogue, margin cache and
        ``astroquery_sxps.json``, which keeps the units and time columns).
    catalog_name : str, optional
        Name of the catalogue (default: the directory's name).
    ra_column, dec_column : str, optional
        The position columns (default: ``ra``/``RA`` and ``dec``/``Dec``/``Decl``,
        any case), in degrees.
    margin_threshold : `~astropy.units.Quantity` or float, optional
        Width of the margin cache (a number is in arcsec; default 60 arcsec):
        the largest radius this catalogue can be cross-matched with exactly.
    overwrite : bool, optional
        Replace an existing catalogue at ``path``.

    Returns
    -------
    `pathlib.Path`
        ``path``.

    Raises
    ------
    ImportError
        The ``[scale]`` extra (lsdb) is not installed.

    Examples
    --------
    >>> from astropy.table import Table
    >>> from astroquery_sxps import to_hats
    >>> cat = Table({'RA': [10.0, 10.01, 200.0], 'Decl': [-5.0, -5.0, 30.0], 'ID': [1, 2, 3]})
    >>> path = to_hats(cat, 'tiny_hats', catalog_name='tiny', overwrite=True)
    >>> sorted(p.name for p in path.iterdir())
    ['astroquery_sxps.json', 'collection.properties', 'tiny', 'tiny_60arcs']
    """
    require_scale()
    import lsdb
    if not isinstance(table, Table):
        raise InvalidQueryError(f"table must be an astropy Table, not {type(table).__name__}.")
    path = _check_path(path)
    if catalog_name is None:
        catalog_name = path.name
    if not isinstance(catalog_name, str) or not catalog_name.strip() \
            or any(ch in catalog_name for ch in "/\\"):
        raise InvalidQueryError(f"catalog_name must be a plain non-empty name, not "
                                f"{catalog_name!r}.")
    margin = _margin(margin_threshold)
    if not isinstance(overwrite, bool):
        raise InvalidQueryError(f"overwrite must be True or False, not {overwrite!r}.")
    if len(table) == 0:
        raise InvalidQueryError("table is empty: a HATS catalogue needs at least one row.")
    ra_name = _find(table, RA_NAMES, ra_column, "ra")
    dec_name = _find(table, DEC_NAMES, dec_column, "dec")
    if path.exists() and any(path.iterdir()) and not overwrite:
        raise InvalidQueryError(f"path={str(path)!r} exists and is not empty; pass "
                                "overwrite=True to replace it.")
    frame, described, skycoords = _frame(table)
    ra = np.asarray(frame[ra_name], float)
    dec = np.asarray(frame[dec_name], float)
    if not (np.isfinite(ra).all() and np.isfinite(dec).all()):
        raise InvalidQueryError(f"Every row needs a finite position: {ra_name!r}/{dec_name!r} "
                                "hold NaN or masked values.")
    catalog = lsdb.from_dataframe(frame, ra_column=ra_name, dec_column=dec_name,
                                  catalog_name=catalog_name,
                                  margin_threshold=float(margin.to_value(u.arcsec)))
    if path.exists() and overwrite:
        shutil.rmtree(path)
    catalog.write_catalog(path, catalog_name=catalog_name, as_collection=True, overwrite=True,
                          progress_bar=False)
    sidecar = {"ra_column": ra_name, "dec_column": dec_name, "columns": described,
               "skycoord_columns": skycoords,
               "margin_threshold_arcsec": float(margin.to_value(u.arcsec)),
               "catalog_name": catalog_name}
    (path / SIDECAR).write_text(json.dumps(sidecar, indent=1))
    return path


def default_path(context, catalog, table):
    """Where the HATS catalogue of a catalogue table is kept: a folder in the cache."""
    if context is None:
        raise InvalidQueryError("Without a path, the HATS catalogue is kept in the cache of "
                                "an SXPSClass: call SXPS.to_hats / SXPS.crossmatch, or give "
                                "the path (catalog_hats).")
    return context.derived_folder("hats", f"{catalog}_{table}")


def catalog_to_hats(query, table="sources", path=None, *, catalog="LSXPS", catalog_name=None,
                    margin_threshold=DEFAULT_MARGIN, overwrite=False, show_progress=True,
                    cache=True, context=None):
    """`to_hats` of a catalogue table given by name (fetched with ``get_full_table``) or a Table.

    See `astroquery_sxps.SXPSClass.to_hats`.
    """
    from .._validation import check_bool, check_catalog
    from ..catalog.tables import check_table
    check_bool("show_progress", show_progress)
    check_bool("cache", cache)
    catalog = check_catalog(catalog)
    name = check_table(table, catalog) if isinstance(table, str) else None
    if name is None and not isinstance(table, Table):
        raise InvalidQueryError(f"table must be a table name of {catalog} or an astropy "
                                f"Table, not {type(table).__name__}.")
    if path is None:
        if name is None:
            raise InvalidQueryError("path is required when table is a Table (the default "
                                    "path is for the catalogue's own tables).")
        path = default_path(context, catalog, name)
    path = _check_path(path)
    require_scale()
    if name is not None:
        table = query.get_full_table(name, catalog=catalog, show_progress=show_progress,
                                     cache=cache)
    return to_hats(table, path, catalog_name=catalog_name or (f"{catalog}_{name}" if name
                                                              else None),
                   margin_threshold=margin_threshold, overwrite=overwrite)


def read_sidecar(path):
    """The column descriptions `to_hats` wrote, or None (a catalogue made elsewhere).

    The file is untrusted: only its expected, plain fields are used.
    """
    try:
        data = json.loads((Path(path) / SIDECAR).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        return None
    return data


def open_hats(path):
    """(lsdb catalogue, sidecar or None) of a HATS directory."""
    require_scale()
    import lsdb
    path = _check_path(path)
    if not path.exists():
        raise InvalidQueryError(f"{str(path)!r} does not exist: it should be a HATS catalogue "
                                "directory (see to_hats).")
    try:
        catalog = lsdb.open_catalog(path)
    except (FileNotFoundError, ValueError) as exc:
        raise InvalidQueryError(f"{str(path)!r} is not a HATS catalogue ({exc}).") from None
    return catalog, read_sidecar(path)


def margin_arcsec(catalog):
    """The margin threshold (arcsec) of an LSDB catalogue, or 0 without a margin."""
    if catalog.margin is None:
        return 0.0
    return float(catalog.margin.hc_structure.catalog_info.margin_threshold or 0.0)


@contextlib.contextmanager
def dask_client():
    """The active `dask.distributed` client, or a local cluster for the duration.

    The local cluster runs its workers as threads of this process: it starts in
    a fraction of a second and works from any script, notebook or doctest
    (worker *processes* re-import the caller's ``__main__``, which fails in a
    script without an ``if __name__ == '__main__':`` guard). For worker
    processes or a real cluster, make a `distributed.Client` yourself: it is
    used while it is the active client.
    """
    require_scale()
    from distributed import Client, LocalCluster, get_client
    try:
        client = get_client()
    except ValueError:
        client = None
    if client is not None:
        with client.as_current():
            yield client
        return
    workers = max(1, min(os.cpu_count() or 1, 4))
    # The scheduler's HTTP server starts even without a dashboard, on port 8787
    # unless told otherwise; a free port keeps concurrent sessions from warning.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=False,
                      dashboard_address=':0', scheduler_kwargs={'dashboard': False}
                      ) as cluster, Client(cluster) as client:
        with client.as_current():
            yield client


def frame_to_table(frame, sidecar=None):
    """A pandas (or LSDB nested) DataFrame -> astropy Table, with the sidecar's types."""
    import pandas as pd
    described = (sidecar or {}).get("columns") or {}
    out = Table()
    for name in frame.columns:
        series = frame[name]
        desc = described.get(name) if isinstance(described.get(name), dict) else {}
        mask = np.asarray(series.isna(), bool)
        time_desc = desc.get("time")
        if not isinstance(time_desc, dict) and pd.api.types.is_datetime64_any_dtype(series.dtype):
            time_desc = {}      # timestamps the sidecar does not describe: UTC
        if isinstance(time_desc, dict):
            fmt, scale = time_desc.get("format"), time_desc.get("scale")
            scale = scale if scale in Time.SCALES else "utc"
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                stamps = series.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
                t = Time(np.where(mask, np.datetime64("2000-01-01"), stamps),
                         format="datetime64", scale=scale)
            else:
                mjd = series.to_numpy(dtype=float, na_value=np.nan)
                t = Time(np.where(mask, 51544.0, mjd), format="mjd", scale=scale)
            if fmt in Time.FORMATS:
                t.format = fmt
            if mask.any():
                t[mask] = np.ma.masked
            out[name] = t
            continue
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype):
            values = series.to_numpy(dtype=bool, na_value=False)
        elif pd.api.types.is_integer_dtype(dtype):
            values = series.to_numpy(dtype=np.int64, na_value=0)
        elif pd.api.types.is_float_dtype(dtype):
            values = series.to_numpy(dtype=float, na_value=np.nan)
        else:
            values = np.array(["" if m else str(v) for v, m in zip(series.to_numpy(object), mask)],
                              dtype=str)
        want = desc.get("dtype")
        if isinstance(want, str):
            try:
                want = np.dtype(want)
                if want.kind == values.dtype.kind or (want.kind in "iu" and values.dtype.kind in "iu"):
                    values = values.astype(want)
            except TypeError:
                pass
        unit = desc.get("unit")
        try:
            unit = u.Unit(unit) if isinstance(unit, str) else None
        except ValueError:
            unit = None
        if mask.any() and values.dtype.kind != "f":
            out[name] = MaskedColumn(values, mask=mask, unit=unit)
        else:
            out[name] = Column(values, unit=unit)
    sidecar = sidecar or {}
    ra, dec = sidecar.get("ra_column"), sidecar.get("dec_column")
    skycoords = sidecar.get("skycoord_columns")
    if isinstance(skycoords, dict) and ra in out.colnames and dec in out.colnames:
        for name, index in skycoords.items():
            if isinstance(name, str) and isinstance(index, int) and name not in out.colnames:
                out.add_column(SkyCoord(np.asarray(out[ra], float) * u.deg,
                                        np.asarray(out[dec], float) * u.deg, frame="icrs"),
                               name=name, index=min(max(index, 0), len(out.colnames)))
    return out
