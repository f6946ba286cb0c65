"""The subcommands of ``sxps``, each a thin layer over one public method of
`~astroquery_sxps.SXPSClass` (or `~astroquery_sxps.save_lightcurves`,
`~astroquery_sxps.plot_lightcurve`, the emulator and the demo).

The values of options such as ``--bands``, ``--which-data``, ``--binning`` or
``--table`` are checked by the Python API (which names the argument and the
allowed values, before anything is sent), so the lists of allowed values live
in one place only.
"""
import functools
import re
from pathlib import Path

import click
import astropy.units as u
from astropy.table import Table, vstack

from .main import cli, global_options
from .output import (DETAILS_FORMATS, LIGHTCURVE_FORMATS, TABLE_FORMATS, choose_output, print_lines,
                     print_table, write_json, write_lightcurves, write_table)
from .session import Session
from .text import details_lines

__all__ = ["ul", "source", "dataset", "transient", "lc", "spectrum", "images", "cone", "table",
           "emulator", "demo"]

pass_session = click.make_pass_decorator(Session, ensure=True)

#: positional words may be negative numbers (a declination): unknown "options"
#: are kept as words and checked by `_words`
_POSITIONAL_NUMBERS = {"ignore_unknown_options": True}
_NEGATIVE_NUMBER = re.compile(r"^-[\d.]")


# -- shared options and argument handling ------------------------------------------
def output_options(allowed, what):
    """``-o``/``--format``/``--overwrite``, turned into one ``output`` argument
    (an `~astroquery_sxps.cli.output.Output`), checked before any request."""
    def decorator(function):
        @click.option("-o", "--output", "output_path", metavar="FILE",
                      help=f"Write {what} to FILE, in the format of its extension "
                           f"({', '.join(allowed)}); '-' is standard output (with --format).")
        @click.option("-f", "--format", "output_format", metavar="FORMAT",
                      help=f"Output format when the extension does not say: "
                           f"{', '.join(allowed)}.")
        @click.option("--overwrite", is_flag=True, help="Replace existing files.")
        @functools.wraps(function)
        def wrapper(*args, output_path, output_format, overwrite, **kwargs):
            output = choose_output(output_path, output_format, overwrite, allowed, what)
            return function(*args, output=output, **kwargs)
        return wrapper
    return decorator


def catalog_option(function):
    return click.option("--catalog", default="LSXPS", show_default=True,
                        help="LSXPS or 2SXPS.")(function)


def object_options(metavar="ID_OR_NAME"):
    """The object of a product command: the words of ID_OR_NAME, --catalog, --transient."""
    def decorator(function):
        function = click.option("--transient", is_flag=True,
                                help="ID_OR_NAME is a transient.")(function)
        function = catalog_option(function)
        return click.argument("identifier", nargs=-1, metavar=metavar)(function)
    return decorator


def _words(words, metavar, required=True):
    """The words of a multi-word argument as one string (``LSXPS J0621...`` may be
    given unquoted); a word that looks like an option, but is not a negative
    number, is an unknown option."""
    for word in words:
        if word.startswith("-") and not _NEGATIVE_NUMBER.match(word):
            raise click.NoSuchOption(word.split("=", 1)[0])
    text = " ".join(words).strip()
    if not text and required:
        raise click.UsageError(f"Missing argument '{metavar}'.")
    return text or None


def _identifier(words, metavar="ID_OR_NAME"):
    """``('11375',)`` -> ``{'source_id': 11375}``; a name -> ``{'source_name': ...}``."""
    text = _words(words, metavar)
    return {"source_id": int(text)} if text.isdigit() else {"source_name": text}


def _list(value):
    """``'all'`` stays; ``'total,soft'`` -> ``['total', 'soft']``."""
    if value is None or value.strip().lower() == "all":
        return None if value is None else "all"
    return [part.strip() for part in value.split(",") if part.strip()]


