"""Pictures of what the inspection finds, as uint8 RGB arrays (numpy and PIL, no Qt, no torch):
heat maps in a colour map over the input, colour bars, mosaics of tiles, and normalised inputs
(activation-maximisation images) back to pixels. The CLI writes them as PNG files."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["colorize", "overlay", "colour_bar", "mosaic", "to_pixels", "upscale", "side_by_side", "label"]

# anchor colours (RGB 0..1) of the colour maps, evenly spaced over 0..1
_HEAT = np.array([[0.0, 0.0, 0.02], [0.34, 0.06, 0.43], [0.73, 0.21, 0.33], [0.98, 0.55, 0.04], [0.99, 1.0, 0.64]])
_DIVERGING = np.array([[0.02, 0.19, 0.38], [0.26, 0.58, 0.76], [0.97, 0.97, 0.97], [0.84, 0.38, 0.30],
                       [0.40, 0.0, 0.12]])


def _ramp(t: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    t = np.clip(np.nan_to_num(t), 0.0, 1.0) * (len(anchors) - 1)
    low = np.minimum(t.astype(np.int64), len(anchors) - 2)
    frac = (t - low)[..., None]
    rgb = anchors[low] * (1 - frac) + anchors[low + 1] * frac
    return np.round(rgb * 255).astype(np.uint8)


def colorize(heat: np.ndarray, signed: bool, limit: float | None = None) -> np.ndarray:
    """``(H, W)`` values → ``(H, W, 3)`` uint8: a dark-to-bright heat ramp from 0 to ``limit``
    (default the maximum), or blue–white–red from −limit to +limit when ``signed``."""
    values = np.asarray(heat, np.float64)
    top = float(limit) if limit is not None else float(np.abs(values).max() if values.size else 0.0)
    top = top if top > 0 else 1.0
    if signed:
        return _ramp((values / top + 1.0) / 2.0, _DIVERGING)
    return _ramp(values / top, _HEAT)


def _rgb(image: np.ndarray) -> np.ndarray:
    """uint8 ``(H, W)``, ``(H, W, C)`` or ``(C, H, W)`` with C in 1, 3 → ``(H, W, 3)`` (an image
    whose last axis has 1 or 3 entries counts as channels-last: pass tiny images that way)."""
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[0] in (1, 3) and arr.shape[-1] not in (1, 3):
        arr = np.moveaxis(arr, 0, -1)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=-1)
    return arr.astype(np.uint8)


def overlay(base: np.ndarray, heat: np.ndarray, signed: bool, alpha: float = 0.6,
            limit: float | None = None) -> np.ndarray:
    """The heat map over the input (uint8, gray or RGB), mixed by ``alpha`` where it is strong."""
    rgb = _rgb(base).astype(np.float64)
    colours = colorize(heat, signed, limit).astype(np.float64)
    values = np.abs(np.asarray(heat, np.float64))
    strength = values / (values.max() if values.size and values.max() > 0 else 1.0)
    weight = alpha * np.sqrt(strength)[..., None]
    return np.round(rgb * (1 - weight) + colours * weight).astype(np.uint8)


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement (pixels stay square and visible)."""
    rgb = _rgb(image)
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)


def label(image: np.ndarray, text: str, height: int = 14) -> np.ndarray:
    """The image with a line of text above it, on white."""
    rgb = _rgb(image)
    canvas = Image.new("RGB", (rgb.shape[1], rgb.shape[0] + height), "white")
    canvas.paste(Image.fromarray(rgb), (0, height))
    ImageDraw.Draw(canvas).text((2, 1), text, fill=(0, 0, 0))
    return np.asarray(canvas)


def colour_bar(height: int, signed: bool, limit: float, width: int = 16) -> np.ndarray:
    """A vertical colour bar with its end values written beside it."""
    ramp = np.linspace(1.0, -1.0 if signed else 0.0, height)[:, None] * limit
    bar = colorize(np.repeat(ramp, width, axis=1), signed, limit)
    canvas = Image.new("RGB", (width + 48, height), "white")
    canvas.paste(Image.fromarray(bar), (0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text((width + 3, 0), f"{limit:.3g}", fill=(0, 0, 0))
    draw.text((width + 3, height - 12), f"{-limit if signed else 0.0:.3g}", fill=(0, 0, 0))
    return np.asarray(canvas)


def side_by_side(images: Sequence[np.ndarray], gap: int = 6) -> np.ndarray:
    """Images in a row, top-aligned, on white."""
    rgbs = [_rgb(img) for img in images]
    height = max(img.shape[0] for img in rgbs)
    width = sum(img.shape[1] for img in rgbs) + gap * (len(rgbs) - 1)
    out = np.full((height, width, 3), 255, np.uint8)
    x = 0
    for img in rgbs:
        out[: img.shape[0], x : x + img.shape[1]] = img
        x += img.shape[1] + gap
    return out


def mosaic(tiles: Sequence[np.ndarray], columns: int | None = None, gap: int = 2) -> np.ndarray:
    """Equal-sized tiles in a grid (``columns`` default: about square), on white."""
    rgbs = [_rgb(t) for t in tiles]
    if not rgbs:
        return np.full((1, 1, 3), 255, np.uint8)
    cols = columns or int(np.ceil(np.sqrt(len(rgbs))))
    rows = int(np.ceil(len(rgbs) / cols))
    h, w = rgbs[0].shape[:2]
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, 3), 255, np.uint8)
    for n, tile in enumerate(rgbs):
        r, c = divmod(n, cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = tile
    return out


def to_pixels(images: np.ndarray, mean: Sequence[float] | float | None = None,
              std: Sequence[float] | float | None = None) -> np.ndarray:
    """Normalised images ``(N, C, H, W)`` → uint8: ``(x·std + mean)·255`` clipped when ``mean`` and
    ``std`` are given, else each image stretched to its own range."""
    x = np.asarray(images, np.float64)
    if mean is not None and std is not None:
        c = x.shape[1]
        m = np.broadcast_to(np.asarray(mean, np.float64).ravel(), (c,)).reshape(1, c, 1, 1)
        s = np.broadcast_to(np.asarray(std, np.float64).ravel(), (c,)).reshape(1, c, 1, 1)
        return np.clip(np.round((x * s + m) * 255), 0, 255).astype(np.uint8)
    low = x.min(axis=(1, 2, 3), keepdims=True)
    span = x.max(axis=(1, 2, 3), keepdims=True) - low
    return np.round((x - low) / np.where(span > 0, span, 1.0) * 255).astype(np.uint8)
