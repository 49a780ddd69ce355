"""Pieces the use cases share: turning rule violations into problems, scope checks."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import Forbidden, NotFound, ValidationFailed
from nilecare.services.business.domain import RuleViolation

P = ParamSpec("P")
T = TypeVar("T")


def checked(rule: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a domain rule; a violation becomes a 422 naming the field."""
    try:
        return rule(*args, **kwargs)
    except RuleViolation as violation:
        raise ValidationFailed.field(violation.field, violation.message) from None


def not_found(what: str) -> NotFound:
    return NotFound(f"No such {what}", slug="not-found")


def check_facility(scope: FacilityScope, facility_id: uuid.UUID) -> None:
    if not scope.allows(facility_id):
        raise Forbidden(
            "You can only manage records of facilities you belong to",
            slug="facility-out-of-scope",
        )
