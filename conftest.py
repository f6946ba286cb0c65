# Root conftest: tests marked ``remote_data`` need the real UKSSDC service and
# are skipped unless pytest is run with ``--remote-data=any`` (pytest-remotedata).
# The ``sxps_server`` fixture comes from the plugin astroquery_sxps.testing.plugin,
# registered through the ``pytest11`` entry point in setup.cfg.
import matplotlib

matplotlib.use("Agg")  # tests render plots without a display
