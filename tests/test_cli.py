"""The ``sxps`` command line through its real entry points, in subprocesses.

Every subcommand runs as ``python -m astroquery_sxps ...`` (or the installed
``sxps`` script) against the test session's emulator (``--server``), with a
private cache; output files are read back and compared with the Python API's
result for the same call (the ``sxps`` fixture, same emulator).
"""
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from astropy.time import Time
from astropy.timeseries import TimeSeries

from astroquery_sxps import SXPSTable, save_lightcurves
from astroquery_sxps.testing.handlers.upper_limits import schedule_ul_timeout, ul_jobs

POS = "77.969042 -62.324167"          # the tutorial's position with 12 datasets
LC_SOURCE = "LSXPS J062131.8-622213"
SPEC_SOURCE = "LSXPS J221755.4-082100"


def _env(columns=100):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXPS_")}
    env.update(COLUMNS=str(columns), LINES="50", MPLBACKEND="Agg", PYTHONWARNINGS="")
    return env


def run(args, *, cwd, expect=0, columns=100, script=False, timeout=180):
    """Run the CLI in a subprocess; check its exit code; return the CompletedProcess."""
    if script:
        command = [str(Path(sys.executable).with_name("sxps"))]
    else:
        command = [sys.executable, "-m", "astroquery_sxps"]
    result = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True,
                            cwd=cwd, env=_env(columns), timeout=timeout)
    assert result.returncode == expect, \
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


@pytest.fixture
def cli(sxps_server, tmp_path):
    """``cli(*args, expect=0)``: sxps pointed at the emulator, with a private cache."""
    cache = tmp_path / "cli-cache"

    def call(*args, expect=0, columns=100, script=False, global_args=()):
        return run(["--server", sxps_server.api_url, "--cache-dir", cache, "--retries", "0",
                    *global_args, *args], cwd=tmp_path, expect=expect, columns=columns,
                   script=script)
    return call


