"""Configuration of `astroquery_sxps` (``astroquery_sxps.conf``).

Kept apart from the package's ``__init__`` so that every module can read the
settings at call time without importing the package's public face.
"""
from astropy import config as _config

__all__ = ["Conf", "conf"]


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
        "Most requests one SXPSClass instance has in flight at once, across "
        "all its calls and threads. Please keep this small: the UKSSDC is a "
        "shared service.")
    show_progress = _config.ConfigItem(
        True,
        "Show progress bars for downloads (on a terminal only). Methods with a "
        "show_progress argument override it for that call.")
    max_reply_size = _config.ConfigItem(
        256 * 2 ** 20,
        "Largest JSON reply accepted from the API, in bytes.")
    max_download_size = _config.ConfigItem(
        4 * 2 ** 30,
        "Largest file accepted in one download, in bytes.")
    max_decompressed_size = _config.ConfigItem(
        2 ** 30,
        "Largest size a gzipped file (a table epoch, a .img.gz image) may "
        "decompress to, in bytes.")
    max_extract_size = _config.ConfigItem(
        2 * 2 ** 30,
        "Largest total size of the files extracted from one archive, in bytes.")
    max_archive_members = _config.ConfigItem(
        10000,
        "Most members one archive may hold.")


conf = Conf()
