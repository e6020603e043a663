#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run a command with DISPLAY set to a private Xvfb server, then stop the server.

    scripts/with_xvfb.py COMMAND [ARGS...]

Xvfb picks a free display itself and tells which (``-displayfd``), so runs
side by side never collide; Debian 12's ``xvfb-run -a`` guesses one from
lock files and can lose that race to another X server starting at the same time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

SCREEN = "1280x1024x24"


def main() -> int:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("Xvfb not found: apt install xvfb (scripts/setup.sh does)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            SCREEN,
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as reply:
        display = reply.readline().strip()  # written once the server accepts clients
    if not display:
        server.wait()
        sys.exit(f"Xvfb did not start (exit status {server.returncode})")
    try:
        env = {**os.environ, "DISPLAY": f":{display}"}
        env.pop("WAYLAND_DISPLAY", None)
        return subprocess.call(sys.argv[1:], env=env)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
