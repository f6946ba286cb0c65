"""Merging light-curve bins with the exact Kraft, Burrows & Nousek (1991) interval."""
from collections import namedtuple

import numpy as np
import astropy.units as u
from astropy.table import vstack
from astropy.time import Time
from astropy.timeseries import TimeSeries

from .._results import finish_timeseries
from .._validation import check_bool, choose
from ..exceptions import InvalidQueryError
from ..stats import ONE_SIGMA, check_levels, kbn_interval, select_rows
from .export import float_values, holds_upper_limits

__all__ = ["merge_lightcurve_bins", "MergedBin", "effective_correction_factor"]

_CTS_S = u.ct / u.s


MergedBin = namedtuple("MergedBin", ["is_upper_limit", "inserted", "bin", "lightcurve"])
MergedBin.__doc__ = """Result of `merge_lightcurve_bins`.

Attributes
----------
is_upper_limit : bool
    True when the merged bin is an upper limit.
inserted : bool
    Whether the bin was put into ``lightcurve``.
bin : `~astropy.timeseries.TimeSeries`
    The merged bin, one row.
lightcurve : `~astropy.timeseries.TimeSeries`
    A new light curve: the input with the merged rows removed (``remove``)
    and/or the new bin inserted (``insert``), sorted by time. The input is
    never modified.
"""


def effective_correction_factor(exposure, correction_factor):
    """The correction factor of bins merged into one: ``sum(E) / sum(E / CF)``.

    The exact factor for merged counts: with ``rate = counts * CF_i / E_i`` in
    each bin, a source of constant rate ``R`` gives ``R * sum(E_i / CF_i)``
    counts in the merged bin, and this factor turns them back into ``R``
    over the merged exposure ``sum(E_i)``. Bins without a finite, positive
    factor or exposure are left out; NaN if none is left.

    Examples
    --------
    >>> from astroquery_sxps.lightcurves.merge import effective_correction_factor
    >>> round(effective_correction_factor([1000.0, 3000.0], [1.2, 2.0]), 10)
    1.7142857143
    """
    exposure = np.asarray(exposure, dtype=float)
    cf = np.asarray(correction_factor, dtype=float)
    ok = np.isfinite(exposure) & np.isfinite(cf) & (cf > 0) & (exposure >= 0)
    if not ok.any() or np.sum(exposure[ok]) <= 0:
        return float("nan")
    return float(np.sum(exposure[ok]) / np.sum(exposure[ok] / cf[ok]))


