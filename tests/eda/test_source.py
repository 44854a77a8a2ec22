"""sinch.est.calls driven directly with an asyncio queue against the real emulator."""

from __future__ import annotations

import asyncio
import datetime
import json
import subprocess
import time

import pytest
import requests

from conftest import BIN, COLLECTIONS, KEY, PROJECT, REPO, SECRET, Feed, call_ids, calls_polls, connection, record_figure

FAST = {"interval": 0.2, "max_backoff": 0.5, "overlap": 60}


def stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def first_poll(log: list) -> list:
    """The successful GET /calls requests of the first poll in `log`: page 1 up to the next page 1."""
    pages = [entry for entry in calls_polls(log) if entry["status"] == 200]
    starts = [index for index, entry in enumerate(pages) if "&page=1&" in f"&{entry['query']}&"]
    return pages[starts[0]:starts[1] if len(starts) > 1 else None]


def test_new_calls_appear_once_each_oldest_first(fresh, plugin):
    fresh.trunk("acme")

    async def scenario():
        feed = Feed(plugin, connection(fresh, **FAST))
        await feed.polls(1)
        added = []
        for batch in ([{"trunk": "acme", "callResult": "BUSY"}] * 3, [{"trunk": "acme"}] * 2, [{"trunk": "acme"}] * 4):
            added += fresh.add_calls(batch)
            await feed.polls(2)
        # the same second as calls already taken, and three polls of nothing new after it
        added += fresh.add_calls([{"trunk": "acme", "createTime": added[-1]["createTime"]}])
        events = await feed.polls(3)
        await feed.stop()
        return added, events

    added, events = asyncio.run(scenario())
    assert call_ids(events) == [call["callId"] for call in sorted(added, key=lambda c: c["createTime"])]
    assert {event["sinch_est"]["type"] for event in events} == {"call"}


def test_calls_before_since_are_never_emitted_and_late_records_within_overlap_are(fresh, plugin):
    trunk = fresh.trunk("edges")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    async def scenario():
        feed = Feed(plugin, connection(fresh, since=stamp(now - datetime.timedelta(minutes=10)), trunk="edges", **FAST))
        before = fresh.add_calls([{"trunkId": trunk["id"], "createTime": stamp(now - datetime.timedelta(minutes=11))}])
        inside = fresh.add_calls([{"trunkId": trunk["id"], "createTime": stamp(now - datetime.timedelta(minutes=9))},
                                  {"trunkId": trunk["id"]}])
        await feed.until(lambda events: len(events) == 2)
        # listed now, created 30 s before the newest call taken: within overlap (60 s)
        late = fresh.add_calls([{"trunkId": trunk["id"], "createTime": stamp(now - datetime.timedelta(seconds=30))}])
        await feed.until(lambda events: len(events) == 3)
        # another trunk's call is filtered out by the API
        fresh.trunk("other")
        fresh.add_calls([{"trunk": "other"}])
        events = await feed.polls(3)
        await feed.stop()
        return before, inside, late, events

    before, inside, late, events = asyncio.run(scenario())
    assert call_ids(events) == [inside[0]["callId"], inside[1]["callId"], late[0]["callId"]]
    assert before[0]["callId"] not in call_ids(events)


def test_a_read_of_many_pages_emits_each_call_once_while_calls_keep_arriving(fresh, plugin):
    fresh.trunk("busy")

    async def scenario():
        feed = Feed(plugin, connection(fresh, **FAST))
        await feed.polls(2)
        seq = fresh.last_seq()
        await feed.polls(1)
        idle = len(calls_polls(fresh.requests_log(seq)))
        first = fresh.add_calls([{"trunk": "busy", "callResult": "FAILED"}] * 2500)
        seq = fresh.last_seq()
        events = await feed.until(lambda events: len(events) >= 2500)
        pages = [entry["query"] for entry in first_poll(fresh.requests_log(seq))]
        # slow pages, and calls added while a multi-page read is under way: the pages shift
        fresh.admin("POST", "/faults", {"latency_ms": 150, "path_regex": "/calls$"})
        more = fresh.add_calls([{"trunk": "busy"}] * 1500)
        adding = asyncio.create_task(asyncio.to_thread(
            lambda: [fresh.add_calls([{"trunk": "busy", "callResult": "BUSY"}] * 50) for _ in range(6)]))
        during = sum(await adding, [])
        events = await feed.until(lambda events: len(events) >= 2500 + 1500 + 300)
        fresh.admin("DELETE", "/faults")
        events = await feed.polls(2)
        await feed.stop()
        return idle, pages, first + more + during, events

    idle, pages, added, events = asyncio.run(scenario())
    assert sorted(call_ids(events)) == sorted(call["callId"] for call in added)
    assert len(set(call_ids(events))) == len(events)
    assert idle == 1
    assert [page.split("&")[-2:] for page in pages] == [["page=1", "size=1000"], ["page=2", "size=1000"],
                                                         ["page=3", "size=1000"]]
    record_figure("requests for an idle poll", idle)
    record_figure("requests for the poll that read 2500 new calls", len(pages))


