"""Spectral fits and spectral files of SXPS sources and transients.

See ``docs/sxps/api_protocol.rst`` (getSXPSSpectrumData, spectra on disk).

The server describes each automatic spectrum as a "spectrum dict": time
intervals (``rnames``; always one, ``interval0``, for SXPS), XRT modes (``PC``)
and fitted models (``PowerLaw``, ``APEC``), each with parameters, asymmetric
errors and a plot. Here that becomes an astropy `~astropy.table.Table` with one
row per fitted model. The spectral files (a ``tar.gz`` of PHA/ARF/RMF files)
and the GIF plots are downloaded on request, atomically, and the archive is
extracted safely (`astroquery_sxps._files.safe_extract`).
"""
import os
import shutil
import uuid
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.table import MaskedColumn, Table
from astroquery import log

from .._files import (check_destination, check_inside, is_url, safe_extract, safe_name, safe_path,
                      url_basename)
from .._plan import Plan, Targets
from .._results import SXPSTable, finish_table, float_column, plain
from .._transport import APIRequest
from .._validation import check_bool, check_catalog, choose, choose_sources
from ..exceptions import (IgnoredOptionWarning, InvalidQueryError, NoResultsWarning, SXPSResponseError, warn)
from ..sources.living import check_transient_options, raise_if_split, transient_lookup

__all__ = ["SPEC_TYPES", "FIT_COLUMNS", "spectrum_request", "parse_spectrum_reply",
           "fit_table", "save_spectrum_files", "open_spectrum_files", "spectrum_plan",
           "spectrum_dict", "save_spectra_plan"]

#: Allowed ``spec_type`` values for transients, and the reply key of each.
SPEC_TYPES = {"discovery": "Discovery", "full": "Full", "both": "both"}

#: Columns of a fit table, with their units (None: dimensionless or text).
FIT_COLUMNS = (
    ("interval", None), ("mode", None), ("model", None),
    ("Exposure", u.s), ("MeanTime", u.s),
    ("NH", u.cm ** -2), ("NHPos", u.cm ** -2), ("NHNeg", u.cm ** -2),
    ("Gamma", None), ("GammaPos", None), ("GammaNeg", None),
    ("KT", u.keV), ("KTPos", u.keV), ("KTNeg", u.keV),
    ("ObsFlux", u.erg / u.cm ** 2 / u.s), ("ObsFluxPos", u.erg / u.cm ** 2 / u.s),
    ("ObsFluxNeg", u.erg / u.cm ** 2 / u.s),
    ("UnabsFlux", u.erg / u.cm ** 2 / u.s), ("UnabsFluxPos", u.erg / u.cm ** 2 / u.s),
    ("UnabsFluxNeg", u.erg / u.cm ** 2 / u.s),
    ("Cstat", None), ("Dof", None), ("FitChi", None), ("Image", None),
)
_TEXT = {"interval", "mode", "model", "Image"}
#: Long columns (URLs, paths) left out of the printed view, so that a fit table
#: fits an 80-column terminal; they stay in the table.
_HIDDEN = ("Image", "plot_file")
_INT = {"Dof"}


def spectrum_request(catalog, field, value, *, transient=False, spec_type=None, identifier=None):
    """The ``getSXPSSpectrumData`` request for one object."""
    payload = {"whichCat": catalog, field: value}
    if transient:
        payload["transient"] = True
        payload["specType"] = spec_type
    return APIRequest("getSXPSSpectrumData", payload,
                      identifier=identifier if identifier is not None else value)


