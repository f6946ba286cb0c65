"""The ``positions`` argument of the batch functions, read into one form.

Accepted forms (checked before any request):

* a `~astropy.coordinates.SkyCoord` (an array, or a scalar for one position);
* a list or tuple whose items are scalar SkyCoords, ``(ra, dec)`` pairs
  (numbers in degrees, Quantities, Angles or strings with units) or strings
  (coordinates or object names, resolved by the server);
* a `~astropy.table.Table` (or `~astropy.table.QTable`) with RA/Dec columns
  named ``ra``/``dec`` or ``RA``/``Dec``/``Decl`` (any case; numbers are
  degrees, Quantities keep their unit), or a SkyCoord column, or a ``name``
  column of object names.
"""
import math
import numbers
from dataclasses import dataclass

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table

from ..exceptions import InvalidQueryError

__all__ = ["Target", "read_positions", "parse_coordinate_text", "table_coords",
           "angle_argument", "find_column", "RA_NAMES", "DEC_NAMES"]

#: Names (lower case) of the RA and Dec columns of a table, any case.
RA_NAMES = ("ra",)
DEC_NAMES = ("dec", "decl")


@dataclass
class Target:
    """One input position.

    Attributes
    ----------
    index : int
        Row of the input.
    kwargs : dict
        The position arguments of ``query_upper_limit`` (``position=``,
        ``name=`` or ``ra=``/``dec=``).
    label : str
        The input as text (for the result and ``meta['failures']``).
    """
    index: int
    kwargs: dict
    label: str


def _label(value):
    if isinstance(value, SkyCoord):
        icrs = value.icrs
        return f"{icrs.ra.deg:.6f} {icrs.dec.deg:+.6f}"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_label(v) for v in value) + ")"
    if isinstance(value, u.Quantity):
        return f"{value.value:g} {value.unit}"
    return str(value)


def _from_item(index, item):
    """One list item -> a Target; the value is checked later by query_upper_limit."""
    if isinstance(item, SkyCoord):
        if not item.isscalar:
            raise InvalidQueryError(f"positions[{index}] is a SkyCoord array of {item.size}: "
                                    "give a SkyCoord array as positions itself, or scalars "
                                    "in the list.")
        return Target(index, {"position": item}, _label(item))
    if isinstance(item, str):
        if not item.strip():
            raise InvalidQueryError(f"positions[{index}] is an empty string.")
        return Target(index, {"position": item.strip()}, item.strip())
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return Target(index, {"position": tuple(item)}, _label(item))
    raise InvalidQueryError(
        f"positions[{index}]={item!r} is not a position: each item must be a scalar SkyCoord, "
        "an (ra, dec) pair or a string (coordinates or an object name). For one position "
        "given as two numbers write [(ra, dec)].")


def find_column(table, names):
    """The first column of ``table`` whose name, in lower case, is in ``names``; or None."""
    found = [c for c in table.colnames if c.lower() in names]
    return found[0] if found else None


def _from_table(table):
    ra_col, dec_col = find_column(table, RA_NAMES), find_column(table, DEC_NAMES)
    if (ra_col is None) != (dec_col is None):
        raise InvalidQueryError(
            f"positions: the Table has {'an RA' if ra_col else 'a Dec'} column but no "
            f"{'Dec' if ra_col else 'RA'} column (expected 'ra'/'dec' or 'RA'/'Dec'/'Decl').")
    if ra_col is not None:
        targets = []
        for i, (ra, dec) in enumerate(zip(table[ra_col], table[dec_col])):
            ra = _table_angle(ra, table[ra_col], i, ra_col)
            dec = _table_angle(dec, table[dec_col], i, dec_col)
            targets.append(Target(i, {"ra": ra, "dec": dec}, f"{_label(ra)} {_label(dec)}"))
        return targets
    coords = [c for c in table.colnames if isinstance(table[c], SkyCoord)]
    if coords:
        return _from_skycoord(table[coords[0]])
    name_col = find_column(table, ("name",))
    if name_col is not None:
        targets = []
        for i, name in enumerate(table[name_col]):
            if np.ma.is_masked(name) or not isinstance(name, str) or not name.strip():
                raise InvalidQueryError(f"positions: row {i} of column {name_col!r} is not a "
                                        f"non-empty object name ({name!r}).")
            targets.append(Target(i, {"name": name.strip()}, name.strip()))
        return targets
    raise InvalidQueryError(
        f"positions: the Table has no position columns (columns: {table.colnames}); give "
        "'ra'/'dec' (or 'RA'/'Dec'/'Decl') columns, a SkyCoord column or a 'name' column.")


def _table_angle(value, column, row, colname):
    if np.ma.is_masked(value):
        raise InvalidQueryError(f"positions: row {row} of column {colname!r} is masked.")
    if isinstance(value, u.Quantity):
        return value
    unit = getattr(column, "unit", None)
    if isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_)):
        value = float(value)
        if unit is not None:
            return value * unit
        return value
    if isinstance(value, (str, np.str_)):
        return str(value)
    raise InvalidQueryError(f"positions: row {row} of column {colname!r} is not an angle "
                            f"({value!r}).")


def _from_skycoord(coords):
    if coords.isscalar:
        coords = coords.reshape((1,))
    if coords.ndim != 1:
        raise InvalidQueryError(f"positions: a SkyCoord array must be one-dimensional, not "
                                f"of shape {coords.shape}.")
    icrs = coords.icrs
    # plain degrees: indexing a SkyCoord a million times costs far more than the query
    ra, dec = icrs.ra.deg.tolist(), icrs.dec.deg.tolist()
    return [Target(i, {"ra": r, "dec": d}, f"{r:.6f} {d:+.6f}")
            for i, (r, d) in enumerate(zip(ra, dec))]


