# -*- coding: utf-8 -*-
# Copyright: sinch.est contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE to sinch.est. It may change or disappear without notice.

"""Per-item requests on a bounded pool of workers.

The API has no bulk form for most writes (one number, one endpoint, one range per request), so a
task that changes many items waits for one round trip each. Here they overlap: up to `size`
workers, each with its own HTTP session. Every item runs even when another fails (a rerun then has
less left to do); the outcomes come back in the order of the items.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any, Callable, List, NamedTuple, Optional, Sequence

from ansible_collections.sinch.est.plugins.module_utils._errors import EstApiError, EstFailure


class Outcome(NamedTuple):
    item: Any
    result: Any = None
    error: Optional[Exception] = None


def _attempt(work: Callable[[Any], Any], item: Any) -> Outcome:
    try:
        return Outcome(item, work(item))
    except (EstApiError, EstFailure) as error:
        return Outcome(item, error=error)


def run_parallel(items: Sequence[Any], work: Callable[[Any], Any], size: int,
                 start_worker: Callable[[], None]) -> List[Outcome]:
    """`work(item)` for every item; with `size` 1 (or one item) in this thread, one after another.

    `start_worker()` runs first in each worker thread (it gives the thread its own client).
    An exception other than an API error or a module failure is a bug: it propagates.
    """
    if size <= 1 or len(items) <= 1:
        return [_attempt(work, item) for item in items]
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(size, len(items)), initializer=start_worker) as pool:
        futures = [pool.submit(_attempt, work, item) for item in items]
        return [future.result() for future in futures]
