"""Argument checks shared by the public methods.

Every check raises `~astroquery.exceptions.InvalidQueryError` naming the
argument and the allowed values, before any request is sent.
"""
import math
import numbers
import re

import numpy as np

from ._results import plain
from .exceptions import InvalidQueryError

__all__ = ["CATALOGS", "BANDS", "choose", "check_catalog", "normalise_bands",
           "identifiers", "dataset_identifiers", "check_bool", "check_obsid",
           "parse_reply_obsid", "obsid_strings", "check_positive_id"]

CATALOGS = ("LSXPS", "2SXPS")
#: SXPS band names as the server spells them in replies, in catalogue order.
BANDS = ("Total", "Soft", "Medium", "Hard")


def choose(name, value, allowed, aliases=None):
    """Case-insensitive choice: return the canonical spelling of ``value``.

    Parameters
    ----------
    name : str
        Argument name, for the error message.
    value : str
    allowed : sequence of str
        Canonical spellings.
    aliases : dict, optional
        Extra lower-case spellings mapped to a canonical one.
    """
    lookup = {a.lower(): a for a in allowed}
    lookup.update({k.lower(): v for k, v in (aliases or {}).items()})
    if isinstance(value, str) and value.strip().lower() in lookup:
        return lookup[value.strip().lower()]
    shown = sorted(set(allowed) | set(aliases or {}))
    raise InvalidQueryError(f"{name}={value!r} is not valid; allowed values are "
                            f"{', '.join(repr(a) for a in shown)} (case-insensitive).")


def check_catalog(catalog, allowed=CATALOGS):
    """Return the canonical catalogue name (``'LSXPS'`` or ``'2SXPS'``)."""
    return choose("catalog", catalog, allowed)


