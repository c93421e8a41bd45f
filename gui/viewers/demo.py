"""A manual look at the viewers outside the main window.

``python -m gui.viewers.demo draw`` trains seed000 for two epochs on the bundled MNIST sample
and opens the draw panel. ``python -m gui.viewers.demo maps [EPOCHS]`` trains seed000 in a
thread and shows the feature-map and kernel viewers side by side, a real test digit as input.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QVBoxLayout, QWidget

from engine.data.loading import load_dataset
from engine.data.transforms import normalize
from engine.model.presets import get_preset
from engine.training.events import NullReporter, TrainConfig
from engine.training.session import TrainingSession, state_to_numpy
from gui.i18n import translate
from gui.state import AppState
from gui.widgets import theme

__all__ = ["main"]


def _app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    theme.install(app)
    return app


def draw_demo() -> int:  # pragma: no cover - a manual look
    from gui.viewers.draw import DrawPanel

    app = _app()
    data = load_dataset("mnist-sample")
    state = AppState(get_preset("seed000").spec)
    state.set_dataset_info(data.info)
    session = TrainingSession(state.spec, data, TrainConfig(epochs=2, batch_size=64, lr=1e-3,
                                                            snapshot_interval_s=0, seed=0))
    print(f"trained: {session.run().status}", flush=True)
    state.set_weights(state_to_numpy(session.model))
    panel = DrawPanel(state)
    panel.set_dataset(data)
    panel.inputChanged.connect(lambda x: print("input", x.shape, flush=True))
    panel.setWindowTitle(translate("demo", "ConvScope · Draw"))
    panel.resize(760, 520)
    panel.show()
    return app.exec()


class _Bridge(QObject):
    snapshot = Signal(object)
    progress = Signal(str)


class _Reporter(NullReporter):
    def __init__(self, bridge: _Bridge):
        self.bridge = bridge

    def on_snapshot(self, snapshot: Any) -> None:
        self.bridge.snapshot.emit(snapshot)

    def on_epoch(self, stats: Any) -> None:
        self.bridge.progress.emit(f"epoch {stats.epoch}: test accuracy {stats.test_accuracy:.1%}")


def maps_demo(epochs: int = 2) -> int:  # pragma: no cover - a manual look
    from gui.viewers.feature_maps import FeatureMapViewer
    from gui.viewers.kernels import KernelViewer

    app = _app()
    spec = get_preset("seed000").spec
    state = AppState(spec)
    data = load_dataset("mnist-sample")
    state.set_dataset_info(data.info)
    window = QWidget()
    window.setWindowTitle(translate("demo", "ConvScope viewers — seed000 training on the MNIST sample"))
    fmv, kv = FeatureMapViewer(state), KernelViewer(state)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(fmv)
    splitter.addWidget(kv)
    splitter.setSizes([820, 600])
    status = QLabel()
    box = QVBoxLayout(window)
    box.addWidget(splitter, 1)
    box.addWidget(status)
    fmv.statusMessage.connect(status.setText)
    kv.statusMessage.connect(status.setText)
    fmv.set_input(normalize(data.test.images[:1], data.info).numpy())
    window.resize(1420, 860)
    window.show()

    def on_snapshot(snap: Any) -> None:
        state.set_weights(snap.state)
        if snap.keep:
            state.add_keyframe(snap)

    bridge = _Bridge()
    bridge.snapshot.connect(on_snapshot, Qt.ConnectionType.QueuedConnection)
    bridge.progress.connect(status.setText, Qt.ConnectionType.QueuedConnection)
    session = TrainingSession(spec, data, TrainConfig(epochs=epochs, threads=1, batch_size=64,
                                                      snapshot_interval_s=0.5))
    state.set_training(True)
    worker = threading.Thread(target=session.run, args=(_Reporter(bridge),), daemon=True)
    worker.start()
    code = app.exec()
    session.stop()
    worker.join(5)
    return code


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a manual look
    args = list(sys.argv[1:] if argv is None else argv)
    which = args.pop(0) if args else "maps"
    if which == "draw":
        return draw_demo()
    return maps_demo(int(args[0]) if args else 2)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
