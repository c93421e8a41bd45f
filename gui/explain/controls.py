"""The explainer's choosers: example and mode at the top, window settings and glossary on the left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from engine.teach.examples import EXAMPLES, GLOSSARY, KERNEL_PRESETS, ONE_FILTER_NOTE
from engine.teach.walkthrough import MODES

__all__ = ["CONTROLS_WIDTH", "CUSTOM", "DOWNSAMPLE_TO", "MODE_TITLES", "example_chooser", "mode_tabs",
           "SettingsBox", "GlossaryBox", "ControlsColumn"]

CONTROLS_WIDTH = 250  # the settings and glossary column
CUSTOM = "custom"  # the example chooser's entry for an input set from outside
DOWNSAMPLE_TO = 14
MODE_TITLES = {
    "conv": "Convolution · 합성곱",
    "multi": "Multi-channel · 다채널",
    "pool": "Pooling · 풀링",
    "im2col": "im2col · 행렬 곱",
}


def example_chooser() -> QComboBox:
    """The worked examples by title (their key as data), then "Custom input"."""
    combo = QComboBox()
    combo.setAccessibleName("Worked example")
    for key, title in EXAMPLES.items():
        combo.addItem(title, key)
    combo.addItem("Custom input", CUSTOM)
    return combo


def mode_tabs() -> QTabBar:
    """One tab per mode, in :data:`MODES` order."""
    tabs = QTabBar()
    for mode in MODES:
        tabs.addTab(MODE_TITLES[mode])
    tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return tabs


class SettingsBox(QGroupBox):
    """Kernel size, stride, padding, dilation, channel, kernel preset and downsampling."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Settings", parent)
        form = QFormLayout(self)
        self.kernel_spin = QSpinBox()
        self.kernel_spin.setRange(1, 15)
        self.stride_spin = QSpinBox()
        self.stride_spin.setRange(1, 6)
        self.padding_spin = QSpinBox()
        self.padding_spin.setRange(0, 6)
        self.dilation_spin = QSpinBox()
        self.dilation_spin.setRange(1, 4)
        self.kernel_spin.setToolTip("kernel (window) height and width · 커널/필터 크기")
        self.stride_spin.setToolTip("how far the window moves each step · 스트라이드")
        self.padding_spin.setToolTip("zeros added around the input · 패딩")
        self.dilation_spin.setToolTip("spacing between kernel taps (1: side by side)")
        form.addRow("Kernel 커널:", self.kernel_spin)
        form.addRow("Stride 스트라이드:", self.stride_spin)
        form.addRow("Padding 패딩:", self.padding_spin)
        form.addRow("Dilation:", self.dilation_spin)
        self.channel_combo = QComboBox()
        self.channel_combo.setAccessibleName("Input channel")
        self.channel_label = QLabel("Channel:")
        form.addRow(self.channel_label, self.channel_combo)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Kernel preset")
        self.preset_combo.addItem("Kernel preset…", None)
        for name in KERNEL_PRESETS:
            self.preset_combo.addItem(name, name)
        form.addRow("Preset:", self.preset_combo)
        self.downsample_check = QCheckBox(f"Downsample to {DOWNSAMPLE_TO}×{DOWNSAMPLE_TO}")
        self.downsample_check.setToolTip(
            "average blocks of a large input (e.g. a 28×28 digit) so every cell can be read")
        form.addRow(self.downsample_check)

    def set_channels(self, names: list[str], current: int) -> None:
        """Offer ``names`` in the channel picker (kept when unchanged) with ``current`` chosen."""
        combo = self.channel_combo
        if combo.count() != len(names) or combo.itemText(0) != names[0]:
            combo.clear()
            combo.addItems(names)
        combo.setCurrentIndex(current)

    def show_channel_choice(self, visible: bool) -> None:
        self.channel_combo.setVisible(visible)
        self.channel_label.setVisible(visible)

    def spins(self) -> tuple[QSpinBox, QSpinBox, QSpinBox, QSpinBox]:
        """Kernel size, stride, padding and dilation, in that order."""
        return self.kernel_spin, self.stride_spin, self.padding_spin, self.dilation_spin

    def params(self) -> tuple[int, int, int, int]:
        """``(kernel size, stride, padding, dilation)``."""
        k, s, p, d = (spin.value() for spin in self.spins())
        return k, s, p, d


class GlossaryBox(QGroupBox):
    """The notes' terms in Korean and English, and the one-filter-per-image note."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Glossary · 용어", parent)
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td>{ko}</td><td>&nbsp;{en}</td></tr>" for ko, en in GLOSSARY)
        self.glossary_label = QLabel(f"<table>{rows}</table>")
        self.glossary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.glossary_label)
        self.note_label = QLabel(ONE_FILTER_NOTE)
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)


class ControlsColumn(QWidget):
    """The fixed-width left column: :class:`SettingsBox` over :class:`GlossaryBox`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedWidth(CONTROLS_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.settings = SettingsBox()
        layout.addWidget(self.settings)
        self.glossary = GlossaryBox()
        layout.addWidget(self.glossary)
        layout.addStretch(1)
