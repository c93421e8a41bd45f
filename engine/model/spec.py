"""Network specification: a JSON-serialisable description of a sequential CNN.

A spec is data, never code: ``{"name", "input": [C, H, W], "num_classes", "layers": [...]}``
where every layer is a dict with a ``type`` and that type's settings. ``in_channels`` and
``in_features`` are never written; they are inferred from the previous layer's output.

What each layer type accepts comes from the registry, ``engine.model.layers``.
Pure Python (no torch), so the GUI's layer builder can use it before torch has loaded.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.model.budget import MAX_CLASSES, MAX_LAYERS, MAX_NAME_LENGTH, input_problem
from engine.model.geometry import pair
from engine.model.layers import LAYERS
from engine.model.param import PAIR_KINDS, Param, check_value, is_int
from engine.model.param import show as _show_long
from engine.model.safe_json import JSONInputError, parse_json

__all__ = [
    "LAYER_SCHEMAS",
    "LAYER_TYPES",
    "Param",
    "SpecError",
    "SPEC_MAX_BYTES",
    "SPEC_MAX_DEPTH",
    "NetworkSpec",
    "resolve_layer",
    "layer_names",
    "default_layer",
]


SpecProblem = tuple[int | None, str | None, str]

#: Spec files are small (a 256-layer spec is about 20 kB) and four levels deep.
SPEC_MAX_BYTES = 1 << 20
SPEC_MAX_DEPTH = 16
_TOP_KEYS = ("input", "layers", "name", "num_classes")
_MAX_PROBLEMS = 50  # collected; the message shows the first few
_MAX_SHOWN = 160  # characters of a bad value in a message (a nested list of layers is long)
_MAX_TEXT = 400  # characters of the problems shown in one message


def show(value: Any) -> str:
    """``param.show``'s one-line repr, cut to ``_MAX_SHOWN`` characters."""
    text = _show_long(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
_SHOWN_PROBLEMS = 5


class SpecError(ValueError):
    """A spec that cannot be read: unknown type or key, or a bad value.

    ``problems`` holds one ``(layer_index or None, key or None, message)`` tuple per problem;
    ``str()`` is one line naming the layer and key of the first few.
    """

    def __init__(self, problems: list[SpecProblem]):
        self.problems = problems
        text = "; ".join(_describe(p) for p in problems[:_SHOWN_PROBLEMS])
        if len(text) > _MAX_TEXT:  # several long values: keep the message readable
            text = text[: _MAX_TEXT - 1] + "…"
        if len(problems) > _SHOWN_PROBLEMS:
            text += f"; and {len(problems) - _SHOWN_PROBLEMS} more"
        super().__init__(text)


def _describe(problem: SpecProblem) -> str:
    index, key, message = problem
    where = []
    if index is not None:
        where.append(f"layer {index}")
    if key is not None:
        where.append(f"key '{key}'")
    return f"{', '.join(where)}: {message}" if where else message


LAYER_SCHEMAS: dict[str, Mapping[str, Param]] = {name: entry.schema for name, entry in LAYERS.items()}

LAYER_TYPES: tuple[str, ...] = tuple(LAYERS)

#: Prefix of the stable layer names (conv1, relu1, pool1, bn1, drop1, flatten, fc1 ...).
NAME_PREFIX: dict[str, str] = {name: entry.prefix for name, entry in LAYERS.items()}


def layer_names(layers: Iterable[Mapping[str, Any]]) -> list[str]:
    """Stable names per layer: conv1, relu1, pool1, ..., flatten, fc1, fc2.

    The first flatten is plain ``flatten``; any later one is ``flatten2``, ``flatten3``.
    """
    counts: dict[str, int] = {}
    names = []
    for layer in layers:
        prefix = NAME_PREFIX.get(str(layer.get("type")), "layer")
        counts[prefix] = counts.get(prefix, 0) + 1
        n = counts[prefix]
        names.append("flatten" if prefix == "flatten" and n == 1 else f"{prefix}{n}")
    return names


def _normalise(value: Any) -> Any:
    """Tuples become lists so a spec equals its own JSON round trip."""
    if isinstance(value, tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def resolve_layer(layer: Mapping[str, Any]) -> dict[str, Any]:
    """A layer with every default filled in and pairs expanded to ``(h, w)`` tuples.

    A setting left ``None`` takes its ``default_from`` setting (a pool's ``stride`` its
    ``kernel_size``); conv ``padding`` stays ``"same"`` when so.
    """
    kind = layer["type"]
    schema = LAYER_SCHEMAS[kind]
    out: dict[str, Any] = {"type": kind}
    for key, param in schema.items():
        value = layer.get(key, param.default)
        if param.kind in PAIR_KINDS and value is not None and value != "same":
            value = pair(value)
        out[key] = value
    for key, param in schema.items():
        if out[key] is None and param.default_from is not None:
            out[key] = out[param.default_from]
    return out


def default_layer(kind: str) -> dict[str, Any]:
    """A new layer of ``kind`` with the settings a palette should start from."""
    if kind not in LAYER_SCHEMAS:
        raise SpecError([(None, "type", f"unknown layer type {kind!r}")])
    return {"type": kind, **copy.deepcopy(dict(LAYERS[kind].starter))}


def _key_label(key: Any) -> str:
    """A key as messages name it: itself when a short printable string, else a short repr."""
    if isinstance(key, str) and len(key) <= 40 and key.isprintable():
        return key
    return show(key)


def _validate_layer(index: int, layer: Any) -> list[SpecProblem]:
    if not isinstance(layer, Mapping):
        return [(index, None, f"must be an object with a 'type', got {show(layer)}")]
    kind = layer.get("type")
    if kind is None:
        return [(index, "type", "missing; one of " + ", ".join(LAYER_TYPES))]
    if not isinstance(kind, str):
        return [(index, "type", f"must be a string naming a layer type, got {show(kind)}")]
    if kind not in LAYER_SCHEMAS:
        return [(index, "type", f"unknown layer type {show(kind)}; one of " + ", ".join(LAYER_TYPES))]
    schema = LAYER_SCHEMAS[kind]
    problems: list[SpecProblem] = []
    for key, value in layer.items():
        if key == "type":
            continue
        if not isinstance(key, str):
            problems.append((index, _key_label(key), "keys must be strings"))
        elif key not in schema:
            allowed = ", ".join(schema) or "none"
            hint = " (inferred, never written)" if key in ("in_channels", "in_features") else ""
            problems.append((index, _key_label(key), f"unknown key for {kind}{hint}; allowed: {allowed}"))
        else:
            message = check_value(schema[key], value)
            if message:
                problems.append((index, key, message))
        if len(problems) >= _MAX_PROBLEMS:
            break
    for key, param in schema.items():
        if param.required and key not in layer:
            problems.append((index, key, f"required for {kind}"))
    return problems


def _validate_top(data: Mapping[Any, Any]) -> list[SpecProblem]:
    """The keys, name, input and class count of a spec; the layers are checked one by one."""
    problems: list[SpecProblem] = []
    for key in data:
        if not isinstance(key, str):
            problems.append((None, _key_label(key), "keys must be strings"))
        elif key not in _TOP_KEYS:
            problems.append((None, _key_label(key), "unknown top-level key; allowed: " + ", ".join(_TOP_KEYS)))
        if len(problems) >= _MAX_PROBLEMS:
            return problems
    name = data.get("name", "untitled")
    if not isinstance(name, str):
        problems.append((None, "name", f"must be a string, got {show(name)}"))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append((None, "name", f"must be at most {MAX_NAME_LENGTH} characters, got {len(name):,}"))
    elif not name.isprintable():
        problems.append((None, "name", f"must be printable text (no line breaks or control characters), "
                                       f"got {show(name)}"))
    shape = data.get("input", [1, 28, 28])
    message = input_problem(shape)
    if message:
        problems.append((None, "input", f"{message} (got {show(shape)})"))
    classes = data.get("num_classes", 10)
    if not (is_int(classes) and 1 <= classes <= MAX_CLASSES):
        problems.append((None, "num_classes", f"must be an integer from 1 to {MAX_CLASSES:,}, got {show(classes)}"))
    return problems


def _validate(data: Any) -> list[SpecProblem]:
    """Every problem of a spec dict: types, ranges and lengths of every field, layer by layer."""
    if not isinstance(data, Mapping):
        return [(None, None, f"a spec must be a JSON object, got {show(data)}")]
    problems = _validate_top(data)
    layers = data.get("layers", [])
    if not isinstance(layers, (list, tuple)):
        problems.append((None, "layers", f"must be a list of layer objects, got {show(layers)}"))
    elif len(layers) > MAX_LAYERS:
        problems.append((None, "layers", f"at most {MAX_LAYERS} layers, got {len(layers):,}"))
    else:
        for index, layer in enumerate(layers):
            problems.extend(_validate_layer(index, layer))
            if len(problems) >= _MAX_PROBLEMS:
                break
    return problems[:_MAX_PROBLEMS]


@dataclass(frozen=True)
class NetworkSpec:
    """A sequential CNN as data. Build it with ``engine.model.build.build_model``."""

    name: str = "untitled"
    input: tuple[int, int, int] = (1, 28, 28)
    num_classes: int = 10
    layers: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input", tuple(self.input))
        object.__setattr__(self, "layers", tuple(copy.deepcopy(dict(layer)) for layer in self.layers))

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NetworkSpec:
        """Validate and read a spec dict; raises ``SpecError`` naming layer index and key."""
        problems = _validate(data)
        if problems:
            raise SpecError(problems)
        return cls(
            name=data.get("name", "untitled"),
            input=tuple(data.get("input", [1, 28, 28])),
            num_classes=data.get("num_classes", 10),
            layers=tuple({k: _normalise(v) for k, v in layer.items()} for layer in data.get("layers", [])),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> NetworkSpec:
        """Read a spec from JSON text through ``parse_json``: at most ``SPEC_MAX_BYTES``, nested at
        most ``SPEC_MAX_DEPTH`` deep; every failure is a ``SpecError``."""
        try:
            data = parse_json(text, max_bytes=SPEC_MAX_BYTES, max_depth=SPEC_MAX_DEPTH)
        except JSONInputError as exc:
            raise SpecError([(None, None, str(exc))]) from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str) -> NetworkSpec:
        """Read a spec from a JSON file, with a clear message when it cannot be read."""
        try:
            with open(path, "rb") as handle:
                raw = handle.read(SPEC_MAX_BYTES + 1)
        except OSError as exc:
            raise SpecError([(None, None, f"cannot read {path}: {exc.strerror or exc}")]) from None
        if len(raw) > SPEC_MAX_BYTES:
            raise SpecError([(None, None, f"{path} is too large for a spec (more than {SPEC_MAX_BYTES:,} bytes)")])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError([(None, None, f"{path} is not a UTF-8 text file")]) from None
        return cls.from_json(text)

    # -- output ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input": list(self.input),
            "num_classes": self.num_classes,
            "layers": [copy.deepcopy(layer) for layer in self.layers],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    # -- editing (every edit returns a new spec) -------------------------------------------
    def replace(self, **changes: Any) -> NetworkSpec:
        data = self.to_dict()
        for key, value in changes.items():
            data[key] = list(value) if key in ("input", "layers") else value
        return NetworkSpec.from_dict(data)

    def with_layers(self, layers: Iterable[Mapping[str, Any]]) -> NetworkSpec:
        return self.replace(layers=[dict(layer) for layer in layers])

    @property
    def names(self) -> list[str]:
        return layer_names(self.layers)
