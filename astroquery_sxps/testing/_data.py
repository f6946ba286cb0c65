"""Loading the emulator's data files (``data/*.json``).

The files hold the REAL values printed in the reference tutorial. Where the
tutorial truncates a table, the filled-in rows are marked ``"synthetic": true``
(or listed under a ``"_synthetic"`` key) in the file itself.
"""
import copy
import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@functools.lru_cache(maxsize=None)
def _load(name):
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def load(name):
    """A deep copy of ``data/<name>.json`` (callers may modify it freely)."""
    return copy.deepcopy(_load(name))


def shared(name):
    """``data/<name>.json`` itself, not copied: for handlers that only read it on
    every request (copying it each time dominated the emulator's time per reply)."""
    return _load(name)
