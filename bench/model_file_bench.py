#!/usr/bin/env python3
"""Model-file benchmark: how long ``load_checkpoint`` takes with every field and tensor checked.

For two networks (seed000 and the small VGG, each with Adam's state after one step, RNG states
and a 20-epoch history) it writes a model file, then reports the median of ``--repeat`` loads,
and the median time to refuse two bad files: one weight of the wrong shape (found from the
header, before any tensor is read) and a spec over the size budget.

``.venv/bin/python bench/model_file_bench.py`` (``--json`` for one JSON object).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_file(path: Path, preset: str) -> Path:
    """A model file for ``preset`` as a run would save it (no dataset needed)."""
    import numpy as np
    import torch

    from engine.io.checkpoint import Checkpoint, save_checkpoint
    from engine.model.build import build_model
    from engine.model.presets import PRESETS
    from engine.training.events import EpochStats, TrainConfig
    from engine.training.rng import capture_rng, seed_everything
    from engine.training.schedules import make_optimizer

    spec = PRESETS[preset].spec
    config = TrainConfig()
    model = build_model(spec)
    optimizer = make_optimizer(model.parameters(), config)
    model(torch.rand(2, *spec.input)).sum().backward()
    optimizer.step()
    classes = spec.num_classes
    history = [EpochStats(epoch=e, step=e * 70, train_loss=0.5, train_accuracy=0.9, test_loss=0.4,
                          test_accuracy=0.91, per_class_accuracy=np.full(classes, 0.9),
                          confusion=np.eye(classes, dtype=np.int64) * 50, seconds=3.0, images_per_s=1e4, lr=1e-3)
               for e in range(1, 21)]
    ckpt = Checkpoint(spec=spec, state=model.state_dict(), optimizer=optimizer.state_dict(),
                      schedule={"base_lr": 1e-3, "schedule": "none"}, epoch=20, step=1400,
                      rng=capture_rng(seed_everything(0)), config=config, history=history,
                      dataset=PRESETS[preset].dataset, class_names=tuple(str(i) for i in range(classes)),
                      mean=(0.5,) * spec.input[0], std=(0.25,) * spec.input[0])
    save_checkpoint(path, ckpt)
    return path


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _refused(path: Path) -> None:
    from engine.io.checkpoint import CheckpointError, load_checkpoint

    try:
        load_checkpoint(path)
    except CheckpointError:
        return
    raise AssertionError(f"{path} was not refused")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from safetensors import safe_open
    from safetensors.torch import save_file

    from engine.io.checkpoint import load_checkpoint

    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for preset in ("seed000", "cifar-vgg-small"):
            good = make_file(Path(folder) / f"{preset}.safetensors", preset)
            with safe_open(str(good), framework="pt") as handle:
                meta = json.loads(handle.metadata()["convscope"])
                tensors = {key: handle.get_tensor(key) for key in handle.keys()}
            wrong = dict(tensors, **{"model.conv1.weight": tensors["model.conv1.weight"][:1].clone()})
            save_file(wrong, f"{folder}/wrong.safetensors", metadata={"convscope": json.dumps(meta)})
            meta["spec"]["layers"] = [{"type": "flatten"}] + [{"type": "linear", "out_features": 65536}] * 3
            save_file(tensors, f"{folder}/budget.safetensors", metadata={"convscope": json.dumps(meta)})
            out[preset] = {
                "file_bytes": good.stat().st_size,
                "load_ms": round(_median_ms(lambda good=good: load_checkpoint(good), args.repeat), 2),
                "refuse_wrong_shape_ms": round(_median_ms(lambda: _refused(Path(folder) / "wrong.safetensors"),
                                                          args.repeat), 2),
                "refuse_over_budget_ms": round(_median_ms(lambda: _refused(Path(folder) / "budget.safetensors"),
                                                          args.repeat), 2),
            }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for preset, numbers in out.items():
            print(f"{preset}: {numbers['file_bytes'] / 2**20:.1f} MiB, load {numbers['load_ms']:.1f} ms, "
                  f"refuse a wrong shape {numbers['refuse_wrong_shape_ms']:.1f} ms, "
                  f"refuse a spec over budget {numbers['refuse_over_budget_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
