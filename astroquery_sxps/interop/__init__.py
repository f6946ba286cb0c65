"""Results that travel: to other VO tools, to fluxes, to counterparts in other catalogues.

==================  ================================================================
module              what it holds
==================  ================================================================
``samp``            `send_table`, `send_image`: hand results to TOPCAT, DS9, Aladin...
``flux``            `to_flux`: count rates to fluxes with an energy conversion factor
``counterparts``    `find_counterparts`: SIMBAD and VizieR around SXPS sources
==================  ================================================================

These modules use the package's public API only (results and
`~astroquery_sxps.SXPSClass` methods), like a user's script would.
"""
from .counterparts import find_counterparts
from .flux import to_flux
from .samp import send_image, send_table

__all__ = ["send_table", "send_image", "to_flux", "find_counterparts"]
