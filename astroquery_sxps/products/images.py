"""Source thumbnails and dataset images.

See ``docs/sxps/api_protocol.rst`` (getSXPSSourceImages, getSXPSDatasetImages, images on
disk).

* Source (and transient) images are PNG thumbnails per band plus the exposure
  map, saved as ``Total.png`` ... ``Expmap.png``.
* Dataset images are gzipped FITS files (image, background map, background
  map with sources, per band, and the exposure map) plus ds9 region files.

A ``NOTFOUND`` URL or a ``Missing...`` key is logged and never fetched
(quirk Q9 fixed); every download is atomic and status-checked.
"""
from pathlib import Path

from astropy.table import Table
from astroquery import log

from .._files import check_destination, is_url, safe_name, safe_path, url_basename
from .._plan import Plan, Targets
from .._results import finish_table, plain
from .._transport import APIRequest
from .._validation import BANDS, check_bool, check_catalog, choose, normalise_bands
from ..exceptions import IgnoredOptionWarning, InvalidQueryError, SupersededWarning, warn
from ..sources.living import check_transient_options, raise_if_split, transient_lookup

__all__ = ["IMAGE_BANDS", "IMAGE_TYPES", "TYPE_ALIASES", "ImageFiles", "SourceImages",
           "DatasetImages", "source_images_request",
           "dataset_images_request", "source_image_urls", "dataset_image_urls",
           "image_list_table", "open_dataset_file", "images_plan", "image_list_plan",
           "source_image_name", "dataset_file_name"]

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


def _band_entries(reply, missing):
    """``(key, band, value)`` of the band entries of a reply, in reply order.

    ``Missing...`` keys are logged with the message ``missing(what)`` (``what``:
    the rest of the key, or ``'image'``); other unknown keys are ignored.
    """
    for key, value in reply.items():
        band = _canonical_band(key)
        if band is None:
            if str(key).lower().startswith("missing"):
                log.info(missing(key[7:] or "image"))
            continue
        yield key, band, value


def source_image_urls(reply, identifier):
    """``{band: url}`` of the images present in a ``getSXPSSourceImages`` reply.

    ``NOTFOUND`` values and ``Missing...`` keys are logged and left out;
    unknown keys are ignored. Band keys are matched case-insensitively.
    """
    urls = {}
    for _, band, value in _band_entries(
            reply, lambda what: f"No {what} image exists for {identifier!r}."):
        if is_url(value):
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
        warn(f"Dataset {identifier!r} is an obsolete stack (SupersededBy: "
             f"{reply['SupersededBy']!r}); some of its images may be missing.",
             SupersededWarning)
    urls = {}
    for key, band, value in _band_entries(
            reply, lambda what: f"No {what} file exists for dataset {identifier!r}."):
        entries = {"Image": value} if band == "Expmap" and not isinstance(value, dict) else value
        if not isinstance(entries, dict):
            continue
        for type_key, url in entries.items():
            kind = _canonical_type(type_key, url)
            if kind is None:
                continue
            if is_url(url):
                urls[(band, kind)] = url
            else:
                log.info(f"No {type_key} image exists for the {band} band of "
                         f"{identifier!r} ({url!r}); skipped.")
    order = {(b, t): i for i, (b, t) in enumerate(
        (b, t) for b in IMAGE_BANDS for t in IMAGE_TYPES + (REGIONS,))}
    return dict(sorted(urls.items(), key=lambda item: order.get(item[0], len(order))))


def source_image_name(key, band, subdirs):
    """Relative name of a source image: ``<key>/<Band>.png`` or ``<key>_<Band>.png``."""
    key = safe_name(key, what="identifier")
    return f"{key}/{band}.png" if subdirs else f"{key}_{band}.png"


def dataset_file_name(key, url, subdirs):
    """Relative name of a dataset file: ``<key>/<basename>`` or ``<basename>``.

    Without subdirectories, region files (``total.reg``...) would collide
    between datasets, so they are named ``<key>_total.reg``.
    """
    key = safe_name(key, what="identifier")
    name = url_basename(url)
    if subdirs:
        return f"{key}/{name}"
    if name.lower().endswith(".reg"):
        name = f"{key}_{name}"
    return name


def image_list_table(rows):
    """Rows of (identifier, band, type, url, local name) -> `~astropy.table.Table`."""
    names = ("identifier", "band", "type", "url", "file_name")
    if not rows:
        return finish_table(Table(names=names, dtype=[str] * len(names)))
    return finish_table(Table(rows=[[str(plain(v)) for v in row] for row in rows], names=names))


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


# -- the plans of get_images / get_image_list ---------------------------------------------
def _image_types(types):
    """``'all'`` or the list of canonical dataset image types (duplicates dropped)."""
    if isinstance(types, str) and types.strip().lower() == "all":
        return "all"
    seq = [types] if isinstance(types, str) else types
    if not isinstance(seq, (list, tuple)) or not seq:
        raise InvalidQueryError(
            f"types must be 'all' or a list of {', '.join(IMAGE_TYPES)}; got {types!r}.")
    result = []
    for t in seq:
        canon = choose("types", t, IMAGE_TYPES, aliases=TYPE_ALIASES)
        if canon not in result:
            result.append(canon)
    return result


