"""Make the figures of ``spectra_images.rst`` from the local emulator.

Run from anywhere: ``python docs/sxps/make_spectra_images_figures.py``. It
writes ``docs/sxps/images/spectrum_fit_table.png`` (the fit table of
LSXPS J221755.4-082100, whose APEC values are the real ones of the tutorial)
and ``docs/sxps/images/image_dataset_00282445000.png`` (the total-band image
of dataset 00282445000 with its ds9 regions). The emulator's pixels are
synthetic; only the layout and the fit values are real.
"""
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from astropy.wcs import WCS  # noqa: E402

from astroquery_sxps import SXPSClass  # noqa: E402
from astroquery_sxps.testing import SXPSEmulator  # noqa: E402

OUT = Path(__file__).parent / "images"


def fit_table_figure(table, path):
    cols = ["model", "NH", "Gamma", "KT", "ObsFlux", "UnabsFlux", "Cstat", "Dof", "FitChi"]
    cells = []
    for row in table:
        cells.append([row["model"]] + ["--" if table[c].mask[row.index] else f"{row[c]:.4g}"
                                       for c in cols[1:]])
    units = ["", "cm-2", "", "keV", "erg/cm2/s", "erg/cm2/s", "", "", ""]
    fig, ax = plt.subplots(figsize=(9, 1.4))
    ax.axis("off")
    tab = ax.table(cellText=cells, colLabels=[f"{c}\n{u}" if u else c for c, u in zip(cols, units)],
                   loc="center", cellLoc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(9)
    tab.scale(1, 1.8)
    ax.set_title("SXPS.get_spectrum(source_name='LSXPS J221755.4-082100')", fontsize=10)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def dataset_image_figure(images, path):
    hdu = images["Total"]["Image"][0]
    wcs = WCS(hdu.header)
    fig = plt.figure(figsize=(5, 5))
    ax = fig.add_subplot(projection=wcs)
    ax.imshow(hdu.data, origin="lower", cmap="gray_r", vmin=0, vmax=max(3, hdu.data.max() / 4))
    regions = images["Total"].get("Regions")
    if regions is not None and not isinstance(regions, (str, Path)):
        for region in regions:
            region.to_pixel(wcs).plot(ax=ax, edgecolor="red", lw=1.5)
    ax.set_xlabel("RA")
    ax.set_ylabel("Dec")
    ax.set_title("ObsID 00282445000, Total band, with total.reg", fontsize=10)
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)


def main():
    OUT.mkdir(exist_ok=True)
    with SXPSEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        sxps = SXPSClass(server=emu.api_url)
        sxps.cache_location = tmp
        table = sxps.get_spectrum(source_name="LSXPS J221755.4-082100")
        fit_table_figure(table, OUT / "spectrum_fit_table.png")
        images = sxps.get_images(obsid="00282445000", bands="total", types="image",
                                 get_regions=True)
        dataset_image_figure(images, OUT / "image_dataset_00282445000.png")
    print("wrote", sorted(p.name for p in OUT.glob("spectr*.png")) +
          sorted(p.name for p in OUT.glob("image*.png")))


if __name__ == "__main__":
    main()
