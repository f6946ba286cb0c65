"""Source, dataset and transient details as astropy objects.

See ``docs/sxps/api_protocol.rst`` (getSXPSSourceInfo, getSXPSTransInfo,
getSXPSTransAsSources, getSXPSDatasetInfo).

The server sends one JSON record per object. We turn it into a small mapping
class (`SourceDetails`, `DatasetDetails`, `TransientDetails`) that keeps the
server's key names, so everything the UKSSDC documents can be looked up as
``details['Key']``, with these conversions:

* ``*Date``/``*_UTC``/``LiveDate``/``When*`` strings -> `~astropy.time.Time` (UTC);
* ``MidTime_MJD`` -> ``Time`` (MJD, UTC), ``MidTime_TDB`` -> ``Time`` (JD, TDB);
* numbers sent as numeric strings become numbers; ``null`` stays ``None``;
* numbers carry the unit the same column has in the tables
  (`~astropy.units.Quantity`: ``RA``/``Decl`` in deg, ``Err90`` in arcsec,
  rates in ct / s, fluxes in erg / (cm2 s), ECFs in erg / (cm2 ct),
  exposures and ``*MET``/``*_MET`` in s; Swift MET is never converted to UTC,
  see `astroquery_sxps.timeconv`);
* every embedded list of records becomes an astropy `~astropy.table.Table`
  with units and SkyCoord columns, ObsIDs as 11-character strings and nested
  objects (``{Band}_Info``, ``{Band}_DetectionDetails``...) as object columns
  holding dicts (``None`` where the server sent nothing).

The position is ``details.coord`` (ICRS `~astropy.coordinates.SkyCoord`) and
its 90 per cent error ``details.err90`` (Quantity, arcsec).
"""
import math
import numbers
import re

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time

from .._plan import Plan, Targets
from .._results import SXPSTable, column_unit, finish_table, float_column
from .._transport import APIRequest, let_pool_run
from .._validation import check_bool, check_catalog, parse_reply_obsid
from ..exceptions import InvalidQueryError, SupersededWarning, warn
from .living import raise_if_split, transient_lookup, warn_if_superseded

__all__ = ["SourceDetails", "DatasetDetails", "TransientDetails", "records_to_table",
           "parse_source_details", "parse_dataset_details", "parse_transient_details",
           "source_request", "dataset_request", "transient_request",
           "check_lsxps", "details_plan", "source_details_plan", "dataset_details_plan",
           "transient_details_plan"]

BANDS = ("Total", "Soft", "Medium", "Hard")

_DATE_RE = re.compile(r"(Date|_UTC)$|^(LiveDate|WhenAdded|WhenModified)$")
_INTEGER_RE = re.compile(r"[-+]?\d+")
_STRING_KEY_RE = re.compile(r"(Name|_name|ObsID|Obs|Date|_UTC|sexagesimal|Catalogue|ExtCat_ID|"
                            r"Classification|Notes|Source_.*|Instrument|ObsMode|Band|Progress)$")


