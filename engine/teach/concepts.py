"""What the notes teach beyond the 2-D walk-through, as numbers: 1-D and 1×1 convolution, dropout's
scaling and pooling's robustness to a one-pixel shift.

Each function answers a small frozen record the explainer draws; the tests check every number
against torch. Numpy only: no torch, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.teach.checks import format_number
from engine.teach.conv_reference import max_pool2d

__all__ = [
    "SEED003_SIGNAL", "SEED003_SMOOTHING", "SEED003_SIGNAL_OUTPUT", "MIXING_WEIGHTS", "MIXING_BIAS",
    "Conv1dResult", "conv1d", "MixResult", "conv1x1", "DropoutDemo", "dropout_demo", "ShiftResult",
    "shift_robustness", "shift_example", "bottleneck_macs",
]

# seed 003, 5.1.3: "입력이 [1, 1, 1, 1, 1]이고, 필터가 [0.25, 0.5, 0.25]라면, 출력은 [1, 1, 1]"
SEED003_SIGNAL = np.ones(5)
SEED003_SMOOTHING = np.array([0.25, 0.5, 0.25])
SEED003_SIGNAL_OUTPUT = np.ones(3)

# 1×1 convolution on the RGB example: filter 0 is the grey level (ITU-R 601 weights), filter 1 R − G.
MIXING_WEIGHTS = np.array([[0.299, 0.587, 0.114], [1.0, -1.0, 0.0]])
MIXING_BIAS = np.array([0.0, 0.0])


@dataclass(frozen=True)
class Conv1dResult:
    """A 1-D convolution written out: the padded signal, each window's sum of products."""

    signal: np.ndarray
    kernel: np.ndarray
    padding: int
    output: np.ndarray
    lines: tuple[str, ...]  # "(1×0.25) + (1×0.5) + (1×0.25) = 1" per output value


def conv1d(signal: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0) -> Conv1dResult:
    """Slide ``kernel`` over ``signal`` (zero ``padding`` each side) as a CNN does: no flip."""
    x = np.pad(np.asarray(signal, dtype=float), padding)
    k = np.asarray(kernel, dtype=float)
    if stride < 1 or k.size < 1 or x.size < k.size:
        raise ValueError(f"a {k.size}-tap filter does not fit a {x.size}-value padded signal with stride {stride}")
    starts = range(0, x.size - k.size + 1, stride)
    output = np.array([float(x[s:s + k.size] @ k) for s in starts])
    lines = tuple(" + ".join(f"({format_number(a)}×{format_number(b)})" for a, b in zip(x[s:s + k.size], k))
                  + f" = {format_number(v)}" for s, v in zip(starts, output))
    return Conv1dResult(np.asarray(signal, dtype=float), k, padding, output, lines)


@dataclass(frozen=True)
class MixResult:
    """A 1×1 convolution: every pixel's channel vector times the (F, C) weight matrix."""

    image: np.ndarray  # (C, H, W)
    weights: np.ndarray  # (F, C)
    bias: np.ndarray  # (F,)
    output: np.ndarray  # (F, H, W)
    params: int  # F·C + F
    pixel_line: str  # pixel (0, 0) written out for filter 0


