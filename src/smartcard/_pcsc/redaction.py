# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a recording must never hold: PINs, and whatever the application says is secret.

The default rules mask, with same-length masks:

* the command data of ISO 7816-4 VERIFY (INS 20, 21), CHANGE REFERENCE DATA
  (INS 24, 25), RESET RETRY COUNTER (INS 2C, 2D) and ENABLE / DISABLE
  VERIFICATION REQUIREMENT (INS 28, 26): PINs, PUKs and new PINs;
* the data sent with the PC/SC part 10 PIN control codes (verify and modify
  PIN, start or direct), which a reader names in its answer to
  GET_FEATURE_REQUEST (so the rules learn them), and pcsc-lite's CCID
  driver's codes for them from the start.

A hook adds application-specific rules: ``hook(exchange)`` sees each
:class:`Exchange` and returns a :class:`Redaction` (which bytes to mask and
why) or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

__all__ = [
    "DEFAULT_RULES",
    "Exchange",
    "Redaction",
    "RedactionHook",
    "Redactor",
    "PIN_INSTRUCTIONS",
]

#: ISO 7816-4 instructions whose command data is a secret, with their names: the
#: PIN commands, their odd-INS (BER-TLV data) forms, and ENABLE / DISABLE
#: VERIFICATION REQUIREMENT, which carry the PIN too (GSM 11.11's ENABLE/DISABLE CHV).
PIN_INSTRUCTIONS = {
    0x20: "VERIFY",
    0x21: "VERIFY",
    0x24: "CHANGE REFERENCE DATA",
    0x25: "CHANGE REFERENCE DATA",
    0x26: "DISABLE VERIFICATION REQUIREMENT",
    0x28: "ENABLE VERIFICATION REQUIREMENT",
    0x2C: "RESET RETRY COUNTER",
    0x2D: "RESET RETRY COUNTER",
}

# PC/SC part 10 feature tags whose control data carries PIN entry, and the
# control code a reader's GET_FEATURE_REQUEST answer is asked with.
_PIN_FEATURES = {
    0x01: "VERIFY_PIN_START",
    0x03: "MODIFY_PIN_START",
    0x06: "VERIFY_PIN_DIRECT",
    0x07: "MODIFY_PIN_DIRECT",
    0x0D: "VERIFY_PIN_DIRECT_APP_ID",
    0x0E: "MODIFY_PIN_DIRECT_APP_ID",
}
_GET_FEATURE_REQUEST_FUNCTION = 3400
# The codes pcsc-lite's CCID driver gives the features (SCARD_CTL_CODE(0x330000 +
# tag)): masked even when the recording never saw GET_FEATURE_REQUEST, for
# applications that use them without asking.
_CCID_PIN_CODES = {0x42330000 + tag: name for tag, name in _PIN_FEATURES.items()}

DEFAULT_RULES = (
    "command data of VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER and"
    " ENABLE/DISABLE VERIFICATION REQUIREMENT (INS 20, 21, 24, 25, 26, 28, 2C, 2D)",
    "data of PC/SC part 10 PIN control codes (" + ", ".join(_PIN_FEATURES.values()) + ")",
)


@dataclass(frozen=True)
class Exchange:
    """One command and its answer, as a redaction hook sees it.

    ``kind`` is ``"transmit"`` (an APDU) or ``"control"`` (``code`` is the
    control code). ``response`` is empty when the call failed.
    """

    kind: str
    command: bytes
    response: bytes
    code: int | None = None


@dataclass(frozen=True)
class Redaction:
    """Which bytes of an exchange to mask (positions), and why, for the file."""

    reason: str
    command: FrozenSet[int] = frozenset()
    response: FrozenSet[int] = frozenset()

    @classmethod
    def of(
        cls, reason: str, command: Iterable[int] = (), response: Iterable[int] = ()
    ) -> Redaction:
        return cls(reason, frozenset(command), frozenset(response))


RedactionHook = Callable[[Exchange], Optional[Redaction]]


