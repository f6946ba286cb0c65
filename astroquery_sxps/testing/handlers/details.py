"""getSXPSSourceInfo, getSXPSTransInfo, getSXPSTransAsSources, getSXPSDatasetInfo.

Also the shared look-ups other handlers use (light curves, spectra, images):

``source_record(key)``
    The *current* source record for an LSXPS_ID (int or numeric str) or an
    IAUName, following superseded identifiers; ``None`` if unknown. A split
    source gives ``{"newerSources": [...]}``.
``resolve_source(body)``
    Contract for per-source handlers: reads ``whichCat`` and ``sourceID`` /
    ``sourceName`` from the request body and returns

    * the full current source record (a dict shared between calls: do not
      modify it) -- a superseded ID/name silently gives its successor, as the
      live server does;
    * or ``{"newerSources": [...]}`` for a split source (return it as your
      reply: that is what every per-source APIFunc answers);

    and raises `APIError` (so the reply is ``ERROR``/``ERRORTEXT``) for an
    unknown source, a missing identifier or a catalogue other than LSXPS.
``transient_record(key)`` / ``resolve_transient(body)``
    Same for transients (TransientID or "Swift J..." name); no successor logic.
``dataset_record(obsid=None, dataset_id=None)`` / ``resolve_dataset(body)``
    Same for datasets: ``resolve_dataset`` returns the full record, or
    ``{"SupersedingStacks": {...}}`` for a superseded stack; raises `APIError`
    (``Dataset with obsid: `...` is not found in the LSXPS catalogue.``).

Data: ``data/sources.json``, ``data/transients.json``, ``data/datasets.json``;
the truncated tables of the tutorial are completed here deterministically
(marked synthetic in the data files).

Reply-form switches (``emu.options``) used to test that clients accept every
form the protocol allows: ``"details_bare"`` (record at top level instead of
``data``-wrapped), ``"obsid_as_string"`` (ObsIDs of table rows as strings),
``"numbers_as_strings"`` (scalar numbers of the record as strings).
"""
import functools
import math

from .._data import load
from ..server import APIError, api_function

__all__ = ["source_record", "resolve_source", "transient_record", "resolve_transient",
           "dataset_record", "resolve_dataset", "DETECTION_COLUMNS", "DATASET_SOURCE_COLUMNS",
           "BANDS", "source_obsids"]

BANDS = ("Total", "Soft", "Medium", "Hard")

# The 71 columns of a detection row (Detections.Observations / Stacks). The first
# and last ten are printed in the tutorial; the middle ones are [inferred] and
# include ObsID, which getObsList needs.
_MIDDLE = ["HR1_neg", "HR2", "HR2_pos", "HR2_neg", "ObsID", "RA", "Decl", "Err90",
           "RA_corrected", "Decl_corrected", "Err90_corrected", "AstromType", "l", "b",
           "OffAxisAngle", "DetFlag", "FieldFlag", "OpticalLoadingWarning", "StrayLightWarning",
           "NearBrightSourceWarning", "IsPotentialAlias"]
_MIDDLE += [f"{q}_band{b}{s}" for b in range(4) for q, s in
            (("Rate", ""), ("Rate", "_pos"), ("Rate", "_neg"))]
_MIDDLE += [f"Counts_band{b}" for b in range(4)] + [f"BgCounts_band{b}" for b in range(4)]
_MIDDLE += ["StartTime_MET", "StopTime_MET", "IsStackedImage", "SNR", "PileupFitted",
            "NumSnapshots", "CtsInRate", "BGCtsInRate", "RateCF", "MedianBG"]
DETECTION_COLUMNS = (["ObsSourceID", "DatasetID", "LSXPS_ID", "OSNum", "UsedCorrectedPosition",
                      "NearestNeighbour", "NearestOKNeighbour", "Exposure", "HR1", "HR1_pos"]
                     + _MIDDLE
                     + ["IsObsoleteStack", "BestDetFlag"]
                     + [c for i, b in enumerate(BANDS)
                        for c in (f"{b}_Info", f"HasBlindDetection_band{i}")])
