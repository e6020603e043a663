# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bytes of a buffer argument, taken as the ``smartcard.scard`` extension takes it.

The extension accepts a list or tuple of ints 0..255, or any object with the
buffer protocol; not text, not an int, not an iterator. Code that stands in
for the extension (the test kit's fake) or watches its calls (the recorder)
reads arguments through :func:`buffer_bytes`, never ``bytes(value)``:
``bytes(5)`` is five zero bytes, and ``bytes(iterator)`` consumes it.
"""

from __future__ import annotations

__all__ = ["buffer_bytes"]


def buffer_bytes(call: str, name: str, value: object) -> bytes:
    """``value`` as bytes, or TypeError / ValueError (a byte out of range) naming ``call``."""
    if isinstance(value, (list, tuple)):
        try:
            return bytes(value)
        except ValueError:
            raise ValueError(
                f"{call}: {name} holds an item outside the byte range 0..255"
            ) from None
        except TypeError:
            pass
    else:
        try:
            return bytes(memoryview(value))  # type: ignore[arg-type]
        except TypeError:
            pass
    raise TypeError(
        f"{call}: {name} must be a list of ints 0..255 or a bytes-like object,"
        f" not {type(value).__name__}"
    )
