"""The docs name every function of the existing client that the UKSSDC tutorial calls.

The pages' examples themselves run as doctests (docs/conftest.py); this checks the tables
that map the tutorial's functions to ours, which no example exercises.
"""
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs" / "sxps"

#: Every call of the tutorial (``uds`` = swifttools.ukssdc.data.SXPS, ``ud`` =
#: swifttools.ukssdc.data, ``uk`` = swifttools.ukssdc), and the page that maps its arguments.
TUTORIAL_CALLS = {
    "uds.getUpperLimits": "upper_limits.rst", "uds.getFailedUpperLimit": "upper_limits.rst",
    "uk.mergeUpperLimits": "upper_limits.rst",
    "uds.getSourceDetails": "sources.rst", "uds.getDatasetDetails": "sources.rst",
    "uds.getTransientDetails": "sources.rst", "uds.getObsList": "sources.rst",
    "uds.makeProductRequest": "sources.rst", "ud.downloadObsData": "sources.rst",
    "myReq.getGlobalPars": "sources.rst", "myReq.getProductPars": "sources.rst",
    "myReq.getLightCurvePars": "sources.rst", "myReq.addSpectrum": "sources.rst",
    "myReq.setSpectrumPars": "sources.rst",
    "uds.getFullTable": "tables.rst", "uds.listOldTables": "tables.rst",
    "uds.getLightCurves": "lightcurves.rst", "uds.saveLightCurves": "lightcurves.rst",
    "plotLightCurve": "lightcurves.rst",
    "uds.getSpectra": "spectra_images.rst", "uds.saveSpectra": "spectra_images.rst",
    "uds.saveSourceImages": "spectra_images.rst", "uds.saveDatasetImages": "spectra_images.rst",
}


def _table_rows(text):
    """The lines of the tables of an .rst page (simple tables and list-tables)."""
    lines = text.splitlines() + [""]
    rows, in_list_table, in_simple = [], False, False
    for i, line in enumerate(lines[:-1]):
        if line.startswith(".. list-table::"):
            in_list_table = True
        elif in_list_table and line and not line.startswith(" "):
            in_list_table = False
        border = re.match(r"^=+( +=+)+$", line)
        if border and not in_simple:
            in_simple = True
        elif border and not lines[i + 1].strip():      # the bottom border
            in_simple = False
            continue
        if in_list_table or in_simple:
            rows.append(line)
    return "\n".join(rows)


@pytest.mark.parametrize("call, page", sorted(TUTORIAL_CALLS.items()))
def test_tutorial_function_is_mapped(call, page):
    literal = f"``{call}"          # ``uds.getLightCurves`` or ``myReq.getGlobalPars()``
    assert literal in _table_rows((DOCS / page).read_text()), f"{call} is not in a table of {page}"


def test_overview_table_names_every_tutorial_module_function():
    overview = _table_rows((DOCS / "sxps.rst").read_text())
    missing = [call for call in TUTORIAL_CALLS
               if not call.startswith("myReq.") and f"``{call}``" not in overview]
    assert not missing, f"not in the table of sxps.rst: {missing}"
