"""The pieces of the ``sxps`` command line, in-process (fast): the JSON encoder, the
output layer, the exit-code rules, help texts and error paths of `main`.

The end-to-end runs through the real entry points are in ``test_cli.py``.
"""
import json
import re

import numpy as np
import pytest
import requests
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Column, MaskedColumn, Table
from astropy.time import Time

from astroquery_sxps.cli import main
from astroquery_sxps.cli import errors
from astroquery_sxps.cli.jsonenc import SXPSJSONEncoder, dumps, to_jsonable
from astroquery_sxps import SXPSTable
from astroquery_sxps.cli.output import choose_output, format_table, write_table
from astroquery_sxps.exceptions import (InvalidQueryError, ObjectNotFoundError,
                                        RemoteServiceError, SourceSplitError, SXPSResponseError,
                                        SXPSServerError, TimeoutError,
                                        TransientNotInLSXPSError, UpperLimitPending)

COMMANDS = ("ul", "source", "dataset", "transient", "lc", "spectrum", "images", "cone",
            "table", "emulator", "demo")


# -- JSON ---------------------------------------------------------------------------
def test_json_of_astropy_objects_reads_back():
    record = {
        "When": Time("2022-05-30 09:13:32.25", scale="utc"),
        "Mid": Time(2454268.765854076, format="jd", scale="tdb"),
        "Times": Time([58849.0, 58850.5], format="mjd"),
        "MET": 675591242.5 * u.s,
        "Rates": [1.0, 2.0] * u.ct / u.s,
        "Pos": SkyCoord(l=0 * u.deg, b=0 * u.deg, frame="galactic"),
        "n": np.int64(3), "x": np.float32(0.5), "nan": float("nan"), "flag": np.bool_(True),
        "list": (1, "a", None), "nested": {"inf": np.inf, 7: "seven"},
    }
    text = json.dumps(record, cls=SXPSJSONEncoder)        # NaN/inf would be invalid JSON
    back = json.loads(text)
    when = Time(back["When"]["iso"], scale=back["When"]["scale"])
    assert abs((when - record["When"]).sec) < 1e-6
    assert back["Mid"]["scale"] == "tdb"
    assert abs((Time(back["Mid"]["iso"], scale="tdb") - record["Mid"]).sec) < 1e-5
    assert back["Times"]["iso"] == ["2020-01-01T00:00:00.000000", "2020-01-02T12:00:00.000000"]
    assert back["MET"] == {"value": 675591242.5, "unit": "s"}
    assert back["Rates"] == {"value": [1.0, 2.0], "unit": "ct / s"}
    galactic_centre = SkyCoord(l=0 * u.deg, b=0 * u.deg, frame="galactic").icrs
    assert back["Pos"]["frame"] == "icrs"
    assert back["Pos"]["ra"] == pytest.approx(galactic_centre.ra.deg)
    assert back["n"] == 3 and back["x"] == 0.5 and back["flag"] is True
    assert back["nan"] is None and back["nested"] == {"inf": None, "7": "seven"}
    assert back["list"] == [1, "a", None]


def test_json_of_a_table_is_a_list_of_records():
    table = Table()
    table["ObsID"] = Column(["00035063001", "03102486001"])
    table["Exposure"] = Column([812.5, np.nan], unit="s")
    table["Counts"] = MaskedColumn([3, 0], mask=[False, True])
    table["Info"] = Column(np.array([{"C": 3}, None], dtype=object))
    table["coord"] = SkyCoord([10, 20] * u.deg, [-5, 5] * u.deg)
    table["Start"] = Time(["2020-01-01", "2020-01-02"])
    records = json.loads(dumps(table))
    assert records[0] == {"ObsID": "00035063001", "Exposure": {"value": 812.5, "unit": "s"},
                          "Counts": 3, "Info": {"C": 3},
                          "coord": {"ra": 10.0, "dec": -5.0, "frame": "icrs"},
                          "Start": {"iso": "2020-01-01T00:00:00.000000", "scale": "utc"}}
    assert records[1]["Exposure"] == {"value": None, "unit": "s"}
    assert records[1]["Counts"] is None and records[1]["Info"] is None
    assert to_jsonable(Table()) == []


