"""Shape, parameter and cost inference with the textbook formulas, in pure Python.

For every layer: output shape, parameters (conv ``Kh·Kw·Cin·Cout + Cout``, linear
``in·out + out``, batchnorm ``2C`` with its buffers apart), multiply-accumulates, receptive
field and jump, and activation memory. Spatial sizes follow ``O = floor((I − K + 2P) / S) + 1``
with the dilated kernel ``K = d·(k − 1) + 1``.

Problems are found before anything is built. Each names its layer and carries a ``Fix``:
an edit, as data, that the GUI can offer as one click and ``apply_fix`` performs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.model.geometry import conv_output_size
from engine.model.spec import LAYER_SCHEMAS, NetworkSpec, layer_names, resolve_layer

__all__ = [
    "Fix",
    "Problem",
    "LayerReport",
    "ShapeReport",
    "analyze",
    "apply_fix",
    "conv_output_size",
    "describe_settings",
    "format_shape",
    "adapt_to_dataset",
]

BYTES_PER_VALUE = 4  # float32 activations
SPATIAL = ("conv2d", "maxpool2d", "avgpool2d", "batchnorm2d", "dropout2d")
ELEMENTWISE = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "dropout", "dropout2d", "batchnorm2d")


@dataclass(frozen=True)
class Fix:
    """A suggested edit of the spec, as data.

    ``action`` is ``set`` (layer ``index``, ``key`` → ``value``), ``insert`` (``layers`` at
    ``index``), ``remove`` (layer ``index``) or ``replace`` (layer ``index`` by ``layers[0]``).
    """

    label: str
    action: str
    index: int
    key: str | None = None
    value: Any = None
    layers: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["layers"] = [dict(layer) for layer in self.layers]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fix:
        return cls(
            label=data["label"],
            action=data["action"],
            index=data["index"],
            key=data.get("key"),
            value=data.get("value"),
            layers=tuple(dict(layer) for layer in data.get("layers", ())),
        )


@dataclass(frozen=True)
class Problem:
    """An error (or warning) found before building, naming its layer and a fix."""

    index: int | None
    layer: str | None
    message: str
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "index": self.index,
            "message": self.message,
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True)
class LayerReport:
    """What one layer does to the shape, and what it costs (per image)."""

    index: int
    name: str
    type: str
    settings: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    buffers: int
    macs: int
    receptive_field: tuple[int, int]
    jump: tuple[int, int]
    activation_bytes: int

    def to_dict(self) -> dict[str, Any]:
        rf = self.receptive_field
        return {
            "name": self.name,
            "type": self.type,
            "settings": self.settings,
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "params": self.params,
            "buffers": self.buffers,
            "macs": self.macs,
            "receptive_field": rf[0] if rf[0] == rf[1] else list(rf),
            "jump": self.jump[0] if self.jump[0] == self.jump[1] else list(self.jump),
            "activation_bytes": self.activation_bytes,
        }


@dataclass(frozen=True)
class ShapeReport:
    """Per-layer reports up to the first shape error, the problems, and the totals."""

    input_shape: tuple[int, ...]
    num_classes: int
    layers: tuple[LayerReport, ...]
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_buffers(self) -> int:
        return sum(layer.buffers for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def total_activation_bytes(self) -> int:
        """Memory of every layer's output for one image (float32), input included."""
        return math.prod(self.input_shape) * BYTES_PER_VALUE + sum(layer.activation_bytes for layer in self.layers)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape if self.layers else self.input_shape

    def errors_for(self, index: int) -> list[Problem]:
        return [p for p in self.errors + self.warnings if p.index == index]

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_shape": list(self.input_shape),
            "num_classes": self.num_classes,
            "layers": [layer.to_dict() for layer in self.layers],
            "total_params": self.total_params,
            "total_buffers": self.total_buffers,
            "total_macs": self.total_macs,
            "total_activation_bytes": self.total_activation_bytes,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


def format_shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(v) for v in shape)


