"""The ``sxps`` command line (also ``python -m astroquery_sxps``).

Built on the public API only: each subcommand calls one method of a fresh
`~astroquery_sxps.SXPSClass` (see `astroquery_sxps.cli.commands`); results
are printed readably or written by `astroquery_sxps.cli.output`, details
records as JSON by `astroquery_sxps.cli.jsonenc`; exit codes are defined in
`astroquery_sxps.cli.errors`.
"""
from .main import cli, main
from . import commands  # noqa: E402,F401  (registers the subcommands with `cli`)

__all__ = ["cli", "main"]
