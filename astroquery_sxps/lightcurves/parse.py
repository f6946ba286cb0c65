"""SXPS light curves: the ``getSXPSLC`` request, its reply and the plan of ``get_lightcurve``.

See ``docs/sxps/api_protocol.rst`` (getSXPSLC, light-curve parsing).

`lightcurve_request` builds the ``getSXPSLC`` request, `parse_lightcurve_reply`
turns a reply into a `~astroquery_sxps.LightCurveCollection` (one
`~astroquery_sxps.SXPSLightCurve` per dataset, named exactly as the server
names it) and `lightcurve_plan` is the plan of ``SXPS.get_lightcurve``.
"""

import numpy as np
import astropy.units as u

from .._plan import Plan, Targets
from .._results import finish_timeseries, float_column, meta_key, plain, writable_meta
from .._transport import APIRequest, let_pool_run
from .._validation import check_bool, check_catalog, choose, normalise_bands, obsid_strings
from ..exceptions import IgnoredOptionWarning, InvalidQueryError, SXPSResponseError, warn
from ..sources.living import (check_transient_options, raise_if_split, transient_lookup,
                              warn_if_superseded)
from ..timeconv import as_float_array, normalise_time_format, server_time_format, to_time
from .collection import LightCurveCollection
from .lightcurve import SXPSLightCurve

__all__ = ["parse_lightcurve_reply", "lightcurve_request", "lightcurve_plan", "BINNINGS",
           "LC_BANDS", "LC_FLAGS"]

#: Canonical binning names and the spellings accepted for them.
BINNINGS = ("Observation", "Snapshot", "Counts")
_BINNING_ALIASES = {"obs": "Observation", "obsid": "Observation", "obslc": "Observation",
                    "ss": "Snapshot", "sslc": "Snapshot"}
#: Band labels accepted by ``bands`` (sent lower-case, HRs as ``HR1``/``HR2``).
LC_BANDS = ("total", "soft", "medium", "hard", "HR1", "HR2")
#: snake_case keyword -> wire name of the optional getSXPSLC flags.
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


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------
def lightcurve_request(catalog, field, value, *, bands, binning, time_format,
                       transient=False, flags=None, get_all_types=None):
    """The ``getSXPSLC`` request for one identifier.

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


def _block_data(name, block):
    """The checked ``<name>Data`` block: its column names (as str) and its values by
    column (one sequence per column, in the same order).

    Raises `SXPSResponseError` if the block has no ``columns``, a row is not a
    list of one value per column, or there is no ``Time`` column.
    """
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
    if "Time" not in columns:
        raise SXPSResponseError(f"The light curve {name} has no Time column.",
                                api_func="getSXPSLC")
    return columns, (list(zip(*rows)) if rows else [()] * ncol)


def _dataset(name, block, time_format, t0, time_override=None):
    """One ``<name>Data`` block -> TimeSeries."""
    columns, cols = _block_data(name, block)
    is_ul = _is_ul_name(name) and "UpperLimit" not in columns and "HR" not in columns
    if is_ul and "Rate" in columns:
        columns[columns.index("Rate")] = "UpperLimit"       # quirk Q6, always fixed
    is_ul = is_ul or "UpperLimit" in columns
    data = dict(zip(columns, cols))
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
        out[col] = arr * unit if unit is not None else float_column(arr)
    out["is_upper_limit"] = np.full(len(times), is_ul, dtype=bool)
    # one constructor call: much cheaper than adding the columns one by one
    ts = SXPSLightCurve(time=time, data=out, copy=False)
    # the server's columns as this curve names them (its Time is our ``time``)
    meta = {"dataset": name, "time_format": fmt, "t0": t0,
            "columns": ["time" if c == "Time" else c for c in columns],
            "is_upper_limit": bool(is_ul)}
    if fmt == "MET":
        meta["met_note"] = ("MET holds the server's Swift MET values (s); time was "
                            "taken from the server's MJD (UTC) light curve.")
    return finish_timeseries(ts, meta)


def parse_lightcurve_reply(reply, identifier=None, *, catalog=None, transient=False,
                           utc_reply=None):
    """Turn a ``getSXPSLC`` reply into a `LightCurveCollection`.

    Parameters
    ----------
    reply : dict
        The validated reply (``OK``/``APIVersion`` stripped).
    identifier : int or str, optional
        What was requested (kept in ``meta['identifier']``).
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
    raise_if_split(reply, identifier)
    time_format = reply.get("TimeFormat")
    fmt = server_time_format(time_format) if time_format is not None else None
    t0 = reply.get("T0", 0)
    try:
        t0 = float(t0) if t0 is not None else 0.0
    except (TypeError, ValueError):
        pass
    identifier = plain(identifier)
    meta = {"time_format": fmt, "t0": t0, "binning": server_binning(reply.get("Binning")),
            "identifier": identifier, "catalog": catalog, "transient": bool(transient)}
    datasets = reply.get("Datasets") or []
    skip = {f"{d}Data" for d in datasets} | {"TimeFormat", "T0", "Binning", "Datasets"}
    for key, value in reply.items():
        if key not in skip and not key.endswith("Data"):
            meta[meta_key(key)] = writable_meta(value)
    urls = {}
    curves = {}
    utc_twins = None
    if fmt == "MET" and utc_reply is not None:
        utc_twins = _utc_twins(utc_reply, identifier)
    for name in datasets:
        block = _listed_block(reply, name)
        override = None
        if fmt == "MET":
            override = _matching_utc(name, block, utc_twins)
        curves[name] = _dataset(name, block, time_format, t0, override)
        let_pool_run()
        if isinstance(block, dict) and "URL" in block:
            urls[name] = block["URL"]
    if urls:
        meta["urls"] = urls
    return LightCurveCollection(curves, meta)


