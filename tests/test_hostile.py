"""A hostile server: replies and files that try to write outside their folder, broken or
oversized files, replies of the wrong shape, and a cache that holds bad things. Every
case ends in a typed error (or a clean retry), nothing outside its folder, no bad file
under a final name, and nothing bad cached."""
import copy
import gzip
import io
import os
import tarfile

import numpy as np
import pytest
from astropy.io import fits

from astroquery_sxps import conf
from astroquery_sxps.exceptions import (BadFileError, InvalidQueryError, RemoteServiceError,
                                        SXPSResponseError)

SOURCE = 106107                      # LSXPS J221755.4-082100, the tutorial's spectrum
OBS = "00282445000"


def served(emu, body):
    """The emulator's own reply to ``body`` (to be altered), without counting it."""
    reply = copy.deepcopy(emu.handle_api(body))
    emu.counts.clear()
    emu.requests.clear()
    return reply


def spectrum_reply(emu):
    return served(emu, {"APIFunc": "getSXPSSpectrumData", "whichCat": "LSXPS",
                        "sourceID": SOURCE})


def everything_under(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def arena(tmp_path):
    """A destination inside a folder we watch: nothing may appear beside it."""
    (tmp_path / "arena" / "dest").mkdir(parents=True)
    return tmp_path / "arena"


def test_no_leftovers_outside(arena):
    assert everything_under(arena) == ["dest"]


# -- names that become paths --------------------------------------------------------------
@pytest.mark.parametrize("name", ["..%2F..%2Fescaped.gif", "..%2fescaped.gif",
                                  "%2E%2E%2F%2E%2E%2Fescaped.gif", "sub%5C..%5C..%5Cescaped.gif"])
def test_encoded_traversal_in_a_plot_url_stays_inside(sxps, sxps_server, arena, name):
    """The name is decoded before it is split, so the plot is saved as ``escaped.gif``
    inside the destination, never two levels above it."""
    from urllib.parse import unquote
    from astroquery_sxps.testing.files import fit_plot_gif
    reply = spectrum_reply(sxps_server)
    sxps_server.add_file(unquote(f"sxps-spectra/{name}"), fit_plot_gif("hostile"))
    reply["interval0"]["PC"]["APEC"]["Image"] = sxps_server.file_url(f"sxps-spectra/{name}")
    sxps_server.reply_next(reply, api_func="getSXPSSpectrumData")
    table = sxps.get_spectrum(SOURCE, download_dir=arena / "dest")
    assert (arena / "dest" / "escaped.gif").read_bytes()[:3] == b"GIF"
    assert all(p.startswith("dest") for p in everything_under(arena))
    assert str(arena / "dest" / "escaped.gif") in table["plot_file"].tolist()


@pytest.mark.parametrize("name", ["..", ".", "%2e%2e"])
def test_a_url_naming_no_file_is_refused(sxps, sxps_server, arena, name):
    reply = spectrum_reply(sxps_server)
    reply["interval0"]["PC"]["APEC"]["Image"] = sxps_server.file_url(f"sxps-spectra/x/{name}")
    sxps_server.reply_next(reply, api_func="getSXPSSpectrumData")
    with pytest.raises(SXPSResponseError, match="relative directory"):
        sxps.get_spectrum(SOURCE, download_dir=arena / "dest")
    assert all(p.startswith("dest") for p in everything_under(arena))
    assert sorted(sxps.cache_location.glob("*.pickle")) == []      # the reply is not cached


def test_a_lookup_naming_a_path_is_refused(sxps, sxps_server, arena):
    sxps_server.reply_next({"OK": 1, "lookup": {"Swift J073006.8-193709": "../../x"}},
                           api_func="getSXPSTransAsSources")
    with pytest.raises(SXPSResponseError, match="getSXPSTransAsSources"):
        sxps.get_images(source_name="Swift J073006.8-193709", transient=True,
                        trans_as_source=True, download_dir=arena / "dest")
    assert everything_under(arena) == ["dest"]


@pytest.mark.parametrize("field, bad", [("dirs", ["../../d"]), ("dirs", ["/abs"]),
                                        ("files", ["../../../evil.txt"]),
                                        ("files", ["xrt/../../x.fits"])])
def test_listed_obs_folders_and_files_stay_inside(sxps, sxps_server, arena, field, bad):
    reply = served(sxps_server, {"APIFunc": "listObsFiles", "obsid": "00031635001",
                                 "source": "uk_reproc", "dirs": ["xrt"]})
    reply["fileList"][field] = bad + reply["fileList"][field]
    sxps_server.reply_next(reply, api_func="listObsFiles")
    with pytest.raises(SXPSResponseError, match="Refusing"):
        sxps.download_obs_data("00031635001", instruments="xrt", get_auxil=False,
                               download_dir=arena / "dest")
    assert all(p.startswith("dest") for p in everything_under(arena))
    assert not any(".." in p or "evil" in p or p.endswith("/d") for p in everything_under(arena))


def test_a_link_in_the_destination_does_not_lead_out(sxps, sxps_server, arena, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (arena / "dest" / "106107").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SXPSResponseError, match="outside"):
        sxps.get_images(SOURCE, bands="total", download_dir=arena / "dest")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "", "tab\tname"])
