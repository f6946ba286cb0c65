"""The unmodified existing client (swifttools) replays the tutorial's spectrum and image
calls against the emulator and gets the tutorial's values and files - and the same
files as astroquery-sxps."""
import shutil

import pytest

pytest.importorskip("swifttools", reason="swifttools (the reference client) is not installed")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # swifttools uses distutils

from astroquery_sxps.testing.files import SPECTRUM_MEMBERS  # noqa: E402

from astroquery_sxps.exceptions import NoResultsWarning  # noqa: E402

NAME = "LSXPS J221755.4-082100"
PLOTS = ["interval0pc_pow_plot.gif", "interval0pc_apec_plot.gif"]
SRC, SRC2 = "LSXPS J051152.3-621925", "LSXPS J221755.4-082100"
BANDS = ["Total", "Soft", "Medium", "Hard", "Expmap"]
OBS = "00282445000"
# tutorial, "Dataset images"
TUTORIAL_DATASET_FILES = [
    f"{OBS}_{stem}{suffix}.img.gz" if suffix is not None else f"{stem}.reg"
    for stem in ("total", "band1", "band2", "band3")
    for suffix in ("", "_final_BGmap", "_final_BGmap_w_source", None)] + [f"{OBS}_ex.img.gz"]


@pytest.fixture
def uds(swifttools_uds):
    return swifttools_uds


needs_tar = pytest.mark.skipif(shutil.which("tar") is None, reason="swifttools extracts with tar")


def test_apec_fit_values(uds, sxps, tutorial_apec):
    spec = uds.getSpectra(sourceName=NAME, cat="LSXPS", saveData=False, saveImages=False,
                          returnData=True)
    apec = spec["interval0"]["PC"]["APEC"]
    assert {k: v for k, v in apec.items() if k != "Image"} == tutorial_apec
    assert apec["Image"].endswith("/LSXPS/sources/source106107/spectrum/interval0pc_apec_plot.gif")
    ours = sxps.get_spectrum(source_name=NAME)
    row = ours[ours["model"] == "APEC"][0]
    assert all(row[k] == v for k, v in tutorial_apec.items()) and row["Image"] == apec["Image"]


@needs_tar
def test_spectrum_files_single_and_several(uds, sxps, tmp_path, file_tree):
    theirs = tmp_path / "APIDemo_SXPS_spec"
    uds.getSpectra(sourceName=NAME, cat="LSXPS", destDir=str(theirs), extract=True, removeTar=True)
    assert file_tree(theirs) == sorted(list(SPECTRUM_MEMBERS) + PLOTS)
    ours = tmp_path / "ours"
    sxps.get_spectrum(source_name=NAME, download_dir=ours)
    assert file_tree(ours) == file_tree(theirs)
    for name in ("interval0pc.pi", "interval0pc.rmf", "README.txt"):
        assert (ours / name).read_bytes() == (theirs / name).read_bytes()
    names = (NAME, "LSXPS J033112.0+435414")
    theirs2 = tmp_path / "APIDemo_SXPS_spec2"
    uds.getSpectra(sourceName=names, cat="LSXPS", destDir=str(theirs2), extract=True,
                   removeTar=True)
    ours2 = tmp_path / "ours2"
    sxps.get_spectrum(source_name=names, download_dir=ours2)
    assert file_tree(ours2) == file_tree(theirs2)
    assert len(file_tree(theirs2)) == 2 * (len(SPECTRUM_MEMBERS) + 2)


