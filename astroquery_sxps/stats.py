"""Kraft, Burrows & Nousek (1991) confidence intervals and merging of upper limits.

`kbn_interval` is the exact highest-posterior-density (HPD) interval on the
source counts ``s`` of a Poisson observation of ``N`` counts on top of a known
expected background ``B``, with a flat prior on ``s >= 0`` (Kraft, Burrows &
Nousek 1991, ApJ 374, 344). The posterior is

.. math::

    p(s \\mid N, B) = \\frac{(s+B)^N e^{-(s+B)}}{N!\\, Q(N+1, B)}, \\qquad s \\ge 0,

where :math:`Q(a, x)` is the regularised upper incomplete gamma function, so
its cumulative distribution is
:math:`F(s) = [Q(N+1, B) - Q(N+1, B+s)] / Q(N+1, B)`.  The interval is found
from these closed forms (`scipy.special.gammainc`/`gammaincc`), not by
integrating on a grid, so it is exact to floating-point accuracy for any
``N`` (tested up to 1e5), including ``N = 0`` (upper bound ``-ln(1-CL)`` for
every ``B``) and ``B = 0``.

`merge_upper_limits` combines rows of an upper-limit table (from
`~astroquery_sxps.SXPSClass.query_upper_limit`) into one measurement.
"""
import math
import numbers

import numpy as np
import astropy.units as u
from astropy.table import Column, Table
from astroquery import log
from scipy import special

from ._results import finish_table
from ._validation import BANDS as _BANDS, check_bool, normalise_bands
from .exceptions import InvalidQueryError

__all__ = ["kbn_interval", "merge_upper_limits", "sigma_to_confidence", "check_level",
           "check_levels", "select_rows", "column_values", "ONE_SIGMA"]

#: Two-sided Gaussian probability of 1 sigma (0.6827), used for rate errors.
ONE_SIGMA = math.erf(1 / math.sqrt(2))


def sigma_to_confidence(sigma):
    """Two-sided Gaussian probability of ``sigma`` standard deviations.

    Parameters
    ----------
    sigma : float
        Number of Gaussian sigma (positive).

    Returns
    -------
    float
        ``erf(sigma / sqrt(2))``, e.g. 0.9973 for 3 sigma.

    Examples
    --------
    >>> from astroquery_sxps.stats import sigma_to_confidence
    >>> round(sigma_to_confidence(3), 5)
    0.9973
    """
    return float(special.erf(np.asarray(sigma, dtype=float) / math.sqrt(2)))


# ---------------------------------------------------------------------------
# The interval
# ---------------------------------------------------------------------------
# With mu = n x, the posterior density is proportional to exp(-n phi(x)),
# phi(x) = x - 1 - ln x (>= 0, zero at the mode x = 1).
def _phi_low(eps):
    """``phi(1 - eps)`` without cancellation, for 0 <= eps < 1."""
    return -eps - np.log1p(-eps)


def _phi_high(eta):
    """``phi(1 + eta)`` without cancellation, for eta >= 0."""
    return eta - np.log1p(eta)


def _eta_for(d):
    """Solve ``_phi_high(eta) = d`` for eta >= 0 (the right-hand point of equal density)."""
    d = np.atleast_1d(np.asarray(d, dtype=float))
    # Start from the series of the inverse (small d) or the Lambert W branch
    # (large d), then polish with Newton steps on the convex phi_high.
    sq = np.sqrt(2 * d)
    small = sq < 0.5
    eta = np.empty_like(d)
    eta[small] = sq[small] * (1 + sq[small] * (1 / 3 + sq[small] * (1 / 36 - sq[small] / 270)))
    big = ~small
    if np.any(big):
        eta[big] = -special.lambertw(-np.exp(-1 - d[big]), -1).real - 1
    eta = np.maximum(eta, 1e-300)
    active = np.arange(d.size)
    for _ in range(40):
        e = eta[active]
        step = (_phi_high(e) - d[active]) * (1 + e) / e
        new = e - step
        new = np.where(new > 0, new, e / 2)
        eta[active] = new
        active = active[np.abs(new - e) > 1e-15 * new]
        if active.size == 0:
            break
    return eta


