# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A FakeApi that also speaks the trunk binding sub-resources (lists of ids, not objects)."""

from __future__ import annotations

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError
from ansible_collections.sinch.est.tests.unit.harness import FakeApi


class BindingApi(FakeApi):
    """`bindings` maps a binding path (`/trunks/t1/accessControlLists`) to (ids key, [ids]).

    Like the API, a POST adds the ids not bound yet, a PUT replaces the set, a DELETE removes one (404 if unbound), and a
    GET answers the ids as strings (or as `{"id": ...}` objects when `objects_in_reply` is set).
    """

    def __init__(self):
        super().__init__()
        self.bindings = {}
        self.objects_in_reply = False

    def bind(self, path, ids_key, ids):
        self.bindings[path] = (ids_key, list(ids))

    def bound(self, path):
        return self.bindings[path][1]

    def paginate(self, path, items_key, params=None, page_size=500, max_pages=10000, api="est"):
        if path not in self.bindings:
            yield from super().paginate(path, items_key, params, page_size, max_pages)
            return
        self.requests.append(("GET", path, params))
        for object_id in list(self.bound(path)):
            yield {"id": object_id} if self.objects_in_reply else object_id

    def post(self, path, body=None, api="est"):
        if path not in self.bindings:
            return super().post(path, body, api)
        self.requests.append(("POST", path, body))
        ids_key, ids = self.bindings[path]

        def apply():
            ids.extend(object_id for object_id in body[ids_key] if object_id not in ids)
            return {ids_key: list(ids)}
        return self._maybe_fail("POST", path, apply)

    def put(self, path, body=None, api="est"):
        """A bare array of ids replaces the whole set (bulkUpdateCredentialListsForTrunk)."""
        if path not in self.bindings:
            return super().put(path, body, api)
        self.requests.append(("PUT", path, body))
        ids_key, ids = self.bindings[path]

        def apply():
            ids[:] = list(dict.fromkeys(body))
            return {ids_key: list(ids)}
        return self._maybe_fail("PUT", path, apply)

    def delete(self, path, api="est"):
        binding, object_id = path.rsplit("/", 1)
        if binding not in self.bindings:
            return super().delete(path, api)
        self.requests.append(("DELETE", path, None))

        def apply():
            if object_id not in self.bound(binding):
                raise EstApiError(f"DELETE {path} failed: HTTP 404", method="DELETE", path=path, status_code=404)
            self.bound(binding).remove(object_id)
        return self._maybe_fail("DELETE", path, apply)