def test_faults_never_stop_the_source_and_lose_or_repeat_nothing(fresh, plugin, source_log):
    fresh.trunk("flaky")

    async def scenario():
        # no client retries: every injected fault fails a poll, so the source's own backoff is exercised
        feed = Feed(plugin, connection(fresh, retries=0, **FAST))
        await feed.polls(1)
        fresh.admin("POST", "/faults", {"rate": 0.5, "statuses": [429, 500, 502, 503], "reset_rate": 0.1, "seed": 7})
        added = []
        for _ in range(6):
            added += fresh.add_calls([{"trunk": "flaky", "callResult": "NO_ANSWER"}] * 40)
            await asyncio.sleep(0.3)
        injected = fresh.admin("GET", "/faults")["counts"]["injected"]
        fresh.admin("DELETE", "/faults")
        events = await feed.until(lambda events: len(events) >= len(added))
        await feed.polls(2)
        await feed.stop()
        return added, events, injected, feed.source

    added, events, injected, source = asyncio.run(scenario())
    assert injected > 0
    assert sorted(call_ids(events)) == sorted(call["callId"] for call in added)
    warnings = [record.getMessage() for record in source_log.records if record.levelname == "WARNING"]
    outages = [message for message in warnings if "polling failed" in message]
    recoveries = [message for message in warnings if "works again" in message]
    assert outages and len(outages) == len(recoveries), "one warning when an outage starts, one when it ends"
    assert SECRET not in source_log.text and SECRET not in json.dumps(events)


def test_a_refused_connection_and_a_restarted_api_are_survived(fresh, plugin, source_log):
    fresh.trunk("restart")

    async def scenario():
        feed = Feed(plugin, connection(fresh, retries=0, **FAST))
        first = fresh.add_calls([{"trunk": "restart"}] * 5)
        await feed.until(lambda events: len(events) == 5)
        fresh.stop()
        await asyncio.sleep(1.5)  # polls meet a refused connection
        fresh.start()  # same port and database; the tokens it issued before are no longer valid
        second = fresh.add_calls([{"trunk": "restart"}] * 5)
        events = await feed.until(lambda events: len(events) == 10)
        await feed.polls(2)
        await feed.stop()
        return first + second, events

    added, events = asyncio.run(scenario())
    assert call_ids(events) == [call["callId"] for call in added]
    messages = [record.getMessage() for record in source_log.records if record.levelname == "WARNING"]
    assert any("polling failed" in message and "127.0.0.1" in message for message in messages)
    assert SECRET not in source_log.text


def test_an_expired_token_is_renewed_without_a_failed_poll(fresh, plugin, source_log):
    fresh.trunk("ttl")

    async def scenario():
        feed = Feed(plugin, connection(fresh, **FAST))
        await feed.polls(1)
        fresh.admin("POST", "/time", {"offset_seconds": 4000})  # past the token's 3599 s
        added = fresh.add_calls([{"trunk": "ttl"}] * 3)
        events = await feed.until(lambda events: len(events) == 3)
        await feed.stop()
        return added, events

    added, events = asyncio.run(scenario())
    assert call_ids(events) == [call["callId"] for call in added]
    assert [entry["status"] for entry in fresh.requests_log() if entry["path"] == "/oauth2/token"] == [200, 200]
    assert 401 in [entry["status"] for entry in fresh.requests_log()]
    assert not [record for record in source_log.records if record.levelname == "WARNING"]


