"""The bundled samples shipped in ``resources/`` (see ``engine.resources``): 5,000 real MNIST digits
(``mnist-sample``) and 5,500 Fashion-MNIST images (``fashion-mnist-sample``)."""

from __future__ import annotations

import zlib

import numpy as np

from engine.data.registry import DATASETS, SAMPLES, DatasetError
from engine.data.splits import Dataset, split_from_arrays
from engine.resources import resource_path

__all__ = ["SAMPLE_FILE", "load_sample", "offline_choice", "sample_file", "sample_of"]

SAMPLE_FILE = resource_path("mnist_sample.npz")


def sample_file(name: str = "mnist-sample"):
    """The ``.npz`` file of the bundled sample ``name`` (one of ``SAMPLES``)."""
    return resource_path(SAMPLES[name][0])


def load_sample(name: str = "mnist-sample") -> Dataset:
    """A bundled sample (``SAMPLES``: MNIST's 4,500 train / 500 test digits by default); works offline."""
    path = SAMPLE_FILE if name == "mnist-sample" else sample_file(name)
    try:
        with np.load(path) as npz:
            arrays = {k: npz[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        title = DATASETS[name].title.split(" (")[0]
        raise DatasetError(f"The bundled {title} sample {path} is missing or damaged ({exc}); reinstall ConvScope."
                           ) from exc
    return Dataset(
        DATASETS[name],
        split_from_arrays(arrays["train_images"], arrays["train_labels"]),
        split_from_arrays(arrays["test_images"], arrays["test_labels"]),
        "bundled sample",
    )


def sample_of(name: str) -> str | None:
    """The bundled sample of the full dataset ``name`` (``fashion-mnist`` → ``fashion-mnist-sample``), or None."""
    return next((sample for sample, (_, full) in SAMPLES.items() if full == name), None)


def offline_choice(name: str, data_dir=None) -> str:
    """``name`` when its training files are found (in ``data_dir`` or the usual folders; nothing is
    read), else its bundled sample when it has one, else ``name`` (to download or point to)."""
    from engine.data.loading import idx_files_found  # loading imports this module

    sample = sample_of(name)
    if sample is None or name in SAMPLES:
        return name
    return name if idx_files_found(name, data_dir, "train") else sample