def _radius(text):
    """``12arcmin``, ``0.2deg``, ``30arcsec``, ``12'``, ``30"`` or a number of arcsec."""
    spelled = text.strip()
    if spelled.endswith("'"):
        spelled = spelled[:-1] + "arcmin"
    elif spelled.endswith('"'):
        spelled = spelled[:-1] + "arcsec"
    try:
        radius = u.Quantity(spelled)
    except (TypeError, ValueError):
        radius = None
    if radius is not None and radius.unit == u.dimensionless_unscaled:
        return float(radius.value)          # a number: arcsec, as in the Python API
    if radius is None or radius.unit.physical_type != "angle" or not radius.isscalar:
        raise click.BadParameter(f"{text!r} is not an angle; give e.g. 30 (arcsec), 30arcsec, "
                                 "12arcmin or 0.2deg.", param_hint="'RADIUS'")
    return radius


def _say(session, text):
    """A status line on standard error (the result itself goes to standard output)."""
    if not session.quiet:
        click.echo(text, err=True)


def _written(session, paths):
    for path in paths:
        if path is not None:
            _say(session, f"wrote {path}")


def _emit_table(session, table, output, title=None, first=()):
    if output.readable:
        print_table(table, title=title, first=first)
    else:
        _written(session, [write_table(table, output)])


def _emit_details(session, record, output, as_json, everything):
    if as_json and output.readable:
        output.format = "json"
    if output.readable:
        print_lines(details_lines(record, everything))
    else:
        _written(session, [write_json(record, output)])


# -- upper limits ------------------------------------------------------------------
@cli.command("ul", context_settings=_POSITIONAL_NUMBERS)
@click.argument("position", nargs=-1, metavar="POSITION_OR_NAME")
@click.option("--job", metavar="JOB_ID",
              help="Fetch the result of an upper-limit job that timed out (instead of a "
                   "position).")
@click.option("--positions", "positions_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False),
              help="Many positions: a table (CSV, ECSV, FITS, VOTable) with ra/dec "
                   "(RA/Dec/Decl) columns in degrees or a name column, or a text file with "
                   "one position or name per line. One stacked table comes back, with "
                   "input_index pointing at the input row.")
@click.option("--journal", metavar="FILE.sqlite",
              help="With --positions: keep every answer in this SQLite file as it comes, "
                   "and ask only the positions it lacks when run again (after a crash, a "
                   "kill or an outage).")
@click.option("--skip-uncovered", is_flag=True,
              help="With --positions: do not ask about positions no XRT observation of the "
                   "catalogue covers.")
@catalog_option
@click.option("--bands", default="total", show_default=True,
              help="'all' or a comma-separated list of total, soft, medium, hard.")
@click.option("--which-data", default="deepest", show_default=True,
              help="'deepest' (the deepest dataset) or 'all' (every dataset).")
@click.option("--sigma", type=float, default=3.0, show_default=True,
              help="Confidence of the limits, in Gaussian sigma.")
@click.option("--det-thresh", type=float, help="Detection threshold (sigma) for "
              "--detections-as-rates (default: --sigma).")
@click.option("--detections-as-rates", is_flag=True,
              help="Give rates where the source is detected.")
@click.option("--skip-detections", is_flag=True,
              help="Skip datasets with a catalogued source within 30 arcsec.")
@click.option("--use-cat-values", is_flag=True,
              help="Use the catalogue's values where the source is catalogued.")
@click.option("--time-format", default="cal", show_default=True,
              help="cal (UTC calendar), mjd (UTC), tdb (JD, TDB) or met (Swift MET).")
@click.option("--wait", type=click.FloatRange(min=0), metavar="SECONDS",
              help="How long to wait for a slow calculation before giving up with its job "
                   "id (default conf.upper_limit_wait, 600 s).")