def _series(n, y):
    """``S`` with ``Q(n+1, y) = y^n e^-y / n! * S`` (for y > n; no underflow).

    From the finite sum ``Q(n+1, y) = e^-y sum_k y^k / k!`` written from its
    largest term down: ``S = sum_j prod_{i<j} (n - i) / y``.
    """
    term = np.ones_like(y)
    total = np.ones_like(y)
    active = np.arange(y.size)
    j = 0
    while active.size:
        term[active] *= np.maximum(n[active] - j, 0) / y[active]
        total[active] += term[active]
        j += 1
        active = active[term[active] > 1e-17 * total[active]]
    return total


def _upper_one_sided(n, b, cl):
    """Upper bound of ``[0, smax]`` with ``F(smax) = cl`` (n >= 1, arrays)."""
    a = n + 1
    q_b = special.gammaincc(a, b)
    target = (1 - cl) * q_b
    smax = np.empty_like(n)
    normal = q_b > 1e-250
    if np.any(normal):
        nn, bb, tt = n[normal], b[normal], target[normal]
        mu = special.gammainccinv(nn + 1, tt)
        mu = np.maximum(mu, bb)
        # polish with Newton steps on ln Q(a, mu) = ln target
        log_t = np.log(tt)
        log_pdf_const = special.gammaln(nn + 1)
        for _ in range(4):
            q = special.gammaincc(nn + 1, mu)
            pdf = np.exp(nn * np.log(mu) - mu - log_pdf_const)
            ok = (q > 0) & (pdf > 0)
            step = np.where(ok, (np.log(np.where(ok, q, 1)) - log_t) * np.where(ok, q, 1)
                            / np.where(ok, pdf, 1), 0.0)
            mu = np.maximum(mu + step, bb)
        smax[normal] = mu - bb
    if np.any(~normal):
        # B far above N: Q(N+1, B) underflows. Solve
        #   ln Q(N+1, B+x) - ln Q(N+1, B) = -x + N ln(1 + x/B) + ln S(B+x) - ln S(B)
        # equal to ln(1 - cl) by Newton (d/dx = -1/S(B+x)); the left side is
        # concave, so Newton from above the root converges monotonically.
        nn, bb, cc = n[~normal], b[~normal], cl[~normal]
        log_s_b = np.log(_series(nn, bb))
        log_alpha = np.log1p(-cc)
        x = -log_alpha / (1 - nn / bb)     # the tail decays at least like exp(-(1 - N/B) s)
        active = np.arange(nn.size)
        for _ in range(200):
            na, ba, xa = nn[active], bb[active], x[active]
            series = _series(na, ba + xa)
            h = -xa + na * np.log1p(xa / ba) + np.log(series) - log_s_b[active] \
                - log_alpha[active]
            new = np.maximum(xa + h * series, 0.5 * xa)
            x[active] = new
            active = active[np.abs(new - xa) > 1e-14 * new]
            if active.size == 0:
                break
        smax[~normal] = x
    return smax


