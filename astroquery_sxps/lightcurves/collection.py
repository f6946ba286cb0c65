"""`LightCurveCollection`: the light curves of one source, keyed by the server's dataset names.

Saving goes through astropy's I/O registry: the writers of `astroquery_sxps.lightcurves.io`
are registered when the `astroquery_sxps.lightcurves` package is imported, so
this module does not import them.
"""
import collections.abc
import os
from pathlib import Path


import numpy as np
from astropy.utils.exceptions import AstropyDeprecationWarning
from astroquery import log

from .._files import check_destination
from ..exceptions import InvalidQueryError, warn
from .plot import plot_lightcurve

__all__ = ["LightCurveCollection", "WRITE_FORMATS", "write_files", "check_write_options",
           "renamed_download_dir"]

#: ``format`` of `LightCurveCollection.save` -> (astropy I/O registry format, file extension).
WRITE_FORMATS = {"ecsv": ("ascii.ecsv", "ecsv"), "fits": ("sxps.fits", "fits"),
                 "dat": ("sxps.dat", "dat"), "qdp": ("sxps.qdp", "qdp")}


def renamed_download_dir(download_dir, destdir, default="lc"):
    """``download_dir``, accepting the deprecated name ``destdir``.

    Like astropy's ``deprecated_renamed_argument`` (an
    `~astropy.utils.exceptions.AstropyDeprecationWarning` for the old name),
    but giving both names is an `~astroquery.exceptions.InvalidQueryError`
    naming them rather than a bare TypeError.
    """
    if destdir is None:
        return default if download_dir is None else download_dir
    if download_dir is not None:
        raise InvalidQueryError("Give download_dir only: destdir is its deprecated name, and "
                                "both were given.")
    warn("destdir is deprecated; use download_dir (the name every method of "
         "astroquery_sxps uses).", AstropyDeprecationWarning)
    return destdir


def check_write_options(directory, *, which_curves="all", format="ecsv", clobber=False,
                        header=False, sep=None, directory_name="download_dir"):
    """Check the options of `LightCurveCollection.save` / `~astroquery_sxps.save_lightcurves`.

    Returns
    -------
    directory : `~pathlib.Path`
    curves : list of str or None (all)
    format : str
    options : dict
        Keyword arguments for the registered writer.
    """
    fmt = str(format).lower() if isinstance(format, str) else None
    if fmt not in WRITE_FORMATS:
        raise InvalidQueryError(f"format={format!r} is not valid; allowed values are "
                                f"{', '.join(repr(f) for f in WRITE_FORMATS)}.")
    for name, value in (("clobber", clobber), ("header", header)):
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidQueryError(f"{name} must be True or False, not {value!r}.")
    if not isinstance(directory, (str, os.PathLike)) or not str(directory).strip():
        raise InvalidQueryError(f"{directory_name} must be a directory name (a non-empty str "
                                f"or pathlib.Path), not {directory!r}.")
    directory = check_destination(directory_name, directory)
    if sep is not None and (not isinstance(sep, str) or not sep or "\n" in sep
                            or "\r" in sep):
        raise InvalidQueryError(f"sep must be None (',') or a non-empty one-line string such "
                                f"as ',' or '\\t', not {sep!r}.")
    if sep is not None and fmt != "dat":
        raise InvalidQueryError(f"sep applies to format='dat' only, not to format={fmt!r}.")
    if isinstance(which_curves, str):
        curves = None if which_curves == "all" else [which_curves]
    elif isinstance(which_curves, (list, tuple)) and which_curves \
            and all(isinstance(c, str) for c in which_curves):
        curves = list(which_curves)
    else:
        raise InvalidQueryError("which_curves must be 'all', a dataset name or a non-empty "
                                f"list of dataset names, not {which_curves!r}.")
    options = {"header": bool(header), "sep": sep or ","} if fmt == "dat" else {}
    return Path(directory), curves, fmt, options