def test_an_expired_access_token_without_a_key_is_logged_once_and_the_source_keeps_running(fresh, plugin, source_log):
    fresh.trunk("token-only")
    token = requests.post(f"{fresh.url}/oauth2/token", data={"grant_type": "client_credentials"}, auth=(KEY, SECRET),
                          timeout=10).json()["access_token"]

    async def scenario():
        args = {"project_id": PROJECT, "access_token": token, "api_url": fresh.url, "auth_url": fresh.url, **FAST}
        feed = Feed(plugin, args)
        await feed.polls(1)
        fresh.admin("POST", "/time", {"offset_seconds": 4000})
        fresh.add_calls([{"trunk": "token-only"}])
        await asyncio.sleep(2)
        failures = feed.source.failures
        alive = not feed.task.done()
        await feed.stop()
        return failures, alive, feed.drain()

    failures, alive, events = asyncio.run(scenario())
    assert alive and failures >= 2 and events == []
    warnings = [record.getMessage() for record in source_log.records if record.levelname == "WARNING"]
    assert len(warnings) == 1 and "access_token has expired" in warnings[0]
    assert token not in source_log.text


def test_the_call_in_an_event_is_exactly_what_est_call_info_returns(fresh, plugin, tmp_path):
    trunk = fresh.trunk("same")
    fresh.add_calls([{"trunk": "same"}, {"trunk": "same", "callResult": "CANCEL", "direction": "INBOUND"},
                     {"trunkId": trunk["id"], "durationSeconds": 7, "to": "+4981112345678"}])

    async def scenario():
        feed = Feed(plugin, connection(fresh, since="-1h", **FAST))
        events = await feed.until(lambda events: len(events) == 3)
        await feed.stop()
        return events

    events = asyncio.run(scenario())
    playbook = tmp_path / "info.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"sinch.est.est_call_info": {"trunk": "same", "created_after": "-1h"}, "register": "info"},
        {"ansible.builtin.copy": {"content": "{{ info.calls | to_json }}", "dest": str(tmp_path / "calls.json")}}]}]))
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "SINCH_PROJECT_ID": PROJECT,
           "SINCH_KEY_ID": KEY, "SINCH_KEY_SECRET": SECRET, "SINCH_EST_API_URL": fresh.url, "SINCH_AUTH_URL": fresh.url,
           "ANSIBLE_PYTHON_INTERPRETER": str(BIN / "python"), "HOME": str(tmp_path)}
    run = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)], cwd=str(REPO),
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    from_module = json.loads((tmp_path / "calls.json").read_text())
    assert [event["sinch_est"]["call"] for event in events] == list(reversed(from_module))


def test_summaries_per_trunk_and_window_are_the_call_stats_filter(fresh, plugin):
    from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
    from ansible_collections.sinch.est.plugins.filter.call_stats import call_stats

    start = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    fresh.trunk("north")
    fresh.trunk("south")

    def at(minute: float) -> str:
        return stamp(start + datetime.timedelta(seconds=minute * 60))

    calls = fresh.add_calls(
        [{"trunk": "north", "createTime": at(0.1), "endTime": at(0.2)}] * 3
        + [{"trunk": "north", "callResult": result, "createTime": at(0.5)} for result in ("BUSY", "FAILED", "CANCEL")]
        + [{"trunk": "south", "createTime": at(0.9), "durationSeconds": 125}]
        + [{"trunk": "north", "callResult": "NO_ANSWER", "createTime": at(1.5)}]
        + [{"trunk": "south", "createTime": at(3.2), "durationSeconds": 30}] * 2)

    async def scenario():
        feed = Feed(plugin, connection(fresh, emit="summary", window=60, overlap=0, since=stamp(start), interval=0.2))
        events = await feed.until(lambda events: len(events) == 4)
        events = await feed.polls(2)
        await feed.stop()
        return events

    events = [event["sinch_est"] for event in asyncio.run(scenario())]
    expected = []
    trunks = {call["trunkId"] for call in calls}
    for minute in range(10):
        window = [call for call in calls if start + datetime.timedelta(minutes=minute) <= datetime.datetime.fromisoformat(
            call["createTime"].replace("Z", "+00:00")) < start + datetime.timedelta(minutes=minute + 1)]
        for trunk_id in sorted(trunks):
            mine = [camel_dict_to_snake_dict(call) for call in window if call["trunkId"] == trunk_id]
            if mine:
                stats = call_stats(mine, group_by="result")
                expected.append({"type": "summary", "trunk_id": trunk_id, "window_start": at(minute),
                                 "window_end": at(minute + 1), "calls": stats["total"], "answered": stats["answered"],
                                 "asr": stats["asr"], "acd": stats["acd_seconds"], "minutes": stats["minutes"],
                                 "cost": stats["cost"], "results": {k: v["total"] for k, v in stats["by"].items()}})
    assert events == expected
    assert sorted((event["window_start"], event["calls"], event["asr"]) for event in events) == sorted([
        (at(0), 6, 0.5), (at(0), 1, 1.0), (at(1), 1, 0.0), (at(3), 2, 1.0)])