def _two_sided(n, b, cl):
    """HPD interval ``[smin, smax]`` with smin > 0 (callers checked that it exists).

    Both ends have equal density; with ``mu = n (1 - eps)`` at the lower end,
    the upper end is ``n (1 + eta(eps))`` and the enclosed probability rises
    monotonically with ``eps``, so a safeguarded Newton iteration on ``eps``
    (bracketed by ``[0, 1 - b/n]``) converges to the required ``cl``.
    """
    a = n + 1
    # Work with the excluded tail mass, (1 - cl) Q(a, b) = P(a, mu1) - P(a, b) + Q(a, mu2),
    # which stays accurate when cl is close to 1.
    tail = (1 - cl) * special.gammaincc(a, b)
    p_b = special.gammainc(a, b)
    log_norm = n * np.log(n) - n - special.gammaln(a)   # ln pdf(mu) = log_norm - n*phi(mu/n)
    eps_max = 1 - b / n            # lower point at s = 0
    lo = np.zeros_like(n)          # area(lo) < target
    hi = eps_max.copy()            # area(hi) >= target
    z = special.ndtri(0.5 + cl / 2)           # Gaussian starting point
    eps = np.minimum(z / np.sqrt(n), eps_max * 0.999)
    eps = np.where(eps > 0, eps, eps_max / 2)
    active = np.arange(n.size)
    for _ in range(200):
        e, nn, aa = eps[active], n[active], a[active]
        eta = _eta_for(_phi_low(e))
        excluded = (special.gammainc(aa, nn * (1 - e)) - p_b[active]) \
            + special.gammaincc(aa, nn * (1 + eta))
        f = tail[active] - excluded          # area - target, increasing with eps
        lo[active] = np.where(f < 0, e, lo[active])
        hi[active] = np.where(f >= 0, e, hi[active])
        # d area / d eps = n pdf (1 + d eta/d eps),  d eta/d eps = eps (1+eta) / ((1-eps) eta)
        deriv = nn * np.exp(log_norm[active] - nn * _phi_low(e)) \
            * (1 + (e / (1 - e)) * (1 + eta) / eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = e - f / deriv
        l, h = lo[active], hi[active]
        bad = ~np.isfinite(new) | (new <= l) | (new >= h)
        new = np.where(bad, 0.5 * (l + h), new)
        eps[active] = new
        converged = (np.abs(new - e) <= 1e-14 * e) | (h - l <= 1e-15 * h)
        active = active[~converged]
        if active.size == 0:
            break
    eta = _eta_for(_phi_low(eps))
    return n * (1 - eps) - b, n * (1 + eta) - b


def _as_probability(confidence, name="confidence"):
    cl = np.asarray(confidence, dtype=float)
    if not np.all(np.isfinite(cl)) or np.any(cl <= 0):
        raise InvalidQueryError(f"{name} must be a probability in (0, 1) or a "
                                f"percentage in (1, 100); got {confidence!r}.")
    cl = np.where(cl > 1, cl / 100, cl)
    if np.any(cl >= 1):
        raise InvalidQueryError(f"{name} must be below 1 (or 100 per cent); got {confidence!r}.")
    return cl


def _check_numeric(name, value):
    """Refuse booleans, strings and other non-numbers (scalars or arrays) for ``name``."""
    if isinstance(value, np.ndarray):
        ok = value.dtype.kind in "iuf"
    else:
        ok = all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
                 for v in np.asarray(value, dtype=object).ravel())
    if not ok:
        raise InvalidQueryError(f"{name} must be a number or an array of numbers "
                                f"(not bool or str); got {value!r}.")


