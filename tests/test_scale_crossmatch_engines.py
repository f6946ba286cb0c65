"""The three cross-match engines give the same pairs (issue 13): a synthetic catalogue of
100,000 rows against the emulator's LSXPS sources table, with the lsdb engine on a local
2-worker dask.distributed cluster."""
import numpy as np
import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table

from astroquery_sxps.testing import synthetic

pytest.importorskip("lsdb", reason="the [scale] extra is installed by run.sh test")

CATALOG_ROWS = 10000
RADIUS = 60 * u.arcsec


def synthetic_inputs(n=100_000, seed=13):
    """Positions near catalogue sources (some within the radius, several per source, some
    just outside) mixed with random ones: a deterministic input catalogue."""
    rng = np.random.default_rng(seed)
    src = synthetic.table_arrays("sources", "LSXPS", CATALOG_ROWS)
    near = 30_000
    pick = rng.integers(0, CATALOG_ROWS, near)
    base = SkyCoord(src["RA"][pick] * u.deg, src["Decl"][pick] * u.deg)
    # offsets up to 1.5 radius in random directions: about 45% fall inside the radius
    moved = base.directional_offset_by(rng.uniform(0, 360, near) * u.deg,
                                       rng.uniform(0, 1.5, near) * RADIUS)
    ra = np.concatenate([moved.ra.deg, rng.uniform(0, 360, n - near)])
    dec = np.concatenate([moved.dec.deg, np.degrees(np.arcsin(rng.uniform(-1, 1, n - near)))])
    order = rng.permutation(n)
    return Table({"ra": ra[order], "dec": dec[order], "name": np.arange(n)})


def pairs(result):
    return list(zip(result["input_index"].tolist(), result["LSXPS_ID"].tolist()))


@pytest.mark.slow
def test_three_engines_agree_on_100000_rows(sxps, sxps_server):
    from distributed import Client, LocalCluster, get_task_stream
    sxps_server.options["full_table_rows"] = CATALOG_ROWS
    inputs = synthetic_inputs()
    assert len(inputs) >= 100_000

    by_astropy = sxps.crossmatch(inputs, RADIUS, engine="astropy", show_progress=False)
    assert len(by_astropy) > 5000        # many pairs, from many inputs
    assert len(set(by_astropy["LSXPS_ID"])) > 3000
    # several inputs share a source (many-to-one) and pairs are sorted as documented
    assert len(by_astropy) > len(set(by_astropy["LSXPS_ID"]))
    keys = np.lexsort((by_astropy["separation"], by_astropy["input_index"]))
    assert np.array_equal(keys, np.arange(len(by_astropy)))
    assert by_astropy["separation"].unit == u.arcsec
    assert by_astropy["separation"].max() <= RADIUS.value

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        with get_task_stream(client) as stream:
            by_lsdb = sxps.crossmatch(inputs, RADIUS, engine="lsdb", show_progress=False)
        assert len(client.scheduler_info()["workers"]) == 2
        assert len(stream.data) > 0       # the work ran on the user's 2-worker cluster
    assert pairs(by_lsdb) == pairs(by_astropy)
    assert np.allclose(by_lsdb["separation"], by_astropy["separation"], rtol=0, atol=1e-6)
    for name in ("IAUName", "RA", "Decl", "Err90", "FirstObsDate", "coord"):
        assert name in by_lsdb.colnames
    assert by_lsdb["RA"].unit == u.deg and by_lsdb["Err90"].unit == u.arcsec
    assert np.abs((by_lsdb["FirstObsDate"] - by_astropy["FirstObsDate"]).to_value(u.s)).max() < 1e-6
    assert (by_lsdb["IAUName"] == by_astropy["IAUName"]).all()

    # the server engine asks one cone per position: the same pairs on a sample of inputs
    matched = np.unique(by_astropy["input_index"])
    rng = np.random.default_rng(1)
    sample = np.sort(np.concatenate([rng.choice(matched, 40, replace=False),
                                     rng.choice(np.setdiff1d(np.arange(len(inputs)), matched),
                                                20, replace=False)]))
    before = sxps_server.counts["queryDB"]
    by_server = sxps.crossmatch(inputs[sample], RADIUS, engine="server")
    assert sxps_server.counts["queryDB"] - before == len(sample)
    expected = by_astropy[np.isin(by_astropy["input_index"], sample)]
    assert [(int(sample[i]), s) for i, s in pairs(by_server)] == pairs(expected)
    assert np.allclose(by_server["separation"], expected["separation"], rtol=0, atol=1e-6)