@pytest.mark.parametrize("args, problem", [
    ({"interval": 0}, "interval"),
    ({"interval": "soon"}, "interval"),
    ({"emit": "everything"}, "emit"),
    ({"since": "yesterday"}, "since"),
    ({"call_result": "lost"}, "call_result"),
    ({"created_after": "-1d"}, "unknown arguments created_after"),
    ({"validate_certs": "maybe"}, "validate_certs"),
    ({"project_id": ""}, "project_id is required"),
])
def test_bad_arguments_fail_before_any_request(plugin, args, problem):
    base = {"project_id": PROJECT, "key_id": KEY, "key_secret": SECRET, "api_url": "http://127.0.0.1:9"}
    with pytest.raises(ValueError, match=problem):
        plugin["Settings"](dict(base, **args), {}, plugin["utc_now"]())


def test_connection_options_fall_back_to_the_sinch_variables(plugin):
    environ = {"SINCH_PROJECT_ID": "from-env", "SINCH_KEY_ID": "k", "SINCH_KEY_SECRET": "s", "SINCH_VALIDATE_CERTS": "false",
               "SINCH_API_RETRIES": "2", "SINCH_EST_API_URL": "http://127.0.0.1:9"}
    settings = plugin["Settings"]({"eda_feedback_queue": object(), "key_id": "from-args"}, environ, plugin["utc_now"]())
    assert (settings.connection["project_id"], settings.connection["key_id"], settings.connection["validate_certs"],
            settings.connection["retries"]) == ("from-env", "from-args", False, 2)
    assert settings.secrets == ["s"]


def test_main_is_the_rulebook_entry_point(fresh, plugin, monkeypatch):
    fresh.trunk("entry")
    for name, value in (("SINCH_PROJECT_ID", PROJECT), ("SINCH_KEY_ID", KEY), ("SINCH_KEY_SECRET", SECRET),
                        ("SINCH_EST_API_URL", fresh.url), ("SINCH_AUTH_URL", fresh.url)):
        monkeypatch.setenv(name, value)

    async def scenario():
        queue: asyncio.Queue = asyncio.Queue()
        task = asyncio.create_task(plugin["main"](queue, {"interval": 0.2, "call_result": "busy,failed"}))
        await asyncio.sleep(0.5)
        added = fresh.add_calls([{"trunk": "entry", "callResult": "BUSY"}, {"trunk": "entry"}])
        event = await asyncio.wait_for(queue.get(), 20)
        await asyncio.sleep(0.6)
        task.cancel()
        return added, event, queue.qsize()

    added, event, left = asyncio.run(scenario())
    assert event == {"sinch_est": {"type": "call", "call": plugin["camel_dict_to_snake_dict"](added[0])}} and left == 0


