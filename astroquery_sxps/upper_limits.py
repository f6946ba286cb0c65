"""Upper limits (``getSXPSUL``): request building, TIMEOUT polling and reply parsing.

See ``docs/sxps/api_protocol.rst`` (getSXPSUL). The public methods are
`~astroquery_sxps.SXPSClass.query_upper_limit` and
`~astroquery_sxps.SXPSClass.retrieve_upper_limit`; merging rows is
`~astroquery_sxps.merge_upper_limits` (module `~astroquery_sxps.stats`).
"""
import math
import numbers
import time

import numpy as np
import astropy.units as u
from astropy.coordinates import Angle, SkyCoord
from astropy.table import Column, Table
from astroquery import log

from ._conf import conf
from ._plan import Plan
from ._results import SXPSTable, finish_table, float_column
from ._transport import APIRequest
from ._validation import BANDS, check_bool, check_catalog, choose, normalise_bands, obsid_strings
from .exceptions import (CataloguedSourceWarning, InvalidQueryError, NoResultsWarning,
                         SXPSResponseError, UpperLimitPending, warn)
from .timeconv import as_float_array, normalise_time_format, to_time

__all__ = ["build_request", "retrieve_request", "parse_reply", "resolve_position",
           "wait_for_job", "upper_limit_plan", "retrieve_plan"]

API_FUNC = "getSXPSUL"
WHICH_DATA = ("deepest", "all")

#: Per-band column suffix -> unit (None: dimensionless; 'bool': boolean flag).
_BAND_UNITS = {
    "UpperLimit": u.ct / u.s, "Rate": u.ct / u.s, "RatePos": u.ct / u.s,
    "RateNeg": u.ct / u.s, "Counts": u.ct, "BGCounts": u.ct,
    "CorrectionFactor": None,
}
_BAND_FLAGS = ("IsDetected", "IsRetrospectiveDetection", "DataFromCatalogue",
               "PileupWarning")
_EXPOSURES = ("SourceExposure", "ImageExposure")
#: Request fields recorded in ``meta`` (wire name -> meta key).
_REQUEST_META = {"bands": "bands", "whichData": "which_data", "sigma": "sigma",
                 "detThresh": "det_thresh", "detectionsAsRates": "detections_as_rates",
                 "ULID": "job_id"}


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------
def _angle(value, name):
    """One coordinate (number, Quantity, Angle, string with units) -> degrees (float).

    Numbers are degrees; strings must carry their units (``'05h11m52s'``,
    ``'-62d19m27s'``, ``'77.97 deg'``): a unit-less string such as ``'10'`` or
    ``'05 11 52'`` is ambiguous (degrees or hours) and is refused.
    """
    if isinstance(value, (bool, np.bool_)):
        raise InvalidQueryError(f"{name} must be an angle, not {value!r}.")
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(Angle(text).deg)
        except u.UnitsError:
            raise InvalidQueryError(
                f"{name}={value!r} has no unit: give a number (degrees), an astropy "
                "Angle/Quantity, or a string with units such as '05h11m52s', "
                "'-62d19m27s' or '77.97 deg'.") from None
        except (ValueError, TypeError) as exc:
            raise InvalidQueryError(f"{name}={value!r} is not an angle I can read "
                                    f"({exc}).") from None
    try:
        if isinstance(value, u.Quantity):
            return float(Angle(value).deg)
        if isinstance(value, numbers.Real):
            return float(value)
    except (ValueError, TypeError, u.UnitsError) as exc:
        raise InvalidQueryError(f"{name}={value!r} is not an angle I can read ({exc}).") from None
    raise InvalidQueryError(f"{name} must be a number of degrees, an astropy Angle/Quantity "
                            f"or a string with units such as '05h11m52s'; got "
                            f"{type(value).__name__}.")


def _check_radec(ra, dec):
    if not math.isfinite(ra) or not 0 <= ra < 360 + 1e-9:
        raise InvalidQueryError(f"RA must be in [0, 360) degrees; got {ra!r}.")
    if not math.isfinite(dec) or not -90 <= dec <= 90:
        raise InvalidQueryError(f"Dec must be in [-90, 90] degrees; got {dec!r}.")
    return ra % 360, dec


