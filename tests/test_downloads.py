"""File saving: atomic downloads over HTTP, clobber, error pages, dropped
connections, safe tar extraction and in-Python gunzip."""
import gzip
import io
import os
import tarfile

import pytest

from astroquery_sxps import conf
from astroquery_sxps._files import gunzip_file, safe_extract
from astroquery_sxps.exceptions import UnsafeArchiveError
from astroquery_sxps.exceptions import SXPSResponseError

PAYLOAD = bytes(range(256)) * 400  # 100 kB, big enough to be cut half-way


def leftovers(directory):
    return [p.name for p in directory.rglob("*") if ".part-" in p.name]


@pytest.mark.parametrize("show_progress", [True, False])
def test_download_creates_nested_dirs(sxps, sxps_server, tmp_path, show_progress):
    sxps_server.add_file("test/a.bin", PAYLOAD)
    target = tmp_path / "deep" / "er" / "a.bin"
    path = sxps._transport.download(sxps_server.file_url("test/a.bin"), target,
                                    show_progress=show_progress)
    assert path == target
    assert target.read_bytes() == PAYLOAD
    assert leftovers(tmp_path) == []


def test_existing_file_kept_without_clobber(sxps, sxps_server, tmp_path):
    sxps_server.add_file("test/b.bin", PAYLOAD)
    target = tmp_path / "b.bin"
    target.write_bytes(b"precious")
    sxps._transport.download(sxps_server.file_url("test/b.bin"), target)
    assert target.read_bytes() == b"precious"
    assert sxps_server.file_counts["test/b.bin"] == 0  # not even fetched
    sxps._transport.download(sxps_server.file_url("test/b.bin"), target, clobber=True)
    assert target.read_bytes() == PAYLOAD


@pytest.mark.parametrize("show_progress", [True, False])
def test_error_page_is_never_saved(sxps, sxps_server, tmp_path, show_progress):
    sxps_server.add_file("test/c.png", PAYLOAD)
    sxps_server.fail_file("test/c.png", status=404)
    target = tmp_path / "c.png"
    with pytest.raises(SXPSResponseError, match="HTTP 404"):
        sxps._transport.download(sxps_server.file_url("test/c.png"), target,
                                 show_progress=show_progress)
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_error_page_does_not_replace_existing_file_even_with_clobber(sxps, sxps_server,
                                                                     tmp_path):
    sxps_server.add_file("test/d.png", PAYLOAD)
    sxps_server.fail_file("test/d.png", status=404)
    target = tmp_path / "d.png"
    target.write_bytes(b"old but good")
    with pytest.raises(SXPSResponseError):
        sxps._transport.download(sxps_server.file_url("test/d.png"), target, clobber=True)
    assert target.read_bytes() == b"old but good"


