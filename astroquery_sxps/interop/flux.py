"""Count rates to fluxes with an energy conversion factor (ECF).

`to_flux` returns a copy of an upper-limit table, a light curve, a
`~astroquery_sxps.LightCurveCollection` (or a dict of any of these) or a
source's details with a flux column in erg / (cm2 s) beside every count-rate,
rate-error and upper-limit column (ct / s) of one band. The ECF is either a
Quantity chosen by the user (e.g. from WebPIMMS for an assumed spectrum) or
``'catalogue'``: the source's own ECF from its LSXPS record, which is what the
catalogue itself uses (``PowPeakFlux = PeakRate_band0 * PowECFO``).
"""
import copy
import numbers

import numpy as np
import astropy.units as u
from astropy.table import Column, Table
from astropy.timeseries import TimeSeries
from astroquery import log

from .._results import display_format
from .._validation import BANDS, check_bool, choose
from ..exceptions import InvalidQueryError
from ..lightcurves import LightCurveCollection
from ..lightcurves.export import holds_hardness_ratios
from ..sources import SourceDetails

__all__ = ["to_flux", "flux_column_name", "ECF_UNIT", "FLUX_UNIT", "CATALOGUE_ECF_KEYS"]

#: Unit of an energy conversion factor.
ECF_UNIT = u.erg / (u.cm ** 2 * u.ct)
#: Unit of the flux columns.
FLUX_UNIT = u.erg / (u.cm ** 2 * u.s)
_RATE_UNIT = u.ct / u.s

#: (model, unabsorbed) -> the key of the catalogue record holding the ECF. The
#: catalogue's ECFs convert total-band (0.3-10 keV) count rates.
CATALOGUE_ECF_KEYS = {("powerlaw", False): "PowECFO", ("powerlaw", True): "PowECFU",
                      ("apec", False): "APECECFO", ("apec", True): "APECECFU"}
_MODEL_ALIASES = {"pow": "powerlaw", "power-law": "powerlaw", "power law": "powerlaw",
                  "power_law": "powerlaw"}
#: Catalogue band numbers (``Rate_band0``...) in `BANDS` order.
_BAND_NUMBER = {band: n for n, band in enumerate(BANDS)}


def flux_column_name(name):
    """The name of the flux column made from the rate column ``name``.

    ``Rate`` becomes ``Flux`` (``Rate``/``RatePos``/``RateNeg``/``RateErr`` ->
    ``Flux``/``FluxPos``/``FluxNeg``/``FluxErr``, ``Total_Rate`` ->
    ``Total_Flux``, ``Rate_band0_pos`` -> ``Flux_band0_pos``, ``PeakRate_band0``
    -> ``PeakFlux_band0``), ``UpperLimit`` becomes ``FluxUpperLimit``
    (``Total_UpperLimit`` -> ``Total_FluxUpperLimit``) and ``UL_band0``
    becomes ``FluxUL_band0``; any other name gets ``_Flux`` appended.

    Examples
    --------
    >>> from astroquery_sxps.interop.flux import flux_column_name
    >>> [flux_column_name(n) for n in ('RatePos', 'Total_UpperLimit', 'UL_band0')]
    ['FluxPos', 'Total_FluxUpperLimit', 'FluxUL_band0']
    """
    if "Rate" in name:
        return name.replace("Rate", "Flux", 1)
    if "UpperLimit" in name:
        return name.replace("UpperLimit", "FluxUpperLimit", 1)
    if name.startswith("UL_"):
        return "FluxUL_" + name[3:]
    return name + "_Flux"


# -- arguments -------------------------------------------------------------------------
def _check_ecf(ecf):
    """``'catalogue'`` or the ECF as a Quantity in erg / (cm2 ct)."""
    if isinstance(ecf, str):
        return choose("ecf", ecf, ("catalogue",), aliases={"catalog": "catalogue"})
    if not isinstance(ecf, u.Quantity):
        raise InvalidQueryError(
            f"ecf must be 'catalogue' or a Quantity in erg / (cm2 ct) such as "
            f"4.5e-11 * u.erg / u.cm**2 / u.ct, not {ecf!r}.")
    try:
        value = ecf.to(ECF_UNIT)
    except u.UnitsError:
        raise InvalidQueryError(f"ecf must be in erg / (cm2 ct) (or an equivalent unit); "
                                f"got {ecf.unit}.") from None
    if not value.isscalar or not np.isfinite(value.value) or value.value <= 0:
        raise InvalidQueryError(f"ecf must be one finite positive value, not {ecf!r}.")
    return value


