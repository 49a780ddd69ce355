"""The cyclic garbage collector in a long-running process."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Exempt what the process built before serving (modules, routes, schemas, ORM mappings:
    most of its heap, and it lives as long as the process) from the cyclic collector, whose
    full collections would otherwise walk all of it again and again as requests and events
    churn. Measured on a consumer draining a backlog of events: one full collection took about
    0.15 s, an eighth of its time. Reference counting still frees anything it no longer needs."""
    gc.collect()
    gc.freeze()
