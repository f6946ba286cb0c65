"""save_lightcurves: tutorial file names, formats that round-trip, clobber, filters."""
import numpy as np
import pytest
import astropy.units as u
from astropy.table import QTable
from astropy.timeseries import TimeSeries

from astroquery_sxps import save_lightcurves
from astroquery_sxps.exceptions import InvalidQueryError

J0621 = "LSXPS J062131.8-622213"
J0511 = "LSXPS J051152.3-621925"
J2217 = "LSXPS J221755.4-082100"
DEFAULT = ['Total_rates', 'Total_UL', 'Soft_rates', 'Soft_UL', 'Medium_rates', 'Medium_UL',
           'Hard_rates', 'Hard_UL', 'HR1', 'HR2']


def names(paths, root):
    return [str(p.relative_to(root)) for p in paths]


def test_single_source_dat_names_and_content(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, binning='obsid', time_format='MJD')
    paths = save_lightcurves(lcs, tmp_path / 'APIDemo_SXPS_LC', format='dat')
    assert names(paths, tmp_path / 'APIDemo_SXPS_LC') == [
        f'{d}_MJD_Observation.dat' for d in DEFAULT]
    lines = (tmp_path / 'APIDemo_SXPS_LC' / 'Total_rates_MJD_Observation.dat'
             ).read_text().splitlines()
    assert len(lines) == 44
    assert lines[1] == ('53946.917497,0.973284,-0.973284,0.292977,0.002783,-0.002783,'
                        '11815.0,249.802,1.2321,48636.6')


def test_two_sources_subdirs_true_and_false(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=(J0621, J0511), binning='obsid', time_format='MJD')
    paths = save_lightcurves(lcs, tmp_path / 'LC3', format='dat', subdirs=True)
    expected = [f'{src}/{d}_MJD_Observation.dat' for src in (J0621, J0511) for d in DEFAULT]
    assert names(paths, tmp_path / 'LC3') == expected
    paths = save_lightcurves(lcs, tmp_path / 'LC4', format='dat', subdirs=False)
    expected = [f'{src}_{d}_MJD_Observation.dat' for src in (J0621, J0511) for d in DEFAULT]
    assert names(paths, tmp_path / 'LC4') == expected
    assert (tmp_path / 'LC4' / f'{J0621}_Total_UL_MJD_Observation.dat').is_file()


def test_which_sources_and_which_curves_filter(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=(J0511, J2217, J0621), bands='all', binning='obsid',
                              get_all_types=True)
    paths = save_lightcurves(lcs, tmp_path / 'LC5', which_sources=(J0511, J0621),
                             which_curves=('Total_blind_rates', 'Hard_nondet_UL'),
                             format='dat', subdirs=True)
    assert names(paths, tmp_path / 'LC5') == [
        f'{J0511}/Total_blind_rates_MJD_Observation.dat',
        f'{J0511}/Hard_nondet_UL_MJD_Observation.dat',
        f'{J0621}/Total_blind_rates_MJD_Observation.dat',
        f'{J0621}/Hard_nondet_UL_MJD_Observation.dat']
    assert not (tmp_path / 'LC5' / J2217).exists()
    with pytest.raises(InvalidQueryError, match='which_sources'):
        save_lightcurves(lcs, tmp_path / 'x', which_sources=['nope'])


def test_clobber(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    save_lightcurves(lcs, tmp_path, format='dat')
    target = tmp_path / 'Total_rates_MJD_Observation.dat'
    target.write_text('keep me')
    with pytest.raises(FileExistsError, match='clobber'):
        save_lightcurves(lcs, tmp_path, format='dat')
    assert target.read_text() == 'keep me'
    save_lightcurves(lcs, tmp_path, format='dat', clobber=True)
    assert target.read_text().startswith('53945.873326,')


@pytest.mark.parametrize('time_format', ['mjd', 'tdb', 'met'])
def test_ecsv_and_fits_round_trip(sxps, tmp_path, time_format):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], show_obs=True,
                              time_format=time_format)
    ecsv = save_lightcurves(lcs, tmp_path, which_curves='Total_rates')
    fits = save_lightcurves(lcs, tmp_path, which_curves=['Total_rates'], format='fits')
    tf = {'mjd': 'MJD', 'tdb': 'TDB', 'met': 'MET'}[time_format]
    assert ecsv[0].name == f'Total_rates_{tf}_Observation.ecsv'
    assert fits[0].name == f'Total_rates_{tf}_Observation.fits'
    orig = lcs['Total_rates']
    for back in (TimeSeries.read(ecsv[0], format='ascii.ecsv'),
                 TimeSeries(QTable.read(fits[0], astropy_native=True))):
        assert back.time.scale == orig.time.scale
        assert np.allclose((back.time - orig.time).to_value(u.s), 0, atol=1e-6)
        assert back['Rate'].unit == u.ct / u.s
        assert np.all(back['Rate'] == orig['Rate'])
        assert list(back['ObsID']) == list(orig['ObsID'])
        assert back['is_upper_limit'].dtype == bool


