"""``relume model FILE [--json]``: what an upscaling model file is, and whether Relume can use it."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``model`` sub-command."""
    parser = subparsers.add_parser(
        "model",
        help="describe an upscaling model file",
        description="Read an upscaling model file — weights only, nothing in it runs — and say what it is: "
        "Relume's own luma network, or an architecture spandrel reads (ESRGAN, Real-ESRGAN, SwinIR, HAT, "
        "SPAN …), its enlargement, channels and precisions. A file Relume cannot use as "
        "upscale.upscaler gets one line saying why (exit code 2).",
    )
    parser.add_argument("file", metavar="FILE", help="model file (.safetensors, .pth, .pt, .ckpt)")
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print what ``args.file`` holds."""
    from engine.upscale.upscaler import model_facts

    facts = model_facts(args.file)
    if args.json:
        json.dump(facts, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    tags = f" ({', '.join(str(t) for t in facts['tags'])})" if facts["tags"] else ""
    precision = "float16" if facts["float16"] else "float32 (the architecture does not allow float16)"
    sys.stdout.write(
        f"{facts['file']}\n"
        f"  model        {facts['architecture']}{tags}, ×{facts['scale']}\n"
        f"  channels     {facts['input_channels']} in, {facts['output_channels']} out "
        "(Relume feeds it the film's luma as grey)\n"
        f"  parameters   {int(facts['parameters']) / 1e6:.2f} M\n"
        f"  on CUDA      runs in {precision}\n"
        f"  use          relume export … --upscaler {facts['file']}, or the inspector's Upscaler\n"
    )
    return 0
