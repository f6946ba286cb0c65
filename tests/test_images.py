"""get_images / get_image_list against the emulator: tutorial layouts, FITS, regions, failures."""
import warnings
from pathlib import Path

import astropy.units as u
import pytest
from astropy.coordinates import SkyCoord
from astropy.io import fits
from astropy.wcs import WCS

from astroquery_sxps import DatasetImages, SourceImages
from astroquery_sxps.exceptions import (IgnoredOptionWarning, InvalidQueryError, SourceSplitError,
                                        SupersededWarning, SXPSResponseError, SXPSServerError)

BANDS = ["Total", "Soft", "Medium", "Hard", "Expmap"]
SRC = "LSXPS J051152.3-621925"
SRC2 = "LSXPS J221755.4-082100"
OBS = "00282445000"

# The tutorial's saveDatasetImages(ObsID='00282445000', getRegions=True) listing, in order.
TUTORIAL_DATASET_FILES = [
    f"{OBS}_total.img.gz", f"{OBS}_total_final_BGmap.img.gz",
    f"{OBS}_total_final_BGmap_w_source.img.gz", "total.reg",
    f"{OBS}_band1.img.gz", f"{OBS}_band1_final_BGmap.img.gz",
    f"{OBS}_band1_final_BGmap_w_source.img.gz", "band1.reg",
    f"{OBS}_band2.img.gz", f"{OBS}_band2_final_BGmap.img.gz",
    f"{OBS}_band2_final_BGmap_w_source.img.gz", "band2.reg",
    f"{OBS}_band3.img.gz", f"{OBS}_band3_final_BGmap.img.gz",
    f"{OBS}_band3_final_BGmap_w_source.img.gz", "band3.reg",
    f"{OBS}_ex.img.gz"]


# -- source thumbnails ---------------------------------------------------------------
def test_source_images_tutorial_layout(sxps, sxps_server, out, file_tree):
    paths = sxps.get_images(source_name=SRC, catalog="LSXPS", download_dir=out / "image")
    assert isinstance(paths, SourceImages) and paths.identifier == SRC
    assert list(paths) == BANDS and paths.paths() == [paths[b] for b in BANDS]
    pixels = paths.open("Total")
    assert pixels.shape[:2] == (64, 64) and pixels.ndim in (2, 3)    # grey or RGB[A]
    with pytest.raises(KeyError, match="No 'Nope' image"):
        paths.open("Nope")
    assert file_tree(out / "image") == sorted(f"{SRC}/{b}.png" for b in BANDS)
    assert paths["Expmap"] == out / "image" / SRC / "Expmap.png"
    from PIL import Image
    with Image.open(paths["Total"]) as im:
        assert im.format == "PNG"
    (body,) = sxps_server.requests_for("getSXPSSourceImages")
    assert body == {"APIFunc": "getSXPSSourceImages", "APIVersion": "1.0.5", "whichCat": "LSXPS",
                    "bands": "all", "sourceName": SRC}


def test_source_images_flat_for_several(sxps, out, file_tree):
    result = sxps.get_images(source_name=(SRC, SRC2), download_dir=out / "image2", subdirs=False)
    assert list(result) == [SRC, SRC2]
    assert file_tree(out / "image2") == sorted(f"{s}_{b}.png" for s in (SRC, SRC2) for b in BANDS)
    assert result[SRC2]["Hard"] == out / "image2" / f"{SRC2}_Hard.png"


def test_transient_images_soft_and_expmap(sxps, sxps_server, out, file_tree):
    name = "Swift J073006.8-193709"
    paths = sxps.get_images(source_name=name, transient=True, bands=("soft", "EXPMAP"),
                            download_dir=out / "image2")
    assert list(paths) == ["Soft", "Expmap"]
    assert file_tree(out / "image2") == [f"{name}/Expmap.png", f"{name}/Soft.png"]
    body = sxps_server.requests_for("getSXPSSourceImages")[0]
    assert body["bands"] == ["soft", "expmap"] and body["transient"] is True


def test_notfound_is_skipped_never_fetched(sxps, sxps_server, out):
    """Quirk Q9: a NOTFOUND image is logged and skipped."""
    paths = sxps.get_images(209851, download_dir=out)
    assert list(paths) == ["Total", "Soft", "Medium", "Expmap"]
    assert not any("hard" in f for f in sxps_server.file_counts)
    assert sum(sxps_server.file_counts.values()) == 4


