# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fake built from data (as a recorded session will be), its fixture and its isolation."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from smartcard import scard
from smartcard._pcsc import backend
from smartcard._pcsc.handle import CardHandle
from smartcard.Exceptions import CardConnectionException
from smartcard.testing import FakeBackend
from smartcard.testing.fake import from_data

SESSION = """
{
  "pnp": false,
  "readers": [
    {"name": "Reader 0",
     "card": {"atr": "3B 80 80 01 01", "protocols": ["T1"],
              "apdus": [["00 A4 04 00 00", "61 02"],
                        ["00 C0 00 00 02", "AB CD 90 00"],
                        ["00 B0 00 00 02", "SCARD_F_COMM_ERROR"]]}},
    {"name": "Reader 1", "controls": {"0x42000D48": "12 04 42 33 00 00"},
     "attributes": {"65794": "41 43 4D 45"}}
  ],
  "script": {"SCardEstablishContext": [[0, 4660]], "SCardStatus": ["SCARD_E_NO_SMARTCARD"]}
}
"""


def test_a_session_described_as_json_drives_the_fake() -> None:
    fake = from_data(json.loads(SESSION))
    assert fake.readers == ["Reader 0", "Reader 1"]
    assert fake.pnp is False
    # The scripted context comes first, whatever the model would have said.
    assert fake.SCardEstablishContext(scard.SCARD_SCOPE_USER) == [0, 4660]
    with backend.use(fake):
        handle = CardHandle("Reader 0")
        # Protocols from the data, not from the ATR (which offers T=0 too).
        assert handle.connect(scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_ANY) == 2
        pci = scard.SCARD_PCI_T1
        assert handle.transmit(pci, b"\x00\xa4\x04\x00\x00") == [0x61, 0x02]
        assert handle.transmit(pci, b"\x00\xc0\x00\x00\x02") == [0xAB, 0xCD, 0x90, 0x00]
        with pytest.raises(CardConnectionException, match="Failed to transmit") as caught:
            handle.transmit(pci, b"\x00\xb0\x00\x00\x02")
        assert caught.value.hresult == scard.SCARD_F_COMM_ERROR
        assert fake.SCardStatus(handle.hcard)[0] == scard.SCARD_E_NO_SMARTCARD
        card = fake.card("Reader 0")
        assert card is not None and card.unexpected == []
        direct = CardHandle("Reader 1")
        direct.connect(scard.SCARD_SHARE_DIRECT, 0)
        assert direct.control(0x42000D48, b"") == [0x12, 0x04, 0x42, 0x33, 0, 0]
        assert direct.get_attribute(65794) == list(b"ACME")
        direct.close(scard.SCARD_LEAVE_CARD)
        handle.close(scard.SCARD_LEAVE_CARD)


def test_the_call_log_is_json_data() -> None:
    fake = from_data(json.loads(SESSION))
    fake.clear_calls()
    hcontext = fake.SCardEstablishContext(scard.SCARD_SCOPE_USER)[1]
    fake.SCardGetStatusChange(hcontext, 0, [("Reader 0", 0, b"\x3b")])
    logged = json.loads(json.dumps([list(call) for call in fake.calls]))
    assert logged[1][0] == "SCardGetStatusChange"
    assert logged[1][1] == [hcontext, 0, [["Reader 0", 0, [0x3B]]]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"readers": [{"name": "R", "cards": {}}]}, "unknown reader keys"),
        ({"readers": [{"name": "R", "card": {"atr": "3B 00", "mute": 1, "x": 2}}]}, "card keys"),
        ({"pnpp": True}, "unknown fake keys"),
        ({"script": {"SCardTransmit": ["SCARD_E_NOPE"]}}, "not a PC/SC result code"),
    ],
)
def test_data_mistakes_are_reported(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_data(data)


def test_the_fixture_installs_the_fake_for_the_test(fake_pcsc: FakeBackend) -> None:
    assert backend.current() is fake_pcsc
    other = FakeBackend()
    with backend.use(other):
        assert backend.current() is other
    assert backend.current() is fake_pcsc


def test_the_library_never_imports_the_testing_kit() -> None:
    source = Path(backend.__file__).parents[1]
    offenders = []
    for path in source.rglob("*.py"):
        if "testing" in path.relative_to(source).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            if any(name.startswith("smartcard.testing") for name in names):
                offenders.append(str(path.relative_to(source)))
    assert offenders == []
