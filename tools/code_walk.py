"""The walk of est_trunk's host_name from the module's parameters to `POST /trunks`, traced.

Used by tools/code-figures.py --walk: runs est_trunk (state=present, a new host name) in this
process against an emulator on a free loopback port, and records each call of a collection function
(comprehensions left out) that receives the value: as an argument, inside a dict, list or tuple
argument, or in an attribute of an argument object other than `self`. Recording stops at the call
that sends `POST .../trunks`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, List

VALUE = "walk-trunk-7f3a"
MARK = "/ansible_collections/sinch/est/plugins/"


def holds(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return value == VALUE
    if depth > 3:
        return False
    if isinstance(value, dict):
        return any(holds(item, depth + 1) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds(item, depth + 1) for item in value)
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict) and depth < 1:
        return any(holds(item, depth + 1) for item in attributes.values())
    return False


@contextmanager
def module_args(args: dict) -> Iterator[None]:
    try:  # ansible-core >= 2.19
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        from ansible.module_utils import basic

        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        yield
        return
    with patch_module_args(args):
        yield


def collections_path(root: Path) -> Path:
    for candidate in (root / ".ansible" / "collections", root / "coll"):
        if (candidate / "ansible_collections" / "sinch" / "est").exists():
            return candidate
    raise SystemExit(f"no ansible_collections/sinch/est under {root}/.ansible/collections or {root}/coll")


def walk_host_name(root: Path) -> List[str]:
    from est_emulator.process import EmulatorProcess

    sys.path.insert(0, str(collections_path(root)))
    from ansible_collections.sinch.est.plugins.modules import est_trunk

    rooms: List[str] = []
    done = []

    def profile(frame, event, _arg):
        if done or event != "call" or MARK not in frame.f_code.co_filename:
            return
        code = frame.f_code
        name = getattr(code, "co_qualname", code.co_name)
        args = {key: value for key, value in frame.f_locals.items() if key != "self"}
        if args.get("method") == "POST" and str(args.get("url", args.get("path", ""))).endswith("/trunks"):
            done.append(name)
        if (done or any(holds(value) for value in args.values())) and not code.co_name.startswith("<"):
            room = f"{Path(code.co_filename).stem}.{name}"
            if room not in rooms:
                rooms.append(room)

    with EmulatorProcess() as emulator:
        args = {"project_id": "demo-project", "key_id": "demo-key", "key_secret": "demo-secret",
                "api_url": emulator.url, "auth_url": emulator.url, "numbers_api_url": emulator.url,
                "host_name": VALUE, "name": "Walk"}
        stdout = sys.stdout
        sys.stdout = open(os.environ.get("EST_WALK_OUT", os.devnull), "w")
        sys.setprofile(profile)
        try:
            with module_args(args):
                est_trunk.main()
        except SystemExit:
            pass
        finally:
            sys.setprofile(None)
            sys.stdout.close()
            sys.stdout = stdout
    if not done:
        raise SystemExit("the walk never reached POST /trunks")
    return rooms
