# SPDX-License-Identifier: LGPL-2.1-or-later
"""Status word (SW1 SW2) checking.

The checker modules keep pyscard's names, e.g.
``smartcard.sw.ISO7816_4ErrorChecker.ISO7816_4ErrorChecker``; checkers can be
chained with ``smartcard.sw.ErrorCheckingChain``. describe_sw() gives the
ISO 7816-4 meaning of any status word.
"""

from __future__ import annotations

from smartcard.sw._tables import describe_sw

__all__ = ["describe_sw"]
