# SPDX-License-Identifier: LGPL-2.1-or-later
"""The APDU script console: run a script, one line, a reset; open and save."""

from __future__ import annotations

from smartcard.testing import DEFAULT_AID
from smartcard.util import toHexString
from smartcard.wx import console
from smartcard.wx._capture import wait_until

from ._widgets import click

SELECT = "00 A4 04 00 0A " + toHexString(list(DEFAULT_AID))
SCRIPT = f"""# three commands
{SELECT}
80 10 00 00 03 01 02 03   # echo
00 A4 04 00 02 \\
   3F 00
"""


def _console(windows, pcscd, path=None):
    frame = console.make_frame(path)
    windows.append(frame)
    wait_until(lambda: frame.readerchoice.GetCount() == 2, what="both readers listed")
    frame.readerchoice.SetStringSelection(pcscd.reader_names[0])
    return frame


def _rows(frame, count):
    wait_until(
        lambda: not frame.IsRunning() and len(frame.Results()) >= count,
        what=f"{count} result rows",
    )
    return frame.Results()


def test_runs_a_three_line_script_and_shows_each_status_meaning(
    windows, pcscd, virtual_card_factory
):
    card = virtual_card_factory(0)
    frame = _console(windows, pcscd)
    frame.editor.SetValue(SCRIPT)
    click(frame.runallbutton)
    rows = _rows(frame, 3)
    assert rows == [
        ("2", SELECT, "", "90 00", "Success, normal processing"),
        ("3", "80 10 00 00 03 01 02 03", "01 02 03", "90 00", "Success, normal processing"),
        ("4", "00 A4 04 00 02 3F 00", "", "6A 82", "File or application not found"),
    ]
    atr_text = frame.atrtext.GetValue()
    assert f"ATR: {toHexString(list(card.atr))}" in atr_text
    assert "as text: 'pyscard'" in atr_text  # the historical bytes, decoded
    assert frame.GetStatusBar().GetStatusText() == "done"


def test_runs_the_line_under_the_cursor_and_resets(windows, pcscd, virtual_card_factory):
    card = virtual_card_factory(0)
    frame = _console(windows, pcscd)
    frame.editor.SetValue(SCRIPT)
    # The cursor on the continuation line runs the whole logical line.
    frame.editor.SetInsertionPoint(frame.editor.XYToPosition(2, 4))
    click(frame.runlinebutton)
    assert _rows(frame, 1) == [
        ("4", "00 A4 04 00 02 3F 00", "", "6A 82", "File or application not found")
    ]

    click(frame.resetbutton)
    rows = _rows(frame, 2)
    assert rows[1] == ("", "reset", toHexString(list(card.atr)), "", "card reset; new ATR")

    frame.editor.SetInsertionPoint(0)  # a comment line
    click(frame.runlinebutton)
    assert frame.GetStatusBar().GetStatusText() == "line 1: no APDU to send"


def test_a_bad_line_is_reported_before_anything_is_sent(windows, pcscd, virtual_card_factory):
    virtual_card_factory(0)
    frame = _console(windows, pcscd)
    frame.editor.SetValue(f"{SELECT}\n00 A4 zz\n")
    click(frame.runallbutton)
    assert frame.Results() == []
    assert "line 2" in frame.GetStatusBar().GetStatusText()
    assert "not hexadecimal" in frame.GetStatusBar().GetStatusText()


def test_no_card_is_reported_in_the_results(windows, pcscd):
    frame = _console(windows, pcscd)
    frame.editor.SetValue(SELECT)
    click(frame.runallbutton)
    [row] = _rows(frame, 1)
    assert row[4].startswith("no card in") or "card" in row[4].lower()


def test_open_and_save_keep_the_script(windows, pcscd, tmp_path):
    path = tmp_path / "select.apdu"
    path.write_text(SCRIPT)
    frame = _console(windows, pcscd, str(path))
    assert frame.editor.GetValue() == SCRIPT
    assert frame.GetTitle().startswith("select.apdu")
    frame.editor.AppendText("reset\n")
    saved = tmp_path / "saved.apdu"
    frame.SaveScript(str(saved))
    assert saved.read_text() == SCRIPT + "reset\n"
    assert not frame.editor.IsModified()
