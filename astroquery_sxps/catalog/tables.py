"""Full catalogue tables (``getSXPSTable``) and their old epochs (``getOldSXPSTables``).

See ``docs/sxps/api_protocol.rst`` (getOldSXPSTables, getSXPSTable, full tables on
disk). Differences from the existing client:

* the file is streamed to disk (progress bar) into astroquery's cache and reused
  while ``cache=True``; it is copied (never linked) into ``download_dir`` only on
  request, never over an existing file unless ``clobber=True``;
* gzipped epochs are decompressed in Python (no external ``gunzip``, quirk Q10);
* CSV *and* FITS files are read into an astropy `~astropy.table.Table` with
  units and a ``coord`` `~astropy.coordinates.SkyCoord` column; the CSV reader
  is chunked and multi-threaded (`astroquery_sxps.catalog._fastcsv`);
* an epoch is checked against `list_old_tables` before the table is requested.
"""
import re
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.time import Time
from astroquery import log

from .._files import check_destination, safe_name, url_path_name
from .._results import column_unit, finish_table
from .._plan import Plan
from .._transport import APIRequest
from .._validation import check_bool, check_catalog, choose, obsid_strings
from ..exceptions import InvalidQueryError, SXPSResponseError
from ..timeconv import utc_times
from ._fastcsv import read_csv

__all__ = ["TABLES", "SUBSETS", "SUBSET_TABLES", "check_table", "check_subset",
           "old_tables_request", "parse_old_tables", "match_epoch", "table_request",
           "column_unit", "add_units", "type_columns", "is_utc_column", "is_obsid_column",
           "read_table", "local_file_name", "old_tables_plan", "full_table_plan"]

#: Tables of each catalogue (``docs/sxps/api_protocol.rst``: getSXPSTable, the query module).
TABLES = {
    "LSXPS": ("sources", "datasets", "detections", "obssources", "xcorr", "transients", "oldstacks"),
    "2SXPS": ("sources", "datasets", "detections", "xcorr"),
}
TABLE_ALIASES = {"extcatmatches": "xcorr"}
#: Subsets (only for the sources and datasets tables). 'ultra-clean' is accepted as well.
SUBSETS = ("clean", "ultraclean")
SUBSET_ALIASES = {"ultra-clean": "ultra-clean"}
SUBSET_TABLES = ("sources", "datasets")
FORMATS = ("csv", "fits")


def check_table(table, catalog):
    """Canonical table name for ``catalog`` (``'extcatmatches'`` -> ``'xcorr'``)."""
    return choose("table", table, TABLES[catalog], TABLE_ALIASES)


def check_subset(subset, table):
    """``None`` or the subset spelling to send (``'clean'``, ``'ultraclean'``, ``'ultra-clean'``)."""
    if subset is None:
        return None
    if table not in SUBSET_TABLES:
        raise InvalidQueryError(
            f"subset={subset!r} is not valid for table={table!r}: subsets exist only for the "
            f"{' and '.join(SUBSET_TABLES)} tables (use subset=None).")
    return choose("subset", subset, SUBSETS, SUBSET_ALIASES)


# -- old epochs ---------------------------------------------------------------
def old_tables_request():
    return APIRequest("getOldSXPSTables", {}, min_keys=("hourly", "daily"))


def _epoch_text(key, kind):
    """The text `_epoch_time` parses for an epoch key of ``kind``."""
    text = str(key).replace(" UTC", "").strip()
    return text if kind == "hourly" else text + " 00:00:00"


def _epoch_time(key, kind):
    try:
        return Time(_epoch_text(key, kind), format="iso", scale="utc")
    except ValueError:
        return None


def _epoch_times(keys, kinds):
    """The ``time`` column: `_epoch_time` of each key, through its ``.iso`` text; masked where None.

    All keys are parsed in one vectorised `~astropy.time.Time` (a listing holds
    thousands of epochs). Keys in whole seconds (all real ones) are used as
    parsed: going through the ``.iso`` text would give the same values, only
    slower. If a key does not parse, each is parsed on its own, so that just the
    bad ones are masked.
    """
    texts = [_epoch_text(key, kind) for key, kind in zip(keys, kinds)]
    if texts:
        try:
            times = Time(np.array(texts, dtype=str), format="iso", scale="utc")
        except ValueError:
            pass
        else:
            if all(_HOURLY_KEY.match(text) for text in texts):
                return times
            return utc_times(times.iso)
    epochs = (_epoch_time(key, kind) for key, kind in zip(keys, kinds))
    # from the text itself (no MJD float in between): whole seconds, exactly
    return utc_times([None if t is None else t.iso for t in epochs])


