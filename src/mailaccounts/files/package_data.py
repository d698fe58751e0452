"""Files the package carries besides its code: the translations (``i18n/``)
and what a desktop needs (``share/``: the desktop entry, AppStream metadata,
icons). They live inside the package, so they are found wherever it is
installed — a wheel, ``pipx``, an editable install, a checkout.

Installed on disk, each is a plain file in the package's folder (the parent
of this module's): exactly the path ``importlib.resources.files`` returns
there, found without importing it, since the list's translations are looked
up before its first paint (docs/architecture.md, "Start-up"). Imported from a
zip, the package's files are read through ``importlib.resources``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PACKAGE = Path(__file__).parent.parent


def resource(*parts: str) -> Path | Traversable:
    """The package's file or folder *parts*: a ``Path`` when it is on disk."""
    path = PACKAGE.joinpath(*parts)
    if path.exists():
        return path
    from importlib.resources import files

    return files("mailaccounts").joinpath(*parts)
