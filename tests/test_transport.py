"""The transport: payloads, validation of replies (protocol.md 1.3), typed
errors, retries, cache hygiene and the multi-object thread pool, all over
real HTTP against the emulator."""
import threading
import time
import warnings

import pytest
from astroquery.exceptions import RemoteServiceError, TimeoutError

from astroquery_sxps import SXPSClass, conf
from astroquery_sxps import _transport
from astroquery_sxps._transport import API_VERSION, APIRequest, _newer_than_ours
from astroquery_sxps.exceptions import (NewerAPIVersionWarning, SXPSResponseError,
                                        SXPSServerError)

OLD_TABLES = APIRequest("getOldSXPSTables", {}, min_keys=("hourly", "daily"))


def cache_files(query):
    return sorted(query.cache_location.glob("*.pickle"))


def test_body_adds_apifunc_and_version():
    request = APIRequest("getSXPSLC", {"sourceID": 5, "APIFunc": "spoofed"})
    assert request.body == {"sourceID": 5, "APIFunc": "getSXPSLC", "APIVersion": "1.0.5"}
    assert API_VERSION == "1.0.5"


def test_call_posts_json_and_strips_ok_and_version(sxps, sxps_server):
    reply = sxps._transport.call(OLD_TABLES)
    assert "OK" not in reply and "APIVersion" not in reply
    assert list(reply["daily"])[:5] == ["2022-08-16", "2022-08-17", "2022-08-18",
                                        "2022-08-19", "2022-08-20"]
    (body,) = sxps_server.requests_for("getOldSXPSTables")
    assert body == {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"}


def test_good_reply_is_cached_and_replayed(sxps, sxps_server):
    first = sxps._transport.call(OLD_TABLES)
    second = sxps._transport.call(OLD_TABLES)
    assert first == second
    assert sxps_server.counts["getOldSXPSTables"] == 1
    assert len(cache_files(sxps)) == 1
    sxps._transport.call(OLD_TABLES, cache=False)
    assert sxps_server.counts["getOldSXPSTables"] == 2


def test_server_error_is_typed_verbatim_and_not_cached(sxps, sxps_server):
    text = "Dataset with obsid: `10000000668` is not found in the LSXPS catalogue."
    sxps_server.reply_next({"ERROR": 1, "ERRORTEXT": text})
    with pytest.raises(SXPSServerError) as info:
        sxps._transport.call(OLD_TABLES)
    assert isinstance(info.value, RemoteServiceError)
    assert info.value.code == 1
    assert info.value.errortext == text
    assert text in str(info.value)
    assert cache_files(sxps) == []
    # the next call goes to the server again and succeeds
    assert "hourly" in sxps._transport.call(OLD_TABLES)
    assert sxps_server.counts["getOldSXPSTables"] == 2


def test_error_wins_even_when_ok_present(sxps, sxps_server):
    sxps_server.reply_next({"OK": 1, "ERROR": 7, "ERRORTEXT": "both"})
    with pytest.raises(SXPSServerError, match="both"):
        sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []


def test_missing_ok_is_clear_error_and_not_cached(sxps, sxps_server):
    sxps_server.reply_next({"hourly": {}, "daily": {}})
    with pytest.raises(SXPSResponseError, match="no 'OK' key"):
        sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []


def test_missing_required_keys_named(sxps, sxps_server):
    sxps_server.reply_next({"OK": 1, "hourly": {}})
    with pytest.raises(SXPSResponseError, match=r"\['daily'\]"):
        sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []


def test_nan_tokens_are_parsed(sxps, sxps_server):
    sxps_server.reply_next({"OK": 1, "hourly": {}, "daily": {}, "x": float("nan"),
                            "y": float("inf")})
    reply = sxps._transport.call(OLD_TABLES)
    assert reply["x"] != reply["x"]  # NaN
    assert reply["y"] == float("inf")


def test_uncacheable_reply_is_not_kept(sxps, sxps_server):
    request = APIRequest("getOldSXPSTables", {}, uncacheable_keys=("TIMEOUT",))
    sxps_server.reply_next({"OK": 1, "TIMEOUT": "job1"})
    assert sxps._transport.call(request)["TIMEOUT"] == "job1"
    assert cache_files(sxps) == []
    assert "daily" in sxps._transport.call(request)
    assert len(cache_files(sxps)) == 1


def test_newer_api_version_warns_once(sxps, sxps_server, monkeypatch):
    monkeypatch.setattr(_transport, "_version_warned", False)
    sxps_server.reply_next({"OK": 1, "APIVersion": "1.0.10", "hourly": {}, "daily": {}},
                           count=2)
    with pytest.warns(NewerAPIVersionWarning, match="1.0.10"):
        sxps._transport.call(OLD_TABLES, cache=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sxps._transport.call(OLD_TABLES, cache=False)


def test_same_or_older_version_does_not_warn(sxps, sxps_server, monkeypatch):
    monkeypatch.setattr(_transport, "_version_warned", False)
    sxps_server.reply_next({"OK": 1, "APIVersion": "1.0.4", "hourly": {}, "daily": {}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sxps._transport.call(OLD_TABLES, cache=False)
        sxps._transport.call(OLD_TABLES, cache=False)  # the emulator's own 1.0.5


def test_versions_compare_numerically():
    assert _newer_than_ours("1.0.10") and _newer_than_ours("2")
    assert not _newer_than_ours("1.0.5") and not _newer_than_ours("1.0.4")
    assert not _newer_than_ours("not a version")     # never an error


def test_5xx_is_retried_then_succeeds(sxps, sxps_server):
    sxps_server.fail_next(2, status=503)
    reply = sxps._transport.call(OLD_TABLES)
    assert "daily" in reply
    assert sxps_server.counts["getOldSXPSTables"] == 3
    assert len(cache_files(sxps)) == 1  # only the good reply is cached


def test_5xx_retries_exhausted(sxps, sxps_server):
    sxps_server.fail_next(10, status=502)
    with conf.set_temp("retries", 2):
        with pytest.raises(SXPSResponseError, match="3 attempts") as info:
            sxps._transport.call(OLD_TABLES)
    assert info.value.status == 502
    assert sxps_server.counts["getOldSXPSTables"] == 3
    assert cache_files(sxps) == []


def test_retry_count_comes_from_conf(sxps, sxps_server):
    sxps_server.fail_next(10, status=500)
    with conf.set_temp("retries", 0):
        with pytest.raises(SXPSResponseError):
            sxps._transport.call(OLD_TABLES)
    assert sxps_server.counts["getOldSXPSTables"] == 1


def test_4xx_is_not_retried(sxps, sxps_server):
    sxps_server.fail_next(1, status=404)
    with pytest.raises(SXPSResponseError, match="HTTP 404"):
        sxps._transport.call(OLD_TABLES)
    assert sxps_server.counts["getOldSXPSTables"] == 1
    assert cache_files(sxps) == []


def test_backoff_is_exponential(sxps, sxps_server, monkeypatch):
    waits = []
    monkeypatch.setattr(_transport.time, "sleep", waits.append)
    sxps_server.fail_next(3, status=503)
    with conf.set_temp("retry_backoff", 0.5):
        sxps._transport.call(OLD_TABLES, cache=False)
    assert waits == [0.5, 1.0, 2.0]


def test_malformed_json_is_clear_error_and_not_cached(sxps, sxps_server):
    sxps_server.malformed_next()
    with pytest.raises(SXPSResponseError, match="not valid JSON"):
        sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []
    assert "daily" in sxps._transport.call(OLD_TABLES)


def test_connection_dropped_mid_body_is_retried(sxps, sxps_server):
    sxps_server.drop_next(1)
    reply = sxps._transport.call(OLD_TABLES)
    assert "daily" in reply
    assert sxps_server.counts["getOldSXPSTables"] == 2
    assert len(cache_files(sxps)) == 1


def test_connection_dropped_every_time_fails_cleanly(sxps, sxps_server):
    sxps_server.drop_next(10)
    with conf.set_temp("retries", 1):
        with pytest.raises(SXPSResponseError, match="2 attempts"):
            sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []


def test_connection_refused_is_retried_and_reported(tmp_path):
    query = SXPSClass(server="http://127.0.0.1:9/API/main.php")
    query.cache_location = tmp_path
    with conf.set_temp("retries", 1), conf.set_temp("retry_backoff", 0.01):
        with pytest.raises(SXPSResponseError, match="ConnectionError"):
            query._transport.call(OLD_TABLES)


def test_http_timeout_becomes_astroquery_timeout(sxps, sxps_server):
    sxps_server.delay_next(1.5)
    with conf.set_temp("timeout", 0.3):
        with pytest.raises(TimeoutError, match="conf.timeout"):
            sxps._transport.call(OLD_TABLES)
    assert cache_files(sxps) == []


def test_server_url_is_read_at_call_time(sxps_server, tmp_path):
    query = SXPSClass()
    query.cache_location = tmp_path
    with conf.set_temp("server", sxps_server.api_url):
        assert query.server == sxps_server.api_url
        assert "daily" in query._transport.call(OLD_TABLES, cache=False)
    assert query.server == "https://www.swift.ac.uk/API/main.php"


def test_instance_server_overrides_conf(sxps_server):
    query = SXPSClass(server=sxps_server.api_url)
    with conf.set_temp("server", "http://127.0.0.1:9/nowhere"):
        assert query.server == sxps_server.api_url


def test_cache_lives_under_astroquery_cache_dir():
    query = SXPSClass()
    assert query.cache_location.parts[-2:] == ("astroquery", "SXPS")


# -- Transport.map: the bounded pool for multi-object calls --------------------

def test_map_keeps_callers_order_and_keys(sxps):
    def slow_square(k):
        time.sleep(0.02 * (5 - k))
        return k * k
    with conf.set_temp("max_workers", 5):
        result = sxps._transport.map(slow_square, [4, 1, 3, 0, 2])
    assert list(result) == [4, 1, 3, 0, 2]
    assert list(result.values()) == [16, 1, 9, 0, 4]


def test_map_pool_is_bounded_by_conf(sxps):
    active, peak = 0, 0
    lock = threading.Lock()

    def work(k):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.03)
        with lock:
            active -= 1
        return k

    with conf.set_temp("max_workers", 3):
        sxps._transport.map(work, range(12))
    assert peak == 3


def test_map_skip_errors_leaves_out_failed_objects(sxps):
    def work(k):
        if k == "bad":
            raise SXPSServerError(1, "not found")
        return k.upper()
    assert sxps._transport.map(work, ["a", "bad", "c"], skip_errors=True) == {"a": "A",
                                                                              "c": "C"}
    with pytest.raises(SXPSServerError, match="not found"):
        sxps._transport.map(work, ["a", "bad", "c"])


def test_map_never_swallows_programming_errors(sxps):
    def work(k):
        raise ValueError("bug")
    with pytest.raises(ValueError):
        sxps._transport.map(work, [1, 2], skip_errors=True)


def test_map_runs_requests_concurrently_over_http(sxps, sxps_server):
    sxps_server.latency = 0.2

    def call(_):
        return sxps._transport.call(OLD_TABLES, cache=False)

    with conf.set_temp("max_workers", 4):
        results = sxps._transport.map(call, range(8))
    assert len(results) == 8 and sxps_server.counts["getOldSXPSTables"] == 8
    # the server saw the calls overlap, never more than the pool allows
    assert sxps_server.peak_in_flight == 4


# -- replies kept in the cache only if the public call could use them ----------

BROKEN_LC = {"OK": 1, "TimeFormat": "MJD", "T0": 0, "Binning": "Observation",
             "Datasets": ["Total_rates"]}          # passes protocol 1.3, lacks Total_ratesData


def test_unusable_reply_is_forgotten_when_the_call_fails(sxps, sxps_server):
    sxps_server.reply_next(BROKEN_LC, api_func="getSXPSLC")
    with pytest.raises(SXPSResponseError, match="Total_rates"):
        sxps.get_lightcurve(source_name="LSXPS J062131.8-622213")
    assert cache_files(sxps) == []
    # the next call asks the server again instead of replaying the broken reply
    lcs = sxps.get_lightcurve(source_name="LSXPS J062131.8-622213")
    assert len(lcs["Total_rates"]) == 44
    assert sxps_server.counts["getSXPSLC"] == 2


def test_unusable_reply_forgotten_from_pool_workers(sxps, sxps_server):
    sxps_server.reply_next(BROKEN_LC, api_func="getSXPSLC")
    with pytest.raises(SXPSResponseError):
        sxps.get_lightcurve(source_name=["LSXPS J062131.8-622213", "LSXPS J051152.3-621925"])
    assert cache_files(sxps) == []   # every reply of the failed call is forgotten
    lcs = sxps.get_lightcurve(source_name=["LSXPS J062131.8-622213", "LSXPS J051152.3-621925"])
    assert list(lcs) == ["LSXPS J062131.8-622213", "LSXPS J051152.3-621925"]
    assert sxps_server.counts["getSXPSLC"] == 4


def test_answers_stay_cached_after_a_failing_call(sxps, sxps_server):
    from astroquery_sxps.exceptions import SourceSplitError
    for _ in range(2):
        with pytest.raises(SourceSplitError):
            sxps.get_source_details(source_id=37562)
    assert sxps_server.counts["getSXPSSourceInfo"] == 1   # the split answer was replayed


def test_split_answer_with_abbreviated_records(sxps, sxps_server):
    from astroquery_sxps.exceptions import SourceSplitError
    sxps_server.reply_next({"OK": 1, "newerSources": [
        {"LSXPS_ID": 122876, "IAUName": "LSXPS J230213.6+585406"},
        {"LSXPS_ID": 142890, "IAUName": "LSXPS J230214.9+585332", "RA": 345.56,
         "Decl": 58.89, "Err90": 6.3}]})
    with pytest.raises(SourceSplitError) as info:
        sxps.get_source_details(source_id=37562, cache=False)
    table = info.value.newer_sources
    assert list(table["LSXPS_ID"]) == [122876, 142890]
    assert table["RA"].mask.tolist() == [True, False]
    assert "coord" not in table.colnames          # not every descendant has a position


def test_bad_cache_argument_is_rejected_before_sending(sxps, sxps_server):
    from astroquery.exceptions import InvalidQueryError
    with pytest.raises(InvalidQueryError, match="cache"):
        sxps.get_source_details(source_id=1, cache="no")
    assert sum(sxps_server.counts.values()) == 0


def test_skip_errors_does_not_hide_an_outage(sxps, sxps_server):
    sxps_server.fail_next(10, status=503)
    with conf.set_temp("retries", 0):
        with pytest.raises(SXPSResponseError, match="HTTP 503"):
            sxps.get_source_details(source_id=[11375, 106107], skip_errors=True)


def test_skip_errors_skips_unknown_objects(sxps, sxps_server):
    with pytest.warns(Warning):   # 11375 is superseded by 129723
        result = sxps.get_source_details(source_id=[11375, 999999999], skip_errors=True)
    assert list(result) == [11375]


def test_connect_timeout_is_retried(sxps, sxps_server, monkeypatch):
    import requests
    real = sxps._session.request
    attempts = []

    def flaky(*args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise requests.exceptions.ConnectTimeout("connect timed out")
        return real(*args, **kwargs)

    monkeypatch.setattr(sxps._session, "request", flaky)
    assert "daily" in sxps._transport.call(OLD_TABLES, cache=False)
    assert len(attempts) == 2


def test_read_timeout_is_not_retried(sxps, monkeypatch):
    import requests
    attempts = []

    def slow(*args, **kwargs):
        attempts.append(1)
        raise requests.exceptions.ReadTimeout("read timed out")

    monkeypatch.setattr(sxps._session, "request", slow)
    with pytest.raises(TimeoutError):
        sxps._transport.call(OLD_TABLES, cache=False)
    assert len(attempts) == 1
