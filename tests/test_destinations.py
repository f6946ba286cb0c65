"""Destinations: a bad download_dir is a clear InvalidQueryError before any request, for
every method that writes files."""
import os

import pytest

from astroquery_sxps import save_lightcurves
from astroquery_sxps.exceptions import InvalidQueryError


def writers(sxps):
    """Every public call that takes a destination, as a function of that destination."""
    return {
        "get_spectrum": lambda d: sxps.get_spectrum(106107, download_dir=d),
        "get_images (source)": lambda d: sxps.get_images(106107, download_dir=d),
        "get_images (dataset)": lambda d: sxps.get_images(obsid="00282445000", download_dir=d),
        "get_full_table": lambda d: sxps.get_full_table("datasets", download_dir=d),
        "download_obs_data": lambda d: sxps.download_obs_data("00031635001", download_dir=d),
        "download_obs_data_by_target": lambda d: sxps.download_obs_data_by_target(
            31635, download_dir=d),
    }


def bad_destinations(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    read_only = tmp_path / "read_only"
    read_only.mkdir()
    read_only.chmod(0o555)
    return {"empty": ("", "non-empty folder path"),
            "a file": (a_file, "is a file"),
            "under a file": (a_file / "sub", "lies under the file"),
            "read-only": (read_only / "sub", "cannot be written")}


@pytest.mark.parametrize("kind", ["empty", "a file", "under a file", "read-only"])
def test_bad_destination_refused_before_any_request(sxps, sxps_server, tmp_path, kind,
                                                    monkeypatch):
    destination, message = bad_destinations(tmp_path)[kind]
    if kind == "read-only" and os.geteuid() == 0:
        # root may write anywhere: let the permission check see what a user would
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(
            destination.parent) else real_access(path, mode))
    for name, call in writers(sxps).items():
        with pytest.raises(InvalidQueryError, match=f"download_dir=.*{message}"):
            call(destination)
    assert sum(sxps_server.counts.values()) == 0, "a request was sent"
    assert sum(sxps_server.file_counts.values()) == 0


@pytest.mark.parametrize("kind", ["empty", "a file", "under a file"])
def test_bad_destination_refused_by_save_lightcurves(sxps, tmp_path, kind):
    lcs = sxps.get_lightcurve(source_name="LSXPS J062131.8-622213", bands="total")
    destination, message = bad_destinations(tmp_path)[kind]
    if kind == "empty":
        message = "must be a directory name"
    with pytest.raises(InvalidQueryError, match=f"download_dir.*{message}"):
        save_lightcurves(lcs, destination)
    with pytest.raises(InvalidQueryError, match=f"download_dir.*{message}"):
        lcs.save(destination)
