"""Model files: one safetensors file holding tensors, with everything else as JSON metadata.

Loading never unpickles anything, so a model file cannot run code. A file holds the spec,
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
from safetensors.torch import save_file

from engine.io.fileio import atomic_write
from engine.model.spec import NetworkSpec, SpecError
from engine.training.events import EpochStats, LrChange, TrainConfig
from engine.training.run_state import Checkpoint

__all__ = ["Checkpoint", "CheckpointError", "save_checkpoint", "load_checkpoint", "FORMAT"]

FORMAT = "convscope-model/1"
_META_KEY = "convscope"


class CheckpointError(Exception):
    """A model file that cannot be read, with a one-line reason."""


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


def _decode(value: Any, tensors: Mapping[str, torch.Tensor]) -> Any:
    if isinstance(value, list):
        return [_decode(v, tensors) for v in value]
    if isinstance(value, dict):
        if "__tensor__" in value:
            return tensors[value["__tensor__"]]
        if "__dict__" in value:
            return {k: _decode(v, tensors) for k, v in value["__dict__"]}
        if "__tuple__" in value:
            return tuple(_decode(v, tensors) for v in value["__tuple__"])
        if "__float__" in value:
            return float(value["__float__"])
    return value


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


def _rng_from_plain(rng: Any) -> dict[str, Any] | None:
    if rng is None:
        return None
    out = dict(rng)
    version, internal, gauss = rng["python"]
    out["python"] = (version, tuple(internal), gauss)
    kind, keys, pos, has_gauss, cached = rng["numpy"]
    out["numpy"] = (kind, np.asarray(keys).astype(np.uint32), int(pos), int(has_gauss), float(cached))
    return out


def save_checkpoint(path: str | os.PathLike, ckpt: Checkpoint) -> None:
    """Write ``ckpt`` to ``path`` atomically (temp file, then ``os.replace``)."""
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
    text = json.dumps(meta)
    atomic_write(str(path), lambda tmp: save_file(tensors, tmp, metadata={_META_KEY: text}))


def load_checkpoint(path: str | os.PathLike, device: str = "cpu") -> Checkpoint:
    """Read a model file. Raises ``CheckpointError`` with a one-line reason for any bad file."""
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
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CheckpointError(f"{path} is not a ConvScope model file or is truncated/corrupt ({reason})") from None
    if _META_KEY not in metadata:
        raise CheckpointError(f"{path} is a safetensors file but not a ConvScope model (no '{_META_KEY}' metadata)")
    try:
        meta = json.loads(metadata[_META_KEY])
        if meta.get("format") != FORMAT:
            raise CheckpointError(f"{path} has format {meta.get('format')!r}; this version reads {FORMAT!r}")
        spec = NetworkSpec.from_dict(meta["spec"])
        state = {key: tensors[f"model.{key}"] for key in meta["state_keys"]}
        return Checkpoint(
            spec=spec,
            state=state,
            optimizer=_decode(meta["optimizer"], tensors),
            schedule=_decode(meta["schedule"], tensors),
            epoch=int(meta["epoch"]),
            step=int(meta["step"]),
            rng=_rng_from_plain(_decode(meta["rng"], tensors)),
            config=TrainConfig.from_dict(meta["config"]),
            history=[EpochStats.from_dict(h) for h in meta["history"]],
            lr_changes=[LrChange(**c) for c in meta["lr_changes"]],
            dataset=meta["dataset"],
            class_names=tuple(meta["class_names"]),
            mean=tuple(meta["mean"]),
            std=tuple(meta["std"]),
        )
    except CheckpointError:
        raise
    except SpecError as exc:
        raise CheckpointError(f"{path} holds an invalid network spec: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"{path} is damaged: missing or bad field {exc}") from None
