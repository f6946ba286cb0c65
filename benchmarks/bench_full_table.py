"""Benchmark: the full LSXPS sources table (278,198 rows x 234 columns, synthetic) from the
emulator, read into memory by astroquery-sxps and by swifttools, side by side in one run.

Each contender runs in its own fresh subprocess (so peak memory is its own): wall time from
the call to the finished table (download + parse), peak RSS (VmHWM) of the process above
its baseline after imports, and the in-memory size of the result.

Usage: python benchmarks/bench_full_table.py [rows] [repeats]
"""
import json
import subprocess
import sys
import textwrap
import time

CONTENDER = textwrap.dedent(r"""
import json, resource, sys, tempfile, time, os
which, url = sys.argv[1], sys.argv[2]
def status_mb(key):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) / 1024
def rss_mb():
    return status_mb('VmRSS')
if which == 'ours':
    from astroquery_sxps import SXPSClass
    q = SXPSClass(server=url)
    q.cache_location = tempfile.mkdtemp()
    base = rss_mb()
    t0 = time.perf_counter()
    tab = q.get_full_table('sources', show_progress=False, cache=False)
    dt = time.perf_counter() - t0
    def col_bytes(c):
        if hasattr(c, 'jd1'):        # astropy Time: two float64 arrays (+ a mask)
            return c.jd1.nbytes + c.jd2.nbytes + getattr(getattr(c, 'mask', None), 'nbytes', 0)
        total = c.nbytes
        mask = getattr(c, 'mask', None)
        return total + (mask.nbytes if hasattr(mask, 'nbytes') else 0)
    def coord_bytes(c):              # SkyCoord: its own longitude/latitude arrays
        return c.data.lon.nbytes + c.data.lat.nbytes
    nbytes = sum(coord_bytes(c) if n == 'coord' else col_bytes(c)
                 for n, c in tab.columns.items())
    shape = (len(tab), len(tab.colnames) - 1)
else:
    import warnings; warnings.simplefilter('ignore')
    import swifttools.ukssdc.main as m
    import swifttools.ukssdc.data.SXPS as uds
    m.APIURL = url
    base = rss_mb()
    t0 = time.perf_counter()
    tab = uds.getFullTable(table='sources', returnData=True, saveData=False)
    dt = time.perf_counter() - t0
    nbytes = int(tab.memory_usage(deep=True).sum())
    shape = tab.shape
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forked parent across exec
peak = status_mb('VmHWM')
print(json.dumps({'time': dt, 'peak_mb': peak - base, 'table_mb': nbytes / 1e6, 'shape': list(shape)}))
""")


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 278198
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    from astroquery_sxps.testing import SXPSEmulator
    with SXPSEmulator() as emu:
        emu.options["full_table_rows"] = rows
        t0 = time.perf_counter()
        size = len(emu.get_file(f"tables/{rows}/LSXPS_Sources.csv"))
        print(f"synthetic LSXPS_Sources.csv: {rows} rows, {size / 1e6:.1f} MB "
              f"(generated in {time.perf_counter() - t0:.1f} s)")
        results = {}
        for name in ("ours", "swifttools") * repeats:
            out = subprocess.run([sys.executable, "-c", CONTENDER, name, emu.api_url],
                                 capture_output=True, text=True, check=True)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            results.setdefault(name, []).append(res)
    print(f"\n{'contender':<12} {'best time (s)':>14} {'peak RSS above base (MB)':>26} "
          f"{'result size (MB)':>17} {'peak/size':>10}  shape")
    for name, runs in results.items():
        best = min(runs, key=lambda r: r["time"])
        peak = max(r["peak_mb"] for r in runs)
        print(f"{name:<12} {best['time']:>14.2f} {peak:>26.0f} {best['table_mb']:>17.0f} "
              f"{peak / best['table_mb']:>10.2f}  {tuple(best['shape'])}")
    ours = min(r["time"] for r in results["ours"])
    theirs = min(r["time"] for r in results["swifttools"])
    print(f"\nspeed-up (swifttools time / ours): {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()
