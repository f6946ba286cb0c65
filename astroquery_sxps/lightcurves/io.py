"""Writing light curves: astropy I/O registry writers and `save_lightcurves`.

Registered for `~astroquery_sxps.SXPSLightCurve` (so ``lc.write(path, format=...)``):

``sxps.qdp``
    QDP/PLT text through astropy's ``ascii.qdp`` writer: the server's columns
    in order (``ObsID``/``URL`` dropped), ``READ TERR`` for the time and
    rate (or hardness-ratio) errors, ``READ SERR`` for symmetric errors,
    missing values as ``NO``.
``sxps.dat``
    The existing client's ``.dat`` text through astropy's ASCII writers:
    the server's columns in order, comma-separated (``sep``), no header
    unless ``header=True``, missing values as an empty field, ObsID as the
    11-character string.
``sxps.fits`` (also ``fits``, the format of ``lc.write('x.fits')``)
    astropy's FITS writer, with ``meta`` as a FITS header holds it (numbers
    and text; other values as text) and the time format kept, without
    warnings about long keywords; ``SXPSLightCurve.read('x.fits')`` reads it
    back.
``votable`` (the format of ``lc.write('x.vot', format='votable')``)
    The VOTable writer of every result (`astroquery_sxps._votable`): ``time``
    as MJD in its own scale with a TIMESYS, UCDs on the fields, ``meta``
    kept; ``SXPSLightCurve.read('x.vot', format='votable')`` reads it back.

ECSV needs nothing special: ``lc.write('x.ecsv')`` round-trips the time scale,
the units and ``meta`` (``SXPSLightCurve.read('x.ecsv', format='ascii.ecsv')``). The time values written to text are the server's:
MJD (UTC), JD (TDB) or Swift MET (s), as the curve was requested.
"""

import numpy as np
import astropy.units as u
from astropy.io import ascii, registry
from astropy.table import MaskedColumn, Table
from astroquery import log

from .._files import safe_path
from .. import _results as results
from .. import _votable as votable
from .._validation import choose_sources
from ..exceptions import InvalidQueryError
from .collection import (LightCurveCollection, check_write_options, renamed_download_dir,
                         write_files)
from .lightcurve import SXPSLightCurve

__all__ = ["save_lightcurves", "server_columns_table"]

_NOT_SERVER_COLUMNS = ("time", "MET", "is_upper_limit")


def _server_time_values(curve):
    fmt = curve.meta.get("time_format", "MJD")
    if fmt == "MET" and "MET" in curve.colnames:
        return curve["MET"].to_value(u.s)
    if fmt == "TDB":
        return curve.time.tdb.jd
    return curve.time.utc.mjd


def server_columns_table(curve, *, drop=()):
    """A plain `~astropy.table.Table` of the server's columns, in the server's order and
    with the server's names (``Time``: the server's numbers), NaN masked."""
    columns = list(curve.meta.get("columns") or
                   ["time"] + [c for c in curve.colnames if c not in _NOT_SERVER_COLUMNS])
    out = Table()
    for name in columns:
        if name == "time":
            name = "Time"
        if name in drop:
            continue
        if name == "Time":
            values = _server_time_values(curve)
        elif name in curve.colnames:
            col = curve[name]
            values = col.value if isinstance(col, u.Quantity) else np.asarray(col)
        else:
            values = np.full(len(curve), np.nan)
        if values.dtype.kind == "f" and np.isnan(values).any():
            out[name] = MaskedColumn(values, mask=np.isnan(values))
        else:
            out[name] = values
    return out


def _error_specs(names):
    """astropy's ``err_specs`` for QDP: a value column followed by ``<v>Pos``/``<v>Neg``
    (``TimePos``/``TimeNeg`` for ``Time``) has two-sided errors, one followed by
    ``<v>Err`` symmetric ones; indices count value columns from 1."""
    terr, serr = [], []
    index, i = 0, 0
    while i < len(names):
        index += 1
        base = names[i]
        if names[i + 1:i + 3] == [f"{base}Pos", f"{base}Neg"]:
            terr.append(index)
            i += 3
        elif names[i + 1:i + 2] == [f"{base}Err"]:
            serr.append(index)
            i += 2
        else:
            i += 1
    specs = {}
    if terr:
        specs["terr"] = terr
    if serr:
        specs["serr"] = serr
    return specs


def write_qdp(curve, path, *, overwrite=False):
    """Write ``curve`` as QDP/PLT text (registered as ``sxps.qdp``)."""
    table = server_columns_table(curve, drop=("ObsID", "URL"))
    table.write(path, format="ascii.qdp", err_specs=_error_specs(table.colnames),
                overwrite=overwrite)


def write_dat(curve, path, *, overwrite=False, header=False, sep=","):
    """Write ``curve`` as the existing client's ``.dat`` text (registered as ``sxps.dat``)."""
    if not isinstance(sep, str) or not sep or "\n" in sep or "\r" in sep:
        raise InvalidQueryError(f"sep must be a non-empty one-line string such as ',' or "
                                f"'\\t', not {sep!r}.")
    table = server_columns_table(curve)
    table.write(path, format="ascii.basic" if header else "ascii.no_header", delimiter=sep,
                fill_values=[(ascii.masked, "")], overwrite=overwrite)


def write_fits(curve, path, *, overwrite=False):
    """Write ``curve`` with astropy's FITS writer (`astroquery_sxps._results.write_fits`:
    ``meta`` as a FITS header holds it, the time format kept).

    Registered as ``sxps.fits`` and as ``fits`` for `SXPSLightCurve`, so that
    ``lc.write('x.fits')`` needs no format and raises no header warnings;
    ``SXPSLightCurve.read('x.fits')`` reads it back.
    """
    results.write_fits(curve, path, overwrite=overwrite)


