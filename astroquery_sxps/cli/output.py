"""Where the results of ``sxps`` go: a file chosen by the ``-o`` extension, or the terminal.

* tables (upper limits, cone searches, full tables, fit tables, image lists):
  ECSV, VOTable, FITS, CSV or JSON;
* light curves: ECSV, FITS, QDP, CSV (the files of `~astroquery_sxps.save_lightcurves`,
  written by its writers), VOTable or JSON;
* details records: JSON only.

Without ``-o`` a readable table is printed that fits the terminal's width.
Files are written under a temporary name and renamed, so a failure never
leaves half a file, and an existing file is replaced only with ``--overwrite``.
"""
import contextlib
import io
import os
import shutil
import sys
from pathlib import Path

import click
from astropy.table import Table

from astroquery_sxps import SXPSLightCurve, SXPSTable
from astroquery_sxps._files import temporary_name
from astroquery_sxps.lightcurves.collection import WRITE_FORMATS

from .jsonenc import dumps, to_jsonable

__all__ = ["FORMATS", "TABLE_FORMATS", "LIGHTCURVE_FORMATS", "DETAILS_FORMATS", "Output",
           "choose_output", "print_lines", "format_table", "print_table", "write_table",
           "write_json", "write_lightcurves"]

#: file extension -> format name
FORMATS = {".ecsv": "ecsv", ".vot": "votable", ".votable": "votable", ".xml": "votable",
           ".fits": "fits", ".fit": "fits", ".fts": "fits", ".csv": "csv", ".qdp": "qdp",
           ".json": "json"}
TABLE_FORMATS = ("ecsv", "votable", "fits", "csv", "json")
LIGHTCURVE_FORMATS = ("ecsv", "votable", "fits", "csv", "qdp", "json")
DETAILS_FORMATS = ("json",)

#: format -> (astropy writer, text?) for tables
_ASTROPY_WRITERS = {"ecsv": ("ascii.ecsv", True), "csv": ("ascii.csv", True),
                    "votable": ("votable", False), "fits": ("fits", False)}


class Output:
    """The destination of one command's result.

    Attributes
    ----------
    path : `~pathlib.Path` or None
        The file, or None for standard output.
    format : str or None
        The format name (see `FORMATS`), or None for the readable text.
    overwrite : bool
        Replace an existing file.
    """

    def __init__(self, path=None, format=None, overwrite=False):
        self.path = path
        self.format = format
        self.overwrite = overwrite

    @property
    def readable(self):
        """True when the result is printed as text for a person."""
        return self.format is None

    @property
    def to_stdout(self):
        return self.path is None

    def sibling(self, suffix):
        """``lc.ecsv`` -> ``lc_<suffix>.ecsv``: one file of several."""
        return self.path.with_name(f"{self.path.stem}_{suffix}{self.path.suffix}")


def choose_output(path, format, overwrite, allowed, what):
    """Check ``-o``/``--format`` before anything is requested.

    Parameters
    ----------
    path : str or None
        The ``-o`` value; ``'-'`` is standard output (needs ``format``).
    format : str or None
        The ``--format`` value; without it the extension of ``path`` decides.
    overwrite : bool
    allowed : tuple of str
        The formats this command can write.
    what : str
        What is written (for messages), e.g. ``'a light curve'``.

    Returns
    -------
    Output

    Raises
    ------
    click.BadParameter
        Unknown or unsuitable format, or the file exists without ``overwrite``.
    """
    if format is not None:
        format = format.lower()
        if format not in allowed:
            raise click.BadParameter(f"{format!r}: {what} can be written as "
                                     f"{', '.join(allowed)}.", param_hint="'--format'")
    if path is None:
        return Output(None, format, overwrite)
    if path == "-":
        if format is None:
            raise click.BadParameter("writing to standard output ('-o -') needs --format "
                                     f"({', '.join(allowed)}).", param_hint="'-o'")
        return Output(None, format, overwrite)
    target = Path(path)
    if format is None:
        format = FORMATS.get(target.suffix.lower())
        if format not in allowed:
            known = ", ".join("/".join(ext for ext, n in FORMATS.items() if n == name)
                              for name in allowed)
            raise click.BadParameter(f"cannot tell the format of {path!r} from its extension; "
                                     f"{what} can be written as {known}, or give --format.",
                                     param_hint="'-o'")
    if target.is_dir():
        raise click.BadParameter(f"{path!r} is a directory; give a file name.",
                                 param_hint="'-o'")
    if target.exists() and not overwrite:
        raise click.BadParameter(f"{path!r} exists; add --overwrite to replace it.",
                                 param_hint="'-o'")
    return Output(target, format, overwrite)


# -- the terminal ------------------------------------------------------------------
def _terminal_width():
    return shutil.get_terminal_size().columns


def print_lines(lines, file=None):
    """Print text lines to standard output (the CLI's own output: not a log message)."""
    click.echo("\n".join(lines), file=file)


def format_table(table, *, max_lines=None, width=None):
    """A table as text lines that fit the terminal's width.

    Columns of nested records (object columns of dicts) are left out: they
    do not fit in a cell (use JSON output to see them). On a terminal the
    rows are limited to its height (astropy's ``pformat``); in a pipe every
    row is printed.
    """
    shown = [name for name in table.colnames
             if getattr(table[name], "dtype", None) is None or table[name].dtype.kind != "O"]
    if len(shown) != len(table.colnames):
        table = table[shown] if shown else Table()
    if max_lines is None and not sys.stdout.isatty():
        max_lines = -1
    return table.pformat(max_lines=max_lines, max_width=width or _terminal_width())


