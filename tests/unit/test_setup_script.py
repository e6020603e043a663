# SPDX-License-Identifier: LGPL-2.1-or-later
"""``scripts/setup.sh`` as a user who is not root and has no sudo: what to run, and exit 1.

The machine is simulated with a PATH of its own: ``id -u`` answers 1000,
``dpkg-query`` knows no package, and there is no ``sudo``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]


def _shim(folder: pathlib.Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


def test_no_root_and_no_sudo_says_what_to_run(tmp_path: pathlib.Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "python3", "grep", "cat"):
        found = shutil.which(tool)
        assert found is not None, tool
        (bin_dir / tool).symlink_to(found)
    _shim(bin_dir, "id", 'if [ "$1" = -u ]; then echo 1000; else exec /usr/bin/id "$@"; fi')
    _shim(bin_dir, "dpkg-query", "exit 1")  # every package is missing
    assert shutil.which("sudo", path=str(bin_dir)) is None
    result = subprocess.run(
        ["/bin/bash", str(REPO / "scripts" / "setup.sh"), "--no-demo"],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "command not found" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "setup: this step needs root, and sudo is not installed; as root, run:"
    assert lines[1].startswith("    apt-get update && apt-get install -y pcscd libpcsclite-dev ")
    assert lines[2] == "then run scripts/setup.sh again."
    assert not os.path.exists(tmp_path / ".venv")
