"""Top patches: for every channel of a layer, the k dataset images that excite it most, and the
receptive-field window of the strongest position cropped from each (Zeiler & Fergus, 2014).

A channel's score for an image is its map's maximum; images are ranked by it, most activating
first, ties by the lower dataset index (so it equals a brute-force search); the position is the
first maximum in row-major order. The window comes from ``engine.inspect.receptive``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from engine.data.transforms import normalize
from engine.inspect.grad_model import batch_model, gradient_model, model_device
from engine.inspect.jobs import CancelCheck, Progress, check_cancelled
from engine.inspect.receptive import Windows, input_windows
from engine.model.spec import NetworkSpec

__all__ = ["TopPatches", "top_patches", "crop_windows"]


@dataclass(frozen=True)
class TopPatches:
    """``indices`` ``(channels, k)`` int64 dataset indices, most activating first; ``values`` their
    maximum activation (float32); ``boxes`` ``(channels, k, 4)`` the window as (top, left, bottom,
    right) in input pixels, bottom and right exclusive, clipped to the image; ``patches``
    ``(channels, k, C, ph, pw)`` uint8 crops of the whole window (zeros where it leaves the image).
    ``k`` is at most the number of images."""

    layer: str
    k: int
    indices: np.ndarray
    values: np.ndarray
    boxes: np.ndarray
    patches: np.ndarray


def _as_images(images, spec: NetworkSpec) -> torch.Tensor:
    tensor = torch.as_tensor(images)
    if tensor.dtype != torch.uint8 or tensor.dim() != 4:
        raise ValueError(f"images must be uint8 (N, C, H, W), got {tensor.dtype} {tuple(tensor.shape)}")
    if tuple(tensor.shape[1:]) != tuple(spec.input):
        raise ValueError(f"images of shape {tuple(tensor.shape[1:])} do not fit {spec.name}'s input "
                         f"{tuple(spec.input)}")
    if len(tensor) == 0:
        raise ValueError("no images to search")
    return tensor


def crop_windows(images: np.ndarray, windows: Windows, rows: np.ndarray, cols: np.ndarray) -> tuple:
    """Boxes ``(n, 4)`` clipped to the image and crops ``(n, C, ph, pw)`` (zero-padded) of the
    windows at output positions ``(rows[i], cols[i])`` in ``images[i]`` (uint8 ``(n, C, H, W)``)."""
    n, c, height, width = images.shape
    ph, pw = windows.size
    boxes = np.zeros((n, 4), np.int64)
    crops = np.zeros((n, c, ph, pw), np.uint8)
    for i in range(n):
        top, bottom = (int(v) for v in windows.rows[rows[i]])
        left, right = (int(v) for v in windows.cols[cols[i]])
        t, b, lft, r = max(top, 0), min(bottom, height), max(left, 0), min(right, width)
        boxes[i] = (t, lft, b, r)
        crops[i, :, t - top : b - top, lft - left : r - left] = images[i, :, t:b, lft:r]
    return boxes, crops


def top_patches(model: nn.Module, spec: NetworkSpec, images, layer: str, *, k: int = 9,
                mean: Sequence[float] | float = (0.5,), std: Sequence[float] | float = (0.5,),
                batch_size: int = 500, progress: Progress | None = None,
                cancelled: CancelCheck | None = None) -> TopPatches:
    """The ``k`` most activating images per channel of spatial layer ``layer`` among ``images``
    (uint8 ``(N, C, H, W)``, numpy or torch, as ``engine.data`` splits hold them), normalised here
    with the dataset's ``mean`` and ``std``. ``progress(fraction)`` after each batch;
    ``cancelled()`` before each: True raises ``Cancelled``. ``ValueError`` for a flat or unknown
    layer or images that do not fit."""
    windows = input_windows(spec, layer)
    data = _as_images(images, spec)
    k = max(1, min(int(k), len(data)))
    if isinstance(mean, (int, float)):
        mean, std = (float(mean),), (float(std),)
    best_v = best_i = best_p = None
    with torch.no_grad(), gradient_model(model) as net:
        head, device = batch_model(net, spec, layer), model_device(net)
        for start in range(0, len(data), max(1, batch_size)):
            check_cancelled(cancelled)
            batch = normalize(data[start : start + batch_size].to(device), tuple(mean), tuple(std))
            out = head(batch).flatten(2).float()  # (B, channels, h·w)
            values, positions = out.max(2)
            count = len(values)
            index = torch.arange(start, start + count, device=values.device).expand(values.shape[1], count)
            cand_v = values.T if best_v is None else torch.cat([best_v, values.T], 1)
            cand_i = index if best_i is None else torch.cat([best_i, index], 1)
            cand_p = positions.T if best_p is None else torch.cat([best_p, positions.T], 1)
            order = torch.sort(cand_v, dim=1, descending=True, stable=True).indices[:, :k]
            best_v, best_i, best_p = (t.gather(1, order) for t in (cand_v, cand_i, cand_p))
            if progress is not None:
                progress(min(1.0, (start + count) / len(data)))
    values_np, indices, positions = (t.cpu().numpy() for t in (best_v, best_i, best_p))
    w_out = len(windows.cols)
    flat = indices.ravel()
    boxes, crops = crop_windows(data[flat].numpy(), windows, positions.ravel() // w_out, positions.ravel() % w_out)
    channels = indices.shape[0]
    return TopPatches(layer=layer, k=k, indices=indices.astype(np.int64), values=values_np.astype(np.float32),
                      boxes=boxes.reshape(channels, k, 4), patches=crops.reshape(channels, k, *crops.shape[1:]))