def _number(value):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fit_table(spec, identifier=None):
    """Turn one spectrum dict into a fit `~astropy.table.Table` (one row per fitted model).

    Parameters
    ----------
    spec : dict
        A spectrum dict as sent by the server (``docs/sxps/api_protocol.rst``,
        getSXPSSpectrumData).
    identifier : object, optional
        The object the spectrum belongs to (used in messages and ``meta``).

    Returns
    -------
    table : `~astropy.table.Table`
        Columns ``interval``, ``mode``, ``model``, ``Exposure``, ``MeanTime``,
        the fit parameters with their ``*Pos``/``*Neg`` errors (``*Neg`` are
        negative), ``Cstat``, ``Dof``, ``FitChi`` and ``Image`` (the plot URL).
        A parameter a model does not have (``KT`` of a power law) is masked.
        ``meta`` holds ``T0``, ``DeltaFitStat``, ``GalNH_unfitted``,
        ``rnames``, ``intervals`` (``Start``, ``Stop``, ``DataFile`` per
        interval) and ``NoSpectrum`` / ``not_fitted`` notes. A spectrum
        without a fit gives an empty table and a `NoResultsWarning`.
    """
    identifier = plain(identifier)
    what = f" of {identifier!r}" if identifier is not None else ""
    meta = {"identifier": identifier}
    rows = []
    notes = []
    if not isinstance(spec, dict) or "NoSpectrum" in spec or "rnames" not in spec:
        meta["no_spectrum"] = True
        notes.append(f"There is no spectrum{what}.")
    else:
        meta["no_spectrum"] = False
        t0 = _number(spec.get("T0"))
        meta["t0"] = t0 * u.s if t0 is not None else None
        meta["delta_fit_stat"] = _number(spec.get("DeltaFitStat"))
        galnh = _number(spec.get("GalNH_unfitted"))
        meta["gal_nh_unfitted"] = galnh * u.cm ** -2 if galnh is not None else None
        rnames = spec.get("rnames") or []
        if isinstance(rnames, str):
            rnames = [rnames]
        meta["rnames"] = list(rnames)
        meta["intervals"] = {}
        meta["not_fitted"] = []
        for rname in rnames:
            interval = spec.get(rname)
            if not isinstance(interval, dict):
                notes.append(f"Interval {rname!r}{what} is missing from the reply.")
                continue
            meta["intervals"][rname] = {"start": _number(interval.get("Start")),
                                        "stop": _number(interval.get("Stop")),
                                        "data_file": interval.get("DataFile")}
            if "NOSPEC" in interval:
                notes.append(f"Interval {rname!r}{what} has no spectrum (NOSPEC).")
                meta["not_fitted"].append((rname, None, None))
                continue
            modes = interval.get("Modes") or []
            if isinstance(modes, str):
                modes = [modes]
            for mode in modes:
                block = interval.get(mode)
                if not isinstance(block, dict):
                    continue
                models = block.get("Models")
                if "NOFIT" in block or not models:
                    notes.append(f"The {mode} spectrum of {rname!r}{what} was not fitted (NOFIT).")
                    meta["not_fitted"].append((rname, mode, None))
                    continue
                if isinstance(models, str):
                    models = [models]
                for model in models:
                    fit = block.get(model)
                    if not isinstance(fit, dict) or "NOFIT" in fit:
                        notes.append(f"The {model} model was not fitted to the {mode} spectrum "
                                     f"of {rname!r}{what} (NOFIT).")
                        meta["not_fitted"].append((rname, mode, model))
                        continue
                    row = {"interval": rname, "mode": mode, "model": model,
                           "Exposure": _number(block.get("Exposure")),
                           "MeanTime": _number(block.get("MeanTime"))}
                    for name, _ in FIT_COLUMNS[5:]:
                        value = fit.get(name)
                        row[name] = value if name in _TEXT else _number(value)
                    rows.append(row)
    columns = []
    for name, unit in FIT_COLUMNS:
        values = [row.get(name) for row in rows]
        mask = [v is None for v in values]
        if name in _TEXT:
            data = np.array([v if v is not None else "" for v in values], dtype=str) \
                if values else np.array([], dtype=str)
            columns.append(MaskedColumn(data, name=name, mask=mask))
        else:
            data = np.array([(v if v is not None else 0) for v in values], dtype=float)
            if name in _INT:
                columns.append(MaskedColumn(np.round(data).astype(int), name=name, unit=unit,
                                            mask=mask))
            else:
                columns.append(float_column(data, name=name, unit=unit, mask=mask))
    table = finish_table(SXPSTable(columns, copy=False), meta, hide=_HIDDEN)
    for note in notes:
        warn(note, NoResultsWarning)
    return table


