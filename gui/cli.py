"""The editor's sub-commands of ``relume``, added through the ``relume.cli`` entry point.

This module must import without Qt: the editor is only imported when the
command runs, so ``relume probe``/``export`` work on machines without a display.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add ``relume gui`` and ``relume demo`` to the ``relume`` parser."""
    parser = sub.add_parser("gui", help="open the editor", description="Open the Relume editor.")
    parser.add_argument("path", nargs="?", help="a .relume project or a media file to start from")
    parser.set_defaults(run=_run_gui)
    demo = sub.add_parser("demo", help="open the editor on the bundled sample film",
                          description="Open the Relume editor on the bundled sample project.")
    demo.set_defaults(run=_run_demo)


def _run_gui(args: argparse.Namespace) -> int:
    from gui.app import main

    return main([args.path] if args.path else [])


def _run_demo(args: argparse.Namespace) -> int:
    from gui.app import demo

    return demo()
