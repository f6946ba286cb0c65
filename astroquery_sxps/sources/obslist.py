"""Observation lists of a source, derived from its details.

See ``docs/sxps/api_protocol.rst`` (Observation lists).

Only the ``Observations`` tables of ``Detections`` and ``NonDetections`` are
used (stacked images are not observations):

=============  ==============================================================
``use_obs``    ObsIDs included
=============  ==============================================================
``blind``      every observation with a blind detection
``allDet``     blind detections plus retrospective detections
``retro``      retrospective detections only (a non-detection row whose
               ``{Band}_Info`` has ``isDet == 1`` in any band)
``allNonDet``  every non-blind dataset (retrospective detections included)
``allCat``     every catalogued observation (blind + non-blind)
=============  ==============================================================

ObsIDs come out as 11-character strings, targets as their first 8
characters, in order of first appearance without duplicates.
"""
import numpy as np
from astropy.table import Table

from .._plan import Plan, Targets
from .._results import finish_table
from .._validation import BANDS, check_bool, choose, parse_reply_obsid
from ..exceptions import InvalidQueryError
from .details import details_plan, check_lsxps

__all__ = ["USE_OBS", "ObsList", "obs_list_from_details", "check_use_obs",
           "check_source_details", "check_records", "known_records", "obs_list_plan"]

USE_OBS = ("allCat", "allDet", "blind", "allNonDet", "retro")


def check_use_obs(use_obs):
    """Canonical spelling of a `get_obs_list` ``use_obs`` value (case-insensitive).

    Examples
    --------
    >>> from astroquery_sxps.sources.obslist import check_use_obs
    >>> check_use_obs("ALLCAT")
    'allCat'
"""
    return choose("use_obs", use_obs, USE_OBS)


class ObsList(dict):
    """Observation list of one source: ``{'targList': [...], 'obsList': [...]}``.

    The keys are those of the reference tutorial; the same lists are the
    attributes `target_ids` (8-character strings) and `obsids`
    (11-character strings).
    """

    @property
    def target_ids(self):
        return self["targList"]

    @property
    def obsids(self):
        return self["obsList"]

    def to_table(self):
        """The observations as a table (``obsid``, ``target_id``), which writes to ECSV
        and FITS like every table result.

        Examples
        --------
        >>> from astroquery_sxps.sources.obslist import ObsList
        >>> ObsList(targList=['00015190'], obsList=['00015190001']).to_table()['obsid'].tolist()
        ['00015190001']
        """
        obsids = [str(o) for o in self["obsList"]]
        return finish_table(Table({"obsid": np.array(obsids, dtype="U11"),
                                   "target_id": np.array([o[:8] for o in obsids], dtype="U8")}))

    def __repr__(self):
        return (f"<ObsList {len(self['obsList'])} observations of {len(self['targList'])} "
                f"targets: {self['obsList']}>")


def _rows(table):
    """Rows of a Table, a list of records or a pandas DataFrame, as dicts."""
    if table is None:
        return []
    if isinstance(table, Table):
        return [{name: row[name] for name in table.colnames} for row in table]
    if hasattr(table, "to_dict") and hasattr(table, "columns"):     # pandas
        return table.to_dict("records")
    return list(table)


def _obsid(value):
    try:
        text = parse_reply_obsid(value if not hasattr(value, "item") else value.item())
    except (TypeError, ValueError):
        text = None
    if text is None or len(text) != 11:
        raise InvalidQueryError(f"source_details holds an ObsID {value!r} that is not a Swift "
                                "ObsID (11 digits).")
    return text


def _is_retro(row):
    for band in BANDS:
        info = row.get(f"{band}_Info")
        if isinstance(info, dict) and "isDet" in info:
            try:
                if int(info["isDet"]) == 1:
                    return True
            except (TypeError, ValueError):
                pass
    return False


def _observations(details, part):
    if part not in details:
        raise InvalidQueryError(f"source_details has no {part!r} entry: pass the result of "
                                "SXPS.get_source_details().")
    block = details[part] or {}
    rows = _rows(block.get("Observations"))
    if rows and "ObsID" not in rows[0]:
        raise InvalidQueryError(f"source_details['{part}']['Observations'] has no ObsID column.")
    return rows


