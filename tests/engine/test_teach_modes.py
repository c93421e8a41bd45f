"""engine.teach.concepts / network_concepts / gaps: every number against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.model.build import build_model
from engine.model.presets import PRESETS
from engine.model.shapes import analyze
from engine.teach import concepts
from engine.teach.examples import RGB_IMAGE, SEED003_IMAGE
from engine.teach.gaps import SEED003_UNKNOWN, dependent_outputs
from engine.teach.network_concepts import batchnorm_maps, coverage, dnn_vs_cnn, im2col_memory


def _t(array) -> torch.Tensor:
    return torch.tensor(np.asarray(array, dtype=np.float64))


@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 1), (2, 0)])
def test_1d_convolution_is_torch_s_conv1d(stride, padding):
    result = concepts.conv1d(concepts.SEED003_SIGNAL, concepts.SEED003_SMOOTHING, stride, padding)
    signal, smoothing = _t(concepts.SEED003_SIGNAL)[None, None], _t(concepts.SEED003_SMOOTHING)[None, None]
    ref = F.conv1d(signal, smoothing, stride=stride, padding=padding)
    np.testing.assert_allclose(result.output, ref[0, 0].numpy())
    assert len(result.lines) == result.output.size


def test_1d_convolution_gives_the_note_s_numbers_and_does_not_flip():
    result = concepts.conv1d(concepts.SEED003_SIGNAL, concepts.SEED003_SMOOTHING)
    np.testing.assert_array_equal(result.output, concepts.SEED003_SIGNAL_OUTPUT)
    assert result.lines[0] == "(1×0.25) + (1×0.5) + (1×0.25) = 1"
    x, k = np.array([1.0, 2.0, 4.0, 8.0]), np.array([1.0, 0.0, -1.0])
    ref = F.conv1d(_t(x)[None, None], _t(k)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(concepts.conv1d(x, k).output, ref)
    with pytest.raises(ValueError):
        concepts.conv1d([1.0, 2.0], [1.0, 1.0, 1.0])


def test_1x1_convolution_is_torch_s_conv2d_with_a_1x1_kernel():
    weights, bias = concepts.MIXING_WEIGHTS, concepts.MIXING_BIAS + [0.5, -1.0]
    result = concepts.conv1x1(RGB_IMAGE, weights, bias)
    ref = F.conv2d(_t(RGB_IMAGE)[None], _t(weights)[:, :, None, None], _t(bias))
    np.testing.assert_allclose(result.output, ref[0].numpy())
    assert result.output.shape == (2, 4, 4) and result.params == 2 * 3 + 2
    layer = torch.nn.Conv2d(3, 2, 1)
    assert sum(p.numel() for p in layer.parameters()) == result.params
    assert result.pixel_line.endswith(f"+ 0.5 = {round(0.299 + 0.114 + 0.5, 3)}")
    with pytest.raises(ValueError):
        concepts.conv1x1(RGB_IMAGE, np.ones((2, 2)))
    direct, reduced = concepts.bottleneck_macs()
    assert direct == 28 * 28 * 9 * 256 * 256 and reduced < direct / 3


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 0.7])
def test_dropout_scales_the_kept_values_as_torch_does_and_keeps_the_expected_value(p):
    values = np.arange(1.0, 9.0)
    demo = concepts.dropout_demo(values, p, seed=3)
    np.testing.assert_allclose(demo.output[demo.mask], values[demo.mask] / (1 - p))
    assert (demo.output[~demo.mask] == 0).all()
    drop = torch.nn.Dropout(p).train()
    out = drop(_t(values).repeat(200, 1))
    kept = out != 0
    np.testing.assert_allclose(out[kept].numpy(), _t(values).repeat(200, 1)[kept].numpy() * demo.scale)
    assert demo.mean_many == pytest.approx(demo.mean_in, rel=0.05)
    assert demo.unscaled_many == pytest.approx((1 - p) * demo.mean_in, rel=0.05)
    assert drop.eval()(_t(values)).numpy().tolist() == values.tolist()  # evaluation: nothing changes


def test_resampling_draws_a_different_mask():
    masks = {tuple(concepts.dropout_demo(np.ones(8), 0.5, seed).mask) for seed in range(6)}
    assert len(masks) > 1
    with pytest.raises(ValueError):
        concepts.dropout_demo(np.ones(3), 1.0)


@pytest.mark.parametrize("dx, dy", [(1, 0), (-1, 0), (0, 1), (2, -1)])
def test_the_shift_is_pooled_as_torch_pools(dx, dy):
    image = concepts.shift_example()
    result = concepts.shift_robustness(image, 2, dx, dy)
    np.testing.assert_array_equal(result.shifted, np.roll(np.pad(image, 2), (dy, dx), axis=(0, 1))[2:-2, 2:-2])
    ref = F.max_pool2d(_t(result.shifted)[None, None], 2)[0, 0].numpy()
    np.testing.assert_array_equal(result.pooled_shifted, ref)
    np.testing.assert_array_equal(result.pooled, F.max_pool2d(_t(image)[None, None], 2)[0, 0].numpy())


def test_pooling_changes_less_than_the_pixels_under_a_one_pixel_shift():
    result = concepts.shift_robustness(concepts.shift_example(), 2, 1)
    assert 0 < result.pooled_changed < result.pixels_changed


@pytest.mark.parametrize("name", ["seed000", "seed003", "cifar-vgg-small"])
def test_batchnorm_maps_match_torch_s_batch_norm_with_mean_0_and_std_1(name):
    spec = PRESETS[name].spec
    torch.manual_seed(0)
    model = build_model(spec).eval()
    x = torch.rand((2,) + tuple(spec.input)).numpy()
    maps = batchnorm_maps(model, x, spec.names)
    layers = list(model.children())
    stop = next((i for i, m in enumerate(layers) if isinstance(m, torch.nn.BatchNorm2d)), 1)
    with torch.no_grad():
        before = torch.nn.Sequential(*layers[:stop])(torch.as_tensor(x)).double()
        ref = F.batch_norm(before, None, None, training=True, eps=1e-5)
    c = before.shape[1]
    np.testing.assert_allclose(maps.after, ref.transpose(0, 1).reshape(c, -1).numpy(), atol=1e-9)
    np.testing.assert_allclose(maps.mean_after, 0, atol=1e-9)
    np.testing.assert_allclose(maps.std_after[maps.std_before > 1e-3], 1, atol=1e-3)
    assert maps.layer == spec.names[stop - 1]


def test_batchnorm_maps_need_a_conv_layer():
    from engine.model.spec import NetworkSpec

    spec = NetworkSpec.from_dict({"name": "dense", "input": [1, 4, 4], "num_classes": 10,
                                  "layers": [{"type": "flatten"}, {"type": "linear", "out_features": 10}]})
    assert batchnorm_maps(build_model(spec), np.zeros((1, 1, 4, 4)), spec.names) is None
    assert dnn_vs_cnn(spec) is None and im2col_memory(spec) == []


@pytest.mark.parametrize("name", ["seed000", "seed001", "cifar-vgg-small"])
def test_dnn_vs_cnn_counts_are_torch_s(name):
    spec = PRESETS[name].spec
    comparison = dnn_vs_cnn(spec)
    c, h, w = spec.input
    model = build_model(spec)
    conv = next(m for m in model.children() if isinstance(m, torch.nn.Conv2d))
    assert comparison.conv_params == sum(p.numel() for p in conv.parameters())
    units = int(np.prod(comparison.conv_out))
    assert comparison.dense_params == c * h * w * units + units  # nn.Linear(c·h·w, units)
    assert comparison.stack_params + comparison.head_params == sum(p.numel() for p in model.parameters())
    assert comparison.flat == c * h * w and comparison.neighbour_gap == w


@pytest.mark.parametrize("name", ["seed000", "seed001", "seed003", "cifar-vgg-small"])
def test_im2col_memory_is_the_size_of_torch_s_unfold(name):
    spec = PRESETS[name].spec
    rows = im2col_memory(spec)
    convs = [layer for layer in analyze(spec).layers if layer.type == "conv2d"]
    modules = [m for m in build_model(spec).children() if isinstance(m, torch.nn.Conv2d)]
    assert [row.layer for row in rows] == [layer.name for layer in convs]
    for row, module in zip(rows, modules):
        unfolded = F.unfold(torch.zeros((1,) + row.input_shape), module.kernel_size, padding=module.padding,
                            stride=module.stride)
        assert row.matrix == (unfolded.shape[2], unfolded.shape[1])
        assert row.matrix_bytes == unfolded.numel() * 4 and row.input_bytes == int(np.prod(row.input_shape)) * 4


def test_col2im_coverage_is_torch_s_fold_of_unfold():
    for shape, k, s, p in (((6, 6), 3, 1, 0), ((7, 5), 3, 2, 1), ((4, 4), 2, 2, 0)):
        ones = torch.ones((1, 1) + shape)
        ref = F.fold(F.unfold(ones, k, padding=p, stride=s), shape, k, padding=p, stride=s)[0, 0]
        np.testing.assert_array_equal(coverage(shape, k, s, p), ref.numpy())
    assert coverage((6, 6), 3).sum() == 16 * 9


@pytest.mark.parametrize("kernel, stride, padding, dilation", [(3, 1, 0, 1), (3, 2, 1, 1), (2, 1, 0, 2), (5, 1, 2, 1)])
def test_the_gap_s_dependent_outputs_are_the_outputs_that_change_with_the_unknown_cells(kernel, stride, padding,
                                                                                       dilation):
    dependent = dependent_outputs(SEED003_UNKNOWN, kernel, stride, padding, dilation)
    ones = torch.ones(1, 1, kernel, kernel, dtype=torch.float64)
    known = _t(SEED003_IMAGE)[None, None]
    changed = known.clone()
    changed[0, 0][torch.as_tensor(SEED003_UNKNOWN)] = 7.0
    a = F.conv2d(known, ones, stride=stride, padding=padding, dilation=dilation)[0, 0]
    b = F.conv2d(changed, ones, stride=stride, padding=padding, dilation=dilation)[0, 0]
    np.testing.assert_array_equal(dependent, (a != b).numpy())
    assert dependent.any() and not dependent.all()


def test_the_6x6_example_s_gaps_are_rows_4_and_5_columns_0_to_2():
    assert SEED003_UNKNOWN.sum() == 6 and SEED003_UNKNOWN[4:, :3].all()
    assert (SEED003_IMAGE[SEED003_UNKNOWN] == 0).all()
    expected = np.zeros((4, 4), dtype=bool)
    expected[2:, :3] = True
    np.testing.assert_array_equal(dependent_outputs(SEED003_UNKNOWN, 3), expected)
