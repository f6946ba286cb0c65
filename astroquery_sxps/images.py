"""Source thumbnails and dataset images (protocol.md 3.6, 3.9, 4.3, 4.4).

* Source (and transient) images are PNG thumbnails per band plus the exposure
  map, saved as ``Total.png`` ... ``Expmap.png``.
* Dataset images are gzipped FITS files (image, background map, background
  map with sources, per band, and the exposure map) plus ds9 region files.

A ``NOTFOUND`` URL or a ``Missing...`` key is logged and never fetched
(quirk Q9 fixed); every download is atomic and status-checked.
"""
import os
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from astropy.table import Table
from astroquery import log

from ._transport import APIRequest
from ._validation import BANDS
from .exceptions import SupersededWarning

__all__ = ["IMAGE_BANDS", "IMAGE_TYPES", "TYPE_ALIASES", "DatasetImages", "source_images_request",
           "dataset_images_request", "source_image_urls", "dataset_image_urls",
           "image_list_table", "open_dataset_file"]

#: Bands of source and dataset images (``Expmap`` is the exposure map).
IMAGE_BANDS = BANDS + ("Expmap",)
#: Dataset image types, as the server names them.
IMAGE_TYPES = ("Image", "BackgroundMap", "BackgroundMapWithSources")
#: Accepted spellings (case-insensitive) of the image types.
TYPE_ALIASES = {"bgmap": "BackgroundMap", "bgmap_wsrc": "BackgroundMapWithSources",
                "background": "BackgroundMap", "background_with_sources": "BackgroundMapWithSources"}
#: The type name used for ds9 region files in results.
REGIONS = "Regions"
NOTFOUND = "NOTFOUND"


def _basename(url):
    return unquote(os.path.basename(urlsplit(url).path))


def _is_url(value):
    return isinstance(value, str) and "://" in value


def _wire_bands(bands):
    return "all" if bands == "all" else [b.lower() for b in bands]


def source_images_request(catalog, field, value, bands, *, transient=False):
    """The ``getSXPSSourceImages`` request for one source or transient."""
    payload = {"whichCat": catalog, "bands": _wire_bands(bands), field: value}
    if transient:
        payload["transient"] = True
    return APIRequest("getSXPSSourceImages", payload, identifier=value)


def dataset_images_request(catalog, field, value, bands, types, get_regions):
    """The ``getSXPSDatasetImages`` request for one dataset."""
    payload = {"whichCat": catalog, "bands": _wire_bands(bands),
               "types": "all" if types == "all" else [t.lower() for t in types],
               "getRegions": bool(get_regions), field: value}
    return APIRequest("getSXPSDatasetImages", payload, identifier=value)


def _canonical_band(key):
    for band in IMAGE_BANDS:
        if str(key).lower() == band.lower():
            return band
    return None


def source_image_urls(reply, identifier):
    """``{band: url}`` of the images present in a ``getSXPSSourceImages`` reply.

    ``NOTFOUND`` values and ``Missing...`` keys are logged and left out;
    unknown keys are ignored. Band keys are matched case-insensitively.
    """
    urls = {}
    for key, value in reply.items():
        band = _canonical_band(key)
        if band is None:
            if str(key).lower().startswith("missing"):
                log.info(f"No {key[7:] or 'image'} image exists for {identifier!r}.")
            continue
        if _is_url(value):
            urls[band] = value
        else:
            log.info(f"No {band} image exists for {identifier!r} ({value!r}); skipped.")
    return {band: urls[band] for band in IMAGE_BANDS if band in urls}


def _canonical_type(key, url):
    for t in IMAGE_TYPES:
        if str(key).lower() == t.lower():
            return t
    alias = TYPE_ALIASES.get(str(key).lower())
    if alias:
        return alias
    if "reg" in str(key).lower() or (isinstance(url, str) and url.lower().endswith(".reg")):
        return REGIONS
    return None


