"""Light curves of SXPS sources and transients.

==================  ==================================================================
module              what it holds
==================  ==================================================================
``lightcurve``      `SXPSLightCurve`, one dataset (an astropy ``TimeSeries``)
``collection``      `LightCurveCollection`, the datasets of one source
``parse``           the ``getSXPSLC`` request, its reply, the plan of ``get_lightcurve``
``merge``           `merge_lightcurve_bins` (exact Kraft, Burrows & Nousek statistics)
``io``              writers registered with astropy's I/O registry, `save_lightcurves`
``plot``            `plot_lightcurve`
==================  ==================================================================

Columns and units of every light curve
--------------------------------------
=========================  ==========  =========================================
column                     unit        meaning
=========================  ==========  =========================================
``time``                   (Time)      bin centre: UTC for MJD, TDB for TDB
``MET``                    s           only for ``time_format='met'``: the
                                       server's Swift MET values, unchanged
``TimePos``, ``TimeNeg``   d (s: MET)  bin half-widths (``TimeNeg`` < 0)
``Rate``, ``RatePos``,     ct / s      count rate and 1-sigma errors
``RateNeg``, ``RateErr``
``UpperLimit``             ct / s      3-sigma upper limit (UL datasets)
``HR``, ``HRPos``...       --          hardness ratio and errors
``CtsInSrc``, ``BGInSrc``  ct          counts in the source region, background
``Exposure``               s           exposure
``BGrate``, ``BGerr``      ct / s      background rate (transients)
``ObsID``                  --          11-character string (``show_obs=True``)
``is_upper_limit``         --          True in upper-limit datasets
=========================  ==========  =========================================

Other columns the server sends (``CorrFact``, ``FracExp``, ``Sigma``, ``SNR``,
and any new one) are kept, dimensionless unless listed above.
"""
from . import io  # noqa: F401  (registers the writers with astropy's I/O registry)
from .collection import LightCurveCollection
from .io import save_lightcurves
from .lightcurve import SXPSLightCurve
from .merge import MergedBin, merge_lightcurve_bins
from .parse import lightcurve_plan
from .plot import plot_lightcurve

__all__ = ["SXPSLightCurve", "LightCurveCollection", "MergedBin", "merge_lightcurve_bins",
           "save_lightcurves", "plot_lightcurve", "lightcurve_plan"]
