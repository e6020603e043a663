# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of smartcard.testing: the card emulator alone, then the real pcscd + vpcd stack.

PC/SC calls go through the small ctypes client in ``_ctypes_pcsc`` so that the
kit can be checked without the ``smartcard.scard`` extension.
"""

from __future__ import annotations

import fcntl
import os
import socket
import stat
import struct
import subprocess
import sys
import threading
from typing import Iterator, List, Tuple

import pytest

import _ctypes_pcsc as pcsc
from smartcard.testing import (
    ATR_T0,
    ATR_T1,
    DEFAULT_AID,
    DemoApplet,
    PrivatePCSCD,
    T0Emulation,
    VirtualCard,
)
from smartcard.testing._apdu import parse_command
from smartcard.testing.applet import pattern

SELECT = bytes.fromhex("00A40400") + bytes((len(DEFAULT_AID),)) + DEFAULT_AID
OK = b"\x90\x00"


# --------------------------------------------------------------------------- no daemon


@pytest.mark.parametrize(
    ("apdu", "case", "data", "ne", "extended"),
    [
        ("00A40400", 1, "", None, False),
        ("8020000500", 2, "", 256, False),
        ("8010000003010203", 3, "010203", None, False),
        ("801000000301020310", 4, "010203", 16, False),
        ("80200000000000", 2, "", 65536, True),
        ("801000000000020102", 3, "0102", None, True),
        ("8010000000000201020100", 4, "0102", 256, True),
    ],
)
def test_parse_command(apdu: str, case: int, data: str, ne: int | None, extended: bool) -> None:
    cmd = parse_command(bytes.fromhex(apdu))
    assert (cmd.case, cmd.data.hex().upper(), cmd.ne, cmd.extended) == (case, data, ne, extended)


@pytest.mark.parametrize(
    "apdu",
    ["00A404", "80100000050102", "8010000000000201", "8010000000000000", "801000000000020102FF"],
)
def test_parse_command_rejects_malformed(apdu: str) -> None:
    with pytest.raises(ValueError):
        parse_command(bytes.fromhex(apdu))


def test_demo_applet() -> None:
    applet = DemoApplet()
    assert applet(SELECT) == OK
    assert applet(SELECT + b"\x00") == OK
    assert applet(bytes.fromhex("00A4040002A000")) == b"\x6a\x82"
    assert applet(bytes.fromhex("00A4000002 3F00".replace(" ", ""))) == b"\x6a\x86"
    assert applet(bytes.fromhex("8010000003AABBCC00")) == bytes.fromhex("AABBCC9000")
    assert applet(bytes.fromhex("8020012C00")) == pattern(300) + OK
    assert applet(bytes.fromhex("8020FFFE00")) == b"\x6a\x86"
    assert applet(bytes.fromhex("80306982")) == b"\x69\x82"
    assert applet(bytes.fromhex("00C0000010")) == b"\x69\x85"
    assert applet(bytes.fromhex("00EE0000")) == b"\x6d\x00"
    assert applet(bytes.fromhex("A0A40000")) == b"\x6e\x00"
    assert applet(b"\x00\xa4\x04") == b"\x67\x00"


def test_t0_get_response_chains_data() -> None:
    t0 = T0Emulation(DemoApplet(), get_response=True)
    assert t0(bytes.fromhex("8010000003AABBCC")) == b"\x61\x03"
    assert t0(bytes.fromhex("00C0000003")) == bytes.fromhex("AABBCC9000")
    assert t0(bytes.fromhex("00C0000003")) == b"\x69\x85"  # nothing pending any more
    # Case 2 with Le below the data length: first Le bytes, then 61xx for the rest.
    assert t0(bytes.fromhex("8020012C00")) == pattern(256) + b"\x61\x2c"
    assert t0(bytes.fromhex("00C0000010")) == pattern(300)[256:272] + b"\x61\x1c"
    assert t0(bytes.fromhex("00C000001C")) == pattern(300)[272:] + OK
    # Another command drops pending data; responses without data pass through.
    assert t0(bytes.fromhex("8010000001AA")) == b"\x61\x01"
    assert t0(SELECT) == OK
    assert t0(bytes.fromhex("00C0000001")) == b"\x69\x85"


def test_t0_wrong_le_asks_for_the_right_one() -> None:
    t0 = T0Emulation(DemoApplet(), get_response=False, wrong_le=True)
    assert t0(bytes.fromhex("8020000500")) == b"\x6c\x05"
    assert t0(bytes.fromhex("8020000505")) == pattern(5) + OK
    assert t0(bytes.fromhex("8020010000")) == pattern(256) + OK  # Le 00 means 256
    assert t0(bytes.fromhex("8010000002AABB")) == bytes.fromhex("AABB9000")  # case 3


def test_t0_reset_drops_pending_data() -> None:
    t0 = T0Emulation(DemoApplet())
    assert t0(bytes.fromhex("8010000001AA")) == b"\x61\x01"
    t0.reset()
    assert t0(bytes.fromhex("00C0000001")) == b"\x69\x85"


def test_default_atrs() -> None:
    assert VirtualCard().atr == ATR_T1
    assert VirtualCard(t0_get_response=True).atr == ATR_T0
    assert ATR_T1.hex().upper() == "3B870170797363617264E8"
    with pytest.raises(ValueError):
        VirtualCard(atr=b"\x3b")


class FakeVpcd:
    """Plays vpcd's side of the socket protocol, to test the card without pcscd."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.server.settimeout(5)
        self.conn, _ = self.server.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(struct.pack(">H", len(payload)) + payload)

    def recv(self) -> bytes:
        assert self.conn is not None
        header = self.conn.recv(2, socket.MSG_WAITALL)
        if len(header) < 2:
            return b""
        (size,) = struct.unpack(">H", header)
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            assert chunk
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def fake_vpcd() -> Iterator[FakeVpcd]:
    reader = FakeVpcd()
    yield reader
    reader.close()