class _ImageTargets:
    """The checked identifiers and options shared by ``get_images`` and ``get_image_list``."""

    def __init__(self, source_id, source_name, obsid, dataset_id, *, catalog, bands, types,
                 get_regions, transient, trans_as_source, skip_errors):
        self.catalog = check_catalog(catalog)
        transient, trans_as_source = check_transient_options(
            self.catalog, transient, trans_as_source)
        self.get_regions = check_bool("get_regions", get_regions)
        self.skip_errors = check_bool("skip_errors", skip_errors)
        given = [n for n, v in (("source_id", source_id), ("source_name", source_name),
                                ("obsid", obsid), ("dataset_id", dataset_id)) if v is not None]
        if len(given) != 1:
            raise InvalidQueryError(
                "Give exactly one of source_id, source_name (source images) or obsid, "
                "dataset_id (dataset images)" + (f"; got {', '.join(given)}." if given
                                                 else "; none was given."))
        self.bands = normalise_bands(bands, allowed=IMAGE_BANDS)
        self.pure_transient = transient and not trans_as_source
        self.lookup = None
        if given[0] in ("obsid", "dataset_id"):
            if transient:
                raise InvalidQueryError("transient/trans_as_source apply to source images, "
                                        "not to dataset images (obsid/dataset_id).")
            self.kind = "dataset"
            self.types = _image_types(types)
            self.targets = Targets.datasets(obsid, dataset_id)
        else:
            if (not (isinstance(types, str) and types.strip().lower() == "all")) \
                    or self.get_regions:
                warn("types and get_regions apply to dataset images only; ignored.",
                     IgnoredOptionWarning)
            self.kind = "source"
            self.types = "all"
            self.targets = Targets.sources(source_id, source_name)
            if trans_as_source:
                self.lookup = transient_lookup(self.catalog, self.targets)

    def request(self, value):
        if self.kind == "dataset":
            return dataset_images_request(self.catalog, self.targets.field, value, self.bands,
                                          self.types, self.get_regions)
        return source_images_request(self.catalog, self.targets.field, value, self.bands,
                                     transient=self.pure_transient)

    def reply(self, context, value):
        reply = context.call(self.request(value))
        if self.kind == "source":
            raise_if_split(reply, value)
        return reply

    def plan(self, fetch, **options):
        return Plan(fetch, targets=self.targets, requests=self.request, lookup=self.lookup,
                    skip_errors=self.skip_errors, **options)


def images_plan(source_id=None, source_name=None, obsid=None, dataset_id=None, *,
                catalog="LSXPS", bands="all", types="all", get_regions=False, transient=False,
                trans_as_source=False, download_dir=None, subdirs=True, clobber=False,
                skip_errors=False):
    """Check the arguments of ``get_images``; its plan.

    Without ``download_dir`` the files are kept in the cache folder (one copy
    per URL) and reused while ``cache=True``.
    """
    images = _ImageTargets(source_id, source_name, obsid, dataset_id, catalog=catalog,
                           bands=bands, types=types, get_regions=get_regions,
                           transient=transient, trans_as_source=trans_as_source,
                           skip_errors=skip_errors)
    subdirs = check_bool("subdirs", subdirs)
    clobber = check_bool("clobber", clobber)
    if download_dir is not None:
        download_dir = check_destination("download_dir", download_dir)
        for key in images.targets.keys:  # identifiers become folder or file names
            safe_name(key, what="identifier", user=True)

    def save(context, url, relative):
        # one progress bar for the files of an object (below), none for each file
        if download_dir is None:        # the cache folder, one copy per URL
            return context.cached_file(url, Path(relative).name, show_progress=False)
        path = safe_path(download_dir, relative, what="image file name")
        return context.download(url, path, clobber=clobber, root=download_dir,
                                show_progress=False)

    def fetch(context, key, value):
        reply = images.reply(context, value)
        if images.kind == "source":
            urls = source_image_urls(reply, key)
            result = SourceImages(key)
            with context.progress(len(urls), f"Downloading {len(urls)} images of {key}") \
                    as advance:
                for band, url in urls.items():
                    result[band] = save(context, url, source_image_name(key, band, subdirs))
                    advance()
            return result
        result = DatasetImages(key, reply.get("SupersededBy"))
        urls = dataset_image_urls(reply, key)
        with context.progress(len(urls), f"Downloading {len(urls)} files of dataset {key}") \
                as advance:
            for (band, kind), url in urls.items():
                result.setdefault(band, {})[kind] = save(context, url,
                                                         dataset_file_name(key, url, subdirs))
                advance()
        return result
    return images.plan(fetch)


