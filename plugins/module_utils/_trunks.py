# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Finding trunks: by id or host name, the trunks an ACL or credential list is bound to, and what
a trunk still holds (the service refuses to delete a trunk that has any of it)."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional

from ansible_collections.sinch.est.plugins.module_utils import _paths as paths
from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstFailure

# What a trunk id can look like: a ULID (26 letters and digits), a UUID, or digits.
TRUNK_ID_SHAPE = r"^(?:[0-9A-Za-z]{26}|[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}|[0-9]+)$"


def looks_like_trunk_id(value: str) -> bool:
    return bool(re.match(TRUNK_ID_SHAPE, value))


def trunk_by_id(client: Any, value: str) -> Optional[dict]:
    """GET /trunks/{value}, or None when no trunk has that id; an API that answers a value it
    cannot parse as an id with 400 (the current reference types the path id as an integer) is
    saying the same thing."""
    try:
        return client.get(paths.TRUNK.path(trunk_id=value))
    except EstApiError as error:
        if error.not_found or error.status_code == 400:
            return None
        raise


def _trunk_in_list(client: Any, host_name: str, params: Optional[dict]) -> Optional[dict]:
    wanted = host_name.casefold()
    for trunk in client.list_all(paths.TRUNKS, params=params):
        if str(trunk.get("hostName", "")).casefold() == wanted:
            return trunk
    return None


def find_trunk_by_host_name(client: Any, host_name: str) -> Optional[dict]:
    """The trunk with this host name, or None.

    The list's `domain` filter is tried first (one request on any account size); the references do
    not say whether it matches the whole domain or a part, so when it finds nothing the whole list
    is read before concluding the trunk does not exist.
    """
    return _trunk_in_list(client, host_name, {"domain": host_name}) or _trunk_in_list(client, host_name, None)


def find_trunk(client: Any, value: str) -> Optional[dict]:
    """A trunk given by id or host name (an exact id match wins), or None.

    A value that is not shaped like an id is looked up by host name first (one request) and asked
    for as an id only when no trunk has that host name. An id-shaped value is asked for as an id first.
    """
    if not looks_like_trunk_id(value):
        return (_trunk_in_list(client, value, {"domain": value}) or trunk_by_id(client, value)
                or _trunk_in_list(client, value, None))
    return trunk_by_id(client, value) or find_trunk_by_host_name(client, value)


def trunk_host_names(client: Any) -> List[str]:
    """Every trunk host name of the project, sorted (for "did you mean" messages)."""
    return sorted(str(trunk.get("hostName")) for trunk in client.list_all(paths.TRUNKS))


def filter_id(client: Any, value: str, option: str = "trunk") -> str:
    """The trunk id a read filters by: an id as given (records keep the id of a deleted trunk), a host
    name resolved to its trunk's id. An unknown host name raises EstFailure listing the project's
    trunks: filtering by a typo would quietly match nothing."""
    if looks_like_trunk_id(value):
        return value
    trunk = find_trunk_by_host_name(client, value)
    if trunk is not None:
        return trunk["id"]
    names = trunk_host_names(client)
    known = f"its trunks are {', '.join(names)}" if names else "it has no trunks"
    raise EstFailure(f"{option}: no trunk with host name {value!r} in project {client.project_id} ({known}); "
                     "give one of those host names or a trunk id")


def bound_trunks(client: Any, route: paths.Route, **ids: Any) -> List[dict]:
    """The trunks an ACL or credential list is bound to, as trunk objects ({"id": id} for a bare id)."""
    return [trunk if isinstance(trunk, dict) else {"id": trunk}
            for trunk in client.list_all(route, **ids)]


def routed_numbers(client: Any, trunk_id: str) -> Iterator[dict]:
    """The EST numbers routed to a trunk (read page by page, as far as the caller reads)."""
    for number in client.list_all(paths.PHONE_NUMBERS, params={"sipTrunkId": trunk_id}):
        if number.get("sipTrunkId") == trunk_id:
            yield number


def bound_ids(client: Any, route: paths.Route, trunk_id: str) -> List[str]:
    """The ids bound to a trunk (its ACLs or credential lists); objects carrying an `id` are read too."""
    return [item.get("id") if isinstance(item, dict) else item
            for item in client.list_all(route, trunk_id=trunk_id)]


def trunk_label(trunk: Dict[str, Any]) -> str:
    return f"trunk {trunk.get('hostName') or trunk.get('id')}"
