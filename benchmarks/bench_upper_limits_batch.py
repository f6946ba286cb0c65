"""Upper limits for many positions: astroquery-sxps vs swifttools, same emulator, same run.

1. ``--positions`` positions (default 1,000) with ``--latency`` s (default 50 ms) of
   server latency: our ``query_upper_limits`` (``conf.max_workers`` at once) against
   the latency floor ``positions x latency / workers``, and the same job through
   swifttools' one-position function ``swifttools.ukssdc.data.SXPS.getUpperLimits``,
   in a plain loop (what its users write) and on a 4-thread pool (a fair concurrent
   use of it).
   A bare thread pool of ``query_upper_limit`` calls (no batch layer) is timed too,
   to separate the cost of the batch layer from that of each call.
2. The journal: the same job with ``journal=`` (a fresh SQLite file) against without,
   the time to resume after 600 positions are done (400 still to ask), and the time
   to return a job whose journal already holds every answer (no request at all).

The emulator runs in a child process (its own interpreter, so its work does not
compete for the clients' GIL), with synthetic upper limits for any position in a
field of its synthetic datasets table. Every call uses ``cache=False`` so that each
position is really asked.

Run: ``python benchmarks/bench_upper_limits_batch.py [--positions 1000 --latency 0.05]``
"""
import argparse
import multiprocessing
import statistics
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import astropy.units as u
from astropy.coordinates import SkyCoord

from astroquery_sxps import SXPSClass, conf
from astroquery_sxps.testing import SXPSEmulator, synthetic


def _serve(conn, latency, rows):
    emu = SXPSEmulator(latency=latency).start()
    emu.options["synthetic_upper_limits"] = True
    emu.options["full_table_rows"] = rows
    conn.send(emu.api_url)
    conn.recv()
    emu.stop()


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_of(fn, repeat):
    times = [timed(fn)[0] for _ in range(repeat)]
    return statistics.median(times), times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--positions", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--resume-after", type=int, default=600)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import swifttools.ukssdc.main as stmain
    import swifttools.ukssdc.data.SXPS as uds

    n = args.positions
    ds = synthetic.table_arrays("datasets", "LSXPS", n)
    positions = SkyCoord((ds["RA"] + 0.02) * u.deg, ds["Decl"] * u.deg)
    strings = [f"{c.ra.deg:.6f} {c.dec.deg:.6f}" for c in positions]
    workers = int(conf.max_workers)
    floor = n * args.latency / workers

    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(
        target=_serve, args=(child, args.latency, n), daemon=True)
    proc.start()
    tmp = Path(tempfile.mkdtemp())
    try:
        url = parent.recv()
        q = SXPSClass(server=url)
        q.cache_location = tmp / "cache"
        q.query_upper_limit(positions[0], cache=False)            # warm-up

        def ours(journal=None):
            res = q.query_upper_limits(positions, journal=journal, show_progress=False,
                                       cache=False)
            assert len(res) >= n and len(res.meta["failures"]) == 0, res.meta["failures"]
            return res

        ours_med, ours_all = median_of(ours, args.repeat)

        # the same calls on a bare thread pool: what the batch layer itself costs
        ra, dec = positions.ra.deg.tolist(), positions.dec.deg.tolist()

        def bare():
            with ThreadPoolExecutor(workers) as pool:
                return list(pool.map(lambda i: q.query_upper_limit(ra=ra[i], dec=dec[i],
                                                                   cache=False), range(n)))
        bare_med, _ = median_of(bare, args.repeat)

        saved = stmain.APIURL
        stmain.APIURL = url
        try:
            def theirs_one(text):
                out = uds.getUpperLimits(position=text, cat="LSXPS")
                assert "ULData" in out
                return out

            st_loop, _ = timed(lambda: [theirs_one(s) for s in strings])

            def st_pool():
                with ThreadPoolExecutor(workers) as pool:
                    return list(pool.map(theirs_one, strings))
            st_pool_med, _ = median_of(st_pool, args.repeat)
        finally:
            stmain.APIURL = saved

        # journal overhead: fresh journal each time
        counter = iter(range(10 ** 6))
        journal_med, journal_all = median_of(
            lambda: ours(tmp / f"fresh-{next(counter)}.sqlite"), args.repeat)

        # resume after `resume_after` are done
        resume_times, full_times = [], []
        for k in range(args.repeat):
            path = tmp / f"resume-{k}.sqlite"
            q.query_upper_limits(positions[:args.resume_after], journal=path,
                                 show_progress=False, cache=False)
            t, res = timed(lambda: ours(path))
            assert res.meta["n_from_journal"] == args.resume_after
            resume_times.append(t)
            t, res = timed(lambda: ours(path))        # every answer stored: no request
            assert res.meta["n_from_journal"] == n
            full_times.append(t)
    finally:
        parent.send("stop")
        proc.join(10)

    rest = n - args.resume_after
    rest_floor = rest * args.latency / workers
    print(f"{n} positions, {args.latency * 1000:g} ms latency, workers={workers}; "
          f"floor = {n} x {args.latency:g} s / {workers} = {floor:.2f} s")
    print(f"  astroquery-sxps query_upper_limits     median {ours_med:7.2f} s  "
          f"({ours_med / floor:.3f} x floor)  runs {[round(t, 2) for t in ours_all]}")
    print(f"  bare {workers}-thread pool of query_upper_limit median {bare_med:7.2f} s  "
          f"({bare_med / floor:.3f} x floor)")
    print(f"  swifttools getUpperLimits, loop        {st_loop:7.2f} s  ({st_loop / floor:.2f} x floor)"
          f"  -> ours is {st_loop / ours_med:.2f}x faster")
    print(f"  swifttools getUpperLimits, {workers} threads   median {st_pool_med:7.2f} s  "
          f"({st_pool_med / floor:.3f} x floor)")
    print(f"  with a fresh journal                   median {statistics.median(journal_all):7.2f} s"
          f"  overhead {journal_med - ours_med:+.2f} s ({(journal_med / ours_med - 1) * 100:+.1f}%)")
    print(f"  resume after {args.resume_after} done ({rest} to ask; floor {rest_floor:.2f} s)"
          f"  median {statistics.median(resume_times):7.2f} s  ({statistics.median(resume_times) / rest_floor:.3f} x its floor)")
    print(f"  all {n} in the journal (no request)      median {statistics.median(full_times):7.3f} s")


if __name__ == "__main__":
    main()
