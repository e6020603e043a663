# SPDX-License-Identifier: LGPL-2.1-or-later
"""The event diffing logic alone, fed with PC/SC-shaped results (no daemon needed)."""

from __future__ import annotations

from typing import List, Tuple

from smartcard.monitoring.events import EventKind, MonitorEvent, Snapshot
from smartcard.monitoring.tracking import ReaderTracker, event_counter, in_phase_order
from smartcard.scard import (
    SCARD_STATE_CHANGED,
    SCARD_STATE_EMPTY,
    SCARD_STATE_INUSE,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAVAILABLE,
    SCARD_STATE_UNAWARE,
    SCARD_STATE_UNKNOWN,
)

R0, R1 = "Reader A 00 00", "Reader B 00 01"
ATR1 = [0x3B, 0x02, 0x14, 0x50]
ATR2 = [0x3B, 0x03, 0x01, 0x02, 0x03]


def empty(counter: int) -> int:
    return (counter << 16) | SCARD_STATE_EMPTY | SCARD_STATE_CHANGED


def present(counter: int) -> int:
    return (counter << 16) | SCARD_STATE_PRESENT | SCARD_STATE_CHANGED


def kinds(events: List[MonitorEvent]) -> List[Tuple[str, str, bytes]]:
    return [(e.kind.name, e.reader, e.atr) for e in events]


def tracker_with(*results: Tuple[str, int, list]) -> ReaderTracker:
    tracker = ReaderTracker()
    tracker.service_reached()
    tracker.readers_listed([r[0] for r in results])
    tracker.status_received(results)
    return tracker


def test_first_status_adds_readers_then_their_cards() -> None:
    tracker = ReaderTracker()
    assert tracker.service_reached() == []  # not a restoration: never lost
    assert tracker.readers_listed([R0, R1]) == []
    assert tracker.has_unknown([R0, R1])
    assert tracker.status_query([R0, R1]) == [(R0, SCARD_STATE_UNAWARE), (R1, SCARD_STATE_UNAWARE)]
    events = tracker.status_received([(R0, present(1), ATR1), (R1, empty(0), [])])
    assert kinds(events) == [
        ("READER_ADDED", R0, b""),
        ("READER_ADDED", R1, b""),
        ("CARD_INSERTED", R0, bytes(ATR1)),
    ]
    assert tracker.snapshot() == Snapshot((R0, R1), {R0: bytes(ATR1)}, True)
    assert not tracker.has_unknown([R0, R1])


def test_changed_bit_is_not_handed_back() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    ((name, state),) = tracker.status_query([R0])
    assert name == R0 and not state & SCARD_STATE_CHANGED
    assert event_counter(state) == 1 and state & SCARD_STATE_PRESENT


def test_insert_then_remove() -> None:
    tracker = tracker_with((R0, empty(0), []))
    assert kinds(tracker.status_received([(R0, present(1), ATR1)])) == [
        ("CARD_INSERTED", R0, bytes(ATR1))
    ]
    assert kinds(tracker.status_received([(R0, empty(2), [])])) == [
        ("CARD_REMOVED", R0, bytes(ATR1))
    ]


def test_same_card_out_and_back_between_two_looks_is_reported_by_the_counter() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    # Present before and after, same ATR: only the counter (1 -> 3) tells.
    events = tracker.status_received([(R0, present(3), ATR1)])
    assert kinds(events) == [("CARD_REMOVED", R0, bytes(ATR1)), ("CARD_INSERTED", R0, bytes(ATR1))]


def test_other_card_swapped_in_is_a_removal_and_an_insertion() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    events = tracker.status_received([(R0, present(3), ATR2)])
    assert kinds(events) == [("CARD_REMOVED", R0, bytes(ATR1)), ("CARD_INSERTED", R0, bytes(ATR2))]


def test_atr_change_without_counter_is_still_a_swap() -> None:
    # Stacks that keep no counter (high word always 0) still get swaps right.
    tracker = tracker_with((R0, present(0), ATR1))
    events = tracker.status_received([(R0, present(0), ATR2)])
    assert kinds(events) == [("CARD_REMOVED", R0, bytes(ATR1)), ("CARD_INSERTED", R0, bytes(ATR2))]


def test_counter_wraps_around() -> None:
    tracker = tracker_with((R0, present(0xFFFF), ATR1))
    events = tracker.status_received([(R0, present(1), ATR1)])  # +2 modulo 65536
    assert [e.kind for e in events] == [EventKind.CARD_REMOVED, EventKind.CARD_INSERTED]


