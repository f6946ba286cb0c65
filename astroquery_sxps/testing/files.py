"""Builders of the emulator's binary files: spectral archives, plots, images, regions.

Everything here is *synthetic* (the real files are not part of the reference
material) but has the real names, layout and formats:

* ``interval0.tar.gz`` spectral archives with the member list printed in the
  tutorial; the PHA, ARF and RMF members are small but valid OGIP FITS files
  (``SPECTRUM``, ``SPECRESP``, ``MATRIX`` + ``EBOUNDS``);
* GIF plots of a spectral fit and PNG source thumbnails (real image files, made
  with Pillow, which matplotlib depends on);
* gzipped FITS dataset images with a celestial WCS centred on the dataset, and
  ds9 region files readable by the ``regions`` package;
* hostile archives (path traversal, absolute paths, links, devices) used to
  test that clients refuse them.

The builders are pure functions of their arguments, so the emulator can build
a file at its first request and cache it (`SXPSEmulator.get_file`).
"""
import gzip
import io
import math
import tarfile

import numpy as np

__all__ = ["SPECTRUM_MEMBERS", "spectrum_archive", "hostile_archive", "fit_plot_gif",
           "thumbnail_png", "dataset_image_fits_gz", "region_file", "pha_bytes",
           "arf_bytes", "rmf_bytes", "HOSTILE_KINDS"]

#: Members of a source spectrum archive, in the order the tutorial lists them.
SPECTRUM_MEMBERS = ("README.txt", "interval0pcsource.pi", "interval0pcback.pi", "interval0pc.pi",
                    "interval0pc.arf", "interval0pc.rmf", "interval0.areas", "GRB_info.txt",
                    "models/interval0pc_apec.xcm", "models/interval0pc_pow.xcm",
                    "interval0pc_apec_fit.fit", "interval0pc_pow_fit.fit")

_NCHAN = 64                       # channels of the tiny synthetic response
_MTIME = 1_577_836_800            # fixed member mtime: archives are reproducible


# -- OGIP spectral files ----------------------------------------------------------
def _energy_grid():
    edges = np.linspace(0.3, 10.0, _NCHAN + 1)
    return edges[:-1], edges[1:]


def _fits_bytes(hdul):
    buf = io.BytesIO()
    hdul.writeto(buf)
    return buf.getvalue()


def _ogip(header, hduclas1, hduclas2=None, hduclas3=None):
    header["TELESCOP"] = "SWIFT"
    header["INSTRUME"] = "XRT"
    header["FILTER"] = "NONE"
    header["HDUCLASS"] = "OGIP"
    header["HDUCLAS1"] = hduclas1
    if hduclas2:
        header["HDUCLAS2"] = hduclas2
    if hduclas3:
        header["HDUCLAS3"] = hduclas3


def pha_bytes(kind="grouped", rname="interval0", mode="pc", exposure=250000.0, seed=1):
    """A small OGIP type-I PHA file.

    ``kind`` is ``'source'``, ``'background'`` or ``'grouped'`` (the spectrum
    to load in xspec, pointing at its background, ARF and RMF).
    """
    from astropy.io import fits
    rng = np.random.default_rng(seed)
    lo, hi = _energy_grid()
    mid = 0.5 * (lo + hi)
    shape = 400.0 * mid ** -0.9 * np.exp(-0.6 / mid)
    if kind == "background":
        shape = np.full_like(mid, 2.0)
    counts = rng.poisson(shape).astype(np.int32)
    cols = [fits.Column(name="CHANNEL", format="J", array=np.arange(1, _NCHAN + 1, dtype=np.int32)),
            fits.Column(name="COUNTS", format="J", unit="count", array=counts)]
    if kind == "grouped":
        grouping = np.ones(_NCHAN, dtype=np.int16)
        grouping[1::2] = -1
        cols.append(fits.Column(name="GROUPING", format="I", array=grouping))
    spec = fits.BinTableHDU.from_columns(cols, name="SPECTRUM")
    h = spec.header
    _ogip(h, "SPECTRUM", "BKG" if kind == "background" else "TOTAL", "COUNT")
    h["HDUVERS"] = "1.2.1"
    h["EXPOSURE"] = (exposure, "Exposure time (s)")
    h["AREASCAL"] = 1.0
    h["BACKSCAL"] = 1.0 if kind != "background" else 4.0
    h["CORRSCAL"] = 0.0
    h["DETCHANS"] = _NCHAN
    h["CHANTYPE"] = "PI"
    h["POISSERR"] = True
    h["SYS_ERR"] = 0.0
    h["GROUPING"] = 0 if kind == "grouped" else 0
    h["QUALITY"] = 0
    stem = f"{rname}{mode}"
    if kind == "grouped":
        h["BACKFILE"] = f"{stem}back.pi"
        h["RESPFILE"] = f"{stem}.rmf"
        h["ANCRFILE"] = f"{stem}.arf"
    else:
        h["BACKFILE"] = "NONE"
        h["RESPFILE"] = "NONE"
        h["ANCRFILE"] = "NONE"
    h["CORRFILE"] = "NONE"
    h["COMMENT"] = "Synthetic spectrum made by the astroquery-sxps emulator."
    primary = fits.PrimaryHDU()
    primary.header["TELESCOP"] = "SWIFT"
    primary.header["INSTRUME"] = "XRT"
    return _fits_bytes(fits.HDUList([primary, spec]))


