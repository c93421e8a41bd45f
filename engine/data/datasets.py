"""Datasets for training: the bundled MNIST sample, IDX and CIFAR-10 files, image folders.

Every dataset becomes two ``Split`` s of uint8 ``(N, C, H, W)`` images and int64 labels, kept
as whole tensors (no per-image Python objects), so batches are sliced, normalised
(``normalize``) and augmented (``augment``) on the training device.

Files are read with our own validating readers: a truncated or mismatched file gives one
``DatasetError`` sentence that names the file. CIFAR-10's pickles go through a restricted
unpickler that only rebuilds numpy arrays. torchvision is imported only to download.

Plain Python, numpy and torch (PIL for image folders); nothing here imports Qt.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

__all__ = [
    "DATASETS",
    "IMAGE_SUFFIXES",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "Split",
    "augment",
    "default_data_dir",
    "load_dataset",
    "load_folder",
    "normalize",
    "read_cifar_binary",
    "read_cifar_pickle",
    "read_idx_images",
    "read_idx_labels",
]

PathLike = str | os.PathLike
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SAMPLE_FILE = RESOURCES / "mnist_sample.npz"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801
CIFAR_RECORD = 1 + 3 * 32 * 32


class DatasetError(Exception):
    """A dataset that cannot be found or read; the message says what to do about it."""


# --------------------------------------------------------------------------- descriptions


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

DATASETS: dict[str, DatasetInfo] = {
    "mnist-sample": DatasetInfo(
        "mnist-sample", "MNIST (bundled 5,000-digit sample)", (1, 28, 28), _DIGITS,
        (0.1307,), (0.3081,), False,
        "5,000 real handwritten digits from the MNIST training set (500 per class), split "
        "4,500 / 500; ships with ConvScope, so it works offline.",
        "digits",
    ),
    "mnist": DatasetInfo(
        "mnist", "MNIST", (1, 28, 28), _DIGITS, (0.1307,), (0.3081,), True,
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


# --------------------------------------------------------------------------- containers


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


def _split(images: np.ndarray, labels: np.ndarray) -> Split:
    if images.ndim == 3:
        images = images[:, None]
    return Split(torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(labels.astype(np.int64)))


def default_data_dir() -> Path:
    """Where datasets are looked for and downloaded to: the user cache's ``datasets`` folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("convscope")) / "datasets"


# --------------------------------------------------------------------------- IDX files


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


# --------------------------------------------------------------------------- CIFAR-10 files


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


# --------------------------------------------------------------------------- finding files


def _present(folder: Path, name: str, suffixes: Sequence[str]) -> Path | None:
    for suffix in suffixes:
        candidate = folder / (name + suffix)
        if candidate.is_file():
            return candidate
    return None


def _candidate_folders(name: str, data_dir: PathLike | None) -> list[Path]:
    """The folders searched for ``name``, in order, without duplicates."""
    root = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    folders = [root, root / name]
    if name in TORCHVISION_NAMES:
        tv = TORCHVISION_NAMES[name]
        folders += [root / tv / "raw", root / tv]
    if name == "cifar10":
        layouts = ("cifar-10-batches-py", "cifar-10-batches-bin")
        folders = [f / layout for f in folders[:2] for layout in layouts] + folders
    if data_dir is None:
        # The shared cache root holds every dataset's folder, never one dataset's files directly.
        folders = [f for f in folders if f != root] + list(EXTRA_FOLDERS.get(name, ()))
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def _find_split(
    folders: Iterable[Path], files: Sequence[str], suffixes: Sequence[str], split: str
) -> tuple[Path, list[Path]] | None:
    """The first folder holding any of ``files``; all of them must be there."""
    for folder in folders:
        found = [_present(folder, f, suffixes) for f in files]
        if not any(found):
            continue
        missing = [f for f, p in zip(files, found) if p is None]
        if missing:
            raise DatasetError(
                f"{folder} holds part of the {split} split but lacks {', '.join(missing)}; "
                "put the missing files there or download the dataset again."
            )
        return folder, [p for p in found if p is not None]
    return None


def _load_idx_split(info: DatasetInfo, files: list[Path]) -> Split:
    image_file, label_file = files
    images, labels = read_idx_images(image_file), read_idx_labels(label_file)
    _check_pair(images, labels, info, image_file, label_file)
    return _split(images, labels)


def _load_cifar_split(info: DatasetInfo, files: list[Path]) -> Split:
    reader = read_cifar_binary if files[0].name.endswith((".bin", ".bin.gz")) else read_cifar_pickle
    parts = [reader(f) for f in files]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    return _split(images, labels)


def _search(info: DatasetInfo, folders: list[Path]) -> dict[str, tuple[Path, Split]]:
    """Each split found in ``folders``, loaded and validated."""
    found: dict[str, tuple[Path, Split]] = {}
    for split in ("train", "test"):
        if info.name == "cifar10":
            hit = _find_split(folders, CIFAR_PY_FILES[split], ("",), split)
            if hit is None:
                hit = _find_split(folders, CIFAR_BIN_FILES[split], ("", ".gz"), split)
            if hit is not None:
                found[split] = (hit[0], _load_cifar_split(info, hit[1]))
        else:
            hit = _find_split(folders, IDX_FILES[split], ("", ".gz"), split)
            if hit is not None:
                found[split] = (hit[0], _load_idx_split(info, hit[1]))
    return found


