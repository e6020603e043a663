# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exception classes: pyscard's API, hresult handling, messages, the combined classes."""

from __future__ import annotations

import pickle
import sys
import traceback
from typing import Any

import pytest

import smartcard.Exceptions as E
import smartcard.pcsc.PCSCExceptions as P
from smartcard.scard import (
    SCARD_E_NO_SERVICE,
    SCARD_E_SERVICE_STOPPED,
    SCARD_E_SHARING_VIOLATION,
    SCARD_W_REMOVED_CARD,
    PCSCLibraryError,
)

from .conftest import run_python

# Prints, for every exception class of a module, its constructor parameters
# (name, kind, default) and its base class names.
SIGNATURES = """
import inspect, json, importlib
out = {}
for module_name in ("smartcard.Exceptions", "smartcard.pcsc.PCSCExceptions"):
    module = importlib.import_module(module_name)
    for name, cls in vars(module).items():
        own = isinstance(cls, type) and cls.__module__ == module_name
        if own and issubclass(cls, BaseException):
            params = [
                (p.name, str(p.kind), None if p.default is p.empty else repr(p.default))
                for p in inspect.signature(cls.__init__).parameters.values()
            ]
            bases = [b.__name__ for b in cls.__mro__]
            out[module_name + "." + name] = {"params": params, "bases": bases}
print(json.dumps(out))
"""


def test_every_reference_class_exists_with_same_constructor(reference_python: str) -> None:
    reference = run_python(reference_python, SIGNATURES)
    ours = run_python(sys.executable, SIGNATURES)
    assert len(reference) >= 18
    for qualified, ref in reference.items():
        assert qualified in ours, f"{qualified} missing"
        assert ours[qualified]["params"] == ref["params"], qualified
        # Every base the reference class has (by name) is still a base here.
        assert set(ref["bases"]) <= set(ours[qualified]["bases"]), qualified


def test_hresult_defaults_and_argument_forms() -> None:
    assert E.SmartcardException("text").hresult == -1
    assert E.SmartcardException("text", SCARD_W_REMOVED_CARD).hresult == SCARD_W_REMOVED_CARD
    assert E.SmartcardException(message="m", hresult=5).hresult == 5
    assert E.CardConnectionException("x", hresult=SCARD_E_NO_SERVICE).hresult == SCARD_E_NO_SERVICE
    assert E.NoCardException("no card", SCARD_W_REMOVED_CARD).hresult == SCARD_W_REMOVED_CARD
    assert E.CardRequestTimeoutException().hresult == -1
    assert str(E.CardRequestTimeoutException()) == "Time-out during card request"
    assert str(E.NoReadersException()) == "No reader found"
    assert str(E.InvalidReaderException("foo")) == "Invalid reader: foo"
    assert str(E.InvalidATRMaskLengthException([1, 2])) == "Invalid ATR mask length: [1, 2]"
    assert str(E.SmartcardException("plain")) == "plain"


@pytest.mark.parametrize("code", [0x8010001D, 0x8010001D - (1 << 32)])
def test_str_is_pyscards_text_and_the_explanation_a_note(code: int) -> None:
    exc = E.CardConnectionException("Failed", hresult=code)
    # pyscard's text: the platform's message and the code, unsigned.
    assert str(exc) == "Failed: Service not available. (0x8010001D)"
    explanation = exc.explanation
    assert explanation is not None
    assert "SCARD_E_NO_SERVICE" in explanation and "0x8010001D" in explanation
    assert "pcscd" in explanation and "pcscd.socket" in explanation
    assert "PCSCLITE_CSOCK_NAME" in explanation
    assert exc.__notes__ == [explanation]


def test_explanation_note_shown_in_tracebacks_and_kept_by_pickle() -> None:
    exc = P.EstablishContextException(SCARD_E_NO_SERVICE)
    shown = "".join(traceback.format_exception(exc))
    assert "Failed to establish context: Service not available. (0x8010001D)" in shown
    assert exc.explanation is not None and exc.explanation in shown
    copy = pickle.loads(pickle.dumps(exc))
    assert str(copy) == str(exc)
    assert copy.explanation == exc.explanation and copy.__notes__ == [exc.explanation]


