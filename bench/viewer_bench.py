"""Viewer latency and its cost to training.

1. idle: input change → feature maps recomputed and repainted (FeatureMapViewer + KernelViewer
   visible), p95 over 200 inputs (real MNIST test digits), seed000.
2. the same while a TrainingSession (1 thread) runs in a thread and sends weight snapshots
   (queued signal → AppState.set_weights; both viewers reload at most 5 Hz).
3. training images/s with the viewers refreshing (inputs at ~30 Hz) against without viewers.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/viewer_bench.py [--epochs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QObject, Qt, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget  # noqa: E402

from engine.data import load_dataset, normalize  # noqa: E402
from engine.events import NullReporter, TrainConfig  # noqa: E402
from engine.presets import get_preset  # noqa: E402
from engine.train import TrainingSession  # noqa: E402
from gui.feature_maps import FeatureMapViewer  # noqa: E402
from gui.kernel_viewer import KernelViewer  # noqa: E402
from gui.state import AppState  # noqa: E402


class Bridge(QObject):
    snapshot = Signal(object)


class Reporter(NullReporter):
    def __init__(self, bridge: Bridge):
        self.bridge = bridge
        self.finish = None

    def on_snapshot(self, snapshot):
        self.bridge.snapshot.emit(snapshot)

    def on_finish(self, info):
        self.finish = info


def pct(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def measure(app, viewer, inputs, n=200):
    times = []
    for i in range(n):
        x = inputs[i % len(inputs)]
        t0 = time.perf_counter()
        viewer.set_input(x)
        viewer.flush()
        viewer.maps_view.viewport().repaint()  # paint synchronously, as the screen would
        app.processEvents()
        times.append(time.perf_counter() - t0)
    return times


def train(spec, data, epochs, state=None, busy=None):
    bridge = Bridge()
    if state is not None:
        def on_snapshot(snap):
            state.set_weights(snap.state)
            if snap.keep:
                state.add_keyframe(snap)
        bridge.snapshot.connect(on_snapshot, Qt.ConnectionType.QueuedConnection)
    reporter = Reporter(bridge)
    session = TrainingSession(spec, data, TrainConfig(epochs=epochs, threads=1, batch_size=64,
                                                      snapshot_interval_s=0.5))
    thread = threading.Thread(target=session.run, args=(reporter,), daemon=True)
    thread.start()
    return thread, reporter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    spec = get_preset("seed000").spec
    data = load_dataset("mnist-sample")
    inputs = list(normalize(data.test.images[:50], data.info).numpy())

    state = AppState(spec)
    window = QWidget()
    box = QHBoxLayout(window)
    fmv, kv = FeatureMapViewer(state), KernelViewer(state)
    box.addWidget(fmv, 3)
    box.addWidget(kv, 2)
    window.resize(1400, 800)
    window.show()
    for _ in range(5):
        app.processEvents()
    measure(app, fmv, inputs, 20)  # warm up
    idle = measure(app, fmv, inputs, args.n)
    print(f"idle: input → maps repainted (seed000, conv1 32×28×28): p50 {pct(idle, 50):.2f} ms, "
          f"p95 {pct(idle, 95):.2f} ms, max {pct(idle, 100):.2f} ms over {args.n}")

    thread, reporter = train(spec, data, args.epochs, state)
    busy = []
    while thread.is_alive() and len(busy) < args.n:
        busy += measure(app, fmv, inputs, 1)
        app.processEvents()
        time.sleep(0.01)
    print(f"training: input → maps repainted: p50 {pct(busy, 50):.2f} ms, p95 {pct(busy, 95):.2f} ms, "
          f"max {pct(busy, 100):.2f} ms over {len(busy)}")
    # keep the viewers refreshing (~30 Hz inputs, weights at ≤ 5 Hz) until the run ends
    while thread.is_alive():
        measure(app, fmv, inputs, 1)
        app.processEvents()
        time.sleep(0.033)
    thread.join()
    app.processEvents()
    with_viewers = reporter.finish.images_per_s
    print(f"  keyframes received: {len(state.keyframes)}; kernel viewer frames: {kv.keyframe_count()}")

    window.close()
    thread, reporter = train(spec, data, args.epochs)
    while thread.is_alive():
        app.processEvents()
        time.sleep(0.033)
    thread.join()
    without = reporter.finish.images_per_s
    print(f"training images/s ({args.epochs} epochs, 1 thread): with viewers {with_viewers:.0f}, "
          f"without {without:.0f} ({(with_viewers / without - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
