"""Where each output position of a layer looks in the input: its exact receptive-field window.

Per axis, every layer maps an output index ``i`` to a range of its input's indices:
convolution ``[i·s − p, i·s − p + d·(k − 1)]`` (``"same"`` padding puts ``⌊d·(k − 1)/2⌋`` before,
as torch does), pooling the same with ``d = 1``, adaptive pooling ``[⌊i·n/o⌋, ⌈(i+1)·n/o⌉ − 1]``,
element-wise layers (activations, BatchNorm, Dropout) the identity. Composing these from the
input gives each position's window in input pixels. Indices in the padding (before 0 or after
the end) extend the previous layer's windows by its jump, so for a chain of ordinary layers the
window of ``i`` starts at ``start + i·jump`` and is the shape report's receptive field wide, with
``start = −Σ p_l·jump_(l−1)``. Windows may reach outside the image; callers clip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec, resolve_layer

__all__ = ["Windows", "input_windows", "spatial_layer_names"]


@dataclass(frozen=True)
class Windows:
    """The input window of every position of ``layer``'s output, per axis, unclipped.

    ``rows[i] = (top, bottom)`` and ``cols[j] = (left, right)``, bottom and right exclusive.
    ``size``: the largest window ``(height, width)`` (the receptive field of the shape report).
    """

    layer: str
    rows: np.ndarray
    cols: np.ndarray
    size: tuple[int, int]


def spatial_layer_names(spec: NetworkSpec) -> list[str]:
    """Layers whose output is an image ``C×H×W`` (before flatten), in order."""
    return [layer.name for layer in analyze(spec).layers if len(layer.output_shape) == 3]


def _index_map(layer: dict, axis: int, size_in: int, size_out: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last (inclusive) input index each output index reads, for one axis."""
    i = np.arange(size_out, dtype=np.int64)
    kind = layer["type"]
    if kind == "adaptiveavgpool2d":
        return (i * size_in) // size_out, -((-(i + 1) * size_in) // size_out) - 1
    if kind in ("conv2d", "maxpool2d", "avgpool2d"):
        k, s = layer["kernel_size"][axis], layer["stride"][axis]
        d = layer["dilation"][axis] if kind == "conv2d" else 1
        span = d * (k - 1)
        p = span // 2 if layer["padding"] == "same" else layer["padding"][axis]
        return i * s - p, i * s - p + span
    return i, i


def _extend(lo: np.ndarray, hi: np.ndarray, jump: int, first: np.ndarray, last: np.ndarray):
    """Input windows of previous-layer indices ``first..last``, extended by ``jump`` into padding."""
    n = len(lo)
    low = np.where(first < 0, lo[0] + first * jump, lo[np.clip(first, 0, n - 1)])
    high = np.where(last >= n, hi[-1] + (last - n + 1) * jump, hi[np.clip(last, 0, n - 1)])
    return low, high


def input_windows(spec: NetworkSpec, layer: str) -> Windows:
    """Each output position's window in input pixels for spatial layer ``layer`` of ``spec``.

    Raises ``ValueError`` naming the spatial layers when ``layer`` is unknown or flat."""
    report = analyze(spec)
    names = [info.name for info in report.layers]
    spatial = spatial_layer_names(spec)
    if layer not in spatial:
        what = f"{layer} has no spatial output" if layer in names else f"there is no layer named {layer}"
        raise ValueError(f"{what}; layers with one: {', '.join(spatial) or 'none'}")
    axes = []
    for axis in (0, 1):
        size = int(spec.input[axis + 1])
        lo, hi = np.arange(size, dtype=np.int64), np.arange(size, dtype=np.int64) + 1
        jump = 1
        for raw, info in zip(spec.layers, report.layers):
            first, last = _index_map(resolve_layer(raw), axis, info.input_shape[axis + 1],
                                     info.output_shape[axis + 1])
            lo, hi = _extend(lo, hi, jump, first, last)
            jump = info.jump[axis]
            if info.name == layer:
                break
        axes.append(np.stack([lo, hi], axis=1))
    size = (int((axes[0][:, 1] - axes[0][:, 0]).max()), int((axes[1][:, 1] - axes[1][:, 0]).max()))
    return Windows(layer, axes[0], axes[1], size)