def test_source_images_default_to_cache_and_reuse(sxps, sxps_server):
    paths = sxps.get_images(source_id=106107, bands="total")
    assert Path(paths["Total"]).is_file()
    assert str(sxps.cache_location) in str(paths["Total"])
    again = sxps.get_images(source_id=106107, bands="total")
    assert again == paths
    assert sum(sxps_server.file_counts.values()) == 1
    assert sxps_server.counts["getSXPSSourceImages"] == 1


def test_split_source_images(sxps, out):
    with pytest.raises(SourceSplitError):
        sxps.get_images(37562, download_dir=out / "images")
    assert not (out / "images").exists()


def test_source_image_error_page_not_saved(sxps, sxps_server, out, file_tree):
    sxps_server.fail_file("sxps-images/LSXPS/sources/source106107/images/soft.png", status=404)
    with pytest.raises(SXPSResponseError, match="404"):
        sxps.get_images(106107, bands=["soft"], download_dir=out)
    assert file_tree(out) == []


def test_source_image_clobber(sxps, out):
    target = out / "106107" / "Total.png"
    target.parent.mkdir()
    # a complete PNG of my own (signature ... IEND chunk), not the server's
    mine = b"\x89PNG\r\n\x1a\n" + b"my own edited image" + b"\0\0\0\0IEND\xaeB`\x82"
    target.write_bytes(mine)
    sxps.get_images(106107, bands="total", download_dir=out)
    assert target.read_bytes() == mine                 # a valid file is kept without clobber
    sxps.get_images(106107, bands="total", download_dir=out, clobber=True)
    assert target.read_bytes() != mine and target.read_bytes()[:4] == b"\x89PNG"


def test_an_invalid_existing_image_is_replaced_even_without_clobber(sxps, out):
    target = out / "106107" / "Total.png"
    target.parent.mkdir()
    target.write_bytes(b"<html>502 Bad Gateway</html>")     # an error page saved earlier
    sxps.get_images(106107, bands="total", download_dir=out)
    assert target.read_bytes()[:4] == b"\x89PNG"


# -- dataset images ------------------------------------------------------------------
def test_dataset_images_tutorial(sxps, sxps_server, out, file_tree):
    result = sxps.get_images(obsid=OBS, catalog="LSXPS", download_dir=out / "Im",
                             get_regions=True)
    assert isinstance(result, DatasetImages) and result.identifier == OBS
    assert file_tree(out / "Im") == sorted(f"{OBS}/{f}" for f in TUTORIAL_DATASET_FILES)
    # the same kind of result as for sources: paths, opened on request
    saved = [p.name for p in result.paths()]
    assert saved == TUTORIAL_DATASET_FILES and result.files is result
    assert list(result) == BANDS
    assert list(result["Total"]) == ["Image", "BackgroundMap", "BackgroundMapWithSources",
                                     "Regions"]
    assert result["Total"]["Image"] == out / "Im" / OBS / f"{OBS}_total.img.gz"
    image = result.open("Total", "Image")
    assert isinstance(image, fits.HDUList) and image[0].header["NAXIS"] == 2
    assert result.open("Total")[0].header["NAXIS"] == 2              # type defaults to Image
    centre = WCS(image[0].header).pixel_to_world(49.5, 49.5)
    assert centre.separation(SkyCoord(32.21544, 56.93269, unit="deg")) < 1 * u.arcmin
    assert result.open("Expmap", "Image")[0].header["BUNIT"] == "s"
    regions = result.open("Soft", "Regions")
    from regions import CircleSkyRegion, Regions
    assert isinstance(regions, Regions) and isinstance(regions[0], CircleSkyRegion)
    assert regions[0].center.separation(SkyCoord(32.15124, 56.94571, unit="deg")) < 1 * u.arcsec
    body = sxps_server.requests_for("getSXPSDatasetImages")[0]
    assert body == {"APIFunc": "getSXPSDatasetImages", "APIVersion": "1.0.5", "whichCat": "LSXPS",
                    "bands": "all", "types": "all", "getRegions": True, "ObsID": OBS}


def test_dataset_images_two_obsids_types_bands(sxps, sxps_server, out, file_tree):
    obsids = ("00282445000", "00221755001")
    result = sxps.get_images(obsid=obsids, download_dir=out / "Im2", types=("image", "BGMAP"),
                             bands=("total", "soft"), get_regions=True)
    assert list(result) == list(obsids)
    expected = []
    for o in obsids:
        expected += [f"{o}/{o}_total.img.gz", f"{o}/{o}_total_final_BGmap.img.gz", f"{o}/total.reg",
                     f"{o}/{o}_band1.img.gz", f"{o}/{o}_band1_final_BGmap.img.gz", f"{o}/band1.reg"]
    assert file_tree(out / "Im2") == sorted(expected)
    assert list(result["00221755001"]) == ["Total", "Soft"]
    body = sxps_server.requests_for("getSXPSDatasetImages")[0]
    assert body["types"] == ["image", "backgroundmap"] and body["bands"] == ["total", "soft"]


