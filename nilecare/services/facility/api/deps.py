"""Dependencies shared by the facility routes."""

from __future__ import annotations

from typing import Annotated

from fastapi.routing import APIRoute

from nilecare.contracts.facility.permissions import (
    FACILITY_BED_MANAGE,
    FACILITY_BED_READ,
    FACILITY_FACILITY_MANAGE,
    FACILITY_FACILITY_READ,
)
from nilecare.kernel.auth.dependencies import require
from nilecare.kernel.auth.principal import Principal


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: clean names in generated clients."""
    return route.name


FacilityReader = Annotated[Principal, require(FACILITY_FACILITY_READ)]
FacilityManager = Annotated[Principal, require(FACILITY_FACILITY_MANAGE)]
BedReader = Annotated[Principal, require(FACILITY_BED_READ)]
BedManager = Annotated[Principal, require(FACILITY_BED_MANAGE)]
