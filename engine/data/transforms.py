"""Batches on the training device: ``normalize`` uint8 images, ``augment`` normalised ones; a run's
normalisation choice (``normalized``) and order of images (``epoch_order``)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from typing import Any

import torch

from engine.data.registry import DatasetInfo, normalized_info

__all__ = ["AUGMENT_KINDS", "augment", "batch_augmenter", "epoch_order", "normalize", "normalized"]


def normalized(data: Any, how: str) -> Any:
    """A dataset (``engine.data.splits.Dataset``) whose ``info`` carries the mean and std that ``how``
    (``engine.data.registry.NORMALIZATIONS``) normalises with; ``data`` itself for "dataset"."""
    info = normalized_info(data.info, how)
    return data if info is data.info else dataclasses.replace(data, info=info)


def epoch_order(n: int, generator: torch.Generator | None, shuffle: bool = True) -> torch.Tensor:
    """The order of ``n`` training images in one epoch: a permutation drawn from ``generator``, or
    ``0 … n-1`` when ``shuffle`` is off (like a DataLoader without ``shuffle=True``)."""
    if not shuffle:
        return torch.arange(n)
    return torch.randperm(n, generator=generator)


@functools.lru_cache(maxsize=32)
def _affine_constants(
    mean: tuple[float, ...], std: tuple[float, ...], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """``scale = 1 / (255 std)`` and ``shift = -mean / std``, shaped ``(1, C, 1, 1)``, on ``device``."""
    m = torch.tensor(mean, dtype=torch.float64)
    s = torch.tensor(std, dtype=torch.float64)
    scale = (1.0 / (255.0 * s)).to(torch.float32).view(1, -1, 1, 1)
    shift = (-m / s).to(torch.float32).view(1, -1, 1, 1)
    return scale.to(device), shift.to(device)


def _mean_std_of(info_or_mean: Any, std: Sequence[float] | None) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if isinstance(info_or_mean, DatasetInfo):
        return tuple(info_or_mean.mean), tuple(info_or_mean.std)
    if std is None:
        mean, std = info_or_mean  # a (mean, std) pair
    else:
        mean = info_or_mean
    mean = (float(mean),) if isinstance(mean, (int, float)) else tuple(float(v) for v in mean)
    std = (float(std),) if isinstance(std, (int, float)) else tuple(float(v) for v in std)
    if len(mean) != len(std) or any(s <= 0 for s in std):
        raise ValueError(f"mean {mean} and std {std} need one positive std per mean")
    return mean, std


def normalize(
    images: torch.Tensor,
    info_or_mean: DatasetInfo | Sequence[float] | tuple[Sequence[float], Sequence[float]],
    std: Sequence[float] | None = None,
) -> torch.Tensor:
    """A uint8 batch ``(N, C, H, W)`` as float32 ``(x / 255 - mean) / std``, on its own device.

    Call as ``normalize(x, info)``, ``normalize(x, (mean, std))`` or ``normalize(x, mean, std)``.
    One fused multiply-add per element with cached per-channel constants.
    """
    mean, std = _mean_std_of(info_or_mean, std)
    if images.dim() != 4:
        raise ValueError(f"normalize needs an (N, C, H, W) batch, got shape {tuple(images.shape)}")
    if len(mean) not in (1, images.shape[1]):
        raise ValueError(f"{len(mean)} means for {images.shape[1]} channels")
    scale, shift = _affine_constants(mean, std, images.device)
    return torch.addcmul(shift, images.to(torch.float32), scale)


AUGMENT_KINDS = ("digits", "cifar", "none")


def _uniform(n: int, low: float, high: float, generator: torch.Generator | None, device: torch.device) -> torch.Tensor:
    where = generator.device if generator is not None else device
    return (torch.rand(n, generator=generator, device=where) * (high - low) + low).to(device)


def _augment_digits(
    batch: torch.Tensor, generator: torch.Generator | None, fill: float | None, max_shift: float, max_degrees: float
) -> torch.Tensor:
    """Random rotation and shift of every image in one ``affine_grid`` + ``grid_sample``."""
    n, _, h, w = batch.shape
    device = batch.device
    angle = torch.deg2rad(_uniform(n, -max_degrees, max_degrees, generator, device))
    tx = _uniform(n, -max_shift, max_shift, generator, device)
    ty = _uniform(n, -max_shift, max_shift, generator, device)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # Rotation in pixel space, expressed in grid_sample's [-1, 1] coordinates (non-square safe).
    theta = torch.stack(
        [
            torch.stack([cos, -sin * h / w, tx * 2 / w], dim=1),
            torch.stack([sin * w / h, cos, ty * 2 / h], dim=1),
        ],
        dim=1,
    ).to(batch.dtype)
    grid = torch.nn.functional.affine_grid(theta, list(batch.shape), align_corners=False)
    # Background: the normalised value of a 0 pixel, i.e. each image's minimum unless given.
    background = batch.amin(dim=(2, 3), keepdim=True) if fill is None else torch.full_like(batch[:, :, :1, :1], fill)
    moved = torch.nn.functional.grid_sample(
        batch - background, grid, mode="bilinear", padding_mode="zeros", align_corners=False
    )
    return moved + background


def _augment_cifar(
    batch: torch.Tensor, generator: torch.Generator | None, fill: float | None, pad: int
) -> torch.Tensor:
    """Random crop from the ``pad``-padded image and a random horizontal flip, in one gather."""
    n, c, h, w = batch.shape
    device = batch.device
    where = generator.device if generator is not None else device
    oy = torch.randint(0, 2 * pad + 1, (n,), generator=generator, device=where).to(device)
    ox = torch.randint(0, 2 * pad + 1, (n,), generator=generator, device=where).to(device)
    flip = (torch.rand(n, generator=generator, device=where) < 0.5).to(device)
    padded = torch.nn.functional.pad(batch, (pad, pad, pad, pad), value=0.0 if fill is None else fill)
    rows = oy[:, None] + torch.arange(h, device=device)
    cols = torch.arange(w, device=device).expand(n, w)
    cols = ox[:, None] + torch.where(flip[:, None], w - 1 - cols, cols)
    index_n = torch.arange(n, device=device)[:, None, None, None]
    index_c = torch.arange(c, device=device)[None, :, None, None]
    return padded[index_n, index_c, rows[:, None, :, None], cols[:, None, None, :]]


def augment(
    batch: torch.Tensor,
    kind: str,
    generator: torch.Generator | None = None,
    *,
    fill: float | None = None,
    max_shift: float = 2.0,
    max_degrees: float = 10.0,
    pad: int = 4,
) -> torch.Tensor:
    """Randomly augmented copy of a normalised float batch ``(N, C, H, W)``, on its device.

    ``digits``: shifts up to ``max_shift`` px and rotations up to ``max_degrees`` (background:
    each image's minimum, i.e. a 0 pixel, unless ``fill`` is given). ``cifar``: a random crop
    with ``pad`` px of padding (``fill``, default 0 = the mean colour) and a horizontal flip
    half the time. ``none``: unchanged. The same ``generator`` state gives the same result.
    """
    if kind not in AUGMENT_KINDS:
        raise ValueError(f"unknown augmentation '{kind}'; use one of {', '.join(AUGMENT_KINDS)}")
    if batch.dim() != 4 or not batch.is_floating_point():
        raise ValueError(f"augment needs a float (N, C, H, W) batch, got {batch.dtype} {tuple(batch.shape)}")
    if kind == "none" or len(batch) == 0:
        return batch
    if kind == "digits":
        return _augment_digits(batch, generator, fill, max_shift, max_degrees)
    return _augment_cifar(batch, generator, fill, pad)


def batch_augmenter(info: DatasetInfo, generator: torch.Generator | None) -> Callable[[torch.Tensor], torch.Tensor]:
    """``augment`` for ``info``'s kind of images, drawing from ``generator``; a digit's background
    fills with the normalised value of a blank (0) pixel."""
    fill = -info.mean[0] / info.std[0] if info.augment_kind == "digits" else None

    def augment_batch(batch: torch.Tensor) -> torch.Tensor:
        return augment(batch, info.augment_kind, generator, fill=fill)

    return augment_batch
