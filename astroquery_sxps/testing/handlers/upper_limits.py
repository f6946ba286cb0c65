"""getSXPSUL: upper limits, and jobs that time out.

See ``docs/sxps/api_protocol.rst`` (getSXPSUL).

Replies are built from ``data/upper_limits.json`` (the tutorial's real
values) for the request's position, ``bands``, ``whichData``,
``detectionsAsRates`` and ``timeFormat``; the columns are those of the getSXPSUL reply.

Position forms: ``searchName`` (free-form coordinates parsed like the real
service, or a name from the data file's ``names`` table) or ``RA``/``Dec``
(then no ``Resolved*`` keys). Positions not in the data file, unknown names
and one-sided RA/Dec are answered with ``ERROR``.

Emulator switches (``emu.options``), honoured here:

``rows_as_arrays``
    ``ULData`` as a list of row arrays in ``Columns`` order instead of records.
``numbers_as_strings``
    Every number as a string, NaN as ``"NaN"`` and booleans as ``"0"``/``"1"``.
``synthetic_upper_limits``
    Answer positions that are not in the data file too (for batch tests and
    benchmarks): a position within ``SYNTHETIC_FIELD_RADIUS_DEG`` (11.8 arcmin,
    half the 23.6 arcmin XRT field) of a dataset of the synthetic ``datasets``
    table (``full_table_rows`` rows, the same rows ``getSXPSTable`` serves) gets
    one row per such dataset, with values drawn from a generator seeded by the
    position and the ObsID (so the same request always gets the same reply);
    other positions get the real service's "not covered" ``ERROR``. The values
    are synthetic, not real data.

Jobs that time out: `schedule_ul_timeout` makes the next upper-limit request
answer ``{"TIMEOUT": id}``; ``{"ULID": id}`` then answers ``TIMEOUT`` for
``polls_before_ready`` polls, the full result exactly once, and ``ERROR``
afterwards (the real server deletes a result once it has been retrieved).
Unknown job ids get ``ERROR``.

Not emulated: ``sigma``/``detThresh`` other than 3 (the stored 3-sigma values
are returned; the fields are recorded in ``emu.requests``),
``skipDetections`` and ``useCatValues`` (accepted, no effect).
"""
import math
import threading
import uuid

from .._data import load
from ..server import APIError, api_function

__all__ = ["schedule_ul_timeout", "ul_jobs", "build_ul_reply"]

_BANDS = ("Total", "Soft", "Medium", "Hard")
_LOCK = threading.Lock()
_MATCH_RADIUS_DEG = 5.0 / 3600


def schedule_ul_timeout(emu, polls_before_ready=0, job_id=None):
    """Make the next getSXPSUL request time out; return the job id it will carry.

    Parameters
    ----------
    emu : `~astroquery_sxps.testing.SXPSEmulator`
    polls_before_ready : int
        How many ``{"ULID": id}`` polls answer ``TIMEOUT`` before the result
        is delivered (use a huge number for a job that never finishes).
    job_id : str, optional
        The id to use (default: a random hex string).
    """
    job_id = job_id or uuid.uuid4().hex[:12]
    with _LOCK:
        emu.state.setdefault("ul_timeout_queue", []).append((job_id, int(polls_before_ready)))
    return job_id


def ul_jobs(emu):
    """The emulator's upper-limit jobs: id -> {'remaining', 'reply', 'retrieved'}."""
    return emu.state.setdefault("ul_jobs", {})


# -- positions --------------------------------------------------------------
def _parse_coords(text):
    """Free-form coordinates -> (ra, dec) in degrees, or None if not coordinates."""
    cleaned = text.replace(",", " ").split()
    if len(cleaned) == 2:
        try:
            return float(cleaned[0]), float(cleaned[1])
        except ValueError:
            pass
    try:
        from astropy import units as u
        from astropy.coordinates import SkyCoord
        coord = SkyCoord(text.replace(",", " "), unit=(u.hourangle, u.deg))
        return float(coord.ra.deg), float(coord.dec.deg)
    except Exception:
        return None


def _cos_separation(ra1, dec1, ra2, dec2, xp=math):
    """Cosine of the angle between two positions (degrees): with ``xp=math`` for numbers,
    ``xp=numpy`` for arrays."""
    r1, d1, r2, d2 = map(xp.radians, (ra1, dec1, ra2, dec2))
    return xp.sin(d1) * xp.sin(d2) + xp.cos(d1) * xp.cos(d2) * xp.cos(r1 - r2)


