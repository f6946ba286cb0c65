"""The ``sxps`` command (also ``python -m astroquery_sxps``): the group, its global options,
error handling and exit codes. The subcommands are in `astroquery_sxps.cli.commands`.

click rather than argparse: subcommands each with their own options, help and
examples, option values checked with messages that name the option, and
``ignore_unknown_options`` so that a negative declination such as ``-8.25`` can
be a positional word - all from a small, well-kept library.
"""
import os
import sys
import traceback

import click

from . import errors
from .session import Session

__all__ = ["cli", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Command(click.Command):
    def format_epilog(self, ctx, formatter):
        super().format_epilog(ctx, formatter)
        if any(getattr(param, "hidden", False) for param in self.params):
            formatter.write_paragraph()
            formatter.write_text("The global options (--server, --offline, --cache-dir, "
                                 "--no-cache, --timeout, --retries, -q, -v) may also be given "
                                 "here; see 'sxps --help'.")


class _Group(click.Group):
    command_class = _Command

    def list_commands(self, ctx):
        return list(self.commands)     # in the order of the issue, not alphabetical


def _store(name):
    """Callback of a global option: record its value in the `Session` (given
    after the command, it overrides the same option given before)."""
    def callback(ctx, param, value):
        session = ctx.ensure_object(Session)
        if name == "verbose":
            session.verbose += value
        elif name == "no_cache":
            session.cache = session.cache and not value
        elif param.is_flag:
            setattr(session, name, getattr(session, name) or value)
        elif value is not None:
            setattr(session, name, value)
    return callback


#: (declarations, session attribute, environment variable, click keywords)
_GLOBAL_OPTIONS = [
    (("--server",), "server", "SXPS_SERVER",
     {"metavar": "URL", "help": "UKSSDC API endpoint (default: astroquery_sxps.conf.server; "
                                "env SXPS_SERVER)."}),
    (("--offline",), "offline", None,
     {"is_flag": True, "help": "Start the embedded emulator of the UKSSDC API and query it "
                               "(real data from the UKSSDC tutorial, no network)."}),
    (("--cache-dir",), "cache_dir", "SXPS_CACHE_DIR",
     {"metavar": "DIR", "type": click.Path(file_okay=False),
      "help": "Cache directory (default: astroquery's; env SXPS_CACHE_DIR)."}),
    (("--no-cache",), "no_cache", None,
     {"is_flag": True, "help": "Neither use nor fill the cache."}),
    (("--timeout",), "timeout", None,
     {"type": click.FloatRange(min=0, min_open=True), "metavar": "SECONDS",
      "help": "Time limit of one HTTP request (default conf.timeout, 330 s)."}),
    (("--retries",), "retries", None,
     {"type": click.IntRange(min=0), "metavar": "N",
      "help": "Retries after a connection error or HTTP 5xx (default conf.retries, 3)."}),
    (("-q", "--quiet"), "quiet", None,
     {"is_flag": True, "help": "Only errors on standard error."}),
    (("-v", "--verbose"), "verbose", None,
     {"count": True, "help": "Informational messages and tracebacks (-vv: debugging "
                             "messages)."}),
]


def global_options(hidden):
    """Add the global options to the group (``hidden=False``) or to a subcommand."""
    def decorator(function):
        for decls, name, envvar, keywords in reversed(_GLOBAL_OPTIONS):
            # the environment is read once, by the group: a subcommand's copy
            # must not override a value given before the command
            extra = {"envvar": envvar} if envvar and not hidden else {}
            function = click.option(*decls, callback=_store(name), expose_value=False,
                                    hidden=hidden, **keywords, **extra)(function)
        return function
    return decorator


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@global_options(hidden=False)
@click.version_option(package_name="astroquery-sxps", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx):
    """Swift-XRT Point Source catalogues (LSXPS, 2SXPS) from the shell.

    Upper limits, source/dataset/transient details, light curves, spectral
    fits, images, cone searches and full tables from the UK Swift Science
    Data Centre, as readable tables or as files (the format follows the
    extension of -o: .ecsv, .vot, .fits, .csv, .qdp, .json).

    The options below may go before or after the command. Exit codes: 0
    success, 2 bad input, 3 server or network failure, 4 not found (1
    anything else).

    \b
    Examples:
      sxps ul 334.502058 -8.256481
      sxps source 'LSXPS J221755.4-082100'
      sxps lc 'LSXPS J062131.8-622213' --bands total -o lc.qdp
      sxps cone 'GK Per' 12arcmin --table datasets -o gkper.vot
      sxps table sources --subset clean -o sources.fits --offline
    """
    session = ctx.ensure_object(Session)
    if ctx.invoked_subcommand is None:
        raise click.UsageError("Missing command.")
    session.command = f"sxps {ctx.invoked_subcommand}"
    ctx.call_on_close(session.close)


def _usage_error_line(exc):
    path = exc.ctx.command_path if exc.ctx is not None else "sxps"
    return f"{path}: error: {' '.join(exc.format_message().split())} (see '{path} --help' for usage)"


def main(argv=None):
    """Run ``sxps`` with ``argv`` (default: the process's arguments); returns the exit code.

    Parameters
    ----------
    argv : list of str, optional

    Returns
    -------
    int
        0 success, 1 other failure, 2 bad input, 3 server or network failure,
        4 not found (see `astroquery_sxps.cli.errors`).

    Examples
    --------
    >>> from astroquery_sxps.cli import main
    >>> main(['--help'])  # doctest: +SKIP
    """
    session = Session()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        result = cli.main(args=argv, prog_name="sxps", standalone_mode=False, obj=session)
        return result if isinstance(result, int) else errors.OK
    except click.UsageError as exc:
        click.echo(_usage_error_line(exc), err=True)
        return errors.BAD_INPUT
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("sxps: interrupted", err=True)
        return 130
    except BrokenPipeError:
        # e.g. `sxps table sources | head`: the reader has gone, nothing to say;
        # point stdout at /dev/null so that Python's final flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return errors.FAILURE
    except Exception as exc:
        if session.verbose:
            traceback.print_exc()
        click.echo(f"{session.command}: error: {errors.one_line(exc)}", err=True)
        return errors.exit_code(exc)