def kbn_interval(n, b, confidence=ONE_SIGMA, *, return_mode=False):
    """Exact Kraft, Burrows & Nousek (1991) interval on the source counts.

    The smallest (highest posterior density) interval containing
    ``confidence`` of the posterior of the source counts ``s`` given ``n``
    observed counts and ``b`` expected background counts, with a flat prior
    on ``s >= 0``. Computed from the regularised incomplete gamma function,
    so it is exact to floating-point accuracy (no integration grid).

    Parameters
    ----------
    n : int or array-like of int
        Observed (total) counts in the source region, >= 0.
    b : float or array-like
        Expected background counts in the source region, >= 0.
    confidence : float or array-like, optional
        Probability content, in (0, 1); values above 1 are read as
        percentages (95 -> 0.95). Default: 1 sigma (0.6827). Use
        `sigma_to_confidence` to convert Gaussian sigma.
    return_mode : bool, optional
        Also return the posterior mode ``max(n - b, 0)``.

    Returns
    -------
    lower, upper : float or `~numpy.ndarray`
        Bounds on the source counts (broadcast shape of the inputs). The
        source is *detected* at this confidence when ``lower > 0``.
    mode : float or `~numpy.ndarray`
        Only with ``return_mode=True``.

    Notes
    -----
    For ``n = 0`` the interval is ``[0, -ln(1 - confidence)]`` whatever
    ``b``. When the density at ``s = 0`` is at least the HPD level the
    interval is one-sided, ``[0, smax]`` with ``F(smax) = confidence``.
    Otherwise both ends have equal posterior density and are found by a
    safeguarded Newton iteration, vectorised over all inputs.

    Unlike ``astropy.stats.poisson_conf_interval(interval='kraft-burrows-nousek')``
    this works for ``n = 0`` and ``b = 0`` and for large ``n``, and unlike a
    gridded integration it has no step-size error.

    Examples
    --------
    >>> from astroquery_sxps import kbn_interval
    >>> lo, hi = kbn_interval(577, 564.8623355896407, 0.95)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.0, 57.3823)
    >>> lo, hi = kbn_interval([0, 10], [0, 2.5], 0.683)
    """
    for name, value in (("n", n), ("b", b), ("confidence", confidence)):
        _check_numeric(name, value)
    if not isinstance(return_mode, (bool, np.bool_)):
        raise InvalidQueryError(f"return_mode must be True or False, not {return_mode!r}.")
    n_in = np.asarray(n)
    b_in = np.asarray(b)
    try:
        n_arr = n_in.astype(float)
        b_arr = b_in.astype(float)
    except (TypeError, ValueError):
        raise InvalidQueryError(f"n and b must be numbers; got n={n!r}, b={b!r}.") from None
    if np.any(~np.isfinite(n_arr)) or np.any(n_arr < 0) or np.any(n_arr != np.round(n_arr)):
        raise InvalidQueryError(f"n must be non-negative whole numbers of counts; got {n!r}.")
    if np.any(~np.isfinite(b_arr)) or np.any(b_arr < 0):
        raise InvalidQueryError(f"b must be finite and >= 0; got {b!r}.")
    cl_arr = _as_probability(confidence)
    n_arr, b_arr, cl_arr = np.broadcast_arrays(n_arr, b_arr, cl_arr)
    shape = n_arr.shape
    n_f, b_f, cl_f = (np.array(x, dtype=float).ravel() for x in (n_arr, b_arr, cl_arr))

    lower = np.zeros_like(n_f)
    upper = np.empty_like(n_f)
    zero = n_f == 0
    upper[zero] = -np.log1p(-cl_f[zero])

    rest = ~zero
    if np.any(rest):
        idx = np.flatnonzero(rest)
        nn, bb, cc = n_f[idx], b_f[idx], cl_f[idx]
        # Is the interval two-sided?  Only if n > b and the region where the
        # density exceeds its value at s = 0 holds at least cl.
        two = nn > bb
        if np.any(two):
            j = np.flatnonzero(two)
            n2, b2, c2 = nn[j], bb[j], cc[j]
            eps0 = 1 - b2 / n2
            with np.errstate(divide="ignore"):
                d0 = np.where(eps0 < 1, _phi_low(np.minimum(eps0, 1 - 1e-300)), np.inf)
            finite = np.isfinite(d0)
            eta0 = np.full_like(n2, np.inf)
            if np.any(finite):
                eta0[finite] = _eta_for(d0[finite])
            a2 = n2 + 1
            with np.errstate(invalid="ignore"):
                area0 = np.where(np.isfinite(eta0),
                                 (1 - special.gammaincc(a2, n2 * (1 + eta0)))
                                 - special.gammainc(a2, b2), 1 - special.gammainc(a2, b2))
            two[j] = area0 > c2 * special.gammaincc(a2, b2)
        if np.any(two):
            j = np.flatnonzero(two)
            lo, hi = _two_sided(nn[j], bb[j], cc[j])
            lower[idx[j]] = np.maximum(lo, 0)
            upper[idx[j]] = hi
        one = ~two
        if np.any(one):
            j = np.flatnonzero(one)
            upper[idx[j]] = _upper_one_sided(nn[j], bb[j], cc[j])

    lower = lower.reshape(shape)
    upper = upper.reshape(shape)
    if shape == ():
        lower, upper = float(lower), float(upper)
    if return_mode:
        mode = np.maximum(n_arr - b_arr, 0).reshape(shape)
        return lower, upper, (float(mode) if shape == () else mode)
    return lower, upper


