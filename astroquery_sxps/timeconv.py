"""Time columns as the server sends them, turned into astropy objects.

The server writes times in one of four forms (``docs/sxps/api_protocol.rst``: getSXPSLC,
getSXPSUL):

========  =====================================  ===================================
form      what the numbers are                   what we build
========  =====================================  ===================================
``cal``   ``"YYYY-MM-DD hh:mm:ss"`` (UTC)        `~astropy.time.Time`, scale ``utc``
``MJD``   Modified Julian Date (UTC)             `~astropy.time.Time`, scale ``utc``
``TDB``   Julian Date in the TDB scale           `~astropy.time.Time`, scale ``tdb``
``MET``   Swift Mission Elapsed Time (s)         `~astropy.units.Quantity` in s
========  =====================================  ===================================

Swift MET is **not** converted to UTC here. It counts seconds of the
spacecraft clock since 2001-01-01; UTC = MET + UTCF, where the clock
correction UTCF includes leap seconds *and* the drift of the spacecraft clock
(about 20 s by 2020). The server's replies carry no UTCF, so any conversion
would be wrong by up to tens of seconds: MET stays a Quantity, documented as
such, and UTC comes from the server (ask for ``MJD``) when it is needed.
"""
import numpy as np
import astropy.units as u
from astropy.time import Time

from ._validation import NULL_TEXT, choose

__all__ = ["normalise_time_format", "to_time", "utc_times", "server_time_format", "as_float_array"]

#: Canonical time-format names used in requests and in ``meta['time_format']``.
TIME_FORMATS = ("cal", "MJD", "TDB", "MET")
_ALIASES = {"swift met": "MET", "swiftmet": "MET", "calendar": "cal", "utc": "cal"}


def normalise_time_format(value, allowed=TIME_FORMATS, name="time_format"):
    """Validate a user's time format (case-insensitive) and return its canonical name."""
    return choose(name, value, allowed, {k: v for k, v in _ALIASES.items() if v in allowed})


def server_time_format(value):
    """Map the server's ``TimeFormat`` (``'MJD'``, ``'TDB'``, ``'Swift MET'``, ``'MET'``, ``'cal'``)."""
    text = str(value).strip().lower()
    if "met" in text:
        return "MET"
    return {"mjd": "MJD", "tdb": "TDB", "cal": "cal", "utc": "cal"}.get(text, str(value))


def as_float_array(values):
    """Numbers, numeric strings, None/''/'NaN' -> 1-d float array (NaN where not a number).

    Tries the fast ``np.array(values, dtype=float)`` first (numbers, numeric
    strings and None convert directly); only when that fails, or does not
    give one value per element, converts element by element, with NaN for
    anything that is not a number.

    Parameters
    ----------
    values : sequence
        One value per element (a list, tuple or 1-d array).

    Returns
    -------
    `~numpy.ndarray` of float
    """
    try:
        out = np.array(values, dtype=float)
        if out.ndim == 1:
            return out
    except (TypeError, ValueError):
        pass
    out = np.empty(len(values), dtype=float)
    for i, v in enumerate(values):
        try:
            out[i] = float(v) if v is not None and v != "" else np.nan
        except (TypeError, ValueError):
            out[i] = np.nan
    return out


#: Parsed in place of a missing date, then masked.
_PLACEHOLDER = "2000-01-01 00:00:00"


def utc_times(values):
    """UTC date-time strings (``'YYYY-MM-DD HH:MM:SS'``, a ``T`` separator or a bare date)
    as a `~astropy.time.Time` (scale ``utc``, format ``iso``), vectorised.

    Missing values (None, ``''``, ``NaN``, ``NULL``, ``None``, masked) are masked.
    Raises ``ValueError`` if a value is not such a date.
    """
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    text = np.asarray(values)
    if text.dtype.kind == "O":
        text = np.array(["" if v is None else str(v) for v in text.tolist()], dtype=str)
    elif text.dtype.kind == "S":
        text = np.char.decode(text, "utf-8")
    elif text.dtype.kind != "U":
        text = text.astype(str)
    if not len(text):
        return Time(np.array([], dtype="U19"), format="iso", scale="utc")
    # a date has at least 10 characters: look for missing values among shorter ones only
    # (cheap on 10^5-10^6 rows)
    missing = np.zeros(len(text), dtype=bool) if mask is None else mask.copy()
    short = np.char.str_len(text) < 10
    if short.any():
        missing[short] |= np.isin(np.char.upper(np.char.strip(text[short])), NULL_TEXT)
    if missing.any():
        text = text.astype(f"U{max(19, text.dtype.itemsize // 4)}")
        text[missing] = _PLACEHOLDER
    try:
        times = Time(text, format="iso", scale="utc")
    except ValueError:
        # 'T' separators or stray blanks: normalise, then parse again (ValueError if bad)
        text = np.char.replace(np.char.strip(text), "T", " ")
        times = Time(text, format="iso", scale="utc")
    if missing.any():
        times[missing] = np.ma.masked
    return times


def to_time(values, time_format):
    """Convert a sequence of server time values.

    Parameters
    ----------
    values : sequence
        Numbers, numeric strings or (for ``cal``) date strings.
    time_format : str
        ``'cal'``, ``'MJD'``, ``'TDB'`` or ``'MET'`` (any case, or the server's spelling).

    Returns
    -------
    `~astropy.time.Time` or `~astropy.units.Quantity`
        ``Time`` for cal/MJD/TDB; a Quantity in seconds for MET.
    """
    fmt = server_time_format(time_format)
    if fmt == "cal":
        return utc_times(values)
    numbers = as_float_array(list(values))
    if fmt == "MJD":
        return Time(numbers, format="mjd", scale="utc")
    if fmt == "TDB":
        # The server's TDB values are Julian Dates in the TDB scale (e.g. 2454268.77).
        return Time(numbers, format="jd", scale="tdb")
    if fmt == "MET":
        return numbers * u.s
    raise ValueError(f"Unknown time format {time_format!r}")
