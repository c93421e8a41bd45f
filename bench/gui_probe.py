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

SCHEDSTAT = Path("/proc/thread-self/schedstat")  # Linux: ns on a CPU, ns waiting for one, slices


def _sched() -> tuple[float, float]:
    """(s on a CPU, s runnable but waiting for a core) of the calling thread; zeros elsewhere."""
    try:
        run, wait, _slices = SCHEDSTAT.read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(run) / 1e9, int(wait) / 1e9


class FrameProbe:
    """Ticks of a 16 ms timer in the GUI thread: wall times, the GUI thread's CPU time, and (Linux)
    its scheduler times, which split each gap into running, waiting for a core (other processes'
    load) and blocked (the GIL, a lock, a sleep)."""

    def __init__(self, interval_ms: int = 16):
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[float] = []
        self.cpu: list[float] = []
        self.sched: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.interval = interval_ms / 1000
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())
        self.sched.append(_sched())

    def reset(self) -> None:
        self.ticks.clear()
        self.cpu.clear()
        self.sched.clear()

    def gap_causes(self, end: float, longer_than: float = 0.020) -> dict:
        """The gaps longer than ``longer_than`` s ending by ``end``: how many, their total ms, and that
        total split into the timer's own interval, the GUI thread running, waiting for a core (other
        threads' and processes' load) and the rest: blocked (the GIL, a lock, a slow system call)."""
        total = run = wait = 0.0
        count = 0
        for i in range(1, len(self.ticks)):
            gap = self.ticks[i] - self.ticks[i - 1]
            if self.ticks[i] > end or gap <= longer_than:
                continue
            count += 1
            total += gap
            run += self.sched[i][0] - self.sched[i - 1][0]
            wait += self.sched[i][1] - self.sched[i - 1][1]
        timer = count * self.interval
        return {"gaps": count, "ms": round(total * 1000), "timer_ms": round(timer * 1000),
                "running_ms": round(run * 1000), "waiting_for_core_ms": round(wait * 1000),
                "blocked_ms": round(max(0.0, total - timer - run - wait) * 1000)}

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


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; NaN when there are none."""
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))]


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