def parse_old_tables(reply):
    """The ``getOldSXPSTables`` reply as a Table: ``epoch`` (exact key), ``kind``, ``time``, ``tables``."""
    keys, kinds, tables = [], [], []
    for kind in ("hourly", "daily"):
        entries = reply.get(kind) or {}
        if isinstance(entries, list):          # tolerate a bare list of keys
            entries = {k: {} for k in entries}
        for key, content in entries.items():
            keys.append(str(key))
            kinds.append(kind)
            tables.append(", ".join(sorted(content)) if isinstance(content, dict) else "")
    result = Table()
    result["epoch"] = np.array(keys, dtype=str)
    result["kind"] = np.array(kinds, dtype=str)
    result["time"] = _epoch_times(keys, kinds)
    result["tables"] = np.array(tables, dtype=str)
    return finish_table(result, {
        "hourly": reply.get("hourly") or {}, "daily": reply.get("daily") or {},
        "description": ("Old LSXPS table snapshots: hourly ones are kept for a limited time, "
                        "daily ones indefinitely. Pass the exact 'epoch' string to "
                        "get_full_table(epoch=...).")})


def match_epoch(epoch, listing):
    """The exact epoch key for ``epoch`` in ``listing`` (the `parse_old_tables` table).

    ``epoch`` may be an exact key (``'2022-08-17 10:00:01 UTC'``, ``'2022-08-16'``), the
    same hourly key without `` UTC``, or a `~astropy.time.Time`: an hourly snapshot
    taken within one second of it, else a daily key whose date it falls on at 00:00:00.
    """
    keys = [str(k) for k in listing["epoch"]]
    if isinstance(epoch, Time):
        if not epoch.isscalar:
            raise InvalidQueryError("epoch must be a single time, not an array.")
        hourly = listing["kind"] == "hourly"
        if hourly.any():
            dt = np.abs((listing["time"][hourly] - epoch).to_value(u.s))
            if dt.min() <= 1.0:
                return str(listing["epoch"][hourly][int(np.argmin(dt))])
        date = epoch.utc.iso[:10]
        if epoch.utc.iso[11:19] == "00:00:00" and date in keys:
            return date
        raise InvalidQueryError(
            f"epoch={epoch.utc.iso} matches no old LSXPS table snapshot ({_examples(keys)}); "
            "see SXPS.list_old_tables().")
    if not isinstance(epoch, str):
        raise InvalidQueryError(f"epoch must be a string from SXPS.list_old_tables() or an "
                                f"astropy Time, not {type(epoch).__name__}.")
    text = epoch.strip()
    for candidate in (text, text + " UTC"):
        if candidate in keys:
            return candidate
    raise InvalidQueryError(
        f"epoch={epoch!r} is not an available old-table epoch (it must match exactly); "
        f"{_examples(keys)}. See SXPS.list_old_tables().")


def _examples(keys):
    """'N epochs are available, e.g. 'a', 'b', ..., 'y', 'z'' (plain strings, not reprs of numpy scalars)."""
    keys = [str(k) for k in keys]
    if not keys:
        return "no old-table epochs are available"
    shown = keys if len(keys) <= 6 else keys[:3] + keys[-3:]
    text = ", ".join(repr(k) for k in shown[:3])
    if len(keys) > 6:
        text += ", ..."
    if len(shown) > 3:
        text += ", " + ", ".join(repr(k) for k in shown[3:])
    return f"{len(keys)} epoch{'s' if len(keys) != 1 else ''} available, e.g. {text}"


