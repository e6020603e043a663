# SPDX-License-Identifier: LGPL-2.1-or-later
"""The one way from the library to PC/SC.

Only :mod:`smartcard._pcsc.extension` imports the ``smartcard.scard``
extension; everything else in the library reaches PC/SC through this
package:

* :mod:`~smartcard._pcsc.backend`: the calls the library makes, as a
  ``Protocol``, and the backend in use (the extension unless a test
  installs another, such as ``smartcard.testing.fake``);
* :mod:`~smartcard._pcsc.errors` (what each result code means),
  :mod:`~smartcard._pcsc.failures` (the one classification of a failed call:
  no card, stale handle, service gone, other) and the exception classes;
* :mod:`~smartcard._pcsc.context`: establishing and releasing contexts;
* :mod:`~smartcard._pcsc.readers`: listing readers and querying their state;
* :mod:`~smartcard._pcsc.handle`: one card handle (connect, reconnect after a
  restart, transmit, control, attributes, transactions, close) under every
  card connection class and the CLI.

Kept empty on purpose: importing the package loads nothing.
"""
