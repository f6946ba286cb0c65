"""Plans: what one public call will do, described before anything is sent.

Every public method of `~astroquery_sxps.SXPSClass` checks its arguments and
builds one `Plan`; then it either returns ``plan.payload()`` (for
``get_query_payload=True``) or ``plan.execute(transport, cache=cache)``.
What every call shares lives here, once:

* the objects of the call (`Targets`): identifiers as sent and as supplied,
  one object or several (a dict keyed as supplied);
* an optional look-up that replaces them first (`Lookup`: transients become
  the LSXPS sources they turned into);
* records already at hand that need no request (``known``);
* one fetch per object on the transport's bounded pool, ``skip_errors``;
* the cache rule: the call is one `~astroquery_sxps._transport.Transport.operation`,
  so replies it fetched are cached only if it succeeds.

Product modules write the per-object work as ``fetch(context, key, value)``,
where the `Context` is the transport with this call's ``cache`` setting.
"""
from dataclasses import dataclass

from ._validation import dataset_identifiers, identifiers
from .exceptions import SXPSResponseError

__all__ = ["Context", "Lookup", "Plan", "Targets"]


@dataclass
class Targets:
    """The objects one call is about.

    Attributes
    ----------
    field : str or None
        Wire name of the identifiers (``sourceID``, ``sourceName``, ``ObsID``,
        ``DatasetID``...), None for a call about no particular object.
    values : list
        The identifiers as sent.
    keys : list
        The identifiers as supplied: the keys of a multi-object result.
    multiple : bool
        A list or tuple was supplied: the result is a dict keyed by ``keys``.
    """

    field: object
    values: list
    keys: list
    multiple: bool

    @classmethod
    def sources(cls, source_id=None, source_name=None):
        """Sources or transients, from exactly one of ``source_id``/``source_name``."""
        return cls(*identifiers(source_id, source_name))

    @classmethod
    def datasets(cls, obsid=None, dataset_id=None):
        """Datasets, from exactly one of ``obsid``/``dataset_id``."""
        return cls(*dataset_identifiers(obsid, dataset_id))

    @classmethod
    def listed(cls, field, values, keys=None, multiple=True):
        """Targets from checked lists (``keys`` default to ``values``)."""
        values = list(values)
        return cls(field, values, list(values if keys is None else keys), multiple)

    @classmethod
    def single(cls):
        """A call about no particular object (one fetch, its result returned as is)."""
        return cls(None, [None], [None], False)

    @property
    def by_key(self):
        """``key -> value`` (a repeated key keeps its last value, as in the existing client)."""
        return dict(zip(self.keys, self.values))


@dataclass
class Lookup:
    """A request to send before the others, whose reply gives new targets.

    Attributes
    ----------
    request : `~astroquery_sxps._transport.APIRequest`
        What ``get_query_payload=True`` shows for the call.
    resolve : callable
        ``resolve(context, targets, skip_errors)`` -> new `Targets`.
    """

    request: object
    resolve: object


class Context:
    """What a plan's fetch functions may use: the transport, with this call's ``cache``.

    Product modules never hold the transport itself; they call these methods.
    """

    def __init__(self, transport, cache=True):
        self._transport = transport
        self.cache = bool(cache)

    def call(self, request):
        """Send one `~astroquery_sxps._transport.APIRequest`; the validated reply."""
        return self._transport.call(request, cache=self.cache)

    def is_cached(self, request):
        """True if a reply to ``request`` would come from the cache."""
        return self.cache and self._transport.is_cached(request)

    def forget(self, request):
        """Drop the cached reply of ``request``."""
        self._transport.forget(request)

    def map(self, function, keys, *, skip_errors=False, then=None):
        """``function(key)`` for every key on the bounded pool (see `Transport.map`)."""
        return self._transport.map(function, keys, skip_errors=skip_errors, then=then)

    def download(self, url, path, **options):
        """Download ``url`` to ``path`` (see `Transport.download`)."""
        return self._transport.download(url, path, **options)

    def cached_file(self, url, name, **options):
        """The cached copy of ``url`` (see `Transport.cached_file`); honours ``cache``."""
        return self._transport.cached_file(url, name, cache=self.cache, **options)

    def copy_file(self, source, directory, **options):
        """Copy a (cached) file into ``directory`` (see `Transport.copy_file`)."""
        return self._transport.copy_file(source, directory, **options)

    def progress(self, total, label):
        """One progress bar over ``total`` steps (see `Transport.progress`)."""
        return self._transport.progress(total, label)

    def derived_folder(self, *names):
        """A folder in the cache for derived files (see `Transport.derived_folder`)."""
        return self._transport.derived_folder(*names)

    def run(self, plan):
        """Execute another plan within this call (same transport, same ``cache``)."""
        return plan.execute(self._transport, cache=self.cache)


