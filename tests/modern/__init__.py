# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of the new API: smartcard.connecting, smartcard.iso7816, smartcard.aio..."""
