"""A quick matplotlib plot of SXPS light curves, with units.

It takes one light curve (any `~astropy.timeseries.TimeSeries` with the
server's columns) or a mapping of them (a `~astroquery_sxps.LightCurveCollection`),
so it imports neither class.
"""
import collections.abc
import numbers
import os
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.time import Time, TimeDelta
from astropy.timeseries import TimeSeries

from ..exceptions import InvalidQueryError
from .export import error_columns, error_pair, holds_upper_limits

__all__ = ["plot_lightcurve"]


def _curves(lightcurve, which_curves):
    if isinstance(lightcurve, TimeSeries):
        name = lightcurve.meta.get("dataset", "light curve")
        return {name: lightcurve}, dict(lightcurve.meta)
    if isinstance(lightcurve, collections.abc.Mapping) and lightcurve and all(
            isinstance(v, TimeSeries) for v in lightcurve.values()):
        curves = dict(lightcurve.items())
        meta = dict(getattr(lightcurve, "meta", None) or next(iter(curves.values())).meta)
    else:
        raise InvalidQueryError("plot_lightcurve needs a LightCurveCollection (one source), "
                                "a TimeSeries, or a dict of TimeSeries.")
    if which_curves is not None:
        if isinstance(which_curves, str):
            wanted = [which_curves]
        elif isinstance(which_curves, (list, tuple)) and which_curves and all(
                isinstance(w, str) for w in which_curves):
            wanted = list(which_curves)
        else:
            raise InvalidQueryError(
                "which_curves must be a dataset name or a non-empty list of dataset names "
                f"among {list(curves)!r}, not {which_curves!r}.")
        unknown = [w for w in wanted if w not in curves]
        if unknown:
            raise InvalidQueryError(f"which_curves has {unknown!r}, not among the datasets "
                                    f"{list(curves)!r}.")
        curves = {w: curves[w] for w in wanted}
    return curves, meta


def _check_t0(t0):
    """``t0``: None, a scalar `~astropy.time.Time`, a real number (MJD, or MET in s for
    MET curves) or a scalar time Quantity."""
    if t0 is None:
        return None
    if isinstance(t0, Time):
        if not t0.isscalar:
            raise InvalidQueryError("t0 must be a single Time, not an array of "
                                    f"{t0.size}.")
        return t0
    if isinstance(t0, u.Quantity):
        if not t0.isscalar or not t0.unit.is_equivalent(u.s) or not np.isfinite(t0.value):
            raise InvalidQueryError(f"t0 as a Quantity must be one finite time (e.g. "
                                    f"59000 * u.d, or a MET in s), not {t0!r}.")
        return t0
    if isinstance(t0, numbers.Real) and not isinstance(t0, (bool, np.bool_)) \
            and np.isfinite(t0):
        return float(t0)
    raise InvalidQueryError("t0 must be an astropy Time, a number (an MJD, or a MET in s "
                            f"for MET curves) or a time Quantity, not {t0!r}.")


def _t0_value(t0, unit):
    """A number or Quantity ``t0`` in ``unit`` (d for MJD, s for MET)."""
    return t0.to_value(unit) if isinstance(t0, u.Quantity) else float(t0)


def _x(ts, time_format, t0):
    """x values and half-widths in the axis unit, and the axis label."""
    pos, neg = ts["TimePos"], ts["TimeNeg"]
    if time_format == "MET" and "MET" in ts.colnames:
        x = ts["MET"].to_value(u.s)
        unit, label = u.s, "Swift MET"
        if t0 is not None:
            x = x - _t0_value(t0, u.s)
            label = f"Time since MET {_t0_value(t0, u.s):g}"
    elif isinstance(ts.time, TimeDelta):      # a folded curve (TimeSeries.fold)
        x, unit, label = ts.time.to_value(u.d), u.d, "Phase (time since the epoch)"
    else:
        scale = "tdb" if time_format == "TDB" else "utc"
        t = getattr(ts.time, scale)
        if t0 is not None:
            if isinstance(t0, Time):
                x = (t - t0).to_value(u.d)
                label = f"Time since {t0.utc.isot} UTC" if scale == "utc" else \
                    f"Time since {t0.tdb.isot} TDB"
            else:
                x = t.mjd - _t0_value(t0, u.d)
                label = f"Time since MJD {_t0_value(t0, u.d):g} ({scale.upper()})"
        else:
            x = t.mjd
            label = "MJD (TDB)" if scale == "tdb" else "MJD (UTC)"
        unit = u.d
    half_unit = pos.unit if isinstance(pos, u.Quantity) and pos.unit is not None else unit
    xpos = (np.asarray(pos.value if isinstance(pos, u.Quantity) else pos) * half_unit).to_value(unit)
    xneg = (np.asarray(neg.value if isinstance(neg, u.Quantity) else neg) * half_unit).to_value(unit)
    return np.asarray(x, dtype=float), np.abs(xneg), np.abs(xpos), f"{label} [{unit}]"


