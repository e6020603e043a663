# SPDX-License-Identifier: LGPL-2.1-or-later
"""The orchestrating side of the benchmark suite (run by bench/run.py).

Nothing here imports ``smartcard``: the implementations under test are only
ever loaded by worker processes running in their own virtual environments.
"""
