"""Running the CLI in-process and as a real subprocess."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailaccounts.cli import main

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


class _Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


def run_cli(store: Path, *args: str, stdin: str = "", keyring: Any = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--store", str(store), *args],
        stdin=_Stdin(stdin),
        stdout=out,
        stderr=err,
        keyring_backend=keyring,
    )
    return Result(code, out.getvalue(), err.getvalue())


def run_cli_process(
    store: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> Result:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "mailaccounts", "--store", str(store), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