def _file_names(name: str) -> str:
    if name == "cifar10":
        return (
            "the data_batch_1 ... data_batch_5 and test_batch files of cifar-10-python.tar.gz "
            "(or the .bin files of the binary version)"
        )
    names = [f for pair in IDX_FILES.values() for f in pair]
    return ", ".join(f + ".gz" for f in names) + " (gzipped or not)"


def _not_found(info: DatasetInfo, folders: list[Path], home: Path) -> DatasetError:
    return DatasetError(
        f"{info.title} was not found (looked in {', '.join(map(str, folders))}); put "
        f"{_file_names(info.name)} in {home}, or use --download (the GUI's Download button) "
        "to fetch them when online."
    )


# --------------------------------------------------------------------------- downloading


def _download(name: str, root: Path) -> None:
    """Fetch the files with torchvision into ``root`` (its own layout); our readers load them."""
    home = root / name
    try:
        import torchvision.datasets as tvd
    except ImportError as exc:
        raise DatasetError(
            f"Downloading needs torchvision, which is not installed; install it or put the files in {home} by hand."
        ) from exc
    cls = getattr(tvd, TORCHVISION_NAMES[name])
    try:
        root.mkdir(parents=True, exist_ok=True)
        cls(root=str(root), train=False, download=True)  # download() fetches both splits
    except Exception as exc:  # URLError, OSError, timeouts and torchvision's RuntimeError alike
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = lines[-1] if lines else type(exc).__name__  # torchvision puts the cause last
        raise DatasetError(
            f"Downloading {DATASETS[name].title} failed (no network? {reason}); put "
            f"{_file_names(name)} in {home} by hand and load it again."
        ) from exc


# --------------------------------------------------------------------------- loading


