"""What the use cases share: the caller's scope, patient loading (404 outside scope) and the
conversion of a patient row (decrypting its identifying fields) into the wire model."""

from __future__ import annotations

import json
import uuid

from nilecare.contracts.clinical.schemas import (
    Address,
    EmergencyContact,
    Language,
    PatientRead,
    PatientStatus,
    Sex,
)
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.config import ServiceSettings
from nilecare.kernel.crypto import Keyring
from nilecare.kernel.db.scope import FacilityScope
from nilecare.kernel.errors import NotFound
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import repository
from nilecare.services.clinical.models import Patient
from nilecare.services.clinical.settings import ClinicalSettings

PATIENT = "patient"


def scope_of(uow: UnitOfWork) -> FacilityScope:
    return FacilityScope.of(uow.principal)


def scope_of_job(facility_id: uuid.UUID) -> FacilityScope:
    """What the service reads when it builds a file for a facility: that facility's records."""
    return FacilityScope(False, frozenset({facility_id}))


def clinical_settings(settings: ServiceSettings) -> ClinicalSettings:
    assert isinstance(settings, ClinicalSettings)
    return settings


def actor_id(principal: Principal | None) -> uuid.UUID | None:
    return principal.user_id if principal else None


async def load_patient(uow: UnitOfWork, patient_id: uuid.UUID) -> Patient:
    patient = await repository.get_patient(uow.session, scope_of(uow), patient_id)
    if patient is None:
        raise NotFound("No such patient")
    return patient


def _aad(patient_id: uuid.UUID, field: str) -> bytes:
    return f"patient:{patient_id}:{field}".encode()


def seal(keyring: Keyring, patient_id: uuid.UUID, field: str, value: str) -> str:
    return keyring.encrypt(value, _aad(patient_id, field))


def unseal(keyring: Keyring, patient_id: uuid.UUID, field: str, token: str) -> str:
    return keyring.decrypt(token, _aad(patient_id, field))


def to_read(keyring: Keyring, patient: Patient) -> PatientRead:
    pid = patient.id

    def opt(field: str, token: str | None) -> str | None:
        return None if token is None else unseal(keyring, pid, field, token)

    contact = opt("emergency_contact", patient.emergency_contact_enc)
    return PatientRead(
        id=pid,
        mrn=patient.mrn,
        facility_id=patient.facility_id,
        status=PatientStatus(patient.status),
        merged_into_id=patient.merged_into_id,
        given_name_en=patient.given_name_en,
        family_name_en=patient.family_name_en,
        given_name_ar=patient.given_name_ar,
        family_name_ar=patient.family_name_ar,
        sex=Sex(patient.sex),
        birth_date=patient.birth_date,
        national_id=opt("national_id", patient.national_id_enc),
        phone=unseal(keyring, pid, "phone", patient.phone_enc),
        alternate_phone=opt("alternate_phone", patient.alternate_phone_enc),
        email=opt("email", patient.email_enc),
        address=Address.model_validate(
            json.loads(unseal(keyring, pid, "address", patient.address_enc))
        ),
        emergency_contact=(
            EmergencyContact.model_validate(json.loads(contact)) if contact else None
        ),
        preferred_language=Language(patient.preferred_language),
        created_at=patient.created_at,
        updated_at=patient.updated_at,
    )