def _yerr(ts, base, unit=None):
    """The error bars of ``base`` in ``unit`` (that of the plotted values; None: the
    columns' own), or None when the curve has no error columns."""
    if error_columns(ts, base) is None:
        return None
    return np.vstack(error_pair(ts, base, unit))


def plot_lightcurve(lightcurve, which_curves=None, *, fig=None, ax=None, xlog=False,
                    ylog=False, colors=None, t0=None, xlabel=None, ylabel=None,
                    filename=None, clobber=False):
    """Plot light curves: rates with asymmetric errors, upper limits as arrows.

    Tutorial (``plotLightCurve``) -> here: ``lcData`` -> ``lightcurve``,
    ``whichCurves`` -> ``which_curves``, ``cols`` -> ``colors``, ``T0`` ->
    ``t0``, ``fileName`` -> ``filename``; ``fig``, ``ax``, ``xlog``,
    ``ylog``, ``xlabel``, ``ylabel`` and ``clobber`` keep their names.

    Parameters
    ----------
    lightcurve : `~astroquery_sxps.LightCurveCollection`, TimeSeries or dict of TimeSeries
        One source's light curves.
    which_curves : str or list of str, optional
        Dataset name(s) to plot, each present in ``lightcurve`` (default: all).
    fig : `matplotlib.figure.Figure`, optional
        Draw into this figure (onto ``ax`` if given, which must belong to it,
        else onto its current axes).
    ax : `matplotlib.axes.Axes`, optional
        Draw onto these axes (e.g. to add the limits to a plot of the rates);
        by default a new figure is made.
    xlog, ylog : bool
        Logarithmic axes.
    colors : dict, optional
        Dataset name -> matplotlib colour. Others take the colour cycle.
    t0 : `~astropy.time.Time`, float or Quantity, optional
        Zero point of the x axis: a scalar Time, an MJD (a number, or a time
        Quantity such as ``59000 * u.d``; same scale as the data), or for MET
        curves a MET (a number of seconds or a time Quantity; not a Time).
    xlabel, ylabel : str, optional
        Axis labels instead of the automatic ones (which name the time scale
        and the units).
    filename : str or path-like, optional
        Also save the figure to this file (``fig.savefig``; the format from
        its extension).
    clobber : bool
        Replace an existing ``filename``; without it an existing file raises
        `FileExistsError` before anything is drawn.

    Returns
    -------
    fig : `matplotlib.figure.Figure`
    ax : `matplotlib.axes.Axes`

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        A bad argument (before anything is drawn): ``which_curves`` not a
        name or list of names in ``lightcurve``, ``t0`` not a Time, number or
        time Quantity (or a Time for MET curves), ``fig`` not a Figure,
        ``ax`` not an Axes (or not one of ``fig``'s), ``xlog``/``ylog``/
        ``clobber`` not bool, ``colors`` not a dict of colours,
        ``xlabel``/``ylabel`` not text, ``filename`` not a path.
    FileExistsError
        ``filename`` exists and ``clobber=False`` (nothing is drawn).

    Examples
    --------
    >>> from astroquery_sxps import SXPS, plot_lightcurve
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213')  # doctest: +REMOTE_DATA
    >>> fig, ax = plot_lightcurve(lcs, ['Total_rates'], ylog=True)  # doctest: +REMOTE_DATA
    >>> fig, ax = plot_lightcurve(lcs, ['Total_UL'], fig=fig, ax=ax, ylog=True,
    ...                           colors={'Total_UL': 'blue'}, ylabel='Rate (ct/s)',
    ...                           filename='lc.png', clobber=True)  # doctest: +REMOTE_DATA
    >>> ax.get_ylabel()  # doctest: +REMOTE_DATA
    'Rate (ct/s)'
    """
    import matplotlib
    from matplotlib.axes import Axes
    from matplotlib.colors import is_color_like
    from matplotlib.figure import Figure

    curves, meta = _curves(lightcurve, which_curves)
    for name, value in (("xlog", xlog), ("ylog", ylog), ("clobber", clobber)):
        if not isinstance(value, (bool, np.bool_)):
            raise InvalidQueryError(f"{name} must be True or False, not {value!r}.")
    for name, value in (("xlabel", xlabel), ("ylabel", ylabel)):
        if value is not None and not isinstance(value, str):
            raise InvalidQueryError(f"{name} must be a string (or None for the automatic "
                                    f"label), not {value!r}.")
    if filename is not None:
        if not isinstance(filename, (str, os.PathLike)) or not str(filename).strip():
            raise InvalidQueryError(f"filename must be a file name (a non-empty str or "
                                    f"pathlib.Path), not {filename!r}.")
        if Path(filename).exists() and not clobber:
            raise FileExistsError(f"{filename} exists and clobber=False; nothing was drawn.")
    if colors is not None:
        if not isinstance(colors, dict):
            raise InvalidQueryError("colors must be a dict of dataset name -> matplotlib "
                                    f"colour, not {colors!r}.")
        bad = {k: v for k, v in colors.items() if not is_color_like(v)}
        if bad:
            raise InvalidQueryError(f"colors has values that are not matplotlib colours: "
                                    f"{bad!r}.")
    colors = dict(colors or {})
    if ax is not None and not isinstance(ax, Axes):
        raise InvalidQueryError(f"ax must be a matplotlib Axes (or None for a new figure), "
                                f"not {type(ax).__name__}.")
    if fig is not None:
        if not isinstance(fig, Figure):
            raise InvalidQueryError(f"fig must be a matplotlib Figure (or None), not "
                                    f"{type(fig).__name__}.")
        if ax is not None and ax.figure is not fig:
            raise InvalidQueryError("ax is not one of fig's axes: give the axes of fig, or "
                                    "only one of them.")
    t0 = _check_t0(t0)
    is_met = [ts.meta.get("time_format", meta.get("time_format", "MJD")) == "MET"
              and "MET" in ts.colnames for ts in curves.values()]
    if isinstance(t0, Time) and any(is_met):
        raise InvalidQueryError("t0 for a MET light curve must be a MET (a number of seconds "
                                "or a Quantity), not a Time.")
    if ax is None and fig is not None:
        ax = fig.gca()
    if ax is None:
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
    fig = ax.figure
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    n_existing = len(ax.containers)
    kinds = set()
    auto_xlabel = None
    for i, (name, ts) in enumerate(curves.items()):
        if len(ts) == 0:
            continue
        fmt = ts.meta.get("time_format", meta.get("time_format", "MJD"))
        x, xlo, xhi, auto_xlabel = _x(ts, fmt, t0)
        color = colors.get(name, cycle[(n_existing + i) % len(cycle)])
        is_ul = holds_upper_limits(ts)
        if is_ul and "UpperLimit" in ts.colnames:
            y = ts["UpperLimit"].to_value(u.ct / u.s)
            # arrow length: a fixed fraction of the value (log-friendly)
            ax.errorbar(x, y, xerr=[xlo, xhi], yerr=0.3 * y, uplims=True, fmt="none", color=color,
                        ecolor=color, label=f"{name} (upper limits)")
            kinds.add("rate")
        elif "HR" in ts.colnames:
            y = np.asarray(ts["HR"], dtype=float)
            ax.errorbar(x, y, xerr=[xlo, xhi], yerr=_yerr(ts, "HR"),
                        fmt="o", ms=3, color=color, label=name)
            kinds.add("hr")
        elif "Rate" in ts.colnames:
            y = ts["Rate"].to_value(u.ct / u.s)
            ax.errorbar(x, y, xerr=[xlo, xhi],
                        yerr=_yerr(ts, "Rate", u.ct / u.s),
                        fmt="o", ms=3, color=color, label=name)
            kinds.add("rate")
    if xlabel is not None or auto_xlabel:
        ax.set_xlabel(xlabel if xlabel is not None else auto_xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    elif kinds == {"hr"}:
        ax.set_ylabel("Hardness ratio")
    elif kinds == {"rate"}:
        ax.set_ylabel(f"Count rate [{(u.ct / u.s).to_string()}]")
    elif kinds:
        ax.set_ylabel(f"Count rate [{(u.ct / u.s).to_string()}] or hardness ratio")
    if xlog:
        ax.set_xscale("log")
    if ylog:
        ax.set_yscale("log")
    title = meta.get("identifier")
    if title is not None and not ax.get_title():
        ax.set_title(str(title))
    if ax.containers:
        ax.legend()
    if filename is not None:
        fig.savefig(filename)
    return fig, ax
