"""SXPS.query_upper_limits: many positions, one stacked Table, failures, journal (issue 13)."""
import sqlite3
import warnings

import numpy as np
import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import QTable, Table

from astroquery_sxps import BatchAbortedError, JournalMismatchError, conf
from astroquery_sxps.exceptions import CataloguedSourceWarning, InvalidQueryError
from astroquery_sxps.testing import synthetic
from astroquery_sxps.testing.handlers.upper_limits import schedule_ul_timeout, ul_jobs

POS1 = "334.502058 -8.256481"          # the tutorial's positions (real values)
POS2 = "77.969042, -62.324167"          # 2.4 arcsec from a catalogued source
_GAL = SkyCoord(1.0, 2.0, unit="deg", frame="galactic").icrs
GALACTIC_1_2_IN_ICRS = (_GAL.ra.deg, _GAL.dec.deg)   # a SkyCoord in any frame is sent as ICRS


def field_positions(n, offset_deg=0.02, rows=500):
    """Positions inside the emulator's synthetic dataset fields (synthetic upper limits)."""
    ds = synthetic.table_arrays("datasets", "LSXPS", rows)
    return SkyCoord((ds["RA"][:n] + offset_deg) * u.deg, ds["Decl"][:n] * u.deg)


@pytest.fixture
def synthetic_uls(sxps_server):
    sxps_server.options["synthetic_upper_limits"] = True
    return sxps_server


# -- input forms ---------------------------------------------------------------------
def _positions_sent(bodies):
    return [b.get("searchName", (b.get("RA"), b.get("Dec"))) for b in bodies]


@pytest.mark.parametrize("positions, expected", [
    (SkyCoord([10.0, 20.0], [-5.0, 5.0], unit="deg"), [(10.0, -5.0), (20.0, 5.0)]),
    (SkyCoord(10.0, -5.0, unit="deg"), [(10.0, -5.0)]),
    (SkyCoord([1.0], [2.0], unit="deg", frame="galactic"), [GALACTIC_1_2_IN_ICRS]),
    ([POS1, "V* FO Aqr", (77.969042, -62.324167), SkyCoord(1, 2, unit="deg"),
      (10 * u.deg, "-5d30m")], [POS1, "V* FO Aqr", (77.969042, -62.324167), (1.0, 2.0),
                                (10.0, -5.5)]),
    (Table({"ra": [10.0, 20.0], "dec": [-5.0, 5.0]}), [(10.0, -5.0), (20.0, 5.0)]),
    (Table({"RA": [10.0], "Decl": [-5.0]}), [(10.0, -5.0)]),
    (Table({"RA": [10.0], "Dec": [-5.0]}), [(10.0, -5.0)]),
    (QTable({"ra": [600.0] * u.arcmin, "dec": [-1.0] * u.deg}), [(10.0, -1.0)]),
    (Table({"coord": SkyCoord([10.0], [-5.0], unit="deg")}), [(10.0, -5.0)]),
    (Table({"name": ["V* FO Aqr", "GK Per"]}), ["V* FO Aqr", "GK Per"]),
])
def test_input_forms(sxps, sxps_server, positions, expected):
    bodies = sxps.query_upper_limits(positions, get_query_payload=True)
    got = _positions_sent(bodies)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if isinstance(e, str):
            assert g == e
        else:
            assert g == pytest.approx(e)
    assert all(b["APIFunc"] == "getSXPSUL" for b in bodies)
    assert not sxps_server.counts


