"""Upper limits for many positions: `query_upper_limits`.

Everything goes through the public `~astroquery_sxps.SXPSClass.query_upper_limit`
(and `~astroquery_sxps.SXPSClass.retrieve_upper_limit` for jobs the server
reported as pending), so the transport's retries, cache and politeness apply to
every position.

Failures
--------
A position whose request fails *for that position* (the server answers
``ERROR``: unknown name, position not covered...; a split source; a job still
pending) is listed in ``meta['failures']`` and the others go on.

A failure of the service itself (no connection, HTTP 5xx, timeouts, broken
replies), which reaches this module only after the transport has already
retried it ``conf.retries`` times, is also recorded and the job goes on, so a
single flaky request costs one failure. But `MAX_CONSECUTIVE_OUTAGES`
such failures in a row (with no success in between) mean the service is down:
no new position is started, the ones in flight finish, and
`BatchAbortedError` is raised, carrying the partial result and the indices
never asked. Everything finished is already in the journal, so running the
same call again resumes the job. An outage therefore costs a handful of
failures, not one per remaining position.
"""
import json
import warnings
from dataclasses import dataclass, field
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import numpy as np
import requests
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.utils.console import ProgressBar
from astroquery import log

from .._conf import conf
from .._validation import check_bool
from ..exceptions import (BatchAbortedError, CataloguedSourceWarning, InvalidQueryError,
                          NoResultsWarning, ObjectNotFoundError, RemoteServiceError,
                          SXPSServerError, SourceSplitError, TimeoutError, UpperLimitPending, warn)
from . import records
from .journal import Journal
from .positions import parse_coordinate_text, read_positions

__all__ = ["query_upper_limits", "MAX_CONSECUTIVE_OUTAGES"]

#: Failures that concern one position only: recorded, and the job goes on.
PER_POSITION = (SXPSServerError, ObjectNotFoundError, SourceSplitError, UpperLimitPending)
#: Failures of the service (after the transport's own retries).
OUTAGE = (RemoteServiceError, TimeoutError, requests.exceptions.RequestException, OSError)
#: This many outage failures in a row stop the job (see the module docstring).
MAX_CONSECUTIVE_OUTAGES = 3

_POSITION_KEYS = ("RA", "Dec", "searchName")
_OPTION_EXCLUDED = _POSITION_KEYS + ("APIVersion",)


def _payloads(query, targets, options, cache):
    """Check every position and option (no request); the JSON body of each position."""
    # the options alone first, so that an error in them is not blamed on a position
    query.query_upper_limit(ra=0.0, dec=0.0, **options, cache=cache, get_query_payload=True)
    bodies = []
    for target in targets:
        try:
            bodies.append(query.query_upper_limit(**target.kwargs, **options, cache=cache,
                                                  get_query_payload=True))
        except InvalidQueryError as exc:
            raise InvalidQueryError(f"positions[{target.index}] ({target.label!r}) is not a "
                                    f"usable position: {exc}") from None
    return bodies


def _identity(body):
    return json.dumps({k: body[k] for k in _POSITION_KEYS if k in body}, sort_keys=True)


def _input_coords(body):
    """(ra, dec) in degrees of one body, or None for a name only the server can resolve."""
    if "RA" in body:
        return float(body["RA"]), float(body["Dec"])
    return parse_coordinate_text(str(body["searchName"]))


def query_upper_limits(query, positions, *, journal=None, skip_uncovered=False,
                       show_progress=True, catalog="LSXPS", bands="total",
                       which_data="deepest", sigma=3, det_thresh=None,
                       detections_as_rates=False, skip_detections=False, use_cat_values=False,
                       time_format="cal", cache=True, get_query_payload=False):
    """Upper limits at many positions, stacked in one Table (see `SXPSClass.query_upper_limits`).

    Parameters
    ----------
    query : `~astroquery_sxps.SXPSClass`
        The query object whose public methods are called.
    positions, journal, skip_uncovered, show_progress, catalog, bands, which_data, sigma, det_thresh, detections_as_rates, skip_detections, use_cat_values, time_format, cache, get_query_payload
        As for `astroquery_sxps.SXPSClass.query_upper_limits`.

    Returns
    -------
    `~astropy.table.Table` or list of dict

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> from astroquery_sxps.scale import query_upper_limits
    >>> bodies = query_upper_limits(SXPS, ['334.502058 -8.256481', (77.969042, -62.324167)],
    ...                             get_query_payload=True)
    >>> [sorted(k for k in b if k in ('RA', 'Dec', 'searchName')) for b in bodies]
    [['searchName'], ['Dec', 'RA']]
    """
    for name, value in (("skip_uncovered", skip_uncovered), ("show_progress", show_progress),
                        ("cache", cache), ("get_query_payload", get_query_payload)):
        check_bool(name, value)
    if journal is not None and not isinstance(journal, (str, bytes)) \
            and not hasattr(journal, "__fspath__"):
        raise InvalidQueryError(f"journal must be a file path (str or path-like) or None, "
                                f"not {type(journal).__name__}.")
    targets = read_positions(positions)
    options = dict(catalog=catalog, bands=bands, which_data=which_data, sigma=sigma,
                   det_thresh=det_thresh, detections_as_rates=detections_as_rates,
                   skip_detections=skip_detections, use_cat_values=use_cat_values,
                   time_format=time_format)
    bodies = _payloads(query, targets, options, cache)
    if get_query_payload:
        return bodies
    fingerprint = {k: v for k, v in bodies[0].items() if k not in _OPTION_EXCLUDED}
    identities = [_identity(b) for b in bodies]
    coords = [_input_coords(b) for b in bodies]

    covered = np.ones(len(targets), bool)
    if skip_uncovered:
        from .coverage import get_coverage_moc, contains
        moc = get_coverage_moc(query, fingerprint["catalogue"], cache=cache)
        known = [i for i, c in enumerate(coords) if c is not None]
        if known:
            ra = np.array([coords[i][0] for i in known])
            dec = np.array([coords[i][1] for i in known])
            covered[known] = contains(moc, ra, dec)

    job = _Job(query, targets, bodies, options, coords, covered, cache, journal,
               fingerprint, identities)
    return job.run(show_progress)


