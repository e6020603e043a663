# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run stub_properties.py in a process whose PC/SC library is the fuzz stub.

The library is opened once per process and this one talks to a real pcscd,
so the property tests get a pytest process of their own. The stub is built
from fuzz/stub/pcsc_fuzz_stub.c with the C compiler that built the extension.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from _stub_library import build_stub_library

ROOT = Path(__file__).resolve().parents[2]
STUB_SOURCE = ROOT / "fuzz" / "stub" / "pcsc_fuzz_stub.c"


def build_stub(folder: Path) -> Path:
    return build_stub_library(STUB_SOURCE, folder / "libpcsc_fuzz_stub.so")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the stub is built for Linux")
def test_conversion_properties_against_the_stub(tmp_path: Path) -> None:
    library = build_stub(tmp_path)
    env = dict(os.environ, PYSCARD_PCSC_LIBRARY=str(library))
    env.pop("PCSCLITE_CSOCK_NAME", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=-ra",
            str(Path(__file__).with_name("stub_properties.py")),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout[-20000:])
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert " passed" in result.stdout
