"""The Why view's figure: the input, and heat maps laid over it.

One ``pg.GraphicsLayoutWidget`` of cells, each a plot holding the input picture and a heat
``ImageItem`` above it (an overlay colour map that is transparent at zero heat). ``show_one``:
the input beside one method's map with a colour bar in the map's units; ``show_many``: the
input and every method's map side by side, each scaled to its own largest value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from gui.i18n import translate
from gui.viewers.heat import heat_levels, overlay_cmap, relative_heat
from gui.viewers.mosaic import follow_levels, setup_image_plot
from gui.widgets import theme

__all__ = ["Cell", "WhyFigure"]

COLUMNS = 3  # side by side: cells per row


class Cell:
    """One plot: the input picture with an optional heat map over it."""

    def __init__(self, view: pg.GraphicsLayoutWidget, row: int, col: int):
        self.plot = view.addPlot(row=row, col=col)
        setup_image_plot(self.plot)
        self.base = pg.ImageItem(axisOrder="row-major")
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setZValue(1)
        self.plot.addItem(self.base)
        self.plot.addItem(self.heat)
        self.signed: bool | None = None
        self.shape: tuple[int, ...] | None = None

    def show(self, picture: np.ndarray, heat: np.ndarray | None, signed: bool, levels: tuple[float, float],
             title: str) -> None:
        self.base.setImage(picture, autoLevels=False, levels=(0.0, 1.0))
        if heat is None:
            self.heat.clear()
        else:
            if self.signed != signed:
                self.heat.setColorMap(overlay_cmap(signed))
                self.signed = signed
            self.heat.setImage(heat, autoLevels=False, levels=levels)
        self.plot.setTitle(title, size="9pt")
        if self.shape != picture.shape[:2]:
            self.shape = picture.shape[:2]
            self.plot.getViewBox().autoRange(padding=0.01)


class WhyFigure(pg.GraphicsLayoutWidget):
    """The input and heat maps; ``cells`` are the plots shown now (cell 0 is the plain input)."""

    def __init__(self, parent: QWidget | None = None):
        theme.apply_pyqtgraph_defaults()
        super().__init__(parent)
        self.setMinimumSize(260, 180)
        self.cells: list[Cell] = []
        self.bar: pg.ColorBarItem | None = None
        self._layout = ""  # "one" or "many:<n>"

    def _arrange(self, layout: str, count: int) -> None:
        if layout == self._layout:
            return
        self.clear()
        self.bar = None
        self._layout = layout
        columns = 2 if layout == "one" else COLUMNS
        self.cells = [Cell(self, i // columns, i % columns) for i in range(count)]

    def show_one(self, picture: np.ndarray, heat: np.ndarray | None, signed: bool, input_title: str,
                 title: str) -> tuple[float, float]:
        """The input beside one heat map with its colour bar; returns the map's colour levels."""
        self._arrange("one", 2)
        levels = heat_levels(heat, signed) if heat is not None else (0.0, 1.0)
        self.cells[0].show(picture, None, signed, levels, input_title)
        cell = self.cells[1]
        cell.show(picture, heat, signed, levels, title)
        if self.bar is None:
            self.bar = pg.ColorBarItem(interactive=False, width=12, colorMap=overlay_cmap(signed))
            self.bar.setImageItem(cell.heat, insert_in=cell.plot)
            self.bar.setLevels(levels)
        elif heat is not None:
            if self.bar.colorMap() is not overlay_cmap(signed):
                self.bar.setColorMap(overlay_cmap(signed))
            follow_levels(self.bar, levels)
        return levels

    def show_many(self, picture: np.ndarray, results: Mapping[str, Any], titles: Mapping[str, str],
                  input_title: str) -> None:
        """The input and each method's map (``Attribution``, or a reason it has none) side by side."""
        self._arrange(f"many:{len(results)}", len(results) + 1)
        self.cells[0].show(picture, None, False, (0.0, 1.0), input_title)
        for cell, (method, result) in zip(self.cells[1:], results.items()):
            name = titles.get(method, method)
            if isinstance(result, str):
                cell.show(picture, None, False, (0.0, 1.0), f"{name}: {result}")
                continue
            heat = relative_heat(np.asarray(result.heat, dtype=np.float32), result.signed)
            cell.show(picture, heat, result.signed, (-1.0, 1.0) if result.signed else (0.0, 1.0),
                      translate("WhyFigure", "{0} (own scale)").format(name))

    def show_input(self, picture: np.ndarray, input_title: str, message: str) -> None:
        """Only the input (nothing to explain, or the maps are being computed)."""
        self._arrange("one", 2)
        self.cells[0].show(picture, None, False, (0.0, 1.0), input_title)
        self.cells[1].show(picture, None, False, (0.0, 1.0), message)

    def heat_images(self) -> list[np.ndarray | None]:
        """The heat arrays the cells show (None where a cell has none), after the input cell."""
        return [cell.heat.image for cell in self.cells[1:]]
