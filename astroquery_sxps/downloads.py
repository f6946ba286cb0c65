"""Saving files the API points to: atomic downloads, safe archive extraction,
in-Python decompression.

Rules (issue 2, section 4):

* downloads go through `astroquery.query.BaseQuery._download_file` (streamed,
  astropy progress bar), into a temporary name in the destination directory,
  renamed onto the final name only once complete and checked, so an
  interrupted transfer never leaves a partial file under the final name;
* the HTTP status is checked: an error page is never saved as data;
* an existing file is never replaced unless ``clobber=True``;
* destination directories are created as needed;
* archives are extracted with `tarfile`, refusing members that would escape
  the destination (absolute paths, ``..``, links, devices), and gzip files are
  decompressed with `gzip` - no external program is ever run.
"""
import gzip
import os
import shutil
import tarfile
import time
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests
from astroquery import log

from . import conf
from .exceptions import RemoteServiceError, SXPSResponseError, TimeoutError

__all__ = ["download_file", "safe_extract", "gunzip_file", "UnsafeArchiveError",
           "url_basename", "is_url"]


def url_basename(url):
    """The file name a URL points to (percent-decoded), e.g. ``interval0.tar.gz``."""
    return unquote(os.path.basename(urlsplit(url).path))


def is_url(value):
    """True for an absolute URL; False for sentinels such as ``'NOTFOUND'``."""
    return isinstance(value, str) and "://" in value


class UnsafeArchiveError(RemoteServiceError):
    """An archive from the server holds members that could escape the target directory."""


def _temporary_name(path):
    return path.with_name(f".{path.name}.part-{uuid.uuid4().hex[:8]}")


def _stream_quietly(query, url, target, timeout):
    """Stream ``url`` to ``target`` in blocks without a progress bar.

    astroquery's ``_download_file(verbose=False)`` reads the whole body into
    memory, which a 500 MB catalogue table must not do; this streams through
    the same session with the same status check instead.
    """
    import astropy.utils.data
    with query._session.get(url, timeout=timeout, stream=True) as response:
        response.raise_for_status()
        with open(target, "wb") as f:
            for block in response.iter_content(astropy.utils.data.conf.download_block_size):
                f.write(block)


def download_file(query, url, path, *, clobber=False, timeout=None, show_progress=True):
    """Download ``url`` to ``path`` atomically.

    Parameters
    ----------
    query : `~astroquery.query.BaseQuery`
        The query object whose session and ``_download_file`` are used.
    url : str
    path : str or `~pathlib.Path`
        Final file name. Parent directories are created.
    clobber : bool
        Replace an existing file. Without it an existing file is kept, a
        message is logged and its path is returned unchanged.

    Returns
    -------
    path : `~pathlib.Path`
    """
    path = Path(path)
    if path.exists() and not clobber:
        log.warning(f"{path} exists and clobber=False: keeping the existing file.")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    retries = max(int(conf.retries), 0)
    attempt = 0
    while True:
        tmp = _temporary_name(path)
        try:
            if show_progress:   # streamed, with astropy's progress bar
                query._download_file(url, str(tmp), timeout=timeout or conf.timeout,
                                     continuation=False, cache=False, verbose=True)
            else:
                _stream_quietly(query, url, tmp, timeout or conf.timeout)
            os.replace(tmp, path)
            return path
        except requests.exceptions.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status is None or status < 500 or attempt >= retries:
                raise SXPSResponseError(f"HTTP {status} while downloading {url}; "
                                        f"nothing was written to {path}.",
                                        status=status) from exc
            error = exc
        except requests.exceptions.Timeout as exc:
            raise TimeoutError(f"Timed out downloading {url}; nothing was written to {path}.") from exc
        except (requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError) as exc:
            if attempt >= retries:
                raise SXPSResponseError(f"Download of {url} failed ({exc}); "
                                        f"nothing was written to {path}.") from exc
            error = exc
        finally:
            tmp.unlink(missing_ok=True)
        attempt += 1
        wait = float(conf.retry_backoff) * 2 ** (attempt - 1)
        log.info(f"Download of {url} failed ({error}); retrying in {wait:g} s")
        time.sleep(wait)


def _member_problem(member, dest):
    name = member.name
    if name.startswith(("/", "\\")) or os.path.isabs(name) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path"
    if ".." in Path(name).parts:
        return "contains '..'"
    if member.issym() or member.islnk():
        return f"is a link to {member.linkname!r}"
    if member.isdev() or member.isfifo() or not (member.isfile() or member.isdir()):
        return "is a device or special file"
    target = (dest / name).resolve()
    if dest != target and dest not in target.parents:
        return "would be written outside the destination"
    return None


def safe_extract(archive, dest):
    """Extract a (gzipped) tar archive into ``dest`` safely.

    Every member is checked before anything is written; an archive with any
    unsafe member is refused whole with `UnsafeArchiveError`. The process
    working directory is never changed.

    Returns
    -------
    paths : list of `~pathlib.Path`
        The extracted regular files, in archive order.
    """
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            bad = [(m.name, problem) for m in members
                   if (problem := _member_problem(m, dest))]
            if bad:
                detail = "; ".join(f"{n!r} {p}" for n, p in bad)
                raise UnsafeArchiveError(f"Refusing to extract {archive}: {detail}. "
                                         "Nothing was extracted.")
            kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(dest, members=members, **kwargs)
    except tarfile.TarError as exc:
        raise SXPSResponseError(f"{archive} is not a valid tar archive: {exc}") from exc
    return [dest / m.name for m in members if m.isfile()]


def gunzip_file(source, target=None, *, remove_source=True):
    """Decompress ``source`` (``x.gz``) to ``target`` (default: ``x``) atomically."""
    source = Path(source)
    target = Path(target) if target is not None else source.with_suffix("")
    tmp = _temporary_name(target)
    try:
        with gzip.open(source, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, length=1 << 20)
        os.replace(tmp, target)
    except (OSError, EOFError) as exc:
        raise SXPSResponseError(f"Could not decompress {source}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    if remove_source:
        source.unlink()
    return target
