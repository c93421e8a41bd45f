"""The bundled MNIST sample: 5,000 real digits shipped in ``resources/`` (see ``engine.resources``)."""

from __future__ import annotations

import zlib

import numpy as np

from engine.data.registry import DATASETS, DatasetError
from engine.data.splits import Dataset, split_from_arrays
from engine.resources import resource_path

__all__ = ["SAMPLE_FILE", "load_sample"]

SAMPLE_FILE = resource_path("mnist_sample.npz")


def load_sample() -> Dataset:
    """The bundled 5,000-digit MNIST sample (4,500 train / 500 test); works offline."""
    try:
        with np.load(SAMPLE_FILE) as npz:
            arrays = {k: npz[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise DatasetError(
            f"The bundled MNIST sample {SAMPLE_FILE} is missing or damaged ({exc}); reinstall ConvScope."
        ) from exc
    return Dataset(
        DATASETS["mnist-sample"],
        split_from_arrays(arrays["train_images"], arrays["train_labels"]),
        split_from_arrays(arrays["test_images"], arrays["test_labels"]),
        "bundled sample",
    )
