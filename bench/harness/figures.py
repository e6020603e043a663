# SPDX-License-Identifier: LGPL-2.1-or-later
"""The figures of the suite: what each compares, its target, and how the
raw samples of the workers become one number per implementation.

Samples are gathered per implementation as ``{"per_op": [seconds, ...]}``
(every repeat of every round), or ``{"na": why}`` / ``{"error": why}``.
Times are the best (minimum) sample: on a shared, noisy machine the
minimum is the run least disturbed by others, and every figure is
repeated in rounds that alternate the implementations.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Dict, List

IMPLS = ("ref", "ours")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    limit: float
    target: str
    # Which worker figure gives each side: ours may be compared with a
    # different way of calling pyscard (bytes in vs a list in).
    ref_key: str = ""
    ours_key: str = ""
    kind: str = "time"  # "time", "import", "real" (vs the C floor), "threads"

    @property
    def ref_sample(self) -> str:
        return self.ref_key or self.key

    @property
    def ours_sample(self) -> str:
        return self.ours_key or self.key


FIGURES: List[Figure] = [
    Figure(
        "transmit_list", "`SCardTransmit`, 5-byte APDU, list in / list out (stub)", 0.35, "≤ 0.35"
    ),
    Figure(
        "transmit_bytes",
        "`SCardTransmit`, bytes in (ours) vs list in (pyscard) (stub)",
        0.25,
        "≤ 0.25",
        ref_key="transmit_list",
    ),
    Figure("getstatuschange", "`SCardGetStatusChange`, 2 readers, timeout 0 (stub)", 0.4, "≤ 0.4"),
    Figure("status", "`SCardStatus` (stub)", 0.4, "≤ 0.4"),
    Figure("framework_transmit", "`CardConnection.transmit`, no observers (stub)", 0.2, "≤ 0.2"),
    Figure("tohexstring", "`toHexString` of 256 bytes", 0.05, "≤ 0.05"),
    Figure("tobytes", "`toBytes` of that string", 0.8, "≤ 0.8"),
    Figure("atr_parse", "`ATR(...)` parse of a 20-byte ATR", 0.5, "≤ 0.5"),
    Figure(
        "import",
        "import System, CardConnection, CardMonitoring, util (fresh interpreter, minus bare start)",
        0.25,
        "≤ 0.25",
        kind="import",
    ),
    Figure(
        "real_transmit",
        "real stack: `SCardTransmit` round trip (pcscd + vpcd + "
        "VirtualCard); ratio = ours / C floor",
        1.02,
        "≤ 1.02",
        kind="real",
    ),
    Figure(
        "real_threads",
        "real stack: 2 threads on 2 readers / 1 thread, throughput; ratio = ours / pyscard",
        1.0,
        "≥ pyscard's",
        kind="threads",
    ),
]

MICRO_KEYS = sorted({k for f in FIGURES if f.kind == "time" for k in (f.ref_sample, f.ours_sample)})


@dataclass
class Value:
    """One implementation's number for a figure, or why there is none."""

    best: float | None = None
    median: float | None = None
    spread: str = ""
    missing: str = ""  # "n/a (not available)" or "error", with the reason

    @property
    def ok(self) -> bool:
        return self.best is not None


def merge(into: Dict[str, Any], sample: Dict) -> None:
    """Add one worker answer to the samples gathered so far for a figure."""
    if "na" in sample or "error" in sample:
        into.setdefault("status", sample)
        return
    for key, values in sample.items():
        if isinstance(values, list):
            into.setdefault(key, []).extend(values)


def _missing(samples: Dict | None) -> str:
    status = (samples or {}).get("status") or {"na": "not measured"}
    if "na" in status:
        return f"n/a (not available): {status['na']}"
    return f"error: {status['error']}"


def time_value(samples: Dict | None) -> Value:
    per_op = (samples or {}).get("per_op")
    if not per_op:
        return Value(missing=_missing(samples))
    return Value(
        best=min(per_op),
        median=statistics.median(per_op),
        spread=f"n={len(per_op)}, max {_fmt_time(max(per_op))}",
    )


def import_value(samples: Dict | None) -> Value:
    bare, full = (samples or {}).get("bare"), (samples or {}).get("full")
    if not bare or not full:
        return Value(missing=_missing(samples))
    return Value(
        best=min(full) - min(bare),
        median=statistics.median(full) - statistics.median(bare),
        spread=f"n={len(full)}, bare start {_fmt_time(min(bare))}",
    )


def threads_value(samples: Dict | None) -> Value:
    one, two = (samples or {}).get("one"), (samples or {}).get("two")
    if not one or not two:
        return Value(missing=_missing(samples))
    # Medians, not the best windows: when pcscd, the cards and the client
    # saturate the two cores, two threads rarely beat one and the best
    # 2-thread window is a rare lull in the machine's load. The windows of
    # both implementations are interleaved, so their medians see the same load.
    scaling = statistics.median(two) / statistics.median(one)
    return Value(
        best=scaling,
        median=scaling,
        spread=f"median 1 thread {statistics.median(one):,.0f}/s, 2 threads "
        f"{statistics.median(two):,.0f}/s; best {max(one):,.0f}/s and "
        f"{max(two):,.0f}/s; n={len(one)}",
    )


def _fmt_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if abs(seconds) >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt(value: Value, kind: str) -> str:
    if not value.ok:
        return "n/a (not available)" if value.missing.startswith("n/a") else "error"
    if kind == "threads":
        return f"{value.best:.2f}×"
    if kind == "real":  # see report.build_rows: medians for the real stack
        return _fmt_time(value.median)  # type: ignore[arg-type]
    return _fmt_time(value.best)  # type: ignore[arg-type]
