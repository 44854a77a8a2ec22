# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The worker pool: order of results, bounded concurrency, size 1, failures that do not stop the others."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstFailure
from ansible_collections.sinch.est.plugins.module_utils._pool import run_parallel


class Tracker:
    def __init__(self):
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.threads = set()
        self.started = 0

    def work(self, item):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        time.sleep(0.01 * (item % 3))  # later items may finish first
        with self.lock:
            self.running -= 1
        return item * 10

    def start(self):
        with self.lock:
            self.started += 1


def test_results_come_back_in_the_order_of_the_items():
    tracker = Tracker()
    outcomes = run_parallel(list(range(20)), tracker.work, 4, tracker.start)
    assert [outcome.item for outcome in outcomes] == list(range(20))
    assert [outcome.result for outcome in outcomes] == [item * 10 for item in range(20)]


def test_no_more_than_size_items_run_at_once_and_each_worker_is_started_once():
    tracker = Tracker()
    run_parallel(list(range(30)), tracker.work, 4, tracker.start)
    assert 1 < tracker.most <= 4
    assert tracker.started == len(tracker.threads) <= 4


def test_size_one_runs_in_the_calling_thread_one_after_another():
    tracker = Tracker()
    run_parallel(list(range(5)), tracker.work, 1, tracker.start)
    assert tracker.most == 1
    assert tracker.threads == {threading.current_thread().name}
    assert tracker.started == 0


def test_a_failed_item_does_not_stop_the_others():
    def work(item):
        if item in (2, 5):
            raise EstApiError(f"PATCH {item} failed: HTTP 503", status_code=503)
        if item == 7:
            raise EstFailure("refused")
        return item
    outcomes = run_parallel(list(range(10)), work, 3, lambda: None)
    assert [outcome.item for outcome in outcomes if outcome.error] == [2, 5, 7]
    assert [outcome.result for outcome in outcomes if not outcome.error] == [0, 1, 3, 4, 6, 8, 9]


def test_a_bug_is_not_swallowed():
    def work(item):
        raise KeyError(item)
    with pytest.raises(KeyError):
        run_parallel([1, 2, 3], work, 2, lambda: None)
