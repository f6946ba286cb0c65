"""A quick matplotlib plot of SXPS light curves (protocol.md 5.9, done with units)."""
import numpy as np
import astropy.units as u
from astropy.time import Time
from astropy.timeseries import TimeSeries

from .exceptions import InvalidQueryError
from .lightcurves import LightCurveCollection

__all__ = ["plot_lightcurve"]


def _curves(lightcurve, which_curves):
    if isinstance(lightcurve, TimeSeries):
        name = lightcurve.meta.get("dataset", "light curve")
        return {name: lightcurve}, dict(lightcurve.meta)
    if isinstance(lightcurve, LightCurveCollection):
        curves, meta = dict(lightcurve.items()), dict(lightcurve.meta)
    elif isinstance(lightcurve, dict) and lightcurve and all(
            isinstance(v, TimeSeries) for v in lightcurve.values()):
        curves = dict(lightcurve)
        meta = dict(next(iter(curves.values())).meta)
    else:
        raise InvalidQueryError("plot_lightcurve needs a LightCurveCollection (one source), "
                                "a TimeSeries, or a dict of TimeSeries.")
    if which_curves is not None:
        wanted = [which_curves] if isinstance(which_curves, str) else list(which_curves)
        unknown = [w for w in wanted if w not in curves]
        if unknown:
            raise InvalidQueryError(f"which_curves has {unknown!r}, not among the datasets "
                                    f"{list(curves)!r}.")
        curves = {w: curves[w] for w in wanted}
    return curves, meta


def _x(ts, time_format, t0):
    """x values and half-widths in the axis unit, and the axis label."""
    pos, neg = ts["TimePos"], ts["TimeNeg"]
    if time_format == "MET" and "MET" in ts.colnames:
        x = ts["MET"].to_value(u.s)
        unit, label = u.s, "Swift MET"
        if t0 is not None:
            x = x - (t0.to_value(u.s) if isinstance(t0, u.Quantity) else float(t0))
            label = f"Time since MET {float(t0.to_value(u.s) if isinstance(t0, u.Quantity) else t0):g}"
    else:
        scale = "tdb" if time_format == "TDB" else "utc"
        t = getattr(ts.time, scale)
        if t0 is not None:
            if isinstance(t0, Time):
                x = (t - t0).to_value(u.d)
                label = f"Time since {t0.utc.isot} UTC" if scale == "utc" else \
                    f"Time since {t0.tdb.isot} TDB"
            else:
                x = t.mjd - float(t0)
                label = f"Time since MJD {float(t0):g} ({scale.upper()})"
        else:
            x = t.mjd
            label = "MJD (TDB)" if scale == "tdb" else "MJD (UTC)"
        unit = u.d
    half_unit = pos.unit if isinstance(pos, u.Quantity) and pos.unit is not None else unit
    xpos = (np.asarray(pos.value if isinstance(pos, u.Quantity) else pos) * half_unit).to_value(unit)
    xneg = (np.asarray(neg.value if isinstance(neg, u.Quantity) else neg) * half_unit).to_value(unit)
    return np.asarray(x, dtype=float), np.abs(xneg), np.abs(xpos), f"{label} [{unit}]"


def _yerr(ts, value, pos, neg, err):
    if pos in ts.colnames and neg in ts.colnames:
        lo = np.abs(np.asarray(getattr(ts[neg], "value", ts[neg]), dtype=float))
        hi = np.abs(np.asarray(getattr(ts[pos], "value", ts[pos]), dtype=float))
        return np.vstack([lo, hi])
    if err in ts.colnames:
        e = np.abs(np.asarray(getattr(ts[err], "value", ts[err]), dtype=float))
        return np.vstack([e, e])
    return None