def _pin_data_range(apdu: bytes) -> range:
    """All of a PIN command after P3, unless it carries no data (cases 1 and 2).

    Not only the data field its length bytes announce: an APDU whose Lc is
    one byte short of its PIN would look like case 4 and show the PIN's last
    byte as its Le, and an Lc of 00 followed by a PIN would read as an
    extended Lc made of PIN bytes. A masked byte matches any byte on replay,
    so masking the length bytes and Le too costs nothing.
    """
    if len(apdu) <= 5 or apdu == apdu[:5] + b"\x00\x00":
        return range(0)  # case 1 or 2, short or extended (00 00 00 Le): no data
    return range(5, len(apdu))


def _control_code(function: int) -> Set[int]:
    # SCARD_CTL_CODE differs by platform: pcsc-lite 0x42000000 + n, Windows
    # (FILE_DEVICE_SMARTCARD << 16) + (n << 2).
    return {0x42000000 + function, (0x31 << 16) | (function << 2)}


_GET_FEATURE_REQUEST = _control_code(_GET_FEATURE_REQUEST_FUNCTION)


def _pin_codes(features: bytes) -> Dict[int, str]:
    """The PIN control codes in a GET_FEATURE_REQUEST answer (TLVs: tag, 4, big-endian code)."""
    codes: Dict[int, str] = {}
    index = 0
    while index + 6 <= len(features):
        tag, length = features[index], features[index + 1]
        if length == 4 and tag in _PIN_FEATURES:
            codes[int.from_bytes(features[index + 2 : index + 6], "big")] = _PIN_FEATURES[tag]
        index += 2 + length
    return codes


class Redactor:
    """Applies the default rules (unless ``defaults`` is false) and the hooks, in that order."""

    def __init__(self, hooks: Iterable[RedactionHook] = (), defaults: bool = True) -> None:
        self.hooks: List[RedactionHook] = list(hooks)
        self.defaults = defaults
        # Learnt from GET_FEATURE_REQUEST answers; a code means the same on every reader.
        self._pin_codes: Dict[int, str] = dict(_CCID_PIN_CODES)

    @property
    def rules(self) -> List[str]:
        """The rules in force, as the recording's header lists them."""
        rules = list(DEFAULT_RULES) if self.defaults else []
        rules += [f"hook {_name_of(hook)}" for hook in self.hooks]
        return rules

    def redact(self, exchange: Exchange) -> List[Redaction]:
        """What to mask in ``exchange``: one :class:`Redaction` per rule that applies."""
        found: List[Redaction] = []
        if self.defaults:
            rule = self._default(exchange)
            if rule is not None:
                found.append(rule)
        for hook in self.hooks:
            extra = hook(exchange)
            if extra is not None:
                if not isinstance(extra, Redaction):
                    raise TypeError(f"a redaction hook returns a Redaction or None,"
                                    f" not {type(extra).__name__}")  # fmt: skip
                found.append(extra)
        return found

    def _default(self, exchange: Exchange) -> Redaction | None:
        if exchange.kind == "transmit":
            apdu = exchange.command
            name = PIN_INSTRUCTIONS.get(apdu[1]) if len(apdu) >= 4 else None
            if name is None:
                return None
            data = _pin_data_range(apdu)
            return Redaction.of(f"{name} command data", command=data) if data else None
        if exchange.code in _GET_FEATURE_REQUEST:
            self._pin_codes.update(_pin_codes(exchange.response))
            return None
        feature = self._pin_codes.get(exchange.code or 0)
        if feature is None or not exchange.command:
            return None
        return Redaction.of(f"{feature} control data", command=range(len(exchange.command)))


def merge(redactions: Iterable[Redaction]) -> Tuple[Set[int], Set[int], str]:
    """All positions to mask in command and response, and the reasons joined."""
    command: Set[int] = set()
    response: Set[int] = set()
    reasons: List[str] = []
    for redaction in redactions:
        command |= redaction.command
        response |= redaction.response
        reasons.append(redaction.reason)
    return command, response, "; ".join(reasons)


def _name_of(hook: RedactionHook) -> str:
    module = getattr(hook, "__module__", None)
    name = getattr(hook, "__qualname__", None) or type(hook).__qualname__
    return f"{module}.{name}" if module else name
