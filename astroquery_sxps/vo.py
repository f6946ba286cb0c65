"""The VO route: 2SXPS through HEASARC's TAP service (pyvo, ADQL).

HEASARC serves 2SXPS as the TAP table ``swift2sxps``. This module builds an
ADQL cone search (``CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', ...)) = 1``)
and runs it with `pyvo.dal.TAPService`, at the TAP endpoint of astroquery's
HEASARC module (``astroquery.heasarc.conf.VO_URL + '/tap'``).
"""
import numbers

import numpy as np
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord

from .exceptions import InvalidQueryError

__all__ = ["tap_url", "tap_service", "cone_adql", "query_region_tap"]

_services = {}


def tap_url():
    """HEASARC's TAP URL, from astroquery's ``heasarc`` configuration."""
    try:
        from astroquery.heasarc import conf as heasarc_conf
        base = heasarc_conf.VO_URL
    except Exception:  # pragma: no cover - older astroquery
        base = "https://heasarc.gsfc.nasa.gov/xamin/vo"
    return f"{str(base).rstrip('/')}/tap"


def tap_service(session=None):
    """A (cached) `pyvo.dal.TAPService` for HEASARC."""
    import pyvo
    url = tap_url()
    if url not in _services:
        _services[url] = pyvo.dal.TAPService(url, session=session)
    return _services[url]


def _coordinates(coordinates):
    if isinstance(coordinates, SkyCoord):
        if not coordinates.isscalar:
            raise InvalidQueryError("coordinates must be a single position, not an array SkyCoord.")
        return coordinates.icrs
    if isinstance(coordinates, str) and coordinates.strip():
        try:
            return SkyCoord(coordinates, unit=(u.deg, u.deg), frame="icrs")
        except (ValueError, u.UnitsError):
            try:
                return SkyCoord.from_name(coordinates)
            except Exception as exc:
                raise InvalidQueryError(f"coordinates={coordinates!r} is neither a position nor "
                                        f"a name that could be resolved ({exc}).") from None
    raise InvalidQueryError(f"coordinates must be a SkyCoord or a string, not {coordinates!r}.")


def _radius_deg(radius):
    if isinstance(radius, (bool, np.bool_)):
        raise InvalidQueryError(f"radius must be an angle or a number of arcsec, not {radius!r}.")
    if isinstance(radius, str):
        radius = Angle(radius)
    if isinstance(radius, u.Quantity):
        if not radius.isscalar or radius.unit.physical_type != "angle":
            raise InvalidQueryError(f"radius must be a scalar angle, not {radius!r}.")
        value = float(radius.to_value(u.deg))
    elif isinstance(radius, numbers.Real):
        value = float(radius) / 3600.0
    else:
        raise InvalidQueryError(f"radius must be an angle or a number of arcsec, not {radius!r}.")
    if not np.isfinite(value) or value <= 0:
        raise InvalidQueryError(f"radius must be positive, not {radius!r}.")
    return value


def cone_adql(coordinates, radius, *, table="swift2sxps", columns="*"):
    """The ADQL text of a cone search on ``table`` (positions in ICRS degrees)."""
    if not isinstance(table, str) or not table.replace("_", "").replace(".", "").isalnum():
        raise InvalidQueryError(f"table must be a TAP table name such as 'swift2sxps', not {table!r}.")
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",")] if columns.strip() != "*" else ["*"]
    if not isinstance(columns, (list, tuple)) or not columns or not all(
            isinstance(c, str) and (c == "*" or c.replace("_", "").isalnum()) for c in columns):
        raise InvalidQueryError(f"columns must be '*' or a list of column names, not {columns!r}.")
    pos = _coordinates(coordinates)
    rad = _radius_deg(radius)
    ra, dec = pos.ra.deg, pos.dec.deg
    select = ", ".join(columns)
    return (f"SELECT {select}, DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', {ra:.8f}, {dec:.8f})) "
            f"AS _dist FROM {table} WHERE CONTAINS(POINT('ICRS', ra, dec), "
            f"CIRCLE('ICRS', {ra:.8f}, {dec:.8f}, {rad:.8f}))=1 ORDER BY _dist ASC")


def query_region_tap(query, coordinates, *, radius=10.0, table="swift2sxps", columns="*",
                     maxrec=None, get_query_payload=False):
    if maxrec is not None and (isinstance(maxrec, bool) or not isinstance(maxrec, numbers.Integral)
                               or maxrec < 1):
        raise InvalidQueryError(f"maxrec must be a positive integer or None, not {maxrec!r}.")
    adql = cone_adql(coordinates, radius, table=table, columns=columns)
    if get_query_payload:
        return adql
    service = tap_service(getattr(query, "_session", None))
    result = service.search(adql, language="ADQL", maxrec=maxrec).to_table()
    return _finish(result, adql)


def _finish(table, adql):
    from astroquery import log
    import warnings
    from .exceptions import NoResultsWarning
    dist = next((c for c in table.colnames if c.lower() == "_dist"), None)
    if dist is not None:
        table.rename_column(dist, "distance")
        table["distance"] = (np.asarray(table["distance"], dtype=float) * u.deg).to(u.arcsec)
        table.sort("distance")
    ra = next((c for c in table.colnames if c.lower() == "ra"), None)
    dec = next((c for c in table.colnames if c.lower() in ("dec", "decl")), None)
    for col in (ra, dec):
        if col is not None and table[col].unit is None:
            table[col].unit = u.deg
    if ra and dec and len(table):
        table["coord"] = SkyCoord(np.asarray(table[ra], float) * u.deg,
                                  np.asarray(table[dec], float) * u.deg, frame="icrs")
    table.meta["adql"] = adql
    table.meta["tap_url"] = tap_url()
    if not len(table):
        warnings.warn("The TAP cone search returned no rows.", NoResultsWarning)
    log.debug(f"TAP query returned {len(table)} rows")
    return table
