"""The CLI's ``stats`` command: a model's per-layer statistics on a batch of its test images.

Weight and gradient norms (the gradient of the cross-entropy on that batch, no optimizer step),
activation mean/std, dead ReLU units and NaN/Inf counts, then the warnings the app's *Layers over
time* view would show. torch loads only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import math

from engine.cli.common import EXIT_OK, CliError, model_images

__all__ = ["add_commands", "cmd_stats", "stats_rows"]


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="per-layer weight/gradient norms, activations and dead units of a model")
    p.add_argument("--model", required=True, help="a model file written by train or the app")
    p.add_argument("--data", help="dataset whose test images are used (default: the model's own)")
    p.add_argument("--data-dir", help="folder holding the dataset files (default: the app's data cache)")
    p.add_argument("--images", type=int, default=128, help="how many test images (default 128)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)


def _batch(ckpt, args: argparse.Namespace):
    """The first ``--images`` test images (train when there is no test split), prepared, and their labels."""
    from engine.training.evaluate import prepare_batch

    info, split = model_images(ckpt, args.data, args.data_dir)
    n = min(args.images, len(split))
    return prepare_batch(split.images[:n], tuple(info.mean), tuple(info.std), False), split.labels[:n].long()


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def stats_rows(stats) -> list[dict]:
    """One dict per layer output: its norms (layers with parameters) and activation numbers."""
    from engine.training.layer_stats import HIST_BINS

    rows = []
    for a, name in enumerate(stats.activations):
        row = {"layer": name, "weight_norm": None, "grad_norm": None, "act_mean": _number(stats.act_mean[a]),
               "act_std": _number(stats.act_std[a]), "dead_fraction": _number(stats.dead[a]),
               "act_nan": int(stats.hist_acts[a, HIST_BINS + 2]), "act_inf": int(stats.hist_acts[a, HIST_BINS + 3]),
               "weight_nan": 0, "weight_inf": 0}
        if name in stats.params:
            p = stats.params.index(name)
            row.update(weight_norm=_number(stats.weight_norm[p]), grad_norm=_number(stats.grad_norm[p]),
                       weight_nan=int(stats.hist_weights[p, HIST_BINS + 2]),
                       weight_inf=int(stats.hist_weights[p, HIST_BINS + 3]))
        rows.append(row)
    return rows


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def cmd_stats(args: argparse.Namespace) -> int:
    import torch

    from engine.io.checkpoint import CheckpointError, load_checkpoint
    from engine.model.build import build_model
    from engine.training.layer_stats import LayerStatsHistory, diagnose
    from engine.training.stats_probe import measure_once

    if args.images < 1:
        raise CliError(f"--images must be at least 1, got {args.images}")
    try:
        ckpt = load_checkpoint(args.model)
    except CheckpointError as exc:
        raise CliError(str(exc)) from None
    model = build_model(ckpt.spec)
    model.load_state_dict({k: torch.as_tensor(v) for k, v in ckpt.state.items()})
    images, labels = _batch(ckpt, args)
    stats = measure_once(model, images, labels)
    rows = stats_rows(stats)
    warnings = [f.message for f in diagnose(LayerStatsHistory([stats]))]
    if args.json:
        print(json.dumps({"model": args.model, "images": len(labels), "step": ckpt.step, "layers": rows,
                          "warnings": warnings}))
        return EXIT_OK
    table = [("layer", "weight norm", "grad norm", "act mean", "act std", "dead", "NaN/Inf")]
    for r in rows:
        bad = r["act_nan"] + r["act_inf"] + r["weight_nan"] + r["weight_inf"]
        table.append((r["layer"], _cell(r["weight_norm"], ".4g"), _cell(r["grad_norm"], ".3g"),
                      _cell(r["act_mean"], ".4g"), _cell(r["act_std"], ".4g"), _cell(r["dead_fraction"], ".0%"),
                      str(bad)))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    print(f"{args.model}: {len(labels)} test images, step {ckpt.step}")
    for n, row in enumerate(table):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for message in warnings:
        print(f"warning: {message}")
    return EXIT_OK
