# SPDX-License-Identifier: LGPL-2.1-or-later
"""Which smartcard_list.txt names the card, and ``--update-list`` (never the network unasked).

The downloads come from a local HTTP server (``PYSCARD_CARD_LIST_URL``), so
the tests need no network and show what happens when there is none.
"""

from __future__ import annotations

import http.server
import json
import pathlib
import threading
from typing import Dict, Iterator

import pytest

from smartcard.cli import card_names

from .conftest import CARD_LIST, assert_one_line_error, run_cli

# Named "Test OpenPGP token, version two" by tests/cli/data/card_list.txt.
ATR = "3BDA18FF81B1FE751F030031C573C001400090000C"
NAME = "Test OpenPGP token, version two"


def _names(home: pathlib.Path, *options: str, **env: str) -> Dict[str, object]:
    result = run_cli("atr", ATR, "--json", *options, env={"HOME": str(home), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_empty_cached_list_falls_back_to_the_next_one(tmp_path: pathlib.Path) -> None:
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "smartcard_list.txt").write_text("")  # an interrupted download
    (tmp_path / ".smartcard_list.txt").write_text(CARD_LIST.read_text())
    document = _names(tmp_path)
    assert document["card_names"] == [NAME]
    assert document["card_lists"] == [str(tmp_path / ".smartcard_list.txt")]


def test_the_cache_follows_xdg_cache_home(tmp_path: pathlib.Path) -> None:
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "smartcard_list.txt").write_text(CARD_LIST.read_text())
    document = _names(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert document["card_names"] == [NAME]


def test_system_lists_in_order(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing or empty user lists: the system's list, then other platforms' pcsc-tools lists."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    system, homebrew = tmp_path / "usr-share.txt", tmp_path / "homebrew.txt"
    monkeypatch.setattr(card_names, "SYSTEM_LISTS", (str(system), str(homebrew)))
    assert card_names.default_list_paths() == []
    homebrew.write_text(CARD_LIST.read_text())
    assert card_names.default_list_paths() == [str(homebrew)]
    system.write_text("")
    assert card_names.default_list_paths() == [str(homebrew)]
    system.write_text(CARD_LIST.read_text())
    assert card_names.default_list_paths() == [str(system)]
    assert card_names.SYSTEM_LISTS[0] == str(system)  # sanity: the patch took
    monkeypatch.undo()
    assert card_names.SYSTEM_LISTS[0] == "/usr/share/pcsc/smartcard_list.txt"


class _ListServer(http.server.BaseHTTPRequestHandler):
    body = b""
    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).requests += 1
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def list_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _ListServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _url(server: http.server.HTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/smartcard_list.txt"


def test_update_list_downloads_into_the_cache(tmp_path: pathlib.Path, list_server) -> None:  # noqa: ANN001
    _ListServer.body = CARD_LIST.read_bytes()
    before = _names(tmp_path)
    assert before["card_names"] == []
    result = run_cli(
        "atr",
        ATR,
        "--json",
        "--update-list",
        env={"HOME": str(tmp_path), "PYSCARD_CARD_LIST_URL": _url(list_server)},
    )
    assert result.returncode == 0, result.stderr
    cached = tmp_path / ".cache" / "smartcard_list.txt"
    assert cached.read_bytes() == CARD_LIST.read_bytes()
    assert json.loads(result.stdout)["card_names"] == [NAME]
    count = len(list(card_names.entries(str(CARD_LIST))))
    assert result.stderr.strip() == f"pyscard: card list updated: {count} cards in {cached}"


def test_update_list_offline_is_a_clear_error(tmp_path: pathlib.Path, list_server) -> None:  # noqa: ANN001
    url = _url(list_server)
    list_server.shutdown()
    list_server.server_close()  # nothing listens on that port any more
    for options in ([], ["--json"]):
        result = run_cli(
            "atr",
            ATR,
            "--update-list",
            *options,
            env={"HOME": str(tmp_path), "PYSCARD_CARD_LIST_URL": url},
        )
        assert_one_line_error(result, 1, f"cannot download the card list from {url}", "offline")
    assert json.loads(result.stdout)["error"]["code"] == "card_list_download"
    assert not (tmp_path / ".cache" / "smartcard_list.txt").exists()


def test_a_download_that_is_no_list_leaves_the_cache(tmp_path: pathlib.Path, list_server) -> None:  # noqa: ANN001
    cached = tmp_path / ".cache" / "smartcard_list.txt"
    cached.parent.mkdir()
    cached.write_text(CARD_LIST.read_text())
    _ListServer.body = b"<html>captive portal</html>\n"
    result = run_cli(
        "scan",
        "--update-list",
        env={"HOME": str(tmp_path), "PYSCARD_CARD_LIST_URL": _url(list_server)},
    )
    assert_one_line_error(result, 1, "did not return a card list", str(cached))
    assert cached.read_text() == CARD_LIST.read_text()
    assert [p.name for p in cached.parent.iterdir()] == ["smartcard_list.txt"]


def test_without_update_list_nothing_is_downloaded(tmp_path: pathlib.Path, list_server) -> None:  # noqa: ANN001
    _ListServer.body = CARD_LIST.read_bytes()
    _ListServer.requests = 0
    document = _names(tmp_path, PYSCARD_CARD_LIST_URL=_url(list_server))
    assert document["card_names"] == []
    assert _ListServer.requests == 0
    assert not (tmp_path / ".cache").exists()
