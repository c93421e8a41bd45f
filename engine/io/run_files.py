"""A recorded run's data files besides the manifest: ``metrics.csv`` (one row per epoch),
``batches.csv`` (step, loss, accuracy, thinned to at most ``MAX_BATCH_ROWS`` rows) and
``keyframes.safetensors`` (the conv kernels at each time-lapse moment).

Writers produce the whole file's bytes (each is written atomically by the recorder); readers
check every value and raise ``SchemaError`` naming the row and column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from engine.io.schema import SchemaError

__all__ = ["BATCH_COLUMNS", "EPOCH_COLUMNS", "MAX_BATCH_ROWS", "BatchLog", "epochs_csv", "kernels", "keyframes_bytes",
           "read_batches", "read_epochs", "read_keyframes"]

EPOCH_COLUMNS = ("epoch", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr", "seconds")
BATCH_COLUMNS = ("step", "loss", "accuracy")
MAX_BATCH_ROWS = 2000
MAX_EPOCH_ROWS = 100_000
MAX_CSV_BYTES = 16 << 20
_INT_COLUMNS = {"epoch", "step"}


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return str(int(value)) if isinstance(value, (bool, int, np.integer)) else repr(float(value))


def epochs_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """``metrics.csv``: a header line, then one line per epoch (empty cells for None)."""
    lines = [",".join(EPOCH_COLUMNS)]
    lines += [",".join(_cell(row.get(c)) for c in EPOCH_COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode("ascii")


class BatchLog:
    """Per-batch points kept in memory, thinned to at most ``limit`` rows: every ``stride``-th step
    is kept, and the stride doubles (dropping every other kept row) when the rows would overflow."""

    def __init__(self, total_steps: int = 0, limit: int = MAX_BATCH_ROWS):
        self.limit = limit
        self.stride = max(1, math.ceil(total_steps / limit)) if total_steps > 0 else 1
        self.rows: list[tuple[int, float, float]] = []

    def add(self, step: int, loss: float, accuracy: float) -> None:
        if step % self.stride:
            return
        self.rows.append((int(step), float(loss), float(accuracy)))
        if len(self.rows) > self.limit:
            self.stride *= 2
            self.rows = [row for row in self.rows if row[0] % self.stride == 0]

    def to_csv(self) -> bytes:
        lines = [",".join(BATCH_COLUMNS)] + [f"{s},{_cell(loss)},{_cell(acc)}" for s, loss, acc in self.rows]
        return ("\n".join(lines) + "\n").encode("ascii")


def _rows(data: bytes, columns: Sequence[str], what: str, max_rows: int) -> list[list[str]]:
    if len(data) > MAX_CSV_BYTES:
        raise SchemaError(what, f"is {len(data):,} bytes, at most {MAX_CSV_BYTES:,}")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise SchemaError(what, "holds characters that are not plain ASCII") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or tuple(lines[0].split(",")) != tuple(columns):
        raise SchemaError(what, f"must start with the header {','.join(columns)}")
    if len(lines) - 1 > max_rows:
        raise SchemaError(what, f"holds {len(lines) - 1:,} rows, at most {max_rows:,}")
    rows = [line.split(",") for line in lines[1:]]
    for n, cells in enumerate(rows, start=2):
        if len(cells) != len(columns):
            raise SchemaError(f"{what} line {n}", f"must have {len(columns)} values, got {len(cells)}")
    return rows


def _number(text: str, column: str, where: str) -> float | int | None:
    if text == "":
        return None
    try:
        value: float | int = int(text) if column in _INT_COLUMNS else float(text)
    except ValueError:
        raise SchemaError(f"{where}.{column}", f"must be a number, got {text[:40]!r}") from None
    if not math.isfinite(value) or value < 0 or value > 1e30:
        raise SchemaError(f"{where}.{column}", f"must be a finite number from 0 to 1e30, got {text[:40]!r}")
    if column.endswith("accuracy") and value > 1:
        raise SchemaError(f"{where}.{column}", f"must be from 0 to 1, got {text[:40]!r}")
    return value


def read_epochs(data: bytes) -> list[dict[str, Any]]:
    """The rows of ``metrics.csv`` as dicts (None for an empty cell); epochs must rise."""
    out: list[dict[str, Any]] = []
    for n, cells in enumerate(_rows(data, EPOCH_COLUMNS, "metrics.csv", MAX_EPOCH_ROWS), start=2):
        row = {c: _number(v, c, f"metrics.csv line {n}") for c, v in zip(EPOCH_COLUMNS, cells)}
        if row["epoch"] is None or (out and row["epoch"] <= out[-1]["epoch"]):
            raise SchemaError(f"metrics.csv line {n}.epoch", "must be given and rise from row to row")
        out.append(row)
    return out


def read_batches(data: bytes) -> dict[str, np.ndarray]:
    """``batches.csv`` as arrays "step" (int64), "loss" and "accuracy" (float64, NaN for empty)."""
    rows = _rows(data, BATCH_COLUMNS, "batches.csv", MAX_BATCH_ROWS)
    values = [[_number(v, c, f"batches.csv line {n}") for c, v in zip(BATCH_COLUMNS, cells)]
              for n, cells in enumerate(rows, start=2)]
    steps = np.array([-1 if r[0] is None else r[0] for r in values], dtype=np.int64)
    out = {"step": steps}
    for i, column in enumerate(BATCH_COLUMNS[1:], start=1):
        out[column] = np.array([np.nan if r[i] is None else r[i] for r in values], dtype=np.float64)
    return out


def kernels(state: Mapping[str, Any]) -> dict[str, Any]:
    """The conv kernels of a state dict (its 4-D ``*.weight`` entries): what the time-lapse shows."""
    return {k: v for k, v in state.items() if k.endswith(".weight") and np.ndim(v) == 4}


def keyframes_bytes(frames: Sequence[tuple[int, float, Mapping[str, np.ndarray]]]) -> bytes:
    """A safetensors file with every frame's conv kernels (``f<i>.<layer>.weight``) and the frames'
    steps and epochs as metadata."""
    from safetensors.numpy import save

    tensors = {}
    for i, (_, _, state) in enumerate(frames):
        for key, value in kernels(state).items():
            tensors[f"f{i}.{key}"] = np.ascontiguousarray(value, dtype=np.float32)
    meta = {"frames": json.dumps([[int(step), float(epoch)] for step, epoch, _ in frames])}
    return save(tensors, metadata=meta)


def read_keyframes(path: str) -> list[tuple[int, float, dict[str, np.ndarray]]]:
    """(step, epoch, kernels by state-dict key) per frame of a ``keyframes.safetensors``; ``SchemaError``
    when the file is not one."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(path, framework="numpy") as handle:
            frames = json.loads((handle.metadata() or {}).get("frames", "null"))
            if not isinstance(frames, list) or len(frames) > 100_000:
                raise SchemaError("keyframes", "has no list of frames")
            out: list[tuple[int, float, dict[str, np.ndarray]]] = [
                (int(step), float(epoch), {}) for step, epoch in frames]
            for key in handle.keys():
                index, _, name = key.partition(".")
                i = int(index[1:]) if index[1:].isdigit() else -1
                if not 0 <= i < len(out):
                    raise SchemaError("keyframes", f"tensor {key[:80]!r} belongs to no frame")
                out[i][2][name] = handle.get_tensor(key)
    except (SafetensorError, OSError, ValueError, TypeError) as exc:
        raise SchemaError("keyframes", str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from None
    return out
