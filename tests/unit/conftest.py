# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Plain `pytest tests/unit` behaves like `ansible-test units`: the collection loader is installed
before any test imports `ansible_collections.sinch.est`, so plugin loaders (lookups) resolve
`sinch.est.*`. It needs this tree reachable as `<root>/ansible_collections/sinch/est`."""

from __future__ import annotations

import os
import sys

from ansible.utils.collection_loader import AnsibleCollectionConfig


def _collections_root():
    """The directory holding `ansible_collections/sinch/est` for this tree: its own grandparents, or
    an entry of sys.path (PYTHONPATH) through which this tree is reachable, e.g. by a symlink."""
    collection = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    candidates = [os.path.dirname(os.path.dirname(os.path.dirname(collection)))] + sys.path
    for root in candidates:
        path = os.path.join(root or os.curdir, "ansible_collections", "sinch", "est")
        if os.path.isdir(path) and os.path.realpath(path) == os.path.realpath(collection):
            return root
    return None


if AnsibleCollectionConfig.collection_finder is None and _collections_root():
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    _AnsibleCollectionFinder(paths=[_collections_root()])._install()  # pylint: disable=protected-access
