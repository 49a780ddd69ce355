"""The clinical service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from nilecare.kernel.service import ServiceContext, ServiceSpec, TaskWorker
from nilecare.kernel.tasks.queue import Task
from nilecare.services.clinical.api import routers
from nilecare.services.clinical.consumers import CONSUMERS
from nilecare.services.clinical.jobs import FileDispatcher
from nilecare.services.clinical.models import kernel_tables, metadata
from nilecare.services.clinical.service.common import clinical_settings
from nilecare.services.clinical.service.exports import build_record_export
from nilecare.services.clinical.service.files import (
    MORBIDITY_REPORT,
    QUEUES,
    RECORD_EXPORT,
    Builder,
    FileTaskContext,
    run_file_job,
)
from nilecare.services.clinical.service.reports import build_morbidity_report
from nilecare.services.clinical.settings import ClinicalSettings

BUILDERS: dict[str, Builder] = {
    RECORD_EXPORT: build_record_export,
    MORBIDITY_REPORT: build_morbidity_report,
}


def file_tasks(context: ServiceContext) -> FileTaskContext:
    return FileTaskContext(
        context.unit_of_work, context.keyring, clinical_settings(context.settings), BUILDERS
    )


async def run_file_task(context: ServiceContext, task: Task) -> None:
    await run_file_job(file_tasks(context), task)


async def start_file_dispatcher(context: ServiceContext, app: FastAPI) -> None:
    app.state.file_dispatcher = FileDispatcher(context, file_tasks(context))
    app.state.file_dispatcher.start()


async def stop_file_dispatcher(context: ServiceContext, app: FastAPI) -> None:
    await app.state.file_dispatcher.stop()


SERVICE = ServiceSpec(
    name="clinical",
    title="Clinical",
    description=(
        "Patient registry with MRNs, encrypted identifiers and duplicate detection; encounters "
        "with admission and discharge; ICD-10-CM diagnoses, allergies, vital signs and "
        "immunizations; record exports and morbidity reports built by tasks."
    ),
    port=7110,
    prefixes=(
        "patients",
        "encounters",
        "diagnoses",
        "allergies",
        "vital-signs",
        "immunizations",
        "record-exports",
        "morbidity-reports",
    ),
    routers=routers,
    settings_class=ClinicalSettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
    consumers=CONSUMERS,
    tasks=tuple(TaskWorker(queue, run_file_task) for queue in QUEUES.values()),
    on_startup=(start_file_dispatcher,),
    on_shutdown=(stop_file_dispatcher,),
)
