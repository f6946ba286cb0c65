"""Readable summaries of source, dataset and transient records for the terminal.

Only the key facts are shown (position with its error, times, rates, flags,
cross-matches); ``--all`` adds every scalar value and ``--json`` gives the
whole record. Keys are the server's (see the details pages of the docs);
missing or empty values are left out rather than printed as ``None``.
"""
import html
import math
import numbers

import astropy.units as u
from astropy.table import Table
from astropy.time import Time

from .errors import printable
from .output import format_table

__all__ = ["format_value", "details_lines", "source_lines", "dataset_lines",
           "transient_lines"]

#: columns shown from embedded tables, when present (the rest is in --json)
CROSSMATCH_COLUMNS = ("Catalogue", "ExtCat_ID", "Distance", "Ext_RA", "Ext_Decl", "Ext_Err90")
FIELD_SOURCE_COLUMNS = ("LSXPS_ID", "RA_sexagesimal", "Decl_sexagesimal", "Err90", "DetFlag",
                        "BestDetFlag", "Exposure")
STACK_COLUMNS = ("ObsID", "DatasetID", "LSXPS_ID", "IAUName")


def _missing(value):
    if isinstance(value, u.Quantity) and value.isscalar:     # records hold Quantities
        value = float(value.value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, float) and math.isnan(value)


def format_value(value):
    """One value as short text: times in UTC ISO, quantities with units, 6 digits."""
    if isinstance(value, Time):
        # in the time's own scale: a TDB time is not silently shown as UTC
        return f"{value.iso} {value.scale.upper()}"
    if isinstance(value, u.Quantity):
        return f"{format_value(value.value)} {value.unit.to_string()}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        # exposures and METs in full (2995289 s, not 2.99529e+06 s)
        return f"{value:.0f}" if 1e6 <= abs(value) < 1e12 else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        shown = ", ".join(str(v) for v in value[:6])
        return shown + (f", ... ({len(value)} in all)" if len(value) > 6 else "")
    return printable(" ".join(html.unescape(str(value)).split()))


#: The unit labels printed after values, as astropy units (parsing 'erg/cm2/s' would warn
#: about its slashes).
_LABEL_UNITS = {"ct/s": u.ct / u.s, "erg/cm2/s": u.erg / u.cm ** 2 / u.s}


def _in_unit(value, unit):
    """A record value as a number in ``unit`` (a label such as ``'ct/s'`` or a Unit):
    records hold Quantities (converted here, so that the label printed is always right);
    a bare number is taken as it is. Without ``unit`` a Quantity is kept (`format_value`
    prints it with its own unit)."""
    if unit and isinstance(value, u.Quantity):
        return value.to_value(_LABEL_UNITS.get(unit, unit))
    return value


def _value(record, key, unit=""):
    """``record[key]`` as text (in ``unit``, which follows it), or None if missing."""
    value = record.get(key)
    if _missing(value) or (isinstance(value, (list, tuple)) and not value):
        return None
    return f"{format_value(_in_unit(value, unit))} {unit}".rstrip()


def _with_errors(record, key, unit=""):
    """``Rate_band0`` and its ``_pos``/``_neg`` as ``0.0261 (+0.0174, -0.0124) ct/s``."""
    value = record.get(key)
    if _missing(value):
        return None
    if not unit and isinstance(value, u.Quantity):      # no label: the value's own unit
        unit = value.unit.to_string()
    pos, neg = record.get(f"{key}_pos"), record.get(f"{key}_neg")
    text = format_value(_in_unit(value, unit))
    if not _missing(pos) and not _missing(neg):
        pos, neg = (abs(float(_in_unit(v, unit))) for v in (pos, neg))
        text += f" (+{pos:.3g}, -{neg:.3g})"
    return f"{text} {unit}".rstrip()


def _position(record):
    coord = record.coord
    if coord is None:
        return None
    text = (f"{coord.to_string('hmsdms', precision=2)}  "
            f"({coord.ra.deg:.5f}, {coord.dec.deg:+.5f} deg)")
    if record.err90 is not None:
        text += f" +/- {record.err90.to_value(u.arcsec):.2f} arcsec (90%)"
    return text


