"""The GPU check, in one script of at most about 5 minutes: install as the README says, run the suite's CUDA
tests, then measure on the first GPU:

- training throughput (images/s, evaluation excluded) of seed000 and cifar-vgg-small, batch 512, AMP
  and channels_last as the trainer runs them (real data when present, else random images of the
  right shape: throughput does not depend on the pixels);
- the time to 91% test accuracy on Fashion-MNIST and to 99% on MNIST's 10k test set (training on
  MNIST's training set when present, else on the bundled 4,500-digit sample), wall clock from the
  start of the run, evaluation after every epoch included.

Anchors from elsewhere: MNIST 99% in 0.76 s on a GTX 1660 Ti; CIFAR-10 94% in 2.6 s on an A100.
Without a CUDA device it says so and exits 0 (nothing to measure).

    python bench/gpu_bench.py [--no-install] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.registry import DatasetError  # noqa: E402
from engine.data.splits import Split  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from engine.training.devices import describe_device  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402

QUIET = {"snapshot_interval_s": 0.0, "snapshots_in_first_epoch": 0, "device": "cuda"}
DRY_RUN = False  # --dry-run: the same steps on the CPU, tiny, to check the script without a GPU


def shared_data(extra: Path | None) -> list[Path]:
    return [p for p in (extra, ROOT / "shared" / "data", ROOT.parent / "shared" / "data", Path("/work/shared/data"))
            if p is not None and p.is_dir()]


def load(name: str, roots: list[Path], splits=("train", "test")):
    """``name`` from the first folder that has all of ``splits``; None when none has."""
    for root in roots:
        try:
            data = load_dataset(name, root / name, splits=splits)
        except DatasetError:
            continue
        if all(getattr(data, split) is not None for split in splits):
            return data
    return None


def step(title: str, command: list[str], timeout: float) -> bool:
    print(f"== {title}: {' '.join(command)}", flush=True)
    try:
        result = subprocess.run(command, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"   {title}: gave up after {timeout:.0f} s")
        return False
    print(f"   {title}: exit {result.returncode}")
    return result.returncode == 0


def synthetic(shape: tuple[int, ...], n: int, classes: int = 10) -> Split:
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (n, *shape), dtype=torch.uint8, generator=generator)
    return Split(images, torch.randint(0, classes, (n,), generator=generator))


def throughput(preset: str, roots: list[Path]) -> None:
    spec = get_preset(preset).spec
    data = load(get_preset(preset).dataset, roots) or load_dataset("mnist-sample")
    if tuple(data.info.input_shape) != tuple(spec.input):  # CIFAR-10 absent: random colour images
        info = replace(data.info, input_shape=tuple(spec.input), mean=(0.5,) * spec.input[0],
                       std=(0.25,) * spec.input[0])
        data = replace(data, info=info, train=synthetic(tuple(spec.input), 50_000), test=None)
    if DRY_RUN:
        data = replace(data, train=Split(data.train.images[:2048], data.train.labels[:2048]))
    config = TrainConfig.from_dict({**get_preset(preset).training, **QUIET, "epochs": 2, "batch_size": 512})
    finish = TrainingSession(spec, replace(data, test=None), config).run()
    print(f"   {preset}: {finish.images_per_s:,.0f} img/s (batch 512, {len(data.train):,} images/epoch, "
          f"{finish.status})", flush=True)


class _Until(NullReporter):
    def __init__(self, target: float):
        self.target, self.session, self.reached, self.started = target, None, None, time.perf_counter()

    def on_epoch(self, s) -> None:
        print(f"   epoch {s.epoch}: test {s.test_accuracy:.2%} at {time.perf_counter() - self.started:.2f} s",
              flush=True)
        if self.reached is None and s.test_accuracy is not None and s.test_accuracy >= self.target:
            self.reached = time.perf_counter() - self.started
            self.session.stop()


def time_to(target: float, preset: str, data, epochs: int, batch: int) -> None:
    config = TrainConfig(epochs=epochs, batch_size=batch, optimizer="adam", lr=2e-3, schedule="onecycle", **QUIET)
    reporter = _Until(target)
    reporter.session = session = TrainingSession(get_preset(preset).spec, data, config)
    reporter.started = time.perf_counter()
    finish = session.run(reporter)
    said = f"{reporter.reached:.2f} s" if reporter.reached is not None else "not reached"
    print(f"   {data.info.name} {target:.0%} with {preset} (train {len(data.train):,}, test {len(data.test):,}): "
          f"{said}; best {max(h.test_accuracy for h in finish.history):.2%}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-install", action="store_true", help="skip `make setup` (the README's install)")
    parser.add_argument("--data-dir", type=Path, default=None, help="a folder holding mnist/ and fashion-mnist/")
    parser.add_argument("--dry-run", action="store_true", help="check the script on the CPU (tiny, nothing measured)")
    args, _ = parser.parse_known_args()
    if args.dry_run:
        global DRY_RUN
        DRY_RUN, args.no_install = True, True
        QUIET["device"] = "cpu"
    elif not torch.cuda.is_available():
        print("gpu_bench: no CUDA device on this machine: nothing measured (run it on a machine with an "
              "NVIDIA GPU)")
        return 0
    started = time.perf_counter()
    print(f"gpu_bench on {describe_device(QUIET['device'])[1]}, torch {torch.__version__}", flush=True)
    if not args.no_install:
        step("install (README: make setup)", ["make", "setup"], timeout=150)
    if not DRY_RUN:
        step("CUDA tests", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "cuda or gpu",
                            "tests/engine"], timeout=120)
    roots = shared_data(args.data_dir)
    print("== throughput", flush=True)
    for preset in ("seed000", "cifar-vgg-small"):
        throughput(preset, roots)
    print("== time to accuracy", flush=True)
    fashion = load("fashion-mnist", roots)
    if fashion is not None:
        time_to(0.91, "seed000", fashion, epochs=1 if DRY_RUN else 8, batch=256)
    else:
        print("   Fashion-MNIST not found: skipped")
    mnist = load("mnist", roots, splits=("test",))
    if mnist is not None:
        train = (load("mnist", roots, splits=("train",)) or load_dataset("mnist-sample")).train
        time_to(0.99, "seed000", replace(mnist, train=train), epochs=1 if DRY_RUN else 12, batch=256)
    else:
        print("   MNIST test set not found: skipped")
    print(f"gpu_bench done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
