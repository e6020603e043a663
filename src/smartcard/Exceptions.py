# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions raised by the smartcard framework.

Every class carries ``hresult``: the PC/SC result code that caused it, or -1
when the failure did not come from PC/SC. ``str()`` is pyscard's text; the
plain-language explanation (meaning, likely cause and fix) is the
``explanation`` attribute and a note on the exception. The classes are
defined beside the PC/SC seam that raises them (:mod:`smartcard._pcsc`).
"""

from smartcard._pcsc.exceptions import *  # noqa: F403
from smartcard._pcsc.exceptions import __all__ as __all__

# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import lazy_names, scard

__getattr__ = lazy_names(__name__, scard("SCardGetErrorMessage"))
