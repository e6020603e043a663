# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC API: every winscard call and constant, as pyscard names them.

Functions return pyscard's shapes: a bare result code, or a list whose
first item is the result code followed by the outputs. Byte buffers are
given as lists of ints or bytes-like objects and come back as lists of
ints. The PC/SC library is opened on the first call; when it cannot be,
the call raises :class:`PCSCLibraryError` saying what to install.
"""

# Straight from the extension, not through SWIG's proxy module scard.py
# (kept for code that imports smartcard.scard.scard): the proxy adds
# nothing with -builtin, and SWIG 4.5's imports typing, which costs the
# import time every application pays.
from smartcard.scard._scard import *  # noqa: F403
from smartcard.scard._scard import PCSCLibraryError, error  # noqa: F401
