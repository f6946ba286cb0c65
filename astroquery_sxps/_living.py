"""The living catalogue: superseded and split LSXPS sources (protocol.md 3.1).

* A source superseded by one newer source: the server silently answers with
  the newer source. We warn, naming both identifiers.
* A source split into several: the reply is ``{"newerSources": [...]}``. We
  raise `~astroquery_sxps.exceptions.SourceSplitError` listing the
  descendants as a Table.
"""
import warnings

import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import Table

from .exceptions import SourceSplitError, SupersededWarning

__all__ = ["newer_sources_table", "raise_if_split", "warn_if_superseded"]


def newer_sources_table(records):
    """``newerSources`` records -> Table with units and a ``coord`` SkyCoord column.

    Missing values (the records may be abbreviated) are masked; ``coord`` is
    present when every descendant has a position.
    """
    import numpy as np
    from astropy.table import MaskedColumn

    def column(name, dtype, unit=None):
        values = [rec.get(name) for rec in records]
        missing = [v is None for v in values]
        fill = "" if dtype is str else 0
        data = np.array([fill if m else v for v, m in zip(values, missing)], dtype=dtype)
        return MaskedColumn(data, name=name, mask=missing, unit=unit)

    table = Table([column("LSXPS_ID", np.int64), column("IAUName", str),
                   column("RA", float, u.deg), column("Decl", float, u.deg),
                   column("Err90", float, u.arcsec)])
    if len(table) and not (table["RA"].mask.any() or table["Decl"].mask.any()):
        table["coord"] = SkyCoord(table["RA"].data.data, table["Decl"].data.data,
                                  unit="deg", frame="icrs")
    return table


def raise_if_split(reply, identifier):
    """Raise `SourceSplitError` if ``reply`` (or its ``data``) is a ``newerSources`` answer."""
    record = reply.get("data", reply) if isinstance(reply.get("data"), dict) else reply
    if "newerSources" in record:
        raise SourceSplitError(identifier, newer_sources_table(record["newerSources"] or []))


def warn_if_superseded(field, requested, record, what="source"):
    """Warn when the record describes a different source than the one requested.

    Parameters
    ----------
    field : {'sourceID', 'sourceName'}
    requested : int or str
    record : dict
        The source record returned (must hold ``LSXPS_ID`` and ``IAUName``).
    """
    got_id, got_name = record.get("LSXPS_ID"), record.get("IAUName")
    if field == "sourceID":
        changed = got_id is not None and str(got_id) != str(requested)
    else:
        changed = got_name is not None and str(got_name).strip() != str(requested).strip()
    if changed:
        warnings.warn(
            f"LSXPS {what} {requested!r} has been superseded by LSXPS_ID {got_id} "
            f"({got_name}); returning the data of the current source.",
            SupersededWarning, stacklevel=3)
    return changed


def transient_lookup_request(catalog, field, values):
    """The single ``getSXPSTransAsSources`` request for all ``values`` (protocol.md 3.3)."""
    from ._transport import APIRequest
    return APIRequest("getSXPSTransAsSources",
                      {"whichCat": catalog, field: list(values)},
                      min_keys=("lookup",), identifier=list(values))


def transients_as_sources(transport, catalog, field, values, keys, *, skip_errors=False,
                          cache=True):
    """Map transient IDs/names to LSXPS IDs/names with one ``getSXPSTransAsSources`` call.

    Returns
    -------
    values, keys : list
        The LSXPS identifiers to request, and the keys of the result (the
        LSXPS identifiers too, as in the existing client). A transient not yet
        in LSXPS raises `~astroquery_sxps.exceptions.TransientNotInLSXPSError`,
        or is left out (logged) with ``skip_errors``.
    """
    from astroquery import log
    from .exceptions import SXPSResponseError, TransientNotInLSXPSError
    reply = transport.call(transient_lookup_request(catalog, field, values), cache=cache)
    lookup = reply["lookup"] or {}
    new_values = []
    for value in values:
        target = lookup.get(str(value))
        if target is None or target == "MISSING":
            message = (f"Transient {value!r} is not yet in LSXPS, so it has no "
                       "source products (use trans_as_source=False).")
            if skip_errors:
                log.warning(message + " Skipped.")
                continue
            raise TransientNotInLSXPSError(message)
        if field == "sourceID":
            try:
                target = int(target)
            except (TypeError, ValueError):
                raise SXPSResponseError(f"getSXPSTransAsSources mapped transient {value!r} to "
                                        f"{target!r}, which is not an LSXPS source ID.",
                                        api_func="getSXPSTransAsSources") from None
        new_values.append(target if field == "sourceID" else str(target))
    return new_values, list(new_values)
