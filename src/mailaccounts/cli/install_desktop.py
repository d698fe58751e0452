"""``mailaccounts-install-desktop``: puts the desktop entry, the icons and the
AppStream metadata the package carries (``mailaccounts/share/``) where the
desktop looks for them, by default this user's ``~/.local/share``.

A command rather than a copy instruction because pip, pipx and a virtual
environment each put the package somewhere else; this one knows where it is.
The entry it writes starts the ``mailaccounts`` installed beside it by its
full path, so the menu works even where ``~/.local/bin`` is not on the
desktop session's PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..files.package_data import resource
from ..model.safe_text import neutralise

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

COMMAND = "mailaccounts"
# a path the desktop entry may hold unquoted (the spec's quoting rules are not worth it)
PLAIN_PATH = re.compile(r"[A-Za-z0-9_/.+-]+")


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (the XDG base directory rule)."""
    env = os.environ.get("XDG_DATA_HOME", "")
    return Path(env) if os.path.isabs(env) else Path.home() / ".local" / "share"


def shipped_files() -> Iterator[tuple[str, Traversable]]:
    """(path relative to a data directory, the package's file), for each file."""

    def walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield f"{prefix}{entry.name}", entry

    yield from walk(resource("share"), "")


def installed_command() -> str:
    """The full path of the ``mailaccounts`` command beside this one (or beside
    the interpreter), else the bare name for the desktop to look up in PATH."""
    candidates = [Path(sys.executable).with_name(COMMAND)]
    if Path(sys.argv[0]).name:
        candidates.insert(0, Path(sys.argv[0]).with_name(COMMAND))
    for candidate in candidates:
        path = str(candidate.absolute())
        if candidate.is_file() and os.access(candidate, os.X_OK) and PLAIN_PATH.fullmatch(path):
            return path
    return COMMAND


def desktop_entry(text: str, command: str) -> str:
    return re.sub(rf"^(Exec|TryExec)={COMMAND}$", rf"\1={command}", text, flags=re.MULTILINE)


def install(data_dir: Path, command: str) -> list[Path]:
    written = []
    for name, source in shipped_files():
        target = data_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".desktop"):
            target.write_text(desktop_entry(source.read_text(encoding="utf-8"), command), "utf-8")
        else:
            target.write_bytes(source.read_bytes())
        written.append(target)
    touch_icon_theme(data_dir)
    return written


def uninstall(data_dir: Path) -> list[Path]:
    removed = []
    for name, _ in shipped_files():
        target = data_dir / name
        if target.is_file():
            target.unlink()
            removed.append(target)
    touch_icon_theme(data_dir)
    return removed


def touch_icon_theme(data_dir: Path) -> None:
    """Tell icon caches the theme folder changed (what xdg-icon-resource does)."""
    hicolor = data_dir / "icons" / "hicolor"
    if hicolor.is_dir():
        os.utime(hicolor)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mailaccounts-install-desktop",
        description="Install the desktop entry, icons and AppStream metadata of mailaccounts "
        "for this user, so it appears in the desktop's menu with its icon.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the data directory to install into (default: $XDG_DATA_HOME or ~/.local/share; "
        "/usr/local/share for all users)",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove the files again")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    try:
        if args.uninstall:
            for path in uninstall(data_dir):
                print(f"removed {neutralise(str(path))}")
        else:
            command = installed_command()
            for path in install(data_dir, command):
                print(f"installed {neutralise(str(path))}")
            print(f"the menu entry starts {command}")
    except OSError as exc:
        print(f"mailaccounts-install-desktop: {neutralise(str(exc))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
