# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.ulist; expected values were observed with pyscard 2.3.1."""

from __future__ import annotations

import pytest

from smartcard.ulist import ulist


class Tracking(ulist):
    def __init__(self, initlist=None):
        self.added = []
        self.removed = []
        ulist.__init__(self, initlist)

    def __onadditem__(self, item):
        self.added.append(item)

    def __onremoveitem__(self, item):
        self.removed.append(item)


def test_construction():
    assert ulist([]) == [] and type(ulist([])) is ulist
    assert ulist([1, 2, 1, 3, 2]) == [1, 2, 3]
    assert ulist((1, 2, 1)) == [1, 2]
    assert ulist("abca") == ["a", "b", "c"]


@pytest.mark.parametrize("initlist", [None, ()])
def test_construction_quirks(initlist):
    # pyscard: ulist() and ulist(None) raise TypeError, ulist(()) IndexError.
    with pytest.raises((TypeError, IndexError)):
        ulist(initlist)
    with pytest.raises(TypeError):
        ulist()


def test_construction_does_not_call_hooks():
    assert Tracking([1, 2]).added == []


def test_append_insert_refuse_duplicates():
    items = Tracking([1])
    items.append(1)
    items.append(2)
    items.insert(0, 2)
    items.insert(0, 3)
    assert items == [3, 1, 2] and items.added == [2, 3]


def test_extend_is_not_deduplicated():
    items = ulist([1])
    items.extend([1, 1])
    assert items == [1, 1, 1]


def test_pop_and_remove_call_hook():
    items = Tracking([1, 2, 3])
    assert items.pop() == 3
    assert items.pop(0) == 1
    items.remove(2)
    assert items == [] and items.removed == [3, 1, 2]
    with pytest.raises(ValueError):
        items.remove(4)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ([1], [2, 3, 4, 2, 1], [1, 2, 4, 3]),
        ([1], [2, 3, 4, 3], [1, 2, 3, 4]),
        ([1], (2, 3), [1, (2, 3)]),
        ([1], 5, [1, 5]),
        ([1], "ab", [1, "ab"]),
        ([1], [[2]], [1, [2]]),
        ([[1]], [[1], [2]], [[1], [2]]),
    ],
)
def test_add(left, right, expected):
    result = ulist(left) + right
    assert result == expected and type(result) is ulist


def test_add_ulist_and_hooks():
    left = Tracking([1])
    result = left + ulist([3, 4, 5])
    assert result == [1, 3, 5, 4] and type(result) is Tracking
    assert left == [1]  # not modified...
    assert left.added == [3, 5, 4]  # ...but its hook saw the items, as in pyscard


def test_iadd():
    items = Tracking([1])
    alias = items
    items += [2, 3, 4, 3]
    assert items is alias and items == [1, 2, 3, 4] and items.added == [2, 3, 4]
    items += 7
    assert items == [1, 2, 3, 4, 7]


def test_radd_returns_plain_list_in_pyscard_order():
    result = [5, 1, 6] + ulist([1])
    assert result == [1, 5, 6] and type(result) is list


def test_add_class_operand_fails_like_pyscard():
    with pytest.raises(TypeError):
        ulist([1]) + int


def test_other_list_operations_are_plain():
    assert ulist([1]) * 2 == [1, 1]
    assert ulist([1, 2])[0:1] == [1]
