"""Data-parallel throughput on this machine: 1 process × 1 thread, 1 process × 2 threads and 2 processes
(torchrun, gloo) × 1 thread, each training seed000 for one epoch of Fashion-MNIST (global batch 100).

Runs the real command line (``main.py train --json``) and reads its training images/s (evaluation
excluded), interleaved A B C A B C … so machine noise hits all alike; prints medians and the efficiency
of the 2 ranks against 1 process with the same 2 cores (≈ 1 when communication costs little) and
against twice one single-thread process.

    .venv/bin/python bench/ddp_bench.py [--rounds 3] [--data-dir DIR] [--preset seed000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
from pathlib import Path

from train_bench import default_data_dir  # noqa: E402 - bench/ is on the path of a bench script

ROOT = Path(__file__).resolve().parents[1]
TORCHRUN = Path(sys.executable).with_name("torchrun")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train(args: argparse.Namespace, ranks: int, threads: int) -> float:
    """Training images/s of one epoch with ``ranks`` processes of ``threads`` threads each."""
    command = ["main.py", "train", "--preset", args.preset, "--dataset", "fashion-mnist", "--data-dir",
               str(args.data_dir), "--epochs", "1", "--batch-size", "100", "--threads", str(threads), "--json"]
    if ranks > 1:
        command = [str(TORCHRUN), "--nproc_per_node", str(ranks), "--master_addr", "127.0.0.1", "--master_port",
                   str(free_port()), *command]
    else:
        command = [sys.executable, *command]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "OMP_NUM_THREADS": str(threads)})
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return float(json.loads(result.stdout.strip().splitlines()[-1])["images_per_s"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--preset", default="seed000")
    args, _ = parser.parse_known_args()  # run_all.py passes every bench the same arguments
    args.data_dir = args.data_dir or default_data_dir()
    setups = {"1 process × 1 thread": (1, 1), "1 process × 2 threads": (1, 2), "2 processes × 1 thread": (2, 1)}
    rates: dict[str, list[float]] = {name: [] for name in setups}
    for r in range(args.rounds):
        for name, (ranks, threads) in setups.items():
            rates[name].append(train(args, ranks, threads))
            print(f"round {r + 1}: {name}: {rates[name][-1]:,.0f} img/s", flush=True)
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"\n{args.preset} on Fashion-MNIST, 1 epoch, global batch 100, {os.cpu_count()} cores, medians of "
          f"{args.rounds}:")
    for name, value in median.items():
        print(f"  {name:<24} {value:8,.0f} img/s   (runs: {', '.join(f'{v:,.0f}' for v in rates[name])})")
    ddp, threads2, single = (median["2 processes × 1 thread"], median["1 process × 2 threads"],
                             median["1 process × 1 thread"])
    print(f"  efficiency, 2 ranks vs 1 process on the same cores: {ddp / threads2:.2f}")
    print(f"  efficiency, 2 ranks vs 2 × one single-thread process: {ddp / (2 * single):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