def _check_band(band):
    return choose("band", band, BANDS)


# -- the catalogue's ECF ---------------------------------------------------------------
class _ECFSource:
    """Resolves ``ecf='catalogue'`` to a value, fetching each source's record once."""

    def __init__(self, ecf, model, unabsorbed, source_details, client):
        self.ecf = ecf
        self.model = model
        self.unabsorbed = unabsorbed
        self.source_details = source_details
        self.client = client
        self.fetched = {}

    def for_result(self, what, identifier=None, catalog=None, transient=False, record=None):
        """(ecf Quantity, origin text) for a result whose source is ``identifier`` (or whose
        catalogue record is ``record``)."""
        if self.ecf != "catalogue":
            return self.ecf, "user"
        key = CATALOGUE_ECF_KEYS[(self.model, self.unabsorbed)]
        record = self.source_details if record is None else record
        if record is None:
            record = self._fetch(what, identifier, catalog, transient)
        value = record.get(key)
        name = record.get("IAUName") or getattr(record, "requested", None)
        if isinstance(value, u.Quantity):
            value = value.to_value(ECF_UNIT)
        if value is None or isinstance(value, (bool, str)) \
                or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
            raise InvalidQueryError(
                f"The catalogue record of {name!r} has no usable {key} ({value!r}); give "
                "ecf as a Quantity in erg / (cm2 ct) instead.")
        return value * ECF_UNIT, f"catalogue: {key} of {name}"

    def _fetch(self, what, identifier, catalog, transient):
        if identifier is None:
            raise InvalidQueryError(
                f"ecf='catalogue' needs the source's catalogue record, and {what} does not "
                "say which source it belongs to: pass source_details="
                "SXPS.get_source_details(...) or give ecf as a Quantity.")
        if transient:
            raise InvalidQueryError(
                f"ecf='catalogue': {identifier!r} is a transient, whose record has no "
                "catalogue ECF; pass source_details= (the details of the LSXPS source it "
                "became) or give ecf as a Quantity.")
        if catalog is not None and str(catalog).upper() != "LSXPS":
            raise InvalidQueryError(
                f"ecf='catalogue': {identifier!r} comes from {catalog}, and source records "
                "(with their ECFs) exist only for LSXPS; pass source_details= or give ecf "
                "as a Quantity.")
        if identifier not in self.fetched:
            client = self.client
            if client is None:
                from ..core import SXPS   # the public API's singleton, as a user would call it
                client = SXPS
            field = "source_name" if isinstance(identifier, str) else "source_id"
            log.debug(f"Fetching the catalogue record of {identifier!r} for its ECF.")
            self.fetched[identifier] = client.get_source_details(**{field: identifier})
        return self.fetched[identifier]


# -- converting ------------------------------------------------------------------------
def _band_of_column(name, default):
    """The band of a rate column: ``*_band{n}``, ``{Band}_*``, or ``default``."""
    for band, number in _BAND_NUMBER.items():
        if f"_band{number}" in name:
            return band
    head = name.split("_", 1)[0]
    if head in BANDS and "_" in name:
        return head
    return default


def _is_rate_column(table, name):
    """A source rate, rate error or upper limit: unit ct / s, not the background."""
    unit = getattr(table[name], "unit", None)
    return unit is not None and unit.is_equivalent(_RATE_UNIT) and not name.upper().startswith("BG")


