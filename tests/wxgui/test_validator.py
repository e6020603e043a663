# SPDX-License-Identifier: LGPL-2.1-or-later
"""APDUHexValidator: keys typed into a real text field."""

from __future__ import annotations

import wx

from smartcard.wx._capture import pump
from smartcard.wx.APDUHexValidator import APDUHexValidator

from ._widgets import type_into


def _field(windows):
    frame = wx.Frame(None, title="validator", size=(400, 120))
    windows.append(frame)
    field = wx.TextCtrl(frame, validator=APDUHexValidator())
    frame.Show()
    pump(0.2)
    return field


def test_non_hex_keys_are_refused(windows):
    field = _field(windows)
    type_into(field, "00 a4 zz 0G!-")
    assert field.GetValue() == "00 a4  0"
    assert field.GetValidator().Validate(field)


def test_hex_with_and_without_blanks_is_accepted(windows):
    field = _field(windows)
    type_into(field, "00A40400 0aF0")
    assert field.GetValue() == "00A40400 0aF0"


def test_pasted_text_is_checked_by_validate(windows):
    field = _field(windows)
    field.SetValue("00 A4 XY")
    assert not field.GetValidator().Validate(field)
    field.SetValue(" 00 a4\n04 00 ")
    assert field.GetValidator().Validate(field)
