# SPDX-License-Identifier: LGPL-2.1-or-later
"""The PC/SC error table and the hresult helpers."""

from __future__ import annotations

import sys

import pytest

import smartcard.scard as scard
from smartcard.pcsc import errors

ERROR_CONSTANTS = sorted(
    name for name in dir(scard) if name.startswith(("SCARD_E_", "SCARD_W_", "SCARD_F_", "SCARD_P_"))
)


def test_normalize_folds_signed_and_unsigned_forms() -> None:
    assert errors.normalize_hresult(0x8010001D) == 0x8010001D
    assert errors.normalize_hresult(-2146435043) == 0x8010001D
    assert errors.normalize_hresult(0) == 0
    assert errors.normalize_hresult(-1) == -1  # the "no code" sentinel stays
    assert errors.same_hresult(-2146435043, scard.SCARD_E_NO_SERVICE)
    assert not errors.same_hresult(scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED)
    assert errors.format_hresult(-2146435043) == "0x8010001D"


@pytest.mark.parametrize("bad", ["0x8010001D", 1.5, None, True])
def test_normalize_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        errors.normalize_hresult(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ERROR_CONSTANTS)
def test_every_scard_error_constant_is_explained(name: str) -> None:
    value = getattr(scard, name)
    info = errors.lookup(value)
    assert info is not None, name
    assert errors.BY_NAME[name].code == errors.normalize_hresult(value)
    assert info.meaning.endswith(".")
    text = errors.explain(value)
    assert info.meaning in text and errors.format_hresult(value) in text


def test_shared_value_is_named_as_the_platform_names_it() -> None:
    # pcsc-lite gives SCARD_E_UNSUPPORTED_FEATURE the value of SCARD_E_UNEXPECTED.
    expected = "SCARD_E_UNEXPECTED" if sys.platform == "win32" else "SCARD_E_UNSUPPORTED_FEATURE"
    assert errors.error_name(0x8010001F) == expected


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("SCARD_E_NO_SERVICE", ["pcscd", "pcscd.socket", "flatpak", "PCSCLITE_CSOCK_NAME"]),
        ("SCARD_E_SERVICE_STOPPED", ["/usr/local", "sandbox", "pcsc-lite"]),
        ("SCARD_E_NO_READERS_AVAILABLE", ["reader"]),
        ("SCARD_W_REMOVED_CARD", ["Reinsert"]),
        ("SCARD_E_SHARING_VIOLATION", ["exclusive", "transaction"]),
        ("SCARD_E_TIMEOUT", ["timeout"]),
        ("SCARD_E_NO_SMARTCARD", ["Insert a card"]),
        ("SCARD_W_UNRESPONSIVE_CARD", ["reinsert"]),
        ("SCARD_E_PROTO_MISMATCH", ["T=0", "T=1"]),
        ("SCARD_E_READER_UNAVAILABLE", ["unplugged"]),
        ("SCARD_E_INVALID_HANDLE", ["restarted"]),
        ("SCARD_E_NOT_TRANSACTED", ["transaction"]),
        ("SCARD_W_RESET_CARD", ["reconnect"]),
    ],
)
def test_common_errors_say_what_to_check(name: str, words: list[str]) -> None:
    info = errors.BY_NAME[name]
    assert info.hint, name
    for word in words:
        assert word in info.meaning + " " + info.hint, (name, word)


def test_unknown_code_still_explained_with_its_hex_form() -> None:
    text = errors.explain(0x12345678)
    assert "0x12345678" in text
    assert errors.lookup(0x12345678) is None
    assert errors.error_name(0x12345678) == "0x12345678"


def test_explain_without_hint() -> None:
    full = errors.explain(scard.SCARD_E_NO_SERVICE)
    short = errors.explain(scard.SCARD_E_NO_SERVICE, with_hint=False)
    assert short.endswith("[SCARD_E_NO_SERVICE 0x8010001D]")
    assert full.startswith(short) and len(full) > len(short)


def test_error_info_is_a_named_tuple() -> None:
    import copy
    import pickle

    info = errors.BY_NAME["SCARD_E_NO_SERVICE"]
    code, name, meaning, hint = info
    assert (code, name) == (info.code, info.name) == (0x8010001D, "SCARD_E_NO_SERVICE")
    assert (meaning, hint) == (info.meaning, info.hint)
    assert info._fields == ("code", "name", "meaning", "hint")
    assert info._asdict()["name"] == "SCARD_E_NO_SERVICE"
    assert repr(info).startswith("ErrorInfo(code=2148532253, name='SCARD_E_NO_SERVICE',")
    assert pickle.loads(pickle.dumps(info)) == info == copy.copy(info)
    assert errors.ErrorInfo(*info) == info
