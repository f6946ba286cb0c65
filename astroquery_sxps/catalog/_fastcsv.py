"""A fast, memory-lean CSV reader for the full catalogue tables.

The LSXPS sources table is about 280,000 rows x 234 columns (a ~450 MB CSV).
Reading it in one go with a general-purpose reader holds the whole text, the
tokenizer's buffers and the final columns at once (2-4x the table). Here the
file is cut into line-aligned chunks that are parsed on a small thread pool
(pandas' C parser when pandas is installed, else astropy's fast reader; both
release the GIL for most of the work) and copied straight into preallocated
column arrays. Peak memory is the final table plus a few chunks.

Cutting at line ends is only right when no field holds a line break, which
only a quoted field can. So the rows are counted and the file is checked for
a quote character in the same pass; a file with quotes is read by the exact
path instead: the same parser over the whole file, header included, which
follows the CSV quoting rules everywhere (a quoted header ``a,"b,c",d``, a
quoted line break, at a chunk boundary or not).
"""
import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from astropy.table import MaskedColumn, Table

__all__ = ["read_csv"]

_CHUNK_BYTES = 24 * 1024 * 1024


def _scan(path):
    """(line count, whether the file holds a quote character), in one pass."""
    rows = 0
    quoted = False
    last = b"\n"
    with open(path, "rb") as f:
        while True:
            block = f.read(16 * 1024 * 1024)
            if not block:
                break
            rows += block.count(b"\n")
            quoted = quoted or b'"' in block
            last = block[-1:]
    if last != b"\n":
        rows += 1
    return rows, quoted


def _header_names(line):
    """The column names of a header line, split by the CSV rules (quotes respected)."""
    text = line.decode("utf-8").lstrip("\ufeff").rstrip("\r\n")
    if not text.strip():
        return []
    return [name.strip() for name in next(csv.reader([text]))]


def _chunks(path, chunk_bytes):
    """Yield (header, bytes) with every chunk ending on a line boundary."""
    with open(path, "rb") as f:
        header = f.readline()
        rest = b""
        while True:
            block = f.read(chunk_bytes)
            if not block:
                if rest.strip():
                    yield header, rest
                return
            block = rest + block
            cut = block.rfind(b"\n")
            if cut < 0:
                rest = block
                continue
            rest = block[cut + 1:]
            yield header, block[:cut + 1]


def _parse_pandas(names, chunk, header=False):
    """Columns of ``chunk`` (bytes without the header line; with ``header``: the whole
    file, whose first record names the columns, returned as (names, columns))."""
    import pandas as pd
    df = pd.read_csv(io.BytesIO(chunk), header=0 if header else None,
                     names=None if header else names, sep=",",
                     low_memory=False, na_filter=True, keep_default_na=False,
                     na_values=["", "NaN", "nan", "NULL", "null", "None"],
                     encoding="utf-8-sig" if header else "utf-8")
    out = []
    for position in range(df.shape[1]):
        col = df.iloc[:, position]
        if getattr(col.dtype, "kind", "O") not in "iufb":     # object or pandas 'str'
            values = col.astype(object).where(col.notna(), "").to_numpy(dtype=str)
        else:
            values = col.to_numpy()
        out.append(values)
    if header:
        return [str(n).strip() for n in df.columns], out
    return out


def _parse_astropy(names, chunk, header=False):
    """As `_parse_pandas`, with astropy's fast reader."""
    text = chunk.decode("utf-8").lstrip("\ufeff")
    if not header:
        # a header astropy cannot misread: the names quoted by the CSV rules
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(names)
        text = buffer.getvalue() + text
    tab = Table.read(text, format="ascii.csv", guess=False,
                     fast_reader={"use_fast_converter": True})
    out = []
    for col in tab.itercols():
        if isinstance(col, MaskedColumn) and col.mask.any():
            if col.dtype.kind in "iuf":
                values = col.astype(float).filled(np.nan)
            elif col.dtype.kind in "US":
                values = col.filled("").astype(str)
            else:
                values = np.asarray(col.filled())
        else:
            values = np.asarray(col)
            if values.dtype.kind == "S":
                values = values.astype(str)
        out.append(values)
    if header:
        return [str(n).strip() for n in tab.colnames], out
    return out