assert len(DETECTION_COLUMNS) == 71, len(DETECTION_COLUMNS)

# The 34 columns of a dataset's Sources row (first/last ten printed in the tutorial).
DATASET_SOURCE_COLUMNS = (["ObsSourceID", "DatasetID", "LSXPS_ID", "OSNum", "UsedCorrectedPosition",
                           "NearestNeighbour", "NearestOKNeighbour", "Exposure", "HR1", "HR1_pos",
                           "HR1_neg", "HR2", "HR2_pos", "HR2_neg", "DetFlag", "FieldFlag",
                           "OpticalLoadingWarning", "StrayLightWarning", "NearBrightSourceWarning",
                           "IsPotentialAlias", "RA", "Decl", "BestDetFlag", "Total_DetectionDetails",
                           "Err90", "Soft_DetectionDetails", "Medium_DetectionDetails",
                           "Hard_DetectionDetails", "RA_sexagesimal", "Decl_sexagesimal",
                           "Hard_NonDetectionDetails", "Soft_NonDetectionDetails",
                           "Medium_NonDetectionDetails", "Total_NonDetectionDetails"])
assert len(DATASET_SOURCE_COLUMNS) == 34


def _catalogue_error(body, what):
    cat = body.get("whichCat", "LSXPS")
    if cat == "2SXPS" and what == "Source products":
        # 2SXPS serves these too, but the emulator holds no 2SXPS sources
        raise APIError(f"Source with {_identifier(body)[0]}: `{_identifier(body)[1]}` is not "
                       "found in the 2SXPS catalogue.")
    if cat != "LSXPS":
        raise APIError(f"{what} are only available for the LSXPS catalogue, not `{cat}`.")


def _identifier(body, fields=("sourceID", "sourceName")):
    present = [f for f in fields if body.get(f) is not None]
    if len(present) != 1:
        raise APIError(f"Exactly one of {' or '.join(fields)} must be supplied.")
    return present[0], body[present[0]]


# -- sources -------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _sources():
    return load("sources")


def _info_forced(lid, dsid, band, seed, is_det=0):
    """A forced-photometry {Band}_Info cell (synthetic numbers)."""
    counts = (seed * 7 + band * 3) % 11
    bg = round(0.5 + ((seed * 13 + band) % 17) / 10.0, 4)
    return {"sourceID": lid, "dsID": dsid, "band": band, "C": counts, "B": bg,
            "E": round(800.0 + (seed % 50) * 20.0, 3), "CF": 1.25,
            "Rate": round(max(counts - bg, 0) / 1000.0, 6), "UL": round((counts + 3) / 900.0, 6),
            "isDet": int(is_det)}


def _info_blind(det_id, dsid, band, seed):
    rate = round(0.002 + ((seed * 31 + band * 7) % 97) / 10000.0, 6)
    return {"DetectionID": det_id, "DatasetID": dsid, "Band": band, "Rate": rate,
            "Rate_pos": round(rate / 4, 6), "Rate_neg": -round(rate / 4, 6),
            "SNR": round(3.0 + (seed % 20) / 2.0, 3), "DetFlag": 0}


