"""The editor's dark theme: a calm gray that leaves the picture the brightest thing on screen."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Neutral grays (no blue cast: a tinted interface shifts how a colorist judges the picture).
WINDOW, BASE, ALTERNATE, TEXT, DIM, ACCENT = "#26272b", "#1d1e21", "#2c2d31", "#d4d6dc", "#80838b", "#e8b04a"

STYLE_SHEET = f"""
QToolTip {{ color: {TEXT}; background: {BASE}; border: 1px solid #3a3b40; }}
QToolBar {{ border: none; spacing: 2px; padding: 2px; }}
QDockWidget::title {{ padding: 4px 6px; background: {ALTERNATE}; }}
QLineEdit#timecode {{ font-family: monospace; font-size: 13px; color: {ACCENT}; background: {BASE};
                      border: 1px solid #3a3b40; border-radius: 3px; padding: 2px; }}
QLabel#problem {{ color: #e07a6a; }}
QLabel#note {{ color: {DIM}; }}
QProgressBar {{ border: 1px solid #3a3b40; border-radius: 3px; background: {BASE}; text-align: center; height: 14px; }}
QProgressBar::chunk {{ background: #5d7fa3; }}
QStatusBar {{ color: {DIM}; }}
"""


def apply_dark_theme(app: QApplication) -> None:
    """Use the Fusion style with the dark palette and the editor's style sheet."""
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: ALTERNATE,
        QPalette.ColorRole.ToolTipBase: BASE,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: ALTERNATE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: "#4a6a8c",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.PlaceholderText: DIM,
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5a5c62"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
