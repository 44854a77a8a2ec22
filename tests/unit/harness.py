# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module's main() in-process with a fake API, for unit tests of module logic."""

from __future__ import annotations

import copy
import json
from contextlib import contextmanager
from unittest.mock import patch

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.sinch.est.plugins.module_utils import _module
from ansible_collections.sinch.est.plugins.module_utils._client import EstClient
from ansible_collections.sinch.est.plugins.module_utils._errors import EstAmbiguousWriteError, EstApiError

try:  # ansible-core >= 2.19
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.16 - 2.18
    @contextmanager
    def patch_module_args(args):
        with patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))):
            yield

CONNECTION = {"project_id": "p1", "key_id": "k", "key_secret": "s", "api_url": "http://127.0.0.1:1"}


class ModuleExit(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


class ModuleFail(Exception):
    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


class FakeApi:
    """An in-memory stand-in for EstClient: objects by item path, collections in insertion order.

    `failures` maps (method, path) to a list of (error, apply) tried in order: the error is raised,
    after applying the write when `apply` is true (a write committed and then answered 500).
    """

    project_id = "p1"
    concurrency = 1
    list_all = EstClient.list_all  # the real reader, over this fake's paginate

    def worker(self):
        return self

    def __init__(self):
        self.objects = {}
        self.collections = {}
        self.requests = []
        self.failures = {}
        self.next_id = 1

    @property
    def writes(self):
        return [request for request in self.requests if request[0] != "GET"]

    def add(self, collection, item):
        item = dict(item)
        item.setdefault("id", f"id{self.next_id}")
        self.next_id += 1
        self.objects[f"{collection}/{item['id']}"] = item
        self.collections.setdefault(collection, []).append(item["id"])
        return item

    def _maybe_fail(self, method, path, apply_write):
        planned = self.failures.get((method, path))
        if not planned:
            return apply_write()
        error, apply = planned.pop(0)
        if apply:
            apply_write()
        raise error

    def get(self, path, params=None, api="est"):
        self.requests.append(("GET", path, params))
        if path in self.objects:
            return copy.deepcopy(self.objects[path])
        raise EstApiError(f"GET {path} failed: HTTP 404", method="GET", path=path, status_code=404)

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        self.requests.append(("GET", path, params))
        for object_id in list(self.collections.get(path, [])):
            yield copy.deepcopy(self.objects[f"{path}/{object_id}"])

    def post(self, path, body=None, api="est"):
        self.requests.append(("POST", path, body))
        return self._maybe_fail("POST", path, lambda: copy.deepcopy(self.add(path, body)))

    def put(self, path, body=None, api="est"):
        self.requests.append(("PUT", path, body))

        def apply():
            if path not in self.objects:
                raise EstApiError(f"PUT {path} failed: HTTP 404", method="PUT", path=path, status_code=404)
            self.objects[path] = dict(body, id=self.objects[path]["id"])
            return copy.deepcopy(self.objects[path])
        return self._maybe_fail("PUT", path, apply)

    def patch(self, path, body=None, api="est"):
        self.requests.append(("PATCH", path, body))

        def apply():
            if path not in self.objects:
                raise EstApiError(f"PATCH {path} failed: HTTP 404", method="PATCH", path=path, status_code=404)
            self.objects[path].update(copy.deepcopy(body))
            return copy.deepcopy(self.objects[path])
        return self._maybe_fail("PATCH", path, apply)

    def delete(self, path, api="est"):
        self.requests.append(("DELETE", path, None))

        def apply():
            if path not in self.objects:
                raise EstApiError(f"DELETE {path} failed: HTTP 404", method="DELETE", path=path, status_code=404)
            collection, object_id = path.rsplit("/", 1)
            del self.objects[path]
            self.collections[collection].remove(object_id)
        return self._maybe_fail("DELETE", path, apply)


def ambiguous(path="/"):
    return EstAmbiguousWriteError("POST failed: HTTP 500", method="POST", path=path, status_code=500, attempts=1)


def conflict(path="/"):
    return EstApiError("POST failed: HTTP 409", method="POST", path=path, status_code=409, api_status="ALREADY_EXISTS",
                       api_message="already exists")


def run(main, api, args, check_mode=False, diff=False):
    """Runs main() with args against `api`; returns the result dict, failed ones included."""
    module_args = dict(CONNECTION, **args)
    module_args["_ansible_check_mode"] = check_mode
    module_args["_ansible_diff"] = diff

    def exit_json(self, **result):
        raise ModuleExit(result)

    def fail_json(self, **result):
        result["failed"] = True
        raise ModuleFail(result)

    with patch_module_args(module_args), \
            patch.object(basic.AnsibleModule, "exit_json", exit_json), \
            patch.object(basic.AnsibleModule, "fail_json", fail_json), \
            patch.object(_module, "client_from_module", lambda module: api):
        try:
            main()
        except (ModuleExit, ModuleFail) as outcome:
            return outcome.result
    raise AssertionError("the module neither exited nor failed")