def _separation_deg(ra1, dec1, ra2, dec2):
    cos = _cos_separation(ra1, dec1, ra2, dec2)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _find_position(emu, data, ra, dec, catalogue):
    for key, entry in data["positions"].items():
        pra, pdec = _parse_coords(key)
        if _separation_deg(ra, dec, pra, pdec) <= _MATCH_RADIUS_DEG:
            return entry
    if emu.options.get("synthetic_upper_limits"):
        entry = _synthetic_entry(emu, ra, dec)
        if entry is not None:
            return entry
    raise APIError(f"No {catalogue} upper limits can be calculated at ({ra:.5f}, {dec:.5f}): "
                   "the position is not covered by the catalogue.")


#: Coverage radius of a synthetic dataset (half the 23.6 arcmin XRT field).
SYNTHETIC_FIELD_RADIUS_DEG = 11.8 / 60


def _synthetic_entry(emu, ra, dec):
    """A data-file-like entry for (ra, dec) from the synthetic datasets covering it, or None."""
    import datetime
    import numpy as np
    from .. import synthetic
    from .tables import table_rows
    ds = synthetic.table_arrays("datasets", "LSXPS", table_rows(emu))
    cos = _cos_separation(ra, dec, ds["RA"], ds["Decl"], np)
    hits = np.flatnonzero(cos >= math.cos(math.radians(SYNTHETIC_FIELD_RADIUS_DEG)))
    if not len(hits):
        return None
    datasets = []
    for i in hits:
        obsid = f"{int(ds['ObsID'][i]):011d}"
        rng = np.random.default_rng([int(round(ra * 1e5)) % 2**32,
                                     int(round((dec + 90) * 1e5)), int(ds["ObsID"][i])])
        start = datetime.datetime.fromisoformat(str(ds["StartTime_UTC"][i]))
        exposure = float(ds["ExposureUsed"][i])
        record = {"StartTime": start.strftime("%Y-%m-%d %H:%M:%S"),
                  "StopTime": (start + datetime.timedelta(seconds=2 * exposure)
                               ).strftime("%Y-%m-%d %H:%M:%S"),
                  "ObsID": obsid, "SourceExposure": round(exposure * 0.9, 6),
                  "ImageExposure": round(exposure, 6)}
        for band in _BANDS:
            counts = float(rng.poisson(3))
            bg = round(float(rng.uniform(0.5, 5)), 6)
            record[band] = {"UpperLimit": round(float((counts + 5) / exposure), 8),
                            "Rate": None, "RatePos": None, "RateNeg": None,
                            "Counts": counts, "BGCounts": bg,
                            "CorrectionFactor": round(float(rng.uniform(1.1, 1.6)), 6),
                            "IsDetected": False}
        datasets.append(record)
    return {"DetData": [], "bands": list(_BANDS), "datasets": datasets}


def _locate(emu, data, body, catalogue):
    """Return (position entry, resolved dict or None)."""
    search = body.get("searchName")
    has_ra, has_dec = body.get("RA") is not None, body.get("Dec") is not None
    if search is not None and (has_ra or has_dec):
        raise APIError("Supply either searchName or RA and Dec, not both.")
    if search is not None:
        text = str(search).strip()
        if text in data["names"]:
            target = data["names"][text]
            entry = data["positions"][target["position"]]
            ra, dec = entry["ResolvedRA"], entry["ResolvedDec"]
            info = f"Resolved '{text}' via {target['resolver']} as ({ra:.5f}, {dec:.5f})"
            return entry, {"ResolvedRA": ra, "ResolvedDec": dec, "ResolvedInfo": info}
        if text in data["positions"]:
            entry = data["positions"][text]
            return entry, {k: entry[k] for k in ("ResolvedRA", "ResolvedDec", "ResolvedInfo")}
        coords = _parse_coords(text)
        if coords is None:
            raise APIError(f"Could not resolve '{text}': it is not a valid position and none "
                           "of SIMBAD, MARS or TNS knows the name.")
        ra, dec = coords
        entry = _find_position(emu, data, ra, dec, catalogue)
        return entry, {"ResolvedRA": round(ra, 5), "ResolvedDec": round(dec, 5),
                       "ResolvedInfo": f"Parsed '{text}' as ({ra:.5f}, {dec:.5f})"}
    if has_ra and has_dec:
        try:
            ra, dec = float(body["RA"]), float(body["Dec"])
        except (TypeError, ValueError):
            raise APIError("RA and Dec must be numbers in decimal degrees.") from None
        return _find_position(emu, data, ra, dec, catalogue), None
    raise APIError("No position was supplied: give searchName, or both RA and Dec.")


