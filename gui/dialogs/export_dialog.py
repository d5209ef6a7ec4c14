"""The export dialog: what master to make, and where."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from engine.errors import RelumeError
from engine.media.geometry import NAMED_SIZES, SOURCE, Fit, parse_size
from engine.media.presets import PRESETS
from engine.project import Project
from engine.render.export import ExportRequest, resolve_target


class ExportDialog(QDialog):
    """Choose preset, size, fit, rate, audio and destination of a master.

    Parameters
    ----------
    project
        The project whose film is exported; its ``export.*`` settings fill the form.
    """

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if project.media is None:
            raise RelumeError("the project has no media linked; there is nothing to export", project.path)
        self.setWindowTitle(self.tr("Export master"))
        self.project = project
        settings = project.export_settings()
        form = QFormLayout(self)

        self.preset = QComboBox(self)
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset.name)
            self.preset.setItemData(self.preset.count() - 1, preset.description, 0x03)  # tooltip role
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.get("export.preset"))))
        self.preset.currentIndexChanged.connect(self._preset_changed)
        form.addRow(self.tr("Preset"), self.preset)
        self.preset_note = QLabel(self)
        self.preset_note.setWordWrap(True)
        self.preset_note.setObjectName("note")
        form.addRow("", self.preset_note)

        self.size = QComboBox(self)
        self.size.addItem(self.tr("Source size"), SOURCE)
        for name, (w, h) in NAMED_SIZES.items():
            self.size.addItem(f"{name.upper()}  {w}×{h}", name)
        self.size.setCurrentIndex(max(0, self.size.findData(str(settings.get("export.size", SOURCE)).lower())))
        form.addRow(self.tr("Size"), self.size)

        self.fit = QComboBox(self)
        labels = {Fit.PAD: self.tr("Pad (bars, whole picture)"), Fit.CROP: self.tr("Crop (fill, cut the overhang)"),
                  Fit.STRETCH: self.tr("Stretch (fill, distort)")}
        for fit, label in labels.items():
            self.fit.addItem(label, fit.value)
        self.fit.setCurrentIndex(max(0, self.fit.findData(settings.get("export.fit", "pad"))))
        form.addRow(self.tr("Fit"), self.fit)

        self.fps = QComboBox(self)
        self.fps.addItem(self.tr("Source rate ({0} fps)").format(_rate_text(project.fps)), "source")
        for rate in _faster_rates(project.fps):
            self.fps.addItem(self.tr("{0} fps, in-between frames by motion").format(_rate_text(rate)), str(rate))
        self.fps.setCurrentIndex(max(0, self.fps.findData(str(settings.get("export.fps", "source")))))
        self.fps.setToolTip(self.tr("A higher rate invents in-between frames by motion, shot by shot, never across "
                                    "a cut; the sound stays in sync"))
        form.addRow(self.tr("Frame rate"), self.fps)

        self.audio = QCheckBox(self.tr("Carry every audio stream, in sync"), self)
        self.audio.setChecked(bool(settings.get("export.audio", True)))
        form.addRow(self.tr("Audio"), self.audio)

        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.destination = QLineEdit(self)
        self.destination.setMinimumWidth(420)
        self.destination.setText(str(self._default_target()))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        line.addWidget(self.destination, 1)
        line.addWidget(browse)
        form.addRow(self.tr("Destination"), row)

        self.overwrite = QCheckBox(self.tr("Replace an existing file"), self)
        form.addRow("", self.overwrite)

        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add to render queue"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._preset_changed()

    def _default_target(self) -> Path:
        assert self.project.media is not None
        folder = self.project.path.parent if self.project.path else self.project.media.path.parent
        stem = self.project.path.stem if self.project.path else self.project.media.path.stem
        return folder / f"{stem}-master{PRESETS.get(self.preset.currentData()).extension}"

    def _preset_changed(self) -> None:
        preset = PRESETS.get(self.preset.currentData())
        self.preset_note.setText(preset.description)
        self.audio.setEnabled(preset.carries_audio)
        text = self.destination.text() if hasattr(self, "destination") else ""
        if text:
            path = Path(text)
            ext = "" if preset.sequence else preset.extension
            if path.suffix.lower() not in preset.extensions:
                self.destination.setText(str(path.with_suffix(ext) if path.suffix else path.with_name(path.name + ext)))

    def _browse(self) -> None:
        preset = PRESETS.get(self.preset.currentData())
        if preset.sequence:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for the image sequence"))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export master as"), self.destination.text())
        if chosen:
            self.destination.setText(chosen)

    def request(self) -> ExportRequest:
        """The export the form describes.

        Raises
        ------
        RelumeError
            A destination the preset cannot write (wrong extension) or an empty one.
        """
        assert self.project.media is not None
        text = self.destination.text().strip()
        if not text:
            raise RelumeError("choose where to write the master")
        preset = PRESETS.get(self.preset.currentData())
        target = resolve_target(Path(text).expanduser(), preset)
        return ExportRequest(
            source=self.project.media.path,
            target=target,
            preset=preset.name,
            size=parse_size(self.size.currentData()),
            fit=Fit(self.fit.currentData()),
            overwrite=self.overwrite.isChecked(),
            audio=self.audio.isChecked() and preset.carries_audio,
            fps=None if self.fps.currentData() == "source" else Fraction(self.fps.currentData()),
        )

    def accept(self) -> None:
        """Close only when the form describes an export that can be queued."""
        try:
            self.request()
        except RelumeError as exc:
            self.problem.setText(str(exc))
            return
        super().accept()


def _rate_text(fps: Fraction) -> str:
    return str(fps.numerator) if fps.denominator == 1 else f"{float(fps):.3f}"


# Master rates a restorer makes from film: double rate, and the broadcast rates.
_MASTER_RATES = (Fraction(48000, 1001), Fraction(48), Fraction(50), Fraction(60000, 1001), Fraction(60))


def _faster_rates(source: Fraction) -> list[Fraction]:
    """The rates offered above ``source``: twice it, and the usual master rates above it."""
    return sorted({rate for rate in (*_MASTER_RATES, 2 * source) if rate > source})
