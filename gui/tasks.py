"""Work for later and work elsewhere: a throttle for repeated requests and a background task runner.

``Throttle`` turns a burst of requests into at most one call per interval (the last request is
never lost). ``TaskRunner`` runs a pure function on a worker thread::

    runner.start(fn, *args)   # fn(*args, progress=..., cancelled=...) -> result

``progress(fraction)`` and ``cancelled()`` are handed to ``fn``; progress (clamped to 0..1 and
never going back), the result and errors come back as signals on the GUI thread. A new
``start`` cancels the task before it, whose result and progress are then dropped. An exception
in ``fn`` becomes ``failed(message)``: one line, never a traceback on screen. ``fn`` must not
touch widgets; it gets its inputs as arguments and returns its answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

__all__ = ["TaskCancelled", "TaskRunner", "Throttle", "error_message"]

log = logging.getLogger(__name__)


class Throttle(QObject):
    """Calls ``fn`` at most once per ``interval_ms``; requests in between coalesce into one call.

    ``leading=True``: a request long after the last call runs on the next event-loop turn;
    ``leading=False``: every call waits the full interval after the first request of a burst.
    """

    def __init__(self, fn: Callable[[], Any], interval_ms: int, parent: QObject | None = None,
                 leading: bool = True):
        super().__init__(parent)
        self._fn = fn
        self.interval_ms = int(interval_ms)
        self._leading = leading
        self._last = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def request(self) -> None:
        """Ask for a call; a call already waiting takes this request too."""
        if self._timer.isActive():
            return
        wait = self.interval_ms
        if self._leading:
            wait = max(0, int(self.interval_ms - 1000 * (time.perf_counter() - self._last)))
        self._timer.start(wait)

    def pending(self) -> bool:
        return self._timer.isActive()

    def cancel(self) -> None:
        self._timer.stop()

    def flush(self) -> None:
        """Make a waiting call now (tests, benchmarks, a view coming on screen)."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    @Slot()
    def _fire(self) -> None:
        self._last = time.perf_counter()
        self._fn()


class TaskCancelled(Exception):
    """``fn`` may raise this when ``cancelled()`` turns True; it ends the task quietly."""


def error_message(exc: BaseException) -> str:
    """One readable line for an exception (its text, else its type's name)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class _Relay(QObject):
    """Carries one task's signals from its worker thread to the runner (queued, GUI thread)."""

    progress = Signal(int, float)
    done = Signal(int, object)
    error = Signal(int, str)
    over = Signal(int)


class _Task(QRunnable):
    def __init__(self, ident: int, fn: Callable[..., Any], args: tuple, relay: _Relay, cancel: threading.Event):
        super().__init__()
        self.setAutoDelete(True)
        self._ident, self._fn, self._args, self._relay, self._cancel = ident, fn, args, relay, cancel

    def run(self) -> None:
        ident, relay = self._ident, self._relay
        try:
            result = self._fn(*self._args, progress=lambda f: relay.progress.emit(ident, float(f)),
                              cancelled=self._cancel.is_set)
        except TaskCancelled:
            pass
        except Exception as exc:  # the message goes to the GUI; the traceback only to the log
            log.debug("background task failed", exc_info=True)
            relay.error.emit(ident, error_message(exc))
        else:
            relay.done.emit(ident, result)
        finally:
            relay.over.emit(ident)


class TaskRunner(QObject):
    """Runs one function at a time on a worker thread; a new request cancels the previous one.

    Signals (GUI thread, for the current task only): ``started``, ``progress(float)`` (0..1,
    never decreasing), ``finished(object)`` (the result), ``failed(str)``, and ``running(bool)``
    when the runner gets busy or idle.
    """

    started = Signal()
    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)
    running = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # a cancelled task finishes before the next one starts
        self._current = 0
        self._cancel: threading.Event | None = None
        self._relays: dict[int, _Relay] = {}  # kept alive until their task is over
        self._progress = 0.0

    def start(self, fn: Callable[..., Any], *args: Any) -> int:
        """Run ``fn(*args, progress=, cancelled=)`` in the background; returns the task's number."""
        self.cancel()
        self._current += 1
        ident = self._current
        self._cancel = threading.Event()
        self._progress = 0.0
        relay = _Relay()
        relay.progress.connect(self._on_progress)
        relay.done.connect(self._on_done)
        relay.error.connect(self._on_error)
        relay.over.connect(self._on_over)
        self._relays[ident] = relay
        self.started.emit()
        self.running.emit(True)
        self._pool.start(_Task(ident, fn, args, relay, self._cancel))
        return ident

    def cancel(self) -> None:
        """Ask the current task to stop; whatever it still sends is dropped."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
            self._current += 1  # nothing from the old task is current any more
            self.running.emit(False)

    def is_running(self) -> bool:
        return self._cancel is not None

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the worker thread is idle (tests, closing)."""
        return self._pool.waitForDone(timeout_ms)

    @Slot(int, float)
    def _on_progress(self, ident: int, fraction: float) -> None:
        if ident != self._current:
            return
        fraction = min(1.0, max(self._progress, fraction))
        if fraction > self._progress or fraction == 0.0:
            self._progress = fraction
            self.progress.emit(fraction)

    def _end(self, ident: int) -> bool:
        """True when task ``ident`` is the current one, which has then ended (the runner is idle)."""
        if ident != self._current or self._cancel is None:
            return False
        self._cancel = None
        self.running.emit(False)
        return True

    @Slot(int, object)
    def _on_done(self, ident: int, result: Any) -> None:
        if self._end(ident):
            self.finished.emit(result)

    @Slot(int, str)
    def _on_error(self, ident: int, message: str) -> None:
        if self._end(ident):
            self.failed.emit(message)

    @Slot(int)
    def _on_over(self, ident: int) -> None:
        self._relays.pop(ident, None)
        self._end(ident)  # cancelled from inside (TaskCancelled): idle now
