"""A clickable gallery of small pictures (test images, top patches) with captions.

``Thumbnails`` is a ``QListWidget`` in icon mode: one item per picture, each carrying a number
(a test-set index); clicking one emits ``picked(index)``. Pictures are uint8 ``(C, H, W)`` or
``(H, W)`` arrays, enlarged with crisp pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from gui.viewers.canvas import array_qimage

__all__ = ["Thumbnails", "picture"]

INDEX_ROLE = Qt.ItemDataRole.UserRole


def picture(image: np.ndarray) -> np.ndarray:
    """A uint8 ``(C, H, W)`` array (as datasets and patches hold them) as ``(H, W)`` for one channel
    or ``(H, W, 3)``; an ``(H, W)`` array as it is."""
    image = np.asarray(image)
    if image.ndim == 3:
        image = image[0] if image.shape[0] != 3 else np.moveaxis(image, 0, -1)
    return np.ascontiguousarray(image)


class Thumbnails(QListWidget):
    """Pictures in a wrapping grid; ``picked(int)`` carries the clicked picture's number."""

    picked = Signal(int)

    def __init__(self, size: int = 64, parent: QWidget | None = None):
        super().__init__(parent)
        self._size = size
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setIconSize(QSize(size, size))
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.itemClicked.connect(self._clicked)

    def set_pictures(self, images: Sequence[np.ndarray], numbers: Sequence[int],
                     captions: Sequence[str] = (), tips: Sequence[str] = ()) -> None:
        """Show ``images`` (uint8), each with its number, caption and tooltip."""
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            for i, (image, number) in enumerate(zip(images, numbers)):
                qimage = array_qimage(picture(image))
                pixmap = QPixmap.fromImage(qimage).scaled(self._size, self._size,
                                                          Qt.AspectRatioMode.KeepAspectRatio,
                                                          Qt.TransformationMode.FastTransformation)
                item = QListWidgetItem(QIcon(pixmap), captions[i] if i < len(captions) else "")
                item.setData(INDEX_ROLE, int(number))
                if i < len(tips):
                    item.setToolTip(tips[i])
                self.addItem(item)
        finally:
            self.setUpdatesEnabled(True)

    def numbers(self) -> list[int]:
        """The pictures' numbers, in the order shown."""
        return [int(self.item(i).data(INDEX_ROLE)) for i in range(self.count())]

    def captions(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def pick(self, position: int) -> None:
        """Act as if picture ``position`` was clicked."""
        self._clicked(self.item(position))

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        if item is not None:
            self.picked.emit(int(item.data(INDEX_ROLE)))
