"""Make docs/layer-stats-*.png: short training runs on the bundled MNIST sample, each shown in the
*Layers over time* view (offscreen), sampled more densely than in the app (a 30% time budget instead
of 2%). Takes a few minutes.

    .venv/bin/python docs/layer-stats-shots.py [--epochs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine.data.loading import load_dataset  # noqa: E402
from engine.model.spec import NetworkSpec  # noqa: E402
from engine.training import stats_probe  # noqa: E402
from engine.training.events import TrainConfig  # noqa: E402
from engine.training.session import TrainingSession  # noqa: E402

# Denser samples than the app's 2% budget, so that two short epochs on 4,500 digits show curves.
stats_probe.BUDGET = 0.3


def spec(name: str, layers: list[dict]) -> NetworkSpec:
    return NetworkSpec.from_dict({"name": name, "input": [1, 28, 28], "num_classes": 10, "layers": layers})


def conv_stack(batchnorm: bool) -> list[dict]:
    layers: list[dict] = []
    for channels in (16, 16, 32, 32):
        layers.append({"type": "conv2d", "out_channels": channels, "kernel_size": 3, "padding": 1})
        if batchnorm:
            layers.append({"type": "batchnorm2d"})
        layers.append({"type": "relu"})
        if channels == 32 and not any(layer.get("kernel_size") == 2 for layer in layers):
            layers.append({"type": "maxpool2d", "kernel_size": 2})
    return layers + [{"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"},
                     {"type": "linear", "out_features": 10}]


SIGMOID = [{"type": "flatten"}] + [layer for _ in range(8) for layer in
                                   ({"type": "linear", "out_features": 64}, {"type": "sigmoid"})] + \
          [{"type": "linear", "out_features": 10}]
SEED000 = [{"type": "conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1}, {"type": "relu"},
           {"type": "maxpool2d", "kernel_size": 2},
           {"type": "conv2d", "out_channels": 64, "kernel_size": 3, "padding": 1}, {"type": "relu"},
           {"type": "maxpool2d", "kernel_size": 2}, {"type": "flatten"}, {"type": "linear", "out_features": 10}]

CASES = {  # file suffix → (spec, settings, quantity shown, histogram kind, layer)
    "sigmoid": (spec("sigmoid-stack", SIGMOID), {"optimizer": "sgd", "lr": 0.05}, "grad_norm", "grads", "fc1"),
    "high-lr": (spec("seed000", SEED000), {"optimizer": "sgd", "lr": 1.5, "momentum": 0.9}, "update_ratio",
                "acts", "relu2"),
    "no-batchnorm": (spec("conv-stack", conv_stack(False)), {"optimizer": "sgd", "lr": 0.02}, "act_std", "acts",
                     "conv4"),
    "batchnorm": (spec("conv-stack-bn", conv_stack(True)), {"optimizer": "sgd", "lr": 0.02}, "act_std", "acts",
                  "bn4"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--only", choices=tuple(CASES))
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from gui.state import AppState
    from gui.viewers.layers import LayersView
    from gui.widgets import theme

    app = QApplication.instance() or QApplication([])
    theme.install(app)
    data = load_dataset("mnist-sample")
    for suffix, (network, settings, quantity, kind, layer) in CASES.items():
        if args.only and suffix != args.only:
            continue
        session = TrainingSession(network, data, TrainConfig(epochs=args.epochs, batch_size=64,
                                                             snapshot_interval_s=0, **settings))
        info = session.run()
        view = LayersView(AppState(network))
        view.resize(1100, 820)
        view.show()
        view.set_history(session.layer_history, f"{network.name}, {info.status}, "
                                                f"test accuracy {(info.test_accuracy or 0):.1%}")
        view.quantity.setCurrentIndex(view.quantity.findData(quantity))
        view.kind.setCurrentIndex(view.kind.findData(kind))
        view.flush()
        view.set_layer(layer)
        view.flush()
        app.processEvents()
        out = ROOT / "docs" / f"layer-stats-{suffix}.png"
        view.grab().save(str(out))
        print(f"{out.name}: {info.status}, {len(session.layer_history)} samples, "
              f"warnings: {view.warnings.messages()}")
        view.close()


if __name__ == "__main__":
    main()
