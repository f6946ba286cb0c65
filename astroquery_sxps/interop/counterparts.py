"""Counterparts of SXPS sources in SIMBAD and VizieR catalogues, through astroquery.

The catalogue record already lists the UKSSDC's own cross-matches
(``details['CrossMatch']``); `find_counterparts` asks SIMBAD and any VizieR
catalogue, live, within each source's error circle. It needs the network
(CDS's services), unlike the rest of this package's offline-testable code.
"""
import numbers

import numpy as np
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astropy.table import Column, QTable, Table, vstack
from astroquery import log
from astroquery.exceptions import RemoteServiceError
from requests.exceptions import RequestException

from ..exceptions import InvalidQueryError

__all__ = ["find_counterparts", "MAX_RADIUS", "MAX_SOURCES"]

#: The largest search radius: beyond it a match is not a counterpart of a Swift-XRT
#: source (90 per cent errors are a few arcsec, rarely above 20 arcsec).
MAX_RADIUS = 60 * u.arcsec
#: The most sources one call looks up (one query per source and catalogue: be gentle
#: with the CDS services).
MAX_SOURCES = 100
_NAME_COLUMNS = ("IAUName", "Name", "SourceName", "LSXPS_ID", "2SXPS_ID", "SourceID")


def _sources(source_or_table):
    """[(label, SkyCoord, err90 Quantity or None)] of the X-ray sources given."""
    if isinstance(source_or_table, dict) and hasattr(source_or_table, "coord"):
        coord = source_or_table.coord
        if coord is None:
            raise InvalidQueryError("These details hold no position (RA/Decl).")
        label = source_or_table.get("IAUName") or getattr(source_or_table, "requested", None)
        return [(str(label), coord, source_or_table.err90)]
    if isinstance(source_or_table, SkyCoord) and source_or_table.isscalar:
        return [(source_or_table.to_string("decimal"), source_or_table, None)]
    if not isinstance(source_or_table, Table):
        raise InvalidQueryError(
            "source_or_table must be source/transient details, a table of sources (with RA "
            f"and Decl in degrees) or one SkyCoord, not {type(source_or_table).__name__}.")
    table = source_or_table
    ra_name = next((c for c in ("RA", "ra", "RA_ICRS") if c in table.colnames), None)
    dec_name = next((c for c in ("Decl", "Dec", "dec", "DE_ICRS") if c in table.colnames), None)
    if ra_name is None or dec_name is None:
        raise InvalidQueryError("The table has no RA/Decl columns to search around; its "
                                f"columns are {table.colnames[:12]}...")
    if len(table) > MAX_SOURCES:
        raise InvalidQueryError(f"The table has {len(table)} sources; find_counterparts looks "
                                f"up at most {MAX_SOURCES} per call (one query per source and "
                                "catalogue): pass a slice of it.")
    name_col = next((c for c in _NAME_COLUMNS if c in table.colnames), None)
    ra = u.Quantity(table[ra_name], u.deg) if table[ra_name].unit is not None \
        else np.asarray(table[ra_name], dtype=float) * u.deg
    dec = u.Quantity(table[dec_name], u.deg) if table[dec_name].unit is not None \
        else np.asarray(table[dec_name], dtype=float) * u.deg
    errors = None
    if "Err90" in table.colnames:
        col = table["Err90"]
        errors = u.Quantity(col, u.arcsec) if col.unit is not None \
            else np.asarray(col, dtype=float) * u.arcsec
    out = []
    for i in range(len(table)):
        label = str(table[name_col][i]) if name_col else str(i)
        err = None if errors is None or not np.isfinite(errors[i]) else errors[i]
        out.append((label, SkyCoord(ra[i], dec[i], frame="icrs"), err))
    return out


def _radius(radius, err90, label):
    if radius is None:
        if err90 is None:
            raise InvalidQueryError(f"{label!r} has no 90 per cent error (Err90); give radius "
                                    "(e.g. 10 * u.arcsec).")
        if err90 > MAX_RADIUS:
            log.info(f"The error circle of {label} ({err90:.1f}) is larger than the maximum; "
                     f"searching within {MAX_RADIUS}.")
        return min(err90.to(u.arcsec), MAX_RADIUS)
    return radius


def _check_radius(radius):
    if radius is None:
        return None
    if isinstance(radius, numbers.Real) and not isinstance(radius, bool):
        radius = radius * u.arcsec
    try:
        radius = Angle(radius).to(u.arcsec)
    except (u.UnitsError, ValueError, TypeError):
        raise InvalidQueryError(f"radius must be an angle (a Quantity such as 5 * u.arcsec, or "
                                f"a number of arcsec), not {radius!r}.") from None
    if not radius.isscalar or not 0 < radius.value <= MAX_RADIUS.to_value(u.arcsec):
        raise InvalidQueryError(f"radius must be in (0, {MAX_RADIUS}], not {radius}.")
    return radius


def _check_catalogs(catalogs):
    if isinstance(catalogs, str):
        catalogs = (catalogs,)
    if not isinstance(catalogs, (list, tuple)) or not catalogs or not all(
            isinstance(c, str) and c.strip() for c in catalogs):
        raise InvalidQueryError("catalogs must be 'SIMBAD', a VizieR catalogue (e.g. "
                                "'I/355/gaiadr3', 'II/246') or a list of them, not "
                                f"{catalogs!r}.")
    return ["SIMBAD" if c.strip().upper() == "SIMBAD" else c.strip() for c in catalogs]


def _column(table, names):
    return next((table[name] for name in names if name in table.colnames), None)


def _as_deg(col):
    if getattr(col, "unit", None) is not None:
        return u.Quantity(col, u.deg).value
    return np.asarray(col, dtype=float)


