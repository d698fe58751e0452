"""Translations and the icon come from the package's own data, found where
the package is: an installed wheel finds them as a checkout does. (CI also
builds the wheel and starts it from a fresh venv: scripts/smoke-wheel.)"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

import mailaccounts
from mailaccounts.gui.i18n import install_translators, remove_translators
from mailaccounts.gui.icon import window_icon
from tests.support.accounts import pop3_account
from tests.support.keyrings import MemoryKeyring

from .conftest import add_account

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path(mailaccounts.__file__).resolve().parent


def test_german_comes_from_the_package_data(qapp: QApplication) -> None:
    translators = install_translators(qapp, "de")
    try:
        ours = translators[0].filePath()
        assert ours == str(files("mailaccounts") / "i18n" / "mailaccounts_de.qm")
        assert Path(ours).resolve().is_relative_to(PACKAGE)
        assert QCoreApplication.translate("MainWindow", "E-mail accounts") == "E-Mail-Konten"
        qt = [t.filePath() for t in translators[1:]]
        assert [Path(p).name for p in qt] == ["qtbase_de.qm"]  # Qt's own, from PySide6
    finally:
        remove_translators(qapp, translators)


def test_window_icon_comes_from_the_package_data() -> None:
    assert [s.width() for s in window_icon().availableSizes()] == [16, 32, 48, 64]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    return {**env, "QT_QPA_PLATFORM": "offscreen", **extra}


def test_started_window_is_german_on_a_german_system(
    tmp_path: Path, seeded_store: Path, memory_keyring: MemoryKeyring
) -> None:
    """What the console script does, in a process started outside the checkout
    under LANG=de_DE.UTF-8; scripts/smoke-wheel runs the same check against
    an installed wheel."""
    add_account(seeded_store, memory_keyring, pop3_account("1000"))
    check = REPO / "scripts" / "smoke_window.py"
    done = subprocess.run(
        [sys.executable, "-I", str(check), str(seeded_store), "E-Mail-Konten"],
        cwd=tmp_path,
        env=environment(LANG="de_DE.UTF-8"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"package {PACKAGE}" in done.stdout


# Imported from a zip, the package reads its data through importlib.resources.
FROM_ZIP = """
import sys
sys.path.insert(0, sys.argv[1])
import mailaccounts
assert mailaccounts.__file__.startswith(sys.argv[1]), mailaccounts.__file__
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from mailaccounts.cli.install_desktop import shipped_files
from mailaccounts.gui.i18n import install_translators
from mailaccounts.gui.icon import window_icon

app = QApplication([])
translators = install_translators(app, "de")
print(QCoreApplication.translate("MainWindow", "E-mail accounts"))
print([s.width() for s in window_icon().availableSizes()])
print(len(list(shipped_files())))
"""


def test_package_imported_from_a_zip_finds_its_data(tmp_path: Path) -> None:
    archive = tmp_path / "mailaccounts.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".ts":
                zipped.write(path, path.relative_to(PACKAGE.parent))
    done = subprocess.run(
        [sys.executable, "-I", "-c", FROM_ZIP, str(archive)],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["E-Mail-Konten", "[16, 32, 48, 64]", "9"]