def _convert_table(table, ecf, band, conversion, default_band=None):
    """Add the flux columns of ``band`` to ``table`` (in place); return the names made."""
    made = []
    factor = ecf.to_value(ECF_UNIT)
    for name in list(table.colnames):
        if not _is_rate_column(table, name) or _band_of_column(name, default_band) != band:
            continue
        col = table[name]
        scale = factor * col.unit.to(_RATE_UNIT)
        target = flux_column_name(name)
        description = (f"{name} x ECF {factor:.6g} erg / (cm2 ct) "
                       f"({conversion['ecf_model']}, "
                       f"{'unabsorbed' if conversion['ecf_unabsorbed'] else 'observed'})")
        if isinstance(col, u.Quantity):        # light curves (masked ones too)
            new = (col * ecf).to(FLUX_UNIT)
        else:
            new = col.__class__(col.data * scale, name=target, unit=FLUX_UNIT,
                                description=description)
        if target in table.colnames:
            log.info(f"Replacing the existing column {target}.")
            table.remove_column(target)
        table.add_column(new, name=target, index=table.colnames.index(name) + 1)
        if not isinstance(new, Column):
            table[target].info.description = description
        # printed like the rate it comes from (7 significant digits), not in full
        table[target].info.format = display_format(np.ma.getdata(table[target]))
        made.append(target)
    return made


def _record(conversion, ecf, origin, band):
    conversion = dict(conversion)
    conversion.update(ecf=ecf, ecf_origin=origin, ecf_band=band)
    return conversion


def _convert_tablelike(table, ecfs, band, conversion, what, identifier=None, catalog=None,
                       transient=False, default_band=None):
    ecf, origin = ecfs.for_result(what, identifier, catalog, transient)
    out = table.copy()
    made = _convert_table(out, ecf, band, conversion, default_band)
    if not made:
        raise InvalidQueryError(f"{what} has no {band}-band count-rate, rate-error or "
                                "upper-limit column (ct / s) to convert.")
    out.meta.update(_record(conversion, ecf, origin, band))
    return out


def _curve_band(curve):
    """The band of a light curve from its dataset name (None for hardness ratios)."""
    name = str(curve.meta.get("dataset") or "")
    if "HR" in name or holds_hardness_ratios(curve):
        return None
    for band in BANDS:
        if name.startswith(f"{band}_") or band in name:
            return band
    return "Total"     # transient curves (PC_incbad, WT...) are total-band


def _convert_curve(curve, ecfs, band, conversion, identifier=None, catalog=None,
                   transient=False):
    own = _curve_band(curve)
    name = curve.meta.get("dataset")
    if own is None:
        raise InvalidQueryError(f"The light curve {name!r} holds hardness ratios, which have "
                                "no flux.")
    if own != band:
        raise InvalidQueryError(f"The light curve {name!r} is in the {own} band, but the ECF "
                                f"is for band={band!r}; pass band={own!r} with an ECF for "
                                "that band.")
    return _convert_tablelike(curve, ecfs, band, conversion, f"the light curve {name!r}",
                              identifier, catalog, transient, default_band=own)


def _convert_collection(lcs, ecfs, band, conversion):
    identifier = lcs.meta.get("identifier")
    catalog = lcs.meta.get("catalog")
    transient = bool(lcs.meta.get("transient"))
    curves = {}
    converted = []
    for name, curve in lcs.items():
        if _curve_band(curve) == band:
            curves[name] = _convert_curve(curve, ecfs, band, conversion, identifier, catalog,
                                          transient)
            converted.append(name)
        else:
            curves[name] = curve
    if not converted:
        raise InvalidQueryError(f"The collection has no {band}-band rate or upper-limit "
                                f"curve; its datasets are {lcs.datasets}.")
    log.debug(f"Converted {', '.join(converted)} to fluxes.")
    meta = dict(lcs.meta)
    first = curves[converted[0]].meta
    meta.update({k: first[k] for k in ("ecf", "ecf_origin", "ecf_band", "ecf_model",
                                       "ecf_unabsorbed")})
    return LightCurveCollection(curves, meta)


def _details_rate(value):
    """A details rate field as a Quantity in ct / s, or None if it holds no rate.

    Details hold rates as Quantities in ct / s; a bare number (a record built by
    hand) is taken to be in ct / s.
    """
    if isinstance(value, u.Quantity):
        if not value.isscalar or not value.unit.is_equivalent(_RATE_UNIT):
            return None
        return value.to(_RATE_UNIT)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value) * _RATE_UNIT


