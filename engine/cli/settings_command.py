"""``relume settings --schema [--json]``: every setting with its type, default and meaning."""

from __future__ import annotations

import argparse
import json
import sys

from engine.project.settings import schema


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``settings`` sub-command."""
    parser = subparsers.add_parser(
        "settings",
        help="list every setting (for --set KEY=VALUE and per-shot overrides)",
        description="List every setting Relume knows: its key, type, default, what it means and what it allows. "
        "Use them with `relume export --set KEY=VALUE`.",
    )
    parser.add_argument("--schema", action="store_true", help="print the settings schema (the default action)")
    parser.add_argument("--json", action="store_true", help="print it as JSON instead of a table")
    parser.set_defaults(run=run)


def _cell(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def run(args: argparse.Namespace) -> int:
    """Print the schema as a table or as JSON."""
    rows = schema()
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    table = [("KEY", "TYPE", "DEFAULT", "SCOPE", "MEANING (ALLOWED)")]
    table += [
        (str(r["key"]), str(r["type"]), _cell(r["default"]), str(r["scope"]), f"{r['meaning']} ({r['allowed']})")
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])
    return 0