_HOURLY_KEY = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def payload_epoch(epoch):
    """The ``epoch`` a payload shows, without the listing (payload mode sends nothing).

    A string is sent as `match_epoch` sends it when it is listed: stripped, with
    `` UTC`` appended to an hourly key given without it. A `~astropy.time.Time` is
    rounded to the second and shown as the daily key (``'2022-08-17'``) when it is
    at 00:00:00 UTC, else as the hourly key (``'2022-08-17 12:00:01 UTC'``). The
    real call matches a Time against the listing (an hourly snapshot within 1 s
    wins), so it may send a different key: for example the hourly
    ``'2022-08-18 00:00:01 UTC'`` for ``Time('2022-08-18')`` if that snapshot exists.
    """
    if isinstance(epoch, Time):
        if not epoch.isscalar:
            raise InvalidQueryError("epoch must be a single time, not an array.")
        t = epoch.utc.copy()
        t.precision = 0
        iso = t.iso
        return iso[:10] if iso[11:] == "00:00:00" else iso + " UTC"
    text = epoch.strip()
    return text + " UTC" if _HOURLY_KEY.match(text) else text


# -- the table request ---------------------------------------------------------
def table_request(catalog, table, subset, fmt, epoch):
    payload = {"whichCat": catalog, "table": table}
    if subset is not None:
        payload["subset"] = subset
    if epoch is not None:
        payload["epoch"] = epoch
    payload["format"] = fmt
    return APIRequest("getSXPSTable", payload, min_keys=("URL", "FILE"),
                      identifier=f"{catalog} {table}")


def local_file_name(reply):
    """The basename to save under, from ``FILE`` (checked); the ``URL`` basename should agree."""
    url_name = url_path_name(reply["URL"])
    file_name = str(reply["FILE"]).replace("\\", "/").rsplit("/", 1)[-1]
    if not file_name or file_name in (".", ".."):
        raise SXPSResponseError(f"The getSXPSTable reply names no usable file: {reply!r}",
                                api_func="getSXPSTable")
    safe_name(file_name, what="getSXPSTable FILE name")
    if url_name and url_name != file_name:
        log.info(f"getSXPSTable: URL basename {url_name!r} differs from FILE {file_name!r}; "
                 f"saving as {file_name!r}.")
    return file_name


# -- units -----------------------------------------------------------------------
# ``column_unit`` (the SXPS naming conventions) lives in ``_results``: the details
# records use the same rules, so a value carries the same unit in every result.


def add_units(table, *, units=None, coord=True, ra="RA", dec="Decl"):
    """Attach units (where the file gave none) and a ``coord`` SkyCoord column, in place."""
    units = units or {}
    for name in table.colnames:
        col = table[name]
        if getattr(col, "unit", None) is not None or not hasattr(col, "dtype") \
                or col.dtype.kind not in "iuf":
            continue
        unit = units.get(name, column_unit(name))
        if unit is not None:
            col.unit = unit
    if coord and ra in table.colnames and dec in table.colnames and "coord" not in table.colnames:
        ra_v = np.asarray(table[ra], dtype=float)
        dec_v = np.asarray(table[dec], dtype=float)
        table["coord"] = SkyCoord(ra_v * u.deg, dec_v * u.deg, frame="icrs", copy=False)
    return table


#: Columns typed like the query API types them (``getMetadata`` ``Type`` ``UTC`` and
#: ``IsObsCol``), recognised by the SXPS naming conventions: date-times end in ``Date``
#: or ``_UTC`` or start with ``When`` (``FirstObsDate``, ``StartTime_UTC``,
#: ``DiscoveryDate``, ``WhenAdded``...); the observation column is ``ObsID``.
UTC_COLUMN = re.compile(r"(Date|_UTC)$|^When[A-Z]")
OBSID_COLUMN = re.compile(r"^ObsID$")


def is_utc_column(name):
    """True if ``name`` is a UTC date-time column by the SXPS naming conventions."""
    return bool(UTC_COLUMN.search(str(name)))


def is_obsid_column(name):
    """True if ``name`` is an observation-ID column (11-character ObsID strings)."""
    return bool(OBSID_COLUMN.search(str(name)))


def type_columns(table):
    """Type the columns of a full-table file as `SXPSClass.query_region` does, in place.

    Text columns named as UTC date-times become `~astropy.time.Time` (UTC, masked where
    empty) and ``ObsID`` columns 11-character zero-padded strings, with the helpers of
    `astroquery_sxps.catalog.query` (vectorised). A date column that does not parse is
    left as text (logged).
    """
    for name in table.colnames:
        col = table[name]
        kind = getattr(col, "dtype", np.dtype(object)).kind
        if is_obsid_column(name) and kind in "iufUSO":
            table[name] = obsid_strings(col)
        elif is_utc_column(name) and kind in "USO":
            try:
                times = utc_times(col)
            except ValueError as exc:
                log.debug(f"column {name!r} kept as text: not UTC date-times ({exc})")
                continue
            table.replace_column(name, times, copy=False)
    return table


