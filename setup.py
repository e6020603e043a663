# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build of the SWIG extension smartcard.scard._scard.

Everything else is declared in pyproject.toml. The extension links no
PC/SC library (it is opened at run time), but it compiles against the
platform's winscard.h, so a missing header stops the build early with the
package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

SCARD_DIR = os.path.join("src", "smartcard", "scard")

MISSING_HEADER = """
pyscard: cannot find winscard.h, the PC/SC development header.
Install the pcsc-lite development package, then build again:
    Debian/Ubuntu:  sudo apt-get install libpcsclite-dev
    Fedora/RHEL:    sudo dnf install pcsc-lite-devel
    Alpine:         apk add pcsc-lite-dev
    FreeBSD:        pkg install pcsc-lite
macOS (PCSC.framework) and Windows (the Windows SDK) ship the header.
Searched: {searched}
"""

MISSING_SWIG = """
pyscard: cannot find the swig program, needed to generate the extension.
'pip install .' brings it from PyPI as a build requirement; when building
without build isolation, install it first: 'pip install swig' (or
'apt-get install swig', 'dnf install swig', 'brew install swig').
"""


def pcsc_include_dirs() -> list[str]:
    """The folders holding winscard.h, or exit with what to install."""
    if sys.platform in ("win32", "darwin"):
        return []
    candidates: list[str] = []
    try:
        flags = subprocess.run(
            ["pkg-config", "--cflags-only-I", "libpcsclite"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        candidates += [flag[2:] for flag in flags if flag.startswith("-I")]
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates += ["/usr/include/PCSC", "/usr/local/include/PCSC"]
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "winscard.h")):
            return [folder]
    sys.exit(MISSING_HEADER.format(searched=", ".join(candidates)))


def swig_options() -> list[str]:
    if shutil.which("swig") is None:
        sys.exit(MISSING_SWIG)
    options = ["-builtin", "-I" + SCARD_DIR]
    if sys.platform == "win32":
        options.append("-DSCARD_WINDOWS")
    return options


def release_flags() -> tuple[list[str], list[str]]:
    """(compile, link) flags that leave debug info out of the built modules.

    CPython's own flags carry -g, which put 250 KB of DWARF into _scard's
    337 KB; a wheel user has no use for it. A build that asks for debug info
    in CFLAGS (scripts/sanitize.sh, fuzz/run.sh: -g) or sets
    PYSCARD_DEBUG_INFO=1 keeps it. MSVC's release flags have no debug info.
    """
    if sys.platform == "win32":
        return [], []
    cflags = os.environ.get("CFLAGS", "").split()
    debug = any(flag.startswith("-g") and flag != "-g0" for flag in cflags)
    if debug or os.environ.get("PYSCARD_DEBUG_INFO") == "1":
        return [], []
    # -g0 after CPython's -g wins; -s drops the static symbol table too (the
    # dynamic one, with PyInit_*, stays). macOS's linker has no -s: -Wl,-S there.
    return ["-g0"], ["-Wl,-S" if sys.platform == "darwin" else "-s"]


def scard_extension() -> Extension:
    sources = [
        "scard.i",
        "pcsc_loader.c",
        "pcsc_convert.c",
        "pcsc_calls.c",
        "pcsc_fast.c",
    ]
    if sys.platform == "win32":
        sources.append("pcsc_windows.c")
    libraries: list[str] = []
    if sys.platform.startswith("linux"):
        libraries.append("dl")  # dlopen lives in libdl before glibc 2.34
    return Extension(
        "smartcard.scard._scard",
        sources=[os.path.join(SCARD_DIR, name) for name in sources],
        include_dirs=[SCARD_DIR] + pcsc_include_dirs(),
        swig_opts=swig_options(),
        libraries=libraries,
        extra_compile_args=release_flags()[0],
        extra_link_args=release_flags()[1],
    )


def util_speedups() -> Extension:
    """C fast paths for smartcard.util (plain C API; optional at run time)."""
    return Extension(
        "smartcard.util._speedups",
        sources=[os.path.join("src", "smartcard", "util", "_speedups.c")],
        extra_compile_args=release_flags()[0],
        extra_link_args=release_flags()[1],
    )


class BuildPyAfterExtension(build_py):
    """Generate the SWIG proxy module before the Python files are copied.

    setuptools copies pure modules before building extensions, which
    would leave SWIG's scard.py out of the wheel.
    """

    def run(self) -> None:
        self.run_command("build_ext")
        super().run()


needs_extension = not any(arg in sys.argv for arg in ("egg_info", "sdist", "--version"))

setup(
    ext_modules=[scard_extension(), util_speedups()] if needs_extension else [],
    cmdclass={"build_py": BuildPyAfterExtension},
)
