"""``python -m mailaccounts`` and the ``mailaccounts`` console script.

Without a command the window opens; that path skips the CLI's parser and
modules, because start-up time is what an admin feels first.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def window_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The options of a plain window start (``--store``, ``--language``,
    ``--mail-root``), or None when the arguments ask for anything else."""
    options: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, has_value, value = arg.partition("=")
        if name not in ("--store", "--language", "--mail-root") or name[2:] in options:
            return None
        if not has_value:
            if not args:
                return None
            value = args.pop(0)
        if name == "--language" and value not in ("de", "en"):
            return None
        options[name[2:]] = value
    return options


def main() -> int:
    options = window_options(sys.argv[1:])
    if options is None:
        from .cli import main as cli_main  # the CLI, without Qt

        return cli_main()
    from .gui.app import start_window  # the window, without the CLI's modules

    if "store" in options:
        store = Path(options["store"])
    else:
        from .files.paths import default_store_path  # with platformdirs: only when needed

        store = default_store_path()
    mail_root = Path(options["mail-root"]) if "mail-root" in options else None
    return start_window(store, options.get("language"), mail_root)


if __name__ == "__main__":
    sys.exit(main())
