"""Before Qt starts on Linux: are the system libraries a real window needs installed?

Qt's xcb plug-in aborts the process (no exception, a core dump) when one of
its system libraries is missing. Checking first lets ``relume gui`` say
exactly which Debian/Ubuntu packages to install instead.
"""

from __future__ import annotations

import ctypes
import os
import sys

# shared object → the Debian/Ubuntu package that ships it
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
OFFSCREEN = ("offscreen", "minimal", "vnc")


def missing_packages(libraries: dict[str, str] = XCB_LIBRARIES) -> list[str]:
    """Packages whose library cannot be loaded, in a stable order."""
    missing = []
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    return sorted(set(missing))


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why a window cannot open here, as advice to print; ``None`` when it can (or when not on Linux)."""
    env = dict(os.environ if environ is None else environ)
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform.startswith(OFFSCREEN) or platform.startswith("wayland"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("no display: run Relume in a desktop session, or set DISPLAY (X11) or WAYLAND_DISPLAY; "
                "for a headless machine use the relume export/cuts commands")
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return None  # Qt takes the Wayland plug-in, which needs none of the xcb libraries
    packages = missing_packages()
    if packages:
        return ("the window system libraries Qt needs are missing; install them with: "
                f"sudo apt install {' '.join(packages)}")
    return None
