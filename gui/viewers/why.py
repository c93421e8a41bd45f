"""Why this class? Attribution heat maps over the current input (``engine.inspect.attribution``).

The view explains the shared inspection model (``AppState.inspection``: eval mode, never the
model being trained) for the draw panel's input: Grad-CAM on a chosen spatial layer, gradient
saliency, SmoothGrad, Integrated Gradients and occlusion, for the predicted class or any other,
one at a time with a colour bar or all side by side. Grad-CAM and saliency run on the GUI thread
at stroke end (one forward and backward pass, one torch thread); the heavier methods, and all of
them side by side, run on a ``TaskRunner`` on a private copy of the model, with progress and
Cancel. New weights arrive at most 5 times a second while training. "Sanity check" explains a
copy with randomised weights: a map that does not change then explains nothing.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QProgressBar, QPushButton, QSpinBox, QWidget

from gui.state import AppState
from gui.tasks import TaskRunner
from gui.viewers.base import FIX_ERRORS, STRETCH, Viewer, row
from gui.viewers.heat import input_picture
from gui.viewers.why_compute import FAST_METHODS, WhyOptions, explain, explain_in_background
from gui.viewers.why_figure import WhyFigure
from gui.widgets import theme

__all__ = ["RANDOM_NOTE", "SANITY_NOTE", "WhyViewer"]

RANDOM_NOTE = QT_TRANSLATE_NOOP("WhyViewer", "The weights are random (untrained network): these maps explain "
                                             "nothing learned yet.")
SANITY_NOTE = QT_TRANSLATE_NOOP("WhyViewer", "Sanity check: these maps come from a copy with randomised weights. "
                                             "A map that looks the same as with the real weights does not explain the "
                                             "network (Adebayo et al., 2018).")
BLANK_NOTE = QT_TRANSLATE_NOOP("WhyViewer", "Draw a digit or pick a test sample: a blank input has nothing to explain.")


class WhyViewer(Viewer):
    """Heat maps of why the network chose a class for the current input. Connect a draw panel's
    ``inputChanged`` to ``set_input`` and its canvas to ``watch_canvas`` (maps at stroke end)."""

    heatUpdated = Signal()  # after new maps are shown
    export_title = QT_TRANSLATE_NOOP("WhyViewer", "Export explanation")
    export_name = "why"

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.setObjectName("whyViewer")
        self.unavailable = ""  # why explanations cannot be made at all
        try:
            from engine.inspect.attribution import METHOD_TITLES, METHODS
        except ImportError as exc:  # an engine without attribution (or without captum)
            METHODS, METHOD_TITLES = (), {}
            self.unavailable = self.tr("Explanations are not available: {0}").format(exc)
        self.methods, self.titles = tuple(METHODS), dict(METHOD_TITLES)
        self._input: np.ndarray | None = None
        self._drawing = False
        self._results: dict[str, Any] = {}
        self._random: tuple[int, Any] | None = None  # (inspection version, randomised copy)
        self._spatial: list[str] = []
        self._names: list[str] = []
        self._pending_input: np.ndarray | None = None
        self.last_ms = 0.0  # the last GUI-thread computation

        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName(self.tr("Attribution method"))
        for method in self.methods:
            self.method_combo.addItem(self.titles.get(method, method), method)
        self.class_combo = QComboBox()
        self.class_combo.setAccessibleName(self.tr("Class explained"))
        self.class_combo.setToolTip(self.tr("the class whose evidence is shown: the predicted one, or any other"))
        self.layer_combo = QComboBox()
        self.layer_combo.setAccessibleName(self.tr("Grad-CAM layer"))
        self.layer_combo.setToolTip(self.tr("Grad-CAM's layer: conv layers and others with a spatial output"))
        self.window_spin = QSpinBox()
        self.window_spin.setAccessibleName(self.tr("Occlusion square side"))
        self.window_spin.setRange(1, 64)
        self.window_spin.setValue(4)
        self.window_spin.setPrefix(self.tr("window "))
        self.stride_spin = QSpinBox()
        self.stride_spin.setAccessibleName(self.tr("Occlusion stride"))
        self.stride_spin.setRange(1, 64)
        self.stride_spin.setValue(2)
        self.stride_spin.setPrefix(self.tr("stride "))
        for spin in (self.window_spin, self.stride_spin):
            spin.setToolTip(self.tr("occlusion: the grey square's side and step, in input pixels"))
        self.all_check = QCheckBox(self.tr("Side by side: all methods"))
        self.sanity_check = QCheckBox(self.tr("Sanity check: randomised weights"))
        self.sanity_check.setToolTip(self.tr(SANITY_NOTE))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(140)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.info_label = QLabel()
        self.info_label.setStyleSheet("font-size: 11px;")
        self.info_label.setWordWrap(True)
        self.figure = WhyFigure()
        self.figure.setAccessibleName(self.tr("Attribution maps over the input"))
        top = row(self.tr("Method"), self.method_combo, self.tr("Class"), self.class_combo, self.tr("Layer"),
                  self.layer_combo, self.tr("Occlusion"), self.window_spin, self.stride_spin, STRETCH)
        second = row(self.all_check, self.sanity_check, STRETCH, self.progress_bar, self.cancel_button,
                     self.export_button)
        self.arrange((top, second), self.figure, below=(self.info_label,))
        theme.compact(self)
        self._set_busy(False)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda f: self.progress_bar.setValue(round(100 * f)))
        self.runner.finished.connect(self._show)
        self.runner.failed.connect(lambda text: self._fail(self.tr("Cannot explain: {0}").format(text)))
        self.runner.running.connect(self._set_busy)
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.method_combo, self.class_combo, self.layer_combo):
            widget.currentIndexChanged.connect(self._options_changed)
        for spin in (self.window_spin, self.stride_spin):
            spin.valueChanged.connect(self._options_changed)
        for check in (self.all_check, self.sanity_check):
            check.toggled.connect(self._options_changed)
        state.specChanged.connect(self._spec_changed)
        state.datasetChanged.connect(lambda _info: self._fill_classes())
        state.inspection.changed.connect(self.request_refresh)
        self.follow_theme(self.figure)
        self._spec_changed(state.spec)

    # ------------------------------------------------------------------ public API
    def set_input(self, x: np.ndarray) -> None:
        """A normalised input ``(1, C, H, W)`` or ``(C, H, W)``; maps follow at stroke end."""
        x = np.asarray(x, dtype=np.float32)
        self._input = x[0] if x.ndim == 4 else x
        if not self._drawing:
            self.request_refresh()

    def watch_canvas(self, canvas: Any) -> None:
        """Wait for the end of each stroke on ``canvas`` (a ``DrawCanvas``) before explaining."""
        canvas.strokeStarted.connect(lambda: setattr(self, "_drawing", True))
        canvas.strokeFinished.connect(self._stroke_finished)

    def method(self) -> str:
        return self.method_combo.currentData()

    def set_method(self, method: str) -> None:
        index = self.method_combo.findData(method)
        if index < 0:
            raise ValueError(f"unknown method {method!r}; one of {', '.join(self.methods)}")
        self.method_combo.setCurrentIndex(index)

    def target(self) -> int | None:
        """The class explained: None for the predicted one."""
        return self.class_combo.currentData()

    def set_target(self, target: int | None) -> None:
        self.class_combo.setCurrentIndex(max(0, self.class_combo.findData(target)))

    def gradcam_layers(self) -> list[str]:
        return list(self._spatial)

    def set_gradcam_layer(self, name: str) -> None:
        self.set_layer(name)

    def set_side_by_side(self, on: bool) -> None:
        self.all_check.setChecked(on)

    def set_sanity_check(self, on: bool) -> None:
        self.sanity_check.setChecked(on)

    def results(self) -> dict[str, Any]:
        """The maps shown: method → ``Attribution``, or a reason it has none."""
        return dict(self._results)

    def shown_heat(self) -> np.ndarray | None:
        """The heat map of the method shown alone (None in side-by-side mode or without one)."""
        result = self._results.get(self.method())
        return None if self.all_check.isChecked() or result is None or isinstance(result, str) else result.heat

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisibleTo(self) else ""

    def cancel(self) -> None:
        """Stop a background computation (the maps shown stay)."""
        if self.runner.is_running():
            self.runner.cancel()
            self.info_label.setText(self.tr("Cancelled."))
            if self._pending_input is not None:
                self.figure.show_input(self._picture(self._pending_input), self.tr("input"),
                                       self.tr("Cancelled"))

    def export_target(self) -> QWidget:
        return self.figure

    # ------------------------------------------------------------------ state
    @Slot(object)
    def _spec_changed(self, spec: Any) -> None:
        self._results = {}
        self._random = None
        if self.state.report.ok and not self.unavailable:
            from engine.inspect.attribution import default_gradcam_layer, spatial_layers

            self._spatial = list(spatial_layers(spec))
            default = default_gradcam_layer(spec)
        else:
            self._spatial, default = [], None
        previous = self.current_layer()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for name in self._spatial:
            self.layer_combo.addItem(name, name)
        keep = previous if previous in self._spatial else default
        self.layer_combo.setCurrentIndex(max(0, self.layer_combo.findData(keep)))
        self.layer_combo.blockSignals(False)
        if self._input is not None and tuple(self._input.shape) != tuple(spec.input):
            self._input = None
        self._fill_classes()
        self._options_changed()

    def _fill_classes(self) -> None:
        n = int(self.state.spec.num_classes)
        names = list(getattr(self.state.dataset_info, "class_names", None) or [])
        names = names if len(names) == n else [str(i) for i in range(n)]
        target = self.target()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(self.tr("predicted class"), None)
        for i, name in enumerate(names):
            self.class_combo.addItem(f"{i}: {name}" if name != str(i) else name, i)
        self.class_combo.setCurrentIndex(max(0, self.class_combo.findData(target)))
        self.class_combo.blockSignals(False)
        self._names = names

    @Slot()
    def _options_changed(self, *_args: Any) -> None:
        side_by_side = self.all_check.isChecked()
        self.method_combo.setEnabled(not side_by_side)
        self.layer_combo.setEnabled(bool(self._spatial) and (side_by_side or self.method() == "gradcam"))
        for spin in (self.window_spin, self.stride_spin):
            spin.setEnabled(side_by_side or self.method() == "occlusion")
        self.request_refresh()

    @Slot()
    def _stroke_finished(self) -> None:
        self._drawing = False
        self.request_refresh()

    # ------------------------------------------------------------------ computing
    def _problem(self) -> str:
        """Why nothing can be explained now ("" when something can)."""
        if self.unavailable:
            return self.unavailable
        if not self.state.report.ok:
            return FIX_ERRORS.format(what="explanations")
        if int(self.state.spec.num_classes) < 2:
            return self.tr("A network with one class gives it 100% for every input: there is no decision to explain.")
        error = self.state.inspection.error
        if error:
            return error
        if not self._spatial and self.method() == "gradcam" and not self.all_check.isChecked():
            return self.tr("Grad-CAM needs a layer with a spatial output (a conv or pooling layer); this network has "
                           "none. Pick another method.")
        return ""

    def _picture(self, x: np.ndarray) -> np.ndarray:
        mean, std = self.state.input_stats()
        return input_picture(x, mean, std)

    def refresh(self) -> None:
        """Explain the current input with the chosen method(s): here and now for Grad-CAM and
        saliency, in the background for the rest."""
        self.runner.cancel()
        expected = tuple(int(v) for v in self.state.spec.input)
        x = self._input if self._input is not None and tuple(self._input.shape) == expected else None
        problem = self._problem()
        if problem:
            self._fail(problem, x)
            return
        x = np.zeros(expected, np.float32) if x is None else x
        if float(x.max() - x.min()) == 0.0:
            self._fail(self.tr(BLANK_NOTE), x)
            return
        methods = self.methods if self.all_check.isChecked() else (self.method(),)
        if not self._spatial:
            methods = tuple(m for m in methods if m != "gradcam")
        mean, std = self.state.input_stats()
        blank = tuple(-m / s if s else 0.0 for m, s in zip(mean, std))
        options = WhyOptions(self.target(), self.current_layer(), self.window_spin.value(), self.stride_spin.value(),
                             blank)
        sanity = self.sanity_check.isChecked()
        inspection = self.state.inspection
        spec = self.state.spec
        if all(m in FAST_METHODS for m in methods):
            start = time.perf_counter()
            try:  # attribute() runs with one torch thread itself (engine.inspect.activations.single_thread)
                model = self._random_copy() if sanity else inspection.model.module
                results = explain(model, spec, x, methods, options)
            except Exception as exc:  # an input the network cannot take, a spec mid-edit
                self._fail(self.tr("Cannot explain: {0}").format(exc), x)
                return
            self.last_ms = 1000 * (time.perf_counter() - start)
            self._show(results, x)
            return
        self._pending_input = x
        self.figure.show_input(self._picture(x), self.tr("input"), self.tr("Computing…"))
        self.runner.start(explain_in_background, inspection.model.copy_module(), spec, x, methods, options, sanity)

    def _random_copy(self) -> Any:
        """The inspection model with randomised weights, kept while the weights stay the same."""
        version = self.state.inspection.version
        if self._random is None or self._random[0] != version:
            from engine.inspect.attribution import randomized_copy

            self._random = (version, randomized_copy(self.state.inspection.model.module, seed=0))
        return self._random[1]

    # ------------------------------------------------------------------ showing
    @Slot(object)
    def _show(self, results: dict[str, Any], x: np.ndarray | None = None) -> None:
        x = self._pending_input if x is None else x
        self._results = dict(results)
        picture = self._picture(x)
        first = next((r for r in results.values() if not isinstance(r, str)), None)
        probs = None if first is None else np.asarray(first.probabilities)
        predicted = None if probs is None else int(np.argmax(probs))
        input_title = self.tr("input") if predicted is None else self.tr("input · predicted {0} ({1}%)").format(
            self._name(predicted), f"{100 * float(probs[predicted]):.1f}")
        notes = []
        if self.sanity_check.isChecked():
            notes.append(self.tr(SANITY_NOTE))
        elif not self.state.inspection.trained:
            notes.append(self.tr(RANDOM_NOTE))
        if self.all_check.isChecked():
            self.figure.show_many(picture, results, self.titles, input_title)
        else:
            method = self.method()
            result = results.get(method, "not computed")
            if isinstance(result, str):
                self.figure.show_input(picture, input_title, f"{self.titles.get(method, method)}: {result}")
                notes.append(result)
            else:
                title = f"{self.titles.get(method, method)} · class {self._name(int(result.target))}"
                if result.layer:
                    title += f" · {result.layer}"
                self.figure.show_one(picture, np.asarray(result.heat, dtype=np.float32), bool(result.signed),
                                     input_title, title)
                if result.note:
                    notes.append(result.note)
        self.show_message(" ".join(notes))
        self.info_label.setText(self._info(results))
        self.heatUpdated.emit()

    def _info(self, results: dict[str, Any]) -> str:
        parts = []
        for method, result in results.items():
            if not isinstance(result, str):
                what = self.tr("signed: red for, blue against") if result.signed else \
                    self.tr("how much each pixel counts")
                parts.append(f"{self.titles.get(method, method)} ({what})")
        return " · ".join(parts)

    def _name(self, index: int) -> str:
        return self._names[index] if 0 <= index < len(self._names) else str(index)

    def _fail(self, text: str, x: np.ndarray | None = None) -> None:
        self._results = {}
        self.show_message(text)
        if x is not None:
            self.figure.show_input(self._picture(x), self.tr("input"), "")
        self.heatUpdated.emit()

    @Slot(bool)
    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress_bar.setValue(0)