def check_bool(name, value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InvalidQueryError(f"{name} must be True or False, not {value!r}.")


def normalise_bands(bands, allowed=BANDS, name="bands", all_value="all"):
    """Validate ``bands`` and return ``'all'`` or a list of canonical names.

    ``bands`` may be ``'all'``, one band name, or a list/tuple of names, in
    any case.
    """
    if isinstance(bands, str):
        if bands.strip().lower() == all_value:
            return all_value
        bands = [bands]
    if not isinstance(bands, (list, tuple)) or not bands:
        raise InvalidQueryError(
            f"{name} must be 'all', a band name or a list of band names from "
            f"{', '.join(allowed)}; got {bands!r}.")
    result = []
    for band in bands:
        canon = choose(name, band, allowed)
        if canon not in result:
            result.append(canon)
    return result


def _is_sequence(value):
    return isinstance(value, (list, tuple))


_DIGITS = re.compile(r"[0-9]+")
_OBSID_DIGITS = re.compile(r"[0-9]{1,11}")


def check_positive_id(name, value):
    """Strict check of one user-supplied numeric identifier (source, dataset or transient ID).

    Accepts an integer > 0 (Python or NumPy, not bool) or a string of ASCII
    digits with a value > 0; returns it as an int.

    Examples
    --------
    >>> from astroquery_sxps._validation import check_positive_id
    >>> check_positive_id("source_id", "11375")
    11375
    """
    number = None
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        number = int(value)
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None or number <= 0:
        raise InvalidQueryError(f"{name}={value!r} is not valid: it must be a positive integer "
                                "(> 0) or a string of digits, or a list of them.")
    return number


def _check_scalar(name, value, kind):
    if kind == "id":
        return check_positive_id(name, value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidQueryError(f"{name} must be a non-empty string (or a list of them), "
                                f"not {value!r}.")
    return value


def identifiers(source_id=None, source_name=None, *, id_arg="source_id",
                name_arg="source_name", id_field="sourceID", name_field="sourceName"):
    """Resolve the exactly-one-of identifier arguments.

    Returns
    -------
    field : str
        Wire field name (``sourceID`` or ``sourceName``).
    values : list
        The identifiers as they go on the wire.
    keys : list
        The identifiers as supplied (dict keys of a multi-object result).
    multiple : bool
        True when a list or tuple was supplied (the result is then a dict).
    """
    given = [(id_arg, source_id), (name_arg, source_name)]
    present = [(n, v) for n, v in given if v is not None]
    if len(present) != 1:
        raise InvalidQueryError(
            f"Give exactly one of {id_arg} or {name_arg}"
            + (" (both were given)." if present else " (neither was given)."))
    arg, value = present[0]
    kind = "id" if arg == id_arg else "name"
    multiple = _is_sequence(value)
    # identifiers taken from a table column are NumPy scalars: as keys and in messages
    # they read as the Python numbers and strings they are
    keys = [plain(v) for v in value] if multiple else [plain(value)]
    if multiple and not keys:
        raise InvalidQueryError(f"{arg} is an empty list.")
    values = [_check_scalar(arg, v, kind) for v in keys]
    return (id_field if kind == "id" else name_field), values, keys, multiple


def check_obsid(value, name="obsid"):
    """Strict check of one USER-supplied Swift ObsID; returns the 11-character string.

    Accepts a non-negative integer below 10**11 (Python or NumPy, not bool)
    or a string of 1 to 11 ASCII digits (zero-padded to 11). Anything else
    (negative numbers, floats, exponents, 'inf', prefixes...) raises
    `~astroquery.exceptions.InvalidQueryError`. Server replies are parsed with
    `parse_reply_obsid` instead.

    Examples
    --------
    >>> from astroquery_sxps._validation import check_obsid
    >>> check_obsid(35063001), check_obsid("282445000")
    ('00035063001', '00282445000')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        if 0 <= int(value) < 10 ** 11:
            return "%011d" % int(value)
    elif isinstance(value, str) and _OBSID_DIGITS.fullmatch(value.strip()):
        return value.strip().zfill(11)
    raise InvalidQueryError(f"{name}={value!r} is not a valid Swift ObsID: give a non-negative "
                            "integer or a string of 1-11 digits (e.g. '00282445000' or "
                            "282445000), or a list of them.")


def parse_reply_obsid(value):
    """Permissive parser of an ObsID found in a SERVER reply; returns the 11-character string.

    Accepts ints, integral floats (``35063001.0``), numeric strings and the
    ``'::ObsID=...'`` form some replies use. Raises `ValueError` (or
    `TypeError`) for anything that is not a non-negative integer of at most
    11 digits; callers decide how to fall back. Never use it on user input:
    that goes through `check_obsid`.

    Examples
    --------
    >>> from astroquery_sxps._validation import parse_reply_obsid
    >>> parse_reply_obsid(35063001.0), parse_reply_obsid("::ObsID=35063001")
    ('00035063001', '00035063001')
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"not an ObsID: {value!r}")
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("::ObsID="):
            text = text[len("::ObsID="):].strip()
        if not text:
            raise ValueError("empty ObsID")
        if _DIGITS.fullmatch(text):
            number = int(text)
        else:
            number = float(text)
    elif isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, numbers.Real):
        number = float(value)
    else:
        raise TypeError(f"not an ObsID: {value!r}")
    if isinstance(number, float):
        if not math.isfinite(number) or number != int(number):
            raise ValueError(f"not an ObsID: {value!r}")
        number = int(number)
    if not 0 <= number < 10 ** 11:
        raise ValueError(f"not an ObsID: {value!r}")
    return "%011d" % number


#: Texts a server reply uses for a missing value (compared upper-cased).
NULL_TEXT = ("", "NAN", "NULL", "NONE")


def _reply_obsid_or_text(value):
    """`parse_reply_obsid`, or the text as sent when it is not an ObsID ('' if missing)."""
    if value is None or (isinstance(value, str) and value.strip().upper() in NULL_TEXT) \
            or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        return parse_reply_obsid(value)
    except (TypeError, ValueError):
        return str(value)


