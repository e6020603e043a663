# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC reader groups, as a process-wide list kept in sync with the PC/SC service."""

from __future__ import annotations

from smartcard._pcsc import backend
from smartcard._pcsc.context import scoped_context
from smartcard._pcsc.context_errors import readers_error
from smartcard._pcsc.errors import explain
from smartcard._pcsc.extension import SCARD_E_NO_READERS_AVAILABLE, error
from smartcard.reader.ReaderGroups import innerreadergroups, readergroups

__all__ = ["pcscinnerreadergroups", "PCSCReaderGroups"]


class pcscinnerreadergroups(innerreadergroups):
    """The reader group list, backed by the PC/SC service.

    pcsc-lite knows only ``SCard$DefaultReaders`` and cannot create or delete
    groups; adding or removing one there raises ``smartcard.scard.error``.
    """

    def __init__(self, initlist: list[str] | None = None) -> None:
        innerreadergroups.__init__(self, initlist)
        self.unremovablegroups = ["SCard$DefaultReaders"]

    def getreadergroups(self) -> list[str]:
        """The groups the PC/SC service reports."""
        innerreadergroups.getreadergroups(self)
        api = backend.current()
        with scoped_context(api=api) as hcontext:
            hresult, groups = api.SCardListReaderGroups(hcontext)
        if hresult == SCARD_E_NO_READERS_AVAILABLE:
            return []
        if hresult:
            raise readers_error(hresult, establishing=False)
        return list(groups)

    def addreadergroup(self, newgroup: str) -> None:
        """Create the group in the PC/SC service, then add it to the list."""
        if not isinstance(newgroup, str):
            raise TypeError(f"group name must be a str, not {type(newgroup).__name__}")
        api = backend.current()
        with scoped_context(api=api) as hcontext:
            hresult = api.SCardIntroduceReaderGroup(hcontext, newgroup)
        if hresult:
            raise error(f"Unable to introduce reader group {newgroup!r}: {explain(hresult)}")
        innerreadergroups.addreadergroup(self, newgroup)

    def removereadergroup(self, group: str) -> None:
        """Delete the group from the PC/SC service, then from the list."""
        if not isinstance(group, str):
            raise TypeError(f"group name must be a str, not {type(group).__name__}")
        api = backend.current()
        with scoped_context(api=api) as hcontext:
            hresult = api.SCardForgetReaderGroup(hcontext, group)
        if hresult:
            raise error(f"Unable to forget reader group {group!r}: {explain(hresult)}")
        innerreadergroups.removereadergroup(self, group)


class PCSCReaderGroups(readergroups):
    """Front end to the shared :class:`pcscinnerreadergroups` list."""

    def __init__(self, initlist: list[str] | None = None) -> None:
        self.innerclazz = pcscinnerreadergroups
        readergroups.__init__(self, initlist)


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module(
            "smartcard.pcsc.PCSCExceptions",
            "EstablishContextException",
            "ListReadersException",
            "ReleaseContextException",
        ),
        **scard(
            "SCARD_S_SUCCESS",
            "SCardForgetReaderGroup",
            "SCardIntroduceReaderGroup",
            "SCardListReaderGroups",
            "SCARD_SCOPE_USER",
            "SCardEstablishContext",
            "SCardGetErrorMessage",
            "SCardReleaseContext",
        ),
    },
)
