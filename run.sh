#!/usr/bin/env bash
# One entry point for newcomers and CI; each command does its own set-up.
#   bash run.sh demo [--live]   tour of the package against the embedded emulator (or the real service)
#   bash run.sh test [pytest args]   the test suite (offline, against the emulator)
#   bash run.sh docs           build the Sphinx docs (warnings are errors)
#   bash run.sh bench          run the benchmarks side by side with swifttools
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=${SXPS_VENV:-.venv}

setup() {
    local extras=$1
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
        "$PY" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    # setuptools < 74 keeps swifttools (our optional test oracle) importable on 3.11
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
}

cmd=${1:-}
shift || true
case "$cmd" in
    demo)
        setup all
        exec "$VENV/bin/python" -m astroquery_sxps demo "$@"
        ;;
    test)
        # every optional extra the tests exercise, so that none of them is skipped
        setup test,all,lightkurve,scale
        exec "$VENV/bin/python" -m pytest -n 2 "$@"
        ;;
    docs)
        setup docs,all,scale
        exec "$VENV/bin/python" -m sphinx -W --keep-going -b html docs docs/_build/html
        ;;
    bench)
        setup test,all,lightkurve,scale
        for script in benchmarks/bench_*.py; do
            echo "== $script"
            "$VENV/bin/python" "$script"
        done
        ;;
    *)
        echo "usage: bash run.sh {demo [--live]|test [pytest args]|docs|bench}" >&2
        exit 2
        ;;
esac