def conv1x1(image: np.ndarray, weights: np.ndarray, bias: np.ndarray | None = None) -> MixResult:
    """Mix the channels of ``image`` ``(C, H, W)`` with ``weights`` ``(F, C)``; H and W stay."""
    x = np.asarray(image, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.ndim != 3 or w.ndim != 2 or w.shape[1] != x.shape[0]:
        raise ValueError(f"a 1×1 convolution needs (C, H, W) and (F, C) with the same C, got {x.shape} and {w.shape}")
    b = np.zeros(w.shape[0]) if bias is None else np.asarray(bias, dtype=float)
    output = np.einsum("fc,chw->fhw", w, x) + b[:, None, None]
    terms = " + ".join(f"({format_number(v)}×{format_number(k)})" for v, k in zip(x[:, 0, 0], w[0]))
    line = f"{terms} + {format_number(b[0])} = {format_number(output[0, 0, 0])}"
    return MixResult(x, w, b, output, int(w.size + b.size), line)


@dataclass(frozen=True)
class DropoutDemo:
    """One draw of dropout in training: the kept mask, the scaled output and the expected value."""

    values: np.ndarray
    p: float
    mask: np.ndarray  # True: kept
    output: np.ndarray  # values × mask / (1 − p)
    scale: float  # 1 / (1 − p)
    mean_in: float
    mean_out: float  # this draw
    mean_many: float  # the average of ``trials`` draws' means: close to ``mean_in``
    unscaled_many: float  # the same without the 1/(1 − p): close to (1 − p) × ``mean_in``
    trials: int


def dropout_demo(values: np.ndarray, p: float, seed: int = 0, trials: int = 2000) -> DropoutDemo:
    """Drop each value with probability ``p`` and scale the kept ones by 1/(1 − p), like ``nn.Dropout``."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p}")
    x = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    scale = 1.0 / (1.0 - p)
    mask = rng.random(x.shape) >= p
    many = rng.random((trials,) + x.shape) >= p
    return DropoutDemo(x, p, mask, x * mask * scale, scale, float(x.mean()), float((x * mask * scale).mean()),
                       float((x * many * scale).mean()), float((x * many).mean()), trials)


@dataclass(frozen=True)
class ShiftResult:
    """An image and its one-pixel shift, before and after max pooling, and how much changed."""

    image: np.ndarray
    shifted: np.ndarray
    pooled: np.ndarray
    pooled_shifted: np.ndarray
    pixels_changed: float  # fraction of input cells that differ
    pooled_changed: float  # fraction of pooled cells that differ


def shift_example() -> np.ndarray:
    """An 8×8 picture of a small cross and a bar, 0…9 (the default input of the shift mode)."""
    image = np.zeros((8, 8))
    image[1:4, 2] = 9
    image[2, 1:4] = 9
    image[5, 4:7] = 6
    image[6, 5] = 3
    return image


def shift_robustness(image: np.ndarray, window: int = 2, dx: int = 1, dy: int = 0) -> ShiftResult:
    """Shift ``image`` (H, W) by ``dx`` columns and ``dy`` rows (zeros come in) and max-pool both.

    Max pooling keeps a window's maximum wherever it lies inside the window, so many pooled cells
    do not change although most input cells do (seed 004: 입력의 변화에 영향을 적게 받는다).
    """
    x = np.asarray(image, dtype=float)
    shifted = np.zeros_like(x)
    h, w = x.shape
    shifted[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = x[max(-dy, 0):h - max(dy, 0),
                                                                      max(-dx, 0):w - max(dx, 0)]
    pooled, pooled_shifted = max_pool2d(x, window), max_pool2d(shifted, window)
    nonzero = (x != 0) | (shifted != 0)  # count only cells where something is drawn
    pixels = float(((x != shifted) & nonzero).sum() / max(nonzero.sum(), 1))
    pooled_nonzero = (pooled != 0) | (pooled_shifted != 0)
    pooled_frac = float(((pooled != pooled_shifted) & pooled_nonzero).sum() / max(pooled_nonzero.sum(), 1))
    return ShiftResult(x, shifted, pooled, pooled_shifted, pixels, pooled_frac)


def bottleneck_macs(c_in: int = 256, c_mid: int = 64, c_out: int = 256, size: int = 28,
                    kernel: int = 3) -> tuple[int, int]:
    """Multiply–accumulates of a ``kernel``×``kernel`` conv from ``c_in`` to ``c_out`` channels on a
    ``size``×``size`` map ('same' padding): directly, and after a 1×1 conv down to ``c_mid`` channels."""
    direct = size * size * kernel * kernel * c_in * c_out
    reduced = size * size * c_in * c_mid + size * size * kernel * kernel * c_mid * c_out
    return direct, reduced
