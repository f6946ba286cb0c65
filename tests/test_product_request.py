"""XRT product-request parameters (protocol.md 5.8) reproduced from the tutorial."""
import numpy as np
import pytest
import astropy.units as u

from astroquery_sxps import ProductRequestSpec
from astroquery_sxps.exceptions import InvalidQueryError, SXPSServerError
from astroquery_sxps.exceptions import ProductRequestError

BLIND_17092 = "00050950004,00050950006,00031312122,00034314001,00034314003,00088977001"
GLOBALS_17092 = {"name": "LSXPS J132527.7-430212", "targ": "00050950,00031312,00034314,00088977",
                 "T0": 129528000.0, "RA": 201.365762, "Dec": -43.03672808, "centroid": False,
                 "posErr": 1, "useSXPS": True, "getTargs": False, "getT0": False}
EMAIL = "MY_EMAIL_ADDRESS@example.org"


def test_default_all(sxps, sxps_server):
    spec = sxps.build_product_request(source_id=17092, email=EMAIL, catalog="LSXPS", use_obs="all")
    assert isinstance(spec, ProductRequestSpec)
    assert list(spec.global_pars.items()) == [
        ("name", "LSXPS J132527.7-430212"), ("RA", 201.365762), ("Dec", -43.03672808),
        ("centroid", False), ("posErr", 1), ("useSXPS", True), ("getTargs", True), ("getT0", True)]
    assert spec.products == {} and spec.use_obs is None
    assert sxps_server.counts["getSXPSSourceInfo"] == 1


def test_blind_first_blind_det(sxps):
    spec = sxps.build_product_request(source_id=17092, email=EMAIL, t0="firstBlindDet",
                                      use_obs="blind", products=["LightCurve", "StandardPos"])
    assert list(spec.global_pars.items()) == list(GLOBALS_17092.items())
    assert spec.products == {"lc": {"whichData": "user", "useObs": BLIND_17092},
                             "psf": {"whichData": "user", "useObs": BLIND_17092}}
    assert spec.use_obs == BLIND_17092


def test_source_details_trumps_and_spectrum_default(sxps, sxps_server):
    info = sxps.get_source_details(source_id=17092)
    spec = sxps.build_product_request(source_id=17092, source_details=info, email=EMAIL,
                                      t0="FIRSTBLINDDET", use_obs="Blind",
                                      products=["LightCurve", "Spectrum", "StandardPos"])
    assert sxps_server.counts["getSXPSSourceInfo"] == 1          # nothing fetched again
    assert spec.global_pars == GLOBALS_17092
    assert list(spec.products) == ["lc", "spec", "psf"]
    assert spec.products["spec"] == {"deltaFitStat": 2.706, "whichData": "user",
                                     "useObs": BLIND_17092}


def test_two_sources_fetch_missing(sxps, sxps_server):
    info = sxps.get_source_details(source_id=17092)
    specs = sxps.build_product_request(source_id=(17092, 128791), source_details=info,
                                       email=EMAIL, catalog="LSXPS", t0="firstBlindDet",
                                       use_obs="blind", products=["LightCurve"], cache=False)
    assert list(specs) == [17092, 128791]
    assert specs[17092].global_pars == GLOBALS_17092
    assert specs[17092].products == {"lc": {"whichData": "user", "useObs": BLIND_17092}}
    assert list(specs[128791].global_pars.items()) == [
        ("name", "LSXPS J130059.3+275850"), ("targ", "00015016"), ("T0", 663928360.997203),
        ("RA", 195.2473611251), ("Dec", 27.9805846866), ("centroid", False), ("posErr", 1),
        ("useSXPS", True), ("getTargs", False), ("getT0", False)]
    assert specs[128791].products == {"lc": {"whichData": "user", "useObs": "00015016002"}}
    # a single record given for a list is not used for the list (looked up by key)
    assert [b["sourceID"] for b in sxps_server.requests_for("getSXPSSourceInfo")[1:]] in (
        [17092, 128791], [128791, 17092])


def test_transient_discovery_new(sxps, sxps_server):
    spec = sxps.build_product_request(source_id=576, email=EMAIL, transient=True, t0="Discovery",
                                      use_obs="new", products=["LightCurve"])
    assert list(spec.global_pars.items()) == [
        ("name", "Swift J073006.8-193709"), ("targ", "15190,44002,1110865,3103197,3103545"),
        ("T0", 675591242.228083), ("RA", 112.5284106332), ("Dec", -19.6192622721),
        ("centroid", False), ("posErr", 1), ("useSXPS", True), ("getTargs", False),
        ("getT0", False)]
    assert spec.products["lc"]["useObs"] == (
        "00015190001,00015190002,00015190003,00015190005,00015190006,00015190007,00015190008,"
        "00015190009,00015190010,00015190011,00015190012,00015190013,00015190014,00015190015,"
        "00044002095,01110865000,03103197001,03103545001")
    assert sxps_server.counts["getSXPSTransInfo"] == 1
    disc = sxps.build_product_request(source_id=576, transient=True, use_obs="DISCOVERY",
                                      products="lc")
    assert disc.global_pars["targ"] == "03103545" and disc.products["lc"]["useObs"] == "03103545001"