def test_user_names_that_cannot_be_folders_are_refused_before_any_request(sxps, sxps_server,
                                                                          arena, name):
    with pytest.raises(InvalidQueryError):
        sxps.get_images(source_name=[name, "LSXPS J221755.4-082100"],
                        download_dir=arena / "dest")
    with pytest.raises(InvalidQueryError):
        sxps.get_spectrum(source_name=[name, "LSXPS J221755.4-082100"],
                          download_dir=arena / "dest")
    assert sum(sxps_server.counts.values()) == 0
    assert everything_under(arena) == ["dest"]


# -- what a file must be before it gets its final name -------------------------------------
def test_a_truncated_archive_is_never_kept_and_a_rerun_succeeds(sxps, sxps_server, arena):
    reply = spectrum_reply(sxps_server)
    good = sxps_server.get_file(reply["interval0"]["DataFile"].split("/files/", 1)[1])
    sxps_server.add_file("sxps-spectra/bad/interval0.tar.gz", good[:len(good) // 2])
    reply["interval0"]["DataFile"] = sxps_server.file_url("sxps-spectra/bad/interval0.tar.gz")
    dest = arena / "dest"
    sxps_server.reply_next(reply, api_func="getSXPSSpectrumData")
    with pytest.raises(BadFileError, match="interval0.tar.gz") as info:
        sxps.get_spectrum(SOURCE, download_dir=dest, save_images=False)
    assert "sxps-spectra/bad/interval0.tar.gz" in info.value.url
    assert everything_under(arena) == ["dest"]               # no partial file, no temp file
    # the server recovers: the same call, clobber=False, succeeds
    sxps_server.add_file("sxps-spectra/bad/interval0.tar.gz", good)
    sxps_server.reply_next(reply, api_func="getSXPSSpectrumData")
    table = sxps.get_spectrum(SOURCE, download_dir=dest, save_images=False)
    assert (dest / "interval0pc.pi").exists() and len(table) == 2


def test_an_existing_truncated_archive_is_replaced(sxps, sxps_server, arena):
    dest = arena / "dest"
    (dest / "interval0.tar.gz").write_bytes(b"\x1f\x8b\x08 truncated")
    sxps.get_spectrum(SOURCE, download_dir=dest, save_images=False, remove_tar=False)
    with tarfile.open(dest / "interval0.tar.gz") as tar:
        assert "interval0pc.pi" in tar.getnames()


@pytest.mark.parametrize("content, reason", [
    (b"<!DOCTYPE html><html><body>Service busy</body></html>", "HTML page"),
    (b"", "empty"),
    (b"GIF89a not a png", "PNG"),
    (b"\x89PNG\r\n\x1a\n cut short", "does not end as a PNG"),
])
def test_a_thumbnail_that_is_not_a_png_is_refused(sxps, sxps_server, arena, content, reason):
    reply = served(sxps_server, {"APIFunc": "getSXPSSourceImages", "whichCat": "LSXPS",
                                 "bands": ["total"], "sourceID": SOURCE})
    where = f"bad/{reason.replace(' ', '_')}/Total.png"
    sxps_server.add_file(where, content)
    reply["Total"] = sxps_server.file_url(where)
    sxps_server.reply_next(reply, api_func="getSXPSSourceImages")
    with pytest.raises(BadFileError, match=reason):
        sxps.get_images(SOURCE, bands="total", download_dir=arena / "dest")
    assert everything_under(arena) == ["dest"]


def test_an_html_page_instead_of_a_table_is_an_error_and_never_cached(sxps, sxps_server):
    reply = served(sxps_server, {"APIFunc": "getSXPSTable", "whichCat": "LSXPS",
                                 "table": "datasets", "format": "csv"})
    sxps_server.add_file("tables/LSXPS_Datasets.csv",
                         b"<html><body>502 Bad Gateway</body></html>")
    reply["URL"] = sxps_server.file_url("tables/LSXPS_Datasets.csv")
    sxps_server.reply_next(reply, api_func="getSXPSTable")
    with pytest.raises(BadFileError, match="HTML"):
        sxps.get_full_table("datasets", show_progress=False)
    assert list((sxps.cache_location / "sxps-files").rglob("*.csv")) == [] \
        if (sxps.cache_location / "sxps-files").exists() else True
    sxps_server.reset()
    table = sxps.get_full_table("datasets", show_progress=False)   # the real file now
    assert len(table) > 0


def test_a_csv_table_cut_short_is_refused(sxps, sxps_server):
    reply = served(sxps_server, {"APIFunc": "getSXPSTable", "whichCat": "LSXPS",
                                 "table": "datasets", "format": "csv"})
    whole = sxps_server.get_file(reply["URL"].split("/files/", 1)[1])
    sxps_server.add_file("cut/LSXPS_Datasets.csv", whole[:len(whole) - 40])
    reply["URL"] = sxps_server.file_url("cut/LSXPS_Datasets.csv")
    sxps_server.reply_next(reply, api_func="getSXPSTable")
    with pytest.raises(BadFileError, match="cut short|incomplete"):
        sxps.get_full_table("datasets", show_progress=False)


# -- size limits ---------------------------------------------------------------------------
def gz_bomb(size):
    return gzip.compress(b"\0" * size, compresslevel=9)


def test_a_decompression_bomb_image_is_refused_without_using_the_memory(sxps, sxps_server,
                                                                        arena):
    reply = served(sxps_server, {"APIFunc": "getSXPSDatasetImages", "whichCat": "LSXPS",
                                 "bands": ["total"], "types": ["image"], "getRegions": False,
                                 "ObsID": OBS})
    header = fits.PrimaryHDU(np.zeros((2, 2), np.int16)).header.tostring().encode()
    sxps_server.add_file("bomb/x.img.gz", gzip.compress(header + b"\0" * (64 * 2 ** 20)))
    reply["Total"]["Image"] = sxps_server.file_url("bomb/x.img.gz")
    sxps_server.reply_next(reply, api_func="getSXPSDatasetImages")
    with conf.set_temp("max_decompressed_size", 2 ** 20):
        with pytest.raises(BadFileError, match="max_decompressed_size"):
            sxps.get_images(obsid=OBS, bands="total", types="image",
                            download_dir=arena / "dest")
    assert everything_under(arena) == ["dest"]


def test_an_archive_past_the_extraction_limits_is_refused_whole(sxps, sxps_server, arena):
    many = io.BytesIO()
    with tarfile.open(fileobj=many, mode="w:gz") as tar:
        for i in range(50):
            info = tarfile.TarInfo(f"m{i}.txt")
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    sxps_server.add_file("many/interval0.tar.gz", many.getvalue())
    reply = spectrum_reply(sxps_server)
    reply["interval0"]["DataFile"] = sxps_server.file_url("many/interval0.tar.gz")
    sxps_server.reply_next(reply, api_func="getSXPSSpectrumData")
    with conf.set_temp("max_archive_members", 10):
        with pytest.raises(BadFileError, match="max_archive_members"):
            sxps.get_spectrum(SOURCE, download_dir=arena / "dest", save_images=False)
    assert everything_under(arena) == ["dest"]


def test_a_large_epoch_past_the_decompression_limit_leaves_nothing(sxps, sxps_server):
    reply = served(sxps_server, {"APIFunc": "getSXPSTable", "whichCat": "LSXPS",
                                 "table": "sources", "format": "csv"})
    sxps_server.add_file("bomb/LSXPS_Sources_x.csv.gz", gz_bomb(8 * 2 ** 20))
    reply["URL"] = sxps_server.file_url("bomb/LSXPS_Sources_x.csv.gz")
    reply["FILE"] = "LSXPS_Sources_x.csv.gz"
    sxps_server.reply_next(reply, api_func="getSXPSTable")
    with conf.set_temp("max_decompressed_size", 2 ** 20):
        with pytest.raises(BadFileError, match="max_decompressed_size"):
            sxps.get_full_table("sources", show_progress=False)
    kept = [p for p in sxps.cache_location.rglob("*") if p.is_file()]
    assert kept == []


def test_a_download_past_the_size_limit_is_cut_off(sxps, sxps_server, arena):
    reply = served(sxps_server, {"APIFunc": "getSXPSSourceImages", "whichCat": "LSXPS",
                                 "bands": ["total"], "sourceID": SOURCE})
    sxps_server.add_file("big/Total.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 2 ** 20))
    reply["Total"] = sxps_server.file_url("big/Total.png")
    sxps_server.reply_next(reply, api_func="getSXPSSourceImages")
    with conf.set_temp("max_download_size", 2 ** 20):
        with pytest.raises(BadFileError, match="max_download_size"):
            sxps.get_images(SOURCE, bands="total", download_dir=arena / "dest")
    assert everything_under(arena) == ["dest"]


def test_a_reply_past_the_size_limit_is_not_read(sxps, sxps_server):
    with conf.set_temp("max_reply_size", 1000):
        with pytest.raises(SXPSResponseError, match="max_reply_size"):
            sxps.get_lightcurve(source_name="LSXPS J062131.8-622213")
    assert sorted(sxps.cache_location.glob("*.pickle")) == []


# -- replies that are valid JSON but the wrong shape ----------------------------------------
def wrong(reply_changes):
    return dict({"OK": 1}, **reply_changes)


SHAPES = [
    ("getSXPSLC", {"Datasets": "Total_rates", "Binning": "obslc", "TimeFormat": "MJD", "T0": 0},
     lambda s: s.get_lightcurve(source_name="LSXPS J062131.8-622213"), "Datasets"),
    ("getSXPSLC", {"Datasets": ["Total_rates"], "Total_ratesData": [[1, 2]], "T0": 0},
     lambda s: s.get_lightcurve(source_name="LSXPS J062131.8-622213"), "Total_ratesData"),
    ("getSXPSLC", {"Datasets": ["Total_rates"], "Total_ratesData": {"columns": "Time",
                                                                    "data": []}},
     lambda s: s.get_lightcurve(source_name="LSXPS J062131.8-622213"), "Total_ratesData.columns"),
    ("getSXPSSpectrumData", {"rnames": ["interval0"], "interval0": ["x"]},
     lambda s: s.get_spectrum(SOURCE), "interval0"),
    ("getSXPSSpectrumData", {"rnames": 5}, lambda s: s.get_spectrum(SOURCE), "rnames"),
    ("getSXPSSpectrumData", {"rnames": ["interval0"], "interval0": {"DataFile": 7}},
     lambda s: s.get_spectrum(SOURCE), "interval0.DataFile"),
    ("getSXPSUL", {"ULData": "none", "Columns": ["ObsID"]},
     lambda s: s.query_upper_limit("334.502058 -8.256481"), "ULData"),
    ("getSXPSUL", {"ULData": [], "ResolvedRA": [1]},
     lambda s: s.query_upper_limit("334.502058 -8.256481"), "ResolvedRA"),
    ("getSXPSTable", {"URL": 5, "FILE": "x.csv"}, lambda s: s.get_full_table("sources"), "URL"),
    ("getSXPSTable", {"URL": "ftp://x/y.csv", "FILE": "y.csv"},
     lambda s: s.get_full_table("sources"), "URL"),
    ("getSXPSTable", {"URL": "https://x/y.csv", "FILE": ["y.csv"]},
     lambda s: s.get_full_table("sources"), "FILE"),
    ("getSXPSSourceImages", {"Total": ["https://x/a.png"]},
     lambda s: s.get_images(SOURCE, bands="total"), "Total"),
    ("getSXPSDatasetImages", {"Total": {"Image": 5}},
     lambda s: s.get_images(obsid=OBS, bands="total"), "Total.Image"),
    ("getSXPSSourceInfo", {"data": ["not", "a", "record"]},
     lambda s: s.get_source_details(source_id=SOURCE), "data"),
    ("getSXPSSourceInfo", {"data": {"IAUName": "x", "Detections": {"Observations": "no"}}},
     lambda s: s.get_source_details(source_id=SOURCE), "Detections.Observations"),
    ("getSXPSDatasetInfo", {"data": {"ObsID": OBS, "Sources": {"a": 1}}},
     lambda s: s.get_dataset_details(obsid=OBS), "Sources"),
    ("getSXPSTransInfo", {"IAUName": "x", "AllNewObs": "00031635001"},
     lambda s: s.get_transient_details(source_id=576), "AllNewObs"),
    ("getSXPSTransAsSources", {"lookup": ["576"]},
     lambda s: s.get_transient_details(source_id=576, trans_as_source=True), "lookup"),
    ("listObsFiles", {"url": "https://x", "fileList": {"dirs": "xrt", "files": []}},
     lambda s, d=None: s.download_obs_data("00031635001", download_dir=d), "fileList.dirs"),
    ("listObsFiles", {"url": None, "fileList": {}},
     lambda s, d=None: s.download_obs_data("00031635001", download_dir=d), "url"),
    ("getObsByTarg", {"obsList": "00031635001"},
     lambda s, d=None: s.download_obs_data_by_target(31635, download_dir=d), "obsList"),
    ("queryDB", {"Results": "rows", "NumRows": 1},
     lambda s: s.query_catalog(max_rows=5), "Results"),
    ("getMetadata", {"metadata": [["ColName"]]}, lambda s: s.query_catalog(max_rows=5),
     "metadata"),
    ("getOldSXPSTables", {"hourly": 5, "daily": {}}, lambda s: s.list_old_tables(), "hourly"),
]


@pytest.mark.parametrize("api_func, reply, call, field", SHAPES,
                         ids=[f"{a}-{f}" for a, _, _, f in SHAPES])
def test_a_reply_of_the_wrong_shape_is_a_typed_error_never_cached(sxps, sxps_server, tmp_path,
                                                                  api_func, reply, call, field):
    def run():
        if call.__code__.co_argcount == 2:
            return call(sxps, tmp_path / "data")
        return call(sxps)
    sxps_server.reply_next(wrong(reply), api_func=api_func)
    with pytest.raises(SXPSResponseError) as info:
        run()
    assert info.value.api_func == api_func and info.value.field == field
    assert api_func in str(info.value) and field in str(info.value)
    # nothing of the bad reply stays: the same call now gets the server's good answer
    sxps_server.reset()
    try:
        run()
    except RemoteServiceError as exc:        # an answer of the real emulator, not the bad one
        assert not isinstance(exc, SXPSResponseError) or exc.field is None
    assert sxps_server.counts[api_func] >= 1


def test_no_reply_of_any_shape_escapes_as_a_bare_exception(sxps, sxps_server):
    """Odd but well-shaped values inside records: whatever the parsers meet, the error is
    the package's own."""
    odd = {"OK": 1, "Datasets": ["Total_rates"], "TimeFormat": "MJD", "T0": "soon",
           "Binning": "obslc", "Total_ratesData": {"columns": ["Time", "Rate"],
                                                   "data": [["yesterday", {"a": 1}]]}}
    sxps_server.reply_next(odd, api_func="getSXPSLC")
    try:
        sxps.get_lightcurve(source_name="LSXPS J062131.8-622213")
    except Exception as exc:
        assert isinstance(exc, RemoteServiceError), repr(exc)


# -- the cache --------------------------------------------------------------------------------
def test_a_cached_image_that_went_bad_is_fetched_again(sxps, sxps_server):
    paths = sxps.get_images(SOURCE, bands="total")
    cached = paths["Total"]
    cached.write_bytes(cached.read_bytes()[:100])          # cut short on disk
    again = sxps.get_images(SOURCE, bands="total")
    assert again["Total"].read_bytes()[:4] == b"\x89PNG" and len(again["Total"].read_bytes()) > 100
    assert sum(sxps_server.file_counts.values()) == 2


def test_a_cached_table_that_went_bad_is_fetched_again(sxps, sxps_server):
    sxps.get_full_table("datasets", show_progress=False)
    (cached,) = (sxps.cache_location / "sxps-files").rglob("*.csv")
    cached.write_bytes(b"<html>oops</html>")
    table = sxps.get_full_table("datasets", show_progress=False)
    assert len(table) > 0 and sum(sxps_server.file_counts.values()) == 2


def test_the_users_copy_is_not_linked_to_the_cache(sxps, sxps_server, tmp_path):
    path = sxps.get_full_table("datasets", download_dir=tmp_path / "mine", read=False,
                               show_progress=False)
    first = sxps.get_full_table("datasets", show_progress=False)
    with open(path, "a") as f:                              # the user edits their copy
        f.write("9,9,9\n")
    again = sxps.get_full_table("datasets", show_progress=False)
    assert len(again) == len(first)
    assert os.stat(path).st_ino != os.stat(next(
        (sxps.cache_location / "sxps-files").rglob(path.name))).st_ino


CACHE_CHILD = """
import sys
from astroquery_sxps import SXPSClass
q = SXPSClass(server=sys.argv[1])
q.cache_location = sys.argv[2]
for _ in range(5):
    assert len(q.get_lightcurve(source_name="LSXPS J062131.8-622213")["Total_rates"]) == 44
    q.get_source_details(source_name="LSXPS J062131.8-622213")
"""


def test_several_processes_sharing_one_cache_never_read_a_half_written_entry(sxps_server,
                                                                             tmp_path):
    import subprocess
    import sys
    sxps_server.latency = 0.01
    procs = [subprocess.Popen([sys.executable, "-c", CACHE_CHILD, sxps_server.api_url,
                               str(tmp_path / "shared-cache")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]


# -- smaller ones ----------------------------------------------------------------------------
def test_retrieve_wait_must_be_finite(sxps, sxps_server):
    for wait in (float("inf"), float("nan"), -1, "10"):
        with pytest.raises(InvalidQueryError, match="wait must be a finite number"):
            sxps.retrieve_upper_limit("job", wait=wait)
    assert sum(sxps_server.counts.values()) == 0


def test_tap_radius_that_is_not_an_angle(sxps):
    with pytest.raises(InvalidQueryError, match="radius='abc' is not an angle"):
        sxps.query_region_tap("52.8 43.9", radius="abc")


def test_a_corrupted_final_upper_limit_reply_names_the_job(sxps, sxps_server):
    from astroquery_sxps.testing.handlers.upper_limits import schedule_ul_timeout
    job = schedule_ul_timeout(sxps_server, polls_before_ready=0, job_id="job-42")
    sxps_server.malformed_next(1, api_func="getSXPSUL")
    sxps_server.faults.queue.clear()
    sxps_server.reply_next({"OK": 1, "TIMEOUT": job}, api_func="getSXPSUL")
    sxps_server.malformed_next(1, api_func="getSXPSUL")
    with pytest.raises(SXPSResponseError, match="job-42"):
        sxps.query_upper_limit("334.502058 -8.256481", cache=False)
