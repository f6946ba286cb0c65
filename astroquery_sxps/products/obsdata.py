"""Downloading Swift observation data from the UKSSDC archive.

See ``docs/sxps/api_protocol.rst`` (listObsFiles, getObsByTarg, observation data on
disk). For each observation the server lists its files (``listObsFiles``); each
file is then fetched from ``url + '/' + file`` into
``download_dir/<11-digit obsid>/<file>`` by the transport (atomic: a file
appears under its final name only once complete; an error page is never saved).

Differences from the existing client: the list of directories is rebuilt for
every call (quirk Q18); an existing observation directory is never deleted --
files already present are kept (``clobber=False``) or replaced atomically
(``clobber=True``), so an interrupted download can simply be re-run.
"""
import fnmatch
import re
from typing import NamedTuple

from astroquery import log

from .._files import check_destination, safe_path
from .._plan import Plan, Targets
from .._transport import APIRequest
from .._validation import check_bool, check_obsid, choose
from ..exceptions import InvalidQueryError, ObsNotFoundError, RemoteServiceError

__all__ = ["INSTRUMENTS", "DATA_SOURCES", "obs_dirs", "normalise_obsids",
           "normalise_targets", "file_filter", "list_files_request", "target_request",
           "download_observation", "obs_data_plan", "target_data_plan"]

INSTRUMENTS = ("bat", "xrt", "uvot")
DATA_SOURCES = ("uk_reproc", "uk", "us", "italy")


def obs_dirs(instruments="all", get_auxil=True, get_tdrss=False, get_log=False):
    """The ``dirs`` list of a ``listObsFiles`` request, built afresh (never shared).

    Examples
    --------
    >>> from astroquery_sxps.products.obsdata import obs_dirs
    >>> obs_dirs(["XRT"], get_log=True)
    ['xrt', 'auxil', 'log']
"""
    if instruments is None:
        chosen = []
    elif isinstance(instruments, str):
        if instruments.strip().lower() == "all":
            chosen = list(INSTRUMENTS)
        else:
            chosen = [choose("instruments", instruments, INSTRUMENTS)]
    elif isinstance(instruments, (list, tuple)):
        if not instruments:
            raise InvalidQueryError(f"instruments is an empty list: give 'all', None (no "
                                    f"instrument data) or a non-empty list of {INSTRUMENTS}.")
        chosen = [choose("instruments", i, INSTRUMENTS) for i in instruments]
    else:
        raise InvalidQueryError(f"instruments must be 'all', None or a list of {INSTRUMENTS}, "
                                f"not {instruments!r}.")
    dirs = [i for i in INSTRUMENTS if i in chosen]
    for flag, name in ((get_auxil, "auxil"), (get_tdrss, "tdrss"), (get_log, "log")):
        if not isinstance(flag, bool):
            raise InvalidQueryError(f"get_{name} must be True or False, not {flag!r}.")
        if flag:
            dirs.append(name)
    if not dirs:
        raise InvalidQueryError("Nothing to download: choose some instruments or set "
                                "get_auxil/get_tdrss/get_log.")
    return dirs


def _as_list(name, value):
    """(list of the values, multiple?) from one value or a list/tuple of them (not empty)."""
    multiple = isinstance(value, (list, tuple))
    values = list(value) if multiple else [value]
    if not values:
        raise InvalidQueryError(f"{name} is an empty list.")
    return values, multiple


def normalise_obsids(obsid):
    """(list of 11-character ObsIDs, multiple?) from one ObsID or a list of them.

    Examples
    --------
    >>> from astroquery_sxps.products.obsdata import normalise_obsids
    >>> normalise_obsids(31635001)
    (['00031635001'], False)
"""
    values, multiple = _as_list("obsid", obsid)
    out = [check_obsid(value, "obsid") for value in values]
    return out, multiple


def normalise_targets(target_id):
    """(list of target IDs as ints, keys as supplied, multiple?)."""
    values, multiple = _as_list("target_id", target_id)
    out = []
    for value in values:
        if isinstance(value, bool):
            raise InvalidQueryError(f"target_id must be an integer, not {value!r}.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise InvalidQueryError(f"target_id {value!r} is not a Swift target ID "
                                    "(an integer of up to 8 digits).") from None
        if not 0 < number < 10 ** 8:
            raise InvalidQueryError(f"target_id {value!r} is not a Swift target ID "
                                    "(an integer of up to 8 digits).")
        out.append(number)
    return out, values, multiple


def file_filter(match=None, re_match=None):
    """A predicate on a file's basename from fnmatch globs or regular expressions.

    Examples
    --------
    >>> from astroquery_sxps.products.obsdata import file_filter
    >>> keep = file_filter(match="*_cl.evt.gz")
    >>> keep("sw00031635001xpcw3po_cl.evt.gz"), keep("sw00031635001sat.fits.gz")
    (True, False)
"""
    if match is not None and re_match is not None:
        raise InvalidQueryError("Give match (shell-style patterns) or re_match (regular "
                                "expressions), not both.")
    if match is None and re_match is None:
        return lambda name: True
    patterns = match if match is not None else re_match
    arg = "match" if match is not None else "re_match"
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, (list, tuple)) or not all(isinstance(p, str) for p in patterns):
        raise InvalidQueryError(f"{arg} must be a string or a list of strings, not {patterns!r}.")
    if match is not None:
        return lambda name: any(fnmatch.fnmatch(name, p) for p in patterns)
    try:
        compiled = [re.compile(p) for p in patterns]
    except re.error as exc:
        raise InvalidQueryError(f"re_match: {exc}") from None
    return lambda name: any(c.search(name) for c in compiled)