def test_json_of_a_table_converts_whole_columns_as_cell_by_cell():
    """Columns are converted at once; every row is what its cells give one by one."""
    from astropy.table import QTable
    from astropy.time import TimeDelta
    from astropy.utils.masked import Masked
    from astroquery_sxps.cli.jsonenc import _cell
    table = Table()
    table["name"] = Column(["a", "bb", "c"])
    table["raw"] = Column([b"x", b"yz", b""])
    table["flag"] = Column([True, False, True])
    table["n"] = Column([1, -2, 3])
    table["counts"] = Column([3, 0, 7], unit="ct")                  # int with a unit
    table["rate32"] = Column(np.array([0.1, np.nan, 2.5], dtype=np.float32), unit="ct / s")
    table["Exposure"] = Column([812.5, np.nan, np.inf], unit="s")
    table["Flux"] = MaskedColumn([1e-12, 2e-12, 3e-12], unit="erg / (cm2 s)",
                                 mask=[False, True, False])
    table["Counts"] = MaskedColumn([3, 0, 5], mask=[False, True, False])
    table["Label"] = MaskedColumn(["p", "q", "r"], mask=[True, False, False])
    table["Info"] = Column(np.array([{"C": 3}, None, [1, 2]], dtype=object))
    table["pair"] = Column([[1.0, 2.0], [3.0, np.nan], [5.0, 6.0]], unit="deg")
    table["coord"] = SkyCoord([10, 20, np.nan] * u.deg, [-5, 5, 89.9] * u.deg)
    table["gal"] = SkyCoord(l=[0, 120, 359.9] * u.deg, b=[0, -30, 60] * u.deg,
                            frame="galactic")
    table["Start"] = Time(["2020-01-01", "2020-01-02T03:04:05.1234567", "2021-12-31"])
    table["Mid"] = Time([2454268.765854076, 2454269.5, 2454270.25], format="jd", scale="tdb")
    gaps = Time([58849.0, 58850.5, 58851.25], format="mjd")
    gaps[1] = np.ma.masked
    table["Gaps"] = gaps
    table["Span"] = TimeDelta([1.0, 2.5, 3.0], format="jd")
    quantities = QTable()
    quantities["Exposure"] = [812.5, np.nan, 3.0] * u.s
    quantities["Bins"] = u.Quantity([1, 2, 3], u.ct, dtype=int)
    quantities["Dist"] = Masked([1.0, 2.0, 3.0] * u.arcsec, mask=[False, True, False])
    for t in (table, quantities):
        cells = [{name: _cell(t[name], i) for name in t.colnames} for i in range(len(t))]
        assert dumps(t) == dumps(cells)
    rows = to_jsonable(table)
    assert rows[1]["Flux"] is None and rows[1]["Counts"] is None and rows[0]["Label"] is None
    assert rows[1]["rate32"] == {"value": None, "unit": "ct / s"}
    assert rows[2]["counts"] == {"value": 7.0, "unit": "ct"}
    assert rows[1]["Start"] == {"iso": "2020-01-02T03:04:05.123457", "scale": "utc"}
    # a masked time is null, as every masked cell
    assert rows[1]["Gaps"] is None and rows[0]["Gaps"]["iso"] == "2020-01-01T00:00:00.000000"


