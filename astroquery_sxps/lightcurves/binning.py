"""Rebinning a light curve onto a regular time grid with exact Poisson statistics.

Each new bin is built by `~astroquery_sxps.lightcurves.merge.merged_bin`, the
code behind `~astroquery_sxps.merge_lightcurve_bins`: the counts, background
and exposure of the bins whose centres fall in it are summed and the exact
Kraft, Burrows & Nousek (1991) interval decides between a rate (with its
1-sigma interval as errors) and an upper limit. Errors are never averaged.
"""
import numpy as np
import astropy.units as u
from astropy.table import vstack
from astropy.time import Time

from ..exceptions import InvalidQueryError
from ..stats import check_levels
from .merge import check_mergeable, merged_bin

__all__ = ["bin_lightcurve"]

#: Columns of a binned curve, in order (those the input lacks stay absent: MET, BGrate...).
_ORDER = ("MET", "TimePos", "TimeNeg", "Rate", "RatePos", "RateNeg", "UpperLimit", "FracExp",
          "BGrate", "BGerr", "CorrFact", "CtsInSrc", "BGInSrc", "Exposure", "SNR",
          "MergedBins", "is_upper_limit")
_CTS_S = u.ct / u.s


def _check_size(time_bin_size):
    if not isinstance(time_bin_size, u.Quantity) or not time_bin_size.isscalar \
            or not time_bin_size.unit.is_equivalent(u.s) \
            or not np.isfinite(time_bin_size.value) or time_bin_size.value <= 0:
        raise InvalidQueryError("time_bin_size must be one positive time Quantity such as "
                                f"1 * u.d, not {time_bin_size!r}.")
    return time_bin_size.to(u.s)


def bin_lightcurve(lc, time_bin_size, *, time_bin_start=None, n_bins=None, sigma=3,
                   confidence=None, det_thresh=None):
    """Merge the bins of ``lc`` into bins of ``time_bin_size`` (see `SXPSLightCurve.bin`)."""
    check_mergeable(lc)
    size = _check_size(time_bin_size)
    ul_conf, det_conf = check_levels(sigma, confidence, det_thresh)
    if len(lc) == 0:
        raise InvalidQueryError("The light curve has no bins to merge.")
    centres = lc.time
    starts = centres + lc["TimeNeg"].to(u.s)       # TimeNeg < 0
    if time_bin_start is None:
        time_bin_start = starts.min()
    elif not isinstance(time_bin_start, Time) or not time_bin_start.isscalar:
        raise InvalidQueryError("time_bin_start must be one astropy Time, not "
                                f"{time_bin_start!r}.")
    if n_bins is not None and (isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer))
                               or n_bins < 1):
        raise InvalidQueryError(f"n_bins must be a positive integer, not {n_bins!r}.")
    offset = (centres - time_bin_start).to_value(u.s)
    index = np.floor(offset / size.value).astype(np.int64)
    inside = index >= 0
    if n_bins is not None:
        inside &= index < n_bins
    if not inside.any():
        raise InvalidQueryError("No bin of the light curve falls in the time grid "
                                f"(start {time_bin_start.iso}, size {time_bin_size}).")
    rows = []
    for k in np.unique(index[inside]):
        mask = inside & (index == k)
        new = merged_bin(lc, mask, ul_conf=ul_conf, det_conf=det_conf)
        new["MergedBins"] = np.array([int(mask.sum())])
        for name in ("Rate", "RatePos", "RateNeg", "UpperLimit"):
            if name not in new.colnames:
                new[name] = [np.nan] * _CTS_S
        if new.meta["is_upper_limit"]:        # a limit has no error bars
            new["RatePos"] = [np.nan] * _CTS_S
            new["RateNeg"] = [np.nan] * _CTS_S
        rows.append(new[["time"] + [c for c in _ORDER if c in new.colnames]])
    binned = vstack(rows, join_type="exact", metadata_conflicts="silent")
    binned.meta = dict(lc.meta)
    binned.meta.update({"is_upper_limit": False, "time_bin_size": time_bin_size,
                        "time_bin_start": time_bin_start, "confidence": ul_conf,
                        "detection_confidence": det_conf,
                        "columns": [c for c in binned.colnames if c != "time"]})
    return binned
