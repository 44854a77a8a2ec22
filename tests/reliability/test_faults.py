"""Faults that must be recovered: the site runbook converges through rate limits, 5xx and lost answers."""

from __future__ import annotations

import pytest

from conftest import run_playbook
from site_state import SITE, site_state_problems

SEEDS = range(1, 11)


@pytest.mark.parametrize("seed", SEEDS)
def test_site_converges_exactly_under_rate_limits_and_lost_answers(fresh, seed):
    fresh.seed_site_numbers()
    fresh.faults(rate=0.2, statuses=[429, 503], after_commit_rate=0.1, seed=seed)
    run = run_playbook(fresh, SITE)
    injected = fresh.admin("GET", "/faults")
    fresh.admin("DELETE", "/faults")
    assert run.rc == 0, run
    assert site_state_problems(fresh.state()) == []
    again = run_playbook(fresh, SITE)
    assert again.rc == 0 and again.changed == 0, again
    assert injected  # the fault report is there to read when a seed fails


def test_retry_after_is_honoured_and_the_run_stays_green(fresh):
    fresh.seed_site_numbers()
    fresh.faults(rate=0.15, statuses=[429], retry_after=1, seed=99)
    run = run_playbook(fresh, SITE)
    assert run.rc == 0, run
    assert site_state_problems(fresh.state()) == []


def test_slow_answers_within_the_timeout_do_not_fail(fresh):
    fresh.seed_site_numbers()
    fresh.faults(latency_ms=300, rate=0.0, seed=1)
    run = run_playbook(fresh, SITE, SINCH_API_TIMEOUT="5")
    assert run.rc == 0, run
    assert site_state_problems(fresh.state()) == []