@dataclass
class _Job:
    query: object
    targets: list
    bodies: list
    options: dict
    coords: list
    covered: np.ndarray
    cache: bool
    journal_path: object
    fingerprint: dict
    identities: list
    results: dict = field(default_factory=dict)     # index -> record
    failures: dict = field(default_factory=dict)    # index -> (error type, text, job id)
    followers: dict = field(default_factory=dict)   # index asked -> same position's indices
    from_journal: int = 0

    # -- one position (worker thread) -------------------------------------------
    def _ask(self, target, job_id):
        if job_id:
            try:
                table = self.query.retrieve_upper_limit(
                    job_id, time_format=self.options["time_format"],
                    catalog=self.options["catalog"], cache=self.cache)
                return records.to_record(table)
            except SXPSServerError:
                log.info(f"Upper-limit job {job_id} of position {target.index} is gone; "
                         "asking for the position again.")
        table = self.query.query_upper_limit(**target.kwargs, **self.options, cache=self.cache)
        return records.to_record(table)

    # -- the job ------------------------------------------------------------------
    def run(self, show_progress):
        journal = None
        stored = {}
        if self.journal_path is not None:
            journal = Journal(self.journal_path, "upper_limits", self.fingerprint)
        try:
            if journal is not None:
                journal.check_identities(self.identities)
                stored = journal.stored()
            todo = []
            for target in self.targets:
                status, text, job_id = stored.get(target.index, (None, None, None))
                if status == "done":
                    try:
                        self.results[target.index] = records.from_json(text)
                        self.from_journal += 1
                        continue
                    except ValueError:
                        log.warning(f"The journal's answer for position {target.index} is "
                                    "unreadable; asking again.")
                if self.covered[target.index]:
                    todo.append((target, job_id if status == "pending" else None))
            # the same position twice is asked once (and never twice at the same time,
            # which would also race on astroquery's cache file)
            leaders = {}
            for target, job_id in todo:
                leaders.setdefault(self.identities[target.index], []).append((target, job_id))
            self.followers = {group[0][0].index: [t.index for t, _ in group[1:]]
                              for group in leaders.values()}
            todo = [group[0] for group in leaders.values()]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                aborted, not_asked = self._execute(todo, journal, show_progress)
        finally:
            if journal is not None:
                journal.close()
        table = self._assemble()
        self._rewarn(caught, table)
        if aborted:
            raise BatchAbortedError(
                f"The service failed {MAX_CONSECUTIVE_OUTAGES} times in a row (after the "
                f"transport's own retries): the last error was {aborted}. "
                f"{len(self.results)} positions are done, {len(self.failures)} failed and "
                f"{len(not_asked)} were not asked. "
                + (f"Run the same call again to resume from journal={str(self.journal_path)!r}."
                   if self.journal_path is not None else
                   "Pass journal='file.sqlite' to be able to resume such a job; the partial "
                   "result is in this error's .partial attribute."),
                partial=table, not_asked=not_asked)
        return table

    def _execute(self, todo, journal, show_progress):
        workers = max(1, min(int(conf.max_workers), len(todo) or 1))
        bar = ProgressBar(len(self.targets)) if show_progress else None
        done = len(self.targets) - len(todo)
        if bar is not None and done:
            bar.update(done)
        queue = iter(todo)
        in_flight = {}
        consecutive, aborted, unexpected = 0, None, None

        def submit(pool):
            item = next(queue, None)
            if item is not None:
                in_flight[pool.submit(self._ask, *item)] = item[0]

        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            for _ in range(2 * workers):   # bounded: an abort must not leave thousands queued
                submit(pool)
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    target = in_flight.pop(future)
                    identity = self.identities[target.index]
                    indices = [target.index] + self.followers.get(target.index, [])
                    try:
                        record = future.result()
                    except PER_POSITION as exc:
                        consecutive = 0
                        job_id = getattr(exc, "job_id", None)
                        for i in indices:
                            self.failures[i] = (type(exc).__name__, str(exc), job_id)
                            if journal is not None and job_id:
                                journal.record(i, identity, "pending", job_id=job_id,
                                               error=str(exc))
                    except OUTAGE as exc:
                        consecutive += 1
                        for i in indices:
                            self.failures[i] = (type(exc).__name__, str(exc), None)
                        if consecutive >= MAX_CONSECUTIVE_OUTAGES and aborted is None:
                            aborted = f"{type(exc).__name__}: {exc}"
                    except Exception as exc:   # a bug, not a network failure: stop, then raise
                        unexpected = unexpected or exc
                    else:
                        consecutive = 0
                        text = records.to_json(record) if journal is not None else None
                        for i in indices:
                            self.results[i] = record
                            if journal is not None:
                                journal.record(i, identity, "done", result=text)
                    done += len(indices)
                    if bar is not None:
                        bar.update(done)
                    if aborted is None and unexpected is None:
                        submit(pool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if bar is not None:
                bar.__exit__(None, None, None)
        if unexpected is not None:
            raise unexpected
        asked = set(self.results) | set(self.failures)
        not_asked = sorted(i for t, _ in todo for i in [t.index] + self.followers.get(t.index, [])
                           if i not in asked)
        return aborted, not_asked

    # -- the result -----------------------------------------------------------------
    def _assemble(self):
        blank = {"columns": [], "length": 1, "meta": {}}
        recs, index, labels, ra, dec, covered = [], [], [], [], [], []
        det_rows = []
        first_meta = None
        for target in self.targets:
            i = target.index
            if i in self.results:
                rec = self.results[i]
                meta = None               # decoded once, when needed
                if first_meta is None:
                    first_meta = meta = records.record_meta(rec)
                where = records.position_of(rec) or self.coords[i]
                n, flag = rec["length"], True
                if (rec.get("meta") or {}).get("det_data"):
                    if meta is None:
                        meta = records.record_meta(rec)
                    det = meta.get("det_data")
                    if isinstance(det, Table) and len(det):
                        det = det.copy()
                        det.add_column(np.full(len(det), i), name="input_index", index=0)
                        det_rows.append(det)
            elif not self.covered[i]:
                rec, where, n, flag = blank, self.coords[i], 1, False
            else:
                continue
            recs.append(rec)
            index += [i] * n
            labels += [target.label] * n
            covered += [flag] * n
            ra += [np.nan if where is None else where[0]] * n
            dec += [np.nan if where is None else where[1]] * n
        table = records.stack(recs) if recs else Table()
        table.add_column(np.array(index, dtype=np.int64), name="input_index", index=0)
        table.add_column(np.array(labels, dtype=str), name="input", index=1)
        table.add_column(SkyCoord(np.array(ra, float) * u.deg, np.array(dec, float) * u.deg,
                                  frame="icrs"), name="position", index=2)
        if not self.covered.all():
            table.add_column(np.array(covered, dtype=bool), name="covered", index=3)
        for key in ("catalog", "time_format", "bands", "which_data", "sigma", "det_thresh",
                    "detections_as_rates"):
            if first_meta is not None and key in first_meta:
                table.meta[key] = first_meta[key]
        table.meta["failures"] = self._failure_table()
        if det_rows:
            from astropy.table import vstack
            table.meta["det_data"] = vstack(det_rows)
        table.meta["n_positions"] = len(self.targets)
        table.meta["n_uncovered"] = int((~self.covered).sum())
        table.meta["n_from_journal"] = self.from_journal
        if self.journal_path is not None:
            table.meta["journal"] = str(self.journal_path)
        return table

    def _failure_table(self):
        order = sorted(self.failures)
        labels = {t.index: t.label for t in self.targets}
        # (np.array([], dtype=str) is a '<U1' column of no rows)
        return Table({
            "input_index": np.array(order, dtype=np.int64),
            "input": np.array([labels[i] for i in order], dtype=str),
            "error_type": np.array([self.failures[i][0] for i in order], dtype=str),
            "error": np.array([self.failures[i][1] for i in order], dtype=str),
            "job_id": np.array([self.failures[i][2] or "" for i in order], dtype=str)})

    def _rewarn(self, caught, table):
        """One summary instead of a warning per position; other warnings once each.

        Counted from the answers (journalled ones included), not from the warnings."""
        det = table.meta.get("det_data")
        catalogued = len(set(det["input_index"].tolist())) if det is not None else 0
        empty = sum(rec["length"] == 0 for rec in self.results.values())
        if catalogued:
            warn(CataloguedSourceWarning(
                f"{catalogued} position(s) lie within 30 arcsec of catalogued sources: an "
                "upper limit may not be appropriate there. The matches are in "
                "meta['det_data'] (with input_index)."))
        if empty:
            warn(NoResultsWarning(
                f"The server returned no upper-limit rows for {empty} position(s)."))
        seen = set()
        for w in caught:
            if isinstance(w.message, (CataloguedSourceWarning, NoResultsWarning)):
                continue
            key = (w.category, str(w.message))
            if key not in seen:
                seen.add(key)
                warn(w.message)
