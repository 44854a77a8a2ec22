# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The resource base, exercised through two small fake resources."""

from __future__ import annotations

import pytest

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.module_utils._children import set_changes
from ansible_collections.sinch.est.plugins.module_utils._module import CREATED_ID as CREATED, run_module
from ansible_collections.sinch.est.plugins.module_utils._paths import Route
from ansible_collections.sinch.est.plugins.module_utils._resource import EstResource, Field, Parent
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, ambiguous, conflict, run


class Widget(EstResource):
    noun = "widget"
    collection = Route("/widgets", ("widgets",))
    item = Route("/widgets/{widget_id}")
    fields = {
        "name": Field("name"),
        "color": Field("color", compare="casefold", upper=True),
        "tags": Field("tags", compare="set"),
        "secret": Field("secret", secret=True),
    }
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name", "color")

    def validate(self, problems):
        if self.params["color"] == "plaid":
            problems.add("color: plaid is not a color")


class Gadget(EstResource):
    """A child object under a parent named by id or name, with a kind change that drops fields."""

    noun = "gadget"
    collection = Route("/parents/{parent_id}/gadgets", ("gadgets",))
    item = Route("/parents/{parent_id}/gadgets/{gadget_id}")
    fields = {"name": Field("name"), "address": Field("address"), "username": Field("username")}
    identity = ("name",)
    unique_identity = False
    required_for_create = ("name",)

    def resolve_parents(self):
        parent = self.resolve_named(Route("/parents", ("parents",)), [self.params["parent"]], "parent", "parent")[0]
        return Parent(path_params={"parent_id": parent["id"]})

    def update_body(self, target):
        body = super().update_body(target)
        if "username" in target.desired:
            body.pop("address", None)
        return body


WIDGET_SPEC = dict(
    id=dict(type="str"), name=dict(type="str"), color=dict(type="str"), tags=dict(type="list", elements="str"),
    secret=dict(type="str", no_log=True), state=dict(type="str", default="present", choices=["present", "absent"]),
)
GADGET_SPEC = dict(id=dict(type="str"), parent=dict(type="str", required=True), name=dict(type="str"),
                   address=dict(type="str"), username=dict(type="str"),
                   state=dict(type="str", default="present", choices=["present", "absent"]))


def widget_main():
    run_module(Widget, WIDGET_SPEC)


def gadget_main():
    run_module(Gadget, GADGET_SPEC)


@pytest.fixture
def api():
    return FakeApi()


def test_create_sends_only_the_options_set(api):
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["changed"] is True
    assert api.writes == [("POST", "/widgets", {"name": "w", "color": "RED"})]
    assert result["widget"]["color"] == "RED"


def test_existing_object_with_same_values_is_not_changed(api):
    api.add("/widgets", {"name": "w", "color": "RED", "tags": ["a", "b"]})
    result = run(widget_main, api, {"name": "w", "color": "red", "tags": ["b", "a"]})
    assert result["changed"] is False
    assert api.writes == []


def test_update_keeps_server_values_of_options_left_out(api):
    api.add("/widgets", {"name": "w", "color": "RED", "tags": ["a"]})
    result = run(widget_main, api, {"name": "w", "tags": ["a", "c"]})
    assert result["changed"] is True
    assert api.writes == [("PUT", "/widgets/id1", {"name": "w", "color": "RED", "tags": ["a", "c"]})]


def test_set_comparison_sees_a_removal(api):
    api.add("/widgets", {"name": "w", "color": "RED", "tags": ["a", "b"]})
    result = run(widget_main, api, {"name": "w", "tags": ["a"]})
    assert result["changed"] is True
    assert api.objects["/widgets/id1"]["tags"] == ["a"]


