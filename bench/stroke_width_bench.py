#!/usr/bin/env python3
"""Pen width against MNIST: how thick the draw panel's strokes are in the network's 28×28 input.

Stroke width of a digit: the width ``w`` a stroke of its ink area (sum of intensities / 255) and
skeleton length (pixels of the Zhang–Suen thinning of the ink above half intensity) has, from
area = w · (length + w) (the skeleton stops about half a width short of each stroke end).
Measured for the MNIST test digits (``--mnist``, t10k-images-idx3-ubyte.gz; the bundled sample
without it) and for digits drawn on the real ``DrawCanvas`` (280 px, offscreen, mouse events) with
each pen width, then preprocessed as the app does. It prints MNIST's mean and quartiles, the drawn
width per pen width, the pen width whose drawn strokes match MNIST's mean (the default) and the
band of pen widths that stay inside MNIST's interquartile range. Below about 6 px the measure
breaks down: the strokes are fainter than half intensity in 28×28, so no skeleton is left.

``.venv/bin/python bench/stroke_width_bench.py --mnist ../shared/data/mnist`` (``--json`` for one object).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Digit heights drawn, as fractions of the sheet: a digit drawn to fill most of the square, as people do.
HEIGHTS = (0.6, 0.7, 0.8)
PEN_WIDTHS = tuple(range(4, 49, 2))  # the pen spin box's range


# --------------------------------------------------------------------------- measuring


def _neighbours(b: np.ndarray) -> list[np.ndarray]:
    """P2..P9 of every pixel of a batch (N, H, W) padded by one: N, NE, E, SE, S, SW, W, NW."""
    p = np.pad(b, ((0, 0), (1, 1), (1, 1)))
    h, w = b.shape[1:]
    at = lambda dy, dx: p[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]  # noqa: E731
    return [at(-1, 0), at(-1, 1), at(0, 1), at(1, 1), at(1, 0), at(1, -1), at(0, -1), at(-1, -1)]


def skeleton(mask: np.ndarray) -> np.ndarray:
    """Zhang–Suen thinning of a batch of boolean images (N, H, W), one pixel wide lines."""
    b = mask.astype(np.uint8).copy()
    while True:
        changed = False
        for first in (True, False):
            n = _neighbours(b)
            count = sum(n)
            ring = n + [n[0]]
            transitions = sum(((ring[i] == 0) & (ring[i + 1] == 1)).astype(np.uint8) for i in range(8))
            p2, p4, p6, p8 = n[0], n[2], n[4], n[6]
            if first:
                side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                side = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = (b == 1) & (count >= 2) & (count <= 6) & (transitions == 1) & side
            if remove.any():
                b[remove] = 0
                changed = True
        if not changed:
            return b.astype(bool)


def stroke_widths(images: np.ndarray) -> np.ndarray:
    """Each uint8 (N, 28, 28) digit's stroke width ``w`` in pixels, from ink area = w · (skeleton
    length + w): the thinned line stops about half a width short of each end of a stroke."""
    images = np.asarray(images, dtype=np.float32)
    area = images.sum(axis=(1, 2)) / 255.0
    length = skeleton(images >= 128.0).sum(axis=(1, 2)).astype(np.float32)
    return (np.sqrt(length * length + 4.0 * area) - length) / 2.0


def load_idx_images(path: Path) -> np.ndarray:
    """An idx3 image file (gzip or plain) as uint8 (N, H, W)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if int.from_bytes(data[:4], "big") != 2051:
        raise ValueError(f"{path} is not an idx3 image file")
    n, h, w = (int.from_bytes(data[4 * i:4 * i + 4], "big") for i in (1, 2, 3))
    return np.frombuffer(data, np.uint8, count=n * h * w, offset=16).reshape(n, h, w)


def reference_digits(mnist_dir: str | None) -> tuple[str, np.ndarray]:
    """MNIST's 10,000 test digits from ``mnist_dir``, or the bundled sample's 500 test digits."""
    if mnist_dir:
        path = Path(mnist_dir) / "t10k-images-idx3-ubyte.gz"
        return f"MNIST test set ({path})", load_idx_images(path)
    from engine.resources import resource_path

    with np.load(resource_path("mnist_sample.npz", must_exist=True)) as npz:
        return "bundled MNIST sample (test split)", npz["test_images"]


