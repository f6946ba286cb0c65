"""get_lightcurve against the emulator: tutorial values, every option and reply form."""
import warnings

import numpy as np
import pytest
import astropy.units as u
from astropy.time import Time
from astropy.timeseries import TimeSeries

from astroquery_sxps import LightCurveCollection, merge_lightcurve_bins
from astroquery_sxps.exceptions import (IgnoredOptionWarning, InvalidQueryError,
                                        SourceSplitError, SupersededWarning, SXPSServerError)

J0621 = "LSXPS J062131.8-622213"
J0511 = "LSXPS J051152.3-621925"
J2217 = "LSXPS J221755.4-082100"
T0730 = "Swift J073006.8-193709"
T1757 = "Swift J175737.4-070600"
ALL_DEFAULT = ['Total_rates', 'Total_UL', 'Soft_rates', 'Soft_UL', 'Medium_rates',
               'Medium_UL', 'Hard_rates', 'Hard_UL', 'HR1', 'HR2']
ALL_TYPES = ['Total_blind_rates', 'Total_retro_rates', 'Total_nondet_rates', 'Total_retro_UL',
             'Total_nondet_UL', 'Soft_blind_rates', 'Soft_retro_rates', 'Soft_nondet_rates',
             'Soft_retro_UL', 'Soft_nondet_UL', 'Medium_blind_rates', 'Medium_retro_rates',
             'Medium_nondet_rates', 'Medium_retro_UL', 'Medium_nondet_UL', 'Hard_blind_rates',
             'Hard_retro_rates', 'Hard_nondet_rates', 'Hard_retro_UL', 'Hard_nondet_UL',
             'HR1_blind', 'HR1_retro', 'HR2_blind', 'HR2_retro']
TRANSIENT_SETS = ['PC_incbad', 'PCUL_incbad', 'PCHard_incbad', 'PCSoft_incbad', 'PCHR_incbad',
                  'PC_nosys_incbad', 'PCUL_nosys_incbad', 'PCHard_nosys_incbad',
                  'PCSoft_nosys_incbad', 'PCHR_nosys_incbad']


def test_tutorial_default_curve(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, catalog='LSXPS', binning='obsid',
                              time_format='MJD')
    assert isinstance(lcs, LightCurveCollection)
    assert lcs.datasets == ALL_DEFAULT == list(lcs)
    assert lcs.meta['time_format'] == 'MJD'
    assert lcs.meta['binning'] == 'Observation'
    assert lcs.meta['t0'] == 0
    assert lcs.meta['identifier'] == J0621
    rates, uls = lcs['Total_rates'], lcs['Total_UL']
    assert isinstance(rates, TimeSeries)
    assert len(rates) == 44 and len(uls) == 51
    assert rates.time.scale == 'utc'
    assert rates.time[0].mjd == pytest.approx(53945.873326, abs=1e-9)
    row = rates[9]
    assert row['Rate'] == 0.008568 * u.ct / u.s
    assert row['RatePos'].value == pytest.approx(0.000964)
    assert row['RateNeg'].value == pytest.approx(-0.000901)
    assert row['CtsInSrc'] == 96 * u.ct
    assert row['BGInSrc'].to_value(u.ct) == pytest.approx(5.88043)
    assert row['Exposure'] == 13351.4 * u.s
    assert row['TimePos'] == 0.473061 * u.d
    assert rates['CorrFact'][35] == pytest.approx(1.397177)
    assert not rates['is_upper_limit'].any()
    assert 'UpperLimit' in uls.colnames and 'Rate' not in uls.colnames
    assert uls['is_upper_limit'].all()
    assert uls['UpperLimit'][0] == 0.033719 * u.ct / u.s
    assert uls['Exposure'][-1].value == pytest.approx(7494.3197)
    assert uls.time[-1].mjd == pytest.approx(54096.496788)
    assert lcs.rates() == ['Total_rates', 'Soft_rates', 'Medium_rates', 'Hard_rates']
    assert lcs.upper_limits() == ['Total_UL', 'Soft_UL', 'Medium_UL', 'Hard_UL']
    assert 'HR' in lcs['HR1'].colnames
    body = sxps_server_body(sxps)
    assert body['binning'] == 'Observation' and body['timeFormat'] == 'MJD'
    assert body['bands'] == 'all' and body['whichCat'] == 'LSXPS'
    for flag in ('groupRates', 'groupULs', 'groupHRs', 'getAllTypes', 'showObs'):
        assert flag not in body


