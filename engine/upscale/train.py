"""Train Relume's built-in luma upscaler on the photographs scikit-image ships.

Reproducible and offline: the training pictures are the still photographs in
the scikit-image wheel (never the network, never video: the clips stay for
evaluation, so the benchmark measures footage the network never saw), the
seeds are fixed and the whole run takes a few minutes on a laptop CPU::

    .venv/bin/python -m engine.upscale.train --scale 4 --seed 0 \\
        --out resources/models/relume-upscale-x4.safetensors

Each step cuts random patches from the photographs (at their own size and
reduced, since film scans and video are softer than still photographs),
shrinks them by area averaging — the same degradation the benchmark uses —
rounds the small patch to 8-bit code values as a real frame would be, and
teaches the network to restore the patch at full size (L1 loss, Adam, cosine
learning rate).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from engine.color.luma import integer_luma
from engine.upscale.network import FOLD, LumaUpscaler, NetworkShape, save_network

# Still photographs in scikit-image's data folder (files that ship in the
# wheel; nothing is fetched). Synthetic pictures (phantom, checkerboard) and
# motion-blurred ones are left out.
PHOTOGRAPHS = (
    "astronaut.png", "brick.png", "camera.png", "cell.png", "chelsea.png", "coffee.png", "coins.png",
    "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "motorcycle_left.png",
    "motorcycle_right.png", "page.png", "retina.jpg", "rocket.jpg", "text.png", "ihc.png",
)
# Sizes at which each photograph is also used (softer pictures, like film and video).
REDUCTIONS = (1.0, 0.7, 0.5)
LOW_PATCH = 32  # side of a small training patch, in pixels (even, for the fold)


def photographs() -> list[np.ndarray]:
    """The training photographs as 8-bit luma (by Relume's integer formula)."""
    import skimage.data
    import skimage.io

    folder = Path(skimage.data.data_dir)
    pictures = []
    for name in PHOTOGRAPHS:
        image = skimage.io.imread(folder / name)
        if image.dtype != np.uint8:
            image = (image.astype(np.float64) * (255.0 / image.max())).round().astype(np.uint8)
        if image.ndim == 3:
            image = integer_luma(np.ascontiguousarray(image[..., :3]))
        pictures.append(image)
    return pictures


def training_pool(scale: int) -> list[np.ndarray]:
    """Every photograph at every reduction large enough to give a patch."""
    side = LOW_PATCH * scale
    pool = []
    for picture in photographs():
        height, width = picture.shape
        for factor in REDUCTIONS:
            w, h = round(width * factor), round(height * factor)
            if min(w, h) < side:
                continue
            reduced = picture if factor == 1.0 else cv2.resize(picture, (w, h), interpolation=cv2.INTER_AREA)
            pool.append(reduced)
    return pool


def sample_batch(
    pool: list[np.ndarray], scale: int, batch: int, rng: np.random.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Small and full-size patches ``(batch, 1, s, s)`` on the 0–1 scale."""
    side = LOW_PATCH * scale
    patches = np.empty((batch, side, side), np.float32)
    for i in range(batch):
        picture = pool[int(rng.integers(len(pool)))]
        y = int(rng.integers(picture.shape[0] - side + 1))
        x = int(rng.integers(picture.shape[1] - side + 1))
        patch = picture[y : y + side, x : x + side]
        patch = np.rot90(patch, int(rng.integers(4)))
        if rng.integers(2):
            patch = patch[:, ::-1]
        patches[i] = patch
    full = torch.from_numpy(patches / np.float32(255.0)).unsqueeze(1)
    # Area averaging, then 8-bit rounding: what a real small frame looks like.
    small = torch.round(F.avg_pool2d(full, scale) * 255.0) / 255.0
    return small, full


def train(shape: NetworkShape, steps: int, batch: int, seed: int, rate: float) -> LumaUpscaler:
    """A network of ``shape`` trained for ``steps`` steps from seed ``seed``."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    pool = training_pool(shape.scale)
    network = LumaUpscaler(shape)
    # The residual starts at zero: training begins from plain bicubic.
    torch.nn.init.zeros_(network.convs[-1].weight)
    torch.nn.init.zeros_(network.convs[-1].bias)
    optimizer = torch.optim.Adam(network.parameters(), lr=rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    started = time.perf_counter()
    running = 0.0
    for step in range(steps):
        small, full = sample_batch(pool, shape.scale, batch, rng)
        loss = F.l1_loss(network(small), full)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        running += float(loss.detach())
        if (step + 1) % 250 == 0:
            print(f"step {step + 1}/{steps}  L1 {running / 250:.5f}  {time.perf_counter() - started:.0f} s", flush=True)
            running = 0.0
    return network.eval()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train Relume's built-in luma upscaler on scikit-image's photographs.")
    parser.add_argument("--out", required=True, type=Path, help="safetensors file to write")
    parser.add_argument("--scale", type=int, default=4, choices=(2, 4))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=2e-3, help="initial Adam learning rate")
    args = parser.parse_args(argv)
    if LOW_PATCH % FOLD:
        raise AssertionError("training patches must be a multiple of the fold")
    torch.set_num_threads(max(1, torch.get_num_threads()))
    started = time.perf_counter()
    shape = NetworkShape(args.scale, args.channels, args.layers)
    network = train(shape, args.steps, args.batch, args.seed, args.rate)
    minutes = (time.perf_counter() - started) / 60
    command = "python -m engine.upscale.train " + " ".join(sys.argv[1:] if argv is None else argv)
    save_network(network, args.out, {"seed": str(args.seed), "steps": str(args.steps), "command": command,
                                     "data": "scikit-image " + ", ".join(PHOTOGRAPHS)})
    print(f"wrote {args.out} ({sum(p.numel() for p in network.parameters())} weights) in {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
