"""The "Add layer" menu: every registered layer type under its palette group, with its help."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from engine.model.layers import LAYERS, PALETTE_GROUPS
from gui.i18n import translate

__all__ = ["add_layer_menu"]

#: The engine's palette group titles (engine.model.layers.GROUPS), translated where shown.
GROUP_TITLES = (QT_TRANSLATE_NOOP("palette", "Convolution and pooling"), QT_TRANSLATE_NOOP("palette", "Activations"),
                QT_TRANSLATE_NOOP("palette", "Normalisation and regularisation"),
                QT_TRANSLATE_NOOP("palette", "Classifier"))


def add_layer_menu(parent: QWidget, on_add: Callable[[str], None]) -> tuple[QMenu, dict[str, QAction]]:
    """A menu with one action per layer type (calling ``on_add(type)``), grouped in sections."""
    menu = QMenu(translate("palette", "Add layer"), parent)
    actions: dict[str, QAction] = {}
    for title, kinds in PALETTE_GROUPS:
        menu.addSection(translate("palette", title))
        for kind in kinds:
            action = menu.addAction(kind)
            action.setToolTip(LAYERS[kind].help)
            action.setStatusTip(LAYERS[kind].help)
            action.triggered.connect(lambda _=False, k=kind: on_add(k))
            actions[kind] = action
    menu.setToolTipsVisible(True)
    return menu, actions
