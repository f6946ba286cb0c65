"""Helpers shared by the file-saving tests (test_spectra.py, test_images.py, test_oracle_spectra_images.py).

A plain module: the test modules import what they use,
``from helpers_files import tree``.
"""
from pathlib import Path

__all__ = ["tree"]


def tree(directory):
    """The files under ``directory`` as sorted relative paths (``'a/b.png'``)."""
    directory = Path(directory)
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())
