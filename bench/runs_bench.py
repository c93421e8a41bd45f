"""Recorded runs: what recording costs a training run, and how long listing 1,000 runs takes.

1. seed000 on the bundled mnist-sample (the preset's settings, as ``main.py train`` runs it), with and
   without a ``RunRecorder``, interleaved (A B A B …) so machine noise hits both alike; the medians of
   the training throughput (images/s over the whole run, evaluation and the recording's writes
   included) and the cost of recording in percent (the issue's bound: ≤ 2%).
2. ``list_runs`` over 1,000 generated runs (seed000 manifests, 20 epochs of metrics each) in a temp
   folder: the median of several listings (the runs panel opens with one; the bound: ≤ 0.5 s), and
   ``load_run`` of 10 of them (what overlaying 10 runs' curves reads).

    .venv/bin/python bench/runs_bench.py [--rounds 5] [--epochs 2] [--runs 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.io.run_files import epochs_csv  # noqa: E402
from engine.io.run_manifest import FORMAT, dataset_files, versions  # noqa: E402
from engine.io.runs import RunRecorder, TeeReporter, list_runs, load_run  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402


class Timed:
    """Hands every reporter call to ``reporter`` and adds up the seconds they take."""

    def __init__(self, reporter):
        self.reporter, self.seconds = reporter, 0.0

    def __getattr__(self, name):
        method = getattr(self.reporter, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def train_once(data, config: TrainConfig, root: Path | None) -> tuple[float, float]:
    """(images per second, the share of the run's time spent in the recorder) of one run (recorded under
    ``root`` when given)."""
    preset = get_preset("seed000")
    session = TrainingSession(preset.spec, data, config)
    reporter = timed = Timed(NullReporter())
    if root is not None:
        recorder, reason = RunRecorder.open(root, spec=preset.spec, config=config, dataset_name=data.info.name,
                                            data_files=dataset_files(data), checkpoint=session.checkpoint,
                                            source="bench")
        assert recorder is not None, reason
        reporter = timed = Timed(TeeReporter(recorder))
    started = time.perf_counter()
    finish = session.run(reporter)
    seconds = time.perf_counter() - started
    assert finish.status == "completed", finish.message
    return config.epochs * len(data.train) / seconds, timed.seconds / seconds


def recording_cost(rounds: int, epochs: int) -> None:
    data = load_dataset("mnist-sample")
    settings = {k: v for k, v in get_preset("seed000").training.items() if k in TrainConfig.__dataclass_fields__}
    config = TrainConfig.from_dict({**settings, "epochs": epochs, "snapshot_interval_s": 0.0,
                                    "snapshots_in_first_epoch": 0})
    off, on, share = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        train_once(data, config, None)  # warm-up: first-run costs (oneDNN kernels, page cache) for neither side
        for r in range(rounds):
            off.append(train_once(data, config, None)[0])
            rate, part = train_once(data, config, Path(tmp))
            on.append(rate)
            share.append(part)
            print(f"  round {r + 1}: without {off[-1]:,.0f} img/s, with {on[-1]:,.0f} img/s "
                  f"({100 * part:.2f}% of the run in the recorder)", flush=True)
    a, b = statistics.median(off), statistics.median(on)
    print(f"recording cost (seed000, mnist-sample, {epochs} epochs, batch {config.batch_size}, {rounds} rounds "
          f"interleaved): without {a:,.0f} img/s, with {b:,.0f} img/s (medians) → {100 * (a - b) / a:+.1f}%; "
          f"time inside the recorder: median {100 * statistics.median(share):.2f}% of the run (bound: ≤ 2%)")


def make_runs(root: Path, count: int) -> None:
    """``count`` run folders as the recorder writes them (manifest + metrics), without training."""
    spec = get_preset("seed000").spec.to_dict()
    config = TrainConfig().to_dict()
    rows = [{"epoch": e, "step": 45 * e, "train_loss": 1 / e, "train_accuracy": 0.9, "test_loss": 1 / e,
             "test_accuracy": 0.9 + e / 1000, "lr": 1e-3, "seconds": 5.0} for e in range(1, 21)]
    version = versions()
    for i in range(count):
        folder = root / f"20260101-{i:06}-seed000-{i:06x}"
        folder.mkdir()
        manifest = {
            "format": FORMAT, "id": folder.name, "name": f"run {i}", "notes": "", "source": "bench",
            "status": "completed", "message": "", "started": f"2026-01-01T00:{i // 60 % 60:02}:{i % 60:02}+00:00",
            "ended": None, "spec": spec, "config": config, "seed": i,
            "dataset": {"name": "mnist-sample", "sha256": "ab" * 32, "files": [], "train_size": 4500,
                        "test_size": 500, "class_names": [str(c) for c in range(10)]},
            "versions": version, "device": {"device": "cpu", "name": "CPU", "threads": 4}, "pid": 1, "host": "h",
            "epochs": 20, "planned_epochs": 20, "step": 900, "seconds": 100.0,
            "final": {"epoch": 20, "test_accuracy": 0.92}, "best": {"epoch": 20, "test_accuracy": 0.92},
            "models": {"last": True, "best": True}, "keyframes": 0, "resumed": False,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
        (folder / "metrics.csv").write_bytes(epochs_csv(rows))


def listing(count: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="runs-bench-"))
    try:
        make_runs(tmp, count)
        times, cpu = [], []
        for _ in range(5):
            started, started_cpu = time.perf_counter(), time.process_time()
            runs = list_runs(tmp)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert len(runs) == count and all(r.status == "completed" for r in runs)
        started = time.perf_counter()
        for run in runs[:10]:
            load_run(run.path)
        ten = time.perf_counter() - started
        print(f"list_runs over {count:,} runs: median {statistics.median(times) * 1000:,.0f} ms, best "
              f"{min(times) * 1000:,.0f} ms, CPU time median {statistics.median(cpu) * 1000:,.0f} ms "
              "(bound: ≤ 500 ms for the panel to open); "
              f"load_run × 10: {ten * 1000:,.0f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1000)
    args, _ = parser.parse_known_args()  # bench/run_all.py passes its own arguments to every benchmark
    listing(args.runs)
    recording_cost(args.rounds, args.epochs)


if __name__ == "__main__":
    main()
