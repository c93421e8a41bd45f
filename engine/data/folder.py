"""The user's own images: one sub-folder per class, resized to the network's input size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from engine.data.registry import DatasetError, DatasetInfo, PathLike
from engine.data.splits import Dataset, split_from_arrays
from engine.model.budget import MAX_INPUT_SIDE

__all__ = ["IMAGE_SUFFIXES", "load_folder"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


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
    if not (1 <= height <= MAX_INPUT_SIDE and 1 <= width <= MAX_INPUT_SIDE):
        raise DatasetError(f"Image size {height}x{width} is out of range; use 1 to {MAX_INPUT_SIDE} pixels a side.")

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
        train, test = split_from_arrays(*arrays["train"]), split_from_arrays(*arrays["test"])
    else:
        images, labels = arrays["all"]
        tr, te = _stratified(labels, test_fraction, seed)
        train = split_from_arrays(images[tr], labels[tr])
        test = split_from_arrays(images[te], labels[te]) if len(te) else None
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
