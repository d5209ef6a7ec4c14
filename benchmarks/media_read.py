"""Reading media: Relume's frame source beside PyAV and PySceneDetect, in one run.

Cases
-----
sequential
    Every frame of a real clip as RGB. Peers: PyAV ``decode`` + ``to_ndarray``
    (its default swscale path), and the same bare PyAV loop converting exactly
    as Relume does (``ACCURATE_RND``, the stream's matrix). The first ratio
    shows what exact conversion costs; the second Relume's own overhead
    (probe, index, cache), which is what the goal bounds. A 2K 10-bit DPX scan
    is read beside PyAV's image2 demuxer on the same files.
random access
    100 random indices (fixed seed, backwards jumps included) read through
    ``frame(i)`` with the cache off. Peer: PySceneDetect's PyAV backend
    (``VideoStreamAv.seek`` + ``read``). Each side is also checked for exactness
    against its own sequential decode.

Sequential cases run three times, alternating Relume and the peer, and keep
each side's best time. Run: ``.venv/bin/python benchmarks/media_read.py``
(about a minute on 2 cores).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from scenedetect.backends.pyav import VideoStreamAv

from engine.media.pixels import to_rgb
from engine.media.source import open_source
from engine.testing.clips import clip
from engine.testing.make_media import make_clip, make_sequence

RANDOM_READS = 100
REPEATS = 3  # alternate Relume and peer, keep each one's best: these machines are shared


def _timed(work: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = work()
    return time.perf_counter() - start, count


def relume_sequential(path: Path) -> int:
    with open_source(path) as source:
        return sum(1 for _ in source.frames())


def pyav_sequential(path: Path, out_format: str, exact: bool = False) -> int:
    """A bare PyAV decode loop; ``exact`` converts as Relume does (to isolate Relume's own overhead)."""
    reformatter = VideoReformatter()
    with av.open(str(path)) as container:
        container.streams.video[0].thread_type = "AUTO"
        count = 0
        for frame in container.decode(video=0):
            if exact:
                to_rgb(frame, out_format, reformatter)
            else:
                frame.to_ndarray(format=out_format)
            count += 1
        return count


def image2_sequential(pattern: Path) -> int:
    """PyAV's own image-sequence demuxer reading the same scan in one container."""
    with av.open(str(pattern), format="image2", options={"start_number": "1"}) as container:
        return sum(1 for frame in container.decode(video=0) if frame.to_ndarray(format="rgb48le") is not None)


def relume_random(path: Path, order: list[int]) -> tuple[float, int]:
    with open_source(path) as source:
        reference = [frame.copy() for frame in source.frames()]
    with open_source(path, cache_bytes=0) as source:
        start = time.perf_counter()
        pictures = [source.frame(i) for i in order]
        seconds = time.perf_counter() - start
    return seconds, sum(np.array_equal(p, reference[i]) for p, i in zip(pictures, order))


def scenedetect_random(path: Path, order: list[int]) -> tuple[float, int]:
    stream = VideoStreamAv(str(path), suppress_output=True)
    reference = []
    while (frame := stream.read()) is not False:
        reference.append(frame.copy())
    start = time.perf_counter()
    pictures = []
    for index in order:
        stream.seek(index)  # frame number, as PySceneDetect counts them
        pictures.append(stream.read())
    seconds = time.perf_counter() - start
    exact = sum(p is not False and i < len(reference) and np.array_equal(p, reference[i]) for p, i in zip(pictures, order))
    return seconds, exact


def main() -> None:
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        ten_bit = make_clip(Path(folder) / "bikes10.mov", frames=120, size=(640, 272), codec="prores_ks",
                            from_clip=clip("bikes"))
        for name, path, out_format in (
            ("sequential bigbuckbunny 720p h264", clip("bigbuckbunny"), "rgb24"),
            ("sequential bikes 640x272 h264", clip("bikes"), "rgb24"),
            ("sequential bikes 10-bit prores", ten_bit, "rgb48le"),
        ):
            ours_runs, peer_runs, same_runs = [], [], []
            for _ in range(REPEATS):
                ours_runs.append(_timed(lambda: relume_sequential(path)))
                peer_runs.append(_timed(lambda: pyav_sequential(path, out_format)))
                same_runs.append(_timed(lambda: pyav_sequential(path, out_format, exact=True)))
            (ours, n), (peer, _), (same, _) = min(ours_runs), min(peer_runs), min(same_runs)
            rows.append((name, f"{n / ours:.0f} fps", f"{n / peer:.0f} fps (PyAV default)", f"{ours / peer:.2f}x time", "report"))
            rows.append(("  same exact conversion", f"{n / ours:.0f} fps", f"{n / same:.0f} fps (PyAV loop)", f"{ours / same:.2f}x time", "<= 1.25x"))
            opening = min(_timed(lambda: open_source(path).close() or 0)[0] for _ in range(REPEATS))
            rows.append(("  of which open (probe, index)", f"{1000 * opening:.0f} ms", "-", f"{opening / ours:.0%} of Relume", "report"))
        scan = make_sequence(Path(folder) / "scan", frames=24, size=(2048, 1080), ext="dpx", bit_depth=10,
                             from_clip=clip("bikes"))
        ours_runs, peer_runs = [], []
        for _ in range(REPEATS):
            ours_runs.append(_timed(lambda: relume_sequential(scan)))
            peer_runs.append(_timed(lambda: image2_sequential(scan)))
        (ours, n), (peer, _) = min(ours_runs), min(peer_runs)
        rows.append(("sequential 2K 10-bit DPX scan", f"{n / ours:.0f} fps", f"{n / peer:.0f} fps (PyAV image2)", f"{ours / peer:.2f}x time", "<= 1.25x"))
        for name, path in (("random bikes (6 keyframes)", clip("bikes")), ("random bigbuckbunny (1 keyframe)", clip("bigbuckbunny"))):
            with open_source(path) as source:
                count = len(source)
            order = [int(i) for i in np.random.default_rng(0).integers(0, count, RANDOM_READS)]
            ours, ours_exact = relume_random(path, order)
            peer, peer_exact = scenedetect_random(path, order)
            rows.append((
                name,
                f"{1000 * ours / len(order):.1f} ms/frame, {ours_exact}/{len(order)} exact",
                f"{1000 * peer / len(order):.1f} ms/frame, {peer_exact}/{len(order)} exact",
                f"{ours / peer:.2f}x time",
                "all exact",
            ))
    widths = [max(len(r[k]) for r in rows + [("case", "Relume", "peer", "ratio", "goal")]) for k in range(5)]
    print("peers: PyAV decode+to_ndarray (sequential), PySceneDetect VideoStreamAv seek+read (random)")
    for row in [("case", "Relume", "peer", "ratio", "goal"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    exact = all(r[1].split(", ")[-1].split("/")[0] == str(RANDOM_READS) for r in rows if r[0].startswith("random"))
    print(f"summary: Relume random access {'is' if exact else 'is NOT'} frame-exact on every read")


if __name__ == "__main__":
    main()
