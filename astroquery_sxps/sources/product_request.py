"""Parameters of an XRT on-demand product request for a catalogued object.

See ``docs/sxps/api_protocol.rst`` (Product requests).

`build_spec` turns a source (or transient) record into a `ProductRequestSpec`:
the global parameters and per-product parameters of a request to the UKSSDC
on-demand XRT product tools, which `ProductRequestSpec.to_swifttools` turns
into a ``swifttools.ukssdc.xrt_prods.XRTProductRequest`` ready to submit.
Nothing is submitted here.
"""
import math
import numbers

import astropy.units as u
import numpy as np
from astroquery import log

from .._plan import Targets
from .._validation import check_bool
from ..exceptions import InvalidQueryError, ProductRequestError
from .details import check_lsxps, details_plan
from .living import transient_lookup
from .obslist import USE_OBS, check_records, obs_list_from_details

__all__ = ["ProductRequestSpec", "PRODUCTS", "build_spec", "build_specs",
           "product_request_plan", "check_t0", "check_use_obs", "check_products"]

#: Product names accepted (long form -> short form used by the product tools).
PRODUCTS = {"lightcurve": "lc", "lc": "lc", "spectrum": "spec", "spec": "spec",
            "standardpos": "psf", "psf": "psf", "enhancedpos": "enh", "enh": "enh",
            "astrompos": "xastrom", "xastrom": "xastrom", "image": "image",
            "sourcedet": "sourceDet"}
_SHORT_ORDER = ("lc", "spec", "psf", "enh", "xastrom", "image", "sourceDet")
#: Order in which the product tools list global parameters.
_GLOBAL_ORDER = ("name", "targ", "T0", "RA", "Dec", "centroid", "posErr", "useSXPS",
                 "getTargs", "getT0")
#: Product defaults the product tools add on creation.
_PRODUCT_DEFAULTS = {"spec": {"deltaFitStat": 2.706}}

_SOURCE_T0 = {"firstobs": "FirstObsMET", "firstblinddet": "FirstBlindDetMET",
              "firstdet": "FirstDetMET"}
_TRANSIENT_T0 = {"discovery": "DetectionMET"}
_TRANSIENT_USE_OBS = ("all", "discovery", "new")


def check_t0(t0, transient=False):
    """Validate ``t0``: None, a keyword, or a MET number/Quantity. Returns a normalised value.

    Examples
    --------
    >>> from astroquery_sxps.sources.product_request import check_t0
    >>> check_t0("FirstBlindDet"), check_t0(129528000)
    ('firstblinddet', 129528000.0)
"""
    names = ("'Discovery'" if transient else "'firstObs', 'firstBlindDet', 'firstDet'")
    if t0 is None:
        return None
    number = None
    if isinstance(t0, u.Quantity):
        try:
            number = t0.to_value(u.s)
        except u.UnitConversionError:
            raise InvalidQueryError(f"t0 as a Quantity must be a time (MET seconds), not {t0}.") \
                from None
        if np.ndim(number) != 0:
            raise InvalidQueryError(f"t0 must be a single value, not {t0}.")
    elif isinstance(t0, numbers.Real) and not isinstance(t0, (bool, np.bool_)):
        number = t0
    if number is not None:
        number = float(number)
        if not (math.isfinite(number) and number > 0):
            raise InvalidQueryError(f"t0={t0!r} is not valid: a numeric t0 must be a positive, "
                                    f"finite Swift MET in seconds; or use None, {names} "
                                    "(case-insensitive).")
        return number
    allowed = _TRANSIENT_T0 if transient else _SOURCE_T0
    if isinstance(t0, str) and t0.strip().lower() in allowed:
        return t0.strip().lower()
    raise InvalidQueryError(f"t0={t0!r} is not valid; use None (the tools find T0), {names} "
                            "(case-insensitive) or a Swift MET in seconds.")


def check_use_obs(use_obs, transient=False):
    """Validate a product-request ``use_obs`` (case-insensitive); returns its canonical form.

    Examples
    --------
    >>> from astroquery_sxps.sources.product_request import check_use_obs
    >>> check_use_obs("ALL"), check_use_obs("New", transient=True)
    ('all', 'new')
"""
    if use_obs is None:
        return None
    allowed = _TRANSIENT_USE_OBS if transient else ("all",) + USE_OBS
    if isinstance(use_obs, str):
        for value in allowed:
            if use_obs.strip().lower() == value.lower():
                return value
    raise InvalidQueryError(f"use_obs={use_obs!r} is not valid; allowed values are None, "
                            f"{', '.join(repr(a) for a in allowed)} (case-insensitive).")