def obs_list_from_details(details, use_obs="allCat"):
    """Observation list of one source record (`~astroquery_sxps.sources.details.SourceDetails` or raw dict).

    Parameters
    ----------
    details : `~astroquery_sxps.sources.details.SourceDetails` or dict
    use_obs : str
        One of ``allCat``, ``allDet``, ``blind``, ``allNonDet``, ``retro``
        (case-insensitive).

    Returns
    -------
    `ObsList`

    Examples
    --------
    >>> from astroquery_sxps.sources.obslist import obs_list_from_details
    >>> rec = {"Detections": {"Observations": [{"ObsID": 15190001}]},
    ...        "NonDetections": {"Observations": [{"ObsID": 15190008, "Total_Info": {"isDet": 1}}]}}
    >>> obs_list_from_details(rec, "allDet")["obsList"]
    ['00015190001', '00015190008']
    """
    which = check_use_obs(use_obs).lower()
    obsids = {}
    if which in ("allcat", "alldet", "blind"):
        for row in _observations(details, "Detections"):
            obsids.setdefault(_obsid(row["ObsID"]), None)
    if which in ("allcat", "allnondet"):
        for row in _observations(details, "NonDetections"):
            obsids.setdefault(_obsid(row["ObsID"]), None)
    elif which in ("alldet", "retro"):
        for row in _observations(details, "NonDetections"):
            if _is_retro(row):
                obsids.setdefault(_obsid(row["ObsID"]), None)
    obs = list(obsids)
    targets = list(dict.fromkeys(o[:8] for o in obs))
    return ObsList(targList=targets, obsList=obs)


_RECORD_KEYS = ("IAUName", "LSXPS_ID", "Detections", "NonDetections")


def _is_record(value):
    """One source record: a `SourceDetails`, or a raw dict with the server's keys."""
    return isinstance(value, dict) and (type(value).__name__ == "SourceDetails"
                                        or any(k in value for k in _RECORD_KEYS))


def check_source_details(source_details, source_id=None, source_name=None):
    """Validate ``get_obs_list(source_details=...)``; True for a dict of records (not one record).

    Accepted: one source record (a `~astroquery_sxps.sources.details.SourceDetails`,
    or a dict with the server's keys such as ``Detections``), or a non-empty
    dict of such records keyed by identifier (the result of
    ``get_source_details`` for a list of sources).
    """
    if source_id is not None or source_name is not None:
        raise InvalidQueryError("Give source_details or source_id/source_name, not both.")
    return check_records(source_details)


def check_records(source_details):
    """True for a non-empty dict of source records, False for one record; else InvalidQueryError."""
    allowed = ("a SourceDetails record (the result of get_source_details() for one source) "
               "or a non-empty dict of them keyed by identifier (its result for a list)")
    if not isinstance(source_details, dict):
        raise InvalidQueryError(f"source_details must be {allowed}, not "
                                f"{type(source_details).__name__}.")
    if _is_record(source_details):
        return False
    if not source_details:
        raise InvalidQueryError(f"source_details is an empty dict: it must be {allowed}.")
    bad = [key for key, rec in source_details.items() if not _is_record(rec)]
    if bad:
        raise InvalidQueryError(f"source_details[{bad[0]!r}] is "
                                f"{type(source_details[bad[0]]).__name__}, not a source record: "
                                f"source_details must be {allowed}.")
    return True


def known_records(source_details, multiple):
    """The `~astroquery_sxps._plan.Targets` and ``known`` records of ``source_details``."""
    if multiple:
        return Targets.listed(None, list(source_details)), dict(source_details)
    return Targets.single(), {None: source_details}


def obs_list_plan(source_id=None, source_name=None, *, source_details=None, catalog="LSXPS",
                  use_obs="allCat", skip_errors=False):
    """Check the arguments of ``get_obs_list``; its plan.

    With ``source_details`` nothing is sent (the payload is an empty list);
    otherwise the source records are fetched first.
    """
    use_obs = check_use_obs(use_obs)
    if source_details is not None:
        targets, known = known_records(
            source_details, check_source_details(source_details, source_id, source_name))
        plan = Plan(None, targets=targets, known=known)
    else:
        catalog = check_lsxps(catalog, "source details")
        plan = details_plan("source", catalog, Targets.sources(source_id, source_name),
                            skip_errors=check_bool("skip_errors", skip_errors))
    plan.finish = lambda records: plan.shaped(
        {key: obs_list_from_details(record, use_obs) for key, record in records.items()})
    return plan