def obsid_strings(values):
    """A reply's ObsID column as 11-character zero-padded strings (``''`` where missing).

    ``values``: a sequence of numbers/strings/None (JSON replies) or an array or
    (masked) column of integers, floats (NaN = missing) or strings (a table file).
    Numeric arrays are converted vectorised; anything that is not an ObsID is
    kept as the text the server sent.
    """
    arr = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
    mask = np.ma.getmaskarray(arr) if np.ma.isMaskedArray(arr) else None
    data = np.asarray(arr)
    if not len(data):
        return np.array([], dtype="U11")
    if data.dtype.kind in "iuf":
        missing = ~np.isfinite(data) if data.dtype.kind == "f" else np.zeros(len(data), bool)
        if mask is not None:
            missing |= mask
        ints = np.where(missing, 0, data).astype(np.int64)
        out = np.char.zfill(ints.astype("U20"), 11).astype("U11")
        if missing.any():
            out[missing] = ""
        return out
    out = np.array([_reply_obsid_or_text(v) for v in data.tolist()], dtype="U11")
    if mask is not None and mask.any():
        out[mask] = ""
    return out


def dataset_identifiers(obsid=None, dataset_id=None):
    """Like `identifiers` for datasets: exactly one of ``obsid``/``dataset_id``.

    ObsIDs are sent as 11-character zero-padded strings; result keys are the
    values as supplied, except int ObsIDs, which key as the padded string.
    """
    present = [(n, v) for n, v in (("obsid", obsid), ("dataset_id", dataset_id))
               if v is not None]
    if len(present) != 1:
        raise InvalidQueryError(
            "Give exactly one of obsid or dataset_id"
            + (" (both were given)." if present else " (neither was given)."))
    arg, value = present[0]
    multiple = _is_sequence(value)
    supplied = [plain(v) for v in value] if multiple else [plain(value)]
    if multiple and not supplied:
        raise InvalidQueryError(f"{arg} is an empty list.")
    if arg == "dataset_id":
        values = [_check_scalar(arg, v, "id") for v in supplied]
        return "DatasetID", values, supplied, multiple
    values, keys = [], []
    for v in supplied:
        padded = check_obsid(v, "obsid")
        values.append(padded)
        keys.append(v if isinstance(v, str) else padded)
    return "ObsID", values, keys, multiple


def choose_sources(entries, which_sources, what="sources"):
    """The entries of the dict ``entries`` that ``which_sources`` names (``save_lightcurves``,
    ``save_spectra``).

    ``which_sources`` is ``'all'`` (``entries`` itself), one key (a str or an int) or a
    list or tuple of keys, NumPy scalars read as the Python values; the result keeps
    the order given, each key once. ``what`` names the entries in the messages
    (``'sources'``, ``'results'``).

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        ``which_sources`` is none of these, names a key not in ``entries``, or is an
        empty list.
    """
    if isinstance(which_sources, str) and which_sources == "all":
        return entries
    if isinstance(which_sources, (list, tuple)):
        wanted = list(which_sources)
    elif isinstance(which_sources, (str, numbers.Integral)) and not isinstance(which_sources, bool):
        wanted = [which_sources]
    else:
        wanted = None
    if wanted is None or not all(isinstance(w, (str, numbers.Integral))
                                 and not isinstance(w, bool) for w in wanted):
        raise InvalidQueryError("which_sources must be 'all', an identifier or a list of "
                                f"identifiers among {list(entries)!r}, not {which_sources!r}.")
    wanted = [plain(w) for w in wanted]
    unknown = [w for w in wanted if w not in entries]
    if unknown or not wanted:
        raise InvalidQueryError(f"which_sources={which_sources!r}: "
                                + (f"{unknown!r} not among" if unknown else "selects none of")
                                + f" the {what} {list(entries)!r} (or use 'all').")
    return {k: entries[k] for k in dict.fromkeys(wanted)}