# -- output ------------------------------------------------------------------------
def test_choose_output_by_extension_and_its_errors(tmp_path):
    import click
    allowed = ("ecsv", "votable", "fits", "csv", "json")
    assert choose_output(str(tmp_path / "a.VOT"), None, False, allowed, "t").format == "votable"
    assert choose_output(str(tmp_path / "a.dat"), "CSV", False, allowed, "t").format == "csv"
    readable = choose_output(None, None, False, allowed, "t")
    assert readable.readable and readable.to_stdout
    stdout = choose_output("-", "json", False, allowed, "t")
    assert stdout.to_stdout and not stdout.readable
    (tmp_path / "old.ecsv").write_text("x")
    assert choose_output(str(tmp_path / "old.ecsv"), None, True, allowed, "t").overwrite
    for path, fmt, message in [("-", None, "needs --format"),
                               (str(tmp_path / "a.txt"), None, ".ecsv, .vot/.votable/.xml"),
                               (str(tmp_path / "a.qdp"), None, "cannot tell the format"),
                               (str(tmp_path / "a.ecsv"), "qdp", "'qdp': t can be written as"),
                               (str(tmp_path / "old.ecsv"), None, "exists; add --overwrite"),
                               (str(tmp_path), "csv", "is a directory")]:
        with pytest.raises(click.BadParameter, match=message):
            choose_output(path, fmt, False, allowed, "t")


def _mixin_table():
    table = Table()
    table["name"] = ["a", "b"]
    table["coord"] = SkyCoord([10, 20] * u.deg, [-5, 5] * u.deg)
    start = Time(["2020-01-01", "2020-01-02"])
    start[1] = np.ma.masked
    table["Start"] = start
    table["rate"] = Column([1.5, 2.5], unit="ct / s")
    table.meta = {"Info": "x", "Pos": SkyCoord(1 * u.deg, 2 * u.deg),
                  "Near": Table({"Distance": [2.4] * u.arcsec})}
    return table


def test_votable_output_is_the_writer_of_every_result(tmp_path):
    """A plain Table with mixins (astropy's own VOTable writer refuses them) is written by
    the results' VOTable writer: other tools see RA/Dec and MJD columns, and it reads back
    whole."""
    table = _mixin_table()
    with pytest.raises(ValueError, match="mixin"):      # astropy's writer alone
        table.write(tmp_path / "raw.vot", format="votable")
    output = choose_output(str(tmp_path / "t.vot"), None, False, ("votable",), "t")
    assert write_table(table, output) == tmp_path / "t.vot"
    plain = Table.read(tmp_path / "t.vot")
    assert plain.colnames == ["name", "coord_ra", "coord_dec", "Start", "rate"]
    np.testing.assert_allclose(plain["coord_ra"], [10, 20])
    assert plain["Start"].unit == "d" and plain["Start"][0] == 58849.0
    assert plain["Start"].mask[1] and not plain["Start"].mask[0]
    assert plain["rate"].unit == "ct / s"
    back = SXPSTable.read(tmp_path / "t.vot")
    assert isinstance(back["coord"], SkyCoord) and back["Start"].scale == "utc"
    assert back["Start"].mask[1] and back["Start"][0] == table["Start"][0]
    assert back.meta["Near"]["Distance"].unit == u.arcsec
    assert back.meta["Pos"].separation(table.meta["Pos"]) == 0 * u.deg
    assert isinstance(table["coord"], SkyCoord)          # the original is unchanged


@pytest.mark.parametrize("fmt", ["ecsv", "fits", "csv", "json", "votable"])
def test_write_table_every_format_atomically(tmp_path, fmt):
    target = tmp_path / f"t.{fmt}"
    output = choose_output(str(target), fmt, False, ("ecsv", "votable", "fits", "csv", "json"),
                           "t")
    assert write_table(_mixin_table(), output) == target
    assert [p.name for p in tmp_path.iterdir()] == [target.name]     # no temporary left
    if fmt == "json":
        document = json.loads(target.read_text())
        assert document["meta"]["Pos"]["frame"] == "icrs" and len(document["rows"]) == 2
    else:
        reader = Table if fmt == "csv" else SXPSTable     # the results' own writers
        back = reader.read(target, format={"ecsv": "ascii.ecsv", "csv": "ascii.csv"}.get(fmt, fmt))
        assert len(back) == 2 and list(back["name"]) == ["a", "b"]
        if fmt != "csv":
            assert isinstance(back["coord"], SkyCoord) and back["Start"].mask[1]
            near = back.meta["near" if fmt == "fits" else "Near"]    # FITS keys: lower case
            assert near["Distance"].unit == u.arcsec
    with pytest.raises(FileExistsError):                 # created meanwhile: not replaced
        write_table(_mixin_table(), output)