def arf_bytes():
    """A small OGIP ARF (``SPECRESP`` extension)."""
    from astropy.io import fits
    lo, hi = _energy_grid()
    mid = 0.5 * (lo + hi)
    area = (110.0 * np.exp(-((np.log(mid / 1.5)) ** 2) / 1.2)).astype(np.float32)
    hdu = fits.BinTableHDU.from_columns(
        [fits.Column(name="ENERG_LO", format="E", unit="keV", array=lo),
         fits.Column(name="ENERG_HI", format="E", unit="keV", array=hi),
         fits.Column(name="SPECRESP", format="E", unit="cm**2", array=area)], name="SPECRESP")
    _ogip(hdu.header, "RESPONSE", "SPECRESP")
    hdu.header["HDUVERS"] = "1.1.0"
    return _fits_bytes(fits.HDUList([fits.PrimaryHDU(), hdu]))


def rmf_bytes():
    """A small OGIP RMF (``MATRIX`` and ``EBOUNDS`` extensions, diagonal response)."""
    from astropy.io import fits
    lo, hi = _energy_grid()
    n = len(lo)
    matrix = fits.BinTableHDU.from_columns(
        [fits.Column(name="ENERG_LO", format="E", unit="keV", array=lo),
         fits.Column(name="ENERG_HI", format="E", unit="keV", array=hi),
         fits.Column(name="N_GRP", format="I", array=np.ones(n, dtype=np.int16)),
         fits.Column(name="F_CHAN", format="1I", array=np.arange(1, n + 1, dtype=np.int16)),
         fits.Column(name="N_CHAN", format="1I", array=np.ones(n, dtype=np.int16)),
         fits.Column(name="MATRIX", format="1E", array=np.ones(n, dtype=np.float32))],
        name="MATRIX")
    _ogip(matrix.header, "RESPONSE", "RSP_MATRIX", "REDIST")
    matrix.header["HDUVERS"] = "1.3.0"
    matrix.header["DETCHANS"] = n
    matrix.header["TLMIN4"] = 1
    matrix.header["CHANTYPE"] = "PI"
    ebounds = fits.BinTableHDU.from_columns(
        [fits.Column(name="CHANNEL", format="J", array=np.arange(1, n + 1, dtype=np.int32)),
         fits.Column(name="E_MIN", format="E", unit="keV", array=lo),
         fits.Column(name="E_MAX", format="E", unit="keV", array=hi)], name="EBOUNDS")
    _ogip(ebounds.header, "RESPONSE", "EBOUNDS")
    ebounds.header["HDUVERS"] = "1.2.0"
    ebounds.header["DETCHANS"] = n
    ebounds.header["CHANTYPE"] = "PI"
    return _fits_bytes(fits.HDUList([fits.PrimaryHDU(), matrix, ebounds]))


def _xcm(model, fit):
    lines = ["statistic cstat", "data 1:1 interval0pc.pi", "ignore **-0.3 10.0-**",
             f"model tbabs*{'apec' if model == 'APEC' else 'pow'}"]
    for key in ("NH", "KT" if model == "APEC" else "Gamma"):
        if key in fit:
            value = fit[key] / 1e22 if key == "NH" else fit[key]
            lines.append(f"  {value:g}")
    return "\n".join(lines) + "\n"


def _fit_log(model, fit):
    lines = [f"Synthetic xspec fit log for the {model} model (astroquery-sxps emulator)."]
    for key in sorted(k for k in fit if k != "Image"):
        lines.append(f"{key} = {fit[key]!r}")
    return "\n".join(lines) + "\n"


