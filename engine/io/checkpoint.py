"""Model files: one safetensors file holding tensors, with everything else as JSON metadata.

Loading never unpickles anything, so a model file cannot run code, and checks every field and
every tensor's name, shape and dtype before reading a tensor (``engine.io.model_schema``). A file holds the spec,
weights, optimizer and schedule state, epoch/step, RNG states, the training config, the
metric history, the dataset with its class names and normalization. Writes are atomic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save

from engine.io.fileio import atomic_write_bytes
from engine.io.model_schema import META_MAX_BYTES, META_MAX_DEPTH, CheckedMetadata, check_metadata
from engine.io.model_tensors import MAX_TENSORS, TensorRef, check_generators
from engine.io.schema import SchemaError
from engine.model.safe_json import JSONInputError, parse_json
from engine.training.events import EpochStats, LrChange, TrainConfig
from engine.training.run_state import Checkpoint

__all__ = ["Checkpoint", "CheckpointError", "checkpoint_bytes", "save_checkpoint", "load_checkpoint", "FORMAT"]

FORMAT = "convscope-model/1"
_META_KEY = "convscope"


class CheckpointError(Exception):
    """A model file that cannot be read: ``str()`` is a one-line reason, ``field`` names the part
    of the file it is about ("history[3].test_accuracy", "model.conv1.weight", "file")."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


# -- encoding: tensors go to safetensors, the rest to JSON -------------------------------
def _encode(value: Any, tensors: dict[str, torch.Tensor], prefix: str) -> Any:
    """Plain-JSON form of ``value``; tensors and arrays are stored apart and referenced."""
    if isinstance(value, torch.Tensor):
        tensors[prefix] = value.detach().to("cpu").contiguous().clone()
        return {"__tensor__": prefix}
    if isinstance(value, np.ndarray):
        tensors[prefix] = torch.from_numpy(np.ascontiguousarray(value).copy())
        return {"__tensor__": prefix}
    if isinstance(value, Mapping):
        if not all(isinstance(k, (str, int)) for k in value):
            raise TypeError(f"cannot store mapping keys {list(value)[:3]} at {prefix}")
        return {"__dict__": [[k, _encode(v, tensors, f"{prefix}.{k}")] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, tensors, f"{prefix}.{i}") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [_encode(v, tensors, f"{prefix}.{i}") for i, v in enumerate(value)]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and not np.isfinite(value):
            return {"__float__": repr(value)}
        return value
    raise TypeError(f"cannot store a {type(value).__name__} at {prefix}")


def _rng_to_plain(rng: Mapping[str, Any] | None) -> Any:
    """Python's and numpy's RNG states are tuples with arrays; make them JSON/tensor friendly."""
    if rng is None:
        return None
    out = dict(rng)
    version, internal, gauss = rng["python"]
    out["python"] = [version, list(internal), gauss]
    kind, keys, pos, has_gauss, cached = rng["numpy"]
    out["numpy"] = [kind, np.asarray(keys, dtype=np.int64), int(pos), int(has_gauss), float(cached)]
    return out


def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint) -> None:
    """Write ``ckpt`` to ``path`` atomically (temp file, then ``os.replace``)."""
    # Serialised in memory and written through our one temp file: safetensors' own file writer
    # leaves full-size hidden temp files behind when the process is killed mid-save.
    atomic_write_bytes(str(path), checkpoint_bytes(ckpt))


def checkpoint_bytes(ckpt: Checkpoint) -> bytes:
    """``ckpt`` as the bytes of a model file (what ``save_checkpoint`` writes)."""
    tensors: dict[str, torch.Tensor] = {}
    for name, value in ckpt.state.items():
        tensors[f"model.{name}"] = torch.as_tensor(np.asarray(value) if not hasattr(value, "detach") else value
                                                   ).detach().to("cpu").contiguous().clone()
    meta = {
        "format": FORMAT,
        "spec": ckpt.spec.to_dict(),
        "state_keys": list(ckpt.state),
        "optimizer": _encode(ckpt.optimizer, tensors, "optimizer"),
        "schedule": _encode(ckpt.schedule, tensors, "schedule"),
        "epoch": ckpt.epoch,
        "step": ckpt.step,
        "rng": _encode(_rng_to_plain(ckpt.rng), tensors, "rng"),
        "config": ckpt.config.to_dict(),
        "history": [h.to_dict() for h in ckpt.history],
        "lr_changes": [c.to_dict() for c in ckpt.lr_changes],
        "dataset": ckpt.dataset,
        "class_names": list(ckpt.class_names),
        "mean": list(ckpt.mean),
        "std": list(ckpt.std),
    }
    return save(tensors, metadata={_META_KEY: json.dumps(meta)})


