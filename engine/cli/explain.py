"""The CLI's looking-inside commands: ``explain`` (why a model chose a class: a heat map over the
image) and ``filters`` (what each filter wants to see: activation maximisation and top patches).
torch and captum load only when a command runs."""

from __future__ import annotations

import argparse
import json
import time

from engine.cli.common import EXIT_OK, CliError, model_images
from engine.inspect.methods import METHOD_TITLES, METHODS, blank_value

__all__ = ["add_commands", "cmd_explain", "cmd_filters"]

RANDOM_NOTE = "weights are random (the model was never trained)"
FILTER_KINDS = ("both", "maximize", "patches")
_TILE = 56  # pixels a maximisation image or a patch grid is scaled up to, about
_HEAT_SIZE = 224


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="why a trained model chose a class for an image: a heat map (PNG)")
    p.add_argument("--model", required=True, help="a model file written by train or the app")
    p.add_argument("image", metavar="IMAGE", help="PNG/JPEG of any size, either ink polarity")
    p.add_argument("--method", choices=METHODS, default="gradcam", help="attribution method (default gradcam)")
    p.add_argument("--layer", help="Grad-CAM's layer (default: the last spatial layer)")
    p.add_argument("--target", type=int, help="class index to explain (default: the predicted class)")
    p.add_argument("--out", required=True, help="write the heat map PNG here")
    p.add_argument("--steps", type=int, default=32, help="Integrated Gradients: integration points")
    p.add_argument("--samples", type=int, default=16, help="SmoothGrad: noisy copies")
    p.add_argument("--noise", type=float, default=0.15, help="SmoothGrad: noise, a fraction of the input range")
    p.add_argument("--window", type=int, default=4, help="occlusion: window side in pixels")
    p.add_argument("--stride", type=int, default=2, help="occlusion: step of the window")
    p.add_argument("--random-weights", action="store_true",
                   help="sanity check: explain a copy with re-initialised weights instead")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("filters", help="what a layer's filters detect: activation maximisation and top patches")
    p.add_argument("--model", required=True)
    p.add_argument("--layer", required=True, help="a conv-like layer (or the last linear layer: one image per class)")
    p.add_argument("--out", required=True, help="write the mosaic PNG here")
    p.add_argument("--kind", choices=FILTER_KINDS, default="both")
    p.add_argument("--data", help="dataset searched for top patches (default: the model's own, its test split)")
    p.add_argument("--data-dir", help="folder holding the dataset files (default: the app's data cache)")
    p.add_argument("--limit", type=int, help="search only the first N images")
    p.add_argument("--k", type=int, default=9, help="top patches per filter")
    p.add_argument("--steps", type=int, default=200, help="activation maximisation: ascent steps")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_filters)


def _checkpoint(path: str):
    from engine.io.checkpoint import CheckpointError, load_checkpoint

    try:
        return load_checkpoint(path)
    except CheckpointError as exc:
        raise CliError(str(exc)) from None


def _model(ckpt):
    """The checkpoint's network in eval mode, on the CPU."""
    from engine.model.build import build_model

    model = build_model(ckpt.spec).eval()
    model.load_state_dict(ckpt.state)
    return model


def _stats(ckpt) -> tuple[tuple[float, ...], tuple[float, ...]]:
    channels = int(ckpt.spec.input[0])
    return tuple(ckpt.mean or (0.5,) * channels), tuple(ckpt.std or (0.5,) * channels)


def _notes(ckpt, *more: str) -> str:
    untrained = ckpt.epoch == 0 and ckpt.step == 0 and not ckpt.history
    return "; ".join(n for n in ((RANDOM_NOTE if untrained else ""), *more) if n)


def _save_png(path: str, rgb) -> None:
    from PIL import Image

    from engine.io.fileio import atomic_write

    try:
        atomic_write(path, lambda tmp: Image.fromarray(rgb).save(tmp, format="PNG"))
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_explain(args: argparse.Namespace) -> int:
    from engine.inspect.attribution import AttributionError, attribute, randomized_copy
    from engine.inspect.canvas import ImageError, load_image_file, network_view

    ckpt = _checkpoint(args.model)
    spec = ckpt.spec
    mean, std = _stats(ckpt)
    try:
        x, seen, empty = network_view(load_image_file(args.image), tuple(spec.input), mean, std)
    except (ImageError, ValueError) as exc:
        raise CliError(str(exc)) from None
    if empty:
        raise CliError(f"{args.image} shows no digit: no ink stands out from the background")
    model = _model(ckpt)
    if args.random_weights:
        model = randomized_copy(model, seed=0)
    try:
        result = attribute(model, spec, x[0], args.method, target=args.target, layer=args.layer, steps=args.steps,
                           samples=args.samples, noise=args.noise, window=args.window, stride=args.stride,
                           blank=blank_value(mean, std))
    except AttributionError as exc:
        raise CliError(str(exc)) from None
    names = tuple(ckpt.class_names) or tuple(str(i) for i in range(spec.num_classes))
    probability = float(result.probabilities[result.target])
    note = _notes(ckpt, "sanity check: randomised weights" if args.random_weights else "", result.note)
    limit = float(abs(result.heat).max())
    _save_png(args.out, _heat_figure(seen, result, names[result.target], probability, limit))
    if args.json:
        print(json.dumps({
            "image": args.image, "method": result.method, "title": METHOD_TITLES[result.method],
            "layer": result.layer, "target": result.target, "class": names[result.target],
            "prediction": names[int(result.probabilities.argmax())],
            "probabilities": [round(float(p), 6) for p in result.probabilities], "signed": result.signed,
            "legend": f"{-limit if result.signed else 0.0:.4g} … {limit:.4g}", "note": note, "out": args.out}))
    else:
        layer = f" at {result.layer}" if result.layer else ""
        print(f"{args.image}: {METHOD_TITLES[result.method]}{layer} for class {names[result.target]} "
              f"({probability:.1%}) → {args.out}" + (f" ({note})" if note else ""))
    return EXIT_OK


