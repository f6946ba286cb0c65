"""Render the light-curve figure of docs/sxps/lightcurves.rst from the local emulator.

Run: ``python docs/sxps/make_lightcurve_figure.py`` (writes
``docs/sxps/images/lightcurve_J062131.png``). The data are the real values the
reference tutorial prints for LSXPS J062131.8-622213 (Total_rates, Total_UL).
"""
from pathlib import Path

import matplotlib
matplotlib.use("Agg")

from astroquery_sxps import SXPSClass, plot_lightcurve  # noqa: E402
from astroquery_sxps.testing import SXPSEmulator  # noqa: E402

OUT = Path(__file__).parent / "images" / "lightcurve_J062131.png"


def main():
    with SXPSEmulator() as emu:
        sxps = SXPSClass(server=emu.api_url)
        lcs = sxps.get_lightcurve(source_name="LSXPS J062131.8-622213", bands=["total"],
                                  binning="obsid", time_format="mjd", cache=False)
    fig, ax = plot_lightcurve(lcs, ["Total_rates"], ylog=True)
    plot_lightcurve(lcs, ["Total_UL"], ax=ax, colors={"Total_UL": "tab:orange"})
    fig.set_size_inches(7, 4.5)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
