"""Progress output: one switch (conf.show_progress) for every download, the final file's
name in a file's bar, one bar (not a line per file) for the files of one object."""
from astroquery_sxps import conf

OBS = "00282445000"


def printed(capfd):
    out, err = capfd.readouterr()
    return [line for line in (out + err).splitlines() if line.strip()]


def test_dataset_images_print_one_line_not_one_per_file(sxps, capfd):
    capfd.readouterr()
    result = sxps.get_images(obsid=OBS, get_regions=True)
    files = sum(len(types) for types in result.files.values())
    assert files == 17
    lines = printed(capfd)
    assert len(lines) <= 1 and all(".part-" not in line for line in lines)


def test_the_switch_silences_every_download(sxps, capfd, tmp_path):
    capfd.readouterr()
    with conf.set_temp("show_progress", False):
        sxps.get_images(obsid=OBS, get_regions=True)
        sxps.get_spectrum(106107, download_dir=tmp_path / "spec")
        sxps.get_full_table("datasets")
        sxps.download_obs_data("00031635001", instruments="xrt", download_dir=tmp_path / "o")
    assert printed(capfd) == []


def test_a_single_download_names_the_final_file(sxps, capfd, tmp_path):
    capfd.readouterr()
    sxps.get_full_table("datasets", download_dir=tmp_path / "t")
    lines = printed(capfd)
    assert lines and all(".part-" not in line for line in lines)
    assert any("LSXPS_Datasets.csv" in line for line in lines)


def test_the_argument_overrides_the_switch(sxps, capfd):
    capfd.readouterr()
    sxps.get_full_table("datasets", show_progress=False)
    assert printed(capfd) == []
