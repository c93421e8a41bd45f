"""From a drawing or a photo to the network's input, the way MNIST was made.

``preprocess_digit`` turns a grayscale (or colour) image of any size into a 28×28 MNIST-like
digit: white ink on black, cropped to the ink, the longer side scaled to 20 px (antialiased,
aspect kept), pasted into 28×28 so that its centre of mass sits in the middle, normalised with
the dataset's mean and std (``DatasetInfo.mean``/``std``: always given, never assumed here).
``network_view`` and ``prepare_input`` do that for 1×28×28 networks and a plain resize for any
other input shape (CIFAR-like photos). ``load_image_file`` reads an image with PIL.

numpy and PIL only: no torch, no Qt.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = [
    "DIGIT_BOX",
    "DIGIT_SIZE",
    "ImageError",
    "Preprocessed",
    "load_image_file",
    "network_view",
    "normalize_image",
    "prepare_input",
    "preprocess_digit",
    "resize_for_input",
    "to_gray",
]

DIGIT_SIZE = 28  # side of the network's input
DIGIT_BOX = 20  # the digit's longer side inside it, as in MNIST
INK_THRESHOLD = 0.15  # a pixel is ink above this fraction of the strongest ink (noise stays out)
MIN_CONTRAST = 16  # ink weaker than this (0..255) above the background: an empty image


class ImageError(Exception):
    """An image file that cannot be read; the message is one line naming the file."""


@dataclass(frozen=True)
class Preprocessed:
    """One image made ready for a 1×28×28 network.

    ``input``: float32 ``(1, 1, 28, 28)``, ``(x / 255 - mean) / std``. ``image28``: uint8 28×28,
    white ink on black, exactly what the network sees. ``bbox``: the digit's box inside
    ``image28`` as ``(left, top, right, bottom)``, right and bottom exclusive (None when empty).
    ``source_bbox``: the ink's box in the original image, same convention. ``empty``: no ink
    found (then ``image28`` is all black and ``input`` all background).
    """

    input: np.ndarray
    image28: np.ndarray
    bbox: tuple[int, int, int, int] | None
    empty: bool
    source_bbox: tuple[int, int, int, int] | None = None


# --------------------------------------------------------------------------- conversions


def _as_float255(image: np.ndarray) -> np.ndarray:
    """The image's values as float32 on the 0..255 scale (floats in 0..1 are scaled up)."""
    arr = np.asarray(image)
    if arr.dtype == np.bool_:
        return arr.astype(np.float32) * 255.0
    if arr.dtype == np.uint8:
        return arr.astype(np.float32)
    if np.issubdtype(arr.dtype, np.integer):
        top = float(arr.max()) if arr.size else 0.0
        out = arr.astype(np.float32)
        return out * (255.0 / 65535.0) if top > 255 else out
    out = np.nan_to_num(arr.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
    if out.size and float(out.max()) <= 1.0 and float(out.min()) >= 0.0:
        out = out * 255.0
    return np.clip(out, 0.0, 255.0)


def _channels_last(image: np.ndarray) -> np.ndarray:
    """``(H, W)``, ``(H, W, C)`` or ``(C, H, W)`` with C in 1, 3, 4 → ``(H, W)`` or ``(H, W, C)``."""
    arr = np.asarray(image)
    if arr.ndim == 4 and arr.shape[0] == 1:  # a batch of one
        arr = arr[0]
    if arr.ndim == 2:
        return arr
    if arr.ndim != 3:
        raise ValueError(f"an image must be (H, W), (H, W, C) or (C, H, W), got shape {arr.shape}")
    if arr.shape[-1] in (1, 3, 4):
        return arr[..., 0] if arr.shape[-1] == 1 else arr
    if arr.shape[0] in (1, 3, 4):
        return arr[0] if arr.shape[0] == 1 else np.moveaxis(arr, 0, -1)
    raise ValueError(f"cannot tell the colour channels of an image of shape {arr.shape}")


def _flatten_alpha(rgb: np.ndarray) -> np.ndarray:
    """RGBA (0..255 floats) over white paper → RGB."""
    if rgb.shape[-1] != 4:
        return rgb
    alpha = rgb[..., 3:4] / 255.0
    return rgb[..., :3] * alpha + 255.0 * (1.0 - alpha)


def to_gray(image: np.ndarray) -> np.ndarray:
    """Any image as float32 grayscale ``(H, W)`` on the 0..255 scale (ITU-R 601 luma for colour,
    transparent pixels as white paper)."""
    arr = _as_float255(_channels_last(image))
    if arr.ndim == 2:
        return arr
    rgb = _flatten_alpha(arr)
    return (rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).astype(np.float32)


def _to_rgb(image: np.ndarray) -> np.ndarray:
    arr = _as_float255(_channels_last(image))
    if arr.ndim == 2:
        return np.repeat(arr[..., None], 3, axis=-1)
    return _flatten_alpha(arr)


def _stats(values: Sequence[float] | float, channels: int, what: str) -> np.ndarray:
    v = np.atleast_1d(np.asarray(values, dtype=np.float32))
    if v.size == 1:
        v = np.repeat(v, channels)
    if v.size != channels:
        raise ValueError(f"{v.size} {what} values for {channels} channels")
    return v.reshape(1, channels, 1, 1)


def normalize_image(image: np.ndarray, mean: Sequence[float] | float, std: Sequence[float] | float) -> np.ndarray:
    """A uint8 (or 0..255) image ``(H, W)``, ``(H, W, C)`` or ``(C, H, W)`` as float32
    ``(1, C, H, W)`` = ``(x / 255 - mean) / std``."""
    arr = _channels_last(image)
    chw = arr[None] if arr.ndim == 2 else np.moveaxis(arr, -1, 0)
    x = chw.astype(np.float32)[None] / 255.0
    channels = x.shape[1]
    std_arr = _stats(std, channels, "std")
    if np.any(std_arr <= 0):
        raise ValueError(f"std must be positive, got {std}")
    return ((x - _stats(mean, channels, "mean")) / std_arr).astype(np.float32)


# --------------------------------------------------------------------------- digits


def _ink(gray: np.ndarray) -> np.ndarray:
    """Ink strength 0..255 (white ink on black): polarity and background level from the border."""
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]]) if min(gray.shape) > 1 else gray.ravel()
    background = float(np.median(border))
    if background > 127.5:  # light paper, dark ink
        ink = background - gray
    else:
        ink = gray - background
    return np.clip(ink, 0.0, None)


