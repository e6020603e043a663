# SPDX-License-Identifier: LGPL-2.1-or-later
"""The public surface of a ``smartcard/wx`` source directory, read from its syntax tree.

No import: pyscard's wx modules need wxPython, which the reference
environment (.venv-ref) lacks. For each module: the public module-level
names (what ``from module import *`` and attribute access give applications),
and for each public class its methods' parameters, with the defaults that
are literals. Used by make_wx_fixture.py, tests/unit/test_wx_api.py and
tests/wxgui/test_names.py.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

MODULES = (
    "__init__",
    "APDUHexValidator",
    "APDUTracerPanel",
    "CardAndReaderTreePanel",
    "ReaderToolbar",
    "SimpleSCardApp",
    "SimpleSCardAppEventObserver",
    "SimpleSCardAppFrame",
)

# Standard-library modules a file imported for itself (``import os.path``)
# are not API; every other bound name is, imported ones included: code
# written for pyscard imports names from whichever module held them.
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ("os", "re", "string", "sys")))


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = []
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.append(sub.id)
        return names
    if isinstance(node, ast.Import):
        bound = [(alias.asname or alias.name.split(".")[0]) for alias in node.names]
        return [name for name in bound if name not in _STDLIB]
    if isinstance(node, ast.ImportFrom):
        if node.module == "__future__":
            return []
        return [alias.asname or alias.name for alias in node.names if alias.name != "*"]
    if isinstance(node, ast.If):  # e.g. pyscard's "if not main_is_frozen():" around constants
        return [name for sub in node.body + node.orelse for name in _bound_names(sub)]
    if isinstance(node, ast.Try):
        body = node.body + node.orelse + node.finalbody
        return [name for sub in body for name in _bound_names(sub)]
    return []


def _default(node: ast.expr) -> Any:
    """A literal default as JSON can hold it, else the marker ``{"expr": source}``."""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return {"expr": ast.unparse(node)}
    return list(value) if isinstance(value, tuple) else value


def _parameters(function: ast.FunctionDef) -> list[dict[str, Any]]:
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    result = []
    for argument, default in zip(positional, defaults):
        entry: dict[str, Any] = {"name": argument.arg}
        if default is not None:
            entry["default"] = _default(default)
        result.append(entry)
    return result[1:]  # without self


def _methods(cls: ast.ClassDef) -> dict[str, list[dict[str, Any]]]:
    return {
        node.name: _parameters(node)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
        and (not node.name.startswith("_") or node.name == "__init__")
    }


def module_api(path: Path) -> dict[str, Any]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = sorted(
        {name for node in tree.body for name in _bound_names(node) if not name.startswith("_")}
    )
    classes = {
        node.name: {
            "bases": [ast.unparse(base) for base in node.bases],
            "methods": _methods(node),
        }
        for node in tree.body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    }
    return {"names": names, "classes": classes}


def package_api(directory: Path) -> dict[str, Any]:
    """{"smartcard.wx.X": module_api} for pyscard's modules found in ``directory``."""
    result = {}
    for name in MODULES:
        qualified = "smartcard.wx" if name == "__init__" else f"smartcard.wx.{name}"
        result[qualified] = module_api(directory / f"{name}.py")
    return result
