# SPDX-License-Identifier: LGPL-2.1-or-later
"""Observe everything public about an ATR object, as JSON-ready data.

Shared by make_atr_fixture.py (run with pyscard 2.3.1, the reference) and
tests/unit/test_atr.py (run with this project), so both sides record exactly
the same observations. Also holds the deterministic generator of synthetic
ATRs, so the fixture only needs their digests.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import warnings
from typing import Any, Callable, Iterator

ATTRIBUTES = (
    "atr",
    "TS",
    "T0",
    "K",
    "TA",
    "TB",
    "TC",
    "TD",
    "Y",
    "interfaceBytesCount",
    "historicalBytes",
    "hasChecksum",
    "TCK",
    "checksumOK",
    "FI",
    "DI",
    "II",
    "PI1",
    "N",
)
METHODS = (
    "getChecksum",
    "getHistoricalBytes",
    "getHistoricalBytesCount",
    "getInterfaceBytesCount",
    "getTA1",
    "getTB1",
    "getTC1",
    "getTD1",
    "getBitRateFactor",
    "getClockRateConversion",
    "getProgrammingCurrent",
    "getProgrammingVoltage",
    "getGuardTime",
    "isT0Supported",
    "isT1Supported",
    "isT15Supported",
    "render",
    "__str__",
)
DEPRECATED_PROPERTIES = ("hasTA", "hasTB", "hasTC", "hasTD")

# Real ATRs from several card families (public values, e.g. in pcsc-tools'
# smartcard_list.txt), as (family, hex).
REAL_ATRS = (
    ("YubiKey 5 NFC over NFC", "3B 8D 80 01 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 F9"),
    ("YubiKey 4 CCID", "3B F8 13 00 00 81 31 FE 15 59 75 62 69 6B 65 79 34 D4"),
    ("Gnuk OpenPGP token", "3B DA 11 FF 81 B1 FE 55 1F 03 00 31 84 73 80 01 80 00 90 00 E4"),
    ("Nitrokey 3", "3B 8C 01 80 5A 4E 69 74 72 6F 6B 65 79 20 33 7D"),
    ("Belgian eID", "3B 98 13 40 0A A5 03 01 01 01 AD 13 11"),
    ("German eID (nPA)", "3B 88 80 01 00 00 00 00 00 00 00 00 09"),
    ("Estonian eID", "3B 5E 11 FF 45 73 74 45 49 44 20 76 65 72 20 31 2E 30"),
    ("German health card (eGK)", "3B D0 96 FF 81 B1 FE 45 1F 07 2A"),
    ("Gemalto IDPrime .NET", "3B 16 96 41 73 74 72 69 64"),
    ("Gemalto IDPrime PIV", "3B 7D 96 00 00 80 31 80 65 B0 83 11 17 E5 83 00 90 00"),
    ("CardOS", "3B D2 18 00 81 31 FE 58 C9 01 14"),
    ("STARCOS", "3B B7 18 00 C0 3E 31 FE 65 53 50 4B 32 34 90 00 25"),
    ("JCOP", "3B 69 00 FF 4A 43 4F 50 33 31 56 32 32"),
    (
        "MIFARE Classic 1K via PC/SC part 3",
        "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A",
    ),
    ("DESFire EV1 contactless", "3B 81 80 01 80 80"),
    ("SLE 4442 memory card", "3B 04 A2 13 10 91"),
    ("GSM SIM, inverse convention", "3F 2F 00 36 AF 69 02 04 01 80 00 00 0A 0E 83 3E 9F 16"),
    ("Belgian BASE SIM", "3B 3F 94 00 80 69 AF 03 07 06 67 09 97 0A 0E 83 3E 9F 16"),
    ("Programmable 5G SIM", "3B 9F 92 80 1F C3 80 31 E0 73 FE 21 14 63 02 01 01 83 07 90 00 CD"),
    ("Nordea bank eID", "3B 6E 00 00 80 31 80 66 B0 84 0C 01 6E 01 83 00 90 00"),
    ("Feitian ePass", "3B 0F 00 65 46 53 05 16 05 71 DF 00 00 00 80 6A 82"),
    ("T=0 card with TB1/TC1", "3B 65 00 00 9C 11 01 01 03"),
)

# Hand-made malformed or unusual ATRs, as lists (some hold values > 255).
EDGE_ATRS = (
    [],
    [0x3B],
    [0x3C, 0x00],
    [0x00, 0x00],
    [0x3B, 0x00],
    [0x3F, 0x00],
    [0x3B, 0x80],  # TD1 announced but missing
    [0x3B, 0x10],  # TA1 announced but missing
    [0x3B, 0xF0, 0x11, 0x22, 0x33],  # TD1 announced but missing
    [0x3B, 0x80, 0x01],  # TD1 = T=1, no TCK
    [0x3B, 0x80, 0x01, 0x81],  # TD1 = T=1 with TCK
    [0x3B, 0x80, 0x80, 0x01, 0x01],  # T=0 then T=1 announced
    [0x3B, 0x80, 0x8F, 0x0F, 0x00],  # T=15 via TD2
    [0x3B, 0x8F, 0x80, 0x01],  # 15 historical bytes announced, few present
    [0x3B, 0x90, 0x1F, 0x0E, 0x8E],  # reserved FI/DI (RFU)
    [0x3B, 0x90, 0x71, 0x0E, 0x8E],  # FI=7, RFU
    [0x3B, 0x20, 0xE0],  # TB1: II=3 (RFU current)
    [0x3B, 0x40, 0xFF],  # TC1 = 255
    [0x3B, 0x02, 0x14, 0x50, 0x11, 0x22],  # extra bytes after historicals
    [0x3B, 0x10, 0x1FF],  # TA1 out of byte range
    [0x3B, 0x80, 0x101, 0x05],  # TD1 out of byte range
    [0x3B, 0x01, 300],  # historical byte out of byte range
    [0x3B, 0x00, -1],  # stray negative byte
)


def _outcome(action: Callable[[], Any]) -> Any:
    """Return ``{"value": ...}`` or ``{"raises": [type name, message]}``."""
    try:
        return {"value": action()}
    except Exception as exc:  # noqa: BLE001 - recording any failure is the point
        return {"raises": [type(exc).__name__, str(exc)]}


def _warned(action: Callable[[], Any]) -> dict[str, Any]:
    """Run ``action`` and also record the warning categories it issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _outcome(action)
    result["warnings"] = [w.category.__name__ for w in caught]
    return result


