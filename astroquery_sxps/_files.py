"""Local files: names that become paths, archive extraction, decompression.

The other half of the download layer (`astroquery_sxps._transport` fetches the
bytes). Everything here is local and pure:

* `safe_name` and `safe_path` turn a name from a reply or from the user into
  a path inside a destination folder, or refuse it with a typed error; this is
  the only place where such names become paths;
* `check_file` decides whether a downloaded file is what its name says (a PNG,
  a GIF, FITS, a gzip stream within the size limit, a complete tar archive, a
  complete CSV table, text that is not an HTML error page); the transport runs
  it on every download before the file gets its final name, and on files
  found in the cache or in a destination before they are reused;
* `safe_extract` extracts a (gzipped) tar archive, refusing any member that
  could escape the destination and archives past the size limits; no external
  program is run and the working directory is never changed;
* `gunzip_file` decompresses in Python, atomically, within the size limit;
* `check_destination` checks a user's ``download_dir`` before any request.

See the "Safety" notes in ``docs/sxps/api_protocol.rst`` (files and on-disk
layouts) for what the server sends.
"""
import csv
import gzip
import io
import os
import tarfile
import uuid
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ._conf import conf
from .exceptions import BadFileError, InvalidQueryError, SXPSResponseError, UnsafeArchiveError

__all__ = ["is_url", "url_basename", "safe_name", "safe_path", "check_inside",
           "check_destination", "temporary_name", "check_file", "safe_extract", "gunzip_file"]


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


def url_path_name(url):
    """The last component of a URL's path, percent-decoded, *not* checked.

    The path is decoded first and split afterwards (``\\`` counts as a
    separator), so an encoded separator (``..%2F..%2Fx.gif``) cannot smuggle a
    directory into the name. It may be empty, ``.`` or ``..``: use
    `url_basename` for a name that becomes a path.
    """
    return unquote(urlsplit(str(url)).path).replace("\\", "/").rsplit("/", 1)[-1]


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
    return safe_name(url_path_name(url), what=f"file name in {url!r}")


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


def check_destination(name, value):
    """Check a user's destination folder before any request; returns it as a `~pathlib.Path`.

    It must be a non-empty path naming a folder that exists and can be written,
    or that can be created (its nearest existing parent is a writable folder).

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Naming ``name`` and what is wrong.
    """
    if not isinstance(value, (str, os.PathLike)) or not str(os.fspath(value)).strip():
        raise InvalidQueryError(f"{name}={value!r} is not valid: give a non-empty folder path "
                                "(a str or a pathlib.Path).")
    path = Path(value).expanduser()
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        where = "is a file" if probe == path else f"lies under the file {probe}"
        raise InvalidQueryError(f"{name}={str(value)!r} {where}: give a folder.")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise InvalidQueryError(f"{name}={str(value)!r} cannot be written"
                                + (f" (its parent {probe} is read-only)." if probe != path
                                   else "."))
    return path


def temporary_name(path):
    """A hidden name beside ``path`` for a file being written (renamed onto ``path`` when done)."""
    path = Path(path)
    return path.with_name(f".{path.name}.part-{uuid.uuid4().hex[:8]}")


# -- what a file must be before it is kept ------------------------------------------------
_SIGNATURES = {"png": (b"\x89PNG\r\n\x1a\n",), "gif": (b"GIF87a", b"GIF89a"),
               "fits": (b"SIMPLE  =",)}
#: How complete PNG (the IEND chunk) and GIF (the trailer byte) files end.
_ENDINGS = {"png": b"IEND\xaeB`\x82", "gif": b";"}
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")


