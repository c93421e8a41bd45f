"""Loading a built-in dataset: finding its files, downloading them on request, reading them.

torchvision is imported only to download; our own validating readers load the files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from engine.data.folder import load_folder
from engine.data.readers import load_cifar_split, load_idx_split
from engine.data.registry import (
    CIFAR_BIN_FILES,
    CIFAR_PY_FILES,
    DATASETS,
    EXTRA_FOLDERS,
    IDX_FILES,
    SAMPLES,
    TORCHVISION_NAMES,
    DatasetError,
    DatasetInfo,
    PathLike,
    default_data_dir,
)
from engine.data.samples import load_sample
from engine.data.splits import Dataset, Split

__all__ = ["download_files", "idx_files_found", "load_dataset"]


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


def idx_files_found(name: str, data_dir: PathLike | None = None, split: str = "test") -> bool:
    """Whether the IDX files of ``split`` of ``name`` are where ``load_dataset`` looks (nothing is read)."""
    try:
        return _find_split(_candidate_folders(name, data_dir), IDX_FILES[split], ("", ".gz"), split) is not None
    except DatasetError:  # only part of them: loading says what is missing
        return True


def _search(info: DatasetInfo, folders: list[Path], splits: Sequence[str]) -> dict[str, tuple[Path, Split]]:
    """Each of ``splits`` found in ``folders``, loaded and validated."""
    found: dict[str, tuple[Path, Split]] = {}
    for split in splits:
        if info.name == "cifar10":
            hit = _find_split(folders, CIFAR_PY_FILES[split], ("",), split)
            if hit is None:
                hit = _find_split(folders, CIFAR_BIN_FILES[split], ("", ".gz"), split)
            if hit is not None:
                found[split] = (hit[0], load_cifar_split(info, hit[1]))
        else:
            hit = _find_split(folders, IDX_FILES[split], ("", ".gz"), split)
            if hit is not None:
                found[split] = (hit[0], load_idx_split(info, hit[1]))
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


def download_files(name: str, root: Path) -> None:
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


def load_dataset(name: str, data_dir: PathLike | None = None, *, download: bool = False,
                 splits: Sequence[str] = ("train", "test")) -> Dataset:
    """Load a built-in dataset (``DATASETS``) from ``data_dir`` (default: ``default_data_dir()``).

    Each split loads on its own: a folder holding only the test files gives ``train=None``; only
    the ``splits`` asked for are read (the others are None), so a damaged file of another split
    does not matter.
    ``download=True`` fetches missing files with torchvision first; nothing is ever downloaded
    otherwise. ``name="folder"`` loads ``data_dir`` with ``load_folder``'s defaults.
    """
    if name in SAMPLES:
        return load_sample(name)
    if name == "folder":
        if data_dir is None:
            raise DatasetError("An image-folder dataset needs a folder: pass its path (one sub-folder per class).")
        return load_folder(data_dir)
    if name not in DATASETS:
        raise DatasetError(f"Unknown dataset '{name}'; choose one of {', '.join(DATASETS)} or an image folder.")
    info = DATASETS[name]
    root = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    folders = _candidate_folders(name, data_dir)
    unknown = set(splits) - {"train", "test"}
    if unknown or not splits:
        raise ValueError(f"splits must be 'train' and/or 'test', got {tuple(splits)}")
    found = _search(info, folders, splits)
    if download and len(found) < len(splits):
        download_files(name, root)
        found = _search(info, folders, splits)
    if not found:
        raise _not_found(info, folders, root / name)
    sources = sorted({str(folder) for folder, _ in found.values()})
    return Dataset(
        info,
        found["train"][1] if "train" in found else None,
        found["test"][1] if "test" in found else None,
        " + ".join(sources),
    )