def test_dataset_images_flat_layout_prefixes_regions(sxps, out, file_tree):
    obsids = ["00282445000", "00221755001"]
    sxps.get_images(obsid=obsids, bands="total", types="image", get_regions=True,
                    download_dir=out, subdirs=False)
    assert file_tree(out) == sorted([f"{o}_total.img.gz" for o in obsids]
                                    + [f"{o}_total.reg" for o in obsids])


def test_int_obsid_is_padded(sxps, sxps_server, out, file_tree):
    result = sxps.get_images(obsid=[282445000], bands=["total"], types=["image"], download_dir=out)
    assert list(result) == [OBS]
    assert sxps_server.requests_for("getSXPSDatasetImages")[0]["ObsID"] == OBS
    assert file_tree(out) == [f"{OBS}/{OBS}_total.img.gz"]


def test_dataset_open_unknown_file(sxps):
    result = sxps.get_images(obsid=OBS, bands="total", types="image")
    with pytest.raises(KeyError, match="No 'Soft' 'Image' file"):
        result.open("Soft")
    assert "DatasetImages '00282445000'" in repr(result)


def test_dataset_id(sxps, sxps_server):
    result = sxps.get_images(dataset_id=9725, bands="hard", types="bgmap_wsrc")
    assert list(result["Hard"]) == ["BackgroundMapWithSources"]
    assert result.files["Hard"]["BackgroundMapWithSources"].name == \
        f"{OBS}_band3_final_BGmap_w_source.img.gz"
    assert sxps_server.requests_for("getSXPSDatasetImages")[0]["DatasetID"] == 9725


def test_dataset_not_found_raises_server_text(sxps, out):
    with pytest.raises(SXPSServerError) as err:
        sxps.get_images(obsid="10000000668", download_dir=out / "Im3", get_regions=True)
    assert err.value.errortext == \
        "Dataset with obsid: `10000000668` is not found in the LSXPS catalogue."
    assert not (out / "Im3").exists()


def test_obsolete_stack_warns_and_gets_regions(sxps, sxps_server, out, file_tree):
    with pytest.warns(SupersededWarning, match="obsolete stack"):
        result = sxps.get_images(obsid="10000000189", download_dir=out / "Im3", get_regions=True)
    assert result.superseded_by == 10000025185
    assert file_tree(out / "Im3") == sorted(f"10000000189/{b}.reg"
                                            for b in ("total", "band1", "band2", "band3"))
    assert list(result) == ["Total", "Soft", "Medium", "Hard"]
    assert all(list(v) == ["Regions"] for v in result.values())
    assert not any("img.gz" in f for f in sxps_server.file_counts)


def test_dataset_images_cached_without_download_dir(sxps, sxps_server):
    first = sxps.get_images(obsid=OBS, bands="total", types="image")
    path = first.files["Total"]["Image"]
    assert str(sxps.cache_location) in str(path)
    second = sxps.get_images(obsid=OBS, bands="total", types="image")
    assert second.files == first.files
    assert sum(sxps_server.file_counts.values()) == 1
    sxps.get_images(obsid=OBS, bands="total", types="image", cache=False)
    assert sum(sxps_server.file_counts.values()) == 2


def test_dataset_download_interrupted(sxps, sxps_server, out, file_tree):
    rel = f"sxps-images/LSXPS/datasets/{OBS}/{OBS}_ex.img.gz"
    sxps_server.drop_file(rel, count=10)
    with pytest.raises(SXPSResponseError):
        sxps.get_images(obsid=OBS, bands="expmap", download_dir=out)
    assert file_tree(out) == []                      # no final file, no partial ".part" file
    assert sxps_server.file_counts[rel] >= 2     # it was retried


