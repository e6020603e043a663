# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record pyscard 2.3.1's smartcard.wx surface (names, classes, signatures) from its source.

Run from the repository root; the source comes from .venv-ref's installed
pyscard 2.3.1 (its wheel carries the .py files), or from a directory given
as argument (e.g. the sdist's ``src/smartcard/wx``):

    python3 tests/data/make_wx_fixture.py [DIRECTORY]
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import wx_api  # noqa: E402

OUT = HERE / "wx_reference.json"
FIND_SOURCE = (
    "import importlib.metadata, importlib.util, os; "
    "assert importlib.metadata.version('pyscard') == '2.3.1', 'not pyscard 2.3.1'; "
    "print(os.path.join(os.path.dirname(importlib.util.find_spec('smartcard').origin), 'wx'))"
)


def reference_source(python: str) -> pathlib.Path:
    """The smartcard/wx directory of the pyscard 2.3.1 that ``python`` has installed."""
    output = subprocess.run([python, "-c", FIND_SOURCE], check=True, capture_output=True, text=True)
    return pathlib.Path(output.stdout.strip())


def fixture(directory: pathlib.Path) -> dict[str, object]:
    return {"reference": "pyscard 2.3.1", "modules": wx_api.package_api(directory)}


def main() -> None:
    if len(sys.argv) > 1:
        directory = pathlib.Path(sys.argv[1])
    else:
        directory = reference_source(str(HERE.parents[1] / ".venv-ref" / "bin" / "python"))
    OUT.write_text(json.dumps(fixture(directory), sort_keys=True, indent=1) + "\n")
    print(f"wrote {OUT} from {directory}")


if __name__ == "__main__":
    main()
