"""The interface language: Qt translators for English or Korean, and the bundled Hangul font.

``install(app, settings)`` runs once at start, before any window exists: it reads the choice
(``CONVSCOPE_LANGUAGE`` in the environment, else QSettings ``"language"``: ``system``, ``en`` or
``ko``; ``system`` follows ``QLocale.system()``), loads ``resources/i18n/convscope_ko.qm`` and Qt's
own ``qtbase_ko.qm`` (standard dialog buttons) when Korean is wanted, and registers the bundled
font (``resources/fonts/convscope-hangul.ttf``) when Korean is chosen or no installed font has
Hangul. Whatever fails (a missing or corrupt ``.qm``, an unknown language, a font that does not
load) leaves the app in English and gives one message, never an exception. A switch from the
View → Language menu is saved and applies at the next start; the menu says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QActionGroup, QFontDatabase
from PySide6.QtWidgets import QMainWindow, QMenu

from engine.resources import resource_path

LANGUAGE_ENV = "CONVSCOPE_LANGUAGE"
SETTING = "language"
LANGUAGES = ("system", "en", "ko")
QM_FILE = "i18n/convscope_{0}.qm"
FONT_FILE = "fonts/convscope-hangul.ttf"

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for
_installed: list[QTranslator] = []  # kept alive while installed (Qt does not own them)
_font_ids: list[int] = []
_locale_before: list[QLocale] = []  # the default locale before Korean replaced it


@dataclass(frozen=True)
class LanguageResult:
    """What ``install`` did: the language in use (``"en"`` or ``"ko"``) and a message when it fell back."""

    language: str
    message: str | None = None
    font_family: str | None = None


def chosen_language(settings: QSettings | None) -> str:
    """The user's choice: the environment first, then the setting; ``"system"`` when neither says."""
    value = os.environ.get(LANGUAGE_ENV) or (settings.value(SETTING, "system") if settings is not None else "system")
    return str(value).strip().lower()


def resolve(choice: str, system: QLocale | None = None) -> str | None:
    """``"en"`` or ``"ko"`` for a choice (``system`` follows the locale); None for an unknown choice."""
    if choice == "system":
        locale = system or QLocale.system()
        return "ko" if locale.language() == QLocale.Language.Korean else "en"
    if choice in ("en", "ko") or choice.startswith(("en_", "ko_")):
        return choice[:2]
    return None


def has_hangul_font() -> bool:
    """Whether an installed font covers Korean (the app's Korean renders without the bundled one)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Korean))


def register_font() -> str | None:
    """Register the bundled Hangul font once; its family name, or None when it does not load."""
    if not _font_ids:
        font_id = QFontDatabase.addApplicationFont(str(resource_path(FONT_FILE)))
        if font_id < 0:
            return None
        _font_ids.append(font_id)
    families = QFontDatabase.applicationFontFamilies(_font_ids[0])
    return families[0] if families else None


def _load(translator: QTranslator, path: str) -> bool:
    return os.path.isfile(path) and translator.load(path) and not translator.isEmpty()


def install(app: QCoreApplication, settings: QSettings | None, *, font: bool = True) -> LanguageResult:
    """Install the translators the chosen language needs (see the module docstring); never raises."""
    choice = chosen_language(settings)
    language = resolve(choice)
    if language is None:
        return LanguageResult("en", f"unknown language {choice!r}: the interface stays in English")
    family = None
    if font and (language == "ko" or not has_hangul_font()):
        family = register_font()
        if family is None and language == "ko" and not has_hangul_font():
            return LanguageResult("en", "the Korean font did not load: the interface stays in English")
    if language == "en":
        return LanguageResult("en", None, family)
    translator = QTranslator(app)
    if not _load(translator, str(resource_path(QM_FILE.format(language)))):
        return LanguageResult("en", f"the {language} translation is missing or damaged: the interface stays in "
                                    "English", family)
    app.installTranslator(translator)
    _installed.append(translator)
    qt_own = QTranslator(app)  # Qt's standard buttons (OK, Cancel, …); optional
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if _load(qt_own, os.path.join(qt_dir, f"qtbase_{language}.qm")):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    if not _locale_before:
        _locale_before.append(QLocale())
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    return LanguageResult(language, None, family)


def uninstall(app: QCoreApplication) -> None:
    """Remove every translator ``install`` added (tests switch back to English with it)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    if _locale_before:
        QLocale.setDefault(_locale_before.pop())


def add_language_menu(parent: QMenu, settings: QSettings, window: QMainWindow) -> QMenu:
    """View → Language: System / English / 한국어, checked as saved; a pick is saved for the next start."""
    menu = parent.addMenu(translate("Language", "&Language"))
    group = QActionGroup(menu)
    current = chosen_language(settings)
    names = {"system": translate("Language", "System"), "en": "English", "ko": "한국어"}
    note = translate("Language", "A new language applies when ConvScope starts again")
    for code in LANGUAGES:
        action = menu.addAction(names[code])
        action.setCheckable(True)
        action.setChecked(current == code or (current not in LANGUAGES and code == "system"))
        action.setStatusTip(note)
        action.triggered.connect(partial(_choose, settings, window, code))
        group.addAction(action)
    menu.addSeparator()
    menu.addAction(translate("Language", "(applies after a restart)")).setEnabled(False)
    return menu


def _choose(settings: QSettings, window: QMainWindow, code: str) -> None:
    settings.setValue(SETTING, code)
    settings.sync()
    # both languages: whoever picked it may not read the one on screen
    window.statusBar().showMessage(translate("Language", "The language changes when ConvScope starts again.") + " / "
                                   "언어는 ConvScope를 다시 시작하면 바뀝니다.", 15000)