def resolve_position(position=None, name=None, ra=None, dec=None):
    """Turn the exclusive position arguments into wire fields.

    Returns
    -------
    dict
        ``{'searchName': text}`` or ``{'RA': deg, 'Dec': deg}``.
    """
    given = [n for n, v in (("position", position), ("name", name)) if v is not None]
    if ra is not None or dec is not None:
        given.append("ra/dec")
    if len(given) > 1:
        raise InvalidQueryError(f"Give the position in one form only; {' and '.join(given)} "
                                "were both given.")
    if not given:
        raise InvalidQueryError("Give a position: position (SkyCoord, (ra, dec) pair or "
                                "string), name (resolved by the server) or ra and dec.")
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            raise InvalidQueryError(f"name must be a non-empty string, not {name!r}.")
        return {"searchName": name.strip()}
    if ra is not None or dec is not None:
        if ra is None or dec is None:
            missing = "dec" if dec is None else "ra"
            raise InvalidQueryError(f"ra and dec must be given together ({missing} is missing).")
        return dict(zip(("RA", "Dec"), _check_radec(_angle(ra, "ra"), _angle(dec, "dec"))))
    if isinstance(position, SkyCoord):
        if not position.isscalar:
            raise InvalidQueryError("position must be a single (scalar) SkyCoord, "
                                    f"not an array of {position.size}.")
        icrs = position.icrs
        return {"RA": float(icrs.ra.deg), "Dec": float(icrs.dec.deg)}
    if isinstance(position, str):
        if not position.strip():
            raise InvalidQueryError("position is an empty string.")
        return {"searchName": position.strip()}
    if isinstance(position, (tuple, list)) and len(position) == 2:
        return dict(zip(("RA", "Dec"), _check_radec(_angle(position[0], "position[0] (RA)"),
                                                    _angle(position[1], "position[1] (Dec)"))))
    raise InvalidQueryError("position must be a SkyCoord, a (ra, dec) pair of angles or a "
                            f"string such as '334.502058 -8.256481'; got {position!r}.")


def _bands(bands):
    """``'all'`` or the lower-case wire names (the server's own spelling in requests)."""
    bands = normalise_bands(bands)
    return bands if bands == "all" else [band.lower() for band in bands]