def test_check_mode_create_writes_nothing_and_predicts_the_object(api):
    result = run(widget_main, api, {"name": "w", "color": "red"}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    # the real run's form: the id a placeholder that says it does not exist yet
    assert result["widget"] == {"name": "w", "color": "RED", "id": CREATED}
    assert result["diff"] == {"before": {}, "after": {"name": "w", "color": "RED", "id": CREATED}}


def test_check_mode_update_writes_nothing_and_diffs(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    result = run(widget_main, api, {"name": "w", "color": "blue"}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert api.writes == []
    assert result["diff"]["before"]["color"] == "RED"
    assert result["diff"]["after"]["color"] == "BLUE"
    assert api.objects["/widgets/id1"]["color"] == "RED"


def test_secret_field_never_appears_in_result_or_diff(api):
    result = run(widget_main, api, {"name": "w", "color": "red", "secret": "hunter2"}, diff=True)
    assert "hunter2" not in repr(result)
    assert api.objects["/widgets/id1"]["secret"] == "hunter2"


def test_unknown_id_fails_instead_of_creating(api):
    result = run(widget_main, api, {"id": "nope", "name": "w", "color": "red"})
    assert result["failed"]
    assert "no widget with id 'nope'" in result["msg"]
    assert api.writes == []


def test_unknown_id_with_state_absent_is_a_no_op(api):
    result = run(widget_main, api, {"id": "nope", "state": "absent"})
    assert result["changed"] is False
    assert api.writes == []


def test_id_addresses_the_object_to_rename(api):
    api.add("/widgets", {"name": "old", "color": "RED"})
    result = run(widget_main, api, {"id": "id1", "name": "new"})
    assert result["changed"] is True
    assert api.objects["/widgets/id1"] == {"id": "id1", "name": "new", "color": "RED"}


def test_two_objects_with_the_name_fail_naming_both_ids(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    api.add("/widgets", {"name": "w", "color": "BLUE"})
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["failed"]
    assert "id1" in result["msg"] and "id2" in result["msg"] and "set id" in result["msg"]
    assert api.writes == []


def test_missing_options_for_create_are_named(api):
    result = run(widget_main, api, {"name": "w"})
    assert result["failed"]
    assert "set color" in result["msg"]
    assert api.writes == []


def test_invalid_input_fails_before_any_request(api):
    result = run(widget_main, api, {"name": "w", "color": "plaid"})
    assert result["failed"]
    assert "color: plaid" in result["msg"]
    assert api.requests == []


def test_post_whose_answer_was_lost_is_not_repeated_when_the_object_exists(api):
    api.failures[("POST", "/widgets")] = [(ambiguous(), True)]
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["changed"] is True
    assert len(api.collections["/widgets"]) == 1
    assert [request[0] for request in api.writes] == ["POST"]


def test_post_that_failed_before_applying_is_tried_again_after_a_lookup(api):
    api.failures[("POST", "/widgets")] = [(ambiguous(), False)]
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["changed"] is True
    assert len(api.collections["/widgets"]) == 1
    assert [request[0] for request in api.writes] == ["POST", "POST"]


def test_conflict_on_create_converges_an_object_found_in_the_project(api):
    api.failures[("POST", "/widgets")] = [(conflict(), True)]
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["changed"] is False
    assert len(api.collections["/widgets"]) == 1


def test_conflict_on_create_with_no_such_object_here_fails_clearly(api):
    api.failures[("POST", "/widgets")] = [(conflict(), False)]
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["failed"]
    assert "another project or Sinch account holds it" in result["msg"]


def test_absent_deletes_and_reports_the_object_before(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    result = run(widget_main, api, {"name": "w", "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["name"] == "w"
    assert result["widget"] == {}
    assert api.objects == {}


def test_absent_when_missing_changes_nothing(api):
    result = run(widget_main, api, {"name": "w", "state": "absent"})
    assert result["changed"] is False
    assert api.writes == []


def test_check_mode_delete_writes_nothing(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    result = run(widget_main, api, {"name": "w", "state": "absent"}, check_mode=True)
    assert result["changed"] is True
    assert api.writes == []


def test_delete_of_an_object_gone_meanwhile_succeeds(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    api.failures[("DELETE", "/widgets/id1")] = [
        (EstApiError("gone", method="DELETE", path="/widgets/id1", status_code=404), True)]
    result = run(widget_main, api, {"name": "w", "state": "absent"})
    assert result["changed"] is True


def test_api_error_fails_with_context_and_structured_details(api):
    api.add("/widgets", {"name": "w", "color": "RED"})
    api.failures[("PUT", "/widgets/id1")] = [(EstApiError(
        "PUT /widgets/id1 failed: HTTP 400 INVALID_ARGUMENT: bad color", method="PUT", path="/widgets/id1",
        status_code=400, api_status="INVALID_ARGUMENT", api_message="bad color", request_id="r1"), False)]
    result = run(widget_main, api, {"name": "w", "color": "blue"})
    assert result["failed"]
    assert result["msg"].startswith("Updating widget name='w' (color): PUT /widgets/id1 failed")
    assert result["api_error"]["status_code"] == 400
    assert result["api_error"]["request_id"] == "r1"


def test_child_resource_resolves_its_parent_by_name(api):
    api.add("/parents", {"name": "mother"})
    result = run(gadget_main, api, {"parent": "mother", "name": "g", "address": "10.0.0.1"})
    assert result["changed"] is True
    assert api.collections["/parents/id1/gadgets"] == ["id2"]


def test_unknown_parent_fails_before_any_write(api):
    result = run(gadget_main, api, {"parent": "nobody", "name": "g"})
    assert result["failed"]
    assert "parent: no parent with id or name 'nobody'" in result["msg"]
    assert api.writes == []


def test_change_of_kind_drops_the_old_fields(api):
    api.add("/parents", {"name": "mother"})
    api.add("/parents/id1/gadgets", {"name": "g", "address": "10.0.0.1"})
    result = run(gadget_main, api, {"parent": "mother", "name": "g", "username": "alice"})
    assert result["changed"] is True
    assert api.objects["/parents/id1/gadgets/id2"] == {"id": "id2", "name": "g", "username": "alice"}


@pytest.mark.parametrize("current, desired, added, removed", [
    ([{"k": 1}, {"k": 2}], [{"k": 2}, {"k": 3}], [3], [1]),
    ([{"k": 1}], [{"k": 1}], [], []),
    ([], [{"k": 1}], [1], []),
    ([{"k": 1}], [], [], [1]),
])
def test_set_changes_sees_additions_and_removals(current, desired, added, removed):
    to_add, to_remove, matched = set_changes(current, desired, key=lambda item: item["k"])
    assert [item["k"] for item in to_add] == added
    assert [item["k"] for item in to_remove] == removed
    assert len(matched) == len(desired) - len(added)


class Enveloped(Widget):
    """A create answered as a list envelope (the base unwraps it), and a PUT whose prediction drops a field."""

    def predict_update(self, current, body):
        return dict(current, predicted=True, **body)


class ManyWidgets(Widget):
    list_option = "items"
    purge_option = "purge"


def enveloped_main():
    run_module(Enveloped, WIDGET_SPEC)


def many_main():
    run_module(ManyWidgets, dict(WIDGET_SPEC, purge=dict(type="bool", default=False), items=dict(
        type="list", elements="dict", options=dict(name=dict(type="str"), color=dict(type="str")))))


def test_a_create_answered_as_a_list_envelope_is_unwrapped(api):
    api.post = lambda path, body=None, api="est": {"widgets": [dict(body, id="w9")]}
    result = run(enveloped_main, api, {"name": "w", "color": "red"})
    assert result["widget"]["id"] == "w9"


def test_predict_update_hook_shapes_the_check_mode_answer(api):
    api.add("/widgets", {"name": "w", "color": "RED", "tags": ["a"]})
    result = run(enveloped_main, api, {"name": "w", "color": "blue"}, check_mode=True)
    assert result["widget"]["predicted"] is True and result["widget"]["color"] == "BLUE"
    assert api.writes == []


def test_run_many_converges_items_with_one_list_read(api):
    api.add("/widgets", {"name": "a", "color": "RED"})
    result = run(many_main, api, {"color": "red", "items": [{"name": "a"}, {"name": "b", "color": "blue"}]})
    assert result["changed"] is True
    assert api.writes == [("POST", "/widgets", {"name": "b", "color": "BLUE"})]
    assert [request for request in api.requests if request[0] == "GET"] == [("GET", "/widgets", None)]
    assert [widget["name"] for widget in result["items"]] == ["a", "b"]


def test_run_many_purge_deletes_unlisted_objects_last(api):
    api.add("/widgets", {"name": "old", "color": "RED"})
    result = run(many_main, api, {"purge": True, "items": [{"name": "new", "color": "red"}]}, diff=True)
    assert [request[0] for request in api.writes] == ["POST", "DELETE"]
    assert result["diff"]["before"]["items"][0]["name"] == "old"


def test_run_many_fails_on_an_ambiguous_item_before_any_write(api):
    api.add("/widgets", {"name": "a", "color": "RED"})
    api.add("/widgets", {"name": "a", "color": "RED"})
    result = run(many_main, api, {"items": [{"name": "a", "color": "blue"}]})
    assert result["failed"] and "id1" in result["msg"] and "id2" in result["msg"]
    assert api.writes == []


def test_create_lost_twice_is_tried_a_third_time_and_made_once(api):
    api.failures[("POST", "/widgets")] = [(ambiguous(), False), (ambiguous(), False)]
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["changed"] is True
    assert len(api.collections["/widgets"]) == 1
    assert [request[0] for request in api.writes] == ["POST", "POST", "POST"]


def test_create_lost_three_times_fails_saying_it_may_have_been_applied(api):
    api.failures[("POST", "/widgets")] = [(ambiguous(), False)] * 3
    result = run(widget_main, api, {"name": "w", "color": "red"})
    assert result["failed"]
    assert result["api_error"]["ambiguous"] is True
    assert len(api.writes) == 3
