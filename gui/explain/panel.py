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

The worked 6×6 example hatches the input cells its note does not give (taken as 0) and the outputs
that read them (:mod:`gui.explain.gap_marks`). A topic chooser above swaps this step-by-step page
for the concept pages (1-D and 1×1 convolution, dropout, BatchNorm on the app's network, pooling
under a shift, DNN vs CNN, im2col's memory, the notes' errata: :mod:`gui.explain.topics`).

This module is the behaviour: mode switching, editing, keyboard and play (the stepping itself is
:mod:`gui.explain.stepping`). The widgets
are :mod:`gui.explain.view`; the numbers and all arithmetic come from :mod:`engine.teach` (numpy),
the worked examples from :mod:`engine.teach.examples`. Invalid combinations show the engine's
explanation in the panel instead of raising.

``python -m gui.explain.panel [--mode conv|multi|pool|im2col] [--example KEY] [--steps N] [--topic KEY]``
opens it on its own (see :mod:`gui.explain.standalone`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from engine.teach.examples import EXAMPLES, KERNEL_PRESETS, WORKED_EXAMPLES, WorkedExample
from engine.teach.walkthrough import MODES, Lesson, Walkthrough, as_image_stack
from gui.explain import tables
from gui.explain.controls import CUSTOM, DOWNSAMPLE_TO
from gui.explain.example_words import example_text
from gui.explain.gap_marks import mark_inputs, mark_outputs
from gui.explain.narration import channel_names, formula_line, step_description
from gui.explain.stepping import Stepping
from gui.explain.topics import Topics
from gui.explain.view import ExplainView

__all__ = ["ExplainPanel", "MODES", "EXAMPLES", "KERNEL_PRESETS"]

PLAY_INTERVAL_MS = 700


class ExplainPanel(Stepping, ExplainView):
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
        self._lesson = Lesson(np.zeros((1, 6, 6)), KERNEL_PRESETS["identity"])
        self._walk = Walkthrough()
        self._problems: list[str] = []
        self._index = -1
        self._updating = False
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.topics = Topics(self.topic_combo, self.topic_stack)
        self._connect()
        self.load_example("seed003_conv")

    def _connect(self) -> None:
        self.example_combo.activated.connect(self._example_picked)
        self.mode_tabs.currentChanged.connect(lambda i: self.set_mode(MODES[i]))
        settings = self.settings
        settings.kernel_spin.valueChanged.connect(self._kernel_size_changed)
        for spin in settings.spins()[1:]:
            spin.valueChanged.connect(lambda _v: self._recompute(keep_index=False))
        settings.channel_combo.currentIndexChanged.connect(self._channel_changed)
        settings.preset_combo.activated.connect(self._preset_picked)
        settings.downsample_check.toggled.connect(self._downsample_toggled)
        for button, slot in ((self.back_button, self.back), (self.step_button, self.step),
                             (self.play_button, self.toggle_play), (self.reset_button, self.reset)):
            button.clicked.connect(slot)
        for key, slot in self._key_actions().items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Change widgets without their signals recomputing (the caller recomputes once after)."""
        self._updating = True
        try:
            yield
        finally:
            self._updating = False

    # ----------------------------------------------------------------------------- public API
    def _checked(self, array: np.ndarray, what: str) -> np.ndarray | None:
        """``array`` as finite ``(C, H, W)`` floats, or None after explaining why not."""
        try:
            return as_image_stack(array, what)
        except (ValueError, TypeError) as exc:
            self._show_problems([f"Cannot use this {what}: {exc}."])
            return None

    def set_input_array(self, array: np.ndarray, title: str = "Input") -> None:
        """Show ``array`` (``(H, W)`` or ``(C, H, W)``) as the input; never raises."""
        self.topics.show("steps")
        self.pause()
        data = self._checked(array, "input")
        if data is None:
            return
        self.example_combo.setCurrentIndex(self.example_combo.findData(CUSTOM))
        big = max(data.shape[1:]) > DOWNSAMPLE_TO
        check = self.settings.downsample_check
        with self._quietly():
            check.setEnabled(big)
            if not big:
                check.setChecked(False)
        self._lesson.set_input(data, title, DOWNSAMPLE_TO if check.isChecked() else None)
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def set_kernel_array(self, kernel: np.ndarray, title: str = "Kernel") -> None:
        """Use ``kernel`` (``(kh, kw)`` or ``(C, kh, kw)``) as the filter; never raises."""
        self.topics.show("steps")
        self.pause()
        data = self._checked(kernel, "kernel")
        if data is None:
            return
        self._lesson.set_kernel(data, title)
        spin = self.settings.kernel_spin
        with self._quietly():
            spin.setValue(min(max(data.shape[1], 1), spin.maximum()))
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def load_example(self, key: str) -> None:
        """Load one of :data:`EXAMPLES` (input, kernel, settings and mode)."""
        if key not in WORKED_EXAMPLES:
            raise KeyError(f"unknown example {key!r}; choose from {sorted(EXAMPLES)}")
        self.pause()
        example = WORKED_EXAMPLES[key]
        with self._quietly():
            self._lesson.load_example(example)
            for spin, value in zip(self.settings.spins(), example.params):
                spin.setValue(value)
            self.settings.downsample_check.setChecked(False)
            self.settings.downsample_check.setEnabled(False)
            self.example_combo.setCurrentIndex(self.example_combo.findData(key))
            self.mode_tabs.setCurrentIndex(MODES.index(example.mode))
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def set_mode(self, mode: str) -> None:
        """``"conv"``, ``"multi"``, ``"pool"`` or ``"im2col"``."""
        if mode not in MODES:
            raise KeyError(f"unknown mode {mode!r}; choose from {MODES}")
        if self._updating:
            return
        self.pause()
        self._lesson.mode = mode
        with self._quietly():
            self.mode_tabs.setCurrentIndex(MODES.index(mode))
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def mode(self) -> str:
        return self._lesson.mode

    def set_parameters(self, kernel_size: int | None = None, stride: int | None = None,
                       padding: int | None = None, dilation: int | None = None) -> None:
        """Set any of the spin boxes (clamped to their ranges) and recompute once."""
        with self._quietly():
            for spin, value in zip(self.settings.spins(), (kernel_size, stride, padding, dilation)):
                if value is not None:
                    spin.setValue(value)
            if kernel_size is not None:
                self._lesson.resize_kernel(self.settings.kernel_spin.value())
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def step_text(self) -> str:
        return self.step_box.toPlainText()

    def explanation(self) -> str:
        """The explanation of an invalid combination shown in the panel; "" when valid."""
        return "\n".join(self._problems)

    @staticmethod
    def table_texts(table: QTableWidget) -> list[list[str]]:
        """Every cell's text, row by row (for tests and screenshots)."""
        return tables.table_texts(table)

    # ----------------------------------------------------------------------------- slots
    def _example_picked(self, index: int) -> None:
        key = self.example_combo.itemData(index)
        if key in WORKED_EXAMPLES:
            self.load_example(key)

    def _kernel_size_changed(self, size: int) -> None:
        if self._updating:
            return
        self._lesson.resize_kernel(size)
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _channel_changed(self, index: int) -> None:
        if self._updating or index < 0:
            return
        self._lesson.channel = index
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _preset_picked(self, index: int) -> None:
        combo = self.settings.preset_combo
        name = combo.itemData(index)
        combo.setCurrentIndex(0)
        if name is None:
            return
        self._lesson.apply_preset(name, KERNEL_PRESETS[name], self.settings.kernel_spin.value())
        self._recompute(keep_index=True)

    def _downsample_toggled(self, checked: bool) -> None:
        if self._updating:
            return
        self._lesson.downsample(DOWNSAMPLE_TO if checked else None)
        self._rebuild_channels()
        self._recompute(keep_index=False)

    def _grid_edited(self, grid: str, position: int, item: QTableWidgetItem) -> None:
        """A typed cell: a number changes the lesson, anything else is shown back as it was."""
        shown = self._lesson.shown_channels()
        if self._updating or position >= len(shown):
            return
        channel, value = shown[position], tables.parse_cell(item.text())
        if grid == "kernel":
            if value is not None:
                self._lesson.set_kernel_value(channel, item.row(), item.column(), value)
        else:
            p = self.settings.padding_spin.value()
            r, c = item.row() - p, item.column() - p
            _, h, w = self._lesson.input.shape
            if not (0 <= r < h and 0 <= c < w):
                return
            if value is not None:
                self._lesson.set_input_value(channel, r, c, value)
        self._recompute(keep_index=True)

    # ----------------------------------------------------------------------------- computing
    def _rebuild_channels(self) -> None:
        """Create one input grid (and kernel grid) per shown channel; fill the channel picker."""
        c, mode = self._lesson.input.shape[0], self._lesson.mode
        with self._quietly():
            self.settings.set_channels(channel_names(c), self._lesson.clamp_channel())
        self.settings.show_channel_choice(mode in ("conv", "pool") and c > 1)
        shown = self._lesson.shown_channels()
        self.grids.ensure(len(shown))
        self.pages.show_mode(mode, len(shown))
        # several channels of input leave no room beside them for the wide im2col matrix: put it below
        self.set_results_below(mode == "im2col" and len(shown) > 1)

    def _show_problems(self, problems) -> None:
        self._problems = list(problems)
        self.show_problems(self._problems)

    def _recompute(self, keep_index: bool) -> None:
        """Validate, recompute every step of the current mode, rebuild the grids, repaint."""
        if self._updating:
            return
        self.pause()
        k, s, p, d = self.settings.params()
        self._walk = self._lesson.walk(k, s, p, d)
        self._show_problems(self._walk.problems)
        _, h, w = self._lesson.input.shape
        kh, kw = self._walk.window
        self.formula_label.setText(formula_line(h, w, kh, kw, s, p, d))
        self._rebuild_tables()
        count = self.step_count()
        index = min(self._index, count - 1) if keep_index else -1
        self._set_index(index, force=True)

    def _example(self) -> WorkedExample | None:
        """The worked example on show; None for a custom input."""
        return WORKED_EXAMPLES.get(self.example_combo.currentData())

    def _rebuild_tables(self) -> None:
        """Size and fill every grid for the current arrays (values; colours come in _paint)."""
        lesson, (_, s, p, d) = self._lesson, self.settings.params()
        shown = lesson.shown_channels()
        with self._quietly():
            self.grids.rebuild(lesson.input, lesson.kernel, p, shown, lesson.mode,
                               example_text(lesson.input_title), example_text(lesson.kernel_title))
            self.pages.rebuild(lesson.mode, self._walk.out_shape, shown, lesson.input.shape[0])
            if lesson.mode == "im2col":
                note = example_text(example.im2col_note) if (example := self._example()) else ""
                self.pages.im2col.rebuild(lesson.input, lesson.kernel, s, p, d, self._walk, note)

    # ----------------------------------------------------------------------------- painting
    def _paint(self) -> None:
        lesson, step, palette = self._lesson, self.current_step(), self.palette()
        shown, channels = lesson.shown_channels(), lesson.input.shape[0]
        avg_steps = self._walk.avg_steps
        with self._quietly():
            self.grids.paint(lesson.input, self.settings.padding_spin.value(), shown, step, lesson.mode == "pool",
                             palette)
            self.pages.paint(lesson.mode, self._walk, self._index, shown, channels, palette)
            self.step_box.setPlainText(step_description(
                lesson.mode, step, self.step_count(), channels=channels, invalid=bool(self._problems),
                avg_step=avg_steps[self._index] if step is not None and avg_steps else None,
                pool_note=example_text(example.pool_note) if (example := self._example()) else ""))
            self._mark_gaps(shown)
        self.show_progress(self._index, self.step_count())

    def _mark_gaps(self, shown: list[int]) -> None:
        """Hatch the input cells the worked example's note does not give, and the outputs reading them."""
        _, s, p, d = self.settings.params()
        unknown, dependent = self._lesson.gaps(self._walk, s, p, d)
        if unknown is None or shown[0] != 0:
            return
        mark_inputs(self.grids.input_tables[0], unknown, p)
        for table in self.pages.output_tables(self._lesson.mode, len(shown)):
            mark_outputs(table, dependent)

    # ----------------------------------------------------------------------------- topics
    def show_topic(self, key: str) -> None:
        """Show topic ``key`` of :data:`gui.explain.topics.TOPICS` ("steps", "errata", "dropout", …)."""
        self.topics.show(key)

    def topic(self) -> str:
        return self.topics.current()

    def topic_page(self, key: str) -> QWidget:
        """The concept page ``key`` (made on first use)."""
        return self.topics.page(key)

    def language_changed(self) -> None:
        """The concept pages are made again in the new language; the step page repaints its captions."""
        self.topics.rebuild()
        self._recompute(keep_index=True)

    def attach(self, state: Any, current_input: Callable[[], np.ndarray], input_changed: Any = None) -> None:
        """Use the app's network (``gui.state.AppState``) and the Draw panel's input (and its change
        signal, when given) on the concept pages."""
        from gui.explain.model_source import ModelSource

        self.topics.set_source(ModelSource(lambda: state.spec, lambda: state.inspection.model.module,
                                           lambda: state.inspection.trained, current_input))
        state.specChanged.connect(lambda _spec: self.topics.network_changed())
        state.inspection.changed.connect(self.topics.network_changed)
        if input_changed is not None:
            input_changed.connect(lambda *_: self.topics.network_changed())


if __name__ == "__main__":
    from gui.explain.standalone import main

    raise SystemExit(main())
