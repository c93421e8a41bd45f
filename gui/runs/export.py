"""File → Export…: the current model as ONNX (checked with onnxruntime) or as a plain PyTorch
script, written on a ``TaskRunner`` with progress and a clear result or error message."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from gui.tasks import TaskRunner

__all__ = ["FORMATS", "Exporter", "export_format"]

#: format → (file-dialog filter, suffix)
FORMATS = {"onnx": (QT_TRANSLATE_NOOP("Exporter", "ONNX (*.onnx)"), ".onnx"),
           "pytorch": (QT_TRANSLATE_NOOP("Exporter", "PyTorch script (*.py)"), ".py")}


def _filter_text(file_filter: str) -> str:
    return QCoreApplication.translate("Exporter", file_filter)


def export_format(path: str, chosen_filter: str = "") -> str:
    """``onnx`` or ``pytorch``, by the file's suffix, else by the dialog's chosen filter."""
    suffix = Path(path).suffix.lower()
    for name, (file_filter, ext) in FORMATS.items():
        if suffix == ext or (not suffix and chosen_filter in (file_filter, _filter_text(file_filter))):
            return name
    return "onnx"


def _export(fmt: str, checkpoint: Any, path: Path, images: Any, progress: Callable[[float], None],
            cancelled: Callable[[], bool]) -> Any:
    from engine.io.export import export_onnx, export_pytorch

    progress(0.05)
    if fmt == "onnx":
        return export_onnx(checkpoint, path, check_images=images)
    return export_pytorch(checkpoint, path)


class Exporter(QObject):
    """Asks where, exports in the background, says how it went (``done(ok, text)``)."""

    done = Signal(bool, str)
    progress = Signal(float)

    def __init__(self, parent: QWidget, checkpoint: Callable[[], Any], images: Callable[[Any], Any] = lambda ckpt: None,
                 last_dir: Callable[[], str] = lambda: str(Path.home())):
        super().__init__(parent)
        self._parent = parent
        self._checkpoint = checkpoint
        self._images = images
        self._last_dir = last_dir
        self.runner = TaskRunner(self)
        self.runner.progress.connect(self.progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.result: Any = None

    def export_dialog(self) -> bool:
        """File → Export…: choose a file and a format, then export; False when there is nothing to do."""
        ckpt = self._checkpoint()
        if ckpt is None:
            self.done.emit(False, self.tr("There is no trained model to export: train the network or open a model "
                                          "first."))
            return False
        filters = ";;".join(_filter_text(f) for f, _ in FORMATS.values())
        suggestion = os.path.join(self._last_dir(), f"{ckpt.spec.name}.onnx")
        path, chosen = QFileDialog.getSaveFileName(self._parent, self.tr("Export Model"), suggestion, filters)
        if not path:
            return False
        fmt = export_format(path, chosen)
        if not Path(path).suffix:
            path += FORMATS[fmt][1]
        return self.export(path, fmt)

    def export(self, path: str, fmt: str) -> bool:
        """Export the current model to ``path`` as ``fmt`` (onnx | pytorch) in the background."""
        ckpt = self._checkpoint()
        if ckpt is None:
            self.done.emit(False, self.tr("There is no trained model to export."))
            return False
        self.result = None
        self.runner.start(_export, fmt, ckpt, Path(path), self._images(ckpt) if fmt == "onnx" else None)
        return True

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self.result = result
        check = ""
        if result.max_abs_diff is not None:
            check = self.tr(" (onnxruntime agrees with PyTorch: largest logit difference {0:.1e})").format(
                result.max_abs_diff)
        self.done.emit(True, self.tr("Exported {0} as {1}{2}.").format(result.path, result.format, check))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.done.emit(False, self.tr("Export failed: {0}").format(message))