def merge_lightcurve_bins(timeseries, rows=None, *, remove=False, insert=False,
                          force=None, sigma=3, confidence=None, det_thresh=None):
    """Combine light-curve bins into one count rate or upper limit.

    The counts ``C = sum(CtsInSrc)`` and background ``B = sum(BGInSrc)`` of
    the selected bins are combined with the exposure ``E = sum(Exposure)``
    and the effective correction factor ``CF = E / sum(Exposure / CorrFact)``
    (`effective_correction_factor`), and the exact Kraft, Burrows & Nousek (1991)
    interval (`~astroquery_sxps.kbn_interval`, as in
    `~astroquery_sxps.merge_upper_limits`) decides: if its lower bound at
    ``det_thresh`` is above zero the bin is a rate, ``Rate = max(C - B, 0) *
    CF / E`` with the 1-sigma interval as errors; otherwise it is an upper
    limit, ``UpperLimit = smax * CF / E`` at the requested level.

    The correction factor is exact, not a weighted mean: bin ``i`` turns net
    counts into a rate as ``rate = counts * CorrFact_i / Exposure_i``, so a
    source of constant rate ``R`` gives ``R * Exposure_i / CorrFact_i``
    counts there, and ``R * sum(Exposure_i / CorrFact_i)`` in all; the
    factor that makes merged counts ``* CF / E`` equal ``R`` is
    ``E / sum(Exposure_i / CorrFact_i)``, the exposure-weighted harmonic
    mean. (The existing client weights by ``CtsInSrc`` for rates and by
    ``Exposure`` for limits: an arithmetic mean, biased when the factors
    differ.)

    Parameters
    ----------
    timeseries : `~astropy.timeseries.TimeSeries`
        One light curve from `~astroquery_sxps.SXPSClass.get_lightcurve`. It
        needs ``TimePos``, ``TimeNeg``, ``CtsInSrc``, ``BGInSrc``,
        ``CorrFact`` and ``Exposure``; ``BGrate``/``BGerr`` (transients) are
        combined when present, otherwise the merged bin has NaN there (SXPS
        source curves lack them; the existing client crashes on them).
    rows : array-like of int or bool, optional
        Which bins: row indices or a boolean mask. Default: all.
    remove : bool, optional
        Leave the merged bins out of the returned ``lightcurve``.
    insert : bool or 'match', optional
        Put the new bin into the returned ``lightcurve``. ``True`` forces
        the bin to the type of the curve (rate or limit); ``'match'``
        inserts it only if the types agree.
    force : {None, 'rate', 'ul'}, optional
        Force the type of the merged bin (ignored with ``insert=True``).
    sigma : float, optional
        Confidence of an upper limit in Gaussian sigma (default 3).
    confidence : float, optional
        Confidence of an upper limit as a probability (overrides ``sigma``).
    det_thresh : float, optional
        Detection threshold, in the same units as the limit level (sigma or
        probability). Default: the upper-limit level.

    Returns
    -------
    MergedBin
        ``(is_upper_limit, inserted, bin, lightcurve)``.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Missing columns, no rows selected, bad ``insert``/``force``/levels.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, merge_lightcurve_bins
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> merged = merge_lightcurve_bins(lcs['Total_UL'], rows=[0, 1, 2])  # doctest: +REMOTE_DATA
    >>> merged.is_upper_limit  # doctest: +REMOTE_DATA +SKIP
    True
    """
    check_mergeable(timeseries)
    remove = check_bool("remove", remove)
    if not (isinstance(insert, (bool, np.bool_))
            or (isinstance(insert, str) and insert.lower() == "match")):
        raise InvalidQueryError(f"insert must be True, False or 'match', not {insert!r}.")
    if isinstance(insert, np.bool_):
        insert = bool(insert)
    if force is not None:
        force = choose("force", force, ("rate", "ul"), {"upperlimit": "ul",
                                                        "upper_limit": "ul"})
    ul_conf, det_conf = check_levels(sigma, confidence, det_thresh)
    mask = select_rows(timeseries, rows)
    if not mask.any():
        raise InvalidQueryError("No rows selected to merge.")
    curve_is_ul = holds_upper_limits(timeseries)
    if insert is True:
        is_ul = curve_is_ul
    elif force is not None:
        is_ul = force == "ul"
    else:
        is_ul = None          # decided by the counts
    merged = merged_bin(timeseries, mask, ul_conf=ul_conf, det_conf=det_conf, is_ul=is_ul)
    is_ul = bool(merged.meta["is_upper_limit"])
    cls = type(timeseries)   # an SXPSLightCurve stays one

    kept = timeseries[~mask] if remove else timeseries.copy()
    do_insert = insert is True or (isinstance(insert, str) and is_ul == curve_is_ul)
    if do_insert:
        row = cls(time=merged.time)
        for col in timeseries.colnames:
            if col == "time":
                continue
            ref = timeseries[col]
            if col in merged.colnames:
                row[col] = merged[col]
            elif isinstance(ref, u.Quantity):
                row[col] = [np.nan] * ref.unit
            elif ref.dtype.kind in "US":
                row[col] = np.array([""], dtype=ref.dtype)
            elif ref.dtype.kind == "b":
                row[col] = np.array([is_ul])
            else:
                row[col] = np.array([np.nan])
        kept = vstack([kept, row[timeseries.colnames]], join_type="exact",
                      metadata_conflicts="silent")
        kept.sort("time")
        kept.meta = dict(timeseries.meta)
    return MergedBin(bool(is_ul), bool(do_insert), merged, kept)


def check_mergeable(timeseries):
    """Refuse (`InvalidQueryError`) what is not a light curve with the columns to merge."""
    if not isinstance(timeseries, TimeSeries):
        raise InvalidQueryError("merge_lightcurve_bins needs one light curve (a TimeSeries), "
                                f"not {type(timeseries).__name__}.")
    needed = ["TimePos", "TimeNeg", "CtsInSrc", "BGInSrc", "CorrFact", "Exposure"]
    missing = [c for c in needed if c not in timeseries.colnames]
    if missing:
        raise InvalidQueryError(f"This light curve lacks the column(s) {missing} needed to "
                                "merge bins (hardness ratios and band-split transient "
                                "curves cannot be merged).")


