"""Starts the window through ``main()`` as the ``mailaccounts`` command does
(no command, the language from the environment; only PySide6 and the
QApplication are made first here, to watch the window) and checks it: the
title is EXPECTED_TITLE, our translations and the window icon come from the
imported package's own data. Prints one line about it; exits non-zero otherwise.

    python -I scripts/smoke_window.py STORE EXPECTED_TITLE

Used by scripts/smoke-wheel with an installed wheel, and by
tests/gui/test_packaging.py. Imports nothing from the checkout itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

TIMEOUT_MS = 20_000


def main() -> int:
    store, expected_title = sys.argv[1], sys.argv[2]
    from PySide6.QtCore import QTimer, QTranslator
    from PySide6.QtWidgets import QApplication

    import mailaccounts
    from mailaccounts.__main__ import main as start

    package = Path(mailaccounts.__file__).resolve().parent
    app = QApplication(sys.argv[:1])  # main() uses it, as it would its own
    seen: dict[str, object] = {}
    translations: list[str] = []
    waited = [0]

    def check() -> None:
        # the icon is set right after the list's first paint: wait for it
        windows = [w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"]
        if (not windows or app.windowIcon().isNull()) and waited[0] < TIMEOUT_MS:
            waited[0] += 20
            QTimer.singleShot(20, check)
            return
        window = windows[0] if windows else None
        seen["title"] = window.windowTitle() if window else None
        seen["icon sizes"] = [s.width() for s in app.windowIcon().availableSizes()]
        translations.extend(t.filePath() for t in app.findChildren(QTranslator) if t.filePath())
        if window:
            window.close()  # the last window: main() returns
        else:
            app.quit()

    QTimer.singleShot(0, check)
    sys.argv[1:] = ["--store", store]
    code = start()

    ours = [p for p in translations if Path(p).name.startswith("mailaccounts_")]
    problems = []
    if code != 0:
        problems.append(f"main() returned {code}")
    if seen.get("title") != expected_title:
        problems.append(f"title {seen.get('title')!r}, expected {expected_title!r}")
    if len(ours) != 1 or not Path(ours[0]).resolve().is_relative_to(package):
        problems.append(f"our translation {ours} is not the package's ({package})")
    if not seen.get("icon sizes"):
        problems.append("no window icon")
    print(
        f"window: title {seen.get('title')!r}, icon {seen.get('icon sizes')}, "
        f"translations {translations}, package {package}"
    )
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