# -- reply building -----------------------------------------------------------
def _bands(value, available):
    if isinstance(value, str):
        if value.strip().lower() != "all":
            raise APIError(f"Invalid bands value '{value}'.")
        wanted = list(_BANDS)
    elif isinstance(value, list) and value:
        wanted = []
        for band in value:
            canon = str(band).strip().capitalize()
            if canon not in _BANDS:
                raise APIError(f"Unknown band '{band}'.")
            if canon not in wanted:
                wanted.append(canon)
    else:
        raise APIError("bands must be 'all' or a list of band names.")
    missing = [b for b in wanted if b not in available]
    if missing:
        raise APIError(f"[emulator] no {', '.join(missing)} band data is stored for this position.")
    return [b for b in _BANDS if b in wanted]


def _times(cal, time_format, met_offset):
    from astropy.time import Time
    fmt = str(time_format).strip().lower()
    if fmt in ("cal", ""):
        return cal
    t = Time(cal.replace(" ", "T"), format="isot", scale="utc")
    if fmt == "mjd":
        return float(t.mjd)
    if fmt == "tdb":
        return float(t.tdb.jd)
    if fmt == "met":
        epoch = Time("2001-01-01T00:00:00", format="isot", scale="utc")
        return float((t - epoch).sec) - met_offset
    raise APIError(f"Invalid timeFormat '{time_format}'.")


def build_ul_reply(emu, body):
    """The full (non-TIMEOUT) reply to an upper-limit request body."""
    data = load("upper_limits")
    catalogue = body.get("catalogue", "LSXPS")
    if catalogue not in data["catalogues"]:
        raise APIError(f"Unknown or unsupported catalogue '{catalogue}' for upper limits.")
    entry, resolved = _locate(emu, data, body, catalogue)
    bands = _bands(body.get("bands", ["total"]), entry["bands"])
    which = str(body.get("whichData", "deepest")).strip().lower()
    if which not in ("deepest", "all"):
        raise APIError(f"Invalid whichData value '{body.get('whichData')}'.")
    as_rates = bool(body.get("detectionsAsRates", False))
    time_format = body.get("timeFormat", "cal")
    datasets = entry["datasets"]
    if which == "deepest":
        datasets = [max(datasets, key=lambda d: d[data["deepest_by"]])]
    per_band = (["UpperLimit", "Rate", "RatePos", "RateNeg", "Counts", "BGCounts",
                 "CorrectionFactor", "IsDetected"] if as_rates
                else ["UpperLimit", "Counts", "BGCounts", "CorrectionFactor"])
    columns = ["StartTime", "StopTime", "ObsID", "SourceExposure", "ImageExposure"]
    columns += [f"{b}_{c}" for b in bands for c in per_band]
    records = []
    for ds in datasets:
        rec = {"StartTime": _times(ds["StartTime"], time_format, data["met_offset_s"]),
               "StopTime": _times(ds["StopTime"], time_format, data["met_offset_s"]),
               "ObsID": ds["ObsID"], "SourceExposure": ds["SourceExposure"],
               "ImageExposure": ds["ImageExposure"]}
        for b in bands:
            for c in per_band:
                value = ds[b][c]
                if c == "IsDetected":
                    value = int(bool(value))
                elif value is None:
                    value = float("nan")
                rec[f"{b}_{c}"] = value
        records.append(rec)
    reply = dict(resolved or {})
    if entry.get("DetData"):
        reply["DetData"] = entry["DetData"]
    reply["Columns"] = columns
    reply["ULData"] = _encode(emu, records, columns)
    return reply


def _as_string(value):
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else repr(value)
    return str(value)


def _encode(emu, records, columns):
    if emu.options.get("numbers_as_strings"):
        records = [{k: (_as_string(v) if isinstance(v, (int, float)) else v)
                    for k, v in rec.items()} for rec in records]
    if emu.options.get("rows_as_arrays"):
        return [[rec[c] for c in columns] for rec in records]
    return records


@api_function("getSXPSUL")
def get_upper_limits(emu, body):
    jobs = ul_jobs(emu)
    if "ULID" in body:
        job_id = body["ULID"]
        with _LOCK:
            job = jobs.get(job_id) if isinstance(job_id, str) else None
            if job is None:
                raise APIError(f"Upper limit job `{job_id}` was not found: it does not exist "
                               "or its result has already been retrieved.")
            if job["retrieved"]:
                raise APIError(f"Upper limit job `{job_id}` was not found: its result has "
                               "already been retrieved (results can be retrieved only once).")
            if job["remaining"] > 0:
                job["remaining"] -= 1
                return {"TIMEOUT": job_id}
            job["retrieved"] = True
            return job["reply"]
    reply = build_ul_reply(emu, body)
    with _LOCK:
        queue = emu.state.get("ul_timeout_queue")
        scheduled = queue.pop(0) if queue else None
        if scheduled is not None:
            job_id, polls = scheduled
            jobs[job_id] = {"remaining": polls, "reply": reply, "retrieved": False}
            return {"TIMEOUT": job_id}
    return reply
