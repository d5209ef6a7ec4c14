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
    demo = sub.add_parser(
        "demo", help="open the editor on the bundled sample film (headless: render its restored, colorized master)",
        description="Open the Relume editor on the bundled sample project. Without a display, or with "
        "--headless, render the sample's master instead: the worn print stabilized, deflickered, its dust "
        "and scratches repaired, every shot colored from its hints and pinned colors, upscaled and encoded "
        "with its soundtrack.")
    demo.add_argument("--headless", action="store_true", help="render the master even when a display is available")
    demo.add_argument("--out", default="relume-demo/sample-master.mov", metavar="PATH",
                      help="where the headless master goes (default: %(default)s, replaced if present)")
    demo.add_argument("--preset", default="prores-422hq", metavar="NAME", help="master format (default %(default)s)")
    demo.add_argument("--size", default="hd", metavar="SIZE",
                      help="master size (default %(default)s; uhd takes a few minutes more on a laptop CPU)")
    demo.set_defaults(run=_run_demo)


def _run_gui(args: argparse.Namespace) -> int:
    from gui.app import main

    return main([args.path] if args.path else [])


def _run_demo(args: argparse.Namespace) -> int:
    from gui.platform_check import display_problem

    problem = None if args.headless else display_problem()
    if args.headless or problem is not None:
        return _render_demo(args, problem)
    from gui.app import demo

    return demo()


# What the headless demo repairs of the sample's wear before colorizing it (its grain is kept).
DEMO_RESTORATION = ("restore.stabilize.enabled", "restore.deflicker.enabled", "restore.dust.enabled",
                    "restore.scratches.enabled")


def _render_demo(args: argparse.Namespace, problem: str | None) -> int:
    """The main job without a window: the sample project through ``relume export``."""
    import sys
    from pathlib import Path

    from engine.cli import main as relume
    from resources import SAMPLE_PROJECT

    if problem is not None:
        print(f"relume demo: the editor cannot open here ({problem}); rendering the sample's master instead",
              file=sys.stderr)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The sample is a worn print: its master is restored as a restorer would, then colorized.
    restore = [arg for key in DEMO_RESTORATION for arg in ("--set", f"{key}=true")]
    code = relume(["export", str(SAMPLE_PROJECT), "--out", str(out), "--preset", args.preset,
                   "--size", args.size, "--overwrite", *restore])
    if code == 0:
        print(f"relume demo: wrote {out} — open it in any player, or run `relume gui {SAMPLE_PROJECT}`")
    return code
