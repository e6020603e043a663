# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's one import of the ``smartcard.scard`` extension.

Constants and the ``PCSCLibraryError`` class come from here; calls go through
:mod:`smartcard._pcsc.backend`, so that a test can replace them.
"""

from smartcard import scard as scard
from smartcard.scard import *  # noqa: F403
from smartcard.scard import PCSCLibraryError as PCSCLibraryError
