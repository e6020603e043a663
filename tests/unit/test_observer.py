# SPDX-License-Identifier: LGPL-2.1-or-later
"""smartcard.Observer and smartcard.Synchronization."""

from __future__ import annotations

import threading

import pytest

from smartcard.Observer import Observable, Observer
from smartcard.Synchronization import Synchronization, synchronize, synchronized


class Recorder(Observer):
    def __init__(self):
        self.calls = []

    def update(self, observable, handlers):
        self.calls.append((observable, handlers))


def test_initial_state():
    subject = Observable()
    assert subject.obs == [] and subject.changed == 0
    assert subject.countObservers() == 0 and subject.hasChanged() == 0
    assert isinstance(subject, Synchronization)


def test_notify_only_when_changed():
    subject = Observable()
    first, second = Recorder(), Recorder()
    subject.addObserver(first)
    subject.addObserver(second)
    subject.addObserver(first)  # already registered: ignored
    assert subject.countObservers() == 2

    subject.notifyObservers("ignored")  # not changed yet
    assert first.calls == []

    subject.setChanged()
    assert subject.hasChanged() == 1
    subject.notifyObservers("event")
    assert first.calls == [(subject, "event")] and second.calls == [(subject, "event")]
    assert subject.hasChanged() == 0  # notification clears the flag

    subject.notifyObservers("again")
    assert len(first.calls) == 1


def test_default_handlers_is_none():
    subject = Observable()
    observer = Recorder()
    subject.addObserver(observer)
    subject.setChanged()
    subject.notifyObservers()
    assert observer.calls == [(subject, None)]


def test_clear_and_delete():
    subject = Observable()
    observer = Recorder()
    subject.addObserver(observer)
    subject.setChanged()
    subject.clearChanged()
    subject.notifyObservers()
    assert observer.calls == []
    subject.deleteObserver(observer)
    assert subject.countObservers() == 0
    with pytest.raises(ValueError):
        subject.deleteObserver(observer)
    subject.addObserver(observer)
    subject.addObserver(Recorder())
    subject.deleteObservers()
    assert subject.obs == []


def test_base_observer_update_is_a_no_op():
    assert Observer().update(Observable(), None) is None


def test_observer_may_unregister_itself_during_notification():
    subject = Observable()

    class OneShot(Observer):
        calls = 0

        def update(self, observable, handlers):
            OneShot.calls += 1
            observable.deleteObserver(self)

    subject.addObserver(OneShot())
    subject.addObserver(OneShot())
    subject.setChanged()
    subject.notifyObservers()
    assert OneShot.calls == 2 and subject.countObservers() == 0


def test_subclass_in_pyscard_style():
    # pyscard's monitors call the base methods explicitly and check counts
    # while holding the (reentrant) lock.
    class Monitor(Observable):
        def addObserver(self, observer):
            Observable.addObserver(self, observer)
            self.started = self.countObservers() > 0

    synchronize(Monitor, "addObserver")
    monitor = Monitor()
    monitor.addObserver(Recorder())
    assert monitor.started


def test_concurrent_registration_and_notification():
    subject = Observable()
    observers = [Recorder() for _ in range(200)]
    stop = threading.Event()

    def notifier():
        while not stop.is_set():
            subject.setChanged()
            subject.notifyObservers("tick")

    thread = threading.Thread(target=notifier)
    thread.start()
    try:
        workers = [
            threading.Thread(target=lambda chunk=chunk: [subject.addObserver(o) for o in chunk])
            for chunk in (observers[i::4] for i in range(4))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        stop.set()
        thread.join()
    assert subject.countObservers() == 200
    assert sorted(map(id, subject.obs)) == sorted(map(id, observers))


# Synchronization.


class Counter(Synchronization):
    def __init__(self):
        super().__init__()
        self.value = 0

    def bump(self):
        current = self.value
        threading.Event().wait(0)  # give other threads a chance to interleave
        self.value = current + 1

    def bump_twice(self):
        self.bump()
        self.bump()

    def peek(self):
        return self.value


synchronize(Counter, "bump bump_twice")


def test_synchronize_wraps_only_named_methods():
    assert Counter.bump.__wrapped__ is not None
    assert Counter.bump.__name__ == "bump"
    assert not hasattr(Counter.peek, "__wrapped__")
    assert not hasattr(Counter.__init__, "__wrapped__")


def test_synchronized_methods_exclude_each_other():
    counter = Counter()
    threads = [
        threading.Thread(target=lambda: [counter.bump_twice() for _ in range(200)])
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.peek() == 4 * 200 * 2


def test_synchronize_all_methods_and_iterable_names():
    class Box(Synchronization):
        def get(self):
            return self.mutex

        def put(self):
            return None

    synchronize(Box)
    assert hasattr(Box.get, "__wrapped__") and hasattr(Box.put, "__wrapped__")

    class Other(Synchronization):
        def get(self):
            return 1

        def put(self):
            return 2

    synchronize(Other, ["put"])
    assert hasattr(Other.put, "__wrapped__") and not hasattr(Other.get, "__wrapped__")


def test_synchronized_decorator_holds_the_lock():
    class Guarded(Synchronization):
        @synchronized
        def owned(self):
            # Another thread cannot take the lock while this method runs.
            result = []
            thread = threading.Thread(target=lambda: result.append(self.mutex.acquire(False)))
            thread.start()
            thread.join()
            return result[0]

    assert Guarded().owned() is False


@pytest.mark.parametrize("name", ["addObserver", "deleteObserver"])
def test_mutex_is_taken_before_the_arguments_are_checked(name):
    # As in pyscard: the methods are wrapped and take ``mutex`` first, so a
    # call missing its argument still enters and leaves the lock once.
    import unittest.mock

    observable = Observable()
    observable.mutex = unittest.mock.MagicMock()
    with pytest.raises(TypeError):
        getattr(Observable, name)(observable)
    observable.mutex.__enter__.assert_called_once()
    observable.mutex.__exit__.assert_called_once()