def _quiet(function, *args, **kwargs):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _error_line(stderr):
    """The error message: exactly one line mentioning 'error', and no traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, stderr
    return lines[0]


# -- help --------------------------------------------------------------------------
def test_installed_script_help_lists_commands_with_examples(tmp_path):
    result = run(["--help"], cwd=tmp_path, script=True)
    for command in ("ul", "source", "dataset", "transient", "lc", "spectrum", "images", "cone",
                    "table", "emulator", "demo"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command
    assert "Examples:" in result.stdout and "sxps ul 334.502058 -8.256481" in result.stdout


# -- upper limits ------------------------------------------------------------------
def test_ul_to_ecsv_matches_the_python_api(cli, sxps, tmp_path):
    result = cli("ul", *POS.split(), "--bands", "all", "--which-data", "all",
                 "--time-format", "mjd", "-o", "ul.ecsv")
    assert result.stdout == ""                                  # the result is the file
    assert "wrote ul.ecsv" in result.stderr
    assert "CataloguedSourceWarning" in result.stderr           # the API's warning, on stderr
    got = SXPSTable.read(tmp_path / "ul.ecsv")
    want = _quiet(sxps.query_upper_limit, POS, bands="all", which_data="all", time_format="mjd")
    assert got.colnames == want.colnames and len(got) == len(want) == 12
    for name in want.colnames:
        if isinstance(want[name], Time):
            assert got[name].scale == want[name].scale == "utc"
            np.testing.assert_allclose(got[name].mjd, want[name].mjd, rtol=0, atol=1e-9)
        elif want[name].dtype.kind == "f":
            np.testing.assert_array_equal(got[name], want[name])
            assert got[name].unit == want[name].unit
        else:
            assert list(got[name]) == list(want[name])
    assert got.meta["resolved_info"] == want.meta["resolved_info"]
    assert got.meta["resolved_position"].separation(want.meta["resolved_position"]).arcsec < 1e-6
    # the Table in meta comes back (the results' ECSV writer keeps it as nested ECSV)
    assert list(got.meta["det_data"]["SourceName"]) == ["LSXPS J051152.3-621925"]
    assert got.meta["det_data"]["Distance"].unit == "arcsec"
    assert list(got.meta["det_data"]["Distance"]) == [2.4]


def test_ul_by_name_prints_a_table_that_fits_the_terminal(cli):
    result = cli("ul", "V*", "FO", "Aqr", "--quiet", columns=90)
    lines = result.stdout.splitlines()
    assert lines[0] == "Resolved 'V* FO Aqr' via SIMBAD as (334.50206, -8.25648)"
    assert max(len(line) for line in lines) <= 90
    # the limit leads (files keep the API's order); columns that do not fit are left out
    assert lines[1].split()[:2] == ["ObsID", "Total_UpperLimit"] and "..." in lines[1]
    assert lines[4].split()[:2] == ["10000018414", "0.000321"]
    assert result.stderr == ""                                         # --quiet


def test_ul_pending_job_then_retrieved_with_job(cli, sxps, sxps_server, tmp_path):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 9)
    result = cli("ul", "334.502058", "-8.256481", "--wait", "0", expect=3)
    line = _error_line(result.stderr)
    assert job in line and f"sxps ul --job {job}" in line
    ul_jobs(sxps_server)[job]["remaining"] = 0
    cli("ul", "--job", job, "-o", "ul.json")
    document = json.loads((tmp_path / "ul.json").read_text())
    want = sxps.query_upper_limit("334.502058 -8.256481")
    assert [row["ObsID"] for row in document["rows"]] == list(want["ObsID"]) == ["10000018414"]
    assert document["rows"][0]["Total_UpperLimit"] == {"value": 0.000321, "unit": "ct / s"}
    start = document["rows"][0]["StartTime"]
    assert Time(start["iso"], scale=start["scale"]) == want["StartTime"][0]


# -- details -----------------------------------------------------------------------
def test_source_json_matches_the_python_api(cli, sxps):
    result = cli("source", "11375", "--json")
    record = json.loads(result.stdout)
    want = _quiet(sxps.get_source_details, source_id=11375)
    assert "superseded by LSXPS_ID 129723" in result.stderr
    assert record["IAUName"] == want["IAUName"] == "LSXPS J174527.1-290217"
    assert record["LSXPS_ID"] == 129723
    assert record["Err90"] == {"value": want["Err90"].to_value("arcsec"), "unit": "arcsec"}
    first = record["FirstObsDate"]
    assert first["scale"] == "utc" and Time(first["iso"], scale="utc") == want["FirstObsDate"]
    assert record["FirstObsMET"] == {"value": want["FirstObsMET"].value, "unit": "s"}
    matches = record["CrossMatch"]
    assert [m["ExtCat_ID"] for m in matches] == list(want["CrossMatch"]["ExtCat_ID"])
    assert [m["Distance"]["value"] for m in matches] == list(want["CrossMatch"]["Distance"])
    assert matches[0]["Ext_coord"]["ra"] == pytest.approx(want["CrossMatch"]["Ext_coord"][0].ra.deg)
    detected = record["Detections"]["Observations"]
    assert [r["ObsID"] for r in detected] == list(want["Detections"]["Observations"]["ObsID"])
    assert detected[0]["Total_Info"] == want["Detections"]["Observations"]["Total_Info"][0]


def test_source_readable_by_unquoted_name(cli):
    result = cli("source", "LSXPS", "J174527.1-290217")
    out = result.stdout
    assert out.startswith("LSXPS J174527.1-290217 (LSXPS_ID 129723)\n")
    assert "17h45m27.12s -29d02m17.17s" in out and "+/- 6.70 arcsec (90%)" in out
    assert "total 3041, detected 29, blind detections 8" in out
    assert "Cross-matches (13):" in out and "2CXO J174527.2-290214" in out


def test_dataset_readable_and_json_by_dataset_id(cli, sxps, tmp_path):
    out = cli("dataset", "00282445000").stdout
    assert out.startswith("Dataset 00282445000 (DatasetID 9725, observation)\n")
    assert "GRB070616 (target 282445)" in out and "Sources in the field (29):" in out
    cli("dataset", "9725", "--dataset-id", "-o", "ds.json")
    record = json.loads((tmp_path / "ds.json").read_text())
    want = sxps.get_dataset_details(dataset_id=9725)
    assert record["ObsID"] == want["ObsID"] == "00282445000"
    assert [s["LSXPS_ID"] for s in record["Sources"]] == list(want["Sources"]["LSXPS_ID"])
    mid = record["MidTime_TDB"]           # a TDB time stays TDB
    assert mid["scale"] == "tdb"
    assert abs((Time(mid["iso"], scale="tdb") - want["MidTime_TDB"]).sec) < 1e-5
    assert record["inStack"] == want["inStack"]


def test_transient_readable_and_as_source_json(cli, sxps):
    out = cli("transient", "Swift", "J073006.8-193709").stdout
    assert out.startswith("Swift J073006.8-193709 (transient 576)\n")
    assert "LSXPS J073006.8-193710 (LSXPS_ID 366116)" in out
    assert "0.3 \u2014 10 keV" in out                    # the server's HTML entity, decoded
    record = json.loads(cli("transient", "576", "--as-source", "--json").stdout)
    want = sxps.get_transient_details(source_id=576, trans_as_source=True)
    assert record["IAUName"] == want["IAUName"] == "LSXPS J073006.8-193710"
    assert record["LSXPS_ID"] == want["LSXPS_ID"]


# -- light curves ------------------------------------------------------------------
def test_lc_qdp_files_and_plot_match_save_lightcurves(cli, sxps, tmp_path):
    result = cli("lc", LC_SOURCE, "--binning", "obsid", "--bands", "total", "-o", "lc.qdp",
                 "--plot", "lc.png")
    assert "wrote lc_Total_rates.qdp" in result.stderr and "wrote lc.png" in result.stderr
    lcs = sxps.get_lightcurve(source_name=LC_SOURCE, binning="obsid", bands="total")
    reference = save_lightcurves(lcs, tmp_path / "api", format="qdp")
    assert [p.name for p in reference] == ["Total_rates_MJD_Observation.qdp",
                                           "Total_UL_MJD_Observation.qdp"]
    for name, path in zip(["Total_rates", "Total_UL"], reference):
        assert (tmp_path / f"lc_{name}.qdp").read_text() == path.read_text()
    assert (tmp_path / "lc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lc_one_curve_ecsv_and_csv_to_stdout(cli, sxps, tmp_path):
    cli("lc", LC_SOURCE, "--curve", "Total_rates", "-o", "rates.ecsv")
    got = TimeSeries.read(tmp_path / "rates.ecsv", format="ascii.ecsv")
    want = sxps.get_lightcurve(source_name=LC_SOURCE)["Total_rates"]
    assert len(got) == len(want) == 44
    np.testing.assert_allclose(got.time.mjd, want.time.mjd, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(got["Rate"], want["Rate"])
    assert got["Rate"].unit == "ct / s"
    # CSV to standard output: save_lightcurves' 'dat' text with a header line
    text = cli("lc", LC_SOURCE, "--curve", "Total_UL", "-o", "-", "--format", "csv").stdout
    lcs = sxps.get_lightcurve(source_name=LC_SOURCE)
    [path] = save_lightcurves(lcs, tmp_path / "api", which_curves=["Total_UL"], format="dat",
                              header=True)
    assert text == path.read_text()
    assert text.splitlines()[0].startswith("Time,TimePos,TimeNeg,UpperLimit")


# -- spectra and images ------------------------------------------------------------
def test_spectrum_download_dir_lists_files(cli, tmp_path):
    out = cli("spectrum", SPEC_SOURCE, "--download-dir", "spec").stdout
    assert "PowerLaw" in out and "APEC" in out and "2619.41" in out
    listed = [line.strip() for line in out.split("Files:\n", 1)[1].splitlines()]
    on_disk = {str(p.relative_to(tmp_path)) for p in (tmp_path / "spec").rglob("*")
               if p.is_file()}
    assert "spec/interval0pc.pi" in listed and "spec/interval0pc_apec_plot.gif" in listed
    assert set(listed) == on_disk


def test_spectrum_fit_table_to_ecsv_matches_the_python_api(cli, sxps, tmp_path):
    cli("spectrum", SPEC_SOURCE, "-o", "fit.ecsv")
    got = Table.read(tmp_path / "fit.ecsv")
    want = sxps.get_spectrum(source_name=SPEC_SOURCE)
    assert list(got["model"]) == list(want["model"]) == ["PowerLaw", "APEC"]
    for name in ("NH", "Gamma", "KT", "Cstat", "FitChi"):
        np.testing.assert_array_equal(got[name], want[name])
    assert got["NH"].unit == want["NH"].unit


def test_source_images_downloaded(cli, tmp_path):
    out = cli("images", "LSXPS", "J051152.3-621925", "--download-dir", "img").stdout
    folder = tmp_path / "img" / "LSXPS J051152.3-621925"
    for band in ("Total", "Soft", "Medium", "Hard", "Expmap"):
        assert (folder / f"{band}.png").read_bytes()[:4] == b"\x89PNG"
        assert f"img/LSXPS J051152.3-621925/{band}.png" in out


def test_dataset_image_list_to_csv_matches_the_python_api(cli, sxps, tmp_path):
    cli("images", "--obsid", "00282445000", "--bands", "total", "--regions", "-o", "list.csv")
    got = Table.read(tmp_path / "list.csv", format="ascii.csv")
    want = sxps.get_image_list(obsid="00282445000", bands="total", get_regions=True)
    assert list(got["file_name"]) == list(want["file_name"])
    assert list(got["url"]) == list(want["url"])
    assert "total.reg" in list(got["file_name"])


# -- catalogue tables --------------------------------------------------------------
def test_cone_to_votable_matches_the_python_api(cli, sxps, tmp_path):
    import astropy.units as u
    cli("cone", "GK", "Per", "12arcmin", "--table", "datasets", "-o", "gkper.vot")
    got = Table.read(tmp_path / "gkper.vot")
    want = sxps.query_region("GK Per", radius=12 * u.arcmin, table="datasets")
    assert len(got) == len(want) == 8
    assert list(got["ObsID"]) == list(want["ObsID"])
    np.testing.assert_allclose(got["distance"], want["distance"])
    assert got["distance"].unit == want["distance"].unit == "arcmin"
    # as other VO tools see the results' VOTable: Time -> MJD, SkyCoord -> ra/dec in deg
    np.testing.assert_allclose(got["StartTime_UTC"], want["StartTime_UTC"].mjd, rtol=0,
                               atol=1e-9)
    assert got["StartTime_UTC"].unit == "d"
    np.testing.assert_allclose(got["coord_ra"], want["coord"].ra.deg)
    np.testing.assert_allclose(got["coord_dec"], want["coord"].dec.deg)


def test_full_table_to_fits_matches_the_python_api(cli, sxps, tmp_path):
    cli("table", "sources", "--subset", "clean", "-o", "sources.fits")
    got = Table.read(tmp_path / "sources.fits")
    want = sxps.get_full_table("sources", subset="clean", show_progress=False)
    assert len(got) == len(want) > 100
    assert list(got["LSXPS_ID"]) == list(want["LSXPS_ID"])
    np.testing.assert_array_equal(got["RA"], want["RA"])
    assert got.meta["SUBSET"] == "clean"


# -- --offline and the emulator ----------------------------------------------------
def test_offline_runs_the_embedded_emulator(tmp_path):
    result = run(["--offline", "source", "11375", "--json"], cwd=tmp_path)
    assert json.loads(result.stdout)["LSXPS_ID"] == 129723
    result = run(["--offline", "--server", "http://x/", "source", "1"], cwd=tmp_path, expect=2)
    assert "--offline and --server cannot be used together" in _error_line(result.stderr)


def test_emulator_subcommand_serves_queries(tmp_path):
    port = _closed_port()
    server = subprocess.Popen([sys.executable, "-m", "astroquery_sxps", "emulator", "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=_env())
    try:
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/API/main.php" in line, line + server.stderr.read()
        result = run(["--server", f"http://127.0.0.1:{port}/API/main.php", "--cache-dir",
                      tmp_path / "c", "transient", "576", "--json"], cwd=tmp_path)
        assert json.loads(result.stdout)["IAUName"] == "Swift J073006.8-193709"
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0          # SIGTERM stops it cleanly
    with pytest.raises(OSError):                     # and the port is closed again
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# -- errors and exit codes ---------------------------------------------------------
def test_bad_input_exits_2_with_one_line_naming_the_argument(cli):
    result = cli("lc", LC_SOURCE, "--binning", "weekly", expect=2)
    line = _error_line(result.stderr)
    assert line.startswith("sxps lc: error: binning='weekly' is not valid")
    assert "Observation" in line and "Snapshot" in line          # the allowed values
    assert result.stdout == ""


def test_not_found_exits_4_with_the_servers_message(cli):
    result = cli("source", "999999999", expect=4)
    line = _error_line(result.stderr)
    assert "Source with sourceID: `999999999` is not found in the LSXPS catalogue." in line


def test_unreachable_server_exits_3(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/API/main.php"
    result = run(["--server", url, "--retries", "0", "--cache-dir", tmp_path / "c",
                  "source", "11375"], cwd=tmp_path, expect=3)
    line = _error_line(result.stderr)
    assert line.startswith(f"sxps source: error: getSXPSSourceInfo from {url} failed after "
                           "1 attempts")


def test_usage_error_exits_2(cli, tmp_path):
    result = cli("ul", "1", "2", "--bnds", "all", expect=2)
    assert _error_line(result.stderr) == \
        "sxps ul: error: No such option '--bnds'. (see 'sxps ul --help' for usage)"
    assert not any(tmp_path.glob("cli-cache/**/*.pickle"))     # nothing was sent


# -- many positions: sxps ul --positions FILE [--journal J] -------------------------
def _field_positions(n):
    """Positions inside the emulator's synthetic dataset fields (synthetic upper limits)."""
    from astroquery_sxps.testing import synthetic
    ds = synthetic.table_arrays("datasets", "LSXPS", 500)
    return ds["RA"][:n] + 0.02, ds["Decl"][:n]