def test_format_table_fits_the_width_and_leaves_out_nested_records():
    table = Table({f"column_{i}": np.arange(3) * 1000.5 for i in range(20)})
    table["Info"] = Column(np.array([{"a": 1}] * 3, dtype=object))
    lines = format_table(table, width=60, max_lines=-1)
    assert max(len(line) for line in lines) <= 60 and "..." in lines[0]
    assert "Info" not in "".join(lines)


# -- exit codes --------------------------------------------------------------------
@pytest.mark.parametrize("exc, code", [
    (InvalidQueryError("bands='x' is not valid"), 2),
    (FileExistsError("out.ecsv exists"), 2),
    (ObjectNotFoundError("no such observation"), 4),
    (TransientNotInLSXPSError("not yet in LSXPS"), 4),
    (SourceSplitError(37562, Table({"IAUName": ["A", "B"]})), 4),
    # the real server's text, quoted in the UKSSDC tutorial
    (SXPSServerError(1, "Dataset with obsid: `10000000668` is not found in the LSXPS "
                        "catalogue."), 4),
    (SXPSServerError(1, "Could not resolve 'Nowhere': it is not a valid position"), 4),
    (SXPSServerError(1, "Database is down for maintenance."), 3),
    (SXPSServerError(1, ""), 3),
    (SXPSResponseError("HTTP 503 Service Unavailable"), 3),
    (RemoteServiceError("broken reply"), 3),
    (UpperLimitPending("abc123"), 3),
    (TimeoutError("no reply within 330 s"), 3),
    (requests.exceptions.ConnectionError("refused"), 3),
    (ValueError("something else"), 1),
])
def test_exit_codes(exc, code):
    assert errors.exit_code(exc) == code


def test_one_line_messages():
    assert errors.one_line(SXPSServerError(1, "line one\nline two")) == \
        "The UKSSDC server reported error 1: line one line two"
    assert errors.one_line(UpperLimitPending("abc123")).endswith(
        "From the shell: sxps ul --job abc123")
    # the server's text cannot send escape sequences to the terminal
    assert errors.one_line(SXPSServerError(1, "bad\x1b[2Jnews")).endswith("bad?[2Jnews")
    from astroquery_sxps.cli.text import format_value
    assert format_value("ATEL\x07  15404 &amp; more") == "ATEL? 15404 & more"


# -- main(), in-process ------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_help_shows_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert f"Usage: sxps {command}" in text
    assert "Example" in text and f"sxps {command}" in text.split("Example", 1)[1]


