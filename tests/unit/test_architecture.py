"""The seams of the code, checked on its source: no SQL in the entry points, and the web modules import
each other without cycles (imports inside functions and ``TYPE_CHECKING`` blocks count too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
ENTRYPOINTS = SRC / "ipoffice" / "entrypoints"
WEB = ENTRYPOINTS / "web"
WEB_PACKAGE = "ipoffice.entrypoints.web"
ROUTE_MODULES = {"api", "pages_public", "pages_applicant", "pages_examiner"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file; ``from package import name`` counts as an import
    of ``package.name`` too (it may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_import_scanner_sees_imports_inside_functions() -> None:
    sample = SRC / "ipoffice" / "entrypoints" / "web" / "deps.py"
    assert "sqlalchemy" not in imported(sample)
    assert {"ipoffice.entrypoints.web.auth", "ipoffice.services.procedures"} <= imported(sample)


def test_no_entry_point_imports_sqlalchemy() -> None:
    offenders = sorted(
        f"{path.relative_to(SRC)} imports {name}"
        for path in ENTRYPOINTS.rglob("*.py")
        for name in imported(path)
        if name == "sqlalchemy" or name.startswith("sqlalchemy.")
    )
    assert not offenders, offenders


def _web_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in WEB.glob("*.py")}
    return {name: {m for m in imported(path) if m in modules and m != name} for name, path in modules.items()}


def test_web_modules_import_each_other_without_cycles() -> None:
    graph = _web_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_route_modules_import_neither_app_nor_other_routes() -> None:
    graph = _web_graph()
    app = f"{WEB_PACKAGE}.app"
    for route in ROUTE_MODULES:
        name = f"{WEB_PACKAGE}.{route}"
        assert name in graph, name
        others = {f"{WEB_PACKAGE}.{r}" for r in ROUTE_MODULES} - {name}
        assert app not in graph[name], f"{name} imports app"
        assert not graph[name] & others, f"{name} imports {graph[name] & others}"
    helpers = set(graph) - {app} - {f"{WEB_PACKAGE}.{r}" for r in ROUTE_MODULES}
    for helper in helpers:
        assert app not in graph[helper], f"{helper} imports app"
        assert not graph[helper] & {f"{WEB_PACKAGE}.{r}" for r in ROUTE_MODULES}, f"{helper} imports a route module"
    assert {f"{WEB_PACKAGE}.{r}" for r in ROUTE_MODULES} <= graph[app]