def parse_spectrum_reply(reply, identifier, spec_type=None):
    """A reply -> fit Table, or ``{'Discovery': Table, 'Full': Table}`` for ``spec_type='both'``.

    Accepts a plain spectrum dict, ``{"NoSpectrum": ...}``, or a
    ``Discovery``/``Full`` wrapper (even for a single requested type).
    """
    wrapped = isinstance(reply, dict) and "rnames" not in reply and \
        ("Discovery" in reply or "Full" in reply)
    if spec_type == "both":
        if not wrapped:
            raise SXPSResponseError(
                f"The spectrum reply for transient {identifier!r} has no Discovery/Full "
                f"spectra (keys: {sorted(reply)}).", api_func="getSXPSSpectrumData")
        return {kind: fit_table(reply.get(kind) or {"NoSpectrum": 1},
                                f"{identifier} ({kind})")
                for kind in ("Discovery", "Full")}
    if wrapped:
        kind = SPEC_TYPES.get(str(spec_type).lower(), "Discovery")
        return fit_table(reply.get(kind) or {"NoSpectrum": 1}, identifier)
    return fit_table(reply, identifier)


# -- the plans of get_spectrum and save_spectra -------------------------------------------
def _check_save_options(**options):
    """The checked file options shared by ``get_spectrum`` and ``save_spectra``."""
    for name, value in options.items():
        check_bool(name, value)
    return options


def _save_files(context, specs, kinds, base, multiple, key, options):
    """Save the files of one object: ``specs`` is its spectrum dict, or (``kinds``) a dict
    of them by kind (Discovery/Full). Returns the files dict(s), as `save_spectrum_files`."""
    base = safe_path(base, str(key), user=True, what="identifier") if multiple else base
    if kinds:
        return {kind: save_spectrum_files(context, (specs or {}).get(kind), base / kind,
                                          **options) for kind in kinds}
    return save_spectrum_files(context, specs, base, **options)


def _attach(result, files):
    """Attach the saved files to an object's fit table(s) (not to an empty one)."""
    if isinstance(result, dict):
        for kind, table in result.items():
            if not table.meta.get("no_spectrum"):
                attach_files(table, files[kind])
    elif not result.meta.get("no_spectrum"):
        attach_files(result, files)
    return result


def _save_result(context, result, specs, base, multiple, key, options):
    """Save the files of one object's result (a fit table, or Discovery/Full tables).

    ``specs``: the spectrum dict of the table, or a dict of them by kind.
    """
    kinds = list(result) if isinstance(result, dict) else None
    return _attach(result, _save_files(context, specs, kinds, base, multiple, key, options))


def spectrum_plan(source_id=None, source_name=None, *, catalog="LSXPS", transient=False,
                  trans_as_source=False, spec_type=None, download_dir=None, save_data=True,
                  extract=True, remove_tar=True, save_images=True, clobber=False,
                  skip_errors=False):
    """Check every `~astroquery_sxps.SXPSClass.get_spectrum` argument; its plan.

    Raises `~astroquery.exceptions.InvalidQueryError` (and warns about ignored
    options) before any request.
    """
    catalog = check_catalog(catalog)
    transient, trans_as_source = check_transient_options(catalog, transient, trans_as_source)
    save_options = _check_save_options(save_data=save_data, extract=extract,
                                       remove_tar=remove_tar, save_images=save_images,
                                       clobber=clobber)
    check_bool("skip_errors", skip_errors)
    targets = Targets.sources(source_id, source_name)
    pure_transient = transient and not trans_as_source
    if pure_transient:
        if spec_type is None:
            raise InvalidQueryError(
                "spec_type is required for transient spectra: 'discovery', 'full' or "
                "'both' (or use trans_as_source=True).")
        spec_type = choose("spec_type", spec_type, tuple(SPEC_TYPES)).lower()
    elif spec_type is not None:
        warn("spec_type applies only to transients (transient=True, "
             "trans_as_source=False); ignored.", IgnoredOptionWarning)
        spec_type = None
    if download_dir is not None:
        download_dir = check_destination("download_dir", download_dir)
        if targets.multiple:           # one folder per identifier: refuse odd names now
            for key in targets.keys:
                safe_name(key, what="identifier", user=True)

    def request(value):
        return spectrum_request(catalog, targets.field, value, transient=pure_transient,
                                spec_type=spec_type, identifier=value)

    def fetch(context, key, value):
        """The network part: the reply, and the files it points to (with download_dir)."""
        reply = context.call(request(value))
        raise_if_split(reply, value)
        if download_dir is None:
            return reply, None
        spec = reply
        if "rnames" not in reply and spec_type in ("discovery", "full"):
            spec = reply.get(SPEC_TYPES[spec_type])
        kinds = ["Discovery", "Full"] if spec_type == "both" else None
        return reply, _save_files(context, spec, kinds, download_dir, targets.multiple, key,
                                  save_options)

    def read(key, value, fetched):
        """The reading part, in the caller's thread while the pool fetches on."""
        reply, files = fetched
        result = parse_spectrum_reply(reply, key, spec_type)
        return result if files is None else _attach(result, files)

    lookup = transient_lookup(catalog, targets) if trans_as_source else None
    return Plan(fetch, read=read, targets=targets, requests=request, lookup=lookup,
                skip_errors=skip_errors)


