"""Cyclic garbage collection in the GUI thread only.

Python's cyclic collector runs in whichever thread allocates when a threshold is crossed: the
training worker, the warm-up import, a task-runner job. When the garbage it finds holds Qt objects
(a closed dialog, a replaced plot, a widget of a finished test), their C++ destructors then run in
that thread while the GUI thread may be painting them. Qt forbids that; here it crashed the test
suite (a segfault in pyqtgraph's ``GraphicsView.paintEvent``) and deadlocked it once (a QObject
destructor waiting for the GIL inside a collection started by the warm-up import).

So automatic collection is switched off and the GUI thread collects on a timer, generation by
generation, when Python's own thresholds say a collection is due (the rule of pyqtgraph's
``GarbageCollector``). Full collections are spaced at least ``FULL_EVERY_S`` apart, as Python's own
rule spaces them by the size of the old generation; ``gc.freeze()`` after start-up keeps them short.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts (a check costs about a microsecond).
CHECK_EVERY_MS = 200
#: The least time between two full (generation 2) collections.
FULL_EVERY_S = 5.0


class GuiThreadCollector:
    """Collects what Python's thresholds say is due, in the thread that calls ``collect_due``."""

    def __init__(self, thresholds: tuple[int, int, int] | None = None) -> None:
        t0, t1, t2 = thresholds or gc.get_threshold()
        self.thresholds = (max(1, t0), max(1, t1), max(1, t2))
        self._last_full = time.monotonic()
        self.collections = [0, 0, 0]

    def collect_due(self) -> int | None:
        """Collect the oldest generation that is due; its number, or None when none was."""
        count0, count1, count2 = gc.get_count()
        t0, t1, t2 = self.thresholds
        if count0 <= t0:
            return None
        generation = 0
        if count1 > t1:
            generation = 1
            if count2 > t2 and time.monotonic() - self._last_full >= FULL_EVERY_S:
                generation = 2
        gc.collect(generation)
        if generation == 2:
            self._last_full = time.monotonic()
        self.collections[generation] += 1
        return generation


class GuiGarbageCollector(QObject):
    """Turns automatic collection off and collects from a timer of the GUI thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int | None = None) -> None:
        super().__init__(parent)
        self.collector = GuiThreadCollector()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS if interval_ms is None else interval_ms)
        self.timer.timeout.connect(self.collector.collect_due)
        self.timer.start()


def install(app: QObject) -> GuiGarbageCollector:
    """The app's collector (made once, owned by ``app``; call it from the GUI thread)."""
    existing = app.findChild(GuiGarbageCollector)
    return existing if existing is not None else GuiGarbageCollector(app)
