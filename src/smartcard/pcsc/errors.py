# SPDX-License-Identifier: LGPL-2.1-or-later
"""What each PC/SC result code means: meaning, name, likely cause and fix.

``explain(hresult)``, ``lookup(hresult)``, ``error_name(hresult)`` and the
tables ``ERRORS`` / ``BY_NAME``. The table lives with the PC/SC seam
(:mod:`smartcard._pcsc.errors`); this module keeps the public name.
"""

from smartcard._pcsc import errors as _table
from smartcard._pcsc.errors import *  # noqa: F403
from smartcard._pcsc.errors import __all__ as __all__


def __getattr__(name: str) -> object:
    # ERRORS and BY_NAME are built on first use, there as here.
    return getattr(_table, name)
