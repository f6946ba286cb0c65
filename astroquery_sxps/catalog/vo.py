"""The VO route: 2SXPS through HEASARC's TAP service, with `astroquery.heasarc`.

HEASARC serves 2SXPS as the TAP table ``swift2sxps``. `query_region_tap_plan`
is a thin wrapper around `astroquery.heasarc.HeasarcClass.query_region` (a
cone with the distance column ``search_offset``) that keeps this package's
signature and conventions: the radius as a number of arcsec or an angle, the
result sorted by ``distance`` (arcsec) with a ``coord`` SkyCoord column, and
the ADQL recorded in ``meta['adql']``.
"""
import numbers

import numpy as np
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astroquery import log

from .._plan import Plan
from .._results import finish_table
from ..exceptions import InvalidQueryError, NoResultsWarning, warn

__all__ = ["tap_url", "query_region_tap_plan"]


def tap_url():
    """HEASARC's TAP URL, from astroquery's ``heasarc`` configuration."""
    from astroquery.heasarc import conf as heasarc_conf
    return f"{str(heasarc_conf.VO_URL).rstrip('/')}/tap"


#: A centre that stands for a name not resolved in payload mode; its numbers are
#: replaced by ``{ra}``/``{dec}`` placeholders in the ADQL text.
_PLACEHOLDER = SkyCoord(123.456789, -12.345678, unit="deg", frame="icrs")


def _coordinates(coordinates, resolve=True):
    """ICRS SkyCoord of ``coordinates``: a SkyCoord, a position string parsed locally, or
    an object name resolved with `~astropy.coordinates.SkyCoord.from_name` (Sesame);
    without ``resolve``, None for a name."""
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


def _radius(radius):
    """The cone radius as an `~astropy.coordinates.Angle` (a number is arcsec)."""
    if isinstance(radius, (bool, np.bool_)):
        raise InvalidQueryError(f"radius must be an angle or a number of arcsec, not {radius!r}.")
    try:
        if isinstance(radius, str):
            radius = Angle(radius)
        if isinstance(radius, u.Quantity):
            if not radius.isscalar or radius.unit.physical_type != "angle":
                raise InvalidQueryError(f"radius must be a scalar angle, not {radius!r}.")
            value = Angle(radius)
        elif isinstance(radius, numbers.Real):
            value = Angle(float(radius), u.arcsec)
        else:
            raise InvalidQueryError(f"radius must be an angle or a number of arcsec, "
                                    f"not {radius!r}.")
    except (ValueError, TypeError, u.UnitsError) as exc:
        raise InvalidQueryError(f"radius={radius!r} is not an angle ({exc}); give e.g. "
                                "2 * u.arcmin, '2 arcmin' or a number of arcsec.") from None
    if not np.isfinite(value.value) or value.value <= 0:
        raise InvalidQueryError(f"radius must be positive and finite, not {radius!r}.")
    return value


def _check_table_columns(table, columns):
    if not isinstance(table, str) or not table.replace("_", "").replace(".", "").isalnum():
        raise InvalidQueryError(f"table must be a TAP table name such as 'swift2sxps', not {table!r}.")
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",")] if columns.strip() != "*" else ["*"]
    if not isinstance(columns, (list, tuple)) or not columns or not all(
            isinstance(c, str) and (c == "*" or c.replace("_", "").isalnum()) for c in columns):
        raise InvalidQueryError(f"columns must be '*' or a list of column names, not {columns!r}.")
    return ", ".join(columns)


def query_region_tap_plan(coordinates, radius=10.0, *, table="swift2sxps", columns="*",
                          maxrec=None):
    """Check the arguments of ``query_region_tap``; its plan.

    Everything but the name resolution is checked before anything is sent.
    The payload is the ADQL text; payload mode uses no network, so for an
    object name the text holds ``{ra}``/``{dec}`` placeholders for the centre
    (fill them with ``str.format``), after an ADQL comment naming the object.
    """
    if maxrec is not None and (isinstance(maxrec, bool) or not isinstance(maxrec, numbers.Integral)
                               or maxrec < 1):
        raise InvalidQueryError(f"maxrec must be a positive integer or None, not {maxrec!r}.")
    columns = _check_table_columns(table, columns)
    radius = _radius(radius)
    if not isinstance(coordinates, (SkyCoord, str)) or (isinstance(coordinates, str)
                                                        and not coordinates.strip()):
        raise InvalidQueryError(f"coordinates must be a SkyCoord or a string, not {coordinates!r}.")

    def heasarc_query(centre, get_query_payload):
        from astroquery.heasarc import Heasarc
        return Heasarc.query_region(centre, catalog=table, radius=radius, columns=columns,
                                    add_offset=True, maxrec=maxrec,
                                    get_query_payload=get_query_payload)

    def payload():
        centre = _coordinates(coordinates, resolve=False)
        if centre is not None:
            return heasarc_query(centre, True)
        adql = heasarc_query(_PLACEHOLDER, True)
        for number, name in ((_PLACEHOLDER.ra.deg, "{ra}"), (_PLACEHOLDER.dec.deg, "{dec}")):
            adql = adql.replace(str(number), name)
        label = " ".join(coordinates.split()).replace("{", "").replace("}", "")
        return (f"-- centre: {label!r}, not resolved here (it is resolved when the query "
                "runs); fill the ra/dec placeholders (ICRS deg) with str.format\n" + adql)

    def run(context):
        centre = _coordinates(coordinates)
        return _finish(heasarc_query(centre, False), heasarc_query(centre, True))
    return Plan.single(run, payload=payload)


def _finish(table, adql):
    if "search_offset" in table.colnames:
        # astroquery.heasarc gives the offset its unit; ADQL's DISTANCE is in degrees
        unit = table["search_offset"].unit or u.deg
        offsets = (np.asarray(table["search_offset"], dtype=float) * unit).to(u.arcsec)
        table.remove_column("search_offset")
        table["distance"] = offsets
        table.sort("distance")
    ra = next((c for c in table.colnames if c.lower() == "ra"), None)
    dec = next((c for c in table.colnames if c.lower() in ("dec", "decl")), None)
    for col in (ra, dec):
        if col is not None and table[col].unit is None:
            table[col].unit = u.deg
    if ra and dec and len(table):
        table["coord"] = SkyCoord(np.asarray(table[ra], float) * u.deg,
                                  np.asarray(table[dec], float) * u.deg, frame="icrs")
    if not len(table):
        warn("The TAP cone search returned no rows.", NoResultsWarning)
    log.debug(f"TAP query returned {len(table)} rows")
    return finish_table(table, {"adql": adql, "tap_url": tap_url()})
