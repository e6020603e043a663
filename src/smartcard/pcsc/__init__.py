# SPDX-License-Identifier: LGPL-2.1-or-later
"""PC/SC implementation of the reader and card connection framework.

Kept empty on purpose: importing the package must not load the native
extension or open a PC/SC context.
"""
