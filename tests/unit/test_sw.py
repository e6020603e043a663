# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.sw: checkers, chains, exceptions and describe_sw().

Which exception each checker raises for each of the 65536 status words is
compared with tests/data/sw_reference.json, recorded from pyscard 2.3.1 by
tests/data/make_sw_fixture.py.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import pickle

import pytest

from smartcard.sw import SWExceptions, describe_sw
from smartcard.sw.ErrorChecker import ErrorChecker
from smartcard.sw.ErrorCheckingChain import ErrorCheckingChain
from smartcard.sw.ISO7816_4_SW1ErrorChecker import ISO7816_4_SW1ErrorChecker, iso7816_4SW1
from smartcard.sw.ISO7816_4ErrorChecker import ISO7816_4ErrorChecker, iso7816_4SW
from smartcard.sw.ISO7816_8ErrorChecker import iso7816_8SW
from smartcard.sw.ISO7816_9ErrorChecker import iso7816_9SW
from smartcard.sw.op21_ErrorChecker import op21_ErrorChecker, op21_SW
from smartcard.sw.SWExceptions import (
    CheckingErrorException,
    ExecutionErrorException,
    SecurityRelatedException,
    SWException,
    WarningProcessingException,
)

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
REFERENCE = json.loads((DATA / "sw_reference.json").read_text())


