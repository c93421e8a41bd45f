"""Dataset files that would exhaust memory are refused before they are inflated; only the split
that is needed is read."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest

from engine.data import readers
from engine.data.loading import load_dataset
from engine.data.registry import DatasetError


def gzip_bomb(path: Path, dims: tuple[int, ...], zeros_mb: int, magic: int = 0x803) -> Path:
    """An IDX header declaring ``dims``, then ``zeros_mb`` MB of zeros, gzipped in a stream (never in memory)."""
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(header)
        chunk = bytes(1 << 20)
        for _ in range(zeros_mb):
            out.write(chunk)
    return path


def peak_mb(read, path) -> tuple[float, str]:
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError) as err:
            read(path)
        return tracemalloc.get_traced_memory()[1] / 1e6, str(err.value)
    finally:
        tracemalloc.stop()


def test_a_header_declaring_gigabytes_is_refused_before_inflating(tmp_path):
    bomb = gzip_bomb(tmp_path / "train-images-idx3-ubyte.gz", (5_000_000, 28, 28), 64)  # declares 3.9 GB
    assert bomb.stat().st_size < 200_000
    peak, message = peak_mb(readers.read_idx_images, bomb)
    assert "declares (5000000, 28, 28)" in message and "1,073,741,824" in message
    assert peak < 5


def test_a_body_larger_than_its_header_promises_stops_at_the_promise(tmp_path):
    bomb = gzip_bomb(tmp_path / "imgs.gz", (10, 28, 28), 64)
    with open(bomb, "r+b") as handle:  # a trailer that lies: it claims exactly the declared size
        handle.seek(-4, 2)
        handle.write(struct.pack("<I", 16 + 10 * 784))
    peak, message = peak_mb(readers.read_idx_images, bomb)
    assert "more bytes than its header (10, 28, 28) says" in message and peak < 5


def test_the_trailer_shows_a_mismatch_without_inflating(tmp_path):
    bomb = gzip_bomb(tmp_path / "imgs.gz", (100_000, 28, 28), 1)  # promises 78 MB, holds 1 MB
    peak, message = peak_mb(readers.read_idx_images, bomb)
    assert "is truncated: its header promises 100,000 images" in message and peak < 5


def test_a_cifar_binary_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 8 << 20)
    path = tmp_path / "data_batch_1.bin.gz"
    with gzip.open(path, "wb") as out:
        for _ in range(16):
            out.write(bytes(1 << 20))
    with pytest.raises(DatasetError, match="more than the 8,388,608"):
        readers.read_cifar_binary(path)


def test_eval_reads_only_its_split(tmp_path):
    rng = np.random.default_rng(0)

    def idx(name, magic, dims, payload):
        raw = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload
        (tmp_path / name).write_bytes(gzip.compress(raw, 1))

    idx("t10k-images-idx3-ubyte.gz", 0x803, (20, 28, 28), rng.integers(0, 256, 20 * 784, dtype=np.uint8).tobytes())
    idx("t10k-labels-idx1-ubyte.gz", 0x801, (20,), (np.arange(20) % 10).astype(np.uint8).tobytes())
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(zlib.compress(b"corrupt"))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"")
    with pytest.raises(DatasetError, match="train-images"):
        load_dataset("mnist", tmp_path)
    only_test = load_dataset("mnist", tmp_path, splits=("test",))
    assert only_test.train is None and len(only_test.test) == 20
    with pytest.raises(ValueError, match="splits"):
        load_dataset("mnist", tmp_path, splits=("validation",))
