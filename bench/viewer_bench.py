"""Viewer latency and its cost to training (seed000, the bundled MNIST sample, CPU).

Latency, idle and while a TrainingSession (1 thread) runs in a thread and sends weight
snapshots (queued signal → AppState.set_weights, AppState.training True, as the training panel
does; every viewer reloads at most 5 Hz):

1. input → maps: FeatureMapViewer.set_input → forward with hooks → mosaic repainted
   (FeatureMapViewer + KernelViewer visible), over real MNIST test digits.
2. stroke end → everything: the mouse release on the DrawPanel canvas → preprocessing →
   prediction bars and 28×28 preview → inputChanged → every feature map recomputed → draw panel
   and maps repainted (wired as the main window wires them). Strokes are real mouse events.

Training cost: images/s of a 1-thread run with no viewers, with the viewers open and watching
(weights only, nobody drawing), and with someone drawing a stroke every ~100 ms. The no-viewer
run goes first and last (the machine may be shared; their spread is the noise).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/viewer_bench.py [--epochs N] [-n N]
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
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget  # noqa: E402

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.transforms import normalize  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession, state_to_numpy  # noqa: E402
from gui.state import AppState  # noqa: E402
from gui.viewers.draw import DrawPanel  # noqa: E402
from gui.viewers.feature_maps import FeatureMapViewer  # noqa: E402
from gui.viewers.kernels import KernelViewer  # noqa: E402

LEFT = Qt.MouseButton.LeftButton


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


def summary(values) -> str:
    return (f"p50 {pct(values, 50):.2f} ms, p95 {pct(values, 95):.2f} ms, max {pct(values, 100):.2f} ms "
            f"over {len(values)}")


def measure_input(app, viewer, inputs, n):
    """input → feature maps recomputed and the mosaic repainted."""
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


# strokes as fractions of the sheet: a "1", a "7" (two strokes, the second timed) and a "0"
def _line(a, b, steps=10):
    return [(a[0] + (b[0] - a[0]) * t / steps, a[1] + (b[1] - a[1]) * t / steps) for t in range(steps + 1)]


def _ring(n=20):
    return [(0.5 + 0.22 * np.sin(2 * np.pi * k / n), 0.5 - 0.32 * np.cos(2 * np.pi * k / n)) for k in range(n + 1)]


DIGITS = [
    [_line((0.5, 0.15), (0.5, 0.85))],
    [_line((0.25, 0.2), (0.75, 0.2)), _line((0.75, 0.2), (0.42, 0.85))],
    [_ring()],
]


def _point(panel, u, v, jitter):
    r = panel.canvas.paper_rect()
    return QPoint(round(r.x() + (u + jitter[0]) * r.width()), round(r.y() + (v + jitter[1]) * r.height()))


class PaintWatch(QObject):
    """Counts paint events of the widgets it watches."""

    def __init__(self, *widgets):
        super().__init__()
        self.counts = dict.fromkeys(widgets, 0)
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and obj in self.counts:
            self.counts[obj] += 1
        return False

    def all_painted_since(self, before) -> bool:
        return all(self.counts[w] > before[w] for w in self.counts)


def measure_strokes(app, panel, fmv, n, rng, predictions=None):
    """stroke end (mouse release) → prediction bars, preview and every feature map computed and
    painted: the clock stops once the bars, the preview and the maps have each been painted
    after the release, by Qt's own update requests (nothing painted twice)."""
    canvas = panel.canvas
    watch = PaintWatch(panel.bars, panel.preview, fmv.maps_view.viewport())
    updates = []
    fmv.mapsUpdated.connect(lambda: updates.append(1))
    times = []
    for i in range(n):
        panel.clear()
        app.processEvents()
        jitter = rng.uniform(-0.05, 0.05, 2)
        strokes = DIGITS[i % len(DIGITS)]
        for s, points in enumerate(strokes):
            QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, _point(panel, *points[0], jitter))
            for u, v in points[1:]:
                QTest.mouseMove(canvas, _point(panel, u, v, jitter))
            last = _point(panel, *points[-1], jitter)
            if s < len(strokes) - 1:
                QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, last)
                app.processEvents()
                continue
            fmv.flush()  # a pending weight load is not the stroke's cost
            app.processEvents()
            updates.clear()
            before = dict(watch.counts)
            t0 = time.perf_counter()
            QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, last)
            deadline = t0 + 2.0
            while not (updates and watch.all_painted_since(before)) and time.perf_counter() < deadline:
                app.processEvents()
            times.append(time.perf_counter() - t0)
            assert updates and watch.all_painted_since(before), "the stroke's results were not painted"
            if predictions is not None:
                predictions.append(panel.predicted_class())
    fmv.mapsUpdated.disconnect()
    for w in watch.counts:
        w.removeEventFilter(watch)
    return times


