# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sphinx configuration: sphinx-build -W -b html docs docs/_build/html

autodoc imports the installed package (``pip install -e '.[docs]'``), the
SWIG extension included: its functions are documented from their docstrings.
Code examples are files in docs/examples/, run by tests/docs/test_examples.py.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

project = "pyscard"
author = "pyscard developers"
copyright = "2001-2012 Gemalto, and the pyscard developers; LGPL-2.1-or-later"
try:
    release = package_version("pyscard")
except PackageNotFoundError:  # building from a tree that is not installed
    release = "2.4.0.dev0"
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]

exclude_patterns = ["_build", "examples"]
default_role = "code"
highlight_language = "python3"

autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"
autodoc_preserve_defaults = True

html_theme = "alabaster"
html_title = f"pyscard {release}"
html_theme_options = {
    "description": "Smart cards from Python, through PC/SC",
    "fixed_sidebar": True,
}
