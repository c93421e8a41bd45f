"""Shape, parameter and cost inference with the textbook formulas, in pure Python.

For every layer: output shape, parameters (conv ``Kh·Kw·Cin·Cout + Cout``, linear
``in·out + out``, batchnorm ``2C`` with its buffers apart), multiply-accumulates, receptive
field and jump, and activation memory. Spatial sizes follow ``O = floor((I − K + 2P) / S) + 1``
with the dilated kernel ``K = d·(k − 1) + 1``. Each rule lives in the layer type's registry entry
(``engine.model.layers``); this module walks the spec and checks the network's output.

Problems are found before anything is built. Each names its layer and carries a ``Fix``:
an edit, as data, that the GUI can offer as one click and ``apply_fix`` performs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from engine.model.budget import budget_problems, input_problem
from engine.model.geometry import conv_output_size
from engine.model.layers import LAYERS, LayerInput, LayerProblem
from engine.model.report import BYTES_PER_VALUE, Fix, LayerReport, Problem, ShapeReport, format_shape
from engine.model.spec import NetworkSpec, layer_names, resolve_layer

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


def describe_settings(layer: Mapping[str, Any]) -> str:
    """Key settings of a layer in a few characters, e.g. ``32, 3×3, s1, p1``."""
    resolved = resolve_layer(layer)
    return LAYERS[resolved["type"]].describe(resolved)


def analyze(spec: NetworkSpec) -> ShapeReport:
    """Infer every layer's shape and cost; collect errors with their fixes. No torch needed."""
    names = layer_names(spec.layers)
    shape: tuple[int, ...] = tuple(spec.input)
    rf, jump = (1, 1), (1, 1)
    if input_problem(shape) is not None:  # a spec made without from_dict: no layer walk on it
        return _refused_input(spec, names)
    reports: list[LayerReport] = []
    errors: list[Problem] = []
    for index, layer in enumerate(spec.layers):
        try:
            report = _infer(index, names, layer, shape, rf, jump, spec)
        except LayerProblem as problem:
            errors.append(Problem(index, names[index], problem.message, problem.fix))
            break
        reports.append(report)
        shape, rf, jump = report.output_shape, report.receptive_field, report.jump
    warnings: list[Problem] = []
    if not errors:
        problem = _check_output(spec, names, shape)
        if problem:
            errors.append(problem)
        warnings.extend(_warnings(spec, names))
    report = ShapeReport(
        input_shape=tuple(spec.input),
        num_classes=spec.num_classes,
        layers=tuple(reports),
        errors=tuple(errors),
        warnings=tuple(warnings),
        names=tuple(names),
    )
    over = budget_problems(report)  # the layers up to a shape error already count
    return replace(report, errors=report.errors + tuple(over)) if over else report


def _refused_input(spec: NetworkSpec, names: list[str]) -> ShapeReport:
    report = ShapeReport(input_shape=tuple(spec.input), num_classes=spec.num_classes, layers=(), names=tuple(names))
    return replace(report, errors=tuple(budget_problems(report)))


def _infer(index: int, names: list[str], layer: Mapping[str, Any], shape: tuple[int, ...],
           rf: tuple[int, int], jump: tuple[int, int], spec: NetworkSpec) -> LayerReport:
    """One layer's report by its registry entry's rules; raises ``LayerProblem``."""
    resolved = resolve_layer(layer)
    kind = resolved["type"]
    entry = LAYERS[kind]
    step = LayerInput(index, names[index], resolved, tuple(shape), rf, jump, (spec.input[1], spec.input[2]))
    if entry.needs_image and len(shape) != 3:
        raise entry.flat_input_problem(step)
    out = tuple(entry.output_shape(step))
    rf, jump = entry.receptive_field(step, out)
    return LayerReport(
        index=index,
        name=step.name,
        type=kind,
        settings=entry.describe(resolved),
        input_shape=step.shape,
        output_shape=out,
        params=entry.params(step),
        buffers=entry.buffers(step),
        macs=entry.macs(step, out),
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
        if not LAYERS[kind].elementwise:
            break
    fix = Fix(f"append {new_fc} with {classes} outputs", "insert", n,
              layers=({"type": "linear", "out_features": classes},))
    return Problem(n - 1 if n else None, names[-1] if names else None,
                   f"the network gives {shape[0]} outputs but the dataset has {classes} classes", fix)


def _warnings(spec: NetworkSpec, names: list[str]) -> list[Problem]:
    """Valid but probably unintended: an activation squashing the class scores."""
    problems = []
    if spec.layers and LAYERS[spec.layers[-1]["type"]].is_activation:
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
    elif fix.action == "set_input":
        return spec.replace(input=list(fix.value))
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
