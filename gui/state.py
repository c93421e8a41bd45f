"""The app's shared state: one spec, the latest weights, the chosen dataset; views listen to it.

Every panel reads from here and reacts to its signals, so the builder, the training panel and
the viewers always show the same network. ``AppState.inspection`` is the one eval-mode copy of
the network that every viewer looks through (never the model being trained). Lives in the GUI
thread only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine.data.registry import normalized_info
from engine.model.shapes import ShapeReport, analyze
from engine.model.spec import NetworkSpec
from gui.tasks import Throttle

#: While training, new weights reach the inspection model at most this often (5 a second).
WEIGHTS_INTERVAL_MS = 200


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


class Inspection(QObject):
    """The viewers' shared inspection model (``engine.inspect.model.InspectionModel``).

    It follows the state's spec at once and its weights at once when idle, at most 5 times a
    second while training; ``changed`` tells the viewers after each. The module itself is built
    and loaded lazily (torch is imported on first use, so the app opens without it), so hidden
    viewers cost nothing. ``version`` changes with every new spec or weights.
    """

    changed = Signal()

    def __init__(self, state: AppState):
        super().__init__(state)
        self._state = state
        self._model: Any = None  # InspectionModel, made on first use
        self._version = 0
        self._throttle = Throttle(self._apply_weights, WEIGHTS_INTERVAL_MS, self, leading=False)

    @property
    def model(self) -> Any:
        """The ``InspectionModel`` for the current spec and applied weights."""
        if self._model is None:
            from engine.inspect.model import InspectionModel

            self._model = InspectionModel(self._state.spec)
            self._model.set_weights(self._state.weights)
        return self._model

    @property
    def version(self) -> int:
        return self._version

    @property
    def trained(self) -> bool:
        """True when the model holds trained weights (False: the untrained initialisation)."""
        return self._state.weights is not None and self.model.trained

    @property
    def error(self) -> str:
        return self.model.error

    def pending(self) -> bool:
        """Weights are waiting for their turn (training: at most 5 loads a second)."""
        return self._throttle.pending()

    def flush(self) -> None:
        """Apply waiting weights now."""
        self._throttle.flush()

    # -- following the state -----------------------------------------------------------
    def spec_changed(self, spec: NetworkSpec) -> None:
        self._throttle.cancel()
        if self._model is not None:
            self._model.set_spec(spec)
            self._model.set_weights(self._state.weights)
        self._version += 1
        self.changed.emit()

    def weights_changed(self, weights: Any) -> None:
        if weights is not None and self._state.training:
            self._throttle.request()
        else:
            self._throttle.cancel()
            self._apply_weights()

    @Slot(bool)
    def training_changed(self, running: bool) -> None:
        if not running:
            self.flush()

    @Slot()
    def _apply_weights(self) -> None:
        if self._model is not None:
            self._model.set_weights(self._state.weights)
        self._version += 1
        self.changed.emit()


class AppState(QObject):
    """Current network spec, its shape report, dataset facts and the latest weight snapshot."""

    specChanged = Signal(object)  # NetworkSpec
    weightsChanged = Signal(object)  # Mapping[str, np.ndarray] | None (None: weights gone)
    datasetChanged = Signal(object)  # engine.data.registry.DatasetInfo
    keyframeAdded = Signal(object)  # engine.training.events.WeightSnapshot with keep=True (time-lapse)
    keyframesCleared = Signal()  # a new run starts its own time-lapse
    trainingChanged = Signal(bool)  # a run started (True) or ended (False)
    engineReady = Signal()  # torch and the engine's torch modules are imported

    def __init__(self, spec: NetworkSpec, parent: QObject | None = None):
        super().__init__(parent)
        self._spec = spec
        self._report = analyze(spec)
        self._weights: Mapping[str, np.ndarray] | None = None
        self._weights_spec: NetworkSpec | None = None
        self._dataset_info: Any = None
        self.input_normalize = "dataset"  # how the weights' run normalised its input (TrainConfig.normalize)
        self._training = False
        self._engine_ready = False
        self.keyframes: list[Any] = []
        #: Every spec edit goes through this stack (``edit_spec``) so it can be undone.
        self.undo_stack = QUndoStack(self)
        #: The one eval-mode model the viewers look through.
        self.inspection = Inspection(self)

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
        dropped = self._weights is not None and not self._weights_fit(spec)
        if dropped:
            self._weights = None
            self._weights_spec = None
            self.keyframes = []
        self.inspection.spec_changed(spec)
        if dropped:
            self.weightsChanged.emit(None)
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
        self.inspection.weights_changed(state)
        self.weightsChanged.emit(state)

    def add_keyframe(self, snapshot: Any) -> None:
        self.keyframes.append(snapshot)
        self.keyframeAdded.emit(snapshot)

    def clear_keyframes(self) -> None:
        self.keyframes = []
        self.keyframesCleared.emit()

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

    def input_stats(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The per-channel mean and std that normalise the network's input: the dataset's own
        (``DatasetInfo``), else those of the built-in dataset with the spec's channel count.

        Before the engine has loaded (no dataset chosen yet) nobody reads the input, and the
        dataset module would pull torch into the GUI thread: the identity (0, 1) then."""
        info = self._dataset_info
        if info is not None and getattr(info, "mean", None):
            info = normalized_info(info, self.input_normalize)
            return tuple(info.mean), tuple(info.std)
        channels = int(self._spec.input[0])
        if not self._engine_ready:
            return (0.0,) * channels, (1.0,) * channels
        from engine.data.registry import DATASETS

        fallback = DATASETS["cifar10" if channels == 3 else "mnist"]
        return tuple(fallback.mean), tuple(fallback.std)

    @property
    def training(self) -> bool:
        return self._training

    def set_training(self, running: bool) -> None:
        if running != self._training:
            self._training = running
            self.inspection.training_changed(running)
            self.trainingChanged.emit(running)

    @property
    def engine_ready(self) -> bool:
        return self._engine_ready

    def mark_engine_ready(self) -> None:
        if not self._engine_ready:
            self._engine_ready = True
            self.engineReady.emit()
