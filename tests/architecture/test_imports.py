"""The import graph of `campaignflow/`, read from the source with `ast` (nothing is imported).

Three rules (issue #19, "Structure"):
- a domain module (anything under a `domain/` package) is pure: it imports only the standard
  library, pure third-party libraries and other domain modules; no Django, no ninja, no models,
  services or runtime helpers;
- `campaignflow.core` is the base: it imports no capability app (`accounts` is base too);
- no import cycle between modules, counting imports inside functions too (a lazy import only
  hides a cycle from the interpreter, not from a reader).
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "campaignflow"

CAPABILITY_APPS = {
    "campaigns",
    "planning",
    "goals",
    "tracking",
    "budgets",
    "execution",
    "alerts",
    "notifications",
    "review",
    "reports",
}
# Third-party libraries a domain module may use: pure computation on values it is given. Adding one
# here is a decision (no web framework, database, network or task queue).
PURE_LIBRARIES = {
    "chinese_calendar",  # the holiday table behind core.domain.workdays
    "python_calamine",  # reads XLSX bytes into rows (tracking.domain.parsers)
    "cryptography",  # AES of the chat platforms' signed callbacks (chatcards.domain.callback_crypto, ADR 0018)
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    }


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The longest known module `name` (or one of its parents) names; None outside the project."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every name `module` imports (absolute, relative resolved), with its line, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if _is_package(path) else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from pkg import sub` imports the module pkg.sub when there is one.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append((candidate if candidate in MODULES else target, node.lineno))
    return found


IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def _where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(ROOT)}:{line}"


def _app(name: str) -> str | None:
    """The app a dotted name belongs to (campaignflow.<app>....), None outside the project."""
    parts = name.split(".")
    return parts[1] if parts[0] == "campaignflow" and len(parts) > 1 else None


def _is_domain(module: str) -> bool:
    return "domain" in module.split(".")


def test_domain_modules_import_only_pure_code():
    stdlib = set(sys.stdlib_module_names)
    offences = set()
    for module, imports in IMPORTS.items():
        if not _is_domain(module):
            continue
        for name, line in imports:
            top = name.split(".")[0]
            if top == "campaignflow":
                target = _resolve(name)
                if target is None or not _is_domain(target):
                    offences.add(f"{_where(module, line)} imports {name}")
            elif top not in stdlib and top not in PURE_LIBRARIES:
                offences.add(f"{_where(module, line)} imports {name}")
    assert not offences, (
        "Domain modules import only the standard library, PURE_LIBRARIES and other domain modules:\n"
        + "\n".join(sorted(offences))
    )


def test_core_imports_no_capability_app():
    offences = {
        f"{_where(module, line)} imports {name}"
        for module, imports in IMPORTS.items()
        if _app(module) == "core"
        for name, line in imports
        if _app(name) in CAPABILITY_APPS
    }
    assert not offences, "campaignflow.core is the base and imports no capability app:\n" + "\n".join(sorted(offences))


def _graph() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for module, imports in IMPORTS.items():
        for name, _line in imports:
            target = _resolve(name)
            if target and target != module:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in sorted(set(graph) | {target for targets in graph.values() for target in targets}):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [
        f"    {module} -> {target} ({_where(module, line)})"
        for module in component
        for name, line in IMPORTS[module]
        if (target := _resolve(name)) in members and target != module
    ]
    return "  " + " <-> ".join(component) + "\n" + "\n".join(sorted(set(edges)))


def test_the_cycle_finder_sees_long_circles_and_ignores_chains():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": set(), "x": {"y"}, "y": {"x"}}
    assert sorted(_cycles(graph)) == [["a", "b", "c"], ["x", "y"]]


def test_no_import_cycles():
    graph = _graph()
    cycles = _cycles(graph)
    assert not cycles, "Import cycles between modules (function-level imports count):\n" + "\n".join(
        _describe(component, graph) for component in cycles
    )
