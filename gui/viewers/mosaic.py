"""Pure helpers of the feature-map and kernel viewers: which layers are signed, nice colour
levels, tiles scaled per map or per layer, kernels enlarged into a mosaic, plot set-up.

numpy only (plus duck-typed pyqtgraph items); no widgets are made here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg

from engine.model.layers import signed_outputs
from engine.model.shapes import ShapeReport
from engine.model.spec import NetworkSpec
from gui.widgets import colormaps

__all__ = [
    "TILE_PX",
    "conv_weight_shapes",
    "follow_levels",
    "image_plot",
    "kernel_mosaic",
    "kernel_view",
    "nice_ceil",
    "nice_levels",
    "scaled_tiles",
    "setup_image_plot",
    "shape_text",
    "signed_layers",
]

TILE_PX = 24  # a kernel is enlarged to about this many image pixels
_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def signed_layers(spec: NetworkSpec) -> dict[str, bool]:
    """Per layer name: can its output be negative (so a diverging colour map fits)?

    The layer registry decides (``engine.model.layers.signed_outputs``); the normalized input
    counts as signed."""
    return dict(zip(spec.names, signed_outputs(spec.layers)))


def conv_weight_shapes(spec: NetworkSpec, report: ShapeReport | None = None) -> dict[str, tuple[int, int, int, int]]:
    """Per conv layer name: its weight shape (Cout, Cin, kh, kw), from the shape report
    (``AppState.report``; analysed here only when not given)."""
    if report is None:
        from engine.model.shapes import analyze

        report = analyze(spec)
    shapes = {}
    for layer, info in zip(spec.layers, report.layers):
        if layer["type"] == "conv2d":
            cout, cin = info.output_shape[0], info.input_shape[0]
            k = layer.get("kernel_size", 3)
            kh, kw = (k, k) if isinstance(k, int) else (int(k[0]), int(k[1]))
            shapes[info.name] = (cout, cin, kh, kw)
    return shapes


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(v) for v in shape)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ ``value`` (> 0).

    Colour levels snap to these, so the colour bar keeps its labels while the input changes
    (relabelling an axis is the costliest part of a repaint)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in _NICE if step * power >= value * (1 - 1e-9))


def nice_levels(lo: float, hi: float, symmetric: bool) -> tuple[float, float]:
    """Levels that contain ``[lo, hi]``, snapped to nice bounds (symmetric around 0 if asked)."""
    if symmetric:
        m = nice_ceil(max(abs(lo), abs(hi)))
        return (-m, m)
    top = nice_ceil(hi) if hi > 0 else 0.0
    bottom = 0.0 if lo >= 0 else -nice_ceil(-lo)
    if top <= bottom:
        top = bottom + 1.0
    return (bottom, top)


def follow_levels(bar: Any, levels: tuple[float, float]) -> None:
    """Move a colour bar's axis to the image's levels, skipping changes under 2% of the span
    (relabelling the axis is the costliest part of a repaint)."""
    lo, hi = bar.levels()
    span = max(hi - lo, 1e-12)
    if abs(levels[0] - lo) > 0.02 * span or abs(levels[1] - hi) > 0.02 * span:
        bar.setLevels(values=levels, update_items=False)


def setup_image_plot(plot: Any) -> None:
    """A pyqtgraph plot for images: no axes, square pixels, row 0 on top, no menu or buttons."""
    for side in ("left", "bottom", "right", "top"):
        plot.hideAxis(side)
    plot.setAspectLocked(True)
    plot.invertY(True)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def image_plot(view: pg.GraphicsLayoutWidget, col: int, cmap: str) -> tuple[Any, pg.ImageItem, pg.ColorBarItem]:
    """A plot in column ``col`` of ``view`` holding one row-major image with a colour bar."""
    plot = view.addPlot(row=0, col=col)
    setup_image_plot(plot)
    image = pg.ImageItem(axisOrder="row-major")
    plot.addItem(image)
    bar = pg.ColorBarItem(interactive=False, width=12, colorMap=colormaps.get(cmap))
    bar.setImageItem(image, insert_in=plot)
    return plot, image, bar


def scaled_tiles(data: np.ndarray, per_map: bool, diverging: bool) -> tuple[np.ndarray, tuple[float, float]]:
    """Maps ``(C, H, W)`` and their colour levels: per map each stretched to its own range
    (±1 or 0..1), per layer as they are with nice levels around the layer's range."""
    if not per_map:
        return data, nice_levels(float(data.min()), float(data.max()), diverging)
    if diverging:
        m = np.abs(data).max(axis=(1, 2), keepdims=True)
        return data / np.where(m > 0, m, 1.0), (-1.0, 1.0)
    lo = data.min(axis=(1, 2), keepdims=True)
    span = data.max(axis=(1, 2), keepdims=True) - lo
    return (data - lo) / np.where(span > 0, span, 1.0), (0.0, 1.0)


def kernel_view(weights: np.ndarray, mode: str, channel: int) -> np.ndarray:
    """What is shown of ``(Cout, Cin, kh, kw)`` weights: ``(N, kh, kw, 3)`` in RGB mode (3 inputs),
    the mean over inputs, or one input channel ``(N, kh, kw)``."""
    cin = weights.shape[1]
    if mode == "rgb" and cin == 3:
        return weights.transpose(0, 2, 3, 1)
    if mode == "mean":
        return weights.mean(axis=1)
    return weights[:, min(channel, cin - 1)]


def kernel_mosaic(kernels: np.ndarray, scale: float) -> tuple[np.ndarray, int, tuple[int, int]]:
    """Kernels enlarged ``factor`` times (about ``TILE_PX`` pixels) and tiled with 1-px gaps.

    Returns (image, factor, (rows, cols)): float with NaN gaps for ``(N, kh, kw)``, RGBA uint8
    with transparent gaps for ``(N, kh, kw, 3)`` (0 is mid grey, ±``scale`` full colour)."""
    n, kh, kw = kernels.shape[:3]
    factor = max(1, TILE_PX // max(kh, kw))
    big = np.repeat(np.repeat(kernels, factor, axis=1), factor, axis=2)
    rows, cols = colormaps.grid_dims(n, kh, kw)
    if kernels.ndim == 4:
        rgb = np.clip(0.5 + 0.5 * big / scale, 0.0, 1.0)
        rgba = np.concatenate([rgb, np.ones(rgb.shape[:3] + (1,), rgb.dtype)], axis=3)
        return (colormaps.mosaic(rgba, cols, fill=0.0) * 255).round().astype(np.ubyte), factor, (rows, cols)
    return colormaps.mosaic(big, cols), factor, (rows, cols)