def test_card_in_and_out_unseen_reports_nothing() -> None:
    tracker = tracker_with((R0, empty(0), []))
    assert tracker.status_received([(R0, empty(2), [])]) == []
    assert tracker.snapshot().cards == {}


def test_state_flags_without_card_movement_report_nothing() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    in_use = (1 << 16) | SCARD_STATE_PRESENT | SCARD_STATE_INUSE | SCARD_STATE_CHANGED
    assert tracker.status_received([(R0, in_use, ATR1)]) == []


def test_mute_card_is_present_with_empty_atr() -> None:
    tracker = tracker_with((R0, empty(0), []))
    events = tracker.status_received([(R0, present(1), [])])
    assert kinds(events) == [("CARD_INSERTED", R0, b"")]
    assert tracker.snapshot().cards == {R0: b""}


def test_reader_gone_from_listing_removes_card_then_reader() -> None:
    tracker = tracker_with((R0, present(1), ATR1), (R1, empty(0), []))
    events = tracker.readers_listed([R1])
    assert kinds(events) == [("CARD_REMOVED", R0, bytes(ATR1)), ("READER_REMOVED", R0, b"")]
    assert tracker.snapshot().readers == (R1,)


def test_reader_vanishing_during_the_wait_is_removed() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    gone = SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_CHANGED
    events = tracker.status_received([(R0, gone, [])])
    assert kinds(events) == [("CARD_REMOVED", R0, bytes(ATR1)), ("READER_REMOVED", R0, b"")]
    # An unknown name never seen before is ignored.
    assert tracker.status_received([(R1, gone, [])]) == []


def test_service_loss_and_restoration() -> None:
    tracker = tracker_with((R0, present(1), ATR1), (R1, empty(0), []))
    events = tracker.service_unreachable()
    assert kinds(events) == [
        ("SERVICE_LOST", "", b""),
        ("CARD_REMOVED", R0, bytes(ATR1)),
        ("READER_REMOVED", R0, b""),
        ("READER_REMOVED", R1, b""),
    ]
    assert tracker.snapshot() == Snapshot((), {}, False)
    assert tracker.service_unreachable() == []  # still down: nothing twice
    assert kinds(tracker.service_reached()) == [("SERVICE_RESTORED", "", b"")]
    assert tracker.service_reached() == []
    # The counter restarts with the new daemon; the card is simply added again.
    tracker.readers_listed([R0])
    events = tracker.status_received([(R0, present(1), ATR1)])
    assert kinds(events) == [("READER_ADDED", R0, b""), ("CARD_INSERTED", R0, bytes(ATR1))]


def test_service_unreachable_at_first_contact_is_not_a_loss() -> None:
    tracker = ReaderTracker()
    assert tracker.service_unreachable() == []
    assert tracker.snapshot().service_available is False
    assert kinds(tracker.service_reached()) == [("SERVICE_RESTORED", "", b"")]


def test_snapshot_is_immutable() -> None:
    tracker = tracker_with((R0, present(1), ATR1))
    snapshot = tracker.snapshot()
    tracker.status_received([(R0, empty(2), [])])
    assert snapshot.cards == {R0: bytes(ATR1)}
    try:
        snapshot.cards[R1] = b""  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise AssertionError("snapshot cards must be read-only")


def test_batches_are_in_phase_order_keeping_each_readers_own_order() -> None:
    tracker = tracker_with((R0, present(1), ATR1), (R1, empty(0), []))
    # R1 gets a card while R0's card is swapped, in one status result.
    events = tracker.status_received([(R1, present(1), ATR2), (R0, present(3), ATR2)])
    assert kinds(events) == [
        ("CARD_REMOVED", R0, bytes(ATR1)),
        ("CARD_INSERTED", R1, bytes(ATR2)),
        ("CARD_INSERTED", R0, bytes(ATR2)),
    ]
    assert in_phase_order(
        [
            MonitorEvent(EventKind.CARD_INSERTED, R1),
            MonitorEvent(EventKind.READER_ADDED, R1),
            MonitorEvent(EventKind.READER_REMOVED, R0),
            MonitorEvent(EventKind.CARD_REMOVED, R0),
            MonitorEvent(EventKind.SERVICE_RESTORED),
        ]
    ) == [
        MonitorEvent(EventKind.SERVICE_RESTORED),
        MonitorEvent(EventKind.CARD_REMOVED, R0),
        MonitorEvent(EventKind.READER_REMOVED, R0),
        MonitorEvent(EventKind.READER_ADDED, R1),
        MonitorEvent(EventKind.CARD_INSERTED, R1),
    ]