@output_options(TABLE_FORMATS, "the upper-limit table")
@global_options(hidden=True)
@pass_session
def ul(session, position, job, positions_file, journal, skip_uncovered, catalog, bands,
       which_data, sigma, det_thresh, detections_as_rates, skip_detections, use_cat_values,
       time_format, wait, output):
    """Upper limits (or rates) at a position or named object.

    POSITION_OR_NAME is resolved by the UKSSDC: decimal degrees, sexagesimal
    or an object name (SIMBAD, MARS, TNS); several words are joined, so
    quotes are optional and a negative declination needs no '--'.

    \b
    Examples:
      sxps ul 334.502058 -8.256481
      sxps ul 'V* FO Aqr' --bands all --which-data all --time-format mjd -o ul.ecsv
      sxps ul --job 4a6c1d -o ul.fits
      sxps ul --positions targets.csv --journal job.sqlite -o uls.fits
    """
    text = _words(position, "POSITION_OR_NAME", required=False)
    given = [name for name, value in (("POSITION_OR_NAME", text), ("--job", job),
                                      ("--positions", positions_file)) if value is not None]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of POSITION_OR_NAME, --job JOB_ID or "
                               "--positions FILE" + (f" (not {' and '.join(given)})."
                                                     if given else "."))
    if positions_file is None and (journal is not None or skip_uncovered):
        raise click.UsageError("--journal and --skip-uncovered go with --positions FILE.")
    options = dict(catalog=catalog, bands=_list(bands), which_data=which_data, sigma=sigma,
                   det_thresh=det_thresh, detections_as_rates=detections_as_rates,
                   skip_detections=skip_detections, use_cat_values=use_cat_values,
                   time_format=time_format)
    if wait is not None and job is None:
        from astroquery_sxps import conf
        session.enter(conf.set_temp("upper_limit_wait", wait))
    if job is not None:
        table = session.call("retrieve_upper_limit", job, time_format=time_format,
                             catalog=catalog, wait=wait)
    elif positions_file is not None:
        table = session.call("query_upper_limits", read_positions_file(positions_file),
                             journal=journal, skip_uncovered=skip_uncovered,
                             show_progress=session.show_progress, **options)
        failures = table.meta.get("failures")
        if failures is not None and len(failures) and not session.quiet:
            click.echo(f"sxps ul: {len(failures)} position(s) failed; they are listed in the "
                       "result's meta['failures'] (and asked again when run again with "
                       "--journal).", err=True)
    else:
        table = session.call("query_upper_limit", text, **options)
    # on screen the limits lead; files keep the API's column order
    first = [name for name in ("input_index", "input") if name in table.colnames]
    first += ["ObsID"] + [name for name in table.colnames
                          if name.endswith(("_UpperLimit", "_Rate", "_IsDetected"))]
    _emit_table(session, table, output, title=table.meta.get("resolved_info"), first=first)


def read_positions_file(path):
    """The positions of ``sxps ul --positions``: a table astropy can read, or a text file
    with one position or object name per line (blank lines and '#' comments ignored)."""
    from astroquery_sxps.exceptions import InvalidQueryError
    lower = str(path).lower()
    if lower.endswith((".csv", ".ecsv", ".fits", ".fit", ".fits.gz", ".vot", ".xml",
                       ".votable")):
        try:
            return Table.read(path, format="ascii.csv" if lower.endswith(".csv") else None)
        except Exception as exc:   # any reader failure: one clear message
            raise InvalidQueryError(f"--positions={path!r} cannot be read as a table "
                                    f"({type(exc).__name__}: {exc}).") from None
    lines = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    items = [line for line in lines if line and not line.startswith("#")]
    if not items:
        raise InvalidQueryError(f"--positions={path!r} holds no position.")
    return items


# -- details -----------------------------------------------------------------------
def details_options(function):
    function = click.option("--all", "everything", is_flag=True,
                            help="Also print every scalar value of the record.")(function)
    function = click.option("--json", "as_json", is_flag=True,
                            help="Print the whole record as JSON.")(function)
    return output_options(DETAILS_FORMATS, "the record")(function)


