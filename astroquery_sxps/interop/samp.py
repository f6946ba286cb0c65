"""SAMP hand-off: send tables to TOPCAT (or Aladin...) and FITS images to DS9 (or Aladin...).

The hub is found the standard way (the ``SAMP_HUB`` environment variable, else
the ``~/.samp`` lock file that TOPCAT, DS9 or Aladin write when they run a hub).
The client is pyvo's SAMP implementation (astropy's, deprecated in astropy 8,
moved to ``pyvo.samp`` in pyvo 1.9), or ``astropy.samp`` with an older pyvo.

pyvo's ``send_table_to``/``send_image_to`` helpers are not used: they match
client names case-sensitively, call every registered client (the hub and
clients that do not take the message too) and raise a bare ``KeyError`` for
an unknown name; here only clients that subscribe to the message type are
addressed, names match case-insensitively, and errors are typed.

The data travel as files: tables as VOTable (the writer of every result:
positions as RA/Dec columns in degrees, times as MJD with their time system,
UCDs, the query in INFO elements), images as FITS, written to a temporary
folder of this Python session (removed when it ends) and sent as ``file://``
URLs, which the receivers read after the message arrives.
"""
import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from astropy.io import fits
from astropy.table import Table
from astroquery import log

from .._results import SXPSTable
from ..exceptions import InvalidQueryError, SAMPHubNotFoundError, SAMPRecipientError
from ..lightcurves import SXPSLightCurve

__all__ = ["send_table", "send_image", "TABLE_MTYPE", "IMAGE_MTYPE"]

TABLE_MTYPE = "table.load.votable"
IMAGE_MTYPE = "image.load.fits"
_CLIENT_NAME = "astroquery_sxps"
_temp_dir = None


def samp_module():
    """pyvo's SAMP package when it has the client (pyvo >= 1.9), else astropy's."""
    try:
        from pyvo import samp
        samp.SAMPIntegratedClient   # noqa: B018  (older pyvo has a samp module without it)
        return samp
    except (ImportError, AttributeError):    # pragma: no cover - older pyvo
        from astropy import samp
        return samp


def _temp_path(suffix):
    """A new file name in this session's temporary folder (removed at exit)."""
    global _temp_dir
    if _temp_dir is None or not os.path.isdir(_temp_dir):
        _temp_dir = tempfile.mkdtemp(prefix="astroquery_sxps_samp_")
        atexit.register(shutil.rmtree, _temp_dir, True)
    return Path(_temp_dir) / f"{uuid.uuid4().hex}{suffix}"


# -- the hub ---------------------------------------------------------------------------
def _check_text(name, value):
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidQueryError(f"{name} must be None or a non-empty string, not {value!r}.")
    return value.strip() if isinstance(value, str) else None


def _connect():
    samp = samp_module()
    client = samp.SAMPIntegratedClient(name=_CLIENT_NAME, callable=False,
                                       description="astroquery-sxps results")
    try:
        client.connect()
    except (samp.SAMPHubError, OSError) as exc:
        raise SAMPHubNotFoundError(
            "No SAMP hub is running (or it cannot be reached): start TOPCAT, DS9 or Aladin, "
            "or a hub, and try again. The hub is looked up through the SAMP_HUB environment "
            f"variable or the ~/.samp lock file ({exc}).") from exc
    return client


def _targets(client, mtype, recipient):
    """``{client id: samp.name}`` of the clients to send ``mtype`` to."""
    subscribed = {cid: str(client.get_metadata(cid).get("samp.name", ""))
                  for cid in client.get_subscribed_clients(mtype)}
    if recipient is None:
        if not subscribed:
            raise SAMPRecipientError(f"No client connected to the SAMP hub accepts {mtype} "
                                     "(start TOPCAT, DS9 or Aladin).")
        return subscribed
    wanted = recipient.lower()
    chosen = {cid: n for cid, n in subscribed.items() if cid == recipient or n.lower() == wanted}
    if chosen:
        return chosen
    offered = ", ".join(repr(n or cid) for cid, n in subscribed.items()) or "none"
    registered = [str(client.get_metadata(cid).get("samp.name", cid))
                  for cid in client.get_registered_clients()]
    if any(n.lower() == wanted for n in registered) or recipient in \
            client.get_registered_clients():
        raise SAMPRecipientError(f"The SAMP client {recipient!r} is connected but does not "
                                 f"accept {mtype}; clients that do: {offered}.")
    raise SAMPRecipientError(f"No SAMP client named {recipient!r} is connected to the hub; "
                             f"clients accepting {mtype}: {offered}.")


def _send(mtype, url, name, recipient):
    client = _connect()
    try:
        targets = _targets(client, mtype, recipient)
        message = {"samp.mtype": mtype, "samp.params": {"url": url, "name": name}}
        for cid in targets:
            client.notify(cid, message)
            log.debug(f"Sent {mtype} {url} to {targets[cid] or cid}.")
    finally:
        client.disconnect()
    return [targets[cid] or cid for cid in targets]