def _rows(found, catalog, label, centre, radius):
    """The found table as rows of the result: catalog, name, ra, dec, separation."""
    ra = _column(found, ("ra", "RA", "_RAJ2000", "RAJ2000", "RA_ICRS", "RAdeg"))
    dec = _column(found, ("dec", "DEC", "_DEJ2000", "DEJ2000", "DE_ICRS", "DEdeg"))
    if ra is None or dec is None:
        raise RemoteServiceError(f"{catalog} returned a table without positions "
                                 f"(columns {found.colnames}).")
    name = _column(found, ("main_id", "MAIN_ID"))
    if name is None:      # VizieR: the first text column (catalogues list their name first)
        name = next((found[c] for c in found.colnames
                     if getattr(found[c], "dtype", None) is not None
                     and found[c].dtype.kind in "US"), None)
    ra_deg, dec_deg = _as_deg(ra), _as_deg(dec)
    where = SkyCoord(ra_deg * u.deg, dec_deg * u.deg, frame="icrs")
    sep = centre.separation(where).to(u.arcsec)
    n = len(found)
    names = [str(v) for v in name] if name is not None else [str(i) for i in range(n)]
    return _result([label] * n, [catalog] * n, names, ra_deg, dec_deg, sep.to_value(u.arcsec),
                   [radius.to_value(u.arcsec)] * n)


def _result(source, catalog, name, ra, dec, separation, radius):
    return QTable({"source": Column(source, dtype=str), "catalog": Column(catalog, dtype=str),
                   "name": Column(name, dtype=str), "ra": np.asarray(ra, float) * u.deg,
                   "dec": np.asarray(dec, float) * u.deg,
                   "separation": Angle(np.asarray(separation, float), u.arcsec),
                   "search_radius": np.asarray(radius, float) * u.arcsec})


def _query(catalog, centre, radius):
    try:
        if catalog == "SIMBAD":
            from astroquery.simbad import Simbad
            return [("SIMBAD", Simbad.query_region(centre, radius=radius))]
        from astroquery.vizier import Vizier
        # _RAJ2000/_DEJ2000: positions VizieR computes for every catalogue, whatever its own
        vizier = Vizier(columns=["*", "_RAJ2000", "_DEJ2000"], catalog=catalog, row_limit=-1)
        found = vizier.query_region(centre, radius=radius, catalog=catalog)
        return [(key, found[key]) for key in found.keys()]
    except RequestException as exc:
        raise RemoteServiceError(f"{catalog} could not be reached: find_counterparts needs the "
                                 f"network ({exc}).") from exc


def find_counterparts(source_or_table, *, radius=None, catalogs=("SIMBAD",)):
    """Objects of SIMBAD and VizieR catalogues within the error circles of SXPS sources.

    Needs the network: each source is looked up in each catalogue with
    astroquery's `~astroquery.simbad.Simbad` and `~astroquery.vizier.Vizier`
    (one query per source and catalogue). The UKSSDC's own cross-matches are
    in the source record (``details['CrossMatch']``), offline.

    Parameters
    ----------
    source_or_table : details, `~astropy.table.Table` or `~astropy.coordinates.SkyCoord`
        One source's (or transient's) details, a table of sources with
        ``RA``/``Decl`` (deg) and ``Err90`` (arcsec) columns (a cone search or
        full-table result; at most `MAX_SOURCES` rows), or one position
        (with ``radius``).
    radius : `~astropy.units.Quantity` or float, optional
        Search radius (a number is arcsec), at most `MAX_RADIUS` (60 arcsec).
        Default: each source's 90 per cent error radius ``Err90``, capped at
        `MAX_RADIUS`.
    catalogs : str or list of str
        ``'SIMBAD'`` and/or VizieR catalogue identifiers (``'I/355/gaiadr3'``,
        ``'II/246/out'``...).

    Returns
    -------
    `~astropy.table.QTable`
        One row per match, sorted by source and separation: ``source`` (the
        X-ray source: its ``IAUName``, else its row), ``catalog`` (``SIMBAD`` or
        the VizieR table), ``name`` (SIMBAD ``main_id``, else the catalogue's
        first text column), ``ra``, ``dec`` (deg), ``separation`` (an angle
        Quantity in arcsec) and ``search_radius`` (arcsec).

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Bad arguments, no position or no error radius (give ``radius``), too
        many sources (before any query).
    astroquery.exceptions.RemoteServiceError
        A service could not be reached.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, find_counterparts
    >>> src = SXPS.get_source_details(source_id=1)  # doctest: +REMOTE_DATA
    >>> matches = find_counterparts(src, catalogs=['SIMBAD', 'II/246/out'])  # doctest: +SKIP
    >>> matches['source', 'catalog', 'name', 'separation']  # doctest: +SKIP
    """
    radius = _check_radius(radius)
    catalogs = _check_catalogs(catalogs)
    sources = _sources(source_or_table)
    plan = [(label, coord, _radius(radius, err90, label)) for label, coord, err90 in sources]
    pieces = []
    for label, coord, r in plan:
        for catalog in catalogs:
            for name, found in _query(catalog, coord, r):
                if found is not None and len(found):
                    pieces.append(_rows(found, str(name), label, coord, r))
    if not pieces:
        return _result([], [], [], [], [], [], [])
    result = vstack(pieces, metadata_conflicts="silent")
    result["separation"] = Angle(result["separation"])
    rank = {label: i for i, (label, _, _) in enumerate(sources)}
    order = np.lexsort((result["separation"].to_value(u.arcsec),
                        [rank[label] for label in result["source"]]))
    return result[order]
