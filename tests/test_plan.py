"""The Plan type and the transport's rules that every public call shares: payloads,
one-or-many results, look-ups, records at hand, the per-instance bound on requests in
flight, stopping after a failure, and cache entries written only for calls that succeed."""
import pickle
import threading

import pytest

from astroquery_sxps import SXPSClass, conf
from astroquery_sxps._plan import Lookup, Plan, Targets
from astroquery_sxps._transport import APIRequest
from astroquery_sxps.exceptions import SXPSResponseError, SXPSServerError

J0621 = "LSXPS J062131.8-622213"
J0511 = "LSXPS J051152.3-621925"


def echo_request(value):
    return APIRequest("getOldSXPSTables", {"n": value}, min_keys=("hourly",))


def test_payload_is_one_body_for_one_object_and_a_list_for_several():
    one = Plan(None, targets=Targets.listed("n", [1], multiple=False), requests=echo_request)
    many = Plan(None, targets=Targets.listed("n", [1, 2]), requests=echo_request)
    assert one.payload() == echo_request(1).body
    assert many.payload() == [echo_request(1).body, echo_request(2).body]
    forced = Plan(None, targets=Targets.listed("n", [1], multiple=False),
                  requests=echo_request, payload_list=True)
    assert forced.payload() == [echo_request(1).body]


def test_payload_shows_the_lookup_and_leaves_out_known_records():
    lookup = Lookup(APIRequest("getSXPSTransAsSources", {"sourceID": [1]}), None)
    assert Plan(None, targets=Targets.listed("n", [1]), requests=echo_request,
                lookup=lookup).payload() == lookup.request.body
    known = Plan(None, targets=Targets.listed("n", [1, 2]), requests=echo_request,
                 known={1: "at hand"})
    assert known.payload() == [echo_request(2).body]


def test_execute_keys_results_as_supplied_and_fetches_only_what_is_missing(sxps, sxps_server):
    calls = []

    def fetch(context, key, value):
        calls.append(key)
        return sorted(context.call(echo_request(value)))
    plan = Plan(fetch, targets=Targets.listed("n", [3, 1, 2], keys=["c", "a", "b"]),
                requests=echo_request, known={"a": "at hand"})
    result = plan.execute(sxps._transport, cache=False)
    assert list(result) == ["c", "a", "b"] and result["a"] == "at hand"
    assert sorted(calls) == ["b", "c"] and sxps_server.counts["getOldSXPSTables"] == 2


def test_single_object_result_is_the_object_and_none_when_skipped(sxps, sxps_server):
    def fetch(context, key, value):
        raise SXPSServerError(1, "no such object")
    plan = Plan(fetch, targets=Targets.listed("n", [1], multiple=False), skip_errors=True)
    assert plan.execute(sxps._transport) is None
    with pytest.raises(SXPSServerError):
        Plan(fetch, targets=Targets.listed("n", [1], multiple=False)).execute(sxps._transport)


def test_requests_in_flight_are_bounded_per_instance_across_threads(sxps, sxps_server):
    """Eight threads each asking for two sources: never more than conf.max_workers
    requests of the one instance at the server at once."""
    sxps_server.latency = 0.1
    errors = []

    def work():
        try:
            sxps.get_source_details(source_name=[J0621, J0511], cache=False)
        except Exception as exc:     # collected: the assertion below names it
            errors.append(exc)

    with conf.set_temp("max_workers", 4):
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sxps_server.counts["getSXPSSourceInfo"] == 16
    assert sxps_server.peak_in_flight == 4


def test_a_failure_skip_errors_does_not_cover_stops_the_submissions(sxps, sxps_server):
    sxps_server.fail_next(1, status=404, api_func="getSXPSSourceInfo")
    ids = list(range(100001, 100041))
    with conf.set_temp("max_workers", 2):
        with pytest.raises(SXPSResponseError, match="HTTP 404"):
            sxps.get_source_details(source_id=ids, skip_errors=True, cache=False)
    # the objects already started finish; the other 30-odd are never asked
    assert sxps_server.counts["getSXPSSourceInfo"] <= 4


def test_pool_threads_go_on_with_the_next_objects_while_the_caller_reads(
        sxps, sxps_server, monkeypatch):
    """The first reading waits until the server has had every request: it returns
    only if the pool threads never wait for the caller's thread."""
    from astroquery_sxps.sources import details
    sxps_server.options["synthetic_sources"] = True
    names = [f"SYNTH-{i}" for i in range(1, 7)]
    parse = details.parse_source_details
    seen_by_first_reading = []

    def slow_parse(reply, *args):
        if not seen_by_first_reading:
            for _ in range(500):
                if sxps_server.counts["getSXPSSourceInfo"] == len(names):
                    break
                threading.Event().wait(0.01)
            seen_by_first_reading.append(sxps_server.counts["getSXPSSourceInfo"])
        return parse(reply, *args)

    monkeypatch.setattr(details, "parse_source_details", slow_parse)
    with conf.set_temp("max_workers", 2):
        result = sxps.get_source_details(source_name=names, cache=False)
    assert list(result) == names
    assert seen_by_first_reading == [len(names)]


