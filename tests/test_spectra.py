"""get_spectrum against the emulator: tutorial fit values, file layouts, safe archives."""
import os
import warnings
from pathlib import Path

import astropy.units as u
import pytest
from astropy.io import fits

from astroquery_sxps import open_spectrum_files
from astroquery_sxps.exceptions import UnsafeArchiveError
from astroquery_sxps.exceptions import (IgnoredOptionWarning, InvalidQueryError,
                                        NoResultsWarning, RemoteServiceError, SourceSplitError,
                                        SXPSResponseError)
from astroquery_sxps.testing.files import HOSTILE_KINDS, SPECTRUM_MEMBERS

NAME = "LSXPS J221755.4-082100"
TAR_PATH = "sxps-spectra/LSXPS/sources/source106107/spectrum/interval0.tar.gz"
PLOTS = ["interval0pc_pow_plot.gif", "interval0pc_apec_plot.gif"]


def _row(table, model):
    rows = table[table["model"] == model]
    assert len(rows) == 1
    return rows[0]


# -- fit values --------------------------------------------------------------------
def test_tutorial_apec_fit_exact(sxps, tutorial_apec):
    table = sxps.get_spectrum(source_name=NAME)
    assert list(table["model"]) == ["PowerLaw", "APEC"]
    assert set(table["interval"]) == {"interval0"} and set(table["mode"]) == {"PC"}
    apec = _row(table, "APEC")
    for key, value in tutorial_apec.items():
        assert apec[key] == value, key
    assert apec["Image"].endswith("/LSXPS/sources/source106107/spectrum/interval0pc_apec_plot.gif")
    assert table["Gamma"].mask[1] and not table["KT"].mask[1]
    # units
    assert table["NH"].unit == u.cm ** -2
    assert table["KT"].unit == u.keV
    assert table["ObsFlux"].unit == u.erg / u.cm ** 2 / u.s
    assert table["Exposure"].unit == u.s
    assert table["Gamma"].unit is None
    # meta
    assert table.meta["t0"] == 0 * u.s
    assert table.meta["delta_fit_stat"] == 2.706
    assert table.meta["gal_nh_unfitted"] == 5.1e20 * u.cm ** -2
    assert table.meta["rnames"] == ["interval0"]
    assert table.meta["intervals"]["interval0"]["data_file"].endswith("interval0.tar.gz")


def test_powerlaw_row_and_masking(sxps):
    table = sxps.get_spectrum(106107)
    pl = _row(table, "PowerLaw")
    # values of protocol-examples.md
    assert pl["Gamma"] == 0.9 and pl["NH"] == 2.1e22 and pl["Dof"] == 876
    assert table["KT"].mask[list(table["model"]).index("PowerLaw")]
    assert table["Gamma"].mask[list(table["model"]).index("APEC")]
    assert pl["NHNeg"] < 0 < pl["NHPos"]


def test_wire_body_and_cache(sxps, sxps_server):
    sxps.get_spectrum(source_name=NAME)
    (body,) = sxps_server.requests_for("getSXPSSpectrumData")
    assert body == {"APIFunc": "getSXPSSpectrumData", "APIVersion": "1.0.5",
                    "whichCat": "LSXPS", "sourceName": NAME}
    sxps.get_spectrum(source_name=NAME)            # cached: no second call
    assert sxps_server.counts["getSXPSSpectrumData"] == 1
    sxps.get_spectrum(source_name=NAME, cache=False)
    assert sxps_server.counts["getSXPSSpectrumData"] == 2


