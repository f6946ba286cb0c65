"""`SXPSLightCurve`: one SXPS light curve, an astropy `~astropy.timeseries.TimeSeries`.

In the manner of lightkurve's ``LightCurve``: a TimeSeries with the server's
columns (see `astroquery_sxps.lightcurves` for the list), plus what a user
reaches for: `rate` and `rate_err`, `is_upper_limit`, `merge_bins`, `bin`
(exact Poisson rebinning), `to_lightkurve` and `plot`. astropy's own
``fold``, `~astropy.timeseries.aggregate_downsample` and
`~astropy.timeseries.LombScargle` work on it as on any TimeSeries.
Writers for QDP and the existing client's ``.dat`` text are registered with
astropy's I/O registry (`astroquery_sxps.lightcurves.io`), so
``lc.write('x.qdp', format='sxps.qdp')`` works, as do astropy's own ECSV and
FITS writers.
"""
import numpy as np
from astropy.timeseries import TimeSeries

from .binning import bin_lightcurve
from .export import error_pair, holds_hardness_ratios, holds_upper_limits, to_lightkurve
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
        return holds_upper_limits(self)

    @property
    def is_hardness_ratio(self):
        """True when this dataset holds hardness ratios."""
        return holds_hardness_ratios(self)

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
        else:
            lo, hi = error_pair(self, base, unit)
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

    def bin(self, time_bin_size, *, time_bin_start=None, n_bins=None, sigma=3,
            confidence=None, det_thresh=None):
        """Merge the bins into wider time bins with exact Poisson statistics.

        The bins whose centres fall in each interval of ``time_bin_size``
        (from ``time_bin_start``) are merged as by
        `~astroquery_sxps.merge_lightcurve_bins`: counts, background and
        exposure are summed and the exact Kraft, Burrows & Nousek interval
        gives a rate with its 1-sigma errors, or an upper limit where the
        merged bin is not a detection at ``det_thresh``. Errors are never
        averaged. Empty intervals give no row.

        To merge detections and non-detections together (the honest way to
        rebin), stack the rates and upper-limit curves of a band first:
        ``vstack([lcs['Total_rates'], lcs['Total_UL']], join_type='inner')``.

        Parameters
        ----------
        time_bin_size : `~astropy.units.Quantity`
            Width of the new bins (a time).
        time_bin_start : `~astropy.time.Time`, optional
            Start of the first bin (default: the start of the earliest bin).
        n_bins : int, optional
            Number of bins (default: as many as needed).
        sigma, confidence, det_thresh : float, optional
            Upper-limit level (Gaussian sigma, or a probability) and detection
            threshold, as for `~astroquery_sxps.merge_lightcurve_bins`.

        Returns
        -------
        `SXPSLightCurve`
            One row per non-empty bin: ``time`` (the mean of the merged
            centres), ``TimePos``/``TimeNeg`` (covering the merged bins),
            ``Rate``, ``RatePos``, ``RateNeg`` (NaN for limits), ``UpperLimit``
            (NaN for rates), the summed ``CtsInSrc``, ``BGInSrc``,
            ``Exposure``, ``CorrFact``, ``MergedBins`` (how many bins) and a
            per-row ``is_upper_limit``. ``meta`` adds ``time_bin_size``,
            ``time_bin_start``, ``confidence`` and ``detection_confidence``.

        Examples
        --------
        >>> import astropy.units as u
        >>> from astroquery_sxps import SXPS
        >>> lc = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')['Total_rates']  # doctest: +REMOTE_DATA
        >>> yearly = lc.bin(365.25 * u.d)  # doctest: +REMOTE_DATA
        >>> int(yearly['MergedBins'].sum()) == len(lc)  # doctest: +REMOTE_DATA
        True
        """
        return bin_lightcurve(self, time_bin_size, time_bin_start=time_bin_start,
                              n_bins=n_bins, sigma=sigma, confidence=confidence,
                              det_thresh=det_thresh)

    def to_lightkurve(self, *, flux=None, upper_limits="flag"):
        """This curve as a `lightkurve.LightCurve` (needs the optional extra ``lightkurve``).

        ``flux``/``flux_err`` come from the count rate (``Rate``, ct / s) or,
        after `~astroquery_sxps.to_flux`, from the flux (``Flux``,
        erg / (cm2 s)). lightkurve has one symmetric error: ``flux_err`` is
        the mean of the lower and upper 1-sigma errors, which are kept as
        ``flux_err_lower`` and ``flux_err_upper``. Upper limits have the
        limit as ``flux``, NaN ``flux_err`` and ``is_upper_limit`` True, or
        are left out with ``upper_limits='drop'``. ``TimePos``, ``TimeNeg``,
        ``Exposure``, ``CtsInSrc``, ``BGInSrc`` and ``ObsID`` are kept.

        Parameters
        ----------
        flux : {'rate', 'flux'}, optional
            Default: ``'flux'`` when the curve has flux columns, else ``'rate'``.
        upper_limits : {'flag', 'drop'}

        Returns
        -------
        `lightkurve.LightCurve`

        Raises
        ------
        ImportError
            lightkurve is not installed.
        astroquery.exceptions.InvalidQueryError
            A hardness-ratio curve, ``flux='flux'`` without flux columns, or a
            bad option.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> lc = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')['Total_rates']  # doctest: +REMOTE_DATA
        >>> lk = lc.to_lightkurve()  # doctest: +REMOTE_DATA +SKIP
        >>> lk.flux.unit  # doctest: +REMOTE_DATA +SKIP
        Unit("ct / s")
        """
        return to_lightkurve(self, flux=flux, upper_limits=upper_limits)
