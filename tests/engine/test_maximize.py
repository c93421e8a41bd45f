"""Activation maximisation: every conv1 channel's image excites it more than the most exciting
test digit does; class images raise their logit; one batch for all units; progress and cancel."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_attribution import SEED000, briefly_trained

from engine.data.loading import load_dataset
from engine.data.transforms import normalize
from engine.inspect.jobs import Cancelled
from engine.inspect.maximize import MaximizeResult, maximize, objective_layer, unit_count
from engine.model.build import build_model
from engine.model.presets import PRESETS


@pytest.fixture(scope="module")
def sample():
    return load_dataset("mnist-sample")


@pytest.fixture(scope="module")
def trained(sample):
    return briefly_trained(sample)


def layer_output(model, x, layer):
    """``layer``'s output for a batch, in the spec's order."""
    out = x
    with torch.no_grad():
        for name, module in model.named_children():
            out = module(out)
            if name == layer:
                return out
    raise KeyError(layer)


def test_where_units_are_measured():
    assert objective_layer(SEED000, "conv1") == "relu1"
    assert objective_layer(SEED000, "pool1") == "pool1" and objective_layer(SEED000, "fc1") == "fc1"
    assert objective_layer(PRESETS["seed003"].spec, "conv1") == "relu1"  # through bn1
    assert unit_count(SEED000, "conv2") == 64 and unit_count(SEED000, "fc1") == 10


def test_every_conv1_channel_beats_the_most_activating_test_digit(trained, sample):
    x = normalize(sample.test.images, sample.info)
    best = layer_output(trained, x, "relu1").mean((2, 3)).max(0)
    result = maximize(trained, SEED000, "conv1", mean=sample.info.mean, std=sample.info.std)
    assert isinstance(result, MaximizeResult)
    assert result.units == tuple(range(32)) and result.images.shape == (32, 1, 28, 28)
    reached = layer_output(trained, torch.from_numpy(result.images), "relu1").mean((2, 3))
    reached = reached[torch.arange(32), torch.arange(32)].numpy()
    np.testing.assert_allclose(result.activations, reached, rtol=1e-4, atol=1e-6)
    for c in range(32):
        print(f"conv1 channel {c:2d}: optimised {reached[c]:.3f}, best test digit #{int(best.indices[c])} "
              f"{float(best.values[c]):.3f}")
    assert np.all(reached > best.values.numpy())
    low, high = (0 - sample.info.mean[0]) / sample.info.std[0], (1 - sample.info.mean[0]) / sample.info.std[0]
    assert result.images.min() >= low - 1e-6 and result.images.max() <= high + 1e-6


def test_class_images_raise_their_logit_and_units_run_as_one_batch(trained, sample):
    batches = []
    handle = trained.conv1.register_forward_hook(lambda _m, inputs, _o: batches.append(len(inputs[0])))
    try:
        result = maximize(trained, SEED000, "fc1", units=[3, 7], steps=60, seed=1)
    finally:
        handle.remove()
    assert set(batches) == {2} and len(batches) >= 60  # (the fast copy keeps hooks) both units in every pass
    logits = layer_output(trained, torch.from_numpy(result.images), "fc1")
    start = layer_output(trained, 0.1 * torch.randn(2, 1, 28, 28, generator=torch.Generator().manual_seed(1)), "fc1")
    assert result.units == (3, 7)
    for row, unit in enumerate((3, 7)):
        assert logits[row, unit] > start[row, unit] + 1.0
        assert logits[row].argmax() == unit
    np.testing.assert_allclose(result.activations, [logits[0, 3], logits[1, 7]], rtol=1e-4)


def test_the_same_seed_gives_the_same_images_and_the_model_is_untouched():
    torch.manual_seed(0)
    model = build_model(PRESETS["seed003"].spec).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    a = maximize(model, PRESETS["seed003"].spec, "conv2", units=[0, 5], steps=20, seed=2)
    b = maximize(model, PRESETS["seed003"].spec, "conv2", units=[0, 5], steps=20, seed=2)
    np.testing.assert_array_equal(a.images, b.images)
    assert model.training
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_progress_cancel_and_bad_units():
    model = build_model(SEED000).eval()
    seen = []
    maximize(model, SEED000, "conv1", units=[0], steps=100, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 50
    calls = []
    with pytest.raises(Cancelled):
        maximize(model, SEED000, "conv1", steps=100, cancelled=lambda: calls.append(1) or len(calls) > 5)
    assert len(calls) == 6
    with pytest.raises(ValueError, match="conv1 has units 0 to 31; got \\[32\\]"):
        maximize(model, SEED000, "conv1", units=[32])
    with pytest.raises(ValueError, match="no layer named conv9"):
        maximize(model, SEED000, "conv9")


def test_rgb_networks_get_rgb_images():
    spec = PRESETS["cifar-vgg-small"].spec
    model = build_model(spec).eval()
    result = maximize(model, spec, "conv1", units=[0, 1, 2], steps=5, mean=(0.5, 0.5, 0.5), std=(0.25,) * 3)
    assert result.images.shape == (3, 3, 32, 32) and result.activations.shape == (3,)
    assert result.images.min() >= -2.0 - 1e-6 and result.images.max() <= 2.0 + 1e-6
