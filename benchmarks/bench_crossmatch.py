"""Cross-match of 10^6 positions against the 278,198-row LSXPS sources table, per engine.

The emulator (a child process) serves a synthetic sources table of the real size;
each engine runs in a fresh process of its own, so that its peak memory is its own:

* ``astropy``: the table (already in astroquery's cache) read into memory, then
  ``search_around_sky``;
* ``lsdb``: the table written once as a HATS catalogue (``to_hats``, timed apart),
  then the LSDB cross-match on a local Dask cluster (threads, in this process);
* ``server``: one cone search per position is not feasible for 10^6 positions
  (that is the point of the other engines): it is timed on ``--server-positions``
  positions and the per-position time is extrapolated, and labelled as such.

Memory is the peak resident set size sampled every 5 ms during the call, above the
size just before it (psutil). The input: ``--positions`` positions, 30% within 1.5 x
the radius of a catalogue source, the rest uniform on the sky; radius 10 arcsec.

Run: ``python benchmarks/bench_crossmatch.py [--positions 1000000]``
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord

ROWS = 278198
RADIUS = 10 * u.arcsec


def _serve(conn, rows):
    from astroquery_sxps.testing import SXPSEmulator
    emu = SXPSEmulator().start()
    emu.options["full_table_rows"] = rows
    conn.send(emu.api_url)
    conn.recv()
    emu.stop()


def inputs(n, seed=2026):
    from astroquery_sxps.testing import synthetic
    rng = np.random.default_rng(seed)
    src = synthetic.table_arrays("sources", "LSXPS", ROWS)
    near = int(0.3 * n)
    pick = rng.integers(0, ROWS, near)
    moved = SkyCoord(src["RA"][pick] * u.deg, src["Decl"][pick] * u.deg).directional_offset_by(
        rng.uniform(0, 360, near) * u.deg, rng.uniform(0, 1.5, near) * RADIUS)
    ra = np.concatenate([moved.ra.deg, rng.uniform(0, 360, n - near)])
    dec = np.concatenate([moved.dec.deg, np.degrees(np.arcsin(rng.uniform(-1, 1, n - near)))])
    return SkyCoord(ra * u.deg, dec * u.deg)


class PeakRSS:
    """Peak RSS above the starting RSS, sampled in a thread."""

    def __enter__(self):
        import psutil
        self.proc = psutil.Process()
        self.start = self.proc.memory_info().rss
        self.peak = self.start
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        while self.running:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)

    @property
    def above_mb(self):
        return (self.peak - self.start) / 2 ** 20


def run_engine(engine, url, cache, n, server_positions):
    """In a fresh process: time one engine; print a JSON line."""
    warnings.simplefilter("ignore")
    from astroquery_sxps import SXPSClass
    q = SXPSClass(server=url)
    q.cache_location = cache
    coords = inputs(n)
    out = {"engine": engine, "positions": n}
    if engine == "astropy":
        t = time.perf_counter()
        q.crossmatch(coords[:1], RADIUS, show_progress=False)     # reads the cached table
        out["prepare_s"] = time.perf_counter() - t
        with PeakRSS() as mem:
            t = time.perf_counter()
            pairs = q.crossmatch(coords, RADIUS, show_progress=False)
            out["match_s"] = time.perf_counter() - t
    elif engine == "lsdb":
        from astroquery_sxps.scale.hats import default_path
        path = default_path(q, "LSXPS", "sources")
        with PeakRSS() as prep:
            t = time.perf_counter()
            q.to_hats("sources", path, overwrite=True, show_progress=False)
            out["prepare_s"] = time.perf_counter() - t
        out["prepare_peak_mb"] = prep.above_mb
        with PeakRSS() as mem:
            t = time.perf_counter()
            pairs = q.crossmatch(coords, RADIUS, engine="lsdb", show_progress=False)
            out["match_s"] = time.perf_counter() - t
    else:
        sample = coords[:server_positions]
        q.crossmatch(sample[:1], RADIUS, engine="server")        # metadata, warm-up
        with PeakRSS() as mem:
            t = time.perf_counter()
            pairs = q.crossmatch(sample, RADIUS, engine="server", cache=False)
            elapsed = time.perf_counter() - t
        out["positions"] = server_positions
        out["match_s"] = elapsed
        out["extrapolated_s"] = elapsed / server_positions * n
    out["peak_mb"] = mem.above_mb
    out["pairs"] = len(pairs)
    out["pair_keys"] = int(np.sum(np.asarray(pairs["input_index"], np.int64) * 7919
                                  + np.asarray(pairs["LSXPS_ID"], np.int64)) % (2 ** 61))
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--positions", type=int, default=10 ** 6)
    ap.add_argument("--server-positions", type=int, default=200)
    ap.add_argument("--engine")
    ap.add_argument("--url")
    ap.add_argument("--cache")
    args = ap.parse_args()
    if args.engine:
        return run_engine(args.engine, args.url, args.cache, args.positions,
                          args.server_positions)
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(target=_serve, args=(child, ROWS),
                                                       daemon=True)
    proc.start()
    cache = tempfile.mkdtemp()
    results = []
    try:
        url = parent.recv()
        from astroquery_sxps import SXPSClass
        q = SXPSClass(server=url)
        q.cache_location = cache
        t = time.perf_counter()
        q.get_full_table("sources", show_progress=False)        # download once, to the cache
        download = time.perf_counter() - t
        for engine in ("astropy", "lsdb", "server"):
            line = subprocess.run([sys.executable, __file__, "--engine", engine, "--url", url,
                                   "--cache", cache, "--positions", str(args.positions),
                                   "--server-positions", str(args.server_positions)],
                                  capture_output=True, text=True, check=True,
                                  env=dict(os.environ, PYTHONWARNINGS="ignore"))
            results.append(json.loads(line.stdout.strip().splitlines()[-1]))
    finally:
        parent.send("stop")
        proc.join(10)
    print(f"{args.positions:,} positions x {ROWS:,} sources, radius {RADIUS}; table download "
          f"+ read {download:.1f} s (once, then cached)")
    for r in results:
        if r["engine"] == "server":
            print(f"  server : {r['positions']} cone searches {r['match_s']:.2f} s -> "
                  f"{r['extrapolated_s'] / 3600:.1f} h extrapolated to {args.positions:,}; "
                  f"peak +{r['peak_mb']:.0f} MB; {r['pairs']} pairs")
        else:
            extra = (f"; to_hats {r['prepare_s']:.1f} s (+{r['prepare_peak_mb']:.0f} MB)"
                     if r["engine"] == "lsdb" else f"; table read {r['prepare_s']:.1f} s")
            print(f"  {r['engine']:<7}: match {r['match_s']:.2f} s, peak +{r['peak_mb']:.0f} MB, "
                  f"{r['pairs']:,} pairs (checksum {r['pair_keys']}){extra}")
    sums = {r["pair_keys"] for r in results if r["engine"] != "server"}
    print("  astropy and lsdb pairs identical:", len(sums) == 1)


if __name__ == "__main__":
    main()
