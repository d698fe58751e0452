"""German on a German system, English otherwise, through Qt's translators.

Ours are package data (``mailaccounts/i18n/*.qm``, see ``files/package_data.py``), so an
installed wheel finds them as well as a checkout does; Qt's own come from
PySide6's translations folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..files.package_data import resource

LANGUAGES = ("de", "en")


def choose_language(forced: str | None = None) -> str:
    if forced in LANGUAGES:
        return forced
    return "de" if QLocale.system().name().startswith("de") else "en"


def _load_ours(translator: QTranslator, language: str) -> bool:
    qm = resource("i18n", f"mailaccounts_{language}.qm")
    if isinstance(qm, Path):  # on disk: Qt maps the file
        return translator.load(str(qm))
    if not qm.is_file():
        return False
    # from a zip: Qt uses the bytes in place without copying them, so they
    # must live as long as the translator
    data = qm.read_bytes()
    translator.qm_data = data  # type: ignore[attr-defined]
    return translator.load(data)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install ours and Qt's own for *language*; returns them (keep them alive)."""
    installed: list[QTranslator] = []
    ours = QTranslator(app)  # for English: the plural forms only
    if _load_ours(ours, language):
        app.installTranslator(ours)
        installed.append(ours)
    if language != "en":
        qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(app)
        if qt.load(f"qtbase_{language}", qt_translations):
            app.installTranslator(qt)
            installed.append(qt)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
