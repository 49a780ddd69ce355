"""Files built by tasks: a patient's record export and a facility's morbidity report.

A request writes the job row (``queued``) and its audit row in one transaction, and enqueues the
job's task only after that commit; a task lost on the way (the process died, the broker refused)
is enqueued again by the dispatcher once the job's claim is older than ``file_job_timeout``.
The task (``run_file_job``) is safe to deliver twice: it acts only on an unfinished job, counts
its attempt with a compare-and-set before building, and claims the task (``claim_task``) in the
transaction that stores the file, which also publishes the ``*.ready`` event through the outbox.
A failed attempt is retried with backoff until ``file_job_max_attempts``, then the job is marked
failed with the reason. A ready file's content is sealed with the service's keyring and deleted
when ``file_retention`` is over (by the dispatcher's sweep, or on access, whichever comes first).

Only the requester, or a holder of ``clinical.file.manage`` in the job's facility, sees a job; to
anyone else it does not exist (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

from nilecare.contracts.clinical.permissions import CLINICAL_FILE_MANAGE
from nilecare.contracts.clinical.schemas import (
    FileStatus,
    MorbidityReportCreate,
    MorbidityReportRead,
    RecordExportRead,
)
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.errors import Conflict, Forbidden, NotFound, Problem
from nilecare.kernel.events.envelope import Event
from nilecare.kernel.tasks.dispatch import enqueue_rows
from nilecare.kernel.tasks.idempotence import claim_task
from nilecare.kernel.tasks.queue import PermanentTaskError, Task, TaskQueue
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import repository
from nilecare.services.clinical.models import FileJob
from nilecare.services.clinical.service.common import actor_id, load_patient, scope_of
from nilecare.services.clinical.settings import ClinicalSettings

log = structlog.get_logger("nilecare.clinical.files")

RECORD_EXPORT = "record_export"
MORBIDITY_REPORT = "morbidity_report"
# The task queue of each kind of file: exports do not wait behind a year's report.
QUEUES = {RECORD_EXPORT: "clinical.export", MORBIDITY_REPORT: "clinical.report"}


@dataclass(frozen=True)
class BuiltFile:
    content: str
    content_type: str
    filename: str
    # Published with the stored file (the requester is told it is ready).
    ready: Event


# Builds a job's file in the given unit of work (which reads as the service): (uow, keyring,
# job, expires_at) -> the file. PermanentTaskError: it never can be.
Builder = Callable[[UnitOfWork, Keyring, FileJob, datetime], Awaitable[BuiltFile]]


def _seal_aad(job_id: uuid.UUID) -> bytes:
    return f"file_job:{job_id}:content".encode()


def _enqueued_job(
    uow: UnitOfWork,
    kind: str,
    facility_id: uuid.UUID,
    parameters: dict[str, Any],
    patient_id: uuid.UUID | None = None,
) -> FileJob:
    requester = actor_id(uow.principal)
    if requester is None:
        raise Forbidden("Only a signed-in user can ask for a file")
    now = utcnow()
    job = FileJob(
        id=uuid.uuid4(),
        kind=kind,
        facility_id=facility_id,
        patient_id=patient_id,
        requested_by=requester,
        parameters=parameters,
        status=FileStatus.QUEUED.value,
        attempts=0,
        created_at=now,
        # Claimed for the enqueue that follows the commit: the dispatcher leaves it alone
        # until the job timeout, then takes it as lost.
        claimed_at=now,
    )
    uow.session.add(job)
    return job


async def _enqueue_after_commit(tasks: TaskQueue, job: FileJob) -> None:
    try:
        await enqueue_rows(tasks, QUEUES[job.kind], [job.id])
    except Exception as error:  # the job is stored: the dispatcher enqueues it later
        log.warning("file_job_enqueue_failed", job_id=str(job.id), error=type(error).__name__)


def export_read(job: FileJob) -> RecordExportRead:
    assert job.patient_id is not None  # every record export names its patient
    return RecordExportRead(patient_id=job.patient_id, **_common(job))


def report_read(job: FileJob) -> MorbidityReportRead:
    return MorbidityReportRead(
        period_from=job.parameters["from"], period_to=job.parameters["to"], **_common(job)
    )


def _common(job: FileJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "facility_id": job.facility_id,
        "requested_by": job.requested_by,
        "status": FileStatus(job.status),
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "content_type": job.content_type,
        "filename": job.filename,
        "size": job.size,
    }


# --- requests ----------------------------------------------------------------------------------


async def request_export(
    uow: UnitOfWork, tasks: TaskQueue, patient_id: uuid.UUID
) -> RecordExportRead:
    patient = await load_patient(uow, patient_id)
    job = _enqueued_job(uow, RECORD_EXPORT, patient.facility_id, {}, patient_id=patient.id)
    uow.audit(
        "record_export.create",
        RECORD_EXPORT,
        job.id,
        patient_id=patient.id,
        facility_id=patient.facility_id,
    )
    await uow.commit()
    await _enqueue_after_commit(tasks, job)
    return export_read(job)


async def request_report(
    uow: UnitOfWork, tasks: TaskQueue, data: MorbidityReportCreate
) -> MorbidityReportRead:
    if not scope_of(uow).allows(data.facility_id):
        raise Forbidden("You may not report on this facility")
    parameters = {"from": data.period_from.isoformat(), "to": data.period_to.isoformat()}
    job = _enqueued_job(uow, MORBIDITY_REPORT, data.facility_id, parameters)
    uow.audit(
        "morbidity_report.create",
        MORBIDITY_REPORT,
        job.id,
        facility_id=data.facility_id,
        details=parameters,
    )
    await uow.commit()
    await _enqueue_after_commit(tasks, job)
    return report_read(job)


# --- status and download ---------------------------------------------------------------------


async def _visible_job(uow: UnitOfWork, kind: str, job_id: uuid.UUID) -> FileJob:
    """The caller's job (or any of the facility's, with ``clinical.file.manage``), its content
    deleted first when its retention is over."""
    job = await repository.get_file_job(uow.session, scope_of(uow), kind, job_id)
    principal = uow.principal
    if (
        job is None
        or principal is None
        or not (job.requested_by == principal.user_id or principal.has(CLINICAL_FILE_MANAGE))
    ):
        raise NotFound("No such file")
    _expire_if_due(job)
    return job


def _expire_if_due(job: FileJob) -> None:
    if job.status == FileStatus.READY.value and job.expires_at and job.expires_at <= utcnow():
        job.status, job.content_enc = FileStatus.EXPIRED.value, None


async def _list_jobs(
    uow: UnitOfWork, kind: str, limit: int, **where: uuid.UUID | None
) -> Sequence[FileJob]:
    """The caller's jobs of ``kind`` matching ``where`` (any of the facility's, with
    ``clinical.file.manage``), newest first, those past their retention expired on the way."""
    principal = uow.principal
    assert principal is not None  # the routes require a permission
    mine = None if principal.has(CLINICAL_FILE_MANAGE) else principal.user_id
    jobs = await repository.list_file_jobs(
        uow.session, scope_of(uow), kind, requested_by=mine, limit=limit, **where
    )
    for job in jobs:
        _expire_if_due(job)
    return jobs


async def list_exports(
    uow: UnitOfWork, patient_id: uuid.UUID, limit: int
) -> list[RecordExportRead]:
    patient = await load_patient(uow, patient_id)
    jobs = await _list_jobs(uow, RECORD_EXPORT, limit, patient_id=patient.id)
    uow.audit(
        f"{RECORD_EXPORT}.list",
        RECORD_EXPORT,
        patient_id=patient.id,
        facility_id=patient.facility_id,
    )
    await uow.commit()
    return [export_read(job) for job in jobs]


async def list_reports(
    uow: UnitOfWork, facility_id: uuid.UUID | None, limit: int
) -> list[MorbidityReportRead]:
    if facility_id is not None and not scope_of(uow).allows(facility_id):
        raise Forbidden("You may not see this facility's reports")
    jobs = await _list_jobs(uow, MORBIDITY_REPORT, limit, facility_id=facility_id)
    uow.audit(f"{MORBIDITY_REPORT}.list", MORBIDITY_REPORT, facility_id=facility_id)
    await uow.commit()
    return [report_read(job) for job in jobs]


async def _read_job(uow: UnitOfWork, kind: str, job_id: uuid.UUID) -> FileJob:
    job = await _visible_job(uow, kind, job_id)
    uow.audit(f"{kind}.read", kind, job.id, patient_id=job.patient_id, facility_id=job.facility_id)
    await uow.commit()
    return job


async def get_export(uow: UnitOfWork, export_id: uuid.UUID) -> RecordExportRead:
    return export_read(await _read_job(uow, RECORD_EXPORT, export_id))


async def get_report(uow: UnitOfWork, report_id: uuid.UUID) -> MorbidityReportRead:
    return report_read(await _read_job(uow, MORBIDITY_REPORT, report_id))


@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str


async def download_file(
    uow: UnitOfWork, keyring: Keyring, kind: str, job_id: uuid.UUID
) -> Download:
    job = await _visible_job(uow, kind, job_id)
    if job.status == FileStatus.EXPIRED.value:
        await uow.commit()  # the content deletion found on access
        raise Problem(
            "The file was deleted when its retention time was over; ask for a new one",
            status=410,
            slug="file-expired",
            title="Gone",
        )
    if job.status != FileStatus.READY.value or job.content_enc is None:
        raise Conflict(f"The file is not ready (status {job.status})", slug="file-not-ready")
    content = keyring.decrypt(job.content_enc, _seal_aad(job.id))
    uow.audit(
        f"{kind}.download",
        kind,
        job.id,
        patient_id=job.patient_id,
        facility_id=job.facility_id,
        details={"size": job.size},
    )
    await uow.commit()
    assert job.content_type is not None and job.filename is not None  # set with the content
    return Download(content.encode(), job.content_type, job.filename)


# --- the task ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileTaskContext:
    """What the task needs of the running service."""

    unit_of_work: Callable[[], UnitOfWork]
    keyring: Keyring
    settings: ClinicalSettings
    builders: dict[str, Builder]


def _failure(error: Exception, attempts: int) -> str:
    # Own messages (PermanentTaskError) are shown; others may quote data, so only their type.
    if isinstance(error, PermanentTaskError):
        return str(error)[:500]
    return f"Building the file failed after {attempts} attempt(s) ({type(error).__name__})"


def _fail(uow: UnitOfWork, job: FileJob, error: str) -> None:
    job.status, job.error, job.finished_at = FileStatus.FAILED.value, error, utcnow()
    uow.audit(
        f"{job.kind}.fail",
        job.kind,
        job.id,
        outcome="failure",
        patient_id=job.patient_id,
        facility_id=job.facility_id,
        details={"error": error},
    )


async def _mark_failed(run: FileTaskContext, job_id: uuid.UUID, error: str) -> None:
    async with run.unit_of_work() as uow:
        job = await repository.active_file_job(uow.session, job_id)
        if job is not None:
            _fail(uow, job, error)
            await uow.commit()


async def _start_attempt(run: FileTaskContext, job_id: uuid.UUID) -> int | None:
    """The number of the attempt this task makes, or None when there is nothing to do."""
    async with run.unit_of_work() as uow:
        job = await repository.active_file_job(uow.session, job_id)
        if job is None:
            return None
        seen = job.attempts
        if seen >= run.settings.file_job_max_attempts:
            _fail(uow, job, f"Gave up after {seen} attempts")
            await uow.commit()
            return None
        if not await repository.take_file_attempt(uow.session, job_id, seen, utcnow()):
            return None
        await uow.commit()
    return seen + 1


async def run_file_job(run: FileTaskContext, task: Task) -> None:
    job_id = uuid.UUID(str(task.payload["id"]))
    attempt = await _start_attempt(run, job_id)
    if attempt is None:
        return
    try:
        await _build_and_store(run, task, job_id, attempt)
    except Exception as error:
        permanent = isinstance(error, PermanentTaskError)
        final = permanent or attempt >= run.settings.file_job_max_attempts
        log.warning(
            "file_job_attempt_failed",
            job_id=str(job_id),
            attempt=attempt,
            final=final,
            error=type(error).__name__,
        )
        if not final:
            raise
        await _mark_failed(run, job_id, _failure(error, attempt))


async def _build_and_store(
    run: FileTaskContext, task: Task, job_id: uuid.UUID, attempt: int
) -> None:
    async with run.unit_of_work() as uow:
        job = await repository.active_file_job(uow.session, job_id)
        # Gone, or a newer attempt (a lost task enqueued again) has taken over.
        if job is None or job.attempts != attempt:
            return
        now = utcnow()
        expires_at = now + run.settings.file_retention
        built = await run.builders[job.kind](uow, run.keyring, job, expires_at)
        if not await claim_task(uow, task):
            return
        data = built.content
        job.status, job.error = FileStatus.READY.value, None
        job.content_enc = run.keyring.encrypt(data, _seal_aad(job.id))
        job.content_type, job.filename = built.content_type, built.filename
        job.size = len(data.encode())
        job.finished_at, job.expires_at = now, expires_at
        uow.publish(built.ready, facility_id=job.facility_id)
        uow.audit(
            f"{job.kind}.build",
            job.kind,
            job.id,
            patient_id=job.patient_id,
            facility_id=job.facility_id,
            details={"requested_by": str(job.requested_by), "size": job.size},
        )
        await uow.commit()


# --- the dispatcher's round --------------------------------------------------------------------


async def requeue_lost_jobs(
    run: FileTaskContext, tasks: TaskQueue, *, skip_locked: bool, limit: int = 100
) -> int:
    """Enqueue again the jobs whose task was lost, fail those out of attempts, and delete the
    content of expired files; returns how many tasks were enqueued."""
    now = utcnow()
    settings = run.settings
    claimed: list[tuple[str, uuid.UUID]] = []
    async with run.unit_of_work() as uow:
        await repository.expire_files(uow.session, now)
        for job in await repository.claim_lost_file_jobs(
            uow.session,
            stuck_before=now - settings.file_job_timeout,
            limit=limit,
            skip_locked=skip_locked,
        ):
            if job.attempts >= settings.file_job_max_attempts:
                _fail(uow, job, f"Gave up after {job.attempts} attempts")
            else:
                job.claimed_at = now
                claimed.append((job.kind, job.id))
        await uow.commit()
    for kind, job_id in claimed:
        await enqueue_rows(tasks, QUEUES[kind], [job_id])
    return len(claimed)
