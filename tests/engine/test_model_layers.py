"""The layer registry: one complete entry per type, signs for the viewers, and the new
adaptiveavgpool2d type end to end (spec → analyze → build → forward)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from engine.model.build import build_layer, build_model
from engine.model.layers import GROUPS, LAYERS, OUTPUT_SIGNS, PALETTE_GROUPS, LayerType, signed_outputs
from engine.model.layers.windows import adaptive_window
from engine.model.param import PARAM_KINDS, Param
from engine.model.shapes import analyze, describe_settings
from engine.model.spec import LAYER_SCHEMAS, LAYER_TYPES, NAME_PREFIX, NetworkSpec, default_layer

CALLABLE_FIELDS = ("build", "describe", "output_shape", "params", "buffers", "macs", "receptive_field",
                   "flat_input_problem")


@pytest.mark.parametrize("kind", list(LAYERS))
def test_every_type_has_every_field(kind):
    entry = LAYERS[kind]
    assert isinstance(entry, LayerType) and entry.name == kind
    assert entry.group in GROUPS and entry.output_sign in OUTPUT_SIGNS
    assert entry.help.strip() and entry.prefix.isidentifier()
    for name in CALLABLE_FIELDS:
        assert callable(getattr(entry, name)), name
    for key, param in entry.schema.items():
        assert isinstance(param, Param) and param.kind in PARAM_KINDS, key
        assert param.help, key
        assert param.default_from is None or param.default_from in entry.schema
    # the palette's starting layer is a valid spec layer, and its one-line description works
    layer = default_layer(kind)
    NetworkSpec.from_dict({"layers": [layer]})
    assert isinstance(describe_settings(layer), str)


def test_spec_tables_are_views_of_the_registry():
    assert LAYER_TYPES == tuple(LAYERS)
    assert all(LAYER_SCHEMAS[kind] is LAYERS[kind].schema for kind in LAYERS)
    assert NAME_PREFIX == {kind: entry.prefix for kind, entry in LAYERS.items()}
    palette = [kind for _, kinds in PALETTE_GROUPS for kind in kinds]
    assert sorted(palette) == sorted(LAYERS) and len(palette) == len(set(palette))
    assert [title for title, _ in PALETTE_GROUPS] == list(GROUPS)


def test_a_layer_type_refuses_an_incoherent_entry():
    with pytest.raises(ValueError, match="output_sign"):
        LayerType("x", GROUPS[0], "help", "x", {}, lambda r, s, i: None, output_sign="positive")
    with pytest.raises(ValueError, match="group"):
        LayerType("x", "Misc", "help", "x", {}, lambda r, s, i: None)
    with pytest.raises(ValueError, match="starter"):
        LayerType("x", GROUPS[0], "help", "x", {}, lambda r, s, i: None, starter={"k": 1})


def test_signed_outputs_hand_worked():
    kinds = ["maxpool2d", "conv2d", "relu", "maxpool2d", "dropout", "batchnorm2d", "sigmoid", "flatten",
             "linear", "tanh", "adaptiveavgpool2d", "gelu", "leaky_relu", "dropout2d"]
    expected = [True, True, False, False, False, True, False, False, True, True, True, True, True, True]
    assert signed_outputs([{"type": kind} for kind in kinds]) == expected
    # the input's own sign only reaches layers that follow it
    assert signed_outputs([{"type": "maxpool2d"}, {"type": "flatten"}, {"type": "relu"}],
                          input_signed=False) == [False, False, False]
    assert signed_outputs([]) == []


def test_only_relu_like_types_run_in_place_and_the_factory_honours_it():
    assert {kind for kind, entry in LAYERS.items() if entry.inplace} == {"relu", "leaky_relu"}
    for kind in ("relu", "leaky_relu"):
        assert build_layer({"type": kind}, (3, 4, 4), inplace=True).inplace is True
        assert build_layer({"type": kind}, (3, 4, 4)).inplace is False
    # a type that cannot run in place is built as usual when asked to
    assert isinstance(build_layer({"type": "tanh"}, (3, 4, 4), inplace=True), torch.nn.Tanh)


def test_registry_loads_without_torch():
    code = "import sys, engine.model.layers, engine.model.param\nprint('torch' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("size,out,expected", [
    (7, 1, (7, 7)),   # global pooling: one window over everything
    (8, 4, (2, 2)),   # divides: exactly avgpool2d(2, 2)
    (5, 3, (3, 2)),   # windows [0, 2), [1, 4), [3, 5): largest 3, steps 1 and 2 → 2
    (2, 4, (1, 1)),   # more outputs than inputs: windows of one cell, repeated
])
def test_adaptive_window(size, out, expected):
    assert adaptive_window(size, out) == expected


def _adaptive_spec(output_size, shape=(3, 9, 10)):
    return NetworkSpec.from_dict({"input": list(shape), "num_classes": 5, "layers": [
        {"type": "conv2d", "out_channels": 6, "kernel_size": 3, "padding": 1},
        {"type": "relu"},
        {"type": "adaptiveavgpool2d", "output_size": output_size},
        {"type": "flatten"},
        {"type": "linear", "out_features": 5}]})


@pytest.mark.parametrize("output_size,expected", [(1, (6, 1, 1)), ([2, 3], (6, 2, 3)), (4, (6, 4, 4))])
def test_adaptive_avg_pool_end_to_end(output_size, expected):
    spec = _adaptive_spec(output_size)
    report = analyze(spec)
    assert report.ok, [p.message for p in report.errors]
    row = report.layers[2]
    assert row.name == "pool1" and row.output_shape == expected
    assert row.params == row.buffers == 0
    assert row.macs == 6 * 9 * 10  # one add per input value
    assert row.settings == f"→ {expected[1]}×{expected[2]}"
    model = build_model(spec).eval()
    x = torch.randn(2, *spec.input)
    with torch.no_grad():
        for (_, module), info in zip(model.named_children(), report.layers):
            x = module(x)
            assert tuple(x.shape[1:]) == info.output_shape
    assert isinstance(model.pool1, torch.nn.AdaptiveAvgPool2d)
    assert sum(p.numel() for p in model.parameters()) == report.total_params


def test_adaptive_avg_pool_receptive_field():
    # to 1×1: the whole input, as after flatten
    assert analyze(_adaptive_spec(1)).layers[2].receptive_field == (9, 10)
    # 8×8 to 4×4 is avgpool2d(2): the same receptive field and jump
    pooled = [{"type": "conv2d", "out_channels": 2, "kernel_size": 3, "padding": 1}]
    adaptive = NetworkSpec.from_dict({"input": [1, 8, 8], "layers": pooled + [
        {"type": "adaptiveavgpool2d", "output_size": 4}]})
    average = NetworkSpec.from_dict({"input": [1, 8, 8], "layers": pooled + [
        {"type": "avgpool2d", "kernel_size": 2}]})
    a, b = analyze(adaptive).layers[1], analyze(average).layers[1]
    assert (a.receptive_field, a.jump, a.output_shape) == (b.receptive_field, b.jump, b.output_shape)


def test_adaptive_avg_pool_after_flatten_is_an_error_with_a_fix():
    spec = NetworkSpec.from_dict({"layers": [{"type": "flatten"}, {"type": "adaptiveavgpool2d"},
                                             {"type": "linear", "out_features": 10}]})
    problem = analyze(spec).errors[0]
    assert problem.layer == "pool1" and "C×H×W" in problem.message
    assert problem.fix.label == "remove pool1"
