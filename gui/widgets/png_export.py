"""Save what a widget shows as a PNG (pyqtgraph's SVG export is broken in 0.14: PNG only)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog, QWidget

from gui.i18n import translate


def export_widget_png(widget: QWidget, path: str | os.PathLike) -> str:
    """Render ``widget`` (as it is on screen, children included) into ``path`` as PNG.

    Raises ``OSError`` when the file cannot be written. Returns the path written."""
    path = os.fspath(path)
    if not path.lower().endswith(".png"):
        path += ".png"
    pixmap = widget.grab()
    if pixmap.isNull() or pixmap.width() == 0 or pixmap.height() == 0:
        raise OSError(f"nothing to export: the widget has no size yet ({widget.objectName() or type(widget).__name__})")
    if not pixmap.save(path, "PNG"):
        raise OSError(f"could not write {path}")
    return path


def ask_png_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """A save dialog for a PNG; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, translate("png_export", "PNG image (*.png)"))
    return path or None