# -- listing and payloads -----------------------------------------------------------
def test_get_image_list_downloads_nothing(sxps, sxps_server):
    table = sxps.get_image_list(obsid=OBS, bands="total", get_regions=True)
    assert list(table["file_name"]) == TUTORIAL_DATASET_FILES[:4]
    assert list(table["type"]) == ["Image", "BackgroundMap", "BackgroundMapWithSources",
                                   "Regions"]
    assert all(u_.startswith("http://127.0.0.1") for u_ in table["url"])
    srcs = sxps.get_image_list(source_name=[SRC, SRC2], bands=["total", "expmap"])
    assert list(srcs["identifier"]) == [SRC, SRC, SRC2, SRC2]
    assert list(srcs["file_name"]) == ["Total.png", "Expmap.png"] * 2
    assert sum(sxps_server.file_counts.values()) == 0


def test_payloads_send_nothing(sxps, sxps_server):
    body = sxps.get_images(obsid=282445000, types=["Image", "bgmap_wsrc"], bands="TOTAL",
                           get_query_payload=True)
    assert body["ObsID"] == OBS and body["types"] == ["image", "backgroundmapwithsources"]
    assert body["bands"] == ["total"] and body["getRegions"] is False
    bodies = sxps.get_image_list(source_id=[1, 2], get_query_payload=True)
    assert [b["sourceID"] for b in bodies] == [1, 2]
    lookup = sxps.get_images(576, transient=True, trans_as_source=True, get_query_payload=True)
    assert lookup["APIFunc"] == "getSXPSTransAsSources"
    assert sum(sxps_server.counts.values()) == 0 and sum(sxps_server.file_counts.values()) == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "exactly one"),
    (dict(source_id=1, obsid=OBS), "exactly one"),
    (dict(obsid=OBS, bands="x-ray"), "bands"),
    (dict(obsid=OBS, types=["image", "smoothed"]), "types"),
    (dict(obsid=OBS, transient=True), "dataset images"),
    (dict(obsid="not-an-obsid"), "ObsID"),
    (dict(obsid=OBS, get_regions="yes"), "get_regions"),
    (dict(source_id=1, subdirs="no"), "subdirs"),
    (dict(source_id=576, transient=True, catalog="2SXPS"), "only in LSXPS"),
])
def test_bad_arguments(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_images(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_dataset_options_ignored_for_sources(sxps):
    with pytest.warns(IgnoredOptionWarning, match="dataset images only"):
        table = sxps.get_image_list(source_id=106107, get_regions=True, bands="soft")
    assert list(table["band"]) == ["Soft"]


def test_trans_as_source_images(sxps, sxps_server, out):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = sxps.get_images(576, transient=True, trans_as_source=True, bands="soft",
                                download_dir=out)
    assert paths == {"Soft": out / "366116" / "Soft.png"}
    assert "transient" not in sxps_server.requests_for("getSXPSSourceImages")[0]


# -- audit findings: bad download_dir / identifiers refused before any request ----------
@pytest.mark.parametrize("kwargs", [dict(obsid=OBS), dict(source_name=SRC), dict(dataset_id=9725)])
@pytest.mark.parametrize("download_dir", [5, b"images", ["images"]])
def test_bad_download_dir_refused_before_any_request(sxps, sxps_server, kwargs, download_dir):
    with pytest.raises(InvalidQueryError, match=r"download_dir=.*non-empty folder path \(a str or a pathlib.Path\)"):
        sxps.get_images(download_dir=download_dir, **kwargs)
    with pytest.raises(InvalidQueryError, match="download_dir"):
        sxps.get_images(download_dir=download_dir, get_query_payload=True, **kwargs)
    assert not sxps_server.counts and not sxps_server.file_counts


@pytest.mark.parametrize("kwargs, match", [
    (dict(obsid=-1), "obsid"), (dict(obsid="-1"), "obsid"), (dict(obsid="1.5e3"), "obsid"),
    (dict(obsid="inf"), "obsid"), (dict(obsid=[OBS, "1e3"]), "obsid"),
    (dict(dataset_id=0), "dataset_id"), (dict(dataset_id=-9725), "dataset_id"),
    (dict(source_id=-1), "source_id"), (dict(source_id=0, transient=True), "source_id"),
])
def test_bad_identifiers_refused_before_any_request(sxps, sxps_server, out, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_images(download_dir=out, **kwargs)
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_image_list(**kwargs)
    assert not sxps_server.counts and not sxps_server.file_counts
    assert not any(out.iterdir())


def test_image_list_docstring_example_is_plain_python(sxps):
    urls = sxps.get_image_list(obsid=OBS, bands="total")
    names = urls["file_name"].tolist()
    assert names == [f"{OBS}_total.img.gz", f"{OBS}_total_final_BGmap.img.gz",
                     f"{OBS}_total_final_BGmap_w_source.img.gz"]
    assert all(type(n) is str for n in names)
