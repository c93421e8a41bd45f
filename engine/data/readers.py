"""Validating readers for IDX (MNIST-style) and CIFAR-10 files.

A truncated or mismatched file gives one ``DatasetError`` sentence that names the file.
CIFAR-10's pickles go through a restricted unpickler that only rebuilds numpy arrays.
"""

from __future__ import annotations

import gzip
import math
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.data.registry import DatasetError, DatasetInfo, PathLike
from engine.data.splits import Split, split_from_arrays

__all__ = [
    "load_cifar_split",
    "load_idx_split",
    "read_cifar_binary",
    "read_cifar_pickle",
    "read_idx_images",
    "read_idx_labels",
]

IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801
CIFAR_RECORD = 1 + 3 * 32 * 32


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when the name ends in ``.gz``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(f"{path} is not a valid gzip file ({exc}); download it again.") from exc


def _read_idx(path: PathLike, magic: int, what: str, ndim: int) -> np.ndarray:
    path = Path(path)
    data = _read_bytes(path)
    header = 4 + 4 * ndim
    if len(data) < 4:
        raise DatasetError(f"{path} is truncated: {len(data)} bytes, too short for an IDX header.")
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        hint = {IDX_IMAGES_MAGIC: " (that is an image file)", IDX_LABELS_MAGIC: " (that is a label file)"}
        raise DatasetError(
            f"{path} is not an IDX {what} file: magic number 0x{found:08X}{hint.get(found, '')}, "
            f"expected 0x{magic:08X}."
        )
    if len(data) < header:
        raise DatasetError(f"{path} is truncated: {len(data)} bytes, shorter than its {header}-byte header.")
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if 0 in dims:
        raise DatasetError(f"{path} has an empty dimension in its header {dims}.")
    expected = math.prod(dims)
    if len(data) - header < expected:
        raise DatasetError(
            f"{path} is truncated: its header promises {dims[0]:,} {what}s ({expected:,} bytes) "
            f"but only {len(data) - header:,} bytes follow; download it again."
        )
    if len(data) - header > expected:
        raise DatasetError(
            f"{path} has {len(data) - header - expected:,} bytes more than its header {dims} says; "
            "it is corrupt, download it again."
        )
    return np.frombuffer(data, np.uint8, count=expected, offset=header).reshape(dims).copy()


def read_idx_images(path: PathLike) -> np.ndarray:
    """The images of an IDX file (``.gz`` or plain) as uint8 ``(N, H, W)``, validated."""
    return _read_idx(path, IDX_IMAGES_MAGIC, "image", 3)


def read_idx_labels(path: PathLike) -> np.ndarray:
    """The labels of an IDX file (``.gz`` or plain) as uint8 ``(N,)``, validated."""
    return _read_idx(path, IDX_LABELS_MAGIC, "label", 1)


def _check_pair(
    images: np.ndarray, labels: np.ndarray, info: DatasetInfo, image_file: Path, label_file: Path
) -> None:
    """Equal counts, the dataset's image size, and labels below its class count."""
    if len(images) != len(labels):
        raise DatasetError(
            f"{image_file} holds {len(images):,} images but {label_file} holds {len(labels):,} labels; "
            "one of them is corrupt or from another dataset, download them again."
        )
    if images.shape[1:] != info.input_shape[1:] and images.shape[1:] != info.input_shape:
        raise DatasetError(
            f"{image_file} holds images of size {'x'.join(map(str, images.shape[1:]))}, but {info.title} "
            f"images are {'x'.join(map(str, info.input_shape[1:]))}; is it from another dataset?"
        )
    if len(labels) and int(labels.max()) >= info.num_classes:
        bad = int(np.argmax(labels >= info.num_classes))
        raise DatasetError(
            f"{label_file} has label {int(labels[bad])} at index {bad:,}, but {info.title} has only "
            f"{info.num_classes} classes (0-{info.num_classes - 1}); is it from another dataset?"
        )


def _numpy_private(module: str, name: str) -> Callable[..., Any]:
    """``numpy._core.<module>.<name>`` (numpy 2), or ``numpy.core``'s on numpy 1."""
    import importlib

    try:
        return getattr(importlib.import_module(f"numpy._core.{module}"), name)
    except ImportError:  # pragma: no cover - numpy 1.x
        return getattr(importlib.import_module(f"numpy.core.{module}"), name)