def _header(handle: Any) -> dict[str, TensorRef]:
    """Name, shape and dtype of every tensor in the file, read from its header (no data)."""
    keys = list(handle.keys())
    if len(keys) > MAX_TENSORS:
        raise SchemaError("tensors", f"the file holds {len(keys):,} tensors, at most {MAX_TENSORS:,}")
    refs = {}
    for key in keys:
        part = handle.get_slice(key)
        refs[key] = TensorRef(key, tuple(int(n) for n in part.get_shape()), str(part.get_dtype()))
    return refs


def _check(text: str, refs: dict[str, TensorRef]) -> CheckedMetadata:
    try:
        meta = parse_json(text, max_bytes=META_MAX_BYTES, max_depth=META_MAX_DEPTH)
    except JSONInputError as exc:
        raise SchemaError("metadata", str(exc)) from None
    checked = check_metadata(meta, refs, FORMAT)
    unused = sorted(set(refs) - checked.used)
    if unused:
        raise SchemaError("tensors", f"{len(unused):,} tensor(s) that nothing in the metadata refers to, "
                                     f"e.g. {unused[0][:80]!r}")
    return checked


def _resolve(value: Any, tensors: Mapping[str, torch.Tensor]) -> Any:
    """``value`` with every ``TensorRef`` replaced by its loaded tensor."""
    if isinstance(value, TensorRef):
        return tensors[value.name]
    if isinstance(value, dict):
        return {k: _resolve(v, tensors) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_resolve(v, tensors) for v in value)
    return value


def _rng_from_plain(rng: dict[str, Any] | None) -> dict[str, Any] | None:
    """The generators' states as ``engine.training.rng.restore_rng`` takes them."""
    if rng is None:
        return None
    out = dict(rng)
    version, internal, gauss = rng["python"]
    out["python"] = (version, tuple(internal), gauss)
    kind, keys, pos, has_gauss, cached = rng["numpy"]
    out["numpy"] = (kind, keys.numpy().astype(np.uint32), pos, has_gauss, cached)
    return out


def load_checkpoint(path: str | os.PathLike, device: str = "cpu") -> Checkpoint:
    """Read a model file. Raises ``CheckpointError`` with a one-line reason for any bad file.

    Every field of the metadata and every tensor's name, shape and dtype is checked (see
    ``engine.io.model_schema``) before a tensor is read; the reason names the field."""
    path = str(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise CheckpointError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size == 0:
        raise CheckpointError(f"{path} is empty (0 bytes); it is not a ConvScope model file")
    try:
        with safe_open(path, framework="pt", device=device) as handle:
            metadata = handle.metadata() or {}
            if _META_KEY not in metadata:
                raise CheckpointError(f"{path} is a safetensors file but not a ConvScope model "
                                      f"(no '{_META_KEY}' metadata)", field="metadata")
            try:
                checked = _check(metadata[_META_KEY], _header(handle))
            except SchemaError as exc:
                raise CheckpointError(f"{path}: {exc}", field=exc.field) from None
            tensors = {name: handle.get_tensor(name) for name in sorted(checked.used)}
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise CheckpointError(f"{path} is not a ConvScope model file or is truncated/corrupt ({reason})",
                              field="file") from None
    rng = _resolve(checked.rng, tensors)
    try:
        check_generators(rng)
    except SchemaError as exc:
        raise CheckpointError(f"{path}: {exc}", field=exc.field) from None
    values = checked.fields
    return Checkpoint(
        spec=checked.spec,
        state={key: tensors[f"model.{key}"] for key in checked.state_keys},
        optimizer=_resolve(checked.optimizer, tensors),
        schedule=checked.schedule,
        epoch=values["epoch"],
        step=values["step"],
        rng=_rng_from_plain(rng),
        config=TrainConfig.from_dict(values["config"]),
        history=[EpochStats.from_dict(h) for h in values["history"]],
        lr_changes=[LrChange(**c) for c in values["lr_changes"]],
        dataset=values["dataset"],
        class_names=tuple(values["class_names"]),
        mean=tuple(values["mean"]),
        std=tuple(values["std"]),
    )