def sxps_server_body(sxps):
    return sxps.get_lightcurve(source_name=J0621, binning='obsid', get_query_payload=True)


def test_bands_snapshot_tdb(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=J2217, catalog='LSXPS', binning='snapshot',
                              time_format='TDB', bands=('total', 'hard', 'HR1'))
    assert lcs.datasets == ['Total_rates', 'Hard_rates', 'HR1']
    assert lcs.meta['binning'] == 'Snapshot' and lcs.meta['time_format'] == 'TDB'
    assert lcs['Total_rates'].time.scale == 'tdb'
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert body['bands'] == ['total', 'hard', 'HR1']
    assert body['binning'] == 'Snapshot' and body['timeFormat'] == 'TDB'


def test_get_all_types_and_grouping(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=J0511, bands=('total',), binning='obsid',
                              get_all_types=True)
    assert lcs.datasets == ALL_TYPES[:5]
    lcs = sxps.get_lightcurve(source_name=J0511, bands=('total',), binning='obsid',
                              retro_as_ul=True, group_uls=False)
    assert lcs.datasets == ['Total_rates', 'Total_retro_UL', 'Total_nondet_UL']
    assert len(lcs['Total_retro_UL']) == 2 and len(lcs['Total_nondet_UL']) == 4
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert body['retroAsUL'] is True and body['groupULs'] is False
    lcs = sxps.get_lightcurve(source_name=J0511, bands=('total',), binning='obsid',
                              retro_as_ul=True, group_uls=True)
    assert lcs.datasets == ['Total_rates', 'Total_UL']
    assert len(lcs['Total_UL']) == 6


def test_three_sources_get_all_types(sxps, sxps_server):
    names = (J0511, J2217, J0621)
    lcs = sxps.get_lightcurve(source_name=names, bands='all', binning='obsid',
                              get_all_types=True)
    assert list(lcs) == list(names)
    assert lcs[J0511].datasets == ALL_TYPES
    assert lcs[J0621].datasets == ALL_TYPES
    assert not lcs[J2217].upper_limits()
    assert sxps_server.counts['getSXPSLC'] == 3


def test_group_hrs_wire_name_and_other_flags(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['HR1'], group_hrs=False,
                              get_retro_hr=True, group_rates=False, nondet_as_ul=False,
                              hide_bad_pup=True, merge_aliases=True, show_obs=True)
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert body['groupHRs'] is False and 'groupHRss' not in body
    assert body['getRetroHR'] is True and body['groupRates'] is False
    assert body['nondetAsUL'] is False and body['hideBadPup'] is True
    assert body['mergeAliases'] is True and body['showObs'] is True
    assert lcs.datasets == ['HR1_blind', 'HR1_retro']
    assert len(lcs['HR1_blind']) + len(lcs['HR1_retro']) == 44
    assert all(len(o) == 11 for o in lcs['HR1_blind']['ObsID'])


def test_hide_bad_pup_false_adds_a_bin(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], hide_bad_pup=False)
    assert len(lcs['Total_rates']) == 45


def test_separate_rates(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], group_rates=False,
                              nondet_as_ul=False)
    assert lcs.datasets == ['Total_blind_rates', 'Total_retro_rates', 'Total_nondet_rates']
    assert len(lcs['Total_blind_rates']) + len(lcs['Total_retro_rates']) == 44
    assert len(lcs['Total_nondet_rates']) == 51


