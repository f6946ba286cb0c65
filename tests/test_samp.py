"""send_table / send_image against a real in-process SAMP hub, with a receiving client
that reads what arrives. The hub is found the standard way: SAMP_HUB, or the lock file
in a temporary HOME. Every wait is bounded; the hub and clients are always stopped."""
import threading
from urllib.parse import unquote, urlparse

import numpy as np
import pytest
import astropy.units as u
from astropy.io import fits
from astropy.table import Table
from astropy.time import Time

from astroquery_sxps import DatasetImages, send_image, send_table
from astroquery_sxps.exceptions import (InvalidQueryError, SAMPHubNotFoundError,
                                        SAMPRecipientError)
from astroquery_sxps.interop.samp import samp_module

samp = samp_module()
WAIT = 10     # seconds; a message that has not arrived by then has failed


class Receiver:
    """A SAMP client that records the messages of one mtype and the data they point to."""

    def __init__(self, name, mtype, reader):
        self.client = samp.SAMPIntegratedClient(name=name)
        self.client.connect()
        self.arrived = threading.Event()
        self.messages, self.data = [], []
        self.reader = reader
        self.client.bind_receive_notification(mtype, self._receive)

    def _receive(self, private_key, sender_id, mtype, params, extra):
        self.messages.append(params)
        self.data.append(self.reader(unquote(urlparse(params["url"]).path)))
        self.arrived.set()

    def wait(self):
        assert self.arrived.wait(WAIT), "nothing arrived"
        return self.data[-1]

    def close(self):
        if self.client.is_connected:
            self.client.disconnect()


def _read_image(path):
    with fits.open(path) as hdul:
        return hdul[0].data.copy()


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A hub of our own, announced through SAMP_HUB; HOME is empty so no other hub is seen."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    lock = tmp_path / "samp.lock"
    server = samp.SAMPHubServer(web_profile=False, lockfile=str(lock), mode="single")
    server.start()
    monkeypatch.setenv("SAMP_HUB", f"std-lockurl:{lock.as_uri()}")
    receivers = []
    try:
        yield receivers
    finally:
        for r in receivers:
            r.close()
        server.stop()


def _receiver(hub, name, mtype, reader):
    r = Receiver(name, mtype, reader)
    hub.append(r)
    return r


def _read_votable(path):
    """What a VO client sees: astropy's own VOTable reader (astropy warns that erg, which
    the flux columns of details use, is deprecated in VOUnit; VOUnit parsers still
    recognise it, see astroquery_sxps._votable)."""
    import warnings
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The unit 'erg' has been deprecated",
                                category=u.UnitsWarning)
        return Table.read(path, format="votable")


def test_table_arrives_with_rows_and_units(hub, sxps):
    topcat = _receiver(hub, "TOPCAT", "table.load.votable", _read_votable)
    lc = sxps.get_lightcurve(source_name="LSXPS J062131.8-622213")["Total_rates"]
    assert send_table(lc, recipient="topcat", name="J0621 rates") == ["TOPCAT"]
    got = topcat.wait()
    assert topcat.messages[0]["name"] == "J0621 rates"
    assert len(got) == len(lc)
    assert got["Rate"].unit == u.ct / u.s and got["Exposure"].unit == u.s
    assert np.allclose(got["Rate"], lc["Rate"].value)
    # time arrives as MJD (UTC), named in the description
    assert got["time"].unit == u.d and "MJD (UTC)" in got["time"].description
    assert np.allclose(got["time"], lc.time.utc.mjd)


def test_broadcast_to_every_table_client(hub, sxps):
    a = _receiver(hub, "TOPCAT", "table.load.votable", _read_votable)
    b = _receiver(hub, "Aladin", "table.load.votable", _read_votable)
    _receiver(hub, "ds9", "image.load.fits", _read_image)      # takes no tables
    d = sxps.get_source_details(source_id=1)
    sent = send_table(d["CrossMatch"])
    assert sorted(sent) == ["Aladin", "TOPCAT"]
    for r in (a, b):
        got = r.wait()
        assert got["Distance"].unit == u.arcsec
        assert np.allclose(got["Ext_coord_ra"], d["CrossMatch"]["Ext_RA"])
        assert got["Ext_coord_ra"].unit == u.deg


def test_details_go_as_their_one_row_table(hub, sxps):
    topcat = _receiver(hub, "topcat", "table.load.votable", _read_votable)
    d = sxps.get_source_details(source_id=129723)
    send_table(d, recipient="TOPCAT")
    got = topcat.wait()
    assert len(got) == 1 and got["IAUName"][0] == "LSXPS J174527.1-290217"
    assert got["coord_ra"][0] == pytest.approx(d["RA"].to_value(u.deg))


def test_image_arrives_from_hdulist_path_and_dataset_images(hub, tmp_path):
    ds9 = _receiver(hub, "SAOImageDS9", "image.load.fits", _read_image)
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    hdul = fits.HDUList([fits.PrimaryHDU(data)])
    assert send_image(hdul, recipient="saoimageds9") == ["SAOImageDS9"]
    assert np.array_equal(ds9.wait(), data)
    ds9.arrived.clear()
    path = tmp_path / "img.fits"
    fits.HDUList([fits.PrimaryHDU(data * 2)]).writeto(path)
    send_image(str(path), name="mine")
    assert np.array_equal(ds9.wait(), data * 2)
    assert ds9.messages[-1]["name"] == "mine"
    assert unquote(urlparse(ds9.messages[-1]["url"]).path) == str(path.resolve())


