"""The package's shape stays readable (docs/architecture.md, "Layers"): no
module at its root but the entry point, none named like a standard-library
module, no import cycle (imports inside functions included), and imports
inside functions only where the start path needs them."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import mailaccounts

PACKAGE = Path(mailaccounts.__file__).parent
MAX_IMPORTS_IN_FUNCTIONS = 40
"""The start path defers some imports (tests/gui/test_start.py); everything
else imports at its top."""


def modules() -> dict[str, Path]:
    """Dotted name → file of every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["mailaccounts", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


Statement = ast.ImportFrom | ast.Import


def imports(name: str, path: Path) -> Iterator[tuple[Statement, bool]]:
    """Each import statement of a module and whether it is inside a function;
    those under ``if TYPE_CHECKING:`` are left out (they never run)."""

    def walk(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.ImportFrom | ast.Import, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, in_function or function)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), False)


def targets(name: str, path: Path, node: Statement, known: set[str]) -> set[str]:
    """The package's modules an import statement loads (a submodule named in
    ``from . import x`` counts as itself: its package is loaded already)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & known
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if node.level:
        base = package[: len(package) - node.level + 1]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    found = set()
    for alias in node.names:
        if f"{module}.{alias.name}" in known:
            found.add(f"{module}.{alias.name}")
        elif module in known:
            found.add(module)
    return found - {name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            if group:
                found.append(sorted([node, *group]))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in graph:
        if node not in order:
            visit(node)
    return found


def test_no_module_at_the_root_but_the_entry_point() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_no_module_is_named_like_a_standard_library_module() -> None:
    named = [
        n for n in modules() if n.count(".") and n.rsplit(".", 1)[1] in sys.stdlib_module_names
    ]
    assert named == []


def test_no_import_cycle_not_even_through_imports_inside_functions() -> None:
    found = modules()
    known = set(found)
    graph = {
        name: set().union(*(targets(name, path, node, known) for node, _ in imports(name, path)))
        for name, path in found.items()
    }
    assert cycles(graph) == []


def test_imports_inside_functions_stay_few() -> None:
    inside = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for name, path in modules().items()
        for node, in_function in imports(name, path)
        if in_function
    ]
    assert len(inside) <= MAX_IMPORTS_IN_FUNCTIONS, inside


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