@cli.command("source", short_help="Details of a catalogued source.")
@click.argument("identifier", nargs=-1, metavar="ID_OR_NAME")
@catalog_option
@details_options
@global_options(hidden=True)
@pass_session
def source(session, identifier, catalog, as_json, everything, output):
    """Details of a catalogued source: position, times, rates, flags, cross-matches.

    ID_OR_NAME is an LSXPS_ID or an IAU name (quotes optional).

    \b
    Examples:
      sxps source 11375
      sxps source LSXPS J221755.4-082100 --json
      sxps source 106107 -o source.json
    """
    record = session.call("get_source_details", **_identifier(identifier), catalog=catalog)
    _emit_details(session, record, output, as_json, everything)


@cli.command("dataset", short_help="Details of a dataset and its sources.")
@click.argument("obsid", metavar="OBSID")
@click.option("--dataset-id", is_flag=True, help="OBSID is an LSXPS DatasetID.")
@catalog_option
@details_options
@global_options(hidden=True)
@pass_session
def dataset(session, obsid, dataset_id, catalog, as_json, everything, output):
    """Details of a dataset (an observation or a stacked image) and its sources.

    \b
    Examples:
      sxps dataset 00282445000
      sxps dataset 9725 --dataset-id --json
    """
    if dataset_id:
        key = {"dataset_id": int(obsid) if obsid.isdigit() else obsid}
    else:
        key = {"obsid": obsid}
    record = session.call("get_dataset_details", **key, catalog=catalog)
    _emit_details(session, record, output, as_json, everything)


@cli.command("transient", short_help="Details of a transient.")
@click.argument("identifier", nargs=-1, metavar="ID_OR_NAME")
@click.option("--as-source", is_flag=True,
              help="Give the details of the LSXPS source the transient became.")
@catalog_option
@details_options
@global_options(hidden=True)
@pass_session
def transient(session, identifier, as_source, catalog, as_json, everything, output):
    """Details of a transient: position, discovery, peak rate, prior limits.

    ID_OR_NAME is a transient ID or a 'Swift J...' name.

    \b
    Examples:
      sxps transient 576
      sxps transient Swift J073006.8-193709 --json
    """
    record = session.call("get_transient_details", **_identifier(identifier), catalog=catalog,
                          trans_as_source=as_source)
    _emit_details(session, record, output, as_json, everything)


# -- light curves ------------------------------------------------------------------
def _check_plot(path, overwrite):
    if path is None:
        return None
    from matplotlib.figure import Figure
    target = Path(path)
    kinds = Figure().canvas.get_supported_filetypes()
    if target.suffix.lower().lstrip(".") not in kinds:
        raise click.BadParameter(f"{path!r}: a plot can be saved as "
                                 f"{', '.join(sorted(kinds))}.", param_hint="'--plot'")
    if target.exists() and not overwrite:
        raise click.BadParameter(f"{path!r} exists; add --overwrite to replace it.",
                                 param_hint="'--plot'")
    return target


@cli.command("lc")
@object_options()
@click.option("--bands", default="all", show_default=True,
              help="'all' or a comma-separated list of total, soft, medium, hard, HR1, HR2.")
@click.option("--binning", default="observation", show_default=True,
              help="observation (obsid), snapshot, or counts (transients).")
@click.option("--time-format", default="mjd", show_default=True, help="mjd, tdb or met.")
@click.option("--curve", "curves", multiple=True, metavar="NAME",
              help="Keep only this dataset, e.g. Total_rates (repeatable; default: all).")