def list_files_request(obsid, source, dirs):
    return APIRequest("listObsFiles", {"obsid": obsid, "source": source, "dirs": list(dirs)},
                      min_keys=("url", "fileList"), identifier=obsid)


def target_request(target):
    return APIRequest("getObsByTarg", {"targetID": target}, min_keys=("obsList",),
                      identifier=target)


def download_observation(context, obsid, reply, *, download_dir, keep, clobber, skip_errors):
    """Download the files of one ``listObsFiles`` reply; returns the list of paths."""
    listing = reply.get("fileList") or {}
    files = listing.get("files") if isinstance(listing, dict) else None
    if not isinstance(listing, dict) or "dirs" not in listing or not files:
        raise ObsNotFoundError(f"Observation {obsid} was not found in the archive "
                               "(the server listed no files).")
    base = str(reply["url"]).rstrip("/")
    wanted = [f for f in files if keep(str(f).rsplit("/", 1)[-1])]
    if not wanted:
        raise ObsNotFoundError(f"No file of observation {obsid} matches the given pattern(s).")
    root = safe_path(download_dir, obsid, what="ObsID")
    for sub in listing.get("dirs") or []:
        safe_path(root, sub, what="listObsFiles folder name").mkdir(parents=True, exist_ok=True)
    paths = []
    with context.progress(len(wanted), f"Downloading {len(wanted)} files of observation "
                                       f"{obsid} to {root}") as advance:
        for rel in wanted:
            target = safe_path(root, rel, what="listObsFiles file name")
            try:
                paths.append(context.download(f"{base}/{rel}", target, clobber=clobber,
                                              root=download_dir, show_progress=False))
            except RemoteServiceError as exc:
                if not skip_errors:
                    raise
                log.warning(f"Skipping {rel} of {obsid}: {exc}")
            advance()
    return paths


class _Options(NamedTuple):
    """The checked download options."""
    dirs: list
    source: str
    keep: object
    clobber: bool
    skip_errors: bool
    download_dir: object


def _download_options(instruments="all", get_auxil=True, get_tdrss=False, get_log=False,
                      source="uk_reproc", match=None, re_match=None, clobber=False,
                      skip_errors=False, download_dir="data"):
    """Validate the download options: an `_Options`."""
    download_dir = check_destination("download_dir", download_dir)
    dirs = obs_dirs(instruments, get_auxil, get_tdrss, get_log)
    source = choose("source", source, DATA_SOURCES)
    keep = file_filter(match, re_match)
    clobber = check_bool("clobber", clobber)
    skip_errors = check_bool("skip_errors", skip_errors)
    return _Options(dirs, source, keep, clobber, skip_errors, download_dir)


def _obs_plan(obsids, multiple, options):
    """The plan downloading ``obsids`` (from `normalise_obsids`) with checked ``options``."""
    def request(value):
        return list_files_request(value, options.source, options.dirs)

    def fetch(context, key, value):
        return download_observation(context, key, context.call(request(value)),
                                    download_dir=options.download_dir, keep=options.keep,
                                    clobber=options.clobber, skip_errors=options.skip_errors)
    return Plan(fetch, targets=Targets.listed("obsid", obsids, multiple=multiple),
                requests=request, skip_errors=options.skip_errors)


def obs_data_plan(obsid, **options):
    """Check the arguments of ``SXPSClass.download_obs_data``; its plan.

    One ``listObsFiles`` request per ObsID; each reply's files are then
    downloaded (`download_observation`).
    """
    checked = _download_options(**options)
    obsids, multiple = normalise_obsids(obsid)
    return _obs_plan(obsids, multiple, checked)


def target_data_plan(target_id, **options):
    """Check the arguments of ``SXPSClass.download_obs_data_by_target``; its plan.

    One ``getObsByTarg`` request per target; each target's observations are
    then downloaded as by ``download_obs_data`` (within the same call), with
    the options checked here, once.
    """
    checked = _download_options(**options)      # validate before any request
    targets, keys, multiple = normalise_targets(target_id)

    def fetch(context, key, value):
        obs = context.call(target_request(value))["obsList"] or []
        if not obs:
            raise ObsNotFoundError(f"Target {key!r} has no observations in the archive.")
        obsids, several = normalise_obsids(list(obs))
        return context.run(_obs_plan(obsids, several, checked))
    return Plan(fetch, targets=Targets.listed("targetID", targets, keys, multiple=multiple),
                requests=target_request, skip_errors=checked.skip_errors)
