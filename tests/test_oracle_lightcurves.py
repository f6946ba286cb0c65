"""Oracle: the unmodified swifttools client, pointed at our emulator, replays the
tutorial's light-curve calls and gets the tutorial's values; ours agrees with it."""
import contextlib
import os

import numpy as np
import pytest

swifttools = pytest.importorskip(
    "swifttools", reason="swifttools (the existing client, used as an oracle) is not installed")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

J0621 = "LSXPS J062131.8-622213"
J0511 = "LSXPS J051152.3-621925"
J2217 = "LSXPS J221755.4-082100"
DEFAULT = ['Total_rates', 'Total_UL', 'Soft_rates', 'Soft_UL', 'Medium_rates', 'Medium_UL',
           'Hard_rates', 'Hard_UL', 'HR1', 'HR2']


@pytest.fixture
def oracle(swifttools_uds):
    return swifttools_uds


def test_default_curve_values(oracle, sxps):
    lcs = oracle.getLightCurves(sourceName=J0621, cat='LSXPS', binning='obsid',
                                timeFormat='MJD', saveData=False, returnData=True)
    assert list(lcs.keys()) == DEFAULT + ['TimeFormat', 'T0', 'Binning', 'Datasets']
    assert (lcs['TimeFormat'], lcs['Binning'], lcs['T0']) == ('MJD', 'Observation', 0)
    assert len(lcs['Total_rates']) == 44 and len(lcs['Total_UL']) == 51
    assert lcs['Total_rates']['Rate'].iloc[9] == 0.008568
    assert lcs['Total_UL']['UpperLimit'].iloc[0] == 0.033719
    ours = sxps.get_lightcurve(source_name=J0621, binning='obsid', time_format='MJD')
    assert ours.datasets == lcs['Datasets']
    for name in ours.datasets:
        df, ts = lcs[name], ours[name]
        assert len(df) == len(ts)
        assert np.allclose(df['Time'], ts.time.mjd, rtol=0, atol=1e-9)
        for col in df.columns:
            if col != 'Time':
                assert np.allclose(df[col], np.asarray(getattr(ts[col], 'value', ts[col])),
                                   equal_nan=True), (name, col)


def test_option_combinations(oracle):
    lcs = oracle.getLightCurves(sourceName=J2217, cat='LSXPS', binning='snapshot',
                                timeFormat='TDB', bands=('total', 'hard', 'HR1'),
                                saveData=False, returnData=True)
    assert list(lcs.keys()) == ['Total_rates', 'Hard_rates', 'HR1', 'TimeFormat', 'T0',
                                'Binning', 'Datasets']
    lcs = oracle.getLightCurves(sourceName=J0511, cat='LSXPS', bands=('total',),
                                binning='obsid', timeFormat='MJD', saveData=False,
                                returnData=True, getAllTypes=True)
    assert lcs['Datasets'] == ['Total_blind_rates', 'Total_retro_rates', 'Total_nondet_rates',
                               'Total_retro_UL', 'Total_nondet_UL']
    lcs = oracle.getLightCurves(sourceName=J0511, cat='LSXPS', bands=('total',),
                                binning='obsid', timeFormat='MJD', saveData=False,
                                returnData=True, retroAsUL=True, groupULs=False)
    assert lcs['Datasets'] == ['Total_rates', 'Total_retro_UL', 'Total_nondet_UL']
    assert (len(lcs['Total_retro_UL']), len(lcs['Total_nondet_UL'])) == (2, 4)
    lcs = oracle.getLightCurves(sourceName=J0511, cat='LSXPS', bands=('total',),
                                binning='obsid', timeFormat='MJD', saveData=False,
                                returnData=True, retroAsUL=True, groupULs=True)
    assert lcs['Datasets'] == ['Total_rates', 'Total_UL'] and len(lcs['Total_UL']) == 6


def test_three_sources_all_types(oracle):
    lcs = oracle.getLightCurves(sourceName=(J0511, J2217, J0621), cat='LSXPS', bands='all',
                                binning='obsid', timeFormat='MJD', saveData=False,
                                returnData=True, getAllTypes=True)
    assert list(lcs.keys()) == [J0511, J2217, J0621]
    assert len(lcs[J0511]['Datasets']) == 24
    assert lcs[J0511]['Datasets'][-4:] == ['HR1_blind', 'HR1_retro', 'HR2_blind', 'HR2_retro']


def test_transients(oracle):
    lcs = oracle.getLightCurves(sourceName=('Swift J073006.8-193709', 'Swift J175737.4-070600'),
                                transient=True, cat='LSXPS', binning='counts',
                                saveData=False, returnData=True)
    assert list(lcs.keys()) == ['Swift J073006.8-193709', 'Swift J175737.4-070600']
    lc = lcs['Swift J073006.8-193709']
    assert lc['Datasets'] == ['PC_incbad', 'PCUL_incbad', 'PCHard_incbad', 'PCSoft_incbad',
                              'PCHR_incbad', 'PC_nosys_incbad', 'PCUL_nosys_incbad',
                              'PCHard_nosys_incbad', 'PCSoft_nosys_incbad',
                              'PCHR_nosys_incbad']
    pc = lc['PC_incbad']
    assert list(pc.columns) == ['Time', 'TimePos', 'TimeNeg', 'Rate', 'RatePos', 'RateNeg',
                                'FracExp', 'BGrate', 'BGerr', 'CorrFact', 'CtsInSrc',
                                'BGInSrc', 'Exposure', 'Sigma', 'SNR']
    assert len(pc) == 12 and pc['Time'].iloc[11] == 59737.808680


@contextlib.contextmanager
def chdir(path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def test_saved_file_names_match_ours(oracle, sxps, tmp_path, file_tree):
    from astroquery_sxps import save_lightcurves
    for subdirs, tag in ((True, 'LC3'), (False, 'LC4')):
        theirs = tmp_path / f'st_{tag}'
        with chdir(tmp_path):
            oracle.getLightCurves(sourceName=(J0621, J0511), cat='LSXPS', saveData=True,
                                  binning='obsid', timeFormat='MJD', destDir=str(theirs),
                                  subDirs=subdirs)
        lcs = sxps.get_lightcurve(source_name=(J0621, J0511), binning='obsid',
                                  time_format='MJD')
        ours = tmp_path / f'us_{tag}'
        save_lightcurves(lcs, ours, format='dat', subdirs=subdirs)
        assert file_tree(theirs) == file_tree(ours)
        if subdirs:
            assert f'{J0621}/Total_UL_MJD_Observation.dat' in file_tree(ours)
        else:
            assert f'{J0621}_Total_UL_MJD_Observation.dat' in file_tree(ours)
        # same numbers in the text files
        for rel in file_tree(ours):
            a = np.genfromtxt(theirs / rel, delimiter=',')
            b = np.genfromtxt(ours / rel, delimiter=',')
            assert np.allclose(a, b, equal_nan=True), rel