def _details_flux(details, ecfs, band, conversion):
    # the details' own record unless the user gave another one
    ecf, origin = ecfs.for_result("these details", record=ecfs.source_details or details)
    out = copy.copy(details)      # same class and attributes (requested, catalog...)
    number = _BAND_NUMBER[band]
    made = []
    for key in list(details):
        stem = key.replace(f"_band{number}", "_band#", 1)
        if stem not in ("Rate_band#", "Rate_band#_pos", "Rate_band#_neg", "UL_band#",
                        "PeakRate_band#", "PeakRate_band#_pos", "PeakRate_band#_neg"):
            continue
        rate = _details_rate(details[key])
        if rate is not None:
            out[flux_column_name(key)] = (rate * ecf).to(FLUX_UNIT)
            made.append(key)
    for key, value in details.items():       # embedded tables (Detections/Observations...)
        if isinstance(value, Table):
            out[key] = value.copy()
            _convert_table(out[key], ecf, band, conversion)
        elif isinstance(value, dict) and any(isinstance(v, Table) for v in value.values()):
            block = dict(value)
            for sub, table in value.items():
                if isinstance(table, Table):
                    block[sub] = table.copy()
                    _convert_table(block[sub], ecf, band, conversion)
            out[key] = block
    if not made:
        raise InvalidQueryError(f"These details have no band-{number} rate fields "
                                f"(Rate_band{number}, UL_band{number}...) to convert.")
    out["flux_conversion"] = _record(conversion, ecf, origin, band)
    return out


