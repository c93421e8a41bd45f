"""engine.teach.conv_reference: im2col convolution and pooling against torch, and the seeds' worked examples."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.model.geometry import conv_output_size
from engine.teach import examples
from engine.teach.checks import CheckError, check, formula_text
from engine.teach.conv_reference import avg_pool2d, conv2d, max_pool2d
from engine.teach.im2col import col2im, im2col, im2col_shape
from engine.teach.steps import conv_steps, pool_steps

# The seed-003 notes' written products, verbatim (steps 1–4: output row 0; step 5: output (1, 0);
# "마지막 이동": output (3, 3)), each with the output position it belongs to.
SEED003_LINES = [
    ((0, 0), r"(1 \times 1) + (0 \times 0) + (0 \times 1) + (0 \times 0) + (1 \times 1) + (0 \times 0) + (0 \times 1) + (0 \times 0) + (1 \times 1) = 3"),
    ((0, 1), r"(0 \times 1) + (0 \times 0) + (0 \times 1) + (1 \times 0) + (0 \times 1) + (0 \times 0) + (0 \times 1) + (1 \times 0) + (1 \times 1) = 1"),
    ((0, 2), r"(0 \times 1) + (0 \times 0) + (0 \times 1) + (0 \times 0) + (0 \times 1) + (1 \times 0) + (1 \times 1) + (1 \times 0) + (0 \times 1) = 1"),
    ((0, 3), r"(0 \times 1) + (0 \times 0) + (1 \times 1) + (0 \times 0) + (1 \times 1) + (0 \times 0) + (1 \times 1) + (0 \times 0) + (0 \times 1) = 3"),
    ((1, 0), r"(0 \times 1) + (1 \times 0) + (0 \times 1) + (0 \times 0) + (0 \times 1) + (1 \times 0) + (1 \times 1) + (0 \times 0) + (0 \times 1) = 1"),
    ((3, 3), r"(0 \times 1) + (1 \times 0) + (0 \times 1) + (0 \times 0) + (1 \times 1) + (0 \times 0) + (0 \times 1) + (1 \times 0) + (0 \times 1) = 1"),
]


def _parse(line: str) -> tuple[list[float], list[float], float]:
    pairs = re.findall(r"\((-?\d+) \\times (-?\d+)\)", line)
    total = float(line.rsplit("=", 1)[1])
    return [float(a) for a, _ in pairs], [float(b) for _, b in pairs], total


def _torch(x):
    return torch.from_numpy(np.ascontiguousarray(x))


def test_conv2d_matches_torch_on_random_shapes():
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(220):
        n, c, f = rng.integers(1, 4), rng.integers(1, 5), rng.integers(1, 5)
        kh, kw = rng.integers(1, 5, size=2)
        s, p, d = (int(v) for v in rng.integers(1, 4, size=2)), (int(v) for v in rng.integers(0, 3, size=2)), \
            (int(v) for v in rng.integers(1, 3, size=2))
        s, p, d = tuple(s), tuple(p), tuple(d)
        h = int(rng.integers(max(1, d[0] * (kh - 1) + 1 - 2 * p[0]), 12))
        w = int(rng.integers(max(1, d[1] * (kw - 1) + 1 - 2 * p[1]), 12))
        x = rng.standard_normal((n, c, h, w))
        weight = rng.standard_normal((f, c, kh, kw))
        bias = rng.standard_normal(f) if rng.random() < 0.5 else None
        ours = conv2d(x, weight, bias, stride=s, padding=p, dilation=d)
        ref = F.conv2d(_torch(x), _torch(weight), None if bias is None else _torch(bias),
                       stride=s, padding=p, dilation=d).numpy()
        assert ours.shape == ref.shape
        worst = max(worst, float(np.abs(ours - ref).max()))
    assert worst <= 1e-5


def test_pooling_matches_torch_on_random_shapes():
    rng = np.random.default_rng(1)
    worst = 0.0
    for _ in range(220):
        n, c = rng.integers(1, 3), rng.integers(1, 4)
        k = tuple(int(v) for v in rng.integers(1, 5, size=2))
        s = tuple(int(v) for v in rng.integers(1, 4, size=2))
        p = tuple(int(rng.integers(0, kk // 2 + 1)) for kk in k)
        d = tuple(int(v) for v in rng.integers(1, 3, size=2))
        h = int(rng.integers(max(1, d[0] * (k[0] - 1) + 1 - 2 * p[0]), 12))
        w = int(rng.integers(max(1, d[1] * (k[1] - 1) + 1 - 2 * p[1]), 12))
        x = rng.standard_normal((n, c, h, w))
        ours_max = max_pool2d(x, k, s, p, d)
        ref_max = F.max_pool2d(_torch(x), k, s, p, d).numpy()
        assert ours_max.shape == ref_max.shape
        # a dilated window can lie entirely in the padding: both answer −inf there
        assert np.array_equal(np.isinf(ours_max), np.isinf(ref_max))
        finite = np.isfinite(ref_max)
        assert not np.isnan(ours_max).any()
        worst = max(worst, float(np.abs(ours_max[finite] - ref_max[finite]).max(initial=0.0)))
        hh = int(rng.integers(max(1, k[0] - 2 * p[0]), 12))
        ww = int(rng.integers(max(1, k[1] - 2 * p[1]), 12))
        y = rng.standard_normal((n, c, hh, ww))
        ours_avg = avg_pool2d(y, k, s, p)
        ref_avg = F.avg_pool2d(_torch(y), k, s, p).numpy()  # count_include_pad=True by default
        assert ours_avg.shape == ref_avg.shape
        worst = max(worst, float(np.abs(ours_avg - ref_avg).max()))
    assert worst <= 1e-5


def test_conv_steps_agree_with_the_matrix_product():
    rng = np.random.default_rng(2)
    for _ in range(30):
        c, k = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        s, p, d = int(rng.integers(1, 3)), int(rng.integers(0, 2)), int(rng.integers(1, 3))
        image = rng.standard_normal((c, 7, 6))
        kernel = rng.standard_normal((c, k, k))
        bias = float(rng.standard_normal())
        steps = conv_steps(image, kernel, s, p, d, bias=bias)
        out = conv2d(image[None], kernel[None], [bias], s, p, d)[0, 0]
        assert len(steps) == out.size
        for step in steps:
            assert step.total == pytest.approx(out[step.out_row, step.out_col])


def test_seed003_walkthrough():
    steps = conv_steps(examples.SEED003_IMAGE, examples.SEED003_FILTER)
    out = conv2d(examples.SEED003_IMAGE[None, None], examples.SEED003_FILTER[None, None])[0, 0]
    assert out.shape == (4, 4)
    assert conv_output_size(6, 3, 1, 0) == 4
    assert [s.total for s in steps[:4]] == [3, 1, 1, 3]
    assert list(out[0]) == [3, 1, 1, 3]
    assert steps[4].total == 1 and (steps[4].out_row, steps[4].out_col) == (1, 0)
    assert steps[-1].total == 1 and (steps[-1].out_row, steps[-1].out_col) == (3, 3)
    by_position = {(s.out_row, s.out_col): s for s in steps}
    for position, line in SEED003_LINES:
        window, weights, total = _parse(line)
        step = by_position[position]
        assert list(step.window[0].ravel()) == window, position
        assert list(step.kernel[0].ravel()) == weights, position
        assert list(step.products[0].ravel()) == [a * b for a, b in zip(window, weights)], position
        assert step.total == total, position
        assert step.text() == line.replace(r" \times ", "×").replace("$", ""), position
    # the last move's window is the vertical line 0,1,0 / 0,1,0 / 0,1,0
    assert steps[-1].window[0].tolist() == [[0, 1, 0]] * 3
    assert steps[-1].rows == (3, 4, 5) and steps[-1].cols == (3, 4, 5)


def test_seed003_pooling():
    assert max_pool2d(examples.SEED003_POOL_INPUT, 2, 2).ravel().tolist() == [3, 12, 3, 4]
    assert avg_pool2d(examples.SEED003_POOL_INPUT, 2, 2).ravel().tolist() == [0, 3, 0, 1]
    max_steps = pool_steps(examples.SEED003_POOL_INPUT, 2, 2, mode="max")
    avg_steps = pool_steps(examples.SEED003_POOL_INPUT, 2, 2, mode="avg")
    assert [s.total for s in max_steps] == [3, 12, 3, 4]
    assert [s.total for s in avg_steps] == [0, 3, 0, 1]
    # the real first window (the seed's max line misprints it as 3, -1, 3, -1)
    assert max_steps[0].window[0].ravel().tolist() == [3, -1, -3, 1]
    assert avg_steps[0].text() == "(3 + (−1) + (−3) + 1) / 4 = 0"
    assert max_steps[1].text() == "max(12, −1, 0, 1) = 12"
    assert [s.window[0].ravel().tolist() for s in max_steps[1:]] == [[12, -1, 0, 1], [2, -3, 3, -2], [0, 1, 4, -1]]


def test_seed004_im2col_shapes():
    x1 = np.random.default_rng(3).random((1, 3, 7, 7))
    x2 = np.random.default_rng(3).random((10, 3, 7, 7))
    assert im2col(x1, 5, 1, 0).shape == (9, 75)
    assert im2col(x2, 5, 1, 0).shape == (90, 75)
    assert im2col_shape((10, 3, 7, 7), 5) == (90, 75)
    assert examples.seed004_input().shape == examples.SEED004_INPUT_SHAPE
    # row 0 is the first window, channel-major then row-major
    assert np.array_equal(im2col(x1, 5)[0], x1[0, :, :5, :5].ravel())


def test_col2im_is_the_adjoint_of_im2col():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 6, 5))
    cols = rng.standard_normal(im2col(x, 3, 2, 1, 1).shape)
    lhs = float((im2col(x, 3, 2, 1, 1) * cols).sum())
    rhs = float((x * col2im(cols, x.shape, 3, 2, 1, 1)).sum())
    assert lhs == pytest.approx(rhs)
    counts = col2im(im2col(np.ones((1, 1, 4, 4)), 3), (1, 1, 4, 4), 3)
    assert counts[0, 0].tolist() == [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]


def test_rgb_one_filter_gives_one_channel_equal_to_sum_of_channels():
    weight = examples.RGB_FILTER[None]  # ONE filter with three channels, not three filters
    out = conv2d(examples.RGB_IMAGE[None], weight)
    assert out.shape == (1, 1, 2, 2)
    per_channel = [conv2d(examples.RGB_IMAGE[None, ch:ch + 1], examples.RGB_FILTER[None, ch:ch + 1])[0, 0] for ch in range(3)]
    assert np.allclose(out[0, 0], sum(per_channel))
    steps = conv_steps(examples.RGB_IMAGE, examples.RGB_FILTER)
    for step in steps:
        assert step.per_channel == tuple(p[step.out_row, step.out_col] for p in per_channel)
        assert step.total == sum(step.per_channel)
    ref = F.conv2d(_torch(examples.RGB_IMAGE[None]), _torch(weight)).numpy()
    assert np.allclose(out, ref)


def test_formula_text():
    assert formula_text(6, 3, 1, 0) == "floor((6 − 3 + 2·0) / 1) + 1 = 4"
    assert formula_text(28, 5, 2, 2) == "floor((28 − 5 + 2·2) / 2) + 1 = 14"
    assert conv_output_size(7, 3, 1, 0, 2) == 3
    assert "span 2·(3 − 1) + 1 = 5" in formula_text(7, 3, 1, 0, 2)


def test_invalid_combinations_are_explained():
    assert check((6, 6), 3) == []
    problems = check((3, 3), 5, 1, 0)
    assert problems and "below 1" in problems[0] and "5-cell kernel" in problems[0]
    assert "stride must be at least 1" in check((6, 6), 3, 0)[0]
    assert "more than half" in check((4, 4), 2, 2, 2, pooling=True)[0]
    assert "3 channel(s)" in check((4, 4), 3, in_channels=1, kernel_channels=3)[0]
    assert "negative" in check((4, 4), 3, 1, -1)[0]
    with pytest.raises(CheckError, match="below 1"):
        conv2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 5, 5)))
    with pytest.raises(CheckError, match="more than half"):
        max_pool2d(np.zeros((4, 4)), 2, 2, 2)
    with pytest.raises(CheckError, match="channel"):
        conv_steps(np.zeros((3, 4, 4)), np.zeros((3, 3)))


def test_engine_module_needs_no_torch_or_qt():
    import subprocess
    import sys

    modules = "engine.teach.conv_reference, engine.teach.steps, engine.teach.checks, engine.teach.walkthrough, engine.teach.examples"
    code = f"import sys, {modules}; print(sorted(m for m in ('torch', 'PySide6') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
