"""The feature-space projector's speed: PCA of 10,000 test images' penultimate features (target
≤ 1 s), their t-SNE (target ≤ 30 s on 2 cores), and the GUI thread's frame gaps while t-SNE runs.

Features are seed000's (3,136 per image) for MNIST's test split when ``--data-dir`` has it,
else for the bundled sample's images repeated to 10,000. Feature extraction is timed apart. The
frame-gap part ticks a 16 ms QTimer in an offscreen Qt app, first idle, then while the projector's
TaskRunner runs t-SNE, and prints the largest and the 99th-percentile gap of each.

    .venv/bin/python bench/projector_bench.py [--points 10000] [--data-dir DIR] [--no-gui]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.inspect.projection import features, fit_pca, tsne  # noqa: E402
from engine.model.build import build_model  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402


def test_images(points: int, data_dir: str | None) -> tuple[torch.Tensor, object]:
    try:
        data = load_dataset("mnist", data_dir or "/work/shared/data/mnist")
        images = data.test.images
    except Exception:  # noqa: BLE001 - the bundled sample always works
        data = load_dataset("mnist-sample")
        images = data.test.images
    repeats = -(-points // len(images))
    return images.repeat(repeats, 1, 1, 1)[:points], data.info


def frame_gaps(seconds: float, work=None) -> np.ndarray:
    """Gaps (ms) between 16 ms timer ticks for ``seconds``, or until ``work`` (a TaskRunner run) ends."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    loop = QEventLoop()

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now
        if work is None and now > seconds * 1e9:
            loop.quit()

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(tick)
    timer.start()
    if work is not None:
        work.running.connect(lambda busy: None if busy else loop.quit())
    loop.exec()
    timer.stop()
    return np.array(gaps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--data-dir")
    parser.add_argument("--no-gui", action="store_true", help="skip the frame-gap measurement")
    args = parser.parse_args()
    images, info = test_images(args.points, args.data_dir)
    torch.manual_seed(0)
    model = build_model(PRESETS["seed000"].spec)
    started = time.perf_counter()
    found = features(model, images, info.mean, info.std)
    print(f"features: {found.shape[0]:,} × {found.shape[1]:,} in {time.perf_counter() - started:.2f} s "
          f"({torch.get_num_threads()} threads)")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        fit_pca(found).project(found)
        times.append(time.perf_counter() - started)
    print(f"PCA to 2-D: median {sorted(times)[1]:.2f} s of 3 (target ≤ 1 s)")
    started = time.perf_counter()
    tsne(found)
    print(f"t-SNE: {time.perf_counter() - started:.1f} s (target ≤ 30 s on 2 cores)")
    if args.no_gui:
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.tasks import TaskRunner
    from gui.viewers.projector_compute import Projection, run_tsne

    app = QApplication.instance() or QApplication([])
    idle = frame_gaps(3.0)
    runner = TaskRunner()
    projection = Projection(found, np.zeros(len(found), int), np.zeros((len(found), 2)), "pca", None, None)
    runner.start(run_tsne, projection)
    busy = frame_gaps(0, runner)
    for title, gaps in (("idle", idle), ("during t-SNE", busy)):
        print(f"frame gaps {title}: max {gaps.max():.0f} ms, 99th percentile {np.percentile(gaps, 99):.0f} ms "
              f"({len(gaps)} ticks of 16 ms)")
    app.processEvents()


if __name__ == "__main__":
    main()
