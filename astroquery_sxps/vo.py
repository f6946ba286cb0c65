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


def _coordinates(coordinates, resolve=True):
    """ICRS SkyCoord of ``coordinates``; for an object name, `SkyCoord.from_name` (Sesame,
    network) unless ``resolve=False``, which returns None for a name instead."""
    if isinstance(coordinates, SkyCoord):
        if not coordinates.isscalar:
            raise InvalidQueryError("coordinates must be a single position, not an array SkyCoord.")
        return coordinates.icrs
    if isinstance(coordinates, str) and coordinates.strip():
        try:
            return SkyCoord(coordinates, unit=(u.deg, u.deg), frame="icrs")
        except (ValueError, u.UnitsError):
            if not resolve:
                return None
            try:
                return SkyCoord.from_name(coordinates).icrs
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


def _check_table_columns(table, columns):
    if not isinstance(table, str) or not table.replace("_", "").replace(".", "").isalnum():
        raise InvalidQueryError(f"table must be a TAP table name such as 'swift2sxps', not {table!r}.")
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",")] if columns.strip() != "*" else ["*"]
    if not isinstance(columns, (list, tuple)) or not columns or not all(
            isinstance(c, str) and (c == "*" or c.replace("_", "").isalnum()) for c in columns):
        raise InvalidQueryError(f"columns must be '*' or a list of column names, not {columns!r}.")
    return list(columns)


def _adql_template(table, columns, rad):
    """The cone ADQL with the centre as the placeholders ``{ra}`` and ``{dec}`` (ICRS deg).

    Table and column names are checked to be plain identifiers, so the text holds no
    other braces and ``str.format(ra=..., dec=...)`` fills it.
    """
    select = ", ".join(columns)
    return (f"SELECT {select}, DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', {{ra}}, {{dec}})) "
            f"AS _dist FROM {table} WHERE CONTAINS(POINT('ICRS', ra, dec), "
            f"CIRCLE('ICRS', {{ra}}, {{dec}}, {rad:.8f}))=1 ORDER BY _dist ASC")


def _fill(template, pos):
    return template.format(ra=f"{pos.ra.deg:.8f}", dec=f"{pos.dec.deg:.8f}")


def cone_adql(coordinates, radius, *, table="swift2sxps", columns="*", resolve=True):
    """The ADQL text of a cone search on ``table`` (positions in ICRS degrees).

    ``coordinates`` is a SkyCoord or a string: a position (``'52.8 43.9'``) is parsed
    locally; an object name is resolved with `~astropy.coordinates.SkyCoord.from_name`
    (Sesame, a network request) unless ``resolve=False``. Then nothing is resolved: the
    text holds the placeholders ``{ra}`` and ``{dec}`` for the centre (fill them with
    ``str.format``) after an ADQL comment line naming the object.
    """
    columns = _check_table_columns(table, columns)
    pos = _coordinates(coordinates, resolve=resolve)
    template = _adql_template(table, columns, _radius_deg(radius))
    if pos is not None:
        return _fill(template, pos)
    name = " ".join(coordinates.split()).replace("{", "").replace("}", "")
    return (f"-- centre: {name!r}, not resolved here (SkyCoord.from_name resolves it when "
            f"the query runs); fill the ra/dec placeholders (ICRS deg) with str.format\n"
            + template)


def query_region_tap(query, coordinates, *, radius=10.0, table="swift2sxps", columns="*",
                     maxrec=None, get_query_payload=False):
    if maxrec is not None and (isinstance(maxrec, bool) or not isinstance(maxrec, numbers.Integral)
                               or maxrec < 1):
        raise InvalidQueryError(f"maxrec must be a positive integer or None, not {maxrec!r}.")
    # everything but the name resolution is checked before anything is sent
    adql = cone_adql(coordinates, radius, table=table, columns=columns, resolve=False)
    if get_query_payload:
        return adql                    # payload mode never uses the network
    if adql.startswith("--"):          # an object name: resolve it now
        adql = _fill(adql.split("\n", 1)[1], _coordinates(coordinates))
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
