"""Explain panel: convolution, pooling and im2col worked out step by step, as the seed notes do.

An editable grid of numbers is the input (합성곱 convolution over it); a small editable grid is the
kernel/filter (커널/필터). Step / Play / Back / Reset walk the output positions: the window is
highlighted on the padded input (padding cells grey "0"), the products and their sum are written
out "(1×1) + (0×0) + … = 3", and the output cell (특성 맵 feature map) fills in. Four modes:

* Convolution: one channel, one kernel;
* Multi-channel: ONE filter with as many channels as the input, per-channel results and their sum;
* Pooling: max and average side by side with the same window;
* im2col: the unfolded matrix (one row per output position), the flattened kernel, and their
  matrix product reshaped into the output.

All arithmetic comes from :mod:`engine.teach.conv_reference` (numpy). Invalid combinations show the
engine's explanation in the panel instead of raising. Colours come from the palette except the
window highlight (amber, always with black text).

``python -m gui.explain.panel [--mode conv|multi|pool|im2col] [--example KEY] [--steps N]``
opens it on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.teach import conv_reference as cr

__all__ = ["ExplainPanel", "MODES", "EXAMPLES", "KERNEL_PRESETS", "GLOSSARY", "main"]

MODES = ("conv", "multi", "pool", "im2col")
MODE_TITLES = {
    "conv": "Convolution · 합성곱",
    "multi": "Multi-channel · 다채널",
    "pool": "Pooling · 풀링",
    "im2col": "im2col · 행렬 곱",
}
EXAMPLES = {
    "seed003_conv": "Seed 003: 6×6 image, 3×3 filter",
    "seed003_pool": "Seed 003: max/avg pooling 4×4",
    "rgb": "RGB image, one 3-channel filter",
    "seed004": "Seed 004: im2col (1,3,7,7) with 5×5",
}
CUSTOM = "custom"
KERNEL_PRESETS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}
GLOSSARY = (
    ("합성곱", "convolution"),
    ("특성 맵", "feature map"),
    ("커널/필터", "kernel/filter"),
    ("스트라이드", "stride"),
    ("패딩", "padding"),
    ("풀링", "pooling"),
)
EDIT_LIMIT = 12  # inputs up to 12×12 are editable grids; larger ones are small read-only cells
DOWNSAMPLE_TO = 14
MAX_SHOWN_CHANNELS = 4
PLAY_INTERVAL_MS = 700
CELL_PX = 34
SMALL_CELL_PX = 13
HIGHLIGHT = QColor(255, 196, 0)  # the window / current cell: fixed amber, always black text
WINNER = QColor(255, 128, 32)  # the tap max pooling picks
HIGHLIGHT_TEXT = QColor(0, 0, 0)
PAD_BACKGROUND = QColor(128, 128, 128, 80)  # translucent grey reads on light and dark schemes


def _fmt(value: float) -> str:
    return cr.format_number(value)


def _channel_names(count: int) -> list[str]:
    return ["R", "G", "B"] if count == 3 else [f"ch {i}" for i in range(count)]


def _resize_centered(kernel: np.ndarray, size: int) -> np.ndarray:
    """``(C, kh, kw)`` → ``(C, size, size)``: the centred overlap is kept, the rest is 0."""
    c, kh, kw = kernel.shape
    out = np.zeros((c, size, size))
    sh, sw = min(kh, size), min(kw, size)
    src_r, src_c = (kh - sh) // 2, (kw - sw) // 2
    dst_r, dst_c = (size - sh) // 2, (size - sw) // 2
    out[:, dst_r:dst_r + sh, dst_c:dst_c + sw] = kernel[:, src_r:src_r + sh, src_c:src_c + sw]
    return out


def _as_chw(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=float)
    while array.ndim > 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(f"expected an (H, W) or (C, H, W) array, got shape {array.shape}")
    return array


def _new_table(editable: bool = False) -> QTableWidget:
    table = QTableWidget()
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    else:
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
    for header in (table.horizontalHeader(), table.verticalHeader()):
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(8)
        font = header.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        header.setFont(font)
    table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return table


def _shape_table(table: QTableWidget, rows: int, cols: int, cell: int, row_labels: Sequence[str],
                 col_labels: Sequence[str], max_w: int = 620, max_h: int = 460, cell_w: int | None = None) -> None:
    """Size ``table`` to rows×cols cells of ``cell`` px, capped at ``max_w``×``max_h`` (then it scrolls)."""
    cell_w = cell if cell_w is None else cell_w
    table.clear()
    table.setRowCount(rows)
    table.setColumnCount(cols)
    table.horizontalHeader().setDefaultSectionSize(cell_w)
    table.verticalHeader().setDefaultSectionSize(cell)
    table.setHorizontalHeaderLabels(list(col_labels))
    table.setVerticalHeaderLabels(list(row_labels))
    small = cell < 20
    table.horizontalHeader().setVisible(not small)
    table.verticalHeader().setVisible(not small)
    font = QFont(table.font())
    if small:
        font.setPointSizeF(5.0)
    table.setFont(font)
    header_w = table.verticalHeader().sizeHint().width() if not small else 0
    header_h = table.horizontalHeader().sizeHint().height() if not small else 0
    frame = 2 * table.frameWidth() + 2
    width = min(max_w, cols * cell_w + header_w + frame)
    height = min(max_h, rows * cell + header_h + frame)
    scroll = table.style().pixelMetric(table.style().PixelMetric.PM_ScrollBarExtent)
    if cols * cell_w + header_w + frame > max_w:
        height = min(max_h + scroll, height + scroll)
    if rows * cell + header_h + frame > max_h:
        width = min(max_w + scroll, width + scroll)
    table.setFixedSize(width, height)
    table.setVisible(rows > 0 and cols > 0)  # an invalid combination leaves no grid, not a dot
    for r in range(rows):
        for c in range(cols):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)


def _titled(title: str, widget: QWidget) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    label.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(label)
    layout.addWidget(widget)
    layout.addStretch(1)
    return box, label


CONTROLS_WIDTH = 250  # the settings and glossary column

class ExplainPanel(QWidget):
    """Convolution, pooling and im2col stepped through by hand; see the module docstring.

    Public API: :meth:`set_input_array`, :meth:`set_kernel_array`, :meth:`load_example`,
    :meth:`set_mode`, :meth:`set_parameters`, :meth:`step`, :meth:`back`, :meth:`play`,
    :meth:`pause`, :meth:`toggle_play`, :meth:`reset`, :meth:`step_index`, :meth:`step_count`,
    :meth:`current_step`, :meth:`step_text`, :meth:`explanation`, :meth:`table_texts`.
    ``stepChanged(index)`` is emitted after every step (−1: nothing computed yet).
    """

    stepChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._input = np.zeros((1, 6, 6))
        self._raw_input = self._input
        self._kernel = KERNEL_PRESETS["identity"][None].copy()
        self._input_title = "Input"
        self._kernel_title = "Kernel"
        self._mode = "conv"
        self._channel = 0
        self._steps: list[cr.Step] = []  # conv / multi / im2col
        self._max_steps: list[cr.Step] = []
        self._avg_steps: list[cr.Step] = []
        self._out_shape = (0, 0)
        self._index = -1
        self._problems: list[str] = []
        self._updating = False
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._build()
        self.load_example("seed003_conv")

    # ----------------------------------------------------------------------------- layout
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)

        top = QHBoxLayout()
        top.addWidget(QLabel("Example:"))
        self.example_combo = QComboBox()
        for key, title in EXAMPLES.items():
            self.example_combo.addItem(title, key)
        self.example_combo.addItem("Custom input", CUSTOM)
        self.example_combo.activated.connect(self._example_picked)
        top.addWidget(self.example_combo)
        self.mode_tabs = QTabBar()
        for mode in MODES:
            self.mode_tabs.addTab(MODE_TITLES[mode])
        self.mode_tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mode_tabs.currentChanged.connect(lambda i: self.set_mode(MODES[i]))
        top.addWidget(self.mode_tabs)
        top.addStretch(1)
        root.addLayout(top)

        body = QHBoxLayout()
        root.addLayout(body, 1)
        body.addWidget(self._build_controls())

        self.input_area = QWidget()
        grids = QVBoxLayout(self.input_area)
        grids.setContentsMargins(0, 0, 0, 0)
        self.input_title_label = QLabel()
        grids.addWidget(self.input_title_label)
        self.input_row = QHBoxLayout()
        grids.addLayout(self.input_row)
        self.kernel_title_label = QLabel()
        grids.addWidget(self.kernel_title_label)
        self.kernel_row = QHBoxLayout()
        grids.addLayout(self.kernel_row)
        grids.addStretch(1)
        self.input_tables: list[QTableWidget] = []
        self.input_labels: list[QLabel] = []
        self.kernel_tables: list[QTableWidget] = []
        self.kernel_labels: list[QLabel] = []

        self.results = QStackedWidget()
        self.results.addWidget(self._build_conv_page())
        self.results.addWidget(self._build_multi_page())
        self.results.addWidget(self._build_pool_page())
        self.results.addWidget(self._build_im2col_page())

        content = QWidget()
        self._content_layout = content_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.input_area, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content_layout.addWidget(self.results, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content_layout.addStretch(1)
        self._force_below = False
        self._scroll = scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body.addWidget(scroll, 1)

        self.formula_label = QLabel()
        self.formula_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.formula_label)
        self.explanation_label = QLabel()
        self.explanation_label.setWordWrap(True)
        self.explanation_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.explanation_label.setMargin(6)
        self.explanation_label.setAutoFillBackground(True)
        self.explanation_label.hide()
        root.addWidget(self.explanation_label)

        self.step_box = QPlainTextEdit()
        self.step_box.setReadOnly(True)
        self.step_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.step_box.setFixedHeight(6 * self.fontMetrics().lineSpacing() + 14)
        self.step_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        root.addWidget(self.step_box)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("◀ Back")
        self.step_button = QPushButton("Step ▶")
        self.play_button = QPushButton("Play")
        self.reset_button = QPushButton("Reset")
        for button, slot in ((self.back_button, self.back), (self.step_button, self.step),
                             (self.play_button, self.toggle_play), (self.reset_button, self.reset)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.progress_label = QLabel()
        buttons.addWidget(self.progress_label)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Keys: → step, ← back, Space play/pause"))
        root.addLayout(buttons)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in ((Qt.Key.Key_Right, self.step), (Qt.Key.Key_Left, self.back),
                          (Qt.Key.Key_Space, self.toggle_play)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _build_controls(self) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(CONTROLS_WIDTH)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)

        settings = QGroupBox("Settings")
        form = QFormLayout(settings)
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
        self.kernel_spin.valueChanged.connect(self._kernel_size_changed)
        for spin in (self.stride_spin, self.padding_spin, self.dilation_spin):
            spin.valueChanged.connect(lambda _v: self._recompute(keep_index=False))
        self.channel_combo = QComboBox()
        self.channel_combo.currentIndexChanged.connect(self._channel_changed)
        self.channel_label = QLabel("Channel:")
        form.addRow(self.channel_label, self.channel_combo)
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Kernel preset…", None)
        for name in KERNEL_PRESETS:
            self.preset_combo.addItem(name, name)
        self.preset_combo.activated.connect(self._preset_picked)
        form.addRow("Preset:", self.preset_combo)
        self.downsample_check = QCheckBox(f"Downsample to {DOWNSAMPLE_TO}×{DOWNSAMPLE_TO}")
        self.downsample_check.setToolTip(
            "average blocks of a large input (e.g. a 28×28 digit) so every cell can be read")
        self.downsample_check.toggled.connect(self._downsample_toggled)
        form.addRow(self.downsample_check)
        layout.addWidget(settings)

        glossary = QGroupBox("Glossary · 용어")
        glossary_layout = QVBoxLayout(glossary)
        rows = "".join(f"<tr><td>{ko}</td><td>&nbsp;{en}</td></tr>" for ko, en in GLOSSARY)
        self.glossary_label = QLabel(f"<table>{rows}</table>")
        self.glossary_label.setTextFormat(Qt.TextFormat.RichText)
        glossary_layout.addWidget(self.glossary_label)
        self.note_label = QLabel(
            "A filter has one slice per input channel: an RGB image uses ONE 3-channel filter, "
            "not three filters (seed 003)."
        )
        self.note_label.setWordWrap(True)
        glossary_layout.addWidget(self.note_label)
        layout.addWidget(glossary)
        layout.addStretch(1)
        return panel

    def _build_conv_page(self) -> QWidget:
        self.output_table = _new_table()
        box, self.output_title = _titled("Output · 특성 맵 feature map", self.output_table)
        return box

    def _build_multi_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Per-channel results · 채널별 결과"))
        self.partial_row = QHBoxLayout()
        layout.addLayout(self.partial_row)
        self.partial_tables: list[QTableWidget] = []
        self.partial_labels: list[QLabel] = []
        self.sum_table = _new_table()
        box, self.sum_title = _titled("Sum = ONE output channel · 특성 맵 feature map", self.sum_table)
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    def _build_pool_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.max_table = _new_table()
        self.avg_table = _new_table()
        box, _ = _titled("Max pooling · 최대 풀링", self.max_table)
        layout.addWidget(box)
        box, _ = _titled("Average pooling · 평균 풀링", self.avg_table)
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    def _build_im2col_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.im2col_label = QLabel()
        self.im2col_label.setWordWrap(True)
        self.im2col_label.setMaximumWidth(720)
        layout.addWidget(self.im2col_label)
        row = QHBoxLayout()
        self.im2col_table = _new_table()
        self.kernel_column_table = _new_table()
        self.result_column_table = _new_table()
        box, _ = _titled("im2col matrix (one row per output position)", self.im2col_table)
        row.addWidget(box)
        row.addWidget(QLabel("@"), 0, Qt.AlignmentFlag.AlignVCenter)
        box, _ = _titled("kernel", self.kernel_column_table)
        row.addWidget(box)
        row.addWidget(QLabel("="), 0, Qt.AlignmentFlag.AlignVCenter)
        box, _ = _titled("result", self.result_column_table)
        row.addWidget(box)
        row.addStretch(1)
        layout.addLayout(row)
        self.im2col_output_table = _new_table()
        box, _ = _titled("→ reshaped into the output · 특성 맵", self.im2col_output_table)
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    # ----------------------------------------------------------------------------- public API
    def _checked(self, array: np.ndarray, what: str) -> np.ndarray | None:
        """``array`` as finite ``(C, H, W)`` floats, or None after explaining why not."""
        try:
            data = _as_chw(array)
            if not np.isfinite(data).all():
                raise ValueError(f"the {what} contains NaN or infinite values")
        except (ValueError, TypeError) as exc:
            self._show_problems([f"Cannot use this {what}: {exc}."])
            return None
        return data

    def set_input_array(self, array: np.ndarray, title: str = "Input") -> None:
        """Show ``array`` (``(H, W)`` or ``(C, H, W)``) as the input; never raises."""
        self.pause()
        data = self._checked(array, "input")
        if data is None:
            return
        self._raw_input = data
        self._input_title = title
        self.example_combo.setCurrentIndex(self.example_combo.findData(CUSTOM))
        big = max(data.shape[1:]) > DOWNSAMPLE_TO
        self._updating = True
        self.downsample_check.setEnabled(big)
        if not big:
            self.downsample_check.setChecked(False)
        self._updating = False
        self._apply_downsample()
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def set_kernel_array(self, kernel: np.ndarray, title: str = "Kernel") -> None:
        """Use ``kernel`` (``(kh, kw)`` or ``(C, kh, kw)``) as the filter; never raises."""
        self.pause()
        data = self._checked(kernel, "kernel")
        if data is None:
            return
        self._kernel = data
        self._kernel_title = title
        self._updating = True
        self.kernel_spin.setValue(min(max(data.shape[1], 1), self.kernel_spin.maximum()))
        self._updating = False
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def load_example(self, key: str) -> None:
        """Load one of :data:`EXAMPLES` (input, kernel, settings and mode)."""
        if key not in EXAMPLES:
            raise KeyError(f"unknown example {key!r}; choose from {sorted(EXAMPLES)}")
        self.pause()
        if key == "seed003_conv":
            image, kernel, params, mode = cr.SEED003_IMAGE, cr.SEED003_FILTER, (3, 1, 0, 1), "conv"
            titles = ("Input 6×6 (seed 003)", "Filter 3×3 (seed 003)")
        elif key == "seed003_pool":
            image, kernel, params, mode = cr.SEED003_POOL_INPUT, np.ones((2, 2)), (2, 2, 0, 1), "pool"
            titles = ("Input 4×4 (seed 003)", "Window 2×2")
        elif key == "rgb":
            image, kernel, params, mode = cr.RGB_IMAGE, cr.RGB_FILTER, (3, 1, 0, 1), "multi"
            titles = ("RGB image 3×4×4", "ONE filter with 3 channels (3×3×3)")
        else:
            image, kernel, params, mode = cr.seed004_input()[0], cr.seed004_filter(), (5, 1, 0, 1), "im2col"
            titles = ("Input (1, 3, 7, 7) (seed 004)", "ONE filter (3, 5, 5)")
        self._updating = True
        self._raw_input = _as_chw(image)
        self._input = self._raw_input
        self._kernel = _as_chw(kernel).copy()
        self._input_title, self._kernel_title = titles
        for spin, value in zip((self.kernel_spin, self.stride_spin, self.padding_spin, self.dilation_spin), params):
            spin.setValue(value)
        self.downsample_check.setChecked(False)
        self.downsample_check.setEnabled(False)
        self.example_combo.setCurrentIndex(self.example_combo.findData(key))
        self._mode = mode
        self.mode_tabs.setCurrentIndex(MODES.index(mode))
        self._updating = False
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def set_mode(self, mode: str) -> None:
        """``"conv"``, ``"multi"``, ``"pool"`` or ``"im2col"``."""
        if mode not in MODES:
            raise KeyError(f"unknown mode {mode!r}; choose from {MODES}")
        if self._updating:
            return
        self.pause()
        self._mode = mode
        self._updating = True
        self.mode_tabs.setCurrentIndex(MODES.index(mode))
        self._updating = False
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def mode(self) -> str:
        return self._mode

    def set_parameters(self, kernel_size: int | None = None, stride: int | None = None,
                       padding: int | None = None, dilation: int | None = None) -> None:
        """Set any of the spin boxes (clamped to their ranges) and recompute once."""
        self._updating = True
        if kernel_size is not None:
            self.kernel_spin.setValue(kernel_size)
            self._kernel = _resize_centered(self._kernel, self.kernel_spin.value())
        for spin, value in ((self.stride_spin, stride), (self.padding_spin, padding), (self.dilation_spin, dilation)):
            if value is not None:
                spin.setValue(value)
        self._updating = False
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Right / Left / Space when the panel itself has the key (the shortcuts cover its children)."""
        actions = {Qt.Key.Key_Right: self.step, Qt.Key.Key_Left: self.back, Qt.Key.Key_Space: self.toggle_play}
        action = actions.get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def step_count(self) -> int:
        return len(self._max_steps if self._mode == "pool" else self._steps)

    def step_index(self) -> int:
        """The current output position (0-based), −1 before the first step."""
        return self._index

    def current_step(self) -> cr.Step | None:
        steps = self._max_steps if self._mode == "pool" else self._steps
        return steps[self._index] if 0 <= self._index < len(steps) else None

    @Slot()
    def step(self) -> None:
        """Move to the next output position (the last one stays)."""
        if self._index < self.step_count() - 1:
            self._set_index(self._index + 1)
        else:
            self.pause()

    @Slot()
    def back(self) -> None:
        if self._index > -1:
            self._set_index(self._index - 1)

    @Slot()
    def reset(self) -> None:
        self.pause()
        self._set_index(-1)

    @Slot()
    def play(self) -> None:
        if self.step_count() == 0:
            return
        if self._index >= self.step_count() - 1:
            self._set_index(-1)
        self._timer.start()
        self.play_button.setText("Pause")

    @Slot()
    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText("Play")

    @Slot()
    def toggle_play(self) -> None:
        if self._timer.isActive():
            self.pause()
        else:
            self.play()

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def step_text(self) -> str:
        return self.step_box.toPlainText()

    def explanation(self) -> str:
        """The explanation of an invalid combination shown in the panel; "" when valid."""
        return "\n".join(self._problems)

    @staticmethod
    def table_texts(table: QTableWidget) -> list[list[str]]:
        """Every cell's text, row by row (for tests and screenshots)."""
        return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
                for r in range(table.rowCount())]

    # ----------------------------------------------------------------------------- slots
    def _example_picked(self, index: int) -> None:
        key = self.example_combo.itemData(index)
        if key in EXAMPLES:
            self.load_example(key)

    def _kernel_size_changed(self, size: int) -> None:
        if self._updating:
            return
        self._kernel = _resize_centered(self._kernel, size)
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _channel_changed(self, index: int) -> None:
        if self._updating or index < 0:
            return
        self._channel = index
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _preset_picked(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        self.preset_combo.setCurrentIndex(0)
        if name is None:
            return
        preset = _resize_centered(KERNEL_PRESETS[name][None], self.kernel_spin.value())[0]
        kernel = _resize_centered(self._kernel, self.kernel_spin.value())
        if self._mode in ("conv", "pool"):
            kernel[min(self._channel, kernel.shape[0] - 1)] = preset
        else:
            kernel[:] = preset
        self._kernel = kernel
        self._kernel_title = f"Kernel: {name}"
        self._recompute(keep_index=True)

    def _downsample_toggled(self, _checked: bool) -> None:
        if self._updating:
            return
        self._apply_downsample()
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _tick(self) -> None:
        if self._index >= self.step_count() - 1:
            self.pause()
        else:
            self._set_index(self._index + 1)

    def _table_edited(self, handler, table_index: int, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        shown = self._shown_channels()
        if table_index < len(shown):
            handler(shown[table_index], item)

    def _input_edited(self, channel: int, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        p = self.padding_spin.value()
        r, c = item.row() - p, item.column() - p
        c_, h, w = self._input.shape
        if not (0 <= r < h and 0 <= c < w):
            return
        try:
            value = float(item.text().replace("−", "-").replace(",", "."))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            self._recompute(keep_index=True)
            return
        self._input = self._input.copy()
        self._input[channel, r, c] = value
        self._raw_input = self._input
        self._recompute(keep_index=True)

    def _kernel_edited(self, channel: int, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        try:
            value = float(item.text().replace("−", "-").replace(",", "."))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            self._recompute(keep_index=True)
            return
        self._kernel = self._kernel.copy()
        self._kernel[channel, item.row(), item.column()] = value
        self._recompute(keep_index=True)

    # ----------------------------------------------------------------------------- computing
    def _apply_downsample(self) -> None:
        data = self._raw_input
        if self.downsample_check.isChecked() and max(data.shape[1:]) > DOWNSAMPLE_TO:
            factor = math.ceil(max(data.shape[1:]) / DOWNSAMPLE_TO)
            data = cr.avg_pool2d(data, factor, factor)
        self._input = data

    def _shown_channels(self) -> list[int]:
        """Input channels drawn as grids: all (up to 4) for multi-channel / im2col, else the chosen one."""
        c = self._input.shape[0]
        if self._mode in ("multi", "im2col"):
            return list(range(min(c, MAX_SHOWN_CHANNELS)))
        return [min(self._channel, c - 1)]

    def _kernel_channel(self, channel: int) -> int:
        return min(channel, self._kernel.shape[0] - 1)

    def _rebuild_channels(self) -> None:
        """Create one input grid (and kernel grid) per shown channel; fill the channel picker."""
        c = self._input.shape[0]
        self._updating = True
        names = _channel_names(c)
        if self.channel_combo.count() != c or self.channel_combo.itemText(0) != names[0]:
            self.channel_combo.clear()
            self.channel_combo.addItems(names)
        self._channel = min(self._channel, c - 1)
        self.channel_combo.setCurrentIndex(self._channel)
        self._updating = False
        single = self._mode in ("conv", "pool")
        self.channel_combo.setVisible(single and c > 1)
        self.channel_label.setVisible(single and c > 1)
        shown = self._shown_channels()
        self._ensure_tables(self.input_tables, self.input_labels, self.input_row, len(shown), self._input_edited)
        self._ensure_tables(self.kernel_tables, self.kernel_labels, self.kernel_row, len(shown), self._kernel_edited)
        multi_count = len(shown) if self._mode == "multi" else 0
        self._ensure_tables(self.partial_tables, self.partial_labels, self.partial_row, multi_count, None)
        self.results.setCurrentIndex(MODES.index(self._mode))
        # a QStackedWidget is as large as its largest page: let only the current page count
        for i in range(self.results.count()):
            page = self.results.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == self.results.currentIndex() else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.results.adjustSize()
        # several channels of input leave no room beside them for the wide im2col matrix: put it below
        self._force_below = self._mode == "im2col" and len(shown) > 1
        self._arrange()

    def _arrange(self) -> None:
        """Results beside the input when both fit the visible width, otherwise below it."""
        wide = self.input_area.sizeHint().width() + self.results.sizeHint().width() + 12
        room = self.width() - CONTROLS_WIDTH - 40  # beside the settings column, margins and scroll bar
        below = self._force_below or wide > room
        self._content_layout.setDirection(QBoxLayout.Direction.TopToBottom if below
                                          else QBoxLayout.Direction.LeftToRight)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange()

    def _ensure_tables(self, tables: list[QTableWidget], labels: list[QLabel], row: QHBoxLayout, count: int,
                       edited) -> None:
        while len(tables) < count:
            table = _new_table(editable=edited is not None)
            if edited is not None:
                index = len(tables)
                table.itemChanged.connect(lambda item, i=index, handler=edited: self._table_edited(handler, i, item))
            box, label = _titled("", table)
            row.insertWidget(len(tables), box)
            tables.append(table)
            labels.append(label)
        for i, table in enumerate(tables):
            table.parentWidget().setVisible(i < count)

    def _show_problems(self, problems: list[str]) -> None:
        self._problems = list(problems)
        if problems:
            palette = self.explanation_label.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(255, 196, 0, 60))
            self.explanation_label.setPalette(palette)
            self.explanation_label.setText("⚠ Invalid combination · 잘못된 조합\n" + "\n".join(problems))
            self.explanation_label.show()
        else:
            self.explanation_label.hide()
            self.explanation_label.setText("")

    def _params(self) -> tuple[int, int, int, int]:
        return (self.kernel_spin.value(), self.stride_spin.value(), self.padding_spin.value(),
                self.dilation_spin.value())

    def _recompute(self, keep_index: bool) -> None:
        """Validate, recompute every step of the current mode, rebuild the grids, repaint."""
        if self._updating:
            return
        self.pause()
        k, s, p, d = self._params()
        c, h, w = self._input.shape
        kh, kw = self._kernel.shape[1:]
        if self._mode == "pool":
            kh = kw = k
        self._steps, self._max_steps, self._avg_steps = [], [], []
        problems = cr.check((h, w), (kh, kw), s, p, d, pooling=self._mode == "pool",
                            in_channels=c if self._mode in ("multi", "im2col") else None,
                            kernel_channels=self._kernel.shape[0] if self._mode in ("multi", "im2col") else None)
        if not problems:
            try:
                ch = min(self._channel, c - 1)
                if self._mode == "conv":
                    self._steps = cr.conv_steps(self._input[ch], self._kernel[self._kernel_channel(ch)], s, p, d)
                elif self._mode == "pool":
                    self._max_steps = cr.pool_steps(self._input[ch], k, s, p, "max", d)
                    self._avg_steps = cr.pool_steps(self._input[ch], k, s, p, "avg", d) if d == 1 else []
                    if d != 1:
                        problems = ["Average pooling has no dilation (torch's avg_pool2d neither): set dilation to 1."]
                        self._max_steps = []
                else:
                    self._steps = cr.conv_steps(self._input, self._kernel, s, p, d)
            except cr.CheckError as exc:  # check() above should have caught it; never raise into Qt
                problems = exc.problems
        self._show_problems(problems)
        self._out_shape = cr.im2col_shape_hw((h, w), (kh, kw), s, p, d) if not problems else (0, 0)
        self._update_formula(h, w, kh, kw, s, p, d)
        self._rebuild_tables()
        count = self.step_count()
        index = min(self._index, count - 1) if keep_index else -1
        self._set_index(index, force=True)

    def _update_formula(self, h: int, w: int, kh: int, kw: int, s: int, p: int, d: int) -> None:
        parts = [f"height {cr.formula_text(h, kh, s, p, d)}"]
        if (w, kw) != (h, kh):
            parts.append(f"width {cr.formula_text(w, kw, s, p, d)}")
        else:
            parts[0] = cr.formula_text(h, kh, s, p, d)
        self.formula_label.setText(
            "Output size · 출력 크기  O = floor((I − K + 2P) / S) + 1:   " + ";   ".join(parts))

    def _rebuild_tables(self) -> None:
        """Size and fill every grid for the current arrays (values; colours come in _paint)."""
        self._updating = True
        try:
            c, h, w = self._input.shape
            p = self.padding_spin.value()
            ph, pw = h + 2 * p, w + 2 * p
            compact = max(h, w) > EDIT_LIMIT
            cell = SMALL_CELL_PX if compact else CELL_PX
            names = _channel_names(c)
            shown = self._shown_channels()
            several = self._mode in ("multi", "im2col") and c > len(shown)
            extra = f" (showing {len(shown)} of {c} channels)" if several else ""
            shape = f"{h}×{w}" if c == 1 else f"{c}×{h}×{w}"
            self.input_title_label.setText(
                f"<b>{self._input_title}</b> · 입력 {shape}{extra}" + (f", padding {p} shown grey · 패딩" if p else ""))
            labels = [str(i - p) if p <= i < p + h else "·" for i in range(ph)]
            col_labels = [str(i - p) if p <= i < p + w else "·" for i in range(pw)]
            for i, channel in enumerate(shown):
                table = self.input_tables[i]
                _shape_table(table, ph, pw, cell, labels, col_labels, max_w=560, max_h=560)
                editable = not compact
                for r in range(ph):
                    for col in range(pw):
                        item = table.item(r, col)
                        inside = p <= r < p + h and p <= col < p + w
                        value = self._input[channel, r - p, col - p] if inside else 0.0
                        item.setText("" if compact else _fmt(value))
                        item.setToolTip(_fmt(value) if inside else "padding 0 · 패딩")
                        flags = Qt.ItemFlag.ItemIsEnabled
                        if inside and editable:
                            flags |= Qt.ItemFlag.ItemIsEditable
                        item.setFlags(flags)
                self.input_labels[i].setText(f"channel {names[channel]}" if c > 1 else "")
                self.input_labels[i].setVisible(c > 1)

            show_kernel = self._mode != "pool"
            self.kernel_title_label.setVisible(show_kernel)
            kc, kh, kw = self._kernel.shape
            self.kernel_title_label.setText(
                f"<b>{self._kernel_title}</b> · 커널/필터 {kh}×{kw}" + (f"×{kc} channels" if kc > 1 else "")
                + " (double-click a cell to edit)")
            for i, channel in enumerate(shown):
                table = self.kernel_tables[i]
                table.parentWidget().setVisible(show_kernel)
                kch = self._kernel_channel(channel)
                _shape_table(table, kh, kw, CELL_PX, [str(r) for r in range(kh)], [str(r) for r in range(kw)])
                for r in range(kh):
                    for col in range(kw):
                        item = table.item(r, col)
                        item.setText(_fmt(self._kernel[kch, r, col]))
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable)
                self.kernel_labels[i].setText(f"weights for {names[channel]}" if kc > 1 else "")
                self.kernel_labels[i].setVisible(kc > 1)

            oh, ow = self._out_shape
            out_cell = SMALL_CELL_PX if max(oh, ow) > EDIT_LIMIT else CELL_PX
            rl, cl = [str(i) for i in range(oh)], [str(i) for i in range(ow)]
            tables = {"conv": [self.output_table], "multi": self.partial_tables[:len(shown)] + [self.sum_table],
                      "pool": [self.max_table, self.avg_table], "im2col": [self.im2col_output_table]}[self._mode]
            for table in tables:
                _shape_table(table, oh, ow, out_cell, rl, cl, max_w=460, max_h=460)
            if self._mode == "multi":
                for i, channel in enumerate(shown):
                    self.partial_labels[i].setText(f"{names[channel]} channel × its filter slice")
            if self._mode == "im2col":
                self._rebuild_im2col(shown)
        finally:
            self._updating = False

    def _rebuild_im2col(self, shown: list[int]) -> None:
        c, h, w = self._input.shape
        kc, kh, kw = self._kernel.shape
        oh, ow = self._out_shape
        names = _channel_names(c)
        if not self._steps:
            for table in (self.im2col_table, self.kernel_column_table, self.result_column_table):
                _shape_table(table, 0, 0, CELL_PX, [], [])
            self.im2col_label.setText("")
            return
        k, s, p, d = self._params()
        matrix = cr.im2col(self._input[None], (kh, kw), s, p, d)
        rows, cols = matrix.shape
        col_labels = [f"{names[ch] if c > 1 else ''}{i},{j}" for ch in range(c) for i in range(kh) for j in range(kw)]
        row_labels = [f"({r},{q})" for r in range(oh) for q in range(ow)]
        wide = 40 if c > 1 else 34
        _shape_table(self.im2col_table, rows, cols, 24, row_labels, col_labels, max_w=640, max_h=420, cell_w=wide)
        for r in range(rows):
            for q in range(cols):
                self.im2col_table.item(r, q).setText(_fmt(matrix[r, q]))
        flat = self._kernel.reshape(-1)
        _shape_table(self.kernel_column_table, flat.size, 1, 24, col_labels, ["w"], max_h=420, cell_w=44)
        for r, value in enumerate(flat):
            self.kernel_column_table.item(r, 0).setText(_fmt(value))
        _shape_table(self.result_column_table, rows, 1, 24, row_labels, ["out"], max_h=420, cell_w=48)
        text = (f"im2col(x): ({rows}, {cols}) — rows = N·OH·OW = 1·{oh}·{ow}, cols = C·KH·KW = {c}·{kh}·{kw}.  "
                f"Kernel flattened: ({cols}, 1).  One matrix product ({rows}, {cols}) @ ({cols}, 1) = ({rows}, 1) "
                f"→ reshape ({oh}, {ow}).")
        if self.example_combo.currentData() == "seed004":
            text += "  A batch of 10 such images (10, 3, 7, 7) gives a (90, 75) matrix (seed 004)."
        self.im2col_label.setText(text)

    # ----------------------------------------------------------------------------- painting
    def _set_index(self, index: int, force: bool = False) -> None:
        index = max(-1, min(index, self.step_count() - 1))
        if index == self._index and not force:
            return
        self._index = index
        self._paint()
        self.stepChanged.emit(index)

    def _paint(self) -> None:
        self._updating = True
        try:
            self._paint_inputs()
            self._paint_outputs()
            self._paint_text()
        finally:
            self._updating = False
        count = self.step_count()
        self.progress_label.setText(f"step {self._index + 1} / {count}" if count else "no steps")
        for button in (self.step_button, self.play_button):
            button.setEnabled(count > 0)
        self.back_button.setEnabled(self._index >= 0)

    def _paint_inputs(self) -> None:
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        c, h, w = self._input.shape
        p = self.padding_spin.value()
        compact = max(h, w) > EDIT_LIMIT
        lo, hi = float(self._input.min()), float(self._input.max())
        span = hi - lo if hi > lo else 1.0
        step = self.current_step()
        taps = set()
        winners = set()
        if step is not None:
            taps = {(r, q) for r in step.rows for q in step.cols}
            if self._mode == "pool":
                masked = np.where(step.in_padding, -np.inf, step.window[0])
                best = masked.max()
                winners = {(step.rows[i], step.cols[j]) for i, j in zip(*np.nonzero(masked == best))}
        for i, channel in enumerate(self._shown_channels()):
            table = self.input_tables[i]
            for r in range(table.rowCount()):
                for q in range(table.columnCount()):
                    item = table.item(r, q)
                    inside = p <= r < p + h and p <= q < p + w
                    if (r, q) in winners:
                        bg, fg = WINNER, HIGHLIGHT_TEXT
                    elif (r, q) in taps:
                        bg, fg = HIGHLIGHT, HIGHLIGHT_TEXT
                    elif not inside:
                        bg, fg = PAD_BACKGROUND, muted
                    elif compact:
                        g = int(255 * (self._input[channel, r - p, q - p] - lo) / span)
                        bg, fg = QColor(g, g, g), text
                    else:
                        bg, fg = base, text
                    item.setBackground(QBrush(bg))
                    item.setForeground(QBrush(fg))
        for table in self.kernel_tables:
            for r in range(table.rowCount()):
                for q in range(table.columnCount()):
                    item = table.item(r, q)
                    active = step is not None and self._mode != "pool"
                    item.setBackground(QBrush(HIGHLIGHT.lighter(130) if active else base))
                    item.setForeground(QBrush(HIGHLIGHT_TEXT if active else text))

    def _fill_output(self, table: QTableWidget, values: Sequence[float]) -> None:
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        oh, ow = self._out_shape
        compact = max(oh, ow) > EDIT_LIMIT
        finite = list(values[:self._index + 1])
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
        span = hi - lo if hi > lo else 1.0
        for n in range(oh * ow):
            if n >= table.rowCount() * table.columnCount():
                break
            item = table.item(n // ow, n % ow)
            if n <= self._index:
                value = values[n]
                item.setText("" if compact else _fmt(value))
                item.setToolTip(_fmt(value))
                if n == self._index:
                    bg, fg = HIGHLIGHT, HIGHLIGHT_TEXT
                elif compact:
                    g = int(255 * (value - lo) / span)
                    bg, fg = QColor(g, g, g), text
                else:
                    bg, fg = base, text
            else:
                item.setText("")
                item.setToolTip("")
                bg, fg = base, text
            item.setBackground(QBrush(bg))
            item.setForeground(QBrush(fg))

    def _paint_outputs(self) -> None:
        if self._mode == "conv":
            self._fill_output(self.output_table, [s.total for s in self._steps])
        elif self._mode == "multi":
            for i, channel in enumerate(self._shown_channels()):
                self._fill_output(self.partial_tables[i], [s.per_channel[channel] for s in self._steps])
            self._fill_output(self.sum_table, [s.total for s in self._steps])
        elif self._mode == "pool":
            self._fill_output(self.max_table, [s.total for s in self._max_steps])
            self._fill_output(self.avg_table, [s.total for s in self._avg_steps])
        else:
            self._fill_output(self.im2col_output_table, [s.total for s in self._steps])
            self._paint_im2col()

    def _paint_im2col(self) -> None:
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        table = self.im2col_table
        kh, kw = self._kernel.shape[1:]
        for r, st in enumerate(self._steps):
            if r >= table.rowCount():
                break
            pad = np.tile(st.in_padding.ravel(), self._input.shape[0])
            current = r == self._index
            for q in range(table.columnCount()):
                item = table.item(r, q)
                if current:
                    bg, fg = HIGHLIGHT, HIGHLIGHT_TEXT
                elif pad[q]:
                    bg, fg = PAD_BACKGROUND, muted
                else:
                    bg, fg = base, text
                item.setBackground(QBrush(bg))
                item.setForeground(QBrush(fg))
            result = self.result_column_table.item(r, 0)
            if result is not None:
                result.setText(_fmt(st.total) if r <= self._index else "")
                result.setBackground(QBrush(HIGHLIGHT if current else base))
                result.setForeground(QBrush(HIGHLIGHT_TEXT if current else text))
        if 0 <= self._index < table.rowCount():
            table.scrollToItem(table.item(self._index, 0))
            self.result_column_table.scrollToItem(self.result_column_table.item(self._index, 0))
        for r in range(self.kernel_column_table.rowCount()):
            item = self.kernel_column_table.item(r, 0)
            item.setBackground(QBrush(HIGHLIGHT.lighter(130) if self._index >= 0 else base))
            item.setForeground(QBrush(HIGHLIGHT_TEXT if self._index >= 0 else text))

    def _paint_text(self) -> None:
        if self._problems:
            self.step_box.setPlainText("Fix the settings above to step through the output.")
            return
        step = self.current_step()
        count = self.step_count()
        if step is None:
            hint = {"conv": "the kernel slides over the input; each position gives one output cell",
                    "multi": "ONE filter with one slice per channel; the channel results are added",
                    "pool": "each window gives its maximum (최대 풀링) and its average (평균 풀링)",
                    "im2col": "each window becomes one row; the whole convolution is one matrix product"}[self._mode]
            self.step_box.setPlainText(f"{count} output positions: {hint}.  Press Step ▶ (→) or Play (Space).")
            return
        where = (f"Step {step.index + 1}/{count} · output ({step.out_row}, {step.out_col}) · window rows "
                 f"{step.rows[0]}–{step.rows[-1]}, columns {step.cols[0]}–{step.cols[-1]} of the padded input")
        if self._mode == "pool":
            lines = [where, "Max · 최대 풀링:  " + step.channel_text(0)]
            if self._avg_steps:
                lines.append("Average · 평균 풀링:  " + self._avg_steps[self._index].channel_text(0))
            if self.example_combo.currentData() == "seed003_pool" and step.index == 0:
                lines.append("(Erratum: the seed prints this window as 3, −1, 3, −1; "
                             "its average line shows the real 3, −1, −3, 1.)")
        elif self._mode == "conv":
            lines = [where, step.text()]
        else:
            names = _channel_names(self._input.shape[0])
            lines = [where if self._mode == "multi" else f"{where} = row {step.index} of the im2col matrix"]
            channels = step.window.shape[0]
            if channels == 1:
                lines.append(step.text())
            else:
                lines += [f"{names[ch]}: {step.channel_text(ch)}" for ch in range(channels)]
                lines.append("sum: " + " + ".join(
                    f"({_fmt(v)})" if v < 0 else _fmt(v) for v in step.per_channel) + f" = {_fmt(step.total)}")
        self.step_box.setPlainText("\n".join(lines))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the panel on its own (for screenshots): ``python -m gui.explain.panel``."""
    import argparse
    import sys

    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default=None)
    parser.add_argument("--example", choices=sorted(EXAMPLES), default="seed003_conv")
    parser.add_argument("--steps", type=int, default=0, help="steps to take at start")
    parser.add_argument("--digit", action="store_true", help="show a 28×28 synthetic digit as input")
    parser.add_argument("--kernel-size", type=int, default=None)
    parser.add_argument("--padding", type=int, default=None)
    parser.add_argument("--scheme", choices=("system", "light", "dark"), default="system")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from gui.widgets import theme

        theme.install(app).set_scheme(args.scheme)
    except Exception:  # the panel works without the app theme
        pass
    panel = ExplainPanel()
    panel.setWindowTitle("ConvScope — explain convolution · 합성곱")
    panel.load_example(args.example)
    if args.digit:
        yy, xx = np.mgrid[0:28, 0:28]
        ring = np.exp(-((np.hypot(yy - 14, xx - 14) - 8) ** 2) / 6.0)
        panel.set_input_array(ring, "28×28 digit (synthetic 0)")
        panel.set_kernel_array(KERNEL_PRESETS["Sobel x"], "Sobel x")
    if args.mode:
        panel.set_mode(args.mode)
    if args.kernel_size is not None or args.padding is not None:
        panel.set_parameters(kernel_size=args.kernel_size, padding=args.padding)
    for _ in range(args.steps):
        panel.step()
    panel.resize(1360, 860)
    panel.show()
    panel.activateWindow()
    panel.setFocus()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
