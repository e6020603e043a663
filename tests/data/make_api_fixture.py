# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record the public names of pyscard 2.3.1's modules (and every module-level name).

Run with the reference interpreter, from the repository root:

    .venv-ref/bin/python tests/data/make_api_fixture.py
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import api_names  # noqa: E402


def main() -> None:
    version = importlib.metadata.version("pyscard")
    if version != "2.3.1":
        sys.exit(f"run this with pyscard 2.3.1 (found {version})")
    fixture = {
        "reference": f"pyscard {version}",
        "names": api_names.all_names(),
        "module_names": api_names.every_module_names(),
    }
    out = HERE / "api_reference.json"
    out.write_text(json.dumps(fixture, sort_keys=True, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
