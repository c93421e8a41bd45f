"""The explainer's choosers: example and mode at the top, window settings and glossary on the left."""

from __future__ import annotations

from functools import partial

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
from gui.explain.example_words import KOREAN
from gui.explain.language import B, bind

__all__ = ["CONTROLS_WIDTH", "CUSTOM", "DOWNSAMPLE_TO", "MODE_TITLES", "example_chooser", "mode_tabs",
           "SettingsBox", "GlossaryBox", "ControlsColumn"]

CONTROLS_WIDTH = 250  # the settings and glossary column
CUSTOM = "custom"  # the example chooser's entry for an input set from outside
DOWNSAMPLE_TO = 14
MODE_TITLES = {  # "English · 한국어", shown in the explainer's language
    "conv": "Convolution · 합성곱",
    "multi": "Multi-channel · 다채널",
    "pool": "Pooling · 풀링",
    "im2col": "im2col · 행렬 곱",
}


def example_chooser() -> QComboBox:
    """The worked examples by title (their key as data), then "Custom input"."""
    combo = QComboBox()
    bind(combo, B("Worked example", "예제"), combo.setAccessibleName)
    for key, title in EXAMPLES.items():
        combo.addItem("", key)
        bind(combo, B(title, KOREAN.get(title, title)), partial(combo.setItemText, combo.count() - 1), None)
    combo.addItem("", CUSTOM)
    bind(combo, B("Custom input", "직접 입력"), partial(combo.setItemText, combo.count() - 1), None)
    return combo


def mode_tabs() -> QTabBar:
    """One tab per mode, in :data:`MODES` order."""
    tabs = QTabBar()
    for mode in MODES:
        en, ko = MODE_TITLES[mode].split(" · ")
        bind(tabs, B(en, "im2col " + ko if mode == "im2col" else ko), partial(tabs.setTabText, tabs.addTab("")))
    tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return tabs


class SettingsBox(QGroupBox):
    """Kernel size, stride, padding, dilation, channel, kernel preset and downsampling."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bind(self, B("Settings", "설정"), self.setTitle, None)
        form = QFormLayout(self)
        self.kernel_spin = QSpinBox()
        self.kernel_spin.setRange(1, 15)
        self.stride_spin = QSpinBox()
        self.stride_spin.setRange(1, 6)
        self.padding_spin = QSpinBox()
        self.padding_spin.setRange(0, 6)
        self.dilation_spin = QSpinBox()
        self.dilation_spin.setRange(1, 4)
        # "Kernel 커널:" side by side as before; Dilation stood alone in English
        rows = ((self.kernel_spin, B("Kernel", "커널"),
                 B("kernel (window) height and width", "커널(윈도우)의 높이와 너비")),
                (self.stride_spin, B("Stride", "스트라이드"),
                 B("how far the window moves each step", "윈도우가 한 번에 이동하는 칸 수")),
                (self.padding_spin, B("Padding", "패딩"),
                 B("zeros added around the input", "입력 둘레에 더하는 0 (제로 패딩)")),
                (self.dilation_spin, B("Dilation", "팽창(딜레이션)"),
                 B("spacing between kernel taps (1: side by side)", "커널 탭 사이의 간격 (1: 붙어 있음)")))
        for spin, name, tip in rows:
            label = QLabel()
            alone = spin is self.dilation_spin
            bind(label, name, lambda text, label=label: label.setText(text + ":"), None if alone else " ")
            bind(spin, tip, spin.setToolTip, None if alone else " · ")
            label.setBuddy(spin)  # the row's label names the spin box for screen readers
            form.addRow(label, spin)
        self.channel_combo = QComboBox()
        bind(self.channel_combo, B("Input channel", "입력 채널"), self.channel_combo.setAccessibleName)
        self.channel_label = QLabel()
        bind(self.channel_label, B("Channel", "채널"), lambda text: self.channel_label.setText(text + ":"), None)
        self.channel_label.setBuddy(self.channel_combo)
        form.addRow(self.channel_label, self.channel_combo)
        self.preset_combo = QComboBox()
        bind(self.preset_combo, B("Kernel preset", "커널 프리셋"), self.preset_combo.setAccessibleName)
        self.preset_combo.addItem("", None)
        bind(self.preset_combo, B("Kernel preset…", "커널 프리셋…"), partial(self.preset_combo.setItemText, 0), None)
        for name in KERNEL_PRESETS:
            self.preset_combo.addItem(name, name)
        preset_label = QLabel()
        bind(preset_label, B("Preset", "프리셋"), lambda text: preset_label.setText(text + ":"), None)
        preset_label.setBuddy(self.preset_combo)
        form.addRow(preset_label, self.preset_combo)
        self.downsample_check = QCheckBox()
        size = f"{DOWNSAMPLE_TO}×{DOWNSAMPLE_TO}"
        bind(self.downsample_check, B("Downsample to {0}", "{0}로 다운샘플링").format(size),
             self.downsample_check.setText, None)
        bind(self.downsample_check, B("average blocks of a large input (e.g. a 28×28 digit) so every cell can be read",
                                      "큰 입력(예: 28×28 숫자)을 블록 평균으로 줄여 모든 칸을 읽을 수 있게 함"),
             self.downsample_check.setToolTip, None)
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
        super().__init__(parent)
        bind(self, B("Glossary", "용어"), self.setTitle)
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td>{ko}</td><td>&nbsp;{en}</td></tr>" for ko, en in GLOSSARY)
        self.glossary_label = QLabel(f"<table>{rows}</table>")
        self.glossary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.glossary_label)
        self.note_label = QLabel()
        bind(self.note_label, B(ONE_FILTER_NOTE, KOREAN[ONE_FILTER_NOTE]), self.note_label.setText, None)
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