def test_card_speaks_the_vpcd_protocol(fake_vpcd: FakeVpcd) -> None:
    card = VirtualCard()
    card.insert(fake_vpcd.port, wait=False)
    fake_vpcd.accept()
    fake_vpcd.send(b"\x01")
    fake_vpcd.send(b"\x04")
    assert fake_vpcd.recv() == card.atr
    card.wait_ready(1)
    fake_vpcd.send(SELECT)
    assert fake_vpcd.recv() == OK
    fake_vpcd.send(bytes.fromhex("8020FFFD000000"))
    assert fake_vpcd.recv() == pattern(65533) + OK  # largest frame vpcd can carry
    fake_vpcd.send(b"\x02")
    fake_vpcd.send(b"\x00")
    fake_vpcd.send(b"\x04")
    assert fake_vpcd.recv() == card.atr
    assert (card.power_on_count, card.reset_count, card.power_off_count) == (1, 1, 1)
    assert card.atr_request_count == 2
    assert card.apdus == [SELECT, bytes.fromhex("8020FFFD000000")]
    assert card.responses[0] == OK

    # Removal: the card half-closes, and returns once the reader closed too.
    done = threading.Event()
    remover = threading.Thread(target=lambda: (card.remove(), done.set()))
    remover.start()
    assert fake_vpcd.recv() == b""  # the reader sees EOF...
    assert not done.is_set()  # ...and the card waits for the reader to hang up
    fake_vpcd.conn.close()  # type: ignore[union-attr]
    remover.join(5)
    assert done.is_set() and not card.is_inserted


def test_card_reports_handler_errors(fake_vpcd: FakeVpcd) -> None:
    def broken(apdu: bytes) -> bytes:
        if apdu[1] == 0x01:
            raise RuntimeError("boom")
        return b"\x90"  # too short to be a response

    card = VirtualCard(handler=broken)
    card.insert(fake_vpcd.port, wait=False)
    fake_vpcd.accept()
    fake_vpcd.send(bytes.fromhex("00010000"))
    assert fake_vpcd.recv() == b"\x6f\x00"
    fake_vpcd.send(bytes.fromhex("00020000"))
    assert fake_vpcd.recv() == b"\x6f\x00"
    assert [type(e) for e in card.errors] == [RuntimeError, ValueError]
    fake_vpcd.conn.close()  # type: ignore[union-attr]
    card.remove(timeout=5)
    assert not card.is_inserted


def test_handler_can_pull_its_own_card(fake_vpcd: FakeVpcd) -> None:
    card = VirtualCard(handler=lambda apdu: (card.remove(), OK)[1])
    card.insert(fake_vpcd.port, wait=False)
    fake_vpcd.accept()
    fake_vpcd.send(bytes.fromhex("00EE0000"))
    assert fake_vpcd.recv() == b""  # no answer: the card is gone mid-command
    fake_vpcd.conn.close()  # type: ignore[union-attr]
    card.wait_for(lambda c: not c.is_inserted, timeout=5)


