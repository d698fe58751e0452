"""The program's icon for its windows: the PNGs of the package data's icon
theme folder (``mailaccounts/share/icons/hicolor``), the files a desktop
entry uses too."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtGui

from ..files.package_data import resource

# what title bars, task bars and window switchers ask for
WINDOW_SIZES = (16, 32, 48, 64)


def window_icon() -> QtGui.QIcon:
    """Set after the list's first paint: ``QtGui.QIcon`` is reached through its
    module, so that PySide builds the type then, not at this module's import."""
    icon = QtGui.QIcon()
    for size in WINDOW_SIZES:
        png = resource("share", "icons", "hicolor", f"{size}x{size}", "apps", "mailaccounts.png")
        if isinstance(png, Path):
            icon.addFile(str(png))
        else:  # imported from a zip
            pixmap = QtGui.QPixmap()
            pixmap.loadFromData(png.read_bytes(), "PNG")
            icon.addPixmap(pixmap)
    return icon