def _plain_dtype(*args: Any) -> np.dtype:
    dtype = np.dtype(*args)
    if dtype.hasobject:
        raise pickle.UnpicklingError("object arrays are not allowed")
    return dtype


def _latin1_bytes(text: str, encoding: str = "latin1") -> bytes:
    """How Python 3 pickles bytes at protocol 2: ``_codecs.encode(text, "latin1")``, nothing else."""
    if encoding.lower().replace("-", "") != "latin1" or not isinstance(text, str):
        raise pickle.UnpicklingError("only latin-1 encoded bytes are allowed")
    return text.encode("latin1")


class _ArrayUnpickler(pickle.Unpickler):
    """Rebuilds dicts, lists, strings and plain numpy arrays; refuses every other global."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),  # protocols 0-4
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.numeric", "_frombuffer"),  # protocol 5
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),  # bytes pickled by Python 3 at protocol 2
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"global '{module}.{name}' is not allowed")
        if name == "_reconstruct":
            return _numpy_private("multiarray", name)
        if name == "_frombuffer":
            return _numpy_private("numeric", name)
        if name == "encode":
            return _latin1_bytes
        return np.ndarray if name == "ndarray" else _plain_dtype


def _safe_unpickle(path: Path) -> Any:
    try:
        with path.open("rb") as f:
            return _ArrayUnpickler(f, encoding="latin1").load()
    except OSError as exc:
        raise DatasetError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except Exception as exc:  # any malformed or refused pickle
        raise DatasetError(
            f"{path} is not a CIFAR-10 batch file ({exc}); it was refused without running it, "
            "download the dataset again."
        ) from exc


def _get(entry: dict, key: str) -> Any:
    return entry[key] if key in entry else entry.get(key.encode())


def read_cifar_pickle(path: PathLike) -> tuple[np.ndarray, np.ndarray]:
    """One batch of the python layout as uint8 ``(N, 3, 32, 32)`` images and uint8 labels."""
    path = Path(path)
    entry = _safe_unpickle(path)
    if not isinstance(entry, dict):
        raise DatasetError(f"{path} is not a CIFAR-10 batch file: it holds a {type(entry).__name__}, not a dict.")
    data, labels = _get(entry, "data"), _get(entry, "labels")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        got = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise DatasetError(f"{path} has no uint8 (N, 3072) 'data' array (found {got}); download it again.")
    try:
        labels = np.asarray(labels, dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise DatasetError(f"{path} has no list of integer 'labels'; download it again.") from exc
    if labels.shape != (len(data),):
        raise DatasetError(f"{path} holds {len(data):,} images but {labels.size:,} labels; download it again.")
    if len(labels) and (labels.min() < 0 or labels.max() > 9):
        raise DatasetError(f"{path} has labels outside 0-9; is it from CIFAR-100? Use CIFAR-10.")
    return data.reshape(-1, 3, 32, 32), labels.astype(np.uint8)


def read_cifar_binary(path: PathLike) -> tuple[np.ndarray, np.ndarray]:
    """One batch of the binary layout (1 label byte + 3,072 pixel bytes per record)."""
    path = Path(path)
    data = _read_bytes(path)
    if not data or len(data) % CIFAR_RECORD:
        raise DatasetError(
            f"{path} is {len(data):,} bytes, not a whole number of {CIFAR_RECORD:,}-byte CIFAR-10 records; "
            "it is truncated or corrupt, download it again."
        )
    records = np.frombuffer(data, np.uint8).reshape(-1, CIFAR_RECORD)
    labels = records[:, 0].copy()
    if labels.max() > 9:
        raise DatasetError(f"{path} has labels outside 0-9; is it CIFAR-100's binary file? Use CIFAR-10.")
    return records[:, 1:].reshape(-1, 3, 32, 32).copy(), labels


def load_idx_split(info: DatasetInfo, files: list[Path]) -> Split:
    """The split in an IDX image file and its label file, checked against ``info``."""
    image_file, label_file = files
    images, labels = read_idx_images(image_file), read_idx_labels(label_file)
    _check_pair(images, labels, info, image_file, label_file)
    return split_from_arrays(images, labels)


def load_cifar_split(info: DatasetInfo, files: list[Path]) -> Split:
    """One split from its CIFAR-10 batch files (python or binary layout), concatenated."""
    reader = read_cifar_binary if files[0].name.endswith((".bin", ".bin.gz")) else read_cifar_pickle
    parts = [reader(f) for f in files]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    return split_from_arrays(images, labels)