def read_table(path, fmt=None):
    """Read a downloaded catalogue file (CSV or FITS) into a Table with units and ``coord``.

    UTC date-time columns are `~astropy.time.Time` and ``ObsID`` columns
    11-character strings (`type_columns`).
    """
    path = Path(path)
    fmt = fmt or ("fits" if path.suffix.lower() in (".fits", ".fit", ".fts") else "csv")
    if fmt == "fits":
        table = Table.read(path, format="fits", memmap=False, character_as_bytes=False)
        # FITS units may be missing or spelled differently: fill the missing ones only
        for name in table.colnames:
            col = table[name]
            if hasattr(col, "mask") and col.dtype.kind == "f" and not col.mask.any():
                table[name] = np.asarray(col)
    else:
        table = read_csv(path)
    type_columns(table)
    add_units(table)
    return finish_table(table, {"file": str(path)})


# -- plans (what the public methods send) ------------------------------------------
def old_tables_plan():
    """The plan of ``list_old_tables``."""
    request = old_tables_request()
    return Plan.single(lambda context: parse_old_tables(context.call(request)),
                       requests=request)


def _listed_epoch(context, epoch):
    """The exact listed key for ``epoch``. ``getOldSXPSTables`` is sent at most twice, and
    a second time only if the first listing came from the cache (it may predate a new
    snapshot): a listing just fetched is not fetched again."""
    request = old_tables_request()
    was_cached = context.is_cached(request)
    try:
        return match_epoch(epoch, parse_old_tables(context.call(request)))
    except InvalidQueryError:
        if not was_cached:
            raise
    # the cached listing may be stale: replace it with a fresh one, once
    context.forget(request)
    return match_epoch(epoch, parse_old_tables(context.call(request)))


def full_table_plan(table="sources", *, catalog="LSXPS", subset=None, format="csv", epoch=None,
                    download_dir=None, clobber=False, read=True, show_progress=None):
    """Check the arguments of ``get_full_table``; its plan.

    The file is kept in the cache folder (decompressed if the server sends
    it gzipped) and copied into ``download_dir`` on request.
    """
    catalog = check_catalog(catalog)
    table = check_table(table, catalog)
    subset = check_subset(subset, table)
    fmt = choose("format", format, FORMATS)
    if download_dir is not None:
        download_dir = check_destination("download_dir", download_dir)
    clobber = check_bool("clobber", clobber)
    read = check_bool("read", read)
    if show_progress is not None:
        show_progress = check_bool("show_progress", show_progress)
    if epoch is not None:
        if catalog != "LSXPS":
            raise InvalidQueryError("epoch: old table snapshots exist only for catalog='LSXPS'.")
        if not isinstance(epoch, (str, Time)):
            raise InvalidQueryError(f"epoch must be a string from SXPS.list_old_tables() or an "
                                    f"astropy Time, not {type(epoch).__name__}.")

    def payload():
        # nothing is sent, so the epoch is not matched against the listing (payload_epoch)
        shown = payload_epoch(epoch) if epoch is not None else None
        return table_request(catalog, table, subset, fmt, shown).body

    def run(context):
        listed = _listed_epoch(context, epoch) if epoch is not None else None
        reply = context.call(table_request(catalog, table, subset, fmt, listed))
        name = local_file_name(reply)
        url = str(reply["URL"])
        path = context.cached_file(url, name, decompress=name.lower().endswith(".gz"),
                                   show_progress=show_progress)
        if download_dir is not None:
            path = context.copy_file(path, download_dir, clobber=clobber, identical=True)
        if not read:
            return path
        result = read_table(path, fmt)
        # ``file`` is the local copy read; ``server_file`` the server's FILE name
        result.meta.update({"catalog": catalog, "table": table, "subset": subset,
                            "epoch": listed, "url": url, "server_file": str(reply["FILE"])})
        return result
    return Plan.single(run, payload=payload)
