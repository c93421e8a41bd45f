"""Training throughput: the seeds' DataLoader loop against ConvScope's engine, side by side.

Both train the seed000 network on the same Fashion-MNIST training images, batch 100, Adam 1e-3,
interleaved in one process (A B C …) so machine noise hits all alike: the seeds' loop, the engine
in fp32 and the engine in bf16 (when this CPU has native bf16; each row prints the precision it
ran). Prints images/s, ratios to the seeds' loop, GFLOP/s and the fraction of the oneDNN ceiling
measured in the same run: a large 1×1 convolution (not ``a @ b``: MKL's SGEMM takes its AVX2 path
on AMD CPUs, so a matrix product understates what oneDNN's convolutions reach).

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
from engine.training.precision import cpu_has_native_bf16  # noqa: E402
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


def run_engine(data, batches: int, batch: int, threads: int, precision: str = "fp32") -> tuple[float, str]:
    """The engine for ``batches`` batches: images/s and the precision it actually ran."""
    spec = PRESETS["seed000"].spec
    ref: list = []
    stopper = _Stopper(ref, batches)
    session = TrainingSession(spec, data, TrainConfig(optimizer="adam", lr=1e-3, batch_size=batch, epochs=1,
                                                      threads=threads, snapshot_interval_s=0, precision=precision,
                                                      device="cpu"))
    ref.append(session)
    session.run(stopper)
    return (batches - 1) * batch / (stopper.last - stopper.first), session.precision.name


def conv_ceiling(threads: int, dtype: torch.dtype = torch.float32, channels: int = 512, side: int = 28,
                 batch: int = 32, repeats: int = 15) -> float:
    """GFLOP/s of a large 1×1 convolution (channels_last, oneDNN): the best this CPU does with these threads."""
    torch.set_num_threads(threads)
    conv = torch.nn.Conv2d(channels, channels, 1, bias=False).to(memory_format=torch.channels_last)
    x = torch.randn(batch, channels, side, side).to(memory_format=torch.channels_last)
    flops = 2 * batch * side * side * channels * channels
    best = 0.0
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == torch.bfloat16):
        for i in range(repeats + 3):
            start = time.perf_counter()
            conv(x)
            if i >= 3:
                best = max(best, flops / (time.perf_counter() - start) / 1e9)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=120, help="timed batches per run")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--bf16", action="store_true", help="a bf16 row even without native bf16 (emulated)")
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
        bf16 = cpu_has_native_bf16()
        modes = ("fp32", "bf16") if bf16 or args.bf16 else ("fp32",)
        print(f"native bf16 on this CPU: {'yes' if bf16 else 'no'}; engine rows: {', '.join(modes)}")
        # warm every path once (allocator, mkldnn primitives)
        run_seeds(loader, 5)
        for mode in modes:
            run_engine(data, 6, args.batch_size, args.threads, mode)
        seeds, ours, ran = [], {m: [] for m in modes}, {}
        for r in range(args.rounds):
            seeds.append(run_seeds(loader, args.batches))
            row = f"  round {r + 1}: seeds {seeds[-1]:7.0f} img/s"
            for mode in modes:
                rate, ran[mode] = run_engine(data, args.batches, args.batch_size, args.threads, mode)
                ours[mode].append(rate)
                row += f"   engine[{ran[mode]}] {rate:7.0f} img/s ({rate / seeds[-1]:.2f}×)"
            print(row)
        ceilings = {"fp32": conv_ceiling(args.threads)}
        if "bf16" in modes:
            ceilings["bf16"] = conv_ceiling(args.threads, torch.bfloat16)
        s = statistics.median(seeds)
        print(f"median: seeds {s:.0f} img/s (fp32)")
        for mode in modes:
            o = statistics.median(ours[mode])
            gflops = o * train_flops / 1e9
            target = "≥ 3.0× where bf16 is available" if mode == "bf16" else "≥ 2.5×"
            print(f"  engine[{ran[mode]}]: {o:.0f} img/s, ratio {o / s:.2f}× the seeds' loop (target {target}); "
                  f"{gflops:.1f} GFLOP/s of training work ({train_flops / 1e6:.1f} MFLOP per image) → "
                  f"{gflops / ceilings['fp32']:.0%} of the fp32 1×1-conv ceiling")
        for mode, ceiling in ceilings.items():
            print(f"oneDNN ceiling ({mode}, 1×1 conv 512→512 on 32×28×28, channels_last): {ceiling:.1f} GFLOP/s")
        fp32 = statistics.median(ours["fp32"]) * train_flops / 1e9
        print(f"fp32 engine → {fp32 / ceilings['fp32']:.0%} of the fp32 ceiling (target ≥ 90%); "
              f"seeds → {s * train_flops / 1e9 / ceilings['fp32']:.0%}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
