#!/usr/bin/env python3
"""GUI-thread CPU time of the live training plots, per redraw, as a run grows.

Feeds a shown ``TrainingPlots`` (1000×800) the batches of a long run in chunks of ``--chunk``, as
the training controller does at 30 Hz, with an epoch (per-class bars, confusion matrix) every
``--per-epoch`` batches; after each chunk it redraws every stale plot and paints. Prints the
thread CPU time (less sensitive to other processes' load than wall time) per frame, at a few run
lengths, and the worst frame. ``--root`` runs another checkout's plots (e.g. main's) for a
before/after comparison::

    .venv/bin/python bench/plot_draw_bench.py [--batches 100000] [--root /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=20, help="batches per 30 Hz hand-over")
    parser.add_argument("--per-epoch", type=int, default=938, help="batches per epoch (Fashion-MNIST, 64)")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    args = parser.parse_args()
    sys.path.insert(0, args.root)
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from gui.training.plots import TrainingPlots
    from gui.widgets import theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    theme.install(app)
    plots = TrainingPlots()
    plots.resize(1000, 800)
    plots.show()
    plots.ensure_built()
    epochs = max(1, args.batches // args.per_epoch)
    plots.begin_run(epochs)
    rng = np.random.default_rng(0)
    frames: list[tuple[int, float]] = []
    started = time.perf_counter()
    for start in range(0, args.batches, args.chunk):
        x = np.arange(start, start + args.chunk) / args.per_epoch
        loss = 2.0 * np.exp(-x) + 0.1 * rng.random(args.chunk)
        chunk = SimpleNamespace(x=x, loss=loss, accuracy=1 - loss / 3, lr=np.full(args.chunk, 1e-3))
        cpu = time.thread_time()
        plots.add_batches(chunk)
        epoch = (start + args.chunk) // args.per_epoch
        if epoch > plots.epoch_count:
            plots.add_epoch(SimpleNamespace(
                epoch=epoch, step=start + args.chunk, train_loss=float(loss.mean()), train_accuracy=0.9,
                test_loss=float(loss.mean()), test_accuracy=0.9, lr=1e-3,
                per_class_accuracy=rng.random(10), confusion=rng.integers(0, 100, (10, 10))))
        plots.redraw()
        app.processEvents()
        frames.append((start + args.chunk, time.thread_time() - cpu))
    wall = time.perf_counter() - started
    print(f"plots from {args.root}: {args.batches:,} batches in chunks of {args.chunk}, "
          f"{epochs} epochs, {len(frames)} frames in {wall:.1f} s wall")
    for upto in (1_000, 10_000, 50_000, args.batches):
        window = [cpu for n, cpu in frames if upto - 2_000 < n <= upto]
        if window:
            print(f"  around batch {upto:>7,}: {1000 * sum(window) / len(window):6.2f} ms CPU a frame")
    worst = max(frames, key=lambda f: f[1])
    print(f"  worst frame: {1000 * worst[1]:.1f} ms CPU (at batch {worst[0]:,}); "
          f"mean {1000 * sum(c for _, c in frames) / len(frames):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
