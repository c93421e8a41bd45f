"""Loading the engine (torch and the training modules) in the background, after the window shows."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal

__all__ = ["EngineLoader"]


class EngineLoader(QObject):
    """Imports torch and the engine's torch modules in a background Python thread.

    A Python thread rather than a QThread: nothing Qt runs in it, and an import that is still
    going when the app quits cannot trip "QThread: Destroyed while thread is still running".

    ``ready`` is emitted in the GUI thread (a queued signal) with the device's (string, name),
    or ``failed`` with the reason. The builder needs none of it; training waits for it.
    """

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.seconds = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="convscope-engine-import", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            # torchvision (≈ 2 s more) is only needed to download datasets; engine.data.loading imports
            # it then, in the worker thread.
            import torch  # noqa: F401

            import engine.data.loading  # noqa: F401
            import engine.data.transforms  # noqa: F401
            import engine.io.checkpoint  # noqa: F401
            import engine.training.session  # noqa: F401
            from engine.training.devices import describe_device

            device = describe_device("auto")
        except Exception as exc:  # noqa: BLE001 - shown in the status bar; the builder still works
            self.seconds = time.perf_counter() - started
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.seconds = time.perf_counter() - started
        self.ready.emit(device)
