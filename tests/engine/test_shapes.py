"""Shape/parameter/cost inference agrees with torch; invalid stacks come with working fixes."""

import random

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from engine.model.build import build_layer, build_model, train_order, training_view
from engine.model.presets import PRESETS
from engine.model.shapes import Fix, analyze, apply_fix, conv_output_size
from engine.model.spec import NetworkSpec, SpecError

torch.set_num_threads(1)


def test_seed000_summary_numbers():
    report = analyze(PRESETS["seed000"].spec)
    rows = {r.name: r for r in report.layers}
    assert rows["conv1"].output_shape == (32, 28, 28) and rows["conv1"].params == 320
    assert rows["pool1"].output_shape == (32, 14, 14)
    assert rows["conv2"].output_shape == (64, 14, 14) and rows["conv2"].params == 18_496
    assert rows["pool2"].output_shape == (64, 7, 7)
    assert rows["flatten"].output_shape == (3136,)
    assert rows["fc1"].output_shape == (10,) and rows["fc1"].params == 31_370
    assert report.total_params == 50_186 and report.ok
    # receptive field and jump, by the recurrence r += (k − 1)·j, j *= s
    assert [rows[n].receptive_field[0] for n in ("conv1", "pool1", "conv2", "pool2")] == [3, 4, 8, 10]
    assert rows["pool2"].jump == (4, 4)


def test_textbook_formula():
    assert conv_output_size(28, 3, 1, 1) == 28          # seed 000: (28 − 3 + 2)/1 + 1
    assert conv_output_size(6, 3) == 4                   # seed 003: 6×6 → 4×4
    assert conv_output_size(28, 5) == 24                 # seed 004 SimpleConvNet
    assert conv_output_size(7, 3, 2, 0) == 3
    assert conv_output_size(7, 3, 1, 0, dilation=2) == 3  # dilated kernel spans 5


def _check_against_torch(spec: NetworkSpec):
    report = analyze(spec)
    assert report.ok, [p.message for p in report.errors]
    model = build_model(spec).eval()
    assert list(model._modules) == list(report.names)
    x = torch.randn(2, *spec.input)
    with torch.no_grad():
        for (name, module), row in zip(model.named_children(), report.layers):
            x = module(x)
            assert tuple(x.shape[1:]) == row.output_shape, name
            params = sum(p.numel() for p in module.parameters())
            buffers = sum(b.numel() for b in module.buffers())
            assert params == row.params, name
            assert buffers == row.buffers, name
    assert sum(p.numel() for p in model.parameters()) == report.total_params
    return model, report


def _flops(model, spec):
    with FlopCounterMode(display=False) as counter:
        with torch.no_grad():
            model(torch.randn(1, *spec.input))
    return counter.get_total_flops()


# torch's flop counter counts only matrix products and convolutions; adaptive average pooling's
# one add per input value (tested on its own below) is invisible to it.
UNCOUNTED_BY_TORCH = {"adaptiveavgpool2d"}


def _counted_macs(report):
    return sum(row.macs for row in report.layers if row.type not in UNCOUNTED_BY_TORCH)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_match_torch_and_flop_counter(name):
    spec = PRESETS[name].spec
    model, report = _check_against_torch(spec)
    assert _flops(model, spec) == 2 * report.total_macs


