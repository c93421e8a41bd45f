"""The model's confident mistakes on a test split, found with the engine's ``evaluate``.

``find_mistakes`` is a pure function for ``gui.tasks.TaskRunner``: it evaluates the split in
chunks (reporting progress and checking for cancellation between them) and returns the indices
of wrong predictions, most confident first (ties by index). ``MistakeFinder`` runs it for the
draw panel's "Next mistake" button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Slot
from PySide6.QtWidgets import QPushButton

from gui.i18n import translate
from gui.tasks import TaskCancelled, TaskRunner, error_message
from gui.viewers.base import NO_MODEL_HINT

__all__ = ["CHUNK", "FINDING_TEXT", "MISTAKE_TEXT", "MistakeFinder", "find_mistakes", "find_mistakes_in_background"]

MISTAKE_TEXT = QT_TRANSLATE_NOOP("MistakeFinder", "Next mistake")  # shown through translate("MistakeFinder", …)
FINDING_TEXT = QT_TRANSLATE_NOOP("MistakeFinder", "Finding mistakes…")

CHUNK = 500  # images per evaluate call (progress and cancellation between chunks)


def find_mistakes(model: Any, images: Any, labels: Any, mean: Sequence[float], std: Sequence[float],
                  num_classes: int, *, progress: Callable[[float], None] = lambda _f: None,
                  cancelled: Callable[[], bool] = lambda: False) -> list[int]:
    """Indices of the wrongly predicted ``images`` (uint8 ``(N, C, H, W)`` tensors), most
    confident first. Raises ``TaskCancelled`` when ``cancelled()`` turns True."""
    from engine.training.evaluate import evaluate

    channels = int(images.shape[1]) if len(images) else len(mean)
    mean, std = tuple(mean)[:channels], tuple(std)[:channels]
    wrong: list[tuple[float, int]] = []
    total = len(labels)
    progress(0.0)
    for start in range(0, total, CHUNK):
        if cancelled():
            raise TaskCancelled
        stop = min(total, start + CHUNK)
        result = evaluate(model, images[start:stop], labels[start:stop], mean, std, num_classes,
                          batch_size=CHUNK, top_mistakes=stop - start)
        wrong.extend((m.confidence, start + m.index) for m in result.mistakes)
        progress(stop / total)
    wrong.sort(key=lambda t: (-t[0], t[1]))
    return [index for _, index in wrong]


def find_mistakes_in_background(*args: Any, progress: Callable[[float], None],
                                cancelled: Callable[[], bool]) -> list[int]:
    """``find_mistakes`` for a worker thread: one torch thread there, so training keeps its cores."""
    import torch

    torch.set_num_threads(1)  # per thread: the GUI's and the trainer's settings stay as they are
    return find_mistakes(*args, progress=progress, cancelled=cancelled)


class MistakeFinder(QObject):
    """The draw panel's "Next mistake": the current weights' mistakes, searched on a worker
    thread the first time (``button`` disabled and saying "Finding mistakes…", progress through
    ``status``), then stepped through, most confident first.

    ``arguments(copy)`` gives ``find_mistakes``'s arguments after the first two callbacks (None
    without samples); ``show(index, position, count)`` shows one mistake; ``status(text)`` says
    how it goes.
    """

    def __init__(self, inspection: Any, button: QPushButton, arguments: Callable[[bool], tuple | None],
                 show: Callable[[int, int, int], None], status: Callable[[str], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._inspection, self._button = inspection, button
        self._arguments, self._show, self._status = arguments, show, status
        self._found: list[int] | None = None
        self._version = -1  # of the inspection model the cached mistakes belong to
        self._search_version = -1
        self._cursor = -1
        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda f: self._status(f"{self.tr(FINDING_TEXT)} {100 * f:.0f}%"))
        self.runner.finished.connect(self._found_all)
        self.runner.failed.connect(
            lambda message: self._status(self.tr("Cannot look for mistakes: {0}").format(message)))
        self.runner.running.connect(self._running)
        button.setText(self.tr(MISTAKE_TEXT))
        button.clicked.connect(self.next)

    def fresh(self) -> bool:
        return self._found is not None and self._version == self._inspection.version

    def forget(self) -> None:
        """Another dataset or network: the cached mistakes and any search are void."""
        self._found = None
        self.runner.cancel()

    def mistakes(self) -> list[int]:
        """The mistakes for the current weights, searched here and now when not cached (blocking)."""
        if not self._inspection.trained:
            return []
        if not self.fresh():
            from engine.inspect.activations import single_thread

            args = self._arguments(False)
            with single_thread():
                self._cache(find_mistakes(*args) if args is not None else [], self._inspection.version)
        return list(self._found)

    @Slot()
    def next(self) -> None:
        """Show the next mistake, searching in the background first when none are cached."""
        if not self._inspection.trained:
            self._status(translate("Viewer", NO_MODEL_HINT) + ".")
            return
        if self.fresh():
            self._step()
            return
        try:
            args = self._arguments(True)
        except Exception as exc:  # a model that cannot be copied for this spec
            self._status(self.tr("Cannot look for mistakes: {0}").format(error_message(exc)))
            return
        if args is None:
            self._status(self.tr("This dataset has no samples to look through."))
            return
        self._search_version = self._inspection.version
        self.runner.start(find_mistakes_in_background, *args)

    def _cache(self, found: list[int], version: int) -> None:
        self._found, self._version, self._cursor = list(found), version, -1

    def _step(self) -> None:
        if not self._found:
            self._status(self.tr("The model gets every test sample right."))
            return
        self._cursor = (self._cursor + 1) % len(self._found)
        self._show(self._found[self._cursor], self._cursor, len(self._found))

    @Slot(object)
    def _found_all(self, found: list[int]) -> None:
        self._cache(found, self._search_version)
        self._step()

    @Slot(bool)
    def _running(self, running: bool) -> None:
        self._button.setEnabled(not running)
        self._button.setText(self.tr(FINDING_TEXT if running else MISTAKE_TEXT))
