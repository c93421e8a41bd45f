#!/usr/bin/env python3
"""Training with glibc's malloc thresholds raised (engine.training.allocator) against glibc's defaults.

Each run is a fresh ``main.py train`` process (the thresholds glibc adjusts by itself depend on what the
process did before), alternating tuned / default (``CONVSCOPE_MALLOC=default``). Prints images/s, the
median of each, their ratio, and the page faults of each process.

    .venv/bin/python bench/malloc_bench.py [--runs 3] [--preset seed000] [--precision fp32]
        [--dataset fashion-mnist --data-dir ../shared/data/fashion-mnist] [--epochs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def train(args: argparse.Namespace, tuned: bool) -> tuple[float, int]:
    """(images/s, minor page faults) of one fresh training process."""
    env = dict(os.environ)
    env.pop("CONVSCOPE_MALLOC", None)
    if not tuned:
        env["CONVSCOPE_MALLOC"] = "default"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    result = subprocess.run(
        [sys.executable, "main.py", "train", "--preset", args.preset, "--dataset", args.dataset, "--data-dir",
         args.data_dir, "--epochs", str(args.epochs), "--precision", args.precision, "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    faults = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before
    return json.loads(result.stdout.strip().splitlines()[-1])["images_per_s"], faults


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="seed000")
    parser.add_argument("--precision", default="fp32")
    parser.add_argument("--dataset", default="fashion-mnist")
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" / "fashion-mnist"))
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    rates: dict[bool, list[float]] = {True: [], False: []}
    print(f"{args.preset} on {args.dataset}, {args.epochs} epoch(s), {args.precision}, fresh process per run")
    for run in range(args.runs):
        for tuned in (False, True):
            rate, faults = train(args, tuned)
            rates[tuned].append(rate)
            print(f"  run {run + 1} {'tuned  ' if tuned else 'default'}: {rate:7.0f} images/s, "
                  f"{faults:,} page faults in the process", flush=True)
    default, tuned = statistics.median(rates[False]), statistics.median(rates[True])
    print(f"median: glibc defaults {default:.0f} images/s, raised thresholds {tuned:.0f} images/s "
          f"→ {tuned / default:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
