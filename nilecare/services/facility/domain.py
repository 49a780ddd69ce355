"""Pure rules of the facility service: the bed workflow."""

from __future__ import annotations

from nilecare.contracts.facility.beds import BedStatus

# available → occupied → cleaning → available; out of service from available or cleaning,
# and back to available.
TRANSITIONS: dict[BedStatus, frozenset[BedStatus]] = {
    BedStatus.AVAILABLE: frozenset({BedStatus.OCCUPIED, BedStatus.OUT_OF_SERVICE}),
    BedStatus.OCCUPIED: frozenset({BedStatus.CLEANING}),
    BedStatus.CLEANING: frozenset({BedStatus.AVAILABLE, BedStatus.OUT_OF_SERVICE}),
    BedStatus.OUT_OF_SERVICE: frozenset({BedStatus.AVAILABLE}),
}

# Occupied and cleaning follow from assignment and release; staff set only these by hand.
MANUAL_TARGETS = frozenset({BedStatus.AVAILABLE, BedStatus.OUT_OF_SERVICE})


def can_transition(current: BedStatus, target: BedStatus) -> bool:
    return target in TRANSITIONS[current]


def sources_of(target: BedStatus) -> frozenset[BedStatus]:
    """The statuses a bed may be in to move to ``target``."""
    return frozenset(source for source, targets in TRANSITIONS.items() if target in targets)
