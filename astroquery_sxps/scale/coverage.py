"""The sky coverage of a catalogue's datasets as a MOC (`mocpy.MOC`).

The approximation
-----------------
Each dataset of the catalogue's ``datasets`` table (observations and stacked
images alike) is taken to cover a disc around its pointing (the table's
``RA``/``Decl``) of radius `XRT_FIELD_RADIUS`, and the MOC is the union of
these discs at HEALPix order `MOC_ORDER`:

* The XRT field is a 23.6 x 23.6 arcmin square whose orientation (the
  spacecraft roll) varies from one observation to the next. The disc of
  radius 23.6 / sqrt(2) = 16.7 arcmin contains the square at every roll
  angle, so no position inside any field is reported as uncovered; the price
  is that positions in the disc but outside the square (near the corners of
  the disc) are reported as covered. This is the safe side for
  ``skip_uncovered``: a position wrongly thought covered costs one request,
  while one wrongly thought uncovered would silently lose an upper limit.
* Order 11 cells are 1.72 arcmin across, and every cell that touches a disc
  is included, so the MOC extends the discs by up to one cell (at most about
  2.5 arcmin, the cell's diagonal: a superset again). Order 11 keeps the MOC of a couple of hundred thousand discs fast to
  build (a few seconds) and small; checking a million positions against it
  takes well under a second.
* Exposure is not considered: a position at the edge of a short observation
  counts as covered even if the server finds too little exposure there for an
  upper limit.
"""
import threading
import weakref

import numpy as np
import astropy.units as u

from .._validation import check_bool, check_catalog
from .positions import angle_argument

__all__ = ["get_coverage_moc", "contains", "XRT_FIELD_RADIUS", "MOC_ORDER"]

#: Radius of the disc that contains the 23.6 arcmin square XRT field at any roll.
XRT_FIELD_RADIUS = (23.6 / np.sqrt(2)) * u.arcmin
#: HEALPix order of the coverage MOC (cells of 1.72 arcmin).
MOC_ORDER = 11

# MOCs already built, per query object (several SXPSClass instances may point at
# different servers), so that repeated calls with cache=True cost nothing.
_MOCS = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _radius(radius):
    return XRT_FIELD_RADIUS if radius is None else angle_argument("radius", radius, u.arcmin)


def get_coverage_moc(query, catalog="LSXPS", *, radius=None, cache=True):
    """The sky coverage of a catalogue's datasets (see the module docstring).

    See `astroquery_sxps.SXPSClass.get_coverage_moc` (``radius`` and ``cache``
    as there); ``query`` is the `~astroquery_sxps.SXPSClass` whose public
    ``get_full_table`` is called.

    Returns
    -------
    `mocpy.MOC`
    """
    from mocpy import MOC
    catalog = check_catalog(catalog)
    check_bool("cache", cache)
    radius = _radius(radius)
    key = (query.server, catalog, float(radius.to_value(u.arcmin)))
    if cache:
        with _LOCK:
            moc = _MOCS.get(query, {}).get(key)
        if moc is not None:
            return moc
    datasets = query.get_full_table("datasets", catalog=catalog, show_progress=False,
                                    cache=cache)
    ra = np.asarray(u.Quantity(datasets["RA"], u.deg).value, float)
    dec = np.asarray(u.Quantity(datasets["Decl"], u.deg).value, float)
    good = np.isfinite(ra) & np.isfinite(dec) & (np.abs(dec) <= 90)
    if not good.any():
        moc = MOC.new_empty(MOC_ORDER)
    else:
        # delta_depth=0: cells of MOC_ORDER that touch the disc (a superset), fast
        moc = MOC.from_cones(ra[good] % 360 * u.deg, dec[good] * u.deg, radius=radius,
                             max_depth=MOC_ORDER, delta_depth=0, union_strategy="small_cones")
    with _LOCK:
        _MOCS.setdefault(query, {})[key] = moc
    return moc


def contains(moc, ra, dec):
    """Boolean array: which (ra, dec) (degrees) lie in ``moc``."""
    ra = np.asarray(ra, float)
    dec = np.asarray(dec, float)
    return np.asarray(moc.contains_lonlat(ra % 360 * u.deg, dec * u.deg), bool)
