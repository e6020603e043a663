# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record pyscard 2.3.1's view of many ATRs into atr_reference.json.

Run with the reference interpreter, from the repository root:

    .venv-ref/bin/python tests/data/make_atr_fixture.py

The fixture holds full observations for REAL_ATRS, EDGE_ATRS and the first
synthetic ATRs, and digests (see atr_probe.digest) for the rest. ATRs read
from pcsc-tools' smartcard_list.txt are stored only as digests of the ATR
and of the observation, so the list itself is not copied into this project;
the test re-reads it from the system when it is installed.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import atr_probe  # noqa: E402

SMARTCARD_LIST = pathlib.Path("/usr/share/pcsc/smartcard_list.txt")
SYNTHETIC_COUNT = 3000
SYNTHETIC_FULL = 50  # how many synthetic ATRs get a full observation


def list_atrs(path: pathlib.Path) -> list[list[int]]:
    """Return the ATRs of smartcard_list.txt that are plain hex (no regex)."""
    pattern = re.compile(r"^3[BF]( [0-9A-F]{2})+$")
    atrs = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if pattern.match(line):
            atrs.append(list(bytes.fromhex(line)))
    return atrs


def main() -> None:
    version = importlib.metadata.version("pyscard")
    if version != "2.3.1":
        sys.exit(f"run this with pyscard 2.3.1 (found {version})")
    from smartcard.ATR import ATR

    full = {}
    for _, text in atr_probe.REAL_ATRS:
        full[text] = atr_probe.probe(ATR, list(bytes.fromhex(text)))
    edge = [[atr, atr_probe.probe(ATR, atr)] for atr in atr_probe.EDGE_ATRS]
    synthetic = list(atr_probe.synthetic_atrs(SYNTHETIC_COUNT))
    synthetic_full = [[atr, atr_probe.probe(ATR, atr)] for atr in synthetic[:SYNTHETIC_FULL]]
    synthetic_digests = [atr_probe.digest(atr_probe.probe(ATR, atr)) for atr in synthetic]
    listed = {}
    if SMARTCARD_LIST.exists():
        for atr in list_atrs(SMARTCARD_LIST):
            listed[atr_probe.atr_key(atr)] = atr_probe.digest(atr_probe.probe(ATR, atr))

    fixture = {
        "reference": f"pyscard {version}",
        "class_attributes": {
            name: getattr(ATR, name)
            for name in ("clockrateconversion", "bitratefactor", "currenttable")
        },
        "real": full,
        "edge": edge,
        "synthetic_count": SYNTHETIC_COUNT,
        "synthetic_check": atr_probe.digest({"atrs": synthetic}),
        "synthetic_full": synthetic_full,
        "synthetic_digests": "".join(synthetic_digests),
        "smartcard_list": listed,
    }
    out = HERE / "atr_reference.json"
    out.write_text(json.dumps(fixture, sort_keys=True, separators=(",", ":")) + "\n")
    print(
        f"wrote {out}: {len(full)} real, {len(edge)} edge, {SYNTHETIC_COUNT} synthetic, "
        f"{len(listed)} from smartcard_list.txt"
    )


if __name__ == "__main__":
    main()