def file_kind(name):
    """What a file name says the file is: ``'png'``, ``'gif'``, ``'fits'``, ``'fits.gz'``,
    ``'tar'``, ``'gz'``, ``'csv'``, ``'html'`` or ``'data'`` (anything else)."""
    lower = str(name).lower()
    for suffix, kind in ((".tar.gz", "tar"), (".tgz", "tar"), (".tar", "tar"),
                         (".fits.gz", "fits.gz"), (".img.gz", "fits.gz"), (".fit.gz", "fits.gz"),
                         (".fits", "fits"), (".img", "fits"), (".fit", "fits"),
                         (".gz", "gz"), (".png", "png"), (".gif", "gif"), (".csv", "csv"),
                         (".html", "html"), (".htm", "html")):
        if lower.endswith(suffix):
            return kind
    return "data"


def _head(stream, size=512):
    return stream.read(size)


def _is_html(head):
    return head.lstrip().lower().startswith(_HTML_STARTS)


class _TooLarge(Exception):
    """A gzip stream decompresses to more than the limit."""


class _Corrupt(Exception):
    """A gzip stream cannot be read to its end (the gzip module's error is the cause)."""


def _gunzipped_blocks(path, limit):
    """The decompressed blocks of the gzip file at ``path``, to its end: `_TooLarge` before
    a block that would pass ``limit`` bytes in all, `_Corrupt` if the file cannot be read
    (truncated, not gzip). What the caller does with a block (writing it) fails on its own
    terms: only reading is mapped here."""
    total = 0
    try:
        with gzip.open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                total += len(block)
                if total > limit:
                    raise _TooLarge()
                yield block
    except (OSError, EOFError, zlib.error) as exc:
        raise _Corrupt(exc) from exc


def _gunzipped_head(path, limit, out=None):
    """The first bytes of a gzip file, after reading it all (integrity, size limit); every
    decompressed block is written to ``out`` if given (an error writing it is raised as it is)."""
    head = b""
    try:
        for block in _gunzipped_blocks(path, limit):
            if not head:
                head = block[:512]
            if out is not None:
                out.write(block)
    except _TooLarge:
        raise BadFileError(f"it decompresses to more than "
                           f"conf.max_decompressed_size={limit} bytes") from None
    except _Corrupt as exc:
        raise BadFileError(f"it is not a complete gzip file ({exc})") from None
    return head


def _check_tar(path):
    members = total = 0
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:           # reads the whole archive: a truncated one fails
                members += 1
                total += max(member.size, 0)
                if members > int(conf.max_archive_members):
                    raise BadFileError(f"it holds more than conf.max_archive_members="
                                       f"{conf.max_archive_members} members")
                if total > int(conf.max_extract_size):
                    raise BadFileError(f"it would extract to more than "
                                       f"conf.max_extract_size={conf.max_extract_size} bytes")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BadFileError(f"it is not a complete tar archive ({exc})") from None


def _check_csv(path):
    with open(path, "rb") as f:
        header = f.readline()
        if not header.strip():
            raise BadFileError("it has no header line")
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - 65536))
        tail = f.read()
    if not tail.endswith(b"\n"):
        raise BadFileError("its last line is incomplete (the file was cut short)")
    lines = tail.rstrip(b"\r\n").rsplit(b"\n", 1)
    last = lines[-1] if len(lines) > 1 or size <= 65536 else None
    if last is None or last == header.rstrip(b"\r\n"):
        return
    try:
        fields = [next(csv.reader(io.StringIO(line.decode("utf-8", "replace"))))
                  for line in (header, last)]
    except (csv.Error, StopIteration) as exc:
        raise BadFileError(f"its lines cannot be read as CSV ({exc})") from None
    if len(fields[0]) != len(fields[1]):
        raise BadFileError(f"its last line has {len(fields[1])} fields for "
                           f"{len(fields[0])} columns (the file was cut short)")


