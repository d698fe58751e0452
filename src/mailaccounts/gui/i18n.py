"""German on a German system, English otherwise, through Qt's translators."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parents[3] / "resources" / "i18n"
LANGUAGES = ("de", "en")


def choose_language(forced: str | None = None) -> str:
    if forced in LANGUAGES:
        return forced
    return "de" if QLocale.system().name().startswith("de") else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install ours and Qt's own for *language*; returns them (keep them alive)."""
    installed: list[QTranslator] = []
    sources = [(TRANSLATIONS, f"mailaccounts_{language}")]  # English: plural forms only
    if language != "en":
        qt_translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        sources.append((qt_translations, f"qtbase_{language}"))
    for folder, name in sources:
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
