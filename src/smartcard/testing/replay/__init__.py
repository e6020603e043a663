# SPDX-License-Identifier: LGPL-2.1-or-later
"""Replaying a recording (:mod:`smartcard.recording`) as cards and readers, for tests.

* :func:`replay_backend`: a fake PC/SC service (no pcscd) with the recorded
  readers, cards, answers, failures, insertions and removals; install it with
  ``smartcard._pcsc.backend.use``.
* :meth:`smartcard.testing.VirtualCard.from_recording`: a virtual card for a
  vpcd reader of the private pcscd, answering APDUs as the recorded card did.
* the ``pcsc_recording`` pytest marker and ``pcsc_replay`` fixture
  (:mod:`smartcard.testing.pytest_plugin`) put either in place for a test.

Both modes, ``"strict"`` and ``"lookup"``, are described in
:mod:`smartcard.testing.replay.player`.
"""

from __future__ import annotations

from smartcard.testing.replay.fake import ReplayBackend, load_script, replay_backend
from smartcard.testing.replay.player import MODES, ExchangePlayer, ReplayMismatch
from smartcard.testing.replay.script import ReplayScript, build

__all__ = [
    "MODES",
    "ExchangePlayer",
    "ReplayBackend",
    "ReplayMismatch",
    "ReplayScript",
    "build",
    "load_script",
    "replay_backend",
]
