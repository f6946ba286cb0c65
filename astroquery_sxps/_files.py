"""Local files: names that become paths, archive extraction, decompression.

The other half of the download layer (`astroquery_sxps._transport` fetches the
bytes). Everything here is local and pure:

* `safe_name` and `safe_path` turn a name from a reply or from the user into
  a path inside a destination folder, or refuse it with a typed error; this is
  the only place where such names become paths;
* `safe_extract` extracts a (gzipped) tar archive, refusing any member that
  could escape the destination; no external program is run and the working
  directory is never changed;
* `gunzip_file` decompresses in Python, atomically.

See the "Safety" notes in ``docs/sxps/api_protocol.rst`` (files and on-disk
layouts) for what the server sends.
"""
import gzip
import os
import shutil
import tarfile
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .exceptions import InvalidQueryError, SXPSResponseError, UnsafeArchiveError

__all__ = ["is_url", "url_basename", "safe_name", "safe_path", "temporary_name",
           "safe_extract", "gunzip_file"]


def is_url(value):
    """True for an absolute http(s) URL; False for sentinels such as ``'NOTFOUND'``."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _bad_name_reason(name):
    if not name or not name.strip():
        return "is empty"
    if name in (".", "..") or name.strip() in (".", ".."):
        return "is a relative directory reference"
    if any(sep in name for sep in ("/", "\\")):
        return "contains a path separator"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "contains control characters"
    if len(name.encode("utf-8", "surrogatepass")) > 255:
        return "is longer than 255 bytes"
    return None


def safe_name(name, *, what="file name", user=False):
    """Check that ``name`` is a single, harmless path component and return it.

    Parameters
    ----------
    name : object
        A file or folder name (converted with ``str``): a URL basename, a key
        of a reply, an identifier used as a folder name.
    what : str
        What the name is, for the error message.
    user : bool
        The name comes from the user (`~astroquery.exceptions.InvalidQueryError`)
        rather than from the server
        (`~astroquery_sxps.exceptions.SXPSResponseError`).

    Raises
    ------
    InvalidQueryError or SXPSResponseError
        The name is empty, ``.``/``..``, holds a separator or a control character.

    Examples
    --------
    >>> from astroquery_sxps._files import safe_name
    >>> safe_name('LSXPS J051152.3-621925', what='source name', user=True)
    'LSXPS J051152.3-621925'
    """
    text = str(name)
    reason = _bad_name_reason(text)
    if reason is not None:
        error = InvalidQueryError if user else SXPSResponseError
        raise error(f"Refusing the {what} {text!r} as a file or folder name: it {reason}.")
    return text


def url_basename(url):
    """The file name a URL points to, percent-decoded, checked with `safe_name`.

    The path is decoded first and split afterwards, so an encoded separator
    (``..%2F..%2Fx.gif``) cannot smuggle a directory into the name.

    Examples
    --------
    >>> from astroquery_sxps._files import url_basename
    >>> url_basename('https://www.swift.ac.uk/LSXPS/x/interval0.tar.gz')
    'interval0.tar.gz'
    """
    path = unquote(urlsplit(str(url)).path).replace("\\", "/")
    return safe_name(path.rsplit("/", 1)[-1], what=f"file name in {url!r}")


def safe_path(root, *parts, user=False, what="file name"):
    """``root / part / ...`` after checking every part, and that the result stays in ``root``.

    Each part may be a relative path with ``/`` separators (a file of an
    observation, ``xrt/event/x.evt.gz``); every component goes through
    `safe_name`. The final path is resolved (links followed) and must lie
    inside the resolved ``root``.

    Returns
    -------
    `~pathlib.Path`
        The path, built on ``root`` as given (not resolved).
    """
    root = Path(root)
    components = []
    for part in parts:
        text = str(part).replace("\\", "/")
        if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
            error = InvalidQueryError if user else SXPSResponseError
            raise error(f"Refusing the absolute {what} {str(part)!r}.")
        components.extend(safe_name(piece, what=what, user=user)
                          for piece in text.split("/") if piece not in ("",))
    path = root.joinpath(*components)
    check_inside(root, path, user=user)
    return path


def check_inside(root, path, *, user=False):
    """Raise unless ``path`` (resolved, links followed) lies inside ``root`` (resolved)."""
    base = Path(root).resolve()
    target = Path(path).resolve()
    if target != base and base not in target.parents:
        error = InvalidQueryError if user else SXPSResponseError
        raise error(f"Refusing to write {path}: it resolves to {target}, outside {base}.")
    return path


def temporary_name(path):
    """A hidden name beside ``path`` for a file being written (renamed onto ``path`` when done)."""
    path = Path(path)
    return path.with_name(f".{path.name}.part-{uuid.uuid4().hex[:8]}")


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
    unsafe member is refused whole with
    `~astroquery_sxps.exceptions.UnsafeArchiveError`. The process working
    directory is never changed.

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
            # the 'data' filter (Python >= 3.11.4) is a second line of defence
            kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(dest, members=members, **kwargs)
    except tarfile.TarError as exc:
        raise SXPSResponseError(f"{archive} is not a valid tar archive: {exc}") from exc
    return [dest / m.name for m in members if m.isfile()]


def gunzip_file(source, target=None, *, remove_source=True):
    """Decompress ``source`` (``x.gz``) to ``target`` (default: ``x``) atomically."""
    source = Path(source)
    target = Path(target) if target is not None else source.with_suffix("")
    tmp = temporary_name(target)
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