@click.option("--plot", metavar="FILE", help="Save a plot (PNG, PDF, SVG... by extension).")
@click.option("--xlog", is_flag=True, help="Logarithmic time axis in the plot.")
@click.option("--ylog", is_flag=True, help="Logarithmic rate axis in the plot.")
@output_options(LIGHTCURVE_FORMATS, "the light curve")
@global_options(hidden=True)
@pass_session
def lc(session, identifier, catalog, transient, bands, binning, time_format, curves, plot,
       xlog, ylog, output):
    """Light curves of a source or transient.

    Without -o each dataset (Total_rates, Total_UL, ...) is printed. With -o
    one dataset is written to FILE itself and several to one file each,
    named FILE_<dataset> (lc.qdp -> lc_Total_rates.qdp, lc_Total_UL.qdp).

    \b
    Examples:
      sxps lc 'LSXPS J062131.8-622213' --binning obsid --bands total
      sxps lc 'LSXPS J062131.8-622213' --bands total -o lc.qdp --plot lc.png
      sxps lc 576 --transient --curve PC_incbad -o lc.ecsv
    """
    plot_path = _check_plot(plot, output.overwrite)
    options = {} if transient else {"bands": _list(bands), "time_format": time_format}
    lcs = session.call("get_lightcurve", **_identifier(identifier), catalog=catalog,
                       transient=transient, binning=binning, **options)
    names = list(curves) or lcs.datasets
    unknown = [n for n in names if n not in lcs.datasets]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} not among the datasets of this light "
                                 f"curve: {', '.join(lcs.datasets)}.", param_hint="'--curve'")
    if plot_path is not None:
        _plot(session, lcs, names, plot_path, xlog, ylog)
    if output.readable:
        meta = lcs.meta
        for name in names:
            ts = lcs[name]
            print_table(ts, title=f"{name}: {len(ts)} bins ({meta.get('binning')} binning, "
                                  f"time {meta.get('time_format')})")
    else:
        _written(session, write_lightcurves(lcs, names, output))


def _plot(session, lcs, names, path, xlog, ylog):
    import matplotlib
    matplotlib.use("Agg")    # a file, never a window
    from astroquery_sxps import plot_lightcurve
    fig, _ = session.quietly(plot_lightcurve, lcs, which_curves=names, xlog=xlog, ylog=ylog)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    _say(session, f"wrote {path}")


# -- spectra and images ------------------------------------------------------------
def _leaves(tree):
    """The values of a nested dict that are not dicts and not None, in order."""
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _leaves(value)]
    return [] if tree is None else [tree]


def _spectrum_files(table):
    """The local files of a fit (with --download-dir), else the URLs it points to."""
    files = table.meta.get("files")
    if files:
        found = list(files.get("members") or [])
        found += _leaves(files.get("plots"))       # interval -> mode -> model -> path
        found += _leaves(files.get("archives"))    # interval -> path (None if not kept)
        return [str(p) for p in dict.fromkeys(found)]
    urls = [interval.get("DataFile") for interval in (table.meta.get("intervals") or {}).values()]
    if "Image" in table.colnames:
        urls += [str(v) for v in table["Image"]]
    return [u_ for u_ in dict.fromkeys(urls) if u_]


@cli.command("spectrum", short_help="Spectral fits of a source or transient, and their files.")
@object_options()
@click.option("--spec-type", help="Transients: discovery, full or both.")
@click.option("--download-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Save (and extract) the spectral files and the fit plots here.")
@output_options(TABLE_FORMATS, "the fit table")
@global_options(hidden=True)
@pass_session
def spectrum(session, identifier, catalog, transient, spec_type, download_dir, output):
    """The automatic spectral fits of a source or transient, and their files.

    Prints the fit table and lists the files: those saved with --download-dir,
    else the URLs of the spectral archive and of the fit plots.

    \b
    Examples:
      sxps spectrum 'LSXPS J221755.4-082100'
      sxps spectrum 'LSXPS J221755.4-082100' --download-dir spec -o fits.ecsv
      sxps spectrum 576 --transient --spec-type both
    """
    result = session.call("get_spectrum", **_identifier(identifier), catalog=catalog,
                          transient=transient, spec_type=spec_type, download_dir=download_dir,
                          clobber=output.overwrite)
    tables = result if isinstance(result, dict) else {None: result}
    if output.readable:
        for kind, fit in tables.items():
            shown = [c for c in fit.colnames if c not in ("Image", "plot_file")]
            print_table(fit[shown], title=f"{kind} spectrum:" if kind else None)
            files = _spectrum_files(fit)
            print_lines([("Files:" if fit.meta.get("files") else "Files on the server:")]
                        + [f"  {f}" for f in files] if files else ["No spectral files."])
        return
    if len(tables) > 1:     # one table: a column says which spectrum each fit is of
        fit = vstack([_tagged(t, kind) for kind, t in tables.items()],
                     metadata_conflicts="silent")
    else:
        [fit] = tables.values()
    _emit_table(session, fit, output)


