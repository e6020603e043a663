# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CLI's help points to the hosted documentation, the address pyproject.toml declares."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

from smartcard.cli.links import DOCS_URL

REPO = pathlib.Path(__file__).resolve().parents[2]


def _project_url(name: str) -> str:
    text = (REPO / "pyproject.toml").read_text()
    match = re.search(rf'^{name} = "([^"]+)"$', text, re.MULTILINE)
    assert match, name
    return match.group(1)


def test_documentation_url_is_defined_once() -> None:
    assert _project_url("Documentation") == DOCS_URL
    for name in ("Homepage", "Source", "Issues", "Changelog"):
        assert _project_url(name).startswith("https://")


def test_help_points_to_the_hosted_docs_not_to_a_file() -> None:
    for args in (["--help"], ["send", "--help"], ["readers", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "smartcard", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "docs/" not in result.stdout and ".rst" not in result.stdout, args
        assert DOCS_URL in " ".join(result.stdout.split()), args
