"""The upscale stage's batch path (frames kept on the device) against its host path, on real frames."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import torch

from engine.color.luma import integer_luma
from engine.media.geometry import Placement
from engine.project import MediaRef, Project
from engine.render.batches import download, upload
from engine.render.pipeline import StageContext, StageRegistry
from engine.render.spec import plan_film
from engine.render.upscale_stage import UpscaleStage
from engine.upscale.on_device import upscale_pictures
from engine.upscale.upscaler import Resampler, upscale_frame, upscaler_named


def _psnr(a: np.ndarray, b: np.ndarray, peak: float = 255.0) -> float:
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(peak**2 / max(error, 1e-12)))


@pytest.fixture(scope="module")
def frames(carphone: Path) -> list[np.ndarray]:
    """Three real colour frames (carphone, 176×144), far apart."""
    with av.open(str(carphone)) as container:
        pictures = [f.to_ndarray(format="rgb24") for i, f in enumerate(container.decode(video=0)) if i in (0, 40, 80)]
    assert len(pictures) == 3
    return pictures


def _on_device(frames: list[np.ndarray], size: tuple[int, int], name: str) -> list[np.ndarray]:
    upscaler = upscaler_named(name, "cpu")
    out = []
    for batch in upload(frames, torch.device("cpu"), batch_frames=2):
        peak = int(np.iinfo(batch.dtype).max)
        out.extend(download([batch.with_pixels(upscale_pictures(batch.pixels, size, upscaler, peak))]))
    return out


# At the network's own factor the paths differ only by float rounding; beyond it the remainder
# is torch's bicubic on the device against OpenCV's Lanczos on the host.
@pytest.mark.parametrize(("size", "floor_db"), [((704, 576), 60.0), ((792, 648), 45.0)], ids=["x4", "x4.5"])
def test_batches_match_the_host_path_and_keep_the_upscaled_luma(frames: list[np.ndarray], size: tuple[int, int],
                                                                  floor_db: float) -> None:
    upscaler = upscaler_named("relume", "cpu")
    host = [upscale_frame(f, size, upscaler) for f in frames]
    device = _on_device(frames, size, "relume")
    gray = _on_device([integer_luma(f) for f in frames], size, "relume")
    for h, d, g in zip(host, device, gray):
        assert d.shape == h.shape == (size[1], size[0], 3) and d.dtype == np.uint8
        # Luma is the network's (recomposed exactly), chroma guided by it: the same picture.
        np.testing.assert_array_equal(integer_luma(d), g)
        assert _psnr(d, h) > floor_db


def test_gray_stays_gray_and_sixteen_bit_luma_is_exact(frames: list[np.ndarray]) -> None:
    neutral = np.repeat(integer_luma(frames[0])[..., None], 3, axis=2)
    (out,) = _on_device([neutral], (352, 288), "bicubic")
    assert np.array_equal(out[..., 0], out[..., 1]) and np.array_equal(out[..., 1], out[..., 2])
    assert _psnr(out[..., 0], Resampler("bicubic").luma(neutral[..., 0], (352, 288))) > 40

    deep = frames[1].astype(np.uint16) * 257 + np.random.default_rng(0).integers(0, 257, frames[1].shape,
                                                                              dtype=np.uint16)
    (rgb,) = _on_device([deep], (352, 288), "bicubic")
    (luma,) = _on_device([integer_luma(deep)], (352, 288), "bicubic")
    assert rgb.dtype == np.uint16
    np.testing.assert_array_equal(integer_luma(rgb), luma)
    reference = cv2.resize(deep, (352, 288), interpolation=cv2.INTER_CUBIC)
    assert _psnr(rgb, reference, 65535.0) > 35


class _Spy(UpscaleStage):
    """The upscale stage, recording which path the pipeline fed."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def apply(self, frames, spec, context):  # type: ignore[no-untyped-def]
        self.paths.append("frames")
        return super().apply(frames, spec, context)

    def apply_batches(self, batches, spec, context):  # type: ignore[no-untyped-def]
        self.paths.append("batches")
        return super().apply_batches(batches, spec, context)


def test_the_pipeline_batches_only_when_asked_or_on_an_accelerator(frames: list[np.ndarray]) -> None:
    project = Project(fps=Fraction(25), frame_count=3, media=MediaRef.to_file(__file__))
    spec = plan_film(project, {"upscale.upscaler": "relume"})[0].spec
    placement = Placement(8, 0, 160, 144, 640, 576, 0, 0, 640, 576)
    stage = _Spy()
    registry = StageRegistry()
    registry.add(stage)
    plain = list(registry.render(frames, spec, StageContext(device="cpu", placement=placement)))
    batched = list(registry.render(frames, spec, StageContext(device="cpu", placement=placement, batch_frames=2)))
    # On the CPU the host path is the default; a context may ask for batches.
    assert stage.paths == ["frames", "batches"]
    assert len(plain) == len(batched) == 3
    for p, b, f in zip(plain, batched, frames):
        assert p.shape == b.shape == (576, 640, 3)
        assert _psnr(p, b) > 40
        window = f[:, 8:168]
        assert _psnr(b, cv2.resize(window, (640, 576), interpolation=cv2.INTER_LANCZOS4)) > 25
