"""to_flux: count rates to fluxes, with a user ECF or the source's catalogue ECF, against
the emulator (the catalogue records of 129723, 1 and 366116 are the tutorial's real values)."""
import numpy as np
import pytest
import astropy.units as u
from astropy.tests.helper import assert_quantity_allclose

from astroquery_sxps import LightCurveCollection, SourceDetails, merge_upper_limits, to_flux
from astroquery_sxps.exceptions import InvalidQueryError
from astroquery_sxps.interop.flux import CATALOGUE_ECF_KEYS, FLUX_UNIT, flux_column_name

ECF = 4.5e-11 * u.erg / u.cm ** 2 / u.ct
J1745 = "LSXPS J174527.1-290217"     # 129723
J0730 = "LSXPS J073006.8-193710"     # 366116
J0621 = "LSXPS J062131.8-622213"     # synthetic record, no ECF
TUTORIAL_SOURCES = (129723, 1, 366116)

#: The catalogue's flux fields and the rate fields they are made from, per model prefix.
_FLUX_FROM_RATE = {"{m}Flux": "Rate_band0", "{m}PeakFlux": "PeakRate_band0"}


def _catalogue_pairs(record):
    """(flux key, rate key, ECF key) for every flux field of the record with its rate."""
    for model in ("Pow", "APEC"):
        for absorbed, letter in (("", "O"), ("Unabs", "U")):
            ecf_key = f"{model}ECF{letter}"
            for flux_tpl, rate in (("{m}{a}Flux", "Rate_band0"),
                                   ("{m}Peak{a}Flux", "PeakRate_band0")):
                flux = flux_tpl.format(m=model, a=absorbed)
                for suffix in ("", "_pos", "_neg"):
                    if record.get(flux + suffix) is not None and \
                            record.get(rate + suffix) is not None:
                        yield flux + suffix, rate + suffix, ecf_key


# 129723's mean-rate errors: the catalogue's Pow/APEC Flux_pos are 1.000783 x
# Rate_band0_pos x ECF for all four ECFs (the record's rate error and the one the
# catalogue's flux was made from differ by 0.08 per cent); every other field agrees to
# 1e-9, so this one pair is compared at 1e-3 and named here rather than hidden.
_RECORD_INCONSISTENT = {(129723, "Rate_band0_pos")}


@pytest.mark.parametrize("source_id", TUTORIAL_SOURCES)
def test_catalogue_peak_flux_is_peak_rate_times_ecf(sxps, source_id):
    d = sxps.get_source_details(source_id=source_id)
    # details values are Quantities: the product is in erg / (cm2 s) like the flux field
    assert d["PowPeakFlux"].unit == FLUX_UNIT
    assert_quantity_allclose(d["PowPeakFlux"], d["PeakRate_band0"] * d["PowECFO"], rtol=1e-9)


@pytest.mark.parametrize("source_id", TUTORIAL_SOURCES)
@pytest.mark.parametrize("model", ["powerlaw", "apec"])
@pytest.mark.parametrize("unabsorbed", [False, True])
def test_catalogue_ecf_reproduces_the_catalogue_fluxes(sxps, source_id, model, unabsorbed):
    d = sxps.get_source_details(source_id=source_id)
    out = to_flux(d, "catalogue", model=model, unabsorbed=unabsorbed)
    ecf_key = CATALOGUE_ECF_KEYS[(model, unabsorbed)]
    prefix = "Pow" if model == "powerlaw" else "APEC"
    pairs = [p for p in _catalogue_pairs(d) if p[2] == ecf_key]
    assert len(pairs) == 6                      # Flux, PeakFlux, each with _pos and _neg
    for flux_key, rate_key, _ in pairs:
        assert flux_key.startswith(prefix)
        ours = out[flux_column_name(rate_key)]
        assert ours.unit == FLUX_UNIT
        rel = 1e-3 if (source_id, rate_key) in _RECORD_INCONSISTENT else 1e-9
        assert ours.to_value(FLUX_UNIT) == pytest.approx(d[flux_key].to_value(FLUX_UNIT),
                                                         rel=rel, abs=1e-30), flux_key
    conv = out["flux_conversion"]
    assert conv["ecf"].unit == u.erg / u.cm ** 2 / u.ct and conv["ecf"] == d[ecf_key]
    assert conv["ecf_model"] == model and conv["ecf_unabsorbed"] is unabsorbed
    assert conv["ecf_origin"] == f"catalogue: {ecf_key} of {d['IAUName']}"
    # the input is untouched and the copy keeps the details' class and attributes
    assert "Flux_band0" not in d and isinstance(out, SourceDetails)
    assert out.requested == source_id and out.catalog == "LSXPS"


def test_record_inconsistency_is_real_and_small(sxps):
    d = sxps.get_source_details(source_id=129723)
    ratio = d["PowFlux_pos"] / (d["Rate_band0_pos"] * d["PowECFO"])
    assert 1.0005 < ratio < 1.001


