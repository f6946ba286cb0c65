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
from .batch import BatchAbortedError, query_upper_limits
from .coverage import XRT_FIELD_RADIUS, get_coverage_moc
from .crossmatch import crossmatch
from .hats import catalog_to_hats, to_hats
from .journal import JournalMismatchError

__all__ = ["query_upper_limits", "BatchAbortedError", "JournalMismatchError",
           "get_coverage_moc", "XRT_FIELD_RADIUS", "crossmatch", "to_hats", "catalog_to_hats"]