@pytest.mark.parametrize("positions, match", [
    (42, r"positions must be a SkyCoord array, a list"),
    ([], r"positions is empty"),
    ([10.0, 20.0], r"positions\[0\]=10.0 is not a position.*\[\(ra, dec\)\]"),
    ([POS1, ""], r"positions\[1\] is an empty string"),
    ([POS1, (400.0, 0.0)], r"positions\[1\] .*RA must be in \[0, 360\)"),
    ([(10.0, "5")], r"positions\[0\] .*has no unit"),
    (Table({"x": [1.0]}), r"positions: the Table has no position columns"),
    (Table({"ra": [1.0]}), r"positions: the Table has an RA column but no Dec"),
    (Table({"name": ["ok", ""]}), r"positions: row 1 of column 'name'"),
    ([SkyCoord([1, 2], [3, 4], unit="deg")], r"positions\[0\] is a SkyCoord array"),
])
def test_bad_positions_refused_before_any_request(sxps, sxps_server, positions, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.query_upper_limits(positions)
    assert not sxps_server.counts


@pytest.mark.parametrize("kwargs, match", [
    (dict(bands="ultraviolet"), r"bands='ultraviolet' is not valid"),
    (dict(sigma=-1), r"sigma must be a positive number"),
    (dict(skip_uncovered="yes"), r"skip_uncovered must be True or False"),
    (dict(show_progress=None), r"show_progress must be True or False"),
    (dict(journal=42), r"journal must be a file path"),
    (dict(time_format="jd"), r"time_format"),
])
def test_bad_options_refused_before_any_request(sxps, sxps_server, kwargs, match, tmp_path):
    with pytest.raises(InvalidQueryError, match=match) as err:
        sxps.query_upper_limits([POS1], **kwargs)
    assert "positions[" not in str(err.value)       # an option, not blamed on a position
    assert not sxps_server.counts


# -- results ---------------------------------------------------------------------------
def test_stacked_result_matches_single_queries_in_input_order(sxps, sxps_server):
    positions = [POS2, "V* FO Aqr", POS1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CataloguedSourceWarning)
        result = sxps.query_upper_limits(positions, which_data="all", detections_as_rates=True,
                                         show_progress=False)
        singles = [sxps.query_upper_limit(p, which_data="all", detections_as_rates=True)
                   for p in positions]
    assert result.colnames[:3] == ["input_index", "input", "position"]
    assert "covered" not in result.colnames
    assert result["input_index"].tolist() == [i for i, s in enumerate(singles) for _ in s]
    assert result["input"].tolist() == [positions[i] for i in result["input_index"]]
    for i, single in enumerate(singles):
        rows = result[result["input_index"] == i]
        for name in single.colnames:
            if name in ("StartTime", "StopTime"):
                assert (rows[name] == single[name]).all()
                assert rows[name].format == single[name].format
            else:
                np.testing.assert_array_equal(np.asarray(rows[name]), np.asarray(single[name]))
                assert getattr(rows[name], "unit", None) == getattr(single[name], "unit", None)
        # the position used: as resolved by the server
        assert rows["position"][0].separation(single.meta["position"]) < 1e-6 * u.arcsec
    assert result.meta["catalog"] == "LSXPS" and result.meta["n_positions"] == 3
    assert len(result.meta["failures"]) == 0
    # 'V* FO Aqr' resolves to the tutorial's position 334.50206 -8.25648
    assert result[result["input_index"] == 1]["position"][0].ra.deg == pytest.approx(334.50206)


def test_failures_are_listed_and_do_not_stop_the_rest(sxps, sxps_server):
    result = sxps.query_upper_limits([POS1, "No Such Object", (10.0, 89.5), "V* FO Aqr"],
                                     show_progress=False)
    assert result["input_index"].tolist() == [0, 3]
    failures = result.meta["failures"]
    assert failures["input_index"].tolist() == [1, 2]
    assert failures["input"].tolist() == ["No Such Object", "(10.0, 89.5)"]
    assert failures["error_type"].tolist() == ["SXPSServerError", "SXPSServerError"]
    assert "Could not resolve 'No Such Object'" in failures["error"][0]
    assert "not covered by the catalogue" in failures["error"][1]
    assert sxps_server.counts["getSXPSUL"] == 4


def test_pending_job_is_listed_with_its_id(sxps, sxps_server):
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 6, job_id="job-pending-1")
    with conf.set_temp("max_workers", 1), conf.set_temp("upper_limit_wait", 0.1):
        result = sxps.query_upper_limits([POS1, "V* FO Aqr"], show_progress=False)
    failures = result.meta["failures"]
    assert failures["input_index"].tolist() == [0]
    assert failures["job_id"].tolist() == [job]
    assert failures["error_type"][0] == "UpperLimitPending"
    assert result["input_index"].tolist() == [1]


def test_concurrency_is_bounded_by_max_workers(sxps, synthetic_uls):
    synthetic_uls.latency = 0.05
    with conf.set_temp("max_workers", 3):
        result = sxps.query_upper_limits(field_positions(12), show_progress=False)
    assert result["input_index"].tolist() == list(range(12))
    assert 1 < synthetic_uls.peak_in_flight <= 3


