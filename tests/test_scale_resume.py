"""Kill a running batch job in a subprocess, then resume it from its journal (issue 13)."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np

from test_scale_batch import field_positions

N = 60

_CHILD = r'''
import sys, warnings
warnings.simplefilter("ignore")
from astroquery_sxps import SXPSClass, conf
from astroquery_sxps.testing import synthetic
import astropy.units as u
from astropy.coordinates import SkyCoord
url, journal, cache, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ds = synthetic.table_arrays("datasets", "LSXPS", 500)
positions = SkyCoord((ds["RA"][:n] + 0.02) * u.deg, ds["Decl"][:n] * u.deg)
query = SXPSClass(server=url)
query.cache_location = cache
with conf.set_temp("max_workers", 2):
    query.query_upper_limits(positions, journal=journal, show_progress=False)
print("finished")
'''


def _stored(journal):
    try:
        with sqlite3.connect(journal, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM positions WHERE status = 'done'").fetchone()[0]
    except sqlite3.Error:
        return 0     # not created yet


def test_killed_job_resumes_from_its_journal(sxps, sxps_server, tmp_path):
    sxps_server.options["synthetic_upper_limits"] = True
    sxps_server.latency = 0.05
    journal = tmp_path / "sample.sqlite"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, sxps_server.api_url, str(journal),
                              str(tmp_path / "child-cache"), str(N)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _stored(journal) < 15 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        assert child.poll() is None, child.communicate()
        os.kill(child.pid, signal.SIGKILL)          # no clean-up, no flush: a hard kill
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    sxps_server.wait_idle()
    done = _stored(journal)
    assert 15 <= done < N

    # resume with another query object (its own cache): only the missing positions are asked
    sxps_server.latency = 0.0
    asked_before = sxps_server.counts["getSXPSUL"]
    resumed = sxps.query_upper_limits(field_positions(N), journal=journal, show_progress=False)
    assert sxps_server.counts["getSXPSUL"] - asked_before == N - done
    assert resumed.meta["n_from_journal"] == done
    assert resumed["input_index"].tolist() == list(range(N))
    assert len(resumed.meta["failures"]) == 0

    # the same result as an uninterrupted job
    whole = sxps.query_upper_limits(field_positions(N), show_progress=False, cache=False)
    assert resumed.colnames == whole.colnames
    for name in whole.colnames:
        if name == "position":
            assert np.all(resumed[name].separation(whole[name]).arcsec < 1e-9)
        elif name in ("StartTime", "StopTime"):
            assert (resumed[name] == whole[name]).all()
        else:
            np.testing.assert_array_equal(np.asarray(resumed[name]), np.asarray(whole[name]))