def send_table(table, *, recipient=None, name=None):
    """Send a table to TOPCAT, Aladin or any SAMP client that loads VOTables.

    The table is written as a VOTable with the writer of every result
    (``table.write(path, format='votable')``: positions as RA/Dec columns in
    degrees, times as MJD numbers with a TIMESYS naming their scale, UCDs,
    the query in INFO elements; any other astropy Table is written as an
    `~astroquery_sxps.SXPSTable`) to a temporary file of this session and
    announced with ``table.load.votable``.

    Parameters
    ----------
    table : `~astropy.table.Table` or details
        Any table-like result (a light curve, an upper-limit or cone-search
        table...), or source/dataset/transient details (sent as their
        one-row ``to_table()``).
    recipient : str, optional
        The client's name (``'topcat'``, ``'Aladin'``; case-insensitive) or
        its SAMP id. Default: every client that accepts tables.
    name : str, optional
        The name the receiver shows (default: the table's ``meta['table']``
        or ``'astroquery_sxps'``).

    Returns
    -------
    list of str
        The names (or ids) of the clients the table was sent to.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        ``table``, ``recipient`` or ``name`` of the wrong type.
    astroquery_sxps.exceptions.SAMPHubNotFoundError
        No hub runs.
    astroquery_sxps.exceptions.SAMPRecipientError
        ``recipient`` is not connected or does not load tables, or nobody does.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, send_table
    >>> near = SXPS.query_region('249.25254 7.65391', radius=300)  # doctest: +SKIP
    >>> send_table(near, recipient='topcat')  # doctest: +SKIP
    ['topcat']
    """
    recipient = _check_text("recipient", recipient)
    name = _check_text("name", name)
    if not isinstance(table, Table) and callable(getattr(table, "to_table", None)):
        table = table.to_table()
    if not isinstance(table, Table):
        raise InvalidQueryError(f"table must be an astropy Table (or details with to_table()), "
                                f"not {type(table).__name__}.")
    path = _temp_path(".xml")
    if not isinstance(table, (SXPSTable, SXPSLightCurve)):
        table = SXPSTable(table, copy=False)
    table.write(path, format="votable")
    label = name or str(table.meta.get("table") or table.meta.get("dataset") or _CLIENT_NAME)
    return _send(TABLE_MTYPE, path.as_uri(), label, recipient)


def send_image(image, *, recipient=None, name=None, band="Total", image_type="Image"):
    """Send a FITS image to DS9, Aladin or any SAMP client that loads FITS images.

    Parameters
    ----------
    image : str, path-like, `~astropy.io.fits.HDUList` or `~astroquery_sxps.DatasetImages`
        A FITS file (sent as it is), an HDUList (written to a temporary FITS
        file of this session), or a dataset-image result of
        `~astroquery_sxps.SXPSClass.get_images`, of which
        ``image[band][image_type]`` is sent.
    recipient : str, optional
        The client's name (``'ds9'``, ``'Aladin'``; case-insensitive) or its
        SAMP id. Default: every client that accepts FITS images.
    name : str, optional
        The name the receiver shows (default: the file name).
    band, image_type : str, optional
        For a `~astroquery_sxps.DatasetImages`: which image (``'Total'``,
        ``'Soft'``, ``'Medium'``, ``'Hard'``, ``'Expmap'``; ``'Image'``,
        ``'BackgroundMap'``, ``'BackgroundMapWithSources'``).

    Returns
    -------
    list of str
        The names (or ids) of the clients the image was sent to.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Not an image, a missing file, or no such band/type in the result.
    astroquery_sxps.exceptions.SAMPHubNotFoundError
        No hub runs.
    astroquery_sxps.exceptions.SAMPRecipientError
        ``recipient`` is not connected or does not load images, or nobody does.

    Examples
    --------
    >>> from astroquery_sxps import SXPS, send_image
    >>> ims = SXPS.get_images(obsid='00282445000')  # doctest: +SKIP
    >>> send_image(ims, recipient='ds9')  # doctest: +SKIP
    ['ds9']
    """
    recipient = _check_text("recipient", recipient)
    name = _check_text("name", name)
    from ..products import DatasetImages
    if isinstance(image, DatasetImages):
        try:
            image = image[band][image_type]
        except (KeyError, TypeError):
            available = {b: list(types) for b, types in image.items()}
            raise InvalidQueryError(f"The dataset images hold no {band!r} {image_type!r}; "
                                    f"available: {available}.") from None
    if isinstance(image, (str, os.PathLike)):
        path = Path(image).expanduser()
        if not path.is_file():
            raise InvalidQueryError(f"image={str(image)!r} is not an existing file.")
        path = path.resolve()
    elif isinstance(image, fits.HDUList):
        path = _temp_path(".fits")
        image.writeto(path)
    else:
        raise InvalidQueryError("image must be a FITS file name, an astropy HDUList or the "
                                f"DatasetImages of SXPS.get_images, not {type(image).__name__}.")
    return _send(IMAGE_MTYPE, path.as_uri(), name or path.name, recipient)
