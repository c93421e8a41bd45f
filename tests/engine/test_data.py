"""Tests of engine.data: validating readers, built-in datasets, image folders, batches.

Corrupt files, image folders and CIFAR pickles are crafted in tmp_path (clearly test data);
the real data sets are the bundled MNIST sample and the shared MNIST / Fashion-MNIST files.
"""

from __future__ import annotations

import gzip
import os
import pickle
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.data import loading, readers
from engine.data.folder import load_folder
from engine.data.loading import load_dataset
from engine.data.registry import DATASETS, DatasetError
from engine.data.transforms import augment, normalize

REPO = Path(__file__).resolve().parents[2]


def _shared_data() -> Path | None:
    for candidate in (Path(__file__).resolve().parents[3] / "shared" / "data", Path("/work/shared/data")):
        if candidate.is_dir():
            return candidate
    return None


SHARED = _shared_data()


# --------------------------------------------------------------------------- crafting IDX files


def write_idx(path: Path, magic: int, dims: tuple[int, ...], payload: bytes | None = None) -> Path:
    """An IDX file with ``dims`` in its header; ``payload`` defaults to the right number of bytes."""
    if payload is None:
        payload = bytes(int(np.prod(dims)))
    raw = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(raw, compresslevel=1) if path.suffix == ".gz" else raw)
    return path


def write_split(folder: Path, split: str, n: int, *, gz: bool = True, labels: np.ndarray | None = None,
                size: int = 28, n_labels: int | None = None, seed: int = 0) -> None:  # fmt: skip
    """A valid pair of IDX files for ``split`` ("train" or "t10k") of ``n`` random images."""
    rng = np.random.default_rng(seed)
    suffix = ".gz" if gz else ""
    images = rng.integers(0, 256, (n, size, size), dtype=np.uint8)
    if labels is None:
        labels = (np.arange(n_labels if n_labels is not None else n) % 10).astype(np.uint8)
    write_idx(folder / f"{split}-images-idx3-ubyte{suffix}", 0x803, (n, size, size), images.tobytes())
    write_idx(folder / f"{split}-labels-idx1-ubyte{suffix}", 0x801, (len(labels),), labels.astype(np.uint8).tobytes())


def test_idx_readers_roundtrip_plain_and_gz(tmp_path):
    images = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    for name in ("imgs", "imgs.gz"):
        write_idx(tmp_path / name, 0x803, (3, 4, 5), images.tobytes())
        got = readers.read_idx_images(tmp_path / name)
        assert got.dtype == np.uint8 and got.shape == (3, 4, 5)
        np.testing.assert_array_equal(got, images)
    write_idx(tmp_path / "labels", 0x801, (3,), bytes([7, 0, 9]))
    np.testing.assert_array_equal(readers.read_idx_labels(tmp_path / "labels"), [7, 0, 9])


