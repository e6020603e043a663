# SPDX-License-Identifier: LGPL-2.1-or-later
"""Load the smartcard pytest plugin when running from a source tree.

An installed pyscard registers it through its ``pytest11`` entry point;
registering the same module a second time under another name is an error.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("smartcard"):
        config.pluginmanager.import_plugin("smartcard.testing.pytest_plugin")