def _detection_row(compact, record, seed):
    lid = compact["LSXPS_ID"]
    dsid = compact["DatasetID"]
    row = {}
    ra, dec = float(record.get("RA") or 0.0), float(record.get("Decl") or 0.0)
    synth = {"HR1_neg": -0.2, "HR2": 0.1, "HR2_pos": 0.2, "HR2_neg": -0.2,
             "RA": round(ra + ((seed % 7) - 3) * 1e-5, 7), "Decl": round(dec + ((seed % 5) - 2) * 1e-5, 7),
             "Err90": 5.5, "RA_corrected": ra, "Decl_corrected": dec, "Err90_corrected": 4.0,
             "AstromType": 0, "l": record.get("l"), "b": record.get("b"),
             "OffAxisAngle": round(2.0 + (seed % 9) * 0.5, 3), "DetFlag": 0, "FieldFlag": 0,
             "OpticalLoadingWarning": 0, "StrayLightWarning": 0, "NearBrightSourceWarning": 0,
             "IsPotentialAlias": 0, "StartTime_MET": 150000000.0 + seed * 86400.0,
             "StopTime_MET": 150000000.0 + seed * 86400.0 + 2000.0,
             "IsStackedImage": 1 if int(compact["ObsID"]) >= 10 ** 10 else 0,
             "SNR": round(3.0 + (seed % 20) / 2.0, 3), "PileupFitted": 0,
             "NumSnapshots": 1 + seed % 4, "CtsInRate": 10 + seed % 30, "BGCtsInRate": 1.5,
             "RateCF": 1.3, "MedianBG": 2.1e-7}
    for b in range(4):
        synth[f"Rate_band{b}"] = round(0.001 * (b + 1) + seed * 1e-5, 6)
        synth[f"Rate_band{b}_pos"] = 0.0005
        synth[f"Rate_band{b}_neg"] = -0.0005
        synth[f"Counts_band{b}"] = 5 + b + seed % 4
        synth[f"BgCounts_band{b}"] = round(0.4 + b * 0.1, 3)
    ids = compact.get("_blind_ids") or [None] * 4
    for col in DETECTION_COLUMNS:
        if col in compact:
            row[col] = compact[col]
        elif col.endswith("_Info"):
            band = BANDS.index(col[:-5])
            row[col] = (_info_blind(ids[band], dsid, band, seed) if ids[band] is not None
                        else _info_forced(lid, dsid, band, seed))
        elif col.startswith("HasBlindDetection_band"):
            row[col] = int(ids[int(col[-1])] is not None)
        else:
            row[col] = synth.get(col)
    return row


def _nondetection_row(compact, lid, seed):
    row = {"ObsID": compact["ObsID"], "DatasetID": compact["DatasetID"],
           "IsStackedImage": compact.get("IsStackedImage", 0)}
    flags = compact.get("_isDet") or [0, 0, 0, 0]
    for band, name in enumerate(BANDS):
        row[f"{name}_Info"] = _info_forced(lid, compact["DatasetID"], band, seed, flags[band])
    return row


def _expand_nondetections(rows, lid):
    out = []
    for compact in rows:
        gen = compact.get("_generate")
        if gen is None:
            out.append(_nondetection_row(compact, lid, len(out)))
            continue
        for i in range(gen["count"]):   # synthetic rows between the printed head and tail
            retro = (i % gen["retro_every"]) == gen["retro_offset"]
            out.append(_nondetection_row(
                {"ObsID": gen["obsid_start"] + i * gen["obsid_step"],
                 "DatasetID": gen["dsid_start"] + i * gen["dsid_step"], "IsStackedImage": 0,
                 "_isDet": [1 if retro else 0, 0, 0, 0]}, lid, len(out)))
    return out


def _full_scalar_record(entry):
    data = _sources()
    rec = dict(entry["record"])
    if entry.get("synthetic"):
        full = {k: None for k in data["template_keys"]}
        full.update(rec)
        rec = full
    return rec


@functools.lru_cache(maxsize=None)
def _built_source(lsxps_id):
    entry = _sources()["sources"][str(lsxps_id)]
    rec = _full_scalar_record(entry)
    rec["OK"] = 1           # the live server puts OK inside the record too [docs]
    lid = rec["LSXPS_ID"]
    seed = 0
    for part in ("Detections", "NonDetections"):
        compact = entry[part]
        block = {"NumStacks": compact["NumStacks"], "NumObservations": compact["NumObservations"]}
        for kind in ("Stacks", "Observations"):
            if kind not in compact:
                continue        # absent when the count is 0, as the server does
            if part == "Detections":
                rows = []
                for c in compact[kind]:
                    seed += 1
                    rows.append(_detection_row(c, rec, seed))
            else:
                rows = _expand_nondetections(compact[kind], lid)
            block[kind] = rows
        rec[part] = block
    rec["CrossMatch"] = [dict(row, LSXPS_ID=lid) if "LSXPS_ID" not in row else row
                         for row in entry["CrossMatch"]]
    # key order as printed: LSXPS_ID first in CrossMatch rows
    rec["CrossMatch"] = [{"LSXPS_ID": r["LSXPS_ID"], **{k: v for k, v in r.items() if k != "LSXPS_ID"}}
                         for r in rec["CrossMatch"]]
    return rec