def _galactic(record):
    l, b = record.get("l"), record.get("b")
    if _missing(l) or _missing(b):
        return None
    return f"l = {float(_in_unit(l, u.deg)):.4f}, b = {float(_in_unit(b, u.deg)):+.4f} deg"


def _span(record, first, last):
    a, b = record.get(first), record.get(last)
    if _missing(a) and _missing(b):
        return None
    return f"{format_value(a) if not _missing(a) else '?'} -> " \
           f"{format_value(b) if not _missing(b) else '?'}"


def _counts(record, *pairs, unit=None):
    """``label value`` of each ``(key, label)`` present; values in ``unit`` if given (the
    labels then name it)."""
    parts = [f"{label} {format_value(_in_unit(record[key], unit))}" for key, label in pairs
             if not _missing(record.get(key))]
    return ", ".join(parts) or None


def _fields(rows):
    """``[(label, text or None)]`` -> aligned lines, skipping missing ones."""
    rows = [(label, text) for label, text in rows if text is not None]
    width = max((len(label) for label, _ in rows), default=0)
    return [f"  {label:<{width}}  {text}" for label, text in rows]


def _table_block(title, table, columns):
    if title is None or not isinstance(table, Table):
        return []
    lines = [f"{title} ({len(table)}):"]
    if len(table):
        shown = [c for c in columns if c in table.colnames] or table.colnames
        lines.extend("  " + line for line in format_table(table[shown]))
    return lines


def _tables_note(record):
    names = record.tables
    if not names:
        return []
    parts = []
    for name in names:
        head, _, tail = name.partition("/")
        table = record[head][tail] if tail else record[head]
        parts.append(f"{name} ({len(table)} rows)")
    return ["Tables: " + ", ".join(parts) + "  (all columns with --json)"]


def _all_scalars(record):
    rows = [(key, format_value(value)) for key, value in record.items()
            if not isinstance(value, (dict, Table)) and not _missing(value)]
    return ["All values:"] + _fields(rows)


def _closing(record, everything, title, key, columns):
    """The embedded table ``key`` (some columns), the list of tables, and with
    ``everything`` all scalar values."""
    lines = _table_block(title, record.get(key), columns) + _tables_note(record)
    return lines + (_all_scalars(record) if everything else [])


def source_lines(record, everything=False):
    """Summary lines of a `~astroquery_sxps.SourceDetails`."""
    title = f"{record.get('IAUName')} (LSXPS_ID {record.get('LSXPS_ID')})"
    detections = record.get("Detections") or {}
    nondetections = record.get("NonDetections") or {}
    lines = [title]
    if record.superseded:
        lines.append(f"  (requested {record.requested}, which this source superseded)")
    lines += _fields([
        ("Position", _position(record)),
        ("Galactic", _galactic(record)),
        ("Observations", _counts(record, ("NumObs", "total"), ("NumDetObs", "detected"),
                                 ("NumBlindDetObs", "blind detections"))),
        ("Exposure", _value(record, "Exposure", "s")),
        ("Observed", _span(record, "FirstObsDate", "LastObsDate")),
        ("Detected", _span(record, "FirstDetDate", "LastDetDate")),
        ("Rate 0.3-10 keV", _with_errors(record, "Rate_band0", "ct/s")),
        ("Peak rate", _with_errors(record, "PeakRate_band0", "ct/s")),
        ("Upper limit", _value(record, "UL_band0", "ct/s")),
        ("HR1, HR2", ", ".join(t for t in (_with_errors(record, "HR1"),
                                           _with_errors(record, "HR2")) if t) or None),
        ("Flux (power law)", _with_errors(record, "PowFlux", "erg/cm2/s")),
        ("Flags", _counts(record, ("DetFlag", "DetFlag"), ("FieldFlag", "FieldFlag"),
                          ("OpticalLoadingWarning", "optical loading"),
                          ("StrayLightWarning", "stray light"),
                          ("NearBrightSourceWarning", "near bright source"),
                          ("IsPotentialAlias", "potential alias"))),
        ("Detections", _counts(detections, ("NumObservations", "observations"),
                               ("NumStacks", "stacks"))),
        ("Non-detections", _counts(nondetections, ("NumObservations", "observations"),
                                   ("NumStacks", "stacks"))),
    ])
    return lines + _closing(record, everything, "Cross-matches", "CrossMatch",
                            CROSSMATCH_COLUMNS)


