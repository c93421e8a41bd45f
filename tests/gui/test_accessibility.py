"""Every control and plot can be named by a screen reader; the palettes stay colour-blind-safe."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from gui.accessibility import unnamed_controls
from gui.viewers.canvas import DrawCanvas

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}


def test_the_check_finds_an_unnamed_control_and_accepts_each_kind_of_name(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    bare, named, buddied, in_form = QSpinBox(), QSpinBox(), QSpinBox(), QSpinBox()
    named.setAccessibleName("Epochs")
    label = QLabel("Seed:")
    label.setBuddy(buddied)
    form = QFormLayout()
    form.addRow("Batch size:", in_form)
    for widget in (bare, named, label, buddied, QPushButton("Start"), DrawCanvas()):
        layout.addWidget(widget)
    layout.addLayout(form)
    assert len(unnamed_controls(root)) == 1 and "QSpinBox" in unnamed_controls(root)[0]
    canvas = root.findChild(DrawCanvas)
    assert unnamed_controls(root, (DrawCanvas,)) == unnamed_controls(root)  # the canvas names itself
    canvas.setAccessibleName("")
    assert len(unnamed_controls(root, (DrawCanvas,))) == 2
    bare.setAccessibleName("Pen width")
    assert unnamed_controls(root) == []


def test_every_control_and_plot_of_the_main_window_has_a_name(ready_window, qtbot):
    window = ready_window
    window.plots.ensure_built()
    window.show()
    qtbot.waitExposed(window)
    missing = unnamed_controls(window, (DrawCanvas,))
    assert missing == [], "\n".join(missing)
    assert window.draw.canvas.accessibleName()
    assert all(p.accessibleName().endswith("plot") for p in (window.plots.loss_plot, window.plots.acc_plot))


def test_the_help_dialogs_have_names_too(main_window):
    assert unnamed_controls(main_window.show_welcome()) == []
    assert unnamed_controls(main_window.menus.show_shortcuts()) == []


def _luminance(rgb: np.ndarray) -> np.ndarray:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def test_palettes_are_colour_blind_safe(ready_window):
    """Series colours are Okabe–Ito; image maps read by lightness alone (viridis, cividis)."""
    import pyqtgraph as pg

    from gui.widgets import colormaps, theme

    for name in ("train", "test", "lr", "marker", "bar"):
        assert theme.series_color(name, False).name() in OKABE_ITO, name
    assert theme.series_color("train", False) != theme.series_color("test", False)
    confusion = ready_window.plots
    confusion.ensure_built()
    assert colormaps.DEFAULT_SEQUENTIAL in ("viridis", "cividis")
    for cmap in (colormaps.get(colormaps.DEFAULT_SEQUENTIAL), pg.colormap.get("cividis")):
        lum = _luminance(cmap.getLookupTable(0.0, 1.0, 64, alpha=False).astype(float) / 255)
        assert np.all(np.diff(lum) > 0), cmap.name  # lighter all the way: no hue needed to read it