def test_missing_command(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err == \
        "sxps: error: Missing command. (see 'sxps --help' for usage)\n"


@pytest.fixture
def run_main(sxps_server, tmp_path, capsys, monkeypatch):
    """``run_main(*args) -> (code, out, err)`` against the emulator, in-process."""
    monkeypatch.chdir(tmp_path)

    def call(*args):
        code = main(["--server", sxps_server.api_url, "--cache-dir", str(tmp_path / "c"),
                     "--retries", "0", *args])
        out, err = capsys.readouterr()
        return code, out, err
    return call


@pytest.mark.parametrize("args, message", [
    (["ul"], "Give exactly one of POSITION_OR_NAME, --job JOB_ID or --positions FILE."),
    (["ul", "1", "2", "--job", "abc"], "Give exactly one of POSITION_OR_NAME, --job JOB_ID "
                                       "or --positions FILE (not POSITION_OR_NAME and --job)."),
    (["ul", "1", "2", "--sigma", "three"], "'three' is not a valid float"),
    (["source"], "Missing argument 'ID_OR_NAME'."),
    (["images", "11375", "--obsid", "00282445000"],
     "Give exactly one of ID_OR_NAME, --obsid or --dataset-id (got ID_OR_NAME and --obsid)."),
    (["cone", "GK", "Per", "5m"], "'5m' is not an angle"),
    (["cone", "GK", "Per", "12arcmin", "-o", "x.txt"], "cannot tell the format of 'x.txt'"),
    (["lc", "11375", "-o", "-"], "needs --format"),
    (["lc", "11375", "--plot", "lc.xyz"], "a plot can be saved as"),
    (["source", "11375", "-o", "s.ecsv"], "the record can be written as .json"),
    (["--offline", "source", "11375"], "--offline and --server cannot be used together."),
    (["source", "11375", "-q", "-v"], "--quiet and --verbose cannot be used together."),
])
def test_usage_errors_exit_2_before_any_request(run_main, sxps_server, args, message):
    code, out, err = run_main(*args)
    assert code == 2 and out == ""
    assert message in err and len(err.splitlines()) == 1 and err.startswith("sxps")
    assert sum(sxps_server.counts.values()) == 0


def test_bad_values_are_refused_by_the_api_before_any_request(run_main, sxps_server):
    code, _, err = run_main("ul", "334.5", "-8.25", "--which-data", "most")
    assert code == 2
    assert err.startswith("sxps ul: error: which_data='most' is not valid; allowed values are")
    assert sum(sxps_server.counts.values()) == 0


def test_unknown_curve_lists_the_datasets(run_main):
    code, _, err = run_main("lc", "LSXPS J062131.8-622213", "--bands", "total", "--curve", "X")
    assert code == 2
    assert "X not among the datasets of this light curve: Total_rates, Total_UL." in err


def test_existing_output_needs_overwrite(run_main, tmp_path):
    (tmp_path / "s.json").write_text("{}")
    assert run_main("source", "106107", "-o", "s.json")[0] == 2
    assert (tmp_path / "s.json").read_text() == "{}"
    code, _, err = run_main("source", "106107", "-o", "s.json", "--overwrite")
    assert code == 0 and "wrote s.json" in err
    assert json.loads((tmp_path / "s.json").read_text())["LSXPS_ID"] == 106107


def test_server_errors_and_outages_exit_3(run_main, sxps_server):
    sxps_server.reply_next({"ERROR": 1, "ERRORTEXT": "Database is down for maintenance."})
    code, _, err = run_main("source", "11375")
    assert code == 3
    assert err.strip().endswith("Database is down for maintenance.")
    sxps_server.fail_next(status=503)
    code, _, err = run_main("transient", "576", "--no-cache")
    assert code == 3 and "HTTP 503" in err


def test_split_source_exits_4_naming_its_successors(run_main):
    code, _, err = run_main("source", "37562")
    assert code == 4 and "has been split into" in err


def test_verbose_prints_the_traceback(run_main):
    code, _, err = run_main("-v", "source", "999999999")
    assert code == 4
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1].startswith("sxps source: error: The UKSSDC server reported")


def test_quiet_silences_warnings_and_global_options_may_follow_the_command(run_main):
    import warnings
    from astroquery_sxps.exceptions import SupersededWarning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run_main("source", "11375", "--quiet", "--no-cache")
    assert code == 0 and err == "" and caught == []
    assert out.startswith("LSXPS J174527.1-290217 (LSXPS_ID 129723)")
    with pytest.warns(SupersededWarning, match="superseded by LSXPS_ID 129723"):
        assert run_main("source", "11375", "--no-cache")[0] == 0


def test_no_cache_sends_every_request(run_main, sxps_server):
    run_main("transient", "576", "--json")
    run_main("transient", "576", "--json")
    assert sxps_server.counts["getSXPSTransInfo"] == 1        # the second from the cache
    run_main("--no-cache", "transient", "576", "--json")
    assert sxps_server.counts["getSXPSTransInfo"] == 2


# -- the examples of the docs page and of the README -------------------------------
ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def _console_examples(text):
    """``(command words, stdout file or None, [expected lines])`` of each ``$ sxps`` line of
    the console blocks of an .rst page; '...' in the shown output stands for other lines."""
    import shlex
    examples = []
    for block in re.findall(r"\.\. code-block:: console\n\n((?:    .*\n|\n)+)", text):
        for line in block.splitlines():
            line = line[4:]
            if line.startswith("$ "):
                words = shlex.split(line[2:])
                target = None
                if ">" in words:
                    target = words[words.index(">") + 1]
                    words = words[:words.index(">")]
                examples.append((words, target, []))
            elif line.strip() and line.strip() != "..." and examples:
                examples[-1][2].append(line.rstrip())
    return examples