def test_qdp_format(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'], show_obs=True)
    paths = save_lightcurves(lcs, tmp_path, format='qdp')
    # astropy's QDP writer ends the table with a blank line
    rates = paths[0].read_text().rstrip("\n").splitlines()
    uls = paths[1].read_text().rstrip("\n").splitlines()
    assert rates[0] == 'READ TERR 1 2' and uls[0] == 'READ TERR 1'
    assert rates[1].startswith('!Time TimePos TimeNeg Rate') and 'ObsID' not in rates[1]
    assert len(rates) == 46


def test_bad_arguments(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    with pytest.raises(InvalidQueryError, match='format'):
        save_lightcurves(lcs, tmp_path, format='csv')
    with pytest.raises(InvalidQueryError):
        save_lightcurves({'a': 1}, tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / 'astroquery-cache'] or \
        not any(p.suffix for p in tmp_path.iterdir())


@pytest.mark.parametrize("kwargs,match", [
    (dict(sep=5), "sep must be"),
    (dict(sep=''), "sep must be"),
    (dict(download_dir=5), "download_dir must be"),
    (dict(download_dir=''), "download_dir must be"),
    (dict(header='x'), "header must be True or False"),
    (dict(subdirs='x'), "subdirs must be True or False"),
    (dict(clobber=1), "clobber must be True or False"),
    (dict(which_sources=['nope']), r"\['nope'\] not among the sources"),
    (dict(which_sources='nope'), "not among the sources"),
    (dict(which_sources=[]), "selects none"),
    (dict(which_sources=5.5), "which_sources must be"),
    (dict(which_curves=5), "which_curves must be"),
    (dict(which_curves=[1]), "which_curves must be"),
    (dict(which_curves=[]), "which_curves must be"),
])
def test_single_collection_arguments_validated(sxps, sxps_server, tmp_path, monkeypatch,
                                               kwargs, match):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    monkeypatch.chdir(tmp_path)
    out = tmp_path / 'out'
    kwargs = dict(kwargs)
    download_dir = kwargs.pop('download_dir', out)
    with pytest.raises(InvalidQueryError, match=match):
        save_lightcurves(lcs, download_dir, format='dat', **kwargs)
    assert not out.exists()


def test_download_dir_everywhere_destdir_deprecated(sxps, tmp_path, monkeypatch):
    """One name for one idea: download_dir, as in every method; the tutorial-era
    ``destdir`` still works, with an AstropyDeprecationWarning."""
    from astropy.utils.exceptions import AstropyDeprecationWarning
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    new = save_lightcurves(lcs, download_dir=tmp_path / 'new', format='dat')
    with pytest.warns(AstropyDeprecationWarning, match="destdir is deprecated; use download_dir"):
        old = save_lightcurves(lcs, destdir=tmp_path / 'old', format='dat')
    assert [p.name for p in old] == [p.name for p in new] and old[0].parent == tmp_path / 'old'
    with pytest.warns(AstropyDeprecationWarning):
        saved = lcs.save(destdir=tmp_path / 'method', format='dat')
    assert saved[0].parent == tmp_path / 'method'
    assert lcs.save(download_dir=tmp_path / 'm2', format='dat')[0].parent == tmp_path / 'm2'
    with pytest.raises(InvalidQueryError, match="Give download_dir only"):
        save_lightcurves(lcs, tmp_path / 'a', destdir=tmp_path / 'b')
    assert not (tmp_path / 'a').exists() and not (tmp_path / 'b').exists()
    monkeypatch.chdir(tmp_path)
    assert save_lightcurves(lcs, format='dat')[0].parent.name == 'lc'   # the default


def test_dict_arguments_validated(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=[J0621, 'LSXPS J051152.3-621925'], bands=['total'])
    with pytest.raises(InvalidQueryError, match=r"\['nope'\] not among the sources"):
        save_lightcurves(lcs, tmp_path / 'out', which_sources=[J0621, 'nope'])
    with pytest.raises(InvalidQueryError, match="which_sources must be"):
        save_lightcurves(lcs, tmp_path / 'out', which_sources=[[J0621]])
    assert not (tmp_path / 'out').exists()


def test_single_collection_which_sources_by_identifier(sxps, tmp_path):
    lcs = sxps.get_lightcurve(source_name=J0621, bands=['total'])
    paths = save_lightcurves(lcs, tmp_path, which_sources=[J0621], which_curves='Total_rates',
                             format='dat', header=True, sep='\t')
    assert [p.name for p in paths] == ['Total_rates_MJD_Observation.dat']
    first = paths[0].read_text().splitlines()[0]
    assert first.split('\t')[:3] == ['Time', 'TimePos', 'TimeNeg']
    assert save_lightcurves(lcs, tmp_path / 'x', which_sources=J0621, format='dat',
                            which_curves=['Total_UL'])[0].parent == tmp_path / 'x'
