# SPDX-License-Identifier: LGPL-2.1-or-later
"""wxPython widgets for smart card applications, with pyscard 2.3.1's names.

The modules keep pyscard's CamelCase names (``APDUHexValidator``,
``APDUTracerPanel``, ``CardAndReaderTreePanel``, ``ReaderToolbar``,
``SimpleSCardApp``, ``SimpleSCardAppEventObserver``, ``SimpleSCardAppFrame``)
and sit on the framework's monitors, so the trees follow insertions,
removals and restarts of the PC/SC service. Sample applications run with
``python -m smartcard.wx NAME`` (``python -m smartcard.wx --help`` lists them).

``ICO_SMARTCARD`` and ``ICO_READER`` are the paths of the 16x16 icons.
"""

from __future__ import annotations

import os.path
import sys

_HOW_TO_GET_WX = (
    "smartcard.wx needs wxPython 4 (import wx failed: {error}). "
    "PyPI has wheels of wxPython for Windows and macOS only ('pip install pyscard[wx]'); "
    "on Linux install your distribution's package: Debian/Ubuntu 'apt install "
    "python3-wxgtk4.0' (then make the venv with --system-site-packages from /usr/bin/python3), "
    "Fedora 'dnf install python3-wxpython4', or build wxPython from source with "
    "'pip install wxPython' (needs the GTK 3 development packages)."
)

try:
    import wx  # noqa: F401 - fail here, with the way to get it, not deep inside a widget
except ImportError as _error:
    raise ImportError(_HOW_TO_GET_WX.format(error=_error), name="wx") from _error


def main_is_frozen() -> bool:
    """Whether the application was frozen into an executable (py2exe, PyInstaller...)."""
    return hasattr(sys, "frozen") or hasattr(sys, "importers")


def _icon(name: str) -> str | None:
    # A frozen application ships the icons in ./images, as pyscard's did.
    if main_is_frozen():
        path = os.path.join("images", name)
        return path if os.path.exists(path) else None
    return os.path.join(os.path.dirname(__file__), "resources", name)


ICO_SMARTCARD = _icon("smartcard.ico")
ICO_READER = _icon("reader.ico")