def to_flux(result, ecf, *, model="powerlaw", unabsorbed=False, source_details=None,
            band="total", client=None):
    """A copy of ``result`` with fluxes beside its count rates.

    Every count rate, rate error and upper limit (ct / s) of ``band`` gets a
    flux column (erg / (cm2 s)) right after it: ``flux = rate * ecf``, errors
    keeping their sign (``RateNeg`` -> ``FluxNeg`` < 0). Names follow
    `flux_column_name`: ``Rate`` -> ``Flux``, ``RatePos`` -> ``FluxPos``,
    ``UpperLimit`` -> ``FluxUpperLimit``, ``Total_UpperLimit`` ->
    ``Total_FluxUpperLimit``, ``Rate_band0`` -> ``Flux_band0``,
    ``PeakRate_band0`` -> ``PeakFlux_band0``, ``UL_band0`` -> ``FluxUL_band0``.
    Background rates (``BGrate``...) are not converted.

    Parameters
    ----------
    result : `~astropy.table.Table`, `~astroquery_sxps.SXPSLightCurve`, `~astroquery_sxps.LightCurveCollection`, `~astroquery_sxps.SourceDetails` or dict
        An upper-limit table (`~astroquery_sxps.SXPSClass.query_upper_limit`,
        `~astroquery_sxps.merge_upper_limits`), one light curve, the curves of
        a source (only the curves of ``band`` are converted; hardness ratios
        and other bands are kept as they are), a source's details (the scalar
        ``Rate_band{n}``, ``UL_band{n}``, ``PeakRate_band{n}`` fields and
        their errors, and the rate columns of its embedded tables), or a dict
        of any of these (as returned for several identifiers).
    ecf : `~astropy.units.Quantity` or 'catalogue'
        The energy conversion factor in erg / (cm2 ct) for ``band``, or
        ``'catalogue'``: the source's own total-band ECF from its LSXPS record
        (``PowECFO``/``PowECFU`` for ``model='powerlaw'``,
        ``APECECFO``/``APECECFU`` for ``model='apec'``; the ``U`` ones with
        ``unabsorbed=True``). The record is ``source_details`` if given, the
        details themselves for a `~astroquery_sxps.SourceDetails`, or else
        fetched once per source with
        `~astroquery_sxps.SXPSClass.get_source_details` for a light-curve
        collection (whose ``meta`` names the source). A lone light curve or
        an upper-limit table does not say which source it belongs to: give
        ``source_details`` (upper limits are for positions, not sources).
    model : {'powerlaw', 'apec'}
        The spectral model of a catalogue ECF (recorded in ``meta`` in any case).
    unabsorbed : bool
        Catalogue ECF: the unabsorbed flux instead of the observed one.
    source_details : `~astroquery_sxps.SourceDetails`, optional
        The source's catalogue record, for ``ecf='catalogue'``.
    band : {'total', 'soft', 'medium', 'hard'}
        The band whose rates ``ecf`` converts (default total, 0.3-10 keV).
        A catalogue ECF is for the total band only.
    client : `~astroquery_sxps.SXPSClass`, optional
        The client that fetches a catalogue record (default: the ``SXPS``
        singleton).

    Returns
    -------
    same type as ``result``
        A copy; tables and light curves record ``ecf`` (Quantity),
        ``ecf_model``, ``ecf_unabsorbed``, ``ecf_band`` and ``ecf_origin``
        (``'user'`` or ``'catalogue: PowECFO of LSXPS J...'``) in ``meta``;
        details hold the same in a ``'flux_conversion'`` dict.

    Raises
    ------
    astroquery.exceptions.InvalidQueryError
        Bad ``ecf``, ``model``, ``band`` or ``unabsorbed``; a catalogue ECF for
        another band, for a result whose source is unknown, or that the
        record lacks; nothing to convert.

    Examples
    --------
    >>> import astropy.units as u
    >>> from astroquery_sxps import SXPS, to_flux
    >>> ul = SXPS.query_upper_limit('334.502058 -8.256481')  # doctest: +REMOTE_DATA
    >>> flux = to_flux(ul, 4.5e-11 * u.erg / u.cm**2 / u.ct)  # doctest: +REMOTE_DATA
    >>> flux['Total_FluxUpperLimit'].unit  # doctest: +REMOTE_DATA
    Unit("erg / (s cm2)")
    >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J073006.8-193710')  # doctest: +REMOTE_DATA
    >>> to_flux(lcs, 'catalogue')['Total_rates'].meta['ecf_origin']  # doctest: +REMOTE_DATA
    'catalogue: PowECFO of LSXPS J073006.8-193710'
    """
    ecf = _check_ecf(ecf)
    model = choose("model", model, ("powerlaw", "apec"), aliases=_MODEL_ALIASES)
    unabsorbed = check_bool("unabsorbed", unabsorbed)
    band = _check_band(band)
    if ecf == "catalogue" and band != "Total":
        raise InvalidQueryError(f"ecf='catalogue' converts total-band rates only (the "
                                f"catalogue's ECFs are for 0.3-10 keV), not band={band!r}; "
                                "give ecf as a Quantity for that band.")
    if source_details is not None and not isinstance(source_details, SourceDetails):
        raise InvalidQueryError("source_details must be the SourceDetails of the source "
                                "(from SXPS.get_source_details), not "
                                f"{type(source_details).__name__}.")
    conversion = {"ecf_model": model, "ecf_unabsorbed": unabsorbed}
    ecfs = _ECFSource(ecf, model, unabsorbed, source_details, client)
    return _convert_any(result, ecfs, band, conversion)


def _convert_any(result, ecfs, band, conversion):
    if isinstance(result, SourceDetails):
        return _details_flux(result, ecfs, band, conversion)
    if isinstance(result, LightCurveCollection):
        return _convert_collection(result, ecfs, band, conversion)
    if isinstance(result, TimeSeries):       # a curve that names its source may use it
        return _convert_curve(result, ecfs, band, conversion,
                              result.meta.get("identifier"),
                              result.meta.get("catalog"),
                              bool(result.meta.get("transient")))
    if isinstance(result, Table):
        return _convert_tablelike(result, ecfs, band, conversion, "the table")
    if isinstance(result, dict) and result:
        return {key: _convert_any(value, ecfs, band, conversion)
                for key, value in result.items()}
    raise InvalidQueryError(
        "result must be an upper-limit Table, a light curve, a LightCurveCollection, "
        f"SourceDetails or a dict of them, not {type(result).__name__}.")
