"""The explainer's language: the notes' English–Korean pairs side by side, or one of the two.

The explainer writes its words as :class:`~engine.teach.words.Bilingual` pairs. :func:`say` turns a
pair into what the reader sees: both (``"English · 한국어"``, as the notes pair their terms), English
only or Korean only. The default follows the app's language (a Korean app → Korean only); the
explainer's Language chooser changes it at once: :func:`bind` remembers which widget shows which
pair, and :func:`set_mode` rewrites them all.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject

from engine.teach.words import Bilingual

__all__ = ["MODES", "MODE_NAMES", "B", "bind", "mode", "pair", "say", "set_mode", "term"]

MODES = ("both", "en", "ko")
#: Each mode as the chooser names it: in its own language, so it can always be found.
MODE_NAMES = {"both": Bilingual("English", "한국어").both(), "en": "English", "ko": "한국어"}
B = Bilingual
_mode: list[str] = []  # empty: follow the app's language
_bound: list[tuple[weakref.ref, Bilingual, str | None, Callable[[str], None]]] = []


def mode() -> str:
    """``"both"``, ``"en"`` or ``"ko"``: chosen in the explainer, else Korean in a Korean app, else both."""
    if _mode:
        return _mode[0]
    return "ko" if QLocale().language() == QLocale.Language.Korean else "both"


def say(text: Bilingual | str, separator: str | None = " · ") -> str:
    """``text`` in the explainer's language (a plain string is shown as it is: numbers, names);
    side by side, a ``None`` separator keeps the English alone (where both would not fit or the
    English stood alone before the explainer had a language of its own)."""
    if not isinstance(text, Bilingual):
        return text
    current = mode()
    if current == "both":
        return text.en if separator is None else text.both(separator)
    return text.en if current == "en" else text.ko


def pair(en: str, ko: str, separator: str | None = " · ") -> str:
    """:func:`say` for a pair written in place."""
    return say(Bilingual(en, ko), separator)


def term(en: str, ko: str) -> str:
    """The notes' Korean term (set beside English text), or ``en`` when the explainer shows English only."""
    return en if mode() == "en" else ko


def bind(owner: QObject, text: Bilingual, apply: Callable[[str], None], separator: str | None = " · ") -> None:
    """Show ``text`` through ``apply`` now and again whenever the language changes, while ``owner`` lives."""
    apply(say(text, separator))
    _bound.append((weakref.ref(owner), text, separator, apply))


def set_mode(new_mode: str | None) -> None:
    """Choose the explainer's language (None: follow the app) and rewrite every bound text."""
    if new_mode is not None and new_mode not in MODES:
        raise ValueError(f"unknown explainer language {new_mode!r}; choose from {MODES}")
    _mode[:] = [] if new_mode is None else [new_mode]
    alive = []
    for ref, text, separator, apply in _bound:
        owner = ref()
        if owner is None:
            continue
        try:
            apply(say(text, separator))
        except RuntimeError:  # the C++ widget is gone
            continue
        alive.append((ref, text, separator, apply))
    _bound[:] = alive