def test_transient_as_source(sxps, sxps_server):
    specs = sxps.build_product_request(source_id=[576], transient=True, trans_as_source=True,
                                       t0="firstDet", use_obs="retro", products=["lc"])
    assert list(specs) == [366116]
    assert specs[366116].global_pars["name"] == "LSXPS J073006.8-193710"
    assert specs[366116].global_pars["T0"] == 524771000.0
    assert specs[366116].products["lc"]["useObs"] == "00015190008"


def test_numeric_t0_and_none_use_obs(sxps):
    spec = sxps.build_product_request(source_id=1, t0=126760000 * u.s, use_obs=None,
                                      products=["image"])
    assert spec.global_pars["T0"] == 126760000.0 and spec.global_pars["getT0"] is False
    assert "getTargs" not in spec.global_pars and "targ" not in spec.global_pars
    assert spec.products == {"image": {}}


def test_skip_errors_really_skips(sxps):
    # Q15: an unknown source and a source without the T0 asked for are left out
    specs = sxps.build_product_request(source_id=[999999, 209220, 17092], t0="firstBlindDet",
                                       use_obs="blind", skip_errors=True)
    assert list(specs) == [17092]
    with pytest.raises(ProductRequestError, match="FirstBlindDetMET"):
        sxps.build_product_request(source_id=209220, t0="firstBlindDet")
    with pytest.raises(SXPSServerError):
        sxps.build_product_request(source_id=999999)


@pytest.mark.parametrize("kwargs, match", [
    (dict(t0="bogus"), "t0"),
    (dict(t0="discovery"), "t0"),
    (dict(transient=True, t0="firstObs"), "t0"),
    (dict(use_obs="nonDet"), "use_obs"),
    (dict(transient=True, use_obs="blind"), "use_obs"),
    (dict(products=["LightCurve", "foo"]), "products"),
    (dict(products=5), "products"),
    (dict(email=5), "email"),
    (dict(catalog="2SXPS"), "LSXPS"),
    (dict(transient="yes"), "transient"),
    (dict(source_details=[1]), "source_details"),
    (dict(t0=5 * u.m), "t0"),
])
def test_bad_arguments_send_nothing(sxps, sxps_server, kwargs, match):
    with pytest.raises(InvalidQueryError, match=match):
        sxps.build_product_request(source_id=17092, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_payload_lists_only_missing(sxps, sxps_server):
    info = sxps.get_source_details(source_id=17092)
    bodies = sxps.build_product_request(source_id=(17092, 128791), source_details={17092: info},
                                        get_query_payload=True)
    assert [b["sourceID"] for b in bodies] == [128791]
    assert sxps_server.counts["getSXPSSourceInfo"] == 1


def test_to_swifttools(sxps):
    pytest.importorskip("swifttools", reason="to_swifttools needs swifttools")
    spec = sxps.build_product_request(source_id=17092, email=EMAIL, t0="firstBlindDet",
                                      use_obs="blind", products=["LightCurve", "Spectrum"])
    request = spec.to_swifttools()
    assert request.getGlobalPars() == GLOBALS_17092
    assert request.productList == ["lc", "spec"]
    assert request.getProductPars("spec") == {"deltaFitStat": 2.706, "whichData": "user",
                                              "useObs": BLIND_17092}
    no_mail = sxps.build_product_request(source_id=17092)
    with pytest.raises(InvalidQueryError, match="email"):
        no_mail.to_swifttools()


# -- audit finding: a numeric t0 must be a positive MET ---------------------------------
@pytest.mark.parametrize("t0", [-5, 0, -5.0, float("nan"), float("inf"), -5 * u.s, 0 * u.s,
                                [1, 2] * u.s, np.int64(-1)])
def test_non_positive_t0_refused_before_any_request(sxps, sxps_server, t0):
    with pytest.raises(InvalidQueryError, match="t0"):
        sxps.build_product_request(17092, t0=t0)
    with pytest.raises(InvalidQueryError, match="t0"):
        sxps.build_product_request(17092, t0=t0, get_query_payload=True)
    assert not sxps_server.counts


def test_positive_t0_forms(sxps):
    from astroquery_sxps.sources.product_request import check_t0
    assert check_t0(129528000) == check_t0(np.float64(129528000.0)) == 129528000.0
    assert check_t0(1 * u.day) == 86400.0
    with pytest.raises(InvalidQueryError, match=r"positive, finite Swift MET"):
        check_t0(-5)


def test_bad_source_details_for_product_request(sxps, sxps_server):
    for bad in ({"a": 1}, {}):
        with pytest.raises(InvalidQueryError, match="source_details"):
            sxps.build_product_request(17092, source_details=bad)
    assert not sxps_server.counts