def _is_fit_result(value):
    """A fit table, or the ``{'Discovery': Table, 'Full': Table}`` of a transient."""
    return isinstance(value, Table) or (
        isinstance(value, dict) and value and set(value) <= set(SPEC_TYPES.values())
        and all(isinstance(v, Table) for v in value.values()))


def spectrum_dict(table):
    """The spectrum dict (as the server sends it) that a fit table was read from.

    Enough of it to save the files: ``rnames``, each interval's ``DataFile``,
    ``Modes`` and, per mode, ``Models`` with each model's plot URL (``Image``).
    A table without a spectrum gives ``{'NoSpectrum': 1}``.
    """
    meta = table.meta
    if meta.get("no_spectrum") or "rnames" not in meta:
        return {"NoSpectrum": 1}
    spec = {"rnames": list(meta["rnames"])}
    for rname in spec["rnames"]:
        info = (meta.get("intervals") or {}).get(rname) or {}
        spec[rname] = {"DataFile": info.get("data_file"), "Modes": []}
    for row in table:
        interval = spec.setdefault(str(row["interval"]), {"Modes": []})
        mode = str(row["mode"])
        if mode not in interval["Modes"]:
            interval["Modes"].append(mode)
            interval[mode] = {"Models": []}
        model = str(row["model"])
        interval[mode]["Models"].append(model)
        image = row["Image"] if "Image" in table.colnames else None
        interval[mode][model] = {"Image": None if np.ma.is_masked(image) else str(image)}
    return spec


def save_spectra_plan(spectra, *, which_sources="all", download_dir=None, save_data=True,
                      extract=True, remove_tar=True, save_images=True, clobber=False):
    """Check the arguments of ``save_spectra``; its plan (file downloads only, no API call).

    ``spectra`` is what `~astroquery_sxps.SXPSClass.get_spectrum` returned: a
    fit table, ``{'Discovery': Table, 'Full': Table}``, or a dict of these
    keyed by identifier.
    """
    save_options = _check_save_options(save_data=save_data, extract=extract,
                                       remove_tar=remove_tar, save_images=save_images,
                                       clobber=clobber)
    if download_dir is None:
        raise InvalidQueryError("save_spectra needs download_dir: the directory to save the "
                                "spectral files in.")
    download_dir = check_destination("download_dir", download_dir)
    accepted = ("a fit table returned by get_spectrum, its {'Discovery': Table, 'Full': "
                "Table} for a transient, or a dict of these keyed by identifier (its "
                "result for a list of objects)")
    if _is_fit_result(spectra):
        multiple, results = False, {None: spectra}
    elif isinstance(spectra, dict) and spectra and all(_is_fit_result(v)
                                                       for v in spectra.values()):
        multiple, results = True, dict(spectra)
    else:
        raise InvalidQueryError(f"spectra must be {accepted}; got {type(spectra).__name__}.")
    if multiple:
        results = choose_sources(results, which_sources, "results")
    elif not (isinstance(which_sources, str) and which_sources == "all"):
        raise InvalidQueryError("which_sources applies to a dict of results (several "
                                "objects); for one result leave it at 'all'.")

    def fetch(context, key, value):
        copied = ({kind: table.copy() for kind, table in value.items()}
                  if isinstance(value, dict) else value.copy())
        specs = ({kind: spectrum_dict(table) for kind, table in copied.items()}
                 if isinstance(copied, dict) else spectrum_dict(copied))
        return _save_result(context, copied, specs, download_dir, multiple, key, save_options)

    return Plan(fetch, targets=Targets.listed(None, list(results.values()), list(results),
                                              multiple=multiple))


