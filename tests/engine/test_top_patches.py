"""Top patches equal a brute-force search, and every crop is exactly the window of input pixels
that the chosen output position depends on (its gradient's support), padding included."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.inspect.activations import capture
from engine.inspect.jobs import Cancelled
from engine.inspect.receptive import input_windows
from engine.inspect.top_patches import top_patches
from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.model.shapes import analyze
from engine.model.spec import NetworkSpec

MEAN, STD = (0.2,), (0.3,)


def spec_of(input_shape, layers, name="net") -> NetworkSpec:
    return NetworkSpec.from_dict({"name": name, "input": list(input_shape), "num_classes": 2,
                                  "layers": [*layers, {"type": "flatten"}, {"type": "linear", "out_features": 2}]})


def conv(out, k, **kw):
    return {"type": "conv2d", "out_channels": out, "kernel_size": k, **kw}


GEOMETRIES = {
    "stride and padding": spec_of((1, 13, 11), [conv(2, 3, stride=2, padding=1), conv(2, 3, padding=2)]),
    "same, even kernel": spec_of((1, 10, 10), [conv(2, 4, padding="same"), conv(2, (2, 3), stride=(1, 2))]),
    "dilation": spec_of((1, 17, 15), [conv(2, 3, dilation=2, padding=1), conv(2, 3, stride=2)]),
    "padded average pool": spec_of((1, 12, 12), [conv(2, 3), {"type": "avgpool2d", "kernel_size": 3, "stride": 2,
                                                              "padding": 1}, conv(2, 2)]),
    "adaptive pool": spec_of((1, 11, 11), [conv(2, 3, padding=1), {"type": "adaptiveavgpool2d", "output_size": 3},
                                           conv(1, 2)]),
}


def positive_model(spec: NetworkSpec) -> torch.nn.Sequential:
    """All weights positive: every input pixel in a window moves the output (no cancellation)."""
    model = build_model(spec).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.abs() + 0.05)
    return model


def gradient_box(model, spec, layer, image, channel, i, j):
    """(top, left, bottom, right) of the pixels whose gradient reaches position (i, j), or None."""
    x = image.clone().requires_grad_(True)
    with capture(model):
        out = x
        for name, module in model.named_children():
            out = module(out)
            if name == layer:
                break
    out[0, channel, i, j].backward()
    rows, cols = np.nonzero(x.grad[0].abs().sum(0).numpy())
    if len(rows) == 0:
        return None
    return int(rows.min()), int(cols.min()), int(rows.max()) + 1, int(cols.max()) + 1


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("geometry", list(GEOMETRIES))
def test_each_window_is_the_support_of_the_gradient(geometry):
    spec = GEOMETRIES[geometry]
    model = positive_model(spec)
    report = analyze(spec)
    image = torch.ones((1, *spec.input))
    for info in report.layers:
        if len(info.output_shape) != 3:
            continue
        windows = input_windows(spec, info.name)
        assert windows.rows.shape == (info.output_shape[1], 2) and windows.cols.shape == (info.output_shape[2], 2)
        if geometry != "adaptive pool":
            assert windows.size == tuple(info.receptive_field), info.name
        _, h, w = spec.input
        for i in range(info.output_shape[1]):
            for j in range(info.output_shape[2]):
                top, bottom = windows.rows[i]
                left, right = windows.cols[j]
                clipped = (max(top, 0), max(left, 0), min(bottom, h), min(right, w))
                box = gradient_box(model, spec, info.name, image, 0, i, j)
                inside = clipped == (top, left, bottom, right)
                if geometry != "dilation" or inside:  # a dilated kernel's edge taps may fall in the padding
                    assert box == clipped, (info.name, i, j)
                else:
                    assert clipped[:2] <= box[:2] and box[2:] <= clipped[2:], (info.name, i, j)


def test_windows_of_the_presets_agree_with_the_shape_report():
    for preset in PRESETS.values():
        for info in analyze(preset.spec).layers:
            if len(info.output_shape) == 3:
                windows = input_windows(preset.spec, info.name)
                assert windows.size == tuple(info.receptive_field), (preset.name, info.name)
                if info.output_shape[1] > 1:
                    assert windows.rows[1, 0] - windows.rows[0, 0] == info.jump[0], (preset.name, info.name)


def brute_force(model, spec, images, layer, k):
    """Each image's layer output one at a time, in the spec's order; ranked with a stable sort."""
    x = (torch.from_numpy(images).float() / 255 - MEAN[0]) / STD[0]
    with torch.no_grad():
        outs = []
        for one in x:
            with capture(model) as maps:
                model(one[None])
            outs.append(maps[layer].reshape(maps[layer].shape[0], -1))
    outs = np.stack(outs)  # (N, channels, h·w)
    scores, positions = outs.max(2), outs.argmax(2)
    order = np.argsort(-scores.T, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(scores.T, order, 1), np.take_along_axis(positions.T, order, 1)


@pytest.mark.parametrize("layer", ["relu1", "pool1", "conv2"])
def test_top_patches_equal_a_brute_force_search_and_crop_exact_windows(layer):
    spec = PRESETS["seed000"].spec
    torch.manual_seed(0)
    model = build_model(spec).eval()
    images = np.random.default_rng(0).integers(0, 256, (120, *spec.input), dtype=np.uint8)
    result = top_patches(model, spec, images, layer, k=5, mean=MEAN, std=STD, batch_size=37)
    order, scores, positions = brute_force(model, spec, images, layer, 5)
    channels = analyze(spec).layers[list(analyze(spec).names).index(layer)].output_shape[0]
    assert result.indices.shape == (channels, 5) and result.indices.dtype == np.int64
    np.testing.assert_array_equal(result.indices, order)
    np.testing.assert_allclose(result.values, scores, rtol=1e-5, atol=1e-6)
    windows = input_windows(spec, layer)
    ph, pw = windows.size
    assert result.patches.shape == (channels, 5, 1, ph, pw) and result.patches.dtype == np.uint8
    w_out = len(windows.cols)
    # gradients reach every pixel of a window only through averages: max-pooling → average pooling
    averaged = spec.with_layers([{**raw, "type": "avgpool2d"} if raw["type"] == "maxpool2d" else raw
                                 for raw in spec.layers])
    grads = positive_model(averaged)
    for c in range(0, channels, 7):
        for r in range(5):
            i, j = divmod(int(positions[c, r]), w_out)
            top, left, bottom, right = result.boxes[c, r]
            image = images[result.indices[c, r]]
            box = gradient_box(grads, averaged, layer, torch.ones((1, *spec.input)), c, i, j)
            assert (top, left, bottom, right) == box
            padded = np.zeros((1, 28 + 2 * ph, 28 + 2 * pw), np.uint8)
            padded[:, ph : ph + 28, pw : pw + 28] = image
            start_r, start_c = windows.rows[i, 0] + ph, windows.cols[j, 0] + pw
            window = padded[:, start_r : start_r + ph, start_c : start_c + pw]
            np.testing.assert_array_equal(result.patches[c, r], window)
            assert result.patches[c, r].sum() == image[:, top:bottom, left:right].astype(int).sum()


def test_rgb_images_torch_input_progress_and_small_datasets():
    spec = PRESETS["cifar-vgg-small"].spec
    model = build_model(spec).eval()
    images = torch.randint(0, 256, (6, 3, 32, 32), dtype=torch.uint8)
    seen = []
    result = top_patches(model, spec, images, "conv1", k=9, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25),
                         batch_size=4, progress=seen.append)
    assert result.k == 6 and result.patches.shape == (64, 6, 3, 3, 3)
    assert seen == [4 / 6, 1.0]
    assert sorted(result.indices[0]) == list(range(6))


def test_cancel_and_bad_requests():
    spec = PRESETS["seed000"].spec
    model = build_model(spec).eval()
    images = np.zeros((10, 1, 28, 28), np.uint8)
    calls = []
    with pytest.raises(Cancelled):
        top_patches(model, spec, images, "conv1", batch_size=3, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert len(calls) == 3
    with pytest.raises(ValueError, match="fc1 has no spatial output; layers with one: conv1, relu1"):
        top_patches(model, spec, images, "fc1")
    with pytest.raises(ValueError, match="no layer named conv7"):
        top_patches(model, spec, images, "conv7")
    with pytest.raises(ValueError, match="uint8"):
        top_patches(model, spec, images.astype(np.float32), "conv1")
    with pytest.raises(ValueError, match="do not fit"):
        top_patches(model, spec, np.zeros((2, 3, 28, 28), np.uint8), "conv1")