@functools.lru_cache(maxsize=None)
def _name_index():
    return {entry["record"]["IAUName"]: int(key) for key, entry in _sources()["sources"].items()}


def source_record(key):
    """Current record for an LSXPS_ID or IAUName (see module docstring); None if unknown."""
    data = _sources()
    if isinstance(key, str) and not key.strip().lstrip("-").isdigit():
        name = key.strip()
        name = data["superseded_names"].get(name, name)
        if name in data.get("split_names", {}):
            return {"newerSources": data["split"][data["split_names"][name]]}
        lid = _name_index().get(name)
        return None if lid is None else _built_source(lid)
    try:
        lid = int(key)
    except (TypeError, ValueError):
        return None
    if str(lid) in data["split"]:
        return {"newerSources": data["split"][str(lid)]}
    lid = data["superseded_ids"].get(str(lid), lid)
    if str(lid) not in data["sources"]:
        return None
    return _built_source(lid)


def resolve_source(body):
    """The record a per-source APIFunc answers for (see the module docstring for the contract)."""
    _catalogue_error(body, "Source products")
    field, value = _identifier(body)
    if isinstance(value, (list, dict)):
        raise APIError(f"{field} must be a single value.")
    if field == "sourceID" and not str(value).strip().lstrip("-").isdigit():
        raise APIError(f"sourceID `{value}` is not a valid source ID.")
    record = source_record(int(value) if field == "sourceID" else str(value))
    if record is None:
        raise APIError(f"Source with {field}: `{value}` is not found in the LSXPS catalogue.")
    return record


def source_obsids(record, kind="Detections", table="Observations"):
    """11-character ObsIDs of one table of a built source record (for other handlers)."""
    rows = record.get(kind, {}).get(table, [])
    return ["%011d" % int(r["ObsID"]) for r in rows]


def _reply_form(emu, record, wrap=True):
    if emu.options.get("obsid_as_string"):
        record = dict(record)
        for part in ("Detections", "NonDetections"):
            if part in record:
                block = dict(record[part])
                for kind in ("Stacks", "Observations"):
                    if kind in block:
                        block[kind] = [dict(r, ObsID=str(r["ObsID"])) for r in block[kind]]
                record[part] = block
    if emu.options.get("numbers_as_strings"):
        record = {k: (repr(v) if isinstance(v, float) and math.isfinite(v) else v)
                  for k, v in record.items()}
    if emu.options.get("details_bare") or not wrap:
        return record
    return {"data": record}


def _details_reply(emu, record, alone):
    """A details reply: the ``alone`` block by itself if the record has one, else the record."""
    if alone in record:
        return {alone: record[alone]}
    return _reply_form(emu, record)


@api_function("getSXPSSourceInfo")
def get_source_info(emu, body):
    return _details_reply(emu, resolve_source(body), "newerSources")


# -- transients ----------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _transients():
    return load("transients")["transients"]


def transient_record(key):
    """Transient record for a TransientID or a "Swift J..." name; None if unknown."""
    table = _transients()
    if isinstance(key, str) and not key.strip().isdigit():
        for rec in table.values():
            if rec["IAUName"] == key.strip():
                return rec
        return None
    try:
        return table.get(str(int(key)))
    except (TypeError, ValueError):
        return None


def resolve_transient(body):
    """The transient record for a request body, or `APIError`."""
    _catalogue_error(body, "Transients")
    field, value = _identifier(body)
    if isinstance(value, (list, dict)):
        raise APIError(f"{field} must be a single value.")
    record = transient_record(value)
    if record is None:
        raise APIError(f"Transient with {field}: `{value}` is not found in the LSXPS catalogue.")
    return record


@api_function("getSXPSTransInfo")
def get_transient_info(emu, body):
    record = dict(resolve_transient(body))
    record.pop("synthetic", None)
    return record       # flat at the top level, no data wrapper (getSXPSTransInfo)


