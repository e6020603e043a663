# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where the hosted documentation lives: the one place the CLI's help texts take it from.

A wheel holds no ``docs/`` folder, so help texts point to the published pages.
``pyproject.toml``'s ``[project.urls]`` names the same address (a unit test
keeps the two equal).
"""

from __future__ import annotations

DOCS_URL = "https://pyscard.readthedocs.io/en/latest/"


def docs_page(page: str, anchor: str = "") -> str:
    """The address of the documentation page ``page`` (``cli``), at ``anchor`` when given."""
    return f"{DOCS_URL}{page}.html" + (f"#{anchor}" if anchor else "")
