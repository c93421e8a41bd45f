"""After a preset is picked: a non-modal offer to switch the training panel to the preset's dataset.

The offer names the full dataset when its files are found and its bundled sample otherwise (so
seed001–003 train offline on Fashion-MNIST at first launch), and stays hidden when the panel is
already on that dataset or its sample.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from gui.dataset_texts import dataset_text

__all__ = ["DatasetOffer"]


class DatasetOffer(QFrame):
    """A bar under the training panel's banner: "<preset> comes from <dataset> … Switch to …? [Switch]"."""

    def __init__(self, panel: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = panel
        self.target: str | None = None
        self.setObjectName("datasetOffer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.switch_button = QPushButton(self.tr("Switch"))
        self.switch_button.clicked.connect(self.switch)
        row.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignVCenter)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("keep the current dataset"))
        close.clicked.connect(self.hide)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()
        banner = getattr(panel, "banner", None)  # shown right under the panel's message banner
        layout = banner.parentWidget().layout() if banner is not None and banner.parentWidget() else None
        if layout is not None:
            layout.insertWidget(layout.indexOf(banner) + 1, self)
        combo = getattr(panel, "dataset_combo", None)
        if combo is not None:
            combo.currentIndexChanged.connect(self._dataset_changed)

    def offer(self, preset: Any) -> None:
        """Offer ``preset``'s dataset (``engine.model.presets.Preset``), unless the panel is on it."""
        from engine.data.registry import DATASETS
        from engine.data.samples import offline_choice, sample_of

        current = self.panel.dataset_name  # None while the engine loads: nothing to switch yet
        if preset.dataset not in DATASETS or current in (None, preset.dataset, sample_of(preset.dataset)):
            self.target = None
            self.hide()
            return
        folder = self.panel.data_dir_edit.text().strip() or None
        self.target = offline_choice(preset.dataset, folder)
        title = dataset_text(DATASETS[self.target].title)
        where = dataset_text(DATASETS[current].title) if current in DATASETS else self.tr("other images")
        self.label.setText(self.tr("{0} comes from {1}; the training panel is on {2}. Switch to {3}?").format(
            preset.name, dataset_text(DATASETS[preset.dataset].title), where, title))
        self.switch_button.setToolTip(self.tr("train {0} on {1}").format(preset.name, title))
        self.show()

    @Slot(int)
    def _dataset_changed(self, _row: int) -> None:
        """The user chose the offered dataset by hand: nothing left to offer."""
        if self.panel.dataset_name == self.target:
            self.hide()

    @Slot()
    def switch(self) -> None:
        """Choose the offered dataset in the training panel."""
        if self.target is not None:
            self.panel.select_dataset(self.target)
        self.hide()