def _sigma(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not math.isfinite(value) or value <= 0:
        raise InvalidQueryError(f"{name} must be a positive number of Gaussian sigma, "
                                f"not {value!r}.")
    return float(value)


def build_request(position=None, *, name=None, ra=None, dec=None, catalog="LSXPS",
                  bands="total", which_data="deepest", sigma=3, det_thresh=None,
                  detections_as_rates=False, skip_detections=False, use_cat_values=False,
                  time_format="cal"):
    """Validate the arguments of ``query_upper_limit`` and build its `APIRequest`."""
    where = resolve_position(position, name, ra, dec)
    payload = {
        "catalogue": check_catalog(catalog),
        "bands": _bands(bands),
        "whichData": choose("which_data", which_data, WHICH_DATA),
        "timeFormat": normalise_time_format(time_format),
        "sigma": _sigma(sigma, "sigma"),
        "detectionsAsRates": check_bool("detections_as_rates", detections_as_rates),
        "skipDetections": check_bool("skip_detections", skip_detections),
        "useCatValues": check_bool("use_cat_values", use_cat_values),
    }
    if det_thresh is not None:
        payload["detThresh"] = _sigma(det_thresh, "det_thresh")
    payload.update(where)
    return APIRequest(API_FUNC, payload, identifier=where.get("searchName", where),
                      uncacheable_keys=("TIMEOUT",))


def check_wait(wait):
    """Validate ``retrieve_upper_limit(wait=...)``: None or a finite number of seconds >= 0."""
    if wait is not None and (isinstance(wait, (bool, np.bool_))
                             or not isinstance(wait, numbers.Real)
                             or not math.isfinite(wait) or not wait >= 0):
        raise InvalidQueryError(f"wait must be a finite number of seconds >= 0 (or None for "
                                f"conf.upper_limit_wait), not {wait!r}.")
    return wait


def retrieve_request(job_id):
    """The `APIRequest` that fetches a timed-out job ``{"ULID": job_id}``."""
    if not isinstance(job_id, str) or not job_id.strip():
        raise InvalidQueryError(f"job_id must be the non-empty string the server returned "
                                f"with TIMEOUT, not {job_id!r}.")
    return APIRequest(API_FUNC, {"ULID": job_id.strip()}, identifier=job_id.strip(),
                      uncacheable_keys=("TIMEOUT",))


# ---------------------------------------------------------------------------
# TIMEOUT polling
# ---------------------------------------------------------------------------
def wait_for_job(call, job_id, budget=None, interval=None):
    """Poll ``{"ULID": job_id}`` until the result arrives or the budget is spent.

    Parameters
    ----------
    call : callable
        ``call(request) -> reply`` (the transport).
    job_id : str
    budget, interval : float, optional
        Seconds; default ``conf.upper_limit_wait`` and
        ``conf.upper_limit_poll_interval``. ``budget=0`` asks once.

    Returns
    -------
    reply : dict
        The final (non-TIMEOUT) reply.

    Raises
    ------
    UpperLimitPending
        The job is still running when the budget runs out.
    """
    budget = float(conf.upper_limit_wait if budget is None else budget)
    interval = max(float(conf.upper_limit_poll_interval if interval is None else interval), 0.0)
    start = time.monotonic()
    deadline = start + max(budget, 0.0)
    # a hard cap on the number of polls, so that no loop can run forever
    max_polls = 1 + int(max(budget, 0.0) / max(interval, 1e-3))
    polls = 0
    while True:
        try:
            reply = call(retrieve_request(job_id))
        except SXPSResponseError as exc:
            # the server deletes a result once it has sent it: say which job it was
            raise SXPSResponseError(
                f"The reply for upper-limit job {job_id!r} could not be used ({exc}). The "
                "server deletes a result once it has been sent, so it may be lost; try "
                f"SXPS.retrieve_upper_limit({job_id!r}), else run the query again.",
                api_func=exc.api_func, status=exc.status, field=exc.field) from exc
        polls += 1
        if "TIMEOUT" not in reply:
            return reply
        job_id = str(reply["TIMEOUT"] or job_id)
        now = time.monotonic()
        if polls >= max_polls or now + interval > deadline:
            raise UpperLimitPending(job_id, waited=now - start)
        log.info(f"Upper limit job {job_id} still running; polling again in {interval:g} s.")
        time.sleep(interval)


# ---------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------
def _to_bool(values, name):
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if isinstance(v, str):
            text = v.strip().lower()
            if text in ("1", "true", "t", "yes", "y"):
                out[i] = True
            elif text in ("0", "false", "f", "no", "n", "", "nan", "null", "none"):
                out[i] = False
            else:
                try:
                    out[i] = float(text) != 0
                except ValueError:
                    raise ValueError(f"{name}: cannot read {v!r} as a boolean") from None
        elif v is None:
            out[i] = False
        else:
            try:
                out[i] = bool(v) and not (isinstance(v, float) and math.isnan(v))
            except (TypeError, ValueError):
                out[i] = False
    return out


def _rows(reply):
    """(column names, list of per-column value lists) from records or row arrays."""
    data = reply.get("ULData") or []
    columns = list(reply.get("Columns") or [])
    if isinstance(data, dict):           # column-oriented {col: [values]}
        columns = columns or list(data)
        return columns, [list(data.get(c, [None] * 0)) for c in columns]
    if not columns:
        for row in data:
            if isinstance(row, dict):
                for key in row:
                    if key not in columns:
                        columns.append(key)
    values = {c: [] for c in columns}
    for row in data:
        if isinstance(row, dict):
            for c in columns:
                values[c].append(row.get(c))
        else:
            row = list(row)
            for i, c in enumerate(columns):
                values[c].append(row[i] if i < len(row) else None)
    return columns, [values[c] for c in columns]


def _column(name, values, time_format):
    if name in ("StartTime", "StopTime"):
        if not values:
            return Column([], name=name, dtype=float, unit=u.s if time_format == "MET" else None)
        return to_time(values, time_format)
    if name == "ObsID":
        return Column(obsid_strings(values), name=name, dtype="U11")
    if name in _EXPOSURES:
        return float_column(as_float_array(values), name=name, unit=u.s)
    band, _, suffix = name.partition("_")
    if band in BANDS and suffix:
        if suffix in _BAND_FLAGS:
            return Column(_to_bool(values, name), name=name)
        if suffix in _BAND_UNITS:
            return float_column(as_float_array(values), name=name, unit=_BAND_UNITS[suffix])
    # unknown column: numeric if every value reads as a number, else text
    floats = as_float_array(values)
    if all(v is None or not np.isnan(f) or str(v).strip().lower() == "nan"
           for v, f in zip(values, floats)):
        return float_column(floats, name=name)
    return Column([("" if v is None else str(v)) for v in values], name=name)


def parse_reply(reply, time_format="cal", catalog="LSXPS", request=None):
    """Turn a complete ``getSXPSUL`` reply into a `~astropy.table.Table`."""
    fmt = normalise_time_format(time_format)
    columns, values = _rows(reply)
    # one construction of the table (adding columns one by one costs far more)
    table = SXPSTable([_column(name, vals, fmt) for name, vals in zip(columns, values)],
                      names=list(columns), copy=False)
    meta = {"catalog": catalog, "time_format": fmt}
    if request is not None:
        for key, name in _REQUEST_META.items():
            if key in request.payload:
                meta[name] = request.payload[key]
    resolved = None
    if reply.get("ResolvedRA") is not None and reply.get("ResolvedDec") is not None:
        try:
            resolved = SkyCoord(float(reply["ResolvedRA"]) * u.deg,
                                float(reply["ResolvedDec"]) * u.deg, frame="icrs")
        except (TypeError, ValueError):
            resolved = None
    if resolved is not None:
        meta["resolved_position"] = resolved
        meta["position"] = resolved
    elif request is not None and "RA" in request.payload:
        meta["position"] = SkyCoord(request.payload["RA"] * u.deg,
                                    request.payload["Dec"] * u.deg, frame="icrs")
    if "ResolvedInfo" in reply:
        meta["resolved_info"] = reply["ResolvedInfo"]
    det = reply.get("DetData")
    if det:
        det_table = _det_table(det)
        meta["det_data"] = det_table
        names = ", ".join(f"{n} ({d:.1f} arcsec)" for n, d in
                          zip(det_table["SourceName"], det_table["Distance"].value))
        warn(CataloguedSourceWarning(
            f"The position lies within 30 arcsec of catalogued {catalog} source(s): {names}. "
            "An upper limit may not be appropriate; consider the source's light curve. "
            "The matches are in meta['det_data']."))
    table = finish_table(table, meta)
    if len(table) == 0:
        warn(NoResultsWarning("The server returned no upper-limit rows for this "
                              "position."))
    return table


def _det_table(det):
    if isinstance(det, dict):
        det = [det]
    columns = []
    for row in det:
        if isinstance(row, dict):
            for key in row:
                if key not in columns:
                    columns.append(key)
    columns = columns or ["Distance", "SourceName"]
    out = Table()
    for c in columns:
        vals = [row.get(c) if isinstance(row, dict) else None for row in det]
        if c == "Distance":
            out[c] = Column(as_float_array(vals), unit=u.arcsec)
        elif c == "SourceName":
            out[c] = Column([str(v) for v in vals])
        else:
            out[c] = _column(c, vals, "cal")
    return finish_table(out)


# ---------------------------------------------------------------------------
# Plans (what the public methods send)
# ---------------------------------------------------------------------------
def upper_limit_plan(position=None, *, name=None, ra=None, dec=None, catalog="LSXPS",
                     bands="total", which_data="deepest", sigma=3, det_thresh=None,
                     detections_as_rates=False, skip_detections=False, use_cat_values=False,
                     time_format="cal"):
    """Check the arguments of ``query_upper_limit``; its plan.

    A reply that is a job id (``TIMEOUT``) is polled for within
    ``conf.upper_limit_wait`` (`wait_for_job`).
    """
    request = build_request(
        position, name=name, ra=ra, dec=dec, catalog=catalog, bands=bands,
        which_data=which_data, sigma=sigma, det_thresh=det_thresh,
        detections_as_rates=detections_as_rates, skip_detections=skip_detections,
        use_cat_values=use_cat_values, time_format=time_format)

    def run(context):
        reply = context.call(request)
        if "TIMEOUT" in reply:
            reply = wait_for_job(context.call, str(reply["TIMEOUT"]))
        return parse_reply(reply, request.payload["timeFormat"], request.payload["catalogue"],
                           request)
    return Plan.single(run, requests=request)


def retrieve_plan(job_id, *, wait=None, time_format="cal", catalog="LSXPS"):
    """Check the arguments of ``retrieve_upper_limit``; its plan."""
    request = retrieve_request(job_id)
    time_format = normalise_time_format(time_format)
    catalog = check_catalog(catalog)
    check_wait(wait)

    def run(context):
        reply = wait_for_job(context.call, request.payload["ULID"], budget=wait)
        return parse_reply(reply, time_format, catalog, request)
    return Plan.single(run, requests=request)
