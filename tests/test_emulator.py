"""The emulator itself: coverage of the protocol, the HTTP layer, the command line."""
import json
import subprocess
import sys
import time

import pytest
import requests

from astroquery_sxps.testing import SXPSEmulator
import astroquery_sxps.testing.handlers  # noqa: F401  (registers the handlers)
from astroquery_sxps.testing.server import HANDLERS

#: Every APIFunc named in protocol.md section 3.
PROTOCOL_FUNCTIONS = [
    "getSXPSSourceInfo", "getSXPSTransInfo", "getSXPSTransAsSources", "getSXPSLC",
    "getSXPSSpectrumData", "getSXPSSourceImages", "getSXPSUL", "getSXPSDatasetInfo",
    "getSXPSDatasetImages", "getOldSXPSTables", "getSXPSTable", "getMetadata", "queryDB",
    "listObsFiles", "getObsByTarg",
]


@pytest.mark.parametrize("api_func", PROTOCOL_FUNCTIONS)
def test_every_protocol_function_has_a_handler(api_func):
    assert api_func in HANDLERS


def post(server, body):
    return requests.post(server.api_url, json=body, timeout=10)


def test_unknown_function_is_an_error_reply(sxps_server):
    reply = post(sxps_server, {"APIFunc": "noSuchThing", "APIVersion": "1.0.5"}).json()
    assert reply == {"ERROR": 1, "ERRORTEXT": "Unknown APIFunc `noSuchThing`."}


def test_reply_carries_ok_and_version(sxps_server):
    reply = post(sxps_server, {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"}).json()
    assert reply["OK"] == 1 and reply["APIVersion"] == "1.0.5"
    assert sxps_server.counts["getOldSXPSTables"] == 1


def test_status_fault_then_recovery(sxps_server):
    sxps_server.fail_next(1, status=500, api_func="getOldSXPSTables")
    body = {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"}
    assert post(sxps_server, body).status_code == 500
    assert post(sxps_server, body).status_code == 200


def test_fault_targets_only_its_function(sxps_server):
    sxps_server.fail_next(1, status=500, api_func="getSXPSLC")
    body = {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"}
    assert post(sxps_server, body).status_code == 200


def test_malformed_body_fault(sxps_server):
    sxps_server.malformed_next()
    response = post(sxps_server, {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"})
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_get_outside_files_is_404(sxps_server):
    assert requests.get(sxps_server.base_url + "/etc/passwd", timeout=5).status_code == 404
    assert requests.get(sxps_server.file_url("no/such/file"), timeout=5).status_code == 404


def test_reset_clears_everything(sxps_server):
    sxps_server.fail_next(5)
    sxps_server.latency = 1
    sxps_server.file_latency = 1
    post(sxps_server, {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"})
    sxps_server.reset()
    assert sxps_server.counts == {} and sxps_server.requests == []
    assert sxps_server.latency == 0 and sxps_server.file_latency == 0
    response = post(sxps_server, {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"})
    assert response.status_code == 200


def test_two_emulators_on_different_ports():
    with SXPSEmulator() as one, SXPSEmulator() as two:
        assert one.port != two.port
        assert one.host == "127.0.0.1"
        for emu in (one, two):
            assert post(emu, {"APIFunc": "getOldSXPSTables"}).json()["OK"] == 1


def test_command_line_server():
    proc = subprocess.Popen([sys.executable, "-m", "astroquery_sxps.testing", "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "API endpoint: http://127.0.0.1:" in line
        url = line.split("API endpoint: ")[1].strip()
        deadline = time.monotonic() + 10
        while True:
            try:
                reply = requests.post(url, json={"APIFunc": "getOldSXPSTables"}, timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert reply.json()["OK"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_plugin_fixture_is_registered(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("sxps_emulator")


def test_file_latency_delays_file_downloads_only():
    with SXPSEmulator(file_latency=0.3) as emu:
        emu.add_file("x/y.txt", b"hello")
        started = time.monotonic()
        assert requests.get(emu.file_url("x/y.txt"), timeout=5).content == b"hello"
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        post(emu, {"APIFunc": "getOldSXPSTables", "APIVersion": "1.0.5"})
        assert time.monotonic() - started < 0.3


def test_memo_replies_answers_a_repeated_request_with_the_same_bytes_and_counts_it(sxps_server):
    body = {"APIFunc": "getSXPSLC", "APIVersion": "1.0.5", "whichCat": "LSXPS",
            "sourceName": "SYNTH-3", "binning": "obsid", "timeFormat": "MJD"}
    sxps_server.options.update(memo_replies=True, synthetic_lightcurve_bins=5)
    first = post(sxps_server, body).content
    sxps_server.options["synthetic_lightcurve_bins"] = 7      # not consulted again
    assert post(sxps_server, body).content == first
    assert sxps_server.counts["getSXPSLC"] == 2 and len(sxps_server.requests_for("getSXPSLC")) == 2
    # without the option, every request is answered afresh
    del sxps_server.options["memo_replies"]
    assert post(sxps_server, body).content != first