def _tagged(table, kind):
    out = Table(table, copy=False)
    out.add_column([kind] * len(out), name="spec_type", index=0)
    return out


def _file_table(result):
    """Files of `~astroquery_sxps.SXPSClass.get_images` as a Table (band, type, file)."""
    rows = []
    nested = getattr(result, "files", None)
    if nested is not None:     # DatasetImages: band -> type -> path
        rows = [(band, kind, str(path)) for band, kinds in nested.items()
                for kind, path in kinds.items()]
    else:                      # source images: band -> path
        rows = [(band, "thumbnail", str(path)) for band, path in result.items()]
    return Table(rows=rows or None, names=("band", "type", "file"),
                 dtype=(str, str, str))


@cli.command("images", short_help="Source thumbnails or dataset images.")
@object_options("[ID_OR_NAME]")
@click.option("--obsid", help="A dataset's ObsID (FITS images) instead of a source.")
@click.option("--dataset-id", type=int, help="A dataset's LSXPS DatasetID.")
@click.option("--bands", default="all", show_default=True,
              help="'all' or a comma-separated list of total, soft, medium, hard, expmap.")
@click.option("--types", default="all", show_default=True,
              help="Datasets: 'all' or a comma-separated list of image, bgmap, bgmap_wsrc.")
@click.option("--regions", is_flag=True, help="Datasets: also the ds9 region files.")
@click.option("--download-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Download the files here (else only list their URLs).")
@output_options(TABLE_FORMATS, "the list of files")
@global_options(hidden=True)
@pass_session
def images(session, identifier, obsid, dataset_id, catalog, transient, bands, types, regions,
           download_dir, output):
    """Source thumbnails (PNG) or dataset images (FITS) and region files.

    Without --download-dir the files are only listed (with their URLs).

    \b
    Examples:
      sxps images 'LSXPS J051152.3-621925' --download-dir images
      sxps images --obsid 00282445000 --bands total --regions --download-dir img
    """
    text = _words(identifier, "ID_OR_NAME", required=False)
    given = [g for g, v in (("ID_OR_NAME", text), ("--obsid", obsid),
                            ("--dataset-id", dataset_id)) if v is not None]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of ID_OR_NAME, --obsid or --dataset-id"
                               + (f" (got {' and '.join(given)})." if given else "."))
    if text is not None:
        key = _identifier(identifier)
        options = {"transient": transient}
    else:
        key = {"obsid": obsid} if obsid is not None else {"dataset_id": dataset_id}
        options = {"types": _list(types), "get_regions": regions}
    if download_dir is None:
        listing = session.call("get_image_list", **key, catalog=catalog, bands=_list(bands),
                               **options)
        _emit_table(session, listing, output)
        return
    result = session.call("get_images", **key, catalog=catalog, bands=_list(bands),
                          download_dir=download_dir, clobber=output.overwrite, **options)
    _emit_table(session, _file_table(result), output)


# -- catalogue tables --------------------------------------------------------------
@cli.command("cone", context_settings=_POSITIONAL_NUMBERS,
             short_help="Cone search of a catalogue table.")
@click.argument("position", nargs=-1, metavar="POSITION_OR_NAME")
@click.argument("radius", metavar="RADIUS")
@catalog_option
@click.option("--table", "table_name", default="sources", show_default=True,
              help="The catalogue table: sources, datasets, detections, ...")
