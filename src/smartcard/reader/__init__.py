# SPDX-License-Identifier: LGPL-2.1-or-later
"""Abstract reader classes, the reader factory and reader groups."""
