"""plot_lightcurve with the Agg backend: the artists drawn."""
import matplotlib
matplotlib.use('Agg')
import matplotlib.lines  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import astropy.units as u  # noqa: E402
from astropy.time import Time  # noqa: E402

from astroquery_sxps import plot_lightcurve  # noqa: E402
from astroquery_sxps.exceptions import InvalidQueryError  # noqa: E402

J0621 = "LSXPS J062131.8-622213"


@pytest.fixture
def lcs(sxps):
    yield sxps.get_lightcurve(source_name=J0621, bands=['total', 'HR1'])
    plt.close('all')


def test_rates_then_limits_on_same_axes(lcs):
    fig, ax = plot_lightcurve(lcs, which_curves=('Total_rates',), ylog=True)
    assert ax.get_yscale() == 'log'
    cont = ax.containers[0]
    assert cont.has_xerr and cont.has_yerr
    x, y = cont.lines[0].get_data()
    assert len(x) == 44 and np.allclose(y, lcs['Total_rates']['Rate'].value)
    assert 'ct / s' in ax.get_ylabel() and 'MJD' in ax.get_xlabel()
    fig2, ax2 = plot_lightcurve(lcs, which_curves=('Total_UL',), ax=ax,
                                colors={'Total_UL': 'blue'})
    assert fig2 is fig and ax2 is ax
    assert len(ax.containers) == 2
    ul = ax.containers[1]
    # upper limits: arrow caps (the uplims marker) in the requested colour
    caps = ul.lines[1]
    assert len(caps) >= 1
    assert caps[0].get_marker() == matplotlib.lines.CARETDOWNBASE      # downward arrows
    assert matplotlib.colors.same_color(caps[0].get_markeredgecolor(), 'blue')
    assert ul.lines[2][0].get_color()[0][:3] == pytest.approx((0, 0, 1))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ['Total_rates', 'Total_UL (upper limits)']
    fig.canvas.draw()


def test_asymmetric_errors_and_t0(lcs):
    t0 = Time(53945.0, format='mjd')
    fig, ax = plot_lightcurve(lcs, 'Total_rates', t0=t0, xlog=True)
    assert ax.get_xscale() == 'log'
    assert 'since' in ax.get_xlabel()
    x = ax.containers[0].lines[0].get_xdata()
    assert x[0] == pytest.approx(0.873326, abs=1e-6)
    segs = ax.containers[0].lines[2][1].get_segments()      # y error bars
    lo, hi = segs[9][0][1], segs[9][1][1]
    assert lo == pytest.approx(0.008568 - 0.000901) and hi == pytest.approx(0.008568 + 0.000964)


def test_tutorial_options_file_labels_fig_and_ax(lcs, tmp_path):
    """The tutorial's plotLightCurve options: fileName, xlabel/ylabel, fig and ax; it
    returns the figure and axes."""
    path = tmp_path / "lc.png"
    fig, ax = plot_lightcurve(lcs, 'Total_rates', ylog=True, filename=path,
                              xlabel='Time (MJD)', ylabel='Rate (ct/s)')
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ax.get_xlabel() == 'Time (MJD)' and ax.get_ylabel() == 'Rate (ct/s)'
    # an existing figure (its current axes) and an existing figure with its axes
    fig2, ax2 = plot_lightcurve(lcs, 'Total_UL', fig=fig)
    assert fig2 is fig and ax2 is ax and len(ax.containers) == 2
    assert ax.get_ylabel() != 'Rate (ct/s)'            # automatic label again
    fig3, ax3 = plot_lightcurve(lcs, 'HR1', fig=fig, ax=ax)
    assert fig3 is fig and ax3 is ax and len(ax.containers) == 3
    other, axes = plt.subplots(1, 2)
    _, right = plot_lightcurve(lcs, 'HR1', fig=other, ax=axes[1])
    assert right is axes[1] and len(axes[0].containers) == 0
    # an existing file: refused before anything is drawn, unless clobber
    plt.close('all')
    before = path.stat().st_mtime_ns
    with pytest.raises(FileExistsError, match="clobber"):
        plot_lightcurve(lcs, 'Total_rates', filename=str(path))
    assert plt.get_fignums() == [] and path.stat().st_mtime_ns == before
    plot_lightcurve(lcs, 'Total_rates', filename=path, clobber=True)
    assert path.stat().st_size > 0


