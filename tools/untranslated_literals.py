"""List gui/ calls that set a widget's text from a bare string literal instead of tr().

``python tools/untranslated_literals.py [FILE_OR_DIR ...]`` prints ``path:line: call("text")`` for each
and exits 1 when there is any. Pure symbols and numbers ("×", "—", "%", "0.01") are allowed, and so are
a few names that are never translated (ConvScope, MNIST, PyTorch, …). tests/gui/test_i18n_literals.py
runs ``scan`` over gui/.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Methods whose string arguments the user reads.
TEXT_METHODS = frozenset({
    "setText", "setToolTip", "setStatusTip", "setWindowTitle", "setPlaceholderText", "setWhatsThis",
    "setTitle", "setLabelText", "setPrefix", "setSuffix", "setSpecialValueText", "setAccessibleName",
    "setAccessibleDescription", "addTab", "insertTab", "setTabText", "setTabToolTip", "addMenu", "addAction",
    "addSection", "setHeaderLabels", "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "addItem",
    "addItems", "insertItem", "setItemText", "showMessage", "setFormat", "addRow", "setHtml", "setMarkdown",
    "information", "warning", "critical", "question", "about", "getOpenFileName", "getSaveFileName",
    "getExistingDirectory", "getText", "getInt", "getDouble", "getItem", "addToolBar",
})
#: Constructors whose string arguments the user reads.
TEXT_CLASSES = frozenset({
    "QLabel", "QPushButton", "QToolButton", "QAction", "QCheckBox", "QRadioButton", "QGroupBox", "QDockWidget",
    "QMenu", "QMessageBox", "QTreeWidgetItem", "QListWidgetItem", "QTableWidgetItem", "QCommandLinkButton",
})
#: Calls whose other arguments are item data: the position of the shown text.
_TEXT_ARG = {"addItem": 0, "insertItem": 1, "setItemText": 1}
#: File dialogs' (parent, caption, directory or file name, filter): the name is a path, not text.
_PATH_ARG = {"getOpenFileName": 2, "getSaveFileName": 2, "getExistingDirectory": 2}
#: Names that stay as they are in every language.
ALLOWED_WORDS = frozenset({"ConvScope", "MNIST", "PyTorch", "CPU", "GPU", "Grad-CAM", "ONNX", "ReLU", "im2col"})


def needs_translation(text: str) -> bool:
    """Whether ``text`` holds a word a translator would change (letters other than allowed names)."""
    stripped = re.sub(r"<[^>]*>|&\w+;", " ", text)  # markup is not words
    for word in ALLOWED_WORDS:
        stripped = stripped.replace(word, "")
    # a lone letter such as "x" in "3 x 3" or a unit like "px" reads the same in every language
    # text already in Korean (the explainer's glossary) is not English to translate
    return any(len(w) > 2 for w in re.findall(r"[A-Za-z]+", stripped))


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _literal_texts(node: ast.expr) -> Iterator[str]:
    """Plain strings (and the constant parts of f-strings) that reach the call as they are."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    elif isinstance(node, ast.BinOp):
        yield from _literal_texts(node.left)
        yield from _literal_texts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literal_texts(node.body)
        yield from _literal_texts(node.orelse)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for elt in node.elts:
            yield from _literal_texts(elt)
    elif isinstance(node, ast.Call) and _call_name(node.func) == "join":
        for arg in node.args:
            yield from _literal_texts(arg)


def scan_source(source: str, path: str = "<string>") -> list[str]:
    """``path:line: name("text")`` for every text call in ``source`` given a bare literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        if name not in TEXT_METHODS and name not in TEXT_CLASSES:
            continue
        args = [*node.args, *(k.value for k in node.keywords)]
        if name in _TEXT_ARG:  # the rest is item data, never shown
            args = node.args[_TEXT_ARG[name]:_TEXT_ARG[name] + 1]
        elif name in _PATH_ARG:
            args = [a for i, a in enumerate(node.args) if i != _PATH_ARG[name]] + [
                k.value for k in node.keywords if k.arg != "dir"]
        for arg in args:
            for text in _literal_texts(arg):
                if needs_translation(text):
                    found.append(f"{path}:{node.lineno}: {name}({text[:60]!r})")
    return found


def scan(paths: Iterable[Path], skip: Iterable[str] = ()) -> list[str]:
    """Scan every .py file under ``paths`` except those whose posix path contains an entry of ``skip``."""
    skip = tuple(skip)
    found = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for f in files:
            if any(s in f.as_posix() for s in skip):
                continue
            found.extend(scan_source(f.read_text(encoding="utf-8"), f.as_posix()))
    return found


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [Path("gui")]
    problems = scan(args)
    print("\n".join(problems))
    sys.exit(1 if problems else 0)
