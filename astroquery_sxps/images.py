"""Source thumbnails and dataset images (protocol.md 3.6, 3.9, 4.3, 4.4).

* Source (and transient) images are PNG thumbnails per band plus the exposure
  map, saved as ``Total.png`` ... ``Expmap.png``.
* Dataset images are gzipped FITS files (image, background map, background
  map with sources, per band, and the exposure map) plus ds9 region files.

A ``NOTFOUND`` URL or a ``Missing...`` key is logged and never fetched
(quirk Q9 fixed); every download is atomic and status-checked.
"""
import warnings
from pathlib import Path

from astropy.table import Table
from astroquery import log

from . import _living, downloads
from ._prepared import PreparedCall
from ._transport import APIRequest
from ._validation import BANDS, check_bool, check_catalog, check_path, choose, normalise_bands
from .exceptions import IgnoredOptionWarning, InvalidQueryError, SupersededWarning

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
        if downloads.is_url(value):
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
    for key, band, value in _band_entries(
            reply, lambda what: f"No {what} file exists for dataset {identifier!r}."):
        entries = {"Image": value} if band == "Expmap" and not isinstance(value, dict) else value
        if not isinstance(entries, dict):
            continue
        for type_key, url in entries.items():
            kind = _canonical_type(type_key, url)
            if kind is None:
                continue
            if downloads.is_url(url):
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
    name = downloads.url_basename(url)
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


# -- get_images / get_image_list: checking the arguments, fetching one object -------
class ImageCall(PreparedCall):
    """A checked `~astroquery_sxps.SXPSClass.get_images` or ``get_image_list`` call.

    Adds ``bands``, ``types`` and ``get_regions`` (see `prepare_images`) and,
    for `fetch_images`, the destination set by `set_destination`.
    """

    bands = "all"
    types = "all"
    get_regions = False
    directory = None
    use_subdirs = True
    replace = False
    in_cache = False

    def request(self, value):
        if self.kind == "dataset":
            return dataset_images_request(self.catalog, self.field, value, self.bands,
                                          self.types, self.get_regions)
        return source_images_request(self.catalog, self.field, value, self.bands,
                                     transient=self.pure_transient)

    def set_destination(self, download_dir, *, subdirs, clobber, cache, cache_location):
        """Check ``subdirs``/``clobber`` and choose where `fetch_images` saves.

        Without ``download_dir``: ``cache_location/sxps-images/<catalog>/<kind>``,
        one subdirectory per object, files reused while ``cache=True``.
        """
        subdirs = check_bool("subdirs", subdirs)
        clobber = check_bool("clobber", clobber)
        if download_dir is not None:
            check_path("download_dir", download_dir)
        if download_dir is None:
            self.directory = Path(cache_location) / "sxps-images" / self.catalog.upper() / self.kind
            self.use_subdirs, self.replace, self.in_cache = True, not cache, True
        else:
            self.directory = Path(download_dir).expanduser()
            self.use_subdirs, self.replace, self.in_cache = subdirs, clobber, False
        return self


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


def prepare_images(source_id, source_name, obsid, dataset_id, *, catalog, bands, types,
                   get_regions, transient, trans_as_source, skip_errors):
    """Check the shared `~astroquery_sxps.SXPSClass.get_images`/``get_image_list``
    arguments -> `ImageCall` (kind ``'source'`` or ``'dataset'``).

    Raises `~astroquery.exceptions.InvalidQueryError` (and warns about ignored
    options) before any request; the warnings point at the caller's caller.
    """
    catalog = check_catalog(catalog)
    transient = check_bool("transient", transient)
    trans_as_source = check_bool("trans_as_source", trans_as_source)
    get_regions = check_bool("get_regions", get_regions)
    check_bool("skip_errors", skip_errors)
    given = [n for n, v in (("source_id", source_id), ("source_name", source_name),
                            ("obsid", obsid), ("dataset_id", dataset_id)) if v is not None]
    if len(given) != 1:
        raise InvalidQueryError(
            "Give exactly one of source_id, source_name (source images) or obsid, "
            "dataset_id (dataset images)" + (f"; got {', '.join(given)}." if given
                                             else "; none was given."))
    bands = normalise_bands(bands, allowed=IMAGE_BANDS)
    if given[0] in ("obsid", "dataset_id"):
        if transient or trans_as_source:
            raise InvalidQueryError("transient/trans_as_source apply to source images, "
                                    "not to dataset images (obsid/dataset_id).")
        types = _image_types(types)
        prepared = ImageCall.for_datasets(obsid, dataset_id, catalog)
        prepared.types, prepared.get_regions = types, get_regions
    else:
        if (not (isinstance(types, str) and types.strip().lower() == "all")) or get_regions:
            warnings.warn("types and get_regions apply to dataset images only; ignored.",
                          IgnoredOptionWarning, stacklevel=3)
        prepared = ImageCall.for_sources(source_id, source_name, catalog, transient,
                                         trans_as_source)
        prepared.warn_ignored_trans_as_source(stacklevel=3)
    prepared.bands = bands
    return prepared


def _image_reply(prepared, call, key, cache):
    value = prepared.by_key[key]
    reply = call(prepared.request(value), cache=cache)
    if prepared.kind == "source":
        _living.raise_if_split(reply, value)
    return reply


def fetch_images(prepared, call, key, *, query, cache=True):
    """Fetch and save the images of one object of ``prepared`` (after `~ImageCall.set_destination`).

    ``call(request, cache=...)`` sends a request (``SXPSClass._call``);
    ``query`` downloads the files. Returns ``{band: Path}`` (sources) or a
    `DatasetImages` (datasets).
    """
    reply = _image_reply(prepared, call, key, cache)
    if prepared.kind == "source":
        return {band: _save(prepared, query, url, source_image_path(
                    prepared.directory, key, band, prepared.use_subdirs))
                for band, url in source_image_urls(reply, key).items()}
    result = DatasetImages(key, reply.get("SupersededBy"))
    for (band, kind), url in dataset_image_urls(reply, key).items():
        path = _save(prepared, query, url,
                     dataset_file_path(prepared.directory, key, url, prepared.use_subdirs))
        result.files.setdefault(band, {})[kind] = path
        result.setdefault(band, {})[kind] = open_dataset_file(path)
    return result


def _save(prepared, query, url, path):
    if prepared.in_cache and path.exists() and not prepared.replace:
        return path                  # cached copy
    return downloads.download_file(query, url, path, clobber=prepared.replace)


def fetch_image_list(prepared, call, key, *, cache=True):
    """The `image_list_table` rows of one object of ``prepared`` (nothing downloaded)."""
    reply = _image_reply(prepared, call, key, cache)
    if prepared.kind == "source":
        return [(key, band, "thumbnail", url, f"{band}.png")
                for band, url in source_image_urls(reply, key).items()]
    return [(key, band, kind, url, dataset_file_path("", key, url, True).name)
            for (band, kind), url in dataset_image_urls(reply, key).items()]


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
