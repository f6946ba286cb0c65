"""Working at scale: many positions, whole catalogues, and beyond one machine.

* `query_upper_limits` - upper limits at many positions, stacked in one Table,
  resumable through an SQLite journal (`astroquery_sxps.scale.journal`);
* `get_coverage_moc` - the sky coverage of a catalogue's datasets as a MOC;
* `crossmatch` - pairs of input and catalogue rows, with the ``'astropy'``,
  ``'server'`` or ``'lsdb'`` engine;
* `to_hats` - an astropy Table as a HATS catalogue (the ``[scale]`` extra).

Each function takes the query object (`~astroquery_sxps.SXPSClass`) first and
uses its public methods only; the same functions are methods of
`~astroquery_sxps.SXPSClass` (``SXPS.query_upper_limits(...)``...).
"""
import inspect

from .._plan import Plan
from .batch import query_upper_limits
from .coverage import XRT_FIELD_RADIUS, get_coverage_moc
from .crossmatch import crossmatch
from .hats import catalog_to_hats, to_hats

__all__ = ["query_upper_limits", "get_coverage_moc", "XRT_FIELD_RADIUS", "crossmatch",
           "to_hats", "catalog_to_hats", "composite_plan"]


def composite_plan(function, query, *args, **options):
    """The `~astroquery_sxps._plan.Plan` of a call built on other public methods.

    ``function(query, *args, cache=..., **options)`` runs when the plan is executed
    (it checks its arguments before any request), with ``context=`` (the running call's
    `~astroquery_sxps._plan.Context`) if it takes one; its payload, for functions that
    take ``get_query_payload``, is ``function(..., get_query_payload=True)``.
    """
    takes_context = "context" in inspect.signature(function).parameters

    def run(context):
        extra = {"context": context} if takes_context else {}
        return function(query, *args, cache=context.cache, **extra, **options)

    def payload():
        return function(query, *args, get_query_payload=True, **options)

    takes_payload = "get_query_payload" in inspect.signature(function).parameters
    return Plan.single(run, payload=payload if takes_payload else None)
