"""
Swift-XRT Point Source catalogues (LSXPS, 2SXPS) at the UK Swift Science Data Centre
====================================================================================

An astroquery module for the living Swift-XRT point source catalogue (LSXPS)
and 2SXPS: upper limits, light curves, spectra, images, source, dataset and
transient details and the full catalogue tables, all returned as astropy
objects.
"""
from ._conf import Conf, conf
from ._results import SXPSTable
from . import _votable  # noqa: F401  (registers the VOTable writer and reader of SXPSTable)
from .core import SXPS, SXPSClass
from .interop import find_counterparts, send_image, send_table, to_flux
from .lightcurves import (LightCurveCollection, SXPSLightCurve, merge_lightcurve_bins,
                          plot_lightcurve, save_lightcurves)
from .products import DatasetImages, SourceImages, open_spectrum_files
from .scale import XRT_FIELD_RADIUS, to_hats
from .sources import DatasetDetails, ObsList, ProductRequestSpec, SourceDetails, TransientDetails
from .stats import kbn_interval, merge_upper_limits
from .exceptions import BatchAbortedError, JournalMismatchError

__all__ = ["conf", "Conf", "SXPS", "SXPSClass", "SXPSTable",
           "merge_upper_limits", "kbn_interval",
           "SXPSLightCurve", "LightCurveCollection", "merge_lightcurve_bins",
           "save_lightcurves", "plot_lightcurve",
           "open_spectrum_files", "DatasetImages", "SourceImages",
           "SourceDetails", "DatasetDetails", "TransientDetails", "ObsList",
           "ProductRequestSpec", "send_table", "send_image", "to_flux",
           "find_counterparts", "BatchAbortedError", "JournalMismatchError",
           "XRT_FIELD_RADIUS", "to_hats"]
