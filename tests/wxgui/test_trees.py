# SPDX-License-Identifier: LGPL-2.1-or-later
"""The card monitor sample's trees follow the virtual readers and cards, and a pcscd restart."""

from __future__ import annotations

from smartcard.util import toHexString
from smartcard.wx import cardmonitor, readerviewer
from smartcard.wx._capture import wait_until
from smartcard.wx.CardAndReaderTreePanel import NO_CARD, SERVICE_LOST

from ._widgets import click, find_item, item_rect, tree_lines


def _trees(frame):
    panel = frame.treeuserpanel.readertreepanel
    return panel.readertreectrl, panel.cardtreectrl


def test_trees_show_both_readers_then_the_card_then_drop_it(windows, pcscd, virtual_card_factory):
    frame = cardmonitor.make_frame()
    windows.append(frame)
    readers, cards = _trees(frame)
    first, second = pcscd.reader_names
    empty = ["Smartcard Readers", f"  {first}", f"    {NO_CARD}", f"  {second}", f"    {NO_CARD}"]
    wait_until(lambda: tree_lines(readers) == empty, what=f"{empty} in {tree_lines(readers)}")
    assert tree_lines(cards) == ["Smartcards"]

    card = virtual_card_factory(1)
    atr = toHexString(list(card.atr))
    with_card = empty[:3] + [f"  {second}", f"    {atr}"]
    wait_until(lambda: tree_lines(readers) == with_card, what=f"ATR in {tree_lines(readers)}")
    wait_until(lambda: tree_lines(cards) == ["Smartcards", f"  {atr}"], what="card tree")

    # A person clicks the card: the sample's panel says which one.
    click(item_rect(cards, find_item(cards, atr)))
    label = frame.treeuserpanel.dialogpanel.feedbacktext.GetLabel()
    assert label.startswith("Selected card:") and second in label

    pcscd.remove_card(1)
    wait_until(lambda: tree_lines(readers) == empty, what=f"removal in {tree_lines(readers)}")
    wait_until(lambda: tree_lines(cards) == ["Smartcards"], what="card tree emptied")


def test_reader_tree_recovers_after_a_pcscd_restart(windows, pcscd, virtual_card_factory):
    frame = readerviewer.make_frame()
    windows.append(frame)
    readers = frame.treeuserpanel.readertreepanel.readertreectrl
    first, second = pcscd.reader_names
    wait_until(lambda: find_item(readers, second) is not None, what="readers shown")

    pcscd.stop()
    try:
        wait_until(
            lambda: tree_lines(readers) == ["Smartcard Readers" + SERVICE_LOST],
            timeout=15,
            what=f"service lost in {tree_lines(readers)}",
        )
    finally:
        pcscd.start()
    card = virtual_card_factory(0)
    atr = toHexString(list(card.atr))
    expected = ["Smartcard Readers", f"  {first}", f"    {atr}", f"  {second}", f"    {NO_CARD}"]
    wait_until(
        lambda: tree_lines(readers) == expected,
        timeout=20,
        what=f"{expected} in {tree_lines(readers)}",
    )
