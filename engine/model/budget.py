"""The size budget: how large a network ConvScope agrees to build, in one place.

ConvScope trains on a desktop CPU or one GPU and shows every layer's output, so a spec is refused
(``SpecError`` for what it says, a shape-report error with a fix for what it implies) when it
exceeds:

- input: at most ``MAX_INPUT_CHANNELS`` channels and ``MAX_INPUT_SIDE`` pixels a side (the image
  folder reader's own limit; 4×1024×1024 float32 is 16 MiB per image);
- ``MAX_CLASSES`` classes, ``MAX_LAYERS`` layers, names of ``MAX_NAME_LENGTH`` characters;
- ``MAX_PARAMS`` learned parameters (100 M: 400 MB of float32 weights, 1.2 GB with Adam's state);
- ``MAX_ACTIVATION_BYTES`` of activations for one image (every layer's output, input included).

Every preset is far inside (the small VGG for 3×32×32 has 2.2 M parameters and 2.9 MB of
activations per image). ``activation_bytes`` and ``batch_problem`` let the trainer and the viewers
check a whole batch against ``MAX_BATCH_ACTIVATION_BYTES``. Pure Python.
"""

from __future__ import annotations

import math
from typing import Any

from engine.model.report import Fix, LayerReport, Problem, ShapeReport, format_shape

__all__ = [
    "MAX_INPUT_CHANNELS",
    "MAX_INPUT_SIDE",
    "MAX_CLASSES",
    "MAX_LAYERS",
    "MAX_NAME_LENGTH",
    "MAX_PARAMS",
    "MAX_ACTIVATION_BYTES",
    "MAX_BATCH_ACTIVATION_BYTES",
    "input_problem",
    "budget_problems",
    "activation_bytes",
    "batch_problem",
    "max_batch_size",
    "fitting_batch_size",
]

MAX_INPUT_CHANNELS = 4
MAX_INPUT_SIDE = 1024
MAX_CLASSES = 10_000
MAX_LAYERS = 256
MAX_NAME_LENGTH = 200
MAX_PARAMS = 100_000_000
MAX_ACTIVATION_BYTES = 256 * 2**20  # one image, float32
MAX_BATCH_ACTIVATION_BYTES = 4 * 2**30  # one batch; training counts twice (outputs and their gradients)


def input_problem(shape: Any) -> str | None:
    """Why ``shape`` is no valid input ``[channels, height, width]``, or None."""
    if not (isinstance(shape, (list, tuple)) and len(shape) == 3):
        return "must be [channels, height, width]"
    for label, value, top in zip(("channels", "height", "width"), shape,
                                 (MAX_INPUT_CHANNELS, MAX_INPUT_SIDE, MAX_INPUT_SIDE)):
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{label} must be an integer, got a {type(value).__name__}"
        if not 1 <= value <= top:
            shown = value if abs(value) < 10**12 else "a huge number"
            return f"{label} must be 1 to {top}, got {shown}"
    return None


def _power_of_two_at_most(value: float) -> int:
    return 1 << (int(value).bit_length() - 1) if value >= 1 else 0


def _next_weights(report: ShapeReport, row: LayerReport) -> int:
    """Parameters per output unit of ``row`` that the next conv or linear layer holds (its inputs
    shrink with ``row``'s outputs); bias left out, so the estimate errs small."""
    for later in report.layers[row.index + 1:]:
        if later.type in ("conv2d", "linear"):
            return (later.params - later.output_shape[0]) // max(row.output_shape[0], 1)
    return 0


def _shrink(report: ShapeReport, row: LayerReport, excess: int) -> Fix | None:
    """A fix setting ``row``'s width to a power of two that removes at least ``excess`` parameters."""
    key = {"linear": "out_features", "conv2d": "out_channels"}.get(row.type)
    if key is None:
        return None
    if row.type == "linear" and not any(later.type == "linear" for later in report.layers[row.index + 1:]):
        return None  # the last linear layer gives the class scores
    current = row.output_shape[0]
    per_unit = row.params // max(current, 1) + _next_weights(report, row)
    target = _power_of_two_at_most(current - math.ceil(excess / max(per_unit, 1)))
    if 1 <= target < current:
        return Fix(f"set {key} of {row.name} to {target}", "set", row.index, key, target)
    return None


