"""What the GUI thread does while training: a 16 ms probe timer and a stack sampler.

``FrameProbe`` records the ticks of a 16 ms PreciseTimer in the GUI thread and the thread's CPU time
(busy time per second of wall time; CPU time is less sensitive to other processes' load than wall
time). ``StackSampler`` samples the GUI thread's Python stack from a helper thread every ``interval``
seconds, with the GUI thread's CPU clock, so each long gap can be explained: the functions seen in
it (inclusive) and how much of the gap the GUI thread was on a CPU (the rest: waiting for the GIL
or for a core).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from pathlib import Path


class FrameProbe:
    """Ticks of a 16 ms timer in the GUI thread: wall times and the GUI thread's CPU time."""

    def __init__(self, interval_ms: int = 16):
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[float] = []
        self.cpu: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())

    def reset(self) -> None:
        self.ticks.clear()
        self.cpu.clear()

    def gaps(self, end: float) -> list[tuple[float, float]]:
        """(gap in s, tick time) of every gap ending by ``end``."""
        return [(b - a, b) for a, b in zip(self.ticks, self.ticks[1:]) if b <= end]

    def busy_per_s(self, end: float) -> float:
        """GUI-thread CPU seconds per wall second over the ticks up to ``end``."""
        kept = [i for i, t in enumerate(self.ticks) if t <= end]
        if len(kept) < 2:
            return float("nan")
        first, last = kept[0], kept[-1]
        return (self.cpu[last] - self.cpu[first]) / max(1e-9, self.ticks[last] - self.ticks[first])


ROOT = str(Path(__file__).resolve().parents[1]) + "/"


def _label(frame) -> str:
    """``file:function``, the file relative to the repository or site-packages."""
    code = frame.f_code
    name = code.co_filename.removeprefix(ROOT).rsplit("/site-packages/", 1)[-1]
    return f"{name}:{code.co_name}"


class StackSampler(threading.Thread):
    """Samples a thread's stack (innermost 40 frames) and CPU clock every ``interval`` s (default:
    the GUI thread)."""

    def __init__(self, interval: float = 0.002, target: int | None = None):
        super().__init__(daemon=True, name="gui-stack-sampler")
        self.target = target or threading.main_thread().ident
        self.clock = time.pthread_getcpuclockid(self.target)
        self.interval = interval
        self.samples: list[tuple[float, float, tuple[str, ...]]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            frame = sys._current_frames().get(self.target)
            stack = []
            while frame is not None and len(stack) < 40:
                stack.append(_label(frame))
                frame = frame.f_back
            try:
                cpu = time.clock_gettime(self.clock)
            except OSError:  # the thread has ended
                return
            self.samples.append((time.perf_counter(), cpu, tuple(stack)))

    def stop(self) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(2)

    def explain(self, start: float, end: float, idle: str, top: int = 6) -> dict:
        """The GUI thread between ``start`` and ``end``: CPU share and the functions seen most
        (inclusive counts, the idle event loop — a stack whose innermost frame is ``idle`` — left out)."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            return {"samples": len(inside)}
        counts: Counter = Counter()
        busy = 0
        for _t, _cpu, stack in inside:
            if not stack or idle in stack[0]:
                continue
            busy += 1
            counts.update({name for name in stack if idle not in name and "<module>" not in name})
        cpu = (inside[-1][1] - inside[0][1]) / max(1e-9, inside[-1][0] - inside[0][0])
        return {"samples": len(inside), "python_busy": busy, "cpu_share": round(cpu, 2),
                "functions": [(name, n) for name, n in counts.most_common(top)]}
