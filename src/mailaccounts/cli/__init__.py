"""The command line: a thin front end over the services.

``parser`` knows the commands and flags, ``commands`` runs them, ``render``
words the output. Exit codes: 0 ok, 1 the operation failed, 2 usage or
validation error. Passwords come from a prompt or stdin, never from the
command line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any

from ..files.logs import log_for_commands, stop_logging
from ..files.paths import default_store_path
from ..model.safe_text import neutralise
from ..services.app_context import AppContext
from .commands import USAGE, Cli
from .parser import MAX_INPUT_BYTES, UsageError, build_parser

__all__ = ["MAX_INPUT_BYTES", "main"]


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    keyring_backend: Any | None = None,
) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"mailaccounts: error: {neutralise(str(exc))}", file=stderr or sys.stderr)
        return USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    store_path = args.store or default_store_path()
    if args.command is None:
        from ..gui.app import start_window

        return start_window(store_path, args.language, args.mail_root)
    ctx = AppContext(store_path, keyring_backend, args.mail_root)
    # MAX_INPUT_BYTES is read here, from this module, at each call: a test may lower it
    cli = Cli(ctx, stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr, MAX_INPUT_BYTES)
    # warnings of any module on stderr; serve sets up its own (cmd_serve)
    handlers = [] if args.command == "serve" else [log_for_commands(cli.stderr)]
    try:
        return cli.run(args)
    finally:
        ctx.close()
        stop_logging(*handlers)