def test_readers_give_way_to_a_pool_only_while_one_runs(sxps, sxps_server, monkeypatch):
    """`let_pool_run` sleeps (releasing the GIL) only beside a pool: alone, a
    reading is not slowed down by it."""
    from astroquery_sxps import _transport
    from astroquery_sxps.sources import details
    sxps_server.options["synthetic_sources"] = True
    parse = details.parse_source_details
    beside = []

    def recording_parse(reply, *args):
        beside.append(_transport._beside_pool.get())
        return parse(reply, *args)

    monkeypatch.setattr(details, "parse_source_details", recording_parse)
    sxps.get_source_details(source_name="SYNTH-1", cache=False)
    with conf.set_temp("max_workers", 2):
        sxps.get_source_details(source_name=["SYNTH-2", "SYNTH-3"], cache=False)
    assert beside == [False, True, True]
    assert _transport._beside_pool.get() is False


def test_replies_of_a_failed_call_are_not_written_to_the_cache(sxps, sxps_server):
    sxps_server.fail_next(1, status=404, api_func="getSXPSSourceInfo")
    with conf.set_temp("max_workers", 1):
        with pytest.raises(SXPSResponseError):
            sxps.get_source_details(source_name=[J0621, J0511, "LSXPS J221755.4-082100"])
    assert sorted(sxps.cache_location.glob("*.pickle")) == []


@pytest.mark.parametrize("content", [b"", b"\x80\x04garbage", None],
                         ids=["empty", "garbled", "truncated"])
def test_an_unreadable_cache_entry_is_a_miss(sxps, sxps_server, content, caplog):
    first = sxps.get_source_details(source_name=J0621)
    (entry,) = sxps.cache_location.glob("*.pickle")
    data = entry.read_bytes()
    entry.write_bytes(data[:len(data) // 2] if content is None else content)
    again = sxps.get_source_details(source_name=J0621)
    assert again["LSXPS_ID"] == first["LSXPS_ID"]
    assert sxps_server.counts["getSXPSSourceInfo"] == 2       # fetched again
    assert "unreadable cache entry" in caplog.text
    sxps.get_source_details(source_name=J0621)                # and cached afresh
    assert sxps_server.counts["getSXPSSourceInfo"] == 2


def test_a_cached_reply_that_is_not_usable_is_dropped_and_fetched_again(sxps, sxps_server,
                                                                      caplog):
    first = sxps.get_source_details(source_name=J0621)
    (entry,) = sxps.cache_location.glob("*.pickle")
    response = pickle.loads(entry.read_bytes())
    response._content = b"not json"          # a readable entry whose reply fails validation
    entry.write_bytes(pickle.dumps(response, protocol=4))
    again = sxps.get_source_details(source_name=J0621)
    assert again["LSXPS_ID"] == first["LSXPS_ID"]
    assert sxps_server.counts["getSXPSSourceInfo"] == 2       # fetched again
    assert "not usable" in caplog.text
    assert list(sxps.cache_location.glob("*.pickle")) == [entry]   # the same entry, rewritten
    assert pickle.loads(entry.read_bytes()).content != b"not json"
    sxps.get_source_details(source_name=J0621)                # and cached afresh
    assert sxps_server.counts["getSXPSSourceInfo"] == 2


def test_identical_cold_calls_from_many_threads_never_read_a_half_written_entry(sxps,
                                                                                sxps_server):
    errors, results = [], []

    def work():
        try:
            results.append(len(sxps.get_lightcurve(source_name=J0621)["Total_rates"]))
        except Exception as exc:
            errors.append(exc)

    for _ in range(5):
        sxps.clear_cache()
        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == [] and results == [44] * 80


def test_a_new_instance_reads_entries_written_by_another(sxps, sxps_server, tmp_path):
    sxps.get_source_details(source_name=J0621)
    other = SXPSClass(server=sxps.server)
    other.cache_location = sxps.cache_location
    other.get_source_details(source_name=J0621)
    assert sxps_server.counts["getSXPSSourceInfo"] == 1


def test_warnings_point_at_the_callers_line(sxps):
    """A warning raised deep in the package names the user's own file and line."""
    import warnings as _warnings
    from astroquery_sxps.exceptions import IgnoredOptionWarning, SupersededWarning
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        sxps.get_source_details(source_id=11375)                 # superseded by 129723
        sxps.get_spectrum(106107, spec_type="full")             # spec_type is ignored
    kinds = {w.category: w for w in caught}
    for category in (SupersededWarning, IgnoredOptionWarning):
        assert kinds[category].filename == __file__, (category, kinds[category].filename)