class LightCurveCollection(collections.abc.Mapping):
    """The light curves of one source or transient.

    A read-only mapping from dataset name, exactly as the server names it
    (``'Total_rates'``, ``'Total_UL'``, ``'HR1'``, ``'PC_incbad'``...), to an
    `~astropy.timeseries.TimeSeries`, in the server's order.

    Attributes
    ----------
    datasets : list of str
        The dataset names, in the server's order (the tutorial's
        ``lcs['Datasets']``).
    meta : dict
        ``time_format`` (``'MJD'``, ``'TDB'`` or ``'MET'``), ``t0``,
        ``binning`` (``'Observation'``, ``'Snapshot'`` or ``'Counts'``),
        ``identifier`` (what was requested), ``catalog``, ``transient`` and
        any other key of the server's reply in snake_case (e.g. ``urls``).

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> lcs.datasets  # doctest: +REMOTE_DATA +SKIP
    ['Total_rates', 'Total_UL', 'Soft_rates', ..., 'HR1', 'HR2']
    >>> lcs['Total_rates']['Rate'].unit  # doctest: +REMOTE_DATA
    Unit("ct / s")
    """

    def __init__(self, curves, meta=None):
        self._curves = dict(curves)
        self.meta = dict(meta or {})

    @property
    def datasets(self):
        return list(self._curves)

    def __getitem__(self, name):
        try:
            return self._curves[name]
        except KeyError:
            raise KeyError(f"No dataset {name!r}; available: {self.datasets}") from None

    def __iter__(self):
        return iter(self._curves)

    def __len__(self):
        return len(self._curves)

    def __repr__(self):
        ident = self.meta.get("identifier")
        parts = ", ".join(f"{k} ({len(v)})" for k, v in self._curves.items())
        return (f"<LightCurveCollection {ident!r}: time_format={self.meta.get('time_format')}, "
                f"binning={self.meta.get('binning')}, datasets: {parts or 'none'}>")

    def rates(self):
        """Names of the datasets holding count rates (not limits, not HRs)."""
        return [k for k, v in self._curves.items()
                if "Rate" in v.colnames and not v.meta.get("is_upper_limit")]

    def upper_limits(self):
        """Names of the datasets holding upper limits."""
        return [k for k, v in self._curves.items() if v.meta.get("is_upper_limit")]

    def plot(self, which_curves=None, **options):
        """Plot the curves; see `~astroquery_sxps.plot_lightcurve` (returns ``fig, ax``)."""
        return plot_lightcurve(self, which_curves, **options)

    def files(self, directory, *, which_curves=None, format="ecsv", prefix=""):
        """``(curve, path)`` for each dataset to save (all, or those in ``which_curves``)
        under the existing client's file names in ``directory``."""
        ext = WRITE_FORMATS[format][1]
        return [(curve, Path(directory) / curve.file_name(prefix=prefix, ext=ext,
                                                          binning=self.meta.get("binning")))
                for name, curve in self.items()
                if which_curves is None or name in which_curves]

    def save(self, download_dir=None, *, which_curves="all", format="ecsv", clobber=False,
             header=False, sep=None, destdir=None):
        """Write the curves to files in ``download_dir`` (default ``'lc'``); see
        `~astroquery_sxps.save_lightcurves` (same options and file names; ``destdir``
        is a deprecated name of ``download_dir``).

        Returns
        -------
        list of `~pathlib.Path`
        """
        directory, curves, fmt, options = check_write_options(
            renamed_download_dir(download_dir, destdir), which_curves=which_curves,
            format=format, clobber=clobber, header=header,
            sep=sep)
        return write_files(self.files(directory, which_curves=curves, format=fmt), fmt,
                           clobber=clobber, **options)


def write_files(pairs, format, *, clobber=False, **options):
    """Write ``(curve, path)`` pairs with astropy's I/O registry (all or nothing: if any
    target exists and not ``clobber``, `FileExistsError` and nothing is written)."""
    existing = [str(p) for _, p in pairs if p.exists()]
    if existing and not clobber:
        raise FileExistsError(f"{len(existing)} file(s) already exist and clobber=False; "
                              f"nothing was written: {', '.join(existing[:5])}"
                              + (" ..." if len(existing) > 5 else ""))
    registry_format = WRITE_FORMATS[format][0]
    written = []
    for curve, path in pairs:
        path.parent.mkdir(parents=True, exist_ok=True)
        curve.write(path, format=registry_format, overwrite=clobber, **options)
        log.debug(f"Wrote {path}")
        written.append(path)
    return written
