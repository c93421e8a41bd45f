"""The built-in datasets' titles and descriptions (English in :mod:`engine.data.registry`) for the translators.

tests/gui/test_i18n_window.py keeps :data:`DATASET_TEXTS` in step with the registry.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["DATASET_TEXTS", "dataset_text"]

DATASET_TEXTS = (
    QT_TRANSLATE_NOOP("Datasets", "MNIST (bundled 5,000-digit sample)"),
    QT_TRANSLATE_NOOP("Datasets", "5,000 real handwritten digits from the MNIST training set (500 per class), split 4,500 / 500; ships with ConvScope, so it works offline."),  # noqa: E501
    QT_TRANSLATE_NOOP("Datasets", "Fashion-MNIST (bundled 5,500-image sample)"),
    QT_TRANSLATE_NOOP("Datasets", "5,000 Fashion-MNIST training images (500 per class) and 500 test images (50 per class), a fixed seeded choice; ships with ConvScope, so it works offline."),  # noqa: E501
    QT_TRANSLATE_NOOP("Datasets", "MNIST"),
    QT_TRANSLATE_NOOP("Datasets", "70,000 handwritten digits 0-9 (60,000 train / 10,000 test), 28x28 grayscale."),
    QT_TRANSLATE_NOOP("Datasets", "Fashion-MNIST"),
    QT_TRANSLATE_NOOP("Datasets", "70,000 Zalando product photos in 10 clothing classes (60,000 / 10,000), 28x28 grayscale."),  # noqa: E501
    QT_TRANSLATE_NOOP("Datasets", "Kuzushiji-MNIST"),
    QT_TRANSLATE_NOOP("Datasets", "70,000 cursive Japanese hiragana (お き す つ な は ま や れ を; 60,000 / 10,000), 28x28 grayscale."),  # noqa: E501
    QT_TRANSLATE_NOOP("Datasets", "CIFAR-10"),
    QT_TRANSLATE_NOOP("Datasets", "60,000 small colour photos in 10 classes (50,000 / 10,000), 32x32 RGB."),
)


def dataset_text(text: str) -> str:
    """A dataset's title or description in the interface language (a folder's own text stays as it is)."""
    return QCoreApplication.translate("Datasets", text) if text else text