def trained_state(spec, data) -> AppState:
    """An AppState holding ``spec`` after 2 epochs on ``data``, so the idle numbers see real predictions."""
    session = TrainingSession(spec, data, TrainConfig(epochs=2, batch_size=64, seed=0, snapshot_interval_s=0))
    session.run()
    state = AppState(spec)
    state.set_dataset_info(data.info)
    state.set_weights(state_to_numpy(session.model))
    return state


def train(spec, data, epochs, state=None):
    bridge = Bridge()
    if state is not None:
        def on_snapshot(snap):
            if snap.keep:
                state.add_keyframe(snap)
            state.set_weights(snap.state)
        bridge.snapshot.connect(on_snapshot, Qt.ConnectionType.QueuedConnection)
        state.set_training(True)
    reporter = Reporter(bridge)
    session = TrainingSession(spec, data, TrainConfig(epochs=epochs, threads=1, batch_size=64,
                                                      snapshot_interval_s=0.5, seed=1))
    thread = threading.Thread(target=session.run, args=(reporter,), daemon=True)
    thread.start()
    return thread, reporter, bridge


def finish(app, thread, state=None):
    while thread.is_alive():
        app.processEvents()
        time.sleep(0.02)
    thread.join()
    app.processEvents()
    if state is not None:
        state.set_training(False)
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    rng = np.random.default_rng(0)
    spec = get_preset("seed000").spec
    data = load_dataset("mnist-sample")
    inputs = list(normalize(data.test.images[:50], data.info).numpy())

    state = trained_state(spec, data)

    window = QWidget()
    box = QHBoxLayout(window)
    panel = DrawPanel(state)
    panel.set_dataset(data)
    fmv, kv = FeatureMapViewer(state), KernelViewer(state)
    panel.inputChanged.connect(fmv.set_input)  # as the main window wires them
    box.addWidget(panel, 2)
    box.addWidget(fmv, 3)
    box.addWidget(kv, 2)
    window.resize(1440, 820)
    window.show()
    for _ in range(5):
        app.processEvents()

    measure_input(app, fmv, inputs, 20)  # warm up
    idle = measure_input(app, fmv, inputs, args.n)
    print(f"idle, input → maps repainted (conv1 32×28×28 shown): {summary(idle)}")
    measure_strokes(app, panel, fmv, 10, rng)
    said = []
    idle_strokes = measure_strokes(app, panel, fmv, args.n, rng, said)
    expected = [("1", "7", "0")[i % 3] for i in range(len(said))]
    right = sum(a == b for a, b in zip(said, expected))
    print(f"idle, stroke end → bars, preview and all maps repainted: {summary(idle_strokes)}; "
          f"digits read right {right}/{len(said)}")

    speeds: dict[str, list[float]] = {"closed": [], "watching": [], "drawing": []}

    thread, reporter, _ = train(spec, data, args.epochs)  # no viewers connected
    finish(app, thread)
    speeds["closed"].append(reporter.finish.images_per_s)

    thread, reporter, _keep = train(spec, data, args.epochs, state)  # open, weights only
    finish(app, thread, state)
    speeds["watching"].append(reporter.finish.images_per_s)
    print(f"  watching: keyframes received {len(state.keyframes)}, kernel viewer frames {kv.keyframe_count()}")

    thread, reporter, _keep = train(spec, data, args.epochs, state)  # open, someone drawing
    busy_strokes: list[float] = []
    busy_inputs: list[float] = []
    while thread.is_alive():
        busy_strokes += measure_strokes(app, panel, fmv, 1, rng)
        busy_inputs += measure_input(app, fmv, inputs, 1)
        app.processEvents()
        time.sleep(0.05)
    finish(app, thread, state)
    speeds["drawing"].append(reporter.finish.images_per_s)
    print(f"training, stroke end → bars, preview and all maps repainted: {summary(busy_strokes)}")
    print(f"training, input → maps repainted: {summary(busy_inputs)}")

    window.hide()
    app.processEvents()
    thread, reporter, _ = train(spec, data, args.epochs)
    finish(app, thread)
    speeds["closed"].append(reporter.finish.images_per_s)

    closed = float(np.mean(speeds["closed"]))
    spread = abs(speeds["closed"][0] - speeds["closed"][1]) / closed * 100
    print(f"training images/s ({args.epochs} epochs, 1 thread): closed {speeds['closed'][0]:.0f} and "
          f"{speeds['closed'][1]:.0f} (spread {spread:.1f}%)")
    for key in ("watching", "drawing"):
        value = speeds[key][0]
        print(f"  viewers open, {key}: {value:.0f} ({(value / closed - 1) * 100:+.1f}% against closed)")


if __name__ == "__main__":
    main()
