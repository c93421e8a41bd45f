"""What layer statistics cost: training throughput with and without them, interleaved.

seed000 on the bundled MNIST sample and cifar-vgg-small on CIFAR-shaped images (random pixels:
the cost does not depend on what the pictures show, and CIFAR-10 need not be on disk). Each round
trains once with ``layer_stats`` off and once on, alternating which goes first, so machine noise
hits both alike; prints the median training images/s (evaluation excluded), the cost in percent,
the share of training time the sampling itself measured (less noisy than the difference of two
throughputs on a busy machine), and the samples taken. The target is a cost of at most 3%.

    .venv/bin/python bench/layer_stats_bench.py [--rounds 5] [--seed-epochs 3] [--vgg-steps 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.registry import DATASETS  # noqa: E402
from engine.data.splits import Dataset, Split  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402


class Counter(NullReporter):
    def __init__(self) -> None:
        self.samples = 0

    def on_layer_stats(self, stats) -> None:
        self.samples += 1


def cifar_shaped(steps: int, batch: int) -> Dataset:
    g = torch.Generator().manual_seed(0)
    n = steps * batch
    images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
    labels = torch.randint(0, 10, (n,), generator=g)
    return Dataset(DATASETS["cifar10"], Split(images, labels), Split(images[:16], labels[:16]), "random pixels")


def one_run(spec, data, config: TrainConfig) -> tuple[float, int, float]:
    """Training images/s, samples taken, and the sampling's own share of the training time."""
    session = TrainingSession(spec, data, config)
    counter = Counter()
    info = session.run(counter)
    if info.status != "completed":
        raise SystemExit(f"run {info.status}: {info.message}")
    probe = session.layer_probe
    share = probe.seconds / session._train_seconds if probe is not None and session._train_seconds else 0.0
    return info.images_per_s, counter.samples, share


def compare(title: str, spec, data, config: TrainConfig, rounds: int) -> None:
    speeds: dict[bool, list[float]] = {False: [], True: []}
    samples, shares = 0, []
    for r in range(rounds):
        for on in ((False, True) if r % 2 == 0 else (True, False)):
            rate, count, share = one_run(spec, data, TrainConfig(**{**config.to_dict(), "layer_stats": on}))
            speeds[on].append(rate)
            if on:
                samples = count
                shares.append(share)
    off, on = statistics.median(speeds[False]), statistics.median(speeds[True])
    steps = len(data.train) // config.batch_size * config.epochs
    print(f"{title}: {off:,.0f} images/s without, {on:,.0f} with layer statistics → cost "
          f"{100 * (1 - on / off):+.1f}%; sampling's own clock: {100 * statistics.median(shares):.1f}% of the "
          f"training time ({samples} samples in {steps} steps; rounds {rounds}; "
          f"off {', '.join(f'{v:,.0f}' for v in speeds[False])}; on {', '.join(f'{v:,.0f}' for v in speeds[True])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed-epochs", type=int, default=3)
    parser.add_argument("--vgg-steps", type=int, default=60)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    common = {"snapshot_interval_s": 0.0, "threads": args.threads, "lr": 1e-3}
    sample = load_dataset("mnist-sample")
    small_test = Dataset(sample.info, sample.train, Split(sample.test.images[:16], sample.test.labels[:16]),
                         sample.source)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    compare("seed000 / mnist-sample", PRESETS["seed000"].spec, small_test,
            TrainConfig(epochs=args.seed_epochs, batch_size=64, **common), args.rounds)
    compare("cifar-vgg-small / CIFAR-shaped", PRESETS["cifar-vgg-small"].spec, cifar_shaped(args.vgg_steps, 128),
            TrainConfig(epochs=1, batch_size=128, **common), args.rounds)


if __name__ == "__main__":
    main()
