"""Handlers for other services' events, applied once each through the inbox."""

from __future__ import annotations

from nilecare.contracts.facility.events import BedAssigned
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.service import Consumer
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical.service.encounters import note_bed_assigned


async def on_bed_assigned(uow: UnitOfWork, envelope: Envelope) -> None:
    await note_bed_assigned(uow, envelope.payload(BedAssigned))


CONSUMERS = (Consumer(BedAssigned.event_type, "encounter-ward", on_bed_assigned),)
