"""Wiring of issue 10's views: the Why view, the filter pictures beside the kernels, the filter
card and the error drill-down, around the draw panel (which loads every picked test image).

``Insight`` makes them and connects them once the engine has loaded; the main window puts
``why`` and ``kernels_page`` in its tabs. Nothing here computes: each view runs its own work.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QSplitter, QWidget

from gui.state import AppState
from gui.viewers.drilldown import ErrorGallery, connect_plot_clicks
from gui.viewers.filter_card import FilterCard
from gui.viewers.filter_vis import FilterPanel
from gui.viewers.why import WhyViewer

__all__ = ["Insight"]


class Insight(QObject):
    """The views that explain: ``why`` (a tab), ``filters`` beside ``kernels`` in ``kernels_page``,
    ``card`` (the filter card) and ``gallery`` (the drill-down). ``draw`` is the ``DrawPanel``,
    ``plots`` the ``TrainingPlots`` whose clicks open the gallery; ``show_draw`` brings the draw
    panel to the front."""

    def __init__(self, state: AppState, draw: Any, kernels: Any, feature_maps: Any, plots: Any,
                 show_draw: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.draw, self.kernels, self.feature_maps = state, draw, kernels, feature_maps
        self._show_draw = show_draw
        self.why = WhyViewer(state)
        self.filters = FilterPanel(state, draw.test_split)
        # the filter panel below the kernels: side by side the page would need 900 px and push the
        # layer builder into a tab on a 1440-pixel screen
        self.kernels_page = QSplitter(Qt.Orientation.Vertical)
        self.kernels_page.setObjectName("kernelsPage")
        self.kernels_page.addWidget(kernels)
        self.kernels_page.addWidget(self.filters)
        self.kernels_page.setSizes([560, 380])
        self.card = FilterCard(state, self.filters, draw.current_input, parent)
        self.gallery = ErrorGallery(state, draw.test_split, draw.class_names, parent)

        draw.inputChanged.connect(self.why.set_input)
        self.why.watch_canvas(draw.canvas)
        self.why.set_input(draw.current_input())
        kernels.layer_combo.currentIndexChanged.connect(self._kernel_layer)
        kernels.filterSelected.connect(self._kernel_clicked)
        feature_maps.filterSelected.connect(self.card.show_filter)
        self.filters.filterSelected.connect(self.card.show_filter)
        for signal in (self.filters.patchPicked, self.card.patchPicked, self.gallery.imagePicked):
            signal.connect(self.load_test_image)
        draw.inputChanged.connect(self._input_changed)
        connect_plot_clicks(plots, self.gallery.show_cell, self.gallery.show_class)
        self._kernel_layer()

    def runners(self) -> list[Any]:
        return [self.why.runner, self.filters.runner, self.card.runner, self.gallery.runner]

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Cancel every background job and wait for the worker threads (closing); False on timeout."""
        for runner in self.runners():
            runner.cancel()
        waited = [runner.wait(timeout_ms) for runner in self.runners()]  # every one, even after a timeout
        return all(waited)

    def evaluation_changed(self, *_args: Any) -> None:
        """A new evaluation (an epoch ended, a model was opened): the open gallery follows it."""
        self.gallery.refresh()

    @Slot(int)
    def load_test_image(self, index: int) -> None:
        """Show test image ``index`` in the draw panel (so in the feature maps and the Why view)."""
        self.draw.show_sample(index)
        if self._show_draw is not None:
            self._show_draw()

    @Slot()
    def _kernel_layer(self, *_args: Any) -> None:
        self.filters.set_conv_layer(self.kernels.current_layer())

    @Slot(str, int)
    def _kernel_clicked(self, layer: str, channel: int) -> None:
        if self.filters.layer() == layer:
            self.filters.select(channel)  # its patches beside, and the card through filterSelected
        else:
            self.card.show_filter(layer, channel)

    @Slot(object)
    def _input_changed(self, _x: Any) -> None:
        if self.card.isVisible():
            self.card.follow_input()
