"""An LSDB cross-match algorithm that keeps every pair within the radius.

LSDB's default (``KdTreeCrossmatch``) keeps the ``n_neighbors`` nearest rows
of the right catalogue for each left row; a catalogue cross-match ("all
catalogue rows within r of each input") needs every pair, as
`astropy.coordinates.search_around_sky` gives. LSDB documents subclassing
``AbstractCrossmatchAlgorithm`` for this. Importing this module needs the
``[scale]`` extra.
"""
import numpy as np
import pandas as pd
import pyarrow as pa
from lsdb.core.crossmatch.abstract_crossmatch_algorithm import AbstractCrossmatchAlgorithm
from scipy.spatial import cKDTree

from .hats import margin_arcsec

__all__ = ["AllPairsCrossmatch"]


def _unit_xyz(ra_deg, dec_deg):
    ra, dec = np.radians(ra_deg), np.radians(dec_deg)
    cos_dec = np.cos(dec)
    return np.column_stack([cos_dec * np.cos(ra), cos_dec * np.sin(ra), np.sin(dec)])


class AllPairsCrossmatch(AbstractCrossmatchAlgorithm):
    """Every pair of rows closer than ``radius_arcsec`` (separation in ``_dist_arcsec``).

    Parameters
    ----------
    radius_arcsec : float
        The match radius; the right catalogue's margin cache must be at least
        this wide, or pairs across partition boundaries would be lost.
    """

    extra_columns = pd.DataFrame({"_dist_arcsec": pd.Series(dtype=pd.ArrowDtype(pa.float64()))})

    def __init__(self, radius_arcsec):
        super().__init__()
        self.radius_arcsec = float(radius_arcsec)

    def validate(self, left, right):
        super().validate(left, right)
        if right.margin is None:
            raise ValueError("the right catalogue has no margin cache: pairs across "
                             "partition boundaries would be lost")
        if margin_arcsec(right) < self.radius_arcsec:
            raise ValueError(f"the cross-match radius ({self.radius_arcsec} arcsec) is larger "
                             f"than the right catalogue's margin ({margin_arcsec(right)} arcsec)")

    def perform_crossmatch(self, crossmatch_args):
        args = crossmatch_args
        left, right = args.left_df, args.right_df
        left_xyz = _unit_xyz(left[args.left_catalog_info.ra_column].to_numpy(float),
                             left[args.left_catalog_info.dec_column].to_numpy(float))
        right_xyz = _unit_xyz(right[args.right_catalog_info.ra_column].to_numpy(float),
                              right[args.right_catalog_info.dec_column].to_numpy(float))
        # the chord of the radius on the unit sphere, as search_around_sky uses
        chord = 2 * np.sin(np.radians(self.radius_arcsec / 3600) / 2)
        pairs = cKDTree(left_xyz).sparse_distance_matrix(
            cKDTree(right_xyz), max_distance=chord, output_type="ndarray")
        pairs = pairs[np.lexsort((pairs["j"], pairs["i"]))]
        dist = np.degrees(2 * np.arcsin(np.clip(pairs["v"] / 2, 0, 1))) * 3600
        extra = pd.DataFrame({"_dist_arcsec": pd.Series(dist, dtype=pd.ArrowDtype(pa.float64()))})
        return pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), extra
