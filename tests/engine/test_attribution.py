"""engine.inspect.attribution against plain autograd and hand-worked numbers: saliency is the input
gradient, Grad-CAM the formula, Integrated Gradients complete, occlusion local; the caller's model
never changes; clear reasons for input that cannot be explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.data.loading import load_dataset
from engine.data.transforms import normalize
from engine.inspect.attribution import (
    METHOD_TITLES,
    METHODS,
    Attribution,
    AttributionError,
    attribute,
    blank_value,
    default_gradcam_layer,
    randomized_copy,
    spatial_layers,
)
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.model.spec import NetworkSpec

ROOT = Path(__file__).resolve().parents[2]
SEED000 = PRESETS["seed000"].spec


def spec_of(input_shape, layers, classes=2, name="tiny") -> NetworkSpec:
    return NetworkSpec.from_dict({"name": name, "input": list(input_shape), "num_classes": classes, "layers": layers})


@pytest.fixture(scope="module")
def sample():
    return load_dataset("mnist-sample")


def briefly_trained(sample, steps: int = 30) -> torch.nn.Sequential:
    """seed000 after ``steps`` Adam steps on the bundled sample (30: about 85% accurate), in eval mode."""
    torch.manual_seed(0)
    model = build_model(SEED000)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    images, labels = normalize(sample.train.images, sample.info), sample.train.labels
    generator = torch.Generator().manual_seed(0)
    for _ in range(steps):
        idx = torch.randint(0, len(labels), (64,), generator=generator)
        loss = torch.nn.functional.cross_entropy(model(images[idx]), labels[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@pytest.fixture(scope="module")
def trained(sample):
    return briefly_trained(sample)


def test_names_and_titles():
    assert METHODS == ("gradcam", "saliency", "smoothgrad", "ig", "occlusion")
    assert METHOD_TITLES["gradcam"] == "Grad-CAM" and METHOD_TITLES["ig"] == "Integrated Gradients"
    assert set(METHOD_TITLES) == set(METHODS)
    np.testing.assert_allclose(blank_value((0.1307,), (0.3081,)), [-0.1307 / 0.3081], rtol=1e-6)
    np.testing.assert_allclose(blank_value((0.5, 0.25, 0.0), 0.5), [-1.0, -0.5, 0.0])


def test_spatial_layers_and_the_default_gradcam_layer():
    assert spatial_layers(SEED000) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2"]
    assert default_gradcam_layer(SEED000) == "pool2"
    gap = spec_of((1, 8, 8), [{"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
                              {"type": "relu"}, {"type": "adaptiveavgpool2d", "output_size": 1},
                              {"type": "flatten"}, {"type": "linear", "out_features": 2}])
    assert default_gradcam_layer(gap) == "relu1"  # the 1×1 global pool says nothing about where
    flat = spec_of((1, 4, 4), [{"type": "flatten"}, {"type": "linear", "out_features": 2}])
    assert spatial_layers(flat) == [] and default_gradcam_layer(flat) is None


def test_saliency_is_the_input_gradient_of_plain_autograd_on_an_eval_copy():
    spec = PRESETS["seed003"].spec  # BatchNorm and Dropout
    torch.manual_seed(1)
    model = build_model(spec).train()
    model.conv1.weight.requires_grad_(False)  # a flag the caller set must survive
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x = np.random.default_rng(0).standard_normal(spec.input).astype(np.float32)
    result = attribute(model, spec, x, "saliency", target=3)

    reference = build_model(spec)
    reference.load_state_dict(before)
    reference.eval()
    xt = torch.from_numpy(x)[None].requires_grad_(True)
    reference(xt)[0, 3].backward()
    grad = xt.grad[0].numpy()
    np.testing.assert_allclose(result.channels, grad, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(result.heat, np.abs(grad).max(axis=0), rtol=1e-5, atol=1e-7)
    assert result.target == 3 and not result.signed and result.layer is None
    with torch.no_grad():
        np.testing.assert_allclose(result.probabilities, reference(xt)[0].softmax(0).numpy(), rtol=1e-5)
    # the caller's model: still training, same weights and running statistics, same flags
    assert model.training and all(m.training for m in model.modules())
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert not model.conv1.weight.requires_grad and model.conv1.bias.requires_grad
    assert model.fc1.weight.grad is None


def tiny_cam_model():
    """conv1: channel 0 passes x, channel 1 passes −x (3×3 kernels, centre tap); fc1 class 0 weighs
    channel 0's map with weights of mean 0.5 and channel 1's with mean 0.25 (class 1: −0.25, 0.75)."""
    spec = spec_of((1, 4, 4), [{"type": "conv2d", "out_channels": 2, "kernel_size": 3, "padding": 1},
                               {"type": "relu"}, {"type": "maxpool2d", "kernel_size": 2},
                               {"type": "flatten"}, {"type": "linear", "out_features": 2}])
    model = build_model(spec)
    with torch.no_grad():
        model.conv1.weight.zero_()
        model.conv1.bias.zero_()
        model.conv1.weight[0, 0, 1, 1] = 1.0
        model.conv1.weight[1, 0, 1, 1] = -1.0
        w = torch.zeros(2, 2, 2, 2)  # (class, channel, 2, 2 pooled map)
        w[0, 0] = torch.tensor([[1.0, 0.0], [0.5, 0.5]])  # mean 0.5
        w[0, 1] = torch.tensor([[0.0, 1.0], [0.0, 0.0]])  # mean 0.25
        w[1, 0] = torch.tensor([[-1.0, 0.0], [0.0, 0.0]])  # mean −0.25
        w[1, 1] = torch.tensor([[1.0, 1.0], [1.0, 0.0]])  # mean 0.75
        model.fc1.weight.copy_(w.reshape(2, 8))
        model.fc1.bias.zero_()
    return spec, model.eval()


X4 = np.array([[[1.0, -2.0, 0.0, 3.0],
                [-1.0, 2.0, -4.0, 1.0],
                [0.5, 0.0, 2.0, -3.0],
                [-0.5, -1.0, 1.0, 0.0]]], np.float32)


def test_gradcam_equals_the_formula_worked_by_hand():
    spec, model = tiny_cam_model()
    # relu1: A0 = relu(x), A1 = relu(−x); Grad-CAM for class 0 there: relu(0.5·A0 + 0.25·A1)
    # (the gradient reaching relu1 goes only to each window's max, but α averages over all 16 cells:
    # α0 = (1 + 0 + 0.5 + 0.5)/16 = 0.125 and α1 = 1/16 = 0.0625 at relu1)
    # so by hand at relu1: 0.125·relu(x) + 0.0625·relu(−x)
    by_hand = np.array([[0.125, 0.125, 0.0, 0.375],
                        [0.0625, 0.25, 0.25, 0.125],
                        [0.0625, 0.0, 0.25, 0.1875],
                        [0.03125, 0.0625, 0.125, 0.0]], np.float32)
    result = attribute(model, spec, X4, "gradcam", target=0, layer="relu1")
    np.testing.assert_allclose(result.heat, by_hand, atol=1e-6)
    assert result.layer == "relu1" and result.channels is None and not result.signed
    # at pool1 (2×2): A0 = [[2, 3], [0.5, 2]], A1 = [[2, 4], [1, 3]]; α = the means of fc1's weights
    # class 0: relu(0.5·A0 + 0.25·A1) = [[1.5, 2.5], [0.5, 1.75]], then upsampled bilinearly
    pooled = torch.tensor([[[[1.5, 2.5], [0.5, 1.75]]]])
    up = torch.nn.functional.interpolate(pooled, size=(4, 4), mode="bilinear", align_corners=False)[0, 0]
    result = attribute(model, spec, X4, "gradcam", target=0, layer="pool1")
    np.testing.assert_allclose(result.heat, up.numpy(), atol=1e-6)
    # class 1: relu(−0.25·A0 + 0.75·A1) = [[1.0, 2.25], [0.625, 1.75]]
    pooled = torch.tensor([[[[1.0, 2.25], [0.625, 1.75]]]])
    up = torch.nn.functional.interpolate(pooled, size=(4, 4), mode="bilinear", align_corners=False)[0, 0]
    np.testing.assert_allclose(attribute(model, spec, X4, "gradcam", target=1).heat, up.numpy(), atol=1e-6)


def test_integrated_gradients_are_complete_on_real_digits(trained, sample):
    blank = blank_value(sample.info.mean, sample.info.std)
    images = normalize(sample.test.images[:40], sample.info)
    with torch.no_grad():
        predicted = trained(images).argmax(1)
    right = [i for i in range(40) if predicted[i] == sample.test.labels[i]]
    assert len(right) >= 25
    base = torch.full((1, *SEED000.input), blank[0])
    for i in right:
        result = attribute(trained, SEED000, images[i].numpy(), "ig", blank=blank)
        with torch.no_grad():
            gap = float(trained(images[i : i + 1])[0, result.target] - trained(base)[0, result.target])
        assert abs(float(result.heat.sum()) - gap) <= 0.01 * abs(gap), (i, result.note)
        assert result.signed and result.channels.shape == (1, 28, 28)
        assert result.note.startswith("completeness error")
        np.testing.assert_allclose(result.channels.sum(0), result.heat, rtol=1e-5, atol=1e-6)


def test_every_method_sees_only_the_quadrant_a_network_looks_at():
    spec = spec_of((1, 16, 16), [{"type": "flatten"}, {"type": "linear", "out_features": 2}])
    model = build_model(spec).eval()
    mask = np.zeros((16, 16), bool)
    mask[:8, :8] = True
    with torch.no_grad():
        weights = torch.randn(2, 16, 16, generator=torch.Generator().manual_seed(0))
        model.fc1.weight.copy_((weights * torch.from_numpy(mask)).reshape(2, 256))
    x = np.random.default_rng(1).uniform(0.5, 2.0, (1, 16, 16)).astype(np.float32)
    near = np.zeros((16, 16), bool)
    near[: 8 + 3, : 8 + 3] = True  # a 4×4 window starting within 3 pixels can still cover the quadrant
    for method in ("saliency", "smoothgrad", "ig", "occlusion"):
        heat = attribute(model, spec, x, method, target=0, blank=0.0, window=4, stride=2).heat
        if method == "occlusion":  # score differences: float rounding between batch sizes, no more
            assert np.abs(heat[~near]).max() <= 1e-5 * np.abs(heat).max(), method
        else:  # gradients: exactly zero
            assert np.all(heat[~mask] == 0), method
        assert np.count_nonzero(heat[mask]) > 32, method


def test_occlusion_is_the_drop_of_the_score_averaged_over_windows():
    spec, model = tiny_cam_model()
    result = attribute(model, spec, X4, "occlusion", target=0, window=2, stride=2, blank=0.0)
    with torch.no_grad():
        full = float(model(torch.from_numpy(X4)[None])[0, 0])
        expected = np.zeros((4, 4), np.float32)
        for top in (0, 2):
            for left in (0, 2):
                occluded = X4.copy()
                occluded[:, top : top + 2, left : left + 2] = 0.0
                expected[top : top + 2, left : left + 2] = full - float(model(torch.from_numpy(occluded)[None])[0, 0])
    np.testing.assert_allclose(result.heat, expected, atol=1e-5)
    assert result.signed


def test_smoothgrad_without_noise_is_saliency_and_with_noise_repeats(trained, sample):
    x = normalize(sample.test.images[:1], sample.info)[0].numpy()
    plain = attribute(trained, SEED000, x, "saliency")
    quiet = attribute(trained, SEED000, x, "smoothgrad", noise=0.0, samples=4)
    np.testing.assert_allclose(quiet.heat, plain.heat, rtol=1e-4, atol=1e-7)
    noisy = attribute(trained, SEED000, x, "smoothgrad")
    again = attribute(trained, SEED000, x, "smoothgrad")
    np.testing.assert_array_equal(noisy.heat, again.heat)
    assert not np.allclose(noisy.heat, plain.heat)


def test_every_method_on_an_rgb_network_gives_input_sized_maps():
    spec = PRESETS["cifar-vgg-small"].spec
    torch.manual_seed(0)
    model = build_model(spec).train()
    x = np.random.default_rng(2).standard_normal(spec.input).astype(np.float32)
    for method in METHODS:
        result = attribute(model, spec, x, method, steps=8, samples=4, window=8, stride=8)
        assert isinstance(result, Attribution)
        assert result.heat.shape == (32, 32) and result.heat.dtype == np.float32, method
        assert (result.channels is None) == (method == "gradcam")
        if result.channels is not None:
            assert result.channels.shape == (3, 32, 32), method
        assert result.probabilities.shape == (10,) and np.isfinite(result.heat).all()
    assert model.training


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "gradcam", "layer": "fc1"},
     "fc1 has no spatial output; Grad-CAM needs a conv-like layer: conv1, relu1, pool1, conv2, relu2, pool2"),
    ({"method": "gradcam", "layer": "conv9"}, "there is no layer named conv9"),
    ({"method": "lime"}, "unknown method 'lime'"),
    ({"method": "saliency", "target": 10}, "class 10 does not exist"),
    ({"method": "occlusion", "window": 29}, "larger than the 28×28 input"),
    ({"method": "ig", "steps": 0}, "at least 1 step"),
])
def test_bad_requests_get_one_line_reasons(kwargs, message):
    model = build_model(SEED000).eval()
    x = np.zeros(SEED000.input, np.float32)
    method = kwargs.pop("method")
    with pytest.raises(AttributionError, match=message.replace("(", r"\(")) as info:
        attribute(model, SEED000, x, method, **kwargs)
    assert "\n" not in str(info.value)


def test_wrong_inputs_and_single_class_networks_are_refused():
    model = build_model(SEED000).eval()
    with pytest.raises(AttributionError, match="shape 3×32×32 but seed000 takes 1×28×28"):
        attribute(model, SEED000, np.zeros((3, 32, 32), np.float32), "saliency")
    with pytest.raises(AttributionError, match="NaN"):
        attribute(model, SEED000, np.full(SEED000.input, np.nan, np.float32), "saliency")
    one = spec_of((1, 4, 4), [{"type": "flatten"}, {"type": "linear", "out_features": 1}], classes=1)
    with pytest.raises(AttributionError, match="single class"):
        attribute(build_model(one), one, np.zeros((1, 4, 4), np.float32), "saliency")
    flat = spec_of((1, 4, 4), [{"type": "flatten"}, {"type": "linear", "out_features": 2}])
    with pytest.raises(AttributionError, match="no layer with spatial output"):
        attribute(build_model(flat), flat, np.zeros((1, 4, 4), np.float32), "gradcam")


def test_the_randomized_copy_has_the_architecture_and_fresh_weights(trained, sample):
    before = {k: v.clone() for k, v in trained.state_dict().items()}
    copy_a, copy_b = randomized_copy(trained, seed=3), randomized_copy(trained, seed=3)
    other = randomized_copy(trained, seed=4)
    state = copy_a.state_dict()
    assert list(state) == list(before)
    for key, value in state.items():
        assert value.shape == before[key].shape
        assert torch.equal(value, copy_b.state_dict()[key])
        if key.endswith("weight"):
            assert not torch.equal(value, before[key]) and not torch.equal(value, other.state_dict()[key])
    for key, value in trained.state_dict().items():
        assert torch.equal(value, before[key])
    x = normalize(sample.test.images[:1], sample.info)[0].numpy()
    real = attribute(trained, SEED000, x, "saliency", target=0).heat
    fake = attribute(copy_a, SEED000, x, "saliency", target=0).heat
    print(f"saliency correlation, trained vs randomized: {np.corrcoef(real.ravel(), fake.ravel())[0, 1]:.2f}")
    assert not np.allclose(real, fake)


def test_importing_the_module_does_not_import_captum():
    code = "import sys, engine.inspect.attribution; sys.exit('captum' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_gradcam_says_so_when_no_region_adds_to_the_class():
    """A head whose weights for class 0 are negative on every channel: ReLU leaves nothing."""
    spec = NetworkSpec.from_dict({"input": [1, 6, 6], "num_classes": 2, "layers": [
        {"type": "conv2d", "out_channels": 2, "kernel_size": 3, "padding": 1}, {"type": "relu"},
        {"type": "flatten"}, {"type": "linear", "out_features": 2}]})
    model = build_model(spec).eval()
    with torch.no_grad():
        model.conv1.weight.fill_(0.1)
        model.conv1.bias.fill_(0.1)
        model.fc1.weight[0].fill_(-1.0)
        model.fc1.weight[1].fill_(1.0)
    x = np.ones((1, 6, 6), dtype=np.float32)
    result = attribute(model, spec, x, "gradcam", target=0, layer="relu1")
    assert float(result.heat.max()) == 0.0 and "zero everywhere" in result.note
    assert attribute(model, spec, x, "gradcam", target=1, layer="relu1").note == ""