def test_insert_through_a_given_connect_function(fake_vpcd: FakeVpcd) -> None:
    calls: List[Tuple[int, float]] = []

    def connect(port: int, timeout: float) -> socket.socket:
        calls.append((port, timeout))
        return socket.create_connection(("127.0.0.1", fake_vpcd.port))

    card = VirtualCard()
    card.insert(4242, wait=False, timeout=3.0, connect=connect)
    fake_vpcd.accept()
    fake_vpcd.send(SELECT)
    assert fake_vpcd.recv() == OK
    assert calls == [(4242, 3.0)] and card.port == 4242
    fake_vpcd.conn.close()  # type: ignore[union-attr]
    card.remove(timeout=5)

    def refuse(port: int, timeout: float) -> socket.socket:
        raise ConnectionRefusedError("nobody there")

    with pytest.raises(ConnectionError, match="port 7 through .*refuse.*nobody there"):
        VirtualCard().insert(7, connect=refuse)


def test_insert_without_reader_fails_clearly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connection refused
        with pytest.raises(ConnectionError, match="is pcscd running"):
            VirtualCard().insert(port)


# ----------------------------------------------------------------- the real PC/SC stack

_SIOCGIFADDR = 0x8915


def _ipv4_addresses() -> List[str]:
    """This network namespace's IPv4 addresses, one per interface that has one."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                reply = fcntl.ioctl(sock, _SIOCGIFADDR, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(socket.inet_ntoa(reply[20:24]))
    return found


@pytest.fixture
def context(pcscd: PrivatePCSCD) -> Iterator[int]:
    ctx = pcsc.establish_context()
    yield ctx
    pcsc.release_context(ctx)


def test_daemon_lists_two_readers(pcscd: PrivatePCSCD, context: int) -> None:
    assert os.environ["PCSCLITE_CSOCK_NAME"] == pcscd.socket_path
    assert pcscd.reader_names == ("pyscard virtual 00 00", "pyscard virtual 00 01")
    assert pcsc.list_readers(context) == list(pcscd.reader_names)
    assert pcscd.ports[1] == pcscd.ports[0] + 1
    for name in pcscd.reader_names:
        state, _ = pcsc.get_status_change(context, name, pcsc.SCARD_STATE_UNAWARE, 0)
        assert state & pcsc.SCARD_STATE_EMPTY


def test_readers_are_out_of_reach_of_the_network(
    pcscd: PrivatePCSCD, virtual_card: VirtualCard, reader_names: List[str], context: int
) -> None:
    # vpcd listens on 0.0.0.0: outside pcscd's own network namespace nobody,
    # on this host or another, may present a card to it.
    addresses = _ipv4_addresses()
    assert "127.0.0.1" in addresses
    for port in pcscd.ports:
        for address in addresses:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=1.0).close()
    # The way in is owner-only (pcscd makes the directory 0755 itself)...
    assert stat.S_IMODE(os.stat(pcscd.connector_path).st_mode) & 0o077 == 0
    # ...and the kit's own card gets through it.
    handle, protocol = pcsc.connect(context, reader_names[0])
    assert pcsc.transmit(handle, protocol, SELECT) == OK
    pcsc.disconnect(handle)
    assert virtual_card.apdus == [SELECT]


def test_card_in_another_process_gets_in_through_the_connector(
    pcscd: PrivatePCSCD, reader_names: List[str], context: int
) -> None:
    code = (
        "import sys\n"
        "from smartcard.testing import VirtualCard\n"
        "from smartcard.testing.daemon import connect_through\n"
        "path, port = sys.argv[1], int(sys.argv[2])\n"
        "card = VirtualCard(atr=bytes.fromhex('3B021415'))\n"
        "card.insert(port, connect=lambda p, t: connect_through(path, p, t))\n"
        "print('in', flush=True)\n"
        "sys.stdin.read()\n"
        "card.remove()\n"
    )
    offset = os.path.getsize(pcscd.log_path)
    child = subprocess.Popen(
        [sys.executable, "-c", code, pcscd.connector_path, str(pcscd.port(1))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "in\n"
        pcscd.wait_for_log(f"Card inserted into {reader_names[1]}", offset)
        state, atr = pcsc.get_status_change(context, reader_names[1], pcsc.SCARD_STATE_UNAWARE, 0)
        assert state & pcsc.SCARD_STATE_PRESENT and atr == bytes.fromhex("3B021415")
    finally:
        offset = os.path.getsize(pcscd.log_path)
        child.communicate(timeout=10)
    assert child.returncode == 0
    pcscd.wait_for_log(f"Card Removed From {reader_names[1]}", offset)


def test_inserted_card_shows_its_atr(
    virtual_card: VirtualCard, reader_names: List[str], context: int
) -> None:
    state, atr = pcsc.get_status_change(context, reader_names[0], pcsc.SCARD_STATE_UNAWARE, 0)
    assert state & pcsc.SCARD_STATE_PRESENT
    assert atr == virtual_card.atr
    handle, protocol = pcsc.connect(context, reader_names[0])
    assert protocol == pcsc.SCARD_PROTOCOL_T1
    name, _, _, atr = pcsc.status(handle)
    assert (name, atr) == (reader_names[0], ATR_T1)
    pcsc.disconnect(handle)


def test_short_apdu_round_trips(
    virtual_card: VirtualCard, reader_names: List[str], context: int
) -> None:
    handle, protocol = pcsc.connect(context, reader_names[0])
    commands = [
        SELECT,
        bytes.fromhex("00A4040002A000"),
        bytes.fromhex("8010000003010203"),
        bytes.fromhex("80306982"),
        bytes.fromhex("00EE0000"),
    ]
    answers = [pcsc.transmit(handle, protocol, apdu) for apdu in commands]
    assert answers == [OK, b"\x6a\x82", bytes.fromhex("0102039000"), b"\x69\x82", b"\x6d\x00"]
    assert virtual_card.apdus == commands
    pcsc.disconnect(handle)


def test_extended_length_response(
    virtual_card: VirtualCard, reader_names: List[str], context: int
) -> None:
    handle, protocol = pcsc.connect(context, reader_names[0])
    answer = pcsc.transmit(handle, protocol, bytes.fromhex("8020FFFD000000"))
    assert answer == pattern(65533) + OK
    big = bytes(range(256)) * 16
    echo = bytes.fromhex("80100000") + struct.pack(">BH", 0, len(big)) + big + b"\x00\x00"
    assert pcsc.transmit(handle, protocol, echo) == big + OK
    pcsc.disconnect(handle)


def test_second_reader(virtual_card_factory, reader_names: List[str], context: int) -> None:
    card = virtual_card_factory(reader=1, atr=bytes.fromhex("3B021415"))
    state0, _ = pcsc.get_status_change(context, reader_names[0], pcsc.SCARD_STATE_UNAWARE, 0)
    state1, atr = pcsc.get_status_change(context, reader_names[1], pcsc.SCARD_STATE_UNAWARE, 0)
    assert state0 & pcsc.SCARD_STATE_EMPTY
    assert state1 & pcsc.SCARD_STATE_PRESENT and atr == card.atr


def test_removal_is_seen(
    pcscd: PrivatePCSCD, virtual_card_factory, reader_names: List[str], context: int
) -> None:
    virtual_card_factory()
    handle, protocol = pcsc.connect(context, reader_names[0])
    pcscd.remove_card(0)
    # No waiting needed: remove_card returns once pcscd has recorded the removal.
    state, _ = pcsc.get_status_change(context, reader_names[0], pcsc.SCARD_STATE_PRESENT, 0)
    assert state & pcsc.SCARD_STATE_EMPTY
    with pytest.raises(pcsc.PCSCError) as excinfo:
        pcsc.transmit(handle, protocol, SELECT)
    assert excinfo.value.code == pcsc.SCARD_W_REMOVED_CARD
    pcsc.disconnect(handle)


def test_insertion_wakes_a_waiting_client(
    virtual_card_factory, reader_names: List[str], context: int
) -> None:
    seen: List[int] = []

    def wait_for_card() -> None:
        ctx = pcsc.establish_context()
        try:
            state, _ = pcsc.get_status_change(ctx, reader_names[0], pcsc.SCARD_STATE_EMPTY, 5000)
            seen.append(state)
        finally:
            pcsc.release_context(ctx)

    waiter = threading.Thread(target=wait_for_card)
    waiter.start()
    virtual_card_factory()
    waiter.join(6)
    assert seen and seen[0] & pcsc.SCARD_STATE_PRESENT


def test_t0_get_response_through_pcsc(
    virtual_card_factory, reader_names: List[str], context: int
) -> None:
    virtual_card_factory(t0_get_response=True)
    handle, protocol = pcsc.connect(context, reader_names[0])
    assert protocol == pcsc.SCARD_PROTOCOL_T0
    assert pcsc.transmit(handle, protocol, bytes.fromhex("8010000003AABBCC")) == b"\x61\x03"
    assert pcsc.transmit(handle, protocol, bytes.fromhex("00C0000003")) == bytes.fromhex(
        "AABBCC9000"
    )
    pcsc.disconnect(handle)


def test_t0_wrong_le_through_pcsc(
    virtual_card_factory, reader_names: List[str], context: int
) -> None:
    virtual_card_factory(t0_wrong_le=True)
    handle, protocol = pcsc.connect(context, reader_names[0], pcsc.SCARD_PROTOCOL_T0)
    assert pcsc.transmit(handle, protocol, bytes.fromhex("8020000800")) == b"\x6c\x08"
    assert pcsc.transmit(handle, protocol, bytes.fromhex("8020000808")) == pattern(8) + OK
    pcsc.disconnect(handle)


def test_custom_handler_and_power_events(
    virtual_card_factory, reader_names: List[str], context: int
) -> None:
    card = virtual_card_factory(handler=lambda apdu: apdu[::-1] + OK)
    handle, protocol = pcsc.connect(context, reader_names[0])
    assert pcsc.transmit(handle, protocol, b"\x01\x02\x03\x04") == b"\x04\x03\x02\x01" + OK
    # The reader sends power and reset codes without waiting for the card, so
    # wait for the count; pcscd also powers an unused card off by itself.
    resets = card.reset_count
    pcsc.disconnect(handle, pcsc.SCARD_RESET_CARD)
    card.wait_for(lambda c: c.reset_count > resets, timeout=2)
    handle, protocol = pcsc.connect(context, reader_names[0])
    offs = card.power_off_count
    pcsc.disconnect(handle, pcsc.SCARD_UNPOWER_CARD)
    card.wait_for(lambda c: c.power_off_count > offs, timeout=2)
    with pytest.raises(TimeoutError):
        card.wait_for(lambda c: c.reset_count > resets + 1, timeout=0.05)


def test_restart_brings_readers_and_card_back(
    pcscd: PrivatePCSCD, virtual_card_factory, reader_names: List[str]
) -> None:
    card = virtual_card_factory()
    old_pid, socket_path, ports = pcscd.pid, pcscd.socket_path, pcscd.ports
    pcscd.restart()
    assert pcscd.pid != old_pid
    assert (pcscd.socket_path, pcscd.ports) == (socket_path, ports)
    assert card.is_ready  # a card stays in its reader across the restart
    ctx = pcsc.establish_context()
    try:
        assert pcsc.list_readers(ctx) == list(reader_names)
        handle, protocol = pcsc.connect(ctx, reader_names[0])
        assert pcsc.transmit(handle, protocol, SELECT) == OK
        pcsc.disconnect(handle)
    finally:
        pcsc.release_context(ctx)


def test_stopped_daemon_means_no_service(pcscd: PrivatePCSCD) -> None:
    pcscd.stop()
    try:
        assert not pcscd.is_running and not os.path.exists(pcscd.socket_path)
        with pytest.raises(pcsc.PCSCError) as excinfo:
            pcsc.establish_context()
        assert excinfo.value.code == pcsc.SCARD_E_NO_SERVICE
        with pytest.raises(ConnectionError, match="is pcscd running"):
            VirtualCard().insert(pcscd.port(0), connect=pcscd.connect_reader)
    finally:
        pcscd.start()
    ctx = pcsc.establish_context()
    assert pcsc.list_readers(ctx) == list(pcscd.reader_names)
    pcsc.release_context(ctx)


def test_another_daemon_cleans_up_after_itself(pcscd: PrivatePCSCD) -> None:
    # No PC/SC calls here: this process is bound to the session daemon's socket.
    with PrivatePCSCD("second daemon", apdu_log=True) as other:
        pid, directory = other.pid, other.directory
        assert pid is not None and pid != pcscd.pid
        # (Their ports may even coincide: each daemon has its own network namespace.)
        assert other.reader_names == ("second daemon 00 00", "second daemon 00 01")
        card = other.insert_card(1, VirtualCard())
        assert card.is_ready
    assert not card.is_inserted
    assert not os.path.exists(f"/proc/{pid}")
    assert not os.path.exists(directory)