def _pool_before_flatten(report: ShapeReport, excess: int) -> tuple[int, Fix] | None:
    """When the first linear after a flatten of a big map holds the excess: average the map down."""
    rows = report.layers
    for i, row in enumerate(rows[:-1]):
        if row.type != "flatten" or len(row.input_shape) != 3 or rows[i + 1].type != "linear":
            continue
        c, h, w = row.input_shape
        fc = rows[i + 1]
        per_value = fc.output_shape[0]
        for side in (7, 4, 2, 1):
            if side * side < h * w and (h * w - side * side) * c * per_value >= excess:
                layer = {"type": "adaptiveavgpool2d", "output_size": side}
                return fc.index, Fix(f"insert adaptiveavgpool2d ({side}×{side}) before {row.name}", "insert",
                                     row.index, layers=(layer,))
    return None


def _params_problem(report: ShapeReport) -> Problem | None:
    total = report.total_params
    excess = total - MAX_PARAMS
    if excess <= 0:
        return None
    message = f"the network has {total:,} parameters, more than the budget of {MAX_PARAMS:,}"
    for row in sorted(report.layers, key=lambda row: row.params, reverse=True)[:3]:
        fix = _shrink(report, row, excess)
        if fix is not None:
            return Problem(row.index, row.name, f"{message} ({row.name} alone has {row.params:,})", fix)
    pooled = _pool_before_flatten(report, excess)
    if pooled is not None:
        index, fix = pooled
        name = report.names[index] if index < len(report.names) else None
        return Problem(index, name, message, fix)
    return Problem(None, None, message, None)


def _activation_problem(report: ShapeReport) -> Problem | None:
    total = report.total_activation_bytes
    if total <= MAX_ACTIVATION_BYTES:
        return None
    message = (f"one image needs {total / 2**20:,.0f} MiB of activations, more than the budget of "
               f"{MAX_ACTIVATION_BYTES / 2**20:,.0f} MiB")
    convs = [row for row in report.layers if row.type == "conv2d"]
    if convs:
        row = max(convs, key=lambda r: r.activation_bytes)
        channels = row.output_shape[0]
        target = _power_of_two_at_most(channels * MAX_ACTIVATION_BYTES / total)
        if 1 <= target < channels:
            fix = Fix(f"set out_channels of {row.name} to {target}", "set", row.index, "out_channels", target)
            return Problem(row.index, row.name, f"{message} ({row.name} gives {format_shape(row.output_shape)})", fix)
    return Problem(None, None, message, None)


def budget_problems(report: ShapeReport) -> list[Problem]:
    """Errors, each with a fix where one makes sense, for a report over the budget."""
    problems = []
    message = input_problem(report.input_shape)
    if message is not None:
        c, h, w = (min(max(int(v), 1), top) if isinstance(v, int) else 1
                   for v, top in zip(report.input_shape, (MAX_INPUT_CHANNELS, MAX_INPUT_SIDE, MAX_INPUT_SIDE)))
        fix = Fix(f"set input to {c}×{h}×{w}", "set_input", 0, "input", [c, h, w])
        problems.append(Problem(None, None, f"input {message}", fix))
        return problems  # the totals of a refused input say nothing more
    for check in (_params_problem, _activation_problem):
        problem = check(report)
        if problem is not None:
            problems.append(problem)
    return problems


def activation_bytes(report: ShapeReport, batch_size: int, *, training: bool = False) -> int:
    """Activation memory of a batch: every layer's output and the input (float32), times the
    batch; training keeps them for backward and adds their gradients, so counts them twice."""
    return report.total_activation_bytes * max(int(batch_size), 0) * (2 if training else 1)


def max_batch_size(report: ShapeReport, *, training: bool = False, budget: int = MAX_BATCH_ACTIVATION_BYTES) -> int:
    """The largest batch within ``budget`` (0 when not even one image fits)."""
    return budget // max(activation_bytes(report, 1, training=training), 1)


def batch_problem(report: ShapeReport, batch_size: int, *, training: bool = False,
                  budget: int = MAX_BATCH_ACTIVATION_BYTES) -> str | None:
    """A one-line reason when a batch of ``batch_size`` images needs more than ``budget``, else None."""
    need = activation_bytes(report, batch_size, training=training)
    if need <= budget:
        return None
    largest = max_batch_size(report, training=training, budget=budget)
    return (f"a batch of {batch_size:,} needs {need / 2**20:,.0f} MiB of activations, more than "
            f"{budget / 2**20:,.0f} MiB; use a batch size of at most {largest:,}")


def fitting_batch_size(report: ShapeReport, wanted: int, *, training: bool = False) -> int:
    """``wanted``, made smaller when its activations would exceed the batch budget (at least 1)."""
    return max(1, min(int(wanted), max_batch_size(report, training=training)))