def test_get_all_types_warns_about_overridden_flags(sxps, sxps_server):
    with pytest.warns(IgnoredOptionWarning, match="group_uls"):
        lcs = sxps.get_lightcurve(source_name=J0511, bands=['total'], get_all_types=True,
                                  group_uls=False, show_obs=True)
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert body['getAllTypes'] is True and 'groupULs' not in body
    assert body['showObs'] is True
    assert 'ObsID' in lcs['Total_blind_rates'].colnames


def test_show_obs_obsid_forms(sxps, sxps_server):
    for style in (None, 'prefix', 'int'):
        sxps_server.options['lc_obsid_style'] = style
        lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], show_obs=True,
                                  cache=False)
        obs = lcs['Total_rates']['ObsID']
        assert obs.dtype.kind == 'U'
        assert list(obs[:2]) == ['00035063002', '00035063003']


def test_every_reply_form_parses(sxps, sxps_server):
    sxps_server.options.update(lc_numbers_as_strings=True, lc_null_cells=True,
                               lc_nan_strings=True, lc_binning_style='short',
                               lc_ul_column_rate=True, lc_extra_keys=True)
    lcs = sxps.get_lightcurve(source_name=J0621, binning='obsid')
    assert lcs.meta['binning'] == 'Observation'
    assert lcs.meta['something_new'] == {'x': 1}
    rates, uls = lcs['Total_rates'], lcs['Total_UL']
    assert rates['Rate'].dtype == float
    assert rates['Rate'][9].value == pytest.approx(0.008568)
    assert np.isnan(rates['BGInSrc'][0].value)
    assert np.isnan(rates['CorrFact'][0])
    assert rates['BGInSrc'][1].value == pytest.approx(249.802)
    assert 'UpperLimit' in uls.colnames and 'Rate' not in uls.colnames
    assert uls['UpperLimit'][1].value == pytest.approx(0.005793)
    snap = sxps.get_lightcurve(source_name=J2217, binning='snapshot')
    assert snap.meta['binning'] == 'Snapshot'


def test_met_time_from_exact_utc(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], time_format='met')
    bodies = sxps_server.requests_for('getSXPSLC')
    assert [b['timeFormat'] for b in bodies] == ['Swift MET', 'MJD']
    rates = lcs['Total_rates']
    assert lcs.meta['time_format'] == 'MET'
    assert rates['MET'].unit == u.s and rates['TimePos'].unit == u.s
    # time is the server's UTC, not MET assumed uniform
    assert rates.time.scale == 'utc'
    assert rates.time[0].mjd == pytest.approx(53945.873326, abs=1e-9)
    naive = Time('2001-01-01', scale='utc') + rates['MET'][0]
    assert abs((naive - rates.time[0]).to_value(u.s)) > 1     # the clock drift is visible
    assert rates['TimePos'][1].to_value(u.d) == pytest.approx(0.973284, abs=1e-6)
    sxps_server.options['lc_time_format_style'] = 'MET'
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], time_format='MET',
                              cache=False)
    assert lcs.meta['time_format'] == 'MET'
    payload = sxps.get_lightcurve(source_name=J0621, time_format='met',
                                  get_query_payload=True)
    assert [b['timeFormat'] for b in payload] == ['Swift MET', 'MJD']


def test_met_mismatch_is_an_error(sxps, sxps_server):
    from astroquery_sxps.exceptions import SXPSResponseError
    good = sxps_server.handle_api({'APIFunc': 'getSXPSLC', 'whichCat': 'LSXPS',
                                   'bands': ['total'], 'binning': 'obsid',
                                   'timeFormat': 'MJD', 'sourceName': J0621})
    good['Total_ratesData']['data'] = good['Total_ratesData']['data'][:-1]
    good['TimeFormat'] = 'Swift MET'
    sxps_server.reply_next(good, api_func='getSXPSLC')   # the MET reply, one bin short
    with pytest.raises(SXPSResponseError, match="different numbers of bins"):
        sxps.get_lightcurve(source_name=J0621, bands=['total'], time_format='met')