def test_one_flaky_failure_is_recorded_and_the_job_goes_on(sxps, synthetic_uls):
    synthetic_uls.fail_next(count=1, status=503, api_func="getSXPSUL")
    with conf.set_temp("retries", 0), conf.set_temp("max_workers", 1):
        result = sxps.query_upper_limits(field_positions(6), show_progress=False)
    assert result.meta["failures"]["input_index"].tolist() == [0]
    assert result.meta["failures"]["error_type"][0] == "SXPSResponseError"
    assert result["input_index"].tolist() == [1, 2, 3, 4, 5]


def test_an_outage_stops_the_job_after_a_few_failures(sxps, synthetic_uls, tmp_path):
    synthetic_uls.fail_next(count=10 ** 6, status=503, api_func="getSXPSUL")
    journal = tmp_path / "outage.sqlite"
    with conf.set_temp("retries", 0), conf.set_temp("max_workers", 2):
        with pytest.raises(BatchAbortedError, match=r"failed 3 times in a row.*resume") as err:
            sxps.query_upper_limits(field_positions(200), journal=journal, show_progress=False)
    asked = synthetic_uls.counts["getSXPSUL"]
    assert 3 <= asked <= 3 + 2 * 2         # not 200 failures: at most the queue in flight
    assert len(err.value.not_asked) == 200 - asked
    assert len(err.value.partial.meta["failures"]) == asked
    # the service is back: the same call resumes and asks every position once
    synthetic_uls.faults.clear()
    result = sxps.query_upper_limits(field_positions(200), journal=journal, show_progress=False)
    assert result["input_index"].tolist() == list(range(200))
    assert len(result.meta["failures"]) == 0


