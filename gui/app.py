"""Start the desktop app: the window first, PyTorch in the background.

``main(argv)`` accepts an optional file to open (an architecture .json or a model file) and
``--scheme system|light|dark``. With ``CONVSCOPE_REPORT_STARTUP=1`` in the environment it prints
``convscope: first paint after N.NNN s`` and ``convscope: engine ready after N.NNN s`` on stdout.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence

_T0 = time.perf_counter()


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="convscope", description="ConvScope: build, train and inspect CNNs.")
    parser.add_argument("file", nargs="?", help="an architecture (.json) or model file to open")
    parser.add_argument("--scheme", choices=("system", "light", "dark"), help="colour scheme (default: as saved)")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    report = os.environ.get("CONVSCOPE_REPORT_STARTUP") == "1"

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("ConvScope")
    app.setApplicationName("ConvScope")

    from gui.document import is_model_path
    from gui.main_window import MainWindow
    from gui.training.worker import EngineLoader
    from gui.widgets import theme

    th = theme.install(app)
    settings = QSettings("ConvScope", "ConvScope")
    scheme = args.scheme or str(settings.value("scheme", "system"))
    if scheme != "system":
        th.set_scheme(scheme)

    window = MainWindow(settings=settings)
    window.restore_layout()
    if scheme in window.menus.scheme_actions:
        window.menus.scheme_actions[scheme].setChecked(True)

    loader = EngineLoader(window)
    # An architecture opens at once; a model file needs torch, so it waits for the engine.
    pending_model = args.file if args.file and is_model_path(args.file) else None

    def painted(at: float) -> None:
        if report:
            print(f"convscope: first paint after {at - _T0:.3f} s", flush=True)
        # After the first paint: the plots (pyqtgraph), then torch in the background.
        QTimer.singleShot(0, after_paint)

    def after_paint() -> None:
        window.plots.ensure_built()
        if report:
            print(f"convscope: plots ready after {time.perf_counter() - _T0:.3f} s", flush=True)
        loader.start()

    window.firstPainted.connect(painted)
    window.show()

    def engine_ready(device: tuple[str, str]) -> None:
        window.engine_loaded(device)
        # Everything imported so far lives as long as the app: keep it out of the cyclic GC, whose
        # full collections (triggered from the training thread too) otherwise hold the GIL for
        # 100–190 ms and freeze the GUI; with this they take about a third of that.
        gc.collect()
        gc.freeze()
        if report:
            print(f"convscope: engine ready after {time.perf_counter() - _T0:.3f} s "
                  f"(import {loader.seconds:.2f} s)", flush=True)
        if pending_model is not None:
            window.open_path(pending_model)

    loader.ready.connect(engine_ready)
    loader.failed.connect(window.engine_failed)
    if args.file and pending_model is None:
        window.open_path(args.file)

    rc = app.exec()
    if window.unfinished_thread:
        # The run was told to stop but a long step (data loading, evaluation) still holds the
        # thread; leave now rather than hang or crash tearing it down.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    return rc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
