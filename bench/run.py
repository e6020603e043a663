# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the benchmark suite, ours against pyscard 2.3.1, and write bench/RESULTS.md.

    python bench/run.py            # full run, a few minutes on 2 cores
    python bench/run.py --quick    # fewer rounds, for a quick look

Creates what it needs under bench/_work/ on first use (two venvs, the stub
PC/SC library, the C floor program); see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import envs  # noqa: E402
from harness.envs import REPO, WORK, log  # noqa: E402
from harness.figures import FIGURES, MICRO_KEYS  # noqa: E402
from harness.realstack import run_real  # noqa: E402
from harness.report import render  # noqa: E402
from harness.workers import Impl, run_imports, run_micro, stub_envs  # noqa: E402

# Rounds and sizes per mode: the full run stays within a few minutes here.
PLANS: Dict[str, Dict[str, float]] = {
    "full": {
        "rounds": 5,
        "repeat": 7,
        "target": 0.04,
        "import_runs": 30,
        "number": 50,
        "real_rounds": 400,
        "seconds": 0.1,
        "thread_rounds": 40,
    },
    "quick": {
        "rounds": 2,
        "repeat": 5,
        "target": 0.02,
        "import_runs": 10,
        "number": 50,
        "real_rounds": 120,
        "seconds": 0.1,
        "thread_rounds": 12,
    },
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter runs")
    parser.add_argument("--only", help="comma-separated figure keys (default: all)")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter the venvs are made from (default: this one)",
    )
    parser.add_argument(
        "--reinstall",
        choices=("auto", "always", "never"),
        default="auto",
        help="rebuild our package: when the source changed (auto), always, or never",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "RESULTS.md")
    return parser.parse_args()


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        return head + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _load() -> float:
    # The 1-minute load average: how busy the shared machine was.
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def _python_version(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()


def _build(what: str, build: Callable[[], Path]) -> Path | None:
    try:
        return build()
    except RuntimeError as exc:
        log(f"cannot build the {what}: {exc}")
        return None


def main() -> int:
    args = parse_args()
    mode = "quick" if args.quick else "full"
    plan = PLANS[mode]
    only: List[str] | None = args.only.split(",") if args.only else None
    keys = [f.key for f in FIGURES if not only or f.key in only]
    unknown = sorted(set(only or []) - {f.key for f in FIGURES})
    if unknown:
        sys.exit(
            f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(f.key for f in FIGURES)}"
        )
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)

    impls = {
        "ref": Impl("ref", envs.ensure_ref(args.python)),
        "ours": Impl("ours", envs.ensure_ours(args.python, args.reinstall)),
    }
    stub = _build("stub PC/SC library", envs.build_stub)
    floor = _build("C floor program", envs.build_floor)
    if stub is not None:
        for name, env in stub_envs(stub).items():
            impls[name].stub_env = env
    load = _load()

    samples: Dict[str, Dict[str, Dict]] = {}
    micro = [
        k
        for k in MICRO_KEYS
        if any(k in (f.ref_sample, f.ours_sample) for f in FIGURES if f.key in keys)
    ]
    if micro and stub is None:
        samples.update(
            {k: {s: {"status": {"error": "stub not built"}} for s in impls} for k in micro}
        )
    elif micro:
        samples.update(
            run_micro(impls, int(plan["rounds"]), int(plan["repeat"]), plan["target"], micro)
        )
    if "import" in keys:
        samples["import"] = run_imports(impls, int(plan["import_runs"]))
    real_plan = {**plan, "rounds": plan["real_rounds"]}
    samples.update(
        run_real(
            impls, floor, real_plan, [k for k in ("real_transmit", "real_threads") if k in keys]
        )
    )

    (WORK / "results.json").write_text(json.dumps(samples, indent=1))
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "mode": f"{mode}{' (only ' + ', '.join(keys) + ')' if only else ''}",
        "commit": _commit(),
        "machine": f"{_cpu()}, {os.cpu_count()} CPUs, load average "
        f"{load:.2f} at start, {_load():.2f} at end",
        "Python": _python_version(impls["ours"].python),
        "ours": envs.ours_build_note(),
        "run time": f"{time.monotonic() - started:.0f} s",
    }
    args.output.write_text(render(samples, meta, keys))
    log(f"wrote {args.output} (raw samples: {WORK / 'results.json'})")
    print(args.output.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
