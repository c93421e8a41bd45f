"""The body of a standalone PyTorch export (``engine.io.export.export_pytorch``).

Everything below the ``HELPERS`` marker is copied verbatim into the exported file, after its
generated constants (``CLASS_NAMES``, ``INPUT_SHAPE``, ``MEAN``, ``STD``, ``WEIGHTS_FILE``) and its
``Net`` class. It needs only torch, numpy and Pillow (no ConvScope, no safetensors package) and
prepares an image exactly as ``main.py predict`` does (``engine.inspect.canvas``), so both print
the same prediction.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

CLASS_NAMES: list[str] = []
INPUT_SHAPE = (1, 28, 28)
MEAN: tuple[float, ...] = (0.5,)
STD: tuple[float, ...] = (0.5,)
WEIGHTS_FILE = "model.safetensors"


class Net(nn.Module):
    """Stands in for the generated network."""


# ---- HELPERS (copied into the exported file from here on) ----
_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}


def read_safetensors(path):
    """The tensors of a .safetensors file (the format: 8-byte header length, JSON header, raw data)."""
    data = Path(path).read_bytes()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + size])
    body = memoryview(data)[8 + size:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=_DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


def load_model():
    """The network with its trained weights, in evaluation mode."""
    model = Net()
    model.load_state_dict(read_safetensors(Path(__file__).with_name(WEIGHTS_FILE)))
    return model.eval()


def load_image(path):
    """The image as uint8: (H, W) when grayscale, else (H, W, 3); transparent pixels on white paper."""
    from PIL import Image

    img = Image.open(path)
    img.load()
    if img.mode in ("LA", "RGBA", "PA") or (img.mode == "P" and "transparency" in img.info):
        paper = Image.new("RGBA", img.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(paper, img.convert("RGBA"))
        return np.array(flat.convert("L" if img.mode == "LA" else "RGB"), dtype=np.uint8)
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit or float gray: scaled by its own range
        values = np.asarray(img, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        if not (high <= 255 and low >= 0):
            values = (values - low) / (high - low) * 255.0 if high > low else np.zeros_like(values)
        return np.array(Image.fromarray(values.astype(np.uint8)), dtype=np.uint8)
    return np.array(img.convert("L" if img.mode in ("1", "L") else "RGB"), dtype=np.uint8)


def gray(image):
    """Float32 grayscale 0..255 (ITU-R 601 luma for colour)."""
    values = image.astype(np.float32)
    if values.ndim == 2:
        return values
    return (values[..., 0] * 0.299 + values[..., 1] * 0.587 + values[..., 2] * 0.114).astype(np.float32)


def normalize(image):
    """uint8 (H, W) or (H, W, C) → float32 (1, C, H, W) = (x / 255 - mean) / std."""
    chw = image[None] if image.ndim == 2 else np.moveaxis(image, -1, 0)
    x = chw.astype(np.float32)[None] / 255.0
    channels = x.shape[1]
    mean = np.resize(np.asarray(MEAN, dtype=np.float32), channels).reshape(1, channels, 1, 1)
    std = np.resize(np.asarray(STD, dtype=np.float32), channels).reshape(1, channels, 1, 1)
    return ((x - mean) / std).astype(np.float32)


def digit28(image):
    """A digit made MNIST-like: white ink on black, cropped, longest side 20 px, centred by mass in 28×28."""
    from PIL import Image

    g = gray(image)
    border = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]]) if min(g.shape) > 1 else g.ravel()
    background = float(np.median(border))
    ink = np.clip(background - g if background > 127.5 else g - background, 0.0, None)
    peak = float(ink.max()) if ink.size else 0.0
    if peak < 16.0:
        return np.zeros((28, 28), np.uint8)
    ink = ink * (255.0 / peak)
    mask = ink > 0.15 * 255.0
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    crop = np.where(mask, ink, 0.0)[top:bottom, left:right]
    h, w = crop.shape
    scale = 20 / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    small = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32)).resize((new_w, new_h),
                                                                                   Image.Resampling.LANCZOS)
    digit = np.clip(np.asarray(small, dtype=np.float32), 0.0, 255.0)
    if float(digit.sum()) <= 0:
        digit = np.full_like(digit, 255.0)
    digit = np.round(digit).astype(np.uint8)
    if not digit.any():
        digit[:] = 255
    weights = digit.astype(np.float64)
    total = weights.sum()
    cy = float((weights.sum(axis=1) * np.arange(new_h)).sum() / total)
    cx = float((weights.sum(axis=0) * np.arange(new_w)).sum() / total)
    x0 = int(np.clip(round(13.5 - cx), 0, 28 - new_w))
    y0 = int(np.clip(round(13.5 - cy), 0, 28 - new_h))
    out = np.zeros((28, 28), np.uint8)
    out[y0:y0 + new_h, x0:x0 + new_w] = digit
    return out


def prepare(image):
    """The network's input (1, C, H, W) for an image read by ``load_image``."""
    from PIL import Image

    channels, height, width = INPUT_SHAPE
    if tuple(INPUT_SHAPE) == (1, 28, 28):
        return torch.from_numpy(normalize(digit28(image)))
    if channels == 1:
        pixels = np.clip(np.round(gray(image)), 0, 255).astype(np.uint8)
    else:
        pixels = image if image.ndim == 3 else np.repeat(image[..., None], 3, axis=-1)
    pil = Image.fromarray(np.ascontiguousarray(pixels))
    if pil.size != (width, height):
        pil = pil.resize((width, height), Image.Resampling.LANCZOS)
    return torch.from_numpy(normalize(np.asarray(pil, dtype=np.uint8)))


def predict(model, path, top=3):
    """(class name, [(class name, probability)] best first) for the image at ``path``."""
    with torch.no_grad():
        probs = model(prepare(load_image(path))).softmax(1)[0].numpy()
    order = np.argsort(-probs)[:max(1, top)]
    names = CLASS_NAMES or [str(i) for i in range(len(probs))]
    return names[order[0]], [(names[i], float(probs[i])) for i in order]


def main(argv):
    if not argv:
        print(f"usage: python {Path(__file__).name} IMAGE [IMAGE ...]", file=sys.stderr)
        return 2
    model = load_model()
    for path in argv:
        best, top = predict(model, path)
        print(f"{path}: {best} (" + ", ".join(f"{name} {p:.1%}" for name, p in top) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
