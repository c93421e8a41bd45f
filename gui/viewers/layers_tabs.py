"""The *Layers over time* and *Feature space* tabs, made and wired into the main window at once
(``install_stats_views``), so the window itself needs one call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gui.viewers.layers import LayersView
from gui.viewers.layers_parts import focus_setting
from gui.viewers.projector import ProjectorView

__all__ = ["LAYERS_TAB", "PROJECTOR_TAB", "install_stats_views"]

LAYERS_TAB = QT_TRANSLATE_NOOP("MainWindow", "Layers over time")
PROJECTOR_TAB = QT_TRANSLATE_NOOP("MainWindow", "Feature space")


def install_stats_views(window: Any) -> tuple[LayersView, ProjectorView]:
    """Add both tabs to ``window.views`` and connect them to the training controller, the draw panel
    and the panels a warning's fix leads to. ``window`` is the ``MainWindow`` (its panels by name)."""
    draw, state = window.draw, window.state
    layers = LayersView(state, draw.test_split)
    projector = ProjectorView(state, draw.test_split, draw.class_names)
    window.views.addTab(layers, QCoreApplication.translate("MainWindow", LAYERS_TAB))
    window.views.addTab(projector, QCoreApplication.translate("MainWindow", PROJECTOR_TAB))
    controller = window.training.controller
    controller.layerStats.connect(layers.add_stats)
    controller.started.connect(layers.start_run)
    status = window.statusBar()
    for view in (layers, projector):
        view.statusMessage.connect(status.showMessage)

    def fix(setting: str, layer: str) -> None:
        status.showMessage(focus_setting(setting, layer, state.spec, training=window.training,
                                         training_dock=window.training_dock, builder=window.builder,
                                         builder_dock=window.builder_dock), 10000)

    layers.fixRequested.connect(fix)
    projector.imagePicked.connect(window.insight.load_test_image)
    draw.inputChanged.connect(projector.set_input)
    projector.set_input(draw.current_input())
    app = QCoreApplication.instance()
    if app is not None:  # a t-SNE child process ends with the app
        app.aboutToQuit.connect(projector.runner.cancel)
    return layers, projector
