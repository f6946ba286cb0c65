"""getSXPSSourceImages and getSXPSDatasetImages, with their files.

See ``docs/sxps/api_protocol.rst`` (getSXPSSourceImages, getSXPSDatasetImages).

Data: ``data/images.json`` (plus the source identifiers of ``data/spectra.json``).
Files are served under ``/files/sxps-images/`` and built by
`astroquery_sxps.testing.files`: PNG thumbnails, gzipped FITS images, ds9
region files.
"""
import re

from .. import files
from .._data import load
from ..server import APIError, api_function, file_route
from .spectra import check_catalog, resolve_source

PREFIX = "sxps-images/"
_BANDS = ("Total", "Soft", "Medium", "Hard")
_BAND_FILE = {"Total": "total", "Soft": "band1", "Medium": "band2", "Hard": "band3"}
_TYPES = {"image": "Image", "backgroundmap": "BackgroundMap", "bgmap": "BackgroundMap",
          "backgroundmapwithsources": "BackgroundMapWithSources",
          "bgmap_wsrc": "BackgroundMapWithSources"}
_TYPE_SUFFIX = {"Image": "", "BackgroundMap": "_final_BGmap",
                "BackgroundMapWithSources": "_final_BGmap_w_source"}
#: [inferred] name of the region-file key inside a band (undocumented; the
#: client iterates over all entries of a band).
REGION_KEY = "Regions"


def _bands(body, allow_expmap=True):
    bands = body.get("bands", "all")
    allowed = _BANDS + (("Expmap",) if allow_expmap else ())
    if isinstance(bands, str) and bands.lower() == "all":
        return list(allowed)
    if isinstance(bands, str):
        bands = [bands]
    if not isinstance(bands, list):
        raise APIError("bands must be 'all' or a list of band names.")
    out = []
    for band in bands:
        match = [b for b in allowed if isinstance(band, str) and band.lower() == b.lower()]
        if not match:
            raise APIError(f"Unknown band `{band}`.")
        if match[0] not in out:
            out.append(match[0])
    return out


@api_function("getSXPSSourceImages")
def source_images(emu, body):
    cat = check_catalog(body)
    bands = _bands(body)
    if body.get("transient"):
        data = load("images")["transient_images"]
        field = "sourceID" if body.get("sourceID") is not None else "sourceName"
        value = str(body.get(field)).strip()
        tid = next((k for k, v in data.items() if not k.startswith("_") and
                    (value == k if field == "sourceID" else value == v["IAUName"])), None)
        if tid is None:
            raise APIError(f"Transient `{value}` is not in the LSXPS transient list.")
        missing, base = data[tid]["missing"], f"{PREFIX}{cat}/transients/{tid}/images"
    else:
        sid, split = resolve_source(emu, body)
        if split is not None:
            return split
        missing = load("images")["source_images"].get(sid, {}).get("missing", [])
        base = f"{PREFIX}{cat}/sources/source{sid}/images"
    return {band: ("NOTFOUND" if band in missing else emu.file_url(f"{base}/{band.lower()}.png"))
            for band in bands}


def _datasets():
    """Our datasets, plus those only the details handlers know (images of their field,
    no catalogued sources drawn)."""
    datasets = {k: v for k, v in load("images")["datasets"].items() if not k.startswith("_")}
    try:
        from .details import _datasets as details_datasets
        extra = details_datasets()["datasets"]
    except (ImportError, KeyError, TypeError):  # pragma: no cover - details handler absent
        extra = {}
    for dsid, entry in extra.items():
        rec = entry.get("record", {}) if isinstance(entry, dict) else {}
        obsid = rec.get("ObsID")
        if obsid and obsid not in datasets and not entry.get("old_version") and \
                rec.get("RA") is not None:
            datasets[obsid] = {"DatasetID": int(dsid), "RA": rec["RA"], "Decl": rec["Decl"],
                               "ExposureUsed": rec.get("ExposureUsed", 1e4),
                               "obsolete": bool(rec.get("IsObsoleteStack")), "sources": []}
    return datasets


