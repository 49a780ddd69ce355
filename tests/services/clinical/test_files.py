"""Record exports and morbidity reports: asked for over the API, built by a task, downloaded by
the requester; refused to other users, facilities and roles; the task idempotent, retried, then
failed with its reason; lost tasks enqueued again; expired content deleted."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from nilecare.contracts.clinical import permissions as p
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.tasks.queue import InProcessTaskQueue, PermanentTaskError, Task
from nilecare.services.clinical.app import file_tasks
from nilecare.services.clinical.jobs import FileDispatcher
from nilecare.services.clinical.models import FileJob, kernel_tables
from nilecare.services.clinical.service.files import QUEUES, RECORD_EXPORT, run_file_job
from tests.services.clinical.conftest import ALL_CLINICAL, FACILITY_A, FACILITY_B, Clinical

REQUESTER = uuid.uuid4()
EXPORTER = [*ALL_CLINICAL, p.CLINICAL_EXPORT_CREATE]
REPORTER = [p.CLINICAL_REPORT_READ]


def as_user(
    clinical: Clinical,
    permissions: list[str],
    user: uuid.UUID = REQUESTER,
    facility: uuid.UUID = FACILITY_A,
) -> dict[str, str]:
    token = clinical.signer.token(permissions, sub=str(user), facility_ids=[str(facility)])
    return {"authorization": f"Bearer {token}"}


class KeptTasks:
    """Keeps what is enqueued: the test delivers it."""

    def __init__(self) -> None:
        self.tasks: list[Task] = []

    async def enqueue(self, task: Task) -> None:
        self.tasks.append(task)


class BrokerDown:
    async def enqueue(self, task: Task) -> None:
        raise ConnectionError("RabbitMQ is down")


async def built(clinical: Clinical) -> None:
    """Wait until the in-process queue has run every task enqueued so far."""
    tasks = clinical.svc.context.tasks
    assert isinstance(tasks, InProcessTaskQueue)
    await tasks.join()


async def audit_actions(clinical: Clinical) -> list[tuple[str, str | None]]:
    audit = kernel_tables.audit_events
    async with clinical.svc.context.database.session() as session:
        rows = await session.execute(
            select(audit.c.action, audit.c.patient_id).order_by(audit.c.seq)
        )
    return [(r.action, r.patient_id) for r in rows]


async def job_row(clinical: Clinical, job_id: str) -> FileJob:
    async with clinical.svc.context.database.session() as session:
        job = await session.get(FileJob, uuid.UUID(job_id))
        assert job is not None
        return job


async def change_job(clinical: Clinical, job_id: str, **values: Any) -> None:
    async with clinical.svc.context.database.session() as session, session.begin():
        await session.execute(
            update(FileJob).where(FileJob.id == uuid.UUID(job_id)).values(**values)
        )


async def charted_patient(clinical: Clinical) -> dict[str, Any]:
    """A patient with one of each record."""
    headers = clinical.headers([*ALL_CLINICAL, p.CLINICAL_IMMUNIZATION_WRITE])
    patient = await clinical.register()
    pid = patient["id"]
    for path, body in (
        ("/api/v1/diagnoses", {"code": "J45.909"}),
        ("/api/v1/allergies", {"substance": "Penicillin", "allergy_class": "drug"}),
        ("/api/v1/vital-signs", {"heart_rate": 72, "temperature": 37.1}),
        (
            "/api/v1/immunizations",
            {"vaccine_name": "BCG", "occurred_on": "2026-02-01", "dose_number": 1},
        ),
        ("/api/v1/encounters", {"encounter_class": "outpatient", "status": "in_progress"}),
    ):
        answer = await clinical.client.post(path, json={**body, "patient_id": pid}, headers=headers)
        assert answer.status_code == 201, answer.text
    return patient


async def export_of(clinical: Clinical, patient_id: str) -> dict[str, Any]:
    answer = await clinical.client.post(
        f"/api/v1/patients/{patient_id}/exports", headers=as_user(clinical, EXPORTER)
    )
    assert answer.status_code == 202, answer.text
    body: dict[str, Any] = answer.json()
    return body


# --- record exports ----------------------------------------------------------------------------


async def test_an_export_is_built_by_its_task_and_downloaded_with_the_whole_record(
    clinical: Clinical,
) -> None:
    patient = await charted_patient(clinical)
    export = await export_of(clinical, patient["id"])
    assert export["status"] == "queued" and export["patient_id"] == patient["id"]
    assert export["requested_by"] == str(REQUESTER) and export["filename"] is None
    await built(clinical)

    headers = as_user(clinical, EXPORTER)
    status = await clinical.client.get(f"/api/v1/record-exports/{export['id']}", headers=headers)
    assert status.status_code == 200, status.text
    job = status.json()
    assert job["status"] == "ready" and job["error"] is None
    assert job["content_type"] == "application/json"
    assert job["filename"] == f"patient-record-{patient['mrn']}-{utcnow():%Y%m%d}.json"

    answer = await clinical.client.get(
        f"/api/v1/record-exports/{export['id']}/file", headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"] == f'attachment; filename="{job["filename"]}"'
    assert answer.headers["cache-control"] == "no-store"
    assert len(answer.content) == job["size"]
    record = answer.json()
    assert (record["format"], record["version"]) == ("nilecare.patient-record", 1)
    assert record["patient"]["id"] == patient["id"]
    assert record["patient"]["national_id"] == patient["national_id"]
    assert [d["code"] for d in record["diagnoses"]] == ["J45.909"]
    assert [a["substance"] for a in record["allergies"]] == ["Penicillin"]
    assert [v["values"]["heart_rate"] for v in record["vital_signs"]] == [72.0]
    assert [i["vaccine_name"] for i in record["immunizations"]] == ["BCG"]
    assert [e["encounter_class"] for e in record["encounters"]] == ["outpatient"]

    # Sealed at rest: neither the name nor the national id is in the stored content.
    row = await job_row(clinical, export["id"])
    assert row.content_enc is not None
    assert patient["national_id"] not in row.content_enc
    assert patient["given_name_en"] not in row.content_enc
    [event] = await clinical.published_data("clinical.export.ready")
    assert event["export_id"] == export["id"] and event["requested_by"] == str(REQUESTER)
    assert event["mrn"] == patient["mrn"] and event["filename"] == job["filename"]

    actions = await audit_actions(clinical)
    for action in (
        "record_export.create",
        "record_export.build",
        "record_export.read",
        "record_export.download",
    ):
        assert (action, patient["id"]) in actions, action


async def test_only_the_requester_or_a_file_manager_of_the_facility_sees_an_export(
    clinical: Clinical,
) -> None:
    patient = await charted_patient(clinical)
    export = await export_of(clinical, patient["id"])
    await built(clinical)
    paths = (
        f"/api/v1/record-exports/{export['id']}",
        f"/api/v1/record-exports/{export['id']}/file",
    )
    colleague = as_user(clinical, EXPORTER, user=uuid.uuid4())
    elsewhere = as_user(
        clinical, [*EXPORTER, p.CLINICAL_FILE_MANAGE], user=REQUESTER, facility=FACILITY_B
    )
    for path in paths:
        for headers in (colleague, elsewhere):
            answer = await clinical.client.get(path, headers=headers)
            assert answer.status_code == 404, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
    admin = as_user(clinical, [p.CLINICAL_EXPORT_CREATE, p.CLINICAL_FILE_MANAGE], uuid.uuid4())
    for path in paths:
        assert (await clinical.client.get(path, headers=admin)).status_code == 200
    # A user of another facility cannot ask for an export of this facility's patient.
    refused = await clinical.client.post(
        f"/api/v1/patients/{patient['id']}/exports",
        headers=as_user(clinical, EXPORTER, facility=FACILITY_B),
    )
    assert refused.status_code == 404
    denied = [a for a in await audit_actions(clinical) if a[0] == "access.not_found"]
    assert ("access.not_found", patient["id"]) in denied


async def test_a_patients_exports_are_listed_newest_first_to_who_may_see_them(
    clinical: Clinical,
) -> None:
    patient = await charted_patient(clinical)
    first = await export_of(clinical, patient["id"])
    second = await export_of(clinical, patient["id"])
    colleague = uuid.uuid4()
    theirs = await clinical.client.post(
        f"/api/v1/patients/{patient['id']}/exports", headers=as_user(clinical, EXPORTER, colleague)
    )
    await built(clinical)
    path = f"/api/v1/patients/{patient['id']}/exports"

    mine = await clinical.client.get(path, headers=as_user(clinical, EXPORTER))
    assert mine.status_code == 200, mine.text
    assert [e["id"] for e in mine.json()] == [second["id"], first["id"]]
    assert {e["status"] for e in mine.json()} == {"ready"}
    assert all(e["filename"] and e["size"] for e in mine.json())
    manager = as_user(clinical, [p.CLINICAL_EXPORT_CREATE, p.CLINICAL_FILE_MANAGE], uuid.uuid4())
    everyone = await clinical.client.get(path, headers=manager)
    assert {e["id"] for e in everyone.json()} == {first["id"], second["id"], theirs.json()["id"]}
    latest = await clinical.client.get(f"{path}?limit=1", headers=manager)
    assert [e["id"] for e in latest.json()] == [theirs.json()["id"]]
    elsewhere = as_user(clinical, [*EXPORTER, p.CLINICAL_FILE_MANAGE], facility=FACILITY_B)
    assert (await clinical.client.get(path, headers=elsewhere)).status_code == 404
    no_role = await clinical.client.get(path, headers=clinical.headers())
    assert no_role.status_code == 403
    bad = await clinical.client.get(f"{path}?limit=0", headers=manager)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    listed = [a for a in await audit_actions(clinical) if a[0] == "record_export.list"]
    assert listed == [("record_export.list", patient["id"])] * 3


async def test_morbidity_reports_are_listed_by_facility_to_who_may_see_them(
    clinical: Clinical,
) -> None:
    reporter = as_user(clinical, REPORTER)
    made = await clinical.client.post(
        "/api/v1/morbidity-reports", json=report_body(), headers=reporter
    )
    assert made.status_code == 202, made.text
    await built(clinical)

    for query in ("", f"?facility_id={FACILITY_A}"):
        listed = await clinical.client.get(f"/api/v1/morbidity-reports{query}", headers=reporter)
        assert [r["id"] for r in listed.json()] == [made.json()["id"]]
        assert listed.json()[0]["status"] == "ready"
    colleague = as_user(clinical, REPORTER, uuid.uuid4())
    assert (await clinical.client.get("/api/v1/morbidity-reports", headers=colleague)).json() == []
    other = await clinical.client.get(
        f"/api/v1/morbidity-reports?facility_id={FACILITY_B}", headers=reporter
    )
    assert other.status_code == 403
    elsewhere = as_user(clinical, [*REPORTER, p.CLINICAL_FILE_MANAGE], facility=FACILITY_B)
    assert (await clinical.client.get("/api/v1/morbidity-reports", headers=elsewhere)).json() == []


async def test_a_role_without_the_export_permission_is_refused(clinical: Clinical) -> None:
    patient = await clinical.register()
    export = await export_of(clinical, patient["id"])
    reader = as_user(clinical, ALL_CLINICAL)
    for method, path in (
        ("POST", f"/api/v1/patients/{patient['id']}/exports"),
        ("GET", f"/api/v1/record-exports/{export['id']}"),
        ("GET", f"/api/v1/record-exports/{export['id']}/file"),
    ):
        answer = await clinical.client.request(method, path, headers=reader)
        assert answer.status_code == 403, (path, answer.text)
    await built(clinical)


async def test_an_unknown_patient_or_a_malformed_id_is_a_problem_not_a_crash(
    clinical: Clinical,
) -> None:
    headers = as_user(clinical, EXPORTER)
    missing = await clinical.client.post(
        f"/api/v1/patients/{uuid.uuid4()}/exports", headers=headers
    )
    assert missing.status_code == 404
    for path in ("/api/v1/patients/nope/exports", "/api/v1/record-exports/nope"):
        method = "POST" if path.endswith("exports") else "GET"
        answer = await clinical.client.request(method, path, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"


async def test_a_redelivered_task_does_not_build_the_file_twice(clinical: Clinical) -> None:
    patient = await clinical.register()
    context = clinical.svc.context
    # The task is delivered by hand here: the service's own queue would run it at once.
    kept = KeptTasks()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context, "tasks", kept)
        export = await export_of(clinical, patient["id"])
    [task] = kept.tasks
    run = file_tasks(context)
    await run_file_job(run, task)
    first = await job_row(clinical, export["id"])
    await run_file_job(run, task)  # the broker delivers it again (a lost ack)
    await run_file_job(run, Task(name=task.name, payload=task.payload))  # and the dispatcher
    again = await job_row(clinical, export["id"])
    assert again.status == "ready" and again.attempts == 1
    assert again.content_enc == first.content_enc and again.finished_at == first.finished_at
    builds = [a for a in await audit_actions(clinical) if a[0] == "record_export.build"]
    assert len(builds) == 1
    assert len(await clinical.published_data("clinical.export.ready")) == 1


async def test_a_build_that_keeps_failing_marks_the_job_failed_with_its_reason(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    export = await export_of(clinical, patient["id"])
    await built(clinical)
    await change_job(clinical, export["id"], status="queued", attempts=0)

    async def broken(*args: Any) -> Any:
        raise RuntimeError("the disk is full")

    run = file_tasks(clinical.svc.context)
    run = dataclasses.replace(run, builders={**run.builders, RECORD_EXPORT: broken})
    task = Task(name=QUEUES[RECORD_EXPORT], payload={"id": export["id"]})
    for attempt in range(1, run.settings.file_job_max_attempts):
        with pytest.raises(RuntimeError):  # the queue retries it with backoff
            await run_file_job(run, task.model_copy(update={"attempt": attempt - 1}))
        row = await job_row(clinical, export["id"])
        assert (row.status, row.attempts) == ("running", attempt)
    await run_file_job(run, task)  # the last attempt ends the job
    status = await clinical.client.get(
        f"/api/v1/record-exports/{export['id']}", headers=as_user(clinical, EXPORTER)
    )
    job = status.json()
    assert job["status"] == "failed"
    # The reason, without the exception's text (it may quote data).
    attempts = run.settings.file_job_max_attempts
    assert job["error"] == f"Building the file failed after {attempts} attempt(s) (RuntimeError)"
    download = await clinical.client.get(
        f"/api/v1/record-exports/{export['id']}/file", headers=as_user(clinical, EXPORTER)
    )
    assert download.status_code == 409
    assert ("record_export.fail", patient["id"]) in await audit_actions(clinical)


async def test_a_build_that_can_never_succeed_fails_at_once(clinical: Clinical) -> None:
    patient = await clinical.register()
    export = await export_of(clinical, patient["id"])
    await built(clinical)
    await change_job(clinical, export["id"], status="queued", attempts=0)

    async def impossible(*args: Any) -> Any:
        raise PermanentTaskError("The patient is no longer in this facility's registry")

    run = file_tasks(clinical.svc.context)
    run = dataclasses.replace(run, builders={**run.builders, RECORD_EXPORT: impossible})
    await run_file_job(run, Task(name=QUEUES[RECORD_EXPORT], payload={"id": export["id"]}))
    row = await job_row(clinical, export["id"])
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.error == "The patient is no longer in this facility's registry"


async def test_a_job_whose_task_was_lost_is_enqueued_again_by_the_dispatcher(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    context = clinical.svc.context
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context, "tasks", BrokerDown())
        export = await export_of(clinical, patient["id"])  # stored, so still accepted
    dispatcher = FileDispatcher(context, file_tasks(context))
    assert await dispatcher.dispatch_once() == 0  # not lost yet: within the job timeout
    timeout = file_tasks(context).settings.file_job_timeout
    await change_job(clinical, export["id"], claimed_at=utcnow() - timeout - timedelta(seconds=1))
    assert await dispatcher.dispatch_once() == 1
    await built(clinical)
    assert (await job_row(clinical, export["id"])).status == "ready"


async def test_a_lost_job_out_of_attempts_is_failed_by_the_dispatcher(clinical: Clinical) -> None:
    patient = await clinical.register()
    context = clinical.svc.context
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context, "tasks", BrokerDown())
        export = await export_of(clinical, patient["id"])
    run = file_tasks(context)
    attempts = run.settings.file_job_max_attempts
    lost_at = utcnow() - run.settings.file_job_timeout - timedelta(seconds=1)
    await change_job(
        clinical, export["id"], status="running", attempts=attempts, claimed_at=lost_at
    )
    assert await FileDispatcher(context, run).dispatch_once() == 0
    row = await job_row(clinical, export["id"])
    assert (row.status, row.error) == ("failed", f"Gave up after {attempts} attempts")


async def test_an_expired_file_is_deleted_and_no_longer_downloaded(clinical: Clinical) -> None:
    patient = await clinical.register()
    first = await export_of(clinical, patient["id"])
    second = await export_of(clinical, patient["id"])
    await built(clinical)
    past = utcnow() - timedelta(seconds=1)
    for export in (first, second):
        await change_job(clinical, export["id"], expires_at=past)
    headers = as_user(clinical, EXPORTER)
    # On access ...
    gone = await clinical.client.get(f"/api/v1/record-exports/{first['id']}/file", headers=headers)
    assert gone.status_code == 410 and gone.json()["type"].endswith("/file-expired")
    row = await job_row(clinical, first["id"])
    assert (row.status, row.content_enc) == ("expired", None)
    # ... or by the dispatcher's sweep, whichever comes first.
    context = clinical.svc.context
    await FileDispatcher(context, file_tasks(context)).dispatch_once()
    row = await job_row(clinical, second["id"])
    assert (row.status, row.content_enc) == ("expired", None)
    status = await clinical.client.get(f"/api/v1/record-exports/{second['id']}", headers=headers)
    assert status.json()["status"] == "expired"


# --- morbidity reports -------------------------------------------------------------------------


def report_body(**overrides: Any) -> dict[str, Any]:
    today = utcnow().date()
    body = {
        "facility_id": str(FACILITY_A),
        "from": (today - timedelta(days=30)).isoformat(),
        "to": (today + timedelta(days=1)).isoformat(),
    }
    return {**body, **overrides}


async def test_a_morbidity_report_counts_diagnoses_by_code_and_encounters_by_class(
    clinical: Clinical,
) -> None:
    headers = clinical.headers()
    first, second = await clinical.register(), await clinical.register()
    for patient, code, verification in (
        (first, "J45.909", "confirmed"),
        (first, "J45.909", "confirmed"),
        (second, "J45.909", "provisional"),
        (second, "I10", "confirmed"),
        (second, "E11.9", "refuted"),
    ):
        body = {"patient_id": patient["id"], "code": code, "verification_status": verification}
        assert (
            await clinical.client.post("/api/v1/diagnoses", json=body, headers=headers)
        ).is_success
    for patient, encounter_class in ((first, "outpatient"), (second, "outpatient")):
        body = {"patient_id": patient["id"], "encounter_class": encounter_class}
        body["status"] = "in_progress"
        assert (
            await clinical.client.post("/api/v1/encounters", json=body, headers=headers)
        ).is_success

    reporter = as_user(clinical, REPORTER)
    answer = await clinical.client.post(
        "/api/v1/morbidity-reports", json=report_body(), headers=reporter
    )
    assert answer.status_code == 202, answer.text
    report = answer.json()
    assert report["status"] == "queued" and report["facility_id"] == str(FACILITY_A)
    assert "patient_id" not in report
    await built(clinical)
    status = await clinical.client.get(
        f"/api/v1/morbidity-reports/{report['id']}", headers=reporter
    )
    assert status.json()["status"] == "ready"
    assert status.json()["content_type"] == "text/csv; charset=utf-8"
    csv_file = await clinical.client.get(
        f"/api/v1/morbidity-reports/{report['id']}/file", headers=reporter
    )
    assert csv_file.status_code == 200
    assert csv_file.headers["content-disposition"].startswith('attachment; filename="morbidity-')
    rows = list(csv.DictReader(io.StringIO(csv_file.text)))
    figures = {(r["section"], r["code"]): (int(r["count"]), int(r["patients"])) for r in rows}
    assert figures == {
        ("diagnosis", "I10"): (1, 1),
        ("diagnosis", "J45.909"): (3, 2),
        ("encounter", "outpatient"): (2, 2),
    }
    assert {r["period_from"] for r in rows} == {report_body()["from"]}
    assert {r["facility_id"] for r in rows} == {str(FACILITY_A)}
    [event] = await clinical.published_data("clinical.report.ready")
    assert event["report_id"] == report["id"] and event["requested_by"] == str(REQUESTER)
    actions = [a for a, _ in await audit_actions(clinical)]
    for action in ("morbidity_report.create", "morbidity_report.build", "morbidity_report.read"):
        assert action in actions


async def test_a_report_outside_the_callers_facilities_or_role_is_refused(
    clinical: Clinical,
) -> None:
    reporter = as_user(clinical, REPORTER)
    other = await clinical.client.post(
        "/api/v1/morbidity-reports", json=report_body(facility_id=str(FACILITY_B)), headers=reporter
    )
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"
    no_role = await clinical.client.post(
        "/api/v1/morbidity-reports", json=report_body(), headers=clinical.headers()
    )
    assert no_role.status_code == 403
    mine = await clinical.client.post(
        "/api/v1/morbidity-reports", json=report_body(), headers=reporter
    )
    await built(clinical)
    elsewhere = as_user(clinical, REPORTER, facility=FACILITY_B)
    hidden = await clinical.client.get(
        f"/api/v1/morbidity-reports/{mine.json()['id']}", headers=elsewhere
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from must not be after to"),
        ({"from": "2025-01-01", "to": "2026-03-01"}, "a report covers at most 366 days"),
        ({"from": "March"}, '"field": "from"'),
        ({"facility_id": "x"}, '"field": "facility_id"'),
        ({"extra": 1}, '"field": "extra"'),
    ],
)
async def test_a_bad_report_request_is_a_422_problem(
    clinical: Clinical, overrides: dict[str, Any], said: str
) -> None:
    answer = await clinical.client.post(
        "/api/v1/morbidity-reports",
        json=report_body(**overrides),
        headers=as_user(clinical, REPORTER),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert said in json.dumps(problem), problem