def _blank(mean: Sequence[float] | float, std: Sequence[float] | float) -> Preprocessed:
    image28 = np.zeros((DIGIT_SIZE, DIGIT_SIZE), np.uint8)
    return Preprocessed(normalize_image(image28, mean, std), image28, None, True, None)


def preprocess_digit(image: np.ndarray, mean: Sequence[float] | float, std: Sequence[float] | float) -> Preprocessed:
    """A drawing or photo of a digit (any size; uint8 or float; gray, RGB or RGBA) made MNIST-like.

    Ink becomes white on black (a light border means dark ink, which is inverted), the image is
    cropped to the ink's bounding box (pixels above ``INK_THRESHOLD`` of the strongest ink), its
    longer side scaled to 20 px with antialiasing, pasted into 28×28 with its centre of mass in
    the middle (the box kept inside the frame) and normalised with ``mean`` and ``std``.
    """
    gray = to_gray(image)
    if gray.size == 0:
        return _blank(mean, std)
    ink = _ink(gray)
    peak = float(ink.max())
    if peak < MIN_CONTRAST:
        return _blank(mean, std)
    ink = ink * (255.0 / peak)  # strongest ink is full white, as in MNIST
    mask = ink > INK_THRESHOLD * 255.0
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    crop = np.where(mask, ink, 0.0)[top:bottom, left:right]  # below-threshold noise stays out

    h, w = crop.shape
    scale = DIGIT_BOX / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    source = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32))
    small = source.resize((new_w, new_h), Image.Resampling.LANCZOS)
    digit = np.clip(np.asarray(small, dtype=np.float32), 0.0, 255.0)
    if float(digit.sum()) <= 0:
        digit = np.full_like(digit, 255.0)
    digit = np.round(digit).astype(np.uint8)
    if not digit.any():  # a single faint speck rounded away
        digit[:] = 255

    # centre of mass of the scaled digit → the field's centre (14.0, i.e. pixel index 13.5)
    weights = digit.astype(np.float64)
    total = weights.sum()
    cy = float((weights.sum(axis=1) * np.arange(new_h)).sum() / total)
    cx = float((weights.sum(axis=0) * np.arange(new_w)).sum() / total)
    centre = DIGIT_SIZE / 2 - 0.5
    x0 = int(np.clip(round(centre - cx), 0, DIGIT_SIZE - new_w))
    y0 = int(np.clip(round(centre - cy), 0, DIGIT_SIZE - new_h))
    image28 = np.zeros((DIGIT_SIZE, DIGIT_SIZE), np.uint8)
    image28[y0 : y0 + new_h, x0 : x0 + new_w] = digit

    ys, xs = np.nonzero(image28)
    bbox = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    return Preprocessed(normalize_image(image28, mean, std), image28, bbox, False, (left, top, right, bottom))


