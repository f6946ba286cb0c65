"""What the safety checks cost: the full-table and light-curve benchmarks, with every check
on (as shipped) and with the checks switched off, side by side in one run.

"Checks" are what the transport does beyond fetching: the shape check of every reply
(`astroquery_sxps._replies.check_reply`) and the check of every file before it gets its
final name (`astroquery_sxps._files.check_file`: signatures, gzip/tar integrity, a complete
CSV). The baseline replaces both by no-ops in the same process; everything else is equal.
The runs alternate (on, off, on, off...) so that machine load affects both alike.

Usage: python benchmarks/bench_checks.py [--rows 278198] [--sources 100] [--latency 0.05]
"""
import argparse
import contextlib
import multiprocessing
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lightcurves import _serve  # noqa: E402  (the light-curve emulator process)

from astroquery_sxps import SXPSClass, _files, _replies, _transport  # noqa: E402
from astroquery_sxps.testing import SXPSEmulator  # noqa: E402


@contextlib.contextmanager
def checks(on):
    """Leave the checks as shipped, or switch them off for the baseline."""
    if on:
        yield
        return
    saved = _files.check_file, _replies.check_reply, _transport.check_reply
    _files.check_file = lambda path, name=None: None
    _transport.check_reply = _replies.check_reply = lambda api_func, reply: None
    try:
        yield
    finally:
        _files.check_file, _replies.check_reply, _transport.check_reply = saved


def timed(fn, on):
    with checks(on):
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t


def compare(name, fn, repeats):
    runs = {True: [], False: []}
    for _ in range(repeats):
        for on in (True, False):
            runs[on].append(timed(fn, on))
    on, off = statistics.median(runs[True]), statistics.median(runs[False])
    print(f"{name:<58} {on:>9.3f} {off:>9.3f} {100 * (on / off - 1):>+8.1f}%")
    return on, off


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=278198)
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'benchmark (median s)':<58} {'checks':>9} {'no checks':>9} {'cost':>9}")

    with SXPSEmulator() as emu:
        emu.options["full_table_rows"] = args.rows
        emu.get_file(f"tables/{args.rows}/LSXPS_Sources.csv")        # generate it first
        q = SXPSClass(server=emu.api_url)

        def full_table():
            q.cache_location = tempfile.mkdtemp()
            table = q.get_full_table("sources", show_progress=False)
            assert len(table) == args.rows
        compare(f"full sources table, {args.rows} rows (download + checks + read)",
                full_table, max(2, args.repeat // 2))

    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.get_context("fork").Process(
        target=_serve, args=(child, args.latency, 20, args.sources), daemon=True)
    proc.start()
    try:
        q = SXPSClass(server=parent.recv())
        names = [f"SYNTH-{i}" for i in range(1, args.sources + 1)]
        q.get_lightcurve(source_name="SYNTH-1", cache=False)             # warm-up

        def lightcurves():
            assert len(q.get_lightcurve(source_name=names, cache=False)) == args.sources
        compare(f"{args.sources} light curves, {args.latency * 1000:g} ms latency",
                lightcurves, args.repeat)
    finally:
        parent.send("stop")
        proc.join(10)


if __name__ == "__main__":
    main()
