"""engine.inspect.activations on its own (no Qt): hooks always come off, maps match the shape report for
every preset, snapshots load exactly, kernels, and the single-thread context."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest
import torch

from engine.inspect.activations import (
    capture,
    conv_kernels,
    conv_layer_names,
    feature_maps,
    load_state,
    model_from_state,
    predict,
    single_thread,
)
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.model.shapes import analyze
from engine.training.events import frozen_array


def assert_no_hooks(model: torch.nn.Module) -> None:
    for name, module in model.named_modules():
        assert not module._forward_hooks, f"forward hook left on {name or 'model'}"
        assert not module._forward_pre_hooks, f"forward pre-hook left on {name or 'model'}"


def snapshot_of(model: torch.nn.Module, scale: float = 1.0) -> dict[str, np.ndarray]:
    """A state dict as the trainer sends it: read-only numpy copies (optionally scaled)."""
    return {k: frozen_array(v.float() * scale if v.is_floating_point() else v) for k, v in model.state_dict().items()}


def x_for(spec, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((1, *spec.input)).astype(np.float32)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_maps_have_the_reported_shapes_and_no_hooks_stay(preset):
    spec = PRESETS[preset].spec
    torch.manual_seed(0)
    model = model_from_state(spec)
    maps, probs = feature_maps(model, x_for(spec))
    report = analyze(spec)
    assert list(maps) == [layer.name for layer in report.layers]
    for layer in report.layers:
        assert maps[layer.name].shape == layer.output_shape, layer.name
        assert maps[layer.name].dtype == np.float32
    assert probs.shape == (spec.num_classes,)
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)
    # the last map is the logits; probabilities are their softmax
    np.testing.assert_allclose(probs, torch.from_numpy(maps[report.layers[-1].name]).softmax(0).numpy(), rtol=1e-5)
    assert_no_hooks(model)
    if preset == "cifar-vgg-small":
        assert spec.input == (3, 32, 32) and maps["conv1"].shape == (64, 32, 32)


def test_maps_are_each_layers_own_output_even_with_inplace_activations():
    spec = PRESETS["seed000"].spec
    torch.manual_seed(1)
    plain = build_model(spec).eval()
    inplace = build_model(spec, inplace=True).eval()
    inplace.load_state_dict(plain.state_dict())
    x = torch.from_numpy(x_for(spec, 3))
    with torch.no_grad():
        conv1 = plain.conv1(x)[0].numpy()
        relu1 = torch.relu(plain.conv1(x))[0].numpy()
    for model in (plain, inplace):
        maps, _ = feature_maps(model, x)
        np.testing.assert_allclose(maps["conv1"], conv1, rtol=1e-5, atol=1e-6)
        # an in-place ReLU must not overwrite the conv output captured before it
        assert (maps["conv1"] < 0).any()
        np.testing.assert_allclose(maps["relu1"], relu1, rtol=1e-5, atol=1e-6)
        assert_no_hooks(model)


def test_hooks_come_off_after_an_exception_in_the_block():
    spec = PRESETS["seed003"].spec
    model = model_from_state(spec)
    with pytest.raises(RuntimeError, match="boom"):
        with capture(model) as maps:
            assert all(module._forward_hooks for _, module in model.named_children())
            model(torch.from_numpy(x_for(spec)))
            assert set(maps) == set(spec.names)
            raise RuntimeError("boom")
    assert_no_hooks(model)


def test_hooks_come_off_when_the_forward_pass_fails():
    spec = PRESETS["seed000"].spec
    model = model_from_state(spec)
    wrong = torch.zeros(1, 3, 28, 28)  # 3 channels into a 1-channel conv
    with pytest.raises(RuntimeError):
        feature_maps(model, wrong)
    assert_no_hooks(model)
    with pytest.raises(RuntimeError):
        with capture(model):
            model(wrong)
    assert_no_hooks(model)
    # and the model still works afterwards
    maps, _ = feature_maps(model, x_for(spec))
    assert maps["conv1"].shape == (32, 28, 28)
    assert_no_hooks(model)


def test_read_only_snapshots_load_exactly_without_warnings_in_eval_mode():
    spec = PRESETS["seed003"].spec  # batchnorm (running stats) and dropout
    torch.manual_seed(2)
    source = build_model(spec)
    with torch.no_grad():  # give the BN buffers non-default values
        for module in source.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
    snap = snapshot_of(source)
    assert not snap["conv1.weight"].flags.writeable
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns when it wraps a read-only array
        model = model_from_state(spec, snap)
    assert not model.training
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), snap[key], err_msg=key)
    x = x_for(spec, 5)
    first, second = predict(model, x), predict(model, x)
    np.testing.assert_array_equal(first, second)  # dropout off, BN from running stats
    source.eval()
    with torch.no_grad():
        expected = source(torch.from_numpy(x)).softmax(1)[0].numpy()
    np.testing.assert_allclose(first, expected, rtol=1e-5, atol=1e-7)
    # a cached model takes a newer snapshot in place
    load_state(model, snapshot_of(source, 2.0))
    np.testing.assert_allclose(model.state_dict()["conv1.weight"].numpy(), 2.0 * snap["conv1.weight"])


@pytest.mark.parametrize("preset", list(PRESETS))
def test_conv_kernels_and_names(preset):
    spec = PRESETS[preset].spec
    model = model_from_state(spec)
    names = conv_layer_names(spec)
    report = {layer.name: layer for layer in analyze(spec).layers}
    assert names == [n for n, layer in zip(spec.names, spec.layers) if layer["type"] == "conv2d"]
    assert names and names[0] == "conv1"
    state = snapshot_of(model)
    for name in names:
        layer = report[name]
        k = spec.layers[layer.index].get("kernel_size", 3)
        expected = (layer.output_shape[0], layer.input_shape[0], k, k)
        from_state, from_model = conv_kernels(state, name), conv_kernels(model, name)
        assert from_state.shape == expected and from_state.dtype == np.float32
        np.testing.assert_array_equal(from_state, from_model)


def test_single_thread_sets_and_restores_only_in_its_thread():
    original = torch.get_num_threads()
    try:
        _check_single_thread()
    finally:
        torch.set_num_threads(original)  # leave the test session as it was


def _check_single_thread() -> None:
    torch.set_num_threads(2)
    with single_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    with pytest.raises(ValueError):
        with single_thread():
            raise ValueError("inside")
    assert torch.get_num_threads() == 2

    seen: dict[str, int] = {}
    inside, release = threading.Event(), threading.Event()

    def other() -> None:  # a "training" thread keeps its own thread count
        # torch reads the process-wide count when a thread first uses it (lazy init), so a thread
        # initialises before it sets its own count; from then on the count is per thread (OpenMP)
        torch.get_num_threads()
        torch.set_num_threads(2)
        inside.wait(5)
        torch.ones(64).add_(1)
        seen["other"] = torch.get_num_threads()
        release.set()

    thread = threading.Thread(target=other)
    thread.start()
    with single_thread():
        inside.set()
        release.wait(5)
    thread.join(5)
    assert seen["other"] == 2
