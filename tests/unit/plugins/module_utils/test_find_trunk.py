# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""_trunks.find_trunk, through a module that names its trunk (est_endpoint): the fewest requests for a
trunk named by id or host name."""

from __future__ import annotations

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.plugins.modules import est_endpoint
from ansible_collections.sinch.est.tests.unit.harness import FakeApi, run

ULID = "01HZX3V4Q9C0R8M6S7T5W2Y1AB"
UUID = "0b6f2a3c-9d4e-4f5a-8b7c-1d2e3f4a5b6c"


def main():
    est_endpoint.main()


def endpoint(trunk):
    """Removing an endpoint that is not there: the trunk lookup is all the task does."""
    return {"trunk": trunk, "name": "pbx", "state": "absent"}


def api_with(*trunks):
    api = FakeApi()
    for trunk in trunks:
        api.add("/trunks", trunk)
    return api


def trunk_reads(api):
    return [request for request in api.requests if request[1].startswith("/trunks") and not request[1].endswith("/endpoints")]


def test_a_host_name_is_found_with_one_filtered_list_read():
    api = api_with({"id": ULID, "hostName": "acme-prod"})
    result = run(main, api, endpoint("acme-prod"))
    assert "failed" not in result
    assert trunk_reads(api) == [("GET", "/trunks", {"domain": "acme-prod"})]


def test_an_id_is_asked_for_as_an_id_first():
    for trunk_id in (ULID, UUID, "123456"):
        api = api_with({"id": trunk_id, "hostName": "acme-prod"})
        run(main, api, endpoint(trunk_id))
        assert trunk_reads(api) == [("GET", f"/trunks/{trunk_id}", None)]


def test_an_id_wins_over_a_host_name_when_the_value_has_an_id_shape():
    api = api_with({"id": "t-other", "hostName": ULID.lower()}, {"id": ULID, "hostName": "acme-prod"})
    result = run(main, api, endpoint(ULID))
    assert trunk_reads(api)[0] == ("GET", f"/trunks/{ULID}", None)
    assert "failed" not in result


def test_a_value_of_another_shape_that_no_host_name_has_is_still_tried_as_an_id():
    api = api_with({"id": "trunk-7", "hostName": "acme-prod"})
    result = run(main, api, endpoint("trunk-7"))
    assert "failed" not in result
    assert trunk_reads(api) == [("GET", "/trunks", {"domain": "trunk-7"}), ("GET", "/trunks/trunk-7", None)]


def test_an_unknown_trunk_reads_the_whole_list_before_giving_up():
    api = api_with({"id": ULID, "hostName": "acme-prod"})
    run(main, api, endpoint("nowhere"))
    assert trunk_reads(api) == [("GET", "/trunks", {"domain": "nowhere"}), ("GET", "/trunks/nowhere", None),
                                ("GET", "/trunks", None)]


class RejectsMalformedIds(FakeApi):
    """Answers 400 for an item path whose id it cannot parse, as an API typing ids as integers may."""

    def get(self, path, params=None, api="est"):
        if path.startswith("/trunks/") and path.count("/") == 2 and path[len("/trunks/"):] not in {t.split("/")[-1] for t in self.objects}:
            self.requests.append(("GET", path, params))
            raise EstApiError(f"GET {path} failed: HTTP 400", method="GET", path=path, status_code=400)
        return super().get(path, params, api)


def test_a_reference_the_api_rejects_as_an_id_is_still_looked_up_by_host_name():
    api = RejectsMalformedIds()
    api.add("/trunks", {"id": ULID, "hostName": "edge"})
    result = run(main, api, endpoint("edge"))
    assert "failed" not in result
    result = run(main, api, endpoint("no-such-trunk"))
    assert "failed" not in result and result["endpoint"] == {}
