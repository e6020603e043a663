# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reader groups: a process-wide, duplicate-free list of group names.

Adding or removing a name in the list is forwarded to the backend (see
``PCSCReaderGroups``); this module holds the backend-independent part.
"""

from __future__ import annotations

from smartcard._pcsc.exceptions import SmartcardException
from smartcard.ulist import ulist

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator


class BadReaderGroupException(SmartcardException):
    """A reader group name was not a string."""

    def __init__(self) -> None:
        SmartcardException.__init__(self, "Invalid reader group")


class innerreadergroups(ulist):
    """The actual list of reader groups; reached through the ``readergroups`` singleton."""

    def __init__(self, initlist: list[str] | None = None) -> None:
        if initlist is None:
            initlist = self.getreadergroups() or []
        ulist.__init__(self, initlist)
        self.unremovablegroups: list[str] = []

    def __onadditem__(self, item: Any) -> None:
        self.addreadergroup(item)

    def __onremoveitem__(self, item: Any) -> None:
        self.removereadergroup(item)

    def __iter__(self) -> Iterator[Any]:
        return ulist.__iter__(self)

    # Backend hooks; the PC/SC backend overrides them.

    def getreadergroups(self) -> list[str]:
        """The groups known to the backend."""
        return []

    def addreadergroup(self, newgroup: str) -> None:
        """Add a group."""
        if not isinstance(newgroup, str):
            raise BadReaderGroupException()
        self += newgroup

    def removereadergroup(self, group: str) -> None:
        """Remove a group."""
        if not isinstance(group, str):
            raise BadReaderGroupException()
        self.remove(group)

    def addreadertogroup(self, readername: str, groupname: str) -> None:
        """Add a reader to a group (backend specific)."""

    def removereaderfromgroup(self, readername: str, groupname: str) -> None:
        """Remove a reader from a group (backend specific)."""


class readergroups:
    """Singleton front end: every instance forwards to one shared inner list."""

    instance: Any = None
    innerclazz: type[innerreadergroups] = innerreadergroups

    def __init__(self, initlist: list[str] | None = None) -> None:
        # Stored on this base class on purpose: one list per process,
        # whichever subclass creates it first.
        if readergroups.instance is None:
            readergroups.instance = self.innerclazz(initlist)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)
