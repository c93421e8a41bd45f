"""The Why view's latency and its cost to training (seed000, the bundled MNIST sample, CPU).

1. stroke end → Grad-CAM (then saliency) repainted: the mouse release on the DrawPanel canvas →
   input → WhyViewer (wired as the main window wires it) → attribution on the GUI thread →
   heat map and colour bar painted. Strokes are real mouse events; the clock stops once the Why
   figure has been painted after its maps were updated.
2. the background methods (Integrated Gradients, occlusion, SmoothGrad): request → maps painted.
3. training images/s of a 1-thread run with no viewers, and with the draw panel and the Why view
   open, someone drawing a stroke every ~100 ms and new weights arriving (≤ 5 Hz). The no-viewer
   run goes first and last (the machine may be shared; their spread is the noise).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/why_bench.py [--epochs N] [-n N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import viewer_bench  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget  # noqa: E402

from engine.data.loading import load_dataset  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from gui.viewers.draw import DrawPanel  # noqa: E402
from gui.viewers.why import WhyViewer  # noqa: E402


class WhyAsMaps:
    """The Why view under the names ``viewer_bench.measure_strokes`` waits on (maps updated and painted)."""

    def __init__(self, why: WhyViewer):
        self.why, self.mapsUpdated, self.maps_view = why, why.heatUpdated, why.figure

    def flush(self) -> None:
        self.why.flush()


def measure_strokes(app, panel, why, n, rng):
    """stroke end → the Why view's maps computed and painted (and the draw panel's bars and preview)."""
    return viewer_bench.measure_strokes(app, panel, WhyAsMaps(why), n, rng)


def measure_background(app, why, n):
    """A request (new options) → the background maps painted."""
    times = []
    done: list[int] = []
    why.heatUpdated.connect(lambda: done.append(1))
    for _ in range(n):
        done.clear()
        t0 = time.perf_counter()
        why.request_refresh()
        why.flush()
        while not done and time.perf_counter() < t0 + 30:
            app.processEvents()
        why.figure.viewport().repaint()
        times.append(time.perf_counter() - t0)
    why.heatUpdated.disconnect()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    import torch

    torch.set_num_threads(1)  # the GUI thread's setting in the app
    rng = np.random.default_rng(0)
    spec = get_preset("seed000").spec
    data = load_dataset("mnist-sample")
    state = viewer_bench.trained_state(spec, data)

    window = QWidget()
    box = QHBoxLayout(window)
    panel, why = DrawPanel(state), WhyViewer(state)
    panel.set_dataset(data)
    panel.inputChanged.connect(why.set_input)  # as gui.viewers.insight wires them
    why.watch_canvas(panel.canvas)
    box.addWidget(panel, 2)
    box.addWidget(why, 3)
    window.resize(1300, 760)
    window.show()
    for _ in range(5):
        app.processEvents()

    for method in ("gradcam", "saliency"):
        why.set_method(method)
        measure_strokes(app, panel, why, 5, rng)
        times = measure_strokes(app, panel, why, args.n, rng)
        print(f"idle, stroke end → {method} repainted: {viewer_bench.summary(times)}")
    panel.show_sample(0)
    for method in ("ig", "occlusion", "smoothgrad"):
        why.set_method(method)
        measure_background(app, why, 2)
        print(f"idle, {method} (background) → repainted: {viewer_bench.summary(measure_background(app, why, 20))}")
    why.set_method("gradcam")

    speeds: dict[str, list[float]] = {"closed": [], "drawing": []}
    thread, reporter, _ = viewer_bench.train(spec, data, args.epochs)
    viewer_bench.finish(app, thread)
    speeds["closed"].append(reporter.finish.images_per_s)

    thread, reporter, _keep = viewer_bench.train(spec, data, args.epochs, state)  # Why open, someone drawing
    busy: list[float] = []
    while thread.is_alive():
        busy += measure_strokes(app, panel, why, 1, rng)
        app.processEvents()
        time.sleep(0.1)
    viewer_bench.finish(app, thread, state)
    speeds["drawing"].append(reporter.finish.images_per_s)
    print(f"training, stroke end → gradcam repainted: {viewer_bench.summary(busy)}")

    window.hide()
    app.processEvents()
    thread, reporter, _ = viewer_bench.train(spec, data, args.epochs)
    viewer_bench.finish(app, thread)
    speeds["closed"].append(reporter.finish.images_per_s)
    closed = float(np.mean(speeds["closed"]))
    spread = abs(speeds["closed"][0] - speeds["closed"][1]) / closed * 100
    print(f"training images/s ({args.epochs} epochs, 1 thread): closed {speeds['closed'][0]:.0f} and "
          f"{speeds['closed'][1]:.0f} (spread {spread:.1f}%)")
    value = speeds["drawing"][0]
    print(f"  Why view open, a stroke every ~100 ms: {value:.0f} ({value / closed:.1%} of closed)")


if __name__ == "__main__":
    main()