def _run_examples(examples, run_main, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    for words, target, shown in examples:
        assert words[0] == "sxps"
        code, out, err = run_main(*words[1:])
        printed = [line.rstrip() for line in (out + err).splitlines()]
        failing = any("error:" in line for line in shown)
        assert (code != 0) == failing, (words, code, err)
        for line in shown:
            assert line in printed, (words, line, printed)
        if target:
            (tmp_path / target).write_text(out)
    return len(examples)


def test_docs_page_examples_run_as_shown(run_main, tmp_path, monkeypatch):
    import warnings
    text = (ROOT / "docs" / "sxps" / "cli.rst").read_text()
    examples = _console_examples(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # e.g. the superseded-source warning
        assert _run_examples(examples, run_main, tmp_path, monkeypatch) == len(examples) >= 14
    assert json.loads((tmp_path / "source.json").read_text())["LSXPS_ID"] == 106107
    assert (tmp_path / "limits.csv").read_text().startswith("Time,TimePos,TimeNeg,UpperLimit")
    for name in ("lc.png", "lc_Total_rates.qdp", "lc_Total_UL.qdp", "dataset.json",
                 "gkper.vot", "sources.fits", "spec/interval0pc.pi"):
        assert (tmp_path / name).stat().st_size > 0, name


def test_readme_commands_run(run_main, tmp_path, monkeypatch):
    import shlex
    import warnings
    block = re.search(r"## Command line.*?```bash\n(.*?)```", (ROOT / "README.md").read_text(),
                      re.S).group(1)
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert len(commands) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _run_examples([(words, None, []) for words in commands], run_main, tmp_path, monkeypatch)
    assert len(Table.read(tmp_path / "ul.ecsv")) == 1
    assert (tmp_path / "lc_Total_rates.qdp").exists() and (tmp_path / "lc.png").exists()
    assert len(Table.read(tmp_path / "gkper.vot")) == 8


def test_lightcurve_json_is_one_document_and_votable_has_mjd_times(run_main, sxps, tmp_path):
    assert run_main("lc", "576", "--transient", "-o", "lc.json")[0] == 0
    document = json.loads((tmp_path / "lc.json").read_text())
    want = sxps.get_lightcurve(source_id=576, transient=True)
    assert list(document["datasets"]) == want.datasets
    assert document["meta"]["binning"] == want.meta["binning"]
    rows = document["datasets"]["PC_incbad"]["rows"]
    assert len(rows) == len(want["PC_incbad"])
    first = Time(rows[0]["time"]["iso"], scale=rows[0]["time"]["scale"])
    assert abs((first - want["PC_incbad"].time[0]).sec) < 1e-6     # microsecond ISO times
    assert run_main("lc", "576", "--transient", "--curve", "PC_incbad", "-o", "pc.vot")[0] == 0
    table = Table.read(tmp_path / "pc.vot")
    np.testing.assert_allclose(table["time"], want["PC_incbad"].time.mjd, rtol=0, atol=1e-9)


def test_offline_emulator_is_stopped_at_exit_also_after_an_error(monkeypatch, tmp_path, capsys):
    from astroquery_sxps.testing import SXPSEmulator
    stopped = []
    original = SXPSEmulator.stop

    def stop(self):
        stopped.append(self.api_url)
        return original(self)
    monkeypatch.setattr(SXPSEmulator, "stop", stop)
    monkeypatch.chdir(tmp_path)
    assert main(["--offline", "transient", "576", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["TransientID"] == 576
    assert main(["--offline", "source", "999999999"]) == 4
    assert len(stopped) == 2 and stopped[0] != stopped[1]      # a fresh emulator each time
    assert main(["--offline", "source"]) == 2                   # usage error: never started
    assert len(stopped) == 2
