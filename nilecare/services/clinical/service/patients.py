"""Patient registry use cases: register (with duplicate detection), read, search, update, merge."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from nilecare.contracts.clinical.events import PatientCreated, PatientUpdated
from nilecare.contracts.clinical.schemas import (
    PatientCreate,
    PatientMerge,
    PatientPage,
    PatientRead,
    PatientUpdate,
    normalize_national_id,
)
from nilecare.kernel.crypto import KeyedHasher, Keyring
from nilecare.kernel.db.types import new_id, utcnow
from nilecare.kernel.errors import Conflict, NotFound, ValidationFailed
from nilecare.kernel.types import normalize_sudan_phone
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import domain, repository
from nilecare.services.clinical.models import Patient, PatientNameToken
from nilecare.services.clinical.service.common import (
    PATIENT,
    load_patient,
    scope_of,
    seal,
    to_read,
)
from nilecare.services.clinical.settings import ClinicalSettings

NATIONAL_ID_PURPOSE = "clinical.patient.national_id"
PHONE_PURPOSE = "clinical.patient.phone"


def national_id_digest(hasher: KeyedHasher, national_id: str) -> str:
    return hasher.digest(normalize_national_id(national_id), NATIONAL_ID_PURPOSE)


def phone_digest(hasher: KeyedHasher, phone: str) -> str:
    return hasher.digest(normalize_sudan_phone(phone), PHONE_PURPOSE)


def mrn_prefix(settings: ClinicalSettings, facility_id: uuid.UUID) -> str:
    return settings.mrn_prefixes.get(facility_id) or "F" + facility_id.hex[:6].upper()


async def _duplicates(
    uow: UnitOfWork, hasher: KeyedHasher, settings: ClinicalSettings, data: PatientCreate
) -> dict[uuid.UUID, list[str]]:
    nid_hash = national_id_digest(hasher, data.national_id) if data.national_id else None
    phones = [p for p in (data.phone, data.alternate_phone) if p]
    phone_hashes = [phone_digest(hasher, p) for p in phones]
    rows = await repository.find_duplicate_candidates(
        uow.session,
        scope_of(uow),
        national_id_hash=nid_hash,
        phone_hashes=phone_hashes,
        birth_date=data.birth_date,
    )
    name_en = domain.full_name(data.given_name_en, data.family_name_en)
    name_ar = domain.full_name(data.given_name_ar, data.family_name_ar)
    found: dict[uuid.UUID, list[str]] = {}
    for row in rows:
        reasons = []
        if nid_hash and row.national_id_hash == nid_hash:
            reasons.append("national_id")
        if {row.phone_hash, row.alternate_phone_hash} & set(phone_hashes):
            reasons.append("phone")
        threshold = settings.duplicate_name_similarity
        if row.birth_date == data.birth_date and (
            domain.names_similar(row.name_en, name_en, threshold)
            or domain.names_similar(row.name_ar, name_ar, threshold)
        ):
            reasons.append("name_and_birth_date")
        if reasons:
            found[row.id] = reasons
    return found


async def register_patient(
    uow: UnitOfWork,
    keyring: Keyring,
    hasher: KeyedHasher,
    settings: ClinicalSettings,
    data: PatientCreate,
) -> tuple[PatientRead, bool]:
    """(patient, created): a new patient, or the existing one the request links to."""
    scope = scope_of(uow)
    if not scope.allows(data.facility_id):
        raise ValidationFailed.field("facility_id", "not one of your facilities")
    if data.link_to_patient_id is not None:
        existing = await load_patient(uow, data.link_to_patient_id)
        uow.audit(
            "patient.link",
            PATIENT,
            existing.id,
            patient_id=existing.id,
            facility_id=existing.facility_id,
        )
        await uow.commit()
        return to_read(keyring, existing), False
    if not data.confirm_new:
        candidates = await _duplicates(uow, hasher, settings, data)
        if candidates:
            ids = sorted(candidates, key=str)
            for candidate in ids:
                uow.audit(
                    "patient.duplicate_warning",
                    PATIENT,
                    candidate,
                    patient_id=candidate,
                    facility_id=data.facility_id,
                    details={"reasons": candidates[candidate]},
                )
            await uow.commit()
            raise Conflict(
                "The patient may already be registered; confirm_new or link_to_patient_id",
                slug="possible-duplicate",
                candidate_ids=[str(i) for i in ids],
                reasons={str(i): candidates[i] for i in ids},
            )
    patient = new_patient(keyring, hasher, data)
    number = await repository.next_mrn_number(uow.session, data.facility_id)
    patient.mrn = f"{mrn_prefix(settings, data.facility_id)}-{number:06d}"
    uow.session.add(patient)
    await uow.session.flush()
    uow.publish(
        PatientCreated(patient_id=patient.id, facility_id=patient.facility_id, mrn=patient.mrn),
        facility_id=patient.facility_id,
    )
    uow.audit(
        "patient.create",
        PATIENT,
        patient.id,
        patient_id=patient.id,
        facility_id=patient.facility_id,
        details={"confirmed_new": data.confirm_new},
    )
    await uow.commit()
    return to_read(keyring, patient), True


def new_patient(keyring: Keyring, hasher: KeyedHasher, data: PatientCreate) -> Patient:
    pid = new_id()
    now = utcnow()
    patient = Patient(
        id=pid,
        facility_id=data.facility_id,
        status="active",
        sex=data.sex.value,
        birth_date=data.birth_date,
        created_at=now,
        updated_at=now,
    )
    _apply_names(patient, data.model_dump(include=_NAME_FIELDS))
    patient.name_tokens.add_all(_name_tokens(patient))
    patient.preferred_language = data.preferred_language.value
    if data.national_id:
        patient.national_id_enc = seal(keyring, pid, "national_id", data.national_id)
        patient.national_id_hash = national_id_digest(hasher, data.national_id)
    _apply_contact(patient, keyring, hasher, data.model_dump(exclude_unset=False))
    return patient


_NAME_FIELDS = {"given_name_en", "family_name_en", "given_name_ar", "family_name_ar"}


def _apply_names(patient: Patient, names: dict[str, Any]) -> None:
    for field, value in names.items():
        setattr(patient, field, value)
    patient.name_en = domain.full_name(patient.given_name_en, patient.family_name_en) or ""
    patient.name_ar = domain.full_name(patient.given_name_ar, patient.family_name_ar)


def _name_tokens(patient: Patient) -> list[PatientNameToken]:
    words = domain.name_tokens(
        patient.given_name_en,
        patient.family_name_en,
        patient.given_name_ar,
        patient.family_name_ar,
    )
    return [PatientNameToken(facility_id=patient.facility_id, token=w) for w in sorted(words)]


def _apply_contact(
    patient: Patient, keyring: Keyring, hasher: KeyedHasher, values: dict[str, Any]
) -> None:
    pid = patient.id
    if "phone" in values and values["phone"] is not None:
        patient.phone_enc = seal(keyring, pid, "phone", values["phone"])
        patient.phone_hash = phone_digest(hasher, values["phone"])
    if "alternate_phone" in values:
        alt = values["alternate_phone"]
        patient.alternate_phone_enc = seal(keyring, pid, "alternate_phone", alt) if alt else None
        patient.alternate_phone_hash = phone_digest(hasher, alt) if alt else None
    if "email" in values:
        email = values["email"]
        patient.email_enc = seal(keyring, pid, "email", email) if email else None
    if "address" in values and values["address"] is not None:
        patient.address_enc = seal(keyring, pid, "address", json.dumps(values["address"]))
    if "emergency_contact" in values:
        contact = values["emergency_contact"]
        patient.emergency_contact_enc = (
            seal(keyring, pid, "emergency_contact", json.dumps(contact)) if contact else None
        )


async def get_patient(uow: UnitOfWork, keyring: Keyring, patient_id: uuid.UUID) -> PatientRead:
    patient = await load_patient(uow, patient_id)
    uow.audit(
        "patient.read", PATIENT, patient.id, patient_id=patient.id, facility_id=patient.facility_id
    )
    await uow.commit()
    return to_read(keyring, patient)


async def search_patients(
    uow: UnitOfWork,
    keyring: Keyring,
    hasher: KeyedHasher,
    *,
    name: str | None = None,
    national_id: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    mrn: str | None = None,
    include_merged: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> PatientPage:
    try:
        nid_hash = national_id_digest(hasher, national_id) if national_id else None
    except ValueError as exc:
        raise ValidationFailed.field("national_id", str(exc)) from exc
    try:
        phone_hash = phone_digest(hasher, phone) if phone else None
    except ValueError as exc:
        raise ValidationFailed.field("phone", str(exc)) from exc
    rows, total = await repository.search_patients(
        uow.session,
        scope_of(uow),
        name_words=domain.search_words(name) if name else None,
        national_id_hash=nid_hash,
        phone_hash=phone_hash,
        birth_date=birth_date,
        mrn=mrn.strip().upper() if mrn else None,
        include_merged=include_merged,
        limit=limit,
        offset=offset,
    )
    criteria = [
        key
        for key, value in (
            ("name", name),
            ("national_id", national_id),
            ("phone", phone),
            ("birth_date", birth_date),
            ("mrn", mrn),
        )
        if value
    ]
    for row in rows:
        uow.audit(
            "patient.search",
            PATIENT,
            row.id,
            patient_id=row.id,
            facility_id=row.facility_id,
            details={"criteria": criteria},
        )
    if not rows:
        uow.audit("patient.search", PATIENT, details={"criteria": criteria, "hits": 0})
    await uow.commit()
    return PatientPage(
        items=[to_read(keyring, row) for row in rows], total=total, limit=limit, offset=offset
    )


async def update_patient(
    uow: UnitOfWork,
    keyring: Keyring,
    hasher: KeyedHasher,
    patient_id: uuid.UUID,
    data: PatientUpdate,
) -> PatientRead:
    patient = await load_patient(uow, patient_id)
    if patient.status != "active":
        raise Conflict("A merged patient cannot be changed", slug="patient-merged")
    changes = data.model_dump(exclude_unset=True)
    for required in ("given_name_en", "family_name_en", "phone", "address"):
        if required in changes and changes[required] is None:
            raise ValidationFailed.field(required, "cannot be removed")
    names = {k: v for k, v in changes.items() if k in _NAME_FIELDS}
    if names:
        _apply_names(patient, names)
        await repository.replace_name_tokens(uow.session, patient, _name_tokens(patient))
    if "preferred_language" in changes:
        patient.preferred_language = str(changes["preferred_language"])
    _apply_contact(patient, keyring, hasher, changes)
    patient.updated_at = utcnow()
    fields = sorted(changes)
    uow.publish(
        PatientUpdated(patient_id=patient.id, facility_id=patient.facility_id, fields=fields),
        facility_id=patient.facility_id,
    )
    uow.audit(
        "patient.update",
        PATIENT,
        patient.id,
        patient_id=patient.id,
        facility_id=patient.facility_id,
        details={"fields": fields},
    )
    await uow.commit()
    return to_read(keyring, patient)


async def merge_patients(
    uow: UnitOfWork, keyring: Keyring, survivor_id: uuid.UUID, data: PatientMerge
) -> PatientRead:
    """Mark ``duplicate_id`` as merged into the survivor (both must be visible and active)."""
    if data.duplicate_id == survivor_id:
        raise ValidationFailed.field("duplicate_id", "a patient cannot be merged into itself")
    survivor = await load_patient(uow, survivor_id)
    duplicate = await repository.get_patient(uow.session, scope_of(uow), data.duplicate_id)
    if duplicate is None:
        raise NotFound("No such duplicate patient")
    if survivor.status != "active" or duplicate.status != "active":
        raise Conflict("Only active patients can be merged", slug="patient-merged")
    duplicate.status = "merged"
    duplicate.merged_into_id = survivor.id
    duplicate.updated_at = utcnow()
    uow.publish(
        PatientUpdated(
            patient_id=duplicate.id,
            facility_id=duplicate.facility_id,
            fields=["status", "merged_into_id"],
            merged_into=survivor.id,
        ),
        facility_id=duplicate.facility_id,
    )
    for row, role in ((duplicate, "duplicate"), (survivor, "survivor")):
        uow.audit(
            "patient.merge",
            PATIENT,
            row.id,
            patient_id=row.id,
            facility_id=row.facility_id,
            details={
                "role": role,
                "survivor_id": str(survivor.id),
                "duplicate_id": str(duplicate.id),
            },
        )
    await uow.commit()
    return to_read(keyring, survivor)
