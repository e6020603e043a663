# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC API: every winscard call and constant, as pyscard names them.

Functions return pyscard's shapes: a bare result code, or a list whose
first item is the result code followed by the outputs. Byte buffers are
given as lists of ints or bytes-like objects and come back as lists of
ints. The PC/SC library is opened on the first call; when it cannot be,
the call raises :class:`PCSCLibraryError` saying what to install.
"""

from smartcard.scard._scard import PCSCLibraryError, error  # noqa: F401
from smartcard.scard.scard import *  # noqa: F403