def read_fits(source, **kwargs):
    """Read a light curve written by `write_fits` (registered as ``fits`` and
    ``sxps.fits`` readers of `SXPSLightCurve`)."""
    return results.read_fits(source, cls=SXPSLightCurve, **kwargs)


registry.register_writer("sxps.qdp", SXPSLightCurve, write_qdp)
registry.register_writer("sxps.dat", SXPSLightCurve, write_dat)
for _format in ("sxps.fits", "fits"):
    registry.register_writer(_format, SXPSLightCurve, write_fits)
    registry.register_reader(_format, SXPSLightCurve, read_fits)


def read_votable(source, **kwargs):
    """Read a light curve written as a VOTable (registered as the ``votable`` reader of
    `SXPSLightCurve`; the writer is `astroquery_sxps._votable.write_votable`)."""
    return votable.read_votable(source, cls=SXPSLightCurve, **kwargs)


registry.register_writer("votable", SXPSLightCurve, votable.write_votable)
registry.register_reader("votable", SXPSLightCurve, read_votable)


def _as_sources(data):
    if isinstance(data, LightCurveCollection):
        return {data.meta.get("identifier"): data}, False
    if isinstance(data, dict) and data and all(isinstance(v, LightCurveCollection)
                                               for v in data.values()):
        return dict(data), True
    raise InvalidQueryError("save_lightcurves needs a LightCurveCollection or a dict of them "
                            "(as returned by SXPS.get_lightcurve).")


def save_lightcurves(lightcurves, download_dir=None, *, which_sources="all",
                     which_curves="all", format="ecsv", subdirs=True, clobber=False,
                     header=False, sep=None, destdir=None):
    """Write light curves to files.

    Tutorial (``saveLightCurves``) -> here: ``destDir`` -> ``download_dir`` (the
    name every method of this package uses; ``destdir`` is accepted with an
    `~astropy.utils.exceptions.AstropyDeprecationWarning`),
    ``whichSources`` -> ``which_sources``, ``whichCurves`` ->
    ``which_curves`` (which works here), ``subDirs`` -> ``subdirs``,
    ``asQDP=True`` -> ``format='qdp'``.

    File names follow the existing client: ``{prefix}{dataset}_{time_format}_{binning}.{ext}``
    (e.g. ``Total_rates_MJD_Observation.dat``); for several sources each goes in
    ``download_dir/<identifier>/``, or with ``subdirs=False`` straight into ``download_dir``
    with the prefix ``"<identifier>_"``. Every file is written with astropy's
    I/O registry (see `astroquery_sxps.lightcurves.io`).

    Parameters
    ----------
    lightcurves : `~astroquery_sxps.LightCurveCollection` or dict of them
        What `~astroquery_sxps.SXPSClass.get_lightcurve` returned.
    download_dir : str or `~pathlib.Path`
        Directory (created with its parents); default ``'lc'``.
    which_sources : 'all', identifier or list of them
        Keys of the dict to save; for a single collection its identifier
        (``meta['identifier']``). An unknown key is an error.
    which_curves : 'all', str or list of str
        Dataset names to save; names a source does not have are skipped
        (with a warning if no source has them).
    format : {'ecsv', 'fits', 'dat', 'qdp'}
        ``ecsv``/``fits`` round-trip the light curve (units, time scale);
        ``dat`` is the tutorial's comma-separated text without a header;
        ``qdp`` has ``READ TERR`` lines for QDP/PLT.
    subdirs : bool
        For several sources: one sub-directory per source (default) or
        a ``"<identifier>_"`` file prefix. Ignored for a single collection.
    clobber : bool
        Replace existing files. Without it, if any target exists, nothing
        is written and `FileExistsError` is raised.
    header : bool
        ``dat``: write the column names first (QDP files always name them).
    sep : str, optional
        ``dat`` separator (default ``','``).
    destdir : str or `~pathlib.Path`
        Deprecated name of ``download_dir``.

    Returns
    -------
    list of `~pathlib.Path`
        The files written, in order.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        A bad argument (before anything is written).
    FileExistsError
        A target exists and ``clobber=False`` (nothing is written).

    Examples
    --------
    >>> from astroquery_sxps import SXPS, save_lightcurves
    >>> lcs = SXPS.get_lightcurve(source_name=['LSXPS J062131.8-622213',
    ...                                        'LSXPS J051152.3-621925'])  # doctest: +REMOTE_DATA
    >>> paths = save_lightcurves(lcs, 'lc', format='dat',
    ...                          which_curves=['Total_rates'])  # doctest: +REMOTE_DATA
    >>> paths[0].name  # doctest: +REMOTE_DATA
    'Total_rates_MJD_Observation.dat'
    """
    directory, curves, fmt, options = check_write_options(
        renamed_download_dir(download_dir, destdir), which_curves=which_curves, format=format, clobber=clobber, header=header,
        sep=sep)
    sources, several = _as_sources(lightcurves)
    if not isinstance(subdirs, (bool, np.bool_)):
        raise InvalidQueryError(f"subdirs must be True or False, not {subdirs!r}.")
    sources = choose_sources(sources, which_sources, "sources")
    pairs = []
    for key, collection in sources.items():
        folder, prefix = directory, ""
        if several:
            if subdirs:
                folder = safe_path(directory, str(key), user=True, what="source identifier")
            else:
                prefix = f"{key}_"
        pairs.extend(collection.files(folder, which_curves=curves, format=fmt, prefix=prefix))
    if curves is not None:
        present = {n for c in sources.values() for n in c.datasets}
        absent = [c for c in curves if c not in present]
        if absent:
            log.warning(f"No source has the dataset(s) {absent}; nothing saved for them.")
    return write_files(pairs, fmt, clobber=clobber, **options)
