"""What datasets there are: their descriptions (``DATASETS``), where their files live, errors.

Plain Python (no numpy, no torch), so the GUI can read the catalogue and the MNIST statistics
(``MNIST_MEAN``, ``MNIST_STD``) before the engine loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = [
    "DATASETS",
    "KMNIST_HIRAGANA",
    "MNIST_MEAN",
    "MNIST_STD",
    "NORMALIZATIONS",
    "SAMPLES",
    "DatasetError",
    "DatasetInfo",
    "PathLike",
    "default_data_dir",
    "normalized_info",
]

PathLike = str | os.PathLike


class DatasetError(Exception):
    """A dataset that cannot be found or read; the message says what to do about it."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset is: its images' shape, class names and per-channel statistics."""

    name: str
    title: str
    input_shape: tuple[int, int, int]  # (C, H, W)
    class_names: tuple[str, ...]
    mean: tuple[float, ...]  # per channel, on the 0..1 scale
    std: tuple[float, ...]
    downloadable: bool
    description: str
    augment_kind: str  # "digits" (shifts + rotations) or "cifar" (crop + flip)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


_DIGITS = tuple(str(i) for i in range(10))
_FASHION = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
_KMNIST = ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")
KMNIST_HIRAGANA = ("お", "き", "す", "つ", "な", "は", "ま", "や", "れ", "を")
_CIFAR10 = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip

#: MNIST's per-channel statistics on the 0..1 scale: the one place they are written down.
MNIST_MEAN: tuple[float, ...] = (0.1307,)
MNIST_STD: tuple[float, ...] = (0.3081,)

DATASETS: dict[str, DatasetInfo] = {
    "mnist-sample": DatasetInfo(
        "mnist-sample", "MNIST (bundled 5,000-digit sample)", (1, 28, 28), _DIGITS,
        MNIST_MEAN, MNIST_STD, False,
        "5,000 real handwritten digits from the MNIST training set (500 per class), split "
        "4,500 / 500; ships with ConvScope, so it works offline.",
        "digits",
    ),
    "fashion-mnist-sample": DatasetInfo(
        "fashion-mnist-sample", "Fashion-MNIST (bundled 5,500-image sample)", (1, 28, 28), _FASHION,
        (0.2860,), (0.3530,), False,
        "5,000 Fashion-MNIST training images (500 per class) and 500 test images (50 per class), "
        "a fixed seeded choice; ships with ConvScope, so it works offline.",
        "digits",
    ),
    "mnist": DatasetInfo(
        "mnist", "MNIST", (1, 28, 28), _DIGITS, MNIST_MEAN, MNIST_STD, True,
        "70,000 handwritten digits 0-9 (60,000 train / 10,000 test), 28x28 grayscale.",
        "digits",
    ),
    "fashion-mnist": DatasetInfo(
        "fashion-mnist", "Fashion-MNIST", (1, 28, 28), _FASHION, (0.2860,), (0.3530,), True,
        "70,000 Zalando product photos in 10 clothing classes (60,000 / 10,000), 28x28 grayscale.",
        "digits",
    ),
    "kmnist": DatasetInfo(
        "kmnist", "Kuzushiji-MNIST", (1, 28, 28), _KMNIST, (0.1918,), (0.3483,), True,
        "70,000 cursive Japanese hiragana (お き す つ な は ま や れ を; 60,000 / 10,000), "
        "28x28 grayscale.",
        "digits",
    ),
    "cifar10": DatasetInfo(
        "cifar10", "CIFAR-10", (3, 32, 32), _CIFAR10,
        (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616), True,
        "60,000 small colour photos in 10 classes (50,000 / 10,000), 32x32 RGB.",
        "cifar",
    ),
}  # fmt: skip

#: The bundled samples: name → (resource file, the full dataset it samples).
SAMPLES = {"mnist-sample": ("mnist_sample.npz", "mnist"),
           "fashion-mnist-sample": ("fashion_sample.npz", "fashion-mnist")}

#: torchvision's class (and folder) name for each downloadable dataset.
TORCHVISION_NAMES = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST", "kmnist": "KMNIST", "cifar10": "CIFAR10"}

#: The IDX file names of each split (the same for MNIST, Fashion-MNIST and KMNIST).
IDX_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
CIFAR_PY_FILES = {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)}
CIFAR_BIN_FILES = {"train": tuple(f"data_batch_{i}.bin" for i in range(1, 6)), "test": ("test_batch.bin",)}
EXTRA_FOLDERS = {"fashion-mnist": (Path("/usr/share/datasets/fashion-mnist"),)}


#: How a run normalises its input: the dataset's own mean/std, MNIST's (as seed001 does on
#: Fashion-MNIST), or none (pixels on the 0..1 scale, like torchvision's ``ToTensor`` alone).
NORMALIZATIONS = ("dataset", "mnist", "none")


def normalized_info(info: DatasetInfo, how: str) -> DatasetInfo:
    """``info`` with the mean and std that ``how`` (one of ``NORMALIZATIONS``) normalises with."""
    channels = len(info.mean)
    if how == "dataset":
        return info
    if how == "mnist":
        return replace(info, mean=MNIST_MEAN * channels, std=MNIST_STD * channels)
    if how == "none":
        return replace(info, mean=(0.0,) * channels, std=(1.0,) * channels)
    raise ValueError(f"unknown normalisation {how!r}; use one of {', '.join(NORMALIZATIONS)}")


def default_data_dir() -> Path:
    """Where datasets are looked for and downloaded to: the user cache's ``datasets`` folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("convscope")) / "datasets"
