"""Start the desktop app: the window first, PyTorch in the background.

``main(argv)`` accepts an optional file to open (an architecture .json or a model file) and
``--scheme system|light|dark``. With ``CONVSCOPE_REPORT_STARTUP=1`` in the environment it prints
``convscope: first paint after N.NNN s`` and ``convscope: engine ready after N.NNN s`` on stdout.
Before Qt starts, ``display_problem`` checks that there is a display to open the window on; when
there is none the app exits 2 with one line saying so and what to use instead.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import sys
import time
from collections.abc import MutableMapping, Sequence
from typing import Any

_T0 = time.perf_counter()

#: Qt platforms that draw without a screen (tests, remote desktops, framebuffers).
SCREENLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"})
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
NO_DISPLAY_HELP = ("the command line works without one (python main.py --help, or convscope-cli --help when "
                   "installed); to run the app without a screen, as the tests do, set QT_QPA_PLATFORM=offscreen")


def _connects(family: int, address: str | tuple[str, int], timeout: float = 0.5) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError:
            return False
    return True


def x_server_answers(display: str, socket_dir: str = "/tmp/.X11-unix") -> bool:
    """Whether the X server of ``DISPLAY`` accepts a connection (its socket only, no X handshake)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    if host.startswith("/"):  # a socket path, as launchd gives on macOS
        return _connects(socket.AF_UNIX, display)
    if host in ("", "unix"):
        path = f"{socket_dir}/X{number}"
        return (os.path.exists(path) and _connects(socket.AF_UNIX, path)) or \
            (sys.platform.startswith("linux") and _connects(socket.AF_UNIX, "\0" + path))
    return _connects(socket.AF_INET, (host, 6000 + int(number)))


def _wayland_answers(env: MutableMapping[str, str]) -> bool:
    name = env.get("WAYLAND_DISPLAY", "")
    path = name if name.startswith("/") else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return bool(name) and os.path.exists(path) and _connects(socket.AF_UNIX, path)


def display_problem(env: MutableMapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """None when Qt can open a window, else one line saying why not and what to do instead.

    Only X11/Wayland systems are checked. A Wayland session gets ``QT_QPA_PLATFORM=wayland;xcb`` in
    ``env`` (Wayland, falling back to X) unless the platform was chosen already.
    """
    env = os.environ if env is None else env
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    first = chosen.split(";")[0].split(":")[0].strip().lower()
    if first in SCREENLESS_PLATFORMS:
        return None
    x_display = env.get("DISPLAY", "")
    if first in ("", "wayland") and _wayland_answers(env):
        if not chosen:
            env["QT_QPA_PLATFORM"] = "wayland;xcb"
        return None
    if x_display and x_server_answers(x_display):
        return None
    if x_display:
        why = f"the X server at DISPLAY={x_display} does not answer"
    elif env.get("WAYLAND_DISPLAY"):
        why = f"the Wayland compositor WAYLAND_DISPLAY={env['WAYLAND_DISPLAY']} does not answer and DISPLAY is not set"
    else:
        why = "neither DISPLAY nor WAYLAND_DISPLAY is set"
    return f"convscope: there is no display to open the window on ({why}); {NO_DISPLAY_HELP}"


def app_icon():
    """ConvScope's icon at every size rendered from its SVG, as a QIcon (the window manager and
    taskbar get all of them)."""
    from PySide6.QtGui import QIcon

    from engine.resources import resource_path

    icon = QIcon()
    for side in ICON_SIZES:
        icon.addFile(str(resource_path(f"icons/convscope-{side}.png")))
    return icon


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="convscope", description="ConvScope: build, train and inspect CNNs.")
    parser.add_argument("file", nargs="?", help="an architecture (.json) or model file to open")
    parser.add_argument("--scheme", choices=("system", "light", "dark"), help="colour scheme (default: as saved)")
    return parser.parse_args(list(argv))


def freeze_after_warm_up(window: Any, poll_ms: int = 250, delay_ms: int = 3000) -> None:
    """Import what a run's first optimizer imports (``torch._dynamo``, ~140k objects) in the background
    ``delay_ms`` after the engine is ready (an import thread holds the GIL, so starting at once made the
    window's first seconds sluggish), then freeze those objects too, at the first moment no run is in
    flight: otherwise the first full collection after the first run scans them all with the GIL held and
    the window stops for 0.2–0.4 s. A run started sooner warms up itself (once per process)."""
    from PySide6.QtCore import QTimer

    from engine.training.warmup import is_warm, start_warm_up

    timer = QTimer(window)

    def check() -> None:
        if is_warm() and not window.training.controller.running:
            timer.stop()
            gc.collect()
            gc.freeze()

    def begin() -> None:
        start_warm_up()
        timer.start(poll_ms)

    timer.timeout.connect(check)
    QTimer.singleShot(delay_ms, window, begin)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    report = os.environ.get("CONVSCOPE_REPORT_STARTUP") == "1"
    if "PySide6.QtWidgets" not in sys.modules or sys.modules["PySide6.QtWidgets"].QApplication.instance() is None:
        problem = display_problem()
        if problem is not None:
            print(problem, file=sys.stderr)
            return 2

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("ConvScope")
    app.setApplicationName("ConvScope")
    app.setDesktopFileName("convscope")  # the launcher's name: Wayland matches the window to its icon by it
    app.setWindowIcon(app_icon())  # every window and dialog, and the taskbar

    from gui import i18n

    settings = QSettings("ConvScope", "ConvScope")
    language = i18n.install(app, settings)  # before any window: every tr() below sees it
    if language.message:
        print(f"convscope: {language.message}", file=sys.stderr)

    from gui.document import is_model_path
    from gui.main_window import MainWindow
    from gui.training.worker import EngineLoader
    from gui.welcome import welcome_wanted
    from gui.widgets import theme

    th = theme.install(app)
    scheme = args.scheme or str(settings.value("scheme", "system"))
    if scheme != "system":
        th.set_scheme(scheme)

    window = MainWindow(settings=settings)
    window.restore_layout()
    if language.message:
        window.statusBar().showMessage(language.message, 15000)
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
    if welcome_wanted(settings):  # the first-run welcome, until "Don't show this again"
        QTimer.singleShot(0, window.show_welcome)

    def engine_ready(device: tuple[str, str]) -> None:
        window.engine_loaded(device)
        # Everything imported so far lives as long as the app: keep it out of the cyclic GC, whose
        # full collections (triggered from the training thread too) otherwise hold the GIL for
        # 100–190 ms and freeze the GUI; with this they take about a third of that.
        gc.collect()
        gc.freeze()
        freeze_after_warm_up(window)
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
    leave_now(rc, window.settings)
    return rc  # pragma: no cover - leave_now does not return


def leave_now(rc: int, settings) -> None:
    """Exit at once, skipping Python's teardown of torch, pyqtgraph and Qt (≈0.4 s of a process that
    lingers after its window closed; bench/gui_bench.py). Safe because by now the window has saved
    its settings, the training thread was stopped and waited for (or, if a long step still holds
    it, tearing it down would hang or crash), and model files are written synchronously: what is
    left is flushed here: settings, background tasks, logs and stdio."""
    import logging

    from PySide6.QtCore import QThreadPool

    settings.sync()
    QThreadPool.globalInstance().waitForDone(1000)  # background tasks were cancelled at close
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
