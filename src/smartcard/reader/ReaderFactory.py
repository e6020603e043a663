# SPDX-License-Identifier: LGPL-2.1-or-later
"""Creates reader objects, by reader class name or by asking each reader backend."""

from __future__ import annotations

from smartcard.pcsc.PCSCReader import PCSCReader
from smartcard.reader.Reader import Reader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Sequence


class ReaderFactory:
    """Registry of reader backends.

    ``factorymethods`` holds one callable per backend returning that backend's
    readers; applications may append their own.  ``factories`` caches the
    ``Factory`` objects used by :meth:`createReader`.
    """

    factories: dict[str, Any] = {}
    factorymethods: list[Callable[[list[str]], Sequence[Reader]]] = [PCSCReader.readers]

    @staticmethod
    def createReader(clazz: str, readername: str) -> Reader:
        """Create a reader of class ``clazz`` (dotted path, e.g.
        ``"smartcard.pcsc.PCSCReader.PCSCReader"``) named ``readername``."""
        if not isinstance(clazz, str):
            raise TypeError(f"reader class must be a dotted name str, not {type(clazz).__name__}")
        factory = ReaderFactory.factories.get(clazz)
        if factory is None:
            module_name, _, class_name = clazz.rpartition(".")
            if not module_name:
                raise ValueError(f"reader class must be 'module.Class', got {clazz!r}")
            # Imported here: importlib (and the warnings module it loads)
            # is only needed by this rarely used call.
            import importlib

            reader_class = getattr(importlib.import_module(module_name), class_name)
            factory = ReaderFactory.factories[clazz] = reader_class.Factory()
        reader: Reader = factory.create(readername)
        return reader

    @staticmethod
    def readers(groups: list[str] | None = None) -> list[Reader]:
        """Readers of every registered backend, in registration order."""
        if groups is None:
            groups = []
        found: list[Reader] = []
        for list_readers in ReaderFactory.factorymethods:
            found += list_readers(groups)
        return found
