"""What picking a note's preset costs in the GUI thread, and the cost of the notes' settings:

1. ``offline_choice``: the dataset offer's check whether the full Fashion-MNIST is there (its
   training files looked for, not read; ``--data-dir``, default ../shared/data/fashion-mnist),
   and when it is not (an empty folder);
2. loading the bundled ``fashion-mnist-sample``;
3. ``apply_init`` on seed000 (Xavier on fc) and seed004 (Normal(0, 0.01) everywhere).

Medians and p95 of ``-n`` repeats. The machine may be shared: run it twice and look at the spread.

Run: .venv/bin/python bench/preset_offer_bench.py [-n N] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.samples import offline_choice  # noqa: E402
from engine.model.build import build_model  # noqa: E402
from engine.model.init import apply_init  # noqa: E402
from engine.model.presets import PRESETS  # noqa: E402


def _timed(call, n: int) -> str:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return f"median {np.median(times):7.1f} ms, p95 {np.percentile(times, 95):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10)
    default = next((p for p in (ROOT.parent / "shared" / "data" / "fashion-mnist",
                                ROOT.parent.parent / "shared" / "data" / "fashion-mnist") if p.is_dir()), None)
    parser.add_argument("--data-dir", type=Path, default=default)
    args = parser.parse_args()
    load_dataset("mnist-sample")  # imports and caches warm
    if args.data_dir is not None:
        found = _timed(lambda: offline_choice("fashion-mnist", args.data_dir), args.n)
        print(f"offline_choice, full set found:   {found}")
    with tempfile.TemporaryDirectory() as empty:
        print(f"offline_choice, full set absent:  {_timed(lambda: offline_choice('fashion-mnist', empty), args.n)}")
    print(f"load fashion-mnist-sample:        {_timed(lambda: load_dataset('fashion-mnist-sample'), args.n)}")
    for name in ("seed000", "seed004"):
        cfg = PRESETS[name].training
        model = build_model(PRESETS[name].spec)

        def init(model=model, cfg=cfg) -> None:
            apply_init(model, cfg["init"], cfg.get("init_std", 0.01), cfg["init_layers"])

        print(f"apply_init {name} ({cfg['init']}): {_timed(init, args.n)}")


if __name__ == "__main__":
    main()
