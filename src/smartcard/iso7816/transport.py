# SPDX-License-Identifier: LGPL-2.1-or-later
"""ISO 7816 transport rules, in one place: GET RESPONSE, wrong Le, command chaining.

Everything here works on an *exchange*: a callable that sends one command
APDU (bytes) and returns the card's raw response (data then SW1 SW2). The
new card API and :class:`~smartcard.iso7816.decorator.ISO7816TransportDecorator`
both plug their exchange in, so the rules are the same for both:

* ``61 xx``: response data is waiting; GET RESPONSE (``00 C0 00 00 xx``,
  on the command's logical channel) fetches it, as often as the card asks
  up to :attr:`TransportOptions.max_get_response` times, and the pieces are
  joined. This happens over T=0 and T=1 alike.
* ``6C xx``: the Le was wrong; the command is sent again once with Le = xx.
* Command data longer than a short APDU holds (255 bytes) goes in an
  extended APDU, or, when extended length is not wanted, in a chain of
  short APDUs whose CLA has bit ``10`` set on all but the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Tuple, TypeVar

from smartcard.iso7816._checks import check_int
from smartcard.iso7816.apdu import SHORT_MAX_NC, SHORT_MAX_NE, CommandAPDU, parse_apdu
from smartcard.iso7816.channels import channel_of, cla_for_channel
from smartcard.iso7816.errors import TransportError
from smartcard.iso7816.response import Response

__all__ = [
    "Exchange",
    "TransportOptions",
    "DEFAULT_OPTIONS",
    "get_response_cla",
    "follow_up",
    "complete_response",
    "transmit_apdu",
    "send_command",
]

#: Sends one command APDU, returns the raw response (at least SW1 SW2).
Exchange = Callable[[bytes], bytes]

SW1_MORE_DATA = 0x61
SW1_WRONG_LE = 0x6C
#: SW1 values whose answer is followed up (GET RESPONSE, or the command again
#: with the right Le); any other answer of two bytes or more is final.
FOLLOW_UP_SW1 = bytes((SW1_MORE_DATA, SW1_WRONG_LE))
INS_GET_RESPONSE = 0xC0
CLA_CHAINING = 0x10
_GSM_CLASS = 0xA0


@dataclass(frozen=True)
class TransportOptions:
    """What the transport does for you; every rule can be switched off.

    ``get_response``: fetch 61xx data with GET RESPONSE. ``fix_wrong_le``:
    resend once with the Le given by 6Cxx. ``chaining``: split long command
    data into a chain of short APDUs when extended length is not used.
    ``extended_length``: encode long commands as extended APDUs (if False,
    long data is chained and a large Le is asked for 256 bytes at a time).
    ``max_get_response``: most GET RESPONSE commands for one exchange (256
    fetches of 256 bytes cover the largest response, 64 KiB).
    """

    get_response: bool = True
    fix_wrong_le: bool = True
    chaining: bool = True
    extended_length: bool = True
    max_get_response: int = 256

    def __post_init__(self) -> None:
        for name in ("get_response", "fix_wrong_le", "chaining", "extended_length"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
        check_int("max_get_response", self.max_get_response, 1, 1 << 20)


DEFAULT_OPTIONS = TransportOptions()

#: Options under which the transport changes nothing: what plain PC/SC does.
RAW_OPTIONS = TransportOptions(
    get_response=False, fix_wrong_le=False, chaining=False, extended_length=True
)


def get_response_cla(cla: int) -> int:
    """CLA for the GET RESPONSE that follows a command sent with ``cla``.

    Interindustry class 00 on the command's logical channel; GSM's class A0
    (and other classes without channel coding) keep their own CLA, as GSM
    11.11 SIMs expect ``A0 C0``.
    """
    try:
        return cla_for_channel(0x00, channel_of(cla))
    except ValueError:
        return cla


def _checked(raw: bytes) -> bytes:
    if len(raw) < 2:
        raise TransportError(f"card returned {len(raw)} byte(s), a response needs at least SW1 SW2")
    return raw


def follow_up(
    exchange: Exchange, apdu: bytes, raw: bytes, options: TransportOptions = DEFAULT_OPTIONS
) -> Tuple[bytes, int]:
    """Apply the 6Cxx and 61xx rules to ``raw``, the card's answer to ``apdu``.

    Returns the complete response data and the final status word.
    """
    raw = _checked(raw)
    if len(apdu) < 4:  # no command header to re-send or to take a CLA from
        return raw[:-2], raw[-2] << 8 | raw[-1]
    if raw[-2] == SW1_WRONG_LE and options.fix_wrong_le:
        apdu = _with_le(apdu, raw[-1] or SHORT_MAX_NE)
        raw = _checked(exchange(apdu))
    if raw[-2] != SW1_MORE_DATA or not options.get_response:
        return raw[:-2], raw[-2] << 8 | raw[-1]
    data = bytearray(raw[:-2])
    cla = get_response_cla(apdu[0])
    fetches = 0
    while raw[-2] == SW1_MORE_DATA:
        fetches += 1
        if fetches > options.max_get_response:
            raise TransportError(
                f"card still announced more data (61{raw[-1]:02X}) after "
                f"{options.max_get_response} GET RESPONSE commands and {len(data)} bytes"
            )
        get_response = bytes((cla, INS_GET_RESPONSE, 0x00, 0x00, raw[-1]))
        raw = _checked(exchange(get_response))
        if raw[-2] == SW1_WRONG_LE and options.fix_wrong_le:
            raw = _checked(exchange(get_response[:4] + raw[-1:]))
        data += raw[:-2]
    return bytes(data), raw[-2] << 8 | raw[-1]


_new_response = tuple.__new__  # Response(...) without NamedTuple's Python-level __new__


_Answer = TypeVar("_Answer", bound=Tuple[Any, ...])


def _no_fast_path(raw: bytes, follow_up_sw1: bytes, response_type: type[_Answer]) -> _Answer | None:
    return None  # without the C helper, complete_response decides everything


try:
    # final_answer(raw, FOLLOW_UP_SW1, Response) is complete_response's first
    # branch in C, for the new API's hot path: the Response of an answer
    # whose SW1 needs no follow-up, else None.
    from smartcard.util._speedups import final_answer as final_answer
except ImportError:  # a build without C helpers
    final_answer = _no_fast_path


def complete_response(
    exchange: Exchange, apdu: bytes, raw: bytes, options: TransportOptions = DEFAULT_OPTIONS
) -> Response:
    """The :class:`Response` to ``apdu``, whose raw answer (data, SW1 SW2) is ``raw``.

    The new card API's hot path, hence its shape: an answer whose SW1 is
    neither 61 nor 6C becomes a Response at once; those two go through
    :func:`follow_up` (so through ``exchange``), and an answer shorter than
    SW1 SW2 raises :class:`TransportError` there.
    """
    try:
        sw1 = raw[-2]
    except IndexError:
        sw1 = SW1_MORE_DATA  # too short: follow_up says so
    if sw1 not in FOLLOW_UP_SW1:
        return _new_response(Response, (raw[:-2], sw1 << 8 | raw[-1]))
    return _new_response(Response, follow_up(exchange, apdu, raw, options))


def _with_le(apdu: bytes, le: int) -> bytes:
    """``apdu`` with its Le set to ``le`` (1..256), in the APDU's own form."""
    try:
        command = parse_apdu(apdu)
    except ValueError:
        # Not an APDU we can rewrite (a reader pseudo-APDU...): its answer stands.
        return apdu
    return command._replace(le=le).encode()