# --------------------------------------------------------------------------- drawing


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, steps: int = 40) -> list:
    """Points on an ellipse from angle ``start`` to ``end`` (degrees, 0 = right, 90 = down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, steps)]


#: Digits as strokes (polylines) in a unit box, x to the right and y down, about as MNIST writes them.
DIGITS: dict[str, list[list[tuple[float, float]]]] = {
    "0": [_arc(0.5, 0.5, 0.32, 0.5, -90, 270, 64)],
    "1": [[(0.38, 0.15), (0.55, 0.0), (0.55, 1.0)]],
    "2": [_arc(0.5, 0.28, 0.3, 0.28, 190, 390) + [(0.15, 1.0), (0.9, 1.0)]],
    "3": [_arc(0.48, 0.25, 0.3, 0.25, 200, 450) + _arc(0.48, 0.75, 0.34, 0.25, -90, 160)],
    "4": [[(0.62, 0.0), (0.1, 0.68), (0.9, 0.68)], [(0.66, 0.3), (0.66, 1.0)]],
    "7": [[(0.12, 0.0), (0.88, 0.0), (0.4, 1.0)]],
}


def draw_digit(canvas, strokes, height: float) -> None:
    """Draw ``strokes`` on ``canvas`` with mouse events, ``height`` of the sheet tall, centred."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    rect = canvas.paper_rect()
    side = rect.width()
    left, top = rect.x() + side * (1 - 0.7 * height) / 2, rect.y() + side * (1 - height) / 2

    def send(kind, x: float, y: float, buttons) -> None:
        pos = QPointF(left + x * 0.7 * height * side, top + y * height * side)
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, canvas.mapToGlobal(pos), button, buttons,
                                                   Qt.KeyboardModifier.NoModifier))

    held = Qt.MouseButton.LeftButton
    for stroke in strokes:
        dense = []  # a point every pixel or so, as a mouse reports them
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            n = max(1, int(math.hypot((x1 - x0) * 0.7, y1 - y0) * height * side / 2))
            dense += [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n)]
        dense.append(stroke[-1])
        send(QEvent.Type.MouseButtonPress, *dense[0], held)
        for x, y in dense[1:]:
            send(QEvent.Type.MouseMove, x, y, held)
        send(QEvent.Type.MouseButtonRelease, *dense[-1], Qt.MouseButton.NoButton)


def drawn_widths(pen_width: float, heights=HEIGHTS, digits=None) -> dict[tuple[str, float], float]:
    """Stroke width in the 28×28 input of each digit drawn with ``pen_width`` at each height."""
    from engine.inspect.canvas import preprocess_digit
    from gui.viewers.canvas import DrawCanvas

    canvas = DrawCanvas()
    canvas.resize(282, 282)  # a 280-px sheet: pen widths are pixels on it
    canvas.pen_width = float(pen_width)
    out = {}
    for name in digits or DIGITS:
        for height in heights:
            canvas.clear()
            draw_digit(canvas, DIGITS[name], height)
            image28 = preprocess_digit(canvas.gray_array(), 0.0, 1.0).image28
            out[(name, height)] = float(stroke_widths(image28[None])[0])
    canvas.deleteLater()
    return out


def default_pen_width() -> float:
    """The draw canvas's default pen width (pixels on a 280-px sheet)."""
    from gui.viewers.canvas import DrawCanvas

    canvas = DrawCanvas()
    try:
        return canvas.pen_width
    finally:
        canvas.deleteLater()


# --------------------------------------------------------------------------- report


def _crossing(xs: list[float], ys: list[float], target: float) -> float | None:
    """The x where the increasing curve (xs, ys) reaches ``target`` (linear interpolation)."""
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if y0 <= target <= y1 and y1 > y0:
            return x0 + (x1 - x0) * (target - y0) / (y1 - y0)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", help="folder with t10k-images-idx3-ubyte.gz (default: the bundled sample)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    started = time.perf_counter()
    source, digits = reference_digits(args.mnist)
    widths = stroke_widths(digits)
    measure_s = time.perf_counter() - started
    q25, median, q75 = (float(v) for v in np.percentile(widths, [25, 50, 75]))
    mean = float(widths.mean())
    drawn = {pen: float(np.mean(list(drawn_widths(pen).values()))) for pen in PEN_WIDTHS}
    pens, values = list(drawn), list(drawn.values())
    result = {
        "reference": source, "digits": len(digits), "measure_s": round(measure_s, 2),
        "mnist_mean": round(mean, 3), "mnist_std": round(float(widths.std()), 3),
        "mnist_q25": round(q25, 3), "mnist_median": round(median, 3), "mnist_q75": round(q75, 3),
        "drawn_by_pen": {str(p): round(v, 3) for p, v in drawn.items()},
        "pen_matching_mean": _crossing(pens, values, mean),
        "pen_band": [_crossing(pens, values, q25), _crossing(pens, values, q75)],
        "default_pen": default_pen_width(),
    }
    default = result["default_pen"]
    result["default_drawn"] = round(float(np.mean(list(drawn_widths(default).values()))), 3)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{source}: {len(digits)} digits measured in {measure_s:.2f} s")
    print(f"MNIST stroke width: mean {mean:.2f} px (std {widths.std():.2f}), quartiles {q25:.2f} / {median:.2f} / "
          f"{q75:.2f} px")
    print("pen px  drawn stroke width in the 28×28 input (mean over digits " + ", ".join(DIGITS) +
          f" at heights {', '.join(f'{h:.0%}' for h in HEIGHTS)})")
    for pen, value in drawn.items():
        print(f"{pen:6d}  {value:.2f}")
    match = result["pen_matching_mean"]
    band = result["pen_band"]
    print(f"pen width matching MNIST's mean: {match:.1f} px" if match else "no pen width matches MNIST's mean")
    print(f"pen widths inside MNIST's interquartile range: {band[0]:.1f} .. {band[1]:.1f} px"
          if None not in band else f"band: {band}")
    print(f"default pen {default:g} px draws {result['default_drawn']:.2f} px strokes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