def _dataset(body):
    cat = check_catalog(body)
    datasets = _datasets()
    text = load("images")["not_found_text"]
    if body.get("ObsID") is not None:
        raw = str(body["ObsID"]).strip()
        try:
            obsid = "%011d" % int(raw)
        except ValueError:
            raise APIError(text.format(field="obsid", value=raw, catalog=cat)) from None
        if obsid in datasets and cat == "LSXPS":
            return cat, obsid, datasets[obsid]
        raise APIError(text.format(field="obsid", value=raw, catalog=cat))
    if body.get("DatasetID") is not None:
        for obsid, rec in datasets.items():
            if str(rec["DatasetID"]) == str(body["DatasetID"]).strip() and cat == "LSXPS":
                return cat, obsid, rec
        raise APIError(text.format(field="DatasetID", value=body["DatasetID"], catalog=cat))
    raise APIError("No ObsID or DatasetID was supplied.")


@api_function("getSXPSDatasetImages")
def dataset_images(emu, body):
    cat, obsid, rec = _dataset(body)
    bands = _bands(body)
    types = body.get("types", "all")
    if isinstance(types, str) and types.lower() == "all":
        types = list(_TYPE_SUFFIX)
    else:
        if isinstance(types, str):
            types = [types]
        if not isinstance(types, list):
            raise APIError("types must be 'all' or a list of image types.")
        wanted = []
        for t in types:
            if not isinstance(t, str) or t.lower() not in _TYPES:
                raise APIError(f"Unknown image type `{t}`.")
            wanted.append(_TYPES[t.lower()])
        types = [t for t in _TYPE_SUFFIX if t in wanted]
    regions = bool(body.get("getRegions", False))
    base = f"{PREFIX}{cat}/datasets/{obsid}"
    reply = {}
    if rec.get("obsolete"):
        reply["SupersededBy"] = rec.get("SupersededBy")
    for band in bands:
        if band == "Expmap":
            continue
        stem = _BAND_FILE[band]
        entry = {}
        for t in types:
            entry[t] = ("NOTFOUND" if rec.get("obsolete")
                        else emu.file_url(f"{base}/{obsid}_{stem}{_TYPE_SUFFIX[t]}.img.gz"))
        if regions:
            entry[REGION_KEY] = emu.file_url(f"{base}/{stem}.reg")
        reply[band] = entry
    if "Expmap" in bands:
        if rec.get("obsolete"):
            reply["Missingexpmap"] = 1
        else:
            reply["Expmap"] = emu.file_url(f"{base}/{obsid}_ex.img.gz")
    return reply


_SRC_PNG = re.compile(r"^(LSXPS|2SXPS)/(?:sources/source(\d+)|transients/(\d+))/images/(\w+)\.png$")
_DS_FILE = re.compile(r"^(LSXPS|2SXPS)/datasets/(\d{11})/([\w.]+)$")


@file_route(PREFIX)
def image_file(emu, rest):
    m = _SRC_PNG.match(rest)
    if m:
        band = m.group(4)
        if band.capitalize() not in _BANDS + ("Expmap",):
            return None
        return files.thumbnail_png(band.capitalize(), seed=int(m.group(2) or m.group(3)))
    m = _DS_FILE.match(rest)
    if not m:
        return None
    obsid, name = m.group(2), m.group(3)
    rec = _datasets().get(obsid)
    if rec is None:
        return None
    sources = [tuple(s) for s in rec.get("sources", []) + rec.get("extra_sources_synthetic", [])]
    if name.endswith(".reg"):
        if name[:-4] not in _BAND_FILE.values():
            return None
        return files.region_file(sources)
    if rec.get("obsolete"):
        return None                       # obsolete stacks: images are NOTFOUND
    if name == f"{obsid}_ex.img.gz":
        return files.dataset_image_fits_gz(obsid, rec["RA"], rec["Decl"], "expmap", "total",
                                           exposure=rec.get("ExposureUsed", 1e4))
    for band, stem in _BAND_FILE.items():
        for kind, suffix in (("image", ""), ("bgmap", "_final_BGmap"),
                             ("bgmap_wsrc", "_final_BGmap_w_source")):
            if name == f"{obsid}_{stem}{suffix}.img.gz":
                return files.dataset_image_fits_gz(obsid, rec["RA"], rec["Decl"], kind, band,
                                                   [(s[0], s[1]) for s in sources],
                                                   exposure=rec.get("ExposureUsed", 1e4))
    return None
