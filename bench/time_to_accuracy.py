"""Time to accuracy on Fashion-MNIST's test set: a preset's wall seconds to each threshold, median of seeds.

Each run trains a preset with its own training settings (data already loaded; the clock starts when
the run does, so it includes model setup, the bf16 probe and every epoch's evaluation) and notes
when the test accuracy first reaches each threshold. Runs alternate between the presets, seed by
seed, so machine noise hits them alike. ``--precision fp32,bf16`` also runs each in both formats:
the bf16/fp32 accuracy parity check on Fashion-MNIST (seed002, 2 epochs by default).

    .venv/bin/python bench/time_to_accuracy.py [--presets fast-fashion,seed002] [--seeds 0,1,2]
    .venv/bin/python bench/time_to_accuracy.py --presets seed002 --epochs 2 --precision fp32,bf16   # parity
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402


class _Clock(NullReporter):
    """Seconds from the run's start to each epoch's test accuracy."""

    def __init__(self, started: float, stop_at: float | None):
        self.started, self.stop_at, self.epochs, self.session = started, stop_at, [], None

    def on_epoch(self, stats) -> None:
        self.epochs.append((time.perf_counter() - self.started, stats.test_accuracy or 0.0))
        if self.stop_at is not None and self.epochs[-1][1] >= self.stop_at:
            self.session.stop()  # every threshold reached: the rest of the run measures nothing


def run(preset: str, data, seed: int, precision: str, threads: int, epochs: int | None,
        stop_at: float | None) -> tuple[list, str]:
    """[(seconds, test accuracy) per epoch] and the precision the run used."""
    training = dict(get_preset(preset).training)
    config = replace(TrainConfig(**training), seed=seed, precision=precision, threads=threads, device="cpu",
                     snapshot_interval_s=0)
    if epochs:
        config = replace(config, epochs=epochs)
    started = time.perf_counter()
    clock = _Clock(started, stop_at)
    clock.session = session = TrainingSession(get_preset(preset).spec, data, config)
    info = session.run(clock)
    assert info.status in ("completed", "stopped"), info.message
    return clock.epochs, session.precision.name


def first_reaching(epochs: list, threshold: float) -> float:
    return next((seconds for seconds, accuracy in epochs if accuracy >= threshold), math.inf)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="fast-fashion,seed002")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--thresholds", default="0.90,0.91")
    parser.add_argument("--precision", default="auto", help="comma-separated: auto, fp32, bf16")
    parser.add_argument("--epochs", type=int, default=0, help="override the presets' epochs (0: theirs)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: all cores)")
    parser.add_argument("--full", action="store_true", help="run every epoch (else stop at the last threshold)")
    parser.add_argument("--data-dir", default="/work/shared/data/fashion-mnist")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_dataset("fashion-mnist", args.data_dir)
    print(f"Fashion-MNIST loaded in {time.perf_counter() - started:.1f} s ({len(data.train):,} train, "
          f"{len(data.test):,} test images); clocks start at each run's start")
    presets = args.presets.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    thresholds = [float(t) for t in args.thresholds.split(",")]
    modes = args.precision.split(",")
    results: dict[tuple[str, str], list] = {}
    for seed in seeds:
        for preset in presets:
            for mode in modes:
                epochs, used = run(preset, data, seed, mode, args.threads, args.epochs or None,
                                   None if args.full or len(modes) > 1 else max(thresholds))
                results.setdefault((preset, mode), []).append(epochs)
                trail = ", ".join(f"{a:.2%} at {s:.1f} s" for s, a in epochs)
                print(f"  {preset} seed {seed} [{mode} → {used}]: {trail}", flush=True)
    for (preset, mode), runs in results.items():
        times = ", ".join(f"{t:.0%}: {statistics.median(first_reaching(r, t) for r in runs):.1f} s"
                          for t in thresholds)
        final = statistics.median(r[-1][1] for r in runs)
        print(f"{preset} [{mode}]: median time to {times}; last test accuracy median {final:.2%} "
              f"(target for fast-fashion: 91% in ≤ 20 s)")
    if len(modes) > 1:
        for preset in presets:
            finals = {m: statistics.median(r[-1][1] for r in results[(preset, m)]) for m in modes}
            spread = max(finals.values()) - min(finals.values())
            print(f"parity {preset}: {', '.join(f'{m} {a:.2%}' for m, a in finals.items())}; "
                  f"spread {spread * 100:.2f} points (target ≤ 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
