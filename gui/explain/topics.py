"""The explainer's topics: the step-by-step page and the concept pages, made when first shown.

:class:`Topics` follows the topic chooser, builds each concept page on first use (the errata
page runs its checks then), hands the model-based pages the app's network (:class:`ModelSource`)
and refreshes the page on show when that network changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QStackedWidget, QWidget

from engine.teach.words import TOPIC_TITLES

__all__ = ["TOPICS", "Topics"]

TOPICS = tuple(TOPIC_TITLES)  # "steps" first


def _page_type(key: str) -> type:
    from gui.explain.concept_pages import Conv1dPage, Conv1x1Page, DropoutPage, ShiftPage
    from gui.explain.errata_page import ErrataPage
    from gui.explain.model_pages import BatchNormPage, DenseVsConvPage, MemoryPage

    return {"conv1d": Conv1dPage, "conv1x1": Conv1x1Page, "dropout": DropoutPage, "batchnorm": BatchNormPage,
            "shift": ShiftPage, "dense": DenseVsConvPage, "memory": MemoryPage, "errata": ErrataPage}[key]


class Topics:
    """The chooser ``combo`` and the ``stack`` whose page 0 is the step-by-step page."""

    def __init__(self, combo: QComboBox, stack: QStackedWidget):
        self.combo, self.stack = combo, stack
        self.pages: dict[str, QWidget] = {}
        self.source: Any = None  # gui.explain.model_pages.ModelSource
        combo.currentIndexChanged.connect(lambda index: self.show(TOPICS[index]))

    def current(self) -> str:
        return TOPICS[max(self.combo.currentIndex(), 0)]

    def page(self, key: str) -> QWidget:
        """The concept page ``key``, made on first use."""
        if key not in self.pages:
            page = _page_type(key)()
            if hasattr(page, "source"):
                page.source = self.source
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def show(self, key: str) -> None:
        """Turn to topic ``key`` (one of :data:`TOPICS`), recomputing a concept page."""
        if key not in TOPICS:
            raise KeyError(f"unknown topic {key!r}; choose from {TOPICS}")
        if self.combo.currentIndex() != TOPICS.index(key):
            self.combo.setCurrentIndex(TOPICS.index(key))  # comes back here through the signal
            return
        if key == "steps":
            self.stack.setCurrentIndex(0)
            return
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        page.refresh()

    def rebuild(self) -> None:
        """Drop the concept pages made so far (they are made again on show); the page on show at once."""
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        key = self.current()
        if key != "steps":
            self.show(key)

    def set_source(self, source: Any) -> None:
        """The app's network for the model-based pages; the page on show is recomputed."""
        self.source = source
        for page in self.pages.values():
            if hasattr(page, "source"):
                page.source = source
        self.network_changed()

    def network_changed(self) -> None:
        """Recompute the concept page on show (the others recompute when shown)."""
        key = self.current()
        if key != "steps" and key in self.pages:
            self.pages[key].refresh()