# ---------------------------------------------------------------------------
# Merging upper limits
# ---------------------------------------------------------------------------
def check_level(sigma, confidence, name_sigma="sigma", name_conf="confidence"):
    """Return (probability, 'sigma'|'confidence') from the two exclusive options
    (``confidence`` wins when given; a percentage is divided by 100)."""
    if confidence is not None:
        if isinstance(confidence, (bool, np.bool_)) or not isinstance(confidence, numbers.Real):
            raise InvalidQueryError(f"{name_conf} must be a number, not {confidence!r}.")
        return float(_as_probability(confidence, name_conf)), "confidence"
    if isinstance(sigma, (bool, np.bool_)) or not isinstance(sigma, numbers.Real) \
            or not np.isfinite(sigma) or sigma <= 0:
        raise InvalidQueryError(f"{name_sigma} must be a positive number of Gaussian "
                                f"sigma, not {sigma!r}.")
    return sigma_to_confidence(sigma), "sigma"


def check_levels(sigma, confidence, det_thresh):
    """(upper-limit confidence, detection confidence) as probabilities, checked: the
    upper-limit level from ``sigma`` or ``confidence`` (`check_level`), and
    ``det_thresh`` (None: the upper-limit level) in the same form, Gaussian sigma or a
    probability."""
    ul_conf, kind = check_level(sigma, confidence)
    if det_thresh is None:
        det_conf = ul_conf
    elif kind == "sigma":
        det_conf = check_level(det_thresh, None, "det_thresh")[0]
    else:
        det_conf = check_level(None, det_thresh, "det_thresh", "det_thresh")[0]
    return ul_conf, det_conf


def column_values(table, name):
    """A column as a float array in its own unit (NaN where masked)."""
    col = table[name]
    if hasattr(col, "unit") and isinstance(col, u.Quantity):
        col = col.value
    data = np.ma.filled(np.ma.asarray(col).astype(float), np.nan) \
        if np.ma.isMaskedArray(col) or hasattr(col, "mask") else np.asarray(col, dtype=float)
    return np.asarray(data, dtype=float)


def select_rows(table, rows):
    """A boolean mask of the rows of ``table`` chosen by ``rows`` (None: all; a boolean
    mask; or row indices), checked (`~astroquery.exceptions.InvalidQueryError`)."""
    nrows = len(table)
    if rows is None:
        return np.ones(nrows, dtype=bool)
    sel = np.asarray(rows)
    if hasattr(rows, "mask") and np.ma.isMaskedArray(rows):
        sel = np.ma.filled(rows, False)
    if sel.dtype == bool:
        if sel.shape != (nrows,):
            raise InvalidQueryError(
                f"rows is a boolean mask of length {sel.size}, but the table has {nrows} rows.")
        return sel
    if sel.ndim == 0:
        sel = sel.reshape(1)
    if sel.size == 0:
        raise InvalidQueryError(f"rows={rows!r} selects no rows; give a boolean mask of "
                                f"length {nrows} or a non-empty list of row indices "
                                "(or None for all rows).")
    if sel.ndim != 1 or not np.issubdtype(sel.dtype, np.integer):
        raise InvalidQueryError("rows must be a boolean mask or a list of row indices, "
                                f"not {rows!r}.")
    if np.any(sel >= nrows) or np.any(sel < -nrows):
        raise InvalidQueryError(f"rows {rows!r} has indices outside the table's {nrows} rows.")
    mask = np.zeros(nrows, dtype=bool)
    mask[sel] = True
    return mask