def check_file(path, name=None, *, gunzip_into=None):
    """Raise `~astroquery_sxps.exceptions.BadFileError` unless the file at ``path`` is what
    ``name`` (default: its own name) says it is.

    Every file: not empty, not an HTML page (unless it is named ``.html``).
    PNG, GIF and FITS files: their signature. ``.gz`` files: a complete gzip
    stream that decompresses within ``conf.max_decompressed_size`` (and, for
    ``.img.gz``/``.fits.gz``, to FITS). Archives: a complete tar within
    ``conf.max_archive_members`` and ``conf.max_extract_size``. CSV tables: a
    header and a complete last line with as many fields.

    With ``gunzip_into`` (a file open for binary writing), the decompressed bytes
    of a ``.gz`` or ``.fits.gz`` file are written to it as they are checked, so
    that checking and decompressing take one pass (for other kinds nothing is
    written). An error writing them is raised as it is (an `OSError`); a file
    that fails the check leaves a partial copy there, for the caller to remove.

    Examples
    --------
    >>> from astroquery_sxps._files import file_kind
    >>> file_kind('00282445000_total.img.gz'), file_kind('interval0.tar.gz')
    ('fits.gz', 'tar')
    """
    path = Path(path)
    kind = file_kind(name or path.name)
    with open(path, "rb") as f:
        head = _head(f)
    if not head:
        raise BadFileError("it is empty")
    if kind != "html" and _is_html(head):
        raise BadFileError("it is an HTML page, not the file (an error page served with "
                           "status 200?)")
    if kind == "fits.gz" or kind == "gz":
        head = _gunzipped_head(path, int(conf.max_decompressed_size), gunzip_into)
        if kind == "fits.gz":
            kind = "fits"
    if kind in _SIGNATURES and not head.startswith(_SIGNATURES[kind]):
        raise BadFileError(f"it does not start as a {kind.upper()} file does")
    if kind in ("png", "gif"):
        with open(path, "rb") as f:
            f.seek(-min(12, path.stat().st_size), os.SEEK_END)
            tail = f.read()
        if not tail.endswith(_ENDINGS[kind]):
            raise BadFileError(f"it does not end as a {kind.upper()} file does (cut short?)")
    if kind == "fits" and file_kind(name or path.name) == "fits" \
            and path.stat().st_size % 2880:
        raise BadFileError("its size is not a whole number of 2880-byte FITS blocks "
                           "(cut short?)")
    if kind == "tar":
        _check_tar(path)
    elif kind == "csv":
        _check_csv(path)


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
            if len(members) > int(conf.max_archive_members):
                raise UnsafeArchiveError(f"Refusing to extract {archive}: {len(members)} members, "
                                         f"more than conf.max_archive_members="
                                         f"{conf.max_archive_members}. Nothing was extracted.")
            total = sum(max(m.size, 0) for m in members if m.isfile())
            if total > int(conf.max_extract_size):
                raise UnsafeArchiveError(f"Refusing to extract {archive}: {total} bytes, more "
                                         f"than conf.max_extract_size={conf.max_extract_size}. "
                                         "Nothing was extracted.")
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
        raise BadFileError(f"{archive} is not a valid tar archive: {exc}") from exc
    return [dest / m.name for m in members if m.isfile()]


def gunzip_file(source, target=None, *, remove_source=True):
    """Decompress ``source`` (``x.gz``) to ``target`` (default: ``x``) atomically, within
    ``conf.max_decompressed_size`` (`~astroquery_sxps.exceptions.BadFileError` past it,
    and nothing is left behind)."""
    source = Path(source)
    target = Path(target) if target is not None else source.with_suffix("")
    tmp = temporary_name(target)
    limit = int(conf.max_decompressed_size)
    try:
        with open(tmp, "wb") as fout:
            for block in _gunzipped_blocks(source, limit):
                fout.write(block)
        os.replace(tmp, target)
    except _TooLarge:
        raise BadFileError(f"{source} decompresses to more than "
                           f"conf.max_decompressed_size={limit} bytes; "
                           "nothing was kept.") from None
    except _Corrupt as exc:
        raise BadFileError(f"Could not decompress {source}: {exc}") from exc.__cause__
    except OSError as exc:
        raise BadFileError(f"Could not decompress {source}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    if remove_source:
        source.unlink()
    return target
