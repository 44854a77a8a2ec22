# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""meta/runtime.yml's action group `all` (group/sinch.est.all, what module_defaults users set
once for every module) names exactly the modules in plugins/modules."""

from __future__ import annotations

import os

import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def runtime_all_group():
    with open(os.path.join(COLLECTION, "meta", "runtime.yml")) as runtime:
        return (yaml.safe_load(runtime).get("action_groups") or {}).get("all") or []


def module_names():
    directory = os.path.join(COLLECTION, "plugins", "modules")
    return sorted(
        name[:-3] for name in os.listdir(directory)
        if name.endswith(".py") and not name.startswith("_")
    )


def test_every_module_is_in_the_all_action_group():
    missing = sorted(set(module_names()) - set(runtime_all_group()))
    assert not missing, "add to meta/runtime.yml action_groups.all: %s" % ", ".join(missing)


def test_the_all_action_group_names_only_existing_modules():
    unknown = sorted(set(runtime_all_group()) - set(module_names()))
    assert not unknown, "meta/runtime.yml action_groups.all names modules that do not exist: %s" % ", ".join(unknown)


def test_the_all_action_group_lists_each_module_once_in_order():
    group = runtime_all_group()
    assert group == sorted(set(group)), "keep action_groups.all sorted and free of duplicates"
