"""Obs-data downloads (listObsFiles, getObsByTarg) against the emulator."""
import gzip
import os

import pytest
from astropy.io import fits

from astroquery_sxps.exceptions import InvalidQueryError, RemoteServiceError
from astroquery_sxps.exceptions import ObsNotFoundError

OBS = ["00031635001", "00031635002", "00031635003", "00031635004"]


def _files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, names in os.walk(root) for f in names)


def test_tutorial_example(sxps, sxps_server, tmp_path):
    out = sxps.download_obs_data(OBS, instruments=("xrt",), download_dir=tmp_path / "data")
    assert list(out) == OBS
    for obsid in OBS:
        root = tmp_path / "data" / obsid
        assert sorted(p.name for p in root.iterdir()) == ["auxil", "xrt"]
        assert sorted(p.name for p in (root / "xrt").iterdir()) == ["event", "hk"]
        assert len(out[obsid]) == 30 and len(_files(root)) == 30
        assert all(p.is_file() and str(p).startswith(str(root)) for p in out[obsid])
        evt = root / "xrt" / "event" / f"sw{obsid}xpcw3po_cl.evt.gz"
        with fits.open(evt) as hdul:          # the emulator's stand-in event file, gzipped FITS
            assert hdul[0].header["OBS_ID"] == obsid
    bodies = sxps_server.requests_for("listObsFiles")
    assert sorted(b["obsid"] for b in bodies) == OBS
    assert all(b["dirs"] == ["xrt", "auxil"] and b["source"] == "uk_reproc" for b in bodies)
    assert sum(sxps_server.file_counts.values()) == 120


def test_dirs_do_not_grow_between_calls(sxps, sxps_server, tmp_path):
    # Q18: the directory list is rebuilt for every call
    for _ in range(2):
        sxps.download_obs_data(31635001, match="*sat.fits.gz", download_dir=tmp_path, clobber=True,
                               cache=False)
    bodies = sxps_server.requests_for("listObsFiles")
    assert [b["dirs"] for b in bodies] == [["bat", "xrt", "uvot", "auxil"]] * 2
    assert bodies[0]["obsid"] == "00031635001"
    body = sxps.download_obs_data("00031635001", instruments=None, get_auxil=False, get_tdrss=True,
                                  get_log=True, source="US", get_query_payload=True)
    assert body["dirs"] == ["tdrss", "log"] and body["source"] == "us"


def test_match_and_re_match(sxps, tmp_path):
    paths = sxps.download_obs_data("00031635001", instruments="xrt", get_auxil=False,
                                   match=["*_cl.evt.gz"], download_dir=tmp_path)
    assert sorted(p.name for p in paths) == ["sw00031635001xpcw3po_cl.evt.gz",
                                             "sw00031635001xwtw2po_cl.evt.gz"]
    paths = sxps.download_obs_data("00031635001", instruments="xrt", get_auxil=False,
                                   re_match=r"x(hd|tr)\.hk", download_dir=tmp_path / "re")
    assert sorted(p.name for p in paths) == ["sw00031635001xhd.hk.gz", "sw00031635001xtr.hk.gz"]


def test_clobber(sxps, tmp_path):
    target = tmp_path / "00031635001" / "auxil" / "sw00031635001sat.fits.gz"
    target.parent.mkdir(parents=True)
    mine = gzip.compress(fits_bytes("mine"), mtime=0)           # a valid file of my own
    target.write_bytes(mine)
    sxps.download_obs_data("00031635001", instruments=None, match="*sat*", download_dir=tmp_path)
    assert target.read_bytes() == mine
    sxps.download_obs_data("00031635001", instruments=None, match="*sat*", download_dir=tmp_path,
                           clobber=True)
    with fits.open(target) as hdul:
        assert hdul[0].header["OBJECT"] == "SYNTHETIC"
    # a broken file there (an interrupted copy, an error page) is replaced even so
    target.write_bytes(b"mine")
    sxps.download_obs_data("00031635001", instruments=None, match="*sat*", download_dir=tmp_path)
    with fits.open(target) as hdul:
        assert hdul[0].header["OBJECT"] == "SYNTHETIC"


def fits_bytes(label):
    import io
    import numpy as np
    hdu = fits.PrimaryHDU(np.ones((2, 2), dtype=np.int16))
    hdu.header["OBJECT"] = label
    buffer = io.BytesIO()
    hdu.writeto(buffer)
    return buffer.getvalue()


def test_failed_file_leaves_nothing(sxps, sxps_server, tmp_path):
    tmp_path = tmp_path / "dl"
    rel = "obs/uk_reproc/00031635001/auxil/sw00031635001sat.fits.gz"
    sxps_server.fail_file(rel, status=404)
    with pytest.raises(RemoteServiceError, match="404"):
        sxps.download_obs_data("00031635001", instruments=None, match="*sat*", download_dir=tmp_path)
    assert _files(tmp_path) == []
    sxps_server.fail_file(rel, status=404)
    paths = sxps.download_obs_data("00031635001", instruments=None, match="*s*.fits.gz",
                                   download_dir=tmp_path, skip_errors=True)
    names = [p.name for p in paths]
    assert "sw00031635001sat.fits.gz" not in names and "sw00031635001sao.fits.gz" in names


def test_unknown_observation(sxps, tmp_path):
    with pytest.raises(ObsNotFoundError, match="00099999001"):
        sxps.download_obs_data("00099999001", download_dir=tmp_path)
    out = sxps.download_obs_data(["00099999001", "00031635004"], instruments=None,
                                 download_dir=tmp_path, skip_errors=True)
    assert list(out) == ["00031635004"] and len(out["00031635004"]) == 10


