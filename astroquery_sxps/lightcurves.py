"""SXPS light curves as `~astropy.timeseries.TimeSeries` (protocol.md 3.4, 5.1, 5.6).

`lightcurve_request` builds the ``getSXPSLC`` request, `parse_lightcurve_reply`
turns a reply into a `LightCurveCollection` (one ``TimeSeries`` per dataset,
named exactly as the server names it) and `merge_lightcurve_bins` combines bins
with the exact Kraft, Burrows & Nousek interval of `~astroquery_sxps.bayes`.

Columns and units of every ``TimeSeries``
-----------------------------------------
=========================  ==========  =========================================
column                     unit        meaning
=========================  ==========  =========================================
``time``                   (Time)      bin centre: UTC for MJD, TDB for TDB
``MET``                    s           only for ``time_format='met'``: the
                                       server's Swift MET values, unchanged
``TimePos``, ``TimeNeg``   d (s: MET)  bin half-widths (``TimeNeg`` < 0)
``Rate``, ``RatePos``,     ct / s      count rate and 1-sigma errors
``RateNeg``, ``RateErr``
``UpperLimit``             ct / s      3-sigma upper limit (UL datasets)
``HR``, ``HRPos``...       --          hardness ratio and errors
``CtsInSrc``, ``BGInSrc``  ct          counts in the source region, background
``Exposure``               s           exposure
``BGrate``, ``BGerr``      ct / s      background rate (transients)
``ObsID``                  --          11-character string (``show_obs=True``)
``is_upper_limit``         --          True in upper-limit datasets
=========================  ==========  =========================================

Other columns the server sends (``CorrFact``, ``FracExp``, ``Sigma``, ``SNR``,
and any new one) are kept, dimensionless unless listed above.
"""
import collections.abc
import warnings
from collections import namedtuple

import numpy as np
import astropy.units as u
from astropy.table import vstack
from astropy.time import Time
from astropy.timeseries import TimeSeries

from . import _living
from ._transport import APIRequest
from ._validation import (check_bool, check_catalog, choose, identifiers, normalise_bands,
                          obsid_strings)
from .exceptions import IgnoredOptionWarning, InvalidQueryError, SXPSResponseError
from .timeconv import as_float_array, normalise_time_format, server_time_format, to_time

__all__ = ["LightCurveCollection", "merge_lightcurve_bins", "parse_lightcurve_reply",
           "lightcurve_request", "BINNINGS", "LC_BANDS", "LC_FLAGS", "MergedBin"]

#: Canonical binning names and the spellings accepted for them.
BINNINGS = ("Observation", "Snapshot", "Counts")
_BINNING_ALIASES = {"obs": "Observation", "obsid": "Observation", "obslc": "Observation",
                    "ss": "Snapshot", "sslc": "Snapshot"}
#: Band labels accepted by ``bands`` (sent lower-case, HRs as ``HR1``/``HR2``).
LC_BANDS = ("total", "soft", "medium", "hard", "HR1", "HR2")
#: snake_case keyword -> wire name of the optional getSXPSLC flags (protocol.md 3.4).
LC_FLAGS = {"group_rates": "groupRates", "group_uls": "groupULs", "group_hrs": "groupHRs",
            "retro_as_ul": "retroAsUL", "nondet_as_ul": "nondetAsUL",
            "get_retro_hr": "getRetroHR", "show_obs": "showObs",
            "hide_bad_pup": "hideBadPup", "merge_aliases": "mergeAliases"}
#: The flags that ``getAllTypes`` overrides.
GROUPING_FLAGS = ("group_rates", "group_uls", "group_hrs", "retro_as_ul", "nondet_as_ul",
                  "get_retro_hr")

_CTS_S = u.ct / u.s
_UNITS = {"Rate": _CTS_S, "RatePos": _CTS_S, "RateNeg": _CTS_S, "RateErr": _CTS_S,
          "UpperLimit": _CTS_S, "BGrate": _CTS_S, "BGerr": _CTS_S,
          "CtsInSrc": u.ct, "BGInSrc": u.ct, "Exposure": u.s}
_STRING_COLUMNS = ("ObsID", "URL")