@api_function("getSXPSTransAsSources")
def get_transients_as_sources(emu, body):
    _catalogue_error(body, "Transients")
    field, values = _identifier(body)
    if not isinstance(values, list):
        values = [values]
    lookup = {}
    for value in values:
        rec = transient_record(value)
        if rec is None or rec.get("LSXPS_ID") is None:
            lookup[str(value)] = "MISSING"
        else:
            lookup[str(value)] = rec["LSXPS_ID"] if field == "sourceID" else rec["LSXPSName"]
    return {"lookup": lookup}


# -- datasets --------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _datasets():
    return load("datasets")


def _source_row(compact, dsid):
    """One 34-column row of a dataset's Sources table (from the compact form)."""
    lid = compact["LSXPS_ID"]
    row = {}
    det = compact.get("_det", {})
    nondet = compact.get("_nondet", [])
    ra, dec = compact.get("RA"), compact.get("Decl")
    for col in DATASET_SOURCE_COLUMNS:
        if col in compact:
            row[col] = compact[col]
        elif col.endswith("_NonDetectionDetails"):
            band = col.split("_")[0]
            if band in nondet:
                row[col] = {"sourceID": lid, "dsID": dsid, "band": BANDS.index(band),
                            "C": 2, "B": 0.8, "UL": 0.0004, "isDet": 0}
        elif col.endswith("_DetectionDetails"):
            band = col.split("_")[0]
            cell = det.get(band)
            if cell is None:
                continue        # a missing key: NaN in a DataFrame, as the tutorial prints
            if isinstance(cell, dict):
                row[col] = cell
            else:
                det_id, rate = cell
                row[col] = {"DetectionID": det_id, "Rate": rate, "Rate_pos": round(rate * 0.05, 8),
                            "Rate_neg": -round(rate * 0.05, 8), "DetFlag": 0,
                            "CtsInRate": int(rate * 29000) + 1, "BGCtsInRate": 3.1, "SNR": 5.0,
                            "PileupFitted": 0, "RA": ra, "Decl": dec, "Err90": 6.0,
                            "RA_corrected": ra, "Decl_corrected": dec,
                            "Err90_corrected": compact.get("Err90")}
        else:
            row[col] = compact.get("_synthetic", {}).get(col)
    return row


@functools.lru_cache(maxsize=None)
def _built_dataset(dsid):
    entry = _datasets()["datasets"][str(dsid)]
    rec = dict(entry["record"])
    rec["OK"] = 1
    rows = entry.get("Sources")
    if rows is not None:
        rec["Sources"] = [_source_row(r, rec["DatasetID"]) for r in rows]
    return rec


def dataset_record(obsid=None, dataset_id=None):
    """Full record, ``{"SupersedingStacks": ...}``, or None (unknown)."""
    data = _datasets()
    if dataset_id is not None:
        key = str(int(dataset_id))
        if key in data["superseded_dataset_ids"]:
            return {"SupersedingStacks": data["superseded_dataset_ids"][key]}
        return _built_dataset(int(key)) if key in data["datasets"] else None
    padded = "%011d" % int(str(obsid).strip())
    if padded in data["superseded_obsids"]:
        return {"SupersedingStacks": data["superseded_obsids"][padded]}
    for key, entry in data["datasets"].items():
        if entry["record"].get("ObsID") == padded and not entry.get("old_version"):
            return _built_dataset(int(key))
    return None


def resolve_dataset(body):
    """The dataset record for a request body (see module docstring), or `APIError`."""
    _catalogue_error(body, "Dataset details")
    field, value = _identifier(body, ("ObsID", "DatasetID"))
    try:
        record = (dataset_record(obsid=value) if field == "ObsID"
                  else dataset_record(dataset_id=value))
    except (TypeError, ValueError):
        record = None
    if record is None:
        what = "obsid" if field == "ObsID" else "DatasetID"
        raise APIError(f"Dataset with {what}: `{value}` is not found in the LSXPS catalogue.")
    return record


@api_function("getSXPSDatasetInfo")
def get_dataset_info(emu, body):
    return _details_reply(emu, resolve_dataset(body), "SupersedingStacks")
