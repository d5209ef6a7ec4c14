"""The house rules on imports: engine never imports Qt; the project model imports no torch/av."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT = {"PySide6", "shiboken6", "superqt", "qtawesome", "PyQt5", "PyQt6", "qtpy"}
HEAVY = {"torch", "torchvision", "av", "cv2", "spandrel", "scenedetect"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_engine_never_imports_qt() -> None:
    offenders = {str(p.relative_to(ROOT)): _imports(p) & QT for p in _modules("engine")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_project_model_imports_neither_torch_nor_av() -> None:
    offenders = {str(p.relative_to(ROOT)): _imports(p) & HEAVY for p in _modules("engine/project")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_project_model_never_imports_the_rest_of_the_engine() -> None:
    offenders: dict[str, set[str]] = {}
    for path in _modules("engine/project"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("engine.")
            and not node.module.startswith(("engine.project", "engine.errors"))
        }
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_project_model_loads_in_plain_python() -> None:
    """Importing every project module pulls in none of the heavy libraries."""
    names = [
        "engine.project." + p.relative_to(ROOT / "engine/project").with_suffix("").as_posix().replace("/", ".")
        for p in _modules("engine/project")
        if p.name != "__init__.py"
    ]
    code = (
        "import sys\n"
        f"for n in {names!r}: __import__(n)\n"
        f"bad = sorted(m for m in {sorted(HEAVY | QT)!r} if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_an_export_without_torch_stages_never_loads_torch() -> None:
    """The render engine and every stage's registration load without torch (it costs seconds and 500 MB)."""
    code = (
        "import sys\n"
        "import engine.cli.export_command, engine.render.film_export, engine.render.film_input\n"
        "from engine.render.pipeline import default_stages\n"
        "default_stages()\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gui_is_the_only_qt_user() -> None:
    for folder in ("engine", "benchmarks"):
        for path in _modules(folder):
            assert not (_imports(path) & QT), f"{path} imports Qt"
