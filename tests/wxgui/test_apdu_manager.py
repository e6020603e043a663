# SPDX-License-Identifier: LGPL-2.1-or-later
"""The APDU manager sample: type an APDU, transmit it, read the response and the trace."""

from __future__ import annotations

from smartcard.util import toHexString
from smartcard.wx import apdumanager
from smartcard.wx._capture import wait_until

from ._widgets import click, find_item, item_rect, type_into


def test_typed_apdu_is_sent_and_the_tracer_shows_the_response(windows, pcscd, virtual_card_factory):
    card = virtual_card_factory(0)
    frame = apdumanager.make_frame()
    windows.append(frame)
    panel = frame.treeuserpanel.dialogpanel
    cards = frame.treeuserpanel.readertreepanel.cardtreectrl
    atr = toHexString(list(card.atr))
    item = wait_until(lambda: find_item(cards, atr), what="the card in the tree")

    assert not panel.transmitbutton.IsEnabled()
    click(item_rect(cards, item), double=True)  # activate: the frame connects
    wait_until(panel.transmitbutton.IsEnabled, what="Transmit enabled after activation")

    type_into(panel.commandtextctrl, "80 10 00 00 02 CA FE")
    assert panel.commandtextctrl.GetValue() == "80 10 00 00 02 CA FE"
    click(panel.transmitbutton)

    wait_until(lambda: panel.responsetextctrl.GetValue() == "CA FE", what="the echoed data")
    assert (panel.SW1textctrl.GetValue(), panel.SW2textctrl.GetValue()) == ("90", "00")
    assert panel.meaningtext.GetLabel() == "Success, normal processing"
    trace = frame.apdutracerpanel.apdutextctrl
    wait_until(lambda: "< CA FE 90 00" in trace.GetValue(), what="the response in the trace")
    lines = trace.GetValue().splitlines()
    assert lines[0] == f"connecting to {pcscd.reader_names[0]}"
    assert "> 80 10 00 00 02 CA FE" in lines
    assert "< CA FE 90 00  (Success, normal processing)" in lines
