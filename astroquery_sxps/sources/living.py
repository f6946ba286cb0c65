"""The living catalogue: superseded and split LSXPS sources, transients that became sources.

See ``docs/sxps/api_protocol.rst`` (getSXPSSourceInfo, getSXPSTransAsSources).

* A source superseded by one newer source: the server silently answers with
  the newer source. We warn, naming both identifiers.
* A source split into several: the reply is ``{"newerSources": [...]}``. We
  raise `~astroquery_sxps.exceptions.SourceSplitError` listing the
  descendants as a Table.
* A transient asked for with ``trans_as_source=True``: one
  ``getSXPSTransAsSources`` call maps every transient to its LSXPS source
  (`transient_lookup`, a `~astroquery_sxps._plan.Lookup`).
"""

import numpy as np
import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.table import MaskedColumn, Table
from astroquery import log

from .._files import safe_name
from .._plan import Lookup, Targets
from .._results import finish_table
from .._transport import APIRequest
from .._validation import check_bool
from ..exceptions import (IgnoredOptionWarning, InvalidQueryError, SXPSResponseError,
                          SourceSplitError, SupersededWarning, TransientNotInLSXPSError, warn)

__all__ = ["newer_sources_table", "raise_if_split", "warn_if_superseded",
           "transient_lookup_request", "transient_lookup", "check_transient_options"]


def newer_sources_table(records):
    """``newerSources`` records -> Table with units and a ``coord`` SkyCoord column.

    Missing values (the records may be abbreviated) are masked; ``coord`` is
    present when every descendant has a position.
    """
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
    return finish_table(table)


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
        warn(
            f"LSXPS {what} {requested!r} has been superseded by LSXPS_ID {got_id} "
            f"({got_name}); returning the data of the current source.",
            SupersededWarning)
    return changed


def transient_lookup_request(catalog, field, values):
    """The single ``getSXPSTransAsSources`` request for all ``values``."""
    return APIRequest("getSXPSTransAsSources", {"whichCat": catalog, field: list(values)},
                      min_keys=("lookup",), identifier=list(values))


def _lsxps_targets(reply, field, values, skip_errors):
    """The LSXPS identifiers the ``lookup`` reply gives for ``values`` (in order)."""
    lookup = reply["lookup"] or {}
    if not isinstance(lookup, dict):
        raise SXPSResponseError(f"getSXPSTransAsSources sent a 'lookup' that is not an object: "
                                f"{lookup!r}.", api_func="getSXPSTransAsSources")
    found = []
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
        else:
            # the name becomes a folder name (images, spectra): it must be a harmless one
            target = safe_name(target, what="LSXPS source name sent by getSXPSTransAsSources")
        found.append(target)
    return found


def transient_lookup(catalog, targets):
    """The `~astroquery_sxps._plan.Lookup` replacing transients by their LSXPS sources.

    The new targets are keyed by the LSXPS identifiers (as in the existing
    client); a transient not yet in LSXPS raises
    `~astroquery_sxps.exceptions.TransientNotInLSXPSError`, or is left out
    (logged) with ``skip_errors``.
    """
    request = transient_lookup_request(catalog, targets.field, targets.values)

    def resolve(context, current, skip_errors):
        found = _lsxps_targets(context.call(request), current.field, current.values, skip_errors)
        return Targets.listed(current.field, found, multiple=current.multiple)
    return Lookup(request, resolve)


def check_transient_options(catalog, transient, trans_as_source):
    """Check ``transient``/``trans_as_source`` (before any request).

    Transients exist only in LSXPS; ``trans_as_source`` without ``transient``
    is ignored with an `~astroquery_sxps.exceptions.IgnoredOptionWarning`.

    Returns
    -------
    transient, trans_as_source : bool
        ``trans_as_source`` is False unless ``transient`` is True.
    """
    transient = check_bool("transient", transient)
    trans_as_source = check_bool("trans_as_source", trans_as_source)
    if transient and catalog != "LSXPS":
        raise InvalidQueryError(f"catalog={catalog!r} with transient=True: transients exist "
                                "only in LSXPS; use catalog='LSXPS'.")
    if trans_as_source and not transient:
        warn("trans_as_source applies only with transient=True; ignored.",
             IgnoredOptionWarning)
        trans_as_source = False
    return transient, trans_as_source