def _random_valid_stack(rng: random.Random) -> NetworkSpec:
    channels = rng.choice([1, 1, 3])
    h, w = rng.randint(6, 34), rng.randint(6, 34)
    layers = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.choice(["conv2d", "conv2d", "maxpool2d", "avgpool2d", "relu", "leaky_relu", "tanh",
                           "sigmoid", "gelu", "batchnorm2d", "dropout2d", "dropout", "adaptiveavgpool2d"])
        layer = {"type": kind}
        if kind == "conv2d":
            layer.update(out_channels=rng.randint(1, 12), kernel_size=rng.choice([1, 3, 5, [3, 1], [2, 4]]),
                         stride=rng.choice([1, 1, 2, [1, 2]]), dilation=rng.choice([1, 1, 2]),
                         bias=rng.random() < 0.8)
            layer["padding"] = rng.choice([0, 1, 2, [1, 0], "same"]) if layer["stride"] == 1 else rng.choice([0, 1])
        elif kind in ("maxpool2d", "avgpool2d"):
            k = rng.choice([2, 3, [2, 3]])
            layer.update(kernel_size=k)
            if rng.random() < 0.5:
                layer["stride"] = rng.choice([1, 2, 3])
            if rng.random() < 0.3:
                layer["padding"] = 1
        elif kind in ("dropout", "dropout2d"):
            layer["p"] = rng.choice([0.0, 0.25, 0.5])
        elif kind == "adaptiveavgpool2d":
            layer["output_size"] = rng.choice([1, 1, 2, 3, [2, 5], [7, 1]])
        candidate = NetworkSpec.from_dict({"input": [channels, h, w], "num_classes": 3,
                                           "layers": layers + [layer]})
        if len(analyze(candidate).layers) <= len(layers):
            continue  # this layer does not fit here (no report row: its shape rule refused it); try another
        layers.append(layer)
    layers.append({"type": "flatten"})
    for _ in range(rng.randint(0, 2)):
        layers += [{"type": "linear", "out_features": rng.randint(1, 40)}, {"type": rng.choice(["relu", "tanh"])}]
        if rng.random() < 0.3:
            layers.append({"type": "dropout", "p": 0.5})
    layers.append({"type": "linear", "out_features": rng.randint(2, 12), "bias": rng.random() < 0.9})
    classes = layers[-1]["out_features"]
    return NetworkSpec.from_dict({"name": "random", "input": [channels, h, w], "num_classes": classes,
                                  "layers": layers})


RANDOM_STACKS = 500


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel lengths:UserWarning")
def test_random_valid_stacks_match_torch():
    rng = random.Random(1234)
    checked = 0
    kinds = set()
    for _ in range(RANDOM_STACKS):
        spec = _random_valid_stack(rng)
        model, report = _check_against_torch(spec)
        kinds.update(row.type for row in report.layers)
        if checked % 25 == 0:
            assert _flops(model, spec) == 2 * _counted_macs(report)
        checked += 1
    assert checked == RANDOM_STACKS
    # every layer type of the generator really occurs (image layers included)
    assert kinds >= {"conv2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d", "batchnorm2d", "dropout2d", "gelu",
                     "sigmoid", "leaky_relu"}


def _torch_failure_index(spec: NetworkSpec) -> int | None:
    """Index of the first layer torch itself refuses (exception or empty output), or None."""
    x = torch.randn(1, *spec.input)
    for index, layer in enumerate(spec.layers):
        # torch would quietly apply a linear layer to the last axis of an image, and Dropout2d
        # to a flat vector; both are mistakes we report, so count them as refusals here.
        if layer["type"] == "linear" and x.dim() != 2:
            return index
        if layer["type"] in ("conv2d", "maxpool2d", "avgpool2d", "adaptiveavgpool2d", "batchnorm2d",
                             "dropout2d") and x.dim() != 4:
            return index
        try:
            module = build_layer(layer, tuple(x.shape[1:]))
            with torch.no_grad():
                x = module.eval()(x)
        except (RuntimeError, ValueError, IndexError):
            return index
        if x.numel() == 0:
            return index
    return None


def _random_any_stack(rng: random.Random) -> NetworkSpec:
    layers = []
    for _ in range(rng.randint(1, 7)):
        kind = rng.choice(["conv2d", "maxpool2d", "avgpool2d", "relu", "flatten", "linear", "batchnorm2d",
                           "dropout2d", "adaptiveavgpool2d"])
        layer = {"type": kind}
        if kind == "conv2d":
            layer.update(out_channels=rng.randint(1, 6), kernel_size=rng.choice([3, 5, 7, 9]),
                         padding=rng.choice([0, 0, 1, "same"]), stride=rng.choice([1, 1, 2]))
        elif kind in ("maxpool2d", "avgpool2d"):
            layer.update(kernel_size=rng.choice([2, 3, 4]), padding=rng.choice([0, 0, 1, 2]))
        elif kind == "linear":
            layer["out_features"] = rng.randint(2, 20)
        elif kind == "adaptiveavgpool2d":
            layer["output_size"] = rng.choice([1, 2, [3, 1]])
        layers.append(layer)
    return NetworkSpec.from_dict({"input": [rng.choice([1, 3]), rng.randint(3, 12), rng.randint(3, 12)],
                                  "num_classes": rng.randint(2, 10), "layers": layers})


