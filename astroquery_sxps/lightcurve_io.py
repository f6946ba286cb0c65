"""Saving light curves to disk (protocol.md 5.2), without the existing client's quirks.

* ``format='ecsv'`` (default) and ``'fits'`` write astropy-native files that
  read back (``TimeSeries.read``) with the time scale, units and metadata.
* ``'dat'`` and ``'qdp'`` write the tutorial's text files: the server's
  columns in order, floats in Python ``repr`` form, NaN as an empty field
  (``NO`` in QDP), ObsID as the 11-character string (dropped in QDP).

File names follow the tutorial: ``{prefix}{dataset}_{TimeFormat}_{Binning}.{ext}``
(e.g. ``Total_rates_MJD_Observation.dat``); for several sources each goes in
``destdir/<identifier>/``, or with ``subdirs=False`` straight into ``destdir``
with the prefix ``"<identifier>_"``. Existing files are never replaced unless
``clobber=True`` (all names are checked before anything is written), and
``which_curves`` really selects the datasets (quirk Q20).
"""
import math
import numbers
import os
from pathlib import Path

import numpy as np
import astropy.units as u
from astroquery import log

from .exceptions import InvalidQueryError
from .lightcurves import LightCurveCollection, time_format_in_name

__all__ = ["save_lightcurves", "lightcurve_file_name"]

_FORMATS = {"ecsv": "ecsv", "fits": "fits", "dat": "dat", "qdp": "qdp"}


def lightcurve_file_name(dataset, time_format=None, binning=None, *, prefix="", ext="dat"):
    """``Total_rates`` -> ``Total_rates_MJD_Observation.dat`` (protocol.md 5.2)."""
    name = f"{prefix}{dataset}"
    tf = time_format_in_name(time_format)
    if tf:
        name += f"_{tf}"
    if binning:
        name += f"_{binning}"
    return f"{name}.{ext}"


def _server_time_values(ts):
    fmt = ts.meta.get("TimeFormat", "MJD")
    if fmt == "MET" and "MET" in ts.colnames:
        return ts["MET"].to_value(u.s)
    if fmt == "TDB":
        return ts.time.tdb.jd
    return ts.time.utc.mjd


def _text_lines(ts, fmt, sep, header):
    columns = list(ts.meta.get("columns") or
                   ["Time"] + [c for c in ts.colnames
                               if c not in ("time", "MET", "is_upper_limit")])
    if fmt == "qdp":
        columns = [c for c in columns if c not in ("ObsID", "URL")]
    missing = "NO" if fmt == "qdp" else ""
    values = []
    for col in columns:
        if col == "Time":
            values.append(_server_time_values(ts))
        elif col in ts.colnames:
            c = ts[col]
            values.append(c.value if isinstance(c, u.Quantity) else np.asarray(c))
        else:
            values.append(np.full(len(ts), np.nan))
    lines = []
    if fmt == "qdp":
        lines.append("READ TERR 1" if "UpperLimit" in columns else "READ TERR 1 2")
        lines.append("!" + sep.join(columns))
    if header:
        lines.append(("!" if fmt == "qdp" else "") + sep.join(columns))
    for i in range(len(ts)):
        cells = []
        for arr in values:
            v = arr[i]
            if isinstance(v, (str, np.str_)):
                cells.append(str(v))
            elif isinstance(v, (bool, np.bool_)):
                cells.append(str(int(v)))
            else:
                f = float(v)
                cells.append(missing if math.isnan(f) else repr(f))
        lines.append(sep.join(cells))
    return "\n".join(lines) + "\n"


def _fits_safe(ts):
    out = ts.copy(copy_data=False)
    meta = {}
    for k, v in ts.meta.items():
        if isinstance(v, (str, int, float, bool, np.number)) and v is not None:
            meta[k] = v
    out.meta = meta
    return out


def _write(ts, path, fmt, sep, header, clobber):
    if fmt == "ecsv":
        ts.write(path, format="ascii.ecsv", overwrite=clobber)
    elif fmt == "fits":
        import warnings
        from astropy.io.fits.verify import VerifyWarning
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", VerifyWarning)   # long keys -> HIERARCH
            _fits_safe(ts).write(path, format="fits", overwrite=clobber)
    else:
        path.write_text(_text_lines(ts, fmt, sep, header), encoding="utf-8")


def _as_sources(data):
    if isinstance(data, LightCurveCollection):
        return {data.meta.get("Identifier"): data}, False
    if isinstance(data, dict) and data and all(isinstance(v, LightCurveCollection)
                                               for v in data.values()):
        return dict(data), True
    raise InvalidQueryError("save_lightcurves needs a LightCurveCollection or a dict of them "
                            "(as returned by SXPS.get_lightcurve).")


