"""Concepts computed on the current network: BatchNorm on its real feature maps, "DNN vs CNN"
parameter counts from its spec, and im2col's memory cost (with col2im folding it back).

:func:`batchnorm_maps` runs a torch ``nn.Sequential`` (torch is imported by the caller's module);
the rest needs only the spec. No Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.model.report import ShapeReport
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec, resolve_layer
from engine.teach.im2col import col2im, im2col, im2col_shape

__all__ = ["BatchNormMaps", "batchnorm_maps", "normalize_per_channel", "DenseComparison", "dnn_vs_cnn",
           "MemoryRow", "im2col_memory", "coverage"]

EPS = 1e-5  # nn.BatchNorm2d's default


@dataclass(frozen=True)
class BatchNormMaps:
    """The feature maps fed to a BatchNorm (or the first conv's output) before and after normalising."""

    layer: str  # the layer whose output is normalised
    before: np.ndarray  # (C, N·H·W) per-channel values
    after: np.ndarray  # (C, N·H·W)
    mean_before: np.ndarray
    std_before: np.ndarray
    mean_after: np.ndarray
    std_after: np.ndarray


def normalize_per_channel(maps: np.ndarray, eps: float = EPS) -> np.ndarray:
    """``(N, C, H, W)`` → each channel minus its mean over N, H, W, over √(variance + eps) (biased variance)."""
    maps = np.asarray(maps, dtype=np.float64)
    mean = maps.mean(axis=(0, 2, 3), keepdims=True)
    var = maps.var(axis=(0, 2, 3), keepdims=True)
    return (maps - mean) / np.sqrt(var + eps)


def batchnorm_maps(module, x, names: list[str]) -> BatchNormMaps | None:
    """Run ``module`` (an ``nn.Sequential`` named by ``names``) on ``x`` ``(N, C, H, W)`` up to the input
    of its first BatchNorm2d (or the output of its first conv2d when it has none) and normalise that.

    Answers None when the network has neither (nothing 2-D to normalise).
    """
    import torch

    layers = list(module.children())
    stop = next((i for i, m in enumerate(layers) if isinstance(m, torch.nn.BatchNorm2d)), None)
    if stop is None:
        conv = next((i for i, m in enumerate(layers) if isinstance(m, torch.nn.Conv2d)), None)
        if conv is None:
            return None
        stop = conv + 1
    with torch.no_grad():
        out = torch.as_tensor(np.asarray(x, dtype=np.float32))
        for layer in layers[:stop]:
            out = layer(out)
    maps = out.double().numpy()
    after = normalize_per_channel(maps)
    c = maps.shape[1]
    before_flat = maps.transpose(1, 0, 2, 3).reshape(c, -1)
    after_flat = after.transpose(1, 0, 2, 3).reshape(c, -1)
    return BatchNormMaps(names[stop - 1], before_flat, after_flat, before_flat.mean(1), before_flat.std(1),
                         after_flat.mean(1), after_flat.std(1))


@dataclass(frozen=True)
class DenseComparison:
    """A linear layer on the flattened image against the spec's first conv layer and conv stack."""

    input_shape: tuple[int, ...]
    flat: int  # C·H·W
    conv_name: str
    conv_out: tuple[int, ...]  # the first conv's output shape
    conv_params: int
    dense_params: int  # a linear layer from the flat image to as many units as the conv outputs
    stack_params: int  # every layer up to the flatten
    head_params: int  # every layer after it
    neighbour_gap: int  # a pixel and the one below it are this far apart once flattened (= W)


def dnn_vs_cnn(spec: NetworkSpec, report: ShapeReport | None = None) -> DenseComparison | None:
    """The comparison for ``spec``; None when it has no conv layer."""
    report = report or analyze(spec)
    convs = [layer for layer in report.layers if layer.type == "conv2d"]
    if not convs:
        return None
    first = convs[0]
    flat_in = math.prod(report.input_shape)
    units = math.prod(first.output_shape)
    flatten = next((i for i, layer in enumerate(report.layers) if layer.type == "flatten"), len(report.layers))
    stack = sum(layer.params for layer in report.layers[:flatten])
    head = sum(layer.params for layer in report.layers[flatten:])
    return DenseComparison(tuple(report.input_shape), flat_in, first.name, tuple(first.output_shape), first.params,
                           flat_in * units + units, stack, head, int(report.input_shape[-1]))


@dataclass(frozen=True)
class MemoryRow:
    """One conv layer's input and its im2col matrix, per image, in float32 bytes."""

    layer: str
    input_shape: tuple[int, int, int]
    kernel: int
    matrix: tuple[int, int]  # (OH·OW, C·K·K)
    input_bytes: int
    matrix_bytes: int

    @property
    def ratio(self) -> float:
        return self.matrix_bytes / self.input_bytes


def im2col_memory(spec: NetworkSpec, report: ShapeReport | None = None, bytes_per_value: int = 4) -> list[MemoryRow]:
    """im2col's matrix against its input for every conv layer of ``spec`` (one image)."""
    report = report or analyze(spec)
    rows = []
    for layer in report.layers:
        if layer.type != "conv2d":
            continue
        settings = resolve_layer(spec.layers[layer.index])
        k, s = settings["kernel_size"], settings["stride"]
        p = (k[0] // 2, k[1] // 2) if settings["padding"] == "same" else settings["padding"]
        c, h, w = layer.input_shape
        matrix = im2col_shape((1, c, h, w), k, s, p, settings.get("dilation") or 1)
        rows.append(MemoryRow(layer.name, (c, h, w), k[0], matrix, c * h * w * bytes_per_value,
                              matrix[0] * matrix[1] * bytes_per_value))
    return rows


def coverage(shape: tuple[int, int], kernel: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """How many windows cover each cell: ``col2im(im2col(ones))`` (col2im adds overlapping windows)."""
    ones = np.ones((1, 1) + tuple(shape))
    cols = im2col(ones, kernel, stride, padding)
    return col2im(cols, ones.shape, kernel, stride, padding)[0, 0]
