"""engine.teach.walkthrough: one mode's steps (or the reason there are none) and the explainer's Lesson."""

from __future__ import annotations

import numpy as np
import pytest

from engine.teach.conv_reference import avg_pool2d, conv2d
from engine.teach.examples import (
    KERNEL_PRESETS,
    RGB_FILTER,
    RGB_IMAGE,
    SEED003_FILTER,
    SEED003_IMAGE,
    SEED003_POOL_INPUT,
    WORKED_EXAMPLES,
)
from engine.teach.walkthrough import (
    NO_AVERAGE_DILATION,
    Lesson,
    as_image_stack,
    downsample,
    resize_centered,
    walk,
)


def test_walk_conv_is_the_seed003_convolution():
    result = walk("conv", SEED003_IMAGE[None], SEED003_FILTER[None], 0, 3, 1, 0, 1)
    assert result.problems == () and result.out_shape == (4, 4) and result.window == (3, 3)
    expected = conv2d(SEED003_IMAGE[None, None], SEED003_FILTER[None, None])[0, 0]
    assert [s.total for s in result.steps] == expected.ravel().tolist()
    assert result.avg_steps == ()


def test_walk_conv_uses_the_chosen_channel_and_its_kernel_slice():
    result = walk("conv", RGB_IMAGE, RGB_FILTER, 1, 3, 1, 0, 1)
    expected = conv2d(RGB_IMAGE[None, 1:2], RGB_FILTER[None, 1:2])[0, 0]
    assert [s.total for s in result.steps] == expected.ravel().tolist()
    one_slice = walk("conv", RGB_IMAGE, SEED003_FILTER[None], 2, 3, 1, 0, 1)  # a 1-channel kernel serves every channel
    blue = conv2d(RGB_IMAGE[None, 2:3], SEED003_FILTER[None, None])[0, 0]
    assert [s.total for s in one_slice.steps] == blue.ravel().tolist()


def test_walk_multi_and_im2col_use_one_filter_over_all_channels():
    expected = conv2d(RGB_IMAGE[None], RGB_FILTER[None])[0, 0].ravel().tolist()
    for mode in ("multi", "im2col"):
        result = walk(mode, RGB_IMAGE, RGB_FILTER, 0, 3, 1, 0, 1)
        assert [s.total for s in result.steps] == expected
        assert len(result.steps[0].per_channel) == 3
    mismatch = walk("multi", RGB_IMAGE, SEED003_FILTER[None], 0, 3, 1, 0, 1)
    assert mismatch.steps == () and mismatch.out_shape == (0, 0)
    assert "1 channel(s) but the input has 3" in mismatch.problems[0]


def test_walk_pool_gives_max_steps_with_average_beside_them():
    result = walk("pool", SEED003_POOL_INPUT[None], np.ones((1, 2, 2)), 0, 2, 2, 0, 1)
    assert [s.total for s in result.steps] == [3, 12, 3, 4]
    assert [s.total for s in result.avg_steps] == [0, 3, 0, 1]
    assert result.window == (2, 2) and result.out_shape == (2, 2)
    # the pooling window is the kernel-size setting, not the kernel array's shape
    assert walk("pool", SEED003_POOL_INPUT[None], np.ones((1, 3, 3)), 0, 2, 2, 0, 1).window == (2, 2)


def test_walk_explains_instead_of_raising():
    dilated = walk("pool", SEED003_POOL_INPUT[None], np.ones((1, 2, 2)), 0, 2, 1, 0, 2)
    assert dilated.problems == (NO_AVERAGE_DILATION,) and dilated.steps == () and dilated.avg_steps == ()
    too_big = walk("conv", np.zeros((1, 3, 3)), np.zeros((1, 5, 5)), 0, 5, 1, 0, 1)
    assert "below 1" in too_big.problems[0] and too_big.out_shape == (0, 0) and too_big.window == (5, 5)
    with pytest.raises(KeyError):
        walk("deconv", SEED003_IMAGE[None], SEED003_FILTER[None], 0, 3, 1, 0, 1)