#: What reading a reply of the wrong shape raises inside a parser.
_READING_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError)


def _guarded(function):
    """``function(key, ...)``, with the errors a malformed reply raises inside a parser
    turned into `~astroquery_sxps.exceptions.SXPSResponseError` naming the object: the
    transport checks the shape of every reply, and this is the net under that check."""
    def run(key, *args):
        try:
            return function(key, *args)
        except _READING_ERRORS as exc:
            raise SXPSResponseError(f"The reply about {key!r} could not be read "
                                    f"({type(exc).__name__}: {exc}).") from exc
    return run


class Plan:
    """The work of one public call.

    Parameters
    ----------
    fetch : callable
        ``fetch(context, key, value)`` -> the result for one object (network
        work, run on the transport's pool).
    read : callable, optional
        ``read(key, value, fetched)`` -> the result, from what ``fetch``
        returned: CPU-bound reading (parsing replies into astropy objects),
        run in the caller's thread while the pool fetches the next objects.
    targets : `Targets`, optional
        The objects (default: `Targets.single`).
    requests : callable, optional
        ``requests(value)`` -> the `~astroquery_sxps._transport.APIRequest`
        (or list of them) sent for one object; their bodies are the payload.
    lookup : `Lookup`, optional
        Sent first; its reply replaces the targets.
    known : dict or callable, optional
        ``key -> result`` already at hand (not fetched), or
        ``known(targets)`` giving it for the targets (after the look-up).
    skip_errors : bool
        Leave out (logged) objects the server does not have.
    finish : callable, optional
        ``finish(results)`` -> the call's result, from the ordered dict of
        per-object results; default `shaped`.
    payload : callable, optional
        Overrides what `payload` returns.
    payload_list : bool
        `payload` is a list of bodies even for one object.
    """

    def __init__(self, fetch, *, read=None, targets=None, requests=None, lookup=None,
                 known=None, skip_errors=False, finish=None, payload=None, payload_list=False):
        self.fetch = fetch
        self.read = read
        self.targets = targets if targets is not None else Targets.single()
        self.requests = requests
        self.lookup = lookup
        self.known = known
        self.skip_errors = bool(skip_errors)
        self.finish = finish
        self._payload = payload
        self.payload_list = payload_list

    @classmethod
    def single(cls, run, *, requests=None, payload=None):
        """A plan for a call about no particular object: ``run(context)`` -> result.

        ``requests`` is the request (or list of requests) its payload shows.
        """
        return cls(lambda context, key, value: run(context),
                   requests=None if requests is None else (lambda value: requests),
                   payload=payload)

    def payload(self):
        """What ``get_query_payload=True`` returns: the look-up's body if there is one,
        else the body of every request (one body for a single request)."""
        if self._payload is not None:
            return self._payload()
        if self.lookup is not None:
            return self.lookup.request.body
        bodies = []
        known = self._known(self.targets)
        for key, value in self.targets.by_key.items():
            if key in known or self.requests is None:
                continue
            made = self.requests(value)
            bodies.extend(r.body for r in (made if isinstance(made, (list, tuple)) else [made]))
        if self.payload_list or self.targets.multiple or len(bodies) != 1:
            return bodies
        return bodies[0]

    def execute(self, transport, *, cache=True):
        """Do the work: look-up, then one fetch per object on the bounded pool."""
        context = Context(transport, cache)
        with transport.operation():
            targets = self.targets
            if self.lookup is not None:
                targets = self.lookup.resolve(context, targets, self.skip_errors)
            by_key = targets.by_key
            known = self._known(targets)
            todo = [key for key in by_key if key not in known]
            read = None if self.read is None else _guarded(
                lambda key, fetched: self.read(key, by_key[key], fetched))
            fetched = context.map(_guarded(lambda key: self.fetch(context, key, by_key[key])),
                                  todo, skip_errors=self.skip_errors, then=read)
            results = {}
            for key in by_key:
                if key in known:
                    results[key] = known[key]
                elif key in fetched:
                    results[key] = fetched[key]
            return (self.finish or self.shaped)(results)

    def _known(self, targets):
        if callable(self.known):
            return self.known(targets)
        return self.known or {}

    def shaped(self, results):
        """The dict of per-object results for several objects, else the one result
        (None if it was skipped)."""
        if self.targets.multiple:
            return results
        return next(iter(results.values()), None)
