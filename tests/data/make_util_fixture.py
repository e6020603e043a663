# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record pyscard 2.3.1's smartcard.util results into util_reference.json.

Run with the reference interpreter, from the repository root:

    .venv-ref/bin/python tests/data/make_util_fixture.py

util_cases.py defines the calls.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import util_cases  # noqa: E402


def main() -> None:
    version = importlib.metadata.version("pyscard")
    if version != "2.3.1":
        sys.exit(f"run this with pyscard 2.3.1 (found {version})")
    fixture = {
        "reference": f"pyscard {version}",
        # Some messages come from the interpreter and vary between versions.
        "python": "{}.{}".format(*sys.version_info),
        "outcomes": util_cases.outcomes(),
    }
    out = HERE / "util_reference.json"
    out.write_text(json.dumps(fixture, sort_keys=True, indent=0) + "\n")
    print(f"wrote {out}: {len(fixture['outcomes'])} calls")


if __name__ == "__main__":
    main()