def image_list_plan(source_id=None, source_name=None, obsid=None, dataset_id=None, *,
                    catalog="LSXPS", bands="all", types="all", get_regions=False,
                    transient=False, trans_as_source=False, skip_errors=False):
    """Check the arguments of ``get_image_list``; its plan (nothing is downloaded)."""
    images = _ImageTargets(source_id, source_name, obsid, dataset_id, catalog=catalog,
                           bands=bands, types=types, get_regions=get_regions,
                           transient=transient, trans_as_source=trans_as_source,
                           skip_errors=skip_errors)

    def fetch(context, key, value):
        reply = images.reply(context, value)
        if images.kind == "source":
            return [(key, band, "thumbnail", url, f"{band}.png")
                    for band, url in source_image_urls(reply, key).items()]
        return [(key, band, kind, url, dataset_file_name(key, url, True).rsplit("/", 1)[-1])
                for (band, kind), url in dataset_image_urls(reply, key).items()]
    return images.plan(fetch, finish=lambda results: image_list_table(
        [row for rows in results.values() for row in rows]))


class ImageFiles(dict):
    """The image files of one source or dataset: a mapping to local `~pathlib.Path`
    objects, with `open` to read them. Subclassed by `SourceImages` and `DatasetImages`,
    so that ``get_images`` returns the same kind of result for both.

    Attributes
    ----------
    identifier : str or int
        The source, transient or dataset, as supplied.
    """

    def __init__(self, identifier=None):
        super().__init__()
        self.identifier = plain(identifier)

    def paths(self):
        """Every file, in order (a flat list of `~pathlib.Path`)."""
        out = []
        for value in self.values():
            out.extend(value.values() if isinstance(value, dict) else [value])
        return out

    def __repr__(self):
        content = {k: list(v) if isinstance(v, dict) else str(v) for k, v in self.items()}
        return f"<{type(self).__name__} {self.identifier!r}: {content}>"


class SourceImages(ImageFiles):
    """PNG thumbnails of one source or transient: ``result[band]`` is the file's path.

    ``band`` is ``Total``, ``Soft``, ``Medium``, ``Hard`` or ``Expmap`` (the
    exposure map); images the server does not have are absent.

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> thumbs = SXPS.get_images(source_name='LSXPS J051152.3-621925',
    ...                          bands='total')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
    >>> thumbs['Total'].suffix, thumbs.open('Total').shape[:2]  # doctest: +REMOTE_DATA
    ('.png', (64, 64))
    """

    def open(self, band):
        """The image as an array (rows, columns, RGB[A]) for ``plt.imshow``; needs matplotlib."""
        try:
            from matplotlib.image import imread
        except ImportError as exc:      # pragma: no cover - matplotlib is in the extras
            raise ImportError("Reading the PNG thumbnails needs matplotlib (pip install "
                              "matplotlib); the files are at SourceImages.paths().") from exc
        return imread(self._path(band))

    def _path(self, band):
        if band not in self:
            raise KeyError(f"No {band!r} image of {self.identifier!r}; available: {list(self)}")
        return self[band]


class DatasetImages(ImageFiles):
    """Images of one dataset: ``result[band][type]`` is the file's path.

    ``band`` is ``Total``, ``Soft``, ``Medium``, ``Hard`` or ``Expmap``;
    ``type`` is ``Image``, ``BackgroundMap``, ``BackgroundMapWithSources``
    (gzipped FITS files) or ``Regions`` (a ds9 region file). The exposure map
    is ``result['Expmap']['Image']``. Files that do not exist on the server are
    absent. ``result.open(band, type)`` reads one: an in-memory
    `~astropy.io.fits.HDUList`, or for ``Regions`` a `regions.Regions` (the
    path if ``regions`` is not installed).

    Attributes
    ----------
    identifier : str or int
        The dataset (ObsID or DatasetID).
    files : dict
        The same nested paths (the mapping itself; kept for code written for
        earlier versions, in which the mapping held opened HDULists).
    superseded_by : object or None
        The server's ``SupersededBy`` value for an obsolete stack.

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> ims = SXPS.get_images(obsid='00282445000', bands='total',
    ...                       types='image')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
    >>> ims['Total']['Image'].name  # doctest: +REMOTE_DATA
    '00282445000_total.img.gz'
    >>> ims.open('Total', 'Image')[0].header['NAXIS']  # doctest: +REMOTE_DATA
    2
    """

    def __init__(self, identifier=None, superseded_by=None):
        super().__init__(identifier)
        self.superseded_by = plain(superseded_by)

    @property
    def files(self):
        return self

    def open(self, band, type="Image"):
        """Read ``result[band][type]``: an `~astropy.io.fits.HDUList` (in memory) or, for
        ``Regions``, a `regions.Regions` (the path if ``regions`` is not installed)."""
        if band not in self or type not in self[band]:
            raise KeyError(f"No {band!r} {type!r} file of dataset {self.identifier!r}; "
                           f"available: { {b: list(t) for b, t in self.items()} }")
        return open_dataset_file(self[band][type])
