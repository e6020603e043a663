# SPDX-License-Identifier: LGPL-2.1-or-later
"""Running worker processes in an implementation's venv, and the
measurement plans that need no PC/SC daemon (stub and pure Python)."""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from harness.envs import BENCH, WORK, clean_env, log
from harness.figures import IMPLS, MICRO_KEYS, merge

WORKERS = BENCH / "workers"
IMPORTS = "smartcard.System, smartcard.CardConnection, smartcard.CardMonitoring, smartcard.util"


@dataclass
class Impl:
    key: str  # "ref" or "ours"
    python: Path
    stub_env: Dict[str, str] = field(default_factory=dict)


def stub_envs(stub: Path) -> Dict[str, Dict[str, str]]:
    """How each implementation is made to load the stub library."""
    common = {"BENCH_STUB": str(stub)}
    return {
        # pyscard 2.3.1 dlopens "libpcsclite.so.1" by bare name.
        "ref": {**common, "LD_LIBRARY_PATH": str(stub.parent)},
        "ours": {**common, "PYSCARD_PCSC_LIBRARY": str(stub)},
    }


def run_worker(
    impl: Impl, script: str, args: List[str], env: Dict[str, str], timeout: float = 300.0
) -> Dict:
    """Run a worker script, return its JSON answer (or an error answer)."""
    cmd = [str(impl.python), str(WORKERS / script), *args]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=WORK, env=clean_env(env)
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{script} timed out after {timeout:.0f} s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " / ".join(proc.stderr.strip().splitlines()[-3:])
        return {"error": f"{script} exited {proc.returncode}: {tail or '(no output)'}"}
    return json.loads(lines[-1])


def rotation(round_index: int, keys: List[str]) -> List[str]:
    # Alternate which side goes first, so neither always runs in the
    # other's wake (caches, CPU frequency, a neighbour's burst).
    shift = round_index % len(keys)
    return keys[shift:] + keys[:shift]


def run_micro(
    impls: Dict[str, Impl], rounds: int, repeat: int, target: float, only: List[str] | None = None
) -> Dict[str, Dict[str, Dict]]:
    """Samples of the stub and pure-Python figures: {figure: {impl: samples}}."""
    keys = [k for k in MICRO_KEYS if not only or k in only]
    samples: Dict[str, Dict[str, Dict]] = {k: {} for k in keys}
    if not keys:
        return samples
    for round_index in range(rounds):
        for name in rotation(round_index, list(IMPLS)):
            log(f"micro figures, round {round_index + 1}/{rounds}: {name}")
            impl = impls[name]
            answer = run_worker(
                impl,
                "micro.py",
                [
                    "--figures",
                    ",".join(keys),
                    "--repeat",
                    str(repeat),
                    "--target",
                    str(target),
                ],
                impl.stub_env,
            )
            for key in keys:
                result = answer.get("results", {}).get(key, answer)
                merge(samples[key].setdefault(name, {}), result)
    return samples


def _wall(cmd: List[str]) -> float | None:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, cwd=WORK, env=clean_env())
    took = time.perf_counter() - start
    return took if proc.returncode == 0 else None


def run_imports(impls: Dict[str, Impl], runs: int) -> Dict[str, Dict]:
    """Wall time of a fresh interpreter importing the framework, and of a
    bare one, interleaved, per implementation: {impl: {"bare", "full"}}."""
    out: Dict[str, Dict] = {}
    for name, impl in impls.items():
        check = subprocess.run(
            [str(impl.python), "-c", f"import {IMPORTS}"],
            capture_output=True,
            text=True,
            cwd=WORK,
            env=clean_env(),
        )
        if check.returncode != 0:
            last = (check.stderr.strip().splitlines() or ["failed"])[-1]
            out[name] = {
                "status": {
                    "na" if "ModuleNotFound" in last or "ImportError" in last else "error": last
                }
            }
        else:
            out[name] = {"bare": [], "full": []}
    live = [name for name in IMPLS if "status" not in out[name]]
    if not live:
        return out
    log(f"import times, {runs} runs each")
    for index in range(runs):
        for name in rotation(index, live):
            python = str(impls[name].python)
            bare, full = _wall([python, "-c", "pass"]), _wall([python, "-c", f"import {IMPORTS}"])
            if bare is not None and full is not None:
                out[name]["bare"].append(bare)
                out[name]["full"].append(full)
    return out