def check_products(products):
    """Validate ``products`` (a name or a list of names); returns short names in the given order.

    Examples
    --------
    >>> from astroquery_sxps.sources.product_request import check_products
    >>> check_products(["LightCurve", "psf"])
    ['lc', 'psf']
"""
    if products is None:
        return []
    if isinstance(products, str):
        products = [products]
    if not isinstance(products, (list, tuple)):
        raise InvalidQueryError("products must be a product name or a list of them "
                                f"({', '.join(_SHORT_ORDER)} or their long names), not {products!r}.")
    out = []
    for name in products:
        short = PRODUCTS.get(str(name).strip().lower()) if isinstance(name, str) else None
        if short is None:
            raise InvalidQueryError(
                f"products: {name!r} is not a product; allowed are LightCurve (lc), Spectrum "
                "(spec), StandardPos (psf), EnhancedPos (enh), AstromPos (xastrom), Image "
                "(image), SourceDet (sourceDet), case-insensitive.")
        if short not in out:
            out.append(short)
    return out


class ProductRequestSpec:
    """What to ask the UKSSDC on-demand XRT product tools for one object.

    Attributes
    ----------
    email : str or None
        The registered e-mail address the request is made for.
    identifier : int or str
        The object (as supplied) the request was built for.
    global_pars : dict
        Global parameters, named and ordered as the product tools do:
        ``name``, [``targ``], [``T0``], ``RA``, ``Dec``, ``centroid``
        (False), ``posErr`` (1), ``useSXPS`` (True), ``getTargs``, ``getT0``.
    products : dict
        Short product name (``'lc'``, ``'spec'``, ``'psf'``, ``'enh'``,
        ``'xastrom'``, ``'image'``, ``'sourceDet'``) -> its parameters
        (``whichData`` and, for ``'user'``, ``useObs``).
    use_obs : str or None
        The comma-separated ObsID list given to products (None for ``'all'``);
        use it for products you add later.
    """

    def __init__(self, email, identifier, global_pars, products, use_obs=None):
        self.email = email
        self.identifier = identifier
        self.global_pars = global_pars
        self.products = products
        self.use_obs = use_obs

    def __repr__(self):
        prods = ", ".join(self.products) or "no products"
        return (f"<ProductRequestSpec for {self.global_pars.get('name')!r} ({prods}); "
                f"globals: {self.global_pars}>")

    def to_swifttools(self, silent=True):
        """Build the ``swifttools.ukssdc.xrt_prods.XRTProductRequest`` (needs swifttools).

        Returns
        -------
        XRTProductRequest
            Not submitted; submit it with its own ``submit()`` method.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> spec = SXPS.build_product_request(17092, email='me@example.org')  # doctest: +SKIP
        >>> request = spec.to_swifttools()  # doctest: +SKIP
        """
        if not self.email:
            raise InvalidQueryError("email is needed to build an XRTProductRequest: set "
                                    "spec.email or pass email= to build_product_request.")
        try:
            from swifttools.ukssdc.xrt_prods import XRTProductRequest
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_swifttools() needs the 'swifttools' package "
                              "(pip install swifttools).") from exc
        request = XRTProductRequest(self.email, silent=silent)
        request.setGlobalPars(**self.global_pars)
        for name, pars in self.products.items():
            request.addProduct(name, clobber=True, **pars)
        return request


def _need(record, key):
    value = record.get(key)
    if value is None:
        raise ProductRequestError(f"The catalogue record of {record.get('IAUName', '?')!r} has no "
                                  f"{key!r}, which the product request needs.")
    return value


def _in(value, unit):
    """A record value (a Quantity, or a plain number taken to be in ``unit``) as a float."""
    if isinstance(value, u.Quantity):
        return float(value.to_value(unit))
    return float(value)


def _met_seconds(value):
    return _in(value, u.s)


