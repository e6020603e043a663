# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ``appstyle`` flags of SimpleSCardApp, in a module of their own.

SimpleSCardApp re-exports them (pyscard's home for them); the frame and the
tree panel import them from here, which keeps the modules free of cycles.
"""

TR_SMARTCARD = 0x001  # a tree of the inserted cards
TR_READER = 0x002  # a tree of the readers, each with its card's ATR
TB_SMARTCARD = 0x004  # a toolbar to pick a reader
TB_READER = 0x008  # reserved by pyscard; draws nothing
PANEL_APDUTRACER = 0x010  # a trace of the APDUs of activated cards
TR_DEFAULT = TR_SMARTCARD
