"""The clinical service's files are ready: the requester is told (in-app and push), through the
same request and ``notification.prepare`` task as every other notifying event."""

from __future__ import annotations

from nilecare.contracts.clinical.events import MorbidityReportReady, RecordExportReady
from nilecare.kernel.service import Consumer
from nilecare.services.notification.consumers import notifying

FILE_READY_CONSUMERS: tuple[Consumer, ...] = tuple(
    notifying(event.event_type) for event in (RecordExportReady, MorbidityReportReady)
)
