"""getOldSXPSTables and getSXPSTable (full-table files: CSV, FITS, gzipped old epochs)."""
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


# --- getSXPSTable and the table files ----------------------------------------------------
from ..server import APIError, file_route  # noqa: E402
from .. import synthetic  # noqa: E402

TABLES = {"LSXPS": ("sources", "datasets", "detections", "obssources", "xcorr", "transients",
                    "oldstacks"),
          "2SXPS": ("sources", "datasets", "detections", "xcorr")}
_NAME_TO_TABLE = {v.lower(): k for k, v in _TABLE_FILE_NAMES.items()}
_FILE_RE = re.compile(r"^(LSXPS|2SXPS)_([A-Za-z]+)(?:_(clean|ultraclean|ultra-clean))?"
                      r"(?:_(\d{8}T\d{6}))?\.(csv|fits)(\.gz)?$")


def table_rows(emu):
    """Rows of the synthetic tables (``emu.options['full_table_rows']``, default 500)."""
    return int(emu.options.get("full_table_rows", 500))


def subset_mask(arrays, table, subset):
    """[emulator assumption] clean: DetFlag <= 1 (sources) / FieldFlag <= 1 (datasets);
    ultraclean: DetFlag == 0 and FieldFlag == 0 (sources) / FieldFlag == 0 (datasets)."""
    import numpy as np
    n = len(next(iter(arrays.values())))
    if subset is None:
        return np.ones(n, dtype=bool)
    subset = subset.lower().replace("-", "")
    if table == "sources":
        det, field = arrays["DetFlag"], arrays["FieldFlag"]
        return det <= 1 if subset == "clean" else (det == 0) & (field == 0)
    field = arrays["FieldFlag"]
    return field <= 1 if subset == "clean" else field == 0


@api_function("getSXPSTable")
def get_sxps_table(emu, body):
    cat = body.get("whichCat", "LSXPS")
    if cat not in TABLES:
        raise APIError(f"Unknown catalogue `{cat}`.")
    table = body.get("table")
    if not isinstance(table, str) or table.lower() not in TABLES[cat]:
        raise APIError(f"Unknown table `{table}` for the {cat} catalogue.")
    table = table.lower()
    fmt = str(body.get("format", "csv")).lower()
    if fmt not in ("csv", "fits"):
        raise APIError(f"Unknown format `{body.get('format')}`.")
    subset = body.get("subset")
    if subset is not None:
        if table not in ("sources", "datasets") or str(subset).lower() not in (
                "clean", "ultraclean", "ultra-clean"):
            raise APIError(f"Unknown subset `{subset}` for table `{table}`.")
        subset = str(subset).lower()
    epoch = body.get("epoch")
    stamp = None
    if epoch is not None:
        hourly, daily, _ = old_epochs()
        if cat != "LSXPS" or epoch not in list(hourly) + list(daily):
            raise APIError(f"No table snapshot exists for epoch `{epoch}`.")
        stamp = epoch_stamp(epoch)
    name = f"{cat}_{_TABLE_FILE_NAMES[table]}" + (f"_{subset}" if subset else "") \
        + (f"_{stamp}" if stamp else "") + f".{fmt}" + (".gz" if stamp else "")
    return {"URL": emu.file_url(f"tables/{table_rows(emu)}/{name}"), "FILE": name}


@file_route("tables/")
def table_file(emu, rest):
    import gzip
    import numpy as np
    rows_text, _, name = rest.partition("/")
    m = _FILE_RE.match(name)
    if not rows_text.isdigit() or not m:
        return None
    cat, stem, subset, stamp, fmt, gz = m.groups()
    table = _NAME_TO_TABLE.get(stem.lower())
    if table is None or table not in TABLES[cat]:
        return None
    rows = int(rows_text)
    if subset is None:
        data = synthetic.table_bytes(table, cat, rows, fmt)
    else:
        arrays = synthetic.table_arrays(table, cat, rows)
        keep = subset_mask(arrays, table, subset)
        if fmt == "csv":
            lines = synthetic.table_csv(table, cat, rows).split(b"\n")
            body = np.array(lines[1:1 + rows], dtype=object)[keep]
            data = b"\n".join([lines[0]] + list(body)) + b"\n"
        else:
            import io
            from astropy.table import Table
            buffer = io.BytesIO()
            Table({k: v[keep] for k, v in arrays.items()}).write(buffer, format="fits")
            data = buffer.getvalue()
    return gzip.compress(data, compresslevel=1, mtime=0) if gz else data