def merge_upper_limits(table, rows=None, *, bands="all", sigma=3, confidence=None,
                       detections_as_rates=True, det_thresh=None):
    """Combine rows of an upper-limit table into one upper limit (or rate).

    Counts and background counts are summed over the selected rows, the
    correction factor is the ImageExposure-weighted mean, and the Kraft,
    Burrows & Nousek (1991) interval (`kbn_interval`, exact) of the summed
    counts gives the limit: ``UpperLimit = smax * CorrectionFactor /
    ImageExposure`` with the *summed ImageExposure* as the divisor.

    Parameters
    ----------
    table : `~astropy.table.Table`
        An upper-limit table, as returned by
        `~astroquery_sxps.SXPSClass.query_upper_limit` (``which_data='all'``).
        It needs ``SourceExposure``, ``ImageExposure`` and, per band,
        ``{Band}_Counts``, ``{Band}_BGCounts``, ``{Band}_CorrectionFactor``.
    rows : array-like of bool or of int, optional
        Which rows to merge: a boolean mask (e.g.
        ``table['ObsID'] < '10000000000'`` for the single observations) or
        row indices. Default: all rows.
    bands : str or list of str, optional
        ``'all'`` (default) or band names among Total, Soft, Medium, Hard
        (any case). Each band whose columns are missing from ``table`` is
        skipped with an INFO log message naming it (as the tutorial shows:
        an upper limit of the total band alone skips Soft, Medium and Hard).
    sigma : float, optional
        Confidence of the upper limit in Gaussian sigma (default 3, i.e.
        0.9973). Ignored when ``confidence`` is given.
    confidence : float, optional
        Confidence of the upper limit as a probability (0.95) or a
        percentage (95).
    detections_as_rates : bool, optional
        If True (default), a merged band whose lower bound at ``det_thresh``
        is above zero is reported as a rate (the posterior mode
        ``max(N - B, 0)`` with the 1-sigma HPD interval) in
        ``{Band}_Rate/RatePos/RateNeg`` and flagged in ``{Band}_IsDetected``;
        undetected bands have NaN rates.
    det_thresh : float, optional
        Detection threshold, in the same units as the upper-limit level:
        Gaussian sigma when ``sigma`` is used, a probability (or percentage)
        when ``confidence`` is given. Default: the upper-limit level.

    Returns
    -------
    `~astropy.table.Table`
        One row with ``SourceExposure``, ``ImageExposure`` (s) and per merged
        band ``{Band}_UpperLimit`` (ct / s), ``{Band}_Counts`` (ct, whole
        number), ``{Band}_BGCounts`` (ct), ``{Band}_CorrectionFactor`` and,
        with ``detections_as_rates``, ``{Band}_Rate``, ``{Band}_RatePos``,
        ``{Band}_RateNeg`` (ct / s, NaN if undetected) and
        ``{Band}_IsDetected`` (bool). ``meta`` records ``confidence``,
        ``detection_confidence``, ``num_rows`` and ``bands`` (the bands
        merged).

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Bad ``rows``, ``bands``, ``sigma``, ``confidence`` or ``det_thresh``,
        no rows selected, or the exposure columns are missing.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, merge_upper_limits
    >>> ul = SXPS.query_upper_limit('77.969042, -62.324167',
    ...                             which_data='all')  # doctest: +REMOTE_DATA
    >>> merged = merge_upper_limits(ul, rows=ul['ObsID'] < '10000000000',
    ...                             confidence=0.95)  # doctest: +REMOTE_DATA
    INFO: Skipping band Soft: the table has no Soft_Counts, ... column(s). [astroquery_sxps.stats]
    INFO: Skipping band Medium: the table has no Medium_Counts, ... column(s). [astroquery_sxps.stats]
    INFO: Skipping band Hard: the table has no Hard_Counts, ... column(s). [astroquery_sxps.stats]
    >>> merged['Total_UpperLimit']  # doctest: +SKIP
    <Column name='Total_UpperLimit' dtype='float64' unit='ct / s' length=1>
    0.0022251309...
    """
    if not isinstance(table, Table):
        raise InvalidQueryError("table must be an astropy Table of upper limits "
                                f"(from SXPS.query_upper_limit), not {type(table).__name__}.")
    band_list = normalise_bands(bands, allowed=_BANDS)
    if band_list == "all":
        band_list = list(_BANDS)
    detections_as_rates = check_bool("detections_as_rates", detections_as_rates)
    conf_ul, conf_det = check_levels(sigma, confidence, det_thresh)
    for name in ("SourceExposure", "ImageExposure"):
        if name not in table.colnames:
            raise InvalidQueryError(f"The table has no {name} column; merge_upper_limits "
                                    "needs an upper-limit table from SXPS.query_upper_limit.")
    mask = select_rows(table, rows)
    if not mask.any():
        raise InvalidQueryError("rows selects no rows of the table; nothing to merge.")
    sub = table[mask]
    src_exp = float(np.sum(column_values(sub, "SourceExposure")))
    img_exp_rows = column_values(sub, "ImageExposure")
    img_exp = float(np.sum(img_exp_rows))

    out = Table(meta={"confidence": conf_ul, "detection_confidence": conf_det,
                      "num_rows": int(mask.sum())})
    out["SourceExposure"] = Column([src_exp], unit=u.s)
    out["ImageExposure"] = Column([img_exp], unit=u.s)
    merged = []
    for band in band_list:
        needed = [f"{band}_Counts", f"{band}_BGCounts", f"{band}_CorrectionFactor"]
        missing = [c for c in needed if c not in table.colnames]
        if missing:
            # also with bands='all': a limit the user may expect is not in the result
            log.info(f"Skipping band {band}: the table has no {', '.join(missing)} column(s).")
            continue
        counts = column_values(sub, needed[0])
        if np.any(~np.isfinite(counts)):
            raise InvalidQueryError(f"{needed[0]} has missing values in the selected rows.")
        n_tot = int(round(float(np.sum(counts))))
        b_tot = float(np.sum(column_values(sub, needed[1])))
        cf = float(np.sum(column_values(sub, needed[2]) * img_exp_rows) / img_exp)
        scale = cf / img_exp
        _, smax = kbn_interval(n_tot, b_tot, conf_ul)
        out[f"{band}_UpperLimit"] = Column([smax * scale], unit=u.ct / u.s)
        out[f"{band}_Counts"] = Column([n_tot], unit=u.ct)
        out[f"{band}_BGCounts"] = Column([b_tot], unit=u.ct)
        out[f"{band}_CorrectionFactor"] = Column([cf])
        if detections_as_rates:
            det_lo, _ = kbn_interval(n_tot, b_tot, conf_det)
            detected = det_lo > 0
            if detected:
                lo1, hi1, mode = kbn_interval(n_tot, b_tot, ONE_SIGMA, return_mode=True)
                rate, pos, neg = mode * scale, (hi1 - mode) * scale, (lo1 - mode) * scale
                log.debug(f"The merged data give a detection in band {band}.")
            else:
                rate = pos = neg = np.nan
                log.debug(f"The merged data do not give a detection in band {band}.")
            out[f"{band}_Rate"] = Column([rate], unit=u.ct / u.s)
            out[f"{band}_RatePos"] = Column([pos], unit=u.ct / u.s)
            out[f"{band}_RateNeg"] = Column([neg], unit=u.ct / u.s)
            out[f"{band}_IsDetected"] = Column([bool(detected)])
        merged.append(band)
    out.meta["bands"] = merged
    if not merged:
        log.warning("No band could be merged: the table lacks the Counts, BGCounts and "
                    "CorrectionFactor columns of every requested band.")
    return finish_table(out)