def _load_sample() -> Dataset:
    try:
        with np.load(SAMPLE_FILE) as npz:
            arrays = {k: npz[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise DatasetError(
            f"The bundled MNIST sample {SAMPLE_FILE} is missing or damaged ({exc}); reinstall ConvScope."
        ) from exc
    return Dataset(
        DATASETS["mnist-sample"],
        _split(arrays["train_images"], arrays["train_labels"]),
        _split(arrays["test_images"], arrays["test_labels"]),
        "bundled sample",
    )


def load_dataset(name: str, data_dir: PathLike | None = None, *, download: bool = False) -> Dataset:
    """Load a built-in dataset (``DATASETS``) from ``data_dir`` (default: ``default_data_dir()``).

    Each split loads on its own: a folder holding only the test files gives ``train=None``.
    ``download=True`` fetches missing files with torchvision first; nothing is ever downloaded
    otherwise. ``name="folder"`` loads ``data_dir`` with ``load_folder``'s defaults.
    """
    if name == "mnist-sample":
        return _load_sample()
    if name == "folder":
        if data_dir is None:
            raise DatasetError("An image-folder dataset needs a folder: pass its path (one sub-folder per class).")
        return load_folder(data_dir)
    if name not in DATASETS:
        raise DatasetError(f"Unknown dataset '{name}'; choose one of {', '.join(DATASETS)} or an image folder.")
    info = DATASETS[name]
    root = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    folders = _candidate_folders(name, data_dir)
    found = _search(info, folders)
    if download and len(found) < 2:
        _download(name, root)
        found = _search(info, folders)
    if not found:
        raise _not_found(info, folders, root / name)
    sources = sorted({str(folder) for folder, _ in found.values()})
    return Dataset(
        info,
        found["train"][1] if "train" in found else None,
        found["test"][1] if "test" in found else None,
        " + ".join(sources),
    )


# --------------------------------------------------------------------------- image folders


def _class_folders(path: Path) -> list[Path]:
    return sorted((p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
    )


def _scan(path: Path) -> dict[str, list[Path]]:
    """Class name -> image files, with clear errors for empty or unusable folders."""
    classes = _class_folders(path)
    if not classes:
        raise DatasetError(
            f"{path} has no class folders; make one sub-folder per class (e.g. {path / 'cats'}) "
            "holding that class's PNG, JPEG, BMP or GIF images."
        )
    if len(classes) < 2:
        raise DatasetError(
            f"{path} has only one class folder ({classes[0].name}); a classifier needs at least 2, "
            "add another sub-folder of images."
        )
    files = {c.name: _image_files(c) for c in classes}
    for cls, images in files.items():
        if not images:
            raise DatasetError(
                f"The class folder {path / cls} has no images; put PNG, JPEG, BMP or GIF files in it or remove it."
            )
    return files


_GRAY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


def _open_image(file: Path, size: tuple[int, int]) -> tuple[Any, bool]:
    """The image as RGB resized to ``size`` (H, W), and whether it is grayscale."""
    from PIL import Image

    try:
        with Image.open(file) as img:
            img.load()
            gray = img.mode in _GRAY_MODES
            rgb = img.convert("RGB").resize((size[1], size[0]), Image.Resampling.BILINEAR)
    except Exception as exc:  # PIL raises OSError, ValueError, SyntaxError, DecompressionBombError ...
        raise DatasetError(
            f"Cannot read the image {file} ({exc}); remove it or replace it with a valid image."
        ) from exc
    if not gray:
        arr = np.asarray(rgb)
        gray = bool((arr[..., 0] == arr[..., 1]).all() and (arr[..., 1] == arr[..., 2]).all())
    return rgb, gray


def _read_images(files: list[Path], size: tuple[int, int]) -> tuple[list[Any], bool]:
    images, all_gray = [], True
    for file in files:
        img, gray = _open_image(file, size)
        images.append(img)
        all_gray &= gray
    return images, all_gray


def _to_array(images: list[Any], grayscale: bool) -> np.ndarray:
    if grayscale:
        return np.stack([np.asarray(img.convert("L")) for img in images])[:, None]
    return np.stack([np.asarray(img) for img in images]).transpose(0, 3, 1, 2)


def _stratified(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices: ``test_fraction`` of every class (at least one when it has 2+)."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for cls in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == cls))
        n_test = round(len(idx) * test_fraction)
        if test_fraction > 0 and len(idx) >= 2:
            n_test = min(max(n_test, 1), len(idx) - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _mean_std(images: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    pixels = torch.from_numpy(images).float().div_(255).transpose(0, 1).reshape(images.shape[1], -1)
    std, mean = torch.std_mean(pixels, dim=1, correction=0)
    std = torch.where(std < 1e-6, torch.ones_like(std), std)  # a flat channel: leave it unscaled
    return tuple(round(v, 4) for v in mean.tolist()), tuple(round(v, 4) for v in std.tolist())


def load_folder(
    path: PathLike,
    image_size: tuple[int, int] = (28, 28),
    grayscale: bool | None = None,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> Dataset:
    """The user's images, one sub-folder per class (class names: the sorted folder names).

    Images (PNG, JPEG, BMP, GIF) are resized to ``image_size`` (height, width); they get one
    channel when all of them are grayscale, unless ``grayscale`` says otherwise. With ``train/``
    and ``test/`` sub-folders of the same classes those are the splits; otherwise a seeded,
    stratified ``test_fraction`` of each class is the test split. mean/std come from training
    images; grayscale folders augment like digits, colour ones like CIFAR.
    """
    path = Path(path).expanduser()
    if not path.is_dir():
        raise DatasetError(f"The image folder {path} does not exist; choose a folder with one sub-folder per class.")
    if not 0 <= test_fraction < 1:
        raise DatasetError(f"test_fraction must be in [0, 1), got {test_fraction}.")
    height, width = image_size
    if not (1 <= height <= 1024 and 1 <= width <= 1024):
        raise DatasetError(f"Image size {height}x{width} is out of range; use 1 to 1024 pixels a side.")

    presplit = (path / "train").is_dir() and (path / "test").is_dir() and bool(_class_folders(path / "train"))
    if presplit:
        parts = {"train": _scan(path / "train"), "test": _scan(path / "test")}
        if list(parts["train"]) != list(parts["test"]):
            raise DatasetError(
                f"{path / 'train'} and {path / 'test'} must have the same class folders; "
                f"found {', '.join(parts['train'])} and {', '.join(parts['test'])}."
            )
    else:
        parts = {"all": _scan(path)}
    class_names = tuple(next(iter(parts.values())))

    loaded: dict[str, tuple[list[Any], np.ndarray]] = {}
    all_gray = True
    for part, files in parts.items():
        flat = [f for cls in class_names for f in files[cls]]
        labels = np.repeat(np.arange(len(class_names)), [len(files[c]) for c in class_names])
        images, gray = _read_images(flat, (height, width))
        loaded[part] = (images, labels)
        all_gray &= gray
    use_gray = all_gray if grayscale is None else grayscale
    arrays = {part: (_to_array(imgs, use_gray), labels) for part, (imgs, labels) in loaded.items()}

    if presplit:
        train, test = _split(*arrays["train"]), _split(*arrays["test"])
    else:
        images, labels = arrays["all"]
        tr, te = _stratified(labels, test_fraction, seed)
        train = _split(images[tr], labels[tr])
        test = _split(images[te], labels[te]) if len(te) else None
    mean, std = _mean_std(train.images.numpy())
    channels = 1 if use_gray else 3
    total = len(train) + (len(test) if test is not None else 0)
    info = DatasetInfo(
        name="folder",
        title=f"Folder: {path.name}",
        input_shape=(channels, height, width),
        class_names=class_names,
        mean=mean,
        std=std,
        downloadable=False,
        description=(
            f"{total:,} {'grayscale' if use_gray else 'colour'} images in {len(class_names)} classes "
            f"from {path}, resized to {height}x{width}."
        ),
        augment_kind="digits" if use_gray else "cifar",
    )
    return Dataset(info, train, test, str(path))


# --------------------------------------------------------------------------- batches


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