def test_details_embedded_tables_and_all_rate_fields(sxps):
    d = sxps.get_source_details(source_id=1)
    out = to_flux(d, ECF)
    for key in ("Rate_band0", "Rate_band0_pos", "Rate_band0_neg", "UL_band0", "PeakRate_band0",
                "PeakRate_band0_pos", "PeakRate_band0_neg"):
        assert out[flux_column_name(key)].to_value(FLUX_UNIT) == pytest.approx(
            (d[key] * ECF).to_value(FLUX_UNIT))
    assert "Flux_band1" not in out            # other bands need their own ECF
    obs = out["Detections"]["Observations"]
    names = obs.colnames
    assert names[names.index("Rate_band0") + 1] == "Flux_band0"
    assert obs["Flux_band0"].unit == FLUX_UNIT
    assert np.allclose(obs["Flux_band0"], obs["Rate_band0"] * ECF.value)
    assert "Flux_band0" not in d["Detections"]["Observations"].colnames
    soft = to_flux(d, ECF, band="soft")
    assert soft["Flux_band1"].to_value(FLUX_UNIT) == pytest.approx(
        (d["Rate_band1"] * ECF).to_value(FLUX_UNIT))
    assert soft["flux_conversion"]["ecf_origin"] == "user"


@pytest.mark.filterwarnings("ignore::astroquery_sxps.exceptions.CataloguedSourceWarning")
def test_upper_limit_table_every_rate_and_limit(sxps):
    ul = sxps.query_upper_limit('77.969042, -62.324167', which_data='all', bands='all',
                                detections_as_rates=True)
    out = to_flux(ul, ECF)
    for name in ("Total_UpperLimit", "Total_Rate", "Total_RatePos", "Total_RateNeg"):
        flux = out[flux_column_name(name)]
        assert flux.unit == FLUX_UNIT
        assert out.colnames.index(flux.name) == out.colnames.index(name) + 1
        good = np.isfinite(ul[name])
        assert np.allclose(flux[good], ul[name][good] * ECF.value)
        assert np.all(np.isnan(flux[~good]))
    assert "Soft_FluxUpperLimit" not in out.colnames
    # printed at seven significant digits, as the rates are, not in full
    assert out["Total_FluxUpperLimit"].info.format == ".7g"
    printed = out["Total_FluxUpperLimit"].pformat()[2]
    assert printed.strip() == f"{out['Total_FluxUpperLimit'][0]:.7g}"
    assert (out.meta["ecf"], out.meta["ecf_origin"], out.meta["ecf_band"]) == (ECF, "user",
                                                                               "Total")
    assert out.meta["ecf_model"] == "powerlaw" and out.meta["ecf_unabsorbed"] is False
    assert "ecf" not in ul.meta and "Total_FluxUpperLimit" not in ul.colnames
    # merged limits too
    merged = to_flux(merge_upper_limits(ul), ECF)
    assert merged["Total_FluxUpperLimit"][0] == pytest.approx(
        merge_upper_limits(ul)["Total_UpperLimit"][0] * ECF.value)


def test_upper_limit_with_catalogue_ecf_needs_the_source(sxps, sxps_server):
    ul = sxps.query_upper_limit('334.502058 -8.256481')
    before = sum(sxps_server.counts.values())
    with pytest.raises(InvalidQueryError, match="source_details="):
        to_flux(ul, "catalogue")
    assert sum(sxps_server.counts.values()) == before
    d = sxps.get_source_details(source_id=1)
    out = to_flux(ul, "catalogue", source_details=d)
    assert out["Total_FluxUpperLimit"].unit == FLUX_UNIT
    assert out["Total_FluxUpperLimit"][0] == pytest.approx(
        (ul["Total_UpperLimit"].quantity[0] * d["PowECFO"]).to_value(FLUX_UNIT))


def test_collection_fetches_the_record_once(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=J0730)
    before = sxps_server.counts.get("getSXPSSourceInfo", 0)
    out = to_flux(lcs, "catalogue", client=sxps)
    assert sxps_server.counts["getSXPSSourceInfo"] == before + 1
    ecf = sxps.get_source_details(source_name=J0730)["PowECFO"]
    assert isinstance(out, LightCurveCollection) and out.datasets == lcs.datasets
    rates, limits = out["Total_rates"], out["Total_UL"]
    assert rates["Flux"].unit == FLUX_UNIT
    assert_quantity_allclose(rates["Flux"], rates["Rate"] * ecf)
    assert_quantity_allclose(rates["FluxNeg"], rates["RateNeg"] * ecf)
    assert np.all(rates["FluxNeg"].value <= 0)
    assert_quantity_allclose(limits["FluxUpperLimit"], limits["UpperLimit"] * ecf)
    assert rates.meta["ecf_origin"] == f"catalogue: PowECFO of {J0730}"
    assert out.meta["ecf"] == ecf
    for name in ("Soft_rates", "HR1"):          # other bands and HRs are kept as they are
        assert out[name] is lcs[name]
    assert "Flux" not in lcs["Total_rates"].colnames


