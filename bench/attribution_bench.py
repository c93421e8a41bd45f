"""Attribution and filter visualisation speed (seed000 trained briefly on the bundled MNIST sample,
CPU, one torch thread as the GUI's inference uses). Medians and p95 over real test digits:

1. stroke end → Grad-CAM + saliency for the predicted class (the engine's part; the Why view
   adds its repaint);
2. SmoothGrad (16 samples), Integrated Gradients (32 steps), occlusion (4×4 window, stride 2);
3. activation maximisation of all 32 conv1 channels (200 steps, one batch);
4. top-9 patches of every channel of conv1 and conv2 over the 10,000 MNIST test images
   (``--data-dir``, default ../shared/data/mnist or /work/shared/data/mnist; the 500 sample test
   digits when missing).

The machine may be shared: run it twice and look at the spread.

Run: .venv/bin/python bench/attribution_bench.py [--epochs N] [-n N] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from engine.data.loading import load_dataset  # noqa: E402
from engine.data.registry import DatasetError  # noqa: E402
from engine.data.transforms import normalize  # noqa: E402
from engine.inspect.activations import model_from_state  # noqa: E402
from engine.inspect.attribution import attribute, blank_value  # noqa: E402
from engine.inspect.maximize import maximize  # noqa: E402
from engine.inspect.top_patches import top_patches  # noqa: E402
from engine.model.presets import get_preset  # noqa: E402
from engine.training.events import TrainConfig  # noqa: E402
from engine.training.session import TrainingSession, state_to_numpy  # noqa: E402

TARGETS_MS = {"gradcam+saliency": ("p95", 16), "ig": ("median", 60), "occlusion": ("median", 100)}


def stats(times_s: list[float]) -> tuple[float, float]:
    ms = np.asarray(times_s) * 1000
    return float(np.median(ms)), float(np.percentile(ms, 95))


def timed(call, inputs) -> list[float]:
    out = []
    for x in inputs:
        started = time.perf_counter()
        call(x)
        out.append(time.perf_counter() - started)
    return out


def shared_mnist(data_dir: str | None):
    candidates = [data_dir] if data_dir else [str(ROOT.parent / "shared" / "data" / "mnist"),
                                              "/work/shared/data/mnist"]
    for folder in candidates:
        if folder and Path(folder).exists():
            try:
                return load_dataset("mnist", folder).test, f"MNIST test ({folder})"
            except DatasetError:
                continue
    return None, ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument("--data-dir")
    args, _ = parser.parse_known_args()
    spec = get_preset("seed000").spec
    data = load_dataset("mnist-sample")
    session = TrainingSession(spec, data, TrainConfig(epochs=args.epochs, batch_size=64, seed=0,
                                                      snapshot_interval_s=0))
    finish = session.run()
    print(f"seed000 trained {args.epochs} epoch(s) on the sample: test accuracy {finish.test_accuracy:.2%}")
    model = model_from_state(spec, state_to_numpy(session.model))
    torch.set_num_threads(1)
    mean, std = data.info.mean, data.info.std
    blank = blank_value(mean, std)
    inputs = list(normalize(data.test.images[: args.n], data.info).numpy())

    def both(x):
        attribute(model, spec, x, "gradcam")
        attribute(model, spec, x, "saliency")

    runs = {
        "gradcam+saliency": both,
        "gradcam": lambda x: attribute(model, spec, x, "gradcam"),
        "saliency": lambda x: attribute(model, spec, x, "saliency"),
        "smoothgrad": lambda x: attribute(model, spec, x, "smoothgrad"),
        "ig": lambda x: attribute(model, spec, x, "ig", blank=blank),
        "occlusion": lambda x: attribute(model, spec, x, "occlusion", blank=blank),
    }
    print(f"one torch thread, {len(inputs)} real test digits each (ms):")
    for name, call in runs.items():
        timed(call, inputs[:3])  # warm up (captum's first import is not a stroke)
        median, p95 = stats(timed(call, inputs))
        target = TARGETS_MS.get(name)
        verdict = ""
        if target:
            value = p95 if target[0] == "p95" else median
            verdict = f"  target {target[0]} ≤ {target[1]} ms: {'ok' if value <= target[1] else 'OVER'}"
        print(f"  {name:<17} median {median:7.2f}  p95 {p95:7.2f}{verdict}")

    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        result = maximize(model, spec, "conv1", mean=mean, std=std)
        seconds.append(time.perf_counter() - started)
    print(f"activation maximisation, 32 conv1 channels × 200 steps: median {np.median(seconds):.2f} s "
          f"(runs {', '.join(f'{s:.2f}' for s in seconds)}; target ≤ 5 s); mean activation "
          f"{float(result.activations.mean()):.3f}")

    split, source = shared_mnist(args.data_dir)
    if split is None:
        split, source = data.test, "the 500 sample test digits (MNIST test set not found)"
    seconds = []
    for _ in range(3):
        started = time.perf_counter()
        for layer in ("conv1", "conv2"):
            top_patches(model, spec, split.images, layer, k=9, mean=mean, std=std)
        seconds.append(time.perf_counter() - started)
    print(f"top-9 patches, conv1 + conv2 over {len(split):,} images of {source}: median "
          f"{np.median(seconds):.2f} s (runs {', '.join(f'{s:.2f}' for s in seconds)}; target ≤ 10 s)")


if __name__ == "__main__":
    main()