def print_table(table, title=None, first=()):
    """Print ``table`` readably on standard output, the columns ``first`` (those
    present) leading, so that they are not the ones left out on a narrow terminal."""
    leading = [name for name in first if name in table.colnames]
    if leading:    # (a plain Table view: a TimeSeries must keep `time` first)
        table = Table(table, copy=False)[leading + [n for n in table.colnames
                                                    if n not in leading]]
    lines = [title] if title else []
    if len(table) == 0:
        lines.append("(no rows)")
    else:
        lines.extend(format_table(table))
    print_lines(lines)


# -- files -------------------------------------------------------------------------
@contextlib.contextmanager
def _atomic_path(target, overwrite):
    """A temporary path next to ``target``, renamed to it if the block succeeds."""
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; add --overwrite to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _emit(output, writer, text):
    """Run ``writer(destination)`` into the output's file, or into standard output."""
    if output.to_stdout:
        buffer = io.StringIO() if text else io.BytesIO()
        writer(buffer)
        if text:
            sys.stdout.write(buffer.getvalue())
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
        return None
    with _atomic_path(output.path, output.overwrite) as tmp:
        writer(tmp)
    return output.path


def _table_writer(table, format):
    astropy_format, text = _ASTROPY_WRITERS[format]
    if format != "csv" and not isinstance(table, (SXPSTable, SXPSLightCurve)):
        # the writers of every result (ECSV, FITS, VOTable keep positions, times,
        # object columns and meta), also for tables the CLI builds (stacked fits)
        table = SXPSTable(table, copy=False)

    def write(dest):
        table.write(dest, format=astropy_format, overwrite=True)
    return write, text


def _write_text(dest, text):
    if isinstance(dest, (str, os.PathLike)):
        Path(dest).write_text(text, encoding="utf-8")
    else:
        dest.write(text)


def write_table(table, output):
    """Write ``table`` to ``output`` (a file or standard output) in its format.

    Returns
    -------
    `~pathlib.Path` or None
        The file written (None for standard output).
    """
    if output.format == "json":
        return write_json({"meta": to_jsonable(table.meta), "rows": to_jsonable(table)},
                          output)
    writer, text = _table_writer(table, output.format)
    return _emit(output, writer, text)


def write_json(obj, output):
    """Write any result (details records...) as JSON (see `~astroquery_sxps.cli.jsonenc`)."""
    return _emit(output, lambda dest: _write_text(dest, dumps(obj) + "\n"), True)


# -- light curves ------------------------------------------------------------------
#: our format -> (format of save_lightcurves, options of its writer)
_SAVED_FORMATS = {"ecsv": ("ecsv", {}), "fits": ("fits", {}), "qdp": ("qdp", {}),
                  "csv": ("dat", {"header": True, "sep": ","})}


def _lightcurve_writer(curve, format):
    """The writer `~astroquery_sxps.save_lightcurves` uses for ``format`` (CSV: its
    ``'dat'`` text with a header line), and whether it writes text."""
    save_format, options = _SAVED_FORMATS[format]
    registry_format = WRITE_FORMATS[save_format][0]

    def write(dest):
        curve.write(dest, format=registry_format, overwrite=True, **options)
    return write, format != "fits"


def write_lightcurves(lightcurves, names, output):
    """Write the datasets ``names`` of a `~astroquery_sxps.LightCurveCollection`.

    One dataset goes to ``output.path`` itself; several go to one file each,
    ``<stem>_<dataset><ext>`` (``lc.qdp`` -> ``lc_Total_rates.qdp``,
    ``lc_Total_UL.qdp``), all checked before any is written - except in JSON,
    where one document holds them all (``{"meta", "datasets": {name: {"meta",
    "rows"}}}``). ECSV, FITS, QDP
    and CSV files are those of `~astroquery_sxps.save_lightcurves` (CSV is its
    ``'dat'`` format with a header line).

    Returns
    -------
    list of `~pathlib.Path`
        The files written (empty for standard output).
    """
    if output.format == "json":      # one document holds them all
        document = {"meta": to_jsonable(lightcurves.meta),
                    "datasets": {name: {"meta": to_jsonable(lightcurves[name].meta),
                                        "rows": to_jsonable(lightcurves[name])}
                                 for name in names}}
        return [p for p in [write_json(document, output)] if p is not None]
    if output.to_stdout and len(names) != 1:
        raise click.BadParameter(f"standard output holds one light curve; choose one of "
                                 f"{', '.join(names)} with --curve.", param_hint="'-o'")
    targets = [output] if len(names) == 1 else \
        [Output(output.sibling(name), output.format, output.overwrite) for name in names]
    existing = [str(t.path) for t in targets if t.path is not None and t.path.exists()]
    if existing and not output.overwrite:
        raise FileExistsError(f"{', '.join(existing)} exist(s); add --overwrite to replace, "
                              "nothing was written.")
    written = []
    for name, target in zip(names, targets):
        if output.format in _SAVED_FORMATS:
            written.append(_emit(target, *_lightcurve_writer(lightcurves[name], output.format)))
        else:
            written.append(write_table(lightcurves[name], target))
    return [p for p in written if p is not None]