def read_positions(positions):
    """The input positions as a list of `Target`, in input order.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        ``positions`` is not one of the accepted forms, is empty, or one of
        its items is not a position (the message names the item).
    """
    if isinstance(positions, SkyCoord):
        targets = _from_skycoord(positions)
    elif isinstance(positions, Table):
        targets = _from_table(positions)
    elif isinstance(positions, (list, tuple)):
        targets = [_from_item(i, item) for i, item in enumerate(positions)]
    else:
        raise InvalidQueryError(
            "positions must be a SkyCoord array, a list of positions (SkyCoords, (ra, dec) "
            "pairs, coordinate strings or object names) or a Table with 'ra'/'dec' (or "
            f"'RA'/'Dec'/'Decl') or 'name' columns; got {type(positions).__name__}.")
    if not targets:
        raise InvalidQueryError("positions is empty: give at least one position.")
    return targets


def parse_coordinate_text(text):
    """(ra, dec) in degrees for a coordinate string, or None if it may be a name.

    Two numbers are decimal degrees (``'334.502058 -8.256481'``,
    ``'77.969042, -62.324167'``); six numbers are sexagesimal hours and
    degrees (``'05 11 52.57 -62 19 27.0'``); strings with explicit units
    (``'05h11m52.57s -62d19m27s'``) are read with them. Anything else is
    taken to be an object name (only the server can resolve it).
    """
    tokens = text.replace(",", " ").split()
    try:
        numbers_ = [float(t) for t in tokens]
    except ValueError:
        numbers_ = None
    try:
        if numbers_ is not None and len(numbers_) == 2:
            ra, dec = numbers_
        elif numbers_ is not None and len(numbers_) == 6:
            coord = SkyCoord(" ".join(tokens), unit=(u.hourangle, u.deg))
            ra, dec = coord.ra.deg, coord.dec.deg
        elif any(ch in text for ch in "hmsd:") and len(tokens) in (2, 6):
            coord = SkyCoord(text.replace(",", " "), unit=(u.hourangle, u.deg))
            ra, dec = coord.ra.deg, coord.dec.deg
        else:
            return None
    except (ValueError, u.UnitsError):
        return None
    if not (math.isfinite(ra) and math.isfinite(dec) and -90 <= dec <= 90):
        return None
    return ra % 360, dec


def table_coords(other, name="other"):
    """The positions of a SkyCoord or of a Table's RA/Dec (or SkyCoord) columns, as ICRS.

    Numbers are degrees; Quantity columns keep their unit. Object names are
    not accepted here (a cross-match needs positions).
    """
    if isinstance(other, SkyCoord):
        coords = other.reshape((1,)) if other.isscalar else other
        if coords.ndim != 1:
            raise InvalidQueryError(f"{name}: a SkyCoord array must be one-dimensional, not "
                                    f"of shape {coords.shape}.")
        return coords.icrs
    if isinstance(other, Table):
        ra_col, dec_col = find_column(other, RA_NAMES), find_column(other, DEC_NAMES)
        if ra_col is not None and dec_col is not None:
            values = []
            for col in (ra_col, dec_col):
                column = other[col]
                if np.ma.is_masked(column) and np.any(np.ma.getmaskarray(column)):
                    raise InvalidQueryError(f"{name}: column {col!r} has masked values.")
                try:
                    if isinstance(column, u.Quantity) or getattr(column, "unit", None):
                        values.append(u.Quantity(column, copy=False).to(u.deg))
                    else:
                        values.append(np.asarray(column, dtype=float) * u.deg)
                except (TypeError, ValueError, u.UnitsError) as exc:
                    raise InvalidQueryError(f"{name}: column {col!r} is not numeric angles "
                                            f"({exc}).") from None
            if not (np.all(np.isfinite(values[0])) and np.all(np.isfinite(values[1]))) \
                    or np.any(np.abs(values[1]) > 90 * u.deg):
                raise InvalidQueryError(f"{name}: the {ra_col!r}/{dec_col!r} columns hold "
                                        "non-finite values or |Dec| > 90 deg.")
            return SkyCoord(values[0], values[1], frame="icrs")
        coords = [c for c in other.colnames if isinstance(other[c], SkyCoord)]
        if coords:
            return other[coords[0]].icrs
        raise InvalidQueryError(f"{name}: the Table has no position columns (columns: "
                                f"{other.colnames}); give 'ra'/'dec' (or 'RA'/'Dec'/'Decl') "
                                "columns or a SkyCoord column.")
    raise InvalidQueryError(f"{name} must be a SkyCoord or a Table with RA/Dec columns, not "
                            f"{type(other).__name__}.")


def angle_argument(name, value, unit):
    """One positive, finite angle (a Quantity, or a number in ``unit``), in ``unit``."""
    if value is None or isinstance(value, (bool, np.bool_)):
        raise InvalidQueryError(f"{name} must be an angle (a Quantity, or a number of {unit}), "
                                f"not {value!r}.")
    try:
        value = u.Quantity(value)
        if value.unit == u.dimensionless_unscaled:
            value = value * unit
        value = value.to(unit)
    except (TypeError, ValueError, u.UnitsError):
        raise InvalidQueryError(f"{name} must be an angle (a Quantity, or a number of {unit}), "
                                f"not {value!r}.") from None
    if not value.isscalar or not np.isfinite(value.value) or value.value <= 0:
        raise InvalidQueryError(f"{name} must be one positive angle, not {value!r}.")
    return value
