"""The query class: a thin list of public methods.

Each method checks its arguments, describes its call(s) as
`~astroquery_sxps._transport.APIRequest` objects built by the module that owns
that product, sends them through the shared `~astroquery_sxps._transport.Transport`
and hands the reply to that module's parser. ``get_query_payload=True``
returns the JSON body (or list of bodies) instead of sending anything.
"""
from astroquery.query import BaseQuery
from astroquery.utils import async_to_sync  # noqa: F401  (used by product sections)

from . import conf
from ._transport import Transport

__all__ = ["SXPS", "SXPSClass"]


class SXPSClass(BaseQuery):
    """Query the Swift-XRT Point Source catalogues (LSXPS, 2SXPS) at the UKSSDC.

    Parameters
    ----------
    server : str, optional
        URL of the UKSSDC JSON API; defaults to ``conf.server`` (read at call
        time). Point it at the local emulator for offline work and tests.

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> ul = SXPS.query_upper_limit('334.502058 -8.256481')  # doctest: +REMOTE_DATA
    """

    def __init__(self, server=None):
        super().__init__()
        self._server = server
        self._transport = Transport(self, lambda: self.server)

    @property
    def server(self):
        """The API endpoint in use (this instance's, else ``conf.server``)."""
        return self._server or conf.server

    @server.setter
    def server(self, value):
        self._server = value

    # Helpers shared by the product sections ---------------------------------
    def _call(self, request, cache=True):
        return self._transport.call(request, cache=cache)

    @staticmethod
    def _payloads(requests, multiple=False):
        """Bodies for ``get_query_payload=True``: one dict, or a list for several."""
        bodies = [r.body for r in requests]
        return bodies if multiple or len(bodies) != 1 else bodies[0]

    # === Upper limits (issue 3) ==============================================

    # === Sources, datasets, transients, tables, queries (issue 4) ============

    # === Light curves (issue 5) ==============================================

    # === Spectra and images (issue 6) ========================================


SXPS = SXPSClass()
