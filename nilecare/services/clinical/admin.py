"""Demo data: Sudanese patients (Arabic and English names, +249 phones, every other one an
e-mail address, states) with finished encounters, diagnoses, allergies and vital signs, and some
of them in hospital now (an inpatient encounter holding a bed). Idempotent: each demo patient has
a seed key."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nilecare.contracts.clinical.schemas import (
    ICD10_CM_SYSTEM,
    SUDAN_STATES,
    VITAL_UNITS,
    Address,
    EmergencyContact,
    Language,
    PatientCreate,
    Sex,
)
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.service import ServiceContext
from nilecare.services.clinical import domain, repository
from nilecare.services.clinical.models import Allergy, Diagnosis, Encounter, Patient, VitalSigns
from nilecare.services.clinical.service.patients import mrn_prefix, new_patient
from nilecare.services.clinical.settings import ClinicalSettings

GIVEN = [
    ("Mohamed", "محمد", Sex.MALE),
    ("Ahmed", "أحمد", Sex.MALE),
    ("Osman", "عثمان", Sex.MALE),
    ("Omer", "عمر", Sex.MALE),
    ("Hassan", "حسن", Sex.MALE),
    ("Ibrahim", "إبراهيم", Sex.MALE),
    ("Fatima", "فاطمة", Sex.FEMALE),
    ("Amna", "آمنة", Sex.FEMALE),
    ("Mariam", "مريم", Sex.FEMALE),
    ("Khadija", "خديجة", Sex.FEMALE),
    ("Hawa", "حواء", Sex.FEMALE),
    ("Sara", "سارة", Sex.FEMALE),
]
FAMILY = [
    ("Elamin", "الأمين"),
    ("Abdelrahman", "عبد الرحمن"),
    ("Elhassan", "الحسن"),
    ("Babiker", "بابكر"),
    ("Elsheikh", "الشيخ"),
    ("Mustafa", "مصطفى"),
    ("Idris", "إدريس"),
    ("Yousif", "يوسف"),
    ("Adam", "آدم"),
    ("Ali", "علي"),
]
LOCALITIES = ["Bahri", "Omdurman", "Wad Madani", "Port Sudan", "Kassala", "El Obeid", "Nyala"]
DIAGNOSES = ["I10", "E11.9", "B54", "J18.9", "A01.00", "D50.9", "N39.0", "K29.70", "J45.909"]
ALLERGIES = [
    ("Penicillin", "drug", "rash", "moderate", "high"),
    ("Sulfonamide", "drug", "hives", "mild", "low"),
    ("Peanut", "food", "swelling", "severe", "high"),
    ("Dust", "environment", "sneezing", "mild", "low"),
]


def _demo_patient(index: int, facility_id: uuid.UUID) -> PatientCreate:
    given_en, given_ar, sex = GIVEN[index % len(GIVEN)]
    family_en, family_ar = FAMILY[(index // len(GIVEN)) % len(FAMILY)]
    state = SUDAN_STATES[index % len(SUDAN_STATES)]
    return PatientCreate(
        facility_id=facility_id,
        given_name_en=given_en,
        family_name_en=family_en,
        given_name_ar=given_ar,
        family_name_ar=family_ar,
        sex=sex,
        birth_date=date(1950, 1, 1) + timedelta(days=(index * 523) % 25_000),
        national_id=f"{20_000_000_000 + index * 7919:011d}",
        phone=f"+2499{index:08d}",
        # Every other demo patient has an e-mail (reminders and receipts by e-mail), the rest SMS.
        email=None if index % 2 else f"{given_en}.{family_en}.{index}@example.com".lower(),
        address=Address(state=state, locality=LOCALITIES[index % len(LOCALITIES)]),
        emergency_contact=EmergencyContact(
            name=f"{GIVEN[(index + 3) % len(GIVEN)][0]} {family_en}",
            relation="sibling",
            phone=f"+2491{index:08d}",
        ),
        preferred_language=Language.AR if index % 3 else Language.EN,
        confirm_new=True,
    )


@dataclass(frozen=True)
class DemoAdmission:
    """A demo patient in hospital now: the facility service must hold the bed for them."""

    bed_id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID


async def seed_demo(
    context: ServiceContext,
    facility_beds: Mapping[uuid.UUID, Sequence[uuid.UUID]],
    patients: int = 200,
    admit_to: Mapping[uuid.UUID, Sequence[uuid.UUID]] | None = None,
) -> int:
    """Create up to ``patients`` demo patients spread over the facilities; returns how many were
    new. Historical inpatient stays name a bed of their facility but hold none (finished); each
    bed of ``admit_to`` (per facility) gets a new patient admitted to it now."""
    settings = context.settings
    assert isinstance(settings, ClinicalSettings)
    facilities = sorted(facility_beds, key=str)
    if not facilities:
        return 0
    free_beds = {facility: list(beds) for facility, beds in (admit_to or {}).items()}
    created = 0
    now = utcnow()
    async with context.unit_of_work() as uow:
        existing = set(
            await uow.session.scalars(select(Patient.seed_key).where(Patient.seed_key.isnot(None)))
        )
        for index in range(patients):
            facility_id = facilities[index % len(facilities)]
            key = f"demo-{index}"
            if key in existing:
                continue
            data = _demo_patient(index, facility_id)
            patient = new_patient(context.keyring, context.hasher, data)
            patient.seed_key = key
            number = await repository.next_mrn_number(uow.session, facility_id)
            patient.mrn = f"{mrn_prefix(settings, facility_id)}-{number:06d}"
            uow.session.add(patient)
            _history(uow.session, patient, index, facility_beds.get(facility_id, ()), now)
            if (index // len(facilities)) % 2 and free_beds.get(facility_id):
                _admission(uow.session, patient, index, free_beds[facility_id].pop(0), now)
            uow.audit(
                "patient.seed",
                "patient",
                patient.id,
                patient_id=patient.id,
                facility_id=facility_id,
            )
            created += 1
        await uow.commit()
    return created


async def current_admissions(context: ServiceContext) -> list[DemoAdmission]:
    """The demo patients in hospital now, with their beds (for the facility service's seed)."""
    async with context.database.session() as session:
        rows = await session.execute(
            select(Encounter.bed_id, Encounter.patient_id, Encounter.id)
            .join(Patient, Patient.id == Encounter.patient_id)
            .where(Encounter.holds_bed.is_(True), Patient.seed_key.isnot(None))
        )
        return [
            DemoAdmission(bed, patient, encounter)
            for bed, patient, encounter in rows
            if bed is not None
        ]


def _admission(
    session: AsyncSession, patient: Patient, index: int, bed_id: uuid.UUID, now: datetime
) -> None:
    """Admitted a few days ago, with a reading every 8 hours since; every third one's latest
    reading is critical (a fever and a fast heart), so the chart and ward show one."""
    start = now - timedelta(days=1 + index % 4, hours=index % 8)
    encounter = Encounter(
        id=uuid.uuid4(),
        patient_id=patient.id,
        facility_id=patient.facility_id,
        encounter_class="inpatient",
        status="in_progress",
        reason="Demo admission",
        bed_id=bed_id,
        holds_bed=True,
        started_at=start,
        created_at=start,
        updated_at=start,
    )
    session.add(encounter)
    readings = int((now - start) / timedelta(hours=8))
    for reading in range(readings + 1):
        last = reading == readings
        values = {
            "heart_rate": 158.0 if last and index % 3 == 0 else 78.0 + (index + reading) % 20,
            "systolic_bp": 112.0 + (index + reading * 3) % 25,
            "diastolic_bp": 70.0 + (index + reading) % 15,
            "spo2": 95.0 + (index + reading) % 4,
            "temperature": 39.6 if last and index % 3 == 0 else 36.6 + (reading % 6) / 10,
            "respiratory_rate": 14.0 + (index + reading) % 6,
        }
        _add_vitals(session, encounter, start + timedelta(hours=8 * reading), values)


def _history(
    session: AsyncSession, patient: Patient, index: int, beds: Sequence[uuid.UUID], now: datetime
) -> None:
    add = session.add
    inpatient = bool(beds) and index % 5 == 0
    start = now - timedelta(days=30 + index % 300, hours=index % 24)
    end = start + (timedelta(days=3 + index % 5) if inpatient else timedelta(hours=2))
    encounter = Encounter(
        id=uuid.uuid4(),
        patient_id=patient.id,
        facility_id=patient.facility_id,
        encounter_class="inpatient" if inpatient else "outpatient",
        status="finished",
        reason="Demo visit",
        bed_id=beds[index % len(beds)] if inpatient else None,
        holds_bed=False,
        started_at=start,
        ended_at=end,
        created_at=start,
        updated_at=end,
    )
    add(encounter)
    code = DIAGNOSES[index % len(DIAGNOSES)]
    add(
        Diagnosis(
            patient_id=patient.id,
            facility_id=patient.facility_id,
            encounter_id=encounter.id,
            code_system=ICD10_CM_SYSTEM,
            code_system_version=domain.ICD10_CM_VERSION,
            code=code,
            display=domain.icd10_display(code)[:300],
            clinical_status="active" if index % 2 else "resolved",
            verification_status="confirmed",
            recorded_at=start,
            created_at=start,
            updated_at=start,
        )
    )
    if index % 4 == 0:
        substance, klass, reaction, severity, criticality = ALLERGIES[index % len(ALLERGIES)]
        add(
            Allergy(
                patient_id=patient.id,
                facility_id=patient.facility_id,
                substance=substance,
                allergy_class=klass,
                reaction=reaction,
                severity=severity,
                criticality=criticality,
                recorded_at=start,
                created_at=start,
                updated_at=start,
            )
        )
    for reading in range(3):
        values = {
            "heart_rate": 62.0 + (index * 7 + reading * 5) % 70,
            "systolic_bp": 100.0 + (index * 3 + reading) % 70,
            "diastolic_bp": 60.0 + (index + reading) % 30,
            "spo2": 91.0 + (index + reading) % 9,
            "temperature": 36.0 + ((index + reading) % 30) / 10,
            "respiratory_rate": 12.0 + (index + reading) % 12,
        }
        _add_vitals(session, encounter, start + timedelta(hours=reading), values)


def _add_vitals(
    session: AsyncSession, encounter: Encounter, at: datetime, values: dict[str, float]
) -> None:
    assert set(values) <= set(VITAL_UNITS)
    flags = domain.flag_vitals(values)
    session.add(
        VitalSigns(
            id=uuid.uuid4(),
            patient_id=encounter.patient_id,
            facility_id=encounter.facility_id,
            encounter_id=encounter.id,
            recorded_at=at,
            critical=any(f.value == "critical" for f in flags.values()),
            **values,
        )
    )
