"""The ``geoverify`` command line: a thin layer over the library.

Each subcommand lives in its own module and is imported only when it runs,
so ``geoverify extract`` never pays for geopandas or the gazetteer.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

import click

from geoverify import __version__
from geoverify.cli.options import verbosity
from geoverify.errors import GeoverifyError

#: subcommand name -> "module:function", imported on first use.
COMMANDS = {
    "parse": "geoverify.cli.parse:parse",
    "extract": "geoverify.cli.extract:extract",
    "resolve": "geoverify.cli.resolve:resolve",
    "where": "geoverify.cli.where:where",
    "verify": "geoverify.cli.verify:verify",
    "check": "geoverify.cli.check:check",
    "data": "geoverify.cli.data:data",
    "fixtures": "geoverify.cli.fixtures:fixtures",
    "batch": "geoverify.cli.batch:batch",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are invoked (or listed)."""

    def list_commands(self, ctx):
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None or not _available(name):
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def main(self, args=None, prog_name=None, **extra):
        """Run the CLI; every error becomes one line ``geoverify: error: ...`` and exit 2."""
        try:
            rv = super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("geoverify: error: aborted", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            fail(_one_line(exc.format_message()))
        except GeoverifyError as exc:
            fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except KeyboardInterrupt:
            fail("interrupted")
        except MemoryError:
            fail("out of memory")
        except Exception as exc:  # a bug: still one line, the traceback with -v
            fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        sys.exit(rv if isinstance(rv, int) else 0)


def _available(name: str) -> bool:
    module = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module) is not None


def _one_line(message: str) -> str:
    """The message on one line, cut (saying how much) beyond
    :data:`geoverify.thresholds.MAX_ERROR_LINE_CHARS`."""
    from geoverify.thresholds import MAX_ERROR_LINE_CHARS

    line = " ".join(message.split())
    if len(line) > MAX_ERROR_LINE_CHARS:
        cut = MAX_ERROR_LINE_CHARS - 60
        line = f"{line[:cut]}… ({len(line) - cut:,} more characters not shown)"
    return line


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):  # StreamHandler.__init__ assigns it
        pass


class _Formatter(logging.Formatter):
    """``geoverify: warning: message`` (level names in lower case, one line per record
    unless a traceback follows)."""

    def format(self, record: logging.LogRecord) -> str:
        record.levelname_lower = record.levelname.lower()
        return super().format(record)


def configure_logging(level: int) -> None:
    """Log records of the ``geoverify`` loggers to stderr as ``geoverify: <level>: message``."""
    logger = logging.getLogger("geoverify")
    for handler in list(logger.handlers):
        if isinstance(handler, _StderrHandler):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(_Formatter("geoverify: %(levelname_lower)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def fail(message: str) -> None:
    """Print ``geoverify: error: MESSAGE`` on stderr and exit with status 2."""
    if sys.exc_info()[0] is not None and logging.getLogger("geoverify").isEnabledFor(logging.INFO):
        logging.getLogger("geoverify").info("error detail", exc_info=True)
    click.echo(f"geoverify: error: {_one_line(message)}", err=True)
    sys.exit(2)


def level_for(verbosity: int) -> int:
    """The logging level of ``-v`` × verbosity (negative: ``-q``): WARNING by default."""
    return max(logging.DEBUG, min(logging.WARNING - 10 * verbosity, logging.CRITICAL))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geoverify")
@verbosity
@click.pass_context
def cli(ctx):
    """Check where things happened: extract coordinates and location claims from text,
    resolve place names offline, and verify every claim against the coordinates.

    -v/-q may be given before or after the subcommand (they add up).
    """
    ctx.ensure_object(dict)
    configure_logging(level_for(ctx.obj.get("verbosity", 0)))


#: Thread pools numerical libraries start at import, one thread per core, that a command's small
#: array work never uses: they spin and cost CPU (a cold ``where`` 0.28 -> 0.17 s CPU), and batch
#: workers, one per core already, would oversubscribe the cores. A value the user set is kept.
SINGLE_THREAD_POOLS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_thread_pools(environ=None) -> None:
    """Ask numerical libraries for one thread each, unless the environment already says."""
    import os

    env = os.environ if environ is None else environ
    for name in SINGLE_THREAD_POOLS:
        env.setdefault(name, "1")


def main() -> None:  # console-script entry point
    single_thread_pools()  # before anything imports numpy
    cli.main(prog_name="geoverify")
