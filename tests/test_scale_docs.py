"""The examples of docs/sxps/scale.rst and of the scale docstrings run against the emulator."""
import pytest

from test_details import _run_doc_examples


@pytest.mark.slow
def test_scale_docs_examples_run_against_the_emulator(tmp_path):
    pytest.importorskip("lsdb", reason="the [scale] extra is installed by run.sh test")
    _run_doc_examples(tmp_path, "docs/sxps/scale.rst",
                      "astroquery_sxps/scale/batch.py::astroquery_sxps.scale.batch.query_upper_limits",
                      "astroquery_sxps/scale/hats.py::astroquery_sxps.scale.hats.to_hats",
                      emulator_options={"synthetic_upper_limits": True})