def test_an_hour_of_downtime_is_caught_up_without_a_gap_or_a_repeat(fresh, plugin, source_log):
    fresh.trunk("hour")

    async def scenario():
        feed = Feed(plugin, connection(fresh, interval=0.5, max_backoff=2, retries=0))
        before = fresh.add_calls([{"trunk": "hour"}] * 10)
        await feed.until(lambda events: len(events) == 10)
        # down: every API request answers 503, while an hour passes on the API's clock (the token expires too)
        fresh.admin("POST", "/faults", {"rate": 1.0, "statuses": [503]})
        await feed.until(lambda _: feed.source.failures >= 2)
        fresh.admin("POST", "/time", {"offset_seconds": 3600})
        now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3600)
        hour = fresh.add_calls([{"trunk": "hour", "callResult": "COMPLETED" if i % 3 else "FAILED",
                                 "createTime": stamp(now - datetime.timedelta(seconds=3600 - i))} for i in range(3600)])
        seq = fresh.last_seq()
        failures = feed.source.failures
        fresh.admin("DELETE", "/faults")
        back = time.monotonic()
        events = await feed.until(lambda events: len(events) >= 3610, timeout=60)
        caught_up = time.monotonic() - back
        catch_up = first_poll(fresh.requests_log(seq))
        events = await feed.polls(2)
        await feed.stop()
        return before + hour, events, failures, caught_up, catch_up

    added, events, failures, caught_up, catch_up = asyncio.run(scenario())
    ids = call_ids(events)
    duplicates = len(ids) - len(set(ids))
    skipped = len({call["callId"] for call in added} - set(ids))
    assert (duplicates, skipped, len(ids)) == (0, 0, 3610)
    assert ids == [call["callId"] for call in added], "oldest first"
    outages = [record for record in source_log.records if "polling failed" in record.getMessage()]
    assert len(outages) == 1, "one warning for the whole outage"
    record_figure("downtime: calls created during the hour", 3600)
    record_figure("downtime: emitted after recovery, duplicates, skipped", [len(ids) - 10, duplicates, skipped])
    record_figure("downtime: failed polls before recovery, warnings logged", [failures, len(outages)])
    record_figure("downtime: seconds from recovery to the last call emitted (max_backoff=2)", round(caught_up, 2))
    record_figure("downtime: requests of the catch-up poll", [entry["query"].split("&")[-2] for entry in catch_up])
    record_figure("downtime: seconds the catch-up poll's requests took (first sent to last answered)",
                  round(catch_up[-1]["time"] - catch_up[0]["time"] + catch_up[0]["duration_ms"] / 1000, 2))


def test_a_restarted_source_with_a_state_file_emits_the_calls_made_while_it_was_stopped_once(fresh, plugin, tmp_path):
    """The cursor persists: calls made while the source was down are emitted after the restart, and the
    calls the resumed read lists again (within overlap) are not emitted twice. Without the state file the
    restarted source starts from its own start and misses them."""
    fresh.trunk("restart")
    state_file = str(tmp_path / "calls-cursor.json")

    async def scenario():
        first = Feed(plugin, connection(fresh, state_file=state_file, **FAST))
        await first.polls(1)
        before = fresh.add_calls([{"trunk": "restart"}] * 3)
        emitted_before = await first.until(lambda events: len(events) == 3)
        await first.stop()
        while_stopped = fresh.add_calls([{"trunk": "restart"}] * 4)
        time.sleep(1.1)  # the restarted sources start a second later than the calls were made
        stateless = Feed(plugin, connection(fresh, **FAST))
        resumed = Feed(plugin, connection(fresh, state_file=state_file, **FAST))
        await resumed.polls(3)
        await stateless.polls(3)
        after = fresh.add_calls([{"trunk": "restart"}])
        await resumed.polls(2)
        await stateless.polls(2)
        await resumed.stop()
        await stateless.stop()
        return before, emitted_before, while_stopped, after, resumed.events, stateless.events

    before, emitted_before, while_stopped, after, resumed, stateless = asyncio.run(scenario())
    assert call_ids(emitted_before) == [call["callId"] for call in before]
    assert call_ids(resumed) == [call["callId"] for call in while_stopped + after]
    assert call_ids(stateless) == [after[0]["callId"]], "without a state file the calls made while stopped are lost"
    state = json.loads((tmp_path / "calls-cursor.json").read_text())
    assert state["project_id"] == PROJECT and after[0]["callId"] in state["emitted"]
    assert [path.name for path in tmp_path.iterdir()] == ["calls-cursor.json"], "no temporary file is left"


