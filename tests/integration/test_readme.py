"""The README's two commands are the ones that exist and work."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", text, re.S)
    assert block, "README has no 'Two commands' block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_names_the_run_and_test_commands() -> None:
    assert readme_commands() == ["scripts/run", "scripts/test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nscripts/test\n" in ci


def test_run_command_sets_up_and_starts(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "MAILACCOUNTS_STORE"}
    for args in (
        ["--store", str(store), "operators", "add", "ADM"],
        ["--store", str(store), "operators", "list"],
    ):
        done = subprocess.run(
            [str(REPO / "scripts" / "run"), *args],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert "ADM" in done.stdout
