"""The CLI's shape (docs/architecture.md, "Front ends"): its modules import
at the top, never the window; ``cli/__init__.py`` holds ``main()`` only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mailaccounts.cli

CLI = Path(mailaccounts.cli.__file__).parent


@pytest.mark.parametrize("name", ["parser", "commands", "render"])
def test_the_cli_modules_import_at_the_top(name: str) -> None:
    tree = ast.parse((CLI / f"{name}.py").read_text(encoding="utf-8"))
    inner = [
        f"line {node.lineno}"
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert not inner, f"cli/{name}.py imports inside functions: {inner}"


def test_main_is_all_the_package_defines() -> None:
    tree = ast.parse((CLI / "__init__.py").read_text(encoding="utf-8"))
    defined = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
    ]
    assert defined == ["main"]


def test_the_cli_does_not_load_the_window() -> None:
    check = (
        "import sys, mailaccounts.cli\n"
        "print(sorted(m for m in sys.modules"
        " if m.startswith('mailaccounts.gui') or m.split('.')[0] == 'PySide6'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
