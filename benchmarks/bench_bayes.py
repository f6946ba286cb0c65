"""Benchmark: exact KBN interval and merge_upper_limits vs swifttools' bayesRate/mergeUpperLimits.

Run on demand:  python benchmarks/bench_bayes.py [--quick]

* Interval speed for 1e4 and 1e5 (N, B) pairs. swifttools' bayesRate integrates on
  a 0.001-count grid in pure Python, one pair at a time, so it is timed on a random
  subsample of the same pairs and the per-pair time is extrapolated (marked "extrap.").
* Accuracy of both against a 35-digit mpmath reference on a sample of pairs.
* Merge speed: merging upper-limit tables of 1e4 and 1e5 rows (one band).
"""
import argparse
import sys
import time
import warnings

import numpy as np

from astroquery_sxps import kbn_interval, merge_upper_limits

try:
    import swifttools.ukssdc as uk
    import pandas as pd
except ImportError:          # pragma: no cover
    uk = None


def pairs(size, rng):
    """SXPS-like (N, B): a mix of faint and bright sources."""
    n = np.concatenate([rng.poisson(rng.uniform(0, 20, size // 2)),
                        rng.poisson(rng.uniform(20, 400, size - size // 2))])
    b = rng.uniform(0, 1, size) * np.maximum(n, 1) * rng.uniform(0.2, 1.5, size)
    perm = rng.permutation(size)
    return n[perm], b[perm]


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def reference(n, b, cl):
    sys.path.insert(0, "tests")
    from test_bayes import reference as ref
    return ref(n, b, cl)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller swifttools subsample")
    parser.add_argument("--sample", type=int, default=None,
                        help="pairs timed with swifttools (default 200, quick 40)")
    args = parser.parse_args()
    rng = np.random.default_rng(20261125)
    cl = 0.9973
    sample = args.sample or (40 if args.quick else 200)
    have_st = uk is not None
    rows = []

    print(f"swifttools installed: {have_st}")
    print("\n== Interval: kbn_interval (vectorised, exact) vs swifttools.bayesRate ==")
    for size in (10_000, 100_000):
        n, b = pairs(size, rng)
        ours = best_of(lambda: kbn_interval(n, b, cl))
        theirs = None
        if have_st:
            idx = rng.choice(size, min(sample, size), replace=False)
            t0 = time.perf_counter()
            for i in idx:
                uk.bayesRate(int(n[i]), float(b[i]), cl)
            theirs = (time.perf_counter() - t0) / len(idx) * size
        rows.append(("interval", size, ours, theirs))

    print("\n== Merge: merge_upper_limits vs swifttools.mergeUpperLimits (one band) ==")
    for size in (10_000, 100_000):
        from astropy.table import Table
        import astropy.units as u
        counts = rng.poisson(0.5, size).astype(float)
        bg = rng.uniform(0.1, 0.5, size)
        cf = rng.uniform(1.1, 1.5, size)
        exp = rng.uniform(500, 5000, size)
        t = Table()
        t["ObsID"] = [f"{i:011d}" for i in range(size)]
        t["SourceExposure"] = exp * 0.95 * u.s
        t["ImageExposure"] = exp * u.s
        t["Total_Counts"] = counts * u.ct
        t["Total_BGCounts"] = bg * u.ct
        t["Total_CorrectionFactor"] = cf
        ours = best_of(lambda: merge_upper_limits(t, confidence=cl), repeat=3)
        theirs = None
        if have_st:
            df = pd.DataFrame({c: np.asarray(t[c]) for c in t.colnames})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                st = uk.mergeUpperLimits(df, conf=cl)
                theirs = time.perf_counter() - t0
            mine = merge_upper_limits(t, confidence=cl)
            print(f"  {size} rows: N={int(counts.sum())}  UL ours={mine['Total_UpperLimit'][0]:.10g}"
                  f"  swifttools={st['Total_UpperLimit']:.10g}")
        rows.append(("merge", size, ours, theirs))

    print(f"\n{'task':<10}{'pairs/rows':>12}{'ours (s)':>12}{'swifttools (s)':>18}{'speed-up':>12}")
    for task, size, ours, theirs in rows:
        label = "n/a" if theirs is None else (f"{theirs:.3g}" + (" extrap." if task == "interval" else ""))
        ratio = "" if theirs is None else f"{theirs / ours:,.0f}x"
        print(f"{task:<10}{size:>12,}{ours:>12.4f}{label:>18}{ratio:>12}")

    print("\n== Accuracy against a 35-digit mpmath reference ==")
    try:
        import mpmath  # noqa: F401
    except ImportError:
        print("  mpmath not installed; skipped")
        return
    n, b = pairs(2000, rng)
    idx = rng.choice(len(n), 15 if args.quick else 40, replace=False)
    err_ours, err_st = [], []
    for i in idx:
        rlo, rhi = reference(int(n[i]), float(b[i]), cl)
        lo, hi = kbn_interval(int(n[i]), float(b[i]), cl)
        err_ours.append(max(abs(lo - rlo), abs(hi - rhi)))
        if have_st:
            slo, shi, _ = uk.bayesRate(int(n[i]), float(b[i]), cl)
            err_st.append(max(abs(slo - rlo), abs(shi - rhi)))
    print(f"  max |error| of the bounds (counts) over {len(idx)} pairs: ours {max(err_ours):.2e}"
          + (f", swifttools {max(err_st):.2e}" if err_st else ""))
    rlo, rhi = reference(577, 564.8623355896407, 0.95)
    lo, hi = kbn_interval(577, 564.8623355896407, 0.95)
    line = f"  tutorial merge (577, 564.86234, 95%): reference {rhi:.10f}, ours {hi:.10f}"
    if have_st:
        line += f", swifttools {uk.bayesRate(577, 564.8623355896407, 0.95)[1]:.10f}"
    print(line)


if __name__ == "__main__":
    main()