def _dump(obj: Any) -> Any:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = _warned(obj.dump)
    # Storing only the comparison keeps the fixture small.
    result["stdout_is_render_line"] = out.getvalue() == _outcome(obj.render).get("value", "") + "\n"
    return result


def probe(atr_class: type, atr: list[int]) -> dict[str, Any]:
    """Return every public observation of ``atr_class(atr)``."""
    built = _outcome(lambda: atr_class(list(atr)))
    if "raises" in built:
        return {"init": built}
    obj = built["value"]
    observed: dict[str, Any] = {}
    for name in ATTRIBUTES:
        observed[name] = _outcome(lambda name=name: getattr(obj, name))
    for name in METHODS:
        observed[name + "()"] = _outcome(getattr(obj, name))
    # A list of pairs keeps the dict order, which render() shows.
    observed["getSupportedProtocols()"] = _outcome(
        lambda: [list(item) for item in obj.getSupportedProtocols().items()]
    )
    for name in DEPRECATED_PROPERTIES:
        observed[name] = _warned(lambda name=name: getattr(obj, name))
    observed["dump()"] = _dump(obj)
    return observed


def digest(observed: dict[str, Any]) -> str:
    """Short stable fingerprint of a probe() result."""
    text = json.dumps(observed, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def atr_key(atr: list[int]) -> str:
    """Short fingerprint of an ATR, used to key list entries in the fixture."""
    return hashlib.sha256(bytes(atr).hex().encode()).hexdigest()[:12]


def synthetic_atrs(count: int, seed: int = 7816) -> Iterator[list[int]]:
    """Yield ``count`` pseudo-random ATRs, mostly well formed, some broken.

    Only getrandbits() is used: its output for a given seed is stable across
    Python versions, unlike randrange() and choice().
    """
    rng = random.Random(seed)
    bits = rng.getrandbits
    for _ in range(count):
        ts = (0x3B, 0x3F)[bits(1)] if bits(5) else bits(8)
        t0 = bits(8)
        atr = [ts, t0]
        indicator = t0
        levels = 0
        while True:
            levels += 1
            for mask in (0x10, 0x20, 0x40):
                if indicator & mask:
                    atr.append(bits(8))
            if not indicator & 0x80:
                break
            # Past a few levels, clear TD's own TD flag now and then so
            # that most chains end before the ATR gets absurdly long.
            indicator = bits(8)
            if levels > 3 and bits(1):
                indicator &= 0x7F
            atr.append(indicator)
        atr.extend(bits(8) for _ in range(t0 & 0x0F))
        tail = bits(3)
        if tail in (0, 1, 2):  # T=1 style: a correct TCK
            check = 0
            for byte in atr[1:]:
                check ^= byte
            atr.append(check)
        elif tail == 3:  # a wrong TCK
            check = 1
            for byte in atr[1:]:
                check ^= byte
            atr.append(check)
        elif tail == 4:  # trailing junk
            atr.extend(bits(8) for _ in range(1 + bits(2)))
        elif tail == 5:  # truncated, possibly inside the interface bytes
            atr = atr[: bits(5) % (len(atr) + 1)]
        yield atr