def test_missing_file_404(sxps, sxps_server, tmp_path):
    with pytest.raises(SXPSResponseError, match="404"):
        sxps._transport.download(sxps_server.file_url("test/none.bin"), tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


def test_5xx_download_is_retried(sxps, sxps_server, tmp_path):
    sxps_server.add_file("test/e.bin", PAYLOAD)
    sxps_server.fail_file("test/e.bin", status=503, count=2)
    target = tmp_path / "e.bin"
    sxps._transport.download(sxps_server.file_url("test/e.bin"), target)
    assert target.read_bytes() == PAYLOAD
    assert sxps_server.file_counts["test/e.bin"] == 3


@pytest.mark.parametrize("show_progress", [True, False])
def test_interrupted_download_leaves_no_partial_file(sxps, sxps_server, tmp_path,
                                                     show_progress):
    sxps_server.add_file("test/f.bin", PAYLOAD)
    sxps_server.drop_file("test/f.bin", count=10)
    target = tmp_path / "f.bin"
    with conf.set_temp("retries", 1):
        with pytest.raises(SXPSResponseError):
            sxps._transport.download(sxps_server.file_url("test/f.bin"), target,
                                     show_progress=show_progress)
    assert not target.exists()
    assert leftovers(tmp_path) == []
    assert sxps_server.file_counts["test/f.bin"] == 2


def test_interrupted_download_then_retry_succeeds(sxps, sxps_server, tmp_path):
    sxps_server.add_file("test/g.bin", PAYLOAD)
    sxps_server.drop_file("test/g.bin", count=1)
    target = tmp_path / "g.bin"
    sxps._transport.download(sxps_server.file_url("test/g.bin"), target)
    assert target.read_bytes() == PAYLOAD


def test_interrupted_download_keeps_existing_file(sxps, sxps_server, tmp_path):
    sxps_server.add_file("test/h.bin", PAYLOAD)
    sxps_server.drop_file("test/h.bin", count=10)
    target = tmp_path / "h.bin"
    target.write_bytes(b"previous version")
    with conf.set_temp("retries", 0):
        with pytest.raises(SXPSResponseError):
            sxps._transport.download(sxps_server.file_url("test/h.bin"), target, clobber=True)
    assert target.read_bytes() == b"previous version"


# -- safe extraction -----------------------------------------------------------

def make_tar(path, members):
    """members: list of (TarInfo-modifier, name, data)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = data
                tar.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = data
                tar.addfile(info)
            elif kind == "device":
                info.type = tarfile.CHRTYPE
                tar.addfile(info)
    return path


def test_safe_extract_normal_archive(tmp_path):
    archive = make_tar(tmp_path / "ok.tar.gz", [("README.txt", b"hello", "file"),
                                                ("models", b"", "dir"),
                                                ("models/a.xcm", b"model", "file")])
    dest = tmp_path / "out"
    cwd = os.getcwd()
    paths = safe_extract(archive, dest)
    assert os.getcwd() == cwd
    assert [p.relative_to(dest.resolve()).as_posix() for p in paths] == ["README.txt",
                                                                         "models/a.xcm"]
    assert (dest / "models" / "a.xcm").read_bytes() == b"model"


@pytest.mark.parametrize("member", [
    ("../escape.txt", b"x", "file"),
    ("/tmp/absolute-escape.txt", b"x", "file"),
    ("inner/../../escape.txt", b"x", "file"),
    ("link", "/etc/passwd", "symlink"),
    ("hard", "/etc/passwd", "hardlink"),
    ("dev", b"", "device"),
])
def test_safe_extract_refuses_hostile_members(tmp_path, member):
    archive = make_tar(tmp_path / "bad.tar.gz", [("good.txt", b"fine", "file"), member])
    dest = tmp_path / "sandbox" / "out"
    with pytest.raises(UnsafeArchiveError, match="Refusing"):
        safe_extract(archive, dest)
    # nothing at all was extracted, inside or outside the destination
    assert not (dest / "good.txt").exists()
    assert not (tmp_path / "sandbox" / "escape.txt").exists()
    assert not (tmp_path / "escape.txt").exists()
    assert not os.path.exists("/tmp/absolute-escape.txt")


def test_safe_extract_bad_archive(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"<html>error page</html>")
    with pytest.raises(SXPSResponseError, match="not a valid tar"):
        safe_extract(bogus, tmp_path / "out")


def test_gunzip_in_python(tmp_path):
    source = tmp_path / "table.fits.gz"
    source.write_bytes(gzip.compress(PAYLOAD))
    target = gunzip_file(source)
    assert target == tmp_path / "table.fits"
    assert target.read_bytes() == PAYLOAD
    assert not source.exists()


def test_gunzip_corrupt_leaves_nothing(tmp_path):
    source = tmp_path / "broken.csv.gz"
    source.write_bytes(gzip.compress(PAYLOAD)[:100])
    with pytest.raises(SXPSResponseError, match="Could not decompress"):
        gunzip_file(source)
    assert not (tmp_path / "broken.csv").exists()
    assert leftovers(tmp_path) == []
    assert source.exists()
