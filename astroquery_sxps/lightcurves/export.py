"""A light curve as a `lightkurve.LightCurve` (optional extra ``lightkurve``), and the
column readers the other light-curve modules share (`float_values`, `error_pair`,
`error_columns`, `holds_upper_limits`, `holds_hardness_ratios`)."""
import numpy as np
import astropy.units as u

from .._validation import choose
from ..exceptions import InvalidQueryError

__all__ = ["to_lightkurve", "error_pair", "error_columns", "float_values",
           "holds_upper_limits", "holds_hardness_ratios"]

_EXTRA = ("lightkurve needs the optional package lightkurve: pip install "
          "'astroquery-sxps[lightkurve]' (or pip install lightkurve).")


def holds_upper_limits(lc):
    """True when the light curve ``lc`` (any TimeSeries) holds upper limits rather than
    rates: its ``meta['is_upper_limit']``, or without one whether it has an ``UpperLimit``
    column."""
    return bool(lc.meta.get("is_upper_limit", "UpperLimit" in lc.colnames))


def holds_hardness_ratios(lc):
    """True when the light curve ``lc`` (any TimeSeries) holds hardness ratios: an ``HR``
    column and no ``Rate``."""
    return "HR" in lc.colnames and "Rate" not in lc.colnames


def float_values(column, unit=None):
    """A column's values as floats: a Quantity's in ``unit`` (its own unit if None),
    anything else as it is. A masked Quantity stays masked (`numpy.asarray` of the
    result drops the mask, as it does for any other masked column)."""
    if isinstance(column, u.Quantity):
        return column.to_value(unit).astype(float)
    return np.asarray(column, dtype=float)


def _plain_values(column, unit):
    """`float_values` as a plain `numpy.ndarray` (a mask is dropped)."""
    return np.asarray(float_values(column, unit))


def error_columns(lc, base):
    """The columns holding the lower and upper 1-sigma errors of the ``base`` column:
    ``({base}Neg, {base}Pos)``, else ``({base}Err, {base}Err)``, else None."""
    if f"{base}Pos" in lc.colnames and f"{base}Neg" in lc.colnames:
        return f"{base}Neg", f"{base}Pos"
    if f"{base}Err" in lc.colnames:
        return f"{base}Err", f"{base}Err"
    return None


def error_pair(lc, base, unit):
    """``(lower, upper)`` 1-sigma errors (both >= 0, float arrays in ``unit``) of the
    ``base`` column (``Rate``, ``Flux``, ``HR``) from ``{base}Pos``/``{base}Neg`` or the
    symmetric ``{base}Err`` (`error_columns`); NaN where the curve has neither."""
    names = error_columns(lc, base)
    if names is None:
        nan = np.full(len(lc), np.nan)
        return nan, nan
    lower = np.abs(_plain_values(lc[names[0]], unit))
    upper = lower if names[1] == names[0] else np.abs(_plain_values(lc[names[1]], unit))
    return lower, upper


def to_lightkurve(lc, *, flux=None, upper_limits="flag"):
    """The light curve as a `lightkurve.LightCurve` (see `SXPSLightCurve.to_lightkurve`)."""
    try:
        import lightkurve
    except ImportError:
        raise ImportError(_EXTRA) from None
    if flux is None:
        flux = "flux" if ("Flux" in lc.colnames or "FluxUpperLimit" in lc.colnames) else "rate"
    flux = choose("flux", flux, ("rate", "flux"))
    upper_limits = choose("upper_limits", upper_limits, ("flag", "drop"))
    base = "Flux" if flux == "flux" else "Rate"
    limit = "FluxUpperLimit" if flux == "flux" else "UpperLimit"
    if base not in lc.colnames and limit not in lc.colnames:
        hint = " (run to_flux first)" if flux == "flux" else ""
        raise InvalidQueryError(f"The light curve {lc.meta.get('dataset')!r} has no {base} or "
                                f"{limit} column{hint}; hardness ratios have no flux.")
    unit = (lc[base] if base in lc.colnames else lc[limit]).unit
    n = len(lc)
    if "is_upper_limit" in lc.colnames:
        is_ul = np.asarray(lc["is_upper_limit"], dtype=bool)
    else:
        is_ul = np.full(n, base not in lc.colnames)
    value = _plain_values(lc[base], unit) if base in lc.colnames else np.full(n, np.nan)
    if limit in lc.colnames:
        value = np.where(is_ul, _plain_values(lc[limit], unit), value)
    lower, upper = error_pair(lc, base, unit)
    # lightkurve has one flux_err: the mean of the two sides (both are kept as columns)
    error = np.where(is_ul, np.nan, (lower + upper) / 2)
    keep = ~is_ul if upper_limits == "drop" else np.ones(n, dtype=bool)
    out = lightkurve.LightCurve(time=lc.time[keep], flux=value[keep] * unit,
                                flux_err=error[keep] * unit)
    out["is_upper_limit"] = is_ul[keep]
    out["flux_err_lower"] = np.where(is_ul, np.nan, lower)[keep] * unit
    out["flux_err_upper"] = np.where(is_ul, np.nan, upper)[keep] * unit
    for name in ("TimePos", "TimeNeg", "Exposure", "CtsInSrc", "BGInSrc", "ObsID"):
        if name in lc.colnames:
            out[name] = lc[name][keep]
    out.meta.update({k: v for k, v in lc.meta.items() if isinstance(v, (str, int, float, bool))
                     and k not in ("is_upper_limit",)})
    out.meta.update({"LABEL": str(lc.meta.get("dataset") or ""), "MISSION": "Swift",
                     "FLUX_ORIGIN": base, "FLUX_ERR": "(|pos| + |neg|) / 2"})
    return out
