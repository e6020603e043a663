# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions of the PC/SC layer: contexts, reader listing, reader groups.

pyscard's classes, with their constructor signatures, and the classes this
library raises when a context cannot be established or readers cannot be
listed; each of those inherits from every class an application could
reasonably catch for that failure. Defined in :mod:`smartcard._pcsc`.
"""

from smartcard._pcsc.context_errors import *  # noqa: F403
from smartcard._pcsc.context_errors import ReaderListingContextError as ReaderListingContextError
from smartcard._pcsc.context_errors import __all__ as __all__