def test_a_late_record_listed_after_a_restart_is_emitted_once_and_the_others_not_again(fresh, plugin, tmp_path):
    """A long call's record appears when the call ends, stamped with its start: older than calls already
    emitted. The resumed read covers overlap and keeps the emitted ids, so only the late one comes out."""
    trunk = fresh.trunk("late")
    state_file = str(tmp_path / "cursor.json")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    async def scenario():
        first = Feed(plugin, connection(fresh, state_file=state_file, since=stamp(now - datetime.timedelta(minutes=5)),
                                        **FAST))
        early = fresh.add_calls([{"trunkId": trunk["id"], "createTime": stamp(now - datetime.timedelta(seconds=seconds))}
                                 for seconds in (50, 40, 10)])
        await first.until(lambda events: len(events) == 3)
        await first.stop()
        # stamped 45 s before the newest call emitted (within overlap, 60 s), listed only now
        late = fresh.add_calls([{"trunkId": trunk["id"], "createTime": stamp(now - datetime.timedelta(seconds=55))}])
        resumed = Feed(plugin, connection(fresh, state_file=state_file, **FAST))
        await resumed.polls(3)
        await resumed.stop()
        return early, late, first.events, resumed.events

    early, late, first, resumed = asyncio.run(scenario())
    assert call_ids(first) == [call["callId"] for call in early]
    assert call_ids(resumed) == [late[0]["callId"]]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "cannot be read"),
    (json.dumps({"version": 99, "emitted": {}}), "not a state this source wrote"),
    (json.dumps({"version": 1, "project_id": "another", "since": "2024-01-01T00:00:00+00:00",
                 "newest": "2024-01-01T00:00:00+00:00", "emitted": {}}), "project 'another'"),
])
def test_a_state_file_that_is_not_this_sources_fails_the_start(plugin, tmp_path, content, problem):
    path = tmp_path / "state.json"
    path.write_text(content)
    args = {"project_id": PROJECT, "key_id": KEY, "key_secret": SECRET, "api_url": "http://127.0.0.1:9",
            "state_file": str(path)}
    with pytest.raises(ValueError, match=problem):
        plugin["CallSource"](plugin["Settings"](args, {}, plugin["utc_now"]()))


@pytest.mark.parametrize("extra, problem", [({"emit": "summary"}, "only with emit=calls"),
                                            ({"state_file": "/nonexistent-dir/state.json"}, "does not exist")])
def test_state_file_arguments_that_cannot_work_fail_before_any_request(plugin, tmp_path, extra, problem):
    args = dict({"project_id": PROJECT, "key_id": KEY, "key_secret": SECRET, "api_url": "http://127.0.0.1:9",
                 "state_file": str(tmp_path / "s.json")}, **extra)
    with pytest.raises(ValueError, match=problem):
        plugin["Settings"](args, {}, plugin["utc_now"]())


@pytest.mark.parametrize("filters, wanted", [
    ({"to_country_code": "gb"}, [0]),
    ({"from_country_code": "GB"}, [1]),
    ({"emergency_only": True}, [3]),
    ({"from_country_code": "US", "to_country_code": "DE"}, [2]),
])
def test_country_and_emergency_filters_are_checked_against_the_export_rows(fresh, plugin, filters, wanted):
    fresh.trunk("cc")
    # outbound US -> GB, inbound GB -> US, outbound US -> DE, an outbound emergency call (US)
    added = fresh.add_calls([{"trunk": "cc"}, {"trunk": "cc", "direction": "INBOUND"},
                             {"trunk": "cc", "to": "+4981112345678"}, {"trunk": "cc", "to": "+1911"}])
    seq = fresh.last_seq()

    async def scenario():
        feed = Feed(plugin, connection(fresh, since="-1h", **FAST, **filters))
        events = await feed.polls(2)
        await feed.stop()
        return events

    events = asyncio.run(scenario())
    assert call_ids(events) == [added[index]["callId"] for index in wanted]
    expected = {0: ("US", "GB", False), 1: ("GB", "US", False), 2: ("US", "DE", False), 3: ("US", "US", True)}
    for event, index in zip(events, wanted):
        call = event["sinch_est"]["call"]
        assert (call["from_country_code"], call["to_country_code"], call["emergency"]) == expected[index]
    log = fresh.requests_log(seq)
    # GET /calls does not list these filters in the current document: the rows of the export decide
    assert calls_polls(log) and not any(key in entry["query"] for entry in calls_polls(log)
                                        for key in ("fromCountryCode", "toCountryCode", "emergencyOnly"))
    exports = [entry for entry in log if entry["path"].endswith("/calls/export")]
    assert exports and all("page=1" in entry["query"] and "size=500" in entry["query"] for entry in exports)
    if "to_country_code" in filters:
        assert all(f"toCountryCode={filters['to_country_code'].upper()}" in entry["query"] for entry in exports)
