"""`SXPSLightCurve`: one SXPS light curve, an astropy `~astropy.timeseries.TimeSeries`.

In the manner of lightkurve's ``LightCurve``: a TimeSeries with the server's
columns (see `astroquery_sxps.lightcurves` for the list), plus what a user
reaches for: `rate` and `rate_err`, `is_upper_limit`, `merge_bins` and `plot`.
Writers for QDP and the existing client's ``.dat`` text are registered with
astropy's I/O registry (`astroquery_sxps.lightcurves.io`), so
``lc.write('x.qdp', format='sxps.qdp')`` works, as do astropy's own ECSV and
FITS writers.
"""
import numpy as np
import astropy.units as u
from astropy.timeseries import TimeSeries

from .merge import merge_lightcurve_bins
from .plot import plot_lightcurve

__all__ = ["SXPSLightCurve", "time_format_in_name", "lightcurve_file_name"]


def time_format_in_name(time_format):
    """``time_format`` as used in file names (``Swift MET`` -> ``MET``)."""
    return "MET" if time_format and "met" in str(time_format).lower() else time_format


def lightcurve_file_name(dataset, time_format=None, binning=None, *, prefix="", ext="dat"):
    """``Total_rates`` -> ``Total_rates_MJD_Observation.dat`` (the existing client's names)."""
    name = f"{prefix}{dataset}"
    tf = time_format_in_name(time_format)
    if tf:
        name += f"_{tf}"
    if binning:
        name += f"_{binning}"
    return f"{name}.{ext}"


class SXPSLightCurve(TimeSeries):
    """One light curve of an SXPS source or transient (one dataset of the server).

    A `~astropy.timeseries.TimeSeries` whose ``time`` is the bin centre
    (`~astropy.time.Time`, UTC for MJD curves, TDB for TDB curves) and whose
    other columns are the server's, with units. ``meta`` holds ``dataset``
    (the server's name, e.g. ``'Total_rates'``), ``time_format``, ``t0``,
    ``columns`` (the columns the server sent, in its order, as this curve
    names them: ``time`` is the server's ``Time``) and ``is_upper_limit``.

    It is built like any TimeSeries; `~astroquery_sxps.SXPSClass.get_lightcurve`
    returns them inside a `~astroquery_sxps.LightCurveCollection`.

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> lc = lcs['Total_rates']  # doctest: +REMOTE_DATA
    >>> lc.rate.unit, lc.is_upper_limit  # doctest: +REMOTE_DATA
    (Unit("ct / s"), False)
    """

    @property
    def dataset(self):
        """The server's name of this dataset (``'Total_rates'``, ``'HR1'``, ``'PC_incbad'``...)."""
        return self.meta.get("dataset")

    @property
    def is_upper_limit(self):
        """True when this dataset holds upper limits rather than rates."""
        return bool(self.meta.get("is_upper_limit", "UpperLimit" in self.colnames))

    @property
    def is_hardness_ratio(self):
        """True when this dataset holds hardness ratios."""
        return "HR" in self.colnames and "Rate" not in self.colnames

    @property
    def rate(self):
        """The measured values: ``Rate`` (ct / s), ``UpperLimit`` for a limits curve, or
        ``HR`` for a hardness-ratio curve."""
        for name in ("UpperLimit", "Rate", "HR") if self.is_upper_limit else ("Rate", "HR"):
            if name in self.colnames:
                return self[name]
        raise KeyError(f"The light curve {self.dataset!r} has no Rate, UpperLimit or HR column.")

    @property
    def rate_err(self):
        """The 1-sigma errors of `rate` as an array of shape (2, N): lower, upper (both >= 0),
        from ``RateNeg``/``RatePos`` (``HRNeg``/``HRPos``) or the symmetric ``RateErr``
        (``HRErr``); NaN for upper limits."""
        value = self.rate
        unit = getattr(value, "unit", None)
        base = "HR" if self.is_hardness_ratio else "Rate"
        if self.is_upper_limit:
            lo = hi = np.full(len(self), np.nan)
        elif f"{base}Neg" in self.colnames and f"{base}Pos" in self.colnames:
            lo = np.abs(_values(self[f"{base}Neg"], unit))
            hi = np.abs(_values(self[f"{base}Pos"], unit))
        elif f"{base}Err" in self.colnames:
            lo = hi = np.abs(_values(self[f"{base}Err"], unit))
        else:
            lo = hi = np.full(len(self), np.nan)
        errors = np.vstack([lo, hi])
        return errors * unit if unit is not None else errors

    def file_name(self, *, prefix="", ext="ecsv", binning=None):
        """The file name the existing client gives this curve (``Total_rates_MJD_Observation.ecsv``)."""
        return lightcurve_file_name(self.dataset, self.meta.get("time_format"),
                                    binning or self.meta.get("binning"), prefix=prefix, ext=ext)

    def merge_bins(self, rows=None, **options):
        """Merge bins into one rate or upper limit; see `~astroquery_sxps.merge_lightcurve_bins`."""
        return merge_lightcurve_bins(self, rows, **options)

    def plot(self, **options):
        """Plot this curve; see `~astroquery_sxps.plot_lightcurve` (returns ``fig, ax``)."""
        return plot_lightcurve(self, **options)


def _values(column, unit=None):
    if isinstance(column, u.Quantity):
        return np.asarray(column.to_value(unit) if unit is not None else column.value,
                          dtype=float)
    return np.asarray(column, dtype=float)