def normalise_binning(binning, transient=False):
    """Canonical binning name; ``counts`` only for transients."""
    canon = choose("binning", binning, BINNINGS, _BINNING_ALIASES)
    if canon == "Counts" and not transient:
        raise InvalidQueryError("binning='counts' exists only for transients "
                                "(transient=True); use 'observation' or 'snapshot'.")
    return canon


def server_binning(value):
    """The server's ``Binning`` (obslc/sslc/counts/Observation/...) -> canonical, or None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    lookup = {b.lower(): b for b in BINNINGS}
    lookup.update(_BINNING_ALIASES)
    return lookup.get(text, str(value))


def time_format_in_name(time_format):
    """``TimeFormat`` as used in file names (``Swift MET`` -> ``MET``)."""
    return "MET" if time_format and "met" in str(time_format).lower() else time_format


# ---------------------------------------------------------------------------
# The collection
# ---------------------------------------------------------------------------
class LightCurveCollection(collections.abc.Mapping):
    """The light curves of one source or transient.

    A read-only mapping from dataset name, exactly as the server names it
    (``'Total_rates'``, ``'Total_UL'``, ``'HR1'``, ``'PC_incbad'``...), to an
    `~astropy.timeseries.TimeSeries`, in the server's order.

    Attributes
    ----------
    datasets : list of str
        The dataset names, in the server's order (the tutorial's
        ``lcs['Datasets']``).
    meta : dict
        ``TimeFormat`` (``'MJD'``, ``'TDB'`` or ``'MET'``), ``T0``, ``Binning``
        (``'Observation'``, ``'Snapshot'`` or ``'Counts'``), ``Identifier``
        (what was requested), ``Catalog``, ``Transient`` and any other key
        of the server's reply (e.g. ``URLs``).

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> lcs.datasets  # doctest: +REMOTE_DATA +SKIP
    ['Total_rates', 'Total_UL', 'Soft_rates', ..., 'HR1', 'HR2']
    >>> lcs['Total_rates']['Rate'].unit  # doctest: +REMOTE_DATA
    Unit("ct / s")
    """

    def __init__(self, curves, meta=None):
        self._curves = dict(curves)
        self.meta = dict(meta or {})

    @property
    def datasets(self):
        return list(self._curves)

    def __getitem__(self, name):
        try:
            return self._curves[name]
        except KeyError:
            raise KeyError(f"No dataset {name!r}; available: {self.datasets}") from None

    def __iter__(self):
        return iter(self._curves)

    def __len__(self):
        return len(self._curves)

    def __repr__(self):
        ident = self.meta.get("Identifier")
        parts = ", ".join(f"{k} ({len(v)})" for k, v in self._curves.items())
        return (f"<LightCurveCollection {ident!r}: TimeFormat={self.meta.get('TimeFormat')}, "
                f"Binning={self.meta.get('Binning')}, datasets: {parts or 'none'}>")

    def rates(self):
        """Names of the datasets holding count rates (not limits, not HRs)."""
        return [k for k, v in self._curves.items()
                if "Rate" in v.colnames and not v.meta.get("is_upper_limit")]

    def upper_limits(self):
        """Names of the datasets holding upper limits."""
        return [k for k, v in self._curves.items() if v.meta.get("is_upper_limit")]

    def plot(self, **kwargs):
        """Shortcut for `~astroquery_sxps.plot_lightcurve` (same arguments)."""
        from .plotting import plot_lightcurve
        return plot_lightcurve(self, **kwargs)

    def save(self, destdir="lc", **kwargs):
        """Shortcut for `~astroquery_sxps.save_lightcurves` (same arguments)."""
        from .lightcurve_io import save_lightcurves
        return save_lightcurves(self, destdir, **kwargs)


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------
def lightcurve_request(catalog, field, value, *, bands, binning, time_format,
                       transient=False, flags=None, get_all_types=None):
    """The ``getSXPSLC`` request (protocol.md 3.4) for one identifier.

    ``flags`` maps wire names to booleans; only those given are sent.
    """
    payload = {"whichCat": catalog, "bands": bands, "binning": binning,
               "timeFormat": time_format, field: value}
    if transient:
        payload["transient"] = True
    else:
        if get_all_types is not None:
            payload["getAllTypes"] = bool(get_all_types)
        payload.update(flags or {})
    return APIRequest("getSXPSLC", payload, identifier=value)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------
def _is_ul_name(name):
    return "UL" in name


def _dataset(name, block, time_format, t0, time_override=None):
    """One ``<name>Data`` block -> TimeSeries."""
    if not isinstance(block, dict) or "columns" not in block:
        raise SXPSResponseError(f"The light-curve block {name}Data has no 'columns'.",
                                api_func="getSXPSLC")
    columns = [str(c) for c in block["columns"]]
    rows = block.get("data") or []
    ncol = len(columns)
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != ncol:
            raise SXPSResponseError(
                f"Corrupt light curve {name}: row {i} has "
                f"{len(row) if isinstance(row, (list, tuple)) else 'no'} values for "
                f"{ncol} columns.", api_func="getSXPSLC")
    is_ul = _is_ul_name(name) and "UpperLimit" not in columns and "HR" not in columns
    if is_ul and "Rate" in columns:
        columns[columns.index("Rate")] = "UpperLimit"       # quirk Q6, always fixed
    is_ul = is_ul or "UpperLimit" in columns
    cols = list(zip(*rows)) if rows else [()] * ncol
    data = dict(zip(columns, cols))
    if "Time" not in data:
        raise SXPSResponseError(f"The light curve {name} has no Time column.",
                                api_func="getSXPSLC")
    fmt = server_time_format(time_format) if time_format else "MJD"
    times = as_float_array(data["Time"])
    met = None
    if fmt == "MET":
        met = times * u.s
        if time_override is None:
            raise SXPSResponseError("MET light curve without the matching UTC times.")
        time = time_override
    else:   # TDB (JD in the TDB scale), else MJD (UTC), as timeconv reads them
        time = to_time(times, "TDB" if fmt == "TDB" else "MJD")
    half_unit = u.s if fmt == "MET" else u.d
    out = {}
    if met is not None:
        out["MET"] = met
    for col in columns:
        if col == "Time":
            continue
        values = data[col]
        if col in _STRING_COLUMNS:
            out[col] = obsid_strings(values) if col == "ObsID" else \
                np.array(["" if v is None else str(v) for v in values], dtype=str)
            continue
        arr = as_float_array(values)
        unit = half_unit if col in ("TimePos", "TimeNeg") else _UNITS.get(col)
        out[col] = arr * unit if unit is not None else arr
    out["is_upper_limit"] = np.full(len(times), is_ul, dtype=bool)
    # one constructor call: much cheaper than adding the columns one by one
    ts = TimeSeries(time=time, data=out, copy=False)
    ts.meta.update({"dataset": name, "TimeFormat": fmt, "T0": t0,
                    "columns": columns, "is_upper_limit": bool(is_ul)})
    if fmt == "MET":
        ts.meta["MET_note"] = ("MET holds the server's Swift MET values (s); time was "
                               "taken from the server's MJD (UTC) light curve.")
    return ts


def parse_lightcurve_reply(reply, identifier=None, *, catalog=None, transient=False,
                           utc_reply=None):
    """Turn a ``getSXPSLC`` reply into a `LightCurveCollection`.

    Parameters
    ----------
    reply : dict
        The validated reply (``OK``/``APIVersion`` stripped).
    identifier : int or str, optional
        What was requested (kept in ``meta['Identifier']``).
    utc_reply : dict, optional
        For a MET reply: the reply to the same request in MJD, from which
        ``time`` is taken after checking that the bins correspond.

    Raises
    ------
    SourceSplitError
        The source was split (the reply holds ``newerSources``).
    SXPSResponseError
        A listed dataset has no block, a block is corrupt, or the MET and
        MJD light curves do not correspond.
    """
    _living.raise_if_split(reply, identifier)
    time_format = reply.get("TimeFormat")
    fmt = server_time_format(time_format) if time_format is not None else None
    t0 = reply.get("T0", 0)
    try:
        t0 = float(t0) if t0 is not None else 0.0
    except (TypeError, ValueError):
        pass
    meta = {"TimeFormat": fmt, "T0": t0, "Binning": server_binning(reply.get("Binning")),
            "Identifier": identifier, "Catalog": catalog, "Transient": bool(transient)}
    datasets = reply.get("Datasets") or []
    skip = {f"{d}Data" for d in datasets} | {"TimeFormat", "T0", "Binning", "Datasets"}
    for key, value in reply.items():
        if key not in skip and not key.endswith("Data"):
            meta[key] = value
    urls = {}
    curves = {}
    utc_curves = None
    if fmt == "MET" and utc_reply is not None:
        utc_curves = parse_lightcurve_reply(utc_reply, identifier, catalog=catalog,
                                            transient=transient)
    for name in datasets:
        block = reply.get(f"{name}Data")
        if block is None:
            raise SXPSResponseError(f"The reply lists dataset {name!r} but has no "
                                    f"{name}Data block.", api_func="getSXPSLC")
        override = None
        if fmt == "MET":
            override = _matching_utc(name, block, utc_curves)
        curves[name] = _dataset(name, block, time_format, t0, override)
        if isinstance(block, dict) and "URL" in block:
            urls[name] = block["URL"]
    if urls:
        meta["URLs"] = urls
    return LightCurveCollection(curves, meta)


def _matching_utc(name, block, utc_curves):
    """The UTC ``time`` of the MJD twin of a MET dataset, after checking the bins match."""
    if utc_curves is None or name not in utc_curves:
        raise SXPSResponseError(
            f"The MJD version of the MET light curve {name!r} is missing, so its bins "
            "cannot be given exact UTC times.", api_func="getSXPSLC")
    twin = utc_curves[name]
    rows = block.get("data") or []
    if len(rows) != len(twin):
        raise SXPSResponseError(
            f"The MET and MJD versions of {name!r} have different numbers of bins "
            f"({len(rows)} and {len(twin)}).", api_func="getSXPSLC")
    cols = list(block["columns"])
    for col in ("ObsID", "CtsInSrc"):
        if col in cols and col in twin.colnames and rows:
            mine = [r[cols.index(col)] for r in rows]
            mine = obsid_strings(mine) if col == "ObsID" else as_float_array(mine)
            theirs = np.asarray(twin[col].value if hasattr(twin[col], "unit")
                                and twin[col].unit is not None else twin[col])
            same = (mine == theirs) if col == "ObsID" else np.allclose(
                mine, theirs, equal_nan=True)
            if not np.all(same):
                raise SXPSResponseError(
                    f"The MET and MJD versions of {name!r} do not describe the same bins "
                    f"({col} differs).", api_func="getSXPSLC")
    return twin.time


# ---------------------------------------------------------------------------
# Merging bins
# ---------------------------------------------------------------------------
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


def _values(ts, name, unit=None):
    col = ts[name]
    if isinstance(col, u.Quantity):
        return (col.to_value(unit) if unit is not None else col.value).astype(float)
    return np.asarray(col, dtype=float)


def merge_lightcurve_bins(timeseries, rows=None, *, remove=False, insert=False,
                          force=None, sigma=3, confidence=None, det_thresh=None):
    """Combine light-curve bins into one count rate or upper limit.

    The counts ``C = sum(CtsInSrc)`` and background ``B = sum(BGInSrc)`` of
    the selected bins are combined with the exposure ``E = sum(Exposure)``
    and the weighted correction factor (weights ``CtsInSrc`` for rates,
    ``Exposure`` for limits), and the exact Kraft, Burrows & Nousek (1991)
    interval (`~astroquery_sxps.kbn_interval`, as in
    `~astroquery_sxps.merge_upper_limits`) decides: if its lower bound at
    ``det_thresh`` is above zero the bin is a rate, ``Rate = max(C - B, 0) *
    CF / E`` with the 1-sigma interval as errors; otherwise it is an upper
    limit, ``UpperLimit = smax * CF / E`` at the requested level.

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
    from .bayes import ONE_SIGMA, _level, _select_rows, kbn_interval

    if not isinstance(timeseries, TimeSeries):
        raise InvalidQueryError("merge_lightcurve_bins needs one light curve (a TimeSeries), "
                                f"not {type(timeseries).__name__}.")
    needed = ["TimePos", "TimeNeg", "CtsInSrc", "BGInSrc", "CorrFact", "Exposure"]
    missing = [c for c in needed if c not in timeseries.colnames]
    if missing:
        raise InvalidQueryError(f"This light curve lacks the column(s) {missing} needed to "
                                "merge bins (hardness ratios and band-split transient "
                                "curves cannot be merged).")
    remove = check_bool("remove", remove)
    if not (isinstance(insert, (bool, np.bool_))
            or (isinstance(insert, str) and insert.lower() == "match")):
        raise InvalidQueryError(f"insert must be True, False or 'match', not {insert!r}.")
    if isinstance(insert, np.bool_):
        insert = bool(insert)
    if force is not None:
        force = choose("force", force, ("rate", "ul"), {"upperlimit": "ul",
                                                       "upper_limit": "ul"})
    ul_conf, kind = _level(sigma, confidence)
    if det_thresh is None:
        det_conf = ul_conf
    elif kind == "sigma":
        det_conf = _level(det_thresh, None, "det_thresh")[0]
    else:
        det_conf = _level(None, det_thresh, "det_thresh", "det_thresh")[0]
    mask = _select_rows(timeseries, rows)
    if not mask.any():
        raise InvalidQueryError("No rows selected to merge.")
    sel = timeseries[mask]
    curve_is_ul = bool(timeseries.meta.get("is_upper_limit",
                                           "UpperLimit" in timeseries.colnames))

    exposure = _values(sel, "Exposure", u.s)
    counts = _values(sel, "CtsInSrc")
    bg = _values(sel, "BGInSrc")
    cf = _values(sel, "CorrFact")
    E = float(np.nansum(exposure))
    C = int(round(float(np.nansum(counts))))
    B = float(np.nansum(bg))
    if E <= 0:
        raise InvalidQueryError("The selected bins have no exposure.")

    half_unit = timeseries["TimePos"].unit or u.d
    t_ref = sel.time[0]
    offsets = (sel.time - t_ref).to_value(u.s)
    pos = _values(sel, "TimePos", u.s)
    neg = _values(sel, "TimeNeg", u.s)
    start = float(np.min(offsets + neg))
    stop = float(np.max(offsets + pos))
    mean = float(np.mean(offsets))
    new_time = t_ref + mean * u.s
    frac_exp = E / (stop - start) if stop > start else np.nan

    if insert is True:
        is_ul = curve_is_ul
    elif force is not None:
        is_ul = force == "ul"
    else:
        is_ul = not kbn_interval(C, B, det_conf)[0] > 0

    def weighted(w):
        ok = np.isfinite(cf) & np.isfinite(w)
        return float(np.sum(cf[ok] * w[ok]) / np.sum(w[ok])) if np.sum(w[ok]) > 0 \
            else float(np.nanmean(cf))
    CF = weighted(exposure if is_ul else counts)

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
        new["BGrate"] = float(np.nansum(_values(sel, "BGrate", _CTS_S) * exposure) / E) * _CTS_S
    else:
        new["BGrate"] = np.nan * _CTS_S
    if "BGerr" in sel.colnames:
        new["BGerr"] = float(np.sqrt(np.nansum(_values(sel, "BGerr", _CTS_S) ** 2 * exposure))
                             / E) * _CTS_S
    else:
        new["BGerr"] = np.nan * _CTS_S
    new.update(FracExp=frac_exp, CorrFact=CF, CtsInSrc=C * u.ct, BGInSrc=B * u.ct,
               Exposure=E * u.s, Sigma=np.nan)
    if "MET" in sel.colnames:
        new["MET"] = float(np.mean(_values(sel, "MET", u.s))) * u.s

    order = ["MET", "TimePos", "TimeNeg", "UpperLimit" if is_ul else "Rate", "RatePos",
             "RateNeg", "FracExp", "BGrate", "BGerr", "CorrFact", "CtsInSrc", "BGInSrc",
             "Exposure", "Sigma", "SNR"]
    merged = TimeSeries(time=Time([new_time]))
    for name in order:
        if name not in new:
            continue
        value = new[name]
        if name in ("TimePos", "TimeNeg"):
            value = value.to(half_unit)
        merged[name] = [value.value] * value.unit if isinstance(value, u.Quantity) \
            else np.array([value], dtype=float)
    merged["is_upper_limit"] = np.array([is_ul])
    merged.meta.update({"dataset": timeseries.meta.get("dataset"), "merged_rows": int(mask.sum()),
                        "Confidence": ul_conf, "DetectionConfidence": det_conf,
                        "is_upper_limit": is_ul, "TimeFormat": timeseries.meta.get("TimeFormat")})

    kept = timeseries[~mask] if remove else timeseries.copy()
    do_insert = insert is True or (isinstance(insert, str) and is_ul == curve_is_ul)
    if do_insert:
        row = TimeSeries(time=merged.time)
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


