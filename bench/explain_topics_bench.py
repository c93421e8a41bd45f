"""The explainer's topics: how long the panel takes to build, each concept page its first showing,
the errata's live checks, and a BatchNorm page update for one new drawing (seed003, untrained).

Offscreen Qt, one torch thread. Medians over ``-n`` repetitions (fresh panels for the first
showings). The machine may be shared: run it twice and look at the spread.

Run: .venv/bin/python bench/explain_topics_bench.py [-n N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def median_ms(times: list[float]) -> float:
    return float(np.median(times) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="repetitions (default 5)")
    args, _ = parser.parse_known_args()
    torch.set_num_threads(1)
    app = QApplication.instance() or QApplication([])
    from engine.model.presets import PRESETS
    from engine.teach.errata import run_checks
    from gui.explain.panel import ExplainPanel
    from gui.explain.topics import TOPICS
    from gui.state import AppState

    run_checks()  # torch's first use is not the checks' cost
    build, shows = [], {key: [] for key in TOPICS[1:]}
    for _ in range(args.n):
        start = time.perf_counter()
        panel = ExplainPanel()
        build.append(time.perf_counter() - start)
        panel.resize(1100, 800)
        panel.show()
        app.processEvents()
        for key in TOPICS[1:]:
            start = time.perf_counter()
            panel.show_topic(key)
            app.processEvents()
            shows[key].append(time.perf_counter() - start)
        panel.close()
        panel.deleteLater()
        app.processEvents()
    checks = []
    for _ in range(args.n):
        start = time.perf_counter()
        run_checks()
        checks.append(time.perf_counter() - start)

    class Draw(QObject):
        inputChanged = Signal(object)

    state, draw = AppState(PRESETS["seed003"].spec), Draw()
    images = [np.random.default_rng(0).random((1, 1, 28, 28)).astype(np.float32)]
    panel = ExplainPanel()
    panel.attach(state, lambda: images[-1], draw.inputChanged)
    panel.show_topic("batchnorm")
    updates = []
    for i in range(max(args.n, 5)):
        images.append(np.roll(images[0], i + 1, axis=-1))
        start = time.perf_counter()
        draw.inputChanged.emit(images[-1])
        app.processEvents()
        updates.append(time.perf_counter() - start)

    print(f"ExplainPanel() build: {median_ms(build):.1f} ms (median of {args.n})")
    for key, times in shows.items():
        print(f"first showing of {key:10s}: {median_ms(times):7.1f} ms")
    print(f"errata live checks ({len(run_checks())}): {median_ms(checks):.1f} ms")
    print(f"BatchNorm page, one new drawing (seed003): {median_ms(updates):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
