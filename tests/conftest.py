"""Shared fixtures: real clips, temporary output folders, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine.testing.clips import clip  # noqa: E402


@pytest.fixture(scope="session")
def bigbuckbunny() -> Path:
    """Real 1280×720 25 fps H.264 clip with AAC audio (132 frames)."""
    return clip("bigbuckbunny")


@pytest.fixture(scope="session")
def bikes() -> Path:
    """Real 640×272 25 fps H.264 clip (250 frames)."""
    return clip("bikes")


@pytest.fixture(scope="session")
def carphone() -> Path:
    """Real 176×144 30000/1001 fps H.264 clip (120 frames)."""
    return clip("carphone")
