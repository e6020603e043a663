# SPDX-License-Identifier: LGPL-2.1-or-later
"""Smart card access for Python over PC/SC, API-compatible with pyscard."""

__version__ = "2.4.0.dev0"
