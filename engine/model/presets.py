"""Reference networks from the seed notes, plus LeNet-5 and a small VGG for CIFAR-10."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.model.spec import NetworkSpec

__all__ = ["Preset", "PRESETS", "get_preset", "preset_names"]


@dataclass(frozen=True)
class Preset:
    """A named network with where it comes from and how its source trained it."""

    name: str
    description: str
    source: str
    dataset: str
    spec: NetworkSpec
    training: dict[str, Any] = field(default_factory=dict)
    reported_accuracy: float | None = None
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "dataset": self.dataset,
            "training": dict(self.training),
            "reported_accuracy": self.reported_accuracy,
            "notes": self.notes,
            "spec": self.spec.to_dict(),
        }


def _conv(out: int, k: int, padding: int = 0, stride: int = 1) -> dict[str, Any]:
    return {"type": "conv2d", "out_channels": out, "kernel_size": k, "stride": stride, "padding": padding}


def _pool(k: int = 2, kind: str = "maxpool2d") -> dict[str, Any]:
    return {"type": kind, "kernel_size": k, "stride": k}


RELU = {"type": "relu"}
FLAT = {"type": "flatten"}


def _fc(out: int) -> dict[str, Any]:
    return {"type": "linear", "out_features": out}


def _spec(name: str, layers: list[dict[str, Any]], shape: tuple[int, int, int] = (1, 28, 28)) -> NetworkSpec:
    return NetworkSpec.from_dict({"name": name, "input": list(shape), "num_classes": 10, "layers": layers})


_ALL = [
    Preset(
        name="seed000",
        description="Two 3×3 conv blocks (32, 64 filters) and one linear layer: the classic MNIST CNN",
        source="seed 000 (합성곱과 풀링): CNN with layer1/layer2 and fc 7·7·64 → 10",
        dataset="mnist",
        spec=_spec("seed000", [_conv(32, 3, 1), RELU, _pool(), _conv(64, 3, 1), RELU, _pool(), FLAT, _fc(10)]),
        training={"optimizer": "adam", "lr": 1e-3, "batch_size": 100, "epochs": 15},
        reported_accuracy=0.9848,
        notes="The seed initialises fc with xavier_uniform_ and tests on raw 0–255 pixels.",
    ),
    Preset(
        name="seed001",
        description="LeNet-like: two 5×5 convs (10, 20) with pool before ReLU, then 320 → 50 → 10 with dropout",
        source="seed 001 (펭귄브로의 3분 딥러닝, 7장): CNN for Fashion-MNIST",
        dataset="fashion-mnist",
        spec=_spec("seed001", [_conv(10, 5), _pool(), RELU, _conv(20, 5), _pool(), RELU, FLAT,
                               _fc(50), RELU, {"type": "dropout", "p": 0.5}, _fc(10)]),
        training={"optimizer": "sgd", "lr": 0.01, "momentum": 0.5, "batch_size": 64, "epochs": 40},
        reported_accuracy=0.8965,
        notes="The seed's nn.Dropout2d acts on the flat 50 features, which is plain dropout.",
    ),
    Preset(
        name="seed002",
        description="Two 3×3 convs at full resolution, one pool, then 12,544 → 128 → 10",
        source="seed 002 (MnistCNN): Fashion-MNIST CNN",
        dataset="fashion-mnist",
        spec=_spec("seed002", [_conv(32, 3, 1), RELU, _conv(64, 3, 1), RELU, _pool(), FLAT,
                               _fc(128), RELU, _fc(10)]),
        training={"optimizer": "adam", "lr": 1e-3, "batch_size": 64, "epochs": 5},
        reported_accuracy=0.9114,
    ),
    Preset(
        name="seed003",
        description="Conv + BatchNorm + ReLU + pool twice, then 2,304 → 600 → 120 → 10 with dropout",
        source="seed 003 (합성곱 신경망 I, 5.2): FashionCNN",
        dataset="fashion-mnist",
        spec=_spec("seed003", [_conv(32, 3, 1), {"type": "batchnorm2d"}, RELU, _pool(),
                               _conv(64, 3), {"type": "batchnorm2d"}, RELU, _pool(), FLAT,
                               _fc(600), {"type": "dropout", "p": 0.25}, _fc(120), _fc(10)]),
        training={"optimizer": "adam", "lr": 1e-3, "batch_size": 100, "epochs": 5},
        reported_accuracy=None,
        notes="The seed reports no accuracy; its text gives Adam with lr 0.001 and batch 100.",
    ),
    Preset(
        name="seed004",
        description="SimpleConvNet: one 5×5 conv with 30 filters, pool, then 4,320 → 100 → 10",
        source="seed 004 (밑바닥부터 시작하는 딥러닝, 7.5): SimpleConvNet",
        dataset="mnist",
        spec=_spec("seed004", [_conv(30, 5), RELU, _pool(), FLAT, _fc(100), RELU, _fc(10)]),
        training={"optimizer": "adam", "lr": 1e-3, "batch_size": 100, "epochs": 20},
        reported_accuracy=None,
        notes="The seed shows the network but no training run or accuracy.",
    ),
    Preset(
        name="lenet5",
        description="LeNet-5: 5×5 convs (6, 16) with tanh and average pooling, then 120 → 84 → 10",
        source="LeCun, Bottou, Bengio, Haffner (1998), Gradient-based learning applied to document recognition",
        dataset="mnist",
        spec=_spec("lenet5", [_conv(6, 5, 2), {"type": "tanh"}, _pool(2, "avgpool2d"), _conv(16, 5),
                              {"type": "tanh"}, _pool(2, "avgpool2d"), FLAT, _fc(120), {"type": "tanh"},
                              _fc(84), {"type": "tanh"}, _fc(10)]),
        training={"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "batch_size": 64, "epochs": 10},
        reported_accuracy=0.9905,
        notes="The paper reports 0.95% test error on MNIST; padding 2 stands in for its 32×32 inputs.",
    ),
    Preset(
        name="cifar-vgg-small",
        description="A small VGG for 3×32×32 images: three double-conv blocks (64, 128, 256) with BatchNorm",
        source="after Simonyan & Zisserman (2014), VGG, scaled down for CIFAR-10",
        dataset="cifar10",
        spec=_spec("cifar-vgg-small", [
            _conv(64, 3, 1), {"type": "batchnorm2d"}, RELU, _conv(64, 3, 1), {"type": "batchnorm2d"}, RELU, _pool(),
            _conv(128, 3, 1), {"type": "batchnorm2d"}, RELU, _conv(128, 3, 1), {"type": "batchnorm2d"}, RELU, _pool(),
            _conv(256, 3, 1), {"type": "batchnorm2d"}, RELU, _conv(256, 3, 1), {"type": "batchnorm2d"}, RELU, _pool(),
            FLAT, {"type": "dropout", "p": 0.5}, _fc(256), RELU, {"type": "dropout", "p": 0.5}, _fc(10),
        ], shape=(3, 32, 32)),
        training={"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 5e-4,
                  "batch_size": 128, "epochs": 30, "schedule": "cosine", "augment": True},
        reported_accuracy=None,
        notes="Our own configuration; no published accuracy to compare with.",
    ),
]

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _ALL}


def preset_names() -> list[str]:
    return list(PRESETS)


def get_preset(name: str) -> Preset:
    """The preset called ``name``; ``KeyError`` with the valid names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None
