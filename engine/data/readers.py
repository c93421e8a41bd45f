"""Validating readers for IDX (MNIST-style) and CIFAR-10 files.

A truncated or mismatched file gives one ``DatasetError`` sentence that names the file.
Sizes are checked before anything is inflated: a file may hold at most ``MAX_FILE_BYTES``, an
IDX header's sizes must agree with the file's (a gzip file's trailer gives its inflated size)
and with the dataset, and a gzip stream is inflated only as far as the header promises, into
one buffer. CIFAR-10's pickles go through a restricted unpickler that only rebuilds numpy arrays.
"""

from __future__ import annotations

import gzip
import math
import pickle
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

from engine.data.registry import DatasetError, DatasetInfo, PathLike
from engine.data.splits import Split, split_from_arrays

__all__ = [
    "MAX_FILE_BYTES",
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


MAX_FILE_BYTES = 1 << 30  # what one dataset file may hold inflated (MNIST's largest: 47 MB)


@contextmanager
def _reading(path: Path) -> Iterator[IO[bytes]]:
    """``path`` open for reading, inflated when its name ends in ``.gz``; read errors become a ``DatasetError``."""
    gz = path.suffix == ".gz"
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise DatasetError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    with raw:
        try:
            yield gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw
        except (OSError, EOFError, zlib.error) as exc:
            if not gz:
                raise DatasetError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
            raise DatasetError(f"{path} is not a valid gzip file ({exc}); download it again.") from exc


def _stored_size(path: Path) -> int:
    """The bytes ``path`` holds once inflated, without inflating: a gzip file's trailer keeps the size
    modulo 2**32 (exact below ``MAX_FILE_BYTES``; a file that lies is caught while reading)."""
    size = path.stat().st_size
    if path.suffix != ".gz" or size < 18:  # 18 bytes: the smallest gzip file
        return size
    with path.open("rb") as handle:
        handle.seek(-4, 2)
        return int.from_bytes(handle.read(4), "little")


def _too_big(path: Path, size: int, what: str) -> DatasetError:
    return DatasetError(f"{path} {what} {size:,} bytes, more than the {MAX_FILE_BYTES:,} a dataset file may "
                        "hold; it is corrupt, download it again.")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when the name ends in ``.gz`` (at most ``MAX_FILE_BYTES``)."""
    size = _stored_size(path) if path.is_file() else 0
    if size > MAX_FILE_BYTES:
        raise _too_big(path, size, "holds")
    with _reading(path) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(path, len(data), "holds more than")
    return data


def _read_idx(path: PathLike, magic: int, what: str, ndim: int, *, header_only: bool = False) -> np.ndarray:
    """An IDX file's array; with ``header_only`` its header's dimensions (int64), read no further."""
    path = Path(path)
    header = 4 + 4 * ndim
    with _reading(path) as handle:
        try:
            dims = _idx_dims(path, handle.read(header), magic, what, ndim)
        except DatasetError:
            for _ in range(MAX_FILE_BYTES >> 20):  # a broken gzip stream is the better reason (memory stays flat)
                if not handle.read(1 << 20):
                    break
            raise
        if header_only:
            return np.asarray(dims, np.int64)
        expected = math.prod(dims)
        _check_body(path, _stored_size(path) - header, expected, dims, what)
        data = np.empty(expected, np.uint8)
        view, got = memoryview(data), 0
        while got < expected:
            n = handle.readinto(view[got:])
            if not n:
                break
            got += n
        _check_body(path, got, expected, dims, what)
        if handle.read(1):
            raise DatasetError(f"{path} has more bytes than its header {dims} says; it is corrupt, download it again.")
    return data.reshape(dims)


def _idx_dims(path: Path, head: bytes, magic: int, what: str, ndim: int) -> tuple[int, ...]:
    """The dimensions in an IDX header ``head``, checked (magic number, sizes, ``MAX_FILE_BYTES``)."""
    header = 4 + 4 * ndim
    if len(head) < 4:
        raise DatasetError(f"{path} is truncated: {len(head)} bytes, too short for an IDX header.")
    found = int.from_bytes(head[:4], "big")
    if found != magic:
        hint = {IDX_IMAGES_MAGIC: " (that is an image file)", IDX_LABELS_MAGIC: " (that is a label file)"}
        raise DatasetError(
            f"{path} is not an IDX {what} file: magic number 0x{found:08X}{hint.get(found, '')}, "
            f"expected 0x{magic:08X}."
        )
    if len(head) < header:
        raise DatasetError(f"{path} is truncated: {len(head)} bytes, shorter than its {header}-byte header.")
    dims = tuple(int.from_bytes(head[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if 0 in dims:
        raise DatasetError(f"{path} has an empty dimension in its header {dims}.")
    if math.prod(dims) > MAX_FILE_BYTES:
        raise _too_big(path, math.prod(dims), f"declares {dims} in its header, that is")
    return dims


def _check_body(path: Path, body: int, expected: int, dims: tuple[int, ...], what: str) -> None:
    if body < expected:
        raise DatasetError(
            f"{path} is truncated: its header promises {dims[0]:,} {what}s ({expected:,} bytes) "
            f"but only {max(0, body):,} bytes follow; download it again."
        )
    if body > expected:
        raise DatasetError(
            f"{path} has {body - expected:,} bytes more than its header {dims} says; "
            "it is corrupt, download it again."
        )


def read_idx_images(path: PathLike) -> np.ndarray:
    """The images of an IDX file (``.gz`` or plain) as uint8 ``(N, H, W)``, validated."""
    return _read_idx(path, IDX_IMAGES_MAGIC, "image", 3)


def read_idx_labels(path: PathLike) -> np.ndarray:
    """The labels of an IDX file (``.gz`` or plain) as uint8 ``(N,)``, validated."""
    return _read_idx(path, IDX_LABELS_MAGIC, "label", 1)


def _check_shapes(
    image_dims: tuple[int, ...], label_count: int, info: DatasetInfo, image_file: Path, label_file: Path
) -> None:
    """Equal counts and the dataset's image size (from the headers, before reading the rest)."""
    if image_dims[0] != label_count:
        raise DatasetError(
            f"{image_file} holds {image_dims[0]:,} images but {label_file} holds {label_count:,} labels; "
            "one of them is corrupt or from another dataset, download them again."
        )
    if image_dims[1:] != info.input_shape[1:] and image_dims[1:] != info.input_shape:
        raise DatasetError(
            f"{image_file} holds images of size {'x'.join(map(str, image_dims[1:]))}, but {info.title} "
            f"images are {'x'.join(map(str, info.input_shape[1:]))}; is it from another dataset?"
        )


def _check_labels(labels: np.ndarray, info: DatasetInfo, label_file: Path) -> None:
    """Labels below the dataset's class count."""
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
    image_dims = tuple(_read_idx(image_file, IDX_IMAGES_MAGIC, "image", 3, header_only=True).tolist())
    label_dims = _read_idx(label_file, IDX_LABELS_MAGIC, "label", 1, header_only=True)
    _check_shapes(image_dims, int(label_dims[0]), info, image_file, label_file)
    labels = read_idx_labels(label_file)
    _check_labels(labels, info, label_file)
    return split_from_arrays(read_idx_images(image_file), labels)


def load_cifar_split(info: DatasetInfo, files: list[Path]) -> Split:
    """One split from its CIFAR-10 batch files (python or binary layout), concatenated."""
    reader = read_cifar_binary if files[0].name.endswith((".bin", ".bin.gz")) else read_cifar_pickle
    parts = [reader(f) for f in files]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    return split_from_arrays(images, labels)