def test_transient_spectra_both(uds, sxps, tmp_path, file_tree):
    theirs = tmp_path / "APIDemo_transSpec2"
    spec = uds.getSpectra(sourceID=(30, 576), destDir=str(theirs), transient=True,
                          specType="both", returnData=True)
    assert list(spec) == [30, 576]
    assert list(spec[30]["Full"]) == ["NoSpectrum"]
    assert list(spec[30]["Discovery"]) == ["T0", "DeltaFitStat", "GalNH_unfitted", "rnames",
                                           "interval0"]
    ours = tmp_path / "ours"
    with pytest.warns(NoResultsWarning, match="no spectrum"):
        result = sxps.get_spectrum((30, 576), transient=True, spec_type="both",
                                   download_dir=ours, extract=False)
    assert file_tree(ours) == file_tree(theirs) == sorted([
        "30/Discovery/interval0.tar.gz", "30/Discovery/interval0pc_plot.gif",
        "576/Discovery/interval0.tar.gz", "576/Discovery/interval0pc_plot.gif",
        "576/Full/interval0.tar.gz", "576/Full/interval0pc_plot.gif"])
    assert result[576]["Full"]["Gamma"][0] == \
        spec[576]["Full"]["interval0"]["PC"]["PowerLaw"]["Gamma"]


def test_source_images(uds, sxps, tmp_path, file_tree):
    uds.saveSourceImages(sourceName=SRC, cat="LSXPS", destDir=str(tmp_path / "image"))
    sxps.get_images(source_name=SRC, download_dir=tmp_path / "ours")
    assert file_tree(tmp_path / "image") == file_tree(tmp_path / "ours") == \
        sorted(f"{SRC}/{b}.png" for b in BANDS)
    uds.saveSourceImages(sourceName=(SRC, SRC2), cat="LSXPS", destDir=str(tmp_path / "image2"),
                         subDirs=False)
    sxps.get_images(source_name=(SRC, SRC2), download_dir=tmp_path / "ours2", subdirs=False)
    assert file_tree(tmp_path / "image2") == file_tree(tmp_path / "ours2")
    assert (tmp_path / "image2" / f"{SRC}_Total.png").read_bytes() == \
        (tmp_path / "ours2" / f"{SRC}_Total.png").read_bytes()
    name = "Swift J073006.8-193709"
    uds.saveSourceImages(sourceName=name, transient=True, bands=("soft", "expmap"),
                         destDir=str(tmp_path / "image3"))
    assert file_tree(tmp_path / "image3") == [f"{name}/Expmap.png", f"{name}/Soft.png"]


def test_dataset_images(uds, sxps, tmp_path, capsys, file_tree):
    uds.saveDatasetImages(ObsID=OBS, cat="LSXPS", destDir=str(tmp_path / "Im"), getRegions=True)
    assert file_tree(tmp_path / "Im") == sorted(f"{OBS}/{f}" for f in TUTORIAL_DATASET_FILES)
    sxps.get_images(obsid=OBS, download_dir=tmp_path / "ours", get_regions=True)
    assert file_tree(tmp_path / "ours") == file_tree(tmp_path / "Im")
    uds.saveDatasetImages(ObsID=("00282445000", "00221755001"), cat="LSXPS",
                          destDir=str(tmp_path / "Im2"), types=("image", "backgroundmap"),
                          bands=("total", "soft"), getRegions=True)
    sxps.get_images(obsid=("00282445000", "00221755001"), download_dir=tmp_path / "ours2",
                    types=("image", "backgroundmap"), bands=("total", "soft"), get_regions=True)
    assert file_tree(tmp_path / "ours2") == file_tree(tmp_path / "Im2")
    assert len(file_tree(tmp_path / "Im2")) == 12
    with pytest.raises(RuntimeError, match="Dataset with obsid: `10000000668` is not found "
                                           "in the LSXPS catalogue."):
        uds.saveDatasetImages(ObsID="10000000668", cat="LSXPS", destDir=str(tmp_path / "Im3"),
                              getRegions=True)
    # silent=False: with the default silent=True swifttools fetches "NOTFOUND" (quirk Q9)
    uds.saveDatasetImages(ObsID="10000000189", cat="LSXPS", destDir=str(tmp_path / "Im3"),
                          getRegions=True, silent=False)
    printed = capsys.readouterr().out
    assert "WARNING: This dataset is an obsolete stack" in printed
    assert "No Image image exists for the Total band for `10000000189`." in printed
    assert file_tree(tmp_path / "Im3") == sorted(f"10000000189/{b}.reg"
                                                 for b in ("total", "band1", "band2", "band3"))
