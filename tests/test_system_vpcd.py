# SPDX-License-Identifier: LGPL-2.1-or-later
"""The system's pcscd must not serve vpcd readers: their card ports listen on 0.0.0.0.

Debian's vsmartcard-vpcd installs ``/etc/reader.conf.d/vpcd``; ``scripts/setup.sh``
diverts it (dpkg-divert) to a hidden name in the same directory. These tests
check that the installed pcscd really skips such a name, and that this
machine's configuration directory holds no vpcd reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from smartcard.testing import PrivatePCSCD
from smartcard.testing._host import find_program, pcscd_features

DIVERTED = ".vpcd.disabled-by-pyscard"  # the name scripts/setup.sh gives the file


class _HiddenConfigPCSCD(PrivatePCSCD):
    """A private pcscd whose only reader.conf file has the name setup.sh diverts to."""

    def _write_config(self, driver: str) -> None:
        super()._write_config(driver)
        folder = os.path.join(self.directory, "reader.conf.d")
        os.replace(os.path.join(folder, "vpcd"), os.path.join(folder, DIVERTED))


def test_pcscd_skips_the_diverted_config_name(pcscd: PrivatePCSCD) -> None:
    # No PC/SC calls here (this process belongs to the session daemon): read the log.
    with _HiddenConfigPCSCD("hidden config", debug=True) as daemon:
        log = open(daemon.log_path, encoding="utf-8", errors="replace").read()
    assert f"Skipping hidden file: {DIVERTED}" in log
    assert "Attempting startup of" not in log  # no reader at all


def _system_config_dir() -> str:
    try:
        return pcscd_features(find_program("pcscd")).get("configdir", "/etc/reader.conf.d")
    except Exception:  # noqa: BLE001 - no pcscd: nothing to check
        pytest.skip("no pcscd installed")


def _vpcd_package_installed() -> bool:
    query = shutil.which("dpkg-query")
    if query is None:
        pytest.skip("not a Debian system (no dpkg-query)")
    status = subprocess.run(
        [query, "-W", "-f=${Status}", "vsmartcard-vpcd"], capture_output=True, text=True
    ).stdout
    return "install ok installed" in status


def test_system_pcscd_loads_no_vpcd_reader() -> None:
    if not _vpcd_package_installed():
        pytest.skip("vsmartcard-vpcd is not installed")
    folder = _system_config_dir()
    fix = "run scripts/setup.sh (it diverts the file with dpkg-divert)"
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        # What pcscd 1.9.9 reads: regular files (not symlinks) not starting with ".".
        if name.startswith(".") or os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            assert "libifdvpcd" not in f.read(), (
                f"{path} makes the system pcscd listen for cards on 0.0.0.0; {fix}"
            )
    # And a package upgrade must not put it back: a diversion to a name pcscd skips.
    true_name = subprocess.run(
        ["dpkg-divert", "--truename", os.path.join(folder, "vpcd")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    skipped = os.path.basename(true_name).startswith(".") or os.path.dirname(true_name) != folder
    assert skipped, f"{folder}/vpcd is not diverted to a name pcscd skips; {fix}"
