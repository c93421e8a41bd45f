"""Training throughput: the seeds' DataLoader loop against ConvScope's engine, side by side.

Both train the seed000 network on the same Fashion-MNIST training images, batch 100, Adam 1e-3,
interleaved in one process (A B A B …) so machine noise hits both alike. Prints images/s
for each, their ratio, GFLOP/s and the fraction of an SGEMM ceiling measured in the same run.

    .venv/bin/python bench/train_bench.py [--rounds 3] [--batches 120] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.data.loading import load_dataset  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402
from engine.model.shapes import analyze  # noqa: E402
from engine.training.events import NullReporter, TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402


def default_data_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "data" / "fashion-mnist", Path("/work/shared/data/fashion-mnist"),
                      Path("/usr/share/datasets/fashion-mnist")):
        if (candidate / "train-images-idx3-ubyte.gz").exists():
            return candidate
    raise SystemExit("Fashion-MNIST not found; pass --data-dir with the IDX .gz files")


def seeds_model() -> torch.nn.Module:
    """seed 000's CNN written the seeds' way: conv → ReLU → max-pool blocks, a linear head."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 10))


def make_seed_loader(raw_root: Path, batch: int):
    import torchvision.datasets as dsets
    import torchvision.transforms as transforms

    dataset = dsets.FashionMNIST(root=str(raw_root), train=True, download=False,
                                 transform=transforms.Compose([transforms.ToTensor(),
                                                               transforms.Normalize((0.2860,), (0.3530,))]))
    return torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, drop_last=True)


def run_seeds(loader, batches: int) -> float:
    """The seeds' loop for ``batches`` batches; returns images/s."""
    torch.manual_seed(0)
    model = seeds_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    it = iter(loader)
    seen = 0
    start = time.perf_counter()
    for _ in range(batches):
        x, y = next(it)
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        seen += len(y)
    return seen / (time.perf_counter() - start)


class _Stopper(NullReporter):
    def __init__(self, session_ref: list, batches: int):
        self.session_ref, self.batches = session_ref, batches
        self.first = self.last = None
        self.count = 0

    def on_batch(self, stats):
        now = time.perf_counter()
        self.count += 1
        if self.count == 2:
            self.first = now  # exclude the first batch (setup, allocator warm-up) as for the seeds
        if self.count == self.batches + 1:
            self.last = now
            self.session_ref[0].stop()


def run_engine(data, batches: int, batch: int, threads: int) -> float:
    spec = PRESETS["seed000"].spec
    ref: list = []
    stopper = _Stopper(ref, batches)
    session = TrainingSession(spec, data, TrainConfig(optimizer="adam", lr=1e-3, batch_size=batch, epochs=1,
                                                      threads=threads, snapshot_interval_s=0))
    ref.append(session)
    session.run(stopper)
    return (batches - 1) * batch / (stopper.last - stopper.first)


def sgemm_ceiling(threads: int, size: int = 1024, repeats: int = 20) -> float:
    """GFLOP/s of a float32 matrix product: the best this CPU does with these threads."""
    torch.set_num_threads(threads)
    a, b = torch.randn(size, size), torch.randn(size, size)
    for _ in range(3):
        a @ b
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = max(best, 2 * size**3 / (time.perf_counter() - start) / 1e9)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=120, help="timed batches per run")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    source = args.data_dir or default_data_dir()

    # torchvision wants <root>/FashionMNIST/raw/ with the files unpacked: build that in a temp folder.
    tmp = Path(tempfile.mkdtemp(prefix="convscope-bench-"))
    raw = tmp / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        with gzip.open(source / f"{name}.gz", "rb") as src, open(raw / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    try:
        loader = make_seed_loader(tmp, args.batch_size)
        data = load_dataset("fashion-mnist", source)
        macs = analyze(PRESETS["seed000"].spec).total_macs
        train_flops = 3 * 2 * macs  # forward + backward (≈ 2× forward) per image
        print(f"seed000 on Fashion-MNIST ({len(data.train):,} train images), batch {args.batch_size}, Adam 1e-3, "
              f"{args.threads} threads, {args.batches} timed batches per run, {args.rounds} rounds")
        # warm both paths once (allocator, mkldnn primitives)
        run_seeds(loader, 5)
        run_engine(data, 6, args.batch_size, args.threads)
        seeds, ours = [], []
        for r in range(args.rounds):
            seeds.append(run_seeds(loader, args.batches))
            ours.append(run_engine(data, args.batches, args.batch_size, args.threads))
            print(f"  round {r + 1}: seeds {seeds[-1]:7.0f} img/s   engine {ours[-1]:7.0f} img/s   "
                  f"ratio {ours[-1] / seeds[-1]:.2f}×")
        ceiling = sgemm_ceiling(args.threads)
        s, o = statistics.median(seeds), statistics.median(ours)
        gflops = o * train_flops / 1e9
        print(f"median: seeds {s:.0f} img/s, engine {o:.0f} img/s, ratio {o / s:.2f}× (target ≥ 2.5×)")
        print(f"engine: {gflops:.1f} GFLOP/s of training work ({train_flops / 1e6:.1f} MFLOP per image); "
              f"SGEMM ceiling {ceiling:.1f} GFLOP/s → {gflops / ceiling:.0%} of it (target ≥ 50%)")
        print(f"seeds:  {s * train_flops / 1e9:.1f} GFLOP/s → {s * train_flops / 1e9 / ceiling:.0%} of the ceiling")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