@click.option("--subset", help="sources and datasets: clean or ultraclean.")
@click.option("--columns", help="Comma-separated columns, or '*' for all "
              "(default: the table's basic columns).")
@click.option("--max-rows", type=click.IntRange(min=1), help="At most this many rows.")
@output_options(TABLE_FORMATS, "the table")
@global_options(hidden=True)
@pass_session
def cone(session, position, radius, catalog, table_name, subset, columns, max_rows, output):
    """Cone search of a catalogue table, sorted by distance.

    RADIUS is an angle (30arcsec, 12arcmin, 0.2deg, 12', 30") or a number of
    arcsec; POSITION_OR_NAME is resolved by the UKSSDC.

    \b
    Examples:
      sxps cone 'GK Per' 12arcmin --table datasets
      sxps cone 52.8 43.9 30arcsec -o gkper.vot
    """
    text = _words(position, "POSITION_OR_NAME")
    radius = _radius(radius)
    wanted = None
    if columns is not None:
        wanted = ["*"] if columns.strip() == "*" else _list(columns)
    table = session.call("query_region", text, radius=radius, catalog=catalog,
                         table=table_name, subset=subset, columns=wanted, max_rows=max_rows)
    _emit_table(session, table, output, title=table.meta.get("resolved_info"))


@cli.command("table", short_help="A whole catalogue table.")
@click.argument("table_name", default="sources", metavar="[TABLE]")
@catalog_option
@click.option("--subset", help="sources and datasets: clean or ultraclean.")
@click.option("--epoch", help="An old LSXPS snapshot, e.g. 2022-08-17 or "
              "'2022-08-17 10:00:01 UTC'.")
@output_options(TABLE_FORMATS, "the table")
@global_options(hidden=True)
@pass_session
def table(session, table_name, catalog, subset, epoch, output):
    """A whole catalogue table (default: sources), e.g. for TOPCAT.

    TABLE is sources, datasets, detections, obssources, xcorr, transients or
    oldstacks (LSXPS; 2SXPS has sources, datasets, detections, xcorr).

    \b
    Examples:
      sxps table sources --subset clean -o sources.fits
      sxps table datasets --epoch 2022-08-17 -o datasets.ecsv
    """
    result = session.call("get_full_table", table_name, catalog=catalog, subset=subset,
                          epoch=epoch, show_progress=session.show_progress)
    _emit_table(session, result, output)


# -- the emulator and the demo -----------------------------------------------------
@cli.command("emulator", short_help="Serve the embedded emulator of the UKSSDC API.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--latency", type=click.FloatRange(min=0), default=0.0,
              help="Seconds each API call waits before answering.")
def emulator(port, host, latency):
    """Serve the embedded emulator of the UKSSDC API until interrupted.

    Prints the endpoint URL, to give to --server (or SXPSClass(server=...)).

    \b
    Example:
      sxps emulator --port 8765 &
      sxps --server http://127.0.0.1:8765/API/main.php source 11375
    """
    import signal
    from astroquery_sxps.testing.__main__ import main as serve

    def stop(signum, frame):
        raise KeyboardInterrupt   # ends the server's loop, which stops it cleanly
    signal.signal(signal.SIGTERM, stop)
    serve(["--host", host, "--port", str(port), "--latency", str(latency)])


@cli.command("demo", short_help="A short tour of the package.")
@click.option("--live", is_flag=True, help="Use the real UKSSDC service.")
@click.option("--output", default="sxps-demo", show_default=True, metavar="DIR",
              help="Directory for the plot and the downloads.")
@click.pass_context
def demo(ctx, live, output):
    """A short tour of the package, against the embedded emulator by default.

    \b
    Example:
      sxps demo --output sxps-demo
    """
    from astroquery_sxps.demo import main as tour
    ctx.exit(tour(["--output", output] + (["--live"] if live else [])))