def plot_lightcurve(lightcurve, which_curves=None, *, ax=None, xlog=False, ylog=False,
                    colors=None, t0=None):
    """Plot light curves: rates with asymmetric errors, upper limits as arrows.

    Tutorial (``plotLightCurve``) -> here: ``lcData`` -> ``lightcurve``,
    ``whichCurves`` -> ``which_curves``, ``cols`` -> ``colors``, ``T0`` ->
    ``t0``, ``fig``/``ax`` -> ``ax``. Save or show the figure with
    matplotlib (``fig.savefig``).

    Parameters
    ----------
    lightcurve : `~astroquery_sxps.LightCurveCollection`, TimeSeries or dict of TimeSeries
        One source's light curves.
    which_curves : str or list of str, optional
        Dataset names to plot (default: all).
    ax : `matplotlib.axes.Axes`, optional
        Draw onto these axes (e.g. to add the limits to a plot of the rates);
        by default a new figure is made.
    xlog, ylog : bool
        Logarithmic axes.
    colors : dict, optional
        Dataset name -> matplotlib colour. Others take the colour cycle.
    t0 : `~astropy.time.Time`, float or Quantity, optional
        Zero point of the x axis: a Time, an MJD (same scale as the data), or
        for MET curves a MET in s.

    Returns
    -------
    fig : `matplotlib.figure.Figure`
    ax : `matplotlib.axes.Axes`

    Examples
    --------
    >>> from astroquery_sxps import SXPS, plot_lightcurve
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> fig, ax = plot_lightcurve(lcs, ['Total_rates', 'Total_UL'],
    ...                           ylog=True)  # doctest: +REMOTE_DATA +SKIP
    >>> fig.savefig('lc.png')  # doctest: +SKIP
    """
    curves, meta = _curves(lightcurve, which_curves)
    if colors is not None and not isinstance(colors, dict):
        raise InvalidQueryError("colors must be a dict of dataset name -> colour.")
    colors = dict(colors or {})
    if ax is None:
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
    fig = ax.figure
    cycle = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    n_existing = len(ax.containers)
    kinds = set()
    xlabel = None
    for i, (name, ts) in enumerate(curves.items()):
        if len(ts) == 0:
            continue
        fmt = ts.meta.get("TimeFormat", meta.get("TimeFormat", "MJD"))
        x, xlo, xhi, xlabel = _x(ts, fmt, t0)
        color = colors.get(name, cycle[(n_existing + i) % len(cycle)])
        is_ul = bool(ts.meta.get("is_upper_limit", "UpperLimit" in ts.colnames))
        if is_ul and "UpperLimit" in ts.colnames:
            y = ts["UpperLimit"].to_value(u.ct / u.s)
            # arrow length: a fixed fraction of the value (log-friendly)
            ax.errorbar(x, y, xerr=[xlo, xhi], yerr=0.3 * y, uplims=True, fmt="none", color=color,
                        ecolor=color, label=f"{name} (upper limits)")
            kinds.add("rate")
        elif "HR" in ts.colnames:
            y = np.asarray(ts["HR"], dtype=float)
            ax.errorbar(x, y, xerr=[xlo, xhi], yerr=_yerr(ts, "HR", "HRPos", "HRNeg", "HRErr"),
                        fmt="o", ms=3, color=color, label=name)
            kinds.add("hr")
        elif "Rate" in ts.colnames:
            y = ts["Rate"].to_value(u.ct / u.s)
            ax.errorbar(x, y, xerr=[xlo, xhi],
                        yerr=_yerr(ts, "Rate", "RatePos", "RateNeg", "RateErr"),
                        fmt="o", ms=3, color=color, label=name)
            kinds.add("rate")
    if xlabel:
        ax.set_xlabel(xlabel)
    if kinds == {"hr"}:
        ax.set_ylabel("Hardness ratio")
    elif kinds == {"rate"}:
        ax.set_ylabel(f"Count rate [{(u.ct / u.s).to_string()}]")
    elif kinds:
        ax.set_ylabel(f"Count rate [{(u.ct / u.s).to_string()}] or hardness ratio")
    if xlog:
        ax.set_xscale("log")
    if ylog:
        ax.set_yscale("log")
    title = meta.get("Identifier")
    if title is not None and not ax.get_title():
        ax.set_title(str(title))
    if ax.containers:
        ax.legend()
    return fig, ax
