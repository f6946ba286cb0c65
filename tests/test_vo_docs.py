"""The examples of docs/sxps/vo.rst ("Into the VO and beyond") and of the new public
functions' docstrings run against the emulator and give the output shown."""
from test_details import _run_doc_examples


def test_vo_page_examples_run_against_the_emulator(tmp_path):
    _run_doc_examples(tmp_path, "docs/sxps/vo.rst",
                      "astroquery_sxps/interop/flux.py",
                      "astroquery_sxps/interop/samp.py",
                      "astroquery_sxps/lightcurves/lightcurve.py")
