"""Runs panel speed with 1,000 recorded runs (issue 11: opens in ≤ 0.5 s, filtering ≤ 50 ms,
overlaying 10 runs repaints in ≤ 50 ms).

One real run of a tiny network is recorded (``RunRecorder`` on the bundled MNIST sample, 3 epochs)
and copied to 1,000 run folders with their own ids, names and dates, in a temporary runs folder.
Then, offscreen:

1. open: a new ``RunsPanel`` given the folder until its table shows the 1,000 rows (listing off
   the GUI thread, then the table's first paint);
2. filter: typing a filter (the proxy refilters and the table repaints), several texts;
3. overlay: selecting 10 runs until the plots have repainted with their curves (cold: reading
   the 10 runs' metrics; warm: cached).

The machine may be shared: run it twice and look at the spread.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/runs_panel_bench.py [-n RUNS] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

TARGETS_MS = {"open": 500, "filter": 50, "overlay warm": 50}


def record_one(root: Path) -> Path:
    """A real recorded run: a tiny network, 3 epochs on the bundled sample."""
    from engine.data.loading import load_dataset
    from engine.io.run_manifest import dataset_files
    from engine.io.runs import RunRecorder
    from engine.model.spec import NetworkSpec
    from engine.training.events import TrainConfig
    from engine.training.session import TrainingSession

    spec = NetworkSpec.from_dict({"name": "tiny", "input": [1, 28, 28], "num_classes": 10, "layers": [
        {"type": "conv2d", "out_channels": 4, "kernel_size": 3}, {"type": "relu"},
        {"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]})
    data = load_dataset("mnist-sample")
    config = TrainConfig(epochs=3, batch_size=64, threads=1)
    session = TrainingSession(spec, data, config)
    recorder, reason = RunRecorder.open(root, spec=spec, config=config, dataset_name="mnist-sample",
                                        data_files=dataset_files(data), checkpoint=session.checkpoint, source="bench")
    assert recorder is not None, reason
    session.run(recorder)
    return recorder.path


def make_runs(root: Path, n: int) -> None:
    model = record_one(root / "_model")
    manifest = json.loads((model / "manifest.json").read_text())
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / f"2026{i % 12 + 1:02d}{i % 28 + 1:02d}-{i:06d}-run{i}"
        shutil.copytree(model, folder, ignore=shutil.ignore_patterns("writer.lock"))
        copy = dict(manifest, id=folder.name, name=f"run {i} {'adam' if i % 2 else 'sgd'} k{3 + 2 * (i % 3)}",
                    started=f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}T{i % 24:02d}:00:00",
                    final={**(manifest.get("final") or {}), "test_accuracy": float(rng.uniform(0.5, 0.99))})
        (folder / "manifest.json").write_text(json.dumps(copy))
    shutil.rmtree(root / "_model")


def ms(seconds: list[float]) -> tuple[float, float]:
    values = np.asarray(seconds) * 1000
    return float(np.median(values)), float(np.percentile(values, 95))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="runs in the folder (default 1000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from gui.runs.panel import RunsPanel
    from gui.training.plots import TrainingPlots

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="runs-bench-"))
    try:
        make_runs(tmp / "runs", args.n)
        results: dict[str, tuple[float, float]] = {}
        opens, panels = [], []  # every panel kept until the end (no deletion mid-bench)
        for _ in range(args.repeat):
            plots = TrainingPlots()
            t0 = time.perf_counter()
            panel = RunsPanel(plots)
            panels.append((panel, plots))
            panel.resize(900, 500)
            panel.show()
            panel.set_root(tmp / "runs")
            while panel.model.rowCount() < args.n:
                app.processEvents()
                time.sleep(0.001)
            panel.table.repaint()
            opens.append(time.perf_counter() - t0)
        results["open"] = ms(opens)

        filters = []
        for text in ("adam", "k5", "run 99", "sgd k7", "completed", "") * args.repeat:
            t0 = time.perf_counter()
            panel.filter_edit.setText(text)
            panel.table.repaint()
            filters.append(time.perf_counter() - t0)
        results["filter"] = ms(filters)

        plots.resize(900, 600)
        plots.show()
        for kind in ("overlay cold", "overlay warm"):
            times = []
            for _ in range(args.repeat):
                if kind == "overlay cold":
                    panel._records.clear()  # noqa: SLF001 - the bench times the reading too
                panel.select_rows(0)
                app.processEvents()
                t0 = time.perf_counter()
                panel.select_rows(*range(10))
                plots.repaint()
                times.append(time.perf_counter() - t0)
            results[kind] = ms(times)
        assert len(plots.overlays.overlays) == 10
        for panel, plots in panels:
            panel.runner.wait()
            panel.close()
            plots.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{args.n} runs, median / p95 over {args.repeat}+ tries (ms):")
    for name, (median, p95) in results.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"  target ≤ {target} ms: {'ok' if median <= target else 'SLOW'}"
        print(f"  {name:13s} {median:8.1f} {p95:8.1f}{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
