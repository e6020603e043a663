# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build a stub PC/SC library from C source, for tests that cannot use a real pcscd."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def pcsc_cflags() -> list[str]:
    """The compiler flags for winscard.h: pkg-config's, else Debian's folder."""
    try:
        return subprocess.run(
            ["pkg-config", "--cflags", "libpcsclite"], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return ["-I/usr/include/PCSC"]


def build_stub_library(source: Path, library: Path) -> Path:
    """Compile ``source`` into the shared library ``library``; fail the test without cc."""
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.fail("no C compiler (cc) to build a stub PC/SC library: install gcc")
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", *pcsc_cflags(), "-o", str(library), str(source)],
        check=True,
    )
    return library
