"""The README's usage example runs as written (against the emulator)."""
import re
from pathlib import Path

import pytest

import astroquery_sxps
from astroquery_sxps.exceptions import CataloguedSourceWarning

README = Path(__file__).parent.parent / "README.md"


def test_readme_usage_example_runs(sxps, tmp_path, monkeypatch):
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    monkeypatch.chdir(tmp_path)
    # the example uses the module singleton: point it at the emulator for the test
    monkeypatch.setattr(astroquery_sxps, "SXPS", sxps)
    namespace = {}
    # the README's upper-limit position is 2.4" from a catalogued source: we warn
    with pytest.warns(CataloguedSourceWarning, match="LSXPS J051152.3-621925"):
        exec(compile(block, str(README), "exec"), namespace)
    assert namespace["ul"]["Total_UpperLimit"].unit == "ct / s"
    assert (tmp_path / "ul.ecsv").exists()
    assert len(namespace["lcs"]["Total_rates"]) == 44
    assert set(namespace["fits"]["model"]) == {"PowerLaw", "APEC"}
    assert (tmp_path / "spec" / "interval0pc.pi").exists()
    assert namespace["near"]["distance"].unit == "arcmin"
    assert list(namespace["near"]["distance"]) == sorted(namespace["near"]["distance"])
