# SPDX-License-Identifier: LGPL-2.1-or-later
"""``pyscard readers`` against the private pcscd."""

from __future__ import annotations

import json

from .conftest import assert_one_line_error, run_cli


def test_lists_every_reader_with_state_and_atr(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("readers", env=stack_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"0: {reader_names[0]}",
        f"   card present, ATR {virtual_card.atr.hex(' ').upper()}",
        f"1: {reader_names[1]}",
        "   no card",
    ]


def test_json_shape(stack_env, virtual_card, reader_names) -> None:  # noqa: ANN001
    result = run_cli("readers", "--json", env=stack_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "readers": [
            {
                "name": reader_names[0],
                "state": "present",
                "flags": ["PRESENT"],
                "atr": virtual_card.atr.hex().upper(),
            },
            {"name": reader_names[1], "state": "empty", "flags": ["EMPTY"], "atr": None},
        ]
    }


def test_reader_by_unique_substring_any_case(stack_env, virtual_card_factory, reader_names) -> None:  # noqa: ANN001
    card = virtual_card_factory(1)
    result = run_cli("readers", "--json", "--reader", "VIRTUAL 00 01", env=stack_env)
    assert result.returncode == 0, result.stderr
    (only,) = json.loads(result.stdout)["readers"]
    assert only["name"] == reader_names[1]
    assert only["atr"] == card.atr.hex().upper()


def test_exact_name_wins(stack_env, reader_names) -> None:  # noqa: ANN001
    result = run_cli("readers", "--json", "-r", reader_names[0], env=stack_env)
    assert [r["name"] for r in json.loads(result.stdout)["readers"]] == [reader_names[0]]


def test_unknown_and_ambiguous_readers_are_usage_errors(stack_env, reader_names) -> None:  # noqa: ANN001
    assert_one_line_error(
        run_cli("readers", "--reader", "no such reader", env=stack_env),
        2,
        "no reader matches 'no such reader'",
        reader_names[0],
    )
    assert_one_line_error(
        run_cli("readers", "--reader", "virtual", env=stack_env),
        2,
        "'virtual' matches 2 readers",
    )


def test_daemon_unreachable_is_a_pcsc_failure() -> None:
    result = run_cli("readers", env={"PCSCLITE_CSOCK_NAME": "/nonexistent/pcscd.comm"})
    assert_one_line_error(result, 1, "SCARD_E_NO_SERVICE", "PCSCLITE_CSOCK_NAME")


def test_no_reader_at_all_is_a_pcsc_failure() -> None:
    """The private daemon always has its two readers, so this rule is checked in-process."""
    import pytest

    from smartcard.cli.errors import PCSCFailure
    from smartcard.cli.reader_choice import match_reader

    with pytest.raises(PCSCFailure, match="no smart card reader found"):
        match_reader("anything", [])
