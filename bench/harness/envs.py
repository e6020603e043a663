# SPDX-License-Identifier: LGPL-2.1-or-later
"""Virtual environments and C builds the benchmarks need, made on demand.

Everything lands in bench/_work/ (gitignored), so the suite runs from a
fresh clone: one venv with pyscard 2.3.1 from PyPI, one with our package
built from this tree, the stub PC/SC library and the C floor program.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
WORK = BENCH / "_work"
LOGS = WORK / "logs"
REF_VERSION = "2.3.1"

# What a clone needs to build our package; anything else in the repo
# (tests, docs, bench) does not change the installed package.
_OURS_SOURCES = ["src", "setup.py", "pyproject.toml", "MANIFEST.in", "LICENSE", "README.md"]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_logged(cmd: List[str], log_name: str, **kwargs: object) -> None:
    """Run a setup command, its output to a log file; on failure show the tail."""
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / log_name
    with open(path, "w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        tail = "\n".join(path.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({path}):\n{tail}")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _make_venv(venv: Path, base_python: str) -> Path:
    python = venv_python(venv)
    if not python.exists():
        log(f"creating {venv.relative_to(REPO)}")
        run_logged([base_python, "-m", "venv", str(venv)], f"{venv.name}-create.log")
    return python


def _installed_version(python: Path) -> str | None:
    code = "import importlib.metadata as m, smartcard.scard; print(m.version('pyscard'))"
    proc = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd=WORK, env=clean_env()
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_ref(base_python: str) -> Path:
    """The venv with pyscard 2.3.1, compiled from source by pip (needs swig)."""
    python = _make_venv(WORK / "venv-pyscard-2.3.1", base_python)
    if _installed_version(python) != REF_VERSION:
        log(f"installing pyscard=={REF_VERSION} (compiles from source, about a minute)")
        run_logged(
            [str(python), "-m", "pip", "install", "-q", f"pyscard=={REF_VERSION}"],
            "ref-install.log",
            cwd=WORK,
        )
    return python


def _source_files() -> List[Path]:
    """Our package's build inputs as a clone plus the working tree has them."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "--", *_OURS_SOURCES],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        files = [REPO / line for line in out.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout: take everything but build products.
        files = [
            p
            for name in _OURS_SOURCES
            for p in sorted((REPO / name).rglob("*"))
            if p.is_file()
            and "__pycache__" not in p.parts
            and p.suffix not in (".so", ".pyc", ".pyd")
        ]
    return [f for f in files if f.is_file()]


def _digest(files: List[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(REPO)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def ensure_ours(base_python: str, reinstall: str = "auto") -> Path:
    """The venv with our package, reinstalled when the source tree changed.

    It is built from a copy of the tree, so the build never writes into
    src/ where other people work; a regular (not editable) install, so
    the import-time figure sees what users get.
    """
    python = _make_venv(WORK / "venv-ours", base_python)
    files = _source_files()
    digest = _digest(files)
    stamp = WORK / "venv-ours.source-digest"
    installed = _installed_version(python) is not None
    same = stamp.exists() and stamp.read_text() == digest
    if installed and (reinstall == "never" or (same and reinstall == "auto")):
        return python
    copy = WORK / "ours-src"
    shutil.rmtree(copy, ignore_errors=True)
    for path in files:
        target = copy / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    log("installing our package from the working tree (builds the extension)")
    try:
        run_logged(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--force-reinstall",
                "--no-deps",
                str(copy),
            ],
            "ours-install.log",
            cwd=WORK,
        )
    except RuntimeError as exc:
        if _installed_version(python) is None:
            raise
        # Others edit src/ while we measure: a tree caught mid-change must
        # not stop the run, so measure the last good build and say so.
        log(f"{exc}\nmeasuring the previous build of our package instead")
        stamp.unlink(missing_ok=True)
        (WORK / "venv-ours.stale").write_text(str(exc).splitlines()[0])
        return python
    (WORK / "venv-ours.stale").unlink(missing_ok=True)
    stamp.write_text(digest)
    return python


def ours_build_note() -> str:
    stale = WORK / "venv-ours.stale"
    if stale.exists():
        return (
            "the working tree did NOT build (bench/_work/logs/ours-install.log); "
            "measured the previous build"
        )
    return "built from the working tree"


def _compiler() -> str:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise RuntimeError("no C compiler (cc) found: install gcc")
    return cc


def _pcsc_cflags() -> List[str]:
    try:
        out = subprocess.run(
            ["pkg-config", "--cflags", "libpcsclite"], capture_output=True, text=True, check=True
        ).stdout
        return out.split()
    except (OSError, subprocess.CalledProcessError):
        return ["-I/usr/include/PCSC"]


def _build(output: Path, source: Path, extra: List[str], log_name: str) -> Path:
    if output.exists() and output.stat().st_mtime >= source.stat().st_mtime:
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    log(f"building {output.relative_to(REPO)}")
    run_logged(
        [
            _compiler(),
            "-O2",
            "-Wall",
            "-Wextra",
            *_pcsc_cflags(),
            "-o",
            str(output),
            str(source),
            *extra,
        ],
        log_name,
    )
    return output


def build_stub() -> Path:
    """The stub PC/SC library, under the name pyscard 2.3.1 dlopens."""
    return _build(
        WORK / "stub" / "libpcsclite.so.1",
        BENCH / "stub" / "pcsc_stub.c",
        ["-shared", "-fPIC", "-fvisibility=hidden", "-Wl,-soname,libpcsclite.so.1"],
        "stub-build.log",
    )


def build_floor() -> Path:
    """The C program that transmits in a loop through the real libpcsclite."""
    return _build(
        WORK / "transmit_floor",
        BENCH / "floor" / "transmit_floor.c",
        ["-lpcsclite"],
        "floor-build.log",
    )


def clean_env(extra: Dict[str, str] | None = None) -> Dict[str, str]:
    """The environment for a worker: ours, less anything that would change
    which Python modules or PC/SC library it loads."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTHON")
        and k
        not in (
            "LD_LIBRARY_PATH",
            "LD_PRELOAD",
            "PYSCARD_PCSC_LIBRARY",
            "PCSCLITE_CSOCK_NAME",
            "VIRTUAL_ENV",
        )
    }
    env.update(extra or {})
    return env