def _load_scenarios():
    spec = importlib.util.spec_from_file_location("sw_scenarios", DATA / "sw_scenarios.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sw_scenarios = _load_scenarios()
SCENARIOS = sw_scenarios.scenarios()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_status_word_raises_like_pyscard(name):
    assert sw_scenarios.table_of(SCENARIOS[name]) == REFERENCE[name]


def test_fixture_covers_every_scenario():
    assert set(REFERENCE) - {"reference"} == set(SCENARIOS)


# Tables keep pyscard's shape, so code reading them keeps working.


@pytest.mark.parametrize("table", [iso7816_4SW, iso7816_8SW, iso7816_9SW, op21_SW])
def test_checker_tables_have_pyscard_shape(table):
    for sw1, (exception, messages) in table.items():
        assert 0 <= sw1 <= 0xFF
        assert issubclass(exception, SWException)
        assert messages and all(isinstance(text, str) and text for text in messages.values())


def test_sw1_table():
    assert sorted(iso7816_4SW1) == list(range(0x62, 0x70))
    assert iso7816_4SW1[0x66] is SecurityRelatedException


def test_patched_table_is_honoured():
    # pyscard checkers read their module-level dict at call time.
    iso7816_4SW[0x90] = (WarningProcessingException, {0x01: "patched"})
    try:
        with pytest.raises(WarningProcessingException) as info:
            ISO7816_4ErrorChecker()([], 0x90, 0x01)
        assert info.value.message == "warning processing - patched"
    finally:
        del iso7816_4SW[0x90]
    ISO7816_4ErrorChecker()([], 0x90, 0x01)


# Exceptions.


def test_exception_attributes_and_text():
    with pytest.raises(CheckingErrorException) as info:
        ISO7816_4ErrorChecker()([1, 2], 0x6A, 0x82)
    exc = info.value
    assert (exc.data, exc.sw1, exc.sw2) == ([1, 2], 0x6A, 0x82)
    assert exc.message == "checking error - " + describe_sw(0x6A, 0x82)
    # pyscard's str() is the repr of the text, quotes included.
    assert str(exc) == repr("Status word exception: " + exc.message + "!")
    assert exc.args == ([1, 2], 0x6A, 0x82, describe_sw(0x6A, 0x82))


def test_sw1_checker_exceptions_have_no_detail():
    with pytest.raises(ExecutionErrorException) as info:
        ISO7816_4_SW1ErrorChecker()([], 0x65, 0x42)
    assert info.value.args == ([], 0x65, 0x42)
    assert str(info.value) == "'Status word exception: execution error - !'"


@pytest.mark.parametrize(
    ("cls", "prefix"),
    [
        (SWException, ""),
        (WarningProcessingException, "warning processing - "),
        (ExecutionErrorException, "execution error - "),
        (SecurityRelatedException, "security issue - "),
        (CheckingErrorException, "checking error - "),
    ],
)
def test_exception_classes(cls, prefix):
    exc = cls([0x90], 0x6F, 0x00, "text")
    assert exc.message == prefix + "text"
    assert repr(exc) == f"{cls.__name__}([144], 111, 0, 'text')"
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is cls and clone.message == exc.message and clone.sw1 == 0x6F
    assert issubclass(cls, Exception)


def test_exception_module_names():
    names = {n for n in dir(SWExceptions) if n.endswith("Exception")}
    assert names >= {
        "SWException",
        "WarningProcessingException",
        "ExecutionErrorException",
        "SecurityRelatedException",
        "CheckingErrorException",
    }


# Chains.


def test_chain_links_and_navigation():
    chain = []
    first = ErrorCheckingChain(chain, op21_ErrorChecker())
    second = ErrorCheckingChain(chain, ISO7816_4_SW1ErrorChecker())
    assert chain == [first, second]
    assert first.next() is second and second.next() is None
    assert not first.end() and second.end()
    assert first.strategy.__class__ is op21_ErrorChecker and first.chain is chain


def test_chain_filter_propagates_forward_only():
    chain = []
    first = ErrorCheckingChain(chain, ErrorChecker())
    second = ErrorCheckingChain(chain, ISO7816_4_SW1ErrorChecker())
    second.addFilterException(CheckingErrorException)
    assert first.excludes == [] and second.excludes == [CheckingErrorException]
    first.addFilterException(WarningProcessingException)
    assert second.excludes == [CheckingErrorException, WarningProcessingException]
    first([], 0x6A, 0x82)  # filtered in the second link
    with pytest.raises(ExecutionErrorException):
        first([], 0x64, 0x00)


def test_chain_filter_is_by_exact_class():
    class Special(CheckingErrorException):
        pass

    def strategy(data, sw1, sw2):
        raise Special(data, sw1, sw2)

    chain = []
    ErrorCheckingChain(chain, strategy)
    chain[0].addFilterException(CheckingErrorException)
    with pytest.raises(Special):
        chain[0]([], 0x6A, 0x80)


def test_chain_passes_data_and_returns_none():
    seen = []
    chain = []
    ErrorCheckingChain(chain, lambda data, sw1, sw2: seen.append((data, sw1, sw2)))
    ErrorCheckingChain(chain, lambda data, sw1, sw2: seen.append("second"))
    assert chain[0]([7], 0x90, 0x00) is None
    assert seen == [([7], 0x90, 0x00), "second"]


# describe_sw (new API).


@pytest.mark.parametrize(
    ("sw", "words"),
    [
        (0x9000, "normal processing"),
        (0x6A82, "not found"),
        (0x6982, "Security status not satisfied"),
        (0x6700, "Wrong length"),
        (0x6D00, "Instruction code not supported"),
        (0x6E00, "Class not supported"),
        (0x6120, "32 more response bytes"),
        (0x6100, "256 or more"),
        (0x6C10, "Le=10"),
        (0x63C3, "Counter value 3"),
        (0x6283, "deactivated"),
        (0x6581, "Memory failure"),
        (0x62FF, "SW2 FF not defined"),
        (0x9F10, "Proprietary"),
        (0x1234, "Not a valid"),
    ],
)
def test_describe_sw(sw, words):
    assert words in describe_sw(sw >> 8, sw & 0xFF)


def test_describe_sw_covers_every_status_word():
    for sw in range(0x10000):
        assert describe_sw(sw >> 8, sw & 0xFF)


@pytest.mark.parametrize(("sw1", "sw2"), [(256, 0), (0x90, -1)])
def test_describe_sw_rejects_non_bytes(sw1, sw2):
    with pytest.raises(ValueError):
        describe_sw(sw1, sw2)


def test_checker_messages_come_from_the_shared_tables():
    # The ISO 7816-4 checker uses the ISO 7816-4 meaning of each status word.
    for sw1, (_, messages) in iso7816_4SW.items():
        for sw2, text in messages.items():
            assert text == describe_sw(sw1, sw2)
    # GlobalPlatform-only status words get their own meaning.
    assert "Algorithm" in op21_SW[0x94][1][0x84]