def test_dataset_images_result(hub, sxps):
    ds9 = _receiver(hub, "ds9", "image.load.fits", _read_image)
    ims = sxps.get_images(obsid="00282445000")
    assert isinstance(ims, DatasetImages)
    send_image(ims, band="Soft")
    assert np.array_equal(ds9.wait(), ims.open("Soft", "Image")[0].data)
    with pytest.raises(InvalidQueryError, match="no 'Soft' 'Regions'"):
        send_image(ims, band="Soft", image_type="Regions")


def test_hub_found_through_the_lock_file_in_home(tmp_path, monkeypatch):
    monkeypatch.delenv("SAMP_HUB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    server = samp.SAMPHubServer(web_profile=False)      # writes ~/.samp
    server.start()
    r = None
    try:
        assert (tmp_path / ".samp").exists()
        r = Receiver("topcat", "table.load.votable", _read_votable)
        send_table(Table({"a": [1.5, 2.5] * u.ct}))
        got = r.wait()
        assert got["a"].unit == u.ct and list(got["a"]) == [1.5, 2.5]
    finally:
        if r is not None:
            r.close()
        server.stop()


def test_no_hub(tmp_path, monkeypatch):
    monkeypatch.delenv("SAMP_HUB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(SAMPHubNotFoundError, match="No SAMP hub is running"):
        send_table(Table({"a": [1]}))
    with pytest.raises(SAMPHubNotFoundError):
        send_image(fits.HDUList([fits.PrimaryHDU(np.zeros((2, 2)))]))


def test_hub_gone_but_lock_file_left(tmp_path, monkeypatch):
    lock = tmp_path / "lock"
    server = samp.SAMPHubServer(web_profile=False, lockfile=str(lock))
    server.start()
    stale = lock.read_text()
    server.stop()
    lock.write_text(stale)                       # a crashed hub leaves its lock file
    monkeypatch.setenv("SAMP_HUB", f"std-lockurl:{lock.as_uri()}")
    with pytest.raises(SAMPHubNotFoundError):
        send_table(Table({"a": [1]}))


def test_unknown_or_unsuitable_recipient(hub):
    _receiver(hub, "TOPCAT", "table.load.votable", _read_votable)
    with pytest.raises(SAMPRecipientError, match="No SAMP client named 'aladin'.*'TOPCAT'"):
        send_table(Table({"a": [1]}), recipient="aladin")
    with pytest.raises(SAMPRecipientError, match="'topcat' is connected but does not accept "
                                                 "image.load.fits"):
        send_image(fits.HDUList([fits.PrimaryHDU(np.zeros((2, 2)))]), recipient="topcat")
    with pytest.raises(SAMPRecipientError, match="No client connected to the SAMP hub accepts "
                                                 "image.load.fits"):
        send_image(fits.HDUList([fits.PrimaryHDU(np.zeros((2, 2)))]))


@pytest.mark.parametrize("call,match", [
    (lambda: send_table([1, 2]), "table must be an astropy Table"),
    (lambda: send_table(Table(), recipient=""), "recipient must be None or a non-empty"),
    (lambda: send_table(Table(), name=3), "name must be None or a non-empty"),
    (lambda: send_image(Table()), "image must be a FITS file name"),
    (lambda: send_image("/no/such/file.fits"), "is not an existing file"),
])
def test_bad_arguments_refused_before_the_hub(tmp_path, monkeypatch, call, match):
    monkeypatch.delenv("SAMP_HUB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))     # no hub: the check must come first
    with pytest.raises(InvalidQueryError, match=match):
        call()


def test_any_table_with_mixins_and_objects_arrives_as_plain_columns(hub):
    """A user's own Table (not a result) goes through the writer of every result: times as
    MJD in their scale, TimeDelta as days, positions as ICRS RA/Dec, dicts as JSON."""
    import json
    from astropy.coordinates import SkyCoord
    from astropy.time import TimeDelta
    topcat = _receiver(hub, "TOPCAT", "table.load.votable", _read_votable)
    t = Table({"t": Time(["2020-01-01T00:00:00", "2020-01-02T00:00:00"], scale="tt"),
               "dt": TimeDelta([1, 2], format="jd"),
               "c": SkyCoord([10, 20], [-5, 5], unit="deg", frame="fk5")})
    t["o"] = np.array([{"C": 3}, None], dtype=object)
    t.meta.update({"catalog": "LSXPS", "where": SkyCoord(1, 2, unit="deg")})
    send_table(t, recipient="topcat")
    out = topcat.wait()
    assert out.colnames == ["t", "dt", "c_ra", "c_dec", "o"]
    assert out["t"].description == "MJD (TT)" and out["t"].unit == u.d
    assert np.allclose(out["t"], t["t"].mjd, rtol=0, atol=1e-9)
    assert np.allclose(out["dt"], [1, 2]) and out["dt"].unit == u.d
    assert np.allclose(out["c_ra"], t["c"].icrs.ra.deg) and out["c_ra"].unit == u.deg
    assert [json.loads(v) for v in out["o"]] == [{"C": 3}, None]
    assert isinstance(t["c"], SkyCoord) and t["c"].frame.name == "fk5"    # input unchanged
