"""The ``relume`` command: argument parsing and progress display only.

Each sub-command lives in its own module exposing ``register(subparsers)``,
which adds a parser whose ``run`` default takes the parsed arguments and
returns an exit code. Errors the engine raises on purpose
(:class:`~engine.errors.RelumeError`) become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from engine import __version__
from engine.errors import Cancelled, RelumeError

# Sub-command modules, in the order `relume --help` lists them.
COMMANDS = ("probe", "export", "cuts", "settings", "model")

# Packages above the engine (the editor) add their commands through this
# entry-point group, so the engine never imports upward.
PLUGIN_GROUP = "relume.cli"

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="relume",
        description="Colorize, restore and master black-and-white archival film, shot by shot.",
    )
    parser.add_argument("--version", action="version", version=f"relume {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"engine.cli.{name}_command")
        except ModuleNotFoundError as exc:
            if exc.name == f"engine.cli.{name}_command":
                continue  # not built yet
            raise
        module.register(sub)
    for plugin in entry_points(group=PLUGIN_GROUP):
        plugin.load()(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relume`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args.run(args) or EXIT_OK)
    except Cancelled as exc:
        print(f"relume: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("relume: interrupted; nothing was left at the target", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RelumeError as exc:
        print(f"relume: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so in one line, keep the traceback for RELUME_DEBUG
        if os.environ.get("RELUME_DEBUG"):
            raise
        print(
            f"relume: internal error: {type(exc).__name__}: {exc} "
            "(run again with RELUME_DEBUG=1 for details and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
