"""
Swift-XRT Point Source catalogues (LSXPS, 2SXPS) at the UK Swift Science Data Centre
====================================================================================

An astroquery module for the living Swift-XRT point source catalogue (LSXPS)
and 2SXPS: upper limits, light curves, spectra, images, source, dataset and
transient details and the full catalogue tables, all returned as astropy
objects.
"""
from astropy import config as _config

__all__ = ["conf", "Conf", "SXPS", "SXPSClass"]
__all__ += ["merge_upper_limits", "kbn_interval"]
__all__ += ["LightCurveCollection", "merge_lightcurve_bins", "save_lightcurves",
            "plot_lightcurve"]


class Conf(_config.ConfigNamespace):
    """Configuration parameters for `astroquery_sxps`."""

    server = _config.ConfigItem(
        "https://www.swift.ac.uk/API/main.php",
        "URL of the UKSSDC JSON API endpoint.")
    timeout = _config.ConfigItem(
        330.0,
        "Time limit (s) for one HTTP request. The server may legitimately "
        "take about 5 minutes over an upper-limit calculation.")
    retries = _config.ConfigItem(
        3,
        "How many times a request is retried after a connection error or an "
        "HTTP 5xx reply.")
    retry_backoff = _config.ConfigItem(
        1.0,
        "Base of the exponential back-off between retries (s): attempt k waits "
        "retry_backoff * 2**(k-1).")
    upper_limit_wait = _config.ConfigItem(
        600.0,
        "Time budget (s) for polling an upper-limit job that the server "
        "reported as TIMEOUT before UpperLimitPending is raised.")
    upper_limit_poll_interval = _config.ConfigItem(
        30.0,
        "Interval (s) between polls of a timed-out upper-limit job.")
    max_workers = _config.ConfigItem(
        4,
        "Number of concurrent requests for multi-object calls. Please keep "
        "this small: the UKSSDC is a shared service.")


conf = Conf()

from .core import SXPS, SXPSClass  # noqa: E402
from .spectra import open_spectrum_files  # noqa: E402
from .images import DatasetImages  # noqa: E402
__all__ += ["open_spectrum_files", "DatasetImages"]
from .bayes import kbn_interval, merge_upper_limits  # noqa: E402
from .lightcurves import LightCurveCollection, merge_lightcurve_bins  # noqa: E402
from .lightcurve_io import save_lightcurves  # noqa: E402
from .plotting import plot_lightcurve  # noqa: E402
from .details import DatasetDetails, SourceDetails, TransientDetails  # noqa: E402
from .obslist import ObsList  # noqa: E402
from .product_request import ProductRequestSpec  # noqa: E402
__all__ += ["SourceDetails", "DatasetDetails", "TransientDetails", "ObsList",
            "ProductRequestSpec"]
from .scale import (BatchAbortedError, JournalMismatchError, XRT_FIELD_RADIUS,  # noqa: E402
                    to_hats)
__all__ += ["BatchAbortedError", "JournalMismatchError", "XRT_FIELD_RADIUS", "to_hats"]
