"""Keep the ``.ts`` catalogs in step with the sources: ``python -m gui.i18n.catalog``.

Finds every translatable string the way Qt's lupdate does — ``self.tr("…")``,
``QCoreApplication.translate("Context", "…")``, ``QT_TRANSLATE_NOOP("Context", "…")``
— plus the modules' ``_tr("…")`` shorthand (a one-line wrapper around
``translate`` with that module's context) and the engine's edit names
(``EditName("…")``), and rewrites each catalog keeping
the translations it already has; new strings are marked unfinished.
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from gui.i18n import EDITS_CONTEXT, HERE, catalog_path

GUI = HERE.parent
EDITS_SOURCES = GUI.parent / "engine" / "project"
Messages = dict[str, list[str]]


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _shorthand_context(tree: ast.Module) -> str | None:
    """The context a module's ``_tr`` passes to ``translate``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "_tr":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and call.args and _literal(call.args[0]) is not None:
                    return _literal(call.args[0])
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, shorthand: str | None) -> None:
        self.shorthand = shorthand
        self.classes: list[str] = []
        self.found: list[tuple[str, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802 (ast's name)
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        func, args = node.func, node.args
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "tr" and isinstance(func, ast.Attribute) and args and self.classes:
            text = _literal(args[0])
            if text is not None:
                self.found.append((self.classes[-1], text))
        elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
            context, text = _literal(args[0]), _literal(args[1])
            if context is not None and text is not None:
                self.found.append((context, text))
        elif name == "_tr" and args and self.shorthand is not None:
            text = _literal(args[0])
            if text is not None:
                self.found.append((self.shorthand, text))
        elif name == "EditName" and args:
            text = _literal(args[0])
            if text is not None:
                self.found.append((EDITS_CONTEXT, text))
        self.generic_visit(node)


def find_messages(root: Path = GUI) -> Messages:
    """Context → source strings, in order of first appearance, over every module under ``root``.

    The names of the engine's edits (``EditName("…")`` in :mod:`engine.project`)
    are the Edit menu's, so they are found too, under the context ``Edits``.
    """
    messages: Messages = {}
    paths = sorted(root.rglob("*.py"))
    if root == GUI:
        paths += sorted(EDITS_SOURCES.glob("*.py"))
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        finder = _Finder(_shorthand_context(tree))
        finder.visit(tree)
        for context, text in finder.found:
            texts = messages.setdefault(context, [])
            if text not in texts:
                texts.append(text)
    return messages


def read_translations(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → finished translation, from a ``.ts`` file."""
    if not path.is_file():
        return {}
    table = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            node = message.find("translation")
            source = message.findtext("source")
            if source is not None and node is not None and node.text and node.get("type") is None:
                table[(name, source)] = node.text
    return table


def write_catalog(path: Path, language: str, messages: Messages, translations: dict[tuple[str, str], str]) -> int:
    """Write a ``.ts`` file; returns how many strings still need a translation."""
    root = ET.Element("TS", version="2.1", language=language)
    todo = 0
    for context in sorted(messages):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for text in messages[context]:
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = text
            node = ET.SubElement(message, "translation")
            translated = translations.get((context, text))
            if translated:
                node.text = translated
            else:
                node.set("type", "unfinished")
                todo += 1
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return todo


def main() -> int:
    """Refresh every catalog; prints what is left to translate."""
    messages = find_messages()
    for language in ("zh_CN",):
        path = catalog_path(language)
        todo = write_catalog(path, language, messages, read_translations(path))
        print(f"{path.name}: {sum(len(v) for v in messages.values())} strings, {todo} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
