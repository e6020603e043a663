# SPDX-License-Identifier: LGPL-2.1-or-later
"""pytest fixtures for a real PC/SC stack (registered as the ``smartcard`` pytest11 plugin).

Fixtures:

``pcscd`` (session)
    A running :class:`~smartcard.testing.PrivatePCSCD`; ``PCSCLITE_CSOCK_NAME``
    points at it for the whole session. libpcsclite reads that variable once
    per process, so every test that touches PC/SC must request this fixture
    (directly or through the ones below) before its first PC/SC call. If the
    daemon cannot start, tests using it are skipped, or failed when the
    environment has ``CI=true``.
``reader_names`` (function)
    The two virtual reader names, in order.
``virtual_card_factory`` (function)
    ``factory(reader=0, **VirtualCard kwargs) -> VirtualCard``: inserts a card
    and waits until pcscd reports it. Cards are removed after the test, and
    the test ends only once pcscd has seen them go.
``virtual_card`` (function)
    A default :class:`~smartcard.testing.VirtualCard` in reader 0.
``pcsc_replay`` (function), and the ``pcsc_recording`` marker
    ``@pytest.mark.pcsc_recording("tests/cards/x.jsonl", mode="strict", stack="fake")``
    replays a recording (:mod:`smartcard.recording`) for the test: on the
    fake backend (``stack="fake"``: the recorded readers by name, with events
    and errors; no daemon) or as a virtual card in the private pcscd's first
    reader (``stack="pcscd"``). The path is taken from the rootdir, else from
    the test file's folder. The fixture gives the
    :class:`~smartcard.testing.replay.fixture.Replay`; the marker works
    without asking for it. A mismatch fails the test (at the call on the
    fake; at teardown on the real stack, where the card answers ``6F 00``).
``fake_pcsc`` (function)
    A :class:`~smartcard.testing.fake.FakeBackend` with no readers, installed
    with ``smartcard._pcsc.backend.use`` for the test: contexts, connections,
    reader listings and monitor engines created during the test talk to it.
    No daemon is involved. At teardown the fake's service stops, so no call
    stays blocked, and the previous backend is back.

This module is imported by pytest at startup in every project that has
pyscard installed, so it imports nothing heavy and starts nothing until a
fixture is used.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Tuple

import pytest

if TYPE_CHECKING:
    from smartcard.testing.card import VirtualCard
    from smartcard.testing.daemon import PrivatePCSCD
    from smartcard.testing.fake import FakeBackend
    from smartcard.testing.replay.fixture import Replay


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PrivatePCSCD]:
    """A private pcscd with two vpcd readers, shared by the whole session."""
    from smartcard.testing._host import PCSCDUnavailable
    from smartcard.testing.daemon import ENV_SOCKET, PrivatePCSCD

    daemon = PrivatePCSCD()
    try:
        daemon.start()
    except PCSCDUnavailable as exc:
        daemon.close()
        message = f"private pcscd unavailable: {exc}"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    previous = os.environ.get(ENV_SOCKET)
    os.environ[ENV_SOCKET] = daemon.socket_path
    try:
        yield daemon
    finally:
        daemon.close()
        if previous is None:
            os.environ.pop(ENV_SOCKET, None)
        else:
            os.environ[ENV_SOCKET] = previous


@pytest.fixture
def reader_names(pcscd: PrivatePCSCD) -> Tuple[str, str]:
    """Names of the two virtual readers, as PC/SC lists them."""
    return pcscd.reader_names


@pytest.fixture
def virtual_card_factory(pcscd: PrivatePCSCD) -> Iterator[Callable[..., VirtualCard]]:
    """Insert virtual cards: ``factory(reader=0, **kwargs)``; all are removed after the test."""
    from smartcard.testing.card import VirtualCard

    if not pcscd.is_running:
        pcscd.start()  # an earlier test stopped it
    used: List[int] = []

    def factory(reader: int = 0, **kwargs: Any) -> VirtualCard:
        card = pcscd.insert_card(reader, VirtualCard(**kwargs))
        used.append(reader)
        return card

    try:
        yield factory
    finally:
        for reader in used:
            pcscd.remove_card(reader)


@pytest.fixture
def virtual_card(virtual_card_factory: Callable[..., VirtualCard]) -> VirtualCard:
    """A default virtual card (demo applet, T=1 ATR) in reader 0."""
    return virtual_card_factory()


@pytest.fixture
def fake_pcsc() -> Iterator[FakeBackend]:
    """A fake PC/SC service (no readers yet) that the library uses during the test."""
    from smartcard._pcsc.backend import use
    from smartcard.testing.fake import FakeBackend

    fake = FakeBackend()
    try:
        with use(fake):
            yield fake
    finally:
        fake.close()


_MARKER = "pcsc_recording"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(path, mode='strict', stack='fake', reader=None): replay a PC/SC"
        " recording for the test (smartcard.testing.replay)",
    )


@pytest.fixture
def pcsc_replay(request: pytest.FixtureRequest) -> Iterator[Replay]:
    """The recording named by the test's ``pcsc_recording`` marker, replayed for the test."""
    from pathlib import Path

    from smartcard._pcsc.backend import use
    from smartcard.testing.replay import replay_backend
    from smartcard.testing.replay.fixture import STACKS, Replay, find_recording
    from smartcard.testing.replay.player import MODES
    from smartcard.testing.replay.virtual import card_from_recording

    marker = request.node.get_closest_marker(_MARKER)
    if marker is None or not marker.args:
        raise pytest.UsageError(f"pcsc_replay needs @pytest.mark.{_MARKER}(path) on the test")
    mode = marker.kwargs.get("mode", "strict")
    stack = marker.kwargs.get("stack", "fake")
    if mode not in MODES or stack not in STACKS:
        raise pytest.UsageError(f"{_MARKER}: mode is one of {MODES}, stack one of {STACKS}")
    roots = [Path(str(request.config.rootpath)), Path(str(request.path)).parent]
    path = find_recording(str(marker.args[0]), roots)
    if stack == "fake":
        backend = replay_backend(path, mode)
        replay = Replay(path, mode, stack, backend.readers, backend=backend)
        try:
            with use(backend):
                yield replay
        finally:
            backend.close()
        _check_unless_failed(request, replay)
        return
    daemon: PrivatePCSCD = request.getfixturevalue("pcscd")
    card = card_from_recording(path, marker.kwargs.get("reader"), mode)
    daemon.insert_card(0, card)
    replay = Replay(path, mode, stack, [daemon.reader_names[0]], card=card)
    try:
        yield replay
    finally:
        daemon.remove_card(0)
    _check_unless_failed(request, replay)


def _check_unless_failed(request: pytest.FixtureRequest, replay: Replay) -> None:
    # A mismatch the test already failed with is not reported twice; one the
    # application caught and carried on after (or the real stack answered
    # with 6F 00) fails the test here.
    report = getattr(request.node, "_pcsc_replay_call", None)
    if report is None or not report.failed:
        replay.check()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    if call.when == "call" and item.get_closest_marker(_MARKER) is not None:
        item._pcsc_replay_call = outcome.get_result()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _pcsc_recording_marker(request: pytest.FixtureRequest) -> None:
    # The marker alone sets the replay up; a test that wants the object asks for pcsc_replay.
    if request.node.get_closest_marker(_MARKER) is not None:
        request.getfixturevalue("pcsc_replay")
