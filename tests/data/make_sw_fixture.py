# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record which exception pyscard 2.3.1 raises for every status word.

Run with the reference interpreter, from the repository root:

    .venv-ref/bin/python tests/data/make_sw_fixture.py

For each checker, and for a few ErrorCheckingChain set-ups, the fixture
holds one 256-character row per SW1 value that raises anything: character
i tells what SW2 = i gives ("." nothing, "W" WarningProcessingException,
"E" ExecutionErrorException, "S" SecurityRelatedException, "C"
CheckingErrorException). sw_scenarios.py defines the set-ups.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sw_scenarios  # noqa: E402


def main() -> None:
    version = importlib.metadata.version("pyscard")
    if version != "2.3.1":
        sys.exit(f"run this with pyscard 2.3.1 (found {version})")
    fixture = {"reference": f"pyscard {version}"}
    for name, check in sw_scenarios.scenarios().items():
        fixture[name] = sw_scenarios.table_of(check)
    out = HERE / "sw_reference.json"
    out.write_text(json.dumps(fixture, sort_keys=True, indent=1) + "\n")
    print(f"wrote {out}: {len(fixture) - 1} scenarios")


if __name__ == "__main__":
    main()
