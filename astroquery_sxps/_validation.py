"""Argument checks shared by the public methods.

Every check raises `~astroquery.exceptions.InvalidQueryError` naming the
argument and the allowed values, before any request is sent.
"""
import numbers

import numpy as np

from .exceptions import InvalidQueryError

__all__ = ["CATALOGS", "BANDS", "choose", "check_catalog", "normalise_bands",
           "identifiers", "dataset_identifiers", "check_bool", "pad_obsid"]

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


def _check_scalar(name, value, kind):
    if kind == "id":
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            # numeric strings are accepted and sent as ints
            if isinstance(value, str) and value.strip().isdigit():
                return int(value)
            raise InvalidQueryError(f"{name} must be an integer (or a list of them), "
                                    f"not {value!r}.")
        return int(value)
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
    keys = list(value) if multiple else [value]
    if multiple and not keys:
        raise InvalidQueryError(f"{arg} is an empty list.")
    values = [_check_scalar(arg, v, kind) for v in keys]
    return (id_field if kind == "id" else name_field), values, keys, multiple


def pad_obsid(obsid):
    """Zero-pad an ObsID to the 11-character string (``35063001`` -> ``'00035063001'``)."""
    if isinstance(obsid, str):
        text = obsid.strip()
        if text.startswith("::ObsID="):
            text = text[len("::ObsID="):]
        if not text:
            raise ValueError("empty ObsID")
        return "%011d" % int(float(text))
    return "%011d" % int(obsid)


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
    supplied = list(value) if multiple else [value]
    if multiple and not supplied:
        raise InvalidQueryError(f"{arg} is an empty list.")
    if arg == "dataset_id":
        values = [_check_scalar(arg, v, "id") for v in supplied]
        return "DatasetID", values, supplied, multiple
    values, keys = [], []
    for v in supplied:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Integral, str)):
            raise InvalidQueryError(f"obsid must be an 11-digit string or an integer, not {v!r}.")
        try:
            padded = pad_obsid(v)
        except ValueError:
            raise InvalidQueryError(f"obsid {v!r} is not a valid Swift ObsID "
                                    "(11 digits, e.g. '00282445000').") from None
        if len(padded) != 11:
            raise InvalidQueryError(f"obsid {v!r} has more than 11 digits.")
        values.append(padded)
        keys.append(padded if not isinstance(v, str) else v)
    return "ObsID", values, keys, multiple
