"""Batch stages: frames go up to the device once per run of torch stages and come back unchanged in type."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import numpy as np
import pytest
import torch

from engine.project import Project
from engine.render.batches import FrameBatch, download, upload
from engine.render.pipeline import BatchStage, Frames, StageContext, StageRegistry
from engine.render.spec import RenderSpec


class Brighten:
    """A torch stage that adds ``amount`` (0–1 scale) to every pixel, recording the batches it sees."""

    def __init__(self, name: str, amount: float, seen: list[FrameBatch]) -> None:
        self.name = name
        self.amount = amount
        self.seen = seen

    def wanted(self, spec: RenderSpec) -> bool:
        return True

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        raise AssertionError("a batch stage in a run must be fed batches")

    def apply_batches(self, batches: Iterator[FrameBatch], spec: RenderSpec,
                      context: StageContext) -> Iterator[FrameBatch]:
        for batch in batches:
            self.seen.append(batch)
            yield batch.with_pixels(batch.pixels + self.amount)


class Invert:
    """A plain numpy stage."""

    name = "deflicker"

    def wanted(self, spec: RenderSpec) -> bool:
        return True

    def apply(self, frames: Frames, spec: RenderSpec, context: StageContext) -> Frames:
        for frame in frames:
            yield np.iinfo(frame.dtype).max - frame


def _spec() -> RenderSpec:
    """The spec of a one-shot project with every setting at its default."""
    from engine.project import MediaRef
    from engine.render.spec import plan_film

    project = Project(fps=Fraction(25), frame_count=10, media=MediaRef.to_file(__file__))
    return plan_film(project)[0].spec


def _frames(count: int, dtype: type, gray: bool = False) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    peak = np.iinfo(dtype).max
    shape = (6, 8) if gray else (6, 8, 3)
    return [rng.integers(0, peak // 2, shape, dtype=dtype) for _ in range(count)]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("gray", [False, True])
def test_upload_download_round_trip_is_exact(dtype: type, gray: bool) -> None:
    frames = _frames(11, dtype, gray)
    batches = list(upload(frames, torch.device("cpu"), batch_frames=4))
    assert [len(b) for b in batches] == [4, 4, 3]
    assert all(b.pixels.dtype == torch.float32 and b.pixels.shape[1] == (1 if gray else 3) for b in batches)
    back = list(download(batches))
    assert len(back) == len(frames)
    for a, b in zip(frames, back):
        assert b.dtype == a.dtype and b.shape == a.shape
        np.testing.assert_array_equal(a, b)


def test_a_batch_closes_where_the_picture_size_changes() -> None:
    frames = _frames(3, np.uint8) + [np.zeros((4, 4, 3), np.uint8)] * 2
    assert [len(b) for b in upload(frames, torch.device("cpu"), batch_frames=8)] == [3, 2]


def test_consecutive_batch_stages_share_one_upload_and_a_numpy_stage_splits_runs() -> None:
    seen_a: list[FrameBatch] = []
    seen_b: list[FrameBatch] = []
    seen_c: list[FrameBatch] = []
    a, b, c = Brighten("denoise", 1 / 255, seen_a), Brighten("colorize", 2 / 255, seen_b), \
        Brighten("upscale", 3 / 255, seen_c)
    assert isinstance(a, BatchStage) and not isinstance(Invert(), BatchStage)
    registry = StageRegistry()
    for stage in (Invert(), a, b, c):
        registry.add(stage)  # type: ignore[arg-type]
    frames = _frames(10, np.uint8)
    out = list(registry.render(frames, _spec(), StageContext(device="cpu", batch_frames=4)))
    # One run of three torch stages: b sees exactly the tensors a produced (no download between).
    assert [len(x) for x in seen_a] == [4, 4, 2]
    assert len(seen_b) == len(seen_c) == 3
    expected = [(255 - f).astype(np.int32) + 6 for f in frames]
    for got, want in zip(out, expected):
        np.testing.assert_array_equal(got, np.clip(want, 0, 255).astype(np.uint8))


def test_download_clips_and_rounds() -> None:
    batch = FrameBatch(torch.tensor([[[[-0.2, 0.5, 1.7]]]]), np.dtype(np.uint8), gray=True)
    (frame,) = download([batch])
    np.testing.assert_array_equal(frame, np.array([[0, 128, 255]], np.uint8))


def test_download_of_deep_frames_is_exact_across_the_whole_range() -> None:
    """16-bit pictures cross the bus as int16 shifted by half the range: every value must come back."""
    values = np.array([0, 1, 255, 256, 32767, 32768, 32769, 65534, 65535], np.uint16)
    batch = FrameBatch(torch.from_numpy(values.astype(np.float32) / 65535).reshape(1, 1, 1, -1),
                       np.dtype(np.uint16), gray=True)
    (frame,) = download([batch])
    assert frame.dtype == np.uint16
    np.testing.assert_array_equal(frame[0], values)
    over = FrameBatch(torch.tensor([[[[-0.5, 1.5]]]]), np.dtype(np.uint16), gray=True)
    np.testing.assert_array_equal(next(download([over]))[0], np.array([0, 65535], np.uint16))
