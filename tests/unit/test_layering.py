# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's imports point down the floors, and one module imports the extension."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_graph.py"


def _graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


def test_no_import_runs_up_a_floor_and_no_cycle() -> None:
    graph = _graph()
    assert graph.violations(graph.collect()) == []


def test_only_the_seam_imports_the_extension() -> None:
    graph = _graph()
    importers = {
        source
        for source, targets in graph.collect().items()
        if graph.in_library(source) and any(t.startswith("smartcard.scard") for t in targets)
    }
    assert importers == {"smartcard._pcsc.extension"}


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    graph = _graph()
    edges = graph.collect()
    edges["smartcard._pcsc.handle"].add("smartcard.pcsc.PCSCCardConnection")
    edges["smartcard.iso7816.apdu"].add("smartcard.scard")
    problems = graph.violations(edges)
    assert any("smartcard._pcsc.handle" in p and "arrow up" in p for p in problems)
    assert any("smartcard.iso7816.apdu imports the extension" in p for p in problems)
