"""Accessibility checks: which interactive widgets a screen reader could not name.

A control is named by its accessible name, its own visible text (buttons, check boxes) or a label
whose buddy it is (``QLabel.setBuddy``, which QFormLayout rows and ``gui.viewers.base.row`` set).
Qt's own parts of a composite widget (a spin box's line edit, scroll bars, headers, a combo box's
popup list, toolbar extension buttons) are named by their owner and are not counted.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractSlider, QAbstractItemView,
               QGraphicsView)


def _is_qt_part(widget: QWidget) -> bool:
    if widget.objectName().startswith("qt_") or isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    parent = widget.parentWidget()
    while parent is not None:  # inside a combo box (its popup) or a spin box (its line edit)
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def _describe(widget: QWidget) -> str:
    path, w = [], widget
    while w is not None and len(path) < 4:
        path.append(type(w).__name__ + (f"#{w.objectName()}" if w.objectName() else ""))
        w = w.parentWidget()
    tip = widget.toolTip()[:40]
    return " < ".join(path) + (f" ({tip!r})" if tip else "")


def unnamed_controls(root: QWidget, extra: tuple[type, ...] = ()) -> list[str]:
    """Every interactive widget under ``root`` (and of the ``extra`` types) with no name a screen
    reader could announce, described by its class, object name and parents."""
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel)
                if label.buddy() is not None and label.text().strip()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE + extra) or _is_qt_part(widget):
            continue
        own_text = widget.text().replace("&", "").strip() if isinstance(widget, QAbstractButton) else ""
        if widget.accessibleName().strip() or own_text or id(widget) in labelled:
            continue
        missing.append(_describe(widget))
    return missing