def test_no_explanation_without_a_code() -> None:
    for exc in (E.SmartcardException("plain"), P.BaseSCardException(), E.NoReadersException()):
        assert exc.explanation is None
        assert getattr(exc, "__notes__", []) == []


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda: E.CardConnectionException(), ""),
        (
            lambda: E.CardConnectionException("", SCARD_W_REMOVED_CARD),
            "Card was removed. (0x80100069)",
        ),
        (lambda: E.NoCardException("foo bar", -1), "foo bar"),
        (
            lambda: E.ListReadersException(0),
            "Failed to list readers: Command successful. (0x00000000)",
        ),
        (
            lambda: E.ListReadersException(0x42),
            "Failed to list readers: Unknown error: 0x00000042 (0x00000042)",
        ),
        (
            lambda: E.CardRequestTimeoutException(SCARD_E_NO_SERVICE),
            "Time-out during card request: Service not available. (0x8010001D)",
        ),
        (lambda: P.BaseSCardException(hresult=-1, message="foo bar"), "foo bar"),
        (
            lambda: P.BaseSCardException(SCARD_W_REMOVED_CARD),
            "scard exception: Card was removed. (0x80100069)",
        ),
        (
            lambda: P.ReleaseContextException(0x80100003),
            "Failed to release context: Invalid handle. (0x80100003)",
        ),
    ],
)
def test_texts_are_pyscards(build: Any, text: str) -> None:
    assert str(build()) == text


def test_pcsc_exception_message_and_code() -> None:
    exc = P.EstablishContextException(SCARD_E_NO_SERVICE)
    assert exc.hresult == SCARD_E_NO_SERVICE
    assert exc.message == "Failed to establish context"
    assert str(exc).startswith("Failed to establish context: ")
    assert "0x8010001D" in str(exc)
    group = P.AddReaderToGroupException(SCARD_E_SHARING_VIOLATION, "r", "g")
    assert (group.readername, group.groupname) == ("r", "g")
    assert "Failed to add reader: r to group: g" in str(group)
    assert str(P.BaseSCardException()) == "scard exception"


@pytest.mark.parametrize(
    "exc",
    [
        E.NoCardException("gone", SCARD_W_REMOVED_CARD),
        E.CardRequestTimeoutException(),
        P.AddReaderToGroupException(SCARD_E_NO_SERVICE, "r", "g"),
        P.PCSCServiceNotFoundError(SCARD_E_NO_SERVICE),
        E.CardNotPresentException("gone", SCARD_W_REMOVED_CARD),
    ],
)
def test_exceptions_survive_pickling(exc: Exception) -> None:
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is type(exc)
    assert clone.hresult == exc.hresult
    assert str(clone) == str(exc)


def test_card_not_present_is_both_no_card_and_connection_error() -> None:
    exc = E.CardNotPresentException("Unable to connect", SCARD_W_REMOVED_CARD)
    assert isinstance(exc, E.NoCardException)
    assert isinstance(exc, E.CardConnectionException)
    assert "removed" in str(exc)


@pytest.mark.parametrize(
    ("hresult", "establishing", "extra"),
    [
        (SCARD_E_NO_SERVICE, True, E.CardServiceNotFoundException),
        (SCARD_E_NO_SERVICE, False, E.CardServiceNotFoundException),
        (SCARD_E_SERVICE_STOPPED, True, E.CardServiceStoppedException),
        (SCARD_E_SERVICE_STOPPED, False, E.CardServiceStoppedException),
    ],
)
def test_readers_error_is_every_class_an_application_may_catch(
    hresult: int, establishing: bool, extra: type
) -> None:
    exc = P.readers_error(hresult, establishing)
    for cls in (
        extra,
        P.EstablishContextException,
        P.ListReadersException,
        E.ListReadersException,
        P.BaseSCardException,
        E.SmartcardException,
    ):
        assert isinstance(exc, cls), cls
    assert exc.hresult == hresult


def test_other_listing_failures_are_both_list_readers_exceptions() -> None:
    exc = P.readers_error(SCARD_E_SHARING_VIOLATION, establishing=False)
    assert isinstance(exc, P.ListReadersException)
    assert isinstance(exc, E.ListReadersException)
    assert not isinstance(exc, P.EstablishContextException)
    assert str(exc).startswith("Failed to list readers: ")


def test_connection_context_errors() -> None:
    exc = P.connection_context_error(SCARD_E_NO_SERVICE)
    assert isinstance(exc, E.CardConnectionException)
    assert isinstance(exc, P.EstablishContextException)
    assert isinstance(exc, E.CardServiceNotFoundException)
    stopped = P.connection_context_error(SCARD_E_SERVICE_STOPPED)
    assert isinstance(stopped, E.CardServiceStoppedException)


def test_library_missing_error_says_what_to_install() -> None:
    cause = PCSCLibraryError("cannot load the PC/SC library x: install pcsc-lite")
    exc = P.PCSCLibraryNotFoundError(cause)
    assert isinstance(exc, P.EstablishContextException)
    assert isinstance(exc, PCSCLibraryError)
    assert isinstance(exc, OSError)
    assert isinstance(exc, E.CardServiceNotFoundException)
    assert "install pcsc-lite" in str(exc)
    assert exc.hresult == -1