# --------------------------------------------------------------------------- any input


def _resize(image: np.ndarray, size: tuple[int, int], channels: int) -> np.ndarray:
    """The image as uint8 ``(H, W)`` (1 channel) or ``(H, W, 3)``, resized to ``size`` (H, W)."""
    height, width = size
    if channels == 1:
        arr = np.clip(np.round(to_gray(image)), 0, 255).astype(np.uint8)
        pil = Image.fromarray(np.ascontiguousarray(arr))
    else:
        arr = np.clip(np.round(_to_rgb(image)), 0, 255).astype(np.uint8)
        pil = Image.fromarray(np.ascontiguousarray(arr))
    if pil.size != (width, height):
        pil = pil.resize((width, height), Image.Resampling.LANCZOS)
    return np.asarray(pil, dtype=np.uint8)


def resize_for_input(image: np.ndarray, input_shape: Sequence[int]) -> np.ndarray:
    """What a non-digit network sees of ``image``: uint8 ``(H, W)`` or ``(H, W, 3)`` (unnormalised)."""
    channels, height, width = (int(v) for v in input_shape)
    if channels not in (1, 3):
        raise ValueError(f"only 1- or 3-channel inputs can be made from an image, not {channels}")
    return _resize(image, (height, width), channels)


def network_view(
    image: np.ndarray, input_shape: Sequence[int], mean: Sequence[float] | float, std: Sequence[float] | float
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(network input ``(1, C, H, W)`` float32, what the network sees as uint8, empty?) for ``image``.

    For a 1×28×28 input that is ``preprocess_digit`` (the digit made MNIST-like: ``image28``);
    otherwise the image resized to H×W (gray or RGB by C), normalised per channel."""
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape}")
    if shape == (1, DIGIT_SIZE, DIGIT_SIZE):
        out = preprocess_digit(image, mean, std)
        return out.input, out.image28, out.empty
    resized = resize_for_input(image, shape)
    return normalize_image(resized, mean, std), resized, False


def prepare_input(
    image: np.ndarray, input_shape: Sequence[int], mean: Sequence[float] | float, std: Sequence[float] | float
) -> np.ndarray:
    """The network input ``(1, C, H, W)`` float32 for ``image`` (``network_view``'s first part)."""
    return network_view(image, input_shape, mean, std)[0]


# --------------------------------------------------------------------------- files

_GRAY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"}


def load_image_file(path: str | os.PathLike) -> np.ndarray:
    """The image at ``path`` as uint8: ``(H, W)`` when grayscale, else ``(H, W, 3)`` (transparent
    pixels on white). Raises ``ImageError`` (one line naming the file) when it cannot be read."""
    try:
        with Image.open(path) as img:
            img.load()
            mode = img.mode
            if mode in ("LA", "RGBA", "PA") or (mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                flat = Image.alpha_composite(paper, rgba)
                out = flat.convert("L" if mode == "LA" else "RGB")
            elif mode in _GRAY_MODES:
                out = img.convert("L") if mode not in ("I", "I;16", "I;16B", "I;16L", "F") else _scaled_gray(img)
            else:
                out = img.convert("RGB")
            arr = np.array(out, dtype=np.uint8)
    except Exception as exc:  # PIL raises OSError, ValueError, SyntaxError, DecompressionBombError ...
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ImageError(f"Cannot read the image {os.fspath(path)}: {reason}.") from exc
    if arr.size == 0:
        raise ImageError(f"Cannot read the image {os.fspath(path)}: it has no pixels.")
    return arr


def _scaled_gray(img: Image.Image) -> Image.Image:
    """16-bit / float grayscale scaled to 0..255 by its own range."""
    arr = np.asarray(img, dtype=np.float64)
    low, high = float(arr.min()), float(arr.max())
    if high <= 255 and low >= 0:
        return Image.fromarray(arr.astype(np.uint8))
    arr = (arr - low) / (high - low) * 255.0 if high > low else np.zeros_like(arr)
    return Image.fromarray(arr.astype(np.uint8))