def dataset_image_urls(reply, identifier):
    """``{(band, type): url}`` of the files present in a ``getSXPSDatasetImages`` reply.

    Types are ``Image``, ``BackgroundMap``, ``BackgroundMapWithSources`` and
    ``Regions`` (the ds9 file, whatever its key); the exposure map is
    ``('Expmap', 'Image')``. ``NOTFOUND`` and ``Missing...`` entries are
    logged and left out. ``SupersededBy`` gives a `SupersededWarning`.
    """
    if "SupersededBy" in reply:
        warnings.warn(f"Dataset {identifier!r} is an obsolete stack (SupersededBy: "
                      f"{reply['SupersededBy']!r}); some of its images may be missing.",
                      SupersededWarning, stacklevel=4)
    urls = {}
    for key, value in reply.items():
        band = _canonical_band(key)
        if band is None:
            if str(key).lower().startswith("missing"):
                log.info(f"No {key[7:] or 'image'} file exists for dataset {identifier!r}.")
            continue
        entries = {"Image": value} if band == "Expmap" and not isinstance(value, dict) else value
        if not isinstance(entries, dict):
            continue
        for type_key, url in entries.items():
            kind = _canonical_type(type_key, url)
            if kind is None:
                continue
            if _is_url(url):
                urls[(band, kind)] = url
            else:
                log.info(f"No {type_key} image exists for the {band} band of "
                         f"{identifier!r} ({url!r}); skipped.")
    order = {(b, t): i for i, (b, t) in enumerate(
        (b, t) for b in IMAGE_BANDS for t in IMAGE_TYPES + (REGIONS,))}
    return dict(sorted(urls.items(), key=lambda item: order.get(item[0], len(order))))


def source_image_path(directory, key, band, subdirs):
    """Local path of a source image: ``dir/<key>/<Band>.png`` or ``dir/<key>_<Band>.png``."""
    directory = Path(directory)
    return directory / str(key) / f"{band}.png" if subdirs else directory / f"{key}_{band}.png"


def dataset_file_path(directory, key, url, subdirs):
    """Local path of a dataset file: ``dir/<key>/<basename>`` or ``dir/<basename>``.

    Without subdirectories, region files (``total.reg``...) would collide
    between datasets, so they are named ``<key>_total.reg``.
    """
    directory = Path(directory)
    name = _basename(url)
    if subdirs:
        return directory / str(key) / name
    if name.lower().endswith(".reg"):
        name = f"{key}_{name}"
    return directory / name


def image_list_table(rows):
    """Rows of (identifier, band, type, url, local name) -> `~astropy.table.Table`."""
    names = ("identifier", "band", "type", "url", "file_name")
    if not rows:
        return Table(names=names, dtype=[str] * len(names))
    return Table(rows=[[str(v) for v in row] for row in rows], names=names)


def open_dataset_file(path):
    """Open a downloaded dataset file.

    ``.img.gz``/FITS files give an in-memory `~astropy.io.fits.HDUList`; ds9
    region files give a `regions.Regions` when the ``regions`` package is
    installed, else the `~pathlib.Path`.
    """
    path = Path(path)
    if path.name.lower().endswith(".reg"):
        try:
            from regions import Regions
        except ImportError:
            return path
        return Regions.read(str(path), format="ds9")
    from astropy.io import fits
    with fits.open(path) as hdul:
        return fits.HDUList([hdu.copy() for hdu in hdul])


class DatasetImages(dict):
    """Images of one dataset: ``result[band][type]``.

    ``band`` is ``Total``, ``Soft``, ``Medium``, ``Hard`` or ``Expmap``;
    ``type`` is ``Image``, ``BackgroundMap``, ``BackgroundMapWithSources``
    (each an `~astropy.io.fits.HDUList`) or ``Regions`` (a `regions.Regions`,
    or the file path when ``regions`` is not installed). The exposure map is
    ``result['Expmap']['Image']``. Files that do not exist on the server are
    absent.

    Attributes
    ----------
    identifier : str or int
        The dataset (ObsID or DatasetID).
    files : dict
        Same nesting, holding the local `~pathlib.Path` of every file.
    superseded_by : object or None
        The server's ``SupersededBy`` value for an obsolete stack.
    """

    def __init__(self, identifier=None, superseded_by=None):
        super().__init__()
        self.identifier = identifier
        self.files = {}
        self.superseded_by = superseded_by

    def __repr__(self):
        content = {band: list(types) for band, types in self.items()}
        return f"<DatasetImages {self.identifier!r}: {content}>"
