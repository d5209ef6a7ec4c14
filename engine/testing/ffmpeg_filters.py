"""FFmpeg's own filters over gray film, through PyAV's filter graph: the peers the restoration benchmarks run.

A benchmark hands a shot's gray frames (RGB with R = G = B, 8-bit) and a filter
as FFmpeg's command line writes it (``"tmedian=radius=1"``); the frames go in
with 25 fps timestamps, come back as the filter left them, gray again.
"""

from __future__ import annotations

from fractions import Fraction

import av
import av.filter
import numpy as np


def gray_film_through(frames: list[np.ndarray], description: str, pix_fmt: str = "gray") -> list[np.ndarray]:
    """``frames`` through the FFmpeg filter ``description`` (``name=options``), as gray RGB frames.

    Parameters
    ----------
    frames
        ``(H, W, 3)`` uint8 gray frames of one shot.
    description
        The filter and its options, as on FFmpeg's command line.
    pix_fmt
        What the filter is fed: ``gray``, or ``yuv420p`` (neutral chroma) for
        filters that take no gray pictures, such as ``deshake``.
    """
    height, width = frames[0].shape[:2]
    name, _, options = description.partition("=")
    graph = av.filter.Graph()
    chain = [
        graph.add("buffer", f"video_size={width}x{height}:pix_fmt={pix_fmt}:time_base=1/25:pixel_aspect=1/1"),
        graph.add(name, options),
        graph.add("buffersink"),
    ]
    for upstream, downstream in zip(chain, chain[1:]):
        upstream.link_to(downstream)
    graph.configure()
    neutral = np.full((height // 2, width), 128, np.uint8)
    out: list[np.ndarray] = []
    for index, frame in enumerate(frames):
        luma = np.ascontiguousarray(frame[..., 0])
        if pix_fmt == "gray":
            picture = av.VideoFrame.from_ndarray(luma, format="gray")
        else:
            picture = av.VideoFrame.from_ndarray(np.concatenate([luma, neutral]), format=pix_fmt)
        picture.pts, picture.time_base = index, Fraction(1, 25)
        graph.vpush(picture)
        out.extend(_drain(graph))
    graph.vpush(None)
    out.extend(_drain(graph))
    return [np.repeat(f[..., None], 3, axis=-1) for f in out]


def _drain(graph: av.filter.Graph) -> list[np.ndarray]:
    """The luma of every picture the filter graph has ready."""
    pulled = []
    while True:
        try:
            pulled.append(graph.vpull().to_ndarray(format="gray"))
        except (av.error.BlockingIOError, av.error.EOFError):
            return pulled
