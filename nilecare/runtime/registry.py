"""The services this build contains and the resource prefixes each one owns."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from nilecare.kernel.service import ServiceSpec

# Services in start order; the gateway is not listed: it fronts them.
SERVICE_MODULES: tuple[str, ...] = (
    "nilecare.services.auth.app",
    "nilecare.services.business.app",
    "nilecare.services.facility.app",
    "nilecare.services.clinical.app",
    "nilecare.services.notification.app",
    "nilecare.services.orchestrator.app",
)


class PrefixClashError(RuntimeError):
    """Two services claim the same resource prefix."""


def load_specs(modules: Iterable[str] = SERVICE_MODULES) -> list[ServiceSpec]:
    specs = [importlib.import_module(module).SERVICE for module in modules]
    check_prefixes(specs)
    return specs


def check_prefixes(specs: Iterable[ServiceSpec]) -> dict[str, str]:
    """Map each prefix to its owner; refuse a prefix claimed twice."""
    owners: dict[str, str] = {}
    for spec in specs:
        for prefix in spec.prefixes:
            if prefix in owners:
                raise PrefixClashError(
                    f"prefix {prefix!r} is claimed by {owners[prefix]} and {spec.name}"
                )
            owners[prefix] = spec.name
    return owners


def spec_named(name: str, specs: Iterable[ServiceSpec]) -> ServiceSpec:
    for spec in specs:
        if spec.name == name:
            return spec
    raise LookupError(f"no service named {name!r}")