# -- files ------------------------------------------------------------------------


def _extract(archive, directory, clobber):
    """Extract ``archive`` safely into ``directory``; existing files kept unless ``clobber``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory / f".extract-{uuid.uuid4().hex[:8]}"
    try:
        extracted = safe_extract(archive, staging)
        final, kept = [], []
        for path in extracted:
            rel = path.relative_to(staging.resolve())
            target = check_inside(directory, directory / rel)   # no link may lead out
            if target.exists() and not clobber:
                kept.append(rel.as_posix())
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            final.append(target)
        if kept:        # one message, not one per member
            log.info(f"{len(kept)} file(s) of {Path(archive).name} already in {directory} "
                     f"were kept (clobber=False): {', '.join(kept)}.")
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def save_spectrum_files(context, spec, directory, *, save_data=True, extract=True,
                        remove_tar=True, save_images=True, clobber=False):
    """Save the files of one spectrum dict into ``directory``.

    ``context`` is the `~astroquery_sxps._plan.Context` of the running call.
    Every file is fetched into astroquery's cache folder first
    (``context.cached_file``) and copied or extracted from there, so a
    repeated call with ``cache=True`` makes no file request.

    Returns
    -------
    files : dict
        ``directory``; ``archives`` (interval -> archive path, None when not
        kept); ``members`` (extracted files); ``plots`` (interval -> mode ->
        model -> GIF path); ``spectra`` (interval -> mode -> {``pha``,
        ``source_pha``, ``background``, ``arf``, ``rmf``}); and, for the first
        interval and mode (the only ones of SXPS spectra), the shortcuts
        ``pha``, ``source_pha``, ``background``, ``arf``, ``rmf``.
    """
    directory = Path(directory)
    files = {"directory": directory, "archives": {}, "members": [], "plots": {}, "spectra": {}}
    if not isinstance(spec, dict) or "rnames" not in spec:
        return files
    for rname in spec.get("rnames") or []:
        interval = spec.get(rname)
        if not isinstance(interval, dict):
            continue
        url = interval.get("DataFile")
        if save_data and is_url(url) and "NOSPEC" not in interval:
            cached = context.cached_file(url, url_basename(url))
            archive = None
            if extract:
                files["members"].extend(_extract(cached, directory, clobber))
            if not (extract and remove_tar):
                archive = context.copy_file(cached, directory, clobber=clobber)
            files["archives"][rname] = archive
        modes = interval.get("Modes") or []
        for mode in modes if isinstance(modes, list) else [modes]:
            block = interval.get(mode)
            if not isinstance(block, dict):
                continue
            # interval and mode names from the reply become file names: keep them harmless
            stem = safe_name(f"{rname}{str(mode).lower()}", what="spectrum interval/mode name")
            found = {key: directory / name for key, name in (
                ("pha", f"{stem}.pi"), ("source_pha", f"{stem}source.pi"),
                ("background", f"{stem}back.pi"), ("arf", f"{stem}.arf"),
                ("rmf", f"{stem}.rmf")) if (directory / name).exists()}
            files["spectra"].setdefault(rname, {})[mode] = found
            if save_images:
                for model in block.get("Models") or []:
                    fit = block.get(model)
                    image = fit.get("Image") if isinstance(fit, dict) else None
                    if not is_url(image):
                        if image is not None:
                            log.info(f"No plot for the {model} fit of {rname}/{mode} ({image!r}).")
                        continue
                    cached = context.cached_file(image, url_basename(image),
                                                 show_progress=False)
                    target = context.copy_file(cached, directory, clobber=clobber)
                    files["plots"].setdefault(rname, {}).setdefault(mode, {})[model] = target
    for rname, modes in files["spectra"].items():
        for mode, found in modes.items():
            for key in ("pha", "source_pha", "background", "arf", "rmf"):
                files.setdefault(key, found.get(key))
            break
        break
    return files


def attach_files(table, files):
    """Record ``files`` in ``table.meta['files']`` (paths as text) and add a ``plot_file``
    column (hidden from the printed view, like ``Image``)."""
    plots = files.get("plots", {})
    values = [plots.get(row["interval"], {}).get(row["mode"], {}).get(row["model"])
              for row in table]
    table["plot_file"] = MaskedColumn(
        np.array([str(v) if v else "" for v in values], dtype=str) if len(table)
        else np.array([], dtype=str), mask=[v is None for v in values])
    return finish_table(table, {"files": files}, hide=_HIDDEN)


def open_spectrum_files(spectrum, interval="interval0", mode="PC"):
    """Open the PHA, background, ARF and RMF files of a downloaded spectrum.

    Parameters
    ----------
    spectrum : `~astropy.table.Table`, dict or path
        A fit table returned by `~astroquery_sxps.SXPSClass.get_spectrum` with
        ``download_dir`` (its ``meta['files']`` is used), that ``files`` dict,
        or the directory the archive was extracted into.
    interval : str
        Time interval (``'interval0'`` for SXPS).
    mode : str
        XRT mode (``'PC'`` for SXPS).

    Returns
    -------
    hdus : dict of `~astropy.io.fits.HDUList`
        Keys ``pha`` (the grouped spectrum to fit, whose ``BACKFILE``,
        ``RESPFILE`` and ``ANCRFILE`` name the other files), ``source_pha``,
        ``background``, ``arf`` and ``rmf``; only the files present are
        included. The files are read into memory and closed.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, open_spectrum_files
    >>> fits_table = SXPS.get_spectrum(source_name='LSXPS J221755.4-082100',
    ...                                download_dir='spec')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
    >>> hdus = open_spectrum_files(fits_table)  # doctest: +REMOTE_DATA
    >>> hdus['pha']['SPECTRUM'].header['EXPOSURE']  # doctest: +SKIP
    """
    from astropy.io import fits
    accepted = ("a fit table returned by get_spectrum(..., download_dir=...), its "
                "meta['files'] dict, or the directory (str or os.PathLike) the spectral "
                "archive was extracted into")
    for name, value in (("interval", interval), ("mode", mode)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidQueryError(f"{name} must be a non-empty string, not {value!r}.")
    if isinstance(spectrum, Table):
        files = spectrum.meta.get("files")
        if not files:
            raise InvalidQueryError("This fit table has no downloaded files; call "
                                    "get_spectrum with download_dir (and extract=True).")
        directory = Path(files["directory"])
    elif isinstance(spectrum, dict):
        if not isinstance(spectrum.get("directory"), (str, os.PathLike)):
            raise InvalidQueryError(f"spectrum is a dict without a 'directory' path: it must "
                                    f"be {accepted}.")
        directory = Path(spectrum["directory"])
    elif isinstance(spectrum, (str, os.PathLike)):
        directory = Path(spectrum)
    else:
        raise InvalidQueryError(f"spectrum={spectrum!r} is not valid: it must be {accepted}.")
    stem = f"{interval}{mode.lower()}"
    names = {"pha": f"{stem}.pi", "source_pha": f"{stem}source.pi",
             "background": f"{stem}back.pi", "arf": f"{stem}.arf", "rmf": f"{stem}.rmf"}
    result = {}
    for key, name in names.items():
        path = directory / name
        if path.exists():
            with fits.open(path) as hdul:
                result[key] = fits.HDUList([hdu.copy() for hdu in hdul])
    if not result:
        raise FileNotFoundError(f"No spectral files ({stem}*.pi/.arf/.rmf) in {directory}.")
    return result
