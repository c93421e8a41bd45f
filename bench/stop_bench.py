#!/usr/bin/env python3
"""Latency benchmarks that were wall-clock limits in tests (they flake on a busy machine).

1. loading the bundled MNIST sample: target < 0.3 s (the test only checks the data).
2. Stop in the training panel mid-run until the worker thread has ended: target < 3 s.
3. closing the main window mid-run until the worker thread has ended: target < 2 s.

Run it on a quiet machine: ``.venv/bin/python bench/stop_bench.py`` (add ``--json`` for one
JSON object). Qt uses the offscreen platform unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TINY = {
    "name": "tiny",
    "input": [1, 28, 28],
    "num_classes": 10,
    "layers": [
        {"type": "conv2d", "out_channels": 4, "kernel_size": 3},
        {"type": "relu"},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "flatten"},
        {"type": "linear", "out_features": 10},
    ],
}


def sample_load_seconds(repeats: int) -> list[float]:
    from engine.data.loading import load_dataset

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        load_dataset("mnist-sample")
        times.append(time.perf_counter() - started)
    return times


def _wait(app, condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the run did not reach the expected state")
        app.processEvents()
        time.sleep(0.002)


def _running_window(app, tmp: Path):
    """A shown MainWindow training the tiny network for many epochs, a few batches in."""
    from PySide6.QtCore import QSettings

    from engine.model.spec import NetworkSpec
    from engine.training.devices import describe_device
    from gui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat))
    window.ask_to_save = False
    window.show()
    window.engine_loaded(describe_device("cpu"))
    window.state.set_spec(NetworkSpec.from_dict(TINY))
    panel = window.training
    panel.select_dataset("mnist-sample")
    panel.epochs_spin.setValue(200)
    assert panel.start(), panel.start_blocker()
    _wait(app, lambda: window.plots.batch_count >= 3)
    return window


def stop_and_close_seconds(repeats: int) -> tuple[list[float], list[float]]:
    """Seconds from Stop (and from closing the window) until the worker thread has ended."""
    from PySide6.QtWidgets import QApplication

    from gui.widgets import theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    theme.install(app)
    stops, closes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            window = _running_window(app, Path(tmp))
            panel = window.training
            started = time.perf_counter()
            panel.stop_action.trigger()
            _wait(app, lambda panel=panel: not panel.controller.running)
            stops.append(time.perf_counter() - started)
            window.close()
            app.processEvents()

            window = _running_window(app, Path(tmp))
            thread = window.training.controller.thread
            started = time.perf_counter()
            window.close()
            _wait(app, thread.isFinished)
            closes.append(time.perf_counter() - started)
            app.processEvents()
    return stops, closes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    loads = sample_load_seconds(args.repeats)
    stops, closes = stop_and_close_seconds(args.repeats)
    out = {
        "sample_load_s": [round(t, 3) for t in loads],
        "stop_s": [round(t, 3) for t in stops],
        "close_s": [round(t, 3) for t in closes],
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"load the MNIST sample: median {statistics.median(loads):.3f} s (target < 0.3 s)")
        print(f"Stop mid-run until the thread ends: median {statistics.median(stops):.3f} s, "
              f"max {max(stops):.3f} s (target < 3 s)")
        print(f"close the window mid-run until the thread ends: median {statistics.median(closes):.3f} s, "
              f"max {max(closes):.3f} s (target < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
