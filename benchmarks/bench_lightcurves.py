"""Light-curve benchmarks: astroquery-sxps vs swifttools, same emulator, same run.

1. Client-side cost from the decoded HTTP reply to the result (our
   ``parse_lightcurve_reply`` -> TimeSeries; swifttools' light-curve dict
   converter -> DataFrames), for one source with all bands and
   ``--bins`` bins per dataset.
2. ``--sources`` sources with ``--latency`` s of server latency: our
   ``get_lightcurve(list)`` (bounded pool, default ``conf.max_workers``)
   vs swifttools' ``getLightCurves(list)`` (sequential).

Run: ``python benchmarks/bench_lightcurves.py [--bins 500 --sources 100 --latency 0.05]``
"""
import argparse
import copy
import json
import multiprocessing
import statistics
import time
import warnings

import requests

from astroquery_sxps import SXPSClass, conf
from astroquery_sxps.lightcurves.parse import parse_lightcurve_reply
from astroquery_sxps.testing import SXPSEmulator


def _serve(conn, latency, nbins, nsources):
    """Child process: an emulator with its own interpreter (no GIL shared with the clients)."""
    from astroquery_sxps.testing.handlers import lightcurves as handler
    for i in range(1, nsources + 1):          # build the synthetic data before timing
        handler._synth_source_bins(i, nbins)
    emu = SXPSEmulator(latency=latency).start()
    emu.options["synthetic_lightcurve_bins"] = nbins
    emu.options["memo_replies"] = True    # the server's work is not on the client's cores
    conn.send(emu.api_url)
    conn.recv()                      # wait for the parent to finish
    emu.stop()


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bins", type=int, default=500)
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import swifttools.ukssdc.main as stmain
    import swifttools.ukssdc.data.SXPS as uds
    import swifttools.ukssdc.data.download as stdl

    rows = []
    with SXPSEmulator() as emu:
        emu.options["synthetic_lightcurve_bins"] = args.bins
        body = {"APIFunc": "getSXPSLC", "APIVersion": "1.0.5", "whichCat": "LSXPS",
                "bands": "all", "binning": "obsid", "timeFormat": "MJD",
                "sourceName": "SYNTH-1"}
        raw = requests.post(emu.api_url, json=body).content
        reply = json.loads(raw)
        reply.pop("OK")
        reply.pop("APIVersion")
        ndata = sum(len(reply[d + "Data"]["data"]) for d in reply["Datasets"])

        ours = best_of(lambda: parse_lightcurve_reply(json.loads(raw)), args.repeat)
        theirs = best_of(lambda: stdl._handleLightCurve(copy.deepcopy(reply), True, False),
                         args.repeat)
        rows.append((f"parse 1 source, {len(reply['Datasets'])} datasets x {args.bins} bins "
                     f"({ndata} rows)", ours, theirs))

    # many sources with latency: the emulator runs in a separate process so that
    # its handler work does not compete for the clients' GIL
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(
        target=_serve, args=(child, args.latency, 20, args.sources), daemon=True)
    proc.start()
    try:
        api_url = parent.recv()
        names = [f"SYNTH-{i}" for i in range(1, args.sources + 1)]
        q = SXPSClass(server=api_url)
        # warm-up: also fills the emulator's memo, so both clients meet the same server
        assert len(q.get_lightcurve(source_name=names, cache=False)) == args.sources
        _, ours_many = best_of(lambda: q.get_lightcurve(source_name=names, cache=False), 3)
        saved = stmain.APIURL
        stmain.APIURL = api_url
        try:
            t = time.perf_counter()
            out = uds.getLightCurves(sourceName=names, binning="obsid", timeFormat="MJD",
                                     saveData=False, returnData=True)
            theirs_many = time.perf_counter() - t
        finally:
            stmain.APIURL = saved
        assert len(out) == args.sources
    finally:
        parent.send("stop")
        proc.join(10)
    rows.append((f"{args.sources} sources, {args.latency * 1000:g} ms latency, "
                 f"workers={conf.max_workers} (ours: median of 3)", (ours_many, ours_many),
                 (theirs_many, theirs_many)))

    print(f"{'benchmark':<62} {'ours (s)':>10} {'swifttools (s)':>15} {'speed-up':>9}")
    for name, (ob, om), (tb, tm) in rows:
        print(f"{name:<62} {ob:>10.4f} {tb:>15.4f} {tb / ob:>8.2f}x")
    print("(parse rows: best of", args.repeat, "runs; ours includes json.loads of the body)")


if __name__ == "__main__":
    main()
