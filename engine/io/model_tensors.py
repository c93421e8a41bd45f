"""The tensors of a model file, checked by name, shape and dtype before any of them is read.

A model file's metadata refers to its tensors as ``{"__tensor__": name}``, to mappings as
``{"__dict__": [[key, value], …]}``, to tuples as ``{"__tuple__": […]}`` and to infinite floats as
``{"__float__": "inf"}``. ``decode`` turns that form back into values, with ``TensorRef``s
(name, shape, dtype from the file's header) standing for tensors, so the rules of
``engine.io.model_schema`` can check them with ``Tensor`` before anything is loaded.
``network_tensors`` says what the network's own tensors must be by building the spec on torch's
``meta`` device: names, shapes and dtypes, and no memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from engine.io.schema import Context, Rule, SchemaError, at
from engine.model.build import build_model
from engine.model.param import is_int, show
from engine.model.spec import NetworkSpec

__all__ = ["DTYPE_NAMES", "MAX_TENSORS", "NetworkTensors", "Tensor", "TensorRef", "check_generators", "decode",
           "network_tensors", "state_problem"]

#: torch dtypes by their safetensors names.
DTYPE_NAMES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
               torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
               torch.bool: "BOOL"}
#: A model file holds the network's tensors, the optimizer's (three per parameter) and a few RNG states.
MAX_TENSORS = 10_000
_FLOAT_NAMES = {"inf", "-inf", "nan"}


@dataclass(frozen=True)
class TensorRef:
    """A tensor of the file, known by its header only."""

    name: str
    shape: tuple[int, ...]
    dtype: str  # safetensors' name: "F32", "I64", "U8", …

    def describe(self) -> str:
        return f"{self.dtype} [{', '.join(map(str, self.shape))}]"


@dataclass(frozen=True)
class Tensor(Rule):
    """A tensor of one of ``dtypes`` with ``shape``: fixed, from the context (a function), or any
    1-D shape of at most ``max_values`` values when None."""

    dtypes: tuple[str, ...]
    shape: tuple[int, ...] | Callable[[Context], tuple[int, ...]] | None = None
    max_values: int = 4096

    def check(self, value: Any, field_name: str, context: Context) -> TensorRef:
        if not isinstance(value, TensorRef):
            raise SchemaError(field_name, f"must be a tensor, got {show(value)}")
        if value.dtype not in self.dtypes:
            raise SchemaError(field_name, f"tensor {value.name!r} is {value.dtype}, must be {'/'.join(self.dtypes)}")
        shape = self.shape(context) if callable(self.shape) else self.shape
        if shape is None:
            if len(value.shape) != 1 or not 1 <= value.shape[0] <= self.max_values:
                raise SchemaError(field_name, f"tensor {value.name!r} has shape {list(value.shape)}, must be 1-D "
                                              f"with 1 to {self.max_values:,} values")
        elif value.shape != tuple(shape):
            raise SchemaError(field_name, f"tensor {value.name!r} has shape {list(value.shape)}, must be "
                                          f"{list(shape)}")
        return value


def decode(value: Any, refs: Mapping[str, TensorRef], field_name: str, used: set[str]) -> Any:
    """The stored form of a value back as lists, dicts, tuples, floats and ``TensorRef``s; the
    names of the tensors referred to are added to ``used``. Refuses anything else."""
    if isinstance(value, list):
        return [decode(v, refs, at(field_name, i), used) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    if len(value) != 1 or next(iter(value)) not in ("__tensor__", "__dict__", "__tuple__", "__float__"):
        raise SchemaError(field_name, f"must be a stored value (__tensor__, __dict__, __tuple__ or __float__), "
                                      f"got {show(value)}")
    marker, inner = next(iter(value.items()))
    if marker == "__tensor__":
        if not isinstance(inner, str) or inner not in refs:
            raise SchemaError(field_name, f"names no tensor of the file: {show(inner)}")
        used.add(inner)
        return refs[inner]
    if marker == "__float__":
        if inner not in _FLOAT_NAMES:
            raise SchemaError(field_name, f"must be inf, -inf or nan, got {show(inner)}")
        return float(inner)
    if not isinstance(inner, list):
        raise SchemaError(field_name, f"{marker} must hold a list, got {show(inner)}")
    if marker == "__tuple__":
        return tuple(decode(v, refs, at(field_name, i), used) for i, v in enumerate(inner))
    out: dict[Any, Any] = {}
    for i, pair in enumerate(inner):
        if not (isinstance(pair, list) and len(pair) == 2 and (isinstance(pair[0], str) or is_int(pair[0]))):
            raise SchemaError(at(field_name, i), f"must be a [key, value] pair with a string or integer key, "
                                                 f"got {show(pair)}")
        if pair[0] in out:
            raise SchemaError(at(field_name, pair[0]), "appears twice")
        out[pair[0]] = decode(pair[1], refs, at(field_name, pair[0]), used)
    return out


@dataclass(frozen=True)
class NetworkTensors:
    """What the network built from a spec holds: its state (name → shape, dtype) and, in the
    optimizer's order, its parameters' shapes."""

    state: dict[str, tuple[tuple[int, ...], str]]
    parameters: tuple[tuple[int, ...], ...]


def network_tensors(spec: NetworkSpec) -> NetworkTensors:
    """Names, shapes and dtypes of ``spec``'s model, built on the ``meta`` device (no memory).
    The spec must already ``analyze`` without errors."""
    with torch.device("meta"):
        model = build_model(spec)
    state = {name: (tuple(t.shape), DTYPE_NAMES.get(t.dtype, str(t.dtype))) for name, t in model.state_dict().items()}
    return NetworkTensors(state, tuple(tuple(p.shape) for p in model.parameters()))


def state_problem(keys: list[str], refs: Mapping[str, TensorRef], expected: NetworkTensors) -> SchemaError | None:
    """Why the file's model tensors (``model.<key>`` for every entry of ``state_keys``) are not
    exactly the network's, or None."""
    if len(set(keys)) != len(keys):
        return SchemaError("state_keys", "names a tensor twice")
    missing = [k for k in expected.state if k not in keys]
    if missing:
        return SchemaError("state_keys", f"lacks {missing[0]!r} (the network has {len(expected.state)} tensors)")
    for key in keys:
        if key not in expected.state:
            return SchemaError("state_keys", f"names {key!r}, which the network does not have")
        ref = refs.get(f"model.{key}")
        if ref is None:
            return SchemaError(f"model.{key}", "is listed in state_keys but the file has no such tensor")
        shape, dtype = expected.state[key]
        if ref.shape != shape or ref.dtype != dtype:
            return SchemaError(f"model.{key}", f"is {ref.describe()}, the spec's network needs "
                                               f"{TensorRef(key, shape, dtype).describe()}")
    return None


def check_generators(rng: Mapping[str, Any] | None) -> None:
    """Try the saved generator states on throwaway generators; ``SchemaError`` for one that a
    generator refuses. ``rng`` holds loaded tensors and checked values."""
    if rng is None:
        return
    trials: dict[str, Callable[[], Any]] = {
        "rng.python": lambda: random.Random().setstate((rng["python"][0], tuple(rng["python"][1]),
                                                        rng["python"][2])),
        "rng.numpy": lambda: np.random.RandomState().set_state(
            (rng["numpy"][0], rng["numpy"][1].numpy().astype(np.uint32), *rng["numpy"][2:])),
        "rng.torch": lambda: torch.Generator().set_state(rng["torch"]),
    }
    if rng.get("generator") is not None:
        trials["rng.generator"] = lambda: torch.Generator().set_state(rng["generator"])
    for name, trial in trials.items():
        try:
            trial()
        except (ValueError, TypeError, RuntimeError, OverflowError) as exc:
            raise SchemaError(name, f"is not a valid generator state ({str(exc).splitlines()[0][:80]})") from None