def build_spec(record, *, identifier, email=None, t0=None, use_obs="all", products=(),
               transient=False):
    """`ProductRequestSpec` from one source or transient record (already validated options).

    ``t0`` and ``use_obs`` must have been through `check_t0`/`check_use_obs`
    and ``products`` through `check_products`.

    Examples
    --------
    >>> from astroquery_sxps.sources.product_request import build_spec
    >>> spec = build_spec({"IAUName": "X", "RA": 1.0, "Decl": 2.0}, identifier=1)
    >>> spec.global_pars["getTargs"], spec.global_pars["getT0"]
    (True, True)
    """
    gp = {"name": str(_need(record, "IAUName")),
          "RA": _in(_need(record, "RA"), u.deg),
          "Dec": _in(_need(record, "Decl"), u.deg),
          "centroid": False, "posErr": 1, "useSXPS": True}
    if t0 is None:
        gp["getT0"] = True
    elif isinstance(t0, float):
        gp["T0"] = t0
        gp["getT0"] = False
    else:
        key = (_TRANSIENT_T0 if transient else _SOURCE_T0)[t0]
        gp["T0"] = _met_seconds(_need(record, key))
        gp["getT0"] = False

    pars = {}
    obs_string = None
    if use_obs == "all":
        gp["getTargs"] = True
        pars = {"whichData": "all"}
    elif use_obs is not None:
        if transient:
            if use_obs == "discovery":
                obs_string = str(_need(record, "DiscoveryObs"))
                gp["targ"] = obs_string[:8]
            else:       # 'new': targets as the server sends them (not zero-padded)
                obs_string = ",".join(str(o) for o in _need(record, "AllNewObs"))
                gp["targ"] = ",".join(str(t) for t in _need(record, "AllNewTargs"))
        else:
            lists = obs_list_from_details(record, use_obs)
            gp["targ"] = ",".join(lists["targList"])
            obs_string = ",".join(lists["obsList"])
        gp["getTargs"] = False
        pars = {"whichData": "user", "useObs": obs_string}

    ordered = {k: gp[k] for k in _GLOBAL_ORDER if k in gp}
    prods = {}
    for name in products:
        prods[name] = {**_PRODUCT_DEFAULTS.get(name, {}), **pars}
    return ProductRequestSpec(email, identifier, ordered, prods, use_obs=obs_string)


def _known_records(source_details, targets):
    """The records of ``targets`` already in ``source_details`` (one record serves one identifier)."""
    if source_details is None:
        return {}
    known = {}
    for key in targets.keys:
        if not targets.multiple and "IAUName" in source_details:
            known[key] = source_details
        elif key in source_details:
            known[key] = source_details[key]
    return known


def product_request_plan(source_id=None, source_name=None, *, email=None, source_details=None,
                         catalog="LSXPS", t0=None, use_obs="all", products=None,
                         transient=False, trans_as_source=False, skip_errors=False):
    """Check the arguments of ``SXPSClass.build_product_request``; its plan.

    The plan fetches the source (or transient) records not in
    ``source_details``; its payload is always a list (the details requests
    still needed), or the look-up body with ``trans_as_source``.
    """
    catalog = check_lsxps(catalog, "product requests from the catalogue")
    transient = check_bool("transient", transient)
    trans_as_source = check_bool("trans_as_source", trans_as_source)
    skip_errors = check_bool("skip_errors", skip_errors)
    as_transient = transient and not trans_as_source
    if email is not None and (not isinstance(email, str) or "@" not in email):
        raise InvalidQueryError(f"email must be an e-mail address string, not {email!r}.")
    t0 = check_t0(t0, transient=as_transient)
    use_obs = check_use_obs(use_obs, transient=as_transient)
    products = check_products(products)
    if source_details is not None:
        check_records(source_details)
    targets = Targets.sources(source_id, source_name)
    lookup = transient_lookup(catalog, targets) if transient and trans_as_source else None
    plan = details_plan("transient" if as_transient else "source", catalog, targets,
                        skip_errors=skip_errors, lookup=lookup, payload_list=True,
                        known=lambda current: _known_records(source_details, current))
    plan.finish = lambda records: plan.shaped(build_specs(
        records, email=email, t0=t0, use_obs=use_obs, products=products,
        transient=as_transient, skip_errors=skip_errors))
    return plan


def build_specs(records, *, email=None, t0=None, use_obs="all", products=(), transient=False,
                skip_errors=False):
    """`build_spec` for each ``{key: record}``; with ``skip_errors`` failures are logged and left out."""
    specs = {}
    for key, record in records.items():
        try:
            specs[key] = build_spec(record, identifier=key, email=email, t0=t0, use_obs=use_obs,
                                    products=products, transient=transient)
        except InvalidQueryError as exc:
            if not skip_errors:
                raise
            log.warning(f"Skipping {key!r}: {exc}")
    return specs
