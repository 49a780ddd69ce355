"""The clinical service's files are ready: the requester is told (in-app and push), through the
same request and ``notification.prepare`` task as every other notifying event."""

from __future__ import annotations

from nilecare.contracts.clinical.events import MorbidityReportReady, RecordExportReady
from nilecare.kernel.service import Consumer
from nilecare.services.notification.consumers import record_event

FILE_READY_CONSUMERS: tuple[Consumer, ...] = tuple(
    Consumer(event.event_type, f"notify-{event.event_type}", record_event)
    for event in (RecordExportReady, MorbidityReportReady)
)