def transmit_apdu(
    exchange: Exchange, apdu: bytes, options: TransportOptions = DEFAULT_OPTIONS
) -> Tuple[bytes, int]:
    """Send an encoded APDU, then follow 61xx/6Cxx; return (data, sw).

    An extended APDU whose data exceeds 255 bytes is re-sent as a chain of
    short APDUs when ``options`` forbid extended length but allow chaining.
    """
    if not options.extended_length and len(apdu) > SHORT_MAX_NC + 5:
        try:
            command = parse_apdu(apdu)
        except ValueError:
            command = None
        if command is not None and command.extended:
            return send_command(exchange, command, options)
    return follow_up(exchange, apdu, exchange(apdu), options)


def send_command(
    exchange: Exchange, command: CommandAPDU, options: TransportOptions = DEFAULT_OPTIONS
) -> Tuple[bytes, int]:
    """Encode ``command`` as the options allow, send it (chained if need be); return (data, sw).

    Raises ValueError, before anything is sent, when the data needs extended
    length or chaining and both are switched off.
    """
    data, le = command.data, command.le
    if options.extended_length and command.needs_extended():
        apdu = command._replace(extended=True).encode()
        return follow_up(exchange, apdu, exchange(apdu), options)
    if le is not None and le > SHORT_MAX_NE:
        le = 0  # ask for 256 (short 00); the card announces the rest with 61xx
    if len(data) <= SHORT_MAX_NC:
        apdu = command._replace(le=le, extended=False).encode()
        return follow_up(exchange, apdu, exchange(apdu), options)
    if not options.chaining:
        raise ValueError(
            f"data has {len(data)} bytes: more than a short APDU holds, and both "
            "extended length and command chaining are switched off"
        )
    return _send_chained(exchange, command._replace(le=le, extended=False), options)


def _send_chained(
    exchange: Exchange, command: CommandAPDU, options: TransportOptions
) -> Tuple[bytes, int]:
    data = command.data
    last_start = (len(data) - 1) // SHORT_MAX_NC * SHORT_MAX_NC
    link = command._replace(cla=command.cla | CLA_CHAINING, le=None)
    for start in range(0, last_start, SHORT_MAX_NC):
        raw = _checked(exchange(link._replace(data=data[start : start + SHORT_MAX_NC]).encode()))
        if raw[-2:] != b"\x90\x00":
            # The card stopped the chain (6884 "chaining not supported"...): report that.
            return raw[:-2], raw[-2] << 8 | raw[-1]
    apdu = command._replace(data=data[last_start:]).encode()
    return follow_up(exchange, apdu, exchange(apdu), options)


def optional_options(name: str, options: object) -> TransportOptions:
    """``options`` (the argument called ``name``), or the defaults for None.

    Raises TypeError naming the argument for anything else.
    """
    if options is None:
        return DEFAULT_OPTIONS
    if not isinstance(options, TransportOptions):
        raise TypeError(f"{name} must be TransportOptions or None, not {type(options).__name__}")
    return options