def test_by_target(sxps, sxps_server, tmp_path):
    out = sxps.download_obs_data_by_target(31635, instruments=["XRT"], match="*xhd.hk.gz",
                                           download_dir=tmp_path)
    assert list(out) == OBS
    assert [len(v) for v in out.values()] == [1, 1, 1, 1]
    assert sxps_server.requests_for("getObsByTarg")[0]["targetID"] == 31635
    many = sxps.download_obs_data_by_target(["31635", 282445], instruments=None,
                                            match="*sat.fits.gz", download_dir=tmp_path / "m")
    assert list(many) == ["31635", 282445]
    assert list(many[282445]) == ["00282445000", "00282445001", "00282445002", "00282445003"]
    with pytest.raises(ObsNotFoundError):
        sxps.download_obs_data_by_target(99999, download_dir=tmp_path)
    assert sxps.download_obs_data_by_target(
        12, get_query_payload=True) == {"targetID": 12, "APIFunc": "getObsByTarg",
                                        "APIVersion": "1.0.5"}


def test_by_target_checks_the_options_once(sxps, sxps_server, tmp_path, monkeypatch):
    from astroquery_sxps.products import obsdata
    calls = []
    real = obsdata.check_destination
    monkeypatch.setattr(obsdata, "check_destination",
                        lambda name, value: calls.append(value) or real(name, value))
    many = sxps.download_obs_data_by_target(["31635", 282445], instruments=None,
                                            match="*sat.fits.gz", download_dir=tmp_path)
    assert list(many) == ["31635", 282445]
    assert list(many[282445]) == ["00282445000", "00282445001", "00282445002", "00282445003"]
    assert calls == [tmp_path]


@pytest.mark.parametrize("kwargs, match", [
    (dict(obsid="abc"), "obsid"),
    (dict(obsid=[]), "empty"),
    (dict(obsid=3.5), "obsid"),
    (dict(obsid="00031635001", instruments="foo"), "instruments"),
    (dict(obsid="00031635001", instruments=5), "instruments"),
    (dict(obsid="00031635001", source="nasa"), "source"),
    (dict(obsid="00031635001", match="*", re_match=".*"), "not both"),
    (dict(obsid="00031635001", re_match="("), "re_match"),
    (dict(obsid="00031635001", get_auxil="yes"), "get_auxil"),
    (dict(obsid="00031635001", instruments=None, get_auxil=False), "Nothing"),
    (dict(obsid="00031635001", clobber=1), "clobber"),
])
def test_bad_arguments_send_nothing(sxps, sxps_server, tmp_path, kwargs, match):
    tmp_path = tmp_path / "dl"
    with pytest.raises(InvalidQueryError, match=match):
        sxps.download_obs_data(download_dir=tmp_path, **kwargs)
    with pytest.raises(InvalidQueryError):
        sxps.download_obs_data_by_target("x1", download_dir=tmp_path)
    assert sum(sxps_server.counts.values()) == 0
    assert not tmp_path.exists()


# -- audit findings: every bad input refused before any request ------------------------
@pytest.mark.parametrize("obsid", [-1, "-1", "1.5e3", "1e3", "inf", 1e3, 10 ** 11,
                                   "000000000001", "::ObsID=00031635001"])
def test_bad_obsids_send_nothing(sxps, sxps_server, tmp_path, obsid):
    with pytest.raises(InvalidQueryError, match=r"obsid=.*1-11 digits"):
        sxps.download_obs_data(obsid, download_dir=tmp_path / "dl")
    with pytest.raises(InvalidQueryError, match="obsid"):
        sxps.download_obs_data(["00031635001", obsid], download_dir=tmp_path / "dl")
    assert not sxps_server.counts and not sxps_server.file_counts
    assert not (tmp_path / "dl").exists()


@pytest.mark.parametrize("download_dir", [None, 5, b"data", ["data"]])
def test_bad_download_dir_sends_nothing(sxps, sxps_server, download_dir):
    with pytest.raises(InvalidQueryError, match=r"download_dir=.*non-empty folder path \(a str or a pathlib.Path\)"):
        sxps.download_obs_data("00282445000", download_dir=download_dir)
    with pytest.raises(InvalidQueryError, match="download_dir"):
        sxps.download_obs_data_by_target(282445, download_dir=download_dir)
    with pytest.raises(InvalidQueryError, match="download_dir"):
        sxps.download_obs_data("00282445000", download_dir=download_dir, get_query_payload=True)
    assert not sxps_server.counts and not sxps_server.file_counts


@pytest.mark.parametrize("instruments", [[], ()])
def test_empty_instrument_list_is_an_error(sxps, sxps_server, tmp_path, instruments):
    with pytest.raises(InvalidQueryError, match=r"instruments is an empty list.*'all', None"):
        sxps.download_obs_data("00031635001", instruments=instruments, download_dir=tmp_path)
    with pytest.raises(InvalidQueryError, match="instruments"):
        sxps.download_obs_data_by_target(31635, instruments=instruments, download_dir=tmp_path)
    assert not sxps_server.counts
    # None still means "no instrument data" (auxil only)
    body = sxps.download_obs_data("00031635001", instruments=None, get_query_payload=True)
    assert body["dirs"] == ["auxil"]


def test_path_like_download_dir_accepted(sxps, tmp_path):
    files = sxps.download_obs_data("00031635001", instruments="xrt", match="*_cl.evt.gz",
                                   download_dir=str(tmp_path / "s"))
    assert files and all(str(p).startswith(str(tmp_path / "s" / "00031635001")) for p in files)
