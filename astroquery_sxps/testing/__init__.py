"""Offline testing support: a local emulator of the UKSSDC SXPS API.

* `SXPSEmulator` - a real HTTP server on 127.0.0.1 speaking the protocol, with
  faults on demand and request counters;
* the pytest fixtures ``sxps_server`` (a running emulator, reset for every
  test) and ``sxps`` (an `~astroquery_sxps.SXPSClass` pointed at it with a
  private cache), registered as a pytest plugin when the package is installed,
  so your own scripts can be tested offline too;
* ``python -m astroquery_sxps.testing --port N`` runs it from the shell.
"""
from .server import SXPSEmulator, APIError, api_function, file_route

__all__ = ["SXPSEmulator", "APIError", "api_function", "file_route"]