class _Column:
    """A preallocated output column, promoted if a later chunk needs it."""

    def __init__(self, name, nrows, first):
        self.name = name
        self.nrows = nrows
        self.mask = None
        self.parts = None            # list mode (strings, mixed types)
        if first.dtype.kind in "iufb":
            self.data = np.empty(nrows, dtype=first.dtype if first.dtype.kind != "u" else np.int64)
        else:
            self.data = None
            self.parts = []

    def put(self, start, values):
        stop = start + len(values)
        if self.parts is not None:
            self.parts.append(values)
            return
        kind, want = values.dtype.kind, self.data.dtype.kind
        if kind == want or (want == "f" and kind in "iub") or (want == "i" and kind in "ub"):
            self.data[start:stop] = values
            return
        if want in "ib" and kind == "f":
            nan = np.isnan(values)
            finite = values[~nan]
            if want == "i" and np.all(finite == np.round(finite)):
                if nan.any():
                    if self.mask is None:
                        self.mask = np.zeros(self.nrows, dtype=bool)
                    self.mask[start:stop] = nan
                self.data[start:stop] = np.where(nan, 0, values).astype(self.data.dtype)
                return
            self._promote_float(start)
            self.data[start:stop] = values
            return
        # anything else (text in a numeric column...): keep pieces, join at the end
        self._to_parts(start)
        self.parts.append(values)

    def _promote_float(self, filled):
        data = self.data.astype(float)
        if self.mask is not None:
            data[:filled][self.mask[:filled]] = np.nan
            self.mask = None
        self.data = data

    def _to_parts(self, filled):
        head = self.data[:filled]
        if self.mask is not None:
            head = np.ma.MaskedArray(head, self.mask[:filled]).astype(float).filled(np.nan)
        self.parts = [head]
        self.data = None
        self.mask = None

    def finish(self):
        if self.parts is not None:
            parts = self.parts
            self.parts = None
            if any(p.dtype.kind in "USO" for p in parts):
                parts = [p if p.dtype.kind == "U" else
                         np.where(np.isnan(p), "", p.astype(str)) if p.dtype.kind == "f"
                         else p.astype(str) for p in parts]
            data = np.concatenate(parts) if parts else np.array([], dtype=str)
            return data
        if self.mask is not None and self.mask.any():
            return MaskedColumn(self.data, mask=self.mask, name=self.name)
        return self.data


def read_csv(path, *, workers=None, chunk_bytes=_CHUNK_BYTES, engine=None):
    """Read a comma-separated table with a header line into an astropy `~astropy.table.Table`.

    Empty fields (and ``NaN``/``NULL``) are missing values: NaN in float
    columns, masked entries in integer columns, empty strings in text columns.

    Parameters
    ----------
    path : str or path-like
    workers : int, optional
        Parser threads (default: up to 4, the number of CPUs).
    chunk_bytes : int
        Approximate size of the chunks parsed at once.
    engine : {'pandas', 'astropy'}, optional
        Default: pandas if it is installed, else astropy's fast reader.
    """
    if engine is None:
        try:
            import pandas  # noqa: F401
            engine = "pandas"
        except ImportError:  # pragma: no cover - pandas is optional
            engine = "astropy"
    parse = _parse_pandas if engine == "pandas" else _parse_astropy
    lines, quoted = _scan(path)
    if quoted:
        return _read_exact(path, parse)
    with open(path, "rb") as f:
        names = _header_names(f.readline())
    nrows = max(lines - 1, 0)
    if not names:
        return Table()
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    columns = None
    start = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []

        def drain(keep):
            nonlocal columns, start
            while len(pending) > keep:
                values = pending.pop(0).result()
                if columns is None:
                    columns = [_Column(n, nrows, v) for n, v in zip(names, values)]
                n = len(values[0])
                for col, v in zip(columns, values):
                    col.put(start, v)
                start += n

        for _, chunk in _chunks(path, chunk_bytes):
            pending.append(pool.submit(parse, names, chunk))
            drain(workers)          # bounded number of chunks in flight
        drain(0)
    if columns is None:
        return Table(names=names)
    if start != nrows:  # blank lines etc.: trim
        for col in columns:
            if col.data is not None:
                col.data = col.data[:start]
                if col.mask is not None:
                    col.mask = col.mask[:start]
    return _finish(columns, names)


def _finish(columns, names):
    data = []
    for col in columns:
        data.append(col.finish())
        col.data = None
    return Table(data, names=names, copy=False)


def _read_exact(path, parse):
    """The exact path, for files with quotes: one parse of the whole file, header
    included (quoted names, quoted commas and line breaks anywhere)."""
    with open(path, "rb") as f:
        text = f.read()
    if not text.strip():
        return Table()
    names, values = parse(None, text, header=True)
    nrows = len(values[0]) if values else 0
    if not nrows:
        return Table(names=names)
    columns = [_Column(n, nrows, v) for n, v in zip(names, values)]
    for col, v in zip(columns, values):
        col.put(0, v)
    return _finish(columns, names)
