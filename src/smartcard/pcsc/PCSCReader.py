# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC readers: listing them, grouping them, opening connections through them."""

from __future__ import annotations

from smartcard._pcsc import backend
from smartcard._pcsc.context import scoped_context
from smartcard._pcsc.context_errors import (
    AddReaderToGroupException,
    IntroduceReaderException,
    RemoveReaderFromGroupException,
)
from smartcard._pcsc.extension import SCARD_E_DUPLICATE_READER
from smartcard._pcsc.readers import list_reader_names
from smartcard.CardConnectionDecorator import CardConnectionDecorator
from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection
from smartcard.reader.Reader import Reader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Union

    GroupsArg = Union[None, str, list[str], tuple[str, ...]]

__all__ = ["PCSCReader"]


# pyscard's module-level name for list_reader_names, kept for code that used it.
__PCSCreaders__ = list_reader_names


class PCSCReader(Reader):
    """A reader managed by the PC/SC service."""

    def __init__(self, readername: str) -> None:
        Reader.__init__(self, readername)

    def addtoreadergroup(self, groupname: str) -> None:
        """Add this reader to the PC/SC reader group ``groupname``."""
        if not isinstance(groupname, str):
            raise TypeError(f"group name must be a str, not {type(groupname).__name__}")
        api = backend.current()
        with scoped_context(api=api) as hcontext:
            hresult = api.SCardIntroduceReader(hcontext, self.name, self.name)
            if hresult and hresult != SCARD_E_DUPLICATE_READER:
                raise IntroduceReaderException(hresult, self.name)
            hresult = api.SCardAddReaderToGroup(hcontext, self.name, groupname)
            if hresult:
                raise AddReaderToGroupException(hresult, self.name, groupname)

    def removefromreadergroup(self, groupname: str) -> None:
        """Remove this reader from the PC/SC reader group ``groupname``."""
        if not isinstance(groupname, str):
            raise TypeError(f"group name must be a str, not {type(groupname).__name__}")
        api = backend.current()
        with scoped_context(api=api) as hcontext:
            hresult = api.SCardRemoveReaderFromGroup(hcontext, self.name, groupname)
            if hresult:
                raise RemoveReaderFromGroupException(hresult, self.name, groupname)

    def createConnection(self) -> CardConnectionDecorator:
        """A new, not yet connected, card connection through this reader."""
        return CardConnectionDecorator(PCSCCardConnection(self.name))

    class Factory:
        """Creates PCSCReader objects for ``ReaderFactory.createReader``."""

        @staticmethod
        def create(readername: str) -> PCSCReader:
            return PCSCReader(readername)

    @staticmethod
    def readers(groups: GroupsArg | None = None) -> list[PCSCReader]:
        """The PC/SC readers in ``groups`` (all readers by default), ``[]`` if none.

        Each call uses its own short-lived context, so a pcscd restart between
        calls is invisible to the caller.
        """
        with scoped_context() as hcontext:
            names = list_reader_names(hcontext, groups)
        return [PCSCReader(name) for name in names]


# Names pyscard 2.3.1's module held through its imports, resolved on first use.
from smartcard._reexports import from_module, lazy_names, scard  # noqa: E402

__getattr__ = lazy_names(
    __name__,
    {
        **from_module(
            "smartcard.Exceptions",
            "CardServiceNotFoundException",
            "CardServiceStoppedException",
            "ListReadersException",
            "NoCardException",
        ),
        **from_module(
            "smartcard.pcsc.PCSCExceptions",
            "EstablishContextException",
            "ReleaseContextException",
        ),
        **scard(
            "SCARD_E_NO_READERS_AVAILABLE",
            "SCARD_S_SUCCESS",
            "SCardAddReaderToGroup",
            "SCardIntroduceReader",
            "SCardListReaders",
            "SCardRemoveReaderFromGroup",
            "SCARD_E_NO_SERVICE",
            "SCARD_E_SERVICE_STOPPED",
            "SCARD_SCOPE_USER",
            "SCardEstablishContext",
            "SCardReleaseContext",
        ),
    },
)
