"""Helpers shared by the use cases."""

from __future__ import annotations

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import NotFound
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.facility.repository import FacilityRepository


def repository(uow: UnitOfWork, principal: Principal | None) -> FacilityRepository:
    """The repository seen through the caller's facility scope (nothing without a caller)."""
    return FacilityRepository(uow.session, FacilityScope.of(principal))


def not_found(what: str) -> NotFound:
    return NotFound(f"No such {what}", slug=f"{what.replace(' ', '-')}-not-found")
