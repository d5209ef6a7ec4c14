"""Translations: English (the source strings) and Simplified Chinese.

Catalogs are Qt Linguist ``.ts`` files, kept as text so translators edit them
in Linguist and reviewers read them in a diff (``pyside6-lupdate`` refreshes
them from the sources). They are read directly at start-up, which spares the
build a ``lrelease`` step and the repository a binary ``.qm``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

HERE = Path(__file__).parent
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


class CatalogTranslator(QTranslator):
    """A translator over one ``.ts`` catalog: (context, source) → translation.

    A source string found under another context is still translated: PySide's
    ``self.tr`` takes the context from the most derived class, which a
    subclass (a test's, a plug-in's) changes.
    """

    def __init__(self, catalog: Path) -> None:
        super().__init__()
        self.catalog = catalog
        self._by_context: dict[tuple[str, str], str] = {}
        self._by_source: dict[str, str] = {}
        root = ET.parse(catalog).getroot()
        for context in root.iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                source = message.findtext("source")
                node = message.find("translation")
                if source is None or node is None or not node.text or node.get("type") in ("unfinished", "obsolete"):
                    continue
                self._by_context[(name, source)] = node.text
                self._by_source.setdefault(source, node.text)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # noqa: D102
        found = self._by_context.get((context, source)) or self._by_source.get(source)
        return found or ""  # "" tells Qt to fall back to the source text

    def isEmpty(self) -> bool:  # noqa: N802, D102 (Qt's name)
        return not self._by_source

    def __len__(self) -> int:
        return len(self._by_source)


# The context of the engine's edit names in the catalogs (see :func:`edit_name`).
EDITS_CONTEXT = "Edits"


def edit_name(name: str) -> str:
    """An undo step's name in the application's language.

    The engine names its edits in English (:class:`engine.project.undo.EditName`,
    which keeps the template and its values); names made in the editor are
    already translated and pass through.
    """
    template = getattr(name, "template", None)
    if template is None:
        return name
    from gui.setting_labels import setting_label

    values = dict(name.values)  # type: ignore[attr-defined]
    if isinstance(values.get("key"), str):
        values["key"] = setting_label(values["key"])  # the inspector's name, not the dotted key
    return QCoreApplication.translate(EDITS_CONTEXT, template).format(**values)


def catalog_path(language: str) -> Path:
    """The ``.ts`` catalog of ``language`` (e.g. ``zh_CN``)."""
    return HERE / f"relume_{language}.ts"


_installed: list[QTranslator] = []


def install_language(language: str) -> str:
    """Make ``language`` the application's language; every widget hears ``LanguageChange``.

    Returns
    -------
    str
        The language in force (``"en"`` when ``language`` has no catalog).
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before choosing a language")
    while _installed:
        app.removeTranslator(_installed.pop())
    path = catalog_path(language)
    if language == "en" or not path.is_file():
        return "en"
    # Qt's own strings (Save/Discard/Cancel, file dialogs) come from the catalogs Qt ships
    qt_own = QTranslator()
    if qt_own.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt_own)
    _installed.append(CatalogTranslator(path))
    for translator in _installed:
        app.installTranslator(translator)
    return language
