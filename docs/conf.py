# Sphinx configuration for astroquery-sxps (builds offline, warnings are errors in tox).
import datetime
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

import astroquery_sxps  # noqa: E402

project = "astroquery-sxps"
author = "astroquery-sxps developers"
copyright = f"{datetime.date.today().year}, {author}"
release = version = "0.1.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_automodapi.automodapi",
    "sphinx_automodapi.smart_resolver",
    "pytest_doctestplus.sphinx.doctestplus",  # doctest-remote-data, doctest-requires
]
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
automodapi_toctreedirnm = "api"
automodsumm_inherited_members = False
autosummary_generate = True
autoclass_content = "both"
exclude_patterns = ["_build", "**/make_*.py"]
html_theme = "alabaster"
html_static_path = []
master_doc = "index"
suppress_warnings = ["ref.citation"]
