"""SXPS.get_coverage_moc: the sky coverage of the catalogue's datasets (issue 13)."""
import numpy as np
import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from mocpy import MOC

from astroquery_sxps import XRT_FIELD_RADIUS
from astroquery_sxps.exceptions import InvalidQueryError
from astroquery_sxps.testing import synthetic


def pointings(rows=500):
    ds = synthetic.table_arrays("datasets", "LSXPS", rows)
    return SkyCoord(ds["RA"] * u.deg, ds["Decl"] * u.deg)


def nearest(coords, fields):
    return coords.match_to_catalog_sky(fields)[1]


def test_pointings_and_fields_are_covered_far_positions_are_not(sxps, sxps_server):
    moc = sxps.get_coverage_moc()
    assert isinstance(moc, MOC)
    fields = pointings()
    assert moc.contains_lonlat(fields.ra, fields.dec).all()
    # 15 arcmin from a pointing, in any direction: inside the 23.6' square at some roll
    angles = np.linspace(0, 360, len(fields)) * u.deg
    edge = fields.directional_offset_by(angles, 15 * u.arcmin)
    assert moc.contains_lonlat(edge.ra, edge.dec).all()
    # random positions: covered exactly when within the radius of a field (up to one
    # order-11 cell, 2.5 arcmin along its diagonal, of slack beyond it)
    rng = np.random.default_rng(7)
    sky = SkyCoord(rng.uniform(0, 360, 200_000) * u.deg,
                   np.degrees(np.arcsin(rng.uniform(-1, 1, 200_000))) * u.deg)
    inside = moc.contains_lonlat(sky.ra, sky.dec)
    distance = nearest(sky, fields)
    assert not inside[distance > XRT_FIELD_RADIUS + 2.5 * u.arcmin].any()
    assert inside[distance < XRT_FIELD_RADIUS].all()
    assert inside[distance > 1 * u.deg].sum() == 0
    assert inside.sum() > 0
    assert sxps_server.counts["getSXPSTable"] == 1


def test_moc_is_built_once_per_query_object(sxps, sxps_server):
    first = sxps.get_coverage_moc()
    assert sxps.get_coverage_moc() is first
    assert sxps_server.counts["getSXPSTable"] == 1
    fresh = sxps.get_coverage_moc(cache=False)
    assert fresh is not first and fresh == first
    assert sxps_server.counts["getSXPSTable"] == 2


def test_radius_option(sxps, sxps_server):
    small = sxps.get_coverage_moc(radius=5 * u.arcmin)
    default = sxps.get_coverage_moc()
    assert small.sky_fraction < default.sky_fraction
    assert sxps.get_coverage_moc(radius=5) == small         # numbers are arcmin
    fields = pointings()
    ring = fields.directional_offset_by(0 * u.deg, 10 * u.arcmin)
    clear = nearest(ring, fields) > 5 * u.arcmin + 2.5 * u.arcmin
    assert clear.sum() > 400
    assert not small.contains_lonlat(ring.ra, ring.dec)[clear].any()
    assert default.contains_lonlat(ring.ra, ring.dec).all()


@pytest.mark.parametrize("kwargs, match", [
    (dict(catalog="3SXPS"), r"catalog='3SXPS' is not valid"),
    (dict(radius=-1), r"radius must be one positive angle"),
    (dict(radius="big"), r"radius must be an angle"),
    (dict(radius=3 * u.s), r"radius must be an angle"),
    (dict(cache="yes"), r"cache must be True or False"),
])
def test_bad_arguments(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_coverage_moc(**kwargs)
    assert not sxps_server.counts
