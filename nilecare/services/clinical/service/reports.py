"""A facility's morbidity report (what a hospital sends the state ministry, or DHIS2, each
month): one CSV of flat rows, ``facility_id, period_from, period_to, section, code, description,
count, patients``.

- section ``diagnosis``: diagnoses recorded at the facility in the period, by ICD-10-CM code
  (refuted and entered-in-error ones left out); ``patients`` counts distinct patients;
- section ``encounter``: encounters started in the period, by class (outpatient, inpatient,
  emergency; cancelled and entered-in-error ones left out).

The period is whole days in Africa/Khartoum, ``from`` and ``to`` included.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nilecare.contracts.clinical.events import MorbidityReportReady
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import repository
from nilecare.services.clinical.models import FileJob
from nilecare.services.clinical.service.files import BuiltFile

REPORT_CONTENT_TYPE = "text/csv; charset=utf-8"
REPORT_ZONE = ZoneInfo("Africa/Khartoum")
COLUMNS = (
    "facility_id",
    "period_from",
    "period_to",
    "section",
    "code",
    "description",
    "count",
    "patients",
)


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in Khartoum time."""
    return (
        datetime.combine(first, time(), REPORT_ZONE),
        datetime.combine(last + timedelta(days=1), time(), REPORT_ZONE),
    )


async def build_morbidity_report(
    uow: UnitOfWork, keyring: Keyring, job: FileJob, expires_at: datetime
) -> BuiltFile:
    first = date.fromisoformat(job.parameters["from"])
    last = date.fromisoformat(job.parameters["to"])
    since, before = period_bounds(first, last)
    diagnoses = await repository.diagnosis_counts(uow.session, job.facility_id, since, before)
    encounters = await repository.encounter_counts(uow.session, job.facility_id, since, before)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    common = (str(job.facility_id), first.isoformat(), last.isoformat())
    for code, display, count, patients in diagnoses:
        writer.writerow((*common, "diagnosis", code, display, count, patients))
    for encounter_class, count, patients in encounters:
        writer.writerow(
            (*common, "encounter", encounter_class, encounter_class.title(), count, patients)
        )
    filename = f"morbidity-{str(job.facility_id)[:8]}-{first:%Y%m%d}-{last:%Y%m%d}.csv"
    return BuiltFile(
        content=out.getvalue(),
        content_type=REPORT_CONTENT_TYPE,
        filename=filename,
        ready=MorbidityReportReady(
            report_id=job.id,
            facility_id=job.facility_id,
            requested_by=job.requested_by,
            period_from=first,
            period_to=last,
            filename=filename,
            expires_at=expires_at,
        ),
    )