def test_ul_positions_file_with_a_journal_matches_the_python_api_and_resumes(
        cli, sxps, sxps_server, tmp_path):
    sxps_server.options["synthetic_upper_limits"] = True
    ra, dec = _field_positions(4)
    Table({"ra": ra, "dec": dec}).write(tmp_path / "targets.csv", format="ascii.csv")
    result = cli("ul", "--positions", "targets.csv", "--journal", "job.sqlite",
                 "-o", "uls.fits")
    assert "wrote uls.fits" in result.stderr
    got = SXPSTable.read(tmp_path / "uls.fits")
    want = _quiet(sxps.query_upper_limits, Table({"ra": ra, "dec": dec}), show_progress=False)
    assert list(got["input_index"]) == list(want["input_index"]) and len(got) == len(want) > 0
    np.testing.assert_array_equal(got["Total_UpperLimit"], want["Total_UpperLimit"])
    asked = sxps_server.counts["getSXPSUL"]
    # run again: every answer is in the journal, nothing is asked
    again = cli("ul", "--positions", "targets.csv", "--journal", "job.sqlite", "-o", "again.ecsv")
    assert "wrote again.ecsv" in again.stderr
    assert sxps_server.counts["getSXPSUL"] == asked
    assert list(SXPSTable.read(tmp_path / "again.ecsv")["input_index"]) == list(got["input_index"])


def test_ul_positions_text_file_lists_failures(cli, sxps_server, tmp_path):
    sxps_server.options["synthetic_upper_limits"] = True
    ra, dec = _field_positions(1)
    (tmp_path / "targets.txt").write_text(f"# my sample\n{ra[0]} {dec[0]}\n\nNo Such Object 123\n")
    result = cli("ul", "--positions", "targets.txt", "-o", "uls.ecsv")
    assert "1 position(s) failed" in result.stderr
    got = SXPSTable.read(tmp_path / "uls.ecsv")
    assert set(got["input_index"]) == {0}
    assert list(got.meta["failures"]["input_index"]) == [1]


@pytest.mark.parametrize("args, message", [
    (("334.5", "-8.2", "--positions", "x.csv"), "exactly one of"),
    (("334.5", "-8.2", "--journal", "j.sqlite"), "go with --positions"),
])
def test_ul_positions_usage_errors(cli, tmp_path, args, message):
    (tmp_path / "x.csv").write_text("ra,dec\n1,2\n")
    result = cli("ul", *args, expect=2)
    assert message in result.stderr
