"""Many objects close to the network's limit: every multi-object call against the floor
set by the server's latency, side by side with the existing client, in one run.

For N objects, a server latency L per API call and W workers (``conf.max_workers``), no
client can be faster than N x L / W (the "floor"). Each call below asks for N synthetic
sources (the emulator's ``SYNTH-<n>``) from an emulator running in its own process (so its
work does not share our interpreter), with L of latency on every API call:

* ``get_source_details`` (``getSXPSSourceInfo``), ``get_lightcurve`` (``getSXPSLC``),
  ``get_spectrum`` (``getSXPSSpectrumData``) and ``get_images`` (``getSXPSSourceImages``
  plus five PNG files per source, into the cache);
* the existing client's ``getSourceDetails``, ``getLightCurves``, ``getSpectra`` and
  ``saveSourceImages`` for the same list (it sends one request at a time);
* a bare pool: the same requests with `requests` on W threads, each reply only decoded
  from JSON (and, for images, the files fetched and dropped). No client that reads its
  replies can beat it: the distance from it to the floor is the emulator's and HTTP's
  own cost on this machine.

The emulator answers a request it has seen before from a memo of its reply bytes
(``options['memo_replies']``, every call is warmed up once): the real service spends its
work on its own machine, while the emulator's would compete with the client for the
same cores.

Images are measured twice: with files served at once (the floor counts the API calls
only, and the five file downloads per source are pure client work), and with the same
latency on every file as on the API (as from the real service, whose files come from the
same host): that floor counts every request, N x (1 + files per source) x L / W.

Usage: python benchmarks/bench_many.py [--sources 100] [--latency 0.05] [--repeat 3]
"""
import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _serve(conn, latency, nbins):
    from astroquery_sxps.testing import SXPSEmulator
    emu = SXPSEmulator(latency=latency).start()
    emu.options["synthetic_sources"] = True
    emu.options["synthetic_lightcurve_bins"] = nbins
    emu.options["memo_replies"] = True
    conn.send(emu.api_url)
    while (message := conn.recv()) != "stop":     # ("file_latency", seconds)
        setattr(emu, *message)
        conn.send("ok")
    emu.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from astroquery_sxps import SXPSClass, conf
    import swifttools.ukssdc.main as stmain
    import swifttools.ukssdc.data.SXPS as uds

    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(
        target=_serve, args=(child, args.latency, 20), daemon=True)
    proc.start()
    try:
        url = parent.recv()
        names = [f"SYNTH-{i}" for i in range(1, args.sources + 1)]
        q = SXPSClass(server=url)
        scratch = Path(tempfile.mkdtemp())

        def fresh_cache():
            q.cache_location = tempfile.mkdtemp(dir=scratch)

        ours = {
            "details": lambda: q.get_source_details(source_name=names, cache=False),
            "light curves": lambda: q.get_lightcurve(source_name=names, cache=False),
            "spectra": lambda: q.get_spectrum(source_name=names, cache=False),
            "images": lambda: (fresh_cache(), q.get_images(source_name=names, cache=False)),
        }
        theirs = {
            "details": lambda: uds.getSourceDetails(sourceName=names),
            "light curves": lambda: uds.getLightCurves(sourceName=names, saveData=False,
                                                       returnData=True, binning="obsid",
                                                       timeFormat="MJD"),
            "spectra": lambda: uds.getSpectra(sourceName=names, saveData=False,
                                              returnData=True),
            "images": lambda: uds.saveSourceImages(sourceName=names,
                                                   destDir=tempfile.mkdtemp(dir=scratch)),
        }
        bare = _bare_pools(url, names, int(conf.max_workers))
        stmain.APIURL = url
        floor = args.sources * args.latency / int(conf.max_workers)
        print(f"{args.sources} sources, {args.latency * 1000:g} ms latency, "
              f"{conf.max_workers} workers: floor {floor:.3f} s\n")
        print(f"{'call':<14} {'ours (s)':>10} {'/ floor':>8} {'bare pool (s)':>14} "
              f"{'/ floor':>8} {'swifttools (s)':>15} {'speed-up':>9}")

        def row(name, label, floor):
            mine = statistics.median(_timed(ours[name]) for _ in range(args.repeat))
            pool = statistics.median(_timed(bare[name]) for _ in range(args.repeat))
            other = _timed(theirs[name])
            print(f"{label:<14} {mine:>10.3f} {mine / floor:>7.2f}x {pool:>14.3f} "
                  f"{pool / floor:>7.2f}x {other:>15.3f} {other / mine:>8.2f}x")

        for name in ours:
            files = ours[name]()                               # warm-ups
            bare[name]()
            row(name, name, floor)
        # the same latency on every file download: the floor counts every request
        per_source = sum(len(images) for images in files[1].values()) / args.sources
        parent.send(("file_latency", args.latency))
        parent.recv()
        requests_floor = args.sources * (1 + per_source) * args.latency / int(conf.max_workers)
        print(f"\nfiles at {args.latency * 1000:g} ms latency too ({per_source:g} per source): "
              f"floor {requests_floor:.3f} s")
        row("images", "images", requests_floor)
    finally:
        parent.send("stop")
        proc.join(10)


def _bare_pools(url, names, workers):
    """The same requests as each call, on a bare thread pool: replies only decoded."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    import requests

    session = requests.Session()

    def pool(func, files=False, **fields):
        def one(name):
            body = {"APIFunc": func, "APIVersion": "1.0.5", "whichCat": "LSXPS",
                    "sourceName": name, **fields}
            reply = json.loads(session.post(url, json=body, timeout=60).content)
            if files:
                for link in reply.values():
                    if isinstance(link, str) and link.startswith("http"):
                        session.get(link, timeout=60).content
            return reply
        def run():
            with ThreadPoolExecutor(workers) as threads:
                return list(threads.map(one, names))
        return run

    return {"details": pool("getSXPSSourceInfo"),
            "light curves": pool("getSXPSLC", binning="obsid", timeFormat="MJD"),
            "spectra": pool("getSXPSSpectrumData"),
            "images": pool("getSXPSSourceImages", files=True)}


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
