"""The app's shared state: one spec, the latest weights, the chosen dataset; views listen to it.

Every panel reads from here and reacts to its signals, so the builder, the training panel and
the viewers always show the same network. Lives in the GUI thread only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine.model.shapes import ShapeReport, analyze
from engine.model.spec import NetworkSpec


class SpecEdit(QUndoCommand):
    """One undoable change of the spec: the whole spec before and after, with a readable name.

    Consecutive edits with the same ``merge_key`` (typing into one spin box) merge into one step.
    """

    MERGE_ID = 4711

    def __init__(self, state: AppState, before: NetworkSpec, after: NetworkSpec, text: str,
                 merge_key: Any = None):
        super().__init__(text)
        self._state = state
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._state.set_spec(self.after)

    def undo(self) -> None:
        self._state.set_spec(self.before)

    def id(self) -> int:  # noqa: A003 (Qt's name)
        return self.MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, SpecEdit) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        self.setText(other.text())
        if self.after == self.before:
            self.setObsolete(True)
        return True


class AppState(QObject):
    """Current network spec, its shape report, dataset facts and the latest weight snapshot."""

    specChanged = Signal(object)  # NetworkSpec
    weightsChanged = Signal(object)  # Mapping[str, np.ndarray] | None (None: weights gone)
    datasetChanged = Signal(object)  # engine.data.datasets.DatasetInfo
    keyframeAdded = Signal(object)  # engine.training.events.WeightSnapshot with keep=True (time-lapse)
    trainingChanged = Signal(bool)  # a run started (True) or ended (False)
    engineReady = Signal()  # torch and the engine's torch modules are imported

    def __init__(self, spec: NetworkSpec, parent: QObject | None = None):
        super().__init__(parent)
        self._spec = spec
        self._report = analyze(spec)
        self._weights: Mapping[str, np.ndarray] | None = None
        self._weights_spec: NetworkSpec | None = None
        self._dataset_info: Any = None
        self._training = False
        self._engine_ready = False
        self.keyframes: list[Any] = []
        #: Every spec edit goes through this stack (``edit_spec``) so it can be undone.
        self.undo_stack = QUndoStack(self)

    # -- spec --------------------------------------------------------------------------
    @property
    def spec(self) -> NetworkSpec:
        return self._spec

    @property
    def report(self) -> ShapeReport:
        return self._report

    def set_spec(self, spec: NetworkSpec) -> None:
        """Replace the spec; weights that no longer fit it are dropped."""
        if spec == self._spec:
            return
        self._spec = spec
        self._report = analyze(spec)
        if self._weights is not None and not self._weights_fit(spec):
            self.set_weights(None)
        self.specChanged.emit(spec)

    def edit_spec(self, spec: NetworkSpec, text: str, merge_key: Any = None) -> bool:
        """Replace the spec as one undoable step named ``text`` ("Set conv1 padding to 2").

        Returns False (and records nothing) when ``spec`` equals the current spec.
        """
        if spec == self._spec:
            return False
        self.undo_stack.push(SpecEdit(self, self._spec, spec, text, merge_key))
        return True

    # -- weights -----------------------------------------------------------------------
    @property
    def weights(self) -> Mapping[str, np.ndarray] | None:
        """The latest weight snapshot for ``spec`` (read-only numpy arrays), or None."""
        return self._weights

    def set_weights(self, state: Mapping[str, np.ndarray] | None) -> None:
        self._weights = state
        self._weights_spec = self._spec if state is not None else None
        if state is None:
            self.keyframes = []
        self.weightsChanged.emit(state)

    def add_keyframe(self, snapshot: Any) -> None:
        self.keyframes.append(snapshot)
        self.keyframeAdded.emit(snapshot)

    def clear_keyframes(self) -> None:
        self.keyframes = []

    def _weights_fit(self, spec: NetworkSpec) -> bool:
        if self._weights_spec is None:
            return False
        old, new = self._weights_spec, spec
        return old.input == new.input and old.num_classes == new.num_classes and old.layers == new.layers

    # -- dataset and engine ------------------------------------------------------------
    @property
    def dataset_info(self) -> Any:
        return self._dataset_info

    def set_dataset_info(self, info: Any) -> None:
        self._dataset_info = info
        self.datasetChanged.emit(info)

    @property
    def training(self) -> bool:
        return self._training

    def set_training(self, running: bool) -> None:
        if running != self._training:
            self._training = running
            self.trainingChanged.emit(running)

    @property
    def engine_ready(self) -> bool:
        return self._engine_ready

    def mark_engine_ready(self) -> None:
        if not self._engine_ready:
            self._engine_ready = True
            self.engineReady.emit()