def dataset_lines(record, everything=False):
    """Summary lines of a `~astroquery_sxps.DatasetDetails`."""
    if record.is_superseded:
        lines = [f"Dataset {record.requested} has been superseded by:"]
        lines += ["  " + line for line in format_table(record.superseding_stacks)] \
            if len(record.superseding_stacks) else ["  (no replacement listed)"]
        return lines
    kind = "stacked image" if str(record.get("IsStackedImage", 0)) == "1" else "observation"
    lines = [f"Dataset {record.get('ObsID')} (DatasetID {record.get('DatasetID')}, {kind})"]
    if record.is_obsolete:
        lines.append("  (an obsolete stack, kept in the catalogue)")
    target = record.get("TargetObjectName")
    if not _missing(target) and not _missing(record.get("TargetID")):
        target = f"{target} (target {record['TargetID']})"
    lines += _fields([
        ("Field", _value(record, "FieldName")),
        ("Target", target),
        ("Centre", _position(record)),
        ("Galactic", _galactic(record)),
        ("Time", _span(record, "StartTime_UTC", "StopTime_UTC")),
        ("Exposure", _counts(record, ("ExposureUsed", "used (s)"),
                             ("OriginalExposure", "original (s)"), unit=u.s)),
        ("Snapshots", _value(record, "NumberOfSnapshots")),
        ("Sources", _counts(record, ("SourcesThisField", "in this field"),
                            ("NumAllSources", "in all"))),
        ("Astrometry error", _value(record, "AstromError", "arcsec")),
        ("In stacks", _value(record, "inStack")),
        ("Flags", _counts(record, ("FieldFlag", "FieldFlag"), ("DataVersion", "DataVersion"))),
    ])
    return lines + _closing(record, everything, "Sources in the field", "Sources",
                            FIELD_SOURCE_COLUMNS)


def transient_lines(record, everything=False):
    """Summary lines of a `~astroquery_sxps.TransientDetails`."""
    lines = [f"{record.get('IAUName')} (transient {record.get('TransientID')})"]
    lsxps = record.get("LSXPSName")
    if not _missing(lsxps):
        lsxps = f"{lsxps} (LSXPS_ID {record.get('LSXPS_ID')})"
    elif "LSXPSName" in record or "LSXPS_ID" in record:
        lsxps = "not (yet) an LSXPS source"
    best = record.get("BestUpperLimit")
    if not _missing(best):
        best = (f"{format_value(_in_unit(best, 'ct/s'))} ct/s from {record.get('BestUpperLimitSource')}"
                f" ({format_value(record.get('BestUpperLimitBand'))})")
    lines += _fields([
        ("Classification", _value(record, "Classification")),
        ("Position", _position(record)),
        ("Galactic", _galactic(record)),
        ("Detected", _value(record, "DetectionDate")),
        ("Discovered", _value(record, "DiscoveryDate")),
        ("Discovery ObsID", _value(record, "DiscoveryObs")),
        ("Significance", _value(record, "Significance")),
        ("Peak rate", _with_errors(record, "PeakRateAtDetection", "ct/s")),
        ("Best prior limit", best),
        ("LSXPS source", lsxps),
        ("New observations", _value(record, "AllNewObs")),
        ("Notes", _value(record, "Notes")),
    ])
    return lines + _closing(record, everything, None, None, ())


def details_lines(record, everything=False):
    """Summary lines of any details record (dispatch on its type)."""
    from astroquery_sxps import DatasetDetails, SourceDetails, TransientDetails
    if isinstance(record, DatasetDetails):
        return dataset_lines(record, everything)
    if isinstance(record, TransientDetails):
        return transient_lines(record, everything)
    if isinstance(record, SourceDetails):
        return source_lines(record, everything)
    raise TypeError(f"not a details record: {type(record).__name__}")
