"""engine.inspect.canvas: drawings and photos made MNIST-like, other inputs resized, image files read."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.data.registry import DATASETS
from engine.inspect.canvas import ImageError, load_image_file, network_view, prepare_input, preprocess_digit

MEAN, STD = DATASETS["mnist"].mean[0], DATASETS["mnist"].std[0]


def slanted_one(dark_on_light: bool = True) -> np.ndarray:
    """A 300×90 page with a dark slanted bar near its right edge (an off-centre '1')."""
    paper, ink = (255, 20) if dark_on_light else (0, 235)
    img = np.full((90, 300), paper, np.uint8)
    for y in range(8, 84):
        x = 262 + int((y - 8) * 0.25)
        img[y, x : x + 7] = ink
    return img


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) centre of mass in continuous coordinates (pixel i covers [i, i + 1))."""
    w = image.astype(np.float64)
    rows = (w.sum(axis=1) * (np.arange(w.shape[0]) + 0.5)).sum() / w.sum()
    cols = (w.sum(axis=0) * (np.arange(w.shape[1]) + 0.5)).sum() / w.sum()
    return rows, cols


def ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(image)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_off_centre_digit_is_centred_by_mass_and_scaled_to_20_px():
    out = preprocess_digit(slanted_one(), MEAN, STD)
    assert not out.empty
    assert out.image28.shape == (28, 28) and out.image28.dtype == np.uint8
    assert out.input.shape == (1, 1, 28, 28) and out.input.dtype == np.float32
    row, col = centre_of_mass(out.image28)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1, (row, col)
    left, top, right, bottom = out.bbox
    assert max(right - left, bottom - top) == 20
    assert ink_box(out.image28) == out.bbox  # the box is where the ink really is
    assert bottom - top == 20 and right - left < 10  # tall and thin: the aspect is kept
    # white ink on black, strongest ink full white, and the input is (x/255 - mean)/std of it
    assert out.image28.max() == 255 and out.image28[0, 0] == 0
    np.testing.assert_allclose(out.input[0, 0], (out.image28 / 255.0 - MEAN) / STD, atol=1e-5)
    # the ink's box in the source image: near the right edge, all of the bar's rows
    sl, st, sr, sb = out.source_bbox
    assert (st, sb) == (8, 84) and sl == 262 and sr > 270


def test_polarity_does_not_matter():
    dark = preprocess_digit(slanted_one(dark_on_light=True), MEAN, STD)
    light = preprocess_digit(slanted_one(dark_on_light=False), MEAN, STD)
    np.testing.assert_array_equal(dark.image28, light.image28)
    np.testing.assert_array_equal(dark.input, light.input)


def test_float_rgb_and_rgba_inputs_match_gray():
    gray = slanted_one()
    rgb = np.repeat(gray[..., None], 3, axis=-1)
    rgba = np.concatenate([rgb, np.full_like(gray, 255)[..., None]], axis=-1)
    expected = preprocess_digit(gray, MEAN, STD).image28
    np.testing.assert_array_equal(preprocess_digit(rgb, MEAN, STD).image28, expected)
    np.testing.assert_array_equal(preprocess_digit(rgba, MEAN, STD).image28, expected)
    np.testing.assert_array_equal(preprocess_digit(gray.astype(np.float32) / 255.0, MEAN, STD).image28, expected)


def test_faint_noise_does_not_grow_the_box():
    rng = np.random.default_rng(0)
    clean = slanted_one()
    noisy = np.clip(clean.astype(int) - rng.integers(0, 12, clean.shape), 0, 255).astype(np.uint8)
    a, b = preprocess_digit(clean, MEAN, STD), preprocess_digit(noisy, MEAN, STD)
    assert b.source_bbox == a.source_bbox
    (al, at, ar, ab), (bl, bt, br, bb) = a.bbox, b.bbox
    assert (br - bl, bb - bt) == (ar - al, ab - at)  # same size (may sit a pixel apart)


