"""listObsFiles and getObsByTarg, and the obs files they point to.

See ``docs/sxps/api_protocol.rst`` (listObsFiles, getObsByTarg).

Files are served under ``/files/obs/<source>/<11-digit obsid>/<relative path>``;
their contents are small synthetic placeholders (``data/obsdata.json``).
An observation that is not in the archive answers ``fileList: {}`` (no
``dirs``/``files``), which clients report as "not found" [inferred]; an unknown
target answers an empty ``obsList`` [inferred].
"""
import functools

from .._data import load
from ..server import APIError, api_function, file_route

__all__ = ["obs_files", "known_obsids"]

_SOURCES = ("uk_reproc", "uk", "us", "italy")
_ORDER = ("bat", "xrt", "uvot", "auxil", "tdrss", "log")


@functools.lru_cache(maxsize=None)
def _data():
    return load("obsdata")


def known_obsids():
    return {o for obs in _data()["targets"].values() for o in obs}


def obs_files(obsid, dirs):
    """(dirs, files) of an observation for the requested top-level ``dirs``."""
    layout = _data()["layout"]
    out_dirs, out_files = [""], []
    for top in _ORDER:
        if top not in dirs:
            continue
        for sub, names in layout[top].items():
            parent = sub.split("/")[0] + "/"
            if parent not in out_dirs:
                out_dirs.append(parent)
            if sub not in out_dirs:
                out_dirs.append(sub)
            out_files.extend(sub + n.format(obsid=obsid) for n in names)
    return out_dirs, out_files


@api_function("listObsFiles")
def list_obs_files(emu, body):
    obsid = body.get("obsid")
    source = str(body.get("source", "uk_reproc")).lower()
    if source not in _SOURCES:
        raise APIError(f"Unknown data source `{source}`.")
    dirs = body.get("dirs") or []
    if not isinstance(dirs, list) or any(d not in _ORDER for d in dirs):
        raise APIError(f"Invalid dirs `{dirs}`.")
    if not isinstance(obsid, str) or obsid not in known_obsids():
        return {"url": emu.file_url(f"obs/{source}/{obsid}"), "fileList": {}}
    out_dirs, out_files = obs_files(obsid, dirs)
    return {"url": emu.file_url(f"obs/{source}/{obsid}"),
            "fileList": {"dirs": out_dirs, "files": out_files}}


@api_function("getObsByTarg")
def get_obs_by_target(emu, body):
    target = body.get("targetID")
    try:
        key = str(int(str(target).strip()))
    except (TypeError, ValueError):
        raise APIError(f"Invalid targetID `{target}`.") from None
    return {"obsList": list(_data()["targets"].get(key, []))}


@file_route("obs/")
def obs_file(emu, rest):
    parts = rest.split("/", 2)
    if len(parts) != 3 or parts[0] not in _SOURCES or parts[1] not in known_obsids():
        return None
    _, obsid, rel = parts
    _, files = obs_files(obsid, _ORDER)
    if rel not in files:
        return None
    return placeholder_file(obsid, rel)


def placeholder_file(obsid, rel):
    """Synthetic content shaped like the real file: FITS for FITS names (gzipped for
    ``.gz``), gzipped text for other ``.gz`` files, an HTML page for ``.html``, text else."""
    import gzip
    import numpy as np
    from astropy.io import fits
    from ..files import _fits_bytes
    text = f"SYNTHETIC placeholder for {obsid}/{rel}\n"
    name = rel.lower()
    if name.endswith((".fits.gz", ".img.gz", ".evt.gz", ".hk.gz", ".mkf.gz", ".cat.gz",
                      ".att.gz")):
        hdu = fits.PrimaryHDU(np.zeros((2, 2), dtype=np.int16))
        hdu.header["OBJECT"] = "SYNTHETIC"
        hdu.header["OBS_ID"] = obsid
        return gzip.compress(_fits_bytes(fits.HDUList([hdu])), mtime=0)
    if name.endswith(".gz"):
        return gzip.compress(text.encode(), mtime=0)
    if name.endswith(".html"):
        return f"<html><body>{text}</body></html>".encode()
    return text.encode()