@pytest.mark.parametrize(
    "make, reader, expected",
    [
        (lambda p: write_idx(p, 0x803, (10, 28, 28), bytes(10 * 784 - 1)), "images", "is truncated"),
        (lambda p: write_idx(p, 0x803, (10, 28, 28), bytes(100)), "images", "promises 10 images"),
        (lambda p: p.write_bytes(b"\x00\x00"), "images", "too short for an IDX header"),
        (lambda p: p.write_bytes(struct.pack(">II", 0x803, 5)), "images", "shorter than its 16-byte header"),
        (lambda p: write_idx(p, 0x801, (10,)), "images", "magic number 0x00000801 (that is a label file)"),
        (lambda p: write_idx(p, 0x803, (1, 2, 2)), "labels", "magic number 0x00000803 (that is an image file)"),
        (lambda p: write_idx(p, 0x0D03, (1, 2, 2)), "images", "expected 0x00000803"),
        (lambda p: write_idx(p, 0x803, (2, 2, 2), bytes(9)), "images", "1 bytes more than its header"),
        (lambda p: write_idx(p, 0x803, (0, 28, 28)), "images", "empty dimension"),
        (lambda p: p.write_bytes(gzip.compress(b"\x00" * 2000)[:30]), "images", "not a valid gzip file"),
    ],
    ids=["truncated", "truncated-much", "tiny", "short-header", "labels-as-images", "images-as-labels",
         "bad-magic", "extra-bytes", "empty", "broken-gzip"],  # fmt: skip
)
def test_corrupt_idx_files_give_clear_errors(tmp_path, make, reader, expected):
    path = tmp_path / ("broken.gz" if "gzip" in expected else "broken")
    make(path)
    read = readers.read_idx_images if reader == "images" else readers.read_idx_labels
    with pytest.raises(DatasetError) as err:
        read(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_image_label_count_mismatch_is_refused(tmp_path):
    write_split(tmp_path, "t10k", 60, n_labels=59)
    with pytest.raises(DatasetError, match=r"holds 60 images but .*t10k-labels-idx1-ubyte.gz holds 59 labels"):
        load_dataset("mnist", tmp_path)


def test_labels_out_of_range_are_refused(tmp_path):
    labels = np.zeros(20, np.uint8)
    labels[13] = 10
    write_split(tmp_path, "t10k", 20, labels=labels)
    with pytest.raises(DatasetError, match=r"label 10 at index 13, but MNIST has only 10 classes"):
        load_dataset("mnist", tmp_path)


def test_wrong_image_size_is_refused(tmp_path):
    write_split(tmp_path, "t10k", 5, size=32)
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte.gz holds images of size 32x32.*28x28"):
        load_dataset("fashion-mnist", tmp_path)


def test_half_a_split_names_the_missing_file(tmp_path):
    write_split(tmp_path, "train", 5)
    (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match=r"train split but lacks train-labels-idx1-ubyte"):
        load_dataset("kmnist", tmp_path)


# --------------------------------------------------------------------------- built-in datasets


def test_mnist_sample_split():
    start = time.perf_counter()
    ds = load_dataset("mnist-sample")
    elapsed = time.perf_counter() - start
    assert elapsed < 30  # a hang guard; bench/stop_bench.py times it (target < 0.3 s)
    assert ds.info is DATASETS["mnist-sample"] and ds.source == "bundled sample"
    for split, n in ((ds.train, 4500), (ds.test, 500)):
        assert split is not None and len(split) == n
        assert split.images.dtype == torch.uint8 and split.images.shape == (n, 1, 28, 28)
        assert split.images.is_contiguous() and split.labels.dtype == torch.int64
        assert split.class_counts(10) == [n // 10] * 10
        mean = split.images.float().mean().item() / 255
        assert 0.11 < mean < 0.15  # MNIST: 0.1307
        assert split.images.max() == 255 and split.images.min() == 0
    # No digit is in both splits, and the split is the same every time.
    train_rows = {bytes(row) for row in ds.train.images.reshape(4500, -1).numpy()}
    assert not any(bytes(row) in train_rows for row in ds.test.images.reshape(500, -1).numpy())
    again = load_dataset("mnist-sample")
    assert torch.equal(again.train.images, ds.train.images) and torch.equal(again.test.labels, ds.test.labels)


@pytest.mark.skipif(SHARED is None or not (SHARED / "mnist").is_dir(), reason="shared MNIST files absent")
def test_shared_mnist_is_test_only():
    ds = load_dataset("mnist", SHARED / "mnist")
    assert ds.train is None and ds.test is not None
    assert ds.test.images.shape == (10_000, 1, 28, 28)
    assert ds.test.class_counts(10) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert abs(ds.test.images.float().mean().item() / 255 - 0.1325) < 0.001
    # The data root works too (<root>/mnist/).
    assert len(load_dataset("mnist", SHARED).test) == 10_000


@pytest.mark.skipif(SHARED is None or not (SHARED / "fashion-mnist").is_dir(), reason="shared Fashion-MNIST absent")
def test_shared_fashion_mnist_loads_both_splits():
    ds = load_dataset("fashion-mnist", SHARED / "fashion-mnist")  # about 0.5 s
    assert len(ds.train) == 60_000 and len(ds.test) == 10_000
    assert ds.train.class_counts(10) == [6000] * 10
    assert abs(ds.train.images.float().mean().item() / 255 - DATASETS["fashion-mnist"].mean[0]) < 0.001
    assert ds.info.class_names[0] == "T-shirt/top" and ds.info.class_names[-1] == "Ankle boot"


def test_torchvision_raw_layout_is_found(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    write_split(raw, "train", 30, gz=False)
    write_split(raw, "t10k", 10, gz=True, seed=1)
    ds = load_dataset("fashion-mnist", tmp_path)
    assert len(ds.train) == 30 and len(ds.test) == 10 and ds.source == str(raw)
    expected = np.random.default_rng(0).integers(0, 256, (30, 28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(ds.train.images[:, 0].numpy(), expected)
    np.testing.assert_array_equal(ds.train.labels.numpy(), np.arange(30) % 10)


def test_named_subfolder_layout_is_found(tmp_path):
    write_split(tmp_path / "kmnist", "t10k", 12)
    ds = load_dataset("kmnist", tmp_path)
    assert ds.train is None and len(ds.test) == 12 and ds.info.class_names[0] == "o"


def test_missing_dataset_names_folders_and_files(tmp_path):
    with pytest.raises(DatasetError) as err:
        load_dataset("kmnist", tmp_path)
    message = str(err.value)
    assert str(tmp_path / "kmnist") in message and str(tmp_path / "KMNIST" / "raw") in message
    assert "t10k-images-idx3-ubyte" in message and "--download" in message


def test_default_data_dir_is_used_and_not_mixed_up(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "default_data_dir", lambda: tmp_path)
    monkeypatch.setattr(loading, "EXTRA_FOLDERS", {})
    write_split(tmp_path, "t10k", 10)  # loose files in the cache root belong to no dataset
    with pytest.raises(DatasetError, match="Fashion-MNIST was not found"):
        load_dataset("fashion-mnist")
    write_split(tmp_path / "fashion-mnist", "t10k", 7)
    assert len(load_dataset("fashion-mnist").test) == 7


def test_unknown_dataset_name():
    with pytest.raises(DatasetError, match="Unknown dataset 'svhn'; choose one of mnist-sample"):
        load_dataset("svhn")


def test_dataset_to_keeps_uint8():
    ds = load_dataset("mnist-sample").to("cpu")
    assert ds.train.images.dtype == torch.uint8 and ds.test.labels.dtype == torch.int64


def test_engine_data_imports_no_qt_and_no_torchvision():
    code = (
        "import sys, engine.data.loading, engine.data.transforms; "
        "print([m for m in ('torchvision', 'PySide6', 'pyqtgraph') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- downloading


def test_download_offline_gives_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("torchvision")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network (test)")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DatasetError) as err:
        load_dataset("fashion-mnist", tmp_path, download=True)
    message = str(err.value)
    assert "Downloading Fashion-MNIST failed (no network?" in message and "no network (test)" in message
    assert str(tmp_path / "fashion-mnist") in message


def test_download_fetches_then_reads_with_our_readers(tmp_path, monkeypatch):
    tvd = pytest.importorskip("torchvision.datasets")
    calls = []

    class FakeFashion:  # stands in for the network: writes the files where torchvision would
        def __init__(self, root, train, download):
            calls.append((root, train, download))
            raw = Path(root) / "FashionMNIST" / "raw"
            write_split(raw, "train", 20)
            write_split(raw, "t10k", 10)

    monkeypatch.setattr(tvd, "FashionMNIST", FakeFashion)
    with pytest.raises(DatasetError):
        load_dataset("fashion-mnist", tmp_path)  # never downloads unless asked
    assert calls == []
    ds = load_dataset("fashion-mnist", tmp_path, download=True)
    assert calls == [(str(tmp_path), False, True)]
    assert len(ds.train) == 20 and len(ds.test) == 10
    load_dataset("fashion-mnist", tmp_path, download=True)  # files present: no second download
    assert len(calls) == 1


# --------------------------------------------------------------------------- CIFAR-10


def _cifar_batch(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "batch_label": f"test batch {seed}",
        "labels": [int(v) for v in rng.integers(0, 10, n)],
        "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        "filenames": [f"img{i}.png" for i in range(n)],
    }


def _write_cifar_py(folder: Path, n: int = 4, protocol: int = 2) -> dict[str, dict]:
    folder.mkdir(parents=True, exist_ok=True)
    batches = {}
    for i, name in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        batches[name] = _cifar_batch(n, i)
        (folder / name).write_bytes(pickle.dumps(batches[name], protocol=protocol))
    return batches


@pytest.mark.parametrize("protocol", [2, 5])
def test_cifar_python_layout(tmp_path, protocol):
    batches = _write_cifar_py(tmp_path / "cifar-10-batches-py", protocol=protocol)
    ds = load_dataset("cifar10", tmp_path)
    assert ds.train.images.shape == (20, 3, 32, 32) and ds.test.images.shape == (4, 3, 32, 32)
    expected = np.concatenate([batches[f"data_batch_{k}"]["data"] for k in range(1, 6)]).reshape(-1, 3, 32, 32)
    np.testing.assert_array_equal(ds.train.images.numpy(), expected)
    assert ds.test.labels.tolist() == batches["test_batch"]["labels"]
    assert ds.info.augment_kind == "cifar" and ds.info.class_names[1] == "automobile"


def _py2_style_batch(data: bytes, n: int, labels: list[int]) -> bytes:
    """A batch pickled the way Python 2's cPickle wrote the real CIFAR-10 files (str data)."""
    k = lambda v: b"K" + bytes([v])  # noqa: E731 - BININT1
    i = lambda v: b"J" + struct.pack("<i", v)  # noqa: E731 - BININT
    s = lambda t: b"U" + bytes([len(t)]) + t  # noqa: E731 - SHORT_BINSTRING (a py2 str)
    dtype = (
        b"cnumpy\ndtype\n" + s(b"u1") + k(0) + k(1) + b"\x87R"
        + b"(" + k(3) + s(b"|") + b"NNN" + i(-1) + i(-1) + k(0) + b"tb"
    )  # fmt: skip
    array = (
        b"cnumpy.core.multiarray\n_reconstruct\n" + b"cnumpy\nndarray\n" + k(0) + b"\x85" + s(b"b") + b"\x87R"
        + b"(" + k(1) + i(n) + i(3072) + b"\x86" + dtype + b"\x89" + b"T" + struct.pack("<i", len(data)) + data + b"tb"
    )  # fmt: skip
    label_list = b"](" + b"".join(k(v) for v in labels) + b"e"
    return b"\x80\x02}(" + s(b"data") + array + s(b"labels") + label_list + b"u."


def test_cifar_python2_pickles_like_the_real_files(tmp_path):
    rng = np.random.default_rng(3)
    folder = tmp_path / "cifar10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    pixels = rng.integers(0, 256, (2, 3072), dtype=np.uint8)
    (folder / "test_batch").write_bytes(_py2_style_batch(pixels.tobytes(), 2, [3, 9]))
    ds = load_dataset("cifar10", tmp_path)
    assert ds.train is None and ds.test.labels.tolist() == [3, 9]
    np.testing.assert_array_equal(ds.test.images.reshape(2, -1).numpy(), pixels)


class _Payload:
    """Unpickling this runs ``func(*args)``: the classic malicious-pickle trick."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _payloads(target: Path) -> list:
    payloads = [_Payload(open, (str(target), "w"))]
    if os.name == "posix":
        payloads.append(_Payload(os.system, (f"touch '{target}'",)))
    return payloads


@pytest.mark.parametrize("which", [0, 1])
def test_malicious_cifar_pickle_is_refused(tmp_path, which):
    if which >= len(_payloads(tmp_path)):
        pytest.skip("os.system payload is posix-only")
    # The payload is live: plain pickle really creates the file.
    control = tmp_path / "control"
    result = pickle.loads(pickle.dumps(_payloads(control)[which], protocol=2))
    if hasattr(result, "close"):
        result.close()
    assert control.exists()

    target = tmp_path / "pwned"
    folder = tmp_path / "cifar-10-batches-py"
    _write_cifar_py(folder)
    evil = {"data": _payloads(target)[which], "labels": [0]}
    (folder / "test_batch").write_bytes(pickle.dumps(evil, protocol=2))
    with pytest.raises(DatasetError, match=r"test_batch is not a CIFAR-10 batch file .*is not allowed"):
        load_dataset("cifar10", tmp_path)
    assert not target.exists()


def test_cifar_object_array_is_refused(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    _write_cifar_py(folder)
    (folder / "test_batch").write_bytes(pickle.dumps({"data": np.array([1, "x"], dtype=object), "labels": []}, 2))
    with pytest.raises(DatasetError, match="object arrays are not allowed"):
        load_dataset("cifar10", tmp_path)


def test_cifar_binary_layout_and_truncation(tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    rng = np.random.default_rng(0)
    records = rng.integers(0, 256, (3, 3073), dtype=np.uint8)
    records[:, 0] = [2, 0, 7]
    (folder / "test_batch.bin").write_bytes(records.tobytes())
    ds = load_dataset("cifar10", tmp_path)
    assert ds.train is None and ds.test.labels.tolist() == [2, 0, 7]
    np.testing.assert_array_equal(ds.test.images[1].reshape(-1).numpy(), records[1, 1:])
    (folder / "test_batch.bin").write_bytes(records.tobytes()[:-5])
    with pytest.raises(DatasetError, match=r"test_batch.bin is 9,214 bytes, not a whole number of 3,073-byte"):
        load_dataset("cifar10", tmp_path)


# --------------------------------------------------------------------------- image folders


def _png(path: Path, array: np.ndarray, mode: str | None = None) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array, mode).save(path)


def _make_gray_folder(root: Path, per_class: int = 10) -> None:
    """Synthetic test images: bright squares vs dark bars, 20x20 grayscale PNG / BMP."""
    rng = np.random.default_rng(0)
    for i in range(per_class):
        img = np.zeros((20, 20), np.uint8)
        img[5:15, 5:15] = 200 + i
        _png(root / "squares" / f"s{i}.png", img)
        bar = (rng.integers(0, 30, (20, 20))).astype(np.uint8)
        bar[:, 8:12] = 120
        ext = "bmp" if i % 2 else "png"
        _png(root / "bars" / f"b{i}.{ext}", bar)
    (root / "bars" / "notes.txt").write_text("not an image, ignored")


def test_folder_grayscale_split_and_stats(tmp_path):
    _make_gray_folder(tmp_path)
    ds = load_folder(tmp_path, image_size=(28, 28), test_fraction=0.2, seed=1)
    assert ds.info.class_names == ("bars", "squares") and ds.info.input_shape == (1, 28, 28)
    assert ds.info.augment_kind == "digits" and ds.source == str(tmp_path)
    assert len(ds.train) == 16 and len(ds.test) == 4
    assert ds.train.class_counts(2) == [8, 8] and ds.test.class_counts(2) == [2, 2]
    pixels = ds.train.images.float() / 255
    assert ds.info.mean[0] == pytest.approx(pixels.mean().item(), abs=1e-4)
    assert ds.info.std[0] == pytest.approx(pixels.std(correction=0).item(), abs=1e-4)
    # Squares are bright in the middle, bars dark at the corner.
    squares = ds.train.images[ds.train.labels == 1]
    assert squares[:, 0, 14, 14].min() >= 190 and squares[:, 0, 0, 0].max() == 0
    same = load_folder(tmp_path, test_fraction=0.2, seed=1)
    other = load_folder(tmp_path, test_fraction=0.2, seed=2)
    assert torch.equal(same.test.images, ds.test.images) and not torch.equal(other.test.images, ds.test.images)
    forced = load_folder(tmp_path, image_size=(16, 12), grayscale=False)
    assert forced.info.input_shape == (3, 16, 12) and forced.train.images.shape[1:] == (3, 16, 12)


def test_folder_rgb_and_gray_looking_rgb(tmp_path):
    for i in range(3):
        red = np.zeros((8, 8, 3), np.uint8)
        red[..., 0] = 255 - i
        _png(tmp_path / "red" / f"{i}.png", red)
        _png(tmp_path / "blue" / f"{i}.jpg", np.full((8, 8, 3), (0, 0, 250), np.uint8))
    ds = load_folder(tmp_path, image_size=(8, 8), test_fraction=0.0)
    assert ds.info.input_shape == (3, 8, 8) and ds.test is None and ds.info.augment_kind == "cifar"
    red = ds.train.images[ds.train.labels == 1].float()
    assert red[:, 0].mean() > 250 and red[:, 1:].max() < 10
    assert ds.info.mean[0] > ds.info.mean[1]
    gray_rgb = tmp_path / "gray"
    for cls in ("a", "b"):
        _png(gray_rgb / cls / "x.png", np.full((8, 8, 3), 90, np.uint8))  # RGB file, gray content
        _png(gray_rgb / cls / "y.png", np.full((8, 8, 3), 30, np.uint8))
    assert load_folder(gray_rgb).info.input_shape == (1, 28, 28)


def test_folder_with_train_and_test_subfolders(tmp_path):
    _make_gray_folder(tmp_path / "train", per_class=4)
    _make_gray_folder(tmp_path / "test", per_class=2)
    ds = load_folder(tmp_path)
    assert ds.info.class_names == ("bars", "squares") and len(ds.train) == 8 and len(ds.test) == 4
    (tmp_path / "test" / "circles").mkdir()
    _png(tmp_path / "test" / "circles" / "c.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match="must have the same class folders"):
        load_folder(tmp_path)


def test_folder_errors(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_folder(tmp_path / "nope")
    with pytest.raises(DatasetError, match="has no class folders"):
        load_folder(tmp_path)
    _png(tmp_path / "cats" / "a.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match=r"only one class folder \(cats\)"):
        load_folder(tmp_path)
    (tmp_path / "dogs").mkdir()
    with pytest.raises(DatasetError, match=r"class folder .*dogs has no images"):
        load_folder(tmp_path)
    broken = tmp_path / "dogs" / "broken.png"
    broken.write_bytes(b"this is not a PNG")
    with pytest.raises(DatasetError, match=r"Cannot read the image .*dogs/broken.png"):
        load_folder(tmp_path)
    with pytest.raises(DatasetError, match="test_fraction"):
        load_folder(tmp_path, test_fraction=1.0)


# --------------------------------------------------------------------------- normalize and augment


def test_normalize_matches_formula():
    images = torch.randint(0, 256, (5, 3, 6, 7), dtype=torch.uint8)
    info = DATASETS["cifar10"]
    mean = torch.tensor(info.mean).view(1, 3, 1, 1)
    std = torch.tensor(info.std).view(1, 3, 1, 1)
    expected = (images.float() / 255 - mean) / std
    calls = (normalize(images, info), normalize(images, (info.mean, info.std)), normalize(images, info.mean, info.std))
    for out in calls:
        assert out.dtype == torch.float32 and out.shape == images.shape
        torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
    gray = torch.tensor([[[[0, 255]]]], dtype=torch.uint8)
    expected_gray = torch.tensor([[[[-0.1307 / 0.3081, 0.8693 / 0.3081]]]])
    torch.testing.assert_close(normalize(gray, DATASETS["mnist"]), expected_gray)
    with pytest.raises(ValueError, match="3 means for 1 channels"):
        normalize(gray, info)


def _digits_batch() -> tuple[torch.Tensor, float]:
    ds = load_dataset("mnist-sample")
    info = ds.info
    return normalize(ds.test.images[:64], info), -info.mean[0] / info.std[0]


def test_augment_digits():
    batch, background = _digits_batch()
    out = augment(batch, "digits", torch.Generator().manual_seed(0))
    assert out.shape == batch.shape and out.dtype == batch.dtype and out.device == batch.device
    assert torch.equal(out, augment(batch, "digits", torch.Generator().manual_seed(0)))
    assert not torch.equal(out, augment(batch, "digits", torch.Generator().manual_seed(1)))
    changed = (out - batch).abs().flatten(1).amax(dim=1)
    assert (changed > 0.5).float().mean() > 0.9  # nearly every digit moved
    # Background stays the normalised value of a 0 pixel; no brighter than the original's max.
    torch.testing.assert_close(out[:, :, 0, 0], torch.full_like(out[:, :, 0, 0], background))
    assert out.min() >= background - 1e-5 and out.max() <= batch.max() + 1e-5
    # Ink is kept: a small shift and rotation moves, not erases, the digit.
    ink_before, ink_after = (batch - background).sum(dim=(1, 2, 3)), (out - background).sum(dim=(1, 2, 3))
    torch.testing.assert_close(ink_after, ink_before, rtol=0.1, atol=0)


def test_augment_cifar_is_crop_and_flip():
    batch = torch.randn(32, 3, 8, 8, generator=torch.Generator().manual_seed(0))
    out = augment(batch, "cifar", torch.Generator().manual_seed(0))
    assert out.shape == batch.shape and out.dtype == batch.dtype
    assert torch.equal(out, augment(batch, "cifar", torch.Generator().manual_seed(0)))
    assert not torch.equal(out, batch)
    # Without padding every image is itself or its mirror image, and both happen.
    flipped = augment(batch, "cifar", torch.Generator().manual_seed(5), pad=0)
    same = [torch.equal(a, b) for a, b in zip(flipped, batch)]
    mirrored = [torch.equal(a, b.flip(-1)) for a, b in zip(flipped, batch)]
    assert all(s or m for s, m in zip(same, mirrored)) and any(same) and any(mirrored)
    # With padding, each output is a window of the zero-padded (possibly mirrored) image.
    padded = torch.nn.functional.pad(batch, (4, 4, 4, 4))
    for a, p in zip(out, padded):
        windows = [p[:, y : y + 8, x : x + 8] for y in range(9) for x in range(9)]
        assert any(torch.equal(a, w) or torch.equal(a, w.flip(-1)) for w in windows)


def test_augment_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown augmentation 'mixup'"):
        augment(torch.zeros(1, 1, 4, 4), "mixup")
    with pytest.raises(ValueError, match="float"):
        augment(torch.zeros(1, 1, 4, 4, dtype=torch.uint8), "digits")
    x = torch.zeros(2, 1, 4, 4)
    assert augment(x, "none") is x
