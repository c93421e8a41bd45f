"""Whether a run can start: the config is valid and the network fits the dataset."""

from __future__ import annotations

from typing import Any

from engine.model.budget import batch_problem
from engine.model.shapes import analyze, format_shape
from engine.model.spec import NetworkSpec
from engine.training.config import TrainConfig

__all__ = ["TrainingError", "check_can_train"]


class TrainingError(Exception):
    """A run that cannot start or went wrong; ``kind`` matches ``ErrorInfo.kind``."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def check_can_train(spec: NetworkSpec, data: Any, config: TrainConfig) -> None:
    """Raise ``ValueError`` for a bad config, ``TrainingError`` when ``spec`` cannot train on ``data``."""
    config.validate()
    report = analyze(spec)
    if not report.ok:
        raise TrainingError("config", "the network has errors: " + "; ".join(p.message for p in report.errors))
    problem = batch_problem(report, config.batch_size, training=True)
    if problem:
        raise TrainingError("config", problem)
    info = data.info
    if tuple(spec.input) != tuple(info.input_shape):
        raise TrainingError("config", f"the network expects {format_shape(spec.input)} inputs but "
                            f"{info.name} has {format_shape(info.input_shape)} images; set the input to match")
    if spec.num_classes != len(info.class_names):
        raise TrainingError("config", f"the network has {spec.num_classes} outputs but {info.name} has "
                            f"{len(info.class_names)} classes")
    if data.train is None or len(data.train) == 0:
        raise TrainingError("data", f"{info.name} has no training images here (only a test split was found)")
