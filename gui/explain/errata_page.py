"""The errata page: every misprint of the notes, the correct statement and its live check
(:mod:`engine.teach.errata`), in English and Korean. The checks run when the page is first shown."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from engine.teach.words import WORDS, Bilingual
from gui.explain.concept_base import ConceptPage
from gui.explain.language import say

__all__ = ["ErrataPage", "errata_html"]


def _both(text: Bilingual) -> str:
    """``text`` escaped, in the explainer's language (English over Korean when both)."""
    return say(Bilingual(escape(text.en), escape(text.ko)), "<br>")


def errata_html() -> str:
    """The errata as an HTML table, each check run now."""
    from engine.teach.errata import ERRATA

    head = WORDS["errata_head"]
    cells = "".join(f"<th>{_both(Bilingual(en, ko))}</th>" for en, ko in zip(head.en.split("|"), head.ko.split("|")))
    rows = []
    for erratum in ERRATA:
        check = erratum.check()
        verdict = WORDS["holds" if check.holds else "fails"]
        rows.append(
            f"<tr><td>{escape(erratum.note)}</td><td>{escape(erratum.where)}</td>"
            f"<td><code>{escape(erratum.printed)}</code></td>"
            f"<td>{_both(erratum.correct)}</td>"
            f"<td><b>{escape(say(verdict))}</b><br>{escape(check.detail)}</td></tr>")
    return (f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{cells}</tr>{''.join(rows)}</table>")


class ErrataPage(ConceptPage):
    """The errata table in a browser that wraps and scrolls (nothing is cut off)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(WORDS["errata_intro"], parent)
        self.setWidgetResizable(True)
        self.browser = QTextBrowser()
        self.browser.setMinimumHeight(420)
        self.body.addWidget(self.browser, 1)
        self.loaded = False

    def refresh(self) -> None:
        if not self.loaded:
            self.browser.setHtml(errata_html())
            self.loaded = True
