"""The draw pen's default width gives strokes as thick as MNIST's in the 28×28 input.

bench/stroke_width_bench.py measured it against the 10,000 MNIST test digits (stroke width w from
ink area = w · (skeleton length + w)): mean 2.66 px, interquartile range 2.16..3.05 px; pens of about
22..32 px draw inside that range (digits 60–80 % of the sheet tall) and 28 px matches the mean.
This test redraws the digits with the default pen on the real canvas and checks them against the
bundled MNIST sample's test digits."""

from __future__ import annotations

import numpy as np
import pytest

from bench.stroke_width_bench import drawn_widths, reference_digits, skeleton, stroke_widths

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_the_measure_gives_a_bars_width(width):
    bar = np.zeros((1, 28, 28), np.uint8)
    bar[0, 10:10 + width, 4:24] = 255
    assert stroke_widths(bar)[0] == pytest.approx(width, rel=0.2)


def test_the_skeleton_is_one_pixel_wide():
    disc = np.zeros((1, 28, 28), bool)
    yy, xx = np.mgrid[:28, :28]
    disc[0] = (np.hypot(yy - 14, xx - 14) <= 10) & (np.hypot(yy - 14, xx - 14) >= 7)  # a ring 4 px wide
    thin = skeleton(disc)[0]
    assert 0 < thin.sum() < disc.sum() / 2.5 and thin[14, 4:8].sum() == 1


def test_the_default_pen_draws_strokes_inside_mnists_band():
    from gui.viewers.canvas import DrawCanvas

    _, digits = reference_digits(None)
    reference = stroke_widths(digits)
    low, high = np.percentile(reference, [25, 75])
    assert 2.0 < reference.mean() < 3.5  # MNIST's strokes (the bench: 2.66 px on the full test set)
    default = DrawCanvas().pen_width
    drawn = np.mean(list(drawn_widths(default).values()))
    assert low <= drawn <= high, \
        f"pen {default} px draws {drawn:.2f} px strokes; MNIST's middle half: {low:.2f}..{high:.2f}"


def test_the_measure_tells_thin_pens_from_mnist():
    """A thin pen (the old default, 18 px) falls below MNIST's band, so the check above can fail."""
    _, digits = reference_digits(None)
    low = np.percentile(stroke_widths(digits), 25)
    assert np.mean(list(drawn_widths(18.0).values())) < low
