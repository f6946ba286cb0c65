"""Helpers shared by the file-saving tests (test_spectra.py, test_images.py, test_oracle_spectra_images.py).

A plain module: the test modules import what they use,
``from helpers_files import tree``.
"""
from pathlib import Path

__all__ = ["tree", "TUTORIAL_APEC"]

# The APEC fit printed in the tutorial ("Storing spectra in variables").
TUTORIAL_APEC = {
    'NH': 2.4225699999999997e+22, 'NHPos': 1.0006478800000008e+21, 'NHNeg': -7.268195799999999e+20,
    'KT': 64, 'KTPos': 0, 'KTNeg': -1.1800726499999996,
    'ObsFlux': 2.941710969752721e-11, 'ObsFluxPos': 4.866421422665964e-13,
    'ObsFluxNeg': -5.005015402383723e-13, 'UnabsFlux': 4.1658151973796153e-11,
    'UnabsFluxPos': 7.043380918691522e-13, 'UnabsFluxNeg': -7.226010160274717e-13,
    'Cstat': 2619.411827, 'Dof': 876, 'FitChi': 2020.220249}


def tree(directory):
    """The files under ``directory`` as sorted relative paths (``'a/b.png'``)."""
    directory = Path(directory)
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())