def test_invalid_stacks_named_like_torch_and_fixes_repair_them():
    rng = random.Random(99)
    invalid = 0
    for _ in range(400):
        spec = _random_any_stack(rng)
        report = analyze(spec)
        if report.ok:
            continue
        first = report.errors[0]
        torch_index = _torch_failure_index(spec)
        if torch_index is not None:
            # our error names exactly the layer torch trips over
            assert first.index == torch_index, (spec.to_dict(), first.message)
        else:
            # torch runs it all: then the problem is the network's output
            assert "class" in first.message or "flat" in first.message, first.message
        assert first.layer == (report.names[first.index] if first.index is not None else None)
        invalid += 1
        for _ in range(12):  # fixes may expose the next problem; each must make progress
            report = analyze(spec)
            if report.ok:
                break
            assert report.errors[0].fix is not None, report.errors[0].message
            spec = apply_fix(spec, report.errors[0].fix)
        assert analyze(spec).ok, spec.to_dict()
        _check_against_torch(spec)
    assert invalid >= 100


def _seed000(**changes):
    layers = [dict(layer) for layer in PRESETS["seed000"].spec.layers]
    return PRESETS["seed000"].spec.with_layers(layers), layers


def test_missing_flatten_fix():
    spec, layers = _seed000()
    del layers[6]  # flatten
    spec = spec.with_layers(layers)
    problem = analyze(spec).errors[0]
    assert problem.layer == "fc1" and problem.fix.label == "insert flatten before fc1"
    assert analyze(apply_fix(spec, problem.fix)).ok


def test_wrong_class_count_fix():
    spec = PRESETS["seed001"].spec.replace(num_classes=7)
    problem = analyze(spec).errors[0]
    assert problem.fix.label == "set out_features of fc2 to 7"
    assert analyze(apply_fix(spec, problem.fix.to_dict())).ok  # fixes travel as plain dicts too


def test_conv_too_large_suggests_padding():
    spec = NetworkSpec.from_dict({"input": [1, 6, 6], "num_classes": 2, "layers": [
        {"type": "conv2d", "out_channels": 2, "kernel_size": 3},
        {"type": "conv2d", "out_channels": 2, "kernel_size": 3},
        {"type": "conv2d", "out_channels": 2, "kernel_size": 5},
        {"type": "flatten"}, {"type": "linear", "out_features": 2}]})
    problem = analyze(spec).errors[0]
    assert problem.layer == "conv3" and problem.fix.label == "set padding of conv3 to 2"
    assert "below 1" in problem.message
    fixed = apply_fix(spec, problem.fix)
    assert analyze(fixed).ok and analyze(fixed).layers[2].output_shape == (2, 2, 2)


def test_same_padding_needs_stride_one_and_spatial_after_flatten():
    spec = NetworkSpec.from_dict({"layers": [{"type": "conv2d", "out_channels": 2, "padding": "same",
                                              "stride": 2}]})
    assert analyze(spec).errors[0].fix == Fix("set stride of conv1 to 1", "set", 0, "stride", 1)
    spec = NetworkSpec.from_dict({"layers": [{"type": "flatten"}, {"type": "dropout2d"},
                                             {"type": "linear", "out_features": 10}]})
    problem = analyze(spec).errors[0]
    assert problem.layer == "drop1" and problem.fix.label == "replace drop1 with dropout"


def test_output_must_be_class_scores():
    spec = NetworkSpec.from_dict({"layers": [{"type": "conv2d", "out_channels": 4}]})
    problem = analyze(spec).errors[0]
    assert problem.fix.action == "insert" and [layer["type"] for layer in problem.fix.layers] == ["flatten", "linear"]
    assert analyze(apply_fix(spec, problem.fix)).ok
    empty = NetworkSpec.from_dict({"layers": []})
    assert analyze(apply_fix(empty, analyze(empty).errors[0].fix)).ok


def test_activation_after_logits_is_a_warning():
    spec = PRESETS["seed000"].spec
    spec = spec.with_layers(list(spec.layers) + [{"type": "relu"}])
    report = analyze(spec)
    assert report.ok and report.warnings[0].fix.label == "remove relu3"


def test_build_refuses_invalid_spec():
    spec = NetworkSpec.from_dict({"layers": [{"type": "linear", "out_features": 10}]})
    with pytest.raises(SpecError, match="flatten"):
        build_model(spec)


def test_training_order_swaps_relu_and_maxpool_exactly():
    spec = PRESETS["seed000"].spec
    assert train_order(spec) == ["conv1", "pool1", "relu1", "conv2", "pool2", "relu2", "flatten", "fc1"]
    torch.manual_seed(0)
    model = build_model(spec).eval()
    fast = training_view(spec, model)
    assert {id(p) for p in fast.parameters()} == {id(p) for p in model.parameters()}
    x = torch.randn(4, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(fast(x), model(x))
