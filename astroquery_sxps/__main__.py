"""Command line: ``python -m astroquery_sxps demo [--live] [--output DIR]``."""
import sys

from .demo import main as demo_main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "demo":
        sys.stderr.write("usage: python -m astroquery_sxps demo [--live] [--output DIR]\n")
        return 2
    return demo_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
