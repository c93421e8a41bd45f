"""engine.training.evaluate on a hand-made model and six images whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from engine.training.evaluate import evaluate

# A 1×1×2 image is two pixels: (255, 0) → class 0, (0, 255) → class 1, (255, 255) → class 2.
# Class 3 never wins and has no images.
WEIGHTS = 10.0 * torch.tensor([[1.0, -1.0], [-1.0, 1.0], [0.5, 0.5], [-10.0, -10.0]])
LEFT, RIGHT, BOTH = (255, 0), (0, 255), (255, 255)
PIXELS = [LEFT, RIGHT, BOTH, LEFT, BOTH, RIGHT]
LABELS = [0, 1, 2, 1, 0, 1]  # #3 (true 1, predicted 0) and #4 (true 0, predicted 2) are mistakes


def _model() -> nn.Module:
    model = nn.Sequential(nn.Flatten(), nn.Linear(2, 4, bias=False))
    with torch.no_grad():
        model[1].weight.copy_(WEIGHTS)
    return model


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    images = torch.tensor(PIXELS, dtype=torch.uint8).view(len(PIXELS), 1, 1, 2)
    return images, torch.tensor(LABELS)


def _run(**options):
    images, labels = _data()
    # mean 0 and std 1: a pixel of 255 becomes 1.0
    return evaluate(_model(), images, labels, (0.0,), (1.0,), 4, batch_size=4, **options)


def _expected_loss() -> float:
    logits = np.array(PIXELS, dtype=np.float64) / 255 @ WEIGHTS.numpy().T.astype(np.float64)
    losses = [math.log(np.exp(row).sum()) - row[label] for row, label in zip(logits, LABELS)]
    return float(np.mean(losses))


def test_accuracy_loss_and_count():
    result = _run()
    assert result.count == 6
    assert result.accuracy == pytest.approx(4 / 6)
    assert result.loss == pytest.approx(_expected_loss(), rel=1e-5)


def test_per_class_accuracy_with_an_absent_class():
    per_class = _run().per_class_accuracy
    np.testing.assert_allclose(per_class[:3], [1 / 2, 2 / 3, 1.0])
    assert math.isnan(per_class[3])


def test_confusion_matrix_rows_are_true_classes():
    expected = [[1, 0, 1, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]
    confusion = _run().confusion
    assert confusion.dtype == np.int64
    np.testing.assert_array_equal(confusion, expected)
    assert not confusion.flags.writeable


def test_top_mistakes_most_confident_first():
    mistakes = _run(top_mistakes=5).mistakes
    assert [(m.index, m.true_class, m.predicted_class) for m in mistakes] == [(4, 0, 2), (3, 1, 0)]
    # logits (0, 0, 10, ·) and (10, -10, 5, ·): softmax of the predicted class
    assert mistakes[0].confidence == pytest.approx(1 / (1 + 2 * math.exp(-10)), rel=1e-4)
    assert mistakes[1].confidence == pytest.approx(1 / (1 + math.exp(-20) + math.exp(-5)), rel=1e-4)
    assert [m.index for m in _run(top_mistakes=1).mistakes] == [4]
    assert _run().mistakes == ()


def test_model_mode_is_restored_and_to_dict_names_classes():
    model = _model().train()
    images, labels = _data()
    result = evaluate(model, images, labels, (0.0,), (1.0,), 4, top_mistakes=1)
    assert model.training
    out = result.to_dict(("a", "b", "c", "d"))
    assert out["per_class_accuracy"] == {"a": 0.5, "b": pytest.approx(2 / 3), "c": 1.0, "d": None}
    assert out["mistakes"] == [{"index": 4, "true_class": 0, "predicted_class": 2,
                                "confidence": pytest.approx(result.mistakes[0].confidence)}]
