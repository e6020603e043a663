#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run pyscard 2.3.1's own test suite against this package.

Usage: .venv/bin/python scripts/run_pyscard_suite.py [--keep] [--only DIR] [-- PYTEST ARGS]

1. ``pip download`` fetches the pyscard 2.3.1 source distribution, pinned by
   version and sha256 (``--require-hashes``); the hash is checked again here.
2. Only its test files are unpacked, into a temporary directory:
   ``test/`` and ``src/smartcard/test/{framework,frameworkpcsc,scard}`` (plus
   ``configcheck.py``). Its ``smartcard`` package is not unpacked, so the
   tests can only import the ``smartcard`` installed in this interpreter:
   ours. The runner checks that before running anything.
3. A private pcscd (``smartcard.testing``) is started with its two vpcd
   readers, a virtual T=0 card in each (a small GSM SIM stand-in answering
   the suite's SELECT DF_TELECOM and GET RESPONSE), and ``local_config.py``
   is generated for the suite from them, as pyscard's ``configcheck.py``
   would from real readers and cards.
4. pytest runs each directory in its own process (the directories share
   module names). Tests that can only pass with a defect of pyscard 2.3.1
   are marked expected-failure (strict) from :data:`XFAIL`, each listed in
   docs/migration.rst.

The exit status is 0 only if every test passed (or failed as expected). The
last line gives the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from pathlib import Path, PurePosixPath

VERSION = "2.3.1"
SDIST = f"pyscard-{VERSION}.tar.gz"
SHA256 = "a24356f57a0a950740b6e54f51f819edd5296ee8892a6625b0da04724e9e6c13"

#: Directories of the suite, as (name here, path in the sdist).
DIRECTORIES = (
    ("test", "test"),
    ("framework", "src/smartcard/test/framework"),
    ("frameworkpcsc", "src/smartcard/test/frameworkpcsc"),
    ("scard", "src/smartcard/test/scard"),
)
#: Files next to the directories that the suite imports (``sys.path += [".."]``).
EXTRA_FILES = (("configcheck.py", "src/smartcard/test/configcheck.py"),)

#: Tests that cannot pass here: "directory::node id" -> reason. Each one is
#: listed in docs/migration.rst; keep the two in step. The marks are strict:
#: a test that starts passing fails the run until its entry is removed.
_NO_ATR_ATTRIBUTE = (
    "the vpcd reader driver (vsmartcard 3.3) does not implement SCARD_ATTR_ATR_STRING: "
    "SCardGetAttrib returns SCARD_E_UNSUPPORTED_FEATURE, with pyscard 2.3.1 as well"
)
XFAIL: dict[str, str] = {
    "scard::testcase_getattrib.py::testcase_getAttrib::test_getATR0": _NO_ATR_ATTRIBUTE,
    "scard::testcase_getattrib.py::testcase_getAttrib::test_getATR1": _NO_ATR_ATTRIBUTE,
}

#: Answer to SELECT DF_TELECOM of a GSM SIM: "9F xx", xx bytes of response pending.
_SIM_RESPONSE = bytes.fromhex("000000007F10020000000000") + bytes.fromhex("0993000E0400838A838A")


class SimStandIn:
    """Answers the two commands of the suite like a GSM SIM (class A0, T=0)."""

    def __init__(self) -> None:
        self.pending = b""

    def __call__(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins = apdu[0], apdu[1]
        if cla != 0xA0:
            return b"\x6e\x00"
        if ins == 0xA4:  # SELECT by file id
            if apdu[4:5] == b"\x02" and apdu[5:7] in (b"\x7f\x10", b"\x3f\x00"):
                self.pending = _SIM_RESPONSE
                return bytes((0x9F, len(self.pending)))
            self.pending = b""
            return b"\x94\x04"  # file not found
        if ins == 0xC0:  # GET RESPONSE
            wanted = apdu[4] if len(apdu) > 4 else 0
            if not self.pending or wanted > len(self.pending):
                return b"\x67\x00"
            data, self.pending = self.pending[:wanted], b""
            return data + b"\x90\x00"
        return b"\x6d\x00"

    def reset(self) -> None:
        self.pending = b""


def _t0_atr(historical: bytes) -> bytes:
    # Direct convention, no interface bytes: T=0 only, and no TCK.
    return bytes((0x3B, len(historical))) + historical


#: One T=0 card per reader, with different ATRs (the suite maps ATRs to readers).
ATRS = (_t0_atr(b"pyscard0"), _t0_atr(b"pyscard1"))


def download(directory: Path) -> Path:
    """Fetch the sdist with pip, pinned by version and hash; return its path."""
    requirements = directory / "requirements.txt"
    requirements.write_text(f"pyscard=={VERSION} --hash=sha256:{SHA256}\n", encoding="ascii")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",
        ":all:",
        # Preparing the sdist's metadata needs setuptools; use ours rather
        # than building pyscard's build requirements (swig) from source.
        "--no-build-isolation",
        "--require-hashes",
        "-r",
        str(requirements),
        "-d",
        str(directory),
    ]
    subprocess.run(command, check=True)
    sdist = directory / SDIST
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{sdist}: sha256 {digest}, expected {SHA256}")
    return sdist


def unpack_tests(sdist: Path, destination: Path) -> None:
    """Unpack only the suite's files: never the sdist's ``smartcard`` package."""
    root = PurePosixPath(f"pyscard-{VERSION}")
    wanted = {root / inside: name for name, inside in DIRECTORIES}
    files = {root / inside: name for name, inside in EXTRA_FILES}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            path = PurePosixPath(member.name)
            if path in files:
                target = destination / files[path]
            else:
                for prefix, name in wanted.items():
                    if prefix in path.parents:
                        target = destination / name / path.relative_to(prefix)
                        break
                else:
                    continue
            source = archive.extractfile(member)
            assert source is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
    for name, _ in DIRECTORIES:
        if not (destination / name).is_dir():
            raise SystemExit(f"{SDIST} has no {name} directory")


def write_local_config(directory: Path, readers: tuple[str, ...], atrs: tuple[bytes, ...]) -> None:
    """local_config.py as pyscard's configcheck.py writes it, from the virtual setup."""
    text = f'''\
        """Generated by scripts/run_pyscard_suite.py from the virtual readers and cards."""
        from smartcard.util import toHexString
        expectedReaders = {list(readers)!r}
        expectedATRs = {[list(atr) for atr in atrs]!r}
        expectedATRinReader = dict(zip(expectedReaders, expectedATRs))
        expectedReaderForATR = {{toHexString(atr): reader
                                for reader, atr in zip(expectedReaders, expectedATRs)}}
        expectedReaderGroups = ['SCard$DefaultReaders']
        '''
    (directory / "local_config.py").write_text(textwrap.dedent(text), encoding="utf-8")


_PLUGIN = '''\
"""Marks the expected failures and records every outcome (written by the runner)."""
import json, os
import pytest

XFAIL = json.loads(os.environ["PYSCARD_SUITE_XFAIL"])
DIRECTORY = os.environ["PYSCARD_SUITE_DIR"]
OUTCOMES = {}


def pytest_collection_modifyitems(items):
    for item in items:
        reason = XFAIL.get(DIRECTORY + "::" + item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        if report.skipped and hasattr(report, "wasxfail"):
            outcome = "xfailed"
        elif report.passed and hasattr(report, "wasxfail"):
            outcome = "xpassed"
        else:
            outcome = report.outcome
        if OUTCOMES.get(report.nodeid) in (None, "passed"):
            OUTCOMES[report.nodeid] = outcome


def pytest_collectreport(report):
    if report.failed:
        OUTCOMES[report.nodeid or DIRECTORY] = "error"


def pytest_sessionfinish(session):
    with open(os.environ["PYSCARD_SUITE_OUTCOMES"], "w") as f:
        json.dump(OUTCOMES, f, indent=1, sort_keys=True)
'''


def check_isolation(python: str, directory: Path, env: dict[str, str]) -> None:
    """The suite must import this interpreter's smartcard, never a copy in the temp dir."""
    probe = "import smartcard, smartcard.scard; print(smartcard.__file__)"
    where = subprocess.run(
        [python, "-c", probe],
        cwd=directory,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if Path(where).resolve().is_relative_to(directory.resolve().parent):
        raise SystemExit(f"the suite would import the sdist's smartcard: {where}")
    print(f"run_pyscard_suite: smartcard from {where}")


def run_directory(
    python: str, suite: Path, name: str, env: dict[str, str], pytest_args: list[str]
) -> dict[str, str]:
    directory = suite / name
    outcomes = suite / f"outcomes-{name}.json"
    env = dict(env)
    env.update(
        PYSCARD_SUITE_DIR=name,
        PYSCARD_SUITE_OUTCOMES=str(outcomes),
        PYSCARD_SUITE_XFAIL=json.dumps(XFAIL),
        PYTHONPATH=str(suite / "_plugin"),
    )
    command = [
        python,
        "-m",
        "pytest",
        "-c",
        str(suite / "pytest.ini"),
        "--rootdir",
        str(directory),
        "-p",
        "no:cacheprovider",
        "-p",
        "pyscard_suite_plugin",
        "-q",
        "-rfE",
        *pytest_args,
        ".",
    ]
    print(f"\n== pyscard {VERSION} suite: {name}", flush=True)
    subprocess.run(command, cwd=directory, env=env, check=False)
    if not outcomes.exists():
        return {name: "error"}
    result: dict[str, str] = json.loads(outcomes.read_text(encoding="utf-8"))
    return {f"{name}::{node}": outcome for node, outcome in result.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--only", action="append", choices=[name for name, _ in DIRECTORIES], help="directory"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter to test (default: this one); .venv-ref/bin/python tests pyscard",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    args.python = os.path.abspath(args.python) if os.sep in args.python else args.python

    from smartcard.testing.card import VirtualCard
    from smartcard.testing.daemon import ENV_SOCKET, PrivatePCSCD

    temporary = Path(tempfile.mkdtemp(prefix="pyscard-suite-"))
    try:
        sdist = download(temporary)
        suite = temporary / "suite"
        unpack_tests(sdist, suite)
        (suite / "pytest.ini").write_text(
            "[pytest]\npython_files = test_*.py testcase_*.py\n", encoding="ascii"
        )
        (suite / "_plugin").mkdir()
        (suite / "_plugin" / "pyscard_suite_plugin.py").write_text(_PLUGIN, encoding="utf-8")

        with PrivatePCSCD() as daemon:
            for index, atr in enumerate(ATRS):
                daemon.insert_card(index, VirtualCard(atr=atr, handler=SimStandIn()))
            for name, _ in DIRECTORIES:
                if name != "test":
                    write_local_config(suite / name, daemon.reader_names, ATRS)
            env = dict(os.environ)
            env[ENV_SOCKET] = daemon.socket_path
            env.pop("PYTHONPATH", None)
            check_isolation(args.python, suite / "test", env)
            outcomes: dict[str, str] = {}
            for name, _ in DIRECTORIES:
                if args.only and name not in args.only:
                    continue
                outcomes.update(run_directory(args.python, suite, name, env, args.pytest_args))
    finally:
        if args.keep:
            print(f"run_pyscard_suite: kept {temporary}")
        else:
            shutil.rmtree(temporary, ignore_errors=True)

    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    bad = sorted(node for node, outcome in outcomes.items() if outcome not in ("passed", "xfailed"))
    missing = sorted(set(XFAIL) - set(outcomes))
    for node in bad:
        print(f"run_pyscard_suite: {outcomes[node].upper()} {node}")
    for node in missing:
        print(f"run_pyscard_suite: expected-failure entry matches no test: {node}")
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
    print(f"run_pyscard_suite: pyscard {VERSION} suite: {len(outcomes)} tests: {summary}")
    return 1 if bad or missing or not outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
