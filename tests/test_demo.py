"""The README's demo command: ``python -m astroquery_sxps demo`` against the emulator."""
import io
import subprocess
import sys

from astroquery_sxps.__main__ import main as cli_main
from astroquery_sxps.demo import main


def test_demo_tour_offline(tmp_path):
    out = io.StringIO()
    assert main(["--output", str(tmp_path / "demo")], out=out) == 0
    text = out.getvalue()
    # the tutorial's real values come through each step of the tour
    assert "10000018414" in text and "0.000321" in text          # upper limit
    assert "superseded by LSXPS_ID 129723" in text                # living catalogue
    # positions at catalogue precision, not 17h45m27.12034507s
    assert "at 17h45m27.12s -29d02m17.2s (266.363001 -29.038104 deg)" in text
    assert "resolved position: 22h18m00.49s -8d15m23.3s" in text
    assert "Total_rates     44 bins" in text and "Total_UL        51 bins" in text
    assert "2619.41" in text                                      # APEC C-stat
    png = tmp_path / "demo" / "lightcurve.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "demo" / "spectrum" / "interval0pc.pi").exists()
    assert (tmp_path / "demo" / "images" / "LSXPS J051152.3-621925" / "Expmap.png").exists()


def test_cli_requires_the_demo_subcommand(capsys):
    assert cli_main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_demo_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "astroquery_sxps", "demo", "--output",
                             str(tmp_path / "d")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Done:" in result.stdout


def test_demo_reports_an_unreachable_service_without_traceback(tmp_path, capsys):
    from astroquery_sxps import conf
    # nothing listens on port 9: the --live tour cannot reach its service
    with conf.set_temp("server", "http://127.0.0.1:9/API/main.php"), conf.set_temp("retries", 0):
        assert main(["--live", "--output", str(tmp_path / "live")]) == 1
    assert "The tour stopped" in capsys.readouterr().err
