"""The explainer on its own, for screenshots: ``python -m gui.explain.panel [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np
from PySide6.QtWidgets import QApplication

from engine.teach.examples import EXAMPLES, KERNEL_PRESETS
from engine.teach.walkthrough import MODES
from gui.explain.language import MODES as LANGUAGES
from gui.explain.language import pair, set_mode
from gui.explain.panel import ExplainPanel
from gui.explain.topics import TOPICS

__all__ = ["main"]


def synthetic_digit() -> np.ndarray:
    """A 28×28 ring, 0…1: a drawn "0" without the drawing."""
    yy, xx = np.mgrid[0:28, 0:28]
    return np.exp(-((np.hypot(yy - 14, xx - 14) - 8) ** 2) / 6.0)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the panel on its own, on an example, mode and step chosen on the command line."""
    parser = argparse.ArgumentParser(description="Explain panel: convolution, pooling and im2col worked out "
                                                 "step by step, as the seed notes do.")
    parser.add_argument("--mode", choices=MODES, default=None)
    parser.add_argument("--example", choices=sorted(EXAMPLES), default="seed003_conv")
    parser.add_argument("--steps", type=int, default=0, help="steps to take at start")
    parser.add_argument("--digit", action="store_true", help="show a 28×28 synthetic digit as input")
    parser.add_argument("--kernel-size", type=int, default=None)
    parser.add_argument("--padding", type=int, default=None)
    parser.add_argument("--topic", choices=TOPICS, default="steps", help="open on this topic (errata, dropout, …)")
    parser.add_argument("--scheme", choices=("system", "light", "dark"), default="system")
    parser.add_argument("--language", choices=LANGUAGES, default=None,
                        help="both side by side, English or Korean (default: both; Korean on a Korean system)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from gui.widgets import theme

        theme.install(app).set_scheme(args.scheme)
    except Exception:  # the panel works without the app theme
        pass
    set_mode(args.language)
    panel = ExplainPanel()
    panel.setWindowTitle("ConvScope — " + pair("explain convolution", "합성곱 설명"))
    panel.load_example(args.example)
    if args.digit:
        panel.set_input_array(synthetic_digit(), "28×28 digit (synthetic 0)")
        panel.set_kernel_array(KERNEL_PRESETS["Sobel x"], "Sobel x")
    if args.mode:
        panel.set_mode(args.mode)
    if args.kernel_size is not None or args.padding is not None:
        panel.set_parameters(kernel_size=args.kernel_size, padding=args.padding)
    for _ in range(args.steps):
        panel.step()
    panel.show_topic(args.topic)
    panel.resize(1360, 860)
    panel.show()
    panel.activateWindow()
    panel.setFocus()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
