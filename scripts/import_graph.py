#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Draw the library's imports floor by floor, and check that they only point down.

    python scripts/import_graph.py            # the drawing, then the checks
    python scripts/import_graph.py --check    # only the checks (exit 1 on a violation)

Every ``import`` statement counts, including those inside functions: a lazy
import that runs up a floor is still an arrow up. ``smartcard.testing`` (the
test kit, a user of the library) and the extension's own package are drawn
but not part of the library.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Floors, bottom first. A module belongs to the floor of the longest prefix
# it matches; arrows may point to the same floor or below, never above.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("extension", ("smartcard.scard",)),
    ("seam", ("smartcard._pcsc", "smartcard._log", "smartcard._reexports")),
    (
        "ISO 7816 and utilities",
        ("smartcard.iso7816", "smartcard.sw", "smartcard.util", "smartcard.pcsc_enums"),
    ),
    (
        "framework logic",
        (
            "smartcard.monitoring",
            "smartcard.pcsc_card",
            "smartcard.connecting",
            "smartcard.guid",
            "smartcard.ulist",
            # pyscard's observer base classes: logic every observable builds on.
            "smartcard.Observer",
            "smartcard.Synchronization",
        ),
    ),
    (
        "doors, new API, CLI",
        (
            "smartcard",
            # Built on the framework's connection classes, so above them.
            "smartcard.iso7816.decorator",
            "smartcard._decorated",
            "smartcard.reader_features",
        ),
    ),
]
OUTSIDE = ("smartcard.testing",)
EXTENSION = "smartcard.scard"
ONLY_IMPORTER = "smartcard._pcsc.extension"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, (_name, prefixes) in enumerate(FLOORS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    if not matches:
        raise ValueError(module)
    return max(matches)[1]


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    # Every node except what sits under ``if TYPE_CHECKING:``, which never runs.
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                pending.extend(child.orelse)
                continue
            pending.append(child)
    return nodes


def imports_of(path: Path, module: str) -> set[str]:
    """The smartcard modules ``path`` imports (``from a import b`` counts b if it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "smartcard" or name.startswith("smartcard.")}


def collect() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (SRC / "smartcard").rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in imports_of(path, module):
            # Keep real modules only (``from smartcard.x import Name`` names x).
            while name not in modules and "." in name:
                name = name.rpartition(".")[0]
            if name in modules and name != module and name != "smartcard":
                targets.add(name)
        edges[module] = targets
    return edges


def in_library(module: str) -> bool:
    return not module.startswith(OUTSIDE) and not (
        module == EXTENSION or module.startswith(EXTENSION + ".")
    )


def violations(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for source, targets in sorted(edges.items()):
        if not in_library(source):
            continue
        for target in sorted(targets):
            if target.startswith(OUTSIDE):
                found.append(f"{source} imports the test kit {target}")
            elif target.startswith(EXTENSION) and source != ONLY_IMPORTER:
                found.append(f"{source} imports the extension {target}")
            elif floor_of(target) > floor_of(source):
                found.append(
                    f"{source} ({FLOORS[floor_of(source)][0]}) imports {target} "
                    f"({FLOORS[floor_of(target)][0]}): an arrow up"
                )
    found.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges))
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Cycles among the library's module-level imports (Tarjan's strongly connected parts)."""
    top = {m: {t for t in ts if in_library(t)} for m, ts in _top_level_edges().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(top.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                result.append(sorted(part))

    sys.setrecursionlimit(10000)
    for node in sorted(top):
        if in_library(node) and node not in index:
            visit(node)
    return result


def _top_level_edges() -> dict[str, set[str]]:
    # Module-level statements only (including under ``if TYPE_CHECKING`` is
    # excluded: it never runs): what runs when the module is imported.
    modules = {module_name(p): p for p in (SRC / "smartcard").rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        shell = ast.Module(body=body, type_ignores=[])
        names = set()
        for node in ast.walk(shell):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        targets = set()
        for name in names:
            while name not in modules and "." in name:
                name = name.rpartition(".")[0]
            if name in modules and name not in (module, "smartcard"):
                targets.add(name)
        edges[module] = targets
    return edges


def drawing(edges: dict[str, set[str]]) -> str:
    """Arrows between floors, with how many module imports each stands for."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    into_extension = set()
    for source, targets in edges.items():
        if not in_library(source):
            continue
        for target in targets:
            if target.startswith(OUTSIDE):
                continue
            counts[(floor_of(source), floor_of(target))] += 1
            if target.startswith(EXTENSION):
                into_extension.add(source)
    lines = []
    for index in reversed(range(len(FLOORS))):
        lines.append(f"[{index}] {FLOORS[index][0]}")
        for (source, target), count in sorted(counts.items()):
            if source == index and target != index:
                lines.append(f"      └─> [{target}] {FLOORS[target][0]}  ({count} imports)")
    lines.append(f"modules importing {EXTENSION}: {', '.join(sorted(into_extension)) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on a violation")
    args = parser.parse_args()
    edges = collect()
    if not args.check:
        print(drawing(edges))
    problems = violations(edges)
    for problem in problems:
        print(problem)
    if not problems and not args.check:
        print("no arrow up, no cycle, one importer of the extension")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