def test_catalogued_source_warnings_are_summarised(sxps, sxps_server):
    with pytest.warns(CataloguedSourceWarning) as record:
        result = sxps.query_upper_limits([POS2, POS1, POS2], show_progress=False)
    mine = [w for w in record if issubclass(w.category, CataloguedSourceWarning)]
    assert len(mine) == 1 and "2 position(s)" in str(mine[0].message)
    det = result.meta["det_data"]
    assert det["input_index"].tolist() == [0, 2]
    assert det["SourceName"].tolist() == ["LSXPS J051152.3-621925"] * 2
    # the same position twice is asked once
    assert [b["searchName"] for b in sxps_server.requests_for("getSXPSUL")].count(POS2) == 1
    assert result["input_index"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("time_format", ["cal", "mjd", "tdb", "met"])
def test_time_formats_stack(sxps, synthetic_uls, time_format):
    positions = field_positions(3)
    result = sxps.query_upper_limits(positions, time_format=time_format, show_progress=False)
    single = sxps.query_upper_limit(positions[2], time_format=time_format)
    last = result[result["input_index"] == 2]
    if time_format == "met":
        assert last["StartTime"].unit == u.s
        assert np.array_equal(last["StartTime"], single["StartTime"])
    else:
        assert last["StartTime"].scale == single["StartTime"].scale
        assert (last["StartTime"] == single["StartTime"]).all()


# -- journal -------------------------------------------------------------------------
def test_journal_second_run_asks_nothing_and_returns_the_same(sxps, synthetic_uls, tmp_path):
    journal = tmp_path / "sample.sqlite"
    positions = list(field_positions(5)) + ["No Such Object"]
    first = sxps.query_upper_limits(positions, journal=journal, show_progress=False)
    assert synthetic_uls.counts["getSXPSUL"] == 6
    with sqlite3.connect(journal) as db:
        stored = db.execute("SELECT idx, status FROM positions ORDER BY idx").fetchall()
    assert stored == [(i, "done") for i in range(5)]     # failures are not stored
    second = sxps.query_upper_limits(positions, journal=journal, show_progress=False)
    assert synthetic_uls.counts["getSXPSUL"] == 7        # only the failed one again
    assert second.meta["n_from_journal"] == 5
    assert second.colnames == first.colnames
    for name in first.colnames:
        if name == "position":
            assert np.all(first[name].separation(second[name]) == 0)
        elif name in ("StartTime", "StopTime"):
            assert (first[name] == second[name]).all()
        else:
            np.testing.assert_array_equal(np.asarray(first[name]), np.asarray(second[name]))


def test_journal_with_other_options_is_refused(sxps, synthetic_uls, tmp_path):
    journal = tmp_path / "j.sqlite"
    sxps.query_upper_limits(field_positions(2), journal=journal, show_progress=False)
    asked = synthetic_uls.counts["getSXPSUL"]
    with pytest.raises(JournalMismatchError, match=r"other options \(bands: journal"):
        sxps.query_upper_limits(field_positions(2), journal=journal, bands="all")
    with pytest.raises(JournalMismatchError, match=r"another position at input index 0"):
        sxps.query_upper_limits(field_positions(2, offset_deg=0.03), journal=journal)
    assert synthetic_uls.counts["getSXPSUL"] == asked
    # appending positions is fine: only the new one is asked
    sxps.query_upper_limits(field_positions(3), journal=journal, show_progress=False)
    assert synthetic_uls.counts["getSXPSUL"] == asked + 1


def test_journal_that_is_not_sqlite_is_refused(sxps, sxps_server, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database " * 100)
    with pytest.raises(InvalidQueryError, match=r"not a usable SQLite journal"):
        sxps.query_upper_limits([POS1], journal=bad)
    assert not sxps_server.counts


def test_tampered_journal_entry_is_asked_again(sxps, synthetic_uls, tmp_path):
    journal = tmp_path / "j.sqlite"
    sxps.query_upper_limits(field_positions(2), journal=journal, show_progress=False)
    with sqlite3.connect(journal) as db:
        db.execute("UPDATE positions SET result = '{\"columns\": 5}' WHERE idx = 1")
    result = sxps.query_upper_limits(field_positions(2), journal=journal, show_progress=False,
                                     cache=False)
    assert result.meta["n_from_journal"] == 1
    assert synthetic_uls.counts["getSXPSUL"] == 3
    assert result["input_index"].tolist() == [0, 1]


def test_pending_job_is_fetched_by_id_on_resume(sxps, sxps_server, tmp_path):
    journal = tmp_path / "j.sqlite"
    job = schedule_ul_timeout(sxps_server, polls_before_ready=10 ** 6, job_id="job-resume-1")
    with conf.set_temp("max_workers", 1), conf.set_temp("upper_limit_wait", 0.1):
        first = sxps.query_upper_limits([POS1, "V* FO Aqr"], journal=journal,
                                        show_progress=False)
    assert first.meta["failures"]["job_id"].tolist() == [job]
    ul_jobs(sxps_server)[job]["remaining"] = 0       # the server finishes the job
    before = len(sxps_server.requests_for("getSXPSUL"))
    second = sxps.query_upper_limits([POS1, "V* FO Aqr"], journal=journal, show_progress=False)
    sent = sxps_server.requests_for("getSXPSUL")[before:]
    assert sent == [sent[0]] and sent[0]["ULID"] == job      # fetched, not asked again
    assert second["input_index"].tolist() == [0, 1]
    assert second["Total_UpperLimit"][0] == 0.000321
    assert len(second.meta["failures"]) == 0


# -- skip_uncovered --------------------------------------------------------------------
def test_skip_uncovered_asks_only_covered_positions(sxps, synthetic_uls):
    inside = field_positions(3)
    far = (10.0, 89.5)                     # no synthetic dataset near the pole
    result = sxps.query_upper_limits([inside[0], far, inside[1], "V* FO Aqr", inside[2]],
                                     skip_uncovered=True, show_progress=False)
    sent = synthetic_uls.requests_for("getSXPSUL")
    assert len(sent) == 4                           # the far position was never asked
    assert all(b.get("Dec") != 89.5 for b in sent)
    assert "V* FO Aqr" in [b.get("searchName") for b in sent]   # names cannot be checked
    assert result["input_index"].tolist() == [0, 1, 2, 3, 4]
    assert result["covered"].tolist() == [True, False, True, True, True]
    row = result[1]
    assert np.ma.is_masked(row["Total_UpperLimit"]) and np.ma.is_masked(row["ObsID"])
    assert row["position"].dec.deg == pytest.approx(89.5)
    assert result.meta["n_uncovered"] == 1


@pytest.mark.parametrize("text", [
    '{"columns": 5, "length": 1}',
    '{"columns": [{"name": "x", "dtype": "O", "values": [1]}], "length": 1}',
    '{"columns": [{"name": "x", "dtype": "<f8", "unit": "bogus!", "values": [1.0]}], "length": 1}',
    '{"columns": [{"name": "t", "time": true, "scale": "x", "format": "jd", "jd1": [1],'
    ' "jd2": [0]}], "length": 1}',
    '{"columns": [{"name": "x", "dtype": "<f8", "values": [1.0, 2.0]}], "length": 1}',
    '[1, 2]',
])
def test_journal_records_are_checked_before_use(text):
    from astroquery_sxps.scale import records
    with pytest.raises(ValueError):
        records.from_json(text)