def check_identity(field, requested, collection):
    """Warn if the reply says it describes a newer source than the one requested.

    protocol.md gives light-curve replies no marker for a superseded source
    (the server silently answers with the current source). When a reply does
    carry the resolved identity (``LSXPS_ID``/``IAUName``), a
    `~astroquery_sxps.exceptions.SupersededWarning` names both; without it
    nothing can be detected without an extra ``getSXPSSourceInfo`` call.
    """
    meta = collection.meta
    if "LSXPS_ID" in meta or "IAUName" in meta:
        record = {"LSXPS_ID": meta.get("LSXPS_ID"), "IAUName": meta.get("IAUName")}
        if _living.warn_if_superseded(field, requested, record, what="source"):
            meta["Superseded"] = True


# ---------------------------------------------------------------------------
# The SXPS.get_lightcurve call
# ---------------------------------------------------------------------------
class LightCurveCall:
    """The checked options of one ``SXPS.get_lightcurve`` call (built by
    `prepare_lightcurve_call`); describes its requests and its payload.

    Attributes
    ----------
    catalog, field : str
        ``'LSXPS'``/``'2SXPS'``; wire identifier field (``sourceID``/``sourceName``).
    values, keys : list
        The identifiers as sent, and as supplied (the keys of a dict result).
    multiple : bool
        A list or tuple was supplied (the result is a dict).
    pure_transient : bool
        ``transient=True`` without ``trans_as_source``.
    lookup : `~astroquery_sxps._transport.APIRequest` or None
        The ``getSXPSTransAsSources`` request (``trans_as_source`` only).
    """

    def __init__(self, *, catalog, field, values, keys, multiple, skip_errors, pure_transient,
                 binning, time_format, bands, flags, get_all_types, lookup):
        self.catalog, self.field = catalog, field
        self.values, self.keys, self.multiple = values, keys, multiple
        self.skip_errors, self.pure_transient = skip_errors, pure_transient
        self.binning, self.time_format = binning, time_format
        self.bands, self.flags, self.get_all_types = bands, flags, get_all_types
        self.lookup = lookup

    def requests_for(self, value):
        """The ``getSXPSLC`` request(s) for one identifier: the MET one then
        the MJD one for ``time_format='met'``, else just one."""
        kw = dict(bands=self.bands, binning=self.binning, transient=self.pure_transient,
                  flags=self.flags, get_all_types=self.get_all_types)
        wire_fmt = "Swift MET" if self.time_format == "MET" else self.time_format
        reqs = [lightcurve_request(self.catalog, self.field, value, time_format=wire_fmt,
                                   **kw)]
        if self.time_format == "MET":
            reqs.append(lightcurve_request(self.catalog, self.field, value,
                                           time_format="MJD", **kw))
        return reqs

    def payload(self):
        """What ``get_query_payload=True`` returns: the lookup body with
        ``trans_as_source``, else the body, or a list of bodies."""
        if self.lookup is not None:
            return self.lookup.body
        bodies = [r.body for v in self.values for r in self.requests_for(v)]
        return bodies if self.multiple or len(bodies) > 1 else bodies[0]

    def targets(self, transport, cache=True):
        """Result key -> identifier to request; with ``trans_as_source`` this
        makes the one lookup call (the keys are then the LSXPS identifiers)."""
        values, keys = self.values, self.keys
        if self.lookup is not None:
            values, keys = _living.transients_as_sources(
                transport, self.catalog, self.field, values, keys,
                skip_errors=self.skip_errors, cache=cache)
        return dict(zip(keys, values))

    def result(self, results):
        """The dict of collections for a list or tuple, else the one collection (or None)."""
        if self.multiple:
            return results
        if not results:
            return None
        return next(iter(results.values()))


