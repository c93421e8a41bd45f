"""Dataset containers: a ``Split`` of uint8 image and int64 label tensors, a ``Dataset`` of two.

Every dataset becomes whole tensors (no per-image Python objects), so batches are sliced,
normalised and augmented on the training device (``engine.data.transforms``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from engine.data.registry import DatasetInfo

__all__ = ["Dataset", "Split", "split_from_arrays"]


@dataclass
class Split:
    """One split: uint8 images ``(N, C, H, W)`` (contiguous) and int64 labels ``(N,)``."""

    images: torch.Tensor
    labels: torch.Tensor

    def __post_init__(self) -> None:
        if self.images.dtype != torch.uint8 or self.images.dim() != 4:
            raise ValueError(f"images must be uint8 (N, C, H, W), got {self.images.dtype} {tuple(self.images.shape)}")
        if self.labels.dim() != 1 or len(self.labels) != len(self.images):
            n = len(self.images)
            raise ValueError(f"{n} images need {n} labels, got labels of shape {tuple(self.labels.shape)}")
        self.images = self.images.contiguous()
        self.labels = self.labels.to(torch.int64)

    def __len__(self) -> int:
        return len(self.labels)

    def to(self, device: torch.device | str) -> Split:
        return Split(self.images.to(device), self.labels.to(device))

    def class_counts(self, num_classes: int) -> list[int]:
        return torch.bincount(self.labels.cpu(), minlength=num_classes).tolist()


@dataclass
class Dataset:
    """A dataset's description and its splits; a split is None when its files are absent."""

    info: DatasetInfo
    train: Split | None
    test: Split | None
    source: str  # where it was loaded from (folder path or "bundled sample")

    def to(self, device: torch.device | str) -> Dataset:
        """Both splits on ``device`` (images stay uint8)."""
        return replace(
            self,
            train=self.train.to(device) if self.train is not None else None,
            test=self.test.to(device) if self.test is not None else None,
        )


def split_from_arrays(images: np.ndarray, labels: np.ndarray) -> Split:
    """A ``Split`` from numpy images ``(N, H, W)`` or ``(N, C, H, W)`` and integer labels."""
    if images.ndim == 3:
        images = images[:, None]
    return Split(torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(labels.astype(np.int64)))