def _heat_figure(seen, result, name: str, probability: float, limit: float):
    import numpy as np

    from engine.inspect.render import colour_bar, label, overlay, side_by_side, upscale

    base = np.asarray(seen)
    factor = max(1, _HEAT_SIZE // max(base.shape[:2]))
    left = label(upscale(base, factor), "input")
    right = label(upscale(overlay(base, result.heat, result.signed), factor),
                  f"{result.title}: {name} ({probability:.1%})")
    bar = label(colour_bar(right.shape[0] - 14, result.signed, limit if limit > 0 else 1.0), "")
    return side_by_side([left, right, bar])


def _search_images(ckpt, args: argparse.Namespace):
    """uint8 test images (the train split when there is none) of ``--data`` or the model's dataset."""
    info, split = model_images(ckpt, args.data, args.data_dir)
    images = split.images if args.limit is None else split.images[: max(1, args.limit)]
    return info.name, images


def cmd_filters(args: argparse.Namespace) -> int:
    from engine.inspect.maximize import maximize, objective_layer
    from engine.inspect.receptive import spatial_layer_names
    from engine.inspect.render import to_pixels
    from engine.inspect.top_patches import top_patches

    ckpt = _checkpoint(args.model)
    spec = ckpt.spec
    names = _layer_names(spec)
    if args.layer not in names:
        raise CliError(f"there is no layer named {args.layer}; layers: {', '.join(names)}")
    spatial = args.layer in spatial_layer_names(spec)
    if args.kind == "patches" and not spatial:
        raise CliError(f"{args.layer} has no spatial output, so no patches; choose one of "
                       f"{', '.join(spatial_layer_names(spec))} or --kind maximize")
    if args.k < 1 or args.steps < 1:
        raise CliError("--k and --steps must be at least 1")
    mean, std = _stats(ckpt)
    model = _model(ckpt)
    started = time.perf_counter()
    out: dict = {"layer": args.layer, "kind": args.kind, "out": args.out}
    extra = "" if spatial or args.kind == "maximize" else f"{args.layer} has no spatial output: no top patches"
    pictures = top = None
    if args.kind in ("both", "maximize"):
        result = maximize(model, spec, args.layer, steps=args.steps, mean=mean, std=std)
        pictures = to_pixels(result.images, mean, std)
        out.update(measured_at=objective_layer(spec, args.layer), units=len(result.units),
                   activations=[round(float(a), 5) for a in result.activations])
    if args.kind in ("both", "patches") and spatial:
        dataset, images = _search_images(ckpt, args)
        top = top_patches(model, spec, images, args.layer, k=args.k, mean=mean, std=std)
        out.update(dataset=dataset, images_searched=len(images), units=len(top.indices),
                   top={"indices": top.indices.tolist(), "values": top.values.round(5).tolist(),
                        "boxes": top.boxes.tolist()})
    _save_png(args.out, _filters_figure(pictures, top))
    out.update(seconds=round(time.perf_counter() - started, 3), note=_notes(ckpt, extra))
    if args.json:
        print(json.dumps(out))
    else:
        parts = (("activation maximisation", pictures), ("top patches", top))
        what = " and ".join(word for word, value in parts if value is not None)
        print(f"{args.layer}: {what} for {out['units']} units → {args.out} ({out['seconds']:.1f}s)"
              + (f" ({out['note']})" if out["note"] else ""))
    return EXIT_OK


def _layer_names(spec) -> list[str]:
    from engine.model.shapes import analyze

    return list(analyze(spec).names)


def _filters_figure(pictures, top):
    """One cell per unit: its maximisation image beside a grid of its top patches, labelled."""
    import numpy as np

    from engine.inspect.render import label, mosaic, side_by_side, upscale

    count = len(pictures) if pictures is not None else len(top.patches)
    cells = []
    for unit in range(count):
        parts = []
        if pictures is not None:  # (C, H, W) → (H, W, C): tiny images leave no doubt which axis is which
            parts.append(upscale(np.moveaxis(pictures[unit], 0, -1), max(1, _TILE // max(pictures.shape[2:]))))
        if top is not None:
            patches = np.moveaxis(top.patches[unit], 1, -1)
            columns = int(np.ceil(np.sqrt(len(patches))))
            side = columns * max(patches.shape[1:3])
            parts.append(mosaic([upscale(p, max(1, _TILE // side)) for p in patches], columns=columns, gap=1))
        cells.append(label(side_by_side(parts, gap=3), f"{unit}"))
    height = max(c.shape[0] for c in cells)
    width = max(c.shape[1] for c in cells)
    padded = [np.pad(c, ((0, height - c.shape[0]), (0, width - c.shape[1]), (0, 0)), constant_values=255)
              for c in cells]
    return mosaic(padded, columns=min(8, len(padded)), gap=8)