def _listed_block(reply, name):
    """The ``<name>Data`` block of a dataset the reply lists (`SXPSResponseError` if absent)."""
    block = reply.get(f"{name}Data")
    if block is None:
        raise SXPSResponseError(f"The reply lists dataset {name!r} but has no "
                                f"{name}Data block.", api_func="getSXPSLC")
    return block


def _missing_twin(name):
    return SXPSResponseError(
        f"The MJD version of the MET light curve {name!r} is missing, so its bins "
        "cannot be given exact UTC times.", api_func="getSXPSLC")


def _utc_twins(utc_reply, identifier):
    """The datasets of the MJD twin of a MET reply: name -> (values by column name, time).

    The twin is checked as `parse_lightcurve_reply` checks a reply (split
    source, listed blocks, the blocks themselves), but only what the MET
    matching uses is converted: no light curve is built.
    """
    raise_if_split(utc_reply, identifier)
    time_format = utc_reply.get("TimeFormat")
    fmt = server_time_format(time_format) if time_format else "MJD"
    twins = {}
    for name in utc_reply.get("Datasets") or []:
        block = _listed_block(utc_reply, name)
        if fmt == "MET":       # a MET twin has no UTC times either
            raise _missing_twin(name)
        columns, cols = _block_data(name, block)
        data = dict(zip(columns, cols))
        # the time as `_dataset` makes it for an MJD (or TDB) curve
        time = to_time(as_float_array(data["Time"]), "TDB" if fmt == "TDB" else "MJD")
        twins[name] = (data, time)
        let_pool_run()
    return twins


def _matching_utc(name, block, utc_twins):
    """The UTC ``time`` of the MJD twin of a MET dataset, after checking the bins match."""
    if utc_twins is None or name not in utc_twins:
        raise _missing_twin(name)
    twin, time = utc_twins[name]
    rows = block.get("data") or []
    if len(rows) != len(time):
        raise SXPSResponseError(
            f"The MET and MJD versions of {name!r} have different numbers of bins "
            f"({len(rows)} and {len(time)}).", api_func="getSXPSLC")
    cols = list(block["columns"])
    for col in ("ObsID", "CtsInSrc"):
        if col in cols and col in twin and rows:
            mine = [r[cols.index(col)] for r in rows]
            if col == "ObsID":
                same = obsid_strings(mine) == obsid_strings(twin[col])
            else:
                same = np.allclose(as_float_array(mine), as_float_array(twin[col]),
                                   equal_nan=True)
            if not np.all(same):
                raise SXPSResponseError(
                    f"The MET and MJD versions of {name!r} do not describe the same bins "
                    f"({col} differs).", api_func="getSXPSLC")
    return time