def _number(value):
    """Numbers and numeric strings -> float/int; 'NaN' -> nan; other things unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Number):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _INTEGER_RE.fullmatch(text):
                return int(text)
            return float(text)
        except ValueError:
            return value
    return value


def _is_obsid_column(name):
    return name == "ObsID" or name.endswith("_ObsID")


def _pad(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return parse_reply_obsid(value)
    except (ValueError, TypeError):
        return str(value)


# -- tables ----------------------------------------------------------------------
def records_to_table(records, *, coord_columns=(("RA", "Decl", "coord"),
                                                ("Ext_RA", "Ext_Decl", "Ext_coord")),
                     columns=None):
    """A list of JSON records (or row arrays with ``columns``) -> `~astropy.table.Table`.

    Columns follow first appearance; a key missing from a record, ``null`` and
    ``"NaN"`` give a masked/NaN entry; columns of nested objects become object
    columns of dicts (``None`` where missing); ``ObsID`` columns become
    11-character strings; known columns get units (the SXPS naming conventions,
    `astroquery_sxps._results.column_unit`); every
    (RA, Decl) pair also gives a `~astropy.coordinates.SkyCoord` column.

    Examples
    --------
    >>> from astroquery_sxps.sources.details import records_to_table
    >>> t = records_to_table([{"ObsID": 35063001, "Exposure": "812.5", "Total_Info": {"C": 3}},
    ...                       {"ObsID": "3102486001", "Exposure": None}])
    >>> t["ObsID"].tolist(), t["Exposure"].unit, t["Total_Info"][1] is None
    (['00035063001', '03102486001'], Unit("s"), True)
    """
    records = list(records or [])
    if columns is not None:
        records = [dict(zip(columns, row)) if not isinstance(row, dict) else row
                   for row in records]
    names = list(columns or [])
    for rec in records:
        if isinstance(rec, dict):
            for key in rec:
                if key not in names:
                    names.append(key)
    made = {}
    for name in names:
        raw = [rec.get(name) if isinstance(rec, dict) else None for rec in records]
        made[name] = _make_column(name, raw)
    for ra, dec, out in coord_columns:
        if ra in made and dec in made and out not in made:
            coord = _coord_column(made[ra], made[dec])
            if coord is not None:
                made[out] = coord
    # one construction of the result class (adding columns one by one costs far more)
    table = finish_table(SXPSTable(list(made.values()), names=list(made), copy=False))
    let_pool_run()
    return table


def _coord_column(ra, dec):
    """ICRS SkyCoord column from RA/Decl columns in degrees (NaN where a position is missing).

    Every table with both columns gets one (also an empty table, and tables
    where some rows have no position), so that ``coord`` is there whenever
    ``RA``/``Decl`` are. None only if the columns are not numeric.
    """
    try:
        ra_v = np.asarray(ra.filled(np.nan) if hasattr(ra, "filled") else ra, dtype=float)
        dec_v = np.asarray(dec.filled(np.nan) if hasattr(dec, "filled") else dec, dtype=float)
    except (TypeError, ValueError):
        return None
    return SkyCoord(ra_v * u.deg, dec_v * u.deg, frame="icrs")


def _make_column(name, raw):
    if _is_obsid_column(name):
        padded = [_pad(v) for v in raw]
        mask = [v is None for v in padded]
        data = [v or "" for v in padded]
        return MaskedColumn(data, name=name, mask=mask, dtype="U11") if any(mask) \
            else Column(data, name=name, dtype="U11")
    present = [v for v in raw if v is not None]
    if present and all(isinstance(v, (dict, list)) for v in present):
        col = Column(np.empty(len(raw), dtype=object), name=name)
        for i, v in enumerate(raw):
            col[i] = v
        return col
    converted = [_number(v) for v in raw]
    nums = [v for v in converted if v is not None]
    unit = column_unit(name)
    if nums and all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in nums):
        is_int = all(isinstance(v, numbers.Integral) for v in nums)
        if is_int and len(nums) == len(converted):
            return Column(np.array(converted, dtype=np.int64), name=name, unit=unit)
        if is_int:
            mask = [v is None for v in converted]
            return MaskedColumn([0 if v is None else v for v in converted], name=name,
                                mask=mask, dtype=np.int64, unit=unit)
        return float_column([np.nan if v is None else float(v) for v in converted],
                            name=name, unit=unit)
    if not nums:
        # only None: a float column of NaN (nothing known about its type)
        return Column(np.full(len(raw), np.nan), name=name, unit=unit)
    mask = [v is None for v in raw]
    data = ["" if v is None else str(v) for v in raw]
    return MaskedColumn(data, name=name, mask=mask) if any(mask) else Column(data, name=name)


# -- scalars ---------------------------------------------------------------------
def _time(value, fmt="iso", scale="utc"):
    if value is None or value == "":
        return None
    try:
        if fmt == "iso":
            return Time(str(value).replace("T", " ").strip(), format="iso", scale=scale)
        number = float(value)
        if math.isnan(number):
            return None
        return Time(number, format=fmt, scale=scale)
    except (ValueError, TypeError):
        return value


def _convert_scalar(key, value):
    if isinstance(value, list):
        if _is_obsid_column(key) or key in ("AllNewObs", "inStack"):
            return [_pad(v) for v in value]
        return value
    if isinstance(value, dict):
        return value
    if _is_obsid_column(key) or key == "DiscoveryObs":
        return _pad(value)
    if _DATE_RE.search(key):
        return _time(value)
    if key.endswith("_MJD"):
        return _time(value, "mjd", "utc")
    if key.endswith("_TDB"):
        return _time(value, "jd", "tdb")
    if _STRING_KEY_RE.search(key):
        return value
    value = _number(value)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        # the unit the same value has in the tables (rates, fluxes, ECFs, exposures...)
        unit = column_unit(key)
        if unit is not None:
            return value * unit
    return value


class _Details(dict):
    """Mapping of server keys to values; see the subclasses."""

    #: the identifier requested (as supplied)
    requested = None
    #: the catalogue asked
    catalog = "LSXPS"

    @property
    def coord(self):
        """Position (ICRS `~astropy.coordinates.SkyCoord`), or None if the record has none."""
        ra, dec = self.get("RA"), self.get("Decl")
        if ra is None or dec is None:
            return None
        return SkyCoord(u.Quantity(ra, u.deg), u.Quantity(dec, u.deg), frame="icrs")

    @property
    def err90(self):
        """90 per cent position error (Quantity, arcsec), or None."""
        err = self.get("Err90")
        return None if err is None else u.Quantity(err, u.arcsec)

    def _repr_name(self):
        return self.get("IAUName")

    def __repr__(self):
        return (f"<{type(self).__name__} {self._repr_name()!s}: {len(self)} keys; "
                f"tables: {', '.join(self.tables) or 'none'}>")

    def to_table(self):
        """This record as a one-row `~astroquery_sxps.SXPSTable` (for writing, or SAMP).

        Scalar fields become columns with their units (rates in ct / s,
        ``*MET`` in s, ``*Date`` as `~astropy.time.Time`), plus a ``coord``
        SkyCoord column when the record has a position; dicts of scalars
        (``lcRanges``, the counts of ``Detections``) become
        ``{key}_{subkey}`` columns; lists become comma-separated text.
        Embedded tables are left out (they are tables of their own: see
        `tables`). ``meta`` holds ``catalog`` and ``identifier``. Like every
        result it writes to ECSV, FITS and VOTable.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> row = SXPS.get_source_details(source_id=1).to_table()  # doctest: +REMOTE_DATA
        >>> str(row['IAUName'][0]), row['Err90'].unit  # doctest: +REMOTE_DATA
        ('LSXPS J163700.6+073914', Unit("arcsec"))
        >>> row.write('source.vot', format='votable')  # doctest: +REMOTE_DATA
        """
        out = Table()
        for key, value in _flat_scalars(self):
            if isinstance(value, (Time, u.Quantity)):
                out[key] = value.reshape(1)
            elif isinstance(value, list):
                out[key] = [",".join(str(v) for v in value)]
            else:
                out[key] = _make_column(key, [value])
        coord = self.coord
        if coord is not None:
            out["coord"] = coord.reshape(1)
        return finish_table(out, {"catalog": self.catalog, "identifier": self.requested})

    @property
    def tables(self):
        """Names of the keys holding tables (directly or in a Detections-like block)."""
        out = []
        for key, value in self.items():
            if isinstance(value, Table):
                out.append(key)
            elif isinstance(value, dict):
                out.extend(f"{key}/{k}" for k, v in value.items() if isinstance(v, Table))
        return out


def _flat_scalars(record, prefix=""):
    """``(key, value)`` of the scalar, Time, Quantity and list fields, dicts flattened."""
    for key, value in record.items():
        if isinstance(value, Table):
            continue
        if isinstance(value, dict):
            yield from _flat_scalars(value, f"{prefix}{key}_")
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            continue
        else:
            yield f"{prefix}{key}", value


class SourceDetails(_Details):
    """Full record of one LSXPS source, a `dict` keyed by the server's names (getSXPSSourceInfo).

    Besides the catalogue columns (``IAUName``, ``LSXPS_ID``, ``RA``, ``Decl``,
    ``Err90``, ``Rate_band0``... with ``*Date`` as `~astropy.time.Time` and
    numbers as Quantities with the units of the catalogue tables: ``RA`` in
    deg, ``Rate_band0`` in ct / s, ``*MET`` in s...), it holds:

    ``'Detections'``, ``'NonDetections'``
        dicts with ``'NumStacks'``, ``'NumObservations'`` and, when non-zero,
        ``'Observations'`` and ``'Stacks'`` Tables (one row per dataset;
        ``ObsID`` as 11-character strings; ``{Band}_Info`` object columns of
        dicts). Every table with ``RA``/``Decl`` columns (deg; the
        detections' ``Observations`` and ``Stacks``) also has a ``coord``
        ICRS SkyCoord column (NaN where a row has no position).
    ``'CrossMatch'``
        Table of external-catalogue matches (``Distance`` in arcsec,
        ``Ext_RA``/``Ext_Decl`` in deg and an ``Ext_coord`` SkyCoord column).
    ``'lcRanges'``
        the light-curve ranges dict, as sent.

    Attributes
    ----------
    coord : `~astropy.coordinates.SkyCoord`
    err90 : `~astropy.units.Quantity`
    requested : int or str
        The identifier that was asked for.
    superseded : bool
        True when the requested identifier was superseded and this is the
        record of the current source (a `SupersededWarning` was issued).
    """

    superseded = False


class DatasetDetails(_Details):
    """Record of one LSXPS dataset, a `dict` keyed by the server's names (getSXPSDatasetInfo).

    ``'Sources'`` is a Table (``coord`` SkyCoord column, ``Err90`` in arcsec,
    ``{Band}_DetectionDetails``/``{Band}_NonDetectionDetails`` object columns
    of dicts or ``None``); ``ObsID`` is an 11-character string and ``inStack``
    a list of them; ``*_UTC``/``LiveDate``/``MidTime_MJD``/``MidTime_TDB`` are
    `~astropy.time.Time`, ``*_MET`` Quantities in s.

    A stack that was superseded and removed holds only
    ``'SupersedingStacks'`` (with ``'OtherStacks'``: a Table, or
    ``'LatestVersion'``: a dict); `is_superseded` is then True and
    `superseding_stacks` lists the replacements. An obsolete stack, still in
    the catalogue, holds its full record (``IsObsoleteStack == 1``) and, when
    the server sends it, ``'SupersedingStacks'`` as well; `is_obsolete` is
    then True. Both cases issue a
    `~astroquery_sxps.exceptions.SupersededWarning`.
    """

    def _repr_name(self):
        if self.is_superseded:
            return f"{self.requested} (superseded)"
        return self.get("ObsID")

    @property
    def is_superseded(self):
        """True for a stack that was superseded and removed: the server answered with
        ``SupersedingStacks`` only (no record)."""
        return "SupersedingStacks" in self and len(self) == 1

    @property
    def is_obsolete(self):
        """True for an obsolete stack that is still in the catalogue: the full record with
        ``IsObsoleteStack == 1``, or with ``SupersedingStacks`` as well."""
        return str(self.get("IsObsoleteStack", 0)) == "1" or (
            "SupersedingStacks" in self and len(self) > 1)

    @property
    def superseding_stacks(self):
        """Table of the stacks that supersede this one (empty if not superseded)."""
        info = self.get("SupersedingStacks") or {}
        if "OtherStacks" in info:
            return info["OtherStacks"]
        if "LatestVersion" in info:
            return records_to_table([info["LatestVersion"]])
        return finish_table(Table())


class TransientDetails(_Details):
    """Record of one LSXPS transient, a `dict` keyed by the server's names (getSXPSTransInfo).

    ``IAUName`` is the "Swift J..." name and ``LSXPS_ID``/``LSXPSName`` the
    catalogue source (``None`` while the transient is not yet in LSXPS);
    ``DiscoveryObs`` and ``AllNewObs`` are 11-character ObsID strings,
    ``AllNewTargs`` the target IDs as sent (ints), ``DetectionMET`` a
    Quantity in s, ``*Date`` `~astropy.time.Time`.
    """


# -- requests --------------------------------------------------------------------
def source_request(catalog, field, value):
    return APIRequest("getSXPSSourceInfo", {"whichCat": catalog, field: value}, identifier=value)


def transient_request(catalog, field, value):
    return APIRequest("getSXPSTransInfo", {"whichCat": catalog, field: value}, identifier=value)


def dataset_request(catalog, field, value):
    return APIRequest("getSXPSDatasetInfo", {"whichCat": catalog, field: value}, identifier=value)


# -- parsers ---------------------------------------------------------------------
def _unwrap(reply):
    record = reply.get("data") if isinstance(reply.get("data"), dict) else reply
    record = dict(record)
    record.pop("OK", None)
    record.pop("APIVersion", None)
    return record


def _block(value):
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if isinstance(item, list) and (not item or isinstance(item[0], (dict, list))):
            out[key] = records_to_table(item)
        else:
            out[key] = _number(item)
    return out


def _fill(target, record, table_keys=()):
    for key, value in record.items():
        if key in table_keys or (isinstance(value, list) and value and isinstance(value[0], dict)):
            target[key] = records_to_table(value or [])
        elif key in ("Detections", "NonDetections"):
            target[key] = _block(value)
        else:
            target[key] = _convert_scalar(key, value)
    return target


def parse_source_details(reply, field, requested, catalog="LSXPS"):
    """Reply of ``getSXPSSourceInfo`` -> `SourceDetails` (raises `SourceSplitError`)."""
    raise_if_split(reply, requested)
    record = _unwrap(reply)
    details = _fill(SourceDetails(), record, table_keys=("CrossMatch",))
    if "CrossMatch" in details and not len(details["CrossMatch"].colnames):
        details["CrossMatch"] = Table(
            names=["LSXPS_ID", "Distance", "ExtCat_ID", "Catalogue", "Ext_RA", "Ext_Decl",
                   "Ext_Err90"], dtype=[int, float, str, str, float, float, float],
            units=[None, u.arcsec, None, None, u.deg, u.deg, u.arcsec])
        details["CrossMatch"]["Ext_coord"] = _coord_column(details["CrossMatch"]["Ext_RA"],
                                                           details["CrossMatch"]["Ext_Decl"])
        details["CrossMatch"] = finish_table(details["CrossMatch"])
    details.requested = requested
    details.catalog = catalog
    details.superseded = warn_if_superseded(field, requested, record)
    return details


def parse_transient_details(reply, requested, catalog="LSXPS"):
    """Reply of ``getSXPSTransInfo`` (flat, no ``data`` wrapper) -> `TransientDetails`."""
    record = dict(reply)
    record.pop("OK", None)
    details = _fill(TransientDetails(), record)
    details.requested = requested
    details.catalog = catalog
    return details


def _superseding(info):
    """The ``SupersedingStacks`` dict with ``OtherStacks`` as a Table and ObsIDs padded."""
    info = dict(info or {})
    if "OtherStacks" in info:
        info["OtherStacks"] = records_to_table(info["OtherStacks"] or [])
    if isinstance(info.get("LatestVersion"), dict):
        latest = dict(info["LatestVersion"])
        if "ObsID" in latest:
            latest["ObsID"] = _pad(latest["ObsID"])
        info["LatestVersion"] = latest
    return info


def _stack_names(details):
    by = details.superseding_stacks
    return (", ".join(f"DatasetID {r['DatasetID']} (ObsID {r['ObsID']})" for r in by)
            if "DatasetID" in by.colnames and "ObsID" in by.colnames else "unknown stacks")


def parse_dataset_details(reply, requested, catalog="LSXPS"):
    """Reply of ``getSXPSDatasetInfo`` -> `DatasetDetails` (warns for superseded/obsolete stacks).

    A reply with nothing but ``SupersedingStacks`` is a stack that was
    superseded and removed. A reply with the full record *and*
    ``SupersedingStacks`` (how the tutorial describes an obsolete stack), or
    with ``IsObsoleteStack == 1``, is an obsolete stack still in the
    catalogue: everything is kept (the record, its tables and the superseding
    stacks).
    """
    record = _unwrap(reply)
    details = DatasetDetails()
    details.requested = requested
    details.catalog = catalog
    superseding = record.get("SupersedingStacks")
    if "SupersedingStacks" in record and set(record) == {"SupersedingStacks"}:
        details["SupersedingStacks"] = _superseding(superseding)
        kind = ("a newer version of the same stack" if "LatestVersion" in details[
            "SupersedingStacks"] else "other stacks")
        warn(f"LSXPS dataset {requested!r} is a superseded stacked image, replaced by "
             f"{kind}: {_stack_names(details)}. Only 'SupersedingStacks' is returned.",
             SupersededWarning)
        return details
    _fill(details, {k: v for k, v in record.items() if k != "SupersedingStacks"},
          table_keys=("Sources",))
    if "SupersedingStacks" in record:
        details["SupersedingStacks"] = _superseding(superseding)
    if details.is_obsolete:
        by = (f"; superseded by {_stack_names(details)} ('SupersedingStacks')"
              if "SupersedingStacks" in details else "")
        warn(f"LSXPS dataset {requested!r} (DatasetID {details.get('DatasetID')}) is an "
             "obsolete stacked image: it was superseded but is kept because a source "
             f"was detected only in it{by}. The full record is returned.",
             SupersededWarning)
    return details


# -- plans (what the public methods send) ----------------------------------------
def check_lsxps(catalog, what):
    """The canonical catalogue name, which must be LSXPS (the only one with ``what``)."""
    catalog = check_catalog(catalog)
    if catalog != "LSXPS":
        raise InvalidQueryError(f"catalog={catalog!r}: {what} exist only for 'LSXPS'.")
    return catalog


def _reader(kind, catalog, field):
    """``read(key, value, reply)`` -> the details record of one object."""
    if kind == "source":
        return lambda key, value, reply: parse_source_details(reply, field, value, catalog)
    if kind == "transient":
        return lambda key, value, reply: parse_transient_details(reply, value, catalog)
    return lambda key, value, reply: parse_dataset_details(reply, key, catalog)


_REQUESTS = {"source": source_request, "transient": transient_request, "dataset": dataset_request}


def details_plan(kind, catalog, targets, *, skip_errors=False, lookup=None, known=None,
                 payload_list=False):
    """The `~astroquery_sxps._plan.Plan` fetching ``'source'``, ``'transient'`` or
    ``'dataset'`` records of ``targets`` (checked values)."""
    def request(value):
        return _REQUESTS[kind](catalog, targets.field, value)

    def fetch(context, key, value):
        return context.call(request(value))
    return Plan(fetch, read=_reader(kind, catalog, targets.field), targets=targets,
                requests=request, lookup=lookup, known=known,
                skip_errors=skip_errors, payload_list=payload_list)


def source_details_plan(source_id=None, source_name=None, *, catalog="LSXPS", skip_errors=False):
    """Check the arguments of ``get_source_details``; its plan."""
    catalog = check_lsxps(catalog, "source details")
    skip_errors = check_bool("skip_errors", skip_errors)
    return details_plan("source", catalog, Targets.sources(source_id, source_name),
                        skip_errors=skip_errors)


def dataset_details_plan(obsid=None, dataset_id=None, *, catalog="LSXPS", skip_errors=False):
    """Check the arguments of ``get_dataset_details``; its plan."""
    catalog = check_lsxps(catalog, "dataset details")
    skip_errors = check_bool("skip_errors", skip_errors)
    return details_plan("dataset", catalog, Targets.datasets(obsid, dataset_id),
                        skip_errors=skip_errors)


def transient_details_plan(source_id=None, source_name=None, *, catalog="LSXPS",
                           trans_as_source=False, skip_errors=False):
    """Check the arguments of ``get_transient_details``; its plan.

    With ``trans_as_source`` the plan first maps the transients to their
    LSXPS sources (one ``getSXPSTransAsSources`` call) and fetches the source
    records, keyed by the LSXPS identifiers.
    """
    catalog = check_lsxps(catalog, "transients")
    skip_errors = check_bool("skip_errors", skip_errors)
    trans_as_source = check_bool("trans_as_source", trans_as_source)
    targets = Targets.sources(source_id, source_name)
    if trans_as_source:
        return details_plan("source", catalog, targets, skip_errors=skip_errors,
                            lookup=transient_lookup(catalog, targets))
    return details_plan("transient", catalog, targets, skip_errors=skip_errors)
