# SPDX-License-Identifier: LGPL-2.1-or-later
"""A wx validator that accepts APDUs typed in hex: ``00 A4 04 00`` or ``00A40400``."""

from __future__ import annotations

import re
import string
from typing import Any

import wx

#: One byte: one or two hex digits.
hexbyte = "[0-9a-fA-F]{1,2}"
#: Bytes separated by optional blanks. Matched against the whole text.
apduregexp = re.compile(f"[ ]*(?:({hexbyte})[ ]*)*")

_TYPED = frozenset(string.hexdigits + " ")


def is_apdu_text(text: str) -> bool:
    """Whether ``text`` is hex digits and blanks only (line breaks count as blanks)."""
    return apduregexp.fullmatch(text.replace("\n", " ").replace("\r", " ")) is not None


class APDUHexValidator(wx.Validator):
    """Refuse any key that would put something other than hex digits and blanks in the text."""

    def __init__(self) -> None:
        wx.Validator.__init__(self)
        self.Bind(wx.EVT_CHAR, self.OnChar)

    def Clone(self) -> APDUHexValidator:
        return APDUHexValidator()

    def Validate(self, win: Any) -> bool:
        return is_apdu_text(self.GetWindow().GetValue())

    # Without these two, a dialog using the validator reports a failed transfer.
    def TransferToWindow(self) -> bool:
        return True

    def TransferFromWindow(self) -> bool:
        return True

    def OnChar(self, event: Any) -> None:
        key = event.GetKeyCode()
        # Editing and navigation keys (Backspace, Delete, arrows, Tab, Enter) pass.
        if key < wx.WXK_SPACE or key == wx.WXK_DELETE or key > 255:
            event.Skip()
            return
        char = chr(key)
        if char in _TYPED and is_apdu_text(_text_after_typing(event.GetEventObject(), char)):
            event.Skip()
            return
        if not wx.Validator.IsSilent():
            wx.Bell()


def _text_after_typing(control: Any, char: str) -> str:
    """The control's text as it would be once ``char`` replaces the selection."""
    start, end = control.GetSelection()
    value = str(control.GetValue())
    return value[:start] + char + value[end:]