def check_identity(field, requested, collection):
    """Warn if the reply says it describes a newer source than the one requested.

    The API gives light-curve replies no marker for a superseded source
    (the server silently answers with the current source). When a reply does
    carry the resolved identity (``LSXPS_ID``/``IAUName``), a
    `~astroquery_sxps.exceptions.SupersededWarning` names both; without it
    nothing can be detected without an extra ``getSXPSSourceInfo`` call.
    """
    meta = collection.meta
    if "lsxps_id" in meta or "iau_name" in meta:
        record = {"LSXPS_ID": meta.get("lsxps_id"), "IAUName": meta.get("iau_name")}
        if warn_if_superseded(field, requested, record, what="source"):
            meta["superseded"] = True


# ---------------------------------------------------------------------------
# The plan of SXPS.get_lightcurve
# ---------------------------------------------------------------------------
def lightcurve_plan(source_id=None, source_name=None, *, catalog="LSXPS", bands="all",
                    binning="observation", time_format="mjd", transient=False,
                    trans_as_source=False, get_all_types=None, skip_errors=False,
                    options=None):
    """Check every ``SXPS.get_lightcurve`` option; its plan.

    Bad input raises `~astroquery.exceptions.InvalidQueryError` before any
    request; options that do not apply are warned about
    (`~astroquery_sxps.exceptions.IgnoredOptionWarning`) and not sent.
    For ``time_format='met'`` each object takes two requests: the MET curve,
    then its MJD twin, which gives exact UTC times.

    Parameters
    ----------
    options : dict, optional
        snake_case flag (the keys of `LC_FLAGS`) -> bool or None; None means
        not given (not sent).
    """
    catalog = check_catalog(catalog)
    transient, trans_as_source = check_transient_options(catalog, transient, trans_as_source)
    skip_errors = check_bool("skip_errors", skip_errors)
    targets = Targets.sources(source_id, source_name)
    given = {k: check_bool(k, v) for k, v in (options or {}).items() if v is not None}
    if get_all_types is not None:
        get_all_types = check_bool("get_all_types", get_all_types)
    pure_transient = transient and not trans_as_source
    binning = normalise_binning(binning, transient=pure_transient)
    fmt = normalise_time_format(time_format, allowed=("MJD", "TDB", "MET"))
    bands = normalise_bands(bands, allowed=LC_BANDS)
    if pure_transient:
        ignored = sorted(given) + (["get_all_types"] if get_all_types is not None else [])
        if bands != "all" and [b.lower() for b in bands] != ["total"]:
            ignored.append(f"bands={bands!r}")
        if fmt != "MJD":
            ignored.append(f"time_format={time_format!r}")
        if ignored:
            warn("Transient light curves are total-band, MJD and have no "
                 f"grouping options; ignoring {', '.join(ignored)}.",
                 IgnoredOptionWarning)
        bands, fmt, given, get_all_types = "all", "MJD", {}, None
    elif get_all_types:
        overridden = [k for k in GROUPING_FLAGS if k in given]
        if overridden:
            warn(f"get_all_types=True overrides {', '.join(overridden)}; "
                 "they are not sent.", IgnoredOptionWarning)
            given = {k: v for k, v in given.items() if k not in overridden}
    wire_bands = bands if bands == "all" else [b if b.startswith("HR") else b.lower()
                                               for b in bands]
    flags = {LC_FLAGS[k]: v for k, v in given.items()}

    def requests(value):
        """The MET request then the MJD one for ``time_format='met'``, else just one."""
        made = [lightcurve_request(catalog, targets.field, value,
                                   time_format="Swift MET" if fmt == "MET" else fmt,
                                   bands=wire_bands, binning=binning, transient=pure_transient,
                                   flags=flags, get_all_types=get_all_types)]
        if fmt == "MET":
            made.append(lightcurve_request(catalog, targets.field, value, time_format="MJD",
                                           bands=wire_bands, binning=binning,
                                           transient=pure_transient, flags=flags,
                                           get_all_types=get_all_types))
        return made

    def fetch(context, key, value):
        made = requests(value)
        reply = context.call(made[0])
        utc = None
        if len(made) > 1:      # not for a split source: the error comes from the first reply
            raise_if_split(reply, value)
            utc = context.call(made[1])
        return reply, utc

    def read(key, value, replies):
        reply, utc = replies
        result = parse_lightcurve_reply(reply, value, catalog=catalog, transient=pure_transient,
                                        utc_reply=utc)
        if not pure_transient:
            check_identity(targets.field, value, result)
        return result

    lookup = transient_lookup(catalog, targets) if trans_as_source else None
    return Plan(fetch, read=read, targets=targets, requests=requests, lookup=lookup,
                skip_errors=skip_errors)
