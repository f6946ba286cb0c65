"""The state of one ``sxps`` invocation: the global options, the query object, clean-up."""
import contextlib
import io
import logging
import sys
import tempfile
import warnings

import click

__all__ = ["Session"]


class Session:
    """What the global options decided, shared by the subcommands (click's ``ctx.obj``).

    The global options may be given before or after the command, so they are
    only put to use when the first request is made: then the
    `~astroquery_sxps.SXPSClass` is created (a fresh one, never the
    singleton), the ``--offline`` emulator started, and the log level,
    warnings and ``conf`` values set - until `close`. A command that needs no
    query (``emulator``, ``demo``) or fails on its arguments does none of it.
    """

    def __init__(self):
        self.server = None
        self.offline = False
        self.cache_dir = None
        self.cache = True
        self.timeout = None
        self.retries = None
        self.quiet = False
        self.verbose = 0
        self.command = "sxps"
        self._query = None
        self._resources = contextlib.ExitStack()

    # -- set-up ----------------------------------------------------------------
    def _check(self):
        if self.offline and self.server:
            raise click.UsageError("--offline and --server cannot be used together.")
        if self.quiet and self.verbose:
            raise click.UsageError("--quiet and --verbose cannot be used together.")

    def _apply_settings(self):
        from astroquery import log
        from astroquery_sxps import conf
        self._resources.enter_context(warnings.catch_warnings())
        level = log.level
        self._resources.callback(log.setLevel, level)
        if self.quiet:
            warnings.simplefilter("ignore")
            log.setLevel(logging.ERROR)
        elif self.verbose > 1:
            log.setLevel(logging.DEBUG)
        elif self.verbose:
            log.setLevel(logging.INFO)
        for name in ("timeout", "retries"):
            value = getattr(self, name)
            if value is not None:
                self._resources.enter_context(conf.set_temp(name, value))

    @property
    def query(self):
        """The `~astroquery_sxps.SXPSClass` of this invocation (made on first use)."""
        if self._query is None:
            self._check()
            self._apply_settings()
            from astroquery_sxps import SXPSClass
            server, cache_dir = self.server, self.cache_dir
            if self.offline:
                from astroquery_sxps.testing import SXPSEmulator
                server = self._resources.enter_context(SXPSEmulator()).api_url
                if cache_dir is None:
                    # emulator replies never mix with the user's cache of real ones
                    cache_dir = self._resources.enter_context(
                        tempfile.TemporaryDirectory(prefix="sxps-offline-cache-"))
            query = SXPSClass(server=server)
            if cache_dir is not None:
                query.cache_location = cache_dir
            self._query = query
        return self._query

    # -- use -------------------------------------------------------------------
    @property
    def show_progress(self):
        """Progress bars only for a person watching a terminal (on standard error)."""
        return not self.quiet and sys.stderr.isatty()

    def _library_stdout(self):
        # The library writes nothing to standard output itself, but astropy's
        # progress bars (astroquery downloads) and astropy's logger (INFO
        # messages) do, and standard output is where this command's result
        # goes. They are sent to standard error on a terminal or with
        # --verbose, and dropped otherwise.
        if not self.quiet and (self.verbose or sys.stderr.isatty()):
            return sys.stderr
        return io.StringIO()

    def call(self, method, *args, **kwargs):
        """``self.query.<method>(*args, cache=..., **kwargs)`` with the library's
        standard output kept apart from the command's."""
        function = getattr(self.query, method)
        with contextlib.redirect_stdout(self._library_stdout()):
            return function(*args, cache=self.cache, **kwargs)

    def quietly(self, function, *args, **kwargs):
        """Run a library function (not a query) with the library's output redirected."""
        with contextlib.redirect_stdout(self._library_stdout()):
            return function(*args, **kwargs)

    def enter(self, context_manager):
        """Keep ``context_manager`` open until the invocation ends."""
        return self._resources.enter_context(context_manager)

    def close(self):
        """Stop the ``--offline`` emulator, remove temporary files, restore settings."""
        self._resources.close()