def _add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = _MTIME
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _targz(entries):
    """``entries``: list of (TarInfo-or-name, bytes-or-None)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            for entry, data in entries:
                if isinstance(entry, tarfile.TarInfo):
                    tar.addfile(entry, io.BytesIO(data) if data is not None else None)
                else:
                    _add(tar, entry, data)
    return buf.getvalue()


def spectrum_archive(models, name="source", exposure=250000.0, seed=1):
    """``interval0.tar.gz`` for a spectrum fitted with ``models`` (``{name: fit dict}``).

    The member list is the tutorial's (``SPECTRUM_MEMBERS``), restricted to the
    models present (transient spectra have only the power law).
    """
    texts = {
        "README.txt": (f"Swift-XRT spectrum of {name}.\nSynthetic files produced by the "
                       "astroquery-sxps emulator of the UKSSDC API.\n"),
        "interval0.areas": "interval0 PC source.reg back.reg\n",
        "GRB_info.txt": f"Object: {name}\nT0: 0\n",
    }
    short = {"APEC": "apec", "PowerLaw": "pow"}
    entries = []
    for member in SPECTRUM_MEMBERS:
        model = None
        for m, s in short.items():
            if f"_{s}" in member:
                model = m
        if model is not None and model not in models:
            continue
        if member == "interval0pcsource.pi":
            data = pha_bytes("source", exposure=exposure, seed=seed)
        elif member == "interval0pcback.pi":
            data = pha_bytes("background", exposure=exposure, seed=seed + 1)
        elif member == "interval0pc.pi":
            data = pha_bytes("grouped", exposure=exposure, seed=seed)
        elif member == "interval0pc.arf":
            data = arf_bytes()
        elif member == "interval0pc.rmf":
            data = rmf_bytes()
        elif member.endswith(".xcm"):
            data = _xcm(model, models[model]).encode()
        elif member.endswith("_fit.fit"):
            data = _fit_log(model, models[model]).encode()
        else:
            data = texts[member].encode()
        entries.append((member, data))
    return _targz(entries)


#: Kinds of hostile archive the emulator serves (see `hostile_archive`).
HOSTILE_KINDS = ("traversal", "absolute", "symlink", "hardlink", "device")


def hostile_archive(kind):
    """A tar.gz that tries to escape its extraction directory.

    It holds an innocent ``README.txt`` plus one hostile member: ``traversal``
    (``../escape.txt``), ``absolute`` (``/tmp/sxps_absolute_escape.txt``),
    ``symlink`` (``passwd -> /etc/passwd``), ``hardlink`` (a hard link to
    ``/etc/passwd``) or ``device`` (a character device).
    """
    entries = [("README.txt", b"innocent\n")]
    if kind == "traversal":
        entries.append(("../escape.txt", b"escaped!\n"))
        entries.append(("models/../../escape2.txt", b"escaped!\n"))
    elif kind == "absolute":
        entries.append(("/tmp/sxps_absolute_escape.txt", b"escaped!\n"))
    elif kind in ("symlink", "hardlink"):
        info = tarfile.TarInfo("passwd")
        info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
        info.linkname = "/etc/passwd"
        info.mtime = _MTIME
        entries.append((info, None))
    elif kind == "device":
        info = tarfile.TarInfo("null")
        info.type = tarfile.CHRTYPE
        info.devmajor, info.devminor = 1, 3
        info.mtime = _MTIME
        entries.append((info, None))
    else:
        raise ValueError(f"unknown hostile archive kind {kind!r}")
    return _targz(entries)


# -- plots and thumbnails -------------------------------------------------------------
def _pillow_bytes(array, fmt):
    from PIL import Image
    image = Image.fromarray(array)
    buf = io.BytesIO()
    if fmt == "GIF":
        image = image.convert("P")
    image.save(buf, format=fmt)
    return buf.getvalue()


def fit_plot_gif(label, seed=0):
    """A small GIF standing for a spectral-fit plot (data points around a model curve)."""
    width, height = 160, 120
    img = np.full((height, width, 3), 255, dtype=np.uint8)
    img[height - 12, 10:width - 5] = 0          # x axis
    img[5:height - 11, 10] = 0                  # y axis
    rng = np.random.default_rng(seed + sum(map(ord, label)))
    xs = np.arange(12, width - 6)
    model = (height - 20) - (np.log1p(xs - 11) / math.log(width) * (height - 40)) \
        * np.exp(-(xs - 11) / (width * 0.8))
    for x, y in zip(xs, model):
        img[int(np.clip(y, 0, height - 1)), x] = (200, 0, 0)
        if x % 6 == 0:
            yy = int(np.clip(y + rng.normal(0, 4), 2, height - 14))
            img[yy - 1:yy + 2, x - 1:x + 2] = (0, 0, 160)
    return _pillow_bytes(img, "GIF")


def thumbnail_png(label, seed=0, size=64):
    """A small greyscale PNG source thumbnail: a blurred point source on a noisy background."""
    rng = np.random.default_rng(seed + sum(map(ord, label)))
    y, x = np.mgrid[:size, :size]
    if label.lower() == "expmap":
        img = 200.0 * np.exp(-((x - size / 2) ** 2 + (y - size / 2) ** 2) / (2 * (size / 1.5) ** 2))
    else:
        img = rng.poisson(3.0, (size, size)) * 10.0
        img += 220.0 * np.exp(-((x - size / 2) ** 2 + (y - size / 2) ** 2) / (2 * 3.0 ** 2))
    return _pillow_bytes(np.clip(img, 0, 255).astype(np.uint8), "PNG")


# -- dataset images ----------------------------------------------------------------
def _wcs_header(ra, dec, size, pixscale_deg):
    from astropy.wcs import WCS
    wcs = WCS(naxis=2)
    wcs.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    wcs.wcs.crval = [ra, dec]
    wcs.wcs.crpix = [(size + 1) / 2, (size + 1) / 2]
    wcs.wcs.cdelt = [-pixscale_deg, pixscale_deg]
    wcs.wcs.radesys = "FK5"
    wcs.wcs.equinox = 2000.0
    return wcs.to_header()


def dataset_image_fits_gz(obsid, ra, dec, kind="image", band="total", sources=(), size=100,
                          exposure=30000.0, seed=0):
    """A gzipped FITS image of a dataset with a celestial WCS centred on (ra, dec).

    ``kind``: ``image`` (counts), ``bgmap`` (background), ``bgmap_wsrc``
    (background with sources) or ``expmap`` (exposure map, seconds).
    ``sources``: (ra, dec) pairs of the catalogued sources drawn as blobs.
    """
    from astropy.io import fits
    from astropy.wcs import WCS
    pixscale = 2.357 / 3600 * 4          # XRT pixel, binned x4, in degrees
    header = _wcs_header(ra, dec, size, pixscale)
    wcs = WCS(header)
    rng = np.random.default_rng(seed + sum(map(ord, f"{obsid}{band}{kind}")))
    y, x = np.mgrid[:size, :size]
    r2 = (x - size / 2) ** 2 + (y - size / 2) ** 2
    vignette = np.exp(-r2 / (2 * (size / 2.2) ** 2))
    if kind == "expmap":
        data = (exposure * vignette).astype(np.float32)
        unit = "s"
    else:
        background = 0.05 * vignette
        data = background.copy()
        if kind in ("image", "bgmap_wsrc"):
            for k, (sra, sdec) in enumerate(sources):
                px, py = wcs.all_world2pix([[sra, sdec]], 0)[0]
                amplitude = 30.0 / (1 + k)
                data = data + amplitude * np.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * 1.5 ** 2))
        if kind == "image":
            data = rng.poisson(data).astype(np.int16)
        else:
            data = data.astype(np.float32)
        unit = "count"
    hdu = fits.PrimaryHDU(data=data, header=header)
    h = hdu.header
    h["TELESCOP"] = "SWIFT"
    h["INSTRUME"] = "XRT"
    h["OBS_ID"] = obsid
    h["BUNIT"] = unit
    h["EXPOSURE"] = exposure
    h["HDUNAME"] = {"image": "IMAGE", "bgmap": "BGMAP", "bgmap_wsrc": "BGMAP_W_SRC",
                    "expmap": "EXPOSURE"}[kind]
    h["BAND"] = band
    h["COMMENT"] = "Synthetic image made by the astroquery-sxps emulator."
    raw = io.BytesIO()
    fits.HDUList([hdu]).writeto(raw)
    return gzip.compress(raw.getvalue(), mtime=0)


def region_file(sources, radius_arcsec=20.0):
    """A ds9 region file (fk5 circles) for ``sources``: (ra, dec, label) triples."""
    lines = ["# Region file format: DS9 version 4.1",
             'global color=green dashlist=8 3 width=1 font="helvetica 10 normal roman" '
             "select=1 highlite=1 dash=0 fixed=0 edit=1 move=1 delete=1 include=1 source=1",
             "fk5"]
    for ra, dec, label in sources:
        lines.append(f'circle({ra:.6f},{dec:.6f},{radius_arcsec:.1f}") # text={{{label}}}')
    return ("\n".join(lines) + "\n").encode()