def test_query_payload_sends_nothing(sxps, sxps_server):
    body = sxps.get_spectrum(30, transient=True, spec_type="Both", get_query_payload=True)
    assert body["transient"] is True and body["specType"] == "both" and body["sourceID"] == 30
    bodies = sxps.get_spectrum(source_name=[NAME, "LSXPS J033112.0+435414"],
                               catalog="lsxps", get_query_payload=True)
    assert [b["sourceName"] for b in bodies] == [NAME, "LSXPS J033112.0+435414"]
    assert all(b["whichCat"] == "LSXPS" and "transient" not in b for b in bodies)
    lookup = sxps.get_spectrum(576, transient=True, trans_as_source=True, get_query_payload=True)
    assert lookup["APIFunc"] == "getSXPSTransAsSources" and lookup["sourceID"] == [576]
    assert sum(sxps_server.counts.values()) == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(source_id=30, transient=True), "spec_type is required"),
    (dict(source_id=30, transient=True, spec_type="initial"), "spec_type"),
    (dict(source_id=1, source_name=NAME), "exactly one"),
    (dict(source_id=1, catalog="3SXPS"), "catalog"),
    (dict(source_id=30, transient=True, spec_type="full", catalog="2SXPS"), "only in LSXPS"),
    (dict(source_id=1, extract="yes"), "extract"),
    (dict(source_id=1, download_dir=42), "download_dir"),
    (dict(source_id="abc"), "integer"),
])
def test_bad_arguments_rejected_before_any_request(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_spectrum(**kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_spec_type_ignored_for_sources(sxps):
    with pytest.warns(IgnoredOptionWarning, match="spec_type"):
        table = sxps.get_spectrum(106107, spec_type="full")
    assert len(table) == 2


# -- saving -----------------------------------------------------------------------
def test_single_source_download_extract_remove(sxps, out, file_tree):
    cwd = os.getcwd()
    dest = out / "spec"
    table = sxps.get_spectrum(source_name=NAME, download_dir=dest)
    assert os.getcwd() == cwd                      # Q10: never chdir
    assert file_tree(dest) == sorted(list(SPECTRUM_MEMBERS) + PLOTS)
    files = table.meta["files"]
    assert files["archives"] == {"interval0": None}
    assert [p.relative_to(dest).as_posix() for p in files["members"]] == list(SPECTRUM_MEMBERS)
    assert files["pha"] == dest / "interval0pc.pi" and files["rmf"] == dest / "interval0pc.rmf"
    assert list(table["plot_file"]) == [str(dest / p) for p in PLOTS]
    assert all(Path(p).read_bytes()[:6] in (b"GIF87a", b"GIF89a") for p in table["plot_file"])
    hdus = open_spectrum_files(table)
    assert set(hdus) == {"pha", "source_pha", "background", "arf", "rmf"}
    assert hdus["pha"]["SPECTRUM"].header["HDUCLAS1"] == "SPECTRUM"
    assert hdus["pha"]["SPECTRUM"].header["RESPFILE"] == "interval0pc.rmf"
    assert "SPECRESP" in [h.name for h in hdus["arf"]]
    assert [h.name for h in hdus["rmf"]][1:] == ["MATRIX", "EBOUNDS"]
    assert open_spectrum_files(dest)["arf"]["SPECRESP"].data["SPECRESP"].max() > 0


def test_keep_archive_without_extract(sxps, out, file_tree):
    table = sxps.get_spectrum(106107, download_dir=out, extract=False, save_images=False)
    assert file_tree(out) == ["interval0.tar.gz"]
    assert table.meta["files"]["archives"]["interval0"] == out / "interval0.tar.gz"
    assert table["plot_file"].mask.all()
    table = sxps.get_spectrum(106107, download_dir=out / "b", remove_tar=False)
    assert "interval0.tar.gz" in file_tree(out / "b") and "interval0pc.pi" in file_tree(out / "b")


def test_several_sources_one_subdirectory_each(sxps, out, file_tree):
    names = (NAME, "LSXPS J033112.0+435414")
    result = sxps.get_spectrum(source_name=names, download_dir=out / "spec2")
    assert list(result) == list(names)
    expected = sorted(f"{n}/{f}" for n in names for f in list(SPECTRUM_MEMBERS) + PLOTS)
    assert file_tree(out / "spec2") == expected
    assert result[names[1]].meta["files"]["directory"] == out / "spec2" / names[1]


def test_transients_both_layout_and_no_full(sxps, out, file_tree):
    dest = out / "transSpec2"
    with pytest.warns(NoResultsWarning, match="no spectrum"):
        result = sxps.get_spectrum(source_id=(30, 576), transient=True, spec_type="both",
                                   download_dir=dest, extract=False)
    assert list(result) == [30, 576]
    assert set(result[30]) == {"Discovery", "Full"}
    assert len(result[30]["Full"]) == 0 and result[30]["Full"].meta["no_spectrum"]
    assert list(result[576]["Full"]["model"]) == ["PowerLaw"]
    assert file_tree(dest) == sorted([
        "30/Discovery/interval0.tar.gz", "30/Discovery/interval0pc_plot.gif",
        "576/Full/interval0.tar.gz", "576/Full/interval0pc_plot.gif",
        "576/Discovery/interval0.tar.gz", "576/Discovery/interval0pc_plot.gif"])


def test_single_transient_both_is_saved(sxps, sxps_server, out, file_tree):
    """Quirk Q12: the existing client saves nothing here."""
    result = sxps.get_spectrum(576, transient=True, spec_type="both", download_dir=out)
    assert set(result) == {"Discovery", "Full"}
    tree = file_tree(out)
    assert "Full/interval0pc.pi" in tree and "Discovery/interval0pc_plot.gif" in tree
    assert "Full/models/interval0pc_pow.xcm" in tree
    assert sxps_server.requests_for("getSXPSSpectrumData")[0]["specType"] == "both"


def test_single_transient_one_type(sxps, out, file_tree):
    table = sxps.get_spectrum(source_name="Swift J073006.8-193709", transient=True,
                              spec_type="DISCOVERY", download_dir=out, extract=False)
    assert list(table["model"]) == ["PowerLaw"] and table["KT"].mask.all()
    assert file_tree(out) == ["interval0.tar.gz", "interval0pc_plot.gif"]


def test_trans_as_source(sxps, sxps_server):
    with pytest.warns(IgnoredOptionWarning):
        result = sxps.get_spectrum([576], transient=True, trans_as_source=True, spec_type="both")
    assert list(result) == [366116]
    assert sxps_server.requests_for("getSXPSSpectrumData")[0]["sourceID"] == 366116
    assert "transient" not in sxps_server.requests_for("getSXPSSpectrumData")[0]
    with pytest.raises(RemoteServiceError, match="not yet in LSXPS"):
        sxps.get_spectrum(30, transient=True, trans_as_source=True)


# -- no spectrum, no fit, split ------------------------------------------------------
def test_no_spectrum_gives_empty_table_and_warning(sxps, sxps_server, out, file_tree):
    with pytest.warns(NoResultsWarning, match="no spectrum"):
        table = sxps.get_spectrum(9000002, download_dir=out)
    assert len(table) == 0 and table.meta["no_spectrum"] and "NH" in table.colnames
    assert file_tree(out) == [] and sum(sxps_server.file_counts.values()) == 0


def test_nofit_mode_does_not_crash(sxps, out, file_tree):
    """Quirk Q11: a NOFIT mode without Models."""
    with pytest.warns(NoResultsWarning, match="not fitted"):
        table = sxps.get_spectrum(9000003, download_dir=out)
    assert len(table) == 0
    assert table.meta["not_fitted"] == [("interval0", "PC", None)]
    assert "interval0pc.pi" in file_tree(out)       # the spectrum itself still exists


def test_nofit_model_and_nospec_interval(sxps):
    with pytest.warns(NoResultsWarning, match="APEC model was not fitted"):
        table = sxps.get_spectrum(9000004)
    assert list(table["model"]) == ["PowerLaw"]
    with pytest.warns(NoResultsWarning, match="NOSPEC"):
        table = sxps.get_spectrum(9000005)
    assert len(table) == 0


def test_split_source(sxps):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_spectrum(37562)
    assert list(err.value.newer_sources["LSXPS_ID"]) == [122876, 142890, 312964, 129714]
    result = sxps.get_spectrum([37562, 106107], skip_errors=True)
    assert list(result) == [106107]


def test_unknown_source_is_server_error(sxps):
    with pytest.raises(RemoteServiceError, match="not in the LSXPS catalogue"):
        sxps.get_spectrum(source_name="LSXPS J000000.0+000000")


def test_repeated_call_answers_from_the_cache(sxps, sxps_server, out, file_tree):
    first = sxps.get_spectrum(source_name=NAME, download_dir=out / "a")
    calls, files = sum(sxps_server.counts.values()), sum(sxps_server.file_counts.values())
    assert files == 3                                   # the archive and two plots
    again = sxps.get_spectrum(source_name=NAME, download_dir=out / "a")
    elsewhere = sxps.get_spectrum(source_name=NAME, download_dir=out / "b")
    assert sum(sxps_server.counts.values()) == calls    # no request at all
    assert sum(sxps_server.file_counts.values()) == files
    assert file_tree(out / "a") == file_tree(out / "b") == sorted(list(SPECTRUM_MEMBERS) + PLOTS)
    assert again["plot_file"].tolist() == first["plot_file"].tolist()
    assert elsewhere.meta["files"]["pha"] == out / "b" / "interval0pc.pi"
    sxps.get_spectrum(source_name=NAME, download_dir=out / "c", cache=False)
    assert sum(sxps_server.file_counts.values()) == 2 * files     # cache=False fetches anew


def test_plots_only_without_the_archive(sxps, sxps_server, out, file_tree):
    table = sxps.get_spectrum(source_name=NAME, download_dir=out, save_data=False)
    assert file_tree(out) == sorted(PLOTS)
    assert sxps_server.file_counts[TAR_PATH] == 0
    assert table.meta["files"]["archives"] == {} and table.meta["files"]["members"] == []
    assert table["plot_file"].tolist() == [str(out / p) for p in PLOTS]
    nothing = sxps.get_spectrum(source_name=NAME, download_dir=out / "none", save_data=False,
                                save_images=False)
    assert file_tree(out / "none") == [] and nothing["plot_file"].mask.all()


def test_save_spectra_of_a_result_in_hand(sxps, sxps_server, out, file_tree):
    names = ("LSXPS J051152.3-621925", NAME, "LSXPS J062131.8-622213")
    fits_in_hand = sxps.get_spectrum(source_name=names)
    calls = sxps_server.counts["getSXPSSpectrumData"]
    saved = sxps.save_spectra(fits_in_hand, which_sources=names[:2], download_dir=out / "spec3")
    assert sxps_server.counts["getSXPSSpectrumData"] == calls      # no second request
    assert list(saved) == list(names[:2])
    expected = sorted(f"{n}/{f}" for n in names[:2] for f in list(SPECTRUM_MEMBERS) + PLOTS)
    assert file_tree(out / "spec3") == expected
    assert saved[NAME]["plot_file"].tolist() == [str(out / "spec3" / NAME / p) for p in PLOTS]
    assert "plot_file" not in fits_in_hand[NAME].colnames           # the input is unchanged
    assert "files" not in fits_in_hand[NAME].meta
    hdus = open_spectrum_files(saved[NAME])
    assert hdus["pha"]["SPECTRUM"].header["RESPFILE"] == "interval0pc.rmf"
    # one table: straight into download_dir; the tutorial's saveData=False: plots only
    one = sxps.save_spectra(fits_in_hand[NAME], download_dir=out / "one", save_data=False)
    assert file_tree(out / "one") == sorted(PLOTS) and len(one) == 2
    assert sxps_server.counts["getSXPSSpectrumData"] == calls


def test_save_spectra_of_transients_both(sxps, sxps_server, out, file_tree):
    with pytest.warns(NoResultsWarning):
        both = sxps.get_spectrum(source_id=(30, 576), transient=True, spec_type="both")
    saved = sxps.save_spectra(both, download_dir=out, extract=False)
    assert file_tree(out) == sorted([
        "30/Discovery/interval0.tar.gz", "30/Discovery/interval0pc_plot.gif",
        "576/Discovery/interval0.tar.gz", "576/Discovery/interval0pc_plot.gif",
        "576/Full/interval0.tar.gz", "576/Full/interval0pc_plot.gif"])
    assert set(saved[576]) == {"Discovery", "Full"} and "files" not in saved[30]["Full"].meta


@pytest.mark.parametrize("spectra,kwargs,match", [
    ("not a table", {}, "spectra must be a fit table"),
    ({}, {}, "spectra must be a fit table"),
    ({"a": 3}, {}, "spectra must be a fit table"),
    ("table", {"download_dir": None}, "needs download_dir"),
    ("table", {"download_dir": 3}, "download_dir"),
    ("table", {"which_sources": ["x"]}, "which_sources applies to a dict"),
    ("dict", {"which_sources": ["nope"]}, r"\['nope'\] not among"),
    ("table", {"extract": "yes"}, "extract must be True or False"),
])
def test_save_spectra_bad_input_before_any_request(sxps, sxps_server, out, spectra, kwargs,
                                                   match):
    table = sxps.get_spectrum(source_name=NAME)
    spectra = {"table": table, "dict": {NAME: table}}.get(spectra, spectra) \
        if isinstance(spectra, str) else spectra
    before = sum(sxps_server.file_counts.values())
    kwargs.setdefault("download_dir", out)
    with pytest.raises(InvalidQueryError, match=match):
        sxps.save_spectra(spectra, **kwargs)
    assert sum(sxps_server.file_counts.values()) == before
    assert sxps.save_spectra(table, download_dir=out, get_query_payload=True) == []


# -- safety and robustness ----------------------------------------------------------
@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_hostile_archive_refused(sxps, out, kind, file_tree):
    sid = 900001 + HOSTILE_KINDS.index(kind)
    outer = out / "outer"
    dest = outer / "spec"
    dest.mkdir(parents=True)
    with pytest.raises(UnsafeArchiveError, match="Refusing"):
        sxps.get_spectrum(sid, download_dir=dest)
    assert file_tree(outer) == []                        # nothing extracted, archive removed
    assert [p.name for p in outer.iterdir()] == ["spec"]
    assert not Path("/tmp/sxps_absolute_escape.txt").exists()


def test_error_page_never_saved(sxps, sxps_server, out, file_tree):
    sxps_server.fail_file(TAR_PATH, status=404)
    with pytest.raises(SXPSResponseError, match="HTTP 404"):
        sxps.get_spectrum(106107, download_dir=out)
    assert file_tree(out) == []


def test_interrupted_download_leaves_no_partial_file(sxps, sxps_server, out, file_tree):
    sxps_server.drop_file(TAR_PATH, count=10)
    with pytest.raises(SXPSResponseError):
        sxps.get_spectrum(106107, download_dir=out, save_images=False)
    assert file_tree(out) == []
    assert not list(out.glob(".*"))
    sxps_server.reset()
    sxps_server.drop_file(TAR_PATH, count=1)         # one drop: retried and completed
    sxps.get_spectrum(106107, download_dir=out, save_images=False, cache=False)
    assert "interval0pc.rmf" in file_tree(out)
    assert sxps_server.file_counts[TAR_PATH] == 2


def test_clobber(sxps, out):
    (out / "README.txt").write_text("mine")
    (out / PLOTS[0]).write_bytes(b"GIF89a my old plot;")     # a GIF, not the server's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sxps.get_spectrum(106107, download_dir=out)
    assert (out / "README.txt").read_text() == "mine"
    assert (out / PLOTS[0]).read_bytes() == b"GIF89a my old plot;"
    assert (out / "interval0pc.pi").exists()
    sxps.get_spectrum(106107, download_dir=out, clobber=True)
    assert (out / "README.txt").read_text().startswith("Swift-XRT spectrum")
    assert (out / PLOTS[0]).read_bytes()[:3] == b"GIF"
    assert (out / PLOTS[0]).read_bytes() != b"GIF89a my old plot;"


def test_open_spectrum_files_errors(sxps, out):
    table = sxps.get_spectrum(106107)
    with pytest.raises(InvalidQueryError, match="download_dir"):
        open_spectrum_files(table)
    with pytest.raises(FileNotFoundError):
        open_spectrum_files(out)


def test_pha_is_valid_ogip(sxps, out):
    sxps.get_spectrum(106107, download_dir=out, save_images=False)
    with fits.open(out / "interval0pcback.pi") as hdul:
        header = hdul["SPECTRUM"].header
        assert header["HDUCLASS"] == "OGIP" and header["HDUCLAS2"] == "BKG"
        assert header["DETCHANS"] == len(hdul["SPECTRUM"].data)


# -- audit findings -----------------------------------------------------------------------
@pytest.mark.parametrize("spectrum", [None, 5, 1.5, b"spec", ["spec"], {}, {"directory": None}])
def test_open_spectrum_files_bad_input_names_accepted_inputs(spectrum):
    with pytest.raises(InvalidQueryError, match=r"fit table returned by get_spectrum.*meta\['files'\]"
                                                r" dict.*str or os.PathLike"):
        open_spectrum_files(spectrum)


@pytest.mark.parametrize("kwargs", [dict(interval=None), dict(mode=5), dict(interval="")])
def test_open_spectrum_files_bad_interval_or_mode(out, kwargs):
    with pytest.raises(InvalidQueryError, match="interval|mode"):
        open_spectrum_files(out, **kwargs)


def test_open_spectrum_files_accepts_paths_and_files_dict(sxps, out):
    fit = sxps.get_spectrum(106107, download_dir=out, save_images=False)
    for spectrum in (fit, fit.meta["files"], out, str(out)):
        assert open_spectrum_files(spectrum)["pha"]["SPECTRUM"].header["RESPFILE"] \
            == "interval0pc.rmf"


@pytest.mark.parametrize("download_dir", [5, b"spec", ["spec"]])
def test_bad_download_dir_names_allowed_values(sxps, sxps_server, download_dir):
    with pytest.raises(InvalidQueryError, match=r"download_dir=.*non-empty folder path \(a str or a pathlib.Path\)"):
        sxps.get_spectrum(106107, download_dir=download_dir)
    assert not sxps_server.counts


@pytest.mark.parametrize("kwargs", [dict(source_id=0), dict(source_id=-1), dict(source_id="-5"),
                                    dict(source_id=[106107, 0]),
                                    dict(source_id=0, transient=True, spec_type="full")])
def test_non_positive_ids_refused_before_any_request(sxps, sxps_server, kwargs):
    with pytest.raises(InvalidQueryError, match=r"source_id=.*positive integer"):
        sxps.get_spectrum(**kwargs)
    assert not sxps_server.counts
