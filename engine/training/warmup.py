"""The one slow first step of a run, done where a Stop need not wait for it.

The first optimizer a process builds imports ``torch._dynamo`` (about 0.9 s). ``wait_warm`` does
that in a helper thread, once per process, and returns as soon as it is done or ``stop`` is set,
so a stop during a run's cold start takes effect at once (the import finishes in the background).
"""

from __future__ import annotations

import threading

__all__ = ["is_warm", "start_warm_up", "wait_warm"]

_done = threading.Event()
_lock = threading.Lock()
_started = False


def _warm() -> None:
    try:
        import torch

        torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    finally:
        _done.set()  # a failure shows again, with its reason, when the run builds its optimizer


def start_warm_up() -> None:
    """Begin warming up in a daemon thread (once per process)."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_warm, name="convscope-warm-up", daemon=True).start()


def wait_warm(stop: threading.Event, poll_s: float = 0.01) -> bool:
    """Warm up (see the module docstring); False when ``stop`` was set first."""
    start_warm_up()
    while not _done.wait(poll_s):
        if stop.is_set():
            return False
    return True


def is_warm() -> bool:
    """Whether the warm-up has finished (it may not have started)."""
    return _done.is_set()
