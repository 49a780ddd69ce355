"""Dependencies shared by the facility routes."""

from __future__ import annotations

from typing import Annotated

from nilecare.contracts.facility.permissions import (
    FACILITY_BED_MANAGE,
    FACILITY_BED_READ,
    FACILITY_FACILITY_MANAGE,
    FACILITY_FACILITY_READ,
)
from nilecare.kernel.auth.dependencies import require
from nilecare.kernel.auth.principal import Principal

FacilityReader = Annotated[Principal, require(FACILITY_FACILITY_READ)]
FacilityManager = Annotated[Principal, require(FACILITY_FACILITY_MANAGE)]
BedReader = Annotated[Principal, require(FACILITY_BED_READ)]
BedManager = Annotated[Principal, require(FACILITY_BED_MANAGE)]