def test_transients(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_name=(T0730, T1757), transient=True, binning='counts')
    assert list(lcs) == [T0730, T1757]
    lc = lcs[T0730]
    assert lc.datasets == TRANSIENT_SETS
    assert lc.meta['binning'] == 'Counts' and lc.meta['time_format'] == 'MJD'
    pc = lc['PC_incbad']
    assert len(pc) == 12
    # the server's columns as the curve names them: its Time is our time
    assert pc.meta['columns'] == ['time', 'TimePos', 'TimeNeg', 'Rate', 'RatePos', 'RateNeg',
                                  'FracExp', 'BGrate', 'BGerr', 'CorrFact', 'CtsInSrc',
                                  'BGInSrc', 'Exposure', 'Sigma', 'SNR']
    assert set(pc.meta['columns']) <= set(pc.colnames)
    assert pc.time[0].mjd == pytest.approx(59729.403065)
    assert pc['TimeNeg'][0] == -0.060323 * u.d
    assert pc['BGrate'].unit == u.ct / u.s
    assert pc['SNR'][11] == pytest.approx(2.546578)
    assert pc['Sigma'][0] == pytest.approx(651.026624)
    assert lc['PCUL_incbad']['is_upper_limit'].dtype == bool
    assert len(lc['PCUL_incbad']) == 0 and 'UpperLimit' in lc['PCUL_incbad'].colnames
    assert 'RateErr' in lc['PCHard_incbad'].colnames
    body = sxps_server.requests_for('getSXPSLC')[0]
    assert body['transient'] is True and body['binning'] == 'Counts'


def test_transient_ignored_options_warn(sxps, sxps_server):
    with pytest.warns(IgnoredOptionWarning) as record:
        lcs = sxps.get_lightcurve(source_id=576, transient=True, bands=('total', 'hard'),
                                  time_format='tdb', group_uls=False, binning='snapshot')
    text = str(record[0].message)
    assert 'group_uls' in text and 'bands' in text and 'time_format' in text
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert 'groupULs' not in body and body['timeFormat'] == 'MJD'
    assert lcs.meta['binning'] == 'Snapshot'


def test_trans_as_source(sxps, sxps_server):
    lcs = sxps.get_lightcurve(source_id=[576], transient=True, trans_as_source=True,
                              binning='obsid')
    assert list(lcs) == [366116]
    assert lcs[366116].datasets[:2] == ['Total_rates', 'Total_UL']
    assert sxps_server.counts['getSXPSTransAsSources'] == 1
    body = sxps_server.requests_for('getSXPSLC')[-1]
    assert body['sourceID'] == 366116 and 'transient' not in body


def test_split_source_raises_typed_error(sxps):
    with pytest.raises(SourceSplitError) as err:
        sxps.get_lightcurve(source_id=37562)
    assert list(err.value.newer_sources['LSXPS_ID']) == [122876, 142890, 312964, 129714]
    out = sxps.get_lightcurve(source_id=[37562, 129723], skip_errors=True)
    assert list(out) == [129723]


def test_superseded_source_warns_when_reply_names_it(sxps, sxps_server):
    sxps_server.options['lc_identity'] = True
    with pytest.warns(SupersededWarning, match="129723"):
        lcs = sxps.get_lightcurve(source_id=11375, bands=['total'])
    assert lcs.meta['lsxps_id'] == 129723 and lcs.meta['superseded']
    with warnings.catch_warnings():
        warnings.simplefilter('error', SupersededWarning)
        sxps.get_lightcurve(source_id=129723, bands=['total'])


@pytest.mark.parametrize('kwargs, match', [
    (dict(binning='weekly'), 'binning'),
    (dict(binning='counts'), 'counts'),
    (dict(time_format='jd'), 'time_format'),
    (dict(bands=['ultra']), 'bands'),
    (dict(catalog='3SXPS'), 'catalog'),
    (dict(group_hrs='no'), 'group_hrs'),
    (dict(get_all_types=1), 'get_all_types'),
    (dict(source_id=5), 'exactly one'),
])
def test_bad_input_rejected_before_any_request(sxps, sxps_server, kwargs, match):
    args = dict(source_name=J0621)
    args.update(kwargs)
    with pytest.raises(InvalidQueryError, match=match):
        sxps.get_lightcurve(**args)
    assert sum(sxps_server.counts.values()) == 0


