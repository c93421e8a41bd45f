"""Build ``fashion_sample.npz``, the bundled offline Fashion-MNIST sample, from the official IDX files.

    python resources/make_fashion_sample.py [FOLDER_WITH_IDX_FILES] [OUT.npz]

Training part: 500 images per class from the 60,000-image training split, 5,000 in all. Test part:
50 per class from the 10,000-image test split, 500 in all. The choice is fixed by
``numpy.random.default_rng(SEED)``: for each class, a permutation of that class's row numbers
(ascending) whose first 500 (train) or 50 (test) are kept; each part is then shuffled with its own
seeded generator so any prefix mixes the classes. The row numbers in the full files are stored too
(``train_index``, ``test_index``), so the sample can be checked against the full set.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np

SEED = 2017  # Fashion-MNIST's year; any fixed number would do
PER_CLASS = {"train": 500, "test": 50}
FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
         "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (``.gz`` or plain) as a uint8 array of its declared shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if data[:2] != b"\0\0" or data[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def _find(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name}(.gz) not found in {folder}")


def choose_rows(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """``per_class`` row numbers of each class (0–9), drawn with ``rng``, class by class."""
    picked = [rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in range(10)]
    return np.concatenate(picked)


def build(folder: Path) -> dict[str, np.ndarray]:
    """The sample's arrays, chosen from the IDX files in ``folder``."""
    arrays = {}
    for offset, (split, (images_name, labels_name)) in enumerate(FILES.items()):
        images, labels = read_idx(_find(folder, images_name)), read_idx(_find(folder, labels_name))
        rows = choose_rows(labels, PER_CLASS[split], np.random.default_rng(SEED + offset))
        rows = rows[np.random.default_rng(SEED + 10 + offset).permutation(len(rows))]
        arrays[f"{split}_images"] = images[rows].copy()
        arrays[f"{split}_labels"] = labels[rows].copy()
        arrays[f"{split}_index"] = rows.astype(np.int32)
    return arrays


def main(argv: list[str]) -> None:
    here = Path(__file__).resolve().parent
    folder = Path(argv[0]) if argv else here.parent.parent / "shared" / "data" / "fashion-mnist"
    out = Path(argv[1]) if len(argv) > 1 else here / "fashion_sample.npz"
    arrays = build(folder)
    np.savez_compressed(out, **arrays)
    counts = {split: np.bincount(arrays[f"{split}_labels"], minlength=10).tolist() for split in FILES}
    print(f"wrote {out} ({out.stat().st_size:,} bytes); images per class: {counts}")


if __name__ == "__main__":
    main(sys.argv[1:])
