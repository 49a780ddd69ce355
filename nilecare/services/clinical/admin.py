"""Demo data: Sudanese patients (Arabic and English names, +249 phones, states) with finished
encounters, diagnoses, allergies and vital signs. Idempotent: each demo patient has a seed key."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
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
        address=Address(state=state, locality=LOCALITIES[index % len(LOCALITIES)]),
        emergency_contact=EmergencyContact(
            name=f"{GIVEN[(index + 3) % len(GIVEN)][0]} {family_en}",
            relation="sibling",
            phone=f"+2491{index:08d}",
        ),
        preferred_language=Language.AR if index % 3 else Language.EN,
        confirm_new=True,
    )


async def seed_demo(
    context: ServiceContext,
    facility_beds: Mapping[uuid.UUID, Sequence[uuid.UUID]],
    patients: int = 200,
) -> int:
    """Create up to ``patients`` demo patients spread over the facilities; returns how many were
    new. Historical inpatient stays name a bed of their facility but hold none (finished)."""
    settings = context.settings
    assert isinstance(settings, ClinicalSettings)
    facilities = sorted(facility_beds, key=str)
    if not facilities:
        return 0
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
        assert set(values) <= set(VITAL_UNITS)
        flags = domain.flag_vitals(values)
        add(
            VitalSigns(
                id=uuid.uuid4(),
                patient_id=patient.id,
                facility_id=patient.facility_id,
                encounter_id=encounter.id,
                recorded_at=start + timedelta(hours=reading),
                critical=any(f.value == "critical" for f in flags.values()),
                **values,
            )
        )