def _hw(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def describe_settings(layer: Mapping[str, Any]) -> str:
    """Key settings of a layer in a few characters, e.g. ``32, 3×3, s1, p1``."""
    r = resolve_layer(layer)
    kind = r["type"]
    if kind == "conv2d":
        k = r["kernel_size"]
        text = f"{r['out_channels']}, {k[0]}×{k[1]}, s{_hw(r['stride'])}, "
        text += "p same" if r["padding"] == "same" else f"p{_hw(r['padding'])}"
        if r["dilation"] != (1, 1):
            text += f", d{_hw(r['dilation'])}"
        return text + ("" if r["bias"] else ", no bias")
    if kind in ("maxpool2d", "avgpool2d"):
        k = r["kernel_size"]
        text = f"{k[0]}×{k[1]}, s{_hw(r['stride'])}"
        return text + (f", p{_hw(r['padding'])}" if r["padding"] != (0, 0) else "")
    if kind in ("dropout", "dropout2d"):
        return f"p={r['p']:g}"
    if kind == "leaky_relu":
        return f"slope {r['negative_slope']:g}"
    if kind == "linear":
        return f"→ {r['out_features']}" + ("" if r["bias"] else ", no bias")
    return ""


class _Stop(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def analyze(spec: NetworkSpec) -> ShapeReport:
    """Infer every layer's shape and cost; collect errors with their fixes. No torch needed."""
    names = layer_names(spec.layers)
    shape: tuple[int, ...] = tuple(spec.input)
    rf, jump = (1, 1), (1, 1)
    reports: list[LayerReport] = []
    errors: list[Problem] = []
    for index, layer in enumerate(spec.layers):
        try:
            report = _infer(index, names, layer, shape, rf, jump, spec)
        except _Stop as stop:
            errors.append(stop.problem)
            break
        reports.append(report)
        shape, rf, jump = report.output_shape, report.receptive_field, report.jump
    warnings: list[Problem] = []
    if not errors:
        problem = _check_output(spec, names, shape)
        if problem:
            errors.append(problem)
        warnings.extend(_warnings(spec, names))
    return ShapeReport(
        input_shape=tuple(spec.input),
        num_classes=spec.num_classes,
        layers=tuple(reports),
        errors=tuple(errors),
        warnings=tuple(warnings),
        names=tuple(names),
    )


def _infer(
    index: int,
    names: list[str],
    layer: Mapping[str, Any],
    shape: tuple[int, ...],
    rf: tuple[int, int],
    jump: tuple[int, int],
    spec: NetworkSpec,
) -> LayerReport:
    r = resolve_layer(layer)
    kind = r["type"]
    name = names[index]
    params = buffers = macs = 0

    if kind in SPATIAL and len(shape) != 3:
        if kind == "dropout2d":
            fix = Fix(f"replace {name} with dropout", "replace", index, layers=({"type": "dropout", "p": r["p"]},))
            raise _Stop(Problem(index, name, f"{name} drops whole channels and needs a C×H×W input, "
                                f"but gets a flat vector of {shape[0]} features; use dropout here", fix))
        raise _Stop(Problem(index, name, f"{name} ({kind}) needs a C×H×W input but gets a flat vector of "
                            f"{shape[0]} features; spatial layers must come before flatten",
                            Fix(f"remove {name}", "remove", index)))

    if kind == "conv2d":
        cin, h, w = shape
        k, s, d = r["kernel_size"], r["stride"], r["dilation"]
        if r["padding"] == "same":
            if s != (1, 1):
                raise _Stop(Problem(index, name, f'{name}: padding "same" needs stride 1, got stride {_hw(s)}',
                                    Fix(f"set stride of {name} to 1", "set", index, "stride", 1)))
            out_h, out_w = h, w
        else:
            p = r["padding"]
            eff = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
            if h + 2 * p[0] < eff[0] or w + 2 * p[1] < eff[1]:
                need = max(math.ceil((eff[0] - h) / 2), math.ceil((eff[1] - w) / 2), 0)
                limit = LAYER_SCHEMAS["conv2d"]["padding"].maximum
                if need <= limit:
                    fix = Fix(f"set padding of {name} to {need}", "set", index, "padding", need)
                else:
                    small = max(1, min(h, w))
                    fix = Fix(f"set kernel_size of {name} to {small}", "set", index, "kernel_size", small)
                raise _Stop(Problem(index, name,
                    f"{name}: the {eff[0]}×{eff[1]} kernel (dilation included) is larger than its padded "
                    f"{h + 2 * p[0]}×{w + 2 * p[1]} input, so the output size "
                    f"floor(({h} − {eff[0]} + 2·{p[0]}) / {s[0]}) + 1 is below 1", fix))
            out_h = conv_output_size(h, k[0], s[0], p[0], d[0])
            out_w = conv_output_size(w, k[1], s[1], p[1], d[1])
        cout = r["out_channels"]
        params = k[0] * k[1] * cin * cout + (cout if r["bias"] else 0)
        macs = k[0] * k[1] * cin * cout * out_h * out_w
        out = (cout, out_h, out_w)
        eff = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
        rf = (rf[0] + (eff[0] - 1) * jump[0], rf[1] + (eff[1] - 1) * jump[1])
        jump = (jump[0] * s[0], jump[1] * s[1])

    elif kind in ("maxpool2d", "avgpool2d"):
        c, h, w = shape
        k, s, p = r["kernel_size"], r["stride"], r["padding"]
        if p[0] * 2 > k[0] or p[1] * 2 > k[1]:
            value = min(k) // 2
            raise _Stop(Problem(index, name, f"{name}: padding {_hw(p)} is more than half the "
                                f"{k[0]}×{k[1]} window",
                                Fix(f"set padding of {name} to {value}", "set", index, "padding", value)))
        if h + 2 * p[0] < k[0] or w + 2 * p[1] < k[1]:
            small = max(1, min(h, w))
            fix = Fix(f"set kernel_size of {name} to {small}", "set", index, "kernel_size", small)
            if small == 1:
                fix = Fix(f"remove {name}", "remove", index)
            raise _Stop(Problem(index, name, f"{name}: the {k[0]}×{k[1]} window does not fit its "
                                f"{h}×{w} input, so the output size would be below 1", fix))
        out = (c, conv_output_size(h, k[0], s[0], p[0]), conv_output_size(w, k[1], s[1], p[1]))
        rf = (rf[0] + (k[0] - 1) * jump[0], rf[1] + (k[1] - 1) * jump[1])
        jump = (jump[0] * s[0], jump[1] * s[1])

    elif kind == "batchnorm2d":
        out = shape
        params = 2 * shape[0]
        buffers = 2 * shape[0] + 1  # running mean, running var, num_batches_tracked

    elif kind == "flatten":
        out = (math.prod(shape),)
        rf, jump = (spec.input[1], spec.input[2]), jump

    elif kind == "linear":
        if len(shape) != 1:
            raise _Stop(Problem(index, name, f"{name} needs a flat vector but gets {format_shape(shape)}; "
                                f"insert a flatten before it",
                                Fix(f"insert flatten before {name}", "insert", index, layers=({"type": "flatten"},))))
        fin, fout = shape[0], r["out_features"]
        params = fin * fout + (fout if r["bias"] else 0)
        macs = fin * fout
        out = (fout,)
        rf = (spec.input[1], spec.input[2])

    else:  # activations and dropout keep the shape
        out = shape

    return LayerReport(
        index=index,
        name=name,
        type=kind,
        settings=describe_settings(layer),
        input_shape=tuple(shape),
        output_shape=tuple(out),
        params=params,
        buffers=buffers,
        macs=macs,
        receptive_field=rf,
        jump=jump,
        activation_bytes=math.prod(out) * BYTES_PER_VALUE,
    )


def _check_output(spec: NetworkSpec, names: list[str], shape: tuple[int, ...]) -> Problem | None:
    n = len(spec.layers)
    classes = spec.num_classes
    new_fc = f"fc{sum(1 for layer in spec.layers if layer['type'] == 'linear') + 1}"
    if len(shape) != 1:
        fix = Fix(f"append flatten and {new_fc} with {classes} outputs", "insert", n,
                  layers=({"type": "flatten"}, {"type": "linear", "out_features": classes}))
        where = names[-1] if names else "the input"
        return Problem(n - 1 if n else None, names[-1] if names else None,
                       f"the network must end in {classes} class scores, but {where} gives "
                       f"{format_shape(shape)}", fix)
    if shape[0] == classes:
        return None
    # The last linear layer decides the output size when only shape-keeping layers follow it.
    for index in range(n - 1, -1, -1):
        kind = spec.layers[index]["type"]
        if kind == "linear":
            fix = Fix(f"set out_features of {names[index]} to {classes}", "set", index, "out_features", classes)
            return Problem(index, names[index], f"{names[index]} gives {shape[0]} outputs but the dataset "
                           f"has {classes} classes", fix)
        if kind not in ELEMENTWISE:
            break
    fix = Fix(f"append {new_fc} with {classes} outputs", "insert", n,
              layers=({"type": "linear", "out_features": classes},))
    return Problem(n - 1 if n else None, names[-1] if names else None,
                   f"the network gives {shape[0]} outputs but the dataset has {classes} classes", fix)


def _warnings(spec: NetworkSpec, names: list[str]) -> list[Problem]:
    """Valid but probably unintended: an activation squashing the class scores."""
    problems = []
    if spec.layers and spec.layers[-1]["type"] in ("relu", "leaky_relu", "tanh", "sigmoid", "gelu"):
        index = len(spec.layers) - 1
        problems.append(Problem(index, names[index], f"{names[index]} after the last layer limits the class "
                                "scores (the loss applies softmax itself)",
                                Fix(f"remove {names[index]}", "remove", index)))
    return problems


def apply_fix(spec: NetworkSpec, fix: Fix | Mapping[str, Any]) -> NetworkSpec:
    """Return a new spec with ``fix`` applied."""
    if not isinstance(fix, Fix):
        fix = Fix.from_dict(fix)
    layers = [dict(layer) for layer in spec.layers]
    if fix.action == "set":
        layers[fix.index][fix.key] = fix.value
    elif fix.action == "insert":
        layers[fix.index:fix.index] = [dict(layer) for layer in fix.layers]
    elif fix.action == "remove":
        del layers[fix.index]
    elif fix.action == "replace":
        layers[fix.index] = dict(fix.layers[0])
    else:
        raise ValueError(f"unknown fix action {fix.action!r}")
    return spec.with_layers(layers)


def adapt_to_dataset(spec: NetworkSpec, input_shape: tuple[int, int, int], num_classes: int) -> NetworkSpec:
    """The spec with the dataset's input shape and class count; when the last linear layer
    set the old class count, it is set to the new one (in_channels/in_features follow)."""
    adapted = spec.replace(input=list(input_shape), num_classes=num_classes)
    report = analyze(adapted)
    if report.errors:
        fix = report.errors[0].fix
        if fix is not None and fix.action == "set" and fix.key == "out_features" and fix.value == num_classes:
            adapted = apply_fix(adapted, fix)
    return adapted
