"""Prepared calls: the checked objects of one product method, before any request.

Shared by the product modules (`~astroquery_sxps.spectra`,
`~astroquery_sxps.images`): the identifiers (``source_id``/``source_name`` or
``obsid``/``dataset_id``), transients and ``trans_as_source`` (the transients
are replaced by the LSXPS sources they became with one ``getSXPSTransAsSources``
call, protocol.md 3.3), the ``get_query_payload`` bodies and the shape of the
result (one object, or a dict keyed by the identifiers as supplied).

A product module subclasses `PreparedCall` with its options and `request`,
and writes its per-object fetch functions as ``fetch(prepared, call, key, **kw)``;
`PreparedCall.fetcher` binds them for ``Transport.map``.
"""
import functools
import warnings

from . import _living
from ._validation import dataset_identifiers, identifiers
from .exceptions import IgnoredOptionWarning, InvalidQueryError

__all__ = ["PreparedCall"]


class PreparedCall:
    """The objects of one call of a product method (checked; nothing sent yet).

    Build one with `for_sources` or `for_datasets`.

    Attributes
    ----------
    kind : {'source', 'dataset'}
    catalog : str
        Canonical catalogue name.
    field : str
        Wire name of the identifiers (``sourceID``, ``sourceName``, ``ObsID``, ``DatasetID``).
    values, keys : list
        The identifiers as sent, and as result keys (as supplied); after
        `resolve` with ``trans_as_source``, both are the LSXPS identifiers.
    by_key : dict
        ``keys`` -> ``values`` (duplicates collapse, the last one wins).
    multiple : bool
        A list or tuple was given: the result is a dict keyed by identifier.
    transient, trans_as_source : bool
    """

    def __init__(self, kind, catalog, field, values, keys, multiple, *, transient=False,
                 trans_as_source=False):
        self.kind = kind
        self.catalog = catalog
        self.field = field
        self.multiple = multiple
        self.transient = transient
        self.trans_as_source = trans_as_source
        self._resolved = False
        self._set_targets(values, keys)

    def _set_targets(self, values, keys):
        self.values, self.keys = list(values), list(keys)
        self.by_key = dict(zip(self.keys, self.values))

    @classmethod
    def for_sources(cls, source_id, source_name, catalog, transient=False,
                    trans_as_source=False):
        """Sources (or transients) named by ``source_id`` or ``source_name``."""
        field, values, keys, multiple = identifiers(source_id, source_name)
        if transient and catalog != "LSXPS":
            raise InvalidQueryError("Transients exist only in LSXPS: use catalog='LSXPS'.")
        return cls("source", catalog, field, values, keys, multiple, transient=transient,
                   trans_as_source=trans_as_source)

    @classmethod
    def for_datasets(cls, obsid, dataset_id, catalog):
        """Datasets named by ``obsid`` or ``dataset_id``."""
        field, values, keys, multiple = dataset_identifiers(obsid, dataset_id)
        return cls("dataset", catalog, field, values, keys, multiple)

    @property
    def pure_transient(self):
        """The transients themselves are requested (not the sources they became)."""
        return self.transient and not self.trans_as_source

    @property
    def needs_lookup(self):
        """Transients are to be replaced by their LSXPS sources (`resolve`)."""
        return self.transient and self.trans_as_source and not self._resolved

    def warn_ignored_trans_as_source(self, stacklevel=2):
        """Warn if ``trans_as_source`` is given without ``transient`` (``stacklevel`` as for
        `warnings.warn` called by the caller)."""
        if self.trans_as_source and not self.transient:
            warnings.warn("trans_as_source applies only with transient=True; ignored.",
                          IgnoredOptionWarning, stacklevel=stacklevel + 1)

    def request(self, value):
        """The `~astroquery_sxps._transport.APIRequest` for one object (per product)."""
        raise NotImplementedError

    def payload(self):
        """The ``get_query_payload`` answer: the lookup body with ``trans_as_source``, else
        the body of each object's request (one body, or a list for several objects)."""
        if self.needs_lookup:
            return _living.transient_lookup_request(self.catalog, self.field, self.values).body
        bodies = [self.request(value).body for value in self.values]
        return bodies if self.multiple or len(bodies) != 1 else bodies[0]

    def resolve(self, transport, *, skip_errors=False, cache=True):
        """With ``trans_as_source``: look the transients up (one call) and key by LSXPS source."""
        if self.needs_lookup:
            self._set_targets(*_living.transients_as_sources(
                transport, self.catalog, self.field, self.values, self.keys,
                skip_errors=skip_errors, cache=cache))
            self._resolved = True
        return self

    def fetcher(self, function, call, **kwargs):
        """``function(self, call, key, **kwargs)`` as a function of ``key`` (for
        ``Transport.map``; a partial, so warnings keep their stack levels)."""
        return functools.partial(function, self, call, **kwargs)

    def run(self, transport, call, function, *, skip_errors, cache, **kwargs):
        """Resolve transients (one look-up), then ``function`` for every object on
        the transport's bounded pool; returns the ``Transport.map`` dict."""
        self.resolve(transport, skip_errors=skip_errors, cache=cache)
        fetch = self.fetcher(function, call, cache=cache, **kwargs)
        return transport.map(fetch, list(self.by_key), skip_errors=skip_errors)

    def result(self, results):
        """``Transport.map`` results -> the dict (several objects), or the single result
        (None if it was skipped)."""
        if self.multiple:
            return results
        if not results:
            return None
        return next(iter(results.values()))