def prepare_lightcurve_call(source_id=None, source_name=None, *, catalog="LSXPS", bands="all",
                            binning="observation", time_format="mjd", transient=False,
                            trans_as_source=False, get_all_types=None, skip_errors=False,
                            options=None, stacklevel=3):
    """Check every ``SXPS.get_lightcurve`` option and return a `LightCurveCall`.

    Bad input raises `~astroquery.exceptions.InvalidQueryError` before any
    request; options that do not apply are warned about
    (`~astroquery_sxps.exceptions.IgnoredOptionWarning`, at ``stacklevel``
    from here: 3 is the caller of ``get_lightcurve``) and not sent.

    Parameters
    ----------
    options : dict, optional
        snake_case flag (the keys of `LC_FLAGS`) -> bool or None; None means
        not given (not sent).
    """
    catalog = check_catalog(catalog)
    transient = check_bool("transient", transient)
    if transient and catalog != "LSXPS":
        raise InvalidQueryError(f"catalog={catalog!r} with transient=True: transients exist "
                                "only in LSXPS; use catalog='LSXPS'.")
    trans_as_source = check_bool("trans_as_source", trans_as_source)
    skip_errors = check_bool("skip_errors", skip_errors)
    field, values, keys, multiple = identifiers(source_id, source_name)
    given = {k: check_bool(k, v) for k, v in (options or {}).items() if v is not None}
    if get_all_types is not None:
        get_all_types = check_bool("get_all_types", get_all_types)
    pure_transient = transient and not trans_as_source
    binning = normalise_binning(binning, transient=pure_transient)
    fmt = normalise_time_format(time_format, allowed=("MJD", "TDB", "MET"))
    bands = normalise_bands(bands, allowed=LC_BANDS)
    if not transient and trans_as_source:
        warnings.warn("trans_as_source applies only with transient=True; ignored.",
                      IgnoredOptionWarning, stacklevel=stacklevel)
    if pure_transient:
        ignored = sorted(given) + (["get_all_types"] if get_all_types is not None else [])
        if bands != "all" and [b.lower() for b in bands] != ["total"]:
            ignored.append(f"bands={bands!r}")
        if fmt != "MJD":
            ignored.append(f"time_format={time_format!r}")
        if ignored:
            warnings.warn("Transient light curves are total-band, MJD and have no "
                          f"grouping options; ignoring {', '.join(ignored)}.",
                          IgnoredOptionWarning, stacklevel=stacklevel)
        bands, fmt, given, get_all_types = "all", "MJD", {}, None
    elif get_all_types:
        overridden = [k for k in GROUPING_FLAGS if k in given]
        if overridden:
            warnings.warn(f"get_all_types=True overrides {', '.join(overridden)}; "
                          "they are not sent.", IgnoredOptionWarning, stacklevel=stacklevel)
            given = {k: v for k, v in given.items() if k not in overridden}
    wire_bands = bands if bands == "all" else [b if b.startswith("HR") else b.lower()
                                               for b in bands]
    lookup = (_living.transient_lookup_request(catalog, field, values)
              if transient and trans_as_source else None)
    return LightCurveCall(catalog=catalog, field=field, values=values, keys=keys,
                          multiple=multiple, skip_errors=skip_errors,
                          pure_transient=pure_transient, binning=binning, time_format=fmt,
                          bands=wire_bands, flags={LC_FLAGS[k]: v for k, v in given.items()},
                          get_all_types=get_all_types, lookup=lookup)


def fetch_lightcurve(prepared, value, call):
    """Fetch and parse the light curve of one identifier.

    Parameters
    ----------
    prepared : `LightCurveCall`
    value : int or str
        The identifier as sent.
    call : callable
        ``call(request) -> reply`` (e.g. ``SXPSClass._call`` with ``cache`` bound).

    Returns
    -------
    `LightCurveCollection`
        For ``time_format='met'`` the MJD twin is fetched too (after checking
        the MET reply is not a split source) to give exact UTC times.
    """
    reqs = prepared.requests_for(value)
    reply = call(reqs[0])
    utc = None
    if len(reqs) > 1:
        _living.raise_if_split(reply, value)
        utc = call(reqs[1])
    result = parse_lightcurve_reply(reply, value, catalog=prepared.catalog,
                                    transient=prepared.pure_transient, utc_reply=utc)
    if not prepared.pure_transient:
        check_identity(prepared.field, value, result)
    return result