def test_binning_spellings_and_payload(sxps, sxps_server):
    for spelling in ('observation', 'OBSID', 'obs', 'Snapshot', 'ss'):
        body = sxps.get_lightcurve(source_name=J0621, binning=spelling,
                                   get_query_payload=True)
        assert body['binning'] in ('Observation', 'Snapshot')
        assert body['APIFunc'] == 'getSXPSLC'
    bodies = sxps.get_lightcurve(source_id=[1, 2], get_query_payload=True)
    assert [b['sourceID'] for b in bodies] == [1, 2]
    body = sxps.get_lightcurve(source_id=576, transient=True, trans_as_source=True,
                               get_query_payload=True)
    assert body['APIFunc'] == 'getSXPSTransAsSources'
    assert sum(sxps_server.counts.values()) == 0


def test_cache_replays(sxps, sxps_server):
    a = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    b = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    assert sxps_server.counts['getSXPSLC'] == 1
    assert np.all(a['Total_rates']['Rate'] == b['Total_rates']['Rate'])


def test_corrupt_reply_is_an_error(sxps, sxps_server):
    from astroquery_sxps.exceptions import SXPSResponseError
    sxps_server.reply_next({'OK': 1, 'TimeFormat': 'MJD', 'T0': 0, 'Binning': 'obslc',
                            'Datasets': ['Total_rates'],
                            'Total_ratesData': {'columns': ['Time', 'Rate'],
                                                'data': [[1.0, 2.0], [3.0]]}})
    with pytest.raises(SXPSResponseError, match="row 1"):
        sxps.get_lightcurve(source_name=J0621)
    sxps_server.reply_next({'OK': 1, 'TimeFormat': 'MJD', 'Datasets': ['Total_UL']})
    with pytest.raises(SXPSResponseError, match="no Total_ULData"):
        sxps.get_lightcurve(source_name=J0621, cache=False)


def test_missing_binning_is_tolerated(sxps, sxps_server):
    """Quirk Q5: a reply without Binning does not crash."""
    sxps_server.reply_next({'OK': 1, 'TimeFormat': 'MJD', 'T0': 0, 'Datasets': ['Total_rates'],
                            'Total_ratesData': {'columns': ['Time', 'TimePos', 'TimeNeg',
                                                            'Rate'],
                                                'data': [['53945.873326', 0.1, -0.1, None]]}})
    lcs = sxps.get_lightcurve(source_name=J0621)
    assert lcs.meta['binning'] is None
    assert np.isnan(lcs['Total_rates']['Rate'][0].value)


# ---------------------------------------------------------------------------
# merge_lightcurve_bins
# ---------------------------------------------------------------------------
def test_merge_sxps_bins_without_background_rate(sxps):
    from astroquery_sxps import kbn_interval
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    uls = lcs['Total_UL']
    out = merge_lightcurve_bins(uls, rows=[0, 1, 2])
    C = 1 + 1 + 8
    B = 0.117833 + 0.783649 + 2.979070
    E = 308.3979 + 2028.4057 + 10049.2584
    # the exact effective factor: E / sum(E_i / CF_i)
    cf = E / (308.3979 / 1.297271 + 2028.4057 / 1.550901 + 10049.2584 / 1.281389)
    assert out.bin['CtsInSrc'][0] == C * u.ct
    assert out.bin['Exposure'][0].value == pytest.approx(E)
    assert out.bin['CorrFact'][0] == pytest.approx(cf, rel=1e-12)
    assert np.isnan(out.bin['BGrate'][0].value)
    from astroquery_sxps.stats import sigma_to_confidence
    lo, hi = kbn_interval(C, B, sigma_to_confidence(3))      # sigma=3, exactly
    assert out.is_upper_limit
    assert out.bin['UpperLimit'][0].value == pytest.approx(hi * cf / E, rel=1e-9)
    assert not out.inserted and len(out.lightcurve) == 51
    mean_t = np.mean(uls.time[:3].mjd)
    assert out.bin.time[0].mjd == pytest.approx(mean_t, abs=1e-8)
    start = min(uls.time[:3].mjd + uls['TimeNeg'][:3].value)
    assert out.bin.time[0].mjd + out.bin['TimeNeg'][0].value == pytest.approx(start, abs=1e-8)


