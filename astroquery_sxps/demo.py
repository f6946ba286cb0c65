"""``python -m astroquery_sxps demo``: a short tour of the package.

By default the tour runs against the embedded emulator of the UKSSDC API
(`astroquery_sxps.testing.SXPSEmulator`), so it works offline and shows real
values from the UKSSDC tutorial; ``--live`` runs the same calls against the
real service. Plots and downloads go to ``--output`` (default ``sxps-demo``).
"""
import argparse
import contextlib
import sys
import tempfile
import warnings
from pathlib import Path

from astroquery.exceptions import RemoteServiceError

from ._results import format_position


__all__ = ["main"]


def _say(out, text=""):
    out.write(f"{text}\n")
    out.flush()


def _table(out, table):
    _say(out, "\n".join("   " + line for line in table.pformat(max_width=120)))


def tour(sxps, output, out=sys.stdout):
    """Run the tour with the query object ``sxps``; returns the files written."""
    import matplotlib
    matplotlib.use("Agg")
    from . import plot_lightcurve

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    written = []

    _say(out, "1. An upper limit at a position (the deepest dataset, total band)")
    _say(out, ">>> SXPS.query_upper_limit('334.502058 -8.256481')")
    ul = sxps.query_upper_limit("334.502058 -8.256481")
    _table(out, ul[["ObsID", "SourceExposure", "Total_UpperLimit", "Total_Counts"]])
    _say(out, f"   resolved position: {format_position(ul.meta['resolved_position'])}")
    _say(out)

    _say(out, "2. Source details (11375 has been superseded in the living catalogue)")
    _say(out, ">>> SXPS.get_source_details(source_id=11375)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        src = sxps.get_source_details(source_id=11375)
    for w in caught:
        _say(out, f"   warning: {w.message}")
    _say(out, f"   {src['IAUName']} (LSXPS_ID {src['LSXPS_ID']}) at "
              f"{format_position(src.coord)} +/- {src.err90:.2f}")
    _say(out, f"   detected in {src['Detections']['NumObservations']} observations; "
              f"{len(src['CrossMatch'])} catalogue cross-matches")
    _say(out)

    _say(out, "3. A light curve as astropy TimeSeries, plotted")
    _say(out, ">>> SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213', binning='obsid')")
    lcs = sxps.get_lightcurve(source_name="LSXPS J062131.8-622213", binning="obsid")
    for name in lcs.datasets:
        _say(out, f"   {name:14s} {len(lcs[name]):3d} bins")
    rates = lcs["Total_rates"]
    _say(out, f"   first bin: {rates.time[0].iso} UTC, "
              f"rate {rates['Rate'][0]:.4f} (+{rates['RatePos'][0]:.4f} {rates['RateNeg'][0]:.4f})")
    fig, ax = plot_lightcurve(lcs, which_curves=["Total_rates", "Total_UL"], ylog=True)
    png = output / "lightcurve.png"
    fig.savefig(png, dpi=100)
    written.append(png)
    _say(out, f"   plot written to {png}")
    _say(out)

    _say(out, "4. The automatic spectral fit, with the spectral files")
    _say(out, ">>> SXPS.get_spectrum(source_name='LSXPS J221755.4-082100', download_dir=...)")
    spec_dir = output / "spectrum"
    fits = sxps.get_spectrum(source_name="LSXPS J221755.4-082100", download_dir=spec_dir,
                             clobber=True)
    columns = ["model", "NH", "Gamma", "KT", "ObsFlux", "Cstat", "Dof"]
    _table(out, fits[columns])
    files = sorted(p.relative_to(spec_dir).as_posix() for p in spec_dir.rglob("*")
                   if p.is_file())
    written.extend(spec_dir / f for f in files)
    _say(out, f"   files: {', '.join(files)}")
    _say(out)

    _say(out, "5. Images: source thumbnails and a dataset's FITS image")
    _say(out, ">>> SXPS.get_images(source_name='LSXPS J051152.3-621925', download_dir=...)")
    thumbs = sxps.get_images(source_name="LSXPS J051152.3-621925",
                             download_dir=output / "images", clobber=True)
    for band, path in thumbs.items():
        _say(out, f"   {band:7s} {path}")
        written.append(Path(path))
    _say(out, ">>> SXPS.get_images(obsid='00282445000', bands=['total'], types=['image'])")
    images = sxps.get_images(obsid="00282445000", bands=["total"], types=["image"])
    hdul = images.open("Total", "Image")
    _say(out, f"   total-band image: {hdul[0].data.shape[1]} x {hdul[0].data.shape[0]} pixels, "
              f"{hdul[0].data.sum():.0f} counts, centred on "
              f"RA {hdul[0].header['CRVAL1']:.4f} Dec {hdul[0].header['CRVAL2']:.4f}")
    _say(out)
    _say(out, f"Done: {len(written)} files written under {output}/")
    return written


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(prog="python -m astroquery_sxps demo",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true",
                        help="use the real UKSSDC service instead of the embedded emulator")
    parser.add_argument("--output", default="sxps-demo", help="directory for plots and files")
    args = parser.parse_args(argv)

    from . import SXPSClass
    with contextlib.ExitStack() as stack:
        if args.live:
            sxps = SXPSClass()
            _say(out, f"Live tour against {sxps.server}\n")
        else:
            from .testing import SXPSEmulator
            emulator = stack.enter_context(SXPSEmulator())
            sxps = SXPSClass(server=emulator.api_url)
            # a private cache: emulator replies never mix with real ones
            sxps.cache_location = stack.enter_context(tempfile.TemporaryDirectory())
            _say(out, f"Offline tour against the embedded UKSSDC emulator at {emulator.api_url}")
            _say(out, "(values are real UKSSDC output from the reference tutorial; "
                      "use --live for the real service)\n")
        try:
            tour(sxps, args.output, out=out)
        except RemoteServiceError as exc:
            # e.g. --live without network: say what happened, without a traceback
            sys.stderr.write(f"The tour stopped: {exc}\n")
            return 1
    return 0