def test_hr_and_default_all(lcs):
    fig, ax = plot_lightcurve(lcs)
    assert len(ax.containers) == 3
    assert 'hardness' in ax.get_ylabel()
    fig, ax = plot_lightcurve(lcs, ['HR1'])
    assert ax.get_ylabel() == 'Hardness ratio'


def test_bad_arguments(lcs):
    with pytest.raises(InvalidQueryError, match='which_curves'):
        plot_lightcurve(lcs, ['Nope'])
    with pytest.raises(InvalidQueryError):
        plot_lightcurve([1, 2])


@pytest.mark.parametrize("kwargs,match", [
    (dict(which_curves=5), "which_curves must be"),
    (dict(which_curves=[]), "which_curves must be"),
    (dict(which_curves=[1]), "which_curves must be"),
    (dict(which_curves='Nope'), "not among the datasets"),
    (dict(t0='x'), "t0 must be"),
    (dict(t0=True), "t0 must be"),
    (dict(t0=float('nan')), "t0 must be"),
    (dict(t0=5 * u.m), "t0 as a Quantity"),
    (dict(t0=Time(['2010-01-01', '2011-01-01'])), "single Time"),
    (dict(ax='x'), "ax must be a matplotlib Axes"),
    (dict(xlog='x'), "xlog must be True or False"),
    (dict(ylog=1), "ylog must be True or False"),
    (dict(colors='red'), "colors must be a dict"),
    (dict(colors={'Total_rates': 'not-a-colour'}), "not matplotlib colours"),
    (dict(fig='x'), "fig must be a matplotlib Figure"),
    (dict(xlabel=5), "xlabel must be a string"),
    (dict(ylabel=['a']), "ylabel must be a string"),
    (dict(filename=5), "filename must be a file name"),
    (dict(filename=''), "filename must be a file name"),
    (dict(clobber='yes'), "clobber must be True or False"),
])
def test_arguments_validated_before_drawing(lcs, kwargs, match):
    plt.close('all')
    with pytest.raises(InvalidQueryError, match=match):
        plot_lightcurve(lcs, **kwargs)
    assert plt.get_fignums() == []


def test_ax_of_another_figure_refused(lcs):
    fig, _ = plt.subplots()
    _, other = plt.subplots()
    with pytest.raises(InvalidQueryError, match="not one of fig's axes"):
        plot_lightcurve(lcs, 'Total_rates', fig=fig, ax=other)
    assert len(other.containers) == 0


def test_t0_forms(lcs, sxps):
    _, ax = plot_lightcurve(lcs, 'Total_rates', t0=53945 * u.d)
    assert ax.get_xlabel() == 'Time since MJD 53945 (UTC) [d]'
    x0 = ax.containers[0].lines[0].get_xdata()[0]
    assert x0 == pytest.approx(lcs['Total_rates'].time[0].mjd - 53945)
    _, ax = plot_lightcurve(lcs, 'Total_rates', t0=np.float64(53945.0))
    assert ax.get_xlabel() == 'Time since MJD 53945 (UTC) [d]'
    met = sxps.get_lightcurve(source_name=J0621, bands=['total'], time_format='met')
    _, ax = plot_lightcurve(met, 'Total_rates', t0=1e8 * u.s)
    assert ax.get_xlabel() == 'Time since MET 1e+08 [s]'
    with pytest.raises(InvalidQueryError, match="MET light curve"):
        plot_lightcurve(met, 'Total_rates', t0=Time('2010-01-01'))