def save_lightcurves(lightcurves, destdir="lc", *, which_sources="all", which_curves="all",
                     format="ecsv", subdirs=True, clobber=False, header=False, sep=None):
    """Write light curves to files.

    Tutorial (``saveLightCurves``) -> here: ``destDir`` -> ``destdir``,
    ``whichSources`` -> ``which_sources``, ``whichCurves`` ->
    ``which_curves`` (which works here), ``subDirs`` -> ``subdirs``,
    ``asQDP=True`` -> ``format='qdp'``.

    Parameters
    ----------
    lightcurves : `~astroquery_sxps.LightCurveCollection` or dict of them
        What `~astroquery_sxps.SXPSClass.get_lightcurve` returned.
    destdir : str or `~pathlib.Path`
        Directory (created with its parents).
    which_sources : 'all', identifier or list of them
        Keys of the dict to save; for a single collection its identifier
        (``meta['Identifier']``). An unknown key is an error.
    which_curves : 'all', str or list of str
        Dataset names to save; names a source does not have are skipped
        (with a warning if no source has them).
    format : {'ecsv', 'fits', 'dat', 'qdp'}
        ``ecsv``/``fits`` round-trip the TimeSeries (units, time scale);
        ``dat`` is the tutorial's comma-separated text without a header;
        ``qdp`` has ``READ TERR`` lines for QDP/PLT.
    subdirs : bool
        For several sources: one sub-directory per source (default) or
        a ``"<identifier>_"`` file prefix. Ignored for a single collection.
    clobber : bool
        Replace existing files. Without it, if any target exists, nothing
        is written and `FileExistsError` is raised.
    header : bool
        ``dat``/``qdp``: write the column names first.
    sep : str, optional
        ``dat``/``qdp`` separator (default ``','`` for dat, ``' '`` for qdp).

    Returns
    -------
    list of `~pathlib.Path`
        The files written, in order.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        A bad argument (before anything is written): unknown ``format``,
        ``which_sources`` not among the identifiers, ``which_curves`` not a
        name or list of names, ``subdirs``/``clobber``/``header`` not bool,
        ``destdir`` not a str or Path, ``sep`` not a non-empty string.
    FileExistsError
        A target exists and ``clobber=False`` (nothing is written).

    Examples
    --------
    >>> from astroquery_sxps import SXPS, save_lightcurves
    >>> lcs = SXPS.get_lightcurve(source_name=['LSXPS J062131.8-622213',
    ...                                        'LSXPS J051152.3-621925'])  # doctest: +REMOTE_DATA
    >>> paths = save_lightcurves(lcs, 'lc', format='dat',
    ...                          which_curves=['Total_rates'])  # doctest: +REMOTE_DATA +SKIP
    >>> paths[0].name  # doctest: +SKIP
    'Total_rates_MJD_Observation.dat'
    """
    fmt = _FORMATS.get(str(format).lower()) if isinstance(format, str) else None
    if fmt is None:
        raise InvalidQueryError(f"format={format!r} is not valid; allowed values are "
                                "'ecsv', 'fits', 'dat', 'qdp'.")
    sources, several = _as_sources(lightcurves)
    for name, value in (("subdirs", subdirs), ("clobber", clobber), ("header", header)):
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidQueryError(f"{name} must be True or False, not {value!r}.")
    if not isinstance(destdir, (str, os.PathLike)) or not str(destdir).strip():
        raise InvalidQueryError(f"destdir must be a directory name (a non-empty str or "
                                f"pathlib.Path), not {destdir!r}.")
    if sep is not None and (not isinstance(sep, str) or not sep or "\n" in sep
                            or "\r" in sep):
        raise InvalidQueryError(f"sep must be None (',' for dat, ' ' for qdp) or a non-empty "
                                f"one-line string such as ',' or '\\t', not {sep!r}.")
    if not (isinstance(which_sources, str) and which_sources == "all"):
        if isinstance(which_sources, (list, tuple)):
            wanted = list(which_sources)
        elif isinstance(which_sources, (str, numbers.Integral)) \
                and not isinstance(which_sources, bool):
            wanted = [which_sources]
        else:
            wanted = None
        if wanted is None or not all(isinstance(w, (str, numbers.Integral))
                                     and not isinstance(w, bool) for w in wanted):
            raise InvalidQueryError("which_sources must be 'all', an identifier or a list of "
                                    f"identifiers among {list(sources)!r}, not "
                                    f"{which_sources!r}.")
        unknown = [w for w in wanted if w not in sources]
        if unknown or not wanted:
            raise InvalidQueryError(f"which_sources={which_sources!r}: "
                                    + (f"{unknown!r} not among" if unknown else
                                       "selects none of")
                                    + f" the sources {list(sources)!r} (or use 'all').")
        sources = {k: sources[k] for k in dict.fromkeys(wanted)}
    if isinstance(which_curves, str):
        curves = None if which_curves == "all" else [which_curves]
    elif isinstance(which_curves, (list, tuple)) and which_curves \
            and all(isinstance(c, str) for c in which_curves):
        curves = list(which_curves)
    else:
        raise InvalidQueryError("which_curves must be 'all', a dataset name or a non-empty "
                                f"list of dataset names, not {which_curves!r}.")
    if sep is None:
        sep = " " if fmt == "qdp" else ","
    destdir = Path(destdir)

    plan = []
    for key, coll in sources.items():
        folder, prefix = destdir, ""
        if several:
            if subdirs:
                folder = destdir / str(key)
            else:
                prefix = f"{key}_"
        for name in coll.datasets:
            if curves is not None and name not in curves:
                continue
            fname = lightcurve_file_name(name, coll.meta.get("TimeFormat"),
                                         coll.meta.get("Binning"), prefix=prefix, ext=fmt)
            plan.append((coll[name], folder / fname))
    if curves is not None:
        present = {n for _, c in sources.items() for n in c.datasets}
        absent = [c for c in curves if c not in present]
        if absent:
            log.warning(f"No source has the dataset(s) {absent}; nothing saved for them.")
    existing = [str(p) for _, p in plan if p.exists()]
    if existing and not clobber:
        raise FileExistsError(f"{len(existing)} file(s) already exist and clobber=False; "
                              f"nothing was written: {', '.join(existing[:5])}"
                              + (" ..." if len(existing) > 5 else ""))
    written = []
    for ts, path in plan:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(ts, path, fmt, sep, header, clobber)
        log.debug(f"Wrote {path}")
        written.append(path)
    return written
