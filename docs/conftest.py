"""The examples of every ``.rst`` page run in the test suite, against the embedded emulator.

pytest-doctestplus collects each page (``doctest_rst`` in setup.cfg) as one doctest: its
examples run in order, in one namespace. The set-up is the one the package's docstrings use
(astroquery_sxps/conftest.py): the ``.. doctest-remote-data::`` blocks run, with the
``SXPS`` singleton pointed at a fresh `~astroquery_sxps.testing.SXPSEmulator`, a private
astroquery cache, and a temporary working directory for the files the examples write
(``lc/``, ``spec/``, ``images/``...).
"""
from astroquery_sxps.conftest import doctest_against_emulator, pytest_make_collect_report  # noqa: F401
