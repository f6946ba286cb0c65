"""Cross-matching a list of positions (or a catalogue) with an SXPS catalogue table.

Three engines give the same pairs on the same data:

``'astropy'``
    The full catalogue table (`~astroquery_sxps.SXPSClass.get_full_table`,
    downloaded once and kept in astroquery's cache; the table read from it is
    also kept in memory by the query object while ``cache=True``) against the
    input with `~astropy.coordinates.search_around_sky`. Everything is in
    memory: fine for LSXPS (278,198 sources) against millions of positions.
``'server'``
    One cone search (`~astroquery_sxps.SXPSClass.query_region`) per input
    position, on a thread pool of ``conf.max_workers``: for a handful of
    positions, without downloading the table.
``'lsdb'``
    An LSDB cross-match of HATS catalogues on a Dask cluster (the optional
    ``[scale]`` extra), for inputs that do not fit one machine: the catalogue
    table is written once as a HATS catalogue (`to_hats`, in astroquery's
    cache unless ``catalog_hats`` names one) and ``other`` may itself be an
    LSDB catalogue or a HATS directory.
"""
import sys
import threading
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord, search_around_sky
from astropy.table import Table, vstack

from .._conf import conf
from .._validation import check_bool, check_catalog, choose
from ..exceptions import InvalidQueryError, NoResultsWarning
from .positions import angle_argument, table_coords

__all__ = ["crossmatch", "ENGINES"]

ENGINES = ("astropy", "server", "lsdb")

# Full tables read by each query object (weakly held: they go with the object).
_TABLES = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _radius(radius):
    """A positive angle; numbers are arcsec (as in query_region)."""
    return angle_argument("radius", radius, u.arcsec)


def _full_table(query, catalog, table, cache, show_progress):
    key = (query.server, catalog, table)
    if cache:
        with _LOCK:
            found = _TABLES.get(query, {}).get(key)
        if found is not None:
            return found
    full = query.get_full_table(table, catalog=catalog, show_progress=show_progress, cache=cache)
    if cache:
        with _LOCK:
            _TABLES.setdefault(query, {})[key] = full
    return full


def _catalog_coords(full):
    if "coord" in full.colnames and isinstance(full["coord"], SkyCoord):
        return full["coord"]
    return table_coords(full, name="the catalogue table")


def _pairs_table(rows, input_index, separation):
    """Sort pairs by input then separation; input_index first, separation last."""
    order = np.lexsort((separation, input_index))
    out = rows[order] if len(rows.colnames) else Table()
    out.add_column(np.asarray(input_index, dtype=np.int64)[order], name="input_index", index=0)
    out["separation"] = u.Quantity(np.asarray(separation, float)[order], u.arcsec)
    return out


# -- astropy -------------------------------------------------------------------
def _astropy(query, coords, radius, catalog, table, cache, show_progress):
    full = _full_table(query, catalog, table, cache, show_progress)
    cat = _catalog_coords(full)
    # search_around_sky loops in Python over its first argument: give it the shorter
    if len(coords) <= len(cat):
        i_in, i_cat, sep, _ = search_around_sky(coords, cat, radius)
    else:
        i_cat, i_in, sep, _ = search_around_sky(cat, coords, radius)
    result = _pairs_table(full[i_cat], i_in, sep.to_value(u.arcsec))
    result.meta.update(full.meta)
    return result


# -- server ---------------------------------------------------------------------
def _server(query, coords, radius, catalog, table, cache):
    def cone(i):
        found = query.query_region(coords[i], radius, catalog=catalog, table=table,
                                   columns="*", cache=cache)
        if len(found) == 0:
            return None
        if "distance" in found.colnames:
            found.remove_column("distance")
        sep = coords[i].separation(_catalog_coords(found)).to_value(u.arcsec)
        return found, np.full(len(found), i), sep

    workers = max(1, min(int(conf.max_workers), len(coords)))
    with warnings.catch_warnings():
        # an empty cone is an answer here (no match), not something to warn about
        warnings.simplefilter("ignore", NoResultsWarning)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = [f for f in pool.map(cone, range(len(coords))) if f is not None]
    if not found:   # no catalogue columns to show: only the pair columns
        return _pairs_table(Table(), np.zeros(0, np.int64), np.zeros(0))
    rows = vstack([f[0] for f in found], metadata_conflicts="silent")
    result = _pairs_table(rows, np.concatenate([f[1] for f in found]),
                          np.concatenate([f[2] for f in found]))
    result.meta.pop("search_radius", None)   # of one cone; meaningless for the stack
    return result


# -- lsdb -------------------------------------------------------------------------
def _catalog_hats(query, catalog, table, radius, catalog_hats, cache, show_progress, context):
    """(LSDB catalogue, sidecar) of the SXPS table; written to the cache if needed."""
    from . import hats
    if catalog_hats is not None:
        cat, sidecar = hats.open_hats(catalog_hats)
        if hats.margin_arcsec(cat) < radius.to_value(u.arcsec):
            raise InvalidQueryError(
                f"radius={radius} is larger than the margin of catalog_hats "
                f"({hats.margin_arcsec(cat)} arcsec): pairs across partition boundaries would "
                "be lost. Write it again with to_hats(..., margin_threshold=...) at least as "
                "large as the radius.")
        return cat, sidecar
    margin = max(hats.DEFAULT_MARGIN, radius)
    path = hats.default_path(context, catalog, table)
    if cache and path.exists():
        try:
            cat, sidecar = hats.open_hats(path)
            if hats.margin_arcsec(cat) >= radius.to_value(u.arcsec) and sidecar is not None:
                return cat, sidecar
        except InvalidQueryError:
            pass    # a broken cache entry: written again below
    full = _full_table(query, catalog, table, cache, show_progress)
    hats.to_hats(full, path, catalog_name=f"{catalog}_{table}", margin_threshold=margin,
                 overwrite=True)
    return hats.open_hats(path)