def merged_bin(timeseries, mask, *, ul_conf, det_conf, is_ul=None):
    """The one-row light curve merging the rows of ``timeseries`` in ``mask`` (checked
    arguments): a rate or, if ``is_ul`` (None: when the counts give no detection at
    ``det_conf``), an upper limit at ``ul_conf``."""
    sel = timeseries[mask]
    exposure = float_values(sel["Exposure"], u.s)
    counts = float_values(sel["CtsInSrc"])
    bg = float_values(sel["BGInSrc"])
    cf = float_values(sel["CorrFact"])
    E = float(np.nansum(exposure))
    C = int(round(float(np.nansum(counts))))
    B = float(np.nansum(bg))
    if E <= 0:
        raise InvalidQueryError("The selected bins have no exposure.")

    half_unit = timeseries["TimePos"].unit or u.d
    t_ref = sel.time[0]
    offsets = (sel.time - t_ref).to_value(u.s)
    pos = float_values(sel["TimePos"], u.s)
    neg = float_values(sel["TimeNeg"], u.s)
    start = float(np.min(offsets + neg))
    stop = float(np.max(offsets + pos))
    mean = float(np.mean(offsets))
    new_time = t_ref + mean * u.s
    frac_exp = E / (stop - start) if stop > start else np.nan

    if is_ul is None:
        is_ul = not kbn_interval(C, B, det_conf)[0] > 0

    CF = effective_correction_factor(exposure, cf)

    new = {"TimePos": (stop - mean) * u.s, "TimeNeg": (start - mean) * u.s}
    if is_ul:
        smax = kbn_interval(C, B, ul_conf)[1]
        new.update(UpperLimit=smax * CF / E * _CTS_S, RatePos=0.0 * _CTS_S,
                   RateNeg=0.0 * _CTS_S, SNR=0.0)
    else:
        smin, smax = kbn_interval(C, B, ONE_SIGMA)
        m = max(C - B, 0.0)
        rate = m * CF / E
        new.update(Rate=rate * _CTS_S, RatePos=(smax - m) * CF / E * _CTS_S,
                   RateNeg=(smin - m) * CF / E * _CTS_S)
        new["SNR"] = rate / abs((smin - m) * CF / E) if smin != m else np.inf
    if "BGrate" in sel.colnames:
        new["BGrate"] = float(np.nansum(float_values(sel["BGrate"], _CTS_S) * exposure)
                              / E) * _CTS_S
    else:
        new["BGrate"] = np.nan * _CTS_S
    if "BGerr" in sel.colnames:
        new["BGerr"] = float(np.sqrt(np.nansum(float_values(sel["BGerr"], _CTS_S) ** 2 * exposure))
                             / E) * _CTS_S
    else:
        new["BGerr"] = np.nan * _CTS_S
    new.update(FracExp=frac_exp, CorrFact=CF, CtsInSrc=C * u.ct, BGInSrc=B * u.ct,
               Exposure=E * u.s, Sigma=np.nan)
    if "MET" in sel.colnames:
        new["MET"] = float(np.mean(float_values(sel["MET"], u.s))) * u.s

    order = ["MET", "TimePos", "TimeNeg", "UpperLimit" if is_ul else "Rate", "RatePos",
             "RateNeg", "FracExp", "BGrate", "BGerr", "CorrFact", "CtsInSrc", "BGInSrc",
             "Exposure", "Sigma", "SNR"]
    cls = type(timeseries)   # an SXPSLightCurve stays one
    merged = cls(time=Time([new_time]))
    for name in order:
        if name not in new:
            continue
        value = new[name]
        if name in ("TimePos", "TimeNeg"):
            value = value.to(half_unit)
        merged[name] = [value.value] * value.unit if isinstance(value, u.Quantity) \
            else np.array([value], dtype=float)
    merged["is_upper_limit"] = np.array([is_ul])
    finish_timeseries(merged, {"dataset": timeseries.meta.get("dataset"),
                               "merged_rows": int(mask.sum()), "confidence": ul_conf,
                               "detection_confidence": det_conf, "is_upper_limit": is_ul,
                               "time_format": timeseries.meta.get("time_format")})
    return merged