def test_dict_of_collections_one_record_each(sxps, sxps_server):
    both = sxps.get_lightcurve(source_name=[J0730, J1745])
    before = sxps_server.counts.get("getSXPSSourceInfo", 0)
    out = to_flux(both, "catalogue", model="apec", unabsorbed=True, client=sxps)
    assert sxps_server.counts["getSXPSSourceInfo"] == before + 2
    assert list(out) == [J0730, J1745]
    for name, source_id in ((J0730, 366116), (J1745, 129723)):
        ecf = sxps.get_source_details(source_id=source_id)["APECECFU"]
        assert out[name]["Total_rates"].meta["ecf"] == ecf


def test_lone_curve_needs_source_details_or_a_quantity(sxps):
    lc = sxps.get_lightcurve(source_name=J0730)["Total_rates"]
    with pytest.raises(InvalidQueryError, match="does not say which source"):
        to_flux(lc, "catalogue")
    d = sxps.get_source_details(source_name=J0730)
    out = to_flux(lc, "catalogue", source_details=d)
    assert_quantity_allclose(out["Flux"], lc["Rate"] * d["PowECFO"])
    soft = sxps.get_lightcurve(source_name=J0730)["Soft_rates"]
    with pytest.raises(InvalidQueryError, match="in the Soft band.*band='Soft'"):
        to_flux(soft, ECF)
    assert "FluxPos" in to_flux(soft, ECF, band="soft").colnames
    with pytest.raises(InvalidQueryError, match="hardness ratios"):
        to_flux(sxps.get_lightcurve(source_name=J0730)["HR1"], ECF)


def test_lone_curve_that_names_its_source(sxps, sxps_server):
    lc = sxps.get_lightcurve(source_name=J0730)["Total_rates"]
    lc.meta["identifier"] = J0730          # as a curve whose meta names its source
    before = sxps_server.counts.get("getSXPSSourceInfo", 0)
    out = to_flux(lc, "catalogue", client=sxps)
    assert sxps_server.counts["getSXPSSourceInfo"] == before + 1
    assert out.meta["ecf_origin"] == f"catalogue: PowECFO of {J0730}"


def test_record_without_ecf(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621)     # a synthetic record with no ECF
    with pytest.raises(InvalidQueryError, match="no usable PowECFO"):
        to_flux(lcs, "catalogue", client=sxps)


def test_transient_curves(sxps):
    lcs = sxps.get_lightcurve(source_name="Swift J073006.8-193709", transient=True)
    out = to_flux(lcs, ECF)
    assert "Flux" in out["PC_incbad"].colnames and "BGrate_Flux" not in out["PC_incbad"].colnames
    assert "Flux" not in out["PCHard_incbad"].colnames        # another band
    with pytest.raises(InvalidQueryError, match="transient"):
        to_flux(lcs, "catalogue", client=sxps)


@pytest.mark.parametrize("kwargs,match", [
    (dict(ecf=4.5e-11), "ecf must be 'catalogue' or a Quantity"),
    (dict(ecf=4.5e-11 * u.erg), r"ecf must be in erg / \(cm2 ct\)"),
    (dict(ecf=-1 * u.erg / u.cm ** 2 / u.ct), "one finite positive"),
    (dict(ecf=[1, 2] * u.erg / u.cm ** 2 / u.ct), "one finite positive"),
    (dict(ecf="webpimms"), "ecf='webpimms' is not valid"),
    (dict(ecf=ECF, model="bbody"), "model='bbody' is not valid"),
    (dict(ecf=ECF, unabsorbed="yes"), "unabsorbed must be True or False"),
    (dict(ecf=ECF, band="xx"), "band='xx' is not valid"),
    (dict(ecf="catalogue", band="soft"), "total-band rates only"),
    (dict(ecf="catalogue", source_details={"PowECFO": 1}), "source_details must be"),
])
def test_bad_arguments_refused_before_any_request(sxps, sxps_server, kwargs, match):
    ul = sxps.query_upper_limit('334.502058 -8.256481')
    before = sum(sxps_server.counts.values())
    with pytest.raises(InvalidQueryError, match=match):
        to_flux(ul, **kwargs)
    assert sum(sxps_server.counts.values()) == before


def test_unsupported_result_type():
    with pytest.raises(InvalidQueryError, match="result must be"):
        to_flux([1, 2], ECF)


def test_other_units_are_converted():
    from astropy.table import Table
    t = Table({"Total_UpperLimit": [2.0] * u.ct / u.ks})
    out = to_flux(t, 4.5e-14 * u.erg / u.m ** 2 / u.ct)
    # 2 ct/ks = 0.002 ct/s; 4.5e-14 erg/(m2 ct) = 4.5e-18 erg/(cm2 ct)
    assert out["Total_FluxUpperLimit"].unit == FLUX_UNIT
    assert out["Total_FluxUpperLimit"][0] == pytest.approx(0.002 * 4.5e-18)