def _input_catalog(other, coords):
    """(LSDB catalogue, its sidecar, whether the input_index is ours) of ``other``."""
    import lsdb
    from . import hats
    if coords is not None:
        import pandas as pd
        frame = pd.DataFrame({"input_index": np.arange(len(coords), dtype=np.int64),
                              "input_ra": coords.ra.deg, "input_dec": coords.dec.deg})
        return lsdb.from_dataframe(frame, ra_column="input_ra", dec_column="input_dec",
                                   catalog_name="input", margin_threshold=None), None, True
    if isinstance(other, lsdb.Catalog):
        return other, None, False
    cat, sidecar = hats.open_hats(other)
    return cat, sidecar, False


def _lsdb(query, other, coords, radius, catalog, table, catalog_hats, cache, show_progress,
          context):
    from . import hats
    hats.require_scale()
    from .allpairs import AllPairsCrossmatch
    right, right_sidecar = _catalog_hats(query, catalog, table, radius, catalog_hats, cache,
                                         show_progress, context)
    left, left_sidecar, ours = _input_catalog(other, coords)
    suffixes = ("_input", "")
    matched = left.crossmatch(right, algorithm=AllPairsCrossmatch(radius.to_value(u.arcsec)),
                              suffixes=suffixes, suffix_method="overlapping_columns",
                              log_changes=False)
    with hats.dask_client(), warnings.catch_warnings():
        # the input positions built here travel inside the task graph by design
        warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
        frame = matched.compute(progress_bar=show_progress)
    right_columns = [c for c in right.columns]
    left_columns = [c for c in left.columns]
    # columns of both catalogues got the "_input" suffix on the input's side only
    left_names = {c: (c + suffixes[0] if c in right_columns else c) for c in left_columns}
    cat_table = hats.frame_to_table(frame[[c for c in right_columns]], right_sidecar)
    separation = frame["_dist_arcsec"].to_numpy(dtype=float)
    if ours:
        input_index = frame["input_index"].to_numpy(dtype=np.int64)
        result = _pairs_table(cat_table, input_index, separation)
    else:
        # another catalogue: its own columns come along (its rows have no input order);
        # pairs are sorted by its spatial index (_healpix_29), then by separation
        inputs = hats.frame_to_table(frame[[left_names[c] for c in left_columns]],
                                     {"columns": {left_names.get(k, k): v for k, v in
                                                  ((left_sidecar or {}).get("columns") or {}).items()}})
        spatial = np.asarray(frame.index.to_numpy(), dtype=np.int64)
        order = np.lexsort((separation, spatial))
        result = cat_table[order]
        for i, name in enumerate(inputs.colnames):
            result.add_column(inputs[name][order], name=name, index=i)
        result["separation"] = u.Quantity(separation[order], u.arcsec)
    result.meta.update({"catalog": catalog, "table": table})
    return result


# -- the public function ------------------------------------------------------------
def crossmatch(query, other, radius, *, catalog="LSXPS", table="sources", engine="astropy",
               catalog_hats=None, show_progress=True, cache=True, context=None):
    """Pairs of (input row, catalogue row) closer than ``radius``.

    See `astroquery_sxps.SXPSClass.crossmatch` for the parameters.

    Examples
    --------
    >>> import astropy.units as u
    >>> from astropy.coordinates import SkyCoord
    >>> from astroquery_sxps import SXPS
    >>> from astroquery_sxps.scale import crossmatch
    >>> pairs = crossmatch(SXPS, SkyCoord([249.2525], [7.6539], unit='deg'),
    ...                    10 * u.arcsec)  # doctest: +REMOTE_DATA +SKIP
    """
    engine = choose("engine", engine, ENGINES)
    catalog = check_catalog(catalog)
    from ..catalog.tables import check_table
    table = check_table(table, catalog)
    radius = _radius(radius)
    check_bool("show_progress", show_progress)
    check_bool("cache", cache)
    if catalog_hats is not None and engine != "lsdb":
        raise InvalidQueryError("catalog_hats applies to engine='lsdb' only.")
    coords = None
    is_hats_input = isinstance(other, (str, Path)) or _is_lsdb_catalog(other)
    if is_hats_input and engine != "lsdb":
        raise InvalidQueryError(
            f"other is {'an LSDB catalogue' if _is_lsdb_catalog(other) else 'a HATS path'}: "
            "use engine='lsdb' (engine='astropy' and 'server' take a SkyCoord or a Table).")
    if not is_hats_input:
        coords = table_coords(other, name="other")
        if len(coords) == 0:
            raise InvalidQueryError("other holds no positions.")
    if engine == "astropy":
        return _astropy(query, coords, radius, catalog, table, cache, show_progress)
    if engine == "server":
        return _server(query, coords, radius, catalog, table, cache)
    from . import hats
    hats.require_scale()
    return _lsdb(query, other, coords, radius, catalog, table, catalog_hats, cache,
                 show_progress, context)


def _is_lsdb_catalog(value):
    # An lsdb.Catalog can exist only once lsdb is imported: importing it here
    # would cost every call over a second when the extra is installed.
    lsdb = sys.modules.get("lsdb")
    return lsdb is not None and isinstance(value, lsdb.Catalog)
