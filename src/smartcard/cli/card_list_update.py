# SPDX-License-Identifier: LGPL-2.1-or-later
"""``--update-list``: download pcsc-tools' current ``smartcard_list.txt`` into the user's cache.

Only on request: the CLI never goes to the network by itself. The file is
written where pcsc-tools' own updater writes it (``$XDG_CACHE_HOME``, by
default ``~/.cache``), so pcsc_scan and ATR_analysis see the same list, and
it replaces the old copy only once the whole download parsed as a list.
"""

from __future__ import annotations

import os
import tempfile

from smartcard.cli.errors import CLIError

#: Where pcsc-tools publishes the list (its ``update-smartcard_list`` fetches the same).
LIST_URL = "https://pcsc-tools.apdu.fr/smartcard_list.txt"
# Another address, for a mirror or a test server.
URL_VARIABLE = "PYSCARD_CARD_LIST_URL"
TIMEOUT = 30.0  # seconds without an answer before the download is given up


class DownloadError(CLIError):
    """The list could not be fetched or is not a list: exit status 1."""

    default_code = "card_list_download"


def update_list() -> tuple[str, int]:
    """Download the list into the user's cache; return (path, number of entries)."""
    import urllib.error
    import urllib.request

    from smartcard.cli.card_names import entries, user_list_path

    url = os.environ.get(URL_VARIABLE) or LIST_URL
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - https by default
            data = answer.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(
            f"cannot download the card list from {url}: {reason} (offline?)",
            hint="retry when online; without --update-list the list already on this "
            "machine names the cards, and --list PATH reads another file",
        ) from exc
    path = user_list_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".smartcard_list.", dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        count = sum(1 for _ in entries(partial))
        if count == 0:
            raise DownloadError(
                f"{url} did not return a card list (no ATR entries in {len(data)} bytes); "
                f"{path} is left as it was"
            )
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return path, count
