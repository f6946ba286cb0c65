"""The catalogue tables: whole tables and their old epochs, queries and cone searches.

=============  ===================================================================
module         what it holds
=============  ===================================================================
``tables``     full tables (``getSXPSTable``), old epochs, units and column typing
``query``      the UKSSDC query API (``getMetadata``, ``queryDB``): cone searches
               and filters
``vo``         the VO route: 2SXPS through HEASARC's TAP with `astroquery.heasarc`
``_fastcsv``   the chunked, multi-threaded CSV reader of the full tables
=============  ===================================================================
"""