def test_merge_rates_detected_and_insert(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    rates = lcs['Total_rates']
    out = merge_lightcurve_bins(rates, rows=[0, 1], remove=True, insert=True)
    assert not out.is_upper_limit and out.inserted
    assert len(out.lightcurve) == 43
    C, B = 2354 + 11815, 16.9546 + 249.802
    E = 4851.6 + 48636.6
    cf = E / (4851.6 / 1.58633 + 48636.6 / 1.2321)
    assert out.bin['CorrFact'][0] == pytest.approx(cf, rel=1e-12)
    assert out.bin['Rate'][0].value == pytest.approx((C - B) * cf / E, rel=1e-9)
    assert out.bin['RateNeg'][0].value < 0 < out.bin['RatePos'][0].value
    assert np.all(np.diff(out.lightcurve.time.mjd) > 0)
    assert len(rates) == 44                      # input untouched
    forced = merge_lightcurve_bins(rates, rows=[0, 1], force='ul')
    assert forced.is_upper_limit and 'UpperLimit' in forced.bin.colnames


def _curve(exposure, cf, counts, background, upper_limit=False):
    from astroquery_sxps import SXPSLightCurve
    from astropy.time import Time
    n = len(exposure)
    data = {"TimePos": [0.01] * n * u.d, "TimeNeg": [-0.01] * n * u.d,
            "CtsInSrc": counts * u.ct, "BGInSrc": background * u.ct, "CorrFact": cf,
            "Exposure": exposure * u.s}
    if upper_limit:
        data["UpperLimit"] = [0.1] * n * u.ct / u.s
    else:
        data["Rate"] = (np.array(counts) - np.array(background)) * np.array(cf) \
            / np.array(exposure) * u.ct / u.s
        data["RatePos"] = data["RateNeg"] = [0.001] * n * u.ct / u.s
    lc = SXPSLightCurve(time=Time(59000 + np.arange(n), format="mjd"), data=data)
    lc.meta["is_upper_limit"] = upper_limit
    return lc


def test_merged_correction_factor_is_the_exact_effective_one():
    """Hand computation: bins of 1000 s and 3000 s with factors 1.2 and 2.0."""
    from astroquery_sxps import kbn_interval
    from astroquery_sxps.lightcurves.merge import effective_correction_factor
    cf = 4000.0 / (1000.0 / 1.2 + 3000.0 / 2.0)          # = 1.7142857142857142
    assert cf == pytest.approx(12 / 7)
    assert effective_correction_factor([1000.0, 3000.0], [1.2, 2.0]) == pytest.approx(cf)
    # a source of constant rate R gives R * E_i / CF_i net counts in bin i; merged counts
    # times the factor over the merged exposure give R back (exactly)
    R = 0.01
    counts = R * 1000.0 / 1.2 + R * 3000.0 / 2.0
    assert counts * cf / 4000.0 == pytest.approx(R, rel=1e-15)
    # the weighted means of the existing client do not
    assert counts * ((1.2 * 1000 + 2.0 * 3000) / 4000) / 4000 != pytest.approx(R, rel=1e-3)
    # rates: 20 + 40 counts on 2 + 4 background
    rates = _curve([1000.0, 3000.0], [1.2, 2.0], [20.0, 40.0], [2.0, 4.0])
    merged = merge_lightcurve_bins(rates, force="rate")
    assert merged.bin["CorrFact"][0] == pytest.approx(cf, rel=1e-15)
    assert merged.bin["Rate"][0].value == pytest.approx(54 * cf / 4000, rel=1e-12)
    assert merged.bin["Rate"][0].value == pytest.approx(0.023142857142857142, rel=1e-12)
    # upper limits: 1 + 2 counts on 0.5 + 1.5 background, 3 sigma
    uls = _curve([1000.0, 3000.0], [1.2, 2.0], [1.0, 2.0], [0.5, 1.5], upper_limit=True)
    merged = merge_lightcurve_bins(uls)
    assert merged.is_upper_limit and merged.bin["CorrFact"][0] == pytest.approx(cf)
    from astroquery_sxps.stats import sigma_to_confidence
    smax = kbn_interval(3, 2.0, sigma_to_confidence(3))[1]
    assert merged.bin["UpperLimit"][0].value == pytest.approx(smax * cf / 4000, rel=1e-12)
    # bins without a usable factor are left out; none usable gives NaN
    assert effective_correction_factor([1000.0, 3000.0], [np.nan, 2.0]) == pytest.approx(2.0)
    assert np.isnan(effective_correction_factor([1000.0], [0.0]))


def test_merge_transient_bins_with_background(sxps):
    lc = sxps.get_lightcurve(source_name=T0730, transient=True, binning='counts')
    pc = lc['PC_incbad']
    out = merge_lightcurve_bins(pc, rows=pc.time.mjd < 59730.5, insert='match')
    E = 1740.06656 + 1557.03294 + 1614.70120
    bgr = (0.000047 * 1740.06656 + 0.000505 * 1557.03294 + 0.000502 * 1614.70120) / E
    assert out.bin['BGrate'][0].value == pytest.approx(bgr)
    assert out.bin['FracExp'][0] > 0
    assert out.inserted == (not out.is_upper_limit)


def test_merge_bad_arguments(sxps):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total', 'HR1'])
    with pytest.raises(InvalidQueryError, match="lacks"):
        merge_lightcurve_bins(lcs['HR1'])
    with pytest.raises(InvalidQueryError, match="insert"):
        merge_lightcurve_bins(lcs['Total_rates'], insert='maybe')
    with pytest.raises(InvalidQueryError, match="force"):
        merge_lightcurve_bins(lcs['Total_rates'], force='both')
    with pytest.raises(InvalidQueryError, match="No rows"):
        merge_lightcurve_bins(lcs['Total_rates'], rows=np.zeros(44, bool))


# -- audit findings: bad input refused before any request -------------------------------
@pytest.mark.parametrize("kwargs", [
    dict(source_id=576, transient=True, catalog='2SXPS'),
    dict(source_name=[T0730], transient=True, catalog='2sxps'),
    dict(source_id=576, transient=True, trans_as_source=True, catalog='2SXPS'),
])
def test_transient_in_2sxps_refused(sxps, sxps_server, kwargs):
    for payload in (True, False):
        with pytest.raises(InvalidQueryError, match="catalog='2SXPS'.*only in LSXPS"):
            sxps.get_lightcurve(get_query_payload=payload, **kwargs)
    assert sum(sxps_server.counts.values()) == 0


def test_emulator_refuses_2sxps_transient(sxps, sxps_server):
    from astroquery_sxps.lightcurves.parse import lightcurve_request
    request = lightcurve_request('2SXPS', 'sourceID', 576, bands='all', binning='Counts',
                                 time_format='MJD', transient=True)
    with pytest.raises(SXPSServerError, match="only available in LSXPS"):
        sxps._transport.call(request, cache=False)
    assert sxps_server.counts['getSXPSLC'] == 1


@pytest.mark.parametrize("kwargs,match", [
    (dict(rows=[]), "selects no rows"),
    (dict(rows=np.array([], dtype=int)), "selects no rows"),
    (dict(remove='x'), "remove must be True or False"),
    (dict(remove=1), "remove must be True or False"),
    (dict(insert=1), "insert must be True, False or 'match'"),
    (dict(rows=[[0, 1]]), "rows must be"),
])
def test_merge_bins_bad_selection_and_flags(sxps, kwargs, match):
    lc = sxps.get_lightcurve(source_name=J0621, bands=['total'])['Total_rates']
    before = lc.copy()
    with pytest.raises(InvalidQueryError, match=match):
        merge_lightcurve_bins(lc, **kwargs)
    assert np.array_equal(lc['Rate'], before['Rate'])