@pytest.mark.parametrize("fill", [255, 0, 128])
def test_empty_canvas(fill):
    out = preprocess_digit(np.full((280, 280), fill, np.uint8), MEAN, STD)
    assert out.empty and out.bbox is None
    assert not out.image28.any()
    np.testing.assert_allclose(out.input, np.full((1, 1, 28, 28), -MEAN / STD, np.float32), atol=1e-6)


def test_own_mean_and_std():
    out = preprocess_digit(slanted_one(), mean=(0.5,), std=(0.25,))
    np.testing.assert_allclose(out.input[0, 0], (out.image28 / 255.0 - 0.5) / 0.25, atol=1e-5)


def test_prepare_input_shapes():
    digit = prepare_input(slanted_one(), (1, 28, 28), (MEAN,), (STD,))
    np.testing.assert_array_equal(digit, preprocess_digit(slanted_one(), MEAN, STD).input)

    rng = np.random.default_rng(1)
    photo = rng.integers(0, 256, (64, 48, 3), dtype=np.uint8)
    mean, std = DATASETS["cifar10"].mean, DATASETS["cifar10"].std
    x = prepare_input(photo, (3, 32, 32), mean, std)
    assert x.shape == (1, 3, 32, 32) and x.dtype == np.float32
    # a flat colour stays that colour per channel after the resize
    flat = np.zeros((50, 70, 3), np.uint8)
    flat[...] = (255, 0, 128)
    y = prepare_input(flat, (3, 32, 32), mean, std)
    for c, value in enumerate((255, 0, 128)):
        np.testing.assert_allclose(y[0, c], (value / 255.0 - mean[c]) / std[c], atol=1e-5)
    # a gray image for a 3-channel input, and a photo for a 1-channel non-28 input
    assert prepare_input(slanted_one(), (3, 32, 32), mean, std).shape == (1, 3, 32, 32)
    assert prepare_input(photo, (1, 32, 32), (0.5,), (0.5,)).shape == (1, 1, 32, 32)


def test_load_image_file(tmp_path):
    gray_path = tmp_path / "digit.png"
    Image.fromarray(slanted_one()).save(gray_path)
    gray = load_image_file(gray_path)
    assert gray.dtype == np.uint8 and gray.shape == (90, 300)
    np.testing.assert_array_equal(gray, slanted_one())

    rgb_path = tmp_path / "photo.jpg"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(rgb_path)
    rgb = load_image_file(rgb_path)
    assert rgb.shape == (30, 40, 3) and rgb.dtype == np.uint8

    rgba_path = tmp_path / "transparent.png"
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(rgba_path)
    assert (load_image_file(rgba_path) == 255).all()  # transparency is white paper


def test_unreadable_files_raise_image_error(tmp_path):
    good = tmp_path / "good.png"
    Image.fromarray(slanted_one()).save(good)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:100])
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"this is not an image at all" * 10)
    missing = tmp_path / "missing.png"
    for path in (truncated, garbage, missing):
        with pytest.raises(ImageError) as info:
            load_image_file(path)
        message = str(info.value)
        assert str(path) in message and "\n" not in message


def test_network_view_gives_input_picture_and_emptiness():
    x, seen, empty = network_view(slanted_one(), (1, 28, 28), MEAN, STD)
    reference = preprocess_digit(slanted_one(), MEAN, STD)
    np.testing.assert_array_equal(x, reference.input)
    np.testing.assert_array_equal(seen, reference.image28)
    assert not empty
    _, blank, empty = network_view(np.full((50, 50), 255, np.uint8), (1, 28, 28), MEAN, STD)
    assert empty and not blank.any()
    photo = np.zeros((40, 60, 3), np.uint8)
    photo[..., 1] = 200
    mean, std = DATASETS["cifar10"].mean, DATASETS["cifar10"].std
    x, seen, empty = network_view(photo, (3, 32, 32), mean, std)
    assert x.shape == (1, 3, 32, 32) and seen.shape == (32, 32, 3) and seen.dtype == np.uint8 and not empty
    np.testing.assert_allclose(x[0, 1], (200 / 255 - mean[1]) / std[1], atol=1e-5)
    with pytest.raises(ValueError, match="input_shape"):
        network_view(photo, (32, 32), mean, std)
