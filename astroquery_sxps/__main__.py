"""Command line: ``python -m astroquery_sxps COMMAND ...``, the same as the ``sxps`` script
(``python -m astroquery_sxps demo [--live] [--output DIR]`` runs the tour)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