def test_as_image_stack_shapes_and_refusals():
    assert as_image_stack(np.ones((4, 5))).shape == (1, 4, 5)
    assert as_image_stack(np.ones((1, 1, 3, 4, 5))).shape == (3, 4, 5)
    assert as_image_stack([[1, 2], [3, 4]]).dtype == float
    with pytest.raises(ValueError, match="got shape"):
        as_image_stack(np.ones((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="got shape"):
        as_image_stack(np.ones((0, 3)))
    with pytest.raises(ValueError, match="the kernel contains NaN"):
        as_image_stack(np.array([[1.0, np.inf]]), "kernel")


def test_resize_centered_keeps_the_centre():
    grown = resize_centered(SEED003_FILTER[None], 5)
    assert grown.shape == (1, 5, 5)
    assert np.array_equal(grown[0, 1:4, 1:4], SEED003_FILTER) and grown.sum() == SEED003_FILTER.sum()
    shrunk = resize_centered(grown, 1)
    assert shrunk.tolist() == [[[1.0]]]


def test_downsample_averages_blocks_only_when_too_large():
    image = np.arange(28 * 28, dtype=float).reshape(1, 28, 28)
    small = downsample(image, 14)
    assert small.shape == (1, 14, 14)
    assert small[0, 0, 0] == image[0, :2, :2].mean()
    assert np.array_equal(small, avg_pool2d(image, 2, 2))
    assert np.array_equal(downsample(image[:, :10, :10], 14), image[:, :10, :10])


def test_lesson_edits_and_examples():
    lesson = Lesson(np.zeros((6, 6)), KERNEL_PRESETS["identity"])
    assert lesson.input.shape == (1, 6, 6) and lesson.kernel.shape == (1, 3, 3) and lesson.mode == "conv"
    lesson.load_example(WORKED_EXAMPLES["rgb"])
    assert lesson.mode == "multi" and lesson.input_title == "RGB image 3×4×4"
    assert np.array_equal(lesson.input, RGB_IMAGE) and lesson.shown_channels() == [0, 1, 2]
    lesson.kernel[0, 0, 0] = 99  # the lesson's kernel is a copy: the example stays as it is
    assert RGB_FILTER[0, 0, 0] == 1
    lesson.mode, lesson.channel = "conv", 2
    assert lesson.shown_channels() == [2]
    lesson.load_example(WORKED_EXAMPLES["seed003_conv"])  # the chosen channel stays (clamped when shown)
    assert lesson.channel == 2 and lesson.clamp_channel() == 0 and lesson.shown_channels() == [0]

    lesson.set_input_value(0, 0, 1, 5.0)
    assert lesson.input[0, 0, 1] == 5 and lesson.raw_input is lesson.input and SEED003_IMAGE[0, 1] == 0
    lesson.set_input(np.ones((2, 9, 9)), "maps")
    lesson.mode = "multi"
    assert lesson.shown_channels() == [0, 1]
    lesson.set_input(np.ones((6, 9, 9)), "maps")
    assert lesson.shown_channels() == [0, 1, 2, 3]  # at most four grids
    lesson.set_input(np.ones((28, 28)), "digit", downsample_to=14)
    assert lesson.raw_input.shape == (1, 28, 28) and lesson.input.shape == (1, 14, 14)
    lesson.downsample(None)
    assert lesson.input.shape == (1, 28, 28)


def test_lesson_kernel_edits_presets_and_sizes():
    lesson = Lesson(RGB_IMAGE, SEED003_FILTER)
    lesson.set_kernel_value(2, 1, 1, 7.0)  # a 1-channel kernel: channel 2's grid shows its only slice
    assert lesson.kernel[0, 1, 1] == 7
    lesson.set_kernel(RGB_FILTER, "rgb filter")
    lesson.channel = 1
    lesson.apply_preset("Sobel x", KERNEL_PRESETS["Sobel x"], 3)
    assert np.array_equal(lesson.kernel[1], KERNEL_PRESETS["Sobel x"])
    assert np.array_equal(lesson.kernel[0], RGB_FILTER[0]) and lesson.kernel_title == "Kernel: Sobel x"
    lesson.mode = "multi"
    lesson.apply_preset("Laplacian", KERNEL_PRESETS["Laplacian"], 5)
    assert lesson.kernel.shape == (3, 5, 5)
    assert all(np.array_equal(s[1:4, 1:4], KERNEL_PRESETS["Laplacian"]) for s in lesson.kernel)
    lesson.resize_kernel(3)
    assert lesson.walk(3, 1, 0, 1).out_shape == (2, 2)
