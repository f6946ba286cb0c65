"""getOldSXPSTables (and the full-table download, getSXPSTable)."""
import re

from .._data import load
from ..server import api_function

_TABLE_FILE_NAMES = {"sources": "Sources", "datasets": "Datasets", "detections": "Detections",
                     "obssources": "ObsSources", "xcorr": "ExtCatMatches",
                     "transients": "Transients", "oldstacks": "OldStacks"}


def epoch_stamp(epoch):
    """'2022-08-17 10:00:01 UTC' -> '20220817T100001'; '2022-08-17' -> '20220817T000001'."""
    digits = re.sub(r"[^0-9]", "", epoch)
    date, clock = digits[:8], digits[8:14] or "000001"
    return f"{date}T{clock}"


def old_epochs():
    data = load("old_tables")
    return data["hourly"], data["daily"], data["tables"]


@api_function("getOldSXPSTables")
def get_old_tables(emu, body):
    hourly, daily, tables = old_epochs()

    def listing(epoch):
        # [inferred] the inner shape is undocumented: table -> file name stem
        return {t: f"LSXPS_{_TABLE_FILE_NAMES[t]}_{epoch_stamp(epoch)}" for t in tables}

    return {"hourly": {e: listing(e) for e in hourly}, "daily": {e: listing(e) for e in daily}}
